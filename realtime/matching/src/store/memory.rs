//! The queue in memory, for one process alone. The same semantics as Redis, under a mutex.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use uuid::Uuid;

use super::Joined;
use crate::rules::Ticket;

#[derive(Default)]
struct Queue {
    /// By (enqueued_at_ms, id): the queue's order.
    waiting: BTreeMap<(i64, Uuid), Ticket>,
    by_user: HashMap<Uuid, (i64, Uuid)>,
    claimed: HashSet<Uuid>,
    /// Tickets whose user cancelled or left: never put back.
    cancelled: HashSet<Uuid>,
}

#[derive(Clone, Default)]
pub struct MemoryStore {
    queue: Arc<Mutex<Queue>>,
}

impl MemoryStore {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn join(&self, ticket: &Ticket) -> Joined {
        let mut queue = self.lock();
        let replaced = queue
            .by_user
            .remove(&ticket.user_id)
            .and_then(|key| queue.waiting.remove(&key));
        let key = (ticket.enqueued_at_ms, ticket.id);
        queue.waiting.insert(key, ticket.clone());
        queue.by_user.insert(ticket.user_id, key);
        let position = queue.waiting.range(..=key).count() as u64;
        Joined {
            replaced,
            position,
            waiting: queue.waiting.len() as u64,
        }
    }

    pub fn requeue(&self, ticket: &Ticket) -> bool {
        let mut queue = self.lock();
        queue.claimed.remove(&ticket.id);
        if queue.by_user.contains_key(&ticket.user_id) || queue.cancelled.contains(&ticket.id) {
            return false;
        }
        let key = (ticket.enqueued_at_ms, ticket.id);
        queue.waiting.insert(key, ticket.clone());
        queue.by_user.insert(ticket.user_id, key);
        true
    }

    pub fn cancel(&self, ticket: &Ticket) -> bool {
        let mut queue = self.lock();
        queue.cancelled.insert(ticket.id);
        let key = (ticket.enqueued_at_ms, ticket.id);
        if queue.waiting.remove(&key).is_none() {
            return false;
        }
        if queue.by_user.get(&ticket.user_id) == Some(&key) {
            queue.by_user.remove(&ticket.user_id);
        }
        true
    }

    pub fn snapshot(&self) -> Vec<Ticket> {
        self.lock().waiting.values().cloned().collect()
    }

    pub fn claim(&self, a: &Ticket, b: &Ticket) -> bool {
        let mut queue = self.lock();
        let (key_a, key_b) = ((a.enqueued_at_ms, a.id), (b.enqueued_at_ms, b.id));
        if !queue.waiting.contains_key(&key_a) || !queue.waiting.contains_key(&key_b) {
            return false;
        }
        for (key, ticket) in [(key_a, a), (key_b, b)] {
            queue.waiting.remove(&key);
            if queue.by_user.get(&ticket.user_id) == Some(&key) {
                queue.by_user.remove(&ticket.user_id);
            }
            queue.claimed.insert(ticket.id);
        }
        true
    }

    pub fn is_known(&self, ticket: Uuid) -> bool {
        let queue = self.lock();
        queue.claimed.contains(&ticket) || queue.waiting.keys().any(|(_, id)| *id == ticket)
    }
}
