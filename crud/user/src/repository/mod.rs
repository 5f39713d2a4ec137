//! SQL, one module per table family. Functions take any client or transaction.

pub mod login_failures;
pub mod sessions;
pub mod users;
