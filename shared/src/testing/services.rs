//! Starting services in a test and waiting on them: their environment, the start itself,
//! and polling for what a test waits for (never a fixed sleep).

use super::{TestDatabase, TestTokens, http_client};

/// Environment variables for a service under test: port 0, one worker, the test's token
/// key and internal credential; add a database and anything else.
#[derive(Clone)]
pub struct ServiceVars(Vec<(String, String)>);

impl ServiceVars {
    pub fn new(tokens: &TestTokens, service_token: &str) -> Self {
        Self(vec![
            ("PORT".into(), "0".into()),
            ("WORKERS".into(), "1".into()),
            ("JWT_PUBLIC_KEY".into(), tokens.public_pem()),
            ("INTERNAL_SERVICE_TOKEN".into(), service_token.into()),
        ])
    }

    pub fn database(self, db: &TestDatabase) -> Self {
        self.set("DATABASE_URL", db.url())
            .set("DATABASE_MAX_CONNECTIONS", "6")
    }

    /// Sets (or replaces) a variable.
    pub fn set(mut self, name: &str, value: impl Into<String>) -> Self {
        self.0.retain(|(key, _)| key != name);
        self.0.push((name.to_owned(), value.into()));
        self
    }

    /// Removes a variable (the service then uses its default).
    pub fn unset(mut self, name: &str) -> Self {
        self.0.retain(|(key, _)| key != name);
        self
    }

    pub fn reader(&self) -> crate::config::EnvReader {
        crate::config::EnvReader::from_vars(self.0.clone())
    }

    /// For a child process: `Command::envs(vars.iter())`.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// Starts a PeerPrep service in the test's runtime from [`ServiceVars`] and evaluates to its
/// address (`http://127.0.0.1:<port>`). Every service crate has the same shape: a
/// `settings::Settings::from_reader` and a `startup::Application` with `build`, `port` and
/// `run_until_stopped`. Signals are left to the test runner.
#[macro_export]
macro_rules! start_service {
    ($service:ident, $vars:expr) => {{
        let mut settings = $service::settings::Settings::from_reader($vars.reader())
            .expect(concat!(stringify!($service), " settings"));
        settings.server.handle_signals = false;
        let app = $service::startup::Application::build(settings)
            .await
            .expect(concat!(stringify!($service), " starts"));
        let address = format!("http://127.0.0.1:{}", app.port());
        $crate::testing::spawn_local(app.run_until_stopped());
        address
    }};
}

#[doc(hidden)]
pub use actix_web::rt::spawn as spawn_local;

/// Asks `check` every 50 ms until it gives `Some`, for up to `within`; panics saying what
/// never happened.
pub async fn eventually<T, F, Fut>(what: &str, within: std::time::Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = std::time::Instant::now() + within;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{what}: not within {within:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Starts a service's binary as a child process on a free port with these variables (and
/// nothing else from the environment), and waits until it is ready. Its address and the
/// process, for a test that kills it.
pub async fn start_child(binary: &str, vars: &ServiceVars) -> (std::process::Child, String) {
    let port = free_port();
    let child = std::process::Command::new(binary)
        .env_clear()
        .envs(vars.iter())
        .env("PORT", port.to_string())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|err| panic!("{binary} starts: {err}"));
    let address = format!("http://127.0.0.1:{port}");
    wait_until_ready(&address).await;
    (child, address)
}

/// Waits until `address` answers `/ready` (a service started as a child process).
pub async fn wait_until_ready(address: &str) {
    let client = http_client();
    eventually(
        &format!("{address} ready"),
        std::time::Duration::from_secs(15),
        || async {
            client
                .get(format!("{address}/ready"))
                .send()
                .await
                .is_ok_and(|reply| reply.status().is_success())
                .then_some(())
        },
    )
    .await;
}

/// A port nothing listens on right now (for a process started later).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free port")
}

/// Sends SIGTERM and waits up to `within` for the process to exit; its exit status.
pub async fn terminate(
    child: &mut std::process::Child,
    within: std::time::Duration,
) -> std::process::ExitStatus {
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success(), "SIGTERM not delivered");
    let deadline = std::time::Instant::now() + within;
    loop {
        if let Some(status) = child.try_wait().expect("wait for the process") {
            return status;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no exit within {within:?} of SIGTERM"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// `<binary> --migrate`, the pipeline's one-off task, as the pipeline runs it: against a
/// fresh database it applies every migration and exits 0, twice in a row (the second run
/// applies nothing); against a database that does not answer it exits non-zero and says
/// which database it could not migrate. `vars` is the service's environment without a
/// database; `database` its name in the error (`user_db`).
pub async fn assert_migrate_flag(binary: &str, vars: &ServiceVars, database: &str) {
    let db = TestDatabase::create().await.expect("test database");
    let with_db = vars.clone().database(&db);
    let mut applied = Vec::new();
    for _ in 0..2 {
        let output = std::process::Command::new(binary)
            .arg(crate::db::MIGRATE_FLAG)
            .env_clear()
            .envs(with_db.iter())
            .output()
            .expect("binary runs");
        assert!(
            output.status.success(),
            "--migrate failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let sql = "SELECT count(*) FROM refinery_schema_history";
        applied.push(super::query_one_i64(&db.url(), sql).await);
    }
    assert!(applied[0] > 0, "no migration applied");
    assert_eq!(applied[0], applied[1], "the second run applied more");

    let unreachable = vars
        .clone()
        .set("DATABASE_URL", "postgres://postgres@127.0.0.1:1/nowhere");
    let output = std::process::Command::new(binary)
        .arg(crate::db::MIGRATE_FLAG)
        .env_clear()
        .envs(unreachable.iter())
        .output()
        .expect("binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success(),
        "--migrate succeeded without a database"
    );
    assert!(
        stderr.contains(&format!("migrate {database}")),
        "the error does not name {database}: {stderr}"
    );
}
