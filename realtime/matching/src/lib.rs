//! PeerPrep matching service: users ask over a websocket to be matched on topics and a
//! difficulty; a queue shared by every process (Redis) pairs them, and each pair gets a
//! room and a question.

pub mod actors;
pub mod protocol;
pub mod rooms;
pub mod routes;
pub mod rules;
pub mod services;
pub mod settings;
pub mod startup;
pub mod store;
