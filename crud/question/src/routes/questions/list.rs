//! `GET /questions?topic=&difficulty=&q=&sort=&page=&per_page=` → one page of summaries.

use actix_web::{HttpResponse, get, web};
use serde::Deserialize;
use shared::ApiError;
use shared::db::PgPool;
use shared::error::{ErrorBody, FieldErrors};
use shared::pagination::{Page, Paging};

use super::{check, topics_param};
use crate::question::{Difficulty, QuestionSummary};
use crate::repository::{self, ListFilter, Sort};

const MAX_SEARCH_CHARS: usize = 200;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Topic slug(s), comma-separated: questions with any of them.
    topic: Option<String>,
    difficulty: Option<Difficulty>,
    /// Full-text search over title and description (web-search syntax: `"exact phrase"`,
    /// `-without`, `or`).
    #[param(max_length = 200)]
    q: Option<String>,
    /// `title` (default), `newest`, `oldest`, `difficulty`, or `relevance` (the default
    /// when `q` is given).
    sort: Option<SortParam>,
    #[param(minimum = 1)]
    page: Option<u32>,
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u32>,
}

#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SortParam {
    Title,
    Newest,
    Oldest,
    Difficulty,
    Relevance,
}

/// Questions matching the filters, a page at a time.
#[utoipa::path(
    tag = "questions",
    params(ListQuery),
    responses(
        (status = 200, description = "One page of questions; a page past the end is empty", body = Page<QuestionSummary>),
        (status = 400, description = "A filter, sort or page value is invalid", body = ErrorBody),
    )
)]
#[get("/questions")]
pub async fn list(
    pool: web::Data<PgPool>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let paging = Paging::new(query.page, query.per_page)?;
    let mut errors = FieldErrors::default();
    let topics = topics_param(query.topic.as_deref(), &mut errors);
    let search = query
        .q
        .map(|q| q.trim().to_owned())
        .filter(|q| !q.is_empty());
    if search
        .as_ref()
        .is_some_and(|q| q.chars().count() > MAX_SEARCH_CHARS)
    {
        errors.add(
            "q",
            format!("must be at most {MAX_SEARCH_CHARS} characters"),
        );
    }
    let sort = match (query.sort, &search) {
        (Some(SortParam::Relevance), None) => {
            errors.add("sort", "`relevance` needs a search (`q`)");
            Sort::Title
        }
        (Some(SortParam::Relevance), Some(_)) | (None, Some(_)) => Sort::Relevance,
        (Some(SortParam::Title) | None, None) | (Some(SortParam::Title), Some(_)) => Sort::Title,
        (Some(SortParam::Newest), _) => Sort::Newest,
        (Some(SortParam::Oldest), _) => Sort::Oldest,
        (Some(SortParam::Difficulty), _) => Sort::Difficulty,
    };
    check(errors)?;

    let db = shared::db::connection(&pool).await?;
    let (items, total) = repository::list(
        &db,
        &ListFilter {
            topics,
            difficulty: query.difficulty,
            search,
            sort,
            limit: paging.limit(),
            offset: paging.offset(),
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(paging.wrap(items, total)))
}
