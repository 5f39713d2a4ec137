//! PeerPrep user service: accounts, log-in sessions and the tokens every service trusts.

pub mod bootstrap;
pub mod current_user;
pub mod password;
pub mod purge;
pub mod rate_limit;
pub mod repository;
pub mod routes;
pub mod settings;
pub mod startup;
pub mod state;
pub mod tokens;
pub mod validation;
