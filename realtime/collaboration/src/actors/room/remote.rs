//! The room's other processes: updates this process stored and awareness its sessions sent
//! go to them, and what they send is applied here and passed to this process's sessions.
//! Every update message says which stream entries it carries, so a message that never
//! arrived is noticed and read from the store (see [`crate::catchup`]).

use std::time::Duration;

use actix::prelude::*;
use actix_web::web::Bytes;

use super::{Remote, RoomActor};
use crate::catchup::Arrival;
use crate::fanout::{Body, Fanout};
use crate::store::Committed;

/// How often a room with sessions reads what was stored past its position: a lost publish
/// with nothing after it to show the gap is seen within this long.
pub(super) const CATCH_UP_EVERY: Duration = Duration::from_secs(1);

/// A catch-up read of the store: one at a time, and another right after if a gap was seen
/// while one was running.
#[derive(Debug, Default)]
pub(super) struct Reading {
    running: bool,
    again: bool,
}

impl RoomActor {
    /// Sends an awareness frame to this process's sessions and the room's other processes.
    pub(super) fn share_awareness(&self, frame: Vec<u8>) {
        match Fanout::encode_awareness(&self.parts.node, &frame) {
            Ok(payload) => self.publish(payload),
            Err(err) => log::error!("room {}: could not encode awareness: {err}", self.room.id),
        }
        self.send(None, &Bytes::from(frame));
    }

    /// Tells the room's other processes about updates this process stored, when the store
    /// did not (memory; Redis publishes in the commit itself). A publish that fails is only
    /// logged: they read the updates from the store when they notice.
    pub(super) fn publish_updates(&self, committed: Committed, updates: &[Vec<u8>]) {
        let span = (committed.after, committed.upto);
        match Fanout::encode_updates(&self.parts.node, span, updates) {
            Ok(payload) => self.publish(payload),
            Err(err) => log::error!("room {}: could not encode updates: {err}", self.room.id),
        }
    }

    fn publish(&self, payload: Vec<u8>) {
        let (bus, channel) = (self.parts.bus.clone(), self.channel.clone());
        actix::spawn(async move {
            if let Err(err) = bus.publish(&channel, payload).await {
                log::warn!("could not fan out on {channel}: {err:#}");
            }
        });
    }

    /// Stored entries became known here (applied already): moves the room's position, or
    /// reads what is missing before them.
    pub(super) fn arrived(&mut self, committed: Committed, ctx: &mut Context<Self>) {
        if self.position.arrive(committed.after, committed.upto) == Arrival::Gap {
            self.catch_up(ctx);
        }
    }

    /// Once a second while the room has sessions: reads what was stored past the position.
    pub(super) fn check_tail(&mut self, ctx: &mut Context<Self>) {
        if !self.members.is_empty() {
            self.catch_up(ctx);
        }
    }

    /// Reads from the store what was stored past the position, applies it and sends it to
    /// this process's sessions.
    fn catch_up(&mut self, ctx: &mut Context<Self>) {
        if self.reading.running {
            self.reading.again = true;
            return;
        }
        self.reading = Reading {
            running: true,
            again: false,
        };
        let (store, room, after) = (
            self.parts.store.clone(),
            self.room.id,
            self.position.applied(),
        );
        ctx.spawn(
            async move { store.read_after(room, after).await }
                .into_actor(self)
                .map(move |result, act, ctx| {
                    act.reading.running = false;
                    match result {
                        Ok(loaded) => {
                            if !loaded.updates.is_empty() {
                                log::info!(
                                    "room {room}: caught up on {} stored updates after {after}",
                                    loaded.updates.len()
                                );
                            }
                            act.apply_remote(loaded.updates, ctx);
                            act.position.caught_up(loaded.upto);
                        }
                        Err(err) => log::warn!("room {room}: could not catch up: {err:#}"),
                    }
                    if std::mem::take(&mut act.reading.again) {
                        act.catch_up(ctx);
                    }
                }),
        );
    }

    /// Applies updates another process stored and sends them to this process's sessions;
    /// then `meta` is reviewed (a language learnt, an end there confirmed with the store).
    fn apply_remote(
        &mut self,
        updates: impl IntoIterator<Item = impl AsRef<[u8]>>,
        ctx: &mut Context<Self>,
    ) {
        for update in updates {
            match self.doc.apply_remote_update(update.as_ref()) {
                Ok(frame) => self.send(None, &Bytes::from(frame)),
                Err(err) => {
                    log::warn!(
                        "room {}: a remote update did not apply: {err}",
                        self.room.id
                    );
                }
            }
        }
        self.enforce_meta(false, ctx);
    }
}

impl StreamHandler<Remote> for RoomActor {
    fn handle(&mut self, Remote(payload): Remote, ctx: &mut Self::Context) {
        let fanout = match Fanout::decode(&payload) {
            Ok(fanout) => fanout,
            Err(err) => {
                log::warn!("room {}: ignoring a bus message: {err}", self.room.id);
                return;
            }
        };
        if fanout.node == self.parts.node {
            return;
        }
        match fanout.body {
            Body::Updates {
                after,
                upto,
                updates,
            } => match self.position.arrive(after, upto) {
                Arrival::Seen => {}
                Arrival::InOrder => self.apply_remote(updates, ctx),
                Arrival::Gap => {
                    // Shown at once (Yjs holds what depends on the missing entries until
                    // they come), and the missing entries are read.
                    self.apply_remote(updates, ctx);
                    self.catch_up(ctx);
                }
            },
            Body::Awareness(frame) => {
                if self.doc.apply_remote_awareness(&frame).is_ok() {
                    self.send(None, &Bytes::from(frame.into_vec()));
                }
            }
        }
    }

    fn finished(&mut self, _ctx: &mut Self::Context) {}
}
