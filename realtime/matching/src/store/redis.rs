//! The queue in Redis, shared by every matching process. Keys, under the configured prefix:
//!
//! - `queue`: sorted set of ticket ids, scored by join time (longest-waiting first);
//! - `ticket:<id>`: the ticket as JSON;
//! - `user:<id>`: the user's current ticket id (one per user);
//! - `claimed:<id>`: a claimed ticket being matched (expires), so a process that re-adds
//!   its waiting tickets after a Redis restart does not re-add one that is being matched;
//!   `1` while the room is made, then the `matched` message its session is to be told, so
//!   that a ticket whose notice was lost is delivered late instead of put back;
//! - `cancelled:<id>`: the user cancelled or left (expires), so the ticket is never put
//!   back, not by a match that fell through nor by a process re-adding lost tickets;
//! - `node:<id>`: present while that matching process is alive (expires).
//!
//! Every key expires: `ticket:`, `user:` and `queue` [`TICKET_TTL`] after they were last
//! written (no search lasts that long: `MATCH_TIMEOUT_SECS` is a minute by default), the
//! others as said above. A queue entry whose ticket expired is dropped when a snapshot
//! finds it, so the queue holds no more than the tickets that exist.

use std::sync::LazyLock;
use std::time::Duration;

use anyhow::Context;
use redis::Script;
use redis::aio::ConnectionManager;
use uuid::Uuid;

use super::{Joined, TicketState};
use crate::protocol::ServerMessage;
use crate::rules::Ticket;

/// How long a process is presumed alive after its last heartbeat.
pub const NODE_TTL: Duration = Duration::from_secs(5);
/// How long a claim shields its tickets from being re-added.
pub(super) const CLAIM_TTL: Duration = Duration::from_secs(120);
/// How long a ticket, its user's pointer to it and the queue outlive their last write: a
/// backstop for tickets nobody removed (their process died with Redis unreachable), far
/// beyond any search.
pub const TICKET_TTL: Duration = Duration::from_secs(24 * 60 * 60);

/// Adds the ticket and points its user at it, dropping the user's previous ticket. A second
/// run for the same ticket (a retry whose first reply was lost) changes nothing: the ticket
/// is in already, and may even be claimed by now.
static JOIN: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
local old = redis.call('GET', KEYS[2])
if old == ARGV[1] or redis.call('EXISTS', ARGV[4] .. 'claimed:' .. ARGV[1]) == 1 then
  local rank = redis.call('ZRANK', KEYS[1], ARGV[1])
  return {false, rank and rank + 1 or 0, redis.call('ZCARD', KEYS[1])}
end
local old_ticket = false
if old then
  local old_key = ARGV[4] .. 'ticket:' .. old
  old_ticket = redis.call('GET', old_key)
  redis.call('DEL', old_key)
  redis.call('ZREM', KEYS[1], old)
end
redis.call('SET', KEYS[3], ARGV[3], 'EX', ARGV[5])
redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[5])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return {old_ticket, redis.call('ZRANK', KEYS[1], ARGV[1]) + 1, redis.call('ZCARD', KEYS[1])}
",
    )
});

/// How a join rides out a moment without Redis (a restart, a failover): tried again for
/// about two seconds before the user is told matching is unavailable.
const JOIN_TRIES: usize = 6;
const JOIN_FIRST_PAUSE: Duration = Duration::from_millis(50);
const JOIN_MAX_PAUSE: Duration = Duration::from_millis(800);

static REQUEUE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
local claim = redis.call('GET', KEYS[4])
if claim and claim ~= '1' then return 0 end
redis.call('DEL', KEYS[4])
if redis.call('EXISTS', KEYS[2]) == 1 or redis.call('EXISTS', KEYS[5]) == 1 then return 0 end
redis.call('SET', KEYS[3], ARGV[3], 'EX', ARGV[4])
redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[4])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[4])
return 1
",
    )
});

static CANCEL: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
redis.call('SET', KEYS[4], 1, 'EX', ARGV[2])
local removed = redis.call('ZREM', KEYS[1], ARGV[1])
if removed == 1 then
  redis.call('DEL', KEYS[3])
  if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
end
return removed
",
    )
});

static CLAIM: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) or not redis.call('ZSCORE', KEYS[1], ARGV[2]) then
  return 0
