//! Helpers for integration tests: a fresh PostgreSQL database per test, dropped afterwards;
//! tokens signed like the user service's; an HTTP client; services started in the test
//! (`services.rs`) and a websocket client (`ws.rs`).
//!
//! The server is found through `TEST_DATABASE_URL` (default: the local server's `postgres`
//! database as user `postgres`), which `make test` makes sure is running.

use anyhow::Context;
use secrecy::SecretString;
use tokio_postgres::NoTls;
use uuid::Uuid;

use crate::config::DatabaseSettings;

mod routes;
mod services;
mod ws;

pub use routes::check_route_rules;

pub use services::{
    ServiceVars, assert_migrate_flag, eventually, free_port, spawn_local, start_child, terminate,
    wait_until_ready,
};
pub use ws::{WS_WAIT, WsClient, WsFrame, refused_upgrade};

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

/// Signs access tokens the way the user service does, for testing the services that only
/// verify them. Start the service with `JWT_PUBLIC_KEY` = [`TestTokens::public_pem`].
pub struct TestTokens {
    key: crate::auth::SigningKey,
}

impl TestTokens {
    pub const ISSUER: &'static str = "peerprep-user-service";
    pub const AUDIENCE: &'static str = "peerprep";

    pub fn new() -> Self {
        Self {
            key: crate::auth::SigningKey::generate().expect("random key"),
        }
    }

    pub fn public_pem(&self) -> String {
        self.key.public_pem().expect("public key")
    }

    /// Valid claims for a user, now.
    pub fn claims(
        &self,
        user_id: Uuid,
        username: &str,
        role: crate::auth::Role,
    ) -> crate::auth::AccessClaims {
        let now = chrono_now();
        crate::auth::AccessClaims {
            iss: Self::ISSUER.into(),
            aud: Self::AUDIENCE.into(),
            sub: user_id,
            iat: now,
            nbf: now,
            exp: now + 600,
            jti: Uuid::new_v4(),
            sid: Uuid::new_v4(),
            typ: crate::auth::ACCESS_TOKEN_TYPE.into(),
            role,
            username: username.into(),
        }
    }

    pub fn sign(&self, claims: &crate::auth::AccessClaims) -> String {
        self.key.sign(claims).expect("sign")
    }

    /// The log-in session (`sid`) a token belongs to; read without verifying.
    pub fn session_of(token: &str) -> Uuid {
        use base64::Engine;
        let payload = token.split('.').nth(1).expect("a JWT");
        let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .expect("base64url");
        serde_json::from_slice::<crate::auth::AccessClaims>(&json)
            .expect("claims")
            .sid
    }

    /// A token for a new user with `role`: `(user id, token)`.
    pub fn new_user(&self, role: crate::auth::Role) -> (Uuid, String) {
        let id = Uuid::new_v4();
        let name = format!("u{}", &id.simple().to_string()[..8]);
        (id, self.sign(&self.claims(id, &name, role)))
    }
}

impl Default for TestTokens {
    fn default() -> Self {
        Self::new()
    }
}

fn chrono_now() -> i64 {
    i64::try_from(jsonwebtoken::get_current_timestamp()).unwrap_or(i64::MAX)
}

/// A response with its body read.
pub struct Reply {
    pub status: actix_web::http::StatusCode,
    pub headers: actix_web::http::header::HeaderMap,
    /// The JSON body, or `Null` when there is none or it is not JSON.
    pub body: serde_json::Value,
}

impl Reply {
    /// The error code of an error body, or "".
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }

    /// The `Set-Cookie` header for `name`.
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all("set-cookie")
            .filter_map(|value| value.to_str().ok())
            .find(|value| value.starts_with(&format!("{name}=")))
            .map(str::to_owned)
    }
}

/// What to send as the body.
pub enum Body<'a> {
    Empty,
    Json(serde_json::Value),
    /// Raw text with a content type, for malformed input.
    Raw(&'a str, &'a str),
}

/// An HTTP client for tests: no redirects, a generous timeout.
pub fn http_client() -> awc::Client {
    awc::Client::builder()
        .disable_redirects()
        .timeout(std::time::Duration::from_secs(30))
        .finish()
}

/// Sends a request and reads the whole reply.
pub async fn call(request: awc::ClientRequest, body: Body<'_>) -> Reply {
    let sent = match body {
        Body::Empty => request.send(),
        Body::Json(value) => request.send_json(&value),
        Body::Raw(content_type, raw) => request
            .insert_header(("content-type", content_type))
            .send_body(raw.to_owned()),
    };
    let mut response = sent.await.expect("request sent");
    let bytes = response
        .body()
        .limit(16 * 1024 * 1024)
        .await
        .expect("body read");
    Reply {
        status: response.status(),
        headers: response.headers().clone(),
        body: serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    }
}

/// Runs SQL against a test database with a connection of its own.
pub async fn query_one_i64(url: &str, sql: &str) -> i64 {
    let (client, connection) = tokio_postgres::connect(url, NoTls).await.expect("connect");
    let driver = tokio::spawn(connection);
    let value = client.query_one(sql, &[]).await.expect("query").get(0);
    drop(client);
    let _ = driver.await;
    value
}

/// A frame with byte edits applied, for property tests of decoders: each `(at, byte, kind)`
/// replaces (`kind % 3 == 0`), inserts (1) or removes (2) the byte at `at` (modulo the
/// length), so that any list of edits is a valid mutation.
pub fn mutated(frame: impl Into<Vec<u8>>, edits: &[(usize, u8, u8)]) -> Vec<u8> {
    let mut bytes = frame.into();
    for &(at, byte, kind) in edits {
        let at = at % (bytes.len() + 1);
        match kind % 3 {
            0 if at < bytes.len() => bytes[at] = byte,
            1 => bytes.insert(at, byte),
            _ if at < bytes.len() => {
                bytes.remove(at);
            }
            _ => {}
        }
    }
    bytes
}

/// Every Redis key under `prefix`, with its TTL in seconds (-1: none), sorted: what the
/// expiry tests check.
pub async fn keys_and_ttls(
    redis: &mut redis::aio::ConnectionManager,
    prefix: &str,
) -> Vec<(String, i64)> {
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{prefix}*"))
        .query_async(redis)
        .await
        .expect("keys");
    let mut ttls = Vec::new();
    for key in keys {
        let ttl: i64 = redis::cmd("TTL")
            .arg(&key)
            .query_async(redis)
            .await
            .expect("ttl");
        ttls.push((key, ttl));
    }
    ttls.sort();
    ttls
}
