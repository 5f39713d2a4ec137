//! `GET /attempts/{id}` → one attempt with its final code.

use actix_web::{HttpResponse, get, web};
use shared::ApiError;
use shared::auth::AuthUser;
use shared::db::PgPool;
use shared::error::ErrorBody;
use uuid::Uuid;

use crate::attempt::Attempt;
use crate::repository;

/// One of the caller's attempts. Another user's attempt is 404 to non-admins, as if it did
/// not exist, so ids reveal nothing.
#[utoipa::path(
    tag = "history",
    params(("id" = Uuid, Path, description = "The attempt's id")),
    responses(
        (status = 200, description = "The attempt", body = Attempt),
        (status = 400, description = "The id is not a UUID", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such attempt of the caller's", body = ErrorBody),
    ),
    security(("bearer_auth" = []), ("cookie_auth" = []))
)]
#[get("/attempts/{id}")]
pub async fn get(
    caller: AuthUser,
    pool: web::Data<PgPool>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let db = shared::db::connection(&pool).await?;
    let attempt = repository::find(&db, id.into_inner())
        .await?
        .filter(|attempt| attempt.user_id == caller.id || caller.is_admin())
        .ok_or_else(|| ApiError::not_found("no such attempt"))?;
    Ok(HttpResponse::Ok().json(attempt))
}
