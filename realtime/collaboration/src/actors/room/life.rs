//! A session's life in its room: its live state, a member ending it, and the room unloading
//! when nobody is left (recording the session as abandoned if nobody ended it).

use std::time::Instant;

use actix::prelude::*;
use shared::contract::{Outcome, RoomStatus, SessionEnding};
use shared::request_id::RequestId;
use toolkit::ws::Close;

use toolkit::registry::Retire;

use super::RoomActor;
use crate::sync::{ENDED, STATUS};

/// The session as it is now.
#[derive(Message)]
#[rtype(result = "SessionState")]
pub struct Describe;

/// The live facts of a session, kept in its document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionState {
    /// The room's language: shared state in the document, which either member may change.
    pub language: String,
    pub status: RoomStatus,
}

/// A member ends the session: the status becomes `ended` for everyone, and each member's
/// attempt is recorded in history (exactly once, however often this is asked).
#[derive(Message)]
#[rtype(result = "Result<SessionState, String>")]
pub struct End {
    pub request_id: RequestId,
}

/// Unloads now, unless a session connected while the room was getting ready to.
#[derive(Message)]
#[rtype(result = "()")]
struct FinishRetire;

impl RoomActor {
    pub(super) fn state(&self) -> SessionState {
        SessionState {
            language: self
                .doc
                .language()
                .unwrap_or_else(|| self.room.language.clone()),
            status: if self.doc.is_ended() {
                RoomStatus::Ended
            } else {
                RoomStatus::Active
            },
        }
    }

    pub(super) fn ending(&self, outcome: Outcome) -> SessionEnding {
        SessionEnding {
            code: self.doc.code(),
            language: self.state().language,
            ended_at: chrono::Utc::now(),
            outcome,
        }
    }

    /// Unloads, first recording the session as abandoned if nobody ended it and nobody is
    /// left anywhere.
    pub(super) fn retire(&mut self, ctx: &mut Context<Self>) {
        self.retiring = true;
        let abandoned = !self.doc.is_ended() && self.touched;
        let (store, node, history) = (
            self.parts.store.clone(),
            self.parts.node.clone(),
            self.parts.history.clone(),
        );
        let (room, ending) = (self.room.clone(), self.ending(Outcome::Abandoned));
        // Spawned, not waited on: sessions arriving meanwhile are served, and decide.
        ctx.spawn(
            async move {
                if !abandoned
                    || store
                        .present_elsewhere(room.id, &node)
                        .await
                        .unwrap_or(true)
                {
                    return Ok(());
                }
                history.record(&room, &ending, &RequestId::generate()).await
            }
            .into_actor(self)
            .map(|result, act, ctx| match result {
                Ok(()) => ctx.notify(FinishRetire),
                Err(err) => {
                    // Kept loaded, and tried again after another grace period.
                    log::error!(
                        "room {}: could not record the abandoned session: {err:#}",
                        act.room.id
                    );
                    act.retiring = false;
                    act.idle_since = Some(Instant::now());
                }
            }),
        );
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

impl Handler<FinishRetire> for RoomActor {
    type Result = ();

    fn handle(&mut self, _: FinishRetire, ctx: &mut Self::Context) {
        if !self.members.is_empty() {
            self.retiring = false;
            return;
        }
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
}

impl Handler<Describe> for RoomActor {
    type Result = MessageResult<Describe>;

    fn handle(&mut self, _: Describe, _ctx: &mut Self::Context) -> Self::Result {
        MessageResult(self.state())
    }
}

impl Handler<End> for RoomActor {
    type Result = ResponseActFuture<Self, Result<SessionState, String>>;

    fn handle(&mut self, end: End, ctx: &mut Self::Context) -> Self::Result {
        if !self.doc.is_ended() {
            let update = self.doc.set_meta(STATUS, ENDED);
            self.commit(vec![update], None, ctx);
        }
        let (history, room, ending) = (
            self.parts.history.clone(),
            self.room.clone(),
            self.ending(Outcome::Completed),
        );
        let recorded = async move { history.record(&room, &ending, &end.request_id).await };
        Box::pin(recorded.into_actor(self).map(|result, act, _| {
            result
                .map(|()| act.state())
                .map_err(|err| format!("{err:#}"))
        }))
    }
}
