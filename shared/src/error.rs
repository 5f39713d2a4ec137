//! The one error type every endpoint returns, and its JSON body:
//! `{"error": {"code": "not_found", "message": "...", "details": {...}}}`.
//!
//! Codes are stable snake_case strings that clients may branch on. A 4xx message says what
//! the caller did wrong; a 5xx body is always the fixed `internal` code, and the cause chain
//! goes only to the log (and Sentry), written by the request-id middleware.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError, error, web};
use serde::Serialize;
use serde_json::{Value, json};

/// Largest JSON body any endpoint accepts, unless a service says otherwise.
pub const DEFAULT_JSON_LIMIT: usize = 64 * 1024;

pub struct ApiError {
    status: StatusCode,
    code: Cow<'static, str>,
    message: Cow<'static, str>,
    details: Option<Value>,
    /// Headers the response carries (`Retry-After`, a 405's `Allow`).
    headers: Vec<(header::HeaderName, HeaderValue)>,
    /// Kept for the log; never serialized.
    source: Option<anyhow::Error>,
}

impl ApiError {
    pub fn new(
        status: StatusCode,
        code: impl Into<Cow<'static, str>>,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self {
            status,
            code: code.into(),
            message: message.into(),
            details: None,
            headers: Vec::new(),
            source: None,
        }
    }

    pub fn with_details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }

    pub fn bad_request(
        code: impl Into<Cow<'static, str>>,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 400 with one message list per invalid field.
    pub fn validation(fields: FieldErrors) -> Self {
        Self::bad_request("validation_failed", "some fields are invalid")
            .with_details(json!({ "fields": fields.0 }))
    }

    pub fn unauthorized(
        code: impl Into<Cow<'static, str>>,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, code, message)
    }

    pub fn forbidden(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn not_found(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn conflict(
        code: impl Into<Cow<'static, str>>,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self::new(StatusCode::CONFLICT, code, message)
    }

    /// 429 with a `Retry-After` header.
    pub fn too_many_requests(message: impl Into<Cow<'static, str>>, retry_after_secs: u64) -> Self {
        Self::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", message)
            .with_details(json!({ "retry_after_secs": retry_after_secs }))
            .with_retry_after(retry_after_secs)
    }

    /// 405: the path exists, the method does not; see [`Self::with_allow`].
    pub fn method_not_allowed(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            message,
        )
    }

    /// The `Allow` header: the methods the path answers, e.g. `GET, PUT`.
    pub fn with_allow(mut self, methods: String) -> Self {
        if let Ok(value) = HeaderValue::from_str(&methods) {
            self.headers.push((header::ALLOW, value));
        }
        self
    }

    pub fn unavailable(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message)
    }

    /// Adds a `Retry-After` header (e.g. to a 503 for work refused while the service is busy).
    pub fn with_retry_after(mut self, secs: u64) -> Self {
        self.headers
            .push((header::RETRY_AFTER, HeaderValue::from(secs.max(1))));
        self
    }

    /// A failure that is not the caller's fault: 500 `internal`, cause logged only. The one
    /// exception is text PostgreSQL cannot store (a NUL character): that is the caller's
    /// input, and gets a 400.
    pub fn internal(source: anyhow::Error) -> Self {
        let unstorable_text = source
            .chain()
            .filter_map(|cause| cause.downcast_ref::<tokio_postgres::Error>())
            .filter_map(tokio_postgres::Error::code)
            .any(|code| {
                *code == tokio_postgres::error::SqlState::CHARACTER_NOT_IN_REPERTOIRE
                    || *code == tokio_postgres::error::SqlState::UNTRANSLATABLE_CHARACTER
            });
        if unstorable_text {
            return Self::bad_request("invalid_text", "text must not contain NUL characters");
        }
        let mut err = Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal server error",
        );
        err.source = Some(source);
        err
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn code(&self) -> &str {
        &self.code
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(source: anyhow::Error) -> Self {
        Self::internal(source)
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status.as_u16(),
            self.code,
            self.message
        )?;
        if let Some(source) = &self.source {
            write!(f, ": {source:?}")?;
        }
        Ok(())
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

/// The body of every error response.
#[derive(Debug, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable snake_case code, e.g. `validation_failed`, `not_found`.
    pub code: String,
    /// What went wrong, for people.
    pub message: String,
    /// More about the error, e.g. `{"fields": {"email": ["is not an email address"]}}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub details: Option<Value>,
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        for header in &self.headers {
            response.insert_header(header.clone());
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response.insert_header((
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"peerprep\""),
            ));
        }
        response.json(ErrorBody {
            error: ErrorDetail {
                code: self.code.to_string(),
                message: self.message.to_string(),
                details: self.details.clone(),
            },
        })
    }
}

