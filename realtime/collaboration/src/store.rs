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
//!
//! Every key is bounded: the stream and the snapshot expire [`ROOM_IDLE_TTL`] after the
//! room's last stored update ([`ENDED_ROOM_TTL`] once it ended); the stream is trimmed by
//! each compaction (every few hundred updates or MiB, see the room actor), and the snapshot
//! is the document, capped by [`crate::sync::MAX_DOCUMENT_BYTES`]. Presence entries are
//! dropped once they run out, and the key expires with the last one. Updates are published
//! to the room's other processes after they are stored (the fan-out message says which
//! stream entries they are, see [`crate::catchup`]).

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};
use std::time::Duration;

use anyhow::Context;
use redis::aio::ConnectionManager;
use uuid::Uuid;

use crate::catchup::StreamId;
use crate::sync::RoomDoc;

/// An entry of a Redis stream as XRANGE returns it: its id and its field/value pairs.
type StreamEntry = (String, Vec<(String, Vec<u8>)>);

/// How long a room's stream and snapshot outlive their last write: a room nobody edits for
/// this long is abandoned (its attempts were recorded long before, after the idle grace).
pub const ROOM_IDLE_TTL: Duration = Duration::from_secs(24 * 60 * 60);
/// How long an ended room's stream and snapshot are kept after their last write: enough for
/// members to reconnect and look at the ended document; history holds the code.
pub const ENDED_ROOM_TTL: Duration = Duration::from_secs(60 * 60);

/// What is stored after stream id ARGV[1]: the snapshot's state (only if it holds entries
/// past ARGV[1], which were then trimmed from the stream) and the id it holds up to, and the
/// stream entries after both, read in one step.
const READ: &str = r"
local upto = redis.call('HGET', KEYS[2], 'upto')
local state = false
local start = ARGV[1]
if upto then
  local ums, useq = string.match(upto, '^(%d+)-(%d+)$')
  local ams, aseq = string.match(ARGV[1], '^(%d+)-(%d+)$')
  ums, useq, ams, aseq = tonumber(ums), tonumber(useq), tonumber(ams), tonumber(aseq)
  if ums > ams or (ums == ams and useq > aseq) then
    state = redis.call('HGET', KEYS[2], 'state')
    start = upto
  end
end
return {state, upto or false, redis.call('XRANGE', KEYS[1], '(' .. start, '+')}
";

/// Appends a frame's updates (ARGV[5..]) to the stream and keeps the room's keys for
/// ARGV[1] more seconds, then publishes them on channel ARGV[2] as node ARGV[3] (unless
/// ARGV[2] is empty): the fan-out message of [`crate::fanout`] in format version ARGV[4],
/// the same MessagePack `Fanout::encode_updates` writes, so storing and fanning out are one
/// request. Returns the
/// stream's last id before the frame (the newest entry, or what the snapshot holds up to
/// once compaction trimmed everything) and the frame's last id; an append that fails (Redis
/// out of memory) stops the script before anything is published.
const COMMIT: &str = r"
local top = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
local after = '0-0'
if top[1] then
  after = top[1][1]
else
  after = redis.call('HGET', KEYS[2], 'upto') or '0-0'
end
local upto = after
local updates = {}
for i = 5, #ARGV do
  upto = redis.call('XADD', KEYS[1], '*', 'u', ARGV[i])
  updates[#updates + 1] = ARGV[i]
end
redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[1])
if ARGV[2] ~= '' and #updates > 0 then
  local body = {Updates = {after = after, upto = upto, updates = updates}}
  redis.call('PUBLISH', ARGV[2], cmsgpack.pack({v = tonumber(ARGV[4]), node = ARGV[3], body = body}))
end
return {after, upto}
";

