//! `GET /topics` → every topic with its number of questions per difficulty.

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use shared::ApiError;
use shared::db::PgPool;

use crate::repository;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Topic {
    pub topic: String,
    pub count: i64,
    pub easy: i64,
    pub medium: i64,
    pub hard: i64,
}

/// Topics in alphabetical order, with how many questions each has.
#[utoipa::path(
    tag = "questions",
    responses((status = 200, description = "Every topic", body = Vec<Topic>))
)]
#[get("/topics")]
pub async fn topics(pool: web::Data<PgPool>) -> Result<HttpResponse, ApiError> {
    let db = shared::db::connection(&pool).await?;
    let topics: Vec<Topic> = repository::topics(&db)
        .await?
        .into_iter()
        .map(|t| Topic {
            topic: t.topic,
            count: t.easy + t.medium + t.hard,
            easy: t.easy,
            medium: t.medium,
            hard: t.hard,
        })
        .collect();
    Ok(HttpResponse::Ok().json(topics))
}
