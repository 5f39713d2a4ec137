//! `PATCH /users/me {username?, email?}` → the updated account.

use actix_web::{HttpResponse, patch, web};
use serde::Deserialize;
use shared::ApiError;
use shared::error::{ErrorBody, FieldErrors};

use crate::current_user::CurrentUser;
use crate::repository::users::{self, User, WriteUserError};
use crate::state::AppState;
use crate::validation;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateBody {
    email: Option<String>,
    username: Option<String>,
}

/// Changes the caller's email and/or username.
#[utoipa::path(
    tag = "users",
    request_body = UpdateBody,
    responses(
        (status = 200, description = "The updated account", body = User),
        (status = 400, description = "Invalid input; `details.fields` says which", body = ErrorBody),
        (status = 401, description = "Not signed in, or the token is invalid or expired", body = ErrorBody),
        (status = 409, description = "The email or username is taken", body = ErrorBody),
    ),
    security(("bearer_auth" = []), ("cookie_auth" = []))
)]
#[patch("/users/me")]
pub async fn update_me(
    current: CurrentUser,
    state: web::Data<AppState>,
    body: web::Json<UpdateBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    if body.email.is_none() && body.username.is_none() {
        return Err(ApiError::bad_request(
            "nothing_to_update",
            "send at least one of `email` and `username`",
        ));
    }
    let mut errors = FieldErrors::default();
    let email = body
        .email
        .map(|email| {
            validation::normalize_email(&email)
                .map_err(|err| errors.add("email", err))
                .ok()
        })
        .unwrap_or_default();
    let username = body
        .username
        .map(|name| {
            validation::check_username(&name)
                .map_err(|err| errors.add("username", err))
                .ok()
        })
        .unwrap_or_default();
    errors.into_result()?;

    let db = state.db().await?;
    let user = users::update_profile(&db, current.user.id, email.as_deref(), username.as_deref())
        .await
        .map_err(|err| match err {
            WriteUserError::EmailTaken => ApiError::conflict("email_taken", err.to_string()),
            WriteUserError::UsernameTaken => ApiError::conflict("username_taken", err.to_string()),
            WriteUserError::Unexpected(err) => ApiError::internal(err),
        })?
        .ok_or_else(|| ApiError::not_found("the account no longer exists"))?;
    Ok(HttpResponse::Ok().json(user))
}
