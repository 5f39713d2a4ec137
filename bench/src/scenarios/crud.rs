//! CRUD: the question service's two busiest reads under 64 keep-alive clients (wrk), next to
//! PostgreSQL's own read-only benchmark (`pgbench -S`, 64 clients) on the same server: the
//! service should manage at least half of what the database alone does.

use std::process::Command;

use anyhow::Context;

use crate::report::Metric;
use crate::{Ctx, Run};

const CLIENTS: &str = "64";

pub async fn run(ctx: &Ctx) -> anyhow::Result<Run> {
    let seconds = ctx.seconds.min(10).to_string();
    let db = ctx.stack.database().await?;
    let question = ctx
        .stack
        .start(
            "question-service",
            &ctx.stack
                .vars()
                .database(&db)
                .set("DATABASE_MAX_CONNECTIONS", "16"),
        )
        .await?;
    let base = format!("{}/question-service-api", question.url);
    let mut list = crate::clients::http()
        .get(format!("{base}/questions?per_page=1"))
        .send()
        .await
        .map_err(|err| anyhow::anyhow!("list questions: {err}"))?;
    let page: serde_json::Value = list
        .json()
        .await
        .map_err(|err| anyhow::anyhow!("read the list: {err}"))?;
    let id = page["items"][0]["id"]
        .as_str()
        .context("the bank has a question")?
        .to_owned();

    let by_id = wrk(&format!("{base}/questions/{id}"), &seconds)?;
    // The profile (when one is made) is of the list, the heavier of the two.
    let recording = ctx.profile(&[question.pid()]);
    let listed = wrk(
        &format!("{base}/questions?topic=arrays&difficulty=easy&per_page=20"),
        &seconds,
    )?;
    let profile = ctx.finish_profile(recording);

    let bench_db = ctx.stack.database().await?;
    let status = Command::new("pgbench")
        .args(["-i", "-q", "-s", "1", &bench_db.url()])
        .output()
        .context("pgbench (`make bench` installs it with postgresql)")?;
    anyhow::ensure!(
        status.status.success(),
        "pgbench -i failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let pgbench = Command::new("pgbench")
        .args([
            "-S",
            "-n",
            "-c",
            CLIENTS,
            "-j",
            "2",
            "-T",
            &seconds,
            &bench_db.url(),
        ])
        .output()?;
    let text = String::from_utf8_lossy(&pgbench.stdout);
    let tps: f64 = text
        .lines()
        .find_map(|line| line.strip_prefix("tps = "))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .with_context(|| format!("pgbench's tps in: {text}"))?;

    Ok(Run {
        metrics: vec![
            Metric::new("GET /questions/{id}", "req/s", by_id),
            Metric::new("GET /questions?topic&difficulty", "req/s", listed),
            Metric::new("pgbench -S", "tx/s", tps),
            Metric::new("by id / pgbench -S", "×", by_id / tps).at_least(0.5),
            Metric::new("filtered list / pgbench -S", "×", listed / tps).at_least(0.5),
        ],
        profile,
    })
}

/// wrk's requests a second against `url` (two threads, [`CLIENTS`] connections).
fn wrk(url: &str, seconds: &str) -> anyhow::Result<f64> {
    let output = Command::new("wrk")
        .args(["-t", "2", "-c", CLIENTS, "-d", &format!("{seconds}s"), url])
        .output()
        .context("wrk (`make bench` installs it)")?;
    let text = String::from_utf8_lossy(&output.stdout);
    anyhow::ensure!(
        !text.contains("Non-2xx"),
        "wrk got errors from {url}: {text}"
    );
    text.lines()
        .find_map(|line| line.strip_prefix("Requests/sec:"))
        .and_then(|n| n.trim().parse().ok())
        .with_context(|| format!("wrk's requests/sec in: {text}"))
}
