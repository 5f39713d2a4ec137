//! `POST /auth/signup {email, username, password}` → 201 with a token pair.
//!
//! The password is hashed last, after everything cheap: validation, the per-address limit
//! (counted before anything else, so a burst from one address is cut at the limit), and
//! whether the email or username is taken. That last answer (409) was always given, after
//! hashing; giving it before hashing tells nobody anything new, and the per-address limit
//! now bounds how fast anyone can ask. Log-in, by contrast, never says whether an email
//! exists.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::Deserialize;
use shared::ApiError;
use shared::auth::Role;
use shared::error::{ErrorBody, FieldErrors};

use super::{AuthResponse, client_address, start_session};
use crate::rate_limit::{self, Subject};
use crate::repository::login_failures;
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
        (status = 429, description = "Too many sign-ups from this address; see `Retry-After`", body = ErrorBody),
        (status = 503, description = "Too many sign-ups at once; see `Retry-After`", body = ErrorBody),
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

    let db = state.db().await?;
    let attempt = match client_address(&req, &state) {
        Some(ip) => count_signup(&state, &db, Subject::Signup { ip }).await?,
        None => Vec::new(),
    };
    if let Some(taken) = users::taken(&db, &email, &username).await? {
        return Err(conflict(taken));
    }
    // No connection is held while waiting for a hashing slot.
    drop(db);
    let hashed = state.hasher.hash(body.password).await;
    let mut db = state.db().await?;
    let password_hash = match hashed {
        Ok(hash) => hash,
        Err(err) => {
            // Refused before any work: it does not count against the address.
            login_failures::forget(&db, &attempt).await?;
            return Err(err.into());
        }
    };
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
    .map_err(conflict)?;
    log::info!("user {} signed up", user.id);
    let response: AuthResponse = start_session(&state, &req, &mut db, user).await?;
    Ok(response.respond(StatusCode::CREATED, &state))
}

fn conflict(err: WriteUserError) -> ApiError {
    match err {
        WriteUserError::EmailTaken => ApiError::conflict("email_taken", err.to_string()),
        WriteUserError::UsernameTaken => ApiError::conflict("username_taken", err.to_string()),
        WriteUserError::Unexpected(err) => ApiError::internal(err),
    }
}

/// Counts this sign-up against its address (before checking, so that a burst sent at once
/// counts itself), or refuses it with 429; the recorded attempt's ids.
async fn count_signup(
    state: &AppState,
    db: &shared::db::Client,
    subject: Subject,
) -> Result<Vec<i64>, ApiError> {
    let limits = &state.signup_limits;
    let key = subject.key();
    let attempt = login_failures::record(db, &[&key], limits.window).await?;
    let (attempts, oldest) = login_failures::recent(db, &key, limits.window).await?;
    let earlier = attempts.saturating_sub(1);
    let wait = rate_limit::retry_after(
        earlier,
        oldest,
        limits.max_per_address,
        limits.window,
        chrono::Utc::now(),
    );
    if let Some(wait) = wait {
        login_failures::forget(db, &attempt).await?;
        log::warn!("sign-up refused for {subject}: {earlier} recent sign-ups");
        return Err(ApiError::too_many_requests(
            "too many sign-ups from this address; try again later",
            wait,
        ));
    }
    Ok(attempt)
}
