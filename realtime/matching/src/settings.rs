//! The matching service's settings, read once from the environment (see `.env.sample`).

use std::time::Duration;

use shared::auth::{ServiceToken, VerifierSettings};
use shared::client::ClientSettings;
use shared::config::{ConfigError, DatabaseSettings, EnvReader, ServerSettings, TelemetrySettings};
use toolkit::settings::RealtimeSettings;

use crate::rules::Relaxation;

pub const DEFAULT_PORT: u16 = 8003;

#[derive(Clone)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub telemetry: TelemetrySettings,
    pub auth: VerifierSettings,
    pub service_token: ServiceToken,
    /// Redis (the shared queue; unset: one process alone, the queue in memory), this
    /// process's node id, allowed origins.
    pub realtime: RealtimeSettings,
    /// Where a pair's question comes from.
    pub question: ClientSettings,
    /// Asked which questions each user of a pair has attempted.
    pub history: ClientSettings,
    pub queue: QueueSettings,
}

/// How long users wait, and how the search widens.
#[derive(Debug, Clone)]
pub struct QueueSettings {
    /// A user alone is told `timeout` after this.
    pub timeout: Duration,
    pub relax: Relaxation,
    /// How often the matchmaker runs (it also runs at every join).
    pub tick: Duration,
}

impl Settings {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_reader(EnvReader::from_process())
    }

    pub fn from_reader(mut env: EnvReader) -> Result<Self, ConfigError> {
        let settings = Self {
            server: ServerSettings::from_env_with_workers(
                &mut env,
                DEFAULT_PORT,
                shared::config::REALTIME_WORKERS,
            ),
            database: DatabaseSettings::from_env(&mut env, "matching_db"),
            telemetry: TelemetrySettings::from_env(&mut env, "matching-service"),
            auth: VerifierSettings::from_env(&mut env),
            service_token: ServiceToken::from_env(&mut env),
            realtime: RealtimeSettings::from_env(&mut env, "matching"),
            question: ClientSettings::from_env(
                &env,
                "QUESTION_SERVICE_URL",
                "http://127.0.0.1:8002",
            ),
            history: ClientSettings::from_env(&env, "HISTORY_SERVICE_URL", "http://127.0.0.1:8004"),
            queue: QueueSettings {
                timeout: env.seconds("MATCH_TIMEOUT_SECS", Duration::from_secs(60)),
                relax: Relaxation {
                    difficulty_after: env
                        .seconds("RELAX_DIFFICULTY_AFTER_SECS", Duration::from_secs(20)),
                    topics_after: env.seconds("RELAX_TOPICS_AFTER_SECS", Duration::from_secs(40)),
                },
                tick: Duration::from_millis(env.parse("MATCH_TICK_MILLIS", 200)),
            },
        };
        env.finish()?;
        Ok(settings)
    }
}
