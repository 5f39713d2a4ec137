//! The live log in memory, for one process alone: the same semantics as Redis, under a
//! mutex. Nothing to publish: there is no other process.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use uuid::Uuid;

use super::{Commit, CommitError, MAX_UNFLUSHED, NewMessage, retry_key};
use crate::protocol::{ChatMessage, Posted};

#[derive(Default)]
struct RoomLog {
    last_id: u64,
    entries: BTreeMap<u64, Posted>,
    retries: HashMap<String, u64>,
    /// When the oldest message the transcript lacks was stored (Unix ms).
    waiting_since: Option<i64>,
}

#[derive(Clone, Default)]
pub struct MemoryLog {
    rooms: Arc<Mutex<HashMap<Uuid, RoomLog>>>,
}

impl MemoryLog {
    fn lock(&self) -> MutexGuard<'_, HashMap<Uuid, RoomLog>> {
        self.rooms.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn commit(&self, new: &NewMessage<'_>) -> Result<Commit, CommitError> {
        let mut rooms = self.lock();
        let log = rooms.entry(new.room).or_default();
        let key = retry_key(&new.posted.sender, &new.posted.client_id);
        if let Some(&id) = log.retries.get(&key) {
            let message = log
                .entries
                .get(&id)
                .map(|posted| ChatMessage::new(id, posted.clone()));
            return Ok(Commit::Repeated { id, message });
        }
        if log.entries.len() as u64 >= MAX_UNFLUSHED {
            return Err(CommitError::Full);
        }
        let id = log.last_id.max(new.floor) + 1;
        log.last_id = id;
        log.entries.insert(id, new.posted.clone());
        log.retries.insert(key, id);
        log.waiting_since
            .get_or_insert(chrono::Utc::now().timestamp_millis());
        Ok(Commit::Stored(ChatMessage::new(id, new.posted.clone())))
    }

    pub fn range(&self, room: Uuid, after: u64, upto: Option<u64>) -> Vec<ChatMessage> {
        let rooms = self.lock();
        let Some(log) = rooms.get(&room) else {
            return Vec::new();
        };
        log.entries
            .range(after + 1..=upto.unwrap_or(u64::MAX))
            .map(|(id, posted)| ChatMessage::new(*id, posted.clone()))
            .collect()
    }

    pub fn last_id(&self, room: Uuid) -> u64 {
        self.lock().get(&room).map_or(0, |log| log.last_id)
    }

    pub fn flushed(&self, room: Uuid, upto: u64, keep: u64) {
        let mut rooms = self.lock();
        let Some(log) = rooms.get_mut(&room) else {
            return;
        };
        let keep_from = upto.saturating_sub(keep) + 1;
        log.entries = log.entries.split_off(&keep_from);
        // Retries are answered while the message is kept (Redis: for a day).
        log.retries.retain(|_, id| *id >= keep_from);
        log.waiting_since = (log.last_id > upto).then(|| chrono::Utc::now().timestamp_millis());
    }

    pub fn waiting_rooms(&self, older_than_ms: i64) -> Vec<Uuid> {
        self.lock()
            .iter()
            .filter(|(_, log)| log.waiting_since.is_some_and(|at| at <= older_than_ms))
            .map(|(room, _)| *room)
            .collect()
    }
}
