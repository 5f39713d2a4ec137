//! What a room on one process tells the same room on the others, over the bus: a frame's
//! document updates (already stored) or an awareness frame. MessagePack with named fields
//! and a format version, so that a process ignores what it cannot read instead of
//! misreading it, and a newer process may add fields an older one skips.
//!
//! Version 2: updates say which stream entries they are (see [`crate::catchup`]), so a
//! process that missed a message notices and reads it from the store.

use serde::{Deserialize, Serialize};
use serde_bytes::ByteBuf;

use crate::catchup::StreamId;

/// The format this build writes and reads.
pub const VERSION: u8 = 2;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fanout {
    pub v: u8,
    /// The process that sent it; it ignores its own.
    pub node: String,
    pub body: Body,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Body {
    /// Document updates (v1), in the order they were stored: the room stream's entries
    /// `(after, upto]`.
    Updates {
        after: StreamId,
        upto: StreamId,
        updates: Vec<ByteBuf>,
    },
    /// One y-websocket awareness frame, as a client sent it.
    Awareness(ByteBuf),
}

/// [`Fanout`] as written: the same fields and variants, borrowing the bytes.
#[derive(Serialize)]
struct Written<'a> {
    v: u8,
    node: &'a str,
    body: BodyRef<'a>,
}

#[derive(Serialize)]
enum BodyRef<'a> {
    Updates {
        after: StreamId,
        upto: StreamId,
        updates: Vec<&'a serde_bytes::Bytes>,
    },
    Awareness(&'a serde_bytes::Bytes),
}

impl Written<'_> {
    fn encode(node: &str, body: BodyRef<'_>) -> Result<Vec<u8>, rmp_serde::encode::Error> {
        rmp_serde::to_vec_named(&Written {
            v: VERSION,
            node,
            body,
        })
    }
}

/// Why a payload was not read.
#[derive(Debug, thiserror::Error)]
pub enum FanoutError {
    #[error("unreadable fan-out message: {0}")]
    Unreadable(#[from] rmp_serde::decode::Error),
    #[error("fan-out format version {0} is not {VERSION}")]
    Version(u8),
}

impl Fanout {
    pub fn new(node: &str, body: Body) -> Self {
        Self {
            v: VERSION,
            node: node.to_owned(),
            body,
        }
    }

    /// A frame's updates from `node`, stored as the stream's entries `(after, upto]`,
    /// encoded without copying them (every keystroke goes through here).
    pub fn encode_updates(
        node: &str,
        (after, upto): (StreamId, StreamId),
        updates: &[Vec<u8>],
    ) -> Result<Vec<u8>, rmp_serde::encode::Error> {
        let updates = updates.iter().map(|u| serde_bytes::Bytes::new(u)).collect();
        Written::encode(
            node,
            BodyRef::Updates {
                after,
                upto,
                updates,
            },
        )
    }

    /// An awareness frame from `node`, encoded without copying it.
    pub fn encode_awareness(node: &str, frame: &[u8]) -> Result<Vec<u8>, rmp_serde::encode::Error> {
        Written::encode(node, BodyRef::Awareness(serde_bytes::Bytes::new(frame)))
    }

    pub fn encode(&self) -> Result<Vec<u8>, rmp_serde::encode::Error> {
        rmp_serde::to_vec_named(self)
    }

    pub fn decode(payload: &[u8]) -> Result<Self, FanoutError> {
        let fanout: Self = rmp_serde::from_slice(payload)?;
        if fanout.v != VERSION {
            return Err(FanoutError::Version(fanout.v));
        }
        Ok(fanout)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn updates_and_awareness_round_trip() {
        let updates = vec![vec![1, 2, 3], vec![]];
        let (after, upto) = (
            "1700000000000-0".parse().expect("id"),
            StreamId {
                ms: 1_700_000_000_001,
                seq: 1,
            },
        );
        let payload = Fanout::encode_updates("node-1", (after, upto), &updates).expect("encodes");
        assert_eq!(
            Fanout::decode(&payload).expect("decodes"),
            Fanout::new(
                "node-1",
                Body::Updates {
                    after,
                    upto,
                    updates: updates.into_iter().map(ByteBuf::from).collect()
                }
            )
        );
        let long_node = "n".repeat(300);
        let payload = Fanout::encode_awareness(&long_node, &[9; 64]).expect("encodes");
        assert_eq!(
            Fanout::decode(&payload).expect("decodes"),
            Fanout::new(&long_node, Body::Awareness(ByteBuf::from(vec![9; 64])))
        );
    }

    #[test]
    fn garbage_and_other_versions_are_refused() {
        assert!(Fanout::decode(&[]).is_err());
        assert!(Fanout::decode(b"u\x06node-1\x01\x02").is_err());
        let mut future = Fanout::new("n", Body::Awareness(ByteBuf::from(vec![1])));
        future.v = VERSION + 1;
        let payload = future.encode().expect("encodes");
        assert!(matches!(
            Fanout::decode(&payload),
            Err(FanoutError::Version(_))
        ));
    }

    #[test]
    fn a_version_1_message_without_stream_ids_is_refused() {
        #[derive(Serialize)]
        enum OldBody {
            Updates(Vec<ByteBuf>),
        }
        #[derive(Serialize)]
        struct Old {
            v: u8,
            node: &'static str,
            body: OldBody,
        }
        let payload = rmp_serde::to_vec_named(&Old {
            v: 1,
            node: "old",
            body: OldBody::Updates(vec![ByteBuf::from(vec![1])]),
        })
        .expect("encodes");
        assert!(Fanout::decode(&payload).is_err());
    }

    #[test]
    fn unknown_fields_from_a_newer_process_are_skipped() {
        #[derive(Serialize)]
        struct Newer<'a> {
            v: u8,
            node: &'a str,
            body: Body,
            stream_id: &'a str,
        }
        let payload = rmp_serde::to_vec_named(&Newer {
            v: VERSION,
            node: "n",
            body: Body::Awareness(ByteBuf::from(vec![1])),
            stream_id: "1-0",
        })
        .expect("encodes");
        assert_eq!(
            Fanout::decode(&payload).expect("decodes").body,
            Body::Awareness(ByteBuf::from(vec![1]))
        );
    }
}
