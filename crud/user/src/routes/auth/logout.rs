//! `POST /auth/logout` → 204: ends the session of the access token (bearer or cookie) or,
//! failing that, of the refresh token (body or cookie). Its tokens stop working at once in
//! this service, and the ending is announced so that the other services refuse them too.

use actix_web::{HttpRequest, HttpResponse, post, web};
use shared::ApiError;
use shared::auth::AuthUser;
use shared::error::ErrorBody;

use super::cookies;
use super::{RefreshBody, refresh_token_from};
use crate::repository::sessions::{self, RevokeReason};
use crate::state::AppState;
use crate::tokens;

/// Ends the caller's session.
#[utoipa::path(
    tag = "auth",
    request_body(content = Option<RefreshBody>, description = "Optional: identifies the session when no access token is sent"),
    responses(
        (status = 204, description = "The session has ended; the cookies are cleared"),
        (status = 400, description = "Invalid input; `details.fields` says which", body = ErrorBody),
        (status = 401, description = "No valid access or refresh token was sent", body = ErrorBody),
    ),
    security(("bearer_auth" = []), ("cookie_auth" = []))
)]
#[post("/auth/logout")]
pub async fn logout(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let db = state.db().await?;
    let session_id = match AuthUser::from_request_sync(&req) {
        Ok(user) => Some(user.session_id),
        Err(_) => match refresh_token_from(&req, &body)? {
            Some(token) => {
                sessions::live_session_of_refresh_token(&db, &tokens::hash_refresh_token(&token))
                    .await?
            }
            None => None,
        },
    };
    let session_id = session_id.ok_or_else(|| {
        ApiError::unauthorized(
            "unauthenticated",
            "no valid access or refresh token was sent",
        )
    })?;
    if let Some(user) = sessions::revoke(&db, session_id, RevokeReason::Logout).await? {
        state.announce_ended(user, vec![session_id]).await;
    }
    let mut response = HttpResponse::NoContent();
    cookies::clear(&mut response, &state.cookies);
    Ok(response.finish())
}
