//! Where a room's document lives between sessions and across processes: every update the
//! server accepts is appended to a Redis stream per room (`<prefix>doc:<room>`) before it
//! is broadcast, so a process killed at any moment loses nothing any client was sent. A
//! process that opens the room reads it back. From time to time the stream is compacted
//! into a snapshot (`<prefix>snapshot:<room>`: the merged state and the last stream id it
//! holds), with a compare-and-set so that compactions racing on several processes can never
//! drop an update. Without Redis, memory (one process).
//!
//! Also here: which processes have sessions in a room (`<prefix>presence:<room>`, a sorted
//! set of node ids scored by until when), so that a session is recorded as abandoned only
//! when nobody is left anywhere.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use anyhow::Context;
use redis::Value;
use redis::aio::ConnectionManager;
use uuid::Uuid;

/// An entry of a Redis stream as XRANGE returns it: its id and its field/value pairs.
type StreamEntry = (String, Vec<(String, Vec<u8>)>);

/// The snapshot's state and the id it holds up to, and the stream entries after it, read
/// in one step.
const READ: &str = r"
local snapshot = redis.call('HMGET', KEYS[2], 'state', 'upto')
local start = '-'
if snapshot[2] then start = '(' .. snapshot[2] end
return {snapshot[1], snapshot[2], redis.call('XRANGE', KEYS[1], start, '+')}
";

/// Appends a frame's updates (ARGV[3..]) to the stream, then publishes the fan-out message
/// (ARGV[2]) on the room's channel (ARGV[1]): one round trip, and an append that fails
/// (Redis out of memory) stops the script before anything is published.
const COMMIT: &str = r"
for i = 3, #ARGV do
  redis.call('XADD', KEYS[1], '*', 'u', ARGV[i])
end
redis.call('PUBLISH', ARGV[1], ARGV[2])
return #ARGV - 2
";

/// Hashed once: a commit is the path every keystroke takes.
static COMMIT_SCRIPT: LazyLock<redis::Script> = LazyLock::new(|| redis::Script::new(COMMIT));

/// Replaces the snapshot if nobody else did since it was read, and trims what it holds.
const COMPACT: &str = r"
local current = redis.call('HGET', KEYS[2], 'upto') or ''
if current ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[2], 'state', ARGV[3], 'upto', ARGV[2])
local ms, seq = string.match(ARGV[2], '^(%d+)-(%d+)$')
redis.call('XTRIM', KEYS[1], 'MINID', ms .. '-' .. (tonumber(seq) + 1))
return 1
";

/// A message for the room's other processes.
pub struct Publish<'a> {
    pub channel: &'a str,
    pub payload: &'a [u8],
}

/// A consistent view of a room's stored document.
struct Stored {
    snapshot: Option<Vec<u8>>,
    upto: Option<String>,
    entries: Vec<StreamEntry>,
}

impl Stored {
    fn updates(self) -> Vec<Vec<u8>> {
        self.snapshot
            .into_iter()
            .chain(
                self.entries
                    .into_iter()
                    .flat_map(|(_, fields)| fields.into_iter().map(|(_, update)| update)),
            )
            .collect()
    }
}

#[derive(Clone)]
pub enum DocStore {
    Redis {
        conn: ConnectionManager,
        prefix: String,
    },
    Memory(Arc<Mutex<HashMap<Uuid, Vec<Vec<u8>>>>>),
}

impl DocStore {
    pub fn memory() -> Self {
        Self::Memory(Arc::default())
    }

    fn key(prefix: &str, room: Uuid) -> String {
        format!("{prefix}doc:{room}")
    }

    fn snapshot_key(prefix: &str, room: Uuid) -> String {
        format!("{prefix}snapshot:{room}")
    }

    async fn read(conn: &ConnectionManager, prefix: &str, room: Uuid) -> anyhow::Result<Stored> {
        let (snapshot, upto, entries): (Option<Vec<u8>>, Option<String>, Vec<StreamEntry>) =
            redis::Script::new(READ)
                .key(Self::key(prefix, room))
                .key(Self::snapshot_key(prefix, room))
                .invoke_async(&mut conn.clone())
                .await
                .with_context(|| format!("load room {room}"))?;
        Ok(Stored {
            snapshot,
            upto,
            entries,
        })
    }

