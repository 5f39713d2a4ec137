//! The one way a PeerPrep service calls another: a base URL, the service credential
//! (`X-Service-Token`), a timeout per try, the caller's `X-Request-Id` passed on (so one id
//! follows a user's action through every service's log), and retries with exponential
//! backoff and jitter (`backon`) for answers worth waiting for: a network error, a timeout,
//! a 5xx. A 4xx is the other service's verdict and is returned at once.
//!
//! Only idempotent calls are retried (every internal endpoint is: a look-up, or a write keyed
//! by what it writes). The HTTP client is one pooled `awc` client per thread (awc clients
//! cannot cross threads; an actix worker or actor thread reuses its own).

use std::time::Duration;

use actix_web::http::header::CONTENT_TYPE;
use actix_web::web::Bytes;
use backon::{ExponentialBuilder, Retryable};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::auth::{SERVICE_TOKEN_HEADER, ServiceToken};
use crate::config::EnvReader;
use crate::request_id::{REQUEST_ID_HEADER, RequestId};

/// Largest answer read from another service (a recorded attempt carries up to 524,288
/// characters of code).
const MAX_ANSWER_BYTES: usize = 8 * 1024 * 1024;

thread_local! {
    static HTTP: awc::Client = awc::Client::builder().disable_redirects().finish();
}

/// How often to try, and how long to wait between tries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// Tries in all (1: no retry).
    pub tries: usize,
    /// The first pause; each next one doubles, up to `max_pause`, with jitter.
    pub first_pause: Duration,
    pub max_pause: Duration,
}

impl Retry {
    pub const NONE: Self = Self {
        tries: 1,
        first_pause: Duration::ZERO,
        max_pause: Duration::ZERO,
    };

    /// Three tries within about half a second: a restarting service or a dropped
    /// connection, not an outage.
    pub const BRIEF: Self = Self {
        tries: 3,
        first_pause: Duration::from_millis(100),
        max_pause: Duration::from_millis(400),
    };
}

/// Where a service is and how to call it.
#[derive(Debug, Clone)]
pub struct ClientSettings {
    /// `http://history:8000`, without a trailing slash.
    pub base_url: String,
    /// How long one try may take.
    pub timeout: Duration,
    pub retry: Retry,
}

/// How long one try may take unless a service says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

impl ClientSettings {
    /// The service at `variable` (or `default_url`), [`DEFAULT_TIMEOUT`] per try, and
    /// [`Retry::BRIEF`].
    pub fn from_env(env: &EnvReader, variable: &str, default_url: &str) -> Self {
        Self {
            base_url: env
                .string(variable, default_url)
                .trim_end_matches('/')
                .to_owned(),
            timeout: DEFAULT_TIMEOUT,
            retry: Retry::BRIEF,
        }
    }

    pub fn with_retry(mut self, retry: Retry) -> Self {
        self.retry = retry;
        self
    }
}

/// Why a call gave nothing usable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    /// The service answered with a 4xx: its verdict on this request (`code` is the error
    /// code of its JSON error body, or "").
    #[error("refused with {status} {code}")]
    Refused { status: u16, code: String },
    /// No answer worth acting on after every try: unreachable, too slow, a 5xx, or an
    /// answer that could not be read.
    #[error("unavailable: {0}")]
    Unavailable(String),
}

impl CallError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::Refused { status: 404, .. })
    }
}

/// One try's failure, and whether another try could go better.
struct Failure {
    error: CallError,
    retryable: bool,
}

/// A client for one other service.
#[derive(Clone)]
pub struct InternalClient {
    settings: ClientSettings,
    token: ServiceToken,
}

impl InternalClient {
    pub fn new(mut settings: ClientSettings, token: ServiceToken) -> Self {
        settings.base_url = settings.base_url.trim_end_matches('/').to_owned();
        Self { settings, token }
    }

    pub fn base_url(&self) -> &str {
        &self.settings.base_url
    }

    /// `GET <base><path>?<query>`, its JSON answer.
    pub async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
        request_id: &RequestId,
    ) -> Result<T, CallError> {
        self.call(Method::Get { query }, path, request_id).await
    }

    /// `POST <base><path>` with a JSON body (or none), its JSON answer.
    pub async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: Option<&B>,
        request_id: &RequestId,
    ) -> Result<T, CallError> {
        let body = match body {
            Some(body) => Some(Bytes::from(serde_json::to_vec(body).map_err(|err| {
                CallError::Unavailable(format!("the request could not be encoded: {err}"))
            })?)),
            None => None,
        };
        self.call(Method::Post { body }, path, request_id).await
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: Method<'_>,
        path: &str,
        request_id: &RequestId,
    ) -> Result<T, CallError> {
        let url = format!("{}{path}", self.settings.base_url);
        let retry = self.settings.retry;
        let backoff = ExponentialBuilder::default()
            .with_min_delay(retry.first_pause)
            .with_max_delay(retry.max_pause)
            .with_max_times(retry.tries.saturating_sub(1))
            .with_jitter();
        (|| self.once(&method, &url, request_id))
            .retry(backoff)
            .when(|failure| failure.retryable)
            .notify(|failure, pause| {
                log::debug!(
                    "request_id={} {url}: {}; trying again in {pause:?}",
                    request_id.0,
                    failure.error
                );
            })
            .await
            .map_err(|failure| failure.error)
    }

    async fn once<T: DeserializeOwned>(
        &self,
        method: &Method<'_>,
        url: &str,
        request_id: &RequestId,
    ) -> Result<T, Failure> {
        let http = HTTP.with(Clone::clone);
        let request = match method {
            Method::Get { .. } => http.get(url),
            Method::Post { .. } => http.post(url),
        }
        .timeout(self.settings.timeout)
        .insert_header((SERVICE_TOKEN_HEADER, self.token.expose()))
        .insert_header((REQUEST_ID_HEADER, request_id.0.as_str()));
        let sent = match method {
            Method::Get { query } if !query.is_empty() => request
                .query(query)
                .map_err(|err| Failure {
                    error: CallError::Unavailable(format!("bad query: {err}")),
                    retryable: false,
                })?
                .send(),
            Method::Get { .. } | Method::Post { body: None } => request.send(),
            Method::Post { body: Some(body) } => request
                .insert_header((CONTENT_TYPE, "application/json"))
                .send_body(body.clone()),
        };
        let mut response = sent.await.map_err(|err| Failure {
            error: CallError::Unavailable(err.to_string()),
            retryable: true,
        })?;
        let status = response.status();
        let body = response
            .body()
            .limit(MAX_ANSWER_BYTES)
            .await
            .map_err(|err| Failure {
                error: CallError::Unavailable(format!("the answer could not be read: {err}")),
                retryable: true,
            })?;
        if status.is_server_error() {
            return Err(Failure {
                error: CallError::Unavailable(format!("status {status}")),
                retryable: true,
            });
        }
        if !status.is_success() {
            let code = serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .and_then(|value| value["error"]["code"].as_str().map(str::to_owned))
                .unwrap_or_default();
            return Err(Failure {
                error: CallError::Refused {
                    status: status.as_u16(),
                    code,
                },
                retryable: false,
            });
        }
        serde_json::from_slice(if body.is_empty() { b"null" } else { &body }).map_err(|err| {
            Failure {
                error: CallError::Unavailable(format!("an answer that could not be read: {err}")),
                retryable: false,
            }
        })
    }
}

