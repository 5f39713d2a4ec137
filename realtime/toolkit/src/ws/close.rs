//! Why a session is closed: a close code a client can act on, and a reason it can show.

use actix_web_actors::ws::{CloseCode, CloseReason};

/// A close frame. The constructors name every reason PeerPrep closes a websocket for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Close {
    pub code: CloseCode,
    pub reason: String,
}

impl Close {
    pub fn new(code: CloseCode, reason: impl Into<String>) -> Self {
        Self {
            code,
            reason: reason.into(),
        }
    }

    /// 1012: this process is shutting down; reconnecting reaches another.
    pub fn restarting() -> Self {
        Self::new(CloseCode::Restart, "the server is restarting; reconnect")
    }

    /// 1012: what the session was attached to (a room) went away here; reconnecting opens
    /// it again.
    pub fn reconnect(reason: impl Into<String>) -> Self {
        Self::new(CloseCode::Restart, reason)
    }

    /// 1011: the server could not keep the session's state; reconnecting starts afresh.
    pub fn server_error(reason: impl Into<String>) -> Self {
        Self::new(CloseCode::Error, reason)
    }

    /// 1003: a frame the protocol cannot accept (undecodable, or the wrong kind).
    pub fn unsupported(reason: impl Into<String>) -> Self {
        Self::new(CloseCode::Unsupported, reason)
    }

    /// 1008: the client stopped reading and fell too far behind; reconnecting catches up.
    pub fn too_slow() -> Self {
        Self::new(
            CloseCode::Policy,
            "too far behind (the connection stopped reading); reconnect",
        )
    }

    /// 1008: the client kept sending faster than allowed, in messages or in bytes.
    pub fn flooding() -> Self {
        Self::new(
            CloseCode::Policy,
            "sending too much (over the message or byte rate); slow down and reconnect",
        )
    }

    /// 1008: the user's log-in session ended (signed out, password changed, demoted);
    /// reconnecting needs a new sign-in.
    pub fn session_ended() -> Self {
        Self::new(
            CloseCode::Policy,
            "your session has ended (signed out or changed elsewhere); sign in again",
        )
    }

    /// 1009: a frame over the size limit.
    pub fn too_big(reason: impl Into<String>) -> Self {
        Self::new(CloseCode::Size, reason)
    }

    /// 1002: the websocket protocol itself was broken.
    pub fn protocol(reason: impl Into<String>) -> Self {
        Self::new(CloseCode::Protocol, reason)
    }
}

impl From<Close> for CloseReason {
    fn from(close: Close) -> Self {
        CloseReason {
            code: close.code,
            description: Some(close.reason),
        }
    }
}
