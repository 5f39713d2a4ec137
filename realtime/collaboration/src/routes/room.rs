//! `GET /rooms/{room_id}`: the room as its members see it.

use actix_web::{HttpResponse, get, web};
use shared::ApiError;
use shared::auth::AuthUser;
use shared::error::ErrorBody;
use uuid::Uuid;

use super::yjs::Access;
use crate::rooms::RoomInfo;

/// The room's question, members and language (members only; others get 404).
#[utoipa::path(
    tag = "rooms",
    params(("room_id" = Uuid, Path, description = "The room's id")),
    responses(
        (status = 200, description = "The room", body = RoomInfo),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such room of the caller's", body = ErrorBody),
        (status = 503, description = "Rooms cannot be looked up right now", body = ErrorBody),
    ),
    security(("bearer_auth" = []), ("cookie_auth" = []))
)]
#[get("/rooms/{room_id}")]
pub async fn room(
    caller: AuthUser,
    access: web::Data<Access>,
    room_id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let room = access
        .member_room(room_id.into_inner(), &caller)
        .await
        .map_err(|err| {
            if err.status() == actix_web::http::StatusCode::FORBIDDEN {
                ApiError::not_found("no such room")
            } else {
                err
            }
        })?;
    Ok(HttpResponse::Ok().json(room))
}
