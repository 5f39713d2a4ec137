//! The reference: `@y/websocket-server` (the y-websocket server Yjs publishes, on Node, one
//! process, documents in memory), and the stock Yjs client load (`reference/load.mjs`) that
//! runs against it and against the collaboration service in the same run. `make bench`
//! installs both with npm.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::Context;
use uuid::Uuid;

use crate::Ctx;
use crate::measure::{Latencies, Usage};
use crate::scenarios::collaboration::{Measured, RATE};
use crate::stack::Process;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("reference")
}

/// The stock client load of `plan`'s rooms against `url` (a y-websocket base URL), with the
/// CPU and memory of `pids` (the server's processes) measured around it.
pub async fn stock_load(
    ctx: &Ctx,
    url: &str,
    plan: &[(Uuid, [String; 2])],
    pids: &[u32],
) -> anyhow::Result<Measured> {
    let clients: Vec<serde_json::Value> = plan
        .iter()
        .flat_map(|(room, tokens)| {
            tokens
                .iter()
                .map(move |token| serde_json::json!({"room": room.to_string(), "token": token}))
        })
        .collect();
    let count = clients.len();
    let file = std::env::temp_dir().join(format!("peerprep-bench-plan-{}.json", Uuid::new_v4()));
    std::fs::write(
        &file,
        serde_json::json!({
            "url": url, "clients": clients, "rate": RATE, "seconds": ctx.seconds, "drain": 2
        })
        .to_string(),
    )?;
    let before = Usage::of(pids);
    let mut node = Command::new("node")
        .arg(dir().join("load.mjs"))
        .arg(&file)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .context("start node (`make bench` installs the reference's packages)")?;
    let mut stdin = node.stdin.take().context("stdin")?;
    let stdout = node.stdout.take().context("stdout")?;
    let (lines_tx, mut lines) = tokio::sync::mpsc::unbounded_channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let _node = Process::adopt("node load.mjs", node);
    let line = next_line(&mut lines, Duration::from_secs(120)).await?;
    anyhow::ensure!(
        line == "connected",
        "unexpected output from load.mjs: {line}"
    );
    let connected = Usage::of(pids);
    writeln!(stdin, "go")?;
    let result = next_line(&mut lines, Duration::from_secs(ctx.seconds + 60)).await?;
    let used = Usage::of(pids).since(connected);
    let _ = std::fs::remove_file(&file);
    let result: serde_json::Value = serde_json::from_str(&result)?;
    let mut latencies = Latencies::default();
    for ms in result["latencies_ms"].as_array().context("latencies")? {
        latencies.push(Duration::from_secs_f64(ms.as_f64().unwrap_or(0.0) / 1000.0));
    }
    let count_of = |key: &str| result[key].as_u64().unwrap_or(0) as usize;
    Ok(Measured {
        latencies,
        edits: count_of("edits"),
        delivered: count_of("delivered"),
        cpu_secs: used.cpu_secs,
        kib_per_client: connected.since(before).rss_kib / count as f64,
        disconnected: 0,
    })
}

async fn next_line(
    lines: &mut tokio::sync::mpsc::UnboundedReceiver<String>,
    wait: Duration,
) -> anyhow::Result<String> {
    tokio::time::timeout(wait, lines.recv())
        .await
        .context("the stock client load took too long")?
        .context("the stock client load exited early")
}

/// The same load against a fresh `@y/websocket-server`.
pub async fn against_reference(
    ctx: &Ctx,
    plan: &[(Uuid, [String; 2])],
) -> anyhow::Result<Measured> {
    let port = shared::testing::free_port();
    let server = Command::new("node")
        .arg(dir().join("node_modules/@y/websocket-server/src/server.js"))
        .env("HOST", "127.0.0.1")
        .env("PORT", port.to_string())
        .stdout(Stdio::null())
        .spawn()
        .context("start @y/websocket-server")?;
    let server = Process::adopt("@y/websocket-server", server);
    crate::stack::listening(port, "@y/websocket-server", Duration::from_secs(20)).await?;
    stock_load(
        ctx,
        &format!("ws://127.0.0.1:{port}"),
        plan,
        &[server.pid()],
    )
    .await
}
