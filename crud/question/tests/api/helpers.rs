//! `spawn_app()` and one helper per endpoint.

use serde_json::{Value, json};
use shared::auth::Role;
use shared::start_service;
pub use shared::testing::{Body, Reply, call};
use shared::testing::{ServiceVars, TestDatabase, TestTokens, http_client};

pub struct TestApp {
    pub address: String,
    pub db: TestDatabase,
    pub tokens: TestTokens,
    pub client: awc::Client,
}

/// With the shipped question bank loaded.
pub async fn spawn_app() -> TestApp {
    spawn(true).await
}

/// With no questions at all.
pub async fn spawn_empty_app() -> TestApp {
    spawn(false).await
}

async fn spawn(seed: bool) -> TestApp {
    let db = TestDatabase::create().await.expect("test database");
    let tokens = TestTokens::new();
    let vars = ServiceVars::new(&tokens, "question-test-token")
        .database(&db)
        .set("SEED_QUESTIONS", seed.to_string());
    let address = start_service!(question, vars);
    TestApp {
        address,
        db,
        tokens,
        client: http_client(),
    }
}

/// A valid question body with this title.
pub fn question_body(title: &str) -> Value {
    json!({
        "title": title,
        "description": "Given `n`, return the sum of the first `n` odd numbers.",
        "difficulty": "easy",
        "topics": ["math", "arrays"],
        "examples": [
            {"input": "n = 3", "output": "9", "explanation": "1 + 3 + 5"},
            {"input": "n = 1", "output": "1"}
        ],
        "constraints": ["1 <= n <= 10^4"],
        "starter_code": {"python": "def odd_sum(n):\n    pass\n"}
    })
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}/question-service-api{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> Reply {
        call(self.client.get(self.url(path)), Body::Empty).await
    }

    pub fn admin(&self) -> String {
        self.tokens.new_user(Role::Admin).1
    }

    pub fn user(&self) -> String {
        self.tokens.new_user(Role::User).1
    }

    pub async fn create(&self, token: Option<&str>, body: Value) -> Reply {
        let mut request = self.client.post(self.url("/questions"));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        call(request, Body::Json(body)).await
    }

    pub async fn replace(&self, token: Option<&str>, id: &str, body: Value) -> Reply {
        let mut request = self.client.put(self.url(&format!("/questions/{id}")));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        call(request, Body::Json(body)).await
    }

    pub async fn delete(&self, token: Option<&str>, id: &str) -> Reply {
        let mut request = self.client.delete(self.url(&format!("/questions/{id}")));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        call(request, Body::Empty).await
    }

    pub async fn count(&self) -> i64 {
        shared::testing::query_one_i64(&self.db.url(), "SELECT count(*) FROM questions").await
    }
}
