//! A session's life in its room: its live state, a member ending it, keeping the room due to
//! be settled (in the store, see [`crate::settle`]) while it has sessions and once they all
//! left, and the room unloading when nobody is left. Recording the attempts is the
//! settler's ([`crate::settler`]), which any process runs.

use actix::prelude::*;
use chrono::Utc;
use shared::contract::RoomStatus;
use shared::request_id::RequestId;
use toolkit::registry::Retire;
use toolkit::ws::Close;

use super::{PRESENCE_TTL, RoomActor};
use crate::settle::{Ending, When};
use crate::settler::Settled;
use crate::sync::{ENDED, STATUS};

/// The session as it is now.
#[derive(Message)]
#[rtype(result = "SessionState")]
pub struct Describe;

/// The live facts of a session, as the server holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionState {
    /// The room's language: either member may change it in the editor, to a supported one.
    pub language: String,
    pub status: RoomStatus,
}

/// A member ends the session: the status becomes `ended` for everyone, and each member's
/// attempt is recorded in history (once, however often this is asked). Ending succeeds
/// whenever the store can say so: recording that cannot be done now (history unavailable)
/// is done by the settler later. `Err` only if the store could not be written.
#[derive(Message)]
#[rtype(result = "Result<SessionState, String>")]
pub struct End {
    pub request_id: RequestId,
}

impl RoomActor {
    pub(super) fn state(&self) -> SessionState {
        SessionState {
            language: self.facts.language.clone(),
            status: if self.facts.ended {
                RoomStatus::Ended
            } else {
                RoomStatus::Active
            },
        }
    }

    /// Keeps the room due to settle a little after this process's presence would run out,
    /// so that if every process loses its sessions at once (a crash, a deploy) the session
    /// is still recorded as abandoned.
    pub(super) fn keep_due(&self) {
        self.schedule(PRESENCE_TTL + self.parts.idle_grace, false);
    }

    /// The last session on this process left: the room is due once it has been empty for
    /// the idle grace (unless someone is back, here or elsewhere).
    pub(super) fn last_left(&self) {
        self.schedule(self.parts.idle_grace, true);
    }

    fn schedule(&self, after: std::time::Duration, left: bool) {
        if self.facts.ended {
            return;
        }
        let (settle, room) = (self.parts.settler.settle.clone(), self.room.clone());
        let node = left.then(|| self.parts.node.clone());
        let due = Utc::now()
            + chrono::Duration::from_std(after).unwrap_or_else(|_| chrono::Duration::days(1));
        actix::spawn(async move {
            if let Err(err) = settle.schedule(&room, due, node.as_deref()).await {
                // Every presence renewal schedules it again.
                log::warn!("room {}: {err:#}", room.id);
            }
        });
    }

    /// Unloads the room after the idle grace without sessions.
    pub(super) fn retire(&mut self, ctx: &mut Context<Self>) {
        if !self.members.is_empty() {
            return;
        }
        self.retiring = true;
        log::info!(
            "room {} unloaded after {:?} without sessions",
            self.room.id,
            self.parts.idle_grace
        );
        self.registry.do_send(Retire {
            room: self.room.id,
            addr: ctx.address(),
        });
        ctx.stop();
    }

    /// Drops the room's in-memory state: every session is closed (clients reconnect and
    /// resend what they have) and the next session loads the room from the store.
    pub(super) fn reset(&mut self, ctx: &mut Context<Self>) {
        self.close_all(&Close::server_error("the room is reloading; reconnect"));
        self.members.clear();
        self.registry.do_send(Retire {
            room: self.room.id,
            addr: ctx.address(),
        });
        ctx.stop();
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

    fn handle(&mut self, end: End, _ctx: &mut Self::Context) -> Self::Result {
        let ending = Ending {
            code: self.doc.code(),
            language: self.facts.language.clone(),
            ended_at: Utc::now(),
        };
        let (settle, room) = (self.parts.settler.settle.clone(), self.room.clone());
        // Due once the lease of a recording has run out: this call records it now, and the
        // sweep only if this call could not.
        let due = Utc::now() + chrono::Duration::seconds(30);
        let request_id = end.request_id;
        let ended = async move { settle.end(&room, &ending, due).await };
        Box::pin(ended.into_actor(self).then(move |result, act, ctx| {
            let ended = match result {
                Ok(first) => {
                    if first {
                        log::info!("request_id={} room {} ended", request_id.0, act.room.id);
                    }
                    act.facts.ended = true;
                    if act.doc.meta(STATUS).as_deref() != Some(ENDED) {
                        let update = act.doc.set_meta(STATUS, ENDED);
                        act.commit(vec![update], None, ctx);
                    }
                    Ok(())
                }
                Err(err) => Err(format!("{err:#}")),
            };
            let (settler, room) = (act.parts.settler.clone(), act.room.id);
            async move {
                ended?;
                match settler.settle_room(room, When::Now).await {
                    Ok(Settled::Later) => log::warn!(
                        "room {room}: ended; the attempts are recorded once history answers"
                    ),
                    Err(err) => {
                        log::warn!("room {room}: ended; the sweep records it later: {err:#}");
                    }
                    Ok(_) => {}
                }
                Ok(())
            }
            .into_actor(act)
            .map(|result: Result<(), String>, act, _| result.map(|()| act.state()))
        }))
    }
}
