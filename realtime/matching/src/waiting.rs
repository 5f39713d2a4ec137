//! This process's searches: one entry per websocket session that asked to be matched, in
//! one of two phases, with no I/O (the queue actor does the store calls and tells clients).
//!
//! ```text
//!            begin_join            joined
//!   (none) ─────────────▶ Joining ─────────▶ Queued ──▶ (none)
//!                           │  cancel / disconnect:     forget: matched, replaced, left,
//!                           │  remembered, carried out  unmatched
//!                           ▼  once the join is stored
//!                         (none)  join_failed
//! ```
//!
//! A session is in at most one search. While its join is being written to the store a
//! cancel or a disconnect cannot take it out yet; it is remembered and carried out as soon
//! as the ticket is queued. A queued ticket leaves only when the store says so (a cancel
//! that found it still waiting) or when its match is settled.
//!
//! `C` is how to reach the session's client (an actor recipient in the service; anything
//! in tests).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use toolkit::ws::SessionId;
use uuid::Uuid;

use crate::rules::Ticket;

/// What to do once a join is stored, decided while it was being stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterJoin {
    Stay,
    /// The user cancelled: take the ticket out and say `cancelled`.
    Cancel,
    /// The websocket closed: take the ticket out; nobody is left to tell.
    Leave,
}

enum Phase {
    /// The join is being written to the store.
    Joining { then: AfterJoin },
    /// In the queue until `deadline`.
    Queued { ticket: Ticket, deadline: Instant },
}

struct Entry<C> {
    client: C,
    phase: Phase,
}

/// The session already searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlreadySearching;

/// A ticket whose session wants it out of the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leaving {
    pub ticket: Ticket,
    pub why: AfterJoin,
}

/// What a stored join leads to.
pub struct Queued<C> {
    pub client: C,
    /// Set when a cancel or a disconnect came in while the join was being stored.
    pub leaving: Option<Leaving>,
}

/// A ticket back in the queue after its match fell through.
pub struct Requeued<C> {
    pub client: C,
    /// The ticket, when its deadline has passed.
    pub overdue: Option<Ticket>,
}

pub struct Waiting<C> {
    sessions: HashMap<SessionId, Entry<C>>,
    tickets: HashMap<Uuid, SessionId>,
}

impl<C> Default for Waiting<C> {
    fn default() -> Self {
        Self {
            sessions: HashMap::new(),
            tickets: HashMap::new(),
        }
    }
}

impl<C: Clone> Waiting<C> {
    /// The session starts a search; its join is now being stored.
    pub fn begin_join(&mut self, session: SessionId, client: C) -> Result<(), AlreadySearching> {
        if self.sessions.contains_key(&session) {
            return Err(AlreadySearching);
        }
        self.sessions.insert(
            session,
            Entry {
                client,
                phase: Phase::Joining {
                    then: AfterJoin::Stay,
                },
            },
        );
        Ok(())
    }

    /// The join is stored: the ticket waits until `deadline`.
    pub fn joined(
        &mut self,
        session: SessionId,
        ticket: Ticket,
        deadline: Instant,
    ) -> Option<Queued<C>> {
        let entry = self.sessions.get_mut(&session)?;
        let Phase::Joining { then } = entry.phase else {
            return None;
        };
        self.tickets.insert(ticket.id, session);
        let leaving = (then != AfterJoin::Stay).then(|| Leaving {
            ticket: ticket.clone(),
            why: then,
        });
        entry.phase = Phase::Queued { ticket, deadline };
        Some(Queued {
            client: entry.client.clone(),
            leaving,
        })
    }

    /// The join could not be stored (or was refused): the search is over before it began.
    /// The client comes back with what its session asked for meanwhile (a cancel is still
    /// owed its `cancelled`).
    pub fn join_failed(&mut self, session: SessionId) -> Option<(C, AfterJoin)> {
        match self.sessions.get(&session)?.phase {
            Phase::Joining { then } => self
                .sessions
                .remove(&session)
                .map(|entry| (entry.client, then)),
            Phase::Queued { .. } => None,
        }
    }

