//! The `Origin`s a browser may open a websocket from (`ALLOWED_ORIGINS`, comma-separated).
//! A request without `Origin` is not from a browser page and is let through; the token still
//! has to be valid.

use shared::ApiError;
use shared::config::EnvReader;

#[derive(Debug, Clone)]
pub struct AllowedOrigins(Vec<String>);

impl AllowedOrigins {
    pub const DEVELOPMENT: &'static [&'static str] = &[
        "http://localhost:8080",
        "http://127.0.0.1:8080",
        "http://localhost:5173",
        "http://127.0.0.1:5173",
    ];

    pub fn from_env(env: &mut EnvReader) -> Self {
        let production = env.environment().is_production();
        let defaults: &[&str] = if production { &[] } else { Self::DEVELOPMENT };
        let origins = env.list("ALLOWED_ORIGINS", defaults);
        if origins.is_empty() && production {
            env.problem("ALLOWED_ORIGINS is required when ENVIRONMENT=production");
        }
        // `*` lets any page open a websocket with a visitor's token; production lists its own.
        if production && origins.iter().any(|origin| origin == "*") {
            env.problem(
                "ALLOWED_ORIGINS=* is refused when ENVIRONMENT=production: list the site's origins",
            );
        }
        Self::new(origins)
    }

    pub fn new(origins: Vec<String>) -> Self {
        Self(
            origins
                .into_iter()
                .map(|origin| origin.trim_end_matches('/').to_owned())
                .collect(),
        )
    }

    /// 403 for a foreign `Origin`.
    pub fn check(&self, req: &actix_web::HttpRequest) -> Result<(), ApiError> {
        let Some(origin) = req.headers().get(actix_web::http::header::ORIGIN) else {
            return Ok(());
        };
        let origin = origin.to_str().unwrap_or_default().trim_end_matches('/');
        if self
            .0
            .iter()
            .any(|allowed| allowed == origin || allowed == "*")
        {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "origin `{origin}` is not allowed"
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    #[test]
    fn only_listed_origins_and_requests_without_one_pass() {
        let origins = AllowedOrigins::new(vec!["https://peerprep.example/".into()]);
        let with = |origin: &str| TestRequest::default().insert_header(("Origin", origin));
        assert!(
            origins
                .check(&with("https://peerprep.example").to_http_request())
                .is_ok()
        );
        assert!(
            origins
                .check(&with("https://evil.example").to_http_request())
                .is_err()
        );
        assert!(
            origins
                .check(&TestRequest::default().to_http_request())
                .is_ok()
        );
    }

    #[test]
    fn production_needs_a_list() {
        let mut env = EnvReader::from_vars([("ENVIRONMENT", "production")]);
        let origins = AllowedOrigins::from_env(&mut env);
        assert!(origins.0.is_empty());
        assert!(env.finish().is_err());
    }

    #[test]
    fn production_refuses_a_wildcard_or_empty_origin_list() {
        for value in ["*", "https://peerprep.example, *", ",", " "] {
            let mut env =
                EnvReader::from_vars([("ENVIRONMENT", "production"), ("ALLOWED_ORIGINS", value)]);
            AllowedOrigins::from_env(&mut env);
            let message = env.finish().expect_err(value).to_string();
            assert!(message.contains("ALLOWED_ORIGINS"), "{value}: {message}");
        }
        let mut env = EnvReader::from_vars([
            ("ENVIRONMENT", "production"),
            ("ALLOWED_ORIGINS", "https://peerprep.example"),
        ]);
        AllowedOrigins::from_env(&mut env);
        assert!(env.finish().is_ok());
        let mut env = EnvReader::from_vars([("ALLOWED_ORIGINS", "*")]);
        AllowedOrigins::from_env(&mut env);
        assert!(env.finish().is_ok(), "development may allow any origin");
    }
}
