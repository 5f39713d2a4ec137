//! The collaboration service's actors: a [`room::RoomActor`] per open room holding its
//! document and awareness (opened and retired by the toolkit's registry, [`Registry`]), and
//! the websocket sessions (the toolkit's session actor), whose collaboration part is
//! [`session::Editor`]. Rooms fan out over the bus.

pub mod room;
pub mod session;

/// This process's open rooms.
pub type Registry = toolkit::registry::Registry<room::RoomActor>;
