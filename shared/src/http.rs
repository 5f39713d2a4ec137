//! What every service's `App` gets: `/health`, `/ready` and `/metrics` at the root and under
//! the service's prefix, JSON error handlers for malformed bodies, queries and paths, the
//! request-id middleware, `<prefix>/openapi.json` and a JSON 404. [`serve`] assembles it all
//! for a service from a [`ServiceApp`].
//!
//! Routes other services call (`X-Service-Token`) are a service's [`Internal`] routes: at
//! `/internal/...` at the root, outside the public prefix the load balancer forwards, with
//! a document of their own at `/internal/openapi.json`. [`serve`] refuses a public document
//! that lists an internal path. A known path asked with another method is a 405 with
//! `Allow`, and a query string where a route reads none a 400 (see [`crate::routes`]).

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::http::Method;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpResponse, HttpServer, web};
use anyhow::Context;
use serde_json::json;
use utoipa_actix_web::AppExt;

use crate::config::ServerSettings;

use crate::db::PgPool;
use crate::error::{self, ApiError};
use crate::metrics;
use crate::routes::RouteTable;

/// Everything that makes one service's HTTP app.
pub struct ServiceApp {
    /// `/user-service-api` and the like.
    pub prefix: &'static str,
    /// Registers the service's routes (each a `#[utoipa::path]` handler) under the prefix.
    pub routes: fn(&mut utoipa_actix_web::service_config::ServiceConfig),
    /// The document header (`ApiDoc::openapi()`); the paths are collected from `routes`.
    pub openapi: utoipa::openapi::OpenApi,
    /// Registers the handlers' shared state (`app_data`) and any route outside the OpenAPI
    /// document (a websocket upgrade, the [`internal`] routes).
    pub configure: Arc<dyn Fn(&mut web::ServiceConfig) + Send + Sync>,
    pub readiness: Readiness,
    /// Largest JSON body accepted (`error::DEFAULT_JSON_LIMIT` unless the service needs more).
    pub json_limit: usize,
    /// The routes other services call, if any (see [`Internal`]).
    pub internal: Option<Internal>,
    /// The websocket upgrade of a real-time service, if any.
    pub websocket: Option<Websocket>,
}

/// A service's routes for other services (each a `#[utoipa::path]` handler that takes a
/// [`crate::auth::ServiceCaller`]): served at `/internal/...` at the root, outside the public
/// prefix the load balancer forwards, with a document of their own at
/// `/internal/openapi.json` (for the contract tests; like the routes, not forwarded).
pub struct Internal {
    pub routes: fn(&mut utoipa_actix_web::service_config::ServiceConfig),
    pub openapi: utoipa::openapi::OpenApi,
}

/// A real-time service's websocket upgrade: `GET <path>`, outside the OpenAPI document.
#[derive(Clone)]
pub struct Websocket {
    /// The full path, e.g. `/chat-service-api/ws/{room_id}`.
    pub path: String,
    /// Whether the upgrade reads a query string (chat's `?after=`); one that does not refuses
    /// any (see [`crate::routes`]).
    pub reads_query: bool,
    /// `|| web::get().to(handler)`.
    pub upgrade: fn() -> actix_web::Route,
}

impl ServiceApp {
    /// The OpenAPI document: the header plus every path `routes` registers.
    pub fn document(&self) -> utoipa::openapi::OpenApi {
        openapi_document(self.prefix, self.routes, self.openapi.clone())
    }
}

/// The OpenAPI document of a service's routes (used by `/openapi.json` and by tests).
pub fn openapi_document(
    prefix: &'static str,
    routes: fn(&mut utoipa_actix_web::service_config::ServiceConfig),
    header: utoipa::openapi::OpenApi,
) -> utoipa::openapi::OpenApi {
    App::new()
        .into_utoipa_app()
        .openapi(header)
        .service(utoipa_actix_web::scope(prefix).configure(routes))
        .split_for_parts()
        .1
}

/// A built service: its bound port, and the server to run.
pub struct Service {
    port: u16,
    server: Server,
    handle_signals: bool,
}

