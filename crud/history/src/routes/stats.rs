//! `GET /stats?user_id=` → the caller's statistics.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use shared::ApiError;
use shared::auth::AuthUser;
use shared::db::PgPool;
use shared::error::ErrorBody;
use uuid::Uuid;

use crate::repository;
use crate::routes::whose;
use crate::stats::streaks;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StatsQuery {
    /// Admins only: another user's statistics.
    user_id: Option<Uuid>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TopicCount {
    pub topic: String,
    pub attempts: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Stats {
    pub total_attempts: i64,
    pub completed: i64,
    pub abandoned: i64,
    /// Time spent in sessions, in seconds.
    pub total_duration_secs: i64,
    /// Attempts per difficulty (`easy`, `medium`, `hard`; zero when none).
    pub by_difficulty: BTreeMap<String, i64>,
    /// Attempts per topic, most attempted first.
    pub by_topic: Vec<TopicCount>,
    /// Consecutive days (UTC) with an attempt, ending today or yesterday.
    pub current_streak_days: u32,
    pub longest_streak_days: u32,
    pub last_attempt_at: Option<DateTime<Utc>>,
}

/// Attempts by difficulty and topic, time spent, and streaks.
#[utoipa::path(
    tag = "history",
    params(StatsQuery),
    responses(
        (status = 200, description = "The statistics", body = Stats),
        (status = 400, description = "The query is invalid", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Another user's statistics, and the caller is not an admin", body = ErrorBody),
    ),
    security(("bearer_auth" = []), ("cookie_auth" = []))
)]
#[get("/stats")]
pub async fn stats(
    caller: AuthUser,
    pool: web::Data<PgPool>,
    query: web::Query<StatsQuery>,
) -> Result<HttpResponse, ApiError> {
    let user_id = whose(&caller, query.into_inner().user_id)?;
    let db = shared::db::connection(&pool).await?;
    let totals = repository::totals(&db, user_id).await?;
    let mut by_difficulty: BTreeMap<String, i64> = ["easy", "medium", "hard"]
        .into_iter()
        .map(|d| (d.to_owned(), 0))
        .collect();
    by_difficulty.extend(repository::by_difficulty(&db, user_id).await?);
    let by_topic = repository::by_topic(&db, user_id)
        .await?
        .into_iter()
        .map(|(topic, attempts)| TopicCount { topic, attempts })
        .collect();
    let days = repository::active_days(&db, user_id).await?;
    let (current, longest) = streaks(&days, Utc::now().date_naive());
    Ok(HttpResponse::Ok().json(Stats {
        total_attempts: totals.attempts,
        completed: totals.completed,
        abandoned: totals.abandoned,
        total_duration_secs: totals.duration_secs,
        by_difficulty,
        by_topic,
        current_streak_days: current,
        longest_streak_days: longest,
        last_attempt_at: totals.last_attempt_at,
    }))
}