end
redis.call('ZREM', KEYS[1], ARGV[1], ARGV[2])
redis.call('DEL', KEYS[2], KEYS[3])
if redis.call('GET', KEYS[4]) == ARGV[1] then redis.call('DEL', KEYS[4]) end
if redis.call('GET', KEYS[5]) == ARGV[2] then redis.call('DEL', KEYS[5]) end
redis.call('SET', KEYS[6], 1, 'EX', ARGV[3])
redis.call('SET', KEYS[7], 1, 'EX', ARGV[3])
return 1
",
    )
});

/// Both claims still held: each becomes its ticket's match (with a fresh expiry).
static RECORD_MATCH: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
return 1
",
    )
});

/// Drops the queue entries (ARGV[2..]) whose ticket no longer exists (it expired), checked
/// here so that a ticket put back meanwhile stays.
static PRUNE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
local dropped = 0
for i = 2, #ARGV do
  if redis.call('EXISTS', ARGV[1] .. 'ticket:' .. ARGV[i]) == 0 then
    dropped = dropped + redis.call('ZREM', KEYS[1], ARGV[i])
  end
end
return dropped
",
    )
});

/// The value of a claim whose room is still being made.
const CLAIMED: &str = "1";

#[derive(Clone)]
pub struct RedisStore {
    conn: ConnectionManager,
    prefix: String,
}

impl RedisStore {
    pub fn new(conn: ConnectionManager, prefix: &str) -> Self {
        Self {
            conn,
            prefix: prefix.to_owned(),
        }
    }

