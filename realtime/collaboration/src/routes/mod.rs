//! The collaboration service's HTTP API, under [`PREFIX`]: the y-websocket endpoint (outside
//! the OpenAPI document) and the room.

use shared::openapi::SecuritySchemes;
use utoipa::OpenApi;
use utoipa_actix_web::service_config::ServiceConfig;

mod room;
pub mod yjs;

pub const PREFIX: &str = "/collaboration-service-api";

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(room::get).service(room::end);
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "PeerPrep collaboration service",
        description = "The editor is the y-websocket endpoint `GET /collaboration-service-api/yjs/{room_id}` (see the README)."
    ),
    modifiers(&SecuritySchemes),
    tags((name = "rooms", description = "A collaboration session"))
)]
pub struct ApiDoc;