enum Method<'a> {
    Get { query: &'a [(&'a str, String)] },
    Post { body: Option<Bytes> },
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
    use secrecy::SecretString;

    use super::*;

    /// A real server whose `/flaky` fails with 503 `failures` times, then answers; every
    /// route echoes what the client sent in its headers.
    async fn server(failures: usize) -> (String, Arc<AtomicUsize>) {
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&calls);
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let server = HttpServer::new(move || {
            let counter = Arc::clone(&counter);
            App::new()
                .route(
                    "/flaky",
                    web::get().to(move |req: HttpRequest| {
                        let n = counter.fetch_add(1, Ordering::SeqCst);
                        async move {
                            if n < failures {
                                return HttpResponse::ServiceUnavailable().finish();
                            }
                            let header = |name: &str| {
                                req.headers()
                                    .get(name)
                                    .and_then(|v| v.to_str().ok())
                                    .unwrap_or("")
                                    .to_owned()
                            };
                            HttpResponse::Ok().json(serde_json::json!({
                                "token": header("x-service-token"),
                                "request_id": header("x-request-id"),
                                "query": req.query_string(),
                            }))
                        }
                    }),
                )
                .route(
                    "/missing",
                    web::post().to(|| async {
                        HttpResponse::NotFound()
                            .json(serde_json::json!({"error": {"code": "not_found"}}))
                    }),
                )
        })
        .workers(1)
        .disable_signals()
        .listen(listener)
        .expect("listen")
        .run();
        actix_web::rt::spawn(server);
        (format!("http://127.0.0.1:{port}/"), calls)
    }

    fn client(base_url: String, tries: usize) -> InternalClient {
        InternalClient::new(
            ClientSettings {
                base_url,
                timeout: Duration::from_secs(2),
                retry: Retry {
                    tries,
                    first_pause: Duration::from_millis(5),
                    max_pause: Duration::from_millis(20),
                },
            },
            ServiceToken::new(SecretString::from("s3cret")),
        )
    }

    #[actix_web::test]
    async fn the_credential_the_request_id_and_the_query_are_sent() {
        let (url, _) = server(0).await;
        let answer: serde_json::Value = client(url, 1)
            .get(
                "/flaky",
                &[("topic", "a,b".to_owned())],
                &RequestId("rid-1".into()),
            )
            .await
            .expect("answer");
        assert_eq!(answer["token"], "s3cret");
        assert_eq!(answer["request_id"], "rid-1");
        assert_eq!(answer["query"], "topic=a%2Cb");
    }

    #[actix_web::test]
    async fn a_5xx_is_tried_again_until_it_answers() {
        let (url, calls) = server(2).await;
        let answer: Result<serde_json::Value, _> = client(url, 3)
            .get("/flaky", &[], &RequestId("r".into()))
            .await;
        assert!(answer.is_ok(), "{answer:?}");
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[actix_web::test]
    async fn tries_stop_at_the_limit() {
        let (url, calls) = server(100).await;
        let answer: Result<serde_json::Value, _> = client(url, 3)
            .get("/flaky", &[], &RequestId("r".into()))
            .await;
        assert!(
            matches!(answer, Err(CallError::Unavailable(_))),
            "{answer:?}"
        );
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[actix_web::test]
    async fn a_4xx_is_returned_at_once_with_its_code() {
        let (url, _) = server(0).await;
        let answer: Result<serde_json::Value, _> = client(url, 5)
            .post::<(), _>("/missing", None, &RequestId("r".into()))
            .await;
        let err = answer.expect_err("refused");
        assert!(err.is_not_found());
        assert_eq!(
            err,
            CallError::Refused {
                status: 404,
                code: "not_found".into()
            }
        );
    }

    #[actix_web::test]
    async fn nobody_listening_is_unavailable() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("port")
            .port();
        let answer: Result<serde_json::Value, _> = client(format!("http://127.0.0.1:{port}"), 2)
            .get("/x", &[], &RequestId("r".into()))
            .await;
        assert!(matches!(answer, Err(CallError::Unavailable(_))));
    }
}