    /// Folds the stream into the snapshot. Returns whether it did (another process may have
    /// compacted meanwhile, which is just as good).
    pub async fn compact(&self, room: Uuid) -> anyhow::Result<bool> {
        let Self::Redis { conn, prefix } = self else {
            return Ok(false);
        };
        let stored = Self::read(conn, prefix, room).await?;
        let Some(last) = stored.entries.last().map(|(id, _)| id.clone()) else {
            return Ok(false);
        };
        let expected = stored.upto.clone().unwrap_or_default();
        let updates = stored.updates();
        let merged =
            yrs::merge_updates_v1(updates.iter().map(Vec::as_slice)).context("merge updates")?;
        let replaced: i64 = redis::Script::new(COMPACT)
            .key(Self::key(prefix, room))
            .key(Self::snapshot_key(prefix, room))
            .arg(expected)
            .arg(&last)
            .arg(merged)
            .invoke_async(&mut conn.clone())
            .await
            .with_context(|| format!("compact room {room}"))?;
        Ok(replaced == 1)
    }

    /// Every stored update of the room, oldest first.
    pub async fn load(&self, room: Uuid) -> anyhow::Result<Vec<Vec<u8>>> {
        match self {
            Self::Redis { conn, prefix } => Ok(Self::read(conn, prefix, room).await?.updates()),
            Self::Memory(rooms) => Ok(rooms
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .get(&room)
                .cloned()
                .unwrap_or_default()),
        }
    }

    /// Stores a frame's updates, in order, and publishes `fanout` to the room's other
    /// processes (with Redis: in one round trip, publishing only if all was stored; alone in
    /// memory there is nobody to publish to). Returns only once everything is stored.
    pub async fn commit(
        &self,
        room: Uuid,
        updates: &[Vec<u8>],
        fanout: Publish<'_>,
    ) -> anyhow::Result<()> {
        match self {
            Self::Redis { conn, prefix } => {
                let mut invocation = COMMIT_SCRIPT.key(Self::key(prefix, room));
                invocation.arg(fanout.channel).arg(fanout.payload);
                for update in updates {
                    invocation.arg(update.as_slice());
                }
                invocation
                    .invoke_async::<i64>(&mut conn.clone())
                    .await
                    .with_context(|| format!("store the updates of room {room}"))?;
                Ok(())
            }
            Self::Memory(rooms) => {
                rooms
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .entry(room)
                    .or_default()
                    .extend(updates.iter().cloned());
                Ok(())
            }
        }
    }

    /// Says that `node` has sessions in the room, for the next `ttl`.
    pub async fn mark_present(
        &self,
        room: Uuid,
        node: &str,
        ttl: std::time::Duration,
    ) -> anyhow::Result<()> {
        if let Self::Redis { conn, prefix } = self {
            let until = chrono::Utc::now().timestamp_millis()
                + i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX);
            redis::cmd("ZADD")
                .arg(format!("{prefix}presence:{room}"))
                .arg(until)
                .arg(node)
                .query_async::<Value>(&mut conn.clone())
                .await
                .context("mark presence")?;
        }
        Ok(())
    }

    /// Whether another process still has sessions in the room.
    pub async fn present_elsewhere(&self, room: Uuid, node: &str) -> anyhow::Result<bool> {
        let Self::Redis { conn, prefix } = self else {
            return Ok(false);
        };
        let now = chrono::Utc::now().timestamp_millis();
        let nodes: Vec<String> = redis::cmd("ZRANGE")
            .arg(format!("{prefix}presence:{room}"))
            .arg(now)
            .arg("+inf")
            .arg("BYSCORE")
            .query_async(&mut conn.clone())
            .await
            .context("read presence")?;
        Ok(nodes.iter().any(|other| other != node))
    }
}
