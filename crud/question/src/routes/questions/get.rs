//! `GET /questions/{id_or_slug}` → one question.

use actix_web::{HttpResponse, get, web};
use shared::ApiError;
use shared::db::PgPool;
use shared::error::ErrorBody;
use uuid::Uuid;

use crate::question::Question;
use crate::repository;

/// A question by its id or its slug.
#[utoipa::path(
    tag = "questions",
    params(("id_or_slug" = String, Path, description = "The question's id (UUID) or slug")),
    responses(
        (status = 200, description = "The question", body = Question),
        (status = 404, description = "No question has this id or slug", body = ErrorBody),
    )
)]
#[get("/questions/{id_or_slug}")]
pub async fn get(
    pool: web::Data<PgPool>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let key = path.into_inner();
    let db = shared::db::connection(&pool).await?;
    let found = match key.parse::<Uuid>() {
        Ok(id) => repository::find_by_id(&db, id).await?,
        Err(_) => repository::find_by_slug(&db, &key).await?,
    };
    let question = found.ok_or_else(|| ApiError::not_found("no question has this id or slug"))?;
    Ok(HttpResponse::Ok().json(question))
}