    /// The user asks to stop, or (`why` = Leave) the websocket closed. A queued ticket is
    /// returned, to be taken out of the store; a join in flight remembers it.
    pub fn leave(&mut self, session: SessionId, why: AfterJoin) -> Option<Leaving> {
        let entry = self.sessions.get_mut(&session)?;
        match &mut entry.phase {
            Phase::Joining { then } => {
                // A disconnect after a cancel still owes the cancel nothing more.
                if *then == AfterJoin::Stay {
                    *then = why;
                }
                None
            }
            Phase::Queued { ticket, .. } => Some(Leaving {
                ticket: ticket.clone(),
                why,
            }),
        }
    }

    /// The ticket is settled (it left the store, or its match is decided): the search is
    /// over; the session's client, to tell.
    pub fn forget(&mut self, ticket: Uuid) -> Option<C> {
        let session = self.tickets.remove(&ticket)?;
        self.sessions.remove(&session).map(|entry| entry.client)
    }

    /// A ticket whose match fell through is back in the queue: its client, to tell, and
    /// the ticket itself if its deadline passed meanwhile (to time it out now).
    pub fn requeued(&self, ticket: Uuid, now: Instant) -> Option<Requeued<C>> {
        let entry = self.sessions.get(self.tickets.get(&ticket)?)?;
        match &entry.phase {
            Phase::Queued { ticket, deadline } => Some(Requeued {
                client: entry.client.clone(),
                overdue: (*deadline <= now).then(|| ticket.clone()),
            }),
            Phase::Joining { .. } => None,
        }
    }

    /// Tickets past their deadline at `now`. Each is handed out once; if its removal finds
    /// it claimed (a match is on its way), it comes back only after `recheck_after`.
    pub fn expired(&mut self, now: Instant, recheck_after: Duration) -> Vec<Ticket> {
        let mut expired = Vec::new();
        for entry in self.sessions.values_mut() {
            if let Phase::Queued { ticket, deadline } = &mut entry.phase
                && *deadline <= now
            {
                *deadline = now + recheck_after;
                expired.push(ticket.clone());
            }
        }
        expired
    }

    /// Every queued ticket (to re-add those the store lost).
    pub fn tickets(&self) -> Vec<Ticket> {
        self.sessions
            .values()
            .filter_map(|entry| match &entry.phase {
                Phase::Queued { ticket, .. } => Some(ticket.clone()),
                Phase::Joining { .. } => None,
            })
            .collect()
    }

