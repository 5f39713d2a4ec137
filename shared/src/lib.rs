//! The library every PeerPrep service is built on, so that a service is only its own logic.
//!
//! - [`config`]: typed settings read from the environment, with local defaults and
//!   production checks for secrets.
//! - [`error`]: the JSON error body and its status mapping.
//! - [`auth`]: access-token claims, the JWT verifier, the caller extractor and role guard.
//! - [`db`]: the PostgreSQL pool and embedded migrations under an advisory lock.
//! - [`http`]: what every service's `App` gets: health and readiness, request ids, metrics,
//!   JSON error handlers for bad input.
//! - [`telemetry`]: env_logger and Sentry.

pub mod auth;
pub mod bus;
pub mod config;
pub mod db;
pub mod difficulty;
pub mod error;
pub mod http;
pub mod language;
pub mod metrics;
pub mod openapi;
pub mod pagination;
pub mod rate;
pub mod request_id;
pub mod telemetry;
#[cfg(feature = "testing")]
pub mod testing;

pub use error::ApiError;
