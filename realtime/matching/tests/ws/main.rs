//! The matching service over real websockets, with the real question and history services,
//! each on port 0 against its own fresh database; and the queue stores' shared contract.

mod expiry;
mod helpers;
mod internal;
mod matching;
mod migrate;
mod process;
mod shared_queue;
mod store_contract;
mod upgrades;
