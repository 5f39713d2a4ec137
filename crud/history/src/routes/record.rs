//! `POST /internal/attempts`, at the root (service credential) → 201 with the new attempt, or
//! 200 with the one already recorded for this (room, user): recording is idempotent, and the
//! first record wins.

use actix_web::{HttpResponse, post, web};
use chrono::Utc;
use shared::ApiError;
use shared::auth::ServiceCaller;
use shared::db::PgPool;
use shared::error::ErrorBody;

use crate::attempt::{self, Attempt, AttemptRecord};
use crate::repository;

/// Records a member's attempt when a collaboration session ends.
#[utoipa::path(
    tag = "internal",
    request_body = AttemptRecord,
    responses(
        (status = 201, description = "Recorded", body = Attempt),
        (status = 200, description = "Already recorded for this room and user; nothing changed", body = Attempt),
        (status = 400, description = "Invalid; `details.fields` says which", body = ErrorBody),
        (status = 401, description = "Missing or wrong X-Service-Token", body = ErrorBody),
    ),
    security(("service_token" = []))
)]
#[post("/attempts")]
pub async fn record(
    _caller: ServiceCaller,
    pool: web::Data<PgPool>,
    body: web::Json<AttemptRecord>,
) -> Result<HttpResponse, ApiError> {
    let record = body.into_inner();
    attempt::validate(&record, Utc::now()).map_err(ApiError::validation)?;
    let db = shared::db::connection(&pool).await?;
    let (attempt, created) = repository::record(&db, &record).await?;
    if created {
        log::info!(
            "recorded attempt {} (room {}, user {})",
            attempt.id,
            attempt.room_id,
            attempt.user_id
        );
        Ok(HttpResponse::Created().json(attempt))
    } else {
        Ok(HttpResponse::Ok().json(attempt))
    }
}
