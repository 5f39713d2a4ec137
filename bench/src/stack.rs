//! What a scenario runs against: the services' release binaries as processes of their own, a
//! Redis of the bench's own (so that restarting it disturbs nothing else), fresh databases
//! on the machine's PostgreSQL, and access tokens signed with a key the services trust.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;
use shared::testing::{ServiceVars, TestDatabase, TestTokens};

pub const SERVICE_TOKEN: &str = "bench-service-token";

/// A child process, killed when dropped.
pub struct Process {
    pub name: String,
    child: Child,
}

impl Process {
    /// Takes charge of a child started elsewhere.
    pub fn adopt(name: &str, child: Child) -> Self {
        Self {
            name: name.to_owned(),
            child,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A service's process and where it answers (`http://127.0.0.1:<port>`).
pub struct Service {
    pub process: Process,
    pub url: String,
}

impl Service {
    pub fn pid(&self) -> u32 {
        self.process.pid()
    }

    /// The same address for websockets.
    pub fn ws(&self) -> String {
        self.url.replacen("http://", "ws://", 1)
    }
}

/// Where the release binaries are, and the key tokens are signed with.
pub struct Stack {
    pub tokens: TestTokens,
    bin_dir: PathBuf,
}

impl Stack {
    /// The binaries next to this one (`target/release/`), which `make bench` builds.
    pub fn new() -> anyhow::Result<Self> {
        let exe = std::env::current_exe()?;
        let bin_dir = exe
            .parent()
            .context("the bench binary has a directory")?
            .to_owned();
        Ok(Self {
            tokens: TestTokens::new(),
            bin_dir,
        })
    }

    /// The variables every service gets: the token key and the internal credential, quiet
    /// logs, and the service's default number of workers (2 for CRUD, 1 for real-time).
    pub fn vars(&self) -> ServiceVars {
        ServiceVars::new(&self.tokens, SERVICE_TOKEN)
            .unset("WORKERS")
            .set(
                "RUST_LOG",
                std::env::var("BENCH_RUST_LOG").unwrap_or_else(|_| "error".into()),
            )
    }

    /// Starts `binary` (e.g. `collaboration-service`) on a free port and waits for `/ready`.
    pub async fn start(&self, binary: &str, vars: &ServiceVars) -> anyhow::Result<Service> {
        Ok(self.start_timed(binary, vars).await?.0)
    }

    /// Starts `binary` and times it from the spawn to its first successful `/ready`.
    pub async fn start_timed(
        &self,
        binary: &str,
        vars: &ServiceVars,
    ) -> anyhow::Result<(Service, Duration)> {
        let (child, url, took) = self.spawn(binary, vars).await?;
        let service = Service {
            process: Process::adopt(binary, child),
            url,
        };
        Ok((service, took))
    }

    async fn spawn(
        &self,
        binary: &str,
        vars: &ServiceVars,
    ) -> anyhow::Result<(Child, String, Duration)> {
        let path = self.bin_dir.join(binary);
        anyhow::ensure!(
            path.exists(),
            "{} is missing: `make bench` builds it (cargo build --release --bins)",
            path.display()
        );
        let port = shared::testing::free_port();
        let started = Instant::now();
        let mut child = Command::new(&path)
            .env_clear()
            .envs(vars.iter())
            .env("PORT", port.to_string())
            .stdout(Stdio::null())
            .spawn()
            .with_context(|| format!("start {}", path.display()))?;
        let url = format!("http://127.0.0.1:{port}");
        let client = shared::testing::http_client();
        loop {
            let ready = client
                .get(format!("{url}/ready"))
                .send()
                .await
                .is_ok_and(|reply| reply.status().is_success());
            if ready {
                return Ok((child, url, started.elapsed()));
            }
            if let Some(status) = child.try_wait()? {
                anyhow::bail!("{binary} exited at start: {status}");
            }
            anyhow::ensure!(
                started.elapsed() < Duration::from_secs(30),
                "{binary} not ready within 30 s"
            );
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }

    /// A fresh database, dropped at the end of the scenario.
    pub async fn database(&self) -> anyhow::Result<TestDatabase> {
        TestDatabase::create().await
    }

    /// Question and history services on fresh databases (the bank seeds itself), for
    /// matching to pick questions from.
    pub async fn question_and_history(&self) -> anyhow::Result<CrudPair> {
        let (question_db, history_db) = (self.database().await?, self.database().await?);
        let question = self
            .start("question-service", &self.vars().database(&question_db))
            .await?;
        let history = self
            .start("history-service", &self.vars().database(&history_db))
            .await?;
        Ok(CrudPair {
            question,
            history,
            _dbs: [question_db, history_db],
        })
    }

    /// Matching processes sharing `redis` (or one alone in memory) with their database,
    /// pointing at `crud` for questions and history (or at nothing, when only room lookups
    /// are wanted).
    pub async fn matching(
        &self,
        processes: usize,
        redis: Option<&Redis>,
        crud: Option<&CrudPair>,
    ) -> anyhow::Result<Matching> {
        let db = self.database().await?;
        let mut vars = self
            .vars()
            .database(&db)
            .set("DATABASE_MAX_CONNECTIONS", "10");
        if let Some(redis) = redis {
            vars = vars
                .set("REDIS_URL", redis.url())
                .set("REDIS_KEY_PREFIX", fresh_prefix());
        }
        let (question, history) = match crud {
            Some(crud) => (crud.question.url.clone(), crud.history.url.clone()),
            None => ("http://127.0.0.1:9".into(), "http://127.0.0.1:9".into()),
        };
        vars = vars
            .set("QUESTION_SERVICE_URL", question)
            .set("HISTORY_SERVICE_URL", history);
        let mut nodes = Vec::new();
        for _ in 0..processes {
            nodes.push(self.start("matching-service", &vars).await?);
        }
        let pool = shared::db::pool(&db.settings())?;
        Ok(Matching {
            nodes,
            pool,
            _db: db,
        })
    }
}

/// A Redis prefix no other run uses.
pub fn fresh_prefix() -> String {
    format!("bench:{}:", uuid::Uuid::new_v4().simple())
}

pub struct CrudPair {
    pub question: Service,
    pub history: Service,
    _dbs: [TestDatabase; 2],
}

pub struct Matching {
    pub nodes: Vec<Service>,
    pool: shared::db::PgPool,
    _db: TestDatabase,
}

impl Matching {
    /// A room for two users, made by matching's own code in its database.
    pub async fn room(&self, members: [uuid::Uuid; 2]) -> anyhow::Result<uuid::Uuid> {
        let [a, b] = members.map(|id| shared::contract::PublicProfile {
            id,
            username: format!("u{}", &id.simple().to_string()[..8]),
        });
        let db = self.pool.get().await?;
        Ok(matching::rooms::for_testing(&db, [&a, &b]).await?.id)
    }

    pub fn pids(&self) -> Vec<u32> {
        self.nodes.iter().map(Service::pid).collect()
    }
}

/// The bench's own Redis server on a free port, nothing kept on disk.
pub struct Redis {
    port: u16,
    process: Option<Process>,
}

impl Redis {
    pub async fn start() -> anyhow::Result<Self> {
        let mut redis = Self {
            port: shared::testing::free_port(),
            process: None,
        };
        redis.spawn().await?;
        Ok(redis)
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    pub fn pid(&self) -> u32 {
        self.process.as_ref().map_or(0, Process::pid)
    }

    /// Kills the server (everything it held is gone) and starts an empty one on the same
    /// port.
    pub async fn restart(&mut self) -> anyhow::Result<()> {
        self.process = None;
        self.spawn().await
    }

    async fn spawn(&mut self) -> anyhow::Result<()> {
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string()])
            .args(["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .args(["--maxclients", "20000"])
            .stdout(Stdio::null())
            .spawn()
            .context("start redis-server (`make bench` installs it)")?;
        self.process = Some(Process::adopt("redis-server", child));
        listening(self.port, "redis-server", Duration::from_secs(10)).await
    }
}

/// Waits until something listens on `port` (a server that has no `/ready`).
pub async fn listening(port: u16, what: &str, within: Duration) -> anyhow::Result<()> {
    let started = Instant::now();
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        anyhow::ensure!(
            started.elapsed() < within,
            "{what} did not listen on {port} within {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    Ok(())
}