/// Hashed once: a commit is the path every keystroke takes.
static COMMIT_SCRIPT: LazyLock<redis::Script> = LazyLock::new(|| redis::Script::new(COMMIT));
static READ_SCRIPT: LazyLock<redis::Script> = LazyLock::new(|| redis::Script::new(READ));
static COMPACT_SCRIPT: LazyLock<redis::Script> = LazyLock::new(|| redis::Script::new(COMPACT));

/// Replaces the snapshot if nobody else did since it was read, and trims what it holds;
/// the snapshot expires with the stream.
const COMPACT: &str = r"
local current = redis.call('HGET', KEYS[2], 'upto') or ''
if current ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[2], 'state', ARGV[3], 'upto', ARGV[2])
local ms, seq = string.match(ARGV[2], '^(%d+)-(%d+)$')
redis.call('XTRIM', KEYS[1], 'MINID', ms .. '-' .. (tonumber(seq) + 1))
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
return 1
";

/// Where a frame's updates went in the room's stream: entries `(after, upto]`; and whether
/// they were fanned out with it (Redis does both in one step; memory leaves it to the room).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Committed {
    pub after: StreamId,
    pub upto: StreamId,
    pub published: bool,
}

/// Where the room's other processes hear of a commit: its bus channel, and this process's
/// node id (which they ignore their own by).
#[derive(Debug, Clone, Copy)]
pub struct Announce<'a> {
    pub channel: &'a str,
    pub node: &'a str,
}

/// Stored updates, oldest first, and the stream id they reach.
#[derive(Debug, Default)]
pub struct Loaded {
    pub updates: Vec<Vec<u8>>,
    pub upto: StreamId,
}

/// A consistent view of a room's stored document after some id.
struct Stored {
    snapshot: Option<Vec<u8>>,
    upto: Option<String>,
    entries: Vec<StreamEntry>,
}

impl Stored {
    /// The last id this view reaches (`after` when it holds nothing new).
    fn reaches(&self, after: StreamId) -> anyhow::Result<StreamId> {
        let last = match (self.entries.last(), &self.snapshot, &self.upto) {
            (Some((id, _)), _, _) => id,
            (None, Some(_), Some(upto)) => upto,
            _ => return Ok(after),
        };
        last.parse().context("a stream id")
    }

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
    /// Each room's updates; an update's stream id is its position (`<n>-0`, from 1).
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

    fn presence_key(prefix: &str, room: Uuid) -> String {
        format!("{prefix}presence:{room}")
    }

