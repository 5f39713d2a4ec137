//! `GET /ws`: the websocket upgrade. A foreign `Origin` gets 403 and a missing or invalid
//! token 401, before anything is upgraded.

use actix::Addr;
use actix_web::{HttpRequest, HttpResponse, web};
use actix_web_actors::ws;
use shared::ApiError;
use shared::auth::AuthUser;
use shared::http::AllowedOrigins;

use crate::actors::queue::QueueActor;
use crate::actors::session::{MAX_FRAME_BYTES, Session};

pub async fn upgrade(
    req: HttpRequest,
    stream: web::Payload,
    queue: web::Data<Addr<QueueActor>>,
    origins: web::Data<AllowedOrigins>,
) -> Result<HttpResponse, actix_web::Error> {
    origins.check(&req)?;
    let user = AuthUser::from_request_sync(&req)?;
    let session = Session::new(user.id, user.username, queue.get_ref().clone());
    ws::WsResponseBuilder::new(session, &req, stream)
        .frame_size(MAX_FRAME_BYTES)
        .start()
        .map_err(|err| {
            ApiError::bad_request("not_a_websocket", format!("not a websocket upgrade: {err}"))
                .into()
        })
}
