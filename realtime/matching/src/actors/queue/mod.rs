//! One per process: holds this process's searches ([`Waiting`], one entry per session) and
//! their timers, listens on the process's bus channel, and runs the matchmaker. It only
//! holds state and routes messages: what a search goes through is [`crate::waiting`], how
//! pairs become rooms is [`crate::matchmaker`].
//!
//! Every `tick` it times out searches past their deadline, tells the other processes it is
//! alive, re-adds tickets the store lost (a Redis restart), and runs a matchmaking round; a
//! join also runs one at once. What a round decides about a ticket goes to the ticket's
//! process: handled here when it is this one, published on its channel otherwise.

use std::time::{Duration, Instant};

use actix::prelude::*;
use shared::bus::Bus;
use tokio::sync::mpsc::UnboundedReceiver;
use toolkit::ws::{Client, SessionId};
use uuid::Uuid;

use crate::matchmaker::Matchmaker;
use crate::notice::{Delivery, Notice, NoticeKind};
use crate::protocol::{JoinRequest, ServerMessage};
use crate::rules::Ticket;
use crate::settings::QueueSettings;
use crate::store::{Joined, Store};
use crate::topics::{Topics, Verdict};
use crate::waiting::{AfterJoin, Waiting};

mod rounds;

/// How often this process announces it is alive.
const HEARTBEAT_EVERY: Duration = Duration::from_secs(1);
/// How often this process checks that its waiting tickets are still in the store (they are
/// re-added after the store lost them, e.g. a Redis restart).
const REASSERT_EVERY: Duration = Duration::from_secs(2);
/// A timed-out ticket whose removal found it claimed is checked again after this many
/// ticks (by then its match has either arrived or fallen through).
const RECHECK_TICKS: u32 = 5;

/// A session asks to be matched.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Join {
    pub session_id: SessionId,
    pub client: Client,
    pub user_id: Uuid,
    pub username: String,
    pub request: JoinRequest,
}

/// A session gives up its search.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Cancel {
    pub session_id: SessionId,
}

/// A session's websocket closed; its ticket, if any, leaves the queue.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Disconnected {
    pub session_id: SessionId,
}

/// How many of this process's sessions are searching (joining or queued).
#[derive(Message)]
#[rtype(result = "usize")]
pub struct Searches;

/// Tests only: the next `count` `matched` notices this process sends to another process
/// are dropped instead of published, as a publish lost on the bus would be.
#[cfg(feature = "testing")]
#[derive(Message)]
#[rtype(result = "()")]
pub struct LoseMatchedNotices {
    pub count: usize,
}

/// A payload on this process's bus channel.
struct Inbox(Vec<u8>);

/// What the queue actor is made of.
pub struct QueueParts {
    pub node: String,
    pub prefix: String,
    pub store: Store,
    pub bus: Bus,
    /// This process's bus channel, subscribed before the actor starts.
    pub inbox: UnboundedReceiver<Vec<u8>>,
    pub matchmaker: Matchmaker,
    /// The question bank's topics, which a join's must be among.
    pub topics: Topics,
    pub settings: QueueSettings,
}

pub struct QueueActor {
    node: String,
    prefix: String,
    store: Store,
    bus: Bus,
    inbox: Option<UnboundedReceiver<Vec<u8>>>,
    matchmaker: Matchmaker,
    topics: Topics,
    settings: QueueSettings,
    waiting: Waiting<Client>,
    /// A matchmaking round is running.
    matching: bool,
    last_heartbeat: Option<Instant>,
    last_reassert: Option<Instant>,
    /// See [`LoseMatchedNotices`].
    #[cfg(feature = "testing")]
    lose_matched_notices: usize,
}

fn tell(client: &Client, message: ServerMessage) {
    client.send(message.into());
}

impl QueueActor {
    pub fn new(parts: QueueParts) -> Self {
        Self {
            node: parts.node,
            prefix: parts.prefix,
            store: parts.store,
            bus: parts.bus,
            inbox: Some(parts.inbox),
            matchmaker: parts.matchmaker,
            topics: parts.topics,
            settings: parts.settings,
            waiting: Waiting::default(),
            matching: false,
            last_heartbeat: None,
            last_reassert: None,
            #[cfg(feature = "testing")]
            lose_matched_notices: 0,
        }
    }

    fn count(&self) {
        metrics::gauge!("matching_waiting_sessions").set(self.waiting.len() as f64);
    }

    /// Takes the ticket out of the store; once it is out, the search is over and `reply`
    /// goes to its client. A ticket already claimed stays: its match is on its way.
    fn leave(&mut self, ticket: Ticket, reply: Option<ServerMessage>, ctx: &mut Context<Self>) {
        let store = self.store.clone();
        ctx.spawn(
            async move { (store.cancel(&ticket).await, ticket.id) }
                .into_actor(self)
                .map(move |(result, id), act, _| match result {
                    Ok(true) => {
                        if let Some(client) = act.waiting.forget(id) {
                            act.count();
                            if let Some(reply) = reply {
                                tell(&client, reply);
                            }
                        }
                    }
                    Ok(false) => {}
                    Err(err) => log::error!("could not take ticket {id} out of the queue: {err:#}"),
                }),
        );
    }

