//! The history service's settings, read once from the environment (see `.env.sample`).

use shared::auth::{ServiceToken, VerifierSettings};
use shared::config::{ConfigError, DatabaseSettings, EnvReader, ServerSettings, TelemetrySettings};

pub const DEFAULT_PORT: u16 = 8004;

#[derive(Clone)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub telemetry: TelemetrySettings,
    pub auth: VerifierSettings,
    /// What internal callers must send in `X-Service-Token`.
    pub service_token: ServiceToken,
}

impl Settings {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_reader(EnvReader::from_process())
    }

    pub fn from_reader(mut env: EnvReader) -> Result<Self, ConfigError> {
        let settings = Self {
            server: ServerSettings::from_env(&mut env, DEFAULT_PORT),
            database: DatabaseSettings::from_env(&mut env, "history_db"),
            telemetry: TelemetrySettings::from_env(&mut env, "history-service"),
            auth: VerifierSettings::from_env(&mut env),
            service_token: ServiceToken::from_env(&mut env),
        };
        env.finish()?;
        Ok(settings)
    }
}
