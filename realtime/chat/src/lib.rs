//! PeerPrep chat service: the members of a room talk over a websocket; every message is
//! stored before anyone is told of it, reaches every member in order exactly once (across
//! processes, over the bus, repaired from the store when a publish is missed), and is kept
//! for good in the transcript.
//!
//! - [`protocol`]: the websocket's JSON frames and the rules of a message (pure).
//! - [`order`]: delivery in order, exactly once, with gaps found (pure).
//! - [`presence`]: who is online across processes (pure).
//! - [`store`]: the live log (a Redis stream per room, or memory).
//! - [`transcript`]: the messages kept for good (`chat_db`).
//! - [`flush`]: the log copied into the transcript; a room's messages read from both.
//! - [`fanout`]: what a room tells the same room on other processes.
//! - [`actors`]: the room, the registry of rooms, and the websocket sessions' protocol.

pub mod actors;
pub mod fanout;
pub mod flush;
pub mod order;
pub mod presence;
pub mod protocol;
pub mod routes;
pub mod settings;
pub mod startup;
pub mod store;
pub mod transcript;
