//! `GET /yjs/{room_id}`: the y-websocket endpoint. A foreign `Origin` gets 403, a missing or
//! invalid token 401, an unknown room 404 and a non-member 403, all before any upgrade.

use actix::Addr;
use actix_web::{HttpRequest, HttpResponse, web};
use actix_web_actors::ws;
use shared::ApiError;
use shared::auth::{AuthUser, ServiceToken};
use shared::http::AllowedOrigins;
use uuid::Uuid;

use crate::actors::registry::{Open, Registry};
use crate::actors::session::{MAX_FRAME_BYTES, Session};
use crate::rooms::{self, LookupError, RoomInfo};

/// How to check membership: ask matching.
pub struct Access {
    pub matching_url: String,
    pub token: ServiceToken,
}

impl Access {
    pub async fn member_room(&self, room: Uuid, user: &AuthUser) -> Result<RoomInfo, ApiError> {
        let info = rooms::lookup(&self.matching_url, &self.token, room)
            .await
            .map_err(|err| match err {
                LookupError::NotFound => ApiError::not_found("no such room"),
                LookupError::Unavailable(why) => {
                    log::error!("cannot check room membership: {why}");
                    ApiError::unavailable("rooms cannot be checked right now; try again shortly")
                }
            })?;
        if info.has_member(user.id) {
            Ok(info)
        } else {
            Err(ApiError::forbidden("you are not a member of this room"))
        }
    }
}

pub async fn upgrade(
    req: HttpRequest,
    stream: web::Payload,
    room_id: web::Path<Uuid>,
    registry: web::Data<Addr<Registry>>,
    origins: web::Data<AllowedOrigins>,
    access: web::Data<Access>,
) -> Result<HttpResponse, actix_web::Error> {
    origins.check(&req)?;
    let user = AuthUser::from_request_sync(&req)?;
    let room = access.member_room(room_id.into_inner(), &user).await?;
    let addr = registry
        .send(Open { room })
        .await
        .map_err(|err| ApiError::internal(anyhow::anyhow!("room registry: {err}")))?;
    ws::WsResponseBuilder::new(Session::new(user.id, addr), &req, stream)
        .frame_size(MAX_FRAME_BYTES)
        .start()
        .map_err(|err| {
            ApiError::bad_request("not_a_websocket", format!("not a websocket upgrade: {err}"))
                .into()
        })
}
