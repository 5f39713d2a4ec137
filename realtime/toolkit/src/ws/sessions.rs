//! Every open websocket session of one process: counted in the `websockets_open` gauge,
//! closed all at once with 1012 when the process is told to stop, and closed with 1008 when
//! the log-in they were opened with ends (the user service announces it).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use actix::Recipient;
use shared::auth::{DenyList, SessionsEnded};
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;

use super::close::Close;
use super::outgoing::{Outgoing, SessionId};

/// Whose a websocket is: the user, and the log-in session (the token's `sid`) it was
/// opened with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner {
    pub user: Uuid,
    pub login: Uuid,
}

struct Open {
    owner: Owner,
    session: Recipient<Outgoing>,
}

#[derive(Clone)]
pub struct Sessions {
    service: &'static str,
    open: Arc<Mutex<HashMap<SessionId, Open>>>,
}

impl Sessions {
    /// `service` labels the gauge and the logs. The sessions of every log-in that `ended`
    /// hears of are closed (`JwtVerifier::ended_sessions`).
    pub fn new(service: &'static str, ended: &DenyList) -> Self {
        let sessions = Self {
            service,
            open: Arc::default(),
        };
        let mut endings = ended.watch();
        let watcher = sessions.clone();
        actix_web::rt::spawn(async move {
            loop {
                match endings.recv().await {
                    Ok(ended) => {
                        watcher.close_ended(&ended);
                    }
                    Err(RecvError::Lagged(missed)) => {
                        log::warn!("{missed} ended log-ins were missed by the websocket watcher");
                    }
                    Err(RecvError::Closed) => break,
                }
            }
        });
        sessions
    }

    /// Closes the websockets opened with these log-ins. Returns how many were told.
    pub fn close_ended(&self, ended: &SessionsEnded) -> usize {
        let open = self.lock();
        let mut told = 0;
        for open in open.values() {
            if open.owner.user == ended.user && ended.sessions.contains(&open.owner.login) {
                open.session
                    .do_send(Outgoing::Close(Close::session_ended()));
                told += 1;
            }
        }
        if told > 0 {
            log::info!("closed {told} {} sessions whose log-in ended", self.service);
        }
        told
    }

    pub fn service(&self) -> &'static str {
        self.service
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<SessionId, Open>> {
        // Inserts and removals cannot leave the map half-changed.
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn add(&self, id: SessionId, owner: Owner, session: Recipient<Outgoing>) {
        self.lock().insert(id, Open { owner, session });
        metrics::gauge!("websockets_open", "service" => self.service).increment(1.0);
    }

    pub(super) fn remove(&self, id: SessionId) {
        if self.lock().remove(&id).is_some() {
            metrics::gauge!("websockets_open", "service" => self.service).decrement(1.0);
        }
    }

    /// How many of this process's websockets `user` holds.
    pub fn held_by(&self, user: Uuid) -> usize {
        self.lock()
            .values()
            .filter(|open| open.owner.user == user)
            .count()
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
        for open in open.values() {
            open.session.do_send(Outgoing::Close(Close::restarting()));
        }
        log::info!(
            "told {} {} sessions to reconnect elsewhere",
            open.len(),
            self.service
        );
        open.len()
    }
}
