//! One per open room per process: holds the room's document and awareness, stores every
//! accepted update before sending it on, and fans updates and awareness out to the same
//! room on other processes over the bus.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use actix::prelude::*;
use shared::bus::Bus;
use uuid::Uuid;
use yrs::ClientID;

use super::registry::{Registry, Retire};
use crate::history::{self, Ending, Outcome};
use crate::rooms::RoomInfo;
use crate::store::DocStore;
use crate::sync::{RoomDoc, update_frame};

/// How often an empty room checks whether to unload.
const IDLE_CHECK_EVERY: Duration = Duration::from_secs(1);
/// How often a room with sessions tells other processes so, and for how long that holds.
const PRESENCE_EVERY: Duration = Duration::from_secs(5);
const PRESENCE_TTL: Duration = Duration::from_secs(15);
/// Stored updates between two compactions of the room's stream into a snapshot.
const COMPACT_EVERY: usize = 200;
/// The `meta` keys and the status value of an ended session.
const LANGUAGE: &str = "language";
const STATUS: &str = "status";
const ENDED: &str = "ended";

/// What every room of a process shares.
#[derive(Clone)]
pub struct RoomParts {
    pub node: String,
    pub prefix: String,
    pub store: DocStore,
    pub bus: Bus,
    /// How long a room with no sessions stays in memory; a session nobody ended is
    /// recorded as abandoned once every process has been without sessions that long.
    pub idle_grace: Duration,
    pub history_url: String,
    pub service_token: shared::auth::ServiceToken,
}

/// Something for one session's websocket.
#[derive(Message, Clone)]
#[rtype(result = "()")]
pub enum Outgoing {
    Frame(Vec<u8>),
    /// Close with a code and reason (a bad frame, or the room could not load).
    Close {
        code: u16,
        reason: String,
    },
}

/// A session joins: it gets the greeting (sync step 1 and who is here).
#[derive(Message)]
#[rtype(result = "()")]
pub struct Connect {
    pub session_id: Uuid,
    pub session: Recipient<Outgoing>,
}

/// A binary frame from a session.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Inbound {
    pub session_id: Uuid,
    pub frame: Vec<u8>,
}

/// A session left; its awareness states are dropped.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Leave {
    pub session_id: Uuid,
}

/// The process is going away: close every session with 1012 so clients reconnect to
/// another process (which loads the room from the store).
#[derive(Message)]
#[rtype(result = "()")]
pub struct Restart;

/// The session as it is now.
#[derive(Message)]
#[rtype(result = "SessionState")]
pub struct Describe;

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SessionState {
    /// The room's language: shared state in the document, which either member may change.
    pub language: String,
    /// `active` or `ended`.
    pub status: String,
}

/// A member ends the session: the status becomes `ended` for everyone, and each member's
/// attempt is recorded in history (exactly once, however often this is asked).
#[derive(Message)]
#[rtype(result = "Result<SessionState, String>")]
pub struct End;

struct Member {
    session: Recipient<Outgoing>,
    clients: HashSet<ClientID>,
}

/// What goes over the bus: a kind byte, the sending process, then the data.
const REMOTE_UPDATE: u8 = b'u';
const REMOTE_AWARENESS: u8 = b'a';

fn encode_remote(kind: u8, node: &str, data: &[u8]) -> Vec<u8> {
    let mut payload = Vec::with_capacity(2 + node.len() + data.len());
    payload.push(kind);
    payload.push(u8::try_from(node.len()).unwrap_or(u8::MAX));
    payload.extend_from_slice(node.as_bytes());
    payload.extend_from_slice(data);
    payload
}

fn decode_remote(payload: &[u8]) -> Option<(u8, &str, &[u8])> {
    let (&kind, rest) = payload.split_first()?;
    let (&len, rest) = rest.split_first()?;
    let node = std::str::from_utf8(rest.get(..usize::from(len))?).ok()?;
    Some((kind, node, rest.get(usize::from(len)..)?))
}

struct Remote(Vec<u8>);

/// Unloads now, unless a session connected while the room was getting ready to.
#[derive(Message)]
#[rtype(result = "()")]
struct FinishRetire;

pub struct RoomActor {
    info: RoomInfo,
    parts: RoomParts,
    registry: Addr<Registry>,
    doc: RoomDoc,
    members: HashMap<Uuid, Member>,
    idle_since: Option<Instant>,
    channel: String,
    /// A session connected while the room was loaded here.
    touched: bool,
    retiring: bool,
    /// Updates this process stored since it last compacted the room.
    since_compaction: usize,
}

