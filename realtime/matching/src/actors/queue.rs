//! One per process: owns this process's waiting sessions and their timers, runs the
//! matchmaker over the shared queue, and turns matches into rooms.
//!
//! Any process may match any two waiting users: it proposes pairs from a snapshot
//! ([`crate::rules::pairs`]), claims each pair atomically in the store, then picks a question,
//! creates the room and tells each ticket's process ([`super::bus::notify`]).

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use actix::prelude::*;
use shared::bus::Bus;
use shared::db::PgPool;
use uuid::Uuid;

use super::bus::{NodeEvent, NodeEventKind, notify};
use crate::protocol::{JoinRequest, ServerMessage, profile};
use crate::rooms::{self, NewRoom};
use crate::rules::{self, Plan, Relaxation, Ticket};
use crate::services::{PickError, Services};
use crate::store::Store;

/// How often this process announces it is alive.
const HEARTBEAT_EVERY: Duration = Duration::from_secs(1);
/// How often this process checks that its waiting tickets are still in the store (they are
/// re-added after the store lost them, e.g. a Redis restart).
const REASSERT_EVERY: Duration = Duration::from_secs(2);

#[derive(Debug, Clone)]
pub struct QueueSettings {
    pub timeout: Duration,
    pub relax: Relaxation,
    /// How often the matchmaker runs.
    pub tick: Duration,
}

/// A message for one websocket session.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Deliver {
    pub message: ServerMessage,
}

/// A session asks to be matched.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Join {
    pub session_id: Uuid,
    pub client: Recipient<Deliver>,
    pub user_id: Uuid,
    pub username: String,
    pub request: JoinRequest,
}

/// A session gives up its search.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Cancel {
    pub session_id: Uuid,
}

/// A session opened; it is closed with 1012 when the process shuts down.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Connected {
    pub session_id: Uuid,
    pub session: Recipient<Restart>,
}

/// Tells a session the process is going away: close with 1012 so the client reconnects
/// (to another process, behind the load balancer).
#[derive(Message, Clone, Copy)]
#[rtype(result = "()")]
pub struct Restart;

/// The process is shutting down: close every session. Answers when all were told.
#[derive(Message)]
#[rtype(result = "usize")]
pub struct CloseAll;

/// A session's websocket closed; its ticket, if any, leaves the queue.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Disconnected {
    pub session_id: Uuid,
}

struct Waiting {
    ticket: Ticket,
    session_id: Uuid,
    client: Recipient<Deliver>,
    deadline: Instant,
}

pub struct QueueActor {
    node: String,
    prefix: String,
    store: Store,
    bus: Bus,
    pool: PgPool,
    services: Services,
    settings: QueueSettings,
    /// This process's waiting tickets.
    waiting: HashMap<Uuid, Waiting>,
    by_session: HashMap<Uuid, Uuid>,
    /// Every open session of this process.
    sessions: HashMap<Uuid, Recipient<Restart>>,
    /// Sessions whose join is being written to the store.
    joining: HashSet<Uuid>,
    /// Sessions that closed, or cancelled, while their join was in flight.
    gone: HashSet<Uuid>,
    /// Of those, the ones that asked to cancel (and are told `cancelled`).
    cancelling: HashSet<Uuid>,
    matching: bool,
    last_heartbeat: Option<Instant>,
    last_reassert: Option<Instant>,
}

pub struct QueueParts {
    pub node: String,
    pub prefix: String,
    pub store: Store,
    pub bus: Bus,
    pub pool: PgPool,
    pub services: Services,
    pub settings: QueueSettings,
}

impl QueueActor {
    pub fn new(parts: QueueParts) -> Self {
        Self {
            node: parts.node,
            prefix: parts.prefix,
            store: parts.store,
            bus: parts.bus,
            pool: parts.pool,
            services: parts.services,
            settings: parts.settings,
            waiting: HashMap::new(),
            by_session: HashMap::new(),
            sessions: HashMap::new(),
            joining: HashSet::new(),
            gone: HashSet::new(),
            cancelling: HashSet::new(),
            matching: false,
            last_heartbeat: None,
            last_reassert: None,
        }
    }