    /// Sessions searching (joining or queued).
    pub fn len(&self) -> usize {
        self.sessions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sessions.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use shared::difficulty::Difficulty;

    use super::*;

    fn ticket() -> Ticket {
        Ticket {
            id: Uuid::new_v4(),
            user_id: Uuid::new_v4(),
            username: "ada".into(),
            topics: vec!["arrays".into()],
            difficulty: Difficulty::Easy,
            language: None,
            relax_difficulty: true,
            relax_topics: true,
            node: "n".into(),
            enqueued_at_ms: 0,
        }
    }

    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn a_session_searches_once_at_a_time() {
        let mut waiting = Waiting::default();
        let session = Uuid::new_v4();
        assert_eq!(waiting.begin_join(session, "ada"), Ok(()));
        assert_eq!(waiting.begin_join(session, "ada"), Err(AlreadySearching));
        let ticket = ticket();
        let queued = waiting
            .joined(session, ticket.clone(), Instant::now() + MINUTE)
            .expect("joining");
        assert_eq!((queued.client, queued.leaving), ("ada", None));
        assert_eq!(
            waiting.begin_join(session, "ada"),
            Err(AlreadySearching),
            "still queued"
        );
        assert_eq!(waiting.tickets(), std::slice::from_ref(&ticket));

        assert_eq!(waiting.forget(ticket.id), Some("ada"));
        assert!(waiting.is_empty());
        assert_eq!(
            waiting.begin_join(session, "ada"),
            Ok(()),
            "free to search again"
        );
    }

    #[test]
    fn a_cancel_during_the_join_is_carried_out_once_queued() {
        let mut waiting = Waiting::default();
        let session = Uuid::new_v4();
        waiting.begin_join(session, ()).expect("free");
        assert_eq!(waiting.leave(session, AfterJoin::Cancel), None, "not yet");
        // The websocket closing afterwards does not turn the cancel into a silent leave.
        assert_eq!(waiting.leave(session, AfterJoin::Leave), None);
        let ticket = ticket();
        let queued = waiting
            .joined(session, ticket.clone(), Instant::now() + MINUTE)
            .expect("joining");
        assert_eq!(
            queued.leaving,
            Some(Leaving {
                ticket,
                why: AfterJoin::Cancel
            })
        );
    }

    #[test]
    fn a_disconnect_during_the_join_leaves_without_a_reply() {
        let mut waiting = Waiting::default();
        let session = Uuid::new_v4();
        waiting.begin_join(session, ()).expect("free");
        waiting.leave(session, AfterJoin::Leave);
        let queued = waiting
            .joined(session, ticket(), Instant::now() + MINUTE)
            .expect("joining");
        assert_eq!(queued.leaving.map(|l| l.why), Some(AfterJoin::Leave));
    }

    #[test]
    fn a_queued_ticket_leaves_only_when_the_store_says_so() {
        let mut waiting = Waiting::default();
        let session = Uuid::new_v4();
        waiting.begin_join(session, ()).expect("free");
        let ticket = ticket();
        waiting.joined(session, ticket.clone(), Instant::now() + MINUTE);
        let leaving = waiting.leave(session, AfterJoin::Cancel).expect("queued");
        assert_eq!(leaving.ticket, ticket);
        assert_eq!(waiting.len(), 1, "until the store confirms");
        assert_eq!(waiting.forget(ticket.id), Some(()));
        assert_eq!(
            waiting.leave(session, AfterJoin::Cancel),
            None,
            "nothing left"
        );
        assert_eq!(waiting.forget(ticket.id), None, "forgotten once");
    }

    #[test]
    fn a_failed_join_ends_the_search() {
        let mut waiting = Waiting::default();
        let session = Uuid::new_v4();
        waiting.begin_join(session, "ada").expect("free");
        assert_eq!(waiting.join_failed(session), Some(("ada", AfterJoin::Stay)));
        assert!(waiting.is_empty());
        assert!(waiting.joined(session, ticket(), Instant::now()).is_none());
        // A cancel made while the join was in flight is remembered.
        waiting.begin_join(session, "ada").expect("free");
        assert_eq!(waiting.leave(session, AfterJoin::Cancel), None);
        assert_eq!(
            waiting.join_failed(session),
            Some(("ada", AfterJoin::Cancel))
        );
    }

    #[test]
    fn expired_tickets_are_handed_out_once_per_recheck() {
        let mut waiting = Waiting::default();
        let now = Instant::now();
        let (soon, later) = (Uuid::new_v4(), Uuid::new_v4());
        let (soon_ticket, later_ticket) = (ticket(), ticket());
        for (session, ticket, deadline) in [
            (soon, soon_ticket.clone(), now),
            (later, later_ticket, now + MINUTE),
        ] {
            waiting.begin_join(session, ()).expect("free");
            waiting.joined(session, ticket, deadline);
        }
        let recheck = Duration::from_secs(1);
        assert_eq!(
            waiting.expired(now, recheck),
            std::slice::from_ref(&soon_ticket)
        );
        assert!(waiting.expired(now, recheck).is_empty(), "once");
        assert_eq!(waiting.expired(now + recheck, recheck), [soon_ticket]);
    }

    #[test]
    fn a_requeued_ticket_says_whether_its_time_is_up() {
        let mut waiting = Waiting::default();
        let now = Instant::now();
        let session = Uuid::new_v4();
        let ticket = ticket();
        waiting.begin_join(session, "ada").expect("free");
        waiting.joined(session, ticket.clone(), now + MINUTE);
        let back = waiting.requeued(ticket.id, now).expect("queued");
        assert_eq!((back.client, back.overdue), ("ada", None));
        let late = waiting.requeued(ticket.id, now + MINUTE).expect("queued");
        assert_eq!(late.overdue, Some(ticket));
        assert!(waiting.requeued(Uuid::new_v4(), now).is_none());
    }
}
