//! One per open room per process: the room's members on this process, its messages
//! delivered in order exactly once, and who is online. It holds state and routes messages:
//! the rules of a message are [`crate::protocol`], ordering [`crate::order`], presence
//! [`crate::presence`], storage [`crate::store`] and [`crate::flush`].
//!
//! Here: the room's state, posting and typing. In `members.rs`: sessions joining (with a
//! replay of what they missed) and leaving, and presence. In `delivery.rs`: messages
//! reaching members in order, from commits, the bus and the store. In `life.rs`: the
//! room's clock (copying to the transcript, presence, unloading).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use actix::prelude::*;
use shared::bus::Bus;
use shared::contract::{PublicProfile, Room};
use shared::db::PgPool;
use toolkit::registry::{Retire, ServesRoom};
use toolkit::ws::{Client, Close, Outgoing, SessionId};
use uuid::Uuid;

use crate::fanout::Fanout;
use crate::order::Sequencer;
use crate::presence::Presence;
use crate::protocol::{self, ChatMessage, Draft, Posted};
use crate::store::{Commit, CommitError, LogStore, NewMessage};
use crate::transcript;

mod delivery;
mod life;
mod members;

pub use life::FlushNow;

/// How often a room ticks: copies to the transcript, checks for messages nobody announced,
/// forgets stale presence, and unloads when idle.
const TICK: Duration = Duration::from_secs(1);
/// How often a room with sessions tells other processes who they are, and how long that
/// holds.
const PRESENCE_EVERY: Duration = Duration::from_secs(5);
const PRESENCE_TTL: Duration = Duration::from_secs(15);

/// What every room of a process shares.
#[derive(Clone)]
pub struct RoomParts {
    pub node: String,
    /// The service's Redis prefix; a room's channel is `<prefix>room:<id>`.
    pub prefix: String,
    pub log: LogStore,
    pub bus: Bus,
    pub pool: PgPool,
    /// How long a room without sessions stays loaded.
    pub idle_grace: Duration,
}

/// A member's session joins, having seen every message up to `after`: it gets what it
/// missed, in order, then everything new.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Connect {
    pub session_id: SessionId,
    pub session: Client,
    pub user: PublicProfile,
    pub after: u64,
}

/// A member sends a message.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Post {
    pub session_id: SessionId,
    pub draft: Draft,
}

/// A member is typing.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Typing {
    pub session_id: SessionId,
}

/// A session left.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Leave {
    pub session_id: SessionId,
}

struct Member {
    session: Client,
    user: PublicProfile,
    /// The highest id this session has (it said so when it connected, or it was sent).
    seen: u64,
    /// While what the session missed is read from the store, new messages wait here (sent
    /// after the replay, so that nothing comes twice or out of order).
    replaying: Option<Vec<ChatMessage>>,
}

pub struct RoomActor {
    room: Room,
    parts: RoomParts,
    registry: Recipient<Retire<RoomActor>>,
    channel: String,
    members: HashMap<SessionId, Member>,
    order: Sequencer<ChatMessage>,
    presence: Presence,
    /// The transcript's last id, once known.
    flushed: Option<u64>,
    /// A copy to the transcript is running.
    flushing: bool,
    /// A read of missing messages from the store is running.
    filling: bool,
    idle_since: Option<Instant>,
    retiring: bool,
}

impl ServesRoom for RoomActor {
    type Parts = RoomParts;

    fn new(room: Room, parts: RoomParts, registry: Recipient<Retire<Self>>) -> Self {
        let channel = format!("{}room:{}", parts.prefix, room.id);
        Self {
            room,
            parts,
            registry,
            channel,
            members: HashMap::new(),
            order: Sequencer::new(0),
            presence: Presence::default(),
            flushed: None,
            flushing: false,
            filling: false,
            idle_since: Some(Instant::now()),
            retiring: false,
        }
    }
}

impl RoomActor {
    fn id(&self) -> Uuid {
        self.room.id
    }

    fn publish(&self, fanout: Fanout) {
        let (bus, channel) = (self.parts.bus.clone(), self.channel.clone());
        actix::spawn(async move {
            match fanout.encode() {
                Ok(payload) => {
                    if let Err(err) = bus.publish(&channel, payload).await {
                        log::warn!("could not fan out on {channel}: {err:#}");
                    }
                }
                Err(err) => log::error!("could not encode a fan-out message: {err}"),
            }
        });
    }

