//! The user service, started for real on port 0 against a fresh PostgreSQL database per test.

mod admin;
mod helpers;
mod login;
mod logout;
mod logs;
mod me;
mod memory;
mod migrate;
mod operations;
mod password;
mod process;
mod purge;
mod refresh;
mod revocation;
mod signup;
mod tokens;