impl Service {
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until SIGTERM/SIGINT (unless the settings turned signals off), then drains
    /// in-flight requests for up to `SHUTDOWN_TIMEOUT_SECS`.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.run_until_stopped_with(|| async {}).await
    }

    /// The same, running `before_stop` first (the real-time services close their
    /// websockets with 1012 there, so that clients reconnect to another task).
    pub async fn run_until_stopped_with<F, Fut>(self, before_stop: F) -> std::io::Result<()>
    where
        F: FnOnce() -> Fut + 'static,
        Fut: std::future::Future<Output = ()> + 'static,
    {
        if self.handle_signals {
            let handle = self.server.handle();
            actix_web::rt::spawn(async move {
                shutdown_signal().await;
                log::info!("shutting down");
                before_stop().await;
                handle.stop(true).await;
            });
        }
        self.server.await
    }
}

/// Binds (port 0 picks a free port) and builds the server. Every service gets the same
/// middleware, error handlers, operational routes, OpenAPI document and JSON 404.
pub fn serve(settings: &ServerSettings, app: ServiceApp) -> anyhow::Result<Service> {
    let listener = TcpListener::bind((settings.host.as_str(), settings.port))
        .with_context(|| format!("bind {}:{}", settings.host, settings.port))?;
    let port = listener.local_addr()?.port();
    let document = app.document();
    refuse_internal_paths(&document)?;
    let ServiceApp {
        prefix,
        routes,
        configure,
        readiness,
        json_limit,
        internal,
        websocket,
        ..
    } = app;
    let internal = internal.map(|internal| {
        let document = openapi_document(INTERNAL_PREFIX, internal.routes, internal.openapi);
        (internal.routes, document)
    });
    let table = web::Data::new(route_table(
        prefix,
        &document,
        internal.as_ref().map(|(_, document)| document),
        websocket.as_ref(),
    ));
    let server = HttpServer::new(move || {
        let configure = Arc::clone(&configure);
        // The operational routes come first: the API scope answers 404 for any other path
        // under the prefix.
        let mut app = App::new()
            .wrap(from_fn(crate::routes::refuse_unread_queries))
            .wrap(from_fn(crate::request_id::middleware))
            .app_data(table.clone())
            .configure(move |cfg| configure(cfg))
            .configure(common(prefix, readiness.clone(), json_limit))
            .configure(crate::openapi::serve(prefix, document.clone()));
        if let Some(websocket) = &websocket {
            app = app.route(&websocket.path, (websocket.upgrade)());
        }
        if let Some((routes, document)) = &internal {
            // The document's route first: the scope answers 404 for any other internal path.
            app = app
                .configure(crate::openapi::serve(INTERNAL_PREFIX, document.clone()))
                .service(utoipa_actix_web::scope(INTERNAL_PREFIX).configure(*routes));
        }
        app.into_utoipa_app()
            .service(utoipa_actix_web::scope(prefix).configure(routes))
            .into_app()
            .default_service(web::to(crate::routes::no_route))
    })
    .workers(settings.workers)
    .shutdown_timeout(settings.shutdown_timeout.as_secs())
    // Signals are handled in `Service::run_until_stopped_with`.
    .disable_signals()
    .listen(listener)?;
    log::info!("listening on {}:{port}", settings.host);
    Ok(Service {
        port,
        server: server.run(),
        handle_signals: settings.handle_signals,
    })
}

/// Where every service serves the routes other services call: at the root, never under the
/// public prefix, so no path rule that forwards `/<service>-service-api/*` reaches them.
pub const INTERNAL_PREFIX: &str = "/internal";

/// Every route the app serves, for the 405 and query rules (see [`crate::routes`]).
fn route_table(
    prefix: &str,
    document: &utoipa::openapi::OpenApi,
    internal: Option<&utoipa::openapi::OpenApi>,
    websocket: Option<&Websocket>,
) -> RouteTable {
    let mut table = RouteTable::default();
    table.add_document(document);
    for (path, _) in operational_routes(prefix) {
        table.add(&path, Method::GET, false);
    }
    table.add(&crate::openapi::document_path(prefix), Method::GET, false);
    if let Some(internal) = internal {
        table.add_document(internal);
        table.add(
            &crate::openapi::document_path(INTERNAL_PREFIX),
            Method::GET,
            false,
        );
    }
    if let Some(websocket) = websocket {
        table.add(&websocket.path, Method::GET, websocket.reads_query);
    }
    table
}

/// A public document must not list an internal route (one registered under the prefix by
/// mistake would be forwarded by the load balancer).
fn refuse_internal_paths(document: &utoipa::openapi::OpenApi) -> anyhow::Result<()> {
    let internal: Vec<&String> = document
        .paths
        .paths
        .keys()
        .filter(|path| is_internal(path))
        .collect();
    anyhow::ensure!(
        internal.is_empty(),
        "internal routes must be registered with `shared::http::Internal`, not under the public prefix: {internal:?}"
    );
    Ok(())
}

