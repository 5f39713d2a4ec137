//! Which sessions are ended, and which are still to be *settled*: each member's attempt
//! recorded in history. Kept in Redis (memory without it), not in a process, so that a
//! deploy or a crash loses none; any process sweeps them ([`crate::settler`]).
//!
//! - `<prefix>ended:<room>`: the session ended (a member said so through the REST call).
//!   Only the server writes it; the document's `meta.status` merely shows it. Matching's
//!   record of the room says so too (for longer), and a room opened with it counts as ended.
//! - `<prefix>settle`: a sorted set of room ids scored by when they are due (ms since the
//!   epoch). A room with sessions keeps itself due a little after its presence would run
//!   out; when its last session leaves it is due after the idle grace; when a member ends
//!   it, at once.
//! - `<prefix>settle:<room>`: what recording needs: the room as matching made it, for an
//!   ended session the ending (code, language, time), and for a room left empty the process
//!   that left it (its own presence no longer counts).
//!
//! A sweeper *claims* a due room by moving its score a lease ahead in one script, so that one
//! process records it while the others skip it; if that process dies, the lease runs out and
//! another takes it. Every key expires ([`KEY_TTL`]) when nothing renews it.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use redis::aio::ConnectionManager;
use serde::{Deserialize, Serialize};
use shared::contract::Room;
use uuid::Uuid;

use crate::store::ENDED_ROOM_TTL;

/// How long a room waiting to be settled is kept when nothing renews it: history unreachable
/// for a week is an outage someone has noticed. The ended mark lives as long as the ended
/// room's document ([`ENDED_ROOM_TTL`]); after that matching's record of the room says it.
pub const KEY_TTL: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// Schedules a room (ARGV[1]) due at ARGV[2] unless it ended; ARGV[3] the room, ARGV[4] the
/// process that left it ('' for none), ARGV[5] the keys' lifetime in seconds.
const SCHEDULE: &str = r"
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('HSET', KEYS[2], 'room', ARGV[3], 'node', ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[5])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return 1
";

/// Marks the room ended (for ARGV[6] seconds) and due at ARGV[2] with its ending (ARGV[4]);
/// nothing if it had ended already (the first ending is the one recorded).
const END: &str = r"
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
redis.call('SET', KEYS[3], '1', 'EX', ARGV[6])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('HDEL', KEYS[2], 'node')
redis.call('HSET', KEYS[2], 'room', ARGV[3], 'ending', ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[5])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return 1
";

/// Claims a room: if it is due at ARGV[2] (or ARGV[4] is '1': claim it whenever due), its
/// score becomes the lease's end (ARGV[3]) and its data is returned. A room whose data expired
/// cannot be recorded and is dropped.
const CLAIM: &str = r"
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score then return false end
if ARGV[4] ~= '1' and tonumber(score) > tonumber(ARGV[2]) then return false end
local data = redis.call('HMGET', KEYS[2], 'room', 'ending', 'node')
if not data[1] then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return false
end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return data
";

/// Forgets a settled room, unless it was scheduled again since the claim (score ARGV[2]).
const SETTLED: &str = r"
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) ~= tonumber(ARGV[2]) then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
return 1
";

/// Makes a claimed room (score ARGV[2]) due again at ARGV[3], unless it was scheduled again
/// since the claim.
const RETRY: &str = r"
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) ~= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return 1
";

/// How an ended session ended, as it was when a member ended it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ending {
    pub code: String,
    pub language: String,
    pub ended_at: DateTime<Utc>,
}

/// A room a sweeper claimed, until `lease` (ms): record it, then call [`Settle::settled`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub room: Room,
    /// Set once a member ended the session; otherwise the room was left.
    pub ending: Option<Ending>,
    /// The process that left the room last (its presence is stale), if one did.
    pub left_by: Option<String>,
    pub lease: i64,
}

/// Whether to claim a room only once it is due, or now (a member ending it waits for it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Due,
    Now,
}

#[derive(Debug, Clone)]
struct Entry {
    due: i64,
    room: Room,
    ending: Option<Ending>,
    left_by: Option<String>,
}

/// The memory backend's state (one process alone).
#[derive(Debug, Default)]
pub struct Memory {
    entries: HashMap<Uuid, Entry>,
    ended: HashSet<Uuid>,
}

