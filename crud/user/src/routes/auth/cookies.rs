//! The auth cookies browsers get: `HttpOnly; SameSite=Strict`, `Secure` outside local HTTP.

use std::time::Duration;

use actix_web::HttpResponseBuilder;
use actix_web::cookie::{Cookie, SameSite, time};
use shared::auth::{ACCESS_COOKIE, REFRESH_COOKIE};

use crate::routes::PREFIX;
use crate::settings::CookieSettings;

/// The refresh cookie goes only to the auth endpoints that read it.
fn refresh_path() -> String {
    format!("{PREFIX}/auth")
}

fn cookie(
    name: &'static str,
    value: String,
    path: String,
    max_age: Duration,
    settings: &CookieSettings,
) -> Cookie<'static> {
    Cookie::build(name, value)
        .path(path)
        .http_only(true)
        .secure(settings.secure)
        .same_site(SameSite::Strict)
        .max_age(time::Duration::seconds(
            i64::try_from(max_age.as_secs()).unwrap_or(i64::MAX),
        ))
        .finish()
}

pub struct AuthCookies<'a> {
    pub access_token: &'a str,
    pub access_ttl: Duration,
    pub refresh_token: &'a str,
    pub refresh_ttl: Duration,
}

pub fn set(
    response: &mut HttpResponseBuilder,
    tokens: &AuthCookies<'_>,
    settings: &CookieSettings,
) {
    response.cookie(cookie(
        ACCESS_COOKIE,
        tokens.access_token.to_owned(),
        "/".into(),
        tokens.access_ttl,
        settings,
    ));
    response.cookie(cookie(
        REFRESH_COOKIE,
        tokens.refresh_token.to_owned(),
        refresh_path(),
        tokens.refresh_ttl,
        settings,
    ));
}

pub fn clear(response: &mut HttpResponseBuilder, settings: &CookieSettings) {
    response.cookie(cookie(
        ACCESS_COOKIE,
        String::new(),
        "/".into(),
        Duration::ZERO,
        settings,
    ));
    response.cookie(cookie(
        REFRESH_COOKIE,
        String::new(),
        refresh_path(),
        Duration::ZERO,
        settings,
    ));
}
