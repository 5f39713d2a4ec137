//! `POST /auth/refresh {refresh_token}` (or the refresh cookie) → 200 with a new pair.
//!
//! The presented token is spent; presenting it again revokes its whole session, so a stolen
//! token is good for at most one use, and only until the rightful owner refreshes. The one
//! exception is the grace window (`REFRESH_REUSE_GRACE_SECS`, 10 s) just after a rotation:
//! two tabs refreshing with one cookie at the same moment both get the same new pair.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};
use anyhow::Context;
use shared::ApiError;
use shared::error::ErrorBody;

use super::{AuthResponse, RefreshBody, refresh_token_from};
use crate::repository::{sessions, sessions::Rotation, users};
use crate::state::AppState;
use crate::tokens;

/// Swaps a refresh token (body or cookie) for a new pair.
#[utoipa::path(
    tag = "auth",
    request_body(content = Option<RefreshBody>, description = "Optional when the refresh cookie is sent"),
    responses(
        (status = 200, description = "A new token pair; the old refresh token is spent", body = AuthResponse),
        (status = 400, description = "Invalid input; `details.fields` says which", body = ErrorBody),
        (status = 401, description = "Missing, invalid, expired or reused refresh token", body = ErrorBody),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let presented = refresh_token_from(&req, &body)?
        .ok_or_else(|| ApiError::unauthorized("unauthenticated", "no refresh token was sent"))?;
    let next = state.tokens.successor(&presented);
    let mut db = state.db().await?;
    let tx = db.transaction().await.context("begin")?;
    let rotation = sessions::rotate(
        &tx,
        &tokens::hash_refresh_token(&presented),
        &next.refresh_hash,
        state.tokens.refresh_reuse_grace,
    )
    .await?;
    tx.commit().await.context("commit rotation")?;
    match rotation {
        Rotation::Rotated {
            session_id,
            user_id,
            issued_at,
        } => {
            let (user, _) = users::find_with_hash(&db, user_id)
                .await?
                .context("session without user")?;
            let access_token =
                state
                    .tokens
                    .access_token_at(&user, session_id, issued_at, next.access_jti)?;
            Ok(
                AuthResponse::new(&state, user, access_token, next.refresh_token)
                    .respond(StatusCode::OK, &state),
            )
        }
        Rotation::Reused {
            session_id,
            user_id,
        } => {
            log::warn!("refresh token reused; session {session_id} is revoked");
            state.announce_ended(user_id, vec![session_id]).await;
            Err(ApiError::unauthorized(
                "refresh_token_reused",
                "this refresh token was already used; the session has been ended, sign in again",
            ))
        }
        Rotation::Invalid => Err(ApiError::unauthorized(
            "invalid_refresh_token",
            "the refresh token is invalid, expired or its session has ended",
        )),
    }
}
