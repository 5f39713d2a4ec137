//! The settings every real-time service reads, and its connection to Redis.

use redis::aio::ConnectionManager;
use shared::bus::Bus;
use shared::config::{EnvReader, ExposeSecret, SecretString};

use crate::ws::AllowedOrigins;

#[derive(Debug, Clone)]
pub struct RealtimeSettings {
    /// Where a browser may open a websocket from (`ALLOWED_ORIGINS`).
    pub origins: AllowedOrigins,
    /// `REDIS_URL`; unset, one process works alone with its state in memory.
    pub redis_url: Option<SecretString>,
    /// Prepended to every Redis key and channel: `REDIS_KEY_PREFIX` and the service's name
    /// (`peerprep:matching:`), so services sharing one Redis never collide.
    pub redis_prefix: String,
    /// This process's name among the service's processes (`NODE_ID`, random by default).
    pub node_id: String,
}

impl RealtimeSettings {
    pub fn from_env(env: &mut EnvReader, service: &str) -> Self {
        Self {
            origins: AllowedOrigins::from_env(env),
            redis_url: env.optional("REDIS_URL").map(SecretString::from),
            redis_prefix: format!("{}{service}:", env.string("REDIS_KEY_PREFIX", "peerprep:")),
            node_id: env.string("NODE_ID", &uuid::Uuid::new_v4().simple().to_string()),
        }
    }

    /// The bus, and a Redis connection for the service's own state when there is Redis.
    pub async fn connect(&self) -> anyhow::Result<Backend> {
        let url = self.redis_url.as_ref().map(|url| url.expose_secret());
        let bus = Bus::connect(url).await?;
        let redis = match &bus {
            Bus::Redis(redis) => Some(redis.connection()),
            Bus::Local(_) => {
                log::warn!("REDIS_URL is not set: this process works alone, its state in memory");
                None
            }
        };
        Ok(Backend { bus, redis })
    }
}

/// Where a real-time service keeps and fans out its state.
pub struct Backend {
    /// Redis pub/sub, or the in-process bus.
    pub bus: Bus,
    /// Redis for the service's own keys; `None` when the service runs alone in memory.
    pub redis: Option<ConnectionManager>,
}
