//! `GET /ws/{room_id}?after=<last id seen>`: the chat websocket. The toolkit refuses a
//! foreign `Origin` (403) and a missing or invalid token (401); a bad `after` is a 400, and
//! the room's membership is checked here (an unknown room 404, a stranger 403), all before
//! any upgrade.

use actix::Addr;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use shared::contract::PublicProfile;
use shared::request_id::RequestId;
use toolkit::rooms::RoomDirectory;
use toolkit::ws::Upgrader;
use uuid::Uuid;

use crate::actors::Registry;
use crate::actors::session::Chatter;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resume {
    /// The last message id the client has; everything after it is sent first. Without it,
    /// the whole conversation is.
    #[serde(default)]
    after: u64,
}

#[expect(clippy::too_many_arguments, reason = "an actix handler's extractors")]
pub async fn upgrade(
    req: HttpRequest,
    stream: web::Payload,
    room_id: web::Path<Uuid>,
    resume: web::Query<Resume>,
    request_id: RequestId,
    upgrader: web::Data<Upgrader>,
    rooms: web::Data<RoomDirectory>,
    registry: web::Data<Addr<Registry>>,
) -> Result<HttpResponse, actix_web::Error> {
    let after = resume.into_inner().after;
    upgrader
        .upgrade(&req, stream, |user| async move {
            let room = rooms
                .member_room(room_id.into_inner(), &user, &request_id)
                .await?;
            let addr = toolkit::registry::open(&registry, room).await?;
            let profile = PublicProfile {
                id: user.id,
                username: user.username,
            };
            Ok(Chatter::new(profile, after, addr))
        })
        .await
}
