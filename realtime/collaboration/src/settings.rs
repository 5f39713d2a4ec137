//! The collaboration service's settings, read once from the environment (see `.env.sample`).

use std::time::Duration;

use shared::auth::{ServiceToken, VerifierSettings};
use shared::client::{ClientSettings, Retry};
use shared::config::{ConfigError, EnvReader, ServerSettings, TelemetrySettings};
use toolkit::settings::RealtimeSettings;

pub const DEFAULT_PORT: u16 = 8005;

/// Recording an attempt is worth waiting for: four tries over about three seconds.
const HISTORY_RETRY: Retry = Retry {
    tries: 4,
    first_pause: Duration::from_millis(200),
    max_pause: Duration::from_secs(2),
};

#[derive(Clone)]
pub struct Settings {
    pub server: ServerSettings,
    pub telemetry: TelemetrySettings,
    pub auth: VerifierSettings,
    pub service_token: ServiceToken,
    /// Redis (documents and fan-out; unset: one process alone, documents in memory), this
    /// process's node id, allowed origins.
    pub realtime: RealtimeSettings,
    /// Asked who a room's members are; told when a session ends.
    pub matching: ClientSettings,
    /// Where each member's attempt is recorded when a session ends.
    pub history: ClientSettings,
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
            server: ServerSettings::from_env_with_workers(
                &mut env,
                DEFAULT_PORT,
                shared::config::REALTIME_WORKERS,
            ),
            telemetry: TelemetrySettings::from_env(&mut env, "collaboration-service"),
            auth: VerifierSettings::from_env(&mut env),
            service_token: ServiceToken::from_env(&mut env),
            realtime: RealtimeSettings::from_env(&mut env, "collaboration"),
            matching: ClientSettings::from_env(
                &env,
                "MATCHING_SERVICE_URL",
                "http://127.0.0.1:8003",
            ),
            history: ClientSettings::from_env(&env, "HISTORY_SERVICE_URL", "http://127.0.0.1:8004")
                .with_retry(HISTORY_RETRY),
            room_idle_grace: env.seconds("ROOM_IDLE_GRACE_SECS", Duration::from_secs(120)),
        };
        env.finish()?;
        Ok(settings)
    }
}
