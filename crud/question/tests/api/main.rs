//! The question service, started for real on port 0 against a fresh database per test.

mod admin;
mod browse;
mod helpers;
mod pick;
