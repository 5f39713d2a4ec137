//! Per-request bookkeeping: the `X-Request-Id` (taken from the caller or made), an access log
//! line, request metrics, and the log record of every server error with its cause.

use std::future::{Ready, ready};
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use uuid::Uuid;

pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// Longest caller-supplied id we keep; longer or odd ones are replaced.
const MAX_REQUEST_ID_LEN: usize = 128;

/// The request's id, to log and to pass on to internal calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

impl RequestId {
    /// A fresh id, for work no request started (a match, a session abandoned).
    pub fn generate() -> Self {
        Self(Uuid::new_v4().to_string())
    }
}

impl FromRequest for RequestId {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let id = req
            .extensions()
            .get::<RequestId>()
            .cloned()
            .unwrap_or_else(RequestId::generate);
        ready(Ok(id))
    }
}

fn acceptable(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_REQUEST_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
}

/// Middleware (use with `actix_web::middleware::from_fn`).
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req
        .headers()
        .get(&REQUEST_ID_HEADER)
        .and_then(|value| value.to_str().ok())
        .filter(|value| acceptable(value))
        .map_or_else(|| Uuid::new_v4().to_string(), str::to_owned);
    req.extensions_mut().insert(RequestId(id.clone()));
    let started = Instant::now();
    let method = req.method().to_string();
    let path = req.path().to_owned();

    let mut response = next.call(req).await?;

    let elapsed = started.elapsed();
    let status = response.status();
    let route = response
        .request()
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    metrics::counter!(
        "http_requests_total",
        "method" => method.clone(),
        "route" => route.clone(),
        "status" => status.as_u16().to_string()
    )
    .increment(1);
    metrics::histogram!("http_request_duration_seconds", "method" => method.clone(), "route" => route)
        .record(elapsed.as_secs_f64());

    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    let millis = elapsed.as_secs_f64() * 1000.0;
    if status.is_server_error() {
        let cause = response
            .response()
            .error()
            .map(|err| format!(": {err:?}"))
            .unwrap_or_default();
        log::error!("request_id={id} {method} {path} {status} {millis:.1}ms{cause}");
    } else if path.ends_with("/health") || path.ends_with("/ready") || path.ends_with("/metrics") {
        log::debug!("request_id={id} {method} {path} {status} {millis:.1}ms");
    } else {
        log::info!("request_id={id} {method} {path} {status} {millis:.1}ms");
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caller_ids_are_kept_only_when_tame() {
        assert!(acceptable("3f2a-77_b.c:1"));
        assert!(!acceptable(""));
        assert!(!acceptable("has space"));
        assert!(!acceptable("newline\ninjected"));
        assert!(!acceptable(&"x".repeat(MAX_REQUEST_ID_LEN + 1)));
    }
}