    fn forget(&mut self, ticket: Uuid) -> Option<Waiting> {
        let waiting = self.waiting.remove(&ticket)?;
        self.by_session.remove(&waiting.session_id);
        metrics::gauge!("matching_waiting_sessions").set(self.waiting.len() as f64);
        Some(waiting)
    }

    /// Takes the session's ticket out of the store; `deliver` is sent when that worked.
    fn leave(&mut self, session_id: Uuid, deliver: Option<ServerMessage>, ctx: &mut Context<Self>) {
        let Some(ticket_id) = self.by_session.get(&session_id).copied() else {
            if self.joining.contains(&session_id) {
                self.gone.insert(session_id);
            }
            return;
        };
        let Some(waiting) = self.waiting.get(&ticket_id) else {
            return;
        };
        let store = self.store.clone();
        let ticket = waiting.ticket.clone();
        ctx.spawn(
            async move { store.cancel(&ticket).await }
                .into_actor(self)
                .map(move |result, act, _| match result {
                    Ok(true) => {
                        if let Some(waiting) = act.forget(ticket_id)
                            && let Some(message) = deliver
                        {
                            waiting.client.do_send(Deliver { message });
                        }
                    }
                    // Claimed: a match is on its way to this session.
                    Ok(false) => {}
                    Err(err) => {
                        log::error!("could not take ticket {ticket_id} out of the queue: {err:#}")
                    }
                }),
        );
    }

    fn tick(&mut self, ctx: &mut Context<Self>) {
        let now = Instant::now();
        self.expire(now, ctx);
        if self
            .last_heartbeat
            .is_none_or(|at| now - at >= HEARTBEAT_EVERY)
        {
            self.last_heartbeat = Some(now);
            let (store, node) = (self.store.clone(), self.node.clone());
            actix::spawn(async move {
                if let Err(err) = store.heartbeat(&node).await {
                    log::warn!("heartbeat failed: {err:#}");
                }
            });
        }
        if self
            .last_reassert
            .is_none_or(|at| now - at >= REASSERT_EVERY)
        {
            self.last_reassert = Some(now);
            self.reassert();
        }
        self.start_round(ctx);
    }

    /// Runs the matchmaker unless a round is already running. Called every tick, and at
    /// once when a user joins, so a waiting peer is found without waiting for the tick.
    fn start_round(&mut self, ctx: &mut Context<Self>) {
        if !self.matching {
            self.matching = true;
            let round = MatchRound {
                node: self.node.clone(),
                prefix: self.prefix.clone(),
                store: self.store.clone(),
                bus: self.bus.clone(),
                pool: self.pool.clone(),
                services: self.services.clone(),
                relax: self.settings.relax,
                here: ctx.address(),
            };
            ctx.spawn(
                round
                    .run()
                    .into_actor(self)
                    .map(|(), act, _| act.matching = false),
            );
        }
    }

    /// Gives up on tickets past their deadline.
    fn expire(&mut self, now: Instant, ctx: &mut Context<Self>) {
        let expired: Vec<Uuid> = self
            .waiting
            .values()
            .filter(|waiting| waiting.deadline <= now)
            .map(|waiting| waiting.session_id)
            .collect();
        for session_id in expired {
            if let Some(ticket) = self
                .by_session
                .get(&session_id)
                .and_then(|id| self.waiting.get_mut(id))
            {
                // Checked again at the next tick only if the cancel below finds it claimed.
                ticket.deadline = now + self.settings.tick * 5;
            }
            self.leave(session_id, Some(ServerMessage::Timeout), ctx);
        }
    }

    /// Re-adds waiting tickets the store no longer knows (neither waiting nor claimed).
    fn reassert(&self) {
        let tickets: Vec<Ticket> = self.waiting.values().map(|w| w.ticket.clone()).collect();
        if tickets.is_empty() {
            return;
        }
        let store = self.store.clone();
        actix::spawn(async move {
            for ticket in tickets {
                match store.is_known(ticket.id).await {
                    Ok(true) => {}
                    Ok(false) => match store.requeue(&ticket).await {
                        Ok(true) => {
                            log::warn!("re-added ticket {} that the queue had lost", ticket.id)
                        }
                        Ok(false) => {}
                        Err(err) => log::warn!("could not re-add ticket {}: {err:#}", ticket.id),
                    },
                    Err(err) => {
                        log::warn!("queue unavailable: {err:#}");
                        return;
                    }
                }
            }
        });
    }
}

