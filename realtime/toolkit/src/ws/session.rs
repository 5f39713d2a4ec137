//! One actor per websocket, the same for every real-time service: it keeps the connection
//! alive, guards against floods, closes with typed codes, and hands each data frame to the
//! service's [`Protocol`], which decides what the frame means.

use std::time::{Duration, Instant};

use actix::prelude::*;
use actix_web::web::Bytes;
use actix_web_actors::ws;
use uuid::Uuid;

use super::client::Client;
use super::close::Close;
use super::guard::{Excess, FloodGuard, RateLimits, Verdict};
use super::outgoing::{Outgoing, SessionId};
use super::sessions::{Owner, Sessions};

/// The actor context a protocol's callbacks get: `ctx.text(…)`, `ctx.binary(…)` (replies to
/// the client, which go out at once), and [`close`].
pub type SessionContext<P> = ws::WebsocketContext<WsSession<P>>;

/// How a service's websockets are bounded.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest frame a client may send; a larger one closes the session (1009).
    pub max_frame_bytes: usize,
    /// Sends that may wait for a client that stopped reading before it is closed (1008).
    pub max_backlog: usize,
    /// How often the server pings the client.
    pub heartbeat: Duration,
    /// A client that sends nothing (not even a pong) for this long is dropped.
    pub client_timeout: Duration,
    pub rate: RateLimits,
}

