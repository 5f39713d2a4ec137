//! The shared queue: Redis when `REDIS_URL` is set (any number of matching processes share
//! it), or memory for one process alone. Every operation that changes who is waiting is
//! atomic (a Lua script in Redis, a mutex in memory), so:
//!
//! - a user has at most one ticket: joining again replaces the old ticket (the old session
//!   is told `cancelled`, reason `replaced`);
//! - a claim takes two tickets out together or not at all, so nobody is matched twice;
//! - a cancel that succeeds happens before any claim of that ticket, and a claim that
//!   succeeds makes a later cancel fail (the user is being matched);
//! - a match once made is recorded on both claims together ([`Store::record_match`]), so a
//!   ticket whose `matched` notice was lost on the bus is never put back: its process finds
//!   the match the next time it looks ([`Store::reassert`]) and delivers it late.

use uuid::Uuid;

use crate::notice::{Notice, NoticeKind};
use crate::protocol::ServerMessage;
use crate::rules::Ticket;

mod memory;
mod redis;

pub use memory::MemoryStore;
pub use redis::RedisStore;

/// What joining did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Joined {
    /// The user's previous ticket, which this one replaced.
    pub replaced: Option<Ticket>,
    /// 1-based place in the queue.
    pub position: u64,
    pub waiting: u64,
}

/// Where a ticket stands in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TicketState {
    /// Neither waiting nor claimed: cancelled, replaced, or lost (a Redis restart).
    Unknown,
    Waiting,
    /// Taken out of the queue with a peer; the room is being made.
    Claimed,
    /// Matched: what its session is to be told (`matched`).
    Matched(ServerMessage),
}

#[derive(Clone)]
pub enum Store {
    Redis(RedisStore),
    Memory(MemoryStore),
}

impl Store {
    /// Adds the ticket, replacing the user's previous one.
    pub async fn join(&self, ticket: &Ticket) -> anyhow::Result<Joined> {
        match self {
            Self::Redis(store) => store.join(ticket).await,
            Self::Memory(store) => Ok(store.join(ticket)),
        }
    }

    /// Puts a claimed ticket back with its place, unless the user has joined again since or
    /// cancelled (or left) meanwhile, or its match is recorded; `false` then.
    pub async fn requeue(&self, ticket: &Ticket) -> anyhow::Result<bool> {
        match self {
            Self::Redis(store) => store.requeue(ticket).await,
            Self::Memory(store) => Ok(store.requeue(ticket)),
        }
    }

    /// Removes the ticket if it is still waiting; `false` when it was claimed or replaced.
    /// Either way the ticket can never be put back afterwards.
    pub async fn cancel(&self, ticket: &Ticket) -> anyhow::Result<bool> {
        match self {
            Self::Redis(store) => store.cancel(ticket).await,
            Self::Memory(store) => Ok(store.cancel(ticket)),
        }
    }

    /// Every waiting ticket, longest-waiting first.
    pub async fn snapshot(&self) -> anyhow::Result<Vec<Ticket>> {
        match self {
            Self::Redis(store) => store.snapshot().await,
            Self::Memory(store) => Ok(store.snapshot()),
        }
    }

    /// Takes both tickets out of the queue, or neither (`false`).
    pub async fn claim(&self, a: &Ticket, b: &Ticket) -> anyhow::Result<bool> {
        match self {
            Self::Redis(store) => store.claim(a, b).await,
            Self::Memory(store) => Ok(store.claim(a, b)),
        }
    }

    /// Records the match made for a claimed pair: what each ticket's session is to be told,
    /// on both claims or neither. `false` when either claim is gone (it lapsed).
    pub async fn record_match(
        &self,
        matched: [(&Ticket, &ServerMessage); 2],
    ) -> anyhow::Result<bool> {
        match self {
            Self::Redis(store) => store.record_match(matched).await,
            Self::Memory(store) => Ok(store.record_match(matched)),
        }
    }

    /// Where the ticket stands.
    pub async fn state(&self, ticket: Uuid) -> anyhow::Result<TicketState> {
        match self {
            Self::Redis(store) => store.state(ticket).await,
            Self::Memory(store) => Ok(store.state(ticket)),
        }
    }

    /// Looks at each of a process's waiting tickets: re-adds those the store no longer
    /// knows (as after a Redis restart), and returns the `matched` notices of those already
    /// matched, whose notice never arrived, to deliver now.
    pub async fn reassert(&self, tickets: Vec<Ticket>) -> Vec<Notice> {
        let mut late = Vec::new();
        for ticket in tickets {
            match self.state(ticket.id).await {
                Ok(TicketState::Waiting | TicketState::Claimed) => {}
                Ok(TicketState::Matched(message)) => late.push(Notice {
                    ticket: ticket.id,
                    kind: NoticeKind::Matched { message },
                }),
                Ok(TicketState::Unknown) => match self.requeue(&ticket).await {
                    Ok(true) => log::warn!("re-added ticket {} that the queue had lost", ticket.id),
                    Ok(false) => {}
                    Err(err) => log::warn!("could not re-add ticket {}: {err:#}", ticket.id),
                },
                Err(err) => {
                    log::warn!("queue unavailable: {err:#}");
                    break;
                }
            }
        }
        late
    }

    /// Announces that `node` is alive; tickets of nodes that stop announcing are dropped.
    pub async fn heartbeat(&self, node: &str) -> anyhow::Result<()> {
        match self {
            Self::Redis(store) => store.heartbeat(node).await,
            Self::Memory(_) => Ok(()),
        }
    }

    /// Which of these nodes are alive.
    pub async fn live_nodes(&self, nodes: &[String]) -> anyhow::Result<Vec<bool>> {
        match self {
            Self::Redis(store) => store.live_nodes(nodes).await,
            Self::Memory(_) => Ok(vec![true; nodes.len()]),
        }
    }
}
