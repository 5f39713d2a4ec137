//! The matchmaker, as plain async functions over its dependencies (the shared queue, the
//! question and history services, the rooms table). Any process may match any two waiting
//! users:
//!
//! 1. [`Matchmaker::round`] reads the queue, drops tickets of processes that stopped,
//!    proposes pairs ([`crate::rules::pairs`]) and claims each pair atomically in the store
//!    (both tickets or neither, so nobody is matched twice);
//! 2. [`Matchmaker::finish`] turns a claimed pair into a room: the questions either user has
//!    attempted, a question for the pair, the room, and the match recorded on both claims
//!    (so a lost notice is delivered late, never followed by a second match); or puts the
//!    pair back when questions are unavailable. It says what each ticket's process must
//!    tell its session.
//!
//! The queue actor runs these and delivers what they return.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use shared::db::PgPool;
use shared::request_id::RequestId;

use crate::notice::{Delivery, Notice, NoticeKind};
use crate::protocol::ServerMessage;
use crate::rooms::{self, NewRoom};
use crate::rules::{self, Plan, Relaxation, Ticket};
use crate::services::{PickError, Services};
use crate::store::Store;

/// How long this process must see a process's heartbeat missing before it drops that
/// process's tickets. Right after a Redis restart no heartbeat is there, though every
/// process is alive and says so again within a second: dropping at the first look would
/// cancel the tickets of users who are still waiting (`make bench`, matching with Redis
/// restarted).
pub const ORPHAN_GRACE: Duration = Duration::from_secs(5);

/// What the matchmaker works with.
#[derive(Clone)]
pub struct Matchmaker {
    pub store: Store,
    pub services: Services,
    pub pool: PgPool,
    pub relax: Relaxation,
    /// Since when this process has seen each silent process's heartbeat missing.
    pub missing: Arc<Mutex<HashMap<String, Instant>>>,
}

/// Two tickets taken out of the queue together, and the terms they were paired on.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub a: Ticket,
    pub b: Ticket,
    pub plan: Plan,
}

impl Matchmaker {
    /// One pass over the queue: the pairs this process claimed.
    pub async fn round(&self) -> anyhow::Result<Vec<Claimed>> {
        let tickets = self.store.snapshot().await?;
        metrics::gauge!("matching_queue_length").set(tickets.len() as f64);
        if tickets.len() < 2 {
            return Ok(Vec::new());
        }
        let tickets = self.drop_orphans(tickets).await;
        let now_ms = chrono::Utc::now().timestamp_millis();
        let mut claimed = Vec::new();
        for (a, b, plan) in rules::pairs(&tickets, now_ms, &self.relax) {
            match self.store.claim(&a, &b).await {
                Ok(true) => claimed.push(Claimed { a, b, plan }),
                // A cancel, or another process, got there first.
                Ok(false) => {}
                Err(err) => {
                    log::warn!("claim failed: {err:#}");
                    break;
                }
            }
        }
        Ok(claimed)
    }

    /// Drops tickets whose process has died (their users are gone with it): its heartbeat
    /// has been missing for [`ORPHAN_GRACE`], every time this process looked.
    async fn drop_orphans(&self, tickets: Vec<Ticket>) -> Vec<Ticket> {
        let nodes: Vec<String> = tickets
            .iter()
            .map(|ticket| ticket.node.clone())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let alive = match self.store.live_nodes(&nodes).await {
            Ok(alive) => alive,
            Err(err) => {
                log::warn!("cannot tell which processes are alive: {err:#}");
                return tickets;
            }
        };
        let dead: HashSet<&String> = {
            let now = Instant::now();
            let mut missing = self.missing.lock().unwrap_or_else(PoisonError::into_inner);
            let silent: Vec<&String> = nodes
                .iter()
                .zip(alive)
                .filter(|(_, alive)| !alive)
                .map(|(node, _)| node)
                .collect();
            missing.retain(|node, _| silent.contains(&node));
            silent
                .into_iter()
                .filter(|node| {
                    let since = *missing.entry((*node).clone()).or_insert(now);
                    now - since >= ORPHAN_GRACE
                })
                .collect()
        };
        if dead.is_empty() {
            return tickets;
        }
        let mut live = Vec::new();
        for ticket in tickets {
            if !dead.contains(&ticket.node) {
                live.push(ticket);
                continue;
            }
            log::info!(
                "dropping ticket {} of a process that stopped ({})",
                ticket.id,
                ticket.node
            );
            if let Err(err) = self.store.cancel(&ticket).await {
                log::warn!("could not drop ticket {}: {err:#}", ticket.id);
            }
        }
        live
    }