impl RoomActor {
    pub fn new(info: RoomInfo, parts: RoomParts, registry: Addr<Registry>) -> Self {
        let channel = format!("{}room:{}", parts.prefix, info.id);
        Self {
            info,
            parts,
            registry,
            doc: RoomDoc::new(),
            members: HashMap::new(),
            idle_since: Some(Instant::now()),
            channel,
            touched: false,
            retiring: false,
            since_compaction: 0,
        }
    }

    fn state(&self) -> SessionState {
        SessionState {
            language: self
                .doc
                .meta(LANGUAGE)
                .unwrap_or_else(|| self.info.language.clone()),
            status: self.doc.meta(STATUS).unwrap_or_else(|| "active".into()),
        }
    }

    fn ended(&self) -> bool {
        self.doc.meta(STATUS).as_deref() == Some(ENDED)
    }

    fn ending(&self, outcome: Outcome) -> (String, String, RoomInfo, Outcome) {
        (
            self.doc.code(),
            self.state().language,
            self.info.clone(),
            outcome,
        )
    }

    /// Stores a server-made update, then sends it to every session and process.
    fn commit_own(&mut self, update: Vec<u8>, ctx: &mut Context<Self>) {
        let (store, room) = (self.parts.store.clone(), self.info.id);
        ctx.wait(
            async move { store.append(room, &update).await.map(|()| update) }
                .into_actor(self)
                .map(|result, act, _| match result {
                    Ok(update) => {
                        act.send_to_others(None, &update_frame(&update));
                        act.publish(REMOTE_UPDATE, &update);
                    }
                    Err(err) => log::error!(
                        "room {}: could not store a status change: {err:#}",
                        act.info.id
                    ),
                }),
        );
    }

    fn record(
        &self,
        outcome: Outcome,
    ) -> impl std::future::Future<Output = anyhow::Result<()>> + 'static {
        let (code, language, room, outcome) = self.ending(outcome);
        let (url, token) = (
            self.parts.history_url.clone(),
            self.parts.service_token.clone(),
        );
        async move {
            history::record(
                &url,
                &token,
                &Ending {
                    room: &room,
                    code: &code,
                    language: &language,
                    ended_at: chrono::Utc::now(),
                    outcome,
                },
            )
            .await
        }
    }

    /// Unloads, first recording the session as abandoned if nobody ended it and nobody is
    /// left anywhere.
    fn retire(&mut self, ctx: &mut Context<Self>) {
        self.retiring = true;
        let check = (!self.ended() && self.touched).then(|| {
            let (store, room, node) = (
                self.parts.store.clone(),
                self.info.id,
                self.parts.node.clone(),
            );
            let record = self.record(Outcome::Abandoned);
            async move {
                if store.present_elsewhere(room, &node).await.unwrap_or(true) {
                    return Ok(());
                }
                record.await
            }
        });
        // Spawned, not waited on: sessions arriving meanwhile are served, and decide.
        ctx.spawn(
            async move {
                match check {
                    Some(check) => check.await,
                    None => Ok(()),
                }
            }
            .into_actor(self)
            .map(|result, act, ctx| match result {
                Ok(()) => ctx.notify(FinishRetire),
                Err(err) => {
                    // Kept loaded, and tried again after another grace period.
                    log::error!(
                        "room {}: could not record the abandoned session: {err:#}",
                        act.info.id
                    );
                    act.retiring = false;
                    act.idle_since = Some(Instant::now());
                }
            }),
        );
    }

    /// Drops the room's in-memory state: every session is closed (clients reconnect and
    /// resend what they have) and the next session loads the room from the store.
    fn reset(&mut self, ctx: &mut Context<Self>) {
        for member in self.members.values() {
            Self::close(&member.session, 1011, "the room is reloading; reconnect");
        }
        self.members.clear();
        self.registry.do_send(Retire {
            room: self.info.id,
            addr: ctx.address(),
        });
        ctx.stop();
    }

    fn send_to_others(&self, except: Option<Uuid>, frame: &[u8]) {
        for (id, member) in &self.members {
            if Some(*id) != except {
                member.session.do_send(Outgoing::Frame(frame.to_vec()));
            }
        }
    }

    fn publish(&self, kind: u8, data: &[u8]) {
        let (bus, channel) = (self.parts.bus.clone(), self.channel.clone());
        let payload = encode_remote(kind, &self.parts.node, data);
        actix::spawn(async move {
            if let Err(err) = bus.publish(&channel, payload).await {
                log::warn!("could not fan out on {channel}: {err:#}");
            }
        });
    }

    fn close(member: &Recipient<Outgoing>, code: u16, reason: impl Into<String>) {
        member.do_send(Outgoing::Close {
            code,
            reason: reason.into(),
        });
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
            self.info.id,
        );
        ctx.wait(
            async move {
                let receiver = bus.subscribe(&channel).await?;
                let updates = store.load(room).await?;
                anyhow::Ok((receiver, updates))
            }
            .into_actor(self)
            .map(|result, act, ctx| match result {
                Ok((receiver, updates)) => {
                    match RoomDoc::from_updates(updates.iter().map(Vec::as_slice)) {
                        Ok(doc) => act.doc = doc,
                        Err(err) => log::error!(
                            "room {} has an unreadable stored update: {err}",
                            act.info.id
                        ),
                    }
                    log::info!(
                        "room {} loaded ({} stored updates)",
                        act.info.id,
                        updates.len()
                    );
                    if act.doc.meta(LANGUAGE).is_none() {
                        let language = act.info.language.clone();
                        let update = act.doc.set_meta(LANGUAGE, &language);
                        act.commit_own(update, ctx);
                    }
                    ctx.add_stream(futures_util::stream::unfold(receiver, |mut rx| async move {
                        rx.recv().await.map(|payload| (Remote(payload), rx))
                    }));
                }
                Err(err) => {
                    log::error!("room {} could not load: {err:#}", act.info.id);
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
                let (store, room, node) =
                    (act.parts.store.clone(), act.info.id, act.parts.node.clone());
                actix::spawn(async move {
                    if let Err(err) = store.mark_present(room, &node, PRESENCE_TTL).await {
                        log::warn!("{err:#}");
                    }
                });
            }
        });
    }

    fn stopped(&mut self, _: &mut Self::Context) {
        let (bus, channel) = (self.parts.bus.clone(), self.channel.clone());
        actix::spawn(async move {
            if let Err(err) = bus.release(&channel).await {
                log::warn!("{err:#}");
            }
        });
    }

    fn stopping(&mut self, _: &mut Self::Context) -> Running {
        for member in self.members.values() {
            Self::close(&member.session, 1012, "the room is moving; reconnect");
        }
        Running::Stop
    }
}

