//! The chat service's actors: a [`room::RoomActor`] per open room (its members, messages in
//! order, presence), the [`registry::Registry`] that opens and retires rooms and copies
//! abandoned logs into the transcript, and the websocket sessions (the toolkit's session
//! actor), whose chat part is [`session::Chatter`].

pub mod registry;
pub mod room;
pub mod session;
