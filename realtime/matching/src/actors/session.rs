//! What a matching websocket's frames mean (the session actor itself, with its heartbeat and
//! flood guard, is the toolkit's): JSON text frames become joins and cancels for the queue
//! actor; everything the queue has to say comes back as text frames.

use std::time::Duration;

use actix::Addr;
use actix_web::web::Bytes;
use toolkit::ws::{Excess, Limits, Protocol, RateLimits, Session, SessionContext, SessionId};
use uuid::Uuid;

use super::queue::{Cancel, Disconnected, Join, QueueActor};
use crate::protocol::{self, ClientMessage, ServerMessage};

/// Matching messages are tiny and rare: a few a second at most, each under 4 KiB.
pub const LIMITS: Limits = Limits {
    max_frame_bytes: 4 * 1024,
    // A search hears a handful of messages; a client this far behind is not reading.
    max_backlog: 64,
    heartbeat: Duration::from_secs(5),
    // A client that answers nothing for this long is dropped (and leaves the queue).
    client_timeout: Duration::from_secs(15),
    rate: RateLimits {
        messages_per_sec: 5.0,
        message_burst: 10.0,
        bytes_per_sec: 8.0 * 1024.0,
        byte_burst: 40.0 * 1024.0,
        // Refused messages tolerated before the client is dropped, forgiven one every 2 s.
        strikes: 20.0,
        strikes_forgiven_per_sec: 0.5,
        excess: Excess::Refuse,
    },
};

/// A user looking for a peer.
pub struct Seeker {
    user_id: Uuid,
    username: String,
    queue: Addr<QueueActor>,
}

impl Seeker {
    pub fn new(user_id: Uuid, username: String, queue: Addr<QueueActor>) -> Self {
        Self {
            user_id,
            username,
            queue,
        }
    }

    fn reply(ctx: &mut SessionContext<Self>, message: &ServerMessage) {
        ctx.text(message.to_json());
    }
}

impl Protocol for Seeker {
    /// Nothing to do until the user joins.
    fn opened(&mut self, _session: Session<'_>, _ctx: &mut SessionContext<Self>) {}

    fn text(&mut self, session: Session<'_>, text: &str, ctx: &mut SessionContext<Self>) {
        let session_id = session.id;
        match protocol::parse(text) {
            Ok(ClientMessage::Join(request)) => self.queue.do_send(Join {
                session_id,
                client: session.client.clone(),
                user_id: self.user_id,
                username: self.username.clone(),
                request,
            }),
            Ok(ClientMessage::Cancel) => self.queue.do_send(Cancel { session_id }),
            Ok(ClientMessage::Ping) => Self::reply(ctx, &ServerMessage::Pong),
            Err(reason) => Self::reply(ctx, &ServerMessage::error("invalid_message", reason)),
        }
    }

    fn binary(&mut self, _session: Session<'_>, _frame: Bytes, ctx: &mut SessionContext<Self>) {
        Self::reply(
            ctx,
            &ServerMessage::error("invalid_message", "send JSON text frames"),
        );
    }

    fn refused(&mut self, _frame: &[u8], ctx: &mut SessionContext<Self>) {
        Self::reply(
            ctx,
            &ServerMessage::error("rate_limited", "too many messages; slow down"),
        );
    }

    fn closed(&mut self, session_id: SessionId) {
        self.queue.do_send(Disconnected { session_id });
    }
}
