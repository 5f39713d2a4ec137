//! Throwaway TLS servers for these tests, each in a scratch directory removed afterwards:
//! a CA and a certificate for `localhost` made with the `openssl` CLI, a PostgreSQL cluster
//! that accepts TLS only (`hostssl` lines alone), and a Redis with a TLS port only.
//!
//! Nothing here touches the machine's own PostgreSQL or Redis. A missing program fails the
//! test and names the Debian package that brings it (`make test` installs them).

use std::net::TcpListener;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a server may take to start answering.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// A directory for one test, deleted with everything in it when dropped.
pub struct Scratch {
    pub dir: PathBuf,
}

impl Scratch {
    pub fn new() -> Self {
        let dir =
            std::env::temp_dir().join(format!("peerprep-tls-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("create the scratch directory");
        Self { dir }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Err(err) = std::fs::remove_dir_all(&self.dir) {
            log::warn!("could not remove {}: {err}", self.dir.display());
        }
    }
}

/// A CA, a server certificate for `localhost` (no IP address) that it signed, and a second
/// CA that signed nothing here.
pub struct Certificates {
    pub ca: PathBuf,
    pub other_ca: PathBuf,
    pub server_cert: PathBuf,
    pub server_key: PathBuf,
}

impl Certificates {
    pub fn make(dir: &Path) -> Self {
        let (ca, ca_key) = make_ca(dir, "ca");
        let (other_ca, _) = make_ca(dir, "other-ca");
        let server_key = dir.join("server.key");
        let csr = dir.join("server.csr");
        run(
            Command::new("openssl")
                .args([
                    "req",
                    "-newkey",
                    "ec",
                    "-pkeyopt",
                    "ec_paramgen_curve:prime256v1",
                ])
                .args(["-nodes", "-subj", "/CN=localhost", "-keyout"])
                .arg(&server_key)
                .arg("-out")
                .arg(&csr),
            "make the server's key",
        );
        let extensions = dir.join("server.ext");
        std::fs::write(
            &extensions,
            "subjectAltName=DNS:localhost\nbasicConstraints=critical,CA:FALSE\n\
             keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n",
        )
        .expect("write the extensions file");
        let server_cert = dir.join("server.pem");
        run(
            Command::new("openssl")
                .args(["x509", "-req", "-days", "2", "-set_serial", "4242", "-in"])
                .arg(&csr)
                .arg("-CA")
                .arg(&ca)
                .arg("-CAkey")
                .arg(&ca_key)
                .arg("-extfile")
                .arg(&extensions)
                .arg("-out")
                .arg(&server_cert),
            "sign the server's certificate",
        );
        // PostgreSQL refuses a key that others may read.
        std::fs::set_permissions(&server_key, std::fs::Permissions::from_mode(0o600))
            .expect("chmod the server key");
        Self {
            ca,
            other_ca,
            server_cert,
            server_key,
        }
    }
}

fn make_ca(dir: &Path, name: &str) -> (PathBuf, PathBuf) {
    let cert = dir.join(format!("{name}.pem"));
    let key = dir.join(format!("{name}.key"));
    run(
        Command::new("openssl")
            .args([
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
            ])
            .args(["-nodes", "-days", "2", "-subj"])
            .arg(format!("/CN=PeerPrep test {name}"))
            .args(["-addext", "basicConstraints=critical,CA:TRUE"])
            .args(["-addext", "keyUsage=critical,keyCertSign,cRLSign"])
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&cert),
        "make a CA",
    );
    (cert, key)
}

/// Runs a setup step; a missing program or a failure stops the test with its output.
fn run(command: &mut Command, what: &str) {
    let program = command.get_program().to_string_lossy().into_owned();
    let output = match command.stdin(Stdio::null()).output() {
        Ok(output) => output,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => panic!(
            "{what}: `{program}` is not installed ({err}); install it (Debian: {})",
            package_of(&program)
        ),
        Err(err) => panic!("{what}: could not run `{program}`: {err}"),
    };
    assert!(
        output.status.success(),
        "{what}: `{program}` failed ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn package_of(program: &str) -> &'static str {
    match Path::new(program)
        .file_name()
        .and_then(|name| name.to_str())
    {
        Some("openssl") => "openssl",
        Some("redis-server") => "redis-server",
        Some("runuser") => "util-linux",
        _ => "postgresql",
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

/// Waits until something accepts connections on the port, or the child has died.
fn wait_for_port(port: u16, child: &mut Child, log: &Path, what: &str) {
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!(
                "{what} exited ({status}) before listening:\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        assert!(
            started.elapsed() < START_TIMEOUT,
            "{what} is not listening on {port} after {START_TIMEOUT:?}:\n{}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A PostgreSQL cluster of its own on a free port that only accepts TLS.
pub struct TlsPostgres {
    pub port: u16,
    data: PathBuf,
    pub certificates: Certificates,
    // Dropped last: the cluster is stopped before its directory goes.
    _scratch: Scratch,
}

impl TlsPostgres {
    pub fn start() -> Self {
        let scratch = Scratch::new();
        let certificates = Certificates::make(&scratch.dir);
        let data = scratch.dir.join("data");
        let root = is_root();
        if root {
            // PostgreSQL refuses to run as root; the cluster and its key belong to `postgres`.
            run(
                Command::new("chown")
                    .args(["-R", "postgres:postgres"])
                    .arg(&scratch.dir),
                "give the scratch directory to the postgres user",
            );
        }
        run(
            as_database_user(&pg_program("initdb"), root)
                .args([
                    "--auth=trust",
                    "--username=postgres",
                    "--no-sync",
                    "--encoding=UTF8",
                    "-D",
                ])
                .arg(&data),
            "initdb",
        );
        // TLS only, as RDS with `rds.force_ssl`: plaintext TCP has no line to match.
        std::fs::write(
            data.join("pg_hba.conf"),
            "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostssl all all ::1/128 trust\n",
        )
        .expect("write pg_hba.conf");
        let port = free_port();
        let options = format!(
            "-p {port} -k {socket} -c listen_addresses=127.0.0.1 -c fsync=off -c ssl=on \
             -c ssl_cert_file={cert} -c ssl_key_file={key}",
            socket = scratch.dir.display(),
            cert = certificates.server_cert.display(),
            key = certificates.server_key.display(),
        );
        run(
            as_database_user(&pg_program("pg_ctl"), root)
                .arg("-D")
                .arg(&data)
                .arg("-l")
                .arg(scratch.dir.join("postgres.log"))
                .args(["-w", "-t", "30", "-o", &options, "start"]),
            "start PostgreSQL with ssl=on",
        );
        Self {
            port,
            data,
            certificates,
            _scratch: scratch,
        }
    }

    /// `postgres://postgres@{host}:{port}/postgres` followed by `query`.
    pub fn url(&self, host: &str, query: &str) -> String {
        format!("postgres://postgres@{host}:{}/postgres{query}", self.port)
    }
}

impl Drop for TlsPostgres {
    fn drop(&mut self) {
        let stopped = as_database_user(&pg_program("pg_ctl"), is_root())
            .arg("-D")
            .arg(&self.data)
            .args(["-m", "immediate", "stop"])
            .stdout(Stdio::null())
            .status();
        if !matches!(stopped, Ok(status) if status.success()) {
            log::warn!("could not stop the test cluster in {}", self.data.display());
        }
    }
}

/// A program of the newest PostgreSQL installed (Debian keeps them out of `PATH`).
fn pg_program(name: &str) -> PathBuf {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            let program = entry.path().join("bin").join(name);
            program.exists().then_some((version, program))
        })
        .collect();
    versions.sort();
    match versions.pop() {
        Some((_, program)) => program,
        None => panic!(
            "PostgreSQL's server programs are not installed (no /usr/lib/postgresql/*/bin/{name}); \
             install Debian's `postgresql` package (`make test` does, through scripts/ensure-services.sh)"
        ),
    }
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|meta| meta.uid() == 0)
}

fn as_database_user(program: &Path, root: bool) -> Command {
    if root {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

/// A Redis of its own that listens on a TLS port only (`--port 0`).
pub struct TlsRedis {
    pub port: u16,
    child: Child,
    pub certificates: Certificates,
    _scratch: Scratch,
}

impl TlsRedis {
    pub fn start() -> Self {
        let scratch = Scratch::new();
        let certificates = Certificates::make(&scratch.dir);
        let port = free_port();
        let log = scratch.dir.join("redis.log");
        let log_file = std::fs::File::create(&log).expect("create the Redis log");
        let spawned = Command::new("redis-server")
            .args([
                "--port",
                "0",
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .arg("--tls-port")
            .arg(port.to_string())
            .arg("--tls-cert-file")
            .arg(&certificates.server_cert)
            .arg("--tls-key-file")
            .arg(&certificates.server_key)
            .arg("--tls-ca-cert-file")
            .arg(&certificates.ca)
            .args(["--tls-auth-clients", "no", "--dir"])
            .arg(&scratch.dir)
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("log handle"))
            .stderr(log_file)
            .spawn();
        let mut child = match spawned {
            Ok(child) => child,
            Err(err) => panic!(
                "`redis-server` could not be started ({err}); install Debian's `redis-server` \
                 package (`make test` does, through scripts/ensure-services.sh)"
            ),
        };
        wait_for_port(port, &mut child, &log, "redis-server with --tls-port");
        Self {
            port,
            child,
            certificates,
            _scratch: scratch,
        }
    }

    /// `{scheme}://localhost:{port}/0` followed by `query`.
    pub fn url(&self, scheme: &str, query: &str) -> String {
        format!("{scheme}://localhost:{}/0{query}", self.port)
    }
}

impl Drop for TlsRedis {
    fn drop(&mut self) {
        if let Err(err) = self.child.kill().and_then(|()| self.child.wait().map(drop)) {
            log::warn!("could not stop the test Redis: {err}");
        }
    }
}
