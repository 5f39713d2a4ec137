//! The question service, started for real on port 0 against a fresh database per test.

mod admin;
mod browse;
mod ended_sessions;
mod helpers;
mod migrate;
mod pick;
