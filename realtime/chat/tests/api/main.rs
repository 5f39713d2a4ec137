//! The chat service with real websocket clients, a real matching service for membership,
//! real PostgreSQL and Redis, on one process and across two (child processes where a test
//! kills one).

mod chatting;
mod durability;
mod ended_sessions;
mod expiry;
mod helpers;
mod migrate;
mod refusals;
mod store_contract;
mod transcript;
