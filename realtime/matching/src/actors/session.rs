//! One actor per websocket: reads the client's frames, keeps the connection alive, and
//! writes what the queue actor has to say.

use std::time::{Duration, Instant};

use actix::prelude::*;
use actix_web_actors::ws;
use shared::rate::TokenBucket;
use uuid::Uuid;

use super::queue::{Cancel, Connected, Deliver, Disconnected, Join, QueueActor, Restart};
use crate::protocol::{self, ClientMessage, ServerMessage};

/// How often the server pings the client.
pub const HEARTBEAT_INTERVAL: Duration = Duration::from_secs(5);
/// A client that answers nothing for this long is dropped (and leaves the queue).
pub const CLIENT_TIMEOUT: Duration = Duration::from_secs(15);
/// Largest text frame a client may send; matching messages are tiny.
pub const MAX_FRAME_BYTES: usize = 4 * 1024;
/// Messages a client may send per second on average, and in a burst.
const RATE_PER_SEC: f64 = 5.0;
const BURST: f64 = 10.0;
/// Rate-limited messages tolerated before the client is dropped.
const MAX_VIOLATIONS: u32 = 20;

pub struct Session {
    id: Uuid,
    user_id: Uuid,
    username: String,
    queue: Addr<QueueActor>,
    last_heard: Instant,
    rate: TokenBucket,
    violations: u32,
}

impl Session {
    pub fn new(user_id: Uuid, username: String, queue: Addr<QueueActor>) -> Self {
        Self {
            id: Uuid::new_v4(),
            user_id,
            username,
            queue,
            last_heard: Instant::now(),
            rate: TokenBucket::new(RATE_PER_SEC, BURST),
            violations: 0,
        }
    }

    fn send(ctx: &mut ws::WebsocketContext<Self>, message: &ServerMessage) {
        ctx.text(message.to_json());
    }

    fn handle_text(&mut self, text: &str, ctx: &mut ws::WebsocketContext<Self>) {
        if !self.rate.allow() {
            self.violations += 1;
            if self.violations > MAX_VIOLATIONS {
                log::warn!("session {} of {} flooded; closing", self.id, self.user_id);
                ctx.close(Some(ws::CloseReason {
                    code: ws::CloseCode::Policy,
                    description: Some("too many messages".into()),
                }));
                ctx.stop();
            } else {
                Self::send(
                    ctx,
                    &ServerMessage::error("rate_limited", "too many messages; slow down"),
                );
            }
            return;
        }
        match protocol::parse(text) {
            Ok(ClientMessage::Join(request)) => self.queue.do_send(Join {
                session_id: self.id,
                client: ctx.address().recipient(),
                user_id: self.user_id,
                username: self.username.clone(),
                request,
            }),
            Ok(ClientMessage::Cancel) => self.queue.do_send(Cancel {
                session_id: self.id,
            }),
            Ok(ClientMessage::Ping) => Self::send(ctx, &ServerMessage::Pong),
            Err(reason) => Self::send(ctx, &ServerMessage::error("invalid_message", reason)),
        }
    }
}

impl Actor for Session {
    type Context = ws::WebsocketContext<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        metrics::gauge!("websockets_open", "service" => "matching").increment(1.0);
        self.queue.do_send(Connected {
            session_id: self.id,
            session: ctx.address().recipient(),
        });
        ctx.run_interval(HEARTBEAT_INTERVAL, |session, ctx| {
            if Instant::now().duration_since(session.last_heard) > CLIENT_TIMEOUT {
                log::info!("session {} of {} timed out", session.id, session.user_id);
                ctx.stop();
                return;
            }
            ctx.ping(b"");
        });
    }

    fn stopping(&mut self, _: &mut Self::Context) -> Running {
        self.queue.do_send(Disconnected {
            session_id: self.id,
        });
        metrics::gauge!("websockets_open", "service" => "matching").decrement(1.0);
        Running::Stop
    }
}

impl Handler<Restart> for Session {
    type Result = ();

    fn handle(&mut self, _: Restart, ctx: &mut Self::Context) {
        ctx.close(Some(ws::CloseReason {
            code: ws::CloseCode::Restart,
            description: Some("the server is restarting; reconnect".into()),
        }));
        ctx.stop();
    }
}

impl Handler<Deliver> for Session {
    type Result = ();

    fn handle(&mut self, deliver: Deliver, ctx: &mut Self::Context) {
        Self::send(ctx, &deliver.message);
    }
}

impl StreamHandler<Result<ws::Message, ws::ProtocolError>> for Session {
    fn handle(&mut self, message: Result<ws::Message, ws::ProtocolError>, ctx: &mut Self::Context) {
        self.last_heard = Instant::now();
        match message {
            Ok(ws::Message::Text(text)) => self.handle_text(&text, ctx),
            Ok(ws::Message::Ping(payload)) => ctx.pong(&payload),
            Ok(ws::Message::Pong(_)) => {}
            Ok(ws::Message::Binary(_)) => {
                Self::send(
                    ctx,
                    &ServerMessage::error("invalid_message", "send JSON text frames"),
                );
            }
            Ok(ws::Message::Close(reason)) => {
                ctx.close(reason);
                ctx.stop();
            }
            Ok(ws::Message::Continuation(_) | ws::Message::Nop) => {}
            Err(err) => {
                log::info!("session {} closed on a protocol error: {err}", self.id);
                ctx.close(Some(ws::CloseReason {
                    code: ws::CloseCode::Size,
                    description: Some(format!("{err}")),
                }));
                ctx.stop();
            }
        }
    }
}
