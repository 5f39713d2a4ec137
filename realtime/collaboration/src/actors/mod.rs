//! The collaboration service's actors: a [`room::RoomActor`] per open room holding its
//! document and awareness, the [`registry::Registry`] that opens and retires rooms, and the
//! websocket sessions (the toolkit's session actor), whose collaboration part is
//! [`session::Editor`]. Rooms fan out over the bus.

pub mod registry;
pub mod room;
pub mod session;
