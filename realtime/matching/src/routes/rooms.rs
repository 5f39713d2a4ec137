//! `GET /rooms/{id}` for the room's members; and, at the root outside the public prefix,
//! `GET /internal/rooms/{id}` for the collaboration and chat services, which check
//! membership with it, and `POST /internal/rooms/{id}/end`.

use actix_web::{HttpResponse, get, post, web};
use shared::ApiError;
use shared::auth::{AuthUser, ServiceCaller};
use shared::contract::Room;
use shared::db::PgPool;
use shared::error::ErrorBody;
use uuid::Uuid;

use crate::rooms;

async fn load(pool: &PgPool, id: Uuid) -> Result<Room, ApiError> {
    let db = shared::db::connection(pool).await?;
    rooms::find(&db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("no such room"))
}

/// A room the caller is a member of (another's is a 404).
#[utoipa::path(
    tag = "rooms",
    params(("id" = Uuid, Path, description = "The room's id")),
    responses(
        (status = 200, description = "The room", body = Room),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such room of the caller's", body = ErrorBody),
    ),
    security(("bearer_auth" = []), ("cookie_auth" = []))
)]
#[get("/rooms/{id}")]
pub async fn member_room(
    caller: AuthUser,
    pool: web::Data<PgPool>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let room = load(&pool, id.into_inner()).await?;
    if !room.has_member(caller.id) {
        return Err(ApiError::not_found("no such room"));
    }
    Ok(HttpResponse::Ok().json(room))
}

/// Any room, for other PeerPrep services: members, question, language, status.
#[utoipa::path(
    tag = "internal",
    params(("id" = Uuid, Path, description = "The room's id")),
    responses(
        (status = 200, description = "The room", body = Room),
        (status = 401, description = "Missing or wrong X-Service-Token", body = ErrorBody),
        (status = 404, description = "No such room", body = ErrorBody),
    ),
    security(("service_token" = []))
)]
#[get("/rooms/{id}")]
pub async fn internal_room(
    _caller: ServiceCaller,
    pool: web::Data<PgPool>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(load(&pool, id.into_inner()).await?))
}

/// The collaboration service ended the session in this room.
#[utoipa::path(
    tag = "internal",
    params(("id" = Uuid, Path, description = "The room's id")),
    responses(
        (status = 200, description = "The room, now ended", body = Room),
        (status = 401, description = "Missing or wrong X-Service-Token", body = ErrorBody),
        (status = 404, description = "No such room", body = ErrorBody),
    ),
    security(("service_token" = []))
)]
#[post("/rooms/{id}/end")]
pub async fn internal_end(
    _caller: ServiceCaller,
    pool: web::Data<PgPool>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let db = shared::db::connection(&pool).await?;
    if !rooms::end(&db, id).await? {
        return Err(ApiError::not_found("no such room"));
    }
    Ok(HttpResponse::Ok().json(load(&pool, id).await?))
}