/// Messages per field, for [`ApiError::validation`].
#[derive(Debug, Default)]
pub struct FieldErrors(BTreeMap<String, Vec<String>>);

impl FieldErrors {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0
            .entry(field.to_owned())
            .or_default()
            .push(message.into());
    }

    /// Records the error of a field check, if any.
    pub fn check(&mut self, field: &str, result: Result<(), String>) {
        if let Err(message) = result {
            self.add(field, message);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok` when no field failed, else the 400 that lists them.
    pub fn into_result(self) -> Result<(), ApiError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(self))
        }
    }
}

/// JSON bodies: malformed, mistyped or oversized input gets a clear 4xx in our format.
pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(DEFAULT_JSON_LIMIT)
        .error_handler(|err, _req| json_error(err).into())
}

/// Maps a JSON extraction failure to the error a caller can act on.
pub fn json_error(err: error::JsonPayloadError) -> ApiError {
    use error::JsonPayloadError as E;
    match err {
        E::ContentType => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "expected a JSON body with Content-Type: application/json",
        ),
        E::Overflow { limit } | E::OverflowKnownLength { limit, .. } => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("the body is larger than {limit} bytes"),
        ),
        E::Deserialize(err) => body_error(&err),
        other => ApiError::bad_request("invalid_body", format!("could not read the body: {other}")),
    }
}

/// A serde_json failure on a body: syntax errors and shape errors get distinct codes.
pub fn body_error(err: &serde_json::Error) -> ApiError {
    if err.is_data() {
        ApiError::bad_request("invalid_body", format!("invalid body: {err}"))
    } else {
        ApiError::bad_request(
            "malformed_json",
            format!("the body is not valid JSON: {err}"),
        )
    }
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _req| {
        ApiError::bad_request("invalid_query", format!("invalid query string: {err}")).into()
    })
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err, _req| {
        ApiError::bad_request("invalid_path", format!("invalid path: {err}")).into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::to_bytes;

    async fn body_of(err: ApiError) -> Value {
        let response = err.error_response();
        let bytes = to_bytes(response.into_body()).await.expect("body");
        serde_json::from_slice(&bytes).expect("json body")
    }

    #[actix_web::test]
    async fn internal_errors_never_show_their_cause() {
        let err = ApiError::internal(anyhow::anyhow!("password=hunter2 connection refused"));
        assert_eq!(err.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = body_of(err).await;
        assert_eq!(body["error"]["code"], "internal");
        assert!(!body.to_string().contains("hunter2"));
    }

    #[actix_web::test]
    async fn validation_errors_list_each_field() {
        let mut fields = FieldErrors::default();
        fields.add("email", "is not an email address");
        fields.check("password", Err("is too short".into()));
        fields.check("username", Ok(()));
        let body = body_of(ApiError::validation(fields)).await;
        assert_eq!(body["error"]["code"], "validation_failed");
        assert_eq!(
            body["error"]["details"]["fields"]["email"][0],
            "is not an email address"
        );
        assert!(body["error"]["details"]["fields"].get("username").is_none());
    }

    #[test]
    fn rate_limit_errors_carry_retry_after() {
        let response = ApiError::too_many_requests("slow down", 42).error_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(
            response
                .headers()
                .get(header::RETRY_AFTER)
                .map(|v| v.as_bytes()),
            Some(&b"42"[..])
        );
    }

    #[test]
    fn any_error_can_carry_retry_after() {
        let response = ApiError::unavailable("busy")
            .with_retry_after(3)
            .error_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            response
                .headers()
                .get(header::RETRY_AFTER)
                .map(|v| v.as_bytes()),
            Some(&b"3"[..])
        );
    }

    #[test]
    fn syntax_and_shape_errors_get_distinct_codes() {
        let syntax = serde_json::from_str::<Value>("{").expect_err("syntax");
        assert_eq!(body_error(&syntax).code(), "malformed_json");
        let shape = serde_json::from_str::<u8>("\"x\"").expect_err("shape");
        assert_eq!(body_error(&shape).code(), "invalid_body");
    }
}
