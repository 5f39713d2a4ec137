//! What a collaboration websocket's frames mean (the session actor itself, with its
//! heartbeat and flood guard, is the toolkit's): binary y-websocket frames go to the room
//! actor, and the room's frames come back. Text frames are not part of the protocol.

use std::time::Duration;

use actix::prelude::*;
use actix_web::web::Bytes;
use toolkit::ws::{
    Client, Close, Excess, Limits, Protocol, RateLimits, SessionContext, SessionId, WsSession,
    close,
};

use super::room::{Connect, Inbound, Leave, RoomActor};

/// Every keystroke is an update; a paste or a reconnect sends many at once.
pub const LIMITS: Limits = Limits {
    // A whole pasted file fits comfortably.
    max_frame_bytes: 1024 * 1024,
    // Frames a client that stopped reading may owe before it is closed: minutes of a
    // peer's typing (it resynchronises when it reconnects).
    max_backlog: 4096,
    heartbeat: Duration::from_secs(5),
    client_timeout: Duration::from_secs(30),
    rate: RateLimits {
        messages_per_sec: 200.0,
        message_burst: 1000.0,
        bytes_per_sec: 1024.0 * 1024.0,
        byte_burst: 4.0 * 1024.0 * 1024.0,
        // Frames are never thrown away (that would lose edits a client believes sent): a
        // client that keeps flooding is disconnected instead, and resynchronises whatever it
        // still has when it reconnects.
        strikes: 1000.0,
        strikes_forgiven_per_sec: 10.0,
        excess: Excess::Accept,
    },
};

/// A member editing the room's document.
pub struct Editor {
    session: Option<SessionId>,
    room: Addr<RoomActor>,
}

impl Editor {
    pub fn new(room: Addr<RoomActor>) -> Self {
        Self {
            session: None,
            room,
        }
    }
}

/// The room unloaded between the upgrade and now: reconnecting opens it again.
fn room_gone() -> Close {
    Close::reconnect("the room is reloading; reconnect")
}

impl Protocol for Editor {
    fn opened(&mut self, session_id: SessionId, client: Client, ctx: &mut SessionContext<Self>) {
        self.session = Some(session_id);
        // Queued now, ahead of any frame; a room that stops before handling it answers
        // with an error, and the client reconnects (which opens the room again).
        let connect = self.room.send(Connect {
            session_id,
            session: client,
        });
        ctx.spawn(
            actix::fut::wrap_future::<_, WsSession<Self>>(connect).map(|result, _, ctx| {
                if result.is_err() {
                    close(ctx, room_gone());
                }
            }),
        );
    }

    fn binary(&mut self, frame: Bytes, ctx: &mut SessionContext<Self>) {
        let Some(session_id) = self.session else {
            return;
        };
        match self.room.try_send(Inbound { session_id, frame }) {
            Ok(()) => {}
            Err(SendError::Full(inbound)) => self.room.do_send(inbound),
            Err(SendError::Closed(_)) => close(ctx, room_gone()),
        }
    }

    fn text(&mut self, _text: &str, ctx: &mut SessionContext<Self>) {
        close(ctx, Close::unsupported("binary y-websocket frames only"));
    }

    fn closed(&mut self, session_id: SessionId) {
        self.room.do_send(Leave { session_id });
    }
}
