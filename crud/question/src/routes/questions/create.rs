//! `POST /questions` (admin) → 201 with the new question.

use actix_web::{HttpResponse, post, web};
use shared::ApiError;
use shared::auth::Admin;
use shared::db::PgPool;
use shared::error::ErrorBody;

use super::write_error;
use crate::question::{Question, QuestionInput};
use crate::repository;

/// Adds a question to the bank.
#[utoipa::path(
    tag = "admin",
    request_body = QuestionInput,
    responses(
        (status = 201, description = "Created", body = Question),
        (status = 400, description = "Invalid; `details.fields` says which", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 409, description = "The title or slug is taken", body = ErrorBody),
    ),
    security(("bearer_auth" = []), ("cookie_auth" = []))
)]
#[post("/questions")]
pub async fn create(
    admin: Admin,
    pool: web::Data<PgPool>,
    body: web::Json<QuestionInput>,
) -> Result<HttpResponse, ApiError> {
    let question = body.into_inner().validate().map_err(ApiError::validation)?;
    let db = shared::db::connection(&pool).await?;
    let created: Question = repository::insert(&db, &question)
        .await
        .map_err(write_error)?;
    log::info!(
        "admin {} created question {} ({})",
        admin.0.id,
        created.id,
        created.slug
    );
    Ok(HttpResponse::Created().json(created))
}
