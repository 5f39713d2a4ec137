//! PeerPrep history service: every attempt, per user, and the statistics over them.

pub mod attempt;
pub mod repository;
pub mod routes;
pub mod settings;
pub mod startup;
pub mod stats;
