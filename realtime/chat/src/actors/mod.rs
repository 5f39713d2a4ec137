//! The chat service's actors: a [`room::RoomActor`] per open room (its members, messages in
//! order, presence), opened and retired by the toolkit's registry ([`Registry`]), and the
//! websocket sessions (the toolkit's session actor), whose chat part is
//! [`session::Chatter`].

pub mod room;
pub mod session;

/// This process's open rooms.
pub type Registry = toolkit::registry::Registry<room::RoomActor>;
