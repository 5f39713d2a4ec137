//! What one matching process tells another about a ticket the other owns (its user's
//! websocket is there): the ticket was matched, replaced, put back, or could not be matched.
//! Sent over the bus, JSON, on the owning process's own channel.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::protocol::ServerMessage;

/// News for the process that owns a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub ticket: Uuid,
    pub kind: NoticeKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NoticeKind {
    /// The ticket was matched: tell the session (a `matched` message) and forget it.
    Matched { message: ServerMessage },
    /// The user joined again elsewhere; this ticket is gone.
    Replaced,
    /// The match fell through; the ticket is back in the queue.
    Requeued { reason: String },
    /// The ticket is out of the queue without a match (no question exists for the pair).
    Unmatched { reason: String },
}

/// A notice and the process it is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub node: String,
    pub notice: Notice,
}

/// The channel a process listens on.
pub fn channel(prefix: &str, node: &str) -> String {
    format!("{prefix}node:{node}")
}

impl Notice {
    pub fn encode(&self) -> Result<Vec<u8>, serde_json::Error> {
        serde_json::to_vec(self)
    }

    pub fn decode(payload: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(payload)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_round_trip_and_garbage_is_refused() {
        let notice = Notice {
            ticket: Uuid::new_v4(),
            kind: NoticeKind::Requeued {
                reason: "questions are unavailable".into(),
            },
        };
        let payload = notice.encode().expect("encodes");
        assert_eq!(Notice::decode(&payload).ok(), Some(notice));
        assert!(Notice::decode(b"{\"ticket\":1}").is_err());
    }
}
