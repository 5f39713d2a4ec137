//! The PostgreSQL pool and the embedded migrations every service with a database runs at
//! start-up, or alone with `<service> --migrate` (the pipeline's one-off task before a deploy).
//!
//! TLS follows libpq's `sslmode` in `DATABASE_URL` (URL form): `disable`; `prefer` and
//! `require` encrypt without checking the certificate (`require` with `sslrootcert=` checks
//! the issuer, as libpq does); `verify-ca` checks the issuer; `verify-full` the issuer and
//! the host name. The CAs are the PEM file `sslrootcert=<path>` names, or the system's store
//! (unset or `sslrootcert=system`). Without `sslmode` the connection is plaintext, as before.

use std::str::FromStr;
use std::time::Duration;

use anyhow::{Context, anyhow};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use secrecy::ExposeSecret;
use tokio_postgres::NoTls;
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::config::DatabaseSettings;
use crate::tls::{self, CertificateCheck, TrustedRoots};

pub use deadpool_postgres::{GenericClient, Object as Client, Pool as PgPool, Transaction};

/// One key for every service: each service has its own database, so they never contend.
const MIGRATION_LOCK_KEY: i64 = 0x7065_6572_7072_6570; // "peerprep"

/// How long a request waits for a free connection before it fails with 503-worthy error.
const POOL_WAIT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long opening a new connection may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A pool over `settings.url`. Connections open lazily, so this never touches the network;
/// a bad `sslmode` or an unreadable CA file is reported here, at start-up.
pub fn pool(settings: &DatabaseSettings) -> anyhow::Result<Pool> {
    let (url, request) = TlsRequest::split(settings.url.expose_secret())
        .map_err(|err| anyhow!("DATABASE_URL: {err}"))?;
    let mut config = tokio_postgres::Config::from_str(&url)
        .context("DATABASE_URL is not a valid PostgreSQL URL")?;
    config.connect_timeout(CONNECT_TIMEOUT);
    let manager_config = ManagerConfig {
        recycling_method: RecyclingMethod::Fast,
    };
    // The key/value form (`host=… sslmode=require`) is parsed by the driver itself.
    let mode = request.mode.or_else(|| {
        (config.get_ssl_mode() == tokio_postgres::config::SslMode::Require)
            .then_some(SslMode::Require)
    });
    let manager = match mode.and_then(|mode| mode.check(request.roots.is_some())) {
        None => Manager::from_config(config, NoTls, manager_config),
        Some((check, driver_mode)) => {
            config.ssl_mode(driver_mode);
            let roots = request.roots.unwrap_or(TrustedRoots::System);
            let client = tls::client_config(check, &roots)
                .context("DATABASE_URL: set up TLS to PostgreSQL")?;
            Manager::from_config(config, MakeRustlsConnect::new(client), manager_config)
        }
    };
    Pool::builder(manager)
        .max_size(settings.max_connections)
        .runtime(Runtime::Tokio1)
        .wait_timeout(Some(POOL_WAIT_TIMEOUT))
        .create_timeout(Some(CONNECT_TIMEOUT))
        .build()
        .context("build the database pool")
}

/// libpq's `sslmode` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl FromStr for SslMode {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value {
            "disable" => Ok(Self::Disable),
            "prefer" => Ok(Self::Prefer),
            "require" => Ok(Self::Require),
            "verify-ca" => Ok(Self::VerifyCa),
            "verify-full" => Ok(Self::VerifyFull),
            other => Err(format!(
                "sslmode must be disable, prefer, require, verify-ca or verify-full, not `{other}`"
            )),
        }
    }
}

impl SslMode {
    /// The certificate check and what the driver is told, or `None` for plaintext.
    fn check(
        self,
        has_ca_file: bool,
    ) -> Option<(CertificateCheck, tokio_postgres::config::SslMode)> {
        use tokio_postgres::config::SslMode as Driver;
        match self {
            Self::Disable => None,
            Self::Prefer if has_ca_file => Some((CertificateCheck::Issuer, Driver::Prefer)),
            Self::Prefer => Some((CertificateCheck::Nothing, Driver::Prefer)),
            Self::Require if has_ca_file => Some((CertificateCheck::Issuer, Driver::Require)),
            Self::Require => Some((CertificateCheck::Nothing, Driver::Require)),
            Self::VerifyCa => Some((CertificateCheck::Issuer, Driver::Require)),
            Self::VerifyFull => Some((CertificateCheck::IssuerAndHost, Driver::Require)),
        }
    }
}