    /// A join that never reached the queue: its session is told why, or, when it cancelled
    /// meanwhile, that the cancel worked.
    fn refuse_join(&mut self, session: SessionId, why: ServerMessage) {
        match self.waiting.join_failed(session) {
            Some((client, AfterJoin::Stay)) => tell(&client, why),
            Some((client, AfterJoin::Cancel)) => tell(
                &client,
                ServerMessage::Cancelled {
                    reason: "requested".into(),
                },
            ),
            Some((_, AfterJoin::Leave)) | None => {}
        }
    }

    /// The join is in the store (or could not be written).
    fn joined(
        &mut self,
        session: SessionId,
        ticket: Ticket,
        result: anyhow::Result<Joined>,
        ctx: &mut Context<Self>,
    ) {
        let joined = match result {
            Ok(joined) => joined,
            Err(err) => {
                log::error!("join failed: {err:#}");
                self.refuse_join(
                    session,
                    ServerMessage::error(
                        "unavailable",
                        "matching is unavailable right now; try again shortly",
                    ),
                );
                return;
            }
        };
        if let Some(old) = joined.replaced {
            let notice = Notice {
                ticket: old.id,
                kind: NoticeKind::Replaced,
            };
            self.deliver(
                Delivery {
                    node: old.node,
                    notice,
                },
                ctx,
            );
        }
        let deadline = Instant::now() + self.settings.timeout;
        let Some(queued) = self.waiting.joined(session, ticket.clone(), deadline) else {
            log::error!(
                "ticket {} was stored for no search; taking it out",
                ticket.id
            );
            self.leave(ticket, None, ctx);
            return;
        };
        self.count();
        let relax = self.settings.relax;
        tell(
            &queued.client,
            ServerMessage::Queued {
                ticket_id: ticket.id,
                position: joined.position,
                waiting: joined.waiting,
                timeout_secs: self.settings.timeout.as_secs(),
                relax_difficulty_after_secs: ticket
                    .relax_difficulty
                    .then_some(relax.difficulty_after.as_secs()),
                relax_topics_after_secs: ticket
                    .relax_topics
                    .then_some(relax.topics_after.as_secs()),
            },
        );
        match queued.leaving {
            Some(leaving) => {
                let reply = (leaving.why == AfterJoin::Cancel).then(|| ServerMessage::Cancelled {
                    reason: "requested".into(),
                });
                self.leave(leaving.ticket, reply, ctx);
            }
            None => self.start_round(ctx),
        }
    }
}

impl Actor for QueueActor {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        if let Some(inbox) = self.inbox.take() {
            ctx.add_stream(futures_util::stream::unfold(inbox, |mut rx| async move {
                rx.recv().await.map(|payload| (Inbox(payload), rx))
            }));
        }
        ctx.run_interval(self.settings.tick, Self::tick);
    }
}

impl Handler<Join> for QueueActor {
    type Result = ();

    fn handle(&mut self, join: Join, ctx: &mut Self::Context) {
        if self
            .waiting
            .begin_join(join.session_id, join.client.clone())
            .is_err()
        {
            tell(
                &join.client,
                ServerMessage::error(
                    "already_queued",
                    "this session is already waiting; cancel first",
                ),
            );
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
        let (store, topics, session) = (self.store.clone(), self.topics.clone(), join.session_id);
        ctx.spawn(
            async move {
                if let Verdict::Unknown { unknown, known } = topics.check(&ticket.topics).await {
                    return (ticket, Err(ServerMessage::unknown_topics(&unknown, known)));
                }
                let result = store.join(&ticket).await;
                (ticket, Ok(result))
            }
            .into_actor(self)
            .map(move |(ticket, result), act, ctx| match result {
                Ok(result) => act.joined(session, ticket, result, ctx),
                Err(refusal) => act.refuse_join(session, refusal),
            }),
        );
    }
}

impl Handler<Cancel> for QueueActor {
    type Result = ();

    fn handle(&mut self, cancel: Cancel, ctx: &mut Self::Context) {
        if let Some(leaving) = self.waiting.leave(cancel.session_id, AfterJoin::Cancel) {
            let reason = "requested".into();
            self.leave(
                leaving.ticket,
                Some(ServerMessage::Cancelled { reason }),
                ctx,
            );
        }
    }
}

impl Handler<Disconnected> for QueueActor {
    type Result = ();

    fn handle(&mut self, gone: Disconnected, ctx: &mut Self::Context) {
        if let Some(leaving) = self.waiting.leave(gone.session_id, AfterJoin::Leave) {
            self.leave(leaving.ticket, None, ctx);
        }
    }
}

#[cfg(feature = "testing")]
impl Handler<LoseMatchedNotices> for QueueActor {
    type Result = ();

    fn handle(&mut self, lose: LoseMatchedNotices, _ctx: &mut Self::Context) {
        self.lose_matched_notices = lose.count;
    }
}

impl Handler<Searches> for QueueActor {
    type Result = usize;

    fn handle(&mut self, _: Searches, _ctx: &mut Self::Context) -> usize {
        self.waiting.len()
    }
}
