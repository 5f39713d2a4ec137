//! The matching service over real websockets, with the real question and history services,
//! each on port 0 against its own fresh database.

mod helpers;
mod matching;
mod process;
mod shared_queue;
mod upgrades;