impl Actor for QueueActor {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        ctx.run_interval(self.settings.tick, Self::tick);
    }
}

impl Handler<Join> for QueueActor {
    type Result = ();

    fn handle(&mut self, join: Join, ctx: &mut Self::Context) {
        if self.by_session.contains_key(&join.session_id) || self.joining.contains(&join.session_id)
        {
            join.client.do_send(Deliver {
                message: ServerMessage::error(
                    "already_queued",
                    "this session is already waiting; cancel first",
                ),
            });
            return;
        }
        let ticket = Ticket {
            id: Uuid::new_v4(),
            user_id: join.user_id,
            username: join.username,
            topics: join.request.topics,
            difficulty: join.request.difficulty,
            language: join.request.language,
            relax_difficulty: join.request.relax_difficulty,
            relax_topics: join.request.relax_topics,
            node: self.node.clone(),
            enqueued_at_ms: chrono::Utc::now().timestamp_millis(),
        };
        self.joining.insert(join.session_id);
        let store = self.store.clone();
        let stored = ticket.clone();
        let session_id = join.session_id;
        let client = join.client;
        ctx.spawn(
            async move { store.join(&stored).await }
                .into_actor(self)
                .map(move |result, act, ctx| {
                    act.joining.remove(&session_id);
                    let joined = match result {
                        Ok(joined) => joined,
                        Err(err) => {
                            log::error!("join failed: {err:#}");
                            act.gone.remove(&session_id);
                            act.cancelling.remove(&session_id);
                            client.do_send(Deliver {
                                message: ServerMessage::error(
                                    "unavailable",
                                    "matching is unavailable right now; try again shortly",
                                ),
                            });
                            return;
                        }
                    };
                    if let Some(old) = joined.replaced {
                        let event = NodeEvent {
                            ticket: old.id,
                            kind: NodeEventKind::Replaced,
                        };
                        let (bus, prefix, here, this, node) = (
                            act.bus.clone(),
                            act.prefix.clone(),
                            ctx.address(),
                            act.node.clone(),
                            old.node.clone(),
                        );
                        actix::spawn(async move {
                            notify(&bus, &prefix, &here, &this, &node, event).await
                        });
                    }
                    act.waiting.insert(
                        ticket.id,
                        Waiting {
                            ticket: ticket.clone(),
                            session_id,
                            client: client.clone(),
                            deadline: Instant::now() + act.settings.timeout,
                        },
                    );
                    act.by_session.insert(session_id, ticket.id);
                    metrics::gauge!("matching_waiting_sessions").set(act.waiting.len() as f64);
                    let relax = act.settings.relax;
                    client.do_send(Deliver {
                        message: ServerMessage::Queued {
                            ticket_id: ticket.id,
                            position: joined.position,
                            waiting: joined.waiting,
                            timeout_secs: act.settings.timeout.as_secs(),
                            relax_difficulty_after_secs: ticket
                                .relax_difficulty
                                .then_some(relax.difficulty_after.as_secs()),
                            relax_topics_after_secs: ticket
                                .relax_topics
                                .then_some(relax.topics_after.as_secs()),
                        },
                    });
                    if act.gone.remove(&session_id) {
                        let reply =
                            act.cancelling
                                .remove(&session_id)
                                .then(|| ServerMessage::Cancelled {
                                    reason: "requested".into(),
                                });
                        act.leave(session_id, reply, ctx);
                    } else {
                        act.start_round(ctx);
                    }
                }),
        );
    }
}

impl Handler<Cancel> for QueueActor {
    type Result = ();

