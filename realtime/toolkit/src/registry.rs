//! One per process: the rooms a room-based service (collaboration, chat) has open, each an
//! actor of its own. A room is opened on first use and forgets itself ([`Retire`]) when it
//! unloads; the registry only keeps the map, so that every session of a room on this
//! process reaches the same actor.
//!
//! A room's actor runs on the thread (arbiter) of the session that opened it, not on the
//! registry's: the sessions on that thread then reach their room without waking another
//! thread, which is most of what an edit or a message costs (`make bench`). With one HTTP
//! worker (`WORKERS=1`) every session of every room is on the room's thread.

use std::collections::HashMap;
use std::marker::PhantomData;

use actix::prelude::*;
use shared::ApiError;
use shared::contract::Room;
use uuid::Uuid;

/// An actor that serves one room.
pub trait ServesRoom: Actor<Context = Context<Self>> {
    /// What every room of a process shares (stores, the bus, settings).
    type Parts: Clone + Unpin + Send + 'static;

    /// The room's actor; it sends `registry` a [`Retire`] when it unloads.
    fn new(room: Room, parts: Self::Parts, registry: Recipient<Retire<Self>>) -> Self;
}

/// The room's actor, started (on `arbiter`) if it is not open yet.
pub struct Open<R> {
    pub room: Room,
    pub arbiter: ArbiterHandle,
    kind: PhantomData<fn() -> R>,
}

impl<R> Open<R> {
    /// Opens the room on the current thread's arbiter if it must be started.
    pub fn new(room: Room) -> Self {
        Self {
            room,
            arbiter: Arbiter::current(),
            kind: PhantomData,
        }
    }
}

impl<R: ServesRoom> Message for Open<R> {
    type Result = Addr<R>;
}

/// A room unloaded: the registry forgets it (unless a newer actor serves the room already).
pub struct Retire<R: Actor> {
    pub room: Uuid,
    pub addr: Addr<R>,
}

impl<R: Actor> Message for Retire<R> {
    type Result = ();
}

/// Every open room's actor (to tell them all something, or for tests to count them).
pub struct Rooms<R>(PhantomData<fn() -> R>);

impl<R> Default for Rooms<R> {
    fn default() -> Self {
        Self(PhantomData)
    }
}

impl<R: ServesRoom> Message for Rooms<R> {
    type Result = Vec<Addr<R>>;
}

pub struct Registry<R: ServesRoom> {
    service: &'static str,
    rooms: HashMap<Uuid, Addr<R>>,
    parts: R::Parts,
}

impl<R: ServesRoom> Registry<R> {
    /// `service` labels the `rooms_open` gauge.
    pub fn new(service: &'static str, parts: R::Parts) -> Self {
        Self {
            service,
            rooms: HashMap::new(),
            parts,
        }
    }

    fn count(&self) {
        metrics::gauge!("rooms_open", "service" => self.service).set(self.rooms.len() as f64);
    }
}

impl<R: ServesRoom> Actor for Registry<R> {
    type Context = Context<Self>;
}

impl<R: ServesRoom> Handler<Open<R>> for Registry<R> {
    type Result = MessageResult<Open<R>>;

    fn handle(&mut self, open: Open<R>, ctx: &mut Self::Context) -> Self::Result {
        let id = open.room.id;
        if let Some(addr) = self.rooms.get(&id).filter(|addr| addr.connected()) {
            return MessageResult(addr.clone());
        }
        let retire = ctx.address().recipient();
        let (room, parts) = (open.room, self.parts.clone());
        let addr = R::start_in_arbiter(&open.arbiter, move |_| R::new(room, parts, retire));
        self.rooms.insert(id, addr.clone());
        self.count();
        MessageResult(addr)
    }
}

impl<R: ServesRoom> Handler<Retire<R>> for Registry<R> {
    type Result = ();

    fn handle(&mut self, retire: Retire<R>, _ctx: &mut Self::Context) {
        if self
            .rooms
            .get(&retire.room)
            .is_some_and(|addr| *addr == retire.addr)
        {
            self.rooms.remove(&retire.room);
            self.count();
        }
    }
}

impl<R: ServesRoom> Handler<Rooms<R>> for Registry<R> {
    type Result = MessageResult<Rooms<R>>;

    fn handle(&mut self, _: Rooms<R>, _ctx: &mut Self::Context) -> Self::Result {
        MessageResult(
            self.rooms
                .values()
                .filter(|addr| addr.connected())
                .cloned()
                .collect(),
        )
    }
}

/// The room's actor on this process, opened if need be (for a route handler).
pub async fn open<R: ServesRoom>(
    registry: &Addr<Registry<R>>,
    room: Room,
) -> Result<Addr<R>, ApiError> {
    registry
        .send(Open::new(room))
        .await
        .map_err(|err| ApiError::unavailable(format!("the room cannot be opened now ({err})")))
}

#[cfg(test)]
mod tests {
    use std::thread::ThreadId;

    use super::*;

    /// A room actor that only knows which thread it runs on.
    struct Probe;

    impl Actor for Probe {
        type Context = Context<Self>;
    }

    impl ServesRoom for Probe {
        type Parts = ();

        fn new(_: Room, _: (), _: Recipient<Retire<Self>>) -> Self {
            Self
        }
    }

    #[derive(Message)]
    #[rtype(result = "ThreadId")]
    struct WhichThread;

    impl Handler<WhichThread> for Probe {
        type Result = MessageResult<WhichThread>;

        fn handle(&mut self, _: WhichThread, _: &mut Context<Self>) -> Self::Result {
            MessageResult(std::thread::current().id())
        }
    }

    fn room() -> Room {
        serde_json::from_value(serde_json::json!({
            "id": "00000000-0000-4000-8000-000000000001",
            "members": [],
            "question": {"id": "00000000-0000-4000-8000-000000000002", "slug": "odd-sums",
                         "title": "Odd Sums", "difficulty": "easy", "topics": ["math"]},
            "language": "python",
            "status": "active",
            "created_at": "2026-11-27T00:00:00Z"
        }))
        .expect("a room")
    }

    #[actix::test]
    async fn a_room_runs_on_the_thread_of_the_session_that_opened_it() {
        let registry = Registry::<Probe>::new("test", ()).start();
        let worker = Arbiter::new();
        let (opened, answer) = tokio::sync::oneshot::channel();
        let from_worker = registry.clone();
        assert!(worker.spawn(async move {
            let addr = open(&from_worker, room()).await;
            let _ = opened.send((std::thread::current().id(), addr));
        }));
        let (worker_thread, addr) = answer.await.expect("the worker answers");
        let addr = addr.expect("the room opens");
        assert_ne!(worker_thread, std::thread::current().id());
        assert_eq!(
            addr.send(WhichThread).await.expect("the room answers"),
            worker_thread,
            "the room's actor runs where the session that opened it runs"
        );
        let again = open(&registry, room()).await.expect("the room is open");
        assert_eq!(again, addr, "a session elsewhere reaches the same actor");
        worker.stop();
    }
}
