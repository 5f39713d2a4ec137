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

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use redis::aio::ConnectionManager;
use serde::{Deserialize, Serialize};
use shared::contract::Room;
use uuid::Uuid;

use crate::store::ENDED_ROOM_TTL;

mod memory;
mod scripts;
pub use memory::Memory;
use scripts::{CLAIM, END, RETRY, SCHEDULE, SETTLED};

/// How long a room waiting to be settled is kept when nothing renews it: history unreachable
/// for a week is an outage someone has noticed. The ended mark lives as long as the ended
/// room's document ([`ENDED_ROOM_TTL`]); after that matching's record of the room says it.
pub const KEY_TTL: Duration = Duration::from_secs(7 * 24 * 60 * 60);

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
            Self::Memory(memory) => Ok(Self::memory_state(memory).is_ended(room)),
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
                SCHEDULE
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
                Self::memory_state(memory).schedule(room, due.timestamp_millis(), left_by);
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
                let first: i64 = END
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
                Ok(Self::memory_state(memory).end(room, ending, due.timestamp_millis()))
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
            Self::Memory(memory) => Ok(Self::memory_state(memory).due(now, limit)),
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
                let claimed: Option<(Option<String>, Option<String>, Option<String>)> = CLAIM
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
            Self::Memory(memory) => Ok(Self::memory_state(memory).claim(room, now, lease, when)),
        }
    }

    /// The claimed room could not be settled now: due again at `due` (sooner than the
    /// lease would make it), unless it was scheduled again meanwhile.
    pub async fn retry_at(&self, claim: &Claim, due: DateTime<Utc>) -> anyhow::Result<()> {
        let room = claim.room.id;
        match self {
            Self::Redis { conn, prefix } => {
                let [set, _, _] = Self::keys(prefix, room);
                RETRY
                    .key(set)
                    .arg(room.to_string())
                    .arg(claim.lease)
                    .arg(due.timestamp_millis())
                    .invoke_async::<i64>(&mut conn.clone())
                    .await
                    .with_context(|| format!("retry room {room} later"))?;
            }
            Self::Memory(memory) => {
                Self::memory_state(memory).retry_at(room, claim.lease, due.timestamp_millis());
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
                SETTLED
                    .key(set)
                    .key(data)
                    .arg(room.to_string())
                    .arg(claim.lease)
                    .invoke_async::<i64>(&mut conn.clone())
                    .await
                    .with_context(|| format!("forget settled room {room}"))?;
            }
            Self::Memory(memory) => Self::memory_state(memory).settled(room, claim.lease),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;
    use shared::contract::{PublicProfile, QuestionBrief, RoomStatus};
    use shared::difficulty::Difficulty;

    use super::*;

    fn room() -> Room {
        let member = |name: &str| PublicProfile {
            id: Uuid::new_v4(),
            username: name.into(),
        };
        Room {
            id: Uuid::new_v4(),
            members: vec![member("ada"), member("bob")],
            question: QuestionBrief {
                id: Uuid::new_v4(),
                slug: "odd-sums".into(),
                title: "Odd Sums".into(),
                difficulty: Difficulty::Easy,
                topics: vec!["math".into()],
            },
            language: "python".into(),
            status: RoomStatus::Active,
            created_at: Utc::now(),
        }
    }

    /// The rules both backends keep, run against each.
    async fn keeps_the_rules(settle: Settle) {
        let (room, now) = (room(), Utc::now());
        let later = now + Duration::seconds(60);
        settle
            .schedule(&room, later, Some("node-a"))
            .await
            .expect("schedule");
        assert!(
            settle.due(now, 10).await.expect("due").is_empty(),
            "not due yet"
        );
        let claim = |at, when| settle.claim(room.id, at, at + Duration::seconds(30), when);
        assert_eq!(claim(now, When::Due).await.expect("claim"), None);

        // Due: one claim wins; the lease keeps it from the next sweep.
        let first = claim(later, When::Due)
            .await
            .expect("claim")
            .expect("claimed");
        assert_eq!((first.room.id, first.ending.clone()), (room.id, None));
        assert_eq!(first.left_by.as_deref(), Some("node-a"));
        assert_eq!(claim(later, When::Due).await.expect("claim"), None);

        // Tried again sooner than the lease, then settled and forgotten.
        settle.retry_at(&first, later).await.expect("retry");
        let again = claim(later, When::Due)
            .await
            .expect("claim")
            .expect("again");
        settle.settled(&again).await.expect("settled");
        assert!(
            settle
                .due(later + Duration::days(1), 10)
                .await
                .expect("due")
                .is_empty()
        );

        // Ended: marked, due with its ending, and no longer scheduled as abandoned.
        assert!(!settle.is_ended(room.id).await.expect("ended?"));
        let ending = Ending {
            code: "x = 1".into(),
            language: "rust".into(),
            ended_at: now,
        };
        assert!(settle.end(&room, &ending, now).await.expect("end"));
        assert!(!settle.end(&room, &ending, now).await.expect("end again"));
        assert!(settle.is_ended(room.id).await.expect("ended?"));
        settle.schedule(&room, now, None).await.expect("schedule");
        let ended = claim(now, When::Now)
            .await
            .expect("claim")
            .expect("claimed");
        assert_eq!(ended.ending, Some(ending));
        // A claim scheduled again meanwhile is not forgotten by the older claim.
        let newer = claim(now + Duration::seconds(1), When::Now)
            .await
            .expect("claim")
            .expect("claimed");
        settle.settled(&ended).await.expect("settled");
        let lease_end = DateTime::from_timestamp_millis(newer.lease).expect("a time");
        assert_eq!(settle.due(lease_end, 10).await.expect("due").len(), 1);
        settle.settled(&newer).await.expect("settled");
        assert_eq!(claim(now, When::Now).await.expect("claim"), None);
    }

    #[actix_web::test]
    async fn memory_keeps_the_rules() {
        keeps_the_rules(Settle::memory()).await;
    }

    #[actix_web::test]
    async fn redis_keeps_the_rules() {
        let conn = shared::bus::connection_manager("redis://127.0.0.1:6379")
            .await
            .expect("redis");
        let prefix = format!("test:{}:", Uuid::new_v4().simple());
        keeps_the_rules(Settle::Redis { conn, prefix }).await;
    }
}
