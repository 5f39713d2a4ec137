//! Sign-up, log-in, refresh and log-out, and the token pair they hand out.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, http::header};
use anyhow::Context;
use serde::Serialize;
use shared::ApiError;
use utoipa_actix_web::service_config::ServiceConfig;

use self::cookies::AuthCookies;
use crate::rate_limit;
use crate::repository::{sessions, users::User};
use crate::state::AppState;
use crate::tokens;

mod cookies;
mod login;
mod logout;
mod logout_all;
mod refresh;
mod signup;

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(signup::signup)
        .service(login::login)
        .service(refresh::refresh)
        .service(logout::logout)
        .service(logout_all::logout_all);
}

/// What sign-up, log-in and refresh return (the same tokens also go in cookies).
#[derive(Serialize, utoipa::ToSchema)]
pub struct AuthResponse {
    pub user: User,
    /// EdDSA JWT for `Authorization: Bearer`.
    pub access_token: String,
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: u64,
}

impl AuthResponse {
    fn new(state: &AppState, user: User, access_token: String, refresh_token: String) -> Self {
        Self {
            user,
            access_token,
            refresh_token,
            token_type: "Bearer",
            expires_in: state.tokens.access_ttl.as_secs(),
        }
    }

    fn respond(self, status: StatusCode, state: &AppState) -> HttpResponse {
        let mut response = HttpResponse::build(status);
        response.insert_header((header::CACHE_CONTROL, "no-store"));
        cookies::set(
            &mut response,
            &AuthCookies {
                access_token: &self.access_token,
                access_ttl: state.tokens.access_ttl,
                refresh_token: &self.refresh_token,
                refresh_ttl: state.tokens.refresh_ttl,
            },
            &state.cookies,
        );
        response.json(self)
    }
}

/// Starts a new session for `user` and hands out its first token pair.
async fn start_session(
    state: &AppState,
    req: &HttpRequest,
    db: &mut shared::db::Client,
    user: User,
) -> Result<AuthResponse, ApiError> {
    let (refresh_token, refresh_hash) = tokens::new_refresh_token()?;
    let client = client_info(req, state);
    let tx = db.transaction().await.context("begin")?;
    let session_id = sessions::create(
        &tx,
        user.id,
        &refresh_hash,
        state.tokens.refresh_ttl,
        &client,
    )
    .await?;
    tx.commit().await.context("commit session")?;
    let access_token = state.tokens.access_token(&user, session_id)?;
    Ok(AuthResponse::new(state, user, access_token, refresh_token))
}

fn client_info(req: &HttpRequest, state: &AppState) -> sessions::ClientInfo {
    sessions::ClientInfo {
        user_agent: req
            .headers()
            .get(header::USER_AGENT)
            .and_then(|value| value.to_str().ok())
            .map(|agent| agent.chars().take(256).collect()),
        ip: client_address(req, state),
    }
}

fn client_address(req: &HttpRequest, state: &AppState) -> Option<String> {
    rate_limit::client_address(
        req.peer_addr(),
        req.headers()
            .get("x-forwarded-for")
            .and_then(|value| value.to_str().ok()),
        state.login_limits.trusted_proxy_hops,
    )
}

/// A refresh token sent in the body (browsers send the cookie instead).
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshBody {
    refresh_token: Option<String>,
}

/// The refresh token from the body's `refresh_token`, or else from the cookie. The body is
/// optional (browsers send only the cookie), but when present it must be well-formed.
fn refresh_token_from(req: &HttpRequest, body: &[u8]) -> Result<Option<String>, ApiError> {
    if !body.iter().all(u8::is_ascii_whitespace) {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("application/json"));
        if !is_json {
            return Err(shared::error::json_error(
                actix_web::error::JsonPayloadError::ContentType,
            ));
        }
        let parsed: RefreshBody =
            serde_json::from_slice(body).map_err(|err| shared::error::body_error(&err))?;
        if let Some(token) = parsed.refresh_token.filter(|token| !token.is_empty()) {
            return Ok(Some(token));
        }
    }
    Ok(req
        .cookie(shared::auth::REFRESH_COOKIE)
        .map(|cookie| cookie.value().to_owned())
        .filter(|token| !token.is_empty()))
}