impl Handler<Connect> for RoomActor {
    type Result = ();

    fn handle(&mut self, connect: Connect, _ctx: &mut Self::Context) {
        for frame in self.doc.greeting() {
            connect.session.do_send(Outgoing::Frame(frame));
        }
        self.members.insert(
            connect.session_id,
            Member {
                session: connect.session,
                clients: HashSet::new(),
            },
        );
        self.idle_since = None;
        self.touched = true;
        let (store, room, node) = (
            self.parts.store.clone(),
            self.info.id,
            self.parts.node.clone(),
        );
        actix::spawn(async move {
            if let Err(err) = store.mark_present(room, &node, PRESENCE_TTL).await {
                log::warn!("{err:#}");
            }
        });
    }
}

impl Handler<Inbound> for RoomActor {
    type Result = ();

    fn handle(&mut self, inbound: Inbound, ctx: &mut Self::Context) {
        let Some(member) = self.members.get(&inbound.session_id) else {
            return;
        };
        let before = self.doc.state_vector();
        let outcome = match self.doc.handle(&inbound.frame) {
            Ok(outcome) => outcome,
            Err(err) => {
                log::info!(
                    "room {}: closing a session that sent a bad frame: {err}",
                    self.info.id
                );
                Self::close(&member.session, 1003, err.to_string());
                if self.doc.state_vector() != before {
                    // Part of the frame applied but will not be stored: start again from
                    // the store rather than keep state nobody else has.
                    self.reset(ctx);
                }
                return;
            }
        };
        for frame in outcome.reply {
            member.session.do_send(Outgoing::Frame(frame));
        }
        if let Some(member) = self.members.get_mut(&inbound.session_id) {
            member.clients.extend(outcome.clients);
        }
        for frame in &outcome.awareness {
            self.send_to_others(None, frame);
            self.publish(REMOTE_AWARENESS, frame);
        }
        if outcome.updates.is_empty() {
            return;
        }
        // Stored first, in order: the actor handles nothing else until the store answers.
        let (store, room, sender) = (self.parts.store.clone(), self.info.id, inbound.session_id);
        let updates = outcome.updates;
        ctx.wait(
            async move {
                for update in &updates {
                    store.append(room, update).await?;
                }
                anyhow::Ok(updates)
            }
            .into_actor(self)
            .map(move |result, act, ctx| match result {
                Ok(updates) => {
                    metrics::counter!("collaboration_updates_total").increment(updates.len() as u64);
                    act.since_compaction += updates.len();
                    if act.since_compaction >= COMPACT_EVERY {
                        act.since_compaction = 0;
                        let (store, room) = (act.parts.store.clone(), act.info.id);
                        actix::spawn(async move {
                            if let Err(err) = store.compact(room).await {
                                log::warn!("room {room}: compaction failed (the stream keeps everything): {err:#}");
                            }
                        });
                    }
                    for update in updates {
                        act.send_to_others(Some(sender), &update_frame(&update));
                        act.publish(REMOTE_UPDATE, &update);
                    }
                }
                Err(err) => {
                    // Not stored, so not acknowledged: the client keeps the edit and sends
                    // it again when it reconnects.
                    // The document holds the edit, but no store or peer does: drop the room
                    // and let every client reconnect and resend what it has.
                    log::error!("room {room}: an update could not be stored: {err:#}");
                    act.reset(ctx);
                }
            }),
        );
    }
}

