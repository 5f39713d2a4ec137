//! `GET /users?page=&per_page=&q=&role=` (admin) → `{items, total, page, per_page}`.

use actix_web::{HttpResponse, get, web};
use serde::Deserialize;
use shared::ApiError;
use shared::auth::Role;
use shared::error::ErrorBody;
use shared::pagination::{Page, Paging};

use crate::current_user::CurrentUser;
use crate::repository::users::{self, ListFilter, User};
use crate::state::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// 1-based page number (default 1).
    #[param(minimum = 1)]
    page: Option<u32>,
    /// Items per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    per_page: Option<u32>,
    /// Part of an email or username.
    q: Option<String>,
    role: Option<Role>,
}

/// All accounts, oldest first (admins only).
#[utoipa::path(
    tag = "admin",
    params(ListQuery),
    responses(
        (status = 200, description = "One page of accounts", body = Page<User>),
        (status = 400, description = "Invalid input; `details.fields` says which", body = ErrorBody),
        (status = 401, description = "Not signed in, or the token is invalid or expired", body = ErrorBody),
        (status = 403, description = "The caller is not an admin", body = ErrorBody),
    ),
    security(("bearer_auth" = []), ("cookie_auth" = []))
)]
#[get("/users")]
pub async fn list(
    current: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    current.require_admin()?;
    let query = query.into_inner();
    let paging = Paging::new(query.page, query.per_page)?;
    let search = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let db = state.db().await?;
    let (items, total) = users::list(
        &db,
        ListFilter {
            search,
            role: query.role,
            limit: paging.limit(),
            offset: paging.offset(),
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(paging.wrap(items, total)))
}
