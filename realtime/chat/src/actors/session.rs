//! What a chat websocket's frames mean (the session actor itself, with its heartbeat and
//! flood guard, is the toolkit's): JSON text frames become posts and typing for the room
//! actor; the room's frames come back as text.

use std::time::Duration;

use actix::prelude::*;
use actix_web::web::Bytes;
use shared::contract::PublicProfile;
use toolkit::ws::{
    Close, Excess, Limits, Protocol, RateLimits, Session, SessionContext, SessionId, attach,
};

use super::room::{Connect, Leave, Post, RoomActor, Typing};
use crate::protocol::{self, Request};

/// A chat frame is a message of at most 2,000 characters (8 KiB in UTF-8) in JSON.
const MAX_FRAME_BYTES: usize = 16 * 1024;

/// The websocket limits, with the message rate from the settings: a session over the rate
/// gets `rate_limited` for each refused frame, and is closed (1008) after 20 of those in a
/// row, forgiven one every 2 s.
pub fn limits(messages_per_sec: f64, message_burst: f64) -> Limits {
    Limits {
        max_frame_bytes: MAX_FRAME_BYTES,
        // Messages a client that stopped reading may owe before it is closed; it gets them
        // again with `?after=` when it reconnects.
        max_backlog: 4096,
        heartbeat: Duration::from_secs(5),
        client_timeout: Duration::from_secs(30),
        rate: RateLimits {
            messages_per_sec,
            message_burst,
            bytes_per_sec: messages_per_sec * 8.0 * 1024.0,
            byte_burst: (message_burst * 8.0 * 1024.0).max(MAX_FRAME_BYTES as f64),
            strikes: 20.0,
            strikes_forgiven_per_sec: 0.5,
            excess: Excess::Refuse,
        },
    }
}

/// A member chatting in a room.
pub struct Chatter {
    user: PublicProfile,
    /// The last message id the client saw before this connection.
    after: u64,
    room: Addr<RoomActor>,
}

impl Chatter {
    pub fn new(user: PublicProfile, after: u64, room: Addr<RoomActor>) -> Self {
        Self { user, after, room }
    }
}

impl Protocol for Chatter {
    fn opened(&mut self, session: Session<'_>, ctx: &mut SessionContext<Self>) {
        let connect = Connect {
            session_id: session.id,
            session: session.client.clone(),
            user: self.user.clone(),
            after: self.after,
        };
        // The room unloaded between the upgrade and now: reconnecting opens it again.
        let reconnect = Close::reconnect("the room is reloading; reconnect");
        attach(ctx, &self.room, connect, reconnect);
    }

    fn text(&mut self, session: Session<'_>, text: &str, ctx: &mut SessionContext<Self>) {
        let session_id = session.id;
        match protocol::parse(text) {
            Ok(Request::Send(draft)) => self.room.do_send(Post { session_id, draft }),
            Ok(Request::Typing) => self.room.do_send(Typing { session_id }),
            Err(invalid) => ctx.text(protocol::error(
                "invalid_message",
                &invalid.reason,
                invalid.client_id.as_deref(),
            )),
        }
    }

    fn binary(&mut self, _session: Session<'_>, _frame: Bytes, ctx: &mut SessionContext<Self>) {
        ctx.text(protocol::error(
            "invalid_message",
            "send JSON text frames",
            None,
        ));
    }

    fn refused(&mut self, frame: &[u8], ctx: &mut SessionContext<Self>) {
        ctx.text(protocol::error(
            "rate_limited",
            "too many messages; slow down (this one was not sent)",
            protocol::client_id_of(frame).as_deref(),
        ));
    }

    fn closed(&mut self, session_id: SessionId) {
        self.room.do_send(Leave { session_id });
    }
}