    fn key(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    fn ticket_key(&self, id: Uuid) -> String {
        self.key(&format!("ticket:{id}"))
    }

    fn user_key(&self, id: Uuid) -> String {
        self.key(&format!("user:{id}"))
    }

    fn claimed_key(&self, id: Uuid) -> String {
        self.key(&format!("claimed:{id}"))
    }

    fn cancelled_key(&self, id: Uuid) -> String {
        self.key(&format!("cancelled:{id}"))
    }

    /// Joins, trying again while Redis cannot answer (the script is safe to run twice).
    pub async fn join(&self, ticket: &Ticket) -> anyhow::Result<Joined> {
        use backon::{ExponentialBuilder, Retryable};
        let backoff = ExponentialBuilder::default()
            .with_min_delay(JOIN_FIRST_PAUSE)
            .with_max_delay(JOIN_MAX_PAUSE)
            .with_max_times(JOIN_TRIES - 1)
            .with_jitter();
        (|| self.join_once(ticket))
            .retry(backoff)
            .notify(|err, pause| log::warn!("join: {err:#}; trying again in {pause:?}"))
            .await
    }

    async fn join_once(&self, ticket: &Ticket) -> anyhow::Result<Joined> {
        let json = serde_json::to_string(ticket)?;
        let (old, rank, card): (Option<String>, i64, i64) = JOIN
            .key(self.key("queue"))
            .key(self.user_key(ticket.user_id))
            .key(self.ticket_key(ticket.id))
            .arg(ticket.id.to_string())
            .arg(ticket.enqueued_at_ms)
            .arg(json)
            .arg(&self.prefix)
            .arg(TICKET_TTL.as_secs())
            .invoke_async(&mut self.conn.clone())
            .await
            .context("join the queue")?;
        Ok(Joined {
            replaced: old.and_then(|json| serde_json::from_str(&json).ok()),
            position: u64::try_from(rank).unwrap_or(0),
            waiting: u64::try_from(card).unwrap_or(1),
        })
    }

    pub async fn requeue(&self, ticket: &Ticket) -> anyhow::Result<bool> {
        let added: i64 = REQUEUE
            .key(self.key("queue"))
            .key(self.user_key(ticket.user_id))
            .key(self.ticket_key(ticket.id))
            .key(self.claimed_key(ticket.id))
            .key(self.cancelled_key(ticket.id))
            .arg(ticket.id.to_string())
            .arg(ticket.enqueued_at_ms)
            .arg(serde_json::to_string(ticket)?)
            .arg(TICKET_TTL.as_secs())
            .invoke_async(&mut self.conn.clone())
            .await
            .context("requeue")?;
        Ok(added == 1)
    }

    pub async fn cancel(&self, ticket: &Ticket) -> anyhow::Result<bool> {
        let removed: i64 = CANCEL
            .key(self.key("queue"))
            .key(self.user_key(ticket.user_id))
            .key(self.ticket_key(ticket.id))
            .key(self.cancelled_key(ticket.id))
            .arg(ticket.id.to_string())
            .arg(CLAIM_TTL.as_secs())
            .invoke_async(&mut self.conn.clone())
            .await
            .context("leave the queue")?;
        Ok(removed == 1)
    }

    pub async fn snapshot(&self) -> anyhow::Result<Vec<Ticket>> {
        let mut conn = self.conn.clone();
        let ids: Vec<String> = redis::cmd("ZRANGE")
            .arg(self.key("queue"))
            .arg(0)
            .arg(-1)
            .query_async(&mut conn)
            .await
            .context("read the queue")?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let keys: Vec<String> = ids
            .iter()
            .map(|id| self.key(&format!("ticket:{id}")))
            .collect();
        let tickets: Vec<Option<String>> = redis::cmd("MGET")
            .arg(&keys)
            .query_async(&mut conn)
            .await
            .context("read the tickets")?;
        let gone: Vec<&String> = ids
            .iter()
            .zip(&tickets)
            .filter_map(|(id, ticket)| ticket.is_none().then_some(id))
            .collect();
        if !gone.is_empty() {
            let mut prune = PRUNE.key(self.key("queue"));
            prune.arg(&self.prefix);
            for id in gone {
                prune.arg(id);
            }
            prune
                .invoke_async::<i64>(&mut conn)
                .await
                .context("drop expired tickets from the queue")?;
        }
        Ok(tickets
            .into_iter()
            .flatten()
            .filter_map(|json| serde_json::from_str(&json).ok())
            .collect())
    }

    pub async fn claim(&self, a: &Ticket, b: &Ticket) -> anyhow::Result<bool> {
        let claimed: i64 = CLAIM
            .key(self.key("queue"))
            .key(self.ticket_key(a.id))
            .key(self.ticket_key(b.id))
            .key(self.user_key(a.user_id))
            .key(self.user_key(b.user_id))
            .key(self.claimed_key(a.id))
            .key(self.claimed_key(b.id))
            .arg(a.id.to_string())
            .arg(b.id.to_string())
            .arg(CLAIM_TTL.as_secs())
            .invoke_async(&mut self.conn.clone())
            .await
            .context("claim a pair")?;
        Ok(claimed == 1)
    }

    pub async fn record_match(
        &self,
        [(a, for_a), (b, for_b)]: [(&Ticket, &ServerMessage); 2],
    ) -> anyhow::Result<bool> {
        let recorded: i64 = RECORD_MATCH
            .key(self.claimed_key(a.id))
            .key(self.claimed_key(b.id))
            .arg(serde_json::to_string(for_a)?)
            .arg(serde_json::to_string(for_b)?)
            .arg(CLAIM_TTL.as_secs())
            .invoke_async(&mut self.conn.clone())
            .await
            .context("record a match")?;
        Ok(recorded == 1)
    }

    pub async fn state(&self, ticket: Uuid) -> anyhow::Result<TicketState> {
        let (waiting, claim): (Option<String>, Option<String>) = redis::cmd("MGET")
            .arg(self.ticket_key(ticket))
            .arg(self.claimed_key(ticket))
            .query_async(&mut self.conn.clone())
            .await
            .context("look up a ticket")?;
        Ok(match (claim, waiting) {
            (Some(claim), _) if claim == CLAIMED => TicketState::Claimed,
            (Some(matched), _) => TicketState::Matched(
                serde_json::from_str(&matched).context("read a recorded match")?,
            ),
            (None, Some(_)) => TicketState::Waiting,
            (None, None) => TicketState::Unknown,
        })
    }

    pub async fn heartbeat(&self, node: &str) -> anyhow::Result<()> {
        redis::cmd("SET")
            .arg(self.key(&format!("node:{node}")))
            .arg(1)
            .arg("PX")
            .arg(u64::try_from(NODE_TTL.as_millis()).unwrap_or(5000))
            .query_async::<()>(&mut self.conn.clone())
            .await
            .context("announce this process")?;
        Ok(())
    }

    pub async fn live_nodes(&self, nodes: &[String]) -> anyhow::Result<Vec<bool>> {
        if nodes.is_empty() {
            return Ok(Vec::new());
        }
        let keys: Vec<String> = nodes
            .iter()
            .map(|node| self.key(&format!("node:{node}")))
            .collect();
        let values: Vec<Option<String>> = redis::cmd("MGET")
            .arg(&keys)
            .query_async(&mut self.conn.clone())
            .await
            .context("read live processes")?;
        Ok(values.into_iter().map(|value| value.is_some()).collect())
    }
}
