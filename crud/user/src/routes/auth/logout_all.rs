//! `POST /auth/logout-all` → 204: ends every session of the caller, this one included (a
//! lost device, or "sign me out everywhere"). The endings are announced, so the tokens stop
//! working in every service and open websockets close.

use actix_web::{HttpResponse, post, web};
use shared::ApiError;
use shared::error::ErrorBody;

use super::cookies;
use crate::current_user::CurrentUser;
use crate::repository::sessions::{self, RevokeReason};
use crate::state::AppState;

/// Ends every session of the caller.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 204, description = "Every session has ended; the cookies are cleared"),
        (status = 401, description = "Not signed in, or the token is invalid or expired", body = ErrorBody),
    ),
    security(("bearer_auth" = []), ("cookie_auth" = []))
)]
#[post("/auth/logout-all")]
pub async fn logout_all(
    current: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let db = state.db().await?;
    let user = current.user.id;
    let ended = sessions::revoke_all(&db, user, RevokeReason::LogoutEverywhere).await?;
    log::info!(
        "user {user} signed out everywhere: {} sessions ended",
        ended.len()
    );
    state.announce_ended(user, ended).await;
    let mut response = HttpResponse::NoContent();
    cookies::clear(&mut response, &state.cookies);
    Ok(response.finish())
}
