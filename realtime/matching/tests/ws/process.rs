//! The real binary: SIGTERM closes every websocket with 1012 and the process exits cleanly.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use shared::auth::Role;
use shared::testing::{TestDatabase, TestTokens, WsClient, free_port, terminate};

const BINARY: &str = env!("CARGO_BIN_EXE_matching-service");

#[actix_web::test]
async fn sigterm_closes_websockets_with_1012_then_exits() {
    let db = TestDatabase::create().await.expect("db");
    let tokens = TestTokens::new();
    let port = free_port();
    let mut child = Command::new(BINARY)
        .env_clear()
        .env("PORT", port.to_string())
        .env("DATABASE_URL", db.url())
        .env("JWT_PUBLIC_KEY", tokens.public_pem())
        .env("SHUTDOWN_TIMEOUT_SECS", "5")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary starts");
    let url = format!("ws://127.0.0.1:{port}/matching-service-api/ws");
    let token = tokens.new_user(Role::User).1;
    let started = Instant::now();
    let mut ws = loop {
        match WsClient::connect(&url, &token).await {
            Ok(ws) => break ws,
            Err(_) if started.elapsed() < Duration::from_secs(30) => {
                actix_web::rt::time::sleep(Duration::from_millis(100)).await;
            }
            Err(err) => panic!("never came up: {err}"),
        }
    };
    ws.send_json(&serde_json::json!({"type": "join", "topics": ["arrays"], "difficulty": "easy"}))
        .await;
    assert_eq!(ws.recv_json().await["type"], "queued");

    let (status, reason) =
        tokio::join!(terminate(&mut child, Duration::from_secs(10)), ws.closed());

    assert_eq!(
        reason.expect("a close frame with a reason").code,
        awc::ws::CloseCode::Restart
    );
    assert!(status.success(), "{status}");
}
