//! The library every PeerPrep service is built on, so that a service is only its own logic.
//!
//! - [`config`]: typed settings read from the environment, with local defaults and
//!   production checks for secrets.
//! - [`error`]: the JSON error body and its status mapping.
//! - [`auth`]: access-token claims, the JWT verifier, the caller extractor and role guard.
//! - [`db`]: the PostgreSQL pool and embedded migrations under an advisory lock.
//! - [`healthcheck`]: `<service> --healthcheck`, the container's health check without curl.
//! - [`http`]: what every service's `App` gets: health and readiness, request ids, metrics,
//!   JSON error handlers for bad input.
//! - [`telemetry`]: env_logger and Sentry.
//! - [`contract`]: the types services send each other, defined once for both sides.
//! - [`client`]: the one way a service calls another (timeout, retries, request id).
//! - [`routes`]: every route a service answers: the 405 with `Allow`, no query where none is
//!   read.
//! - [`bus`]: Redis pub/sub (or in-process) fan-out for the real-time services.
//! - [`tls`]: rustls for the connections to PostgreSQL and Redis.

pub mod auth;
pub mod bus;
pub mod client;
pub mod config;
pub mod contract;
pub mod db;
pub mod difficulty;
pub mod error;
pub mod healthcheck;
pub mod http;
pub mod language;
pub mod metrics;
pub mod openapi;
pub mod pagination;
pub mod request_id;
pub mod routes;
pub mod telemetry;
#[cfg(feature = "testing")]
pub mod testing;
pub mod tls;

pub use error::ApiError;
