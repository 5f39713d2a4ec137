//! `GET /topics` → every topic with its number of questions per difficulty.

use actix_web::{HttpResponse, get, web};
use shared::ApiError;
use shared::contract::TopicCount;
use shared::db::PgPool;

use crate::repository;

/// Topics in alphabetical order, with how many questions each has.
#[utoipa::path(
    tag = "questions",
    responses((status = 200, description = "Every topic", body = Vec<TopicCount>))
)]
#[get("/topics")]
pub async fn topics(pool: web::Data<PgPool>) -> Result<HttpResponse, ApiError> {
    let db = shared::db::connection(&pool).await?;
    let topics: Vec<TopicCount> = repository::topics(&db)
        .await?
        .into_iter()
        .map(|t| TopicCount {
            topic: t.topic,
            count: t.easy + t.medium + t.hard,
            easy: t.easy,
            medium: t.medium,
            hard: t.hard,
        })
        .collect();
    Ok(HttpResponse::Ok().json(topics))
}
