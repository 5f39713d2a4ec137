//! The history service's HTTP API, under [`PREFIX`]. One handler per file; each handler's
//! `#[utoipa::path]` feeds the OpenAPI document as the route is registered.
//!
//! Users read their own attempts; admins may read anyone's (`user_id=`). Recording, and the
//! questions a user attempted, are internal endpoints for the collaboration and matching
//! services, authenticated with `X-Service-Token` and served by [`internal`] at
//! `/internal/...` at the root: outside [`PREFIX`], so the load balancer never forwards
//! them, and outside the public OpenAPI document.

use shared::ApiError;
use shared::auth::AuthUser;
use shared::openapi::SecuritySchemes;
use utoipa::OpenApi;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

mod attempts;
mod question_ids;
mod record;
mod stats;

pub const PREFIX: &str = "/history-service-api";

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(attempts::list::list)
        .service(attempts::get::get)
        .service(stats::stats);
}

/// The routes under `/internal` (see `shared::http::Internal`).
pub fn internal(cfg: &mut ServiceConfig) {
    cfg.service(record::record)
        .service(question_ids::question_ids);
}

#[derive(OpenApi)]
#[openapi(
    info(title = "PeerPrep history service", description = "Every attempt, per user."),
    modifiers(&SecuritySchemes),
    tags((name = "history", description = "A user's own attempts and statistics"))
)]
pub struct ApiDoc;

/// The internal routes' document, served at `/internal/openapi.json`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "PeerPrep history service: internal routes",
        description = "Called by other PeerPrep services with `X-Service-Token`; not forwarded by the load balancer."
    ),
    modifiers(&SecuritySchemes),
    tags((name = "internal", description = "Called by other PeerPrep services"))
)]
pub struct InternalDoc;

/// Whose history the caller may read: their own, or (admins only) anyone's.
pub(crate) fn whose(caller: &AuthUser, requested: Option<Uuid>) -> Result<Uuid, ApiError> {
    match requested {
        Some(id) if id != caller.id && !caller.is_admin() => Err(ApiError::forbidden(
            "only admins may read another user's history",
        )),
        Some(id) => Ok(id),
        None => Ok(caller.id),
    }
}
