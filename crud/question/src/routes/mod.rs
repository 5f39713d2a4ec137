//! The question service's HTTP API, under [`PREFIX`]. One handler per file; each handler's
//! `#[utoipa::path]` feeds the OpenAPI document as the route is registered.
//!
//! Reading is open to anyone (the bank is no secret, and matching picks without a user);
//! writing needs an admin's access token.

use shared::openapi::SecuritySchemes;
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_actix_web::service_config::ServiceConfig;

pub mod questions;
mod topics;

pub const PREFIX: &str = "/question-service-api";

pub fn config(cfg: &mut ServiceConfig) {
    cfg.configure(questions::config).service(topics::topics);
}

/// The OpenAPI document: the header below plus every path registered by [`config`].
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(utoipa_actix_web::scope(PREFIX).configure(config))
        .split_for_parts()
        .1
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
