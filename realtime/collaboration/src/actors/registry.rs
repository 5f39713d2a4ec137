//! Opens rooms on first use and forgets them when they retire.

use std::collections::HashMap;

use actix::prelude::*;
use uuid::Uuid;

use super::room::{Restart, RoomActor, RoomParts};
use crate::rooms::RoomInfo;

/// The room's actor, started (and its document loaded) if it is not open yet.
#[derive(Message)]
#[rtype(result = "Addr<RoomActor>")]
pub struct Open {
    pub room: RoomInfo,
}

/// A room with no sessions for its grace period unloads itself.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Retire {
    pub room: Uuid,
    pub addr: Addr<RoomActor>,
}

/// The process is shutting down: every room closes its sessions with 1012. Answers with the
/// number of rooms told.
#[derive(Message)]
#[rtype(result = "usize")]
pub struct CloseAll;

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
        let addr = RoomActor::new(open.room, self.parts.clone(), ctx.address()).start();
        self.rooms.insert(id, addr.clone());
        metrics::gauge!("collaboration_rooms_open").set(self.rooms.len() as f64);
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
            metrics::gauge!("collaboration_rooms_open").set(self.rooms.len() as f64);
        }
    }
}

impl Handler<CloseAll> for Registry {
    type Result = usize;

    fn handle(&mut self, _: CloseAll, _ctx: &mut Self::Context) -> usize {
        for room in self.rooms.values() {
            room.do_send(Restart);
        }
        self.rooms.len()
    }
}
