//! The question service's settings, read once from the environment (see `.env.sample`).

use shared::auth::VerifierSettings;
use shared::config::{ConfigError, DatabaseSettings, EnvReader, ServerSettings, TelemetrySettings};

pub const DEFAULT_PORT: u16 = 8002;

#[derive(Debug, Clone)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub telemetry: TelemetrySettings,
    pub auth: VerifierSettings,
    /// Load the shipped question bank at start-up (once per bank version).
    pub seed_questions: bool,
}

impl Settings {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_reader(EnvReader::from_process())
    }

    pub fn from_reader(mut env: EnvReader) -> Result<Self, ConfigError> {
        let settings = Self {
            server: ServerSettings::from_env(&mut env, DEFAULT_PORT),
            database: DatabaseSettings::from_env(&mut env, "question_db"),
            telemetry: TelemetrySettings::from_env(&mut env, "question-service"),
            auth: VerifierSettings::from_env(&mut env),
            seed_questions: env.parse("SEED_QUESTIONS", true),
        };
        env.finish()?;
        Ok(settings)
    }
}
