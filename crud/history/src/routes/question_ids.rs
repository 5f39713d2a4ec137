//! `GET /internal/users/{user_id}/question-ids`, at the root (service credential) → the
//! questions the user has attempted, so that matching can avoid giving them one again.

use actix_web::{HttpResponse, get, web};
use shared::ApiError;
use shared::auth::ServiceCaller;
use shared::contract::QuestionIds;
use shared::db::PgPool;
use shared::error::ErrorBody;
use uuid::Uuid;

use crate::repository;

/// The distinct question ids of the user's attempts.
#[utoipa::path(
    tag = "internal",
    params(("user_id" = Uuid, Path, description = "The user's id")),
    responses(
        (status = 200, description = "The question ids", body = QuestionIds),
        (status = 400, description = "The id is not a UUID", body = ErrorBody),
        (status = 401, description = "Missing or wrong X-Service-Token", body = ErrorBody),
    ),
    security(("service_token" = []))
)]
#[get("/users/{user_id}/question-ids")]
pub async fn question_ids(
    _caller: ServiceCaller,
    pool: web::Data<PgPool>,
    user_id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let db = shared::db::connection(&pool).await?;
    let question_ids = repository::attempted_questions(&db, user_id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(QuestionIds { question_ids }))
}
