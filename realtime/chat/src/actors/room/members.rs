//! Sessions joining (with a replay of what they missed) and leaving, and who is online:
//! presence told to this process's sessions and to the room's other processes.

use std::time::Instant;

use actix::prelude::*;
use shared::contract::PublicProfile;
use toolkit::ws::{Close, Outgoing, SessionId};

use super::{Connect, Leave, Member, RoomActor};
use crate::fanout::Fanout;
use crate::flush;
use crate::presence;
use crate::protocol::{ChatMessage, PresenceEvent, ServerFrame};

impl RoomActor {
    /// Tells other processes who has a session here.
    pub(super) fn announce_presence(&self) {
        self.publish(Fanout::Presence {
            node: self.parts.node.clone(),
            online: self.presence.here(),
        });
    }

    /// Sends every local session a presence frame for each change since `before`.
    pub(super) fn presence_changed(&self, before: &[PublicProfile]) {
        let online = self.presence.online();
        for change in presence::changes(before, &online) {
            let frame = ServerFrame::Presence {
                event: change.event,
                user: Some(&change.user),
                online: &online,
            }
            .to_json();
            for member in self.members.values() {
                member.session.send(Outgoing::Text(frame.clone()));
            }
        }
    }

    /// The session is a member now, online for everyone; its replay follows.
    fn join(&mut self, connect: Connect) {
        let before = self.presence.online();
        self.presence.join(connect.session_id, connect.user.clone());
        self.members.insert(
            connect.session_id,
            Member {
                session: connect.session,
                user: connect.user,
                seen: connect.after,
                replaying: Some(Vec::new()),
            },
        );
        self.idle_since = None;
        let online = self.presence.online();
        if presence::changes(&before, &online).is_empty() {
            let frame = ServerFrame::Presence {
                event: PresenceEvent::Online,
                user: None,
                online: &online,
            };
            self.tell(connect.session_id, frame.to_json());
        } else {
            self.presence_changed(&before);
        }
        self.announce_presence();
    }

    /// The session's replay was read: sent, then what came meanwhile, each once in order.
    fn replayed(&mut self, session_id: SessionId, missed: Vec<ChatMessage>) {
        let Some(member) = self.members.get_mut(&session_id) else {
            return;
        };
        let meanwhile = member.replaying.take().unwrap_or_default();
        let mut frames = Vec::new();
        for message in missed.iter().chain(&meanwhile) {
            if message.id > member.seen {
                member.seen = message.id;
                frames.push(ServerFrame::Message(message).to_json());
            }
        }
        // One send, however long: a replay is not a client falling behind.
        member.session.send(Outgoing::Texts(frames));
    }
}

impl Handler<Connect> for RoomActor {
    type Result = ();

    /// The replay covers what the session missed up to what this room has delivered (the
    /// newest [`flush::MAX_REPLAY`] of it); what the room delivers meanwhile waits for it
    /// (see [`Member::replaying`]).
    fn handle(&mut self, connect: Connect, ctx: &mut Self::Context) {
        let (log, pool, room) = (self.parts.log.clone(), self.parts.pool.clone(), self.id());
        let upto = self.order.delivered();
        let (session_id, after) = (connect.session_id, flush::replay_after(connect.after, upto));
        self.join(connect);
        ctx.spawn(
            async move { flush::history(&log, &pool, room, after, upto).await }
                .into_actor(self)
                .map(move |result, act, _| match result {
                    Ok(missed) => act.replayed(session_id, missed),
                    Err(err) => {
                        log::error!("room {room}: a replay could not be read: {err:#}");
                        let close = Close::server_error("messages are unavailable; reconnect");
                        act.tell_outgoing(session_id, Outgoing::Close(close));
                    }
                }),
        );
    }
}

impl Handler<Leave> for RoomActor {
    type Result = ();

    fn handle(&mut self, leave: Leave, _ctx: &mut Self::Context) {
        if self.members.remove(&leave.session_id).is_none() {
            return;
        }
        let before = self.presence.online();
        self.presence.leave(leave.session_id);
        self.presence_changed(&before);
        self.announce_presence();
        if self.members.is_empty() {
            self.idle_since = Some(Instant::now());
        }
    }
}
