//! The user service, started for real on port 0 against a fresh PostgreSQL database per test.

mod admin;
mod helpers;
mod login;
mod logout;
mod me;
mod operations;
mod password;
mod process;
mod refresh;
mod signup;
mod tokens;