#[derive(Clone)]
pub enum Settle {
    Redis {
        conn: ConnectionManager,
        prefix: String,
    },
    Memory(Arc<Mutex<Memory>>),
}

impl Settle {
    pub fn memory() -> Self {
        Self::Memory(Arc::default())
    }

    fn keys(prefix: &str, room: Uuid) -> [String; 3] {
        [
            format!("{prefix}settle"),
            format!("{prefix}settle:{room}"),
            format!("{prefix}ended:{room}"),
        ]
    }

    fn memory_state(memory: &Mutex<Memory>) -> std::sync::MutexGuard<'_, Memory> {
        memory.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether a member ended the session.
    pub async fn is_ended(&self, room: Uuid) -> anyhow::Result<bool> {
        match self {
            Self::Redis { conn, prefix } => {
                let [_, _, ended] = Self::keys(prefix, room);
                let exists: i64 = redis::cmd("EXISTS")
                    .arg(ended)
                    .query_async(&mut conn.clone())
                    .await
                    .context("read whether the session ended")?;
                Ok(exists == 1)
            }
            Self::Memory(memory) => Ok(Self::memory_state(memory).ended.contains(&room)),
        }
    }

    /// The room is to be recorded as abandoned at `due` unless someone is back by then (or a
    /// member ended it). `left_by`: the process whose last session just left.
    pub async fn schedule(
        &self,
        room: &Room,
        due: DateTime<Utc>,
        left_by: Option<&str>,
    ) -> anyhow::Result<()> {
        match self {
            Self::Redis { conn, prefix } => {
                let [set, data, ended] = Self::keys(prefix, room.id);
                redis::Script::new(SCHEDULE)
                    .key(set)
                    .key(data)
                    .key(ended)
                    .arg(room.id.to_string())
                    .arg(due.timestamp_millis())
                    .arg(serde_json::to_string(room).context("encode the room")?)
                    .arg(left_by.unwrap_or_default())
                    .arg(KEY_TTL.as_secs())
                    .invoke_async::<i64>(&mut conn.clone())
                    .await
                    .with_context(|| format!("schedule room {} to settle", room.id))?;
            }
            Self::Memory(memory) => {
                let mut memory = Self::memory_state(memory);
                if !memory.ended.contains(&room.id) {
                    memory.entries.insert(
                        room.id,
                        Entry {
                            due: due.timestamp_millis(),
                            room: room.clone(),
                            ending: None,
                            left_by: left_by.map(str::to_owned),
                        },
                    );
                }
            }
        }
        Ok(())
    }

    /// A member ended the session: it is ended for good, and due to be recorded with
    /// `ending` at `due`. Returns false if it had ended before (nothing changes).
    pub async fn end(
        &self,
        room: &Room,
        ending: &Ending,
        due: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        match self {
            Self::Redis { conn, prefix } => {
                let [set, data, ended] = Self::keys(prefix, room.id);
                let first: i64 = redis::Script::new(END)
                    .key(set)
                    .key(data)
                    .key(ended)
                    .arg(room.id.to_string())
                    .arg(due.timestamp_millis())
                    .arg(serde_json::to_string(room).context("encode the room")?)
                    .arg(serde_json::to_string(ending).context("encode the ending")?)
                    .arg(KEY_TTL.as_secs())
                    .arg(ENDED_ROOM_TTL.as_secs())
                    .invoke_async(&mut conn.clone())
                    .await
                    .with_context(|| format!("end room {}", room.id))?;
                Ok(first == 1)
            }
            Self::Memory(memory) => {
                let mut memory = Self::memory_state(memory);
                if !memory.ended.insert(room.id) {
                    return Ok(false);
                }
                memory.entries.insert(
                    room.id,
                    Entry {
                        due: due.timestamp_millis(),
                        room: room.clone(),
                        ending: Some(ending.clone()),
                        left_by: None,
                    },
                );
                Ok(true)
            }
        }
    }