    fn tell(&self, session_id: SessionId, frame: String) {
        self.tell_outgoing(session_id, Outgoing::Text(frame));
    }

    fn tell_outgoing(&self, session_id: SessionId, outgoing: Outgoing) {
        if let Some(member) = self.members.get(&session_id) {
            member.session.send(outgoing);
        }
    }
}

impl Actor for RoomActor {
    type Context = Context<Self>;

    /// Subscribes, then learns the room's last id: everything published from then on is
    /// heard, and everything before is in the store.
    fn started(&mut self, ctx: &mut Self::Context) {
        let (bus, channel, log, pool, room) = (
            self.parts.bus.clone(),
            self.channel.clone(),
            self.parts.log.clone(),
            self.parts.pool.clone(),
            self.id(),
        );
        ctx.wait(
            async move {
                let receiver = bus.subscribe(&channel).await?;
                let in_log = log.last_id(room).await?;
                let db = pool.get().await?;
                let in_transcript = transcript::last_id(&db, room).await?;
                anyhow::Ok((receiver, in_log, in_transcript))
            }
            .into_actor(self)
            .map(|result, act, ctx| match result {
                Ok((receiver, in_log, in_transcript)) => {
                    act.order = Sequencer::new(in_log.max(in_transcript));
                    act.flushed = Some(in_transcript);
                    ctx.add_stream(futures_util::stream::unfold(
                        receiver,
                        |mut rx| async move {
                            rx.recv()
                                .await
                                .map(|payload| (delivery::Remote(payload), rx))
                        },
                    ));
                    act.publish(Fanout::Hello {
                        node: act.parts.node.clone(),
                    });
                    log::info!(
                        "room {} opened at message {}",
                        act.id(),
                        act.order.delivered()
                    );
                }
                Err(err) => {
                    log::error!("room {} could not open: {err:#}", act.id());
                    ctx.stop();
                }
            }),
        );
        ctx.run_interval(TICK, Self::tick);
        ctx.run_interval(PRESENCE_EVERY, |act, _| {
            if !act.members.is_empty() {
                act.announce_presence();
            }
        });
    }

    fn stopping(&mut self, _: &mut Self::Context) -> Running {
        for member in self.members.values() {
            member.session.send(Outgoing::Close(Close::reconnect(
                "the room is moving; reconnect",
            )));
        }
        Running::Stop
    }

    fn stopped(&mut self, _: &mut Self::Context) {
        self.parts.bus.release_soon(self.channel.clone());
    }
}

impl Handler<Post> for RoomActor {
    type Result = ();

    /// Stored (and published) first; then every member is told, in order, by
    /// [`Self::receive`]. Commits run side by side: the ids the store gives put them in
    /// order.
    fn handle(&mut self, post: Post, ctx: &mut Self::Context) {
        let Some(member) = self.members.get(&post.session_id) else {
            return;
        };
        let posted = Posted {
            client_id: post.draft.client_id,
            sender: member.user.clone(),
            text: post.draft.text,
            sent_at: chrono::Utc::now(),
        };
        let (log, channel, room, floor) = (
            self.parts.log.clone(),
            self.channel.clone(),
            self.id(),
            self.order.delivered(),
        );
        let session = post.session_id;
        ctx.spawn(
            async move {
                let new = NewMessage {
                    room,
                    posted: &posted,
                    floor,
                    channel: &channel,
                };
                (log.commit(new).await, posted.client_id)
            }
            .into_actor(self)
            .map(move |(result, client_id), act, ctx| match result {
                Ok(Commit::Stored(message)) => act.receive(message, ctx),
                Ok(Commit::Repeated { id, message }) => act.repeat(session, id, message, ctx),
                Err(err) => {
                    let why = match err {
                        CommitError::Full => "the chat is busy saving; send it again shortly",
                        CommitError::Unavailable(err) => {
                            log::error!("room {room}: a message was not stored: {err:#}");
                            "your message was not stored; send it again"
                        }
                    };
                    act.tell(
                        session,
                        protocol::error("unavailable", why, Some(&client_id)),
                    );
                }
            }),
        );
    }
}

impl Handler<Typing> for RoomActor {
    type Result = ();

    fn handle(&mut self, typing: Typing, _ctx: &mut Self::Context) {
        let Some(member) = self.members.get(&typing.session_id) else {
            return;
        };
        let user = member.user.clone();
        self.relay_typing(&user);
        self.publish(Fanout::Typing {
            node: self.parts.node.clone(),
            user,
        });
    }
}
