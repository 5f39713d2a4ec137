//! `GET /users/me` → the caller's account.

use actix_web::{HttpResponse, get};
use shared::error::ErrorBody;

use crate::current_user::CurrentUser;
use crate::repository::users::User;

/// The caller's account.
#[utoipa::path(
    tag = "users",
    responses(
        (status = 200, description = "The account", body = User),
        (status = 401, description = "Not signed in, or the token is invalid or expired", body = ErrorBody),
    ),
    security(("bearer_auth" = []), ("cookie_auth" = []))
)]
#[get("/users/me")]
pub async fn me(current: CurrentUser) -> HttpResponse {
    HttpResponse::Ok().json(current.user)
}