/// What `DATABASE_URL` asks of TLS; the driver does not know `verify-*` or `sslrootcert`, so
/// they are taken out of the URL before it sees it.
#[derive(Debug, PartialEq, Eq)]
pub struct TlsRequest {
    pub mode: Option<SslMode>,
    /// `sslrootcert`: a CA file, or `system`.
    pub roots: Option<TrustedRoots>,
}

impl TlsRequest {
    /// The URL without `sslmode` and `sslrootcert`, and what they asked for.
    pub fn split(url: &str) -> Result<(String, Self), String> {
        let (url, mode) = tls::take_query_param(url, "sslmode");
        let (url, root_cert) = tls::take_query_param(&url, "sslrootcert");
        let mode = mode.map(|mode| mode.parse::<SslMode>()).transpose()?;
        let roots = root_cert.map(|value| match value.as_str() {
            "system" => TrustedRoots::System,
            path => TrustedRoots::File(path.into()),
        });
        if roots.is_some() && matches!(mode, None | Some(SslMode::Disable)) {
            return Err(
                "sslrootcert is given but sslmode does not ask for TLS; add sslmode=verify-full"
                    .to_owned(),
            );
        }
        Ok((url, Self { mode, roots }))
    }
}

/// The argument that runs the migrations and exits instead of serving: the pipeline runs it
/// as a one-off task before it deploys the image, so a failing migration stops the deploy
/// before any task of the new version starts.
pub const MIGRATE_FLAG: &str = "--migrate";

/// Whether the process was started as `<binary> --migrate`.
pub fn migrate_requested() -> bool {
    std::env::args().nth(1).as_deref() == Some(MIGRATE_FLAG)
}

/// `--migrate`: the migrations on a pool of their own, then nothing else (no server, no
/// seed, no first admin). Several at once are safe: [`migrate`] takes the advisory lock.
pub async fn migrate_only(
    settings: &DatabaseSettings,
    runner: refinery::Runner,
) -> anyhow::Result<()> {
    let pool = pool(settings)?;
    migrate(&pool, runner).await?;
    log::info!("migrations are up to date");
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sslmode_and_sslrootcert_are_taken_out_of_the_url() {
        let (url, request) = TlsRequest::split(
            "postgres://app:pw@db.example:5432/user_db?sslmode=verify-full&sslrootcert=/etc/ssl/rds.pem&application_name=user",
        )
        .expect("valid");
        assert_eq!(
            url,
            "postgres://app:pw@db.example:5432/user_db?application_name=user"
        );
        assert_eq!(request.mode, Some(SslMode::VerifyFull));
        assert_eq!(
            request.roots,
            Some(TrustedRoots::File("/etc/ssl/rds.pem".into()))
        );
        assert!(tokio_postgres::Config::from_str(&url).is_ok());
    }

    #[test]
    fn a_url_without_sslmode_stays_plaintext() {
        let (url, request) = TlsRequest::split("postgres://p@127.0.0.1/db").expect("valid");
        assert_eq!(url, "postgres://p@127.0.0.1/db");
        assert_eq!(request.mode, None);
    }

    #[test]
    fn each_sslmode_checks_what_libpq_checks() {
        use tokio_postgres::config::SslMode as Driver;
        assert_eq!(SslMode::Disable.check(false), None);
        assert_eq!(
            SslMode::Require.check(false),
            Some((CertificateCheck::Nothing, Driver::Require))
        );
        assert_eq!(
            SslMode::Require.check(true),
            Some((CertificateCheck::Issuer, Driver::Require))
        );
        assert_eq!(
            SslMode::VerifyCa.check(false),
            Some((CertificateCheck::Issuer, Driver::Require))
        );
        assert_eq!(
            SslMode::VerifyFull.check(false),
            Some((CertificateCheck::IssuerAndHost, Driver::Require))
        );
    }

    #[test]
    fn an_unknown_sslmode_or_a_ca_file_without_tls_is_refused_at_start() {
        let message = |url: &str| {
            let settings = DatabaseSettings {
                url: url.to_owned().into(),
                max_connections: 1,
            };
            format!("{:#}", pool(&settings).expect_err("refused"))
        };
        let bad_mode = message("postgres://p@127.0.0.1/db?sslmode=verify");
        assert!(
            bad_mode.contains("DATABASE_URL: sslmode must be"),
            "{bad_mode}"
        );
        let ca_alone = message("postgres://p@127.0.0.1/db?sslrootcert=/ca.pem");
        assert!(ca_alone.contains("add sslmode=verify-full"), "{ca_alone}");
        let missing_ca =
            message("postgres://p@127.0.0.1/db?sslmode=verify-full&sslrootcert=/nonexistent.pem");
        assert!(missing_ca.contains("/nonexistent.pem"), "{missing_ca}");
    }
}
