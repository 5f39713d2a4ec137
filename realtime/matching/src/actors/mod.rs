//! The matching service's actors: the [`queue::QueueActor`], one per process, holding this
//! process's searches; and the websocket sessions (the toolkit's session actor), whose
//! matching part is [`session::Seeker`].

pub mod queue;
pub mod session;
