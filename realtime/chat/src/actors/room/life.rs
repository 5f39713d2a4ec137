//! The room's clock: every tick it copies new messages to the transcript, asks the store
//! for messages nobody announced (a publish lost at the end of a conversation), forgets
//! presence other processes stopped renewing, and unloads once nobody has been here for
//! the grace period (after a last copy to the transcript).

use std::time::Instant;

use actix::prelude::*;
use toolkit::registry::Retire;

use super::RoomActor;
use crate::flush;

/// Copy to the transcript now (the process is stopping). Answers when done.
#[derive(Message)]
#[rtype(result = "()")]
pub struct FlushNow;

/// Unloads now, unless a session connected while the last copy ran.
#[derive(Message)]
#[rtype(result = "()")]
struct FinishRetire;

impl RoomActor {
    pub(super) fn tick(&mut self, ctx: &mut Context<Self>) {
        let before = self.presence.online();
        self.presence.expire(Instant::now());
        self.presence_changed(&before);
        self.copy_to_transcript(ctx);
        if !self.members.is_empty() {
            self.check_tail(ctx);
        }
        if !self.retiring
            && self
                .idle_since
                .is_some_and(|since| since.elapsed() >= self.parts.idle_grace)
        {
            self.retiring = true;
            let (log, pool, room, known) = (
                self.parts.log.clone(),
                self.parts.pool.clone(),
                self.id(),
                self.flushed,
            );
            ctx.spawn(
                async move { flush::flush(&log, &pool, room, known).await }
                    .into_actor(self)
                    .map(|result, act, ctx| match result {
                        Ok(upto) => {
                            act.flushed = Some(upto);
                            ctx.notify(FinishRetire);
                        }
                        Err(err) => {
                            // Kept loaded; tried again after another grace period.
                            log::warn!("room {}: not copied before unloading: {err:#}", act.id());
                            act.retiring = false;
                            act.idle_since = Some(Instant::now());
                        }
                    }),
            );
        }
    }

    /// Copies new messages to the transcript, unless a copy is running or nothing is new.
    fn copy_to_transcript(&mut self, ctx: &mut Context<Self>) {
        if self.flushing || self.flushed.is_some_and(|id| id >= self.order.delivered()) {
            return;
        }
        self.flushing = true;
        let (log, pool, room, known) = (
            self.parts.log.clone(),
            self.parts.pool.clone(),
            self.id(),
            self.flushed,
        );
        ctx.spawn(
            async move { flush::flush(&log, &pool, room, known).await }
                .into_actor(self)
                .map(|result, act, _| {
                    act.flushing = false;
                    match result {
                        Ok(upto) => act.flushed = Some(upto),
                        Err(err) => {
                            log::warn!("room {}: transcript not updated yet: {err:#}", act.id());
                        }
                    }
                }),
        );
    }

    /// A message whose publish this process missed, with nothing after it to show the
    /// gap, is found by asking the store for its newest id.
    fn check_tail(&mut self, ctx: &mut Context<Self>) {
        if self.filling {
            return;
        }
        let (log, room) = (self.parts.log.clone(), self.id());
        ctx.spawn(async move { log.last_id(room).await }.into_actor(self).map(
            |result, act, ctx| match result {
                Ok(latest) if latest > act.order.delivered() => act.fill(Some(latest), ctx),
                Ok(_) => {}
                Err(err) => log::warn!("room {}: {err:#}", act.id()),
            },
        ));
    }
}

impl Handler<FinishRetire> for RoomActor {
    type Result = ();

    fn handle(&mut self, _: FinishRetire, ctx: &mut Self::Context) {
        if !self.members.is_empty() {
            self.retiring = false;
            return;
        }
        log::info!("room {} unloaded", self.id());
        self.registry.do_send(Retire {
            room: self.id(),
            addr: ctx.address(),
        });
        ctx.stop();
    }
}

impl Handler<FlushNow> for RoomActor {
    type Result = ResponseActFuture<Self, ()>;

    fn handle(&mut self, _: FlushNow, _ctx: &mut Self::Context) -> Self::Result {
        let (log, pool, room) = (self.parts.log.clone(), self.parts.pool.clone(), self.id());
        Box::pin(
            async move { flush::flush(&log, &pool, room, None).await }
                .into_actor(self)
                .map(|result, act, _| match result {
                    Ok(upto) => act.flushed = Some(upto),
                    Err(err) => log::warn!("room {}: not copied at shutdown: {err:#}", act.id()),
                }),
        )
    }
}
