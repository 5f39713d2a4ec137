//! The chat service's settings, read once from the environment (see `.env.sample`).

use std::time::Duration;

use shared::auth::{ServiceToken, VerifierSettings};
use shared::client::ClientSettings;
use shared::config::{ConfigError, DatabaseSettings, EnvReader, ServerSettings, TelemetrySettings};
use toolkit::settings::RealtimeSettings;

pub const DEFAULT_PORT: u16 = 8006;

#[derive(Clone)]
pub struct Settings {
    pub server: ServerSettings,
    /// `chat_db`: the transcript.
    pub database: DatabaseSettings,
    pub telemetry: TelemetrySettings,
    pub auth: VerifierSettings,
    pub service_token: ServiceToken,
    /// Redis (the live log and fan-out; unset: one process alone, the log in memory), this
    /// process's node id, allowed origins.
    pub realtime: RealtimeSettings,
    /// Asked who a room's members are.
    pub matching: ClientSettings,
    /// How long a room without sessions stays loaded.
    pub room_idle_grace: Duration,
    /// Frames (messages and typing) a session may send per second on average, and at once.
    pub messages_per_sec: f64,
    pub message_burst: f64,
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
            database: DatabaseSettings::from_env(&mut env, "chat_db"),
            telemetry: TelemetrySettings::from_env(&mut env, "chat-service"),
            auth: VerifierSettings::from_env(&mut env),
            service_token: ServiceToken::from_env(&mut env),
            realtime: RealtimeSettings::from_env(&mut env, "chat"),
            matching: ClientSettings::from_env(
                &env,
                "MATCHING_SERVICE_URL",
                "http://127.0.0.1:8003",
            ),
            room_idle_grace: env.seconds("ROOM_IDLE_GRACE_SECS", Duration::from_secs(120)),
            messages_per_sec: env.parse("CHAT_MESSAGES_PER_SEC", 5.0),
            message_burst: env.parse("CHAT_MESSAGE_BURST", 20.0),
        };
        if !(settings.messages_per_sec > 0.0 && settings.message_burst >= 1.0) {
            env.problem("CHAT_MESSAGES_PER_SEC must be above 0 and CHAT_MESSAGE_BURST at least 1");
        }
        env.finish()?;
        Ok(settings)
    }
}
