//! Starts the question and history services and one or more matching processes; makes
//! users with websocket clients.

use std::time::Duration;

use serde_json::{Value, json};
use shared::auth::Role;
use shared::config::EnvReader;
use shared::testing::{TestDatabase, TestTokens, WsClient};
use uuid::Uuid;

pub const SERVICE_TOKEN: &str = "matching-test-token";
pub const LOCAL_REDIS: &str = "redis://127.0.0.1:6379";

/// The question and history services.
pub struct Backends {
    pub question_url: String,
    pub history_url: String,
    _dbs: Vec<TestDatabase>,
}

pub async fn backends(tokens: &TestTokens) -> Backends {
    let question_url = start_question(tokens, 0).await.0;
    let (history_url, history_db) = start_history(tokens).await;
    Backends {
        question_url,
        history_url,
        _dbs: vec![history_db],
    }
}

fn base_vars(tokens: &TestTokens, db: &TestDatabase, port: u16) -> Vec<(String, String)> {
    vec![
        ("PORT".into(), port.to_string()),
        ("WORKERS".into(), "1".into()),
        ("DATABASE_URL".into(), db.url()),
        ("DATABASE_MAX_CONNECTIONS".into(), "6".into()),
        ("JWT_PUBLIC_KEY".into(), tokens.public_pem()),
        ("INTERNAL_SERVICE_TOKEN".into(), SERVICE_TOKEN.into()),
    ]
}

/// A question service with the shipped bank, on `port` (0: any). Its database lives as long
/// as the process (leaked on purpose: tests that restart it need it to outlive the call).
pub async fn start_question(tokens: &TestTokens, port: u16) -> (String, u16) {
    let db = TestDatabase::create().await.expect("db");
    let mut settings = question::settings::Settings::from_reader(EnvReader::from_vars(base_vars(
        tokens, &db, port,
    )))
    .expect("settings");
    settings.server.handle_signals = false;
    let app = question::startup::Application::build(settings)
        .await
        .expect("question service");
    let port = app.port();
    actix_web::rt::spawn(app.run_until_stopped());
    std::mem::forget(db);
    (format!("http://127.0.0.1:{port}"), port)
}

async fn start_history(tokens: &TestTokens) -> (String, TestDatabase) {
    let db = TestDatabase::create().await.expect("db");
    let mut settings =
        history::settings::Settings::from_reader(EnvReader::from_vars(base_vars(tokens, &db, 0)))
            .expect("settings");
    settings.server.handle_signals = false;
    let app = history::startup::Application::build(settings)
        .await
        .expect("history service");
    let url = format!("http://127.0.0.1:{}", app.port());
    actix_web::rt::spawn(app.run_until_stopped());
    (url, db)
}

#[derive(Clone)]
pub struct Options {
    pub nodes: usize,
    /// Unset: the in-memory queue (one process only).
    pub redis: Option<String>,
    pub timeout_secs: u64,
    /// Instead of the real question service's address.
    pub question_url: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            nodes: 1,
            redis: None,
            timeout_secs: 60,
            question_url: None,
        }
    }
}

pub struct Matching {
    pub nodes: Vec<String>,
    pub tokens: TestTokens,
    pub backends: Backends,
    pub db: TestDatabase,
    pub client: awc::Client,
}

pub async fn spawn(options: Options) -> Matching {
    // `RUST_LOG=matching=debug cargo nextest run …` shows what the services did.
    let _ = env_logger::builder().is_test(true).try_init();
    let tokens = TestTokens::new();
    let backends = backends(&tokens).await;
    let db = TestDatabase::create().await.expect("db");
    let prefix = format!("test:{}:", Uuid::new_v4().simple());
    let mut nodes = Vec::new();
    for _ in 0..options.nodes {
        let mut vars = base_vars(&tokens, &db, 0);
        vars.extend([
            (
                "QUESTION_SERVICE_URL".into(),
                options
                    .question_url
                    .clone()
                    .unwrap_or_else(|| backends.question_url.clone()),
            ),
            ("HISTORY_SERVICE_URL".into(), backends.history_url.clone()),
            (
                "MATCH_TIMEOUT_SECS".into(),
                options.timeout_secs.to_string(),
            ),
            ("MATCH_TICK_MILLIS".into(), "50".into()),
            ("REDIS_KEY_PREFIX".into(), prefix.clone()),
        ]);
        if let Some(redis) = &options.redis {
            vars.push(("REDIS_URL".into(), redis.clone()));
        }
        let mut settings = matching::settings::Settings::from_reader(EnvReader::from_vars(vars))
            .expect("settings");
        settings.server.handle_signals = false;
        let app = matching::startup::Application::build(settings)
            .await
            .expect("matching service");
        nodes.push(format!("http://127.0.0.1:{}", app.port()));
        actix_web::rt::spawn(app.run_until_stopped());
    }
    Matching {
        nodes,
        tokens,
        backends,
        db,
        client: shared::testing::http_client(),
    }
}

/// A signed-in user with an open websocket.
pub struct User {
    pub id: Uuid,
    pub token: String,
    pub ws: WsClient,
}

impl Matching {
    pub fn ws_url(&self, node: usize) -> String {
        format!(
            "{}/matching-service-api/ws",
            self.nodes[node].replace("http://", "ws://")
        )
    }

    pub async fn user(&self, node: usize) -> User {
        let (id, token) = self.tokens.new_user(Role::User);
        let ws = WsClient::connect(&self.ws_url(node), &token)
            .await
            .expect("websocket opens");
        User { id, token, ws }
    }

    pub async fn rooms(&self) -> i64 {
        shared::testing::query_one_i64(&self.db.url(), "SELECT count(*) FROM rooms").await
    }
}

pub fn join(topics: &[&str], difficulty: &str) -> Value {
    json!({"type": "join", "topics": topics, "difficulty": difficulty})
}

impl User {
    /// Joins and checks the `queued` answer.
    pub async fn join(&mut self, topics: &[&str], difficulty: &str) -> Value {
        self.ws.send_json(&join(topics, difficulty)).await;
        let queued = self.ws.recv_json().await;
        assert_eq!(queued["type"], "queued", "{queued}");
        queued
    }

    /// The next message, which must be of this type.
    pub async fn expect(&mut self, kind: &str) -> Value {
        let message = self.ws.recv_json().await;
        assert_eq!(message["type"], kind, "{message}");
        message
    }
}

pub const SHORT: Duration = Duration::from_millis(600);
