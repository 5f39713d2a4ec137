//! PeerPrep collaboration service: two members edit one Yjs document in real time over the
//! y-websocket protocol; every accepted edit is stored before it is sent on.
//!
//! - [`sync`]: the y-websocket protocol over one room's document (pure: a frame in, what
//!   to answer, store and broadcast out).
//! - [`store`]: the room's stream and snapshot in Redis (or memory), and presence.
//! - [`fanout`]: what a room tells the same room on other processes.
//! - [`catchup`]: how a room knows it missed a fan-out message, and reads it from the store.
//! - [`meta`]: what the document's `meta` map may say (language, status), and who says it.
//! - [`settle`]: which sessions ended, and which are due to be recorded (in Redis, so that
//!   a deploy or a crash loses none); [`settler`] records them, from any process.
//! - [`history`]: each member's attempt, recorded when the session ends.
//! - [`actors`]: the room, the registry of rooms, and the websocket sessions' protocol.

pub mod actors;
pub mod catchup;
pub mod fanout;
pub mod history;
pub mod meta;
pub mod routes;
pub mod settings;
pub mod settle;
pub mod settler;
pub mod startup;
pub mod store;
pub mod sync;
