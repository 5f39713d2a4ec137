//! TLS to PostgreSQL and Redis against servers of the tests' own, with a self-signed CA:
//! what `sslmode=require`, `verify-ca`, `verify-full` and `rediss://` accept and refuse.

mod postgres;
mod redis;
mod servers;
