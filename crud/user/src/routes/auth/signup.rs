//! `POST /auth/signup {email, username, password}` → 201 with a token pair.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::Deserialize;
use shared::ApiError;
use shared::auth::Role;
use shared::error::{ErrorBody, FieldErrors};

use super::{AuthResponse, start_session};
use crate::repository::users::{self, NewUser, WriteUserError};
use crate::state::AppState;
use crate::validation;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignupBody {
    email: String,
    username: String,
    password: String,
}

/// Creates an account and signs it in.
#[utoipa::path(
    tag = "auth",
    request_body = SignupBody,
    responses(
        (status = 201, description = "Signed up; the tokens are also set as cookies", body = AuthResponse),
        (status = 400, description = "Invalid input; `details.fields` says which", body = ErrorBody),
        (status = 409, description = "The email or username is taken", body = ErrorBody),
    )
)]
#[post("/auth/signup")]
pub async fn signup(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<SignupBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let mut errors = FieldErrors::default();
    let email = validation::normalize_email(&body.email);
    let username = validation::check_username(&body.username);
    errors.check(
        "password",
        validation::check_password(
            &body.password,
            username.as_deref().unwrap_or(&body.username),
            email.as_deref().unwrap_or(&body.email),
        ),
    );
    let email = email.map_err(|err| errors.add("email", err)).ok();
    let username = username.map_err(|err| errors.add("username", err)).ok();
    let (Some(email), Some(username)) = (email, username) else {
        return Err(ApiError::validation(errors));
    };
    errors.into_result()?;

    let password_hash = state.hasher.hash(body.password).await?;
    let mut db = state.db().await?;
    let user = users::insert(
        &db,
        NewUser {
            email: &email,
            username: &username,
            password_hash: &password_hash,
            role: Role::User,
        },
    )
    .await
    .map_err(|err| match err {
        WriteUserError::EmailTaken => ApiError::conflict("email_taken", err.to_string()),
        WriteUserError::UsernameTaken => ApiError::conflict("username_taken", err.to_string()),
        WriteUserError::Unexpected(err) => ApiError::internal(err),
    })?;
    log::info!("user {} signed up", user.id);
    let response: AuthResponse = start_session(&state, &req, &mut db, user).await?;
    Ok(response.respond(StatusCode::CREATED, &state))
}
