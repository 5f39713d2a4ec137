//! Messages reaching this process's members, in order and exactly once, whichever way they
//! came: this process's own commits, the bus (other processes' commits; at most once), and
//! reads of the store when ids are missing (a publish this process missed, or a message
//! nobody announced).

use std::time::Instant;

use actix::prelude::*;
use shared::contract::PublicProfile;
use toolkit::ws::{Outgoing, SessionId};

use super::{PRESENCE_TTL, RoomActor};
use crate::fanout::Fanout;
use crate::flush;
use crate::protocol::{ChatMessage, ServerFrame};

/// A payload on the room's bus channel.
pub(super) struct Remote(pub Vec<u8>);

impl RoomActor {
    /// A stored message: delivered with every message now in order, and the store asked for
    /// whatever is missing before it.
    pub(super) fn receive(&mut self, message: ChatMessage, ctx: &mut Context<Self>) {
        for ready in self.order.offer(message.id, message) {
            self.deliver(&ready);
        }
        if self.order.gap().is_some() {
            self.fill(None, ctx);
        }
    }

    fn deliver(&mut self, message: &ChatMessage) {
        metrics::counter!("chat_messages_delivered_total").increment(1);
        let frame = ServerFrame::Message(message).to_json();
        for member in self.members.values_mut() {
            if let Some(meanwhile) = &mut member.replaying {
                meanwhile.push(message.clone());
            } else if member.seen < message.id {
                member.seen = message.id;
                member.session.send(Outgoing::Text(frame.clone()));
            }
        }
    }

    /// Reads missing messages from the store: before the first one waiting, or up to
    /// `latest` (the store's newest id). Ids the store does not have were never stored (an
    /// id is taken and its message stored in one step), so they are skipped.
    pub(super) fn fill(&mut self, latest: Option<u64>, ctx: &mut Context<Self>) {
        if self.filling {
            return;
        }
        let Some(gap) = self.order.missing_up_to(latest.unwrap_or(0)) else {
            return;
        };
        self.filling = true;
        let (log, pool, room) = (self.parts.log.clone(), self.parts.pool.clone(), self.id());
        let upto = gap.before - 1;
        ctx.spawn(
            async move { flush::history(&log, &pool, room, gap.after, upto).await }
                .into_actor(self)
                .map(move |result, act, ctx| {
                    act.filling = false;
                    match result {
                        Ok(found) => {
                            let missing = upto - gap.after;
                            if (found.len() as u64) < missing {
                                log::warn!(
                                    "room {room}: {} ids between {} and {} were never stored",
                                    missing - found.len() as u64,
                                    gap.after,
                                    gap.before
                                );
                            }
                            metrics::counter!("chat_messages_recovered_total")
                                .increment(found.len() as u64);
                            for message in found {
                                for ready in act.order.offer(message.id, message) {
                                    act.deliver(&ready);
                                }
                            }
                            for ready in act.order.skip_to(upto) {
                                act.deliver(&ready);
                            }
                            if act.order.gap().is_some() {
                                act.fill(None, ctx);
                            }
                        }
                        Err(err) => log::warn!("room {room}: missing messages unread: {err:#}"),
                    }
                }),
        );
    }

    /// A message stored before under the same client id. Once it has been delivered here,
    /// its sender gets it again now; until then, it reaches the sender in order like every
    /// message (and is looked for in the store, in case its publish was lost).
    pub(super) fn repeat(
        &mut self,
        session: SessionId,
        id: u64,
        message: Option<ChatMessage>,
        ctx: &mut Context<Self>,
    ) {
        if id > self.order.delivered() {
            self.fill(Some(id), ctx);
            return;
        }
        // A session still having its replay gets the message with it, in order.
        if self
            .members
            .get(&session)
            .is_none_or(|member| member.replaying.is_some())
        {
            return;
        }
        if let Some(message) = message {
            self.tell(session, ServerFrame::Message(&message).to_json());
            return;
        }
        let (log, pool, room) = (self.parts.log.clone(), self.parts.pool.clone(), self.id());
        ctx.spawn(
            async move { flush::history(&log, &pool, room, id - 1, id).await }
                .into_actor(self)
                .map(move |result, act, _| match result {
                    Ok(found) => {
                        for message in &found {
                            act.tell(session, ServerFrame::Message(message).to_json());
                        }
                    }
                    Err(err) => log::warn!("room {room}: a repeated message unread: {err:#}"),
                }),
        );
    }

    /// Tells this process's sessions of other users that `user` is typing.
    pub(super) fn relay_typing(&self, user: &PublicProfile) {
        let frame = ServerFrame::Typing { user }.to_json();
        for member in self.members.values() {
            if member.user.id != user.id {
                member.session.send(Outgoing::Text(frame.clone()));
            }
        }
    }
}

impl StreamHandler<Remote> for RoomActor {
    fn handle(&mut self, Remote(payload): Remote, ctx: &mut Self::Context) {
        let fanout = match Fanout::decode(&payload) {
            Ok(fanout) => fanout,
            Err(err) => {
                log::warn!("room {}: ignoring a bus message: {err}", self.id());
                return;
            }
        };
        let here = self.parts.node.clone();
        match fanout {
            Fanout::Message { seq, message } => self.receive(ChatMessage::new(seq, message), ctx),
            Fanout::Typing { node, user } if node != here => self.relay_typing(&user),
            Fanout::Presence { node, online } if node != here => {
                let before = self.presence.online();
                self.presence
                    .remote(&node, online, Instant::now() + PRESENCE_TTL);
                self.presence_changed(&before);
            }
            Fanout::Hello { node } if node != here && !self.members.is_empty() => {
                self.announce_presence();
            }
            Fanout::Typing { .. } | Fanout::Presence { .. } | Fanout::Hello { .. } => {}
        }
    }

    fn finished(&mut self, _ctx: &mut Self::Context) {}
}
