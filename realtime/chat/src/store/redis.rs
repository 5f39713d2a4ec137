//! The live log in Redis, shared by every chat process. Keys, under the service's prefix:
//!
//! - `log:<room>`: a stream; entry `<id>-0` holds the message (field `m`, JSON);
//! - `seq:<room>`: the room's last id;
//! - `retry:<room>:<sender>:<client id>`: the id a client id was stored under (expires after
//!   a day);
//! - `waiting`: a sorted set of rooms whose newest messages the transcript lacks, scored by
//!   when the oldest of those was stored, so that any process can copy them if the process
//!   that would have did not (it was killed).
//!
//! The log is trimmed once the transcript holds what it trims, keeping the newest entries
//! for replays; with the transcript's database down it is capped (new messages refused).
//!
//! Every per-room key expires: `log:` and `seq:` [`UNFLUSHED_TTL_SECS`] after the room's last
//! message (a transcript outage that long loses what it did not copy), and
//! [`FLUSHED_TTL_SECS`] after the transcript caught up with them (a room opens at the
//! transcript's last id as well as the log's, and replays read the transcript, so nothing
//! needs them then); `retry:` keys after a day. `waiting` is one key for the service,
//! holding one entry per room whose newest messages are not copied yet, removed when they
//! are (and the key with its last entry).

use std::sync::LazyLock;

use anyhow::Context;
use redis::Script;
use redis::aio::ConnectionManager;
use uuid::Uuid;

use super::{
    CLIENT_ID_TTL_SECS, Commit, CommitError, FLUSHED_TTL_SECS, MAX_UNFLUSHED, NewMessage,
    UNFLUSHED_TTL_SECS, retry_key,
};
use crate::protocol::{ChatMessage, Posted};

/// Stores a message under the room's next id and publishes it, or answers a retry with the
/// id (and message) stored before. Returns `{status, id, message json or false}`: status 1
/// stored, 0 a retry, -1 the log is full.
const COMMIT: &str = r#"
local seen = redis.call('GET', KEYS[3])
if seen then
  local found = redis.call('XRANGE', KEYS[1], seen .. '-0', seen .. '-0')
  local body = false
  if found[1] then body = found[1][2][2] end
  return {0, tonumber(seen), body}
end
if redis.call('XLEN', KEYS[1]) >= tonumber(ARGV[6]) then return {-1, 0, false} end
local id = redis.call('INCR', KEYS[2])
local floor = tonumber(ARGV[3])
local top = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
if top[1] then floor = math.max(floor, tonumber(string.match(top[1][1], '^(%d+)'))) end
if id <= floor then
  id = floor + 1
  redis.call('SET', KEYS[2], id)
end
redis.call('XADD', KEYS[1], id .. '-0', 'm', ARGV[2])
redis.call('SET', KEYS[3], id, 'EX', ARGV[5])
redis.call('ZADD', KEYS[4], 'NX', ARGV[7], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[8])
redis.call('EXPIRE', KEYS[2], ARGV[8])
redis.call('PUBLISH', ARGV[4], '{"v":1,"kind":"message","seq":' .. id .. ',"message":' .. ARGV[2] .. '}')
return {1, id, false}
"#;

/// The transcript holds everything up to ARGV[1]: trim below ARGV[2]; the room stops
/// waiting if nothing newer was stored (and its keys are kept only ARGV[5] seconds more),
/// and otherwise waits from now (ARGV[4]), so that a busy room someone copies is not taken
/// for one nobody copies.
const FLUSHED: &str = r"
if ARGV[2] ~= '0' then redis.call('XTRIM', KEYS[1], 'MINID', ARGV[2] .. '-0') end
local last = tonumber(redis.call('GET', KEYS[2]) or '0')
if last <= tonumber(ARGV[1]) then
  redis.call('ZREM', KEYS[3], ARGV[3])
  redis.call('EXPIRE', KEYS[1], ARGV[5])
  redis.call('EXPIRE', KEYS[2], ARGV[5])
else
  redis.call('ZADD', KEYS[3], 'XX', ARGV[4], ARGV[3])
end
return last
";

/// Hashed once: a commit is the path every message takes.
static COMMIT_SCRIPT: LazyLock<Script> = LazyLock::new(|| Script::new(COMMIT));
static FLUSHED_SCRIPT: LazyLock<Script> = LazyLock::new(|| Script::new(FLUSHED));

/// A stream entry as XRANGE returns it.
type Entry = (String, Vec<(String, String)>);

#[derive(Clone)]
pub struct RedisLog {
    conn: ConnectionManager,
    prefix: String,
}

