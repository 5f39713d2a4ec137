//! Copying the live log into the transcript, and reading a room's messages from wherever
//! they are: plain async functions over the log and the database.
//!
//! Every room actor copies its room about once a second; a process that finds rooms whose
//! messages have waited longer (their process was killed) copies those; the transcript
//! endpoint copies before it reads. Copies are idempotent, so several at once are harmless.

use anyhow::Context;
use shared::db::PgPool;
use uuid::Uuid;

use crate::protocol::ChatMessage;
use crate::store::LogStore;
use crate::transcript;

/// Entries the log keeps after they are in the transcript, for replays to reconnecting
/// members without a database read.
pub const KEEP_IN_LOG: u64 = 1000;

/// Copies what the log holds after `known` (the transcript's last id, if the caller knows
/// it) into the transcript, then lets the log trim. Returns the transcript's last id.
pub async fn flush(
    log: &LogStore,
    pool: &PgPool,
    room: Uuid,
    known: Option<u64>,
) -> anyhow::Result<u64> {
    let db = pool.get().await.context("a database connection")?;
    let after = match known {
        Some(id) => id,
        None => transcript::last_id(&db, room).await?,
    };
    let messages = log.range(room, after, None).await?;
    let upto = messages.last().map_or(after, |message| message.id);
    transcript::insert(&db, room, &messages).await?;
    log.flushed(room, upto, KEEP_IN_LOG).await?;
    Ok(upto)
}

/// How often every process looks for rooms whose messages have waited too long for the
/// transcript, and how long that is (a live room copies them within about a second).
pub const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(5);
const SWEEP_AFTER_MS: i64 = 10_000;

/// Copies the rooms whose newest messages have waited too long: their process was killed
/// before it copied them. Runs every [`SWEEP_EVERY`] on every process.
pub async fn sweep(log: &LogStore, pool: &PgPool) {
    let older_than = chrono::Utc::now().timestamp_millis() - SWEEP_AFTER_MS;
    let rooms = match log.waiting_rooms(older_than).await {
        Ok(rooms) => rooms,
        Err(err) => {
            log::warn!("sweep: {err:#}");
            return;
        }
    };
    for room in rooms {
        match flush(log, pool, room, None).await {
            Ok(upto) => log::info!("sweep: room {room} copied up to {upto}"),
            Err(err) => log::warn!("sweep: room {room}: {err:#}"),
        }
    }
}

/// The most a (re)connecting session is replayed: the newest messages it missed, as many as
/// the log keeps, so a replay never reads the transcript and one member reconnecting in a
/// loop with `after=0` costs a bounded read. Older messages are paged from the REST endpoint.
pub const MAX_REPLAY: u64 = KEEP_IN_LOG;

/// Where a replay for a session that has seen up to `after` starts, when the room has
/// delivered up to `upto`: at most [`MAX_REPLAY`] messages back.
pub fn replay_after(after: u64, upto: u64) -> u64 {
    after.max(upto.saturating_sub(MAX_REPLAY))
}

/// The room's messages with `after < id <= upto`, oldest first: from the log, and from the
/// transcript for what the log has trimmed.
pub async fn history(
    log: &LogStore,
    pool: &PgPool,
    room: Uuid,
    after: u64,
    upto: u64,
) -> anyhow::Result<Vec<ChatMessage>> {
    if upto <= after {
        return Ok(Vec::new());
    }
    let recent = log.range(room, after, Some(upto)).await?;
    let first_in_log = recent.first().map_or(upto + 1, |message| message.id);
    if first_in_log <= after + 1 {
        return Ok(recent);
    }
    let db = pool.get().await.context("a database connection")?;
    let mut older = transcript::between(&db, room, after, first_in_log).await?;
    older.extend(recent);
    Ok(older)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replay_is_what_was_missed_but_never_more_than_the_log_keeps() {
        assert_eq!(replay_after(0, 10), 0, "all of a short conversation");
        assert_eq!(replay_after(7, 10), 7, "only what was missed");
        assert_eq!(
            replay_after(0, 5_000),
            5_000 - MAX_REPLAY,
            "the newest only"
        );
        assert_eq!(replay_after(4_500, 5_000), 4_500);
        assert_eq!(replay_after(12, 10), 12, "ahead of the room: nothing");
    }
}
