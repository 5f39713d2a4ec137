//! A user's attempts: the list and one attempt.

pub mod get;
pub mod list;