    async fn read(
        conn: &ConnectionManager,
        prefix: &str,
        room: Uuid,
        after: StreamId,
    ) -> anyhow::Result<Stored> {
        let (snapshot, upto, entries): (Option<Vec<u8>>, Option<String>, Vec<StreamEntry>) =
            READ_SCRIPT
                .key(Self::key(prefix, room))
                .key(Self::snapshot_key(prefix, room))
                .arg(after.to_string())
                .invoke_async(&mut conn.clone())
                .await
                .with_context(|| format!("read room {room}"))?;
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
        let stored = Self::read(conn, prefix, room, StreamId::ZERO).await?;
        let Some(last) = stored.entries.last().map(|(id, _)| id.clone()) else {
            return Ok(false);
        };
        let expected = stored.upto.clone().unwrap_or_default();
        let updates = stored.updates();
        // Rebuilt rather than merged: each stored update is checked as it is applied, and
        // one that cannot be applied is left out instead of keeping the room uncompacted.
        let rebuilt = RoomDoc::from_updates(updates.iter().map(Vec::as_slice));
        for skipped in &rebuilt.skipped {
            log::warn!(
                "room {room}: compaction leaves out stored update {} ({})",
                skipped.index,
                skipped.error
            );
        }
        let merged = rebuilt.doc.snapshot();
        let replaced: i64 = COMPACT_SCRIPT
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
    pub async fn load(&self, room: Uuid) -> anyhow::Result<Loaded> {
        self.read_after(room, StreamId::ZERO).await
    }

    /// What was stored after `after` (a catch-up): with the snapshot when compaction
    /// trimmed some of it from the stream.
    pub async fn read_after(&self, room: Uuid, after: StreamId) -> anyhow::Result<Loaded> {
        match self {
            Self::Redis { conn, prefix } => {
                let stored = Self::read(conn, prefix, room, after).await?;
                let upto = stored.reaches(after)?;
                Ok(Loaded {
                    updates: stored.updates(),
                    upto,
                })
            }
            Self::Memory(rooms) => {
                let rooms = rooms.lock().unwrap_or_else(PoisonError::into_inner);
                let stored = rooms.get(&room).map(Vec::as_slice).unwrap_or_default();
                let skip = usize::try_from(after.ms).unwrap_or(usize::MAX);
                Ok(Loaded {
                    updates: stored.iter().skip(skip).cloned().collect(),
                    upto: memory_id(stored.len()).max(after),
                })
            }
        }
    }

    /// Stores a frame's updates, in order, keeping the room's keys `ttl` longer. Returns
    /// only once everything is stored, with where it went (for the fan-out message).
    pub async fn commit(
        &self,
        room: Uuid,
        updates: &[Vec<u8>],
        ttl: Duration,
        announce: Announce<'_>,
    ) -> anyhow::Result<Committed> {
        match self {
            Self::Redis { conn, prefix } => {
                let mut invocation = COMMIT_SCRIPT.key(Self::key(prefix, room));
                invocation
                    .key(Self::snapshot_key(prefix, room))
                    .arg(ttl.as_secs().max(1))
                    .arg(announce.channel)
                    .arg(announce.node)
                    .arg(crate::fanout::VERSION);
                for update in updates {
                    invocation.arg(update.as_slice());
                }
                let (after, upto): (String, String) = invocation
                    .invoke_async(&mut conn.clone())
                    .await
                    .with_context(|| format!("store the updates of room {room}"))?;
                Ok(Committed {
                    after: after.parse().context("a stream id")?,
                    upto: upto.parse().context("a stream id")?,
                    published: !announce.channel.is_empty(),
                })
            }
            Self::Memory(rooms) => {
                let mut rooms = rooms.lock().unwrap_or_else(PoisonError::into_inner);
                let stored = rooms.entry(room).or_default();
                let after = memory_id(stored.len());
                stored.extend(updates.iter().cloned());
                Ok(Committed {
                    after,
                    upto: memory_id(stored.len()),
                    published: false,
                })
            }
        }
    }

    /// Says that `node` has sessions in the room, for the next `ttl`; entries that ran out
    /// are dropped, and the key itself expires `ttl` after the last process said so.
    pub async fn mark_present(&self, room: Uuid, node: &str, ttl: Duration) -> anyhow::Result<()> {
        if let Self::Redis { conn, prefix } = self {
            let now = chrono::Utc::now().timestamp_millis();
            let ttl_ms = i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX);
            let key = Self::presence_key(prefix, room);
            redis::pipe()
                .atomic()
                .cmd("ZADD")
                .arg(&key)
                .arg(now.saturating_add(ttl_ms))
                .arg(node)
                .ignore()
                .cmd("ZREMRANGEBYSCORE")
                .arg(&key)
                .arg("-inf")
                .arg(format!("({now}"))
                .ignore()
                .cmd("PEXPIRE")
                .arg(&key)
                .arg(ttl_ms)
                .ignore()
                .query_async::<()>(&mut conn.clone())
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
            .arg(Self::presence_key(prefix, room))
            .arg(now)
            .arg("+inf")
            .arg("BYSCORE")
            .query_async(&mut conn.clone())
            .await
            .context("read presence")?;
        Ok(nodes.iter().any(|other| other != node))
    }
}

/// The memory store's id of its `n`th update.
fn memory_id(n: usize) -> StreamId {
    StreamId {
        ms: n as u64,
        seq: 0,
    }
}
