//! One actor per websocket: binary y-websocket frames in and out of the room.

use std::time::{Duration, Instant};

use actix::prelude::*;
use actix_web_actors::ws;
use shared::rate::TokenBucket;
use uuid::Uuid;

use super::room::{Connect, Inbound, Leave, Outgoing, RoomActor};

/// How often the server pings the client.
pub const HEARTBEAT_INTERVAL: Duration = Duration::from_secs(5);
/// A client that answers nothing for this long is dropped.
pub const CLIENT_TIMEOUT: Duration = Duration::from_secs(30);
/// Largest frame a client may send; a whole pasted file fits comfortably.
pub const MAX_FRAME_BYTES: usize = 1024 * 1024;
/// Frames a client may send per second on average, and in a burst (every keystroke is an
/// update; a paste or a reconnect sends many at once).
const RATE_PER_SEC: f64 = 200.0;
const BURST: f64 = 1000.0;
/// Frames over the rate tolerated before the client is dropped. Frames are never thrown
/// away (that would lose edits); a client that keeps flooding is disconnected instead, and
/// resynchronises whatever it still has when it reconnects.
const MAX_VIOLATIONS: u32 = 1000;

pub struct Session {
    id: Uuid,
    user_id: Uuid,
    room: Addr<RoomActor>,
    last_heard: Instant,
    rate: TokenBucket,
    violations: u32,
}

impl Session {
    pub fn new(user_id: Uuid, room: Addr<RoomActor>) -> Self {
        Self {
            id: Uuid::new_v4(),
            user_id,
            room,
            last_heard: Instant::now(),
            rate: TokenBucket::new(RATE_PER_SEC, BURST),
            violations: 0,
        }
    }

    fn close(ctx: &mut ws::WebsocketContext<Self>, code: ws::CloseCode, reason: &str) {
        ctx.close(Some(ws::CloseReason {
            code,
            description: Some(reason.to_owned()),
        }));
        ctx.stop();
    }
}

impl Actor for Session {
    type Context = ws::WebsocketContext<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        metrics::gauge!("websockets_open", "service" => "collaboration").increment(1.0);
        let connect = Connect {
            session_id: self.id,
            session: ctx.address().recipient(),
        };
        match self.room.try_send(connect) {
            Ok(()) => {}
            // A busy mailbox is no reason to drop anything.
            Err(SendError::Full(connect)) => self.room.do_send(connect),
            // The room unloaded between the upgrade and now: reconnecting opens it again.
            Err(SendError::Closed(_)) => {
                Self::close(
                    ctx,
                    ws::CloseCode::Restart,
                    "the room is reloading; reconnect",
                );
                return;
            }
        }
        ctx.run_interval(HEARTBEAT_INTERVAL, |session, ctx| {
            if session.last_heard.elapsed() > CLIENT_TIMEOUT {
                log::info!("session {} of {} timed out", session.id, session.user_id);
                ctx.stop();
                return;
            }
            ctx.ping(b"");
        });
    }

    fn stopping(&mut self, _: &mut Self::Context) -> Running {
        self.room.do_send(Leave {
            session_id: self.id,
        });
        metrics::gauge!("websockets_open", "service" => "collaboration").decrement(1.0);
        Running::Stop
    }
}

impl Handler<Outgoing> for Session {
    type Result = ();

    fn handle(&mut self, outgoing: Outgoing, ctx: &mut Self::Context) {
        match outgoing {
            Outgoing::Frame(frame) => ctx.binary(frame),
            Outgoing::Close { code, reason } => {
                Self::close(ctx, ws::CloseCode::from(code), &reason)
            }
        }
    }
}

impl StreamHandler<Result<ws::Message, ws::ProtocolError>> for Session {
    fn handle(&mut self, message: Result<ws::Message, ws::ProtocolError>, ctx: &mut Self::Context) {
        self.last_heard = Instant::now();
        match message {
            Ok(ws::Message::Binary(frame)) => {
                if !self.rate.allow() {
                    self.violations += 1;
                    if self.violations > MAX_VIOLATIONS {
                        log::warn!("session {} of {} flooded; closing", self.id, self.user_id);
                        Self::close(ctx, ws::CloseCode::Policy, "too many messages");
                        return;
                    }
                }
                let inbound = Inbound {
                    session_id: self.id,
                    frame: frame.to_vec(),
                };
                match self.room.try_send(inbound) {
                    Ok(()) => {}
                    Err(SendError::Full(inbound)) => self.room.do_send(inbound),
                    Err(SendError::Closed(_)) => {
                        Self::close(
                            ctx,
                            ws::CloseCode::Restart,
                            "the room is reloading; reconnect",
                        );
                    }
                }
            }
            Ok(ws::Message::Text(_)) => Self::close(
                ctx,
                ws::CloseCode::Unsupported,
                "binary y-websocket frames only",
            ),
            Ok(ws::Message::Ping(payload)) => ctx.pong(&payload),
            Ok(ws::Message::Pong(_) | ws::Message::Continuation(_) | ws::Message::Nop) => {}
            Ok(ws::Message::Close(reason)) => {
                ctx.close(reason);
                ctx.stop();
            }
            Err(err) => {
                log::info!("session {} closed on a protocol error: {err}", self.id);
                Self::close(ctx, ws::CloseCode::Size, &err.to_string());
            }
        }
    }
}
