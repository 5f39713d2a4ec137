//! The matching service's HTTP API, under [`PREFIX`]: the websocket (outside the OpenAPI
//! document) and the rooms. The rooms' internal routes, for the collaboration and chat
//! services, are served by [`internal`] at `/internal/...` at the root, outside the prefix
//! (see `shared::http::Internal`).

use shared::openapi::SecuritySchemes;
use utoipa::OpenApi;
use utoipa_actix_web::service_config::ServiceConfig;

mod rooms;
pub mod ws;

pub const PREFIX: &str = "/matching-service-api";

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(rooms::member_room);
}

/// The routes under `/internal`.
pub fn internal(cfg: &mut ServiceConfig) {
    cfg.service(rooms::internal_room)
        .service(rooms::internal_end);
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "PeerPrep matching service",
        description = "Matching happens over the websocket `GET /matching-service-api/ws` (see the README); these are the rooms it makes."
    ),
    modifiers(&SecuritySchemes),
    tags((name = "rooms", description = "Rooms made by matches"))
)]
pub struct ApiDoc;

/// The internal routes' document, served at `/internal/openapi.json`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "PeerPrep matching service: internal routes",
        description = "Called by other PeerPrep services with `X-Service-Token`; not forwarded by the load balancer."
    ),
    modifiers(&SecuritySchemes),
    tags((name = "internal", description = "Called by other PeerPrep services"))
)]
pub struct InternalDoc;
