//! One per process: the rooms a room-based service (collaboration, chat) has open, each an
//! actor of its own. A room is opened on first use and forgets itself ([`Retire`]) when it
//! unloads; the registry only keeps the map, so that every session of a room on this
//! process reaches the same actor.

use std::collections::HashMap;
use std::marker::PhantomData;

use actix::prelude::*;
use shared::ApiError;
use shared::contract::Room;
use uuid::Uuid;

/// An actor that serves one room.
pub trait ServesRoom: Actor<Context = Context<Self>> {
    /// What every room of a process shares (stores, the bus, settings).
    type Parts: Clone + Unpin + 'static;

    /// The room's actor; it sends `registry` a [`Retire`] when it unloads.
    fn new(room: Room, parts: Self::Parts, registry: Recipient<Retire<Self>>) -> Self;
}

/// The room's actor, started if it is not open yet.
pub struct Open<R> {
    pub room: Room,
    kind: PhantomData<fn() -> R>,
}

impl<R> Open<R> {
    pub fn new(room: Room) -> Self {
        Self {
            room,
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
        let addr = R::new(open.room, self.parts.clone(), retire).start();
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