/// What is special about one service's websocket: what its frames mean. Each callback runs
/// on the session's actor.
pub trait Protocol: Sized + Unpin + 'static {
    /// The session is open: introduce it to the room or queue (with `session.client`, how
    /// they send it anything; see [`attach`]), or [`close`] it.
    fn opened(&mut self, session: Session<'_>, ctx: &mut SessionContext<Self>);
    /// A text frame the flood guard let through.
    fn text(&mut self, session: Session<'_>, text: &str, ctx: &mut SessionContext<Self>);
    /// A binary frame the flood guard let through.
    fn binary(&mut self, session: Session<'_>, frame: Bytes, ctx: &mut SessionContext<Self>);
    /// A frame was dropped as excess ([`Excess::Refuse`]); tell the client if the protocol
    /// has a way to (`frame` is what was dropped).
    fn refused(&mut self, _frame: &[u8], _ctx: &mut SessionContext<Self>) {}
    /// The session is gone (closed by either side, timed out, or the process stopping).
    fn closed(&mut self, session: SessionId);
}

/// The session a protocol callback runs for: its id, and the handle the service's actors
/// reach its client through.
#[derive(Clone, Copy)]
pub struct Session<'a> {
    pub id: SessionId,
    pub client: &'a Client,
}

/// Sends `message` (a session joining a room) ahead of any frame the session handles next;
/// if the room stops before handling it, the session is closed with `reconnect` (the client
/// reconnects, and that opens the room again).
pub fn attach<P, A, M>(ctx: &mut SessionContext<P>, room: &Addr<A>, message: M, reconnect: Close)
where
    P: Protocol,
    A: Handler<M>,
    A::Context: actix::dev::ToEnvelope<A, M>,
    M: Message + Send + 'static,
    M::Result: Send,
{
    let delivered = room.send(message);
    ctx.spawn(
        actix::fut::wrap_future::<_, WsSession<P>>(delivered).map(move |result, _, ctx| {
            if result.is_err() {
                close(ctx, reconnect);
            }
        }),
    );
}

/// Sends the close frame and stops the session.
pub fn close<A>(ctx: &mut ws::WebsocketContext<A>, close: Close)
where
    A: Actor<Context = ws::WebsocketContext<A>>,
{
    ctx.close(Some(close.into()));
    ctx.stop();
}

pub struct WsSession<P> {
    id: SessionId,
    protocol: P,
    /// The handle the service's actors send through (set when the session starts).
    client: Option<Client>,
    limits: Limits,
    guard: FloodGuard,
    last_heard: Instant,
    sessions: Sessions,
    owner: Owner,
}

impl<P: Protocol> WsSession<P> {
    pub fn new(protocol: P, limits: Limits, sessions: Sessions, owner: Owner) -> Self {
        let now = Instant::now();
        Self {
            owner,
            id: Uuid::new_v4(),
            protocol,
            client: None,
            limits,
            guard: FloodGuard::new(&limits.rate, now),
            last_heard: now,
            sessions,
        }
    }

    /// Whether a data frame goes on to the protocol.
    fn admit(&mut self, frame: &[u8], ctx: &mut SessionContext<P>) -> bool {
        match self.guard.check(frame.len(), Instant::now()) {
            Verdict::Pass => true,
            Verdict::Excess => match self.limits.rate.excess {
                Excess::Accept => true,
                Excess::Refuse => {
                    self.protocol.refused(frame, ctx);
                    false
                }
            },
            Verdict::Flooding => {
                log::warn!(
                    "{} session {} flooded; closing",
                    self.sessions.service(),
                    self.id
                );
                close(ctx, Close::flooding());
                false
            }
        }
    }
}

impl<P: Protocol> Actor for WsSession<P> {
    type Context = SessionContext<P>;

    fn started(&mut self, ctx: &mut Self::Context) {
        self.sessions
            .add(self.id, self.owner, ctx.address().recipient());
        ctx.run_interval(self.limits.heartbeat, |session, ctx| {
            if session.last_heard.elapsed() > session.limits.client_timeout {
                log::info!(
                    "{} session {} timed out",
                    session.sessions.service(),
                    session.id
                );
                ctx.stop();
                return;
            }
            ctx.ping(b"");
        });
        let client = Client::new(ctx.address().recipient(), self.limits.max_backlog);
        let session = Session {
            id: self.id,
            client: &client,
        };
        self.protocol.opened(session, ctx);
        self.client = Some(client);
    }

    fn stopping(&mut self, _: &mut Self::Context) -> Running {
        self.protocol.closed(self.id);
        self.sessions.remove(self.id);
        Running::Stop
    }
}

impl<P: Protocol> Handler<Outgoing> for WsSession<P> {
    type Result = ();

    fn handle(&mut self, outgoing: Outgoing, ctx: &mut Self::Context) {
        if let Some(client) = &self.client {
            client.handled();
        }
        match outgoing {
            Outgoing::Text(text) => ctx.text(text),
            Outgoing::Texts(texts) => {
                for text in texts {
                    ctx.text(text);
                }
            }
            Outgoing::Binary(frame) => ctx.binary(frame),
            Outgoing::Close(reason) => close(ctx, reason),
        }
    }
}

impl<P: Protocol> StreamHandler<Result<ws::Message, ws::ProtocolError>> for WsSession<P> {
    fn handle(&mut self, message: Result<ws::Message, ws::ProtocolError>, ctx: &mut Self::Context) {
        self.last_heard = Instant::now();
        match message {
            Ok(ws::Message::Text(text)) => {
                if self.admit(text.as_bytes(), ctx)
                    && let Some(client) = &self.client
                {
                    let session = Session {
                        id: self.id,
                        client,
                    };
                    self.protocol.text(session, &text, ctx);
                }
            }
            Ok(ws::Message::Binary(frame)) => {
                if self.admit(&frame, ctx)
                    && let Some(client) = &self.client
                {
                    let session = Session {
                        id: self.id,
                        client,
                    };
                    self.protocol.binary(session, frame, ctx);
                }
            }
            // Pings count against the flood guard like any frame; excess ones go unanswered.
            Ok(ws::Message::Ping(payload)) => match self.guard.check(payload.len(), Instant::now())
            {
                Verdict::Pass => ctx.pong(&payload),
                Verdict::Excess => {}
                Verdict::Flooding => close(ctx, Close::flooding()),
            },
            Ok(ws::Message::Continuation(_)) => close(
                ctx,
                Close::unsupported("fragmented messages are not supported: send each in one frame"),
            ),
            Ok(ws::Message::Pong(_) | ws::Message::Nop) => {}
            Ok(ws::Message::Close(reason)) => {
                ctx.close(reason);
                ctx.stop();
            }
            Err(err) => {
                log::info!(
                    "{} session {} closed on a protocol error: {err}",
                    self.sessions.service(),
                    self.id
                );
                let reason = match err {
                    ws::ProtocolError::Overflow => Close::too_big(format!(
                        "frames are limited to {} bytes",
                        self.limits.max_frame_bytes
                    )),
                    other => Close::protocol(other.to_string()),
                };
                close(ctx, reason);
            }
        }
    }
}
