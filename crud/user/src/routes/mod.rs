//! The user service's HTTP API, under [`PREFIX`]. One handler per file; each handler's
//! `#[utoipa::path]` feeds the OpenAPI document as the route is registered.

use shared::openapi::SecuritySchemes;
use utoipa::OpenApi;
use utoipa_actix_web::service_config::ServiceConfig;

pub mod auth;
mod jwks;
pub mod users;

pub const PREFIX: &str = "/user-service-api";

pub fn config(cfg: &mut ServiceConfig) {
    cfg.configure(auth::config)
        .configure(users::config)
        .service(jwks::jwks);
}

/// The document's header; the paths are collected from [`config`].
#[derive(OpenApi)]
#[openapi(
    info(title = "PeerPrep user service", description = "Accounts, sessions and tokens."),
    modifiers(&SecuritySchemes),
    tags(
        (name = "auth", description = "Sign-up, log-in, refresh, log-out, keys"),
        (name = "users", description = "The signed-in user's own account"),
        (name = "admin", description = "Accounts as admins see them"),
    )
)]
pub struct ApiDoc;
