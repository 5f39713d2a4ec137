//! Opens rooms on first use and forgets them when they retire.

use std::collections::HashMap;

use actix::prelude::*;
use shared::contract::Room;
use uuid::Uuid;

use super::room::{Retire, RoomActor, RoomParts};

/// The room's actor, started (and its document loaded) if it is not open yet.
#[derive(Message)]
#[rtype(result = "Addr<RoomActor>")]
pub struct Open {
    pub room: Room,
}

/// How many rooms this process has open (tests wait on it).
#[derive(Message)]
#[rtype(result = "usize")]
pub struct OpenRooms;

pub struct Registry {
    rooms: HashMap<Uuid, Addr<RoomActor>>,
    parts: RoomParts,
}

impl Registry {
    pub fn new(parts: RoomParts) -> Self {
        Self {
            rooms: HashMap::new(),
            parts,
        }
    }

    fn count(&self) {
        metrics::gauge!("collaboration_rooms_open").set(self.rooms.len() as f64);
    }
}

impl Actor for Registry {
    type Context = Context<Self>;
}

impl Handler<Open> for Registry {
    type Result = MessageResult<Open>;

    fn handle(&mut self, open: Open, ctx: &mut Self::Context) -> Self::Result {
        let id = open.room.id;
        if let Some(addr) = self.rooms.get(&id).filter(|addr| addr.connected()) {
            return MessageResult(addr.clone());
        }
        let retire = ctx.address().recipient();
        let addr = RoomActor::new(open.room, self.parts.clone(), retire).start();
        self.rooms.insert(id, addr.clone());
        self.count();
        MessageResult(addr)
    }
}

impl Handler<Retire> for Registry {
    type Result = ();

    fn handle(&mut self, retire: Retire, _ctx: &mut Self::Context) {
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

impl Handler<OpenRooms> for Registry {
    type Result = usize;

    fn handle(&mut self, _: OpenRooms, _ctx: &mut Self::Context) -> usize {
        self.rooms.values().filter(|addr| addr.connected()).count()
    }
}
