//! `GET /attempts?difficulty=&topic=&outcome=&language=&page=&per_page=&user_id=` → the
//! caller's attempts, newest first.

use actix_web::{HttpResponse, get, web};
use serde::Deserialize;
use shared::ApiError;
use shared::auth::AuthUser;
use shared::db::PgPool;
use shared::difficulty::Difficulty;
use shared::error::ErrorBody;
use shared::pagination::{Page, Paging};
use uuid::Uuid;

use crate::attempt::{AttemptSummary, Outcome};
use crate::repository::{self, ListFilter};
use crate::routes::whose;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    difficulty: Option<Difficulty>,
    /// Attempts whose question has this topic.
    #[param(max_length = 64)]
    topic: Option<String>,
    outcome: Option<Outcome>,
    #[param(max_length = 32)]
    language: Option<String>,
    #[param(minimum = 1)]
    page: Option<u32>,
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u32>,
    /// Admins only: another user's attempts.
    user_id: Option<Uuid>,
}

/// The caller's attempts (code left out), newest first.
#[utoipa::path(
    tag = "history",
    params(ListQuery),
    responses(
        (status = 200, description = "One page of attempts; a page past the end is empty", body = Page<AttemptSummary>),
        (status = 400, description = "A filter or page value is invalid", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Another user's history, and the caller is not an admin", body = ErrorBody),
    ),
    security(("bearer_auth" = []), ("cookie_auth" = []))
)]
#[get("/attempts")]
pub async fn list(
    caller: AuthUser,
    pool: web::Data<PgPool>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let paging = Paging::new(query.page, query.per_page)?;
    let user_id = whose(&caller, query.user_id)?;
    let blank_to_none = |value: Option<String>| {
        value
            .map(|v| v.trim().to_lowercase())
            .filter(|v| !v.is_empty())
    };
    let db = shared::db::connection(&pool).await?;
    let (items, total) = repository::list(
        &db,
        &ListFilter {
            user_id,
            difficulty: query.difficulty,
            topic: blank_to_none(query.topic),
            outcome: query.outcome,
            language: blank_to_none(query.language),
            limit: paging.limit(),
            offset: paging.offset(),
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(paging.wrap(items, total)))
}