    fn handle(&mut self, cancel: Cancel, ctx: &mut Self::Context) {
        if self.joining.contains(&cancel.session_id) {
            // Taken out as soon as the join is written.
            self.gone.insert(cancel.session_id);
            self.cancelling.insert(cancel.session_id);
            return;
        }
        if !self.by_session.contains_key(&cancel.session_id) {
            return;
        }
        self.leave(
            cancel.session_id,
            Some(ServerMessage::Cancelled {
                reason: "requested".into(),
            }),
            ctx,
        );
    }
}

impl Handler<Disconnected> for QueueActor {
    type Result = ();

    fn handle(&mut self, gone: Disconnected, ctx: &mut Self::Context) {
        self.sessions.remove(&gone.session_id);
        self.leave(gone.session_id, None, ctx);
    }
}

impl Handler<Connected> for QueueActor {
    type Result = ();

    fn handle(&mut self, connected: Connected, _ctx: &mut Self::Context) {
        self.sessions
            .insert(connected.session_id, connected.session);
    }
}

impl Handler<CloseAll> for QueueActor {
    type Result = usize;

    fn handle(&mut self, _: CloseAll, _ctx: &mut Self::Context) -> usize {
        for session in self.sessions.values() {
            session.do_send(Restart);
        }
        self.sessions.len()
    }
}

impl Handler<NodeEvent> for QueueActor {
    type Result = ();

    fn handle(&mut self, event: NodeEvent, ctx: &mut Self::Context) {
        match event.kind {
            NodeEventKind::Matched { message } => {
                if let Some(waiting) = self.forget(event.ticket) {
                    metrics::counter!("matching_matched_sessions_total").increment(1);
                    waiting.client.do_send(Deliver { message });
                }
            }
            NodeEventKind::Replaced => {
                if let Some(waiting) = self.forget(event.ticket) {
                    waiting.client.do_send(Deliver {
                        message: ServerMessage::Cancelled {
                            reason: "replaced".into(),
                        },
                    });
                }
            }
            NodeEventKind::Unmatched { reason } => {
                if let Some(waiting) = self.forget(event.ticket) {
                    waiting.client.do_send(Deliver {
                        message: ServerMessage::error("no_question", reason),
                    });
                }
            }
            NodeEventKind::Requeued { reason } => {
                let Some(waiting) = self.waiting.get(&event.ticket) else {
                    return;
                };
                waiting.client.do_send(Deliver {
                    message: ServerMessage::Requeued { reason },
                });
                if waiting.deadline <= Instant::now() {
                    let session_id = waiting.session_id;
                    self.leave(session_id, Some(ServerMessage::Timeout), ctx);
                }
            }
        }
    }
}

/// One pass of the matchmaker, run off the actor's state.
struct MatchRound {
    node: String,
    prefix: String,
    store: Store,
    bus: Bus,
    pool: PgPool,
    services: Services,
    relax: Relaxation,
    here: Addr<QueueActor>,
}

impl MatchRound {
    async fn run(self) {
        let tickets = match self.store.snapshot().await {
            Ok(tickets) => tickets,
            Err(err) => {
                log::warn!("queue unavailable: {err:#}");
                return;
            }
        };
        metrics::gauge!("matching_queue_length").set(tickets.len() as f64);
        if tickets.len() < 2 {
            return;
        }
        let tickets = self.drop_orphans(tickets).await;
        let now_ms = chrono::Utc::now().timestamp_millis();
        for (a, b, plan) in rules::pairs(&tickets, now_ms, &self.relax) {
            match self.store.claim(&a, &b).await {
                Ok(true) => {
                    let finish = Finish {
                        round: self.clone_parts(),
                    };
                    actix::spawn(finish.run(a, b, plan));
                }
                Ok(false) => {}
                Err(err) => {
                    log::warn!("claim failed: {err:#}");
                    return;
                }
            }
        }
    }