impl Handler<Leave> for RoomActor {
    type Result = ();

    fn handle(&mut self, leave: Leave, _ctx: &mut Self::Context) {
        let Some(member) = self.members.remove(&leave.session_id) else {
            return;
        };
        if let Some(frame) = self.doc.remove_clients(&member.clients) {
            self.send_to_others(None, &frame);
            self.publish(REMOTE_AWARENESS, &frame);
        }
        if self.members.is_empty() {
            self.idle_since = Some(Instant::now());
        }
    }
}

impl Handler<FinishRetire> for RoomActor {
    type Result = ();

    fn handle(&mut self, _: FinishRetire, ctx: &mut Self::Context) {
        if !self.members.is_empty() {
            self.retiring = false;
            return;
        }
        log::info!(
            "room {} unloaded after {:?} without sessions",
            self.info.id,
            self.parts.idle_grace
        );
        self.registry.do_send(Retire {
            room: self.info.id,
            addr: ctx.address(),
        });
        ctx.stop();
    }
}

impl Handler<Restart> for RoomActor {
    type Result = ();

    fn handle(&mut self, _: Restart, _ctx: &mut Self::Context) {
        for member in self.members.values() {
            Self::close(&member.session, 1012, "the server is restarting; reconnect");
        }
    }
}

impl Handler<Describe> for RoomActor {
    type Result = MessageResult<Describe>;

    fn handle(&mut self, _: Describe, _ctx: &mut Self::Context) -> Self::Result {
        MessageResult(self.state())
    }
}

impl Handler<End> for RoomActor {
    type Result = ResponseActFuture<Self, Result<SessionState, String>>;

    fn handle(&mut self, _: End, ctx: &mut Self::Context) -> Self::Result {
        if !self.ended() {
            let update = self.doc.set_meta(STATUS, ENDED);
            self.commit_own(update, ctx);
        }
        let record = self.record(Outcome::Completed);
        Box::pin(record.into_actor(self).map(|result, act, _| {
            result
                .map(|()| act.state())
                .map_err(|err| format!("{err:#}"))
        }))
    }
}

impl StreamHandler<Remote> for RoomActor {
    fn handle(&mut self, Remote(payload): Remote, _ctx: &mut Self::Context) {
        let Some((kind, node, data)) = decode_remote(&payload) else {
            return;
        };
        if node == self.parts.node {
            return;
        }
        match kind {
            REMOTE_UPDATE => match self.doc.apply_remote_update(data) {
                Ok(frame) => self.send_to_others(None, &frame),
                Err(err) => log::warn!(
                    "room {}: a remote update did not apply: {err}",
                    self.info.id
                ),
            },
            REMOTE_AWARENESS if self.doc.apply_remote_awareness(data).is_ok() => {
                self.send_to_others(None, data);
            }
            _ => {}
        }
    }

    fn finished(&mut self, _ctx: &mut Self::Context) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bus_payloads_round_trip() {
        let payload = encode_remote(REMOTE_UPDATE, "node-1", &[1, 2, 3]);
        assert_eq!(
            decode_remote(&payload),
            Some((REMOTE_UPDATE, "node-1", &[1u8, 2, 3][..]))
        );
        assert_eq!(decode_remote(&[REMOTE_UPDATE, 200, b'x']), None);
        assert_eq!(decode_remote(&[]), None);
    }
}
