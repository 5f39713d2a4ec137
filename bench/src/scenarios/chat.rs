//! Chat: rooms of two members on two chat processes sharing Redis, each member sending one
//! message a second. Time from a message sent to the peer holding it, messages lost and
//! reordered, and the services' CPU per delivered message (each message is delivered twice:
//! to the peer and back to its sender).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::{Duration, Instant};

use awc::ws::Frame;
use futures_util::StreamExt;
use shared::auth::Role;
use uuid::Uuid;

use crate::clients::{Ws, http};
use crate::measure::{Latencies, Usage};
use crate::report::Metric;
use crate::stack::{Redis, fresh_prefix};
use crate::{Ctx, Run};

const DRAIN: Duration = Duration::from_secs(3);

#[derive(Default)]
struct Tally {
    sent_at: HashMap<String, Instant>,
    latencies: Latencies,
    sent: usize,
    delivered: usize,
    reordered: usize,
}

pub async fn run(ctx: &Ctx, rooms: usize) -> anyhow::Result<Run> {
    let redis = Redis::start().await?;
    let matching = ctx.stack.matching(1, None, None).await?;
    let db = ctx.stack.database().await?;
    let vars = ctx
        .stack
        .vars()
        .database(&db)
        .set("MATCHING_SERVICE_URL", matching.nodes[0].url.clone())
        .set("REDIS_URL", redis.url())
        .set("REDIS_KEY_PREFIX", fresh_prefix());
    let nodes = [
        ctx.stack.start("chat-service", &vars).await?,
        ctx.stack.start("chat-service", &vars).await?,
    ];
    let mut pids: Vec<u32> = nodes.iter().map(|n| n.pid()).collect();
    pids.push(redis.pid());

    let mut plan = Vec::new();
    for _ in 0..rooms {
        let (a, b) = (
            ctx.stack.tokens.new_user(Role::User),
            ctx.stack.tokens.new_user(Role::User),
        );
        let room = matching.room([a.0, b.0]).await?;
        plan.push((room, a, 0));
        plan.push((room, b, 1));
    }
    let client = http();
    let before = Usage::of(&pids);
    let members: Vec<(Uuid, Uuid, Ws)> = futures_util::stream::iter(plan)
        .map(|(room, (user, token), node)| {
            let (client, url) = (
                client.clone(),
                format!("{}/chat-service-api/ws/{room}", nodes[node].ws()),
            );
            async move { anyhow::Ok((room, user, Ws::connect(&client, &url, &token).await?)) }
        })
        .buffer_unordered(64)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<anyhow::Result<_>>()?;
    let connections = members.len();
    let connected = Usage::of(&pids);

    let tally = Rc::new(RefCell::new(Tally::default()));
    let until = Instant::now() + Duration::from_secs(ctx.seconds);
    let recording = ctx.profile(&pids);
    let results = futures_util::future::join_all(members.into_iter().enumerate().map(
        |(index, (room, user, ws))| {
            let phase = Duration::from_secs_f64((index as f64 * 0.618_034).fract());
            member(room, user, ws, phase, until, tally.clone())
        },
    ))
    .await;
    let used = Usage::of(&pids).since(connected);
    let profile = ctx.finish_profile(recording);
    let disconnected = results.iter().filter(|result| result.is_err()).count();
    let mut tally = tally.take();
    Ok(Run {
        metrics: vec![
            Metric::new("message → peer p50", "ms", tally.latencies.quantile(0.5)),
            Metric::new("message → peer p99", "ms", tally.latencies.quantile(0.99)).at_most(10.0),
            Metric::new(
                "CPU per delivered message",
                "µs",
                used.cpu_secs * 1e6 / (2 * tally.sent.max(1)) as f64,
            )
            .at_most(10.0),
            Metric::new(
                "memory per connection",
                "KiB",
                connected.since(before).rss_kib / connections as f64,
            ),
            Metric::new("messages sent", "", tally.sent as f64),
            Metric::new(
                "messages lost",
                "",
                tally.sent.saturating_sub(tally.delivered) as f64,
            )
            .at_most(0.0),
            Metric::new("messages reordered", "", tally.reordered as f64).at_most(0.0),
            Metric::new("members disconnected", "", disconnected as f64).at_most(0.0),
        ],
        profile,
    })
}

/// One member: a message a second from `phase` until `until`, reading all the while.
async fn member(
    room: Uuid,
    user: Uuid,
    mut ws: Ws,
    phase: Duration,
    until: Instant,
    tally: Rc<RefCell<Tally>>,
) -> anyhow::Result<()> {
    let mut next = Instant::now() + phase;
    let end = until + DRAIN;
    let (mut count, mut last_id) = (0, 0);
    let me = user.to_string();
    loop {
        let now = Instant::now();
        if now >= end {
            return Ok(());
        }
        if now >= next && now < until {
            let client_id = format!("{user}-{count}");
            tally
                .borrow_mut()
                .sent_at
                .insert(format!("{room}:{client_id}"), Instant::now());
            ws.text(
                serde_json::json!({"type": "message", "client_id": client_id, "text": "benchmark message"})
                    .to_string(),
            )
            .await?;
            tally.borrow_mut().sent += 1;
            count += 1;
            next += Duration::from_secs(1);
            continue;
        }
        let wake = if now < until { next.min(until) } else { end };
        let Some(Frame::Text(bytes)) = ws.next(wake - now).await? else {
            continue;
        };
        let frame: serde_json::Value = serde_json::from_slice(&bytes)?;
        if frame["type"] != "message" || frame["sender"]["id"] == me.as_str() {
            continue;
        }
        let id = frame["id"].as_u64().unwrap_or(0);
        let key = format!("{room}:{}", frame["client_id"].as_str().unwrap_or(""));
        let mut tally = tally.borrow_mut();
        if id < last_id {
            tally.reordered += 1;
        }
        last_id = id;
        if let Some(sent) = tally.sent_at.get(&key).copied() {
            tally.latencies.push(sent.elapsed());
            tally.delivered += 1;
        }
    }
}