    /// Makes the pair's room, or puts the pair back; what each ticket's process is told.
    pub async fn finish(&self, pair: Claimed) -> [Delivery; 2] {
        let Claimed { a, b, plan } = pair;
        let request_id = RequestId::generate();
        match self.make_room(&a, &b, &plan, &request_id).await {
            Ok(room) => {
                log::info!(
                    "request_id={} matched {} and {} in room {}",
                    request_id.0,
                    a.user_id,
                    b.user_id,
                    room.id
                );
                metrics::counter!("matching_rooms_created_total").increment(1);
                let [for_a, for_b] = [&b, &a].map(|peer| ServerMessage::Matched {
                    room_id: room.id,
                    peer: peer.profile(),
                    question: room.question.clone(),
                    language: room.language.clone(),
                });
                self.record(&request_id, [(&a, &for_a), (&b, &for_b)]).await;
                [(&a, for_a), (&b, for_b)]
                    .map(|(ticket, message)| delivery(ticket, NoticeKind::Matched { message }))
            }
            Err(PickError::NoneMatches) => {
                log::warn!(
                    "request_id={} no question at all for {:?} {:?}",
                    request_id.0,
                    plan.topics,
                    plan.difficulties
                );
                [&a, &b].map(|ticket| {
                    let reason = "there is no question for this topic and difficulty".to_owned();
                    delivery(ticket, NoticeKind::Unmatched { reason })
                })
            }
            Err(PickError::Unavailable(why)) => {
                log::warn!(
                    "request_id={} match of {} and {} fell through, back in the queue: {why}",
                    request_id.0,
                    a.user_id,
                    b.user_id
                );
                let (back_a, back_b) =
                    futures_util::future::join(self.put_back(&a), self.put_back(&b)).await;
                [delivery(&a, back_a), delivery(&b, back_b)]
            }
        }
    }

    async fn make_room(
        &self,
        a: &Ticket,
        b: &Ticket,
        plan: &Plan,
        request_id: &RequestId,
    ) -> Result<shared::contract::Room, PickError> {
        let exclude = self
            .services
            .attempted_by([a.user_id, b.user_id], request_id)
            .await;
        let question = self
            .services
            .pick(&plan.topics, &plan.difficulties, &exclude, request_id)
            .await?;
        let room = async {
            let db = self.pool.get().await?;
            rooms::create(
                &db,
                NewRoom {
                    members: [&a.profile(), &b.profile()],
                    question: &question,
                    language: &plan.language,
                },
            )
            .await
        }
        .await;
        room.map_err(|err| PickError::Unavailable(format!("room not saved: {err:#}")))
    }

    /// Records the match on both claims, so that a ticket's process finds it even if the
    /// notice is lost. If the claims lapsed (the room took longer than a claim lasts) or the
    /// store cannot be written, the notices still go out: they are all there is.
    async fn record(&self, request_id: &RequestId, matched: [(&Ticket, &ServerMessage); 2]) {
        let [(a, _), (b, _)] = matched;
        match self.store.record_match(matched).await {
            Ok(true) => {}
            Ok(false) => log::error!(
                "request_id={} the claims of {} and {} lapsed before their room was made",
                request_id.0,
                a.id,
                b.id
            ),
            Err(err) => log::error!(
                "request_id={} could not record the match of {} and {}: {err:#}",
                request_id.0,
                a.id,
                b.id
            ),
        }
    }

    /// Puts a ticket back with its place, unless its user left or joined again meanwhile.
    async fn put_back(&self, ticket: &Ticket) -> NoticeKind {
        match self.store.requeue(ticket).await {
            Ok(true) => NoticeKind::Requeued {
                reason: "questions are unavailable right now; you keep your place".to_owned(),
            },
            Ok(false) => NoticeKind::Unmatched {
                reason: "the match fell through and this search has ended".to_owned(),
            },
            Err(err) => {
                log::error!("could not requeue ticket {}: {err:#}", ticket.id);
                NoticeKind::Unmatched {
                    reason: "the match fell through; search again".to_owned(),
                }
            }
        }
    }
}

fn delivery(ticket: &Ticket, kind: NoticeKind) -> Delivery {
    Delivery {
        node: ticket.node.clone(),
        notice: Notice {
            ticket: ticket.id,
            kind,
        },
    }
}
