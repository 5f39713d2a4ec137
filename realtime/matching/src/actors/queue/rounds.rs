//! The queue actor's rounds: every tick (timeouts, the heartbeat, re-adding lost tickets, a
//! matchmaking round), the pairs a round claimed made into rooms, and what that means for
//! each ticket, delivered here or to the process that owns it.

use std::time::Instant;

use actix::prelude::*;

use super::{HEARTBEAT_EVERY, Inbox, QueueActor, REASSERT_EVERY, RECHECK_TICKS, tell};
use crate::matchmaker::Claimed;
use crate::notice::{self, Delivery, Notice, NoticeKind};
use crate::protocol::ServerMessage;

impl QueueActor {
    pub(super) fn tick(&mut self, ctx: &mut Context<Self>) {
        let now = Instant::now();
        for ticket in self
            .waiting
            .expired(now, self.settings.tick * RECHECK_TICKS)
        {
            self.leave(ticket, Some(ServerMessage::Timeout), ctx);
        }
        if self
            .last_heartbeat
            .is_none_or(|at| now - at >= HEARTBEAT_EVERY)
        {
            self.last_heartbeat = Some(now);
            let (store, node) = (self.store.clone(), self.node.clone());
            actix::spawn(async move {
                if let Err(err) = store.heartbeat(&node).await {
                    log::warn!("heartbeat failed: {err:#}");
                }
            });
        }
        if self
            .last_reassert
            .is_none_or(|at| now - at >= REASSERT_EVERY)
        {
            self.last_reassert = Some(now);
            let (store, tickets) = (self.store.clone(), self.waiting.tickets());
            ctx.spawn(
                async move { store.reassert(tickets).await }
                    .into_actor(self)
                    .map(|late, act, ctx| {
                        for notice in late {
                            log::warn!(
                                "ticket {} was matched but its notice never came; delivering it now",
                                notice.ticket
                            );
                            metrics::counter!("matching_late_matches_total").increment(1);
                            act.apply(notice, ctx);
                        }
                    }),
            );
        }
        self.start_round(ctx);
    }

    /// Runs the matchmaker unless a round is already running.
    pub(super) fn start_round(&mut self, ctx: &mut Context<Self>) {
        if self.matching {
            return;
        }
        self.matching = true;
        let matchmaker = self.matchmaker.clone();
        ctx.spawn(
            async move { matchmaker.round().await }
                .into_actor(self)
                .map(|result, act, ctx| {
                    act.matching = false;
                    match result {
                        Ok(claimed) => {
                            for pair in claimed {
                                act.finish(pair, ctx);
                            }
                        }
                        Err(err) => log::warn!("queue unavailable: {err:#}"),
                    }
                }),
        );
    }

    /// Makes a claimed pair's room, concurrently with everything else.
    fn finish(&mut self, pair: Claimed, ctx: &mut Context<Self>) {
        let matchmaker = self.matchmaker.clone();
        ctx.spawn(
            async move { matchmaker.finish(pair).await }
                .into_actor(self)
                .map(|deliveries, act, ctx| {
                    for delivery in deliveries {
                        act.deliver(delivery, ctx);
                    }
                }),
        );
    }

    /// Handles a notice about one of this process's tickets, or publishes it for the
    /// process that owns the ticket.
    pub(super) fn deliver(&mut self, delivery: Delivery, ctx: &mut Context<Self>) {
        if delivery.node == self.node {
            self.apply(delivery.notice, ctx);
            return;
        }
        #[cfg(feature = "testing")]
        if self.lose_matched_notices > 0
            && matches!(delivery.notice.kind, NoticeKind::Matched { .. })
        {
            self.lose_matched_notices -= 1;
            log::warn!(
                "losing the matched notice of ticket {} on purpose",
                delivery.notice.ticket
            );
            return;
        }
        let channel = notice::channel(&self.prefix, &delivery.node);
        let payload = match delivery.notice.encode() {
            Ok(payload) => payload,
            Err(err) => {
                log::error!("could not encode a notice: {err}");
                return;
            }
        };
        let bus = self.bus.clone();
        actix::spawn(async move {
            if let Err(err) = bus.publish(&channel, payload).await {
                log::error!("could not tell process {}: {err:#}", delivery.node);
            }
        });
    }

    /// A notice about one of this process's tickets.
    fn apply(&mut self, notice: Notice, ctx: &mut Context<Self>) {
        let settled = |act: &mut Self| {
            let client = act.waiting.forget(notice.ticket);
            act.count();
            client
        };
        match notice.kind {
            NoticeKind::Matched { message } => {
                if let Some(client) = settled(self) {
                    metrics::counter!("matching_matched_sessions_total").increment(1);
                    tell(&client, message);
                }
            }
            NoticeKind::Replaced => {
                if let Some(client) = settled(self) {
                    let reason = "replaced".into();
                    tell(&client, ServerMessage::Cancelled { reason });
                }
            }
            NoticeKind::Unmatched { reason } => {
                if let Some(client) = settled(self) {
                    tell(&client, ServerMessage::error("no_question", reason));
                }
            }
            NoticeKind::Requeued { reason } => {
                if let Some(back) = self.waiting.requeued(notice.ticket, Instant::now()) {
                    tell(&back.client, ServerMessage::Requeued { reason });
                    if let Some(ticket) = back.overdue {
                        self.leave(ticket, Some(ServerMessage::Timeout), ctx);
                    }
                }
            }
        }
    }
}

impl StreamHandler<Inbox> for QueueActor {
    fn handle(&mut self, Inbox(payload): Inbox, ctx: &mut Self::Context) {
        match Notice::decode(&payload) {
            Ok(notice) => self.apply(notice, ctx),
            Err(err) => log::warn!("ignoring an unreadable bus message: {err}"),
        }
    }

    /// The inbox never ends while the bus lives; nothing to do if it does.
    fn finished(&mut self, _ctx: &mut Self::Context) {}
}
