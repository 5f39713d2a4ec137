//! PeerPrep question service: the question bank, its search, and the pick matching uses.

pub mod question;
pub mod repository;
pub mod routes;
pub mod seed;
pub mod settings;
pub mod startup;
