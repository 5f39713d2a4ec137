//! `spawn_app()` and one helper per endpoint.

use awc::http::StatusCode;
use serde_json::json;
use shared::auth::{AccessClaims, SigningKey};
use shared::config::{EnvReader, ExposeSecret};
use shared::testing::TestDatabase;
use uuid::Uuid;

use user::settings::Settings;
use user::startup::Application;

pub const ADMIN_EMAIL: &str = "root@peerprep.test";
pub const ADMIN_PASSWORD: &str = "the-admins-secret-1";
pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub address: String,
    pub db: TestDatabase,
    pub key: SigningKey,
    pub settings: Settings,
    pub client: awc::Client,
}

pub use shared::testing::{Body, Reply, call};

/// The tokens in a sign-up, log-in or refresh reply.
pub trait AuthReply {
    fn token(&self) -> String;
    fn refresh_token(&self) -> String;
}

impl AuthReply for Reply {
    fn token(&self) -> String {
        self.body["access_token"]
            .as_str()
            .expect("access_token")
            .to_owned()
    }

    fn refresh_token(&self) -> String {
        self.body["refresh_token"]
            .as_str()
            .expect("refresh_token")
            .to_owned()
    }
}

/// A signed-up user and their first tokens.
pub struct TestUser {
    pub id: Uuid,
    pub email: String,
    pub username: String,
    pub access_token: String,
    pub refresh_token: String,
}

pub fn base_vars(db: &TestDatabase, key: &SigningKey) -> Vec<(String, String)> {
    [
        ("PORT", "0".to_owned()),
        ("WORKERS", "1".to_owned()),
        ("DATABASE_URL", db.url()),
        ("DATABASE_MAX_CONNECTIONS", "4".to_owned()),
        ("JWT_PRIVATE_KEY", key.to_pem().expose_secret().to_owned()),
        ("ADMIN_EMAIL", ADMIN_EMAIL.to_owned()),
        ("ADMIN_USERNAME", "root".to_owned()),
        ("ADMIN_PASSWORD", ADMIN_PASSWORD.to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// Starts the service with extra environment variables on top of the test defaults.
pub async fn spawn_app_with(extra: &[(&str, &str)]) -> TestApp {
    let db = TestDatabase::create().await.expect("test database");
    let key = SigningKey::generate().expect("key");
    let mut vars = base_vars(&db, &key);
    vars.extend(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    let address = start(&vars).await;
    let settings = settings_from(&vars);
    TestApp {
        address,
        db,
        key,
        settings,
        client: client(),
    }
}

pub fn settings_from(vars: &[(String, String)]) -> Settings {
    let mut settings =
        Settings::from_reader(EnvReader::from_vars(vars.iter().cloned())).expect("test settings");
    settings.server.handle_signals = false;
    settings
}

/// Builds and runs an application from these variables; returns its base URL.
pub async fn start(vars: &[(String, String)]) -> String {
    let app = Application::build(settings_from(vars))
        .await
        .expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    actix_web::rt::spawn(app.run_until_stopped());
    address
}

pub use shared::testing::http_client as client;

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}/user-service-api{path}", self.address)
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        call(bearer(self.client.get(self.url(path)), token), Body::Empty).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Body<'_>) -> Reply {
        call(bearer(self.client.post(self.url(path)), token), body).await
    }

    pub async fn patch(&self, path: &str, token: Option<&str>, body: Body<'_>) -> Reply {
        call(bearer(self.client.patch(self.url(path)), token), body).await
    }

    /// A POST that a trusted proxy forwarded for `address` (with `TRUSTED_PROXY_HOPS=1`).
    pub async fn post_from(&self, address: &str, path: &str, body: serde_json::Value) -> Reply {
        let request = self
            .client
            .post(self.url(path))
            .insert_header(("x-forwarded-for", address));
        call(request, Body::Json(body)).await
    }

    /// Rows in the attempts table whose subject starts with `prefix`.
    pub async fn count_attempts(&self, prefix: &str) -> i64 {
        let sql = format!(
            "SELECT count(*) FROM login_failures WHERE starts_with(subject, '{}')",
            prefix.replace('\'', "''")
        );
        shared::testing::query_one_i64(&self.db.url(), &sql).await
    }

    pub async fn signup(&self, email: &str, username: &str, password: &str) -> Reply {
        self.post(
            "/auth/signup",
            None,
            Body::Json(json!({ "email": email, "username": username, "password": password })),
        )
        .await
    }

    pub async fn login(&self, email: &str, password: &str) -> Reply {
        self.post(
            "/auth/login",
            None,
            Body::Json(json!({ "email": email, "password": password })),
        )
        .await
    }

    pub async fn refresh(&self, refresh_token: &str) -> Reply {
        self.post(
            "/auth/refresh",
            None,
            Body::Json(json!({ "refresh_token": refresh_token })),
        )
        .await
    }

    pub async fn me(&self, token: &str) -> Reply {
        self.get("/users/me", Some(token)).await
    }

    /// Signs up a fresh user with a unique name.
    pub async fn new_user(&self) -> TestUser {
        let name = format!("u{}", &Uuid::new_v4().simple().to_string()[..12]);
        let email = format!("{name}@example.com");
        let reply = self.signup(&email, &name, PASSWORD).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        TestUser {
            id: reply.body["user"]["id"]
                .as_str()
                .expect("id")
                .parse()
                .expect("uuid"),
            email,
            username: name,
            access_token: reply.token(),
            refresh_token: reply.refresh_token(),
        }
    }

    pub async fn admin_token(&self) -> String {
        let reply = self.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        reply.token()
    }

    /// Signs claims with the service's own key (for tokens the service would not issue).
    pub fn sign(&self, claims: &AccessClaims) -> String {
        self.key.sign(claims).expect("sign")
    }

    /// Claims as the service would issue them for `user`, valid now.
    pub fn claims_for(&self, user: &TestUser) -> AccessClaims {
        shared::auth::JwtVerifier::for_signing_key(
            &self.key,
            &self.settings.tokens.issuer,
            &self.settings.tokens.audience,
        )
        .expect("verifier")
        .verify(&user.access_token)
        .expect("the service's own token verifies")
    }

    /// Rows in the users table.
    pub async fn count_users(&self) -> i64 {
        shared::testing::query_one_i64(&self.db.url(), "SELECT count(*) FROM users").await
    }
}

fn bearer(request: awc::ClientRequest, token: Option<&str>) -> awc::ClientRequest {
    match token {
        Some(token) => request.bearer_auth(token),
        None => request,
    }
}
