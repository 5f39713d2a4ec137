//! Actix extractors for the caller: [`AuthUser`] for any signed-in user, [`Admin`] for admins.
//!
//! The token comes from `Authorization: Bearer …` (API clients) or, failing that, from the
//! access cookie (browsers). The app must hold a `web::Data<JwtVerifier>`.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use uuid::Uuid;

use super::claims::{AccessClaims, Role};
use super::verifier::{JwtVerifier, TokenError};
use crate::error::ApiError;

/// Cookie holding the access token for browsers (`HttpOnly; SameSite=Strict`).
pub const ACCESS_COOKIE: &str = "peerprep_access";
/// Cookie holding the refresh token, scoped to the user service's auth paths.
pub const REFRESH_COOKIE: &str = "peerprep_refresh";

/// The verified caller.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: Uuid,
    pub username: String,
    pub role: Role,
    pub session_id: Uuid,
    pub claims: AccessClaims,
}

impl AuthUser {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// 403 unless the caller has `role`.
    pub fn require_role(&self, role: Role) -> Result<(), ApiError> {
        if self.role == role {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!("this needs the {role} role")))
        }
    }

    pub fn from_request_sync(req: &HttpRequest) -> Result<Self, ApiError> {
        let verifier = req.app_data::<web::Data<JwtVerifier>>().ok_or_else(|| {
            ApiError::internal(anyhow::anyhow!("no JwtVerifier registered in app data"))
        })?;
        let token = bearer_or_cookie_token(req)?.ok_or_else(|| {
            ApiError::unauthorized("unauthenticated", "sign in: no access token was sent")
        })?;
        let claims = verifier.verify(&token).map_err(|err| match err {
            TokenError::Expired => {
                ApiError::unauthorized("token_expired", "the access token has expired")
            }
            TokenError::Invalid(_) => {
                ApiError::unauthorized("invalid_token", "the access token is invalid")
            }
            TokenError::SessionEnded => ApiError::unauthorized(
                "session_ended",
                "this session has ended (signed out or changed elsewhere): sign in again",
            ),
        })?;
        Ok(Self {
            id: claims.sub,
            username: claims.username.clone(),
            role: claims.role,
            session_id: claims.sid,
            claims,
        })
    }
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Self::from_request_sync(req))
    }
}

/// A caller whose token carries the admin role; others get 403.
#[derive(Debug, Clone)]
pub struct Admin(pub AuthUser);

impl FromRequest for Admin {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(AuthUser::from_request_sync(req).and_then(|user| {
            user.require_role(Role::Admin)?;
            Ok(Self(user))
        }))
    }
}

/// The access token sent with the request: the bearer header wins over the cookie.
/// A malformed `Authorization` header is an error rather than silently ignored.
pub fn bearer_or_cookie_token(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    if let Some(value) = req.headers().get(header::AUTHORIZATION) {
        let value = value.to_str().unwrap_or_default();
        let token = value
            .split_once(' ')
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim())
            .filter(|token| !token.is_empty())
            .ok_or_else(|| {
                ApiError::unauthorized(
                    "invalid_token",
                    "the Authorization header must be `Bearer <access token>`",
                )
            })?;
        return Ok(Some(token.to_owned()));
    }
    Ok(req
        .cookie(ACCESS_COOKIE)
        .map(|cookie| cookie.value().to_owned())
        .filter(|token| !token.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{ACCESS_TOKEN_TYPE, SigningKey};
    use actix_web::cookie::Cookie;
    use actix_web::test::TestRequest;

    fn token(key: &SigningKey, role: Role) -> String {
        let now = jsonwebtoken::get_current_timestamp() as i64;
        key.sign(&AccessClaims {
            iss: "iss".into(),
            aud: "aud".into(),
            sub: Uuid::new_v4(),
            iat: now,
            nbf: now,
            exp: now + 60,
            jti: Uuid::new_v4(),
            sid: Uuid::new_v4(),
            typ: ACCESS_TOKEN_TYPE.into(),
            role,
            username: "ada".into(),
        })
        .expect("sign")
    }

    fn request(key: &SigningKey) -> TestRequest {
        let verifier = JwtVerifier::for_signing_key(key, "iss", "aud").expect("verifier");
        TestRequest::default().app_data(web::Data::new(verifier))
    }

    #[actix_web::test]
    async fn the_admin_guard_lets_admins_through_and_refuses_users_with_403() {
        let key = SigningKey::generate().expect("key");
        let admin = request(&key)
            .insert_header((
                header::AUTHORIZATION,
                format!("Bearer {}", token(&key, Role::Admin)),
            ))
            .to_http_request();
        assert!(Admin::extract(&admin).await.is_ok());

        let user = request(&key)
            .insert_header((
                header::AUTHORIZATION,
                format!("Bearer {}", token(&key, Role::User)),
            ))
            .to_http_request();
        let err = Admin::extract(&user).await.expect_err("not an admin");
        assert_eq!(err.status(), actix_web::http::StatusCode::FORBIDDEN);
    }

    #[actix_web::test]
    async fn the_cookie_is_used_when_there_is_no_header_and_nothing_is_401() {
        let key = SigningKey::generate().expect("key");
        let with_cookie = request(&key)
            .cookie(Cookie::new(ACCESS_COOKIE, token(&key, Role::User)))
            .to_http_request();
        let user = AuthUser::extract(&with_cookie).await.expect("cookie works");
        assert_eq!(user.username, "ada");

        let bare = request(&key).to_http_request();
        let err = AuthUser::extract(&bare).await.expect_err("no token");
        assert_eq!(err.status(), actix_web::http::StatusCode::UNAUTHORIZED);
        assert_eq!(err.code(), "unauthenticated");
    }
}
