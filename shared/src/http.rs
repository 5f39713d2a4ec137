//! What every service's `App` gets: `/health`, `/ready` and `/metrics` at the root and under
//! the service's prefix, and JSON error handlers for malformed bodies, queries and paths.
//!
//! ```ignore
//! App::new()
//!     .wrap(actix_web::middleware::from_fn(shared::request_id::middleware))
//!     .configure(shared::http::common(PREFIX, readiness.clone()))
//!     .configure(routes::config)
//!     .default_service(web::to(shared::error::not_found))
//! ```

use std::time::Duration;

use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::db::PgPool;
use crate::error::{self, ApiError};
use crate::metrics;

/// How long `/ready` waits for each dependency.
const READINESS_TIMEOUT: Duration = Duration::from_secs(2);

/// What `/ready` checks.
#[derive(Clone, Default)]
pub struct Readiness {
    postgres: Option<PgPool>,
}

impl Readiness {
    pub fn with_postgres(mut self, pool: PgPool) -> Self {
        self.postgres = Some(pool);
        self
    }
}

/// Registers the error handlers and the operational routes.
pub fn common(prefix: &'static str, readiness: Readiness) -> impl FnOnce(&mut web::ServiceConfig) {
    // Install the recorder before the first request is counted.
    metrics::handle();
    move |cfg| {
        cfg.app_data(error::json_config())
            .app_data(error::query_config())
            .app_data(error::path_config())
            .app_data(web::Data::new(readiness));
        for base in ["", prefix.trim_end_matches('/')] {
            cfg.route(&format!("{base}/health"), web::get().to(health))
                .route(&format!("{base}/ready"), web::get().to(ready))
                .route(&format!("{base}/metrics"), web::get().to(metrics::render));
        }
    }
}

/// The process is up. Touches nothing.
async fn health() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// The process can serve: its database (and later Redis) answers.
async fn ready(readiness: web::Data<Readiness>) -> Result<HttpResponse, ApiError> {
    let mut checks = serde_json::Map::new();
    let mut all_ok = true;
    if let Some(pool) = &readiness.postgres {
        let ok = match crate::db::ping(pool, READINESS_TIMEOUT).await {
            Ok(()) => true,
            Err(err) => {
                log::warn!("readiness: postgres is not answering: {err:#}");
                false
            }
        };
        all_ok &= ok;
        checks.insert(
            "postgres".into(),
            json!(if ok { "ok" } else { "unavailable" }),
        );
    }
    if all_ok {
        Ok(HttpResponse::Ok().json(json!({ "status": "ready", "checks": checks })))
    } else {
        Err(ApiError::unavailable("a dependency is not answering")
            .with_details(json!({ "checks": checks })))
    }
}