    /// Drops tickets whose process has died (their users are gone with it).
    async fn drop_orphans(&self, tickets: Vec<Ticket>) -> Vec<Ticket> {
        let nodes: Vec<String> = tickets
            .iter()
            .map(|t| t.node.clone())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let Ok(alive) = self.store.live_nodes(&nodes).await else {
            return tickets;
        };
        let dead: HashSet<&String> = nodes
            .iter()
            .zip(alive)
            .filter(|(_, alive)| !alive)
            .map(|(node, _)| node)
            .collect();
        if dead.is_empty() {
            return tickets;
        }
        let mut live = Vec::new();
        for ticket in tickets {
            if dead.contains(&ticket.node) {
                log::info!(
                    "dropping ticket {} of a process that stopped ({})",
                    ticket.id,
                    ticket.node
                );
                let _ = self.store.cancel(&ticket).await;
            } else {
                live.push(ticket);
            }
        }
        live
    }

    fn clone_parts(&self) -> MatchRound {
        MatchRound {
            node: self.node.clone(),
            prefix: self.prefix.clone(),
            store: self.store.clone(),
            bus: self.bus.clone(),
            pool: self.pool.clone(),
            services: self.services.clone(),
            relax: self.relax,
            here: self.here.clone(),
        }
    }
}

/// Turns a claimed pair into a room, or puts it back.
struct Finish {
    round: MatchRound,
}

impl Finish {
    async fn run(self, a: Ticket, b: Ticket, plan: Plan) {
        let round = &self.round;
        let mut exclude = round.services.attempted(a.user_id).await;
        exclude.extend(round.services.attempted(b.user_id).await);
        let outcome = match round
            .services
            .pick(&plan.topics, &plan.difficulties, &exclude)
            .await
        {
            Ok(question) => {
                let room = async {
                    let db = round.pool.get().await?;
                    rooms::create(
                        &db,
                        NewRoom {
                            members: [&profile(&a), &profile(&b)],
                            question: &question,
                            language: &plan.language,
                        },
                    )
                    .await
                }
                .await;
                room.map_err(|err| PickError::Unavailable(format!("room not saved: {err:#}")))
            }
            Err(err) => Err(err),
        };
        match outcome {
            Ok(room) => {
                log::info!(
                    "matched {} and {} in room {}",
                    a.user_id,
                    b.user_id,
                    room.id
                );
                metrics::counter!("matching_rooms_created_total").increment(1);
                for (me, peer) in [(&a, &b), (&b, &a)] {
                    let message = ServerMessage::Matched {
                        room_id: room.id,
                        peer: profile(peer),
                        question: room.question.clone(),
                        language: room.language.clone(),
                    };
                    self.tell(me, NodeEventKind::Matched { message }).await;
                }
            }
            Err(PickError::NoneMatches) => {
                log::warn!(
                    "no question at all for {:?} {:?}",
                    plan.topics,
                    plan.difficulties
                );
                for ticket in [&a, &b] {
                    let reason = "there is no question for this topic and difficulty".to_owned();
                    self.tell(ticket, NodeEventKind::Unmatched { reason }).await;
                }
            }
            Err(PickError::Unavailable(why)) => {
                log::warn!(
                    "match of {} and {} fell through, back in the queue: {why}",
                    a.user_id,
                    b.user_id
                );
                for ticket in [&a, &b] {
                    let kind = match round.store.requeue(ticket).await {
                        Ok(true) => NodeEventKind::Requeued {
                            reason: "questions are unavailable right now; you keep your place"
                                .to_owned(),
                        },
                        // The user cancelled, left or joined again meanwhile.
                        Ok(false) => NodeEventKind::Unmatched {
                            reason: "the match fell through and this search has ended".to_owned(),
                        },
                        Err(err) => {
                            log::error!("could not requeue ticket {}: {err:#}", ticket.id);
                            NodeEventKind::Unmatched {
                                reason: "the match fell through; search again".to_owned(),
                            }
                        }
                    };
                    self.tell(ticket, kind).await;
                }
            }
        }
    }

    async fn tell(&self, ticket: &Ticket, kind: NodeEventKind) {
        let round = &self.round;
        let event = NodeEvent {
            ticket: ticket.id,
            kind,
        };
        notify(
            &round.bus,
            &round.prefix,
            &round.here,
            &round.node,
            &ticket.node,
            event,
        )
        .await;
    }
}
