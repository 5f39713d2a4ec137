//! The question service's HTTP API, under [`PREFIX`]. One handler per file; each handler's
//! `#[utoipa::path]` feeds the OpenAPI document as the route is registered.
//!
//! Reading is open to anyone (the bank is no secret, and matching picks without a user);
//! writing needs an admin's access token.

use shared::openapi::SecuritySchemes;
use utoipa::OpenApi;
use utoipa_actix_web::service_config::ServiceConfig;

pub mod questions;
mod topics;

pub const PREFIX: &str = "/question-service-api";

pub fn config(cfg: &mut ServiceConfig) {
    cfg.configure(questions::config).service(topics::topics);
}

#[derive(OpenApi)]
#[openapi(
    info(title = "PeerPrep question service", description = "The question bank."),
    modifiers(&SecuritySchemes),
    tags(
        (name = "questions", description = "Browse, search and pick questions"),
        (name = "admin", description = "Write questions (admins only)"),
    )
)]
pub struct ApiDoc;
