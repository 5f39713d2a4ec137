//! What a collaboration websocket's frames mean (the session actor itself, with its
//! heartbeat and flood guard, is the toolkit's): binary y-websocket frames go to the room
//! actor, and the room's frames come back. Text frames are not part of the protocol.

use std::time::Duration;

use actix::prelude::*;
use actix_web::web::Bytes;
use toolkit::ws::{
    Close, Excess, Limits, Protocol, RateLimits, Session, SessionContext, SessionId, attach, close,
};

use super::room::{Connect, Inbound, Leave, RoomActor};

/// Every keystroke is an update; a paste or a reconnect sends many at once. One member can
/// push at most 2 MiB at once and 64 KiB a second after that (under 6 MiB in a minute, about
/// 4 MiB a minute sustained): a fast typist sends about 1 KiB a second, and a reconnect
/// resends at most the whole document ([`crate::sync::MAX_DOCUMENT_BYTES`]), so only a
/// runaway or hostile client meets the budget. Its frames are never thrown away (that would
/// lose edits it believes sent): it is closed (1008, "sending too much") and resynchronises
/// whatever it still has when it reconnects.
pub const LIMITS: Limits = Limits {
    // A whole pasted file, or a reconnect's whole document, fits comfortably.
    max_frame_bytes: 1024 * 1024,
    // Frames a client that stopped reading may owe before it is closed: minutes of a
    // peer's typing (it resynchronises when it reconnects).
    max_backlog: 4096,
    heartbeat: Duration::from_secs(5),
    client_timeout: Duration::from_secs(30),
    rate: RateLimits {
        messages_per_sec: 200.0,
        message_burst: 1000.0,
        bytes_per_sec: 64.0 * 1024.0,
        byte_burst: 2.0 * 1024.0 * 1024.0,
        // Tiny frames over the message rate are applied anyway; a client that keeps that up
        // for a while is disconnected.
        strikes: 100.0,
        strikes_forgiven_per_sec: 10.0,
        excess: Excess::Accept,
    },
};

/// A member editing the room's document.
pub struct Editor {
    room: Addr<RoomActor>,
}

impl Editor {
    pub fn new(room: Addr<RoomActor>) -> Self {
        Self { room }
    }
}

/// The room unloaded between the upgrade and now: reconnecting opens it again.
fn room_gone() -> Close {
    Close::reconnect("the room is reloading; reconnect")
}

impl Protocol for Editor {
    fn opened(&mut self, session: Session<'_>, ctx: &mut SessionContext<Self>) {
        let connect = Connect {
            session_id: session.id,
            session: session.client.clone(),
        };
        attach(ctx, &self.room, connect, room_gone());
    }

    fn binary(&mut self, session: Session<'_>, frame: Bytes, ctx: &mut SessionContext<Self>) {
        let session_id = session.id;
        match self.room.try_send(Inbound { session_id, frame }) {
            Ok(()) => {}
            Err(SendError::Full(inbound)) => self.room.do_send(inbound),
            Err(SendError::Closed(_)) => close(ctx, room_gone()),
        }
    }

    fn text(&mut self, _session: Session<'_>, _text: &str, ctx: &mut SessionContext<Self>) {
        close(ctx, Close::unsupported("binary y-websocket frames only"));
    }

    fn closed(&mut self, session_id: SessionId) {
        self.room.do_send(Leave { session_id });
    }
}
