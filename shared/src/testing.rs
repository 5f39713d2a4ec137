//! Helpers for integration tests: a fresh PostgreSQL database per test, dropped afterwards.
//!
//! The server is found through `TEST_DATABASE_URL` (default: the local server's `postgres`
//! database as user `postgres`), which `make test` makes sure is running.

use anyhow::Context;
use secrecy::SecretString;
use tokio_postgres::NoTls;
use uuid::Uuid;

use crate::config::DatabaseSettings;

const DEFAULT_ADMIN_URL: &str = "postgres://postgres:postgres@127.0.0.1:5432/postgres";

/// A database that exists for one test.
pub struct TestDatabase {
    name: String,
    admin_url: String,
}

impl TestDatabase {
    pub async fn create() -> anyhow::Result<Self> {
        let admin_url =
            std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_ADMIN_URL.to_owned());
        let name = format!("test_{}", Uuid::new_v4().simple());
        let (client, connection) = tokio_postgres::connect(&admin_url, NoTls)
            .await
            .with_context(|| {
                format!("connect to {admin_url} (is PostgreSQL running? `make test` starts it)")
            })?;
        let driver = tokio::spawn(connection);
        client
            .batch_execute(&format!(r#"CREATE DATABASE "{name}""#))
            .await
            .with_context(|| format!("create database {name}"))?;
        drop(client);
        let _ = driver.await;
        Ok(Self { name, admin_url })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// A URL for this database, with the admin URL's credentials.
    pub fn url(&self) -> String {
        match self.admin_url.rsplit_once('/') {
            Some((server, _)) => format!("{server}/{}", self.name),
            None => self.admin_url.clone(),
        }
    }

    pub fn settings(&self) -> DatabaseSettings {
        DatabaseSettings {
            url: SecretString::from(self.url()),
            max_connections: 5,
        }
    }
}

impl Drop for TestDatabase {
    /// Drops the database on a thread of its own: `Drop` cannot await, and the test's
    /// runtime may be shutting down.
    fn drop(&mut self) {
        let name = self.name.clone();
        let admin_url = self.admin_url.clone();
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let (client, connection) = tokio_postgres::connect(&admin_url, NoTls).await?;
                let driver = tokio::spawn(connection);
                client
                    .batch_execute(&format!(r#"DROP DATABASE IF EXISTS "{name}" WITH (FORCE)"#))
                    .await?;
                drop(client);
                let _ = driver.await;
                anyhow::Ok(())
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            log::warn!("could not drop test database {}", self.name);
        }
    }
}
