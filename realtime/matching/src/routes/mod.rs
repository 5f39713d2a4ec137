//! The matching service's HTTP API, under [`PREFIX`]: the websocket (outside the OpenAPI
//! document) and the rooms.

use shared::openapi::SecuritySchemes;
use utoipa::OpenApi;
use utoipa_actix_web::service_config::ServiceConfig;

mod rooms;
pub mod ws;

pub const PREFIX: &str = "/matching-service-api";

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(rooms::member_room)
        .service(rooms::internal_room)
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