    /// Up to `limit` rooms due by `now`.
    pub async fn due(&self, now: DateTime<Utc>, limit: usize) -> anyhow::Result<Vec<Uuid>> {
        let now = now.timestamp_millis();
        match self {
            Self::Redis { conn, prefix } => {
                let ids: Vec<String> = redis::cmd("ZRANGE")
                    .arg(format!("{prefix}settle"))
                    .arg("-inf")
                    .arg(now)
                    .arg("BYSCORE")
                    .arg("LIMIT")
                    .arg(0)
                    .arg(limit)
                    .query_async(&mut conn.clone())
                    .await
                    .context("read the rooms due to settle")?;
                Ok(ids.iter().filter_map(|id| id.parse().ok()).collect())
            }
            Self::Memory(memory) => Ok(Self::memory_state(memory)
                .entries
                .iter()
                .filter(|(_, entry)| entry.due <= now)
                .map(|(id, _)| *id)
                .take(limit)
                .collect()),
        }
    }

    /// Claims the room until `lease` if it is due at `now` (or whenever, with
    /// [`When::Now`]); `None` if it is not due, or is not waiting at all.
    pub async fn claim(
        &self,
        room: Uuid,
        now: DateTime<Utc>,
        lease: DateTime<Utc>,
        when: When,
    ) -> anyhow::Result<Option<Claim>> {
        let (now, lease) = (now.timestamp_millis(), lease.timestamp_millis());
        match self {
            Self::Redis { conn, prefix } => {
                let [set, data, _] = Self::keys(prefix, room);
                let claimed: Option<(Option<String>, Option<String>, Option<String>)> =
                    redis::Script::new(CLAIM)
                        .key(set)
                        .key(data)
                        .arg(room.to_string())
                        .arg(now)
                        .arg(lease)
                        .arg(if when == When::Now { "1" } else { "0" })
                        .invoke_async(&mut conn.clone())
                        .await
                        .with_context(|| format!("claim room {room} to settle"))?;
                let Some((Some(room), ending, node)) = claimed else {
                    return Ok(None);
                };
                Ok(Some(Claim {
                    room: serde_json::from_str(&room).context("decode a room to settle")?,
                    ending: ending
                        .map(|ending| serde_json::from_str(&ending))
                        .transpose()
                        .context("decode an ending")?,
                    left_by: node.filter(|node| !node.is_empty()),
                    lease,
                }))
            }
            Self::Memory(memory) => {
                let mut memory = Self::memory_state(memory);
                let Some(entry) = memory.entries.get_mut(&room) else {
                    return Ok(None);
                };
                if when == When::Due && entry.due > now {
                    return Ok(None);
                }
                entry.due = lease;
                Ok(Some(Claim {
                    room: entry.room.clone(),
                    ending: entry.ending.clone(),
                    left_by: entry.left_by.clone(),
                    lease,
                }))
            }
        }
    }

    /// The claimed room could not be settled now: due again at `due` (sooner than the
    /// lease would make it), unless it was scheduled again meanwhile.
    pub async fn retry_at(&self, claim: &Claim, due: DateTime<Utc>) -> anyhow::Result<()> {
        let room = claim.room.id;
        match self {
            Self::Redis { conn, prefix } => {
                let [set, _, _] = Self::keys(prefix, room);
                redis::Script::new(RETRY)
                    .key(set)
                    .arg(room.to_string())
                    .arg(claim.lease)
                    .arg(due.timestamp_millis())
                    .invoke_async::<i64>(&mut conn.clone())
                    .await
                    .with_context(|| format!("retry room {room} later"))?;
            }
            Self::Memory(memory) => {
                if let Some(entry) = Self::memory_state(memory)
                    .entries
                    .get_mut(&room)
                    .filter(|entry| entry.due == claim.lease)
                {
                    entry.due = due.timestamp_millis();
                }
            }
        }
        Ok(())
    }

    /// The claimed room is settled (recorded, or refused for good): forgotten, unless it
    /// was scheduled again meanwhile.
    pub async fn settled(&self, claim: &Claim) -> anyhow::Result<()> {
        let room = claim.room.id;
        match self {
            Self::Redis { conn, prefix } => {
                let [set, data, _] = Self::keys(prefix, room);
                redis::Script::new(SETTLED)
                    .key(set)
                    .key(data)
                    .arg(room.to_string())
                    .arg(claim.lease)
                    .invoke_async::<i64>(&mut conn.clone())
                    .await
                    .with_context(|| format!("forget settled room {room}"))?;
            }
            Self::Memory(memory) => {
                let mut memory = Self::memory_state(memory);
                if memory
                    .entries
                    .get(&room)
                    .is_some_and(|entry| entry.due == claim.lease)
                {
                    memory.entries.remove(&room);
                }
            }
        }
        Ok(())
    }
}
