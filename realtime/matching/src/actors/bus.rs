//! Bridges this process's bus channel to its queue actor: another process that matched one
//! of our users (or whose user replaced one of our tickets) publishes a [`NodeEvent`] here.

use actix::prelude::*;
use serde::{Deserialize, Serialize};
use shared::bus::Bus;
use uuid::Uuid;

use super::queue::QueueActor;
use crate::protocol::ServerMessage;

/// News for the process that owns a ticket.
#[derive(Debug, Clone, Serialize, Deserialize, Message)]
#[rtype(result = "()")]
pub struct NodeEvent {
    pub ticket: Uuid,
    pub kind: NodeEventKind,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NodeEventKind {
    /// The ticket was matched: tell the session (a `matched` message) and forget it.
    Matched { message: ServerMessage },
    /// The user joined again elsewhere; this ticket is gone.
    Replaced,
    /// The match fell through on our side; the ticket is back in the queue.
    Requeued { reason: String },
    /// No question exists for the pair; the ticket is out of the queue.
    Unmatched { reason: String },
}

/// The channel a process listens on.
pub fn channel(prefix: &str, node: &str) -> String {
    format!("{prefix}node:{node}")
}

/// Delivers an event to the ticket's process: directly when it is this one.
pub async fn notify(
    bus: &Bus,
    prefix: &str,
    here: &Addr<QueueActor>,
    this_node: &str,
    node: &str,
    event: NodeEvent,
) {
    if node == this_node {
        here.do_send(event);
        return;
    }
    match serde_json::to_vec(&event) {
        Ok(payload) => {
            if let Err(err) = bus.publish(&channel(prefix, node), payload).await {
                log::error!(
                    "could not tell process {node} about ticket {}: {err:#}",
                    event.ticket
                );
            }
        }
        Err(err) => log::error!("could not encode an event: {err}"),
    }
}

/// Forwards what arrives on this process's channel to the queue actor.
pub struct NodeBus {
    pub queue: Addr<QueueActor>,
    pub receiver: Option<tokio::sync::mpsc::UnboundedReceiver<Vec<u8>>>,
}

struct Payload(Vec<u8>);

impl Actor for NodeBus {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        if let Some(receiver) = self.receiver.take() {
            ctx.add_stream(futures_util::stream::unfold(
                receiver,
                |mut rx| async move { rx.recv().await.map(|payload| (Payload(payload), rx)) },
            ));
        }
    }
}

impl StreamHandler<Payload> for NodeBus {
    fn handle(&mut self, Payload(payload): Payload, _ctx: &mut Self::Context) {
        match serde_json::from_slice::<NodeEvent>(&payload) {
            Ok(event) => self.queue.do_send(event),
            Err(err) => log::warn!("ignoring an unreadable bus message: {err}"),
        }
    }
}