fn is_internal(path: &str) -> bool {
    path.split('/').any(|segment| segment == "internal")
}

/// How long `/ready` waits for each dependency.
const READINESS_TIMEOUT: Duration = Duration::from_secs(2);

/// What `/ready` checks.
#[derive(Clone, Default)]
pub struct Readiness {
    postgres: Option<PgPool>,
    bus: Option<crate::bus::Bus>,
}

impl Readiness {
    pub fn with_postgres(mut self, pool: PgPool) -> Self {
        self.postgres = Some(pool);
        self
    }

    /// Checks Redis too (the local bus is always ready).
    pub fn with_bus(mut self, bus: crate::bus::Bus) -> Self {
        self.bus = Some(bus);
        self
    }
}

/// Registers the error handlers and the operational routes.
pub fn common(
    prefix: &'static str,
    readiness: Readiness,
    json_limit: usize,
) -> impl FnOnce(&mut web::ServiceConfig) {
    // Install the recorder before the first request is counted.
    metrics::handle();
    move |cfg| {
        cfg.app_data(error::json_config().limit(json_limit))
            .app_data(error::query_config())
            .app_data(error::path_config())
            .app_data(web::Data::new(readiness));
        for (path, route) in operational_routes(prefix) {
            cfg.route(&path, route());
        }
    }
}

/// `GET /health` and `/ready` at the root and under the prefix, `/metrics` at the root only
/// (the load balancer forwards the prefixes, so metrics stay inside); none reads a query.
fn operational_routes(prefix: &str) -> Vec<(String, fn() -> actix_web::Route)> {
    let mut routes: Vec<(String, fn() -> actix_web::Route)> = Vec::new();
    for base in ["", prefix.trim_end_matches('/')] {
        routes.push((format!("{base}/health"), || web::get().to(health)));
        routes.push((format!("{base}/ready"), || web::get().to(ready)));
    }
    routes.push(("/metrics".to_owned(), || web::get().to(metrics::render)));
    routes
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
    if let Some(bus) = &readiness.bus {
        let ok = match tokio::time::timeout(READINESS_TIMEOUT, bus.ping()).await {
            Ok(Ok(())) => true,
            Ok(Err(err)) => {
                log::warn!("readiness: redis is not answering: {err:#}");
                false
            }
            Err(_) => false,
        };
        all_ok &= ok;
        checks.insert("redis".into(), json!(if ok { "ok" } else { "unavailable" }));
    }
    if all_ok {
        Ok(HttpResponse::Ok().json(json!({ "status": "ready", "checks": checks })))
    } else {
        Err(ApiError::unavailable("a dependency is not answering")
            .with_details(json!({ "checks": checks })))
    }
}

/// Resolves at SIGTERM or SIGINT (Ctrl-C), for services that must act before the server
/// stops (closing websockets).
pub async fn shutdown_signal() {
    let mut terminate = match actix_web::rt::signal::unix::signal(
        actix_web::rt::signal::unix::SignalKind::terminate(),
    ) {
        Ok(signal) => signal,
        Err(err) => {
            log::error!("cannot listen for SIGTERM: {err}");
            let _ = actix_web::rt::signal::ctrl_c().await;
            return;
        }
    };
    tokio::select! {
        _ = terminate.recv() => {}
        _ = actix_web::rt::signal::ctrl_c() => {}
    }
}

#[cfg(test)]
mod tests {
    use utoipa::openapi::path::{HttpMethod, OperationBuilder, PathItem};
    use utoipa::openapi::{OpenApi, OpenApiBuilder, PathsBuilder};

    use super::*;

    fn document(paths: &[&str]) -> OpenApi {
        let mut builder = PathsBuilder::new();
        for path in paths {
            builder = builder.path(
                *path,
                PathItem::new(HttpMethod::Get, OperationBuilder::new().build()),
            );
        }
        OpenApiBuilder::new().paths(builder.build()).build()
    }

    #[test]
    fn a_public_document_that_lists_an_internal_path_is_refused() {
        let public = ["/x-service-api/rooms/{id}", "/x-service-api/internals"];
        assert!(refuse_internal_paths(&document(&public)).is_ok());
        for internal in ["/x-service-api/internal/rooms/{id}", "/internal/attempts"] {
            let err =
                refuse_internal_paths(&document(&[public[0], internal])).expect_err("refused");
            assert!(err.to_string().contains(internal), "{err}");
        }
    }
}
