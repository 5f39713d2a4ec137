//! What a room on one process tells the same room on the others, over the bus: JSON with a
//! format version. A stored message carries its id, so a process that missed one notices the
//! gap and reads it from the store; typing and presence are not stored and may be missed.
//!
//! The `message` kind is published by the store's commit script in the same step that
//! stores the message (see `store::redis`), which writes exactly this shape:
//! `{"v":1,"kind":"message","seq":<id>,"message":<Posted>}`.

use serde::{Deserialize, Serialize};
use shared::contract::PublicProfile;

use crate::protocol::Posted;

/// The format this build writes and reads.
pub const VERSION: u8 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    pub v: u8,
    #[serde(flatten)]
    pub body: Fanout,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fanout {
    /// A message was stored with this id.
    Message { seq: u64, message: Posted },
    /// A member on `node` is typing.
    Typing { node: String, user: PublicProfile },
    /// Who has a session on `node` now (empty: nobody any more).
    Presence {
        node: String,
        online: Vec<PublicProfile>,
    },
    /// `node` opened the room: the others say who they have.
    Hello { node: String },
}

/// Why a payload was not read.
#[derive(Debug, thiserror::Error)]
pub enum FanoutError {
    #[error("unreadable fan-out message: {0}")]
    Unreadable(#[from] serde_json::Error),
    #[error("fan-out format version {0} is not {VERSION}")]
    Version(u8),
}

impl Fanout {
    pub fn encode(self) -> Result<Vec<u8>, serde_json::Error> {
        serde_json::to_vec(&Envelope {
            v: VERSION,
            body: self,
        })
    }

    pub fn decode(payload: &[u8]) -> Result<Self, FanoutError> {
        let envelope: Envelope = serde_json::from_slice(payload)?;
        if envelope.v != VERSION {
            return Err(FanoutError::Version(envelope.v));
        }
        Ok(envelope.body)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};
    use uuid::Uuid;

    use super::*;

    fn ada() -> PublicProfile {
        PublicProfile {
            id: Uuid::nil(),
            username: "ada".into(),
        }
    }

    #[test]
    fn every_kind_round_trips() {
        for fanout in [
            Fanout::Typing {
                node: "n1".into(),
                user: ada(),
            },
            Fanout::Presence {
                node: "n1".into(),
                online: vec![ada()],
            },
            Fanout::Hello { node: "n2".into() },
        ] {
            let payload = fanout.clone().encode().expect("encodes");
            assert_eq!(Fanout::decode(&payload).expect("decodes"), fanout);
        }
    }

    #[test]
    fn what_the_commit_script_publishes_is_read() {
        let posted = Posted {
            client_id: "c-1".into(),
            sender: ada(),
            text: "hi \"there\"".into(),
            sent_at: DateTime::<Utc>::UNIX_EPOCH,
        };
        let stored = serde_json::to_string(&posted).expect("json");
        let published = format!(r#"{{"v":1,"kind":"message","seq":42,"message":{stored}}}"#);
        assert_eq!(
            Fanout::decode(published.as_bytes()).expect("decodes"),
            Fanout::Message {
                seq: 42,
                message: posted
            }
        );
    }

    #[test]
    fn garbage_and_other_versions_are_refused() {
        assert!(Fanout::decode(b"").is_err());
        assert!(Fanout::decode(br#"{"v":1,"kind":"dance"}"#).is_err());
        assert!(matches!(
            Fanout::decode(br#"{"v":2,"kind":"hello","node":"n"}"#),
            Err(FanoutError::Version(2))
        ));
    }
}
