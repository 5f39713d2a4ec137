//! `GET /questions/pick?topic=&difficulty=&exclude=` → a random matching question.
//!
//! Matching calls this for a new pair, excluding the questions either user has attempted;
//! when every matching question is excluded, one of them is picked anyway, since a repeat
//! beats no session.

use actix_web::{HttpResponse, get, web};
use serde::Deserialize;
use shared::ApiError;
use shared::db::PgPool;
use shared::error::{ErrorBody, FieldErrors};
use uuid::Uuid;

use super::{check, comma_list, topics_param};
use crate::question::{Difficulty, Question};
use crate::repository::{self, PickCriteria};

/// Most ids `exclude` may hold.
const MAX_EXCLUDED: usize = 1000;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PickQuery {
    /// Topic slug(s), comma-separated: any of them.
    topic: Option<String>,
    /// Difficulty or difficulties, comma-separated (`easy,medium`).
    difficulty: Option<String>,
    /// Question ids to avoid, comma-separated.
    exclude: Option<String>,
}

/// A random question matching the criteria, avoiding the excluded ones where it can.
#[utoipa::path(
    tag = "questions",
    params(PickQuery),
    responses(
        (status = 200, description = "A question", body = Question),
        (status = 400, description = "A criterion is invalid", body = ErrorBody),
        (status = 404, description = "No question matches the topic and difficulty", body = ErrorBody),
    )
)]
#[get("/questions/pick")]
pub async fn pick(
    pool: web::Data<PgPool>,
    query: web::Query<PickQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let mut errors = FieldErrors::default();
    let topics = topics_param(query.topic.as_deref(), &mut errors);
    let difficulties = comma_list(query.difficulty.as_deref());
    for difficulty in difficulties.iter().flatten() {
        if let Err(err) = difficulty.parse::<Difficulty>() {
            errors.add("difficulty", err);
        }
    }
    let mut exclude = Vec::new();
    for raw in comma_list(query.exclude.as_deref()).unwrap_or_default() {
        match raw.parse::<Uuid>() {
            Ok(id) => exclude.push(id),
            Err(_) => errors.add("exclude", format!("`{raw}` is not a question id")),
        }
    }
    if exclude.len() > MAX_EXCLUDED {
        errors.add("exclude", format!("at most {MAX_EXCLUDED} ids"));
    }
    check(errors)?;

    let db = shared::db::connection(&pool).await?;
    let question = repository::pick(
        &db,
        &PickCriteria {
            topics,
            difficulties,
            exclude,
        },
    )
    .await?
    .ok_or_else(|| {
        ApiError::new(
            actix_web::http::StatusCode::NOT_FOUND,
            "no_matching_question",
            "no question matches this topic and difficulty",
        )
    })?;
    Ok(HttpResponse::Ok().json(question))
}
