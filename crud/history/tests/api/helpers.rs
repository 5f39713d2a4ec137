//! `spawn_app()` and one helper per endpoint.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use shared::auth::Role;
use shared::start_service;
pub use shared::testing::{Body, Reply, call};
use shared::testing::{ServiceVars, TestDatabase, TestTokens, http_client};
use uuid::Uuid;

pub const SERVICE_TOKEN: &str = "test-internal-token";

pub struct TestApp {
    pub address: String,
    pub db: TestDatabase,
    pub tokens: TestTokens,
    pub client: awc::Client,
}

/// A user as the history service sees them: an id and a token.
pub struct TestUser {
    pub id: Uuid,
    pub token: String,
}

pub async fn spawn_app() -> TestApp {
    let db = TestDatabase::create().await.expect("test database");
    let tokens = TestTokens::new();
    let vars = ServiceVars::new(&tokens, SERVICE_TOKEN)
        .database(&db)
        .set("DATABASE_MAX_CONNECTIONS", "8");
    let address = start_service!(history, vars);
    TestApp {
        address,
        db,
        tokens,
        client: http_client(),
    }
}

/// A record of a finished session for `user`, ended `ended_ago` before now.
pub fn record_body(
    user: Uuid,
    room: Uuid,
    difficulty: &str,
    topics: &[&str],
    ended_at: DateTime<Utc>,
) -> Value {
    json!({
        "room_id": room,
        "user_id": user,
        "peer": {"id": Uuid::new_v4(), "username": "grace"},
        "question": {"id": Uuid::new_v4(), "title": "Odd Sums", "difficulty": difficulty, "topics": topics},
        "language": "python",
        "code": "def odd_sum(n):\n    return n * n\n",
        "started_at": ended_at - Duration::minutes(25),
        "ended_at": ended_at,
        "outcome": "completed"
    })
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}/history-service-api{path}", self.address)
    }

    /// An internal route's address: at the root, outside the public prefix.
    pub fn internal_url(&self, path: &str) -> String {
        format!("{}/internal{path}", self.address)
    }

    pub fn user(&self, role: Role) -> TestUser {
        let (id, token) = self.tokens.new_user(role);
        TestUser { id, token }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        let mut request = self.client.get(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        call(request, Body::Empty).await
    }

    /// Records as the collaboration service does, with the service credential.
    pub async fn record(&self, body: Value) -> Reply {
        self.record_with(Some(SERVICE_TOKEN), Body::Json(body))
            .await
    }

    pub async fn record_with(&self, service_token: Option<&str>, body: Body<'_>) -> Reply {
        let mut request = self.client.post(self.internal_url("/attempts"));
        if let Some(token) = service_token {
            request = request.insert_header(("X-Service-Token", token));
        }
        call(request, body).await
    }

    /// Records a completed attempt for `user`; returns its id.
    pub async fn attempt(
        &self,
        user: &TestUser,
        difficulty: &str,
        topics: &[&str],
        ended_at: DateTime<Utc>,
    ) -> String {
        let reply = self
            .record(record_body(
                user.id,
                Uuid::new_v4(),
                difficulty,
                topics,
                ended_at,
            ))
            .await;
        assert_eq!(reply.status, 201, "{}", reply.body);
        reply.body["id"].as_str().expect("id").to_owned()
    }

    pub async fn count(&self) -> i64 {
        shared::testing::query_one_i64(&self.db.url(), "SELECT count(*) FROM attempts").await
    }
}
