//! `POST /users/me/password {current_password, new_password}` → 204. Every other session of
//! the account ends; the one that made the change stays signed in.

use actix_web::{HttpResponse, post, web};
use anyhow::Context;
use serde::Deserialize;
use shared::ApiError;
use shared::error::{ErrorBody, FieldErrors};

use crate::current_user::CurrentUser;
use crate::repository::sessions::{self, RevokeReason};
use crate::repository::users;
use crate::state::AppState;
use crate::validation::{self, MAX_PASSWORD_CHARS};

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordBody {
    current_password: String,
    new_password: String,
}

/// Changes the caller's password and ends their other sessions.
#[utoipa::path(
    tag = "users",
    request_body = ChangePasswordBody,
    responses(
        (status = 204, description = "Changed; other sessions have ended"),
        (status = 400, description = "Invalid input; `details.fields` says which", body = ErrorBody),
        (status = 401, description = "Not signed in, or the token is invalid or expired", body = ErrorBody),
        (status = 403, description = "The current password is incorrect", body = ErrorBody),
    ),
    security(("bearer_auth" = []), ("cookie_auth" = []))
)]
#[post("/users/me/password")]
pub async fn change_password(
    current: CurrentUser,
    state: web::Data<AppState>,
    body: web::Json<ChangePasswordBody>,
) -> Result<HttpResponse, ApiError> {
    let ChangePasswordBody {
        current_password,
        new_password,
    } = body.into_inner();
    let user = &current.user;
    let mut errors = FieldErrors::default();
    errors.check(
        "new_password",
        validation::check_password(&new_password, &user.username, &user.email),
    );
    if new_password == current_password {
        errors.add("new_password", "must differ from the current password");
    }
    errors.into_result()?;

    let db = state.db().await?;
    let (_, stored_hash) = users::find_with_hash(&db, user.id)
        .await?
        .ok_or_else(|| ApiError::not_found("the account no longer exists"))?;
    // No connection is held while waiting for a hashing slot.
    drop(db);
    let matches = current_password.chars().count() <= MAX_PASSWORD_CHARS
        && state
            .hasher
            .verify(current_password, Some(stored_hash))
            .await?;
    if !matches {
        return Err(ApiError::new(
            actix_web::http::StatusCode::FORBIDDEN,
            "invalid_credentials",
            "the current password is incorrect",
        ));
    }
    let new_hash = state.hasher.hash(new_password).await?;
    let mut db = state.db().await?;
    let tx = db.transaction().await.context("begin")?;
    users::set_password_hash(&tx, user.id, &new_hash).await?;
    let ended = sessions::revoke_all_except(
        &tx,
        user.id,
        current.session_id,
        RevokeReason::PasswordChanged,
    )
    .await?;
    tx.commit().await.context("commit password change")?;
    log::info!(
        "user {} changed password; {} other sessions ended",
        user.id,
        ended.len()
    );
    state.announce_ended(user.id, ended).await;
    Ok(HttpResponse::NoContent().finish())
}
