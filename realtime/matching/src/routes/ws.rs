//! `GET /ws`: the websocket. The toolkit checks the origin (403) and the token (401) before
//! anything is upgraded; any signed-in user may search.

use actix::Addr;
use actix_web::{HttpRequest, HttpResponse, web};
use toolkit::ws::Upgrader;

use crate::actors::queue::QueueActor;
use crate::actors::session::Seeker;

pub async fn upgrade(
    req: HttpRequest,
    stream: web::Payload,
    upgrader: web::Data<Upgrader>,
    queue: web::Data<Addr<QueueActor>>,
) -> Result<HttpResponse, actix_web::Error> {
    let queue = queue.get_ref().clone();
    upgrader
        .upgrade(&req, stream, |user| async move {
            Ok(Seeker::new(user.id, user.username, queue))
        })
        .await
}
