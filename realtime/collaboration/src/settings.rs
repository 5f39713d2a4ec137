//! The collaboration service's settings, read once from the environment (see `.env.sample`).

use std::time::Duration;

use shared::auth::{ServiceToken, VerifierSettings};
use shared::config::{ConfigError, EnvReader, SecretString, ServerSettings, TelemetrySettings};
use shared::http::AllowedOrigins;

pub const DEFAULT_PORT: u16 = 8005;

#[derive(Clone)]
pub struct Settings {
    pub server: ServerSettings,
    pub telemetry: TelemetrySettings,
    pub auth: VerifierSettings,
    pub service_token: ServiceToken,
    pub origins: AllowedOrigins,
    /// Unset: one process alone, documents in memory.
    pub redis_url: Option<SecretString>,
    pub redis_prefix: String,
    pub node_id: String,
    pub matching_url: String,
    pub history_url: String,
    /// How long a room without sessions stays loaded; a session nobody ended is recorded as
    /// abandoned once all its members have been gone this long.
    pub room_idle_grace: Duration,
}

impl Settings {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_reader(EnvReader::from_process())
    }

    pub fn from_reader(mut env: EnvReader) -> Result<Self, ConfigError> {
        let settings = Self {
            server: ServerSettings::from_env(&mut env, DEFAULT_PORT),
            telemetry: TelemetrySettings::from_env(&mut env, "collaboration-service"),
            auth: VerifierSettings::from_env(&mut env),
            service_token: ServiceToken::from_env(&mut env),
            origins: AllowedOrigins::from_env(&mut env),
            redis_url: env.optional("REDIS_URL").map(SecretString::from),
            redis_prefix: format!(
                "{}collaboration:",
                env.string("REDIS_KEY_PREFIX", "peerprep:")
            ),
            node_id: env.string("NODE_ID", &uuid::Uuid::new_v4().simple().to_string()),
            matching_url: env
                .string("MATCHING_SERVICE_URL", "http://127.0.0.1:8003")
                .trim_end_matches('/')
                .to_owned(),
            history_url: env
                .string("HISTORY_SERVICE_URL", "http://127.0.0.1:8004")
                .trim_end_matches('/')
                .to_owned(),
            room_idle_grace: env.seconds("ROOM_IDLE_GRACE_SECS", Duration::from_secs(120)),
        };
        env.finish()?;
        Ok(settings)
    }
}
