//! The settle store in one process's memory (no Redis): the same rules as the scripts in
//! `scripts.rs`, on a map.

use std::collections::{HashMap, HashSet};

use shared::contract::Room;
use uuid::Uuid;

use super::{Claim, Ending, When};

#[derive(Debug, Clone)]
struct Entry {
    due: i64,
    room: Room,
    ending: Option<Ending>,
    left_by: Option<String>,
}

/// The memory backend's state (one process alone). Times are ms since the epoch.
#[derive(Debug, Default)]
pub struct Memory {
    entries: HashMap<Uuid, Entry>,
    ended: HashSet<Uuid>,
}

impl Memory {
    pub(super) fn is_ended(&self, room: Uuid) -> bool {
        self.ended.contains(&room)
    }

    pub(super) fn schedule(&mut self, room: &Room, due: i64, left_by: Option<&str>) {
        if !self.ended.contains(&room.id) {
            self.entries.insert(
                room.id,
                Entry {
                    due,
                    room: room.clone(),
                    ending: None,
                    left_by: left_by.map(str::to_owned),
                },
            );
        }
    }

    pub(super) fn end(&mut self, room: &Room, ending: &Ending, due: i64) -> bool {
        if !self.ended.insert(room.id) {
            return false;
        }
        self.entries.insert(
            room.id,
            Entry {
                due,
                room: room.clone(),
                ending: Some(ending.clone()),
                left_by: None,
            },
        );
        true
    }

    pub(super) fn due(&self, now: i64, limit: usize) -> Vec<Uuid> {
        self.entries
            .iter()
            .filter(|(_, entry)| entry.due <= now)
            .map(|(id, _)| *id)
            .take(limit)
            .collect()
    }

    pub(super) fn claim(&mut self, room: Uuid, now: i64, lease: i64, when: When) -> Option<Claim> {
        let entry = self.entries.get_mut(&room)?;
        if when == When::Due && entry.due > now {
            return None;
        }
        entry.due = lease;
        Some(Claim {
            room: entry.room.clone(),
            ending: entry.ending.clone(),
            left_by: entry.left_by.clone(),
            lease,
        })
    }

    pub(super) fn retry_at(&mut self, room: Uuid, lease: i64, due: i64) {
        if let Some(entry) = self
            .entries
            .get_mut(&room)
            .filter(|entry| entry.due == lease)
        {
            entry.due = due;
        }
    }

    pub(super) fn settled(&mut self, room: Uuid, lease: i64) {
        if self
            .entries
            .get(&room)
            .is_some_and(|entry| entry.due == lease)
        {
            self.entries.remove(&room);
        }
    }
}
