//! `DATABASE_URL` with `sslmode` against a cluster that accepts TLS only.

use std::time::Duration;

use shared::config::DatabaseSettings;
use shared::db::PgPool;

use crate::servers::TlsPostgres;

const WAIT: Duration = Duration::from_secs(10);

fn pool(url: String) -> PgPool {
    shared::db::pool(&DatabaseSettings {
        url: url.into(),
        max_connections: 1,
    })
    .expect("a valid DATABASE_URL")
}

/// Whether the pool's connection is encrypted, as the server sees it.
async fn connected_over_tls(url: String) -> anyhow::Result<bool> {
    let pool = pool(url);
    shared::db::ping(&pool, WAIT).await?;
    let client = pool.get().await?;
    let row = client
        .query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .await?;
    Ok(row.get(0))
}

async fn refusal(url: String) -> String {
    let err = shared::db::ping(&pool(url), WAIT)
        .await
        .expect_err("the connection is refused");
    format!("{err:#}")
}

#[tokio::test]
async fn sslmode_require_encrypts_without_a_ca_where_plaintext_is_refused() {
    let server = TlsPostgres::start();
    // The server takes nothing but TLS: the old plaintext default is turned away.
    let plaintext = refusal(server.url("127.0.0.1", "")).await;
    assert!(plaintext.contains("no encryption"), "{plaintext}");

    let require = server.url("127.0.0.1", "?sslmode=require");
    assert!(connected_over_tls(require).await.expect("require connects"));
    // The key/value form says the same with the driver's own parser.
    let key_value = format!(
        "host=127.0.0.1 port={} user=postgres dbname=postgres sslmode=require",
        server.port
    );
    assert!(
        connected_over_tls(key_value)
            .await
            .expect("key/value require connects")
    );
}

#[tokio::test]
async fn sslmode_verify_full_accepts_a_server_signed_by_the_given_ca() {
    let server = TlsPostgres::start();
    let ca = server.certificates.ca.display().to_string();
    let url = server.url(
        "localhost",
        &format!("?sslmode=verify-full&sslrootcert={ca}"),
    );
    assert!(connected_over_tls(url).await.expect("verify-full connects"));
}

#[tokio::test]
async fn sslmode_verify_full_refuses_a_server_signed_by_another_ca() {
    let server = TlsPostgres::start();
    let other_ca = server.certificates.other_ca.display().to_string();
    for mode in ["verify-full", "verify-ca", "require"] {
        let message = refusal(server.url(
            "localhost",
            &format!("?sslmode={mode}&sslrootcert={other_ca}"),
        ))
        .await;
        assert!(
            message.contains("invalid peer certificate"),
            "{mode}: {message}"
        );
    }
    // Without sslrootcert the system's CAs are used, and they do not know the test CA either.
    let message = refusal(server.url("localhost", "?sslmode=verify-full")).await;
    assert!(message.contains("invalid peer certificate"), "{message}");
}

#[tokio::test]
async fn sslmode_verify_full_refuses_a_certificate_for_another_host_that_verify_ca_accepts() {
    let server = TlsPostgres::start();
    let ca = server.certificates.ca.display().to_string();
    // The certificate names `localhost` only; 127.0.0.1 is the same server by another name.
    let full = refusal(server.url(
        "127.0.0.1",
        &format!("?sslmode=verify-full&sslrootcert={ca}"),
    ))
    .await;
    assert!(full.contains("invalid peer certificate"), "{full}");
    assert!(full.contains("not valid for name \"127.0.0.1\""), "{full}");
    let ca_only = server.url("127.0.0.1", &format!("?sslmode=verify-ca&sslrootcert={ca}"));
    assert!(
        connected_over_tls(ca_only)
            .await
            .expect("verify-ca connects")
    );
}
