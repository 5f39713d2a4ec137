//! `rediss://` URLs against a Redis that listens on a TLS port only.

use std::time::Duration;

use shared::bus::{Bus, connection_manager};

use crate::servers::TlsRedis;

const WAIT: Duration = Duration::from_secs(5);

#[tokio::test]
async fn rediss_with_the_ca_file_carries_commands_and_pub_sub() {
    let server = TlsRedis::start();
    let ca = server.certificates.ca.display().to_string();
    let url = server.url("rediss", &format!("?sslrootcert={ca}"));

    let mut commands = connection_manager(&url).await.expect("TLS connection");
    redis::cmd("SET")
        .arg("greeting")
        .arg("hello")
        .exec_async(&mut commands)
        .await
        .expect("SET");
    let value: String = redis::cmd("GET")
        .arg("greeting")
        .query_async(&mut commands)
        .await
        .expect("GET");
    assert_eq!(value, "hello");

    let bus = Bus::connect(Some(&url)).await.expect("TLS bus");
    let mut messages = bus.subscribe("room:tls").await.expect("subscribe");
    bus.publish("room:tls", b"over tls".to_vec())
        .await
        .expect("publish");
    let message = tokio::time::timeout(WAIT, messages.recv())
        .await
        .expect("delivered in time");
    assert_eq!(message.as_deref(), Some(&b"over tls"[..]));
}

#[tokio::test]
async fn rediss_refuses_a_server_signed_by_another_ca() {
    let server = TlsRedis::start();
    let other_ca = server.certificates.other_ca.display().to_string();
    let url = server.url("rediss", &format!("?sslrootcert={other_ca}"));
    let err = Bus::connect(Some(&url)).await.err().expect("refused");
    let message = format!("{err:#}");
    assert!(
        message.contains("connect to Redis at rediss://localhost"),
        "{message}"
    );
    assert!(message.contains("invalid peer certificate"), "{message}");

    // Without sslrootcert the system's CAs decide, and they do not know the test CA.
    let err = connection_manager(&server.url("rediss", ""))
        .await
        .expect_err("refused");
    assert!(
        format!("{err:#}").contains("invalid peer certificate"),
        "{err:#}"
    );
}

#[tokio::test]
async fn a_plain_url_to_a_tls_only_port_fails_with_a_hint_to_use_rediss() {
    let server = TlsRedis::start();
    let err = tokio::time::timeout(WAIT * 3, Bus::connect(Some(&server.url("redis", ""))))
        .await
        .expect("fails in time, not hangs")
        .err()
        .expect("refused");
    let message = format!("{err:#}");
    assert!(message.contains("needs a rediss:// URL"), "{message}");
}
