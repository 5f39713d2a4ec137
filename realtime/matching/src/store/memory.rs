//! The queue in memory, for one process alone. The same semantics as Redis, under a mutex;
//! claims and cancellations expire as the Redis keys do, so the maps stay bounded.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use uuid::Uuid;

use super::redis::CLAIM_TTL;
use super::{Joined, TicketState};
use crate::protocol::ServerMessage;
use crate::rules::Ticket;

#[derive(Default)]
struct Queue {
    /// By (enqueued_at_ms, id): the queue's order.
    waiting: BTreeMap<(i64, Uuid), Ticket>,
    by_user: HashMap<Uuid, (i64, Uuid)>,
    /// Claimed tickets, and once their match is made, what their session is to be told.
    claimed: HashMap<Uuid, Claim>,
    /// Tickets whose user cancelled or left, and when: never put back.
    cancelled: HashMap<Uuid, Instant>,
}

struct Claim {
    at: Instant,
    matched: Option<ServerMessage>,
}

impl Queue {
    /// Forgets claims and cancellations older than [`CLAIM_TTL`], as Redis expires them.
    fn expire(&mut self) {
        self.claimed
            .retain(|_, claim| claim.at.elapsed() < CLAIM_TTL);
        self.cancelled.retain(|_, at| at.elapsed() < CLAIM_TTL);
    }
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
        let key = (ticket.enqueued_at_ms, ticket.id);
        let already_in = queue.by_user.get(&ticket.user_id) == Some(&key);
        if already_in || queue.claimed.contains_key(&ticket.id) {
            // The same join again (a retry): it is in already, perhaps claimed by now.
            let position = if queue.waiting.contains_key(&key) {
                queue.waiting.range(..=key).count() as u64
            } else {
                0
            };
            return Joined {
                replaced: None,
                position,
                waiting: queue.waiting.len() as u64,
            };
        }
        let replaced = queue
            .by_user
            .remove(&ticket.user_id)
            .and_then(|key| queue.waiting.remove(&key));
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
        if queue
            .claimed
            .get(&ticket.id)
            .is_some_and(|claim| claim.matched.is_some())
        {
            return false; // matched: its notice is on its way, or found late
        }
        queue.claimed.remove(&ticket.id);
        if queue.by_user.contains_key(&ticket.user_id) || queue.cancelled.contains_key(&ticket.id) {
            return false;
        }
        let key = (ticket.enqueued_at_ms, ticket.id);
        queue.waiting.insert(key, ticket.clone());
        queue.by_user.insert(ticket.user_id, key);
        true
    }

    pub fn cancel(&self, ticket: &Ticket) -> bool {
        let mut queue = self.lock();
        queue.expire();
        queue.cancelled.insert(ticket.id, Instant::now());
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
        queue.expire();
        let (key_a, key_b) = ((a.enqueued_at_ms, a.id), (b.enqueued_at_ms, b.id));
        if !queue.waiting.contains_key(&key_a) || !queue.waiting.contains_key(&key_b) {
            return false;
        }
        for (key, ticket) in [(key_a, a), (key_b, b)] {
            queue.waiting.remove(&key);
            if queue.by_user.get(&ticket.user_id) == Some(&key) {
                queue.by_user.remove(&ticket.user_id);
            }
            let claim = Claim {
                at: Instant::now(),
                matched: None,
            };
            queue.claimed.insert(ticket.id, claim);
        }
        true
    }

    pub fn record_match(&self, matched: [(&Ticket, &ServerMessage); 2]) -> bool {
        let mut queue = self.lock();
        if !matched
            .iter()
            .all(|(ticket, _)| queue.claimed.contains_key(&ticket.id))
        {
            return false;
        }
        for (ticket, message) in matched {
            let claim = Claim {
                at: Instant::now(),
                matched: Some(message.clone()),
            };
            queue.claimed.insert(ticket.id, claim);
        }
        true
    }

    pub fn state(&self, ticket: Uuid) -> TicketState {
        let queue = self.lock();
        match queue.claimed.get(&ticket).map(|claim| &claim.matched) {
            Some(Some(message)) => TicketState::Matched(message.clone()),
            Some(None) => TicketState::Claimed,
            None if queue.waiting.keys().any(|(_, id)| *id == ticket) => TicketState::Waiting,
            None => TicketState::Unknown,
        }
    }
}
