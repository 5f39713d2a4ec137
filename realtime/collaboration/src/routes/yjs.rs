//! `GET /yjs/{room_id}`: the y-websocket endpoint. The toolkit refuses a foreign `Origin`
//! (403) and a missing or invalid token (401); the room's membership is checked here (an
//! unknown room 404, a stranger 403), all before any upgrade.

use actix::Addr;
use actix_web::{HttpRequest, HttpResponse, web};
use shared::request_id::RequestId;
use toolkit::rooms::RoomDirectory;
use toolkit::ws::Upgrader;
use uuid::Uuid;

use crate::actors::Registry;
use crate::actors::session::Editor;

pub async fn upgrade(
    req: HttpRequest,
    stream: web::Payload,
    room_id: web::Path<Uuid>,
    request_id: RequestId,
    upgrader: web::Data<Upgrader>,
    rooms: web::Data<RoomDirectory>,
    registry: web::Data<Addr<Registry>>,
) -> Result<HttpResponse, actix_web::Error> {
    upgrader
        .upgrade(&req, stream, |user| async move {
            let room = rooms
                .member_room(room_id.into_inner(), &user, &request_id)
                .await?;
            let addr = toolkit::registry::open(&registry, room).await?;
            Ok(Editor::new(addr))
        })
        .await
}
