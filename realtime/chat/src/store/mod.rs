//! The live log: each room's messages, in order, with their ids. Redis when `REDIS_URL` is
//! set (every chat process shares it), or memory for one process alone. The transcript in
//! PostgreSQL is filled from here in batches (see [`crate::flush`]).
//!
//! A commit is atomic: it gives the message the room's next id, stores it, remembers its
//! client id (a retry with the same client id from the same sender is answered with the
//! stored message, not stored again) and, with Redis, publishes it to the room's other
//! processes in the same step, so nothing is announced that is not stored.

use shared::contract::PublicProfile;
use uuid::Uuid;

use crate::protocol::{ChatMessage, Posted};

mod memory;
mod redis;

pub use memory::MemoryLog;
pub use redis::RedisLog;

/// How long a client id is remembered for retries.
pub const CLIENT_ID_TTL_SECS: u64 = 24 * 60 * 60;
/// How long a room's log and counter are kept after its last message while the transcript
/// may still lack some of it (a transcript outage this long loses what it did not copy).
pub const UNFLUSHED_TTL_SECS: u64 = 7 * 24 * 60 * 60;
/// How long a room's log and counter are kept once the transcript holds all of it.
pub const FLUSHED_TTL_SECS: u64 = 24 * 60 * 60;
/// Entries a room's log may hold before anything is copied to the transcript: past this
/// (the transcript's database has been down a long while) new messages are refused rather
/// than risk losing any.
pub const MAX_UNFLUSHED: u64 = 50_000;

/// What a commit did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Commit {
    /// Stored under a new id.
    Stored(ChatMessage),
    /// The sender sent this client id before: stored then under this id (the message, if
    /// the log still holds it).
    Repeated {
        id: u64,
        message: Option<ChatMessage>,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum CommitError {
    #[error("the room's log is full until the transcript catches up")]
    Full,
    #[error(transparent)]
    Unavailable(#[from] anyhow::Error),
}

/// A message to store in a room.
pub struct NewMessage<'a> {
    pub room: Uuid,
    pub posted: &'a Posted,
    /// The highest id this process knows of in the room; a new id is always above it, even
    /// if the store lost its counter.
    pub floor: u64,
    /// The room's channel, to publish the stored message on.
    pub channel: &'a str,
}

#[derive(Clone)]
pub enum LogStore {
    Redis(RedisLog),
    Memory(MemoryLog),
}

impl LogStore {
    pub async fn commit(&self, new: NewMessage<'_>) -> Result<Commit, CommitError> {
        match self {
            Self::Redis(log) => log.commit(new).await,
            Self::Memory(log) => log.commit(&new),
        }
    }

    /// The room's messages with `after < id <= upto`, oldest first (what the log still
    /// holds of them: the oldest are trimmed once they are in the transcript).
    pub async fn range(
        &self,
        room: Uuid,
        after: u64,
        upto: Option<u64>,
    ) -> anyhow::Result<Vec<ChatMessage>> {
        match self {
            Self::Redis(log) => log.range(room, after, upto).await,
            Self::Memory(log) => Ok(log.range(room, after, upto)),
        }
    }

    /// The room's newest id (0 when it has none).
    pub async fn last_id(&self, room: Uuid) -> anyhow::Result<u64> {
        match self {
            Self::Redis(log) => log.last_id(room).await,
            Self::Memory(log) => Ok(log.last_id(room)),
        }
    }

    /// The transcript holds everything up to `upto`: the log drops what it no longer needs
    /// (keeping the newest `keep` for quick replays), and the room is no longer waiting to
    /// be copied if nothing newer came meanwhile.
    pub async fn flushed(&self, room: Uuid, upto: u64, keep: u64) -> anyhow::Result<()> {
        match self {
            Self::Redis(log) => log.flushed(room, upto, keep).await,
            Self::Memory(log) => {
                log.flushed(room, upto, keep);
                Ok(())
            }
        }
    }

    /// Rooms with messages the transcript has not had for at least `older_than_ms`.
    pub async fn waiting_rooms(&self, older_than_ms: i64) -> anyhow::Result<Vec<Uuid>> {
        match self {
            Self::Redis(log) => log.waiting_rooms(older_than_ms).await,
            Self::Memory(log) => Ok(log.waiting_rooms(older_than_ms)),
        }
    }
}

/// A sender as the log keys retries.
fn retry_key(sender: &PublicProfile, client_id: &str) -> String {
    format!("{}:{client_id}", sender.id)
}
