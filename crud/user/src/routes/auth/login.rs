//! `POST /auth/login {email, password}` → 200 with a token pair.
//!
//! A malformed or over-long email is a 400 before anything else (every stored email passed
//! the same check, so it cannot belong to an account). Failures are then counted per
//! account, per client address, and per account from that address; past a limit the answer
//! is 429 with `Retry-After` until the oldest failure leaves the window. An unknown email and
//! a wrong password get the same answer, after the same amount of hashing.
//!
//! The per-account limit stops guessing spread over many addresses, but someone guessing
//! without end must not keep the owner out: from an address the account has signed in from
//! before, only that address's own failures for the account count (the same limit), so the
//! owner at home gets in while a stranger elsewhere keeps the account limited.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};
use chrono::Utc;
use serde::Deserialize;
use shared::ApiError;
use shared::error::{ErrorBody, FieldErrors};

use super::{AuthResponse, client_address, start_session};
use crate::rate_limit::{self, Subject};
use crate::repository::{login_failures, sessions, users};
use crate::state::AppState;
use crate::validation::{self, MAX_PASSWORD_CHARS};

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
        (status = 400, description = "Invalid input (e.g. not an email address); `details.fields` says which", body = ErrorBody),
        (status = 401, description = "The email or password is incorrect", body = ErrorBody),
        (status = 429, description = "Too many failed log-ins; see `Retry-After`", body = ErrorBody),
        (status = 503, description = "Too many log-ins at once; see `Retry-After`", body = ErrorBody),
    )
)]
#[post("/auth/login")]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<LoginBody>,
) -> Result<HttpResponse, ApiError> {
    let LoginBody { email, password } = body.into_inner();
    let email = validation::normalize_email(&email).map_err(|err| {
        let mut fields = FieldErrors::default();
        fields.add("email", err);
        ApiError::validation(fields)
    })?;
    let limits = &state.login_limits;
    let ip = client_address(&req, &state);
    let mut subjects = vec![(
        Subject::Account {
            email: email.clone(),
        },
        limits.max_failures_per_account,
    )];
    if let Some(ip) = &ip {
        subjects.push((
            Subject::Address { ip: ip.clone() },
            limits.max_failures_per_address,
        ));
        subjects.push((
            Subject::AccountAtAddress {
                email: email.clone(),
                ip: ip.clone(),
            },
            limits.max_failures_per_account,
        ));
    }
    let keys: Vec<String> = subjects.iter().map(|(subject, _)| subject.key()).collect();
    let key_refs: Vec<&str> = keys.iter().map(String::as_str).collect();

    let db = state.db().await?;
    // The attempt counts before the password is checked: attempts racing in parallel see
    // each other, so the limit holds however many arrive at once.
    let attempt = login_failures::record(&db, &key_refs, limits.window).await?;
    let now = Utc::now();
    let mut waits = Vec::with_capacity(subjects.len());
    for ((_, limit), key) in subjects.iter().zip(&keys) {
        let (attempts, oldest) = login_failures::recent(&db, key, limits.window).await?;
        let earlier_failures = attempts.saturating_sub(1);
        waits.push((
            earlier_failures,
            rate_limit::retry_after(earlier_failures, oldest, *limit, limits.window, now),
        ));
    }
    let account_limited = waits[0].1.is_some();
    let others_limited = waits[1..].iter().any(|(_, wait)| wait.is_some());
    let owners_address = match &ip {
        Some(ip) if account_limited && !others_limited => {
            sessions::signed_in_from(&db, &email, ip).await?
        }
        _ => false,
    };
    let refused = waits
        .iter()
        .zip(&subjects)
        .enumerate()
        .find(|(index, ((_, wait), _))| wait.is_some() && !(*index == 0 && owners_address));
    if let Some((_, ((failures, wait), (subject, _)))) = refused {
        login_failures::forget(&db, &attempt).await?;
        log::warn!("log-in refused for {subject}: {failures} recent failures");
        return Err(ApiError::too_many_requests(
            "too many failed log-ins; try again later",
            wait.unwrap_or(1),
        ));
    }

    let found = users::find_with_hash_by_email(&db, &email).await?;
    // No connection is held while waiting for a hashing slot.
    drop(db);
    let (user, hash) = found.map_or((None, None), |(user, hash)| (Some(user), Some(hash)));
    // Over-long passwords cannot match (none is stored) and are not worth hashing.
    let verified = if password.chars().count() <= MAX_PASSWORD_CHARS {
        state.hasher.verify(password, hash).await
    } else {
        Ok(false)
    };
    let mut db = state.db().await?;
    let matches = match verified {
        Ok(matches) => matches,
        Err(err) => {
            // Not checked, so not a failure.
            login_failures::forget(&db, &attempt).await?;
            return Err(err.into());
        }
    };
    let Some(user) = user.filter(|_| matches) else {
        // The recorded attempt stays: it is this failure.
        return Err(ApiError::unauthorized(
            "invalid_credentials",
            "the email or password is incorrect",
        ));
    };
    login_failures::forget(&db, &attempt).await?;
    // The failures were the owner's own typos, unless the account was limited: then they
    // may be someone else's guesses, and keep counting for everyone but this address.
    for ((subject, _), key) in subjects.iter().zip(&keys) {
        let clear = match subject {
            Subject::Account { .. } => !account_limited,
            Subject::AccountAtAddress { .. } => true,
            Subject::Address { .. } | Subject::Signup { .. } => false,
        };
        if clear {
            login_failures::clear(&db, key).await?;
        }
    }
    let response = start_session(&state, &req, &mut db, user).await?;
    Ok(response.respond(StatusCode::OK, &state))
}
