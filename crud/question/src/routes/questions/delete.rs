//! `DELETE /questions/{id}` (admin) → 204.

use actix_web::{HttpResponse, delete, web};
use shared::ApiError;
use shared::auth::Admin;
use shared::db::PgPool;
use shared::error::ErrorBody;
use uuid::Uuid;

use crate::repository;

/// Removes a question. Attempts already recorded keep their copy of it.
#[utoipa::path(
    tag = "admin",
    params(("id" = Uuid, Path, description = "The question's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "The id is not a UUID", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No question has this id", body = ErrorBody),
    ),
    security(("bearer_auth" = []), ("cookie_auth" = []))
)]
#[delete("/questions/{id}")]
pub async fn delete(
    admin: Admin,
    pool: web::Data<PgPool>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let db = shared::db::connection(&pool).await?;
    if !repository::delete(&db, id).await? {
        return Err(ApiError::not_found("no question has this id"));
    }
    log::info!("admin {} deleted question {id}", admin.0.id);
    Ok(HttpResponse::NoContent().finish())
}
