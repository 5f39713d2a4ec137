//! Opens rooms on first use and forgets them when they retire. Also the process's sweeper:
//! rooms whose newest messages have waited too long for the transcript (the process that
//! would have copied them was killed) are copied from here.

use std::collections::HashMap;
use std::time::Duration;

use actix::prelude::*;
use shared::contract::Room;
use uuid::Uuid;

use super::room::{FlushNow, Retire, RoomActor, RoomParts};
use crate::flush;

/// How often the sweeper looks, and how long messages must have waited to be its business
/// (a live room copies them within about a second).
const SWEEP_EVERY: Duration = Duration::from_secs(5);
const SWEEP_AFTER: Duration = Duration::from_secs(10);

/// The room's actor, started if it is not open yet.
#[derive(Message)]
#[rtype(result = "Addr<RoomActor>")]
pub struct Open {
    pub room: Room,
}

/// How many rooms this process has open (tests wait on it).
#[derive(Message)]
#[rtype(result = "usize")]
pub struct OpenRooms;

/// The process is stopping: every open room copies to the transcript. Answers when done.
#[derive(Message)]
#[rtype(result = "()")]
pub struct FlushAll;

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
        metrics::gauge!("chat_rooms_open").set(self.rooms.len() as f64);
    }

    fn sweep(&mut self, _ctx: &mut Context<Self>) {
        let (log, pool) = (self.parts.log.clone(), self.parts.pool.clone());
        actix::spawn(async move {
            let older_than = chrono::Utc::now().timestamp_millis()
                - i64::try_from(SWEEP_AFTER.as_millis()).unwrap_or(i64::MAX);
            let rooms = match log.waiting_rooms(older_than).await {
                Ok(rooms) => rooms,
                Err(err) => {
                    log::warn!("sweeper: {err:#}");
                    return;
                }
            };
            for room in rooms {
                match flush::flush(&log, &pool, room, None).await {
                    Ok(upto) => log::info!("sweeper: room {room} copied up to {upto}"),
                    Err(err) => log::warn!("sweeper: room {room}: {err:#}"),
                }
            }
        });
    }
}

impl Actor for Registry {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        ctx.run_interval(SWEEP_EVERY, Self::sweep);
    }
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

impl Handler<FlushAll> for Registry {
    type Result = ResponseFuture<()>;

    fn handle(&mut self, _: FlushAll, _ctx: &mut Self::Context) -> Self::Result {
        let rooms: Vec<Addr<RoomActor>> = self.rooms.values().cloned().collect();
        Box::pin(async move {
            futures_util::future::join_all(rooms.iter().map(|room| room.send(FlushNow))).await;
        })
    }
}
