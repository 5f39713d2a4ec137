//! One per open room per process: holds the room's document and awareness, stores every
//! accepted update before sending it on, and fans updates and awareness out to the same
//! room on other processes over the bus. It holds state and routes messages: the protocol
//! is [`crate::sync`], storage and presence [`crate::store`], the bus format
//! [`crate::fanout`], recording attempts [`crate::settler`]. Here: sessions and their
//! frames; in `life.rs`: the session's state, ending it, and unloading the room; in
//! `facts.rs`: what the document's `meta` may say; in `remote.rs`: the same room on other
//! processes.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use actix::prelude::*;
use actix_web::web::Bytes;
use shared::bus::Bus;
use shared::contract::Room;
use toolkit::registry::{Retire, ServesRoom};
use toolkit::ws::{Client, Close, Outgoing, SessionId};
use yrs::ClientID;

use crate::catchup::Position;
use crate::meta::Facts;
use crate::settler::Settler;
use crate::store::{Announce, DocStore, ENDED_ROOM_TTL, Loaded, ROOM_IDLE_TTL};
use crate::sync::{FrameError, RoomDoc, update_frame};

mod facts;
mod life;
mod remote;

pub use life::{Describe, End, SessionState};

/// How often an empty room checks whether to unload.
const IDLE_CHECK_EVERY: Duration = Duration::from_secs(1);
/// How often a room with sessions tells other processes so, and for how long that holds.
const PRESENCE_EVERY: Duration = Duration::from_secs(5);
const PRESENCE_TTL: Duration = Duration::from_secs(15);
/// Stored updates, and bytes of them, between two compactions of the room's stream into a
/// snapshot: what the stream holds beyond the document is bounded by these.
const COMPACT_EVERY: usize = 200;
const COMPACT_EVERY_BYTES: usize = 1024 * 1024;

/// What every room of a process shares.
#[derive(Clone)]
pub struct RoomParts {
    pub node: String,
    /// The service's Redis prefix; a room's channel is `<prefix>room:<id>`.
    pub prefix: String,
    pub store: DocStore,
    pub bus: Bus,
    /// How long a room with no sessions stays in memory; a session nobody ended is
    /// recorded as abandoned once every process has been without sessions that long.
    pub idle_grace: Duration,
    /// Records each member's attempt when a session ends or is abandoned; holds which
    /// sessions ended.
    pub settler: Settler,
}

/// A session joins: it gets the greeting (sync step 1 and who is here).
#[derive(Message)]
#[rtype(result = "()")]
pub struct Connect {
    pub session_id: SessionId,
    pub session: Client,
}

/// A binary frame from a session.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Inbound {
    pub session_id: SessionId,
    pub frame: Bytes,
}

/// A session left; its awareness states are dropped.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Leave {
    pub session_id: SessionId,
}

/// A payload on the room's bus channel.
struct Remote(Vec<u8>);

struct Member {
    session: Client,
    /// Awareness client ids this session spoke for.
    clients: HashSet<ClientID>,
}

pub struct RoomActor {
    room: Room,
    parts: RoomParts,
    registry: Recipient<Retire<RoomActor>>,
    doc: RoomDoc,
    members: HashMap<SessionId, Member>,
    idle_since: Option<Instant>,
    channel: String,
    /// What the server holds true of the session, whatever the document's `meta` says.
    facts: Facts,
    retiring: bool,
    /// Updates (and their bytes) this process stored since it last compacted the room.
    since_compaction: (usize, usize),
    /// Up to where in the room's stream everything is applied here.
    position: Position,
    reading: remote::Reading,
}

impl ServesRoom for RoomActor {
    type Parts = RoomParts;

    fn new(room: Room, parts: RoomParts, registry: Recipient<Retire<Self>>) -> Self {
        let channel = format!("{}room:{}", parts.prefix, room.id);
        let facts = Facts {
            language: room.language.clone(),
            ended: false,
        };
        Self {
            room,
            parts,
            registry,
            doc: RoomDoc::new(),
            members: HashMap::new(),
            idle_since: Some(Instant::now()),
            channel,
            facts,
            retiring: false,
            since_compaction: (0, 0),
            position: Position::new(crate::catchup::StreamId::ZERO),
            reading: remote::Reading::default(),
        }
    }
}

