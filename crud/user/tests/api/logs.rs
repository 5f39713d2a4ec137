//! What the service writes to its log never holds an email address.

use std::process::{Command, Stdio};
use std::time::Duration;

use awc::http::StatusCode;
use serde_json::json;
use shared::config::ExposeSecret;

use crate::helpers::{Body, PASSWORD, call, client};

const BINARY: &str = env!("CARGO_BIN_EXE_user-service");

#[actix_web::test]
async fn no_email_reaches_the_log_through_signup_login_limits_or_start_up() {
    let db = shared::testing::TestDatabase::create().await.expect("db");
    let key = shared::auth::SigningKey::generate().expect("key");
    let port = shared::testing::free_port();
    let log_path = std::env::temp_dir().join(format!("user-log-{}.txt", uuid::Uuid::new_v4()));
    let log_file = std::fs::File::create(&log_path).expect("log file");
    let (admin, user) = ("first-admin@peerprep.test", "ada.lovelace@example.com");
    let mut child = Command::new(BINARY)
        .env_clear()
        .env("PORT", port.to_string())
        .env("DATABASE_URL", db.url())
        .env("JWT_PRIVATE_KEY", key.to_pem().expose_secret())
        .env("ADMIN_EMAIL", admin)
        .env("ADMIN_USERNAME", "root")
        .env("ADMIN_PASSWORD", "the-admins-secret-1")
        .env("LOGIN_MAX_FAILURES_PER_ACCOUNT", "2")
        .env("SIGNUP_MAX_PER_ADDRESS", "2")
        // Everything of this service's own, at its most talkative.
        .env("RUST_LOG", "info,user=trace")
        .stdout(Stdio::null())
        .stderr(log_file)
        .spawn()
        .expect("binary starts");
    let address = format!("http://127.0.0.1:{port}");
    shared::testing::wait_until_ready(&address).await;
    let post = |path: &str, body: serde_json::Value| {
        call(
            client().post(format!("{address}/user-service-api{path}")),
            Body::Json(body),
        )
    };

    let signup = json!({"email": user, "username": "ada", "password": PASSWORD});
    assert_eq!(
        post("/auth/signup", signup.clone()).await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        post("/auth/signup", signup.clone()).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        post("/auth/signup", signup).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    let login = json!({"email": user, "password": PASSWORD});
    assert_eq!(
        post("/auth/login", login.clone()).await.status,
        StatusCode::OK
    );
    for _ in 0..2 {
        post(
            "/auth/login",
            json!({"email": user, "password": "a wrong guess here"}),
        )
        .await;
    }
    assert_eq!(
        post("/auth/login", login).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    shared::testing::terminate(&mut child, Duration::from_secs(10)).await;

    let log = std::fs::read_to_string(&log_path).expect("log");
    std::fs::remove_file(&log_path).expect("remove the log");
    assert!(
        log.contains("log-in refused"),
        "the refusal was logged: {log}"
    );
    assert!(
        log.contains("sign-up refused"),
        "the refusal was logged: {log}"
    );
    for secret in [admin, user, "ada.lovelace", "first-admin"] {
        assert!(!log.contains(secret), "{secret} in the log:\n{log}");
    }
}
