//! Starts the question and history services and one or more matching processes; makes
//! users with websocket clients.

use std::time::Duration;

use actix::Addr;
use serde_json::{Value, json};
use shared::auth::Role;
use shared::start_service;
use shared::testing::{ServiceVars, TestDatabase, TestTokens, WsClient};
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
    let question_url = start_question(tokens, 0).await;
    let history_db = TestDatabase::create().await.expect("db");
    let history_url = start_service!(
        history,
        ServiceVars::new(tokens, SERVICE_TOKEN).database(&history_db)
    );
    Backends {
        question_url,
        history_url,
        _dbs: vec![history_db],
    }
}

/// A question service with the shipped bank, on `port` (0: any). Its database lives as long
/// as the process (leaked on purpose: tests that start it late need it to outlive the call).
pub async fn start_question(tokens: &TestTokens, port: u16) -> String {
    let db = TestDatabase::create().await.expect("db");
    let vars = ServiceVars::new(tokens, SERVICE_TOKEN)
        .database(&db)
        .set("PORT", port.to_string());
    let address = start_service!(question, vars);
    std::mem::forget(db);
    address
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
    /// Each process's queue actor.
    pub queues: Vec<Addr<matching::actors::queue::QueueActor>>,
    /// Where this test's keys live in Redis (`<prefix>matching:…`).
    pub redis_prefix: String,
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
    let mut vars = ServiceVars::new(&tokens, SERVICE_TOKEN)
        .database(&db)
        .set(
            "QUESTION_SERVICE_URL",
            options
                .question_url
                .clone()
                .unwrap_or_else(|| backends.question_url.clone()),
        )
        .set("HISTORY_SERVICE_URL", backends.history_url.clone())
        .set("MATCH_TIMEOUT_SECS", options.timeout_secs.to_string())
        .set("MATCH_TICK_MILLIS", "50")
        .set("REDIS_KEY_PREFIX", prefix.clone());
    if let Some(redis) = &options.redis {
        vars = vars.set("REDIS_URL", redis.clone());
    }
    let (mut nodes, mut queues) = (Vec::new(), Vec::new());
    for _ in 0..options.nodes {
        // Not `start_service!`: the tests watch each process's queue actor.
        let mut settings =
            matching::settings::Settings::from_reader(vars.reader()).expect("settings");
        settings.server.handle_signals = false;
        let app = matching::startup::Application::build(settings)
            .await
            .expect("matching service");
        nodes.push(format!("http://127.0.0.1:{}", app.port()));
        queues.push(app.queue());
        actix_web::rt::spawn(app.run_until_stopped());
    }
    Matching {
        nodes,
        queues,
        redis_prefix: format!("{prefix}matching:"),
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

    /// Waits until no session of `node` is searching.
    pub async fn until_nobody_searches(&self, node: usize) {
        let queue = &self.queues[node];
        shared::testing::eventually("every search ended", Duration::from_secs(10), || async {
            (queue.send(matching::actors::queue::Searches).await.ok()? == 0).then_some(())
        })
        .await;
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
