//! The history service, started for real on port 0 against a fresh database per test.

mod attempts;
mod helpers;
mod internal;
mod migrate;
mod record;
mod stats;
