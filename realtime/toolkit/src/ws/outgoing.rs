//! What the service's actors send a session, and how they name one.

use actix::Message;
use actix_web::web::Bytes;
use uuid::Uuid;

use super::close::Close;

/// Names one websocket session for the process's actors.
pub type SessionId = Uuid;

/// Something for one session's client, from any actor of the service.
#[derive(Message, Clone, Debug)]
#[rtype(result = "()")]
pub enum Outgoing {
    Text(String),
    /// Several text frames at once (a replay): one send, however many frames.
    Texts(Vec<String>),
    Binary(Bytes),
    Close(Close),
}