impl RedisLog {
    pub fn new(conn: ConnectionManager, prefix: &str) -> Self {
        Self {
            conn,
            prefix: prefix.to_owned(),
        }
    }

    fn key(&self, name: &str, room: Uuid) -> String {
        format!("{}{name}:{room}", self.prefix)
    }

    fn waiting_key(&self) -> String {
        format!("{}waiting", self.prefix)
    }

    pub async fn commit(&self, new: NewMessage<'_>) -> Result<Commit, CommitError> {
        let posted = serde_json::to_string(new.posted).context("encode a message")?;
        let retry = format!(
            "{}retry:{}:{}",
            self.prefix,
            new.room,
            retry_key(&new.posted.sender, &new.posted.client_id)
        );
        let (status, id, body): (i64, u64, Option<String>) = COMMIT_SCRIPT
            .key(self.key("log", new.room))
            .key(self.key("seq", new.room))
            .key(retry)
            .key(self.waiting_key())
            .arg(new.room.to_string())
            .arg(&posted)
            .arg(new.floor)
            .arg(new.channel)
            .arg(CLIENT_ID_TTL_SECS)
            .arg(MAX_UNFLUSHED)
            .arg(chrono::Utc::now().timestamp_millis())
            .arg(UNFLUSHED_TTL_SECS)
            .invoke_async(&mut self.conn.clone())
            .await
            .with_context(|| format!("store a message of room {}", new.room))?;
        match status {
            1 => Ok(Commit::Stored(ChatMessage::new(id, new.posted.clone()))),
            0 => Ok(Commit::Repeated {
                id,
                message: body
                    .and_then(|json| serde_json::from_str(&json).ok())
                    .map(|posted| ChatMessage::new(id, posted)),
            }),
            _ => Err(CommitError::Full),
        }
    }

    pub async fn range(
        &self,
        room: Uuid,
        after: u64,
        upto: Option<u64>,
    ) -> anyhow::Result<Vec<ChatMessage>> {
        let end = upto.map_or_else(|| "+".to_owned(), |upto| format!("{upto}-0"));
        let entries: Vec<Entry> = redis::cmd("XRANGE")
            .arg(self.key("log", room))
            .arg(format!("({after}-0"))
            .arg(end)
            .query_async(&mut self.conn.clone())
            .await
            .with_context(|| format!("read the log of room {room}"))?;
        entries
            .into_iter()
            .map(|(id, fields)| {
                let id: u64 = id
                    .split('-')
                    .next()
                    .and_then(|ms| ms.parse().ok())
                    .with_context(|| format!("a log entry with id {id}"))?;
                let (_, json) = fields.into_iter().next().context("an empty log entry")?;
                let posted: Posted = serde_json::from_str(&json).context("a log entry")?;
                Ok(ChatMessage::new(id, posted))
            })
            .collect()
    }

    pub async fn last_id(&self, room: Uuid) -> anyhow::Result<u64> {
        let last: Option<u64> = redis::cmd("GET")
            .arg(self.key("seq", room))
            .query_async(&mut self.conn.clone())
            .await
            .with_context(|| format!("read the last id of room {room}"))?;
        Ok(last.unwrap_or(0))
    }

    pub async fn flushed(&self, room: Uuid, upto: u64, keep: u64) -> anyhow::Result<()> {
        let trim_below = upto.saturating_sub(keep) + 1;
        FLUSHED_SCRIPT
            .key(self.key("log", room))
            .key(self.key("seq", room))
            .key(self.waiting_key())
            .arg(upto)
            .arg(if trim_below > 1 { trim_below } else { 0 })
            .arg(room.to_string())
            .arg(chrono::Utc::now().timestamp_millis())
            .arg(FLUSHED_TTL_SECS)
            .invoke_async::<i64>(&mut self.conn.clone())
            .await
            .with_context(|| format!("trim the log of room {room}"))?;
        Ok(())
    }

    pub async fn waiting_rooms(&self, older_than_ms: i64) -> anyhow::Result<Vec<Uuid>> {
        let rooms: Vec<String> = redis::cmd("ZRANGE")
            .arg(self.waiting_key())
            .arg("-inf")
            .arg(older_than_ms)
            .arg("BYSCORE")
            .arg("LIMIT")
            .arg(0)
            .arg(100)
            .query_async(&mut self.conn.clone())
            .await
            .context("read the rooms waiting for the transcript")?;
        Ok(rooms.iter().filter_map(|room| room.parse().ok()).collect())
    }
}
