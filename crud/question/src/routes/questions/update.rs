//! `PUT /questions/{id}` (admin) → the question, every field replaced.

use actix_web::{HttpResponse, put, web};
use shared::ApiError;
use shared::auth::Admin;
use shared::db::PgPool;
use shared::error::ErrorBody;
use uuid::Uuid;

use super::write_error;
use crate::question::{Question, QuestionInput};
use crate::repository;

/// Replaces a question. Attempts already recorded keep the question as it was.
#[utoipa::path(
    tag = "admin",
    params(("id" = Uuid, Path, description = "The question's id")),
    request_body = QuestionInput,
    responses(
        (status = 200, description = "Replaced", body = Question),
        (status = 400, description = "Invalid; `details.fields` says which", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No question has this id", body = ErrorBody),
        (status = 409, description = "The title or slug is taken", body = ErrorBody),
    ),
    security(("bearer_auth" = []), ("cookie_auth" = []))
)]
#[put("/questions/{id}")]
pub async fn update(
    admin: Admin,
    pool: web::Data<PgPool>,
    id: web::Path<Uuid>,
    body: web::Json<QuestionInput>,
) -> Result<HttpResponse, ApiError> {
    let question = body.into_inner().validate().map_err(ApiError::validation)?;
    let db = shared::db::connection(&pool).await?;
    let updated: Question = repository::replace(&db, id.into_inner(), &question)
        .await
        .map_err(write_error)?
        .ok_or_else(|| ApiError::not_found("no question has this id"))?;
    log::info!("admin {} replaced question {}", admin.0.id, updated.id);
    Ok(HttpResponse::Ok().json(updated))
}
