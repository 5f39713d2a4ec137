//! The PostgreSQL pool and the embedded migrations every CRUD service runs at start-up.

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use secrecy::ExposeSecret;
use tokio_postgres::NoTls;

use crate::config::DatabaseSettings;

pub use deadpool_postgres::{GenericClient, Object as Client, Pool as PgPool, Transaction};

/// One key for every service: each service has its own database, so they never contend.
const MIGRATION_LOCK_KEY: i64 = 0x7065_6572_7072_6570; // "peerprep"

/// How long a request waits for a free connection before it fails with 503-worthy error.
const POOL_WAIT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long opening a new connection may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A pool over `settings.url`. Connections open lazily, so this never touches the network.
pub fn pool(settings: &DatabaseSettings) -> anyhow::Result<Pool> {
    let mut config = tokio_postgres::Config::from_str(settings.url.expose_secret())
        .context("DATABASE_URL is not a valid PostgreSQL URL")?;
    config.connect_timeout(CONNECT_TIMEOUT);
    let manager = Manager::from_config(
        config,
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Pool::builder(manager)
        .max_size(settings.max_connections)
        .runtime(Runtime::Tokio1)
        .wait_timeout(Some(POOL_WAIT_TIMEOUT))
        .create_timeout(Some(CONNECT_TIMEOUT))
        .build()
        .context("build the database pool")
}

/// Runs the embedded migrations holding a session-level advisory lock, so that several
/// tasks starting at once migrate one after the other instead of racing.
pub async fn migrate(pool: &Pool, runner: refinery::Runner) -> anyhow::Result<()> {
    let mut client = pool.get().await.context("connect to run migrations")?;
    client
        .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK_KEY])
        .await
        .context("take the migration lock")?;
    let client_ref: &mut tokio_postgres::Client = &mut client;
    let outcome = runner
        .set_abort_divergent(true)
        .run_async(client_ref)
        .await
        .context("run migrations");
    let unlock = client
        .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK_KEY])
        .await
        .context("release the migration lock");
    let report = outcome?;
    unlock?;
    for migration in report.applied_migrations() {
        log::info!("applied migration {migration}");
    }
    Ok(())
}

/// A connection for a request handler: a pool that cannot give one is a 503, not a 500.
pub async fn connection(pool: &Pool) -> Result<Client, crate::ApiError> {
    pool.get().await.map_err(|err| {
        log::error!("no database connection: {err}");
        crate::ApiError::unavailable("the database is not available; try again shortly")
    })
}

/// `SELECT 1` within the timeout: is the database answering?
pub async fn ping(pool: &Pool, timeout: Duration) -> anyhow::Result<()> {
    tokio::time::timeout(timeout, async {
        let client = pool.get().await.context("get a connection")?;
        client.execute("SELECT 1", &[]).await.context("SELECT 1")?;
        anyhow::Ok(())
    })
    .await
    .context("database did not answer in time")?
}

/// Is this a unique-constraint violation on the named constraint (or index)?
pub fn is_unique_violation(err: &tokio_postgres::Error, constraint: &str) -> bool {
    err.as_db_error().is_some_and(|db| {
        db.code() == &tokio_postgres::error::SqlState::UNIQUE_VIOLATION
            && db.constraint() == Some(constraint)
    })
}
