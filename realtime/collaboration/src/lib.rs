//! PeerPrep collaboration service: two members edit one Yjs document in real time over the
//! y-websocket protocol; every accepted edit is stored before it is sent on.

pub mod actors;
pub mod history;
pub mod rooms;
pub mod routes;
pub mod settings;
pub mod startup;
pub mod store;
pub mod sync;
