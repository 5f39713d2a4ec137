//! Service-to-service calls: the caller sends the shared internal credential in
//! `X-Service-Token`; no user token is involved.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

use crate::config::EnvReader;
use crate::error::ApiError;

/// Header that carries the internal service credential.
pub const SERVICE_TOKEN_HEADER: &str = "X-Service-Token";

/// Development-only default; production must set `INTERNAL_SERVICE_TOKEN`.
const DEV_SERVICE_TOKEN: &str = "peerprep-dev-internal-token";

/// The credential internal callers must present.
#[derive(Clone)]
pub struct ServiceToken(SecretString);

impl ServiceToken {
    pub fn new(token: SecretString) -> Self {
        Self(token)
    }

    pub fn from_env(env: &mut EnvReader) -> Self {
        Self(env.secret("INTERNAL_SERVICE_TOKEN", DEV_SERVICE_TOKEN))
    }

    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// Compares digests, so the time taken says nothing about where a guess went wrong.
    fn matches(&self, presented: &str) -> bool {
        let expected = Sha256::digest(self.0.expose_secret().as_bytes());
        let presented = Sha256::digest(presented.as_bytes());
        expected
            .iter()
            .zip(presented.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
    }
}

/// A request from another PeerPrep service. The app must hold a `web::Data<ServiceToken>`.
#[derive(Debug, Clone, Copy)]
pub struct ServiceCaller;

impl FromRequest for ServiceCaller {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let Some(expected) = req.app_data::<web::Data<ServiceToken>>() else {
            return ready(Err(ApiError::internal(anyhow::anyhow!(
                "no ServiceToken registered"
            ))));
        };
        let presented = req
            .headers()
            .get(SERVICE_TOKEN_HEADER)
            .and_then(|value| value.to_str().ok());
        ready(match presented {
            Some(token) if expected.matches(token) => Ok(Self),
            Some(_) => Err(ApiError::unauthorized(
                "invalid_service_token",
                "the service credential is not valid",
            )),
            None => Err(ApiError::unauthorized(
                "unauthenticated",
                "this endpoint is for PeerPrep services: send X-Service-Token",
            )),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[actix_web::test]
    async fn only_the_right_token_passes() {
        let token = ServiceToken::new(SecretString::from("s3cret"));
        let request = |value: Option<&str>| {
            let mut req = TestRequest::default().app_data(web::Data::new(token.clone()));
            if let Some(value) = value {
                req = req.insert_header((SERVICE_TOKEN_HEADER, value));
            }
            req.to_http_request()
        };
        assert!(
            ServiceCaller::extract(&request(Some("s3cret")))
                .await
                .is_ok()
        );
        let wrong = ServiceCaller::extract(&request(Some("s3cre")))
            .await
            .expect_err("wrong");
        assert_eq!(wrong.code(), "invalid_service_token");
        let missing = ServiceCaller::extract(&request(None))
            .await
            .expect_err("missing");
        assert_eq!(missing.code(), "unauthenticated");
    }
}
