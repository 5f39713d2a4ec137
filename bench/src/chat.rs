//! The chat scenario: `ROOMS` rooms of two members, each member sending one message a second
//! for `SECONDS`, the two members of a room on different chat processes (two real
//! `chat-service` processes sharing Redis, started from the binaries next to this one).
//! Reports the time from a message being sent to the other member receiving it, messages
//! lost and reordered, the chat processes' CPU per delivered message, and their memory per
//! connection.

use std::collections::HashMap;
use std::process::Child;
use std::time::{Duration, Instant};

use shared::auth::Role;
use shared::start_service;
use shared::testing::{ServiceVars, TestDatabase, TestTokens, WsClient, WsFrame};
use uuid::Uuid;

use crate::{REDIS, SERVICE_TOKEN, make_room};

const ROOMS: usize = 100;
const SECONDS: u64 = 20;

/// What the scenario measured.
pub struct ChatRun {
    pub latencies: Vec<Duration>,
    pub sent: usize,
    pub lost: usize,
    pub reordered: usize,
    pub cpu_per_message: Duration,
    pub memory_per_connection_kb: f64,
}

/// A chat process, killed when dropped.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// CPU seconds (user + system) and resident memory (KiB) of a process, from /proc.
fn usage(pid: u32) -> anyhow::Result<(f64, f64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| -> f64 { fields.get(i).and_then(|v| v.parse().ok()).unwrap_or(0.0) };
    // utime and stime are fields 14 and 15 (11 and 12 after the command name).
    let cpu = (ticks(11) + ticks(12)) / 100.0;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let rss = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    Ok((cpu, rss))
}

fn total_usage(processes: &[Process]) -> anyhow::Result<(f64, f64)> {
    let mut total = (0.0, 0.0);
    for process in processes {
        let (cpu, rss) = usage(process.0.id())?;
        total.0 += cpu;
        total.1 += rss;
    }
    Ok(total)
}

pub async fn run(tokens: &TestTokens) -> anyhow::Result<ChatRun> {
    let binary = std::env::current_exe()?.with_file_name("chat-service");
    anyhow::ensure!(
        binary.exists(),
        "{} is missing: `make bench` builds it",
        binary.display()
    );
    let (matching_db, chat_db) = (TestDatabase::create().await?, TestDatabase::create().await?);
    let base = ServiceVars::new(tokens, SERVICE_TOKEN);
    let matching = start_service!(matching, base.clone().database(&matching_db));
    let prefix = format!("bench:{}:", Uuid::new_v4().simple());
    let vars = base
        .database(&chat_db)
        .set("MATCHING_SERVICE_URL", matching)
        .set("REDIS_URL", REDIS)
        .set("REDIS_KEY_PREFIX", prefix)
        .set("RUST_LOG", "error");
    let mut processes = Vec::new();
    let mut nodes = Vec::new();
    for _ in 0..2 {
        let (child, address) = shared::testing::start_child(&binary.to_string_lossy(), &vars).await;
        processes.push(Process(child));
        nodes.push(address.replace("http://", "ws://"));
    }

    let pool = shared::db::pool(&matching_db.settings())?;
    let before = total_usage(&processes)?;
    let mut members = Vec::new();
    for _ in 0..ROOMS {
        let (a, b) = (tokens.new_user(Role::User), tokens.new_user(Role::User));
        let room = make_room(&pool, [a.0, b.0]).await?;
        for (node, (user, token)) in [(0, a), (1, b)] {
            let url = format!("{}/chat-service-api/ws/{room}", nodes[node]);
            let ws = WsClient::connect(&url, &token)
                .await
                .map_err(|err| anyhow::anyhow!("{err}"))?;
            members.push((room, user, ws));
        }
    }
    let connected = total_usage(&processes)?;

    // Every member sends at its own phase in the second; receive times are taken here.
    let started = Instant::now();
    let sent_at: std::sync::Arc<std::sync::Mutex<HashMap<String, Instant>>> = Default::default();
    let results = futures_util::future::join_all(members.into_iter().enumerate().map(
        |(index, (room, user, mut ws))| {
            let sent_at = sent_at.clone();
            async move {
                let phase = Duration::from_millis((index as u64 * 37) % 1000);
                let mut next = started + phase;
                let mut sent = 0;
                let mut received: Vec<(u64, String, Instant)> = Vec::new();
                let end = started + Duration::from_secs(SECONDS);
                loop {
                    let now = Instant::now();
                    if now >= next && now < end {
                        let client_id = format!("{user}-{sent}");
                        lock(&sent_at).insert(format!("{room}:{client_id}"), Instant::now());
                        ws.send_json(&serde_json::json!({"type": "message", "client_id": client_id, "text": "benchmark message"}))
                            .await;
                        sent += 1;
                        next += Duration::from_secs(1);
                    }
                    let quiet_until = if now < end { next } else { end + Duration::from_secs(3) };
                    let wait = quiet_until.saturating_duration_since(Instant::now());
                    if now >= end + Duration::from_secs(3) {
                        break;
                    }
                    if let Some(WsFrame::Text(bytes)) =
                        ws.next_frame(wait.max(Duration::from_millis(1))).await
                    {
                        let frame: serde_json::Value = serde_json::from_slice(&bytes)?;
                        if frame["type"] == "message" && frame["sender"]["id"] != user.to_string()
                        {
                            let client_id = frame["client_id"].as_str().unwrap_or("").to_owned();
                            received.push((
                                frame["id"].as_u64().unwrap_or(0),
                                format!("{room}:{client_id}"),
                                Instant::now(),
                            ));
                        }
                    }
                }
                anyhow::Ok((sent, received))
            }
        },
    ))
    .await;
    let after = total_usage(&processes)?;

    let sent_at = lock(&sent_at);
    let (mut sent, mut delivered, mut reordered) = (0, 0, 0);
    let mut latencies = Vec::new();
    for result in results {
        let (member_sent, received) = result?;
        sent += member_sent;
        delivered += received.len();
        let mut last = 0;
        for (id, key, at) in received {
            if id < last {
                reordered += 1;
            }
            last = id;
            if let Some(sent) = sent_at.get(&key) {
                latencies.push(at.duration_since(*sent));
            }
        }
    }
    // Each message is delivered to the sender and to the peer: two deliveries per message.
    let cpu = after.0 - connected.0;
    Ok(ChatRun {
        latencies,
        sent,
        lost: sent.saturating_sub(delivered),
        reordered,
        cpu_per_message: Duration::from_secs_f64(cpu / (2 * sent.max(1)) as f64),
        memory_per_connection_kb: (connected.1 - before.1) / (2 * ROOMS) as f64,
    })
}

fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
