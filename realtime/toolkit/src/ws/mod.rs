//! The websocket life cycle of every real-time service, in one place:
//!
//! 1. [`Upgrader::upgrade`]: the `Origin` is checked (403), the access token verified (401),
//!    the request must be a websocket handshake (400), then the service's own check runs
//!    (membership: 403, 404 or 503) and builds its [`Protocol`]. Nothing is upgraded before
//!    all of that passed.
//! 2. [`WsSession`]: one actor per websocket. It answers pings, pings the client every
//!    [`Limits::heartbeat`] and drops it after [`Limits::client_timeout`] of silence, passes
//!    each data frame through the [`FloodGuard`], and hands it to the protocol.
//! 3. Whatever the service's actors send a session goes through its [`Client`] handle, which
//!    bounds what waits for a client that stopped reading, and arrives as [`Outgoing`]: text
//!    or binary frames, or a typed [`Close`].
//! 4. [`Sessions`] knows every open session of the process (the `websockets_open` gauge) and
//!    closes them all with 1012 on SIGTERM, so that clients reconnect to another process.

mod client;
mod close;
mod guard;
mod origins;
mod outgoing;
mod session;
mod sessions;
mod upgrade;

pub use client::Client;
pub use close::Close;
pub use guard::{Excess, FloodGuard, RateLimits, Verdict};
pub use origins::AllowedOrigins;
pub use outgoing::{Outgoing, SessionId};
pub use session::{Limits, Protocol, Session, SessionContext, WsSession, attach, close};
pub use sessions::{Owner, Sessions};
pub use upgrade::{MAX_SESSIONS_PER_USER, Upgrader};
