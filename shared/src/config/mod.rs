//! Settings read once from environment variables, with working local defaults.
//!
//! A service builds its own typed `Settings` from an [`EnvReader`] and passes it down by
//! value; nothing reads the environment later, so tests build settings from a plain map and
//! run in parallel. Every problem (an unparsable value, a secret missing in production) is
//! collected, and [`EnvReader::finish`] reports them all at once, naming each variable.

use std::time::Duration;

pub use secrecy::{ExposeSecret, SecretString};

mod reader;
pub use reader::{ConfigError, EnvReader, Environment};

/// How the HTTP server listens and stops.
#[derive(Debug, Clone)]
pub struct ServerSettings {
    pub environment: Environment,
    pub host: String,
    /// 0 asks the OS for a free port (tests).
    pub port: u16,
    pub workers: usize,
    /// How long SIGTERM waits for in-flight requests before closing.
    pub shutdown_timeout: Duration,
    /// Off in tests, where many servers share one process.
    pub handle_signals: bool,
}

/// HTTP worker threads by default: a CRUD service answers requests on every core it has.
pub const DEFAULT_WORKERS: usize = 2;
/// A real-time service's default: one worker, so that every session and every room actor
/// of the process share one thread and an edit or a message wakes no other (`make bench`:
/// about half the CPU per edit of two workers). It scales out by processes (tasks).
pub const REALTIME_WORKERS: usize = 1;

impl ServerSettings {
    /// `HOST`, `PORT`, `WORKERS` ([`DEFAULT_WORKERS`]), `SHUTDOWN_TIMEOUT_SECS`.
    pub fn from_env(env: &mut EnvReader, default_port: u16) -> Self {
        Self::from_env_with_workers(env, default_port, DEFAULT_WORKERS)
    }

    /// The same, with another default number of workers.
    pub fn from_env_with_workers(
        env: &mut EnvReader,
        default_port: u16,
        default_workers: usize,
    ) -> Self {
        let default_host = if env.environment().is_production() {
            "0.0.0.0"
        } else {
            "127.0.0.1"
        };
        let host = env.string("HOST", default_host);
        if !env.environment_is_explicit() && !is_loopback(&host) {
            // The development defaults (admin password, internal token, cookies without
            // `Secure`) must never be reachable from the network by omission.
            env.problem(format!(
                "HOST={host} listens beyond this machine but ENVIRONMENT is not set: set \
                 ENVIRONMENT=production (secrets required, Secure cookies), or \
                 ENVIRONMENT=development to accept the development defaults on this address, \
                 or HOST=127.0.0.1"
            ));
        }
        Self {
            environment: env.environment(),
            host,
            port: env.parse("PORT", default_port),
            workers: env.parse("WORKERS", default_workers),
            shutdown_timeout: env.seconds("SHUTDOWN_TIMEOUT_SECS", Duration::from_secs(30)),
            handle_signals: true,
        }
    }
}

/// `localhost` or a loopback address (`127.0.0.0/8`, `::1`, bracketed or not).
pub fn is_loopback(host: &str) -> bool {
    let host = host.trim();
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Where the service's PostgreSQL database is.
#[derive(Debug, Clone)]
pub struct DatabaseSettings {
    pub url: SecretString,
    pub max_connections: usize,
}

impl DatabaseSettings {
    /// `DATABASE_URL`, defaulting to the local server's `database`.
    pub fn from_env(env: &mut EnvReader, database: &str) -> Self {
        let default_url = format!("postgres://postgres:postgres@127.0.0.1:5432/{database}");
        Self {
            url: env.secret("DATABASE_URL", &default_url),
            max_connections: env.parse("DATABASE_MAX_CONNECTIONS", 10),
        }
    }
}

/// Logging and error reporting.
#[derive(Debug, Clone)]
pub struct TelemetrySettings {
    pub service: &'static str,
    pub environment: Environment,
    pub sentry_dsn: Option<SecretString>,
}

impl TelemetrySettings {
    pub fn from_env(env: &mut EnvReader, service: &'static str) -> Self {
        Self {
            service,
            environment: env.environment(),
            sentry_dsn: env.optional("SENTRY_DSN").map(SecretString::from),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_network_bind_without_environment_is_refused_naming_both_variables() {
        for host in ["0.0.0.0", "::", "10.0.1.7", "peerprep.internal"] {
            let mut env = EnvReader::from_vars([("HOST", host)]);
            ServerSettings::from_env(&mut env, 8001);
            let message = env.finish().expect_err(host).to_string();
            assert!(message.contains(&format!("HOST={host}")), "{message}");
            assert!(message.contains("ENVIRONMENT is not set"), "{message}");
        }
    }

    #[test]
    fn loopback_binds_need_no_environment() {
        for host in [
            "127.0.0.1",
            "127.0.0.53",
            "::1",
            "[::1]",
            "localhost",
            "LOCALHOST",
        ] {
            let mut env = EnvReader::from_vars([("HOST", host)]);
            let server = ServerSettings::from_env(&mut env, 8001);
            assert_eq!(server.host, host);
            assert!(env.finish().is_ok(), "{host}");
        }
        let mut env = EnvReader::from_vars::<&str, &str>([]);
        assert_eq!(ServerSettings::from_env(&mut env, 8001).host, "127.0.0.1");
        assert!(env.finish().is_ok());
    }

    #[test]
    fn an_explicit_environment_may_bind_to_the_network() {
        for environment in ["development", "production"] {
            let mut env = EnvReader::from_vars([("HOST", "0.0.0.0"), ("ENVIRONMENT", environment)]);
            let server = ServerSettings::from_env(&mut env, 8001);
            assert_eq!(server.host, "0.0.0.0");
            assert!(env.finish().is_ok(), "{environment}");
        }
        let mut env = EnvReader::from_vars([("ENVIRONMENT", "production")]);
        assert_eq!(ServerSettings::from_env(&mut env, 8001).host, "0.0.0.0");
    }
}
