//! The collaboration service's actors: a [`session::Session`] per websocket, a
//! [`room::RoomActor`] per open room holding its document and awareness, and the
//! [`registry::Registry`] that opens and retires rooms. Rooms fan out over the bus.

pub mod registry;
pub mod room;
pub mod session;
