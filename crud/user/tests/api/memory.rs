//! The real binary under a burst of sign-ups: its peak memory (VmHWM in /proc) stays bounded
//! and a log-in made during the burst is answered.

use std::time::{Duration, Instant};

use awc::http::StatusCode;
use serde_json::json;
use shared::config::ExposeSecret;
use shared::testing::{ServiceVars, TestDatabase, TestTokens, start_child};

use crate::helpers::{ADMIN_PASSWORD, Body, PASSWORD, call};

const BINARY: &str = env!("CARGO_BIN_EXE_user-service");

/// Hashes running at once in this test (the default is one per core; fixed here so that the
/// bound below holds on any machine).
const CONCURRENCY: &str = "2";

/// Peak resident memory allowed during the burst: the process (about 45 MB) plus 19 MiB of
/// working memory per running hash, with room to spare. Without the bound, 200 sign-ups ran
/// 200 hashes at once and the peak passed 4 GB; with the bound but the allocator's memory
/// instead of reused buffers, it reached 690 MB. Measured here: 43 MB → 66 MB.
const PEAK_BOUND_MB: u64 = 200;

/// Generous: the log-in must be answered, not refused or timed out; timing is the bench's.
const LOGIN_ANSWERS_WITHIN: Duration = Duration::from_secs(30);

fn peak_memory_mb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    let kb: u64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM");
    kb / 1024
}

#[actix_web::test]
async fn two_hundred_parallel_signups_keep_memory_bounded_and_a_login_still_answers() {
    let db = TestDatabase::create().await.expect("db");
    let key = shared::auth::SigningKey::generate().expect("key");
    let vars = ServiceVars::new(&TestTokens::new(), "internal-token")
        .database(&db)
        .set("JWT_PRIVATE_KEY", key.to_pem().expose_secret())
        .set("ADMIN_EMAIL", "root@peerprep.test")
        .set("ADMIN_USERNAME", "root")
        .set("ADMIN_PASSWORD", ADMIN_PASSWORD)
        // Every sign-up reaches the hasher: what is measured is its bound, not the
        // per-address limit (which would refuse all but 20 of these).
        .set("SIGNUP_MAX_PER_ADDRESS", "100000")
        .set("PASSWORD_HASH_CONCURRENCY", CONCURRENCY)
        .set("RUST_LOG", "warn");
    let (mut child, address) = start_child(BINARY, &vars).await;
    let url = |path: &str| format!("{address}/user-service-api{path}");
    // Enough connections for every request to be in flight at once.
    let client = awc::Client::builder()
        .connector(awc::Connector::new().limit(0))
        .timeout(Duration::from_secs(120))
        .finish();
    let signup = |email: &str, username: &str| {
        call(
            client.post(url("/auth/signup")),
            Body::Json(json!({"email": email, "username": username, "password": PASSWORD})),
        )
    };
    let existing = signup("early@example.com", "early").await;
    assert_eq!(existing.status, StatusCode::CREATED, "{}", existing.body);
    let before_mb = peak_memory_mb(child.id());

    let burst =
        futures_util::future::join_all((0..200).map(|_| signup("burst@example.com", "burst")));
    let login = async {
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        let started = Instant::now();
        let reply = call(
            client.post(url("/auth/login")),
            Body::Json(json!({"email": "early@example.com", "password": PASSWORD})),
        )
        .await;
        (reply, started.elapsed())
    };
    let (replies, (login, login_took)) = tokio::join!(burst, login);
    let peak_mb = peak_memory_mb(child.id());

    let count = |status: StatusCode| replies.iter().filter(|r| r.status == status).count();
    let (created, taken, busy) = (
        count(StatusCode::CREATED),
        count(StatusCode::CONFLICT),
        count(StatusCode::SERVICE_UNAVAILABLE),
    );
    report(&format!(
        "peak {before_mb} MB → {peak_mb} MB; {created} created, {taken} taken, {busy} busy; \
         log-in answered in {login_took:?}"
    ));
    assert_eq!(created, 1, "one body makes one account");
    assert_eq!(created + taken + busy, 200, "only 201, 409 or 503");
    assert_eq!(login.status, StatusCode::OK, "{}", login.body);
    assert!(login_took < LOGIN_ANSWERS_WITHIN, "{login_took:?}");
    assert!(
        peak_mb < PEAK_BOUND_MB,
        "peak memory {peak_mb} MB (before the burst {before_mb} MB)"
    );
    child.kill().expect("stop the service");
    child.wait().expect("reap the service");
}

/// The figures, for `cargo nextest run --no-capture` (the README quotes them).
#[expect(clippy::print_stderr, reason = "a measurement the test reports")]
fn report(figures: &str) {
    eprintln!("memory under 200 parallel sign-ups: {figures}");
}
