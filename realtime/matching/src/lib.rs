//! PeerPrep matching service: users ask over a websocket to be matched on topics and a
//! difficulty; a queue shared by every process (Redis) pairs them, and each pair gets a
//! room and a question.
//!
//! - [`rules`]: who may be matched with whom (pure).
//! - [`waiting`]: one process's searches, a state per session (pure).
//! - [`matchmaker`]: a round over the queue and a claimed pair made into a room (async
//!   functions over the store, the other services and the rooms table).
//! - [`store`]: the shared queue (Redis Lua scripts, or memory).
//! - [`actors`]: the queue actor and the websocket sessions' protocol.
//! - [`topics`]: the question bank's topics, so that a join on one it lacks is refused.
//! - [`notice`]: what processes tell each other about tickets, over the bus.
//! - [`protocol`]: the websocket's JSON messages.

pub mod actors;
pub mod matchmaker;
pub mod notice;
pub mod protocol;
pub mod rooms;
pub mod routes;
pub mod rules;
pub mod services;
pub mod settings;
pub mod startup;
pub mod store;
pub mod topics;
pub mod waiting;
