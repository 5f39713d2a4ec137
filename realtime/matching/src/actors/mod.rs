//! The matching service's actors: a [`session::Session`] per websocket, one
//! [`queue::QueueActor`] per process owning that process's waiting sessions and timers, and
//! a [`bus::NodeBus`] bridging the process's Redis channel to the queue actor.

pub mod bus;
pub mod queue;
pub mod session;