impl RoomActor {
    /// Stores updates, fans them out to other processes (with Redis, in the same request),
    /// then sends them to this process's sessions but `except`. The actor handles nothing else until the store has answered,
    /// so that updates go out in the order they were stored.
    fn commit(
        &mut self,
        updates: Vec<Vec<u8>>,
        except: Option<SessionId>,
        ctx: &mut Context<Self>,
    ) {
        let ttl = if self.facts.ended {
            ENDED_ROOM_TTL
        } else {
            ROOM_IDLE_TTL
        };
        let (store, room) = (self.parts.store.clone(), self.room.id);
        let (channel, node) = (self.channel.clone(), self.parts.node.clone());
        ctx.wait(
            async move {
                let announce = Announce {
                    channel: &channel,
                    node: &node,
                };
                let committed = store.commit(room, &updates, ttl, announce).await;
                committed.map(|committed| (committed, updates))
            }
            .into_actor(self)
            .map(move |result, act, ctx| match result {
                Ok((committed, updates)) => {
                    metrics::counter!("collaboration_updates_total")
                        .increment(updates.len() as u64);
                    act.compact_now_and_then(&updates);
                    if !committed.published {
                        act.publish_updates(committed, &updates);
                    }
                    act.arrived(committed, ctx);
                    for update in updates {
                        act.send(except, &Bytes::from(update_frame(&update)));
                    }
                }
                Err(err) => {
                    // Not stored, so not acknowledged: the document holds the edit but no
                    // store or peer does. Drop the room; every client reconnects and sends
                    // again what it has.
                    log::error!("room {room}: updates could not be stored: {err:#}");
                    act.reset(ctx);
                }
            }),
        );
    }

    /// Compacts the room's stream every [`COMPACT_EVERY`] stored updates or
    /// [`COMPACT_EVERY_BYTES`] stored bytes.
    fn compact_now_and_then(&mut self, stored: &[Vec<u8>]) {
        let (count, bytes) = &mut self.since_compaction;
        *count += stored.len();
        *bytes += stored.iter().map(Vec::len).sum::<usize>();
        if *count < COMPACT_EVERY && *bytes < COMPACT_EVERY_BYTES {
            return;
        }
        self.since_compaction = (0, 0);
        let (store, room) = (self.parts.store.clone(), self.room.id);
        actix::spawn(async move {
            if let Err(err) = store.compact(room).await {
                log::warn!("room {room}: compaction failed (the stream keeps everything): {err:#}");
            }
        });
    }

    /// Sends a frame to this process's sessions, but `except`.
    fn send(&self, except: Option<SessionId>, frame: &Bytes) {
        for (id, member) in &self.members {
            if Some(*id) != except {
                member.session.send(Outgoing::Binary(frame.clone()));
            }
        }
    }

    fn close_all(&self, close: &Close) {
        for member in self.members.values() {
            member.session.send(Outgoing::Close(close.clone()));
        }
    }

    /// Tells other processes this one has sessions in the room, for a while.
    fn announce_presence(&self) {
        let (store, room, node) = (
            self.parts.store.clone(),
            self.room.id,
            self.parts.node.clone(),
        );
        actix::spawn(async move {
            if let Err(err) = store.mark_present(room, &node, PRESENCE_TTL).await {
                log::warn!("{err:#}");
            }
        });
    }

    /// The document from the store (an update that cannot be applied is skipped), and
    /// whether the session ended.
    fn load(&mut self, Loaded { updates, upto }: &Loaded, ended: bool, ctx: &mut Context<Self>) {
        self.position = Position::new(*upto);
        let rebuilt = RoomDoc::from_updates(updates.iter().map(Vec::as_slice));
        log::info!(
            "room {} loaded ({} stored updates)",
            self.room.id,
            updates.len()
        );
        self.take_loaded(rebuilt, ended, ctx);
    }
}

impl Actor for RoomActor {
    type Context = Context<Self>;

