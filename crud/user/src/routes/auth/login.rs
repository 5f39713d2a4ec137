//! `POST /auth/login {email, password}` → 200 with a token pair.
//!
//! Failures are counted per account and per client address; past either limit the answer is
//! 429 with `Retry-After` until the oldest failure leaves the window. An unknown email and a
//! wrong password get the same answer, after the same amount of hashing.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};
use chrono::Utc;
use serde::Deserialize;
use shared::ApiError;
use shared::error::ErrorBody;

use super::{AuthResponse, client_address, start_session};
use crate::rate_limit;
use crate::repository::{login_failures, users};
use crate::state::AppState;
use crate::validation::MAX_PASSWORD_CHARS;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    email: String,
    password: String,
}

/// Signs in with email and password.
#[utoipa::path(
    tag = "auth",
    request_body = LoginBody,
    responses(
        (status = 200, description = "Signed in; the tokens are also set as cookies", body = AuthResponse),
        (status = 400, description = "Invalid input; `details.fields` says which", body = ErrorBody),
        (status = 401, description = "The email or password is incorrect", body = ErrorBody),
        (status = 429, description = "Too many failed log-ins; see `Retry-After`", body = ErrorBody),
    )
)]
#[post("/auth/login")]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<LoginBody>,
) -> Result<HttpResponse, ApiError> {
    let LoginBody { email, password } = body.into_inner();
    let email = email.trim().to_lowercase();
    let limits = &state.login_limits;
    let account_subject = format!("account:{email}");
    let address_subject = client_address(&req, &state).map(|ip| format!("address:{ip}"));

    let mut db = state.db().await?;
    let mut checks = vec![(account_subject.as_str(), limits.max_failures_per_account)];
    if let Some(subject) = &address_subject {
        checks.push((subject.as_str(), limits.max_failures_per_address));
    }
    // The attempt counts before the password is checked: attempts racing in parallel see
    // each other, so the limit holds however many arrive at once.
    let subjects: Vec<&str> = checks.iter().map(|(subject, _)| *subject).collect();
    let attempt = login_failures::record(&db, &subjects, limits.window).await?;
    for (subject, limit) in &checks {
        let (attempts, oldest) = login_failures::recent(&db, subject, limits.window).await?;
        let earlier_failures = attempts.saturating_sub(1);
        if let Some(wait) =
            rate_limit::retry_after(earlier_failures, oldest, *limit, limits.window, Utc::now())
        {
            login_failures::forget(&db, &attempt).await?;
            log::warn!("log-in refused for {subject}: {earlier_failures} recent failures");
            return Err(ApiError::too_many_requests(
                "too many failed log-ins; try again later",
                wait,
            ));
        }
    }

    let found = users::find_with_hash_by_email(&db, &email).await?;
    let (user, hash) = found.map_or((None, None), |(user, hash)| (Some(user), Some(hash)));
    // Over-long passwords cannot match (none is stored) and are not worth hashing.
    let matches = password.chars().count() <= MAX_PASSWORD_CHARS
        && state.hasher.verify(password, hash).await?;
    let Some(user) = user.filter(|_| matches) else {
        // The recorded attempt stays: it is this failure.
        return Err(ApiError::unauthorized(
            "invalid_credentials",
            "the email or password is incorrect",
        ));
    };
    login_failures::forget(&db, &attempt).await?;
    login_failures::clear(&db, &account_subject).await?;
    let response = start_session(&state, &req, &mut db, user).await?;
    Ok(response.respond(StatusCode::OK, &state))
}
