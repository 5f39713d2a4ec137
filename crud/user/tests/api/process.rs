//! The real binary, as an operator starts and stops it.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use shared::config::ExposeSecret;

use crate::helpers::{Body, call, client};

const BINARY: &str = env!("CARGO_BIN_EXE_user-service");

#[test]
fn production_refuses_to_start_without_secrets_and_names_them() {
    let output = Command::new(BINARY)
        .env_clear()
        .env("ENVIRONMENT", "production")
        .env("PORT", "0")
        .output()
        .expect("binary runs");

    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    for name in [
        "DATABASE_URL",
        "JWT_PRIVATE_KEY",
        "ADMIN_EMAIL",
        "ADMIN_PASSWORD",
    ] {
        assert!(stderr.contains(name), "{name} not named in: {stderr}");
    }
}

#[actix_web::test]
async fn sigterm_stops_the_service_cleanly() {
    let db = shared::testing::TestDatabase::create().await.expect("db");
    let key = shared::auth::SigningKey::generate().expect("key");
    let port = shared::testing::free_port();
    let mut child = Command::new(BINARY)
        .env_clear()
        .env("PORT", port.to_string())
        .env("DATABASE_URL", db.url())
        .env("JWT_PRIVATE_KEY", key.to_pem().expose_secret())
        .env("SHUTDOWN_TIMEOUT_SECS", "5")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary starts");
    let health = format!("http://127.0.0.1:{port}/health");
    let started = Instant::now();
    loop {
        let up = client()
            .get(&health)
            .send()
            .await
            .is_ok_and(|r| r.status().is_success());
        if up {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "service did not come up"
        );
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(call(client().get(&health), Body::Empty).await.status, 200);

    let status = shared::testing::terminate(&mut child, Duration::from_secs(10)).await;
    assert!(status.success(), "exit status {status}");
}
