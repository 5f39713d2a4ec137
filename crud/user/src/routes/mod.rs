//! The user service's HTTP API, under [`PREFIX`]. One handler per file.

use actix_web::web;

pub mod auth;
mod jwks;
pub mod users;

pub const PREFIX: &str = "/user-service-api";

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope(PREFIX)
            .configure(auth::config)
            .configure(users::config)
            .route("/.well-known/jwks.json", web::get().to(jwks::jwks)),
    );
}
