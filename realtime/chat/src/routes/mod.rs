//! The chat service's HTTP API, under [`PREFIX`]: the websocket (outside the OpenAPI
//! document) and the transcript.

use shared::openapi::SecuritySchemes;
use utoipa::OpenApi;
use utoipa_actix_web::service_config::ServiceConfig;

mod messages;
pub mod ws;

pub const PREFIX: &str = "/chat-service-api";

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(messages::list);
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "PeerPrep chat service",
        description = "Chat happens over the websocket `GET /chat-service-api/ws/{room_id}?after=` (see the README); this is the transcript it keeps."
    ),
    modifiers(&SecuritySchemes),
    tags((name = "messages", description = "A room's transcript"))
)]
pub struct ApiDoc;
