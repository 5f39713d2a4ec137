//! Settles sessions: records each member's attempt of a room that is due in [`crate::settle`]
//! (ended by a member, or left by everyone for the idle grace). Every process sweeps every
//! [`SWEEP_EVERY`]; a claim makes sure one process records a room at a time, and whatever
//! fails (Redis, or history unreachable) is tried again at a later sweep rather than taken to
//! mean that someone else has it.

use std::time::Duration;

use chrono::Utc;
use shared::contract::{Outcome, SessionEnding};
use shared::request_id::RequestId;
use uuid::Uuid;

use crate::history::{History, RecordError};
use crate::settle::{Claim, Settle, When};
use crate::store::DocStore;
use crate::sync::RoomDoc;

/// How often each process looks for rooms due to settle.
pub const SWEEP_EVERY: Duration = Duration::from_secs(1);
/// How long a claim holds: recording two attempts, retries included, takes seconds.
const LEASE: Duration = Duration::from_secs(30);
/// How soon a room history could not take is tried again.
const RETRY_AFTER: Duration = Duration::from_secs(5);
/// Rooms claimed per sweep at most (the rest wait for the next).
const SWEEP_BATCH: usize = 50;

/// What settling a room came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// Both attempts are in history.
    Recorded,
    /// History refused them for good: logged, and not tried again.
    Refused,
    /// Not now (someone is still in the room, or history is unavailable): tried again later.
    Later,
    /// Nothing to settle (not due, or another process has it).
    Nothing,
}

#[derive(Clone)]
pub struct Settler {
    pub settle: Settle,
    pub docs: DocStore,
    pub history: History,
}

impl Settler {
    /// Sweeps every [`SWEEP_EVERY`] for as long as the process runs.
    pub fn start(self) {
        actix::spawn(async move {
            let mut ticks = actix::clock::interval(SWEEP_EVERY);
            loop {
                ticks.tick().await;
                if let Err(err) = self.sweep().await {
                    log::warn!("could not sweep the rooms to settle (tried again): {err:#}");
                }
            }
        });
    }

    /// Settles every room due now; returns how many were settled for good.
    pub async fn sweep(&self) -> anyhow::Result<usize> {
        let mut done = 0;
        for room in self.settle.due(Utc::now(), SWEEP_BATCH).await? {
            match self.settle_room(room, When::Due).await {
                Ok(Settled::Recorded | Settled::Refused) => done += 1,
                Ok(Settled::Later | Settled::Nothing) => {}
                Err(err) => log::warn!("room {room} could not be settled yet: {err:#}"),
            }
        }
        Ok(done)
    }

    /// Claims the room and records its attempts, if it is waiting to be settled.
    pub async fn settle_room(&self, room: Uuid, when: When) -> anyhow::Result<Settled> {
        let now = Utc::now();
        let Some(claim) = self.settle.claim(room, now, now + LEASE, when).await? else {
            return Ok(Settled::Nothing);
        };
        let ending = match &claim.ending {
            Some(ending) => SessionEnding {
                code: ending.code.clone(),
                language: ending.language.clone(),
                ended_at: ending.ended_at,
                outcome: Outcome::Completed,
            },
            None => match self.abandoned(&claim).await? {
                Some(ending) => ending,
                // Someone is back: the room stays claimed until the lease ends, and the
                // process they are on keeps it due meanwhile.
                None => return Ok(Settled::Later),
            },
        };
        let request_id = RequestId::generate();
        let settled = match self.history.record(&claim.room, &ending, &request_id).await {
            Ok(()) => Settled::Recorded,
            Err(err @ RecordError::Refused { .. }) => {
                log::error!(
                    "request_id={} room {}: recording failed for good, not retried: {err}",
                    request_id.0,
                    claim.room.id
                );
                Settled::Refused
            }
            Err(err @ RecordError::Unavailable { .. }) => {
                log::warn!(
                    "request_id={} room {}: not recorded yet, tried again in {RETRY_AFTER:?}: {err}",
                    request_id.0,
                    claim.room.id
                );
                let due = Utc::now() + chrono::Duration::from_std(RETRY_AFTER)?;
                self.settle.retry_at(&claim, due).await?;
                return Ok(Settled::Later);
            }
        };
        self.settle.settled(&claim).await?;
        Ok(settled)
    }

    /// How a room everyone left ended: its code as stored now. `None` if a process still
    /// has sessions in it.
    async fn abandoned(&self, claim: &Claim) -> anyhow::Result<Option<SessionEnding>> {
        let room = &claim.room;
        // No process is named "": without one that left, anyone present counts.
        let left_by = claim.left_by.as_deref().unwrap_or_default();
        if self.docs.present_elsewhere(room.id, left_by).await? {
            return Ok(None);
        }
        let loaded = self.docs.load(room.id).await?;
        let rebuilt = RoomDoc::from_updates(loaded.updates.iter().map(Vec::as_slice));
        for skipped in &rebuilt.skipped {
            log::error!("room {}: {skipped}", room.id);
        }
        let language = crate::meta::valid_language(rebuilt.doc.language().as_deref())
            .unwrap_or(&room.language)
            .to_owned();
        Ok(Some(SessionEnding {
            code: rebuilt.doc.code(),
            language,
            ended_at: Utc::now(),
            outcome: Outcome::Abandoned,
        }))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn history_keeps_the_code_of_any_document_the_editor_allows() {
        // The code is part of the document at one byte or more a character.
        const { assert!(history::attempt::MAX_CODE_CHARS >= crate::sync::MAX_DOCUMENT_BYTES) };
    }
}