    /// Subscribes first, then loads: an update published meanwhile arrives twice at worst,
    /// and Yjs updates are idempotent.
    fn started(&mut self, ctx: &mut Self::Context) {
        let (bus, channel, store, room) = (
            self.parts.bus.clone(),
            self.channel.clone(),
            self.parts.store.clone(),
            self.room.id,
        );
        let settle = self.parts.settler.settle.clone();
        ctx.wait(
            async move {
                let receiver = bus.subscribe(&channel).await?;
                let updates = store.load(room).await?;
                let ended = settle.is_ended(room).await?;
                anyhow::Ok((receiver, updates, ended))
            }
            .into_actor(self)
            .map(|result, act, ctx| match result {
                Ok((receiver, updates, ended)) => {
                    let ended = ended || act.room.status == shared::contract::RoomStatus::Ended;
                    act.load(&updates, ended, ctx);
                    ctx.run_interval(remote::CATCH_UP_EVERY, Self::check_tail);
                    ctx.add_stream(futures_util::stream::unfold(receiver, |mut rx| async move {
                        rx.recv().await.map(|payload| (Remote(payload), rx))
                    }));
                }
                Err(err) => {
                    log::error!("room {} could not load: {err:#}", act.room.id);
                    ctx.stop();
                }
            }),
        );
        ctx.run_interval(IDLE_CHECK_EVERY, |act, ctx| {
            if !act.retiring
                && act
                    .idle_since
                    .is_some_and(|since| since.elapsed() >= act.parts.idle_grace)
            {
                act.retire(ctx);
            }
        });
        ctx.run_interval(PRESENCE_EVERY, |act, _| {
            if !act.members.is_empty() {
                act.announce_presence();
                act.keep_due();
            }
        });
    }

    fn stopping(&mut self, _: &mut Self::Context) -> Running {
        self.close_all(&Close::reconnect("the room is moving; reconnect"));
        Running::Stop
    }

    fn stopped(&mut self, _: &mut Self::Context) {
        self.parts.bus.release_soon(self.channel.clone());
    }
}

impl Handler<Connect> for RoomActor {
    type Result = ();

    fn handle(&mut self, connect: Connect, _ctx: &mut Self::Context) {
        for frame in self.doc.greeting() {
            connect.session.send(Outgoing::Binary(Bytes::from(frame)));
        }
        let member = Member {
            session: connect.session,
            clients: HashSet::new(),
        };
        self.members.insert(connect.session_id, member);
        self.idle_since = None;
        self.announce_presence();
        self.keep_due();
    }
}

impl Handler<Inbound> for RoomActor {
    type Result = ();

    fn handle(&mut self, inbound: Inbound, ctx: &mut Self::Context) {
        let Some(member) = self.members.get_mut(&inbound.session_id) else {
            return;
        };
        let before = self.doc.state_vector();
        let outcome = match self.doc.handle(&inbound.frame) {
            Ok(outcome) => outcome,
            Err(err) => {
                log::info!(
                    "room {}: closing a session that sent a bad frame: {err}",
                    self.room.id
                );
                let close = match err {
                    FrameError::TooLarge => Close::too_big(err.to_string()),
                    _ => Close::unsupported(err.to_string()),
                };
                member.session.send(Outgoing::Close(close));
                if self.doc.state_vector() != before {
                    // Part of the frame applied but will not be stored: start again from
                    // the store rather than keep state nobody else has.
                    self.reset(ctx);
                }
                return;
            }
        };
        member.clients.extend(outcome.clients);
        for frame in outcome.reply {
            member.session.send(Outgoing::Binary(Bytes::from(frame)));
        }
        for frame in outcome.awareness {
            self.share_awareness(frame);
        }
        if !outcome.updates.is_empty() {
            self.commit(outcome.updates, Some(inbound.session_id), ctx);
            self.enforce_meta(false, ctx);
        }
    }
}

impl Handler<Leave> for RoomActor {
    type Result = ();

    fn handle(&mut self, leave: Leave, _ctx: &mut Self::Context) {
        let Some(member) = self.members.remove(&leave.session_id) else {
            return;
        };
        if let Some(frame) = self.doc.remove_clients(&member.clients) {
            self.share_awareness(frame);
        }
        if self.members.is_empty() {
            self.idle_since = Some(Instant::now());
            self.last_left();
        }
    }
}
