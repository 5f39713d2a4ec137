//! Every open websocket session of one process: counted in the `websockets_open` gauge, and
//! closed all at once with 1012 when the process is told to stop.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use actix::Recipient;

use super::close::Close;
use super::outgoing::{Outgoing, SessionId};

#[derive(Clone)]
pub struct Sessions {
    service: &'static str,
    open: Arc<Mutex<HashMap<SessionId, Recipient<Outgoing>>>>,
}

impl Sessions {
    /// `service` labels the gauge and the logs.
    pub fn new(service: &'static str) -> Self {
        Self {
            service,
            open: Arc::default(),
        }
    }

    pub fn service(&self) -> &'static str {
        self.service
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<SessionId, Recipient<Outgoing>>> {
        // Inserts and removals cannot leave the map half-changed.
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn add(&self, id: SessionId, session: Recipient<Outgoing>) {
        self.lock().insert(id, session);
        metrics::gauge!("websockets_open", "service" => self.service).increment(1.0);
    }

    pub(super) fn remove(&self, id: SessionId) {
        if self.lock().remove(&id).is_some() {
            metrics::gauge!("websockets_open", "service" => self.service).decrement(1.0);
        }
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Serves until SIGTERM/SIGINT; then closes every session with 1012 (clients reconnect
    /// to another process), runs `then` (what the service still has to save), and drains
    /// the requests in flight.
    pub async fn serve_until_stopped<F, Fut>(
        self,
        service: shared::http::Service,
        then: F,
    ) -> std::io::Result<()>
    where
        F: FnOnce() -> Fut + 'static,
        Fut: std::future::Future<Output = ()> + 'static,
    {
        service
            .run_until_stopped_with(move || async move {
                self.close_all();
                then().await;
            })
            .await
    }

    /// Closes every session with 1012 (clients reconnect to another process). Returns how
    /// many were told.
    pub fn close_all(&self) -> usize {
        let open = self.lock();
        for session in open.values() {
            session.do_send(Outgoing::Close(Close::restarting()));
        }
        log::info!(
            "told {} {} sessions to reconnect elsewhere",
            open.len(),
            self.service
        );
        open.len()
    }
}
