//! The matching service's settings, read once from the environment (see `.env.sample`).

use std::time::Duration;

use shared::auth::{ServiceToken, VerifierSettings};
use shared::config::{
    ConfigError, DatabaseSettings, EnvReader, SecretString, ServerSettings, TelemetrySettings,
};
use shared::http::AllowedOrigins;

use crate::actors::queue::QueueSettings;
use crate::rules::Relaxation;
use crate::services::ServiceUrls;

pub const DEFAULT_PORT: u16 = 8003;

#[derive(Clone)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub telemetry: TelemetrySettings,
    pub auth: VerifierSettings,
    pub service_token: ServiceToken,
    pub origins: AllowedOrigins,
    /// Unset: one process alone, with the queue in memory.
    pub redis_url: Option<SecretString>,
    /// Prepended to every Redis key and channel (tests use one per test).
    pub redis_prefix: String,
    /// This process's name in the shared queue; unique per process.
    pub node_id: String,
    pub services: ServiceUrls,
    pub queue: QueueSettings,
}

impl Settings {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_reader(EnvReader::from_process())
    }

    pub fn from_reader(mut env: EnvReader) -> Result<Self, ConfigError> {
        let settings = Self {
            server: ServerSettings::from_env(&mut env, DEFAULT_PORT),
            database: DatabaseSettings::from_env(&mut env, "matching_db"),
            telemetry: TelemetrySettings::from_env(&mut env, "matching-service"),
            auth: VerifierSettings::from_env(&mut env),
            service_token: ServiceToken::from_env(&mut env),
            origins: AllowedOrigins::from_env(&mut env),
            redis_url: env.optional("REDIS_URL").map(SecretString::from),
            redis_prefix: format!("{}matching:", env.string("REDIS_KEY_PREFIX", "peerprep:")),
            node_id: env.string("NODE_ID", &uuid::Uuid::new_v4().simple().to_string()),
            services: ServiceUrls {
                question: env
                    .string("QUESTION_SERVICE_URL", "http://127.0.0.1:8002")
                    .trim_end_matches('/')
                    .to_owned(),
                history: env
                    .string("HISTORY_SERVICE_URL", "http://127.0.0.1:8004")
                    .trim_end_matches('/')
                    .to_owned(),
            },
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
