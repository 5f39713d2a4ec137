//! How a service's actors reach one session's client, with a bound on what waits for it.
//!
//! A websocket's session actor runs only while its connection is being written: a client
//! that stops reading stops its session, and whatever the service sends it would wait in
//! memory for as long as the connection lives. So sends are counted until the session
//! handles them; once a client is [`Limits::max_backlog`](super::Limits) behind, it is sent
//! one last close (1008, "too slow") and nothing more, and it has to reconnect (and catch
//! up the way reconnecting clients do).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use actix::Recipient;

use super::close::Close;
use super::outgoing::Outgoing;

#[derive(Clone, Debug)]
pub struct Client {
    session: Recipient<Outgoing>,
    backlog: Arc<AtomicUsize>,
    limit: usize,
}

impl Client {
    pub(super) fn new(session: Recipient<Outgoing>, limit: usize) -> Self {
        Self {
            session,
            backlog: Arc::default(),
            limit,
        }
    }

    /// Queues a frame (or close) for the client, unless it has fallen too far behind.
    pub fn send(&self, outgoing: Outgoing) {
        let waiting = self.backlog.fetch_add(1, Ordering::Relaxed);
        if waiting < self.limit {
            self.session.do_send(outgoing);
        } else if waiting == self.limit {
            log::info!("a client stopped reading {waiting} frames ago; closing it");
            self.session.do_send(Outgoing::Close(Close::too_slow()));
        }
    }

    /// Whether the client fell too far behind (it is being closed).
    pub fn is_behind(&self) -> bool {
        self.backlog.load(Ordering::Relaxed) >= self.limit
    }

    /// The session handled one send (never below zero: a close on SIGTERM comes without
    /// one).
    pub(super) fn handled(&self) {
        let _ = self
            .backlog
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1));
    }
}

#[cfg(test)]
mod tests {
    use actix::prelude::*;
    use tokio::sync::oneshot;

    use super::*;

    /// A session that handles nothing until its gate opens: what a client that stopped
    /// reading leaves behind. Counts what it is finally given.
    struct Stuck {
        gate: Option<oneshot::Receiver<()>>,
        given: Arc<std::sync::Mutex<Vec<Outgoing>>>,
    }

    impl Actor for Stuck {
        type Context = Context<Self>;

        fn started(&mut self, ctx: &mut Self::Context) {
            if let Some(gate) = self.gate.take() {
                ctx.wait(
                    async move {
                        let _ = gate.await;
                    }
                    .into_actor(self),
                );
            }
        }
    }

    impl Handler<Outgoing> for Stuck {
        type Result = ();

        fn handle(&mut self, outgoing: Outgoing, _: &mut Self::Context) {
            self.given
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(outgoing);
        }
    }

    #[actix::test]
    async fn a_client_that_stopped_reading_gets_a_bounded_amount_then_one_close() {
        let (open, gate) = oneshot::channel();
        let given = Arc::default();
        let stuck = Stuck {
            gate: Some(gate),
            given: Arc::clone(&given),
        };
        let client = Client::new(stuck.start().recipient(), 3);
        for _ in 0..1000 {
            client.send(Outgoing::Text("x".into()));
        }
        assert!(client.is_behind());
        open.send(()).expect("the session waits");
        let given = shared::testing::eventually(
            "the session handled what it was given",
            std::time::Duration::from_secs(5),
            || async {
                let given = given.lock().expect("lock").clone();
                (given.len() == 4).then_some(given)
            },
        )
        .await;
        assert!(
            matches!(&given[3], Outgoing::Close(close) if close.code == Close::too_slow().code)
        );
    }

    #[actix::test]
    async fn handled_frames_make_room_for_more() {
        let (_open, gate) = oneshot::channel();
        let stuck = Stuck {
            gate: Some(gate),
            given: Arc::default(),
        };
        let client = Client::new(stuck.start().recipient(), 2);
        client.send(Outgoing::Text("a".into()));
        client.send(Outgoing::Text("b".into()));
        assert!(client.is_behind());
        client.handled();
        assert!(!client.is_behind());
    }
}
