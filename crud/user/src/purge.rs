//! The periodic clean-up: attempts that no longer count towards a limit, refresh tokens
//! that can no longer be used, and sessions that ended longer ago than the retention.
//! Several tasks may run it at once: each delete is idempotent.

use std::time::Duration;

use shared::db::{GenericClient, PgPool};

use crate::repository::{login_failures, sessions};
use crate::settings::PurgeSettings;

/// What one purge deleted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    pub attempts: u64,
    pub refresh_tokens: u64,
    pub sessions: u64,
}

/// What a purge keeps.
#[derive(Debug, Clone, Copy)]
pub struct Retention {
    /// The longest window any limit counts attempts in.
    pub attempts: Duration,
    pub ended_sessions: Duration,
}

pub async fn purge(db: &impl GenericClient, retention: Retention) -> anyhow::Result<Purged> {
    Ok(Purged {
        attempts: login_failures::purge_older_than(db, retention.attempts).await?,
        refresh_tokens: sessions::purge_dead_refresh_tokens(db).await?,
        sessions: sessions::purge_ended(db, retention.ended_sessions).await?,
    })
}

/// Runs [`purge`] every `settings.interval`, the first time one interval after start-up.
/// A failed run is logged and retried at the next interval.
pub fn spawn_schedule(pool: PgPool, settings: PurgeSettings, retention: Retention) {
    actix_web::rt::spawn(async move {
        let mut ticks = tokio::time::interval(settings.interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        ticks.tick().await;
        loop {
            ticks.tick().await;
            let result = match pool.get().await {
                Ok(db) => purge(&db, retention).await,
                Err(err) => Err(anyhow::Error::new(err).context("database connection")),
            };
            match result {
                Ok(purged) => log::info!(
                    "purged {} attempts, {} refresh tokens, {} ended sessions",
                    purged.attempts,
                    purged.refresh_tokens,
                    purged.sessions
                ),
                Err(err) => log::error!("purge failed: {err:#}"),
            }
        }
    });
}
