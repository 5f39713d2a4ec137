//! Matching: users join at a steady rate, alternately on two matching processes sharing
//! Redis, all for the same topic and difficulty, so that any two match. From the second
//! join of a pair to both members holding `matched`; pairs made, users matched twice, users
//! never matched; and the CPU of matching (and Redis) per user. Optionally with Redis
//! killed and started empty halfway through.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use shared::auth::Role;
use uuid::Uuid;

use crate::clients::{Ws, http};
use crate::measure::{Latencies, Usage};
use crate::report::Metric;
use crate::stack::Redis;
use crate::{Ctx, Run};

/// How long after the last join users wait for their match.
const DRAIN: Duration = Duration::from_secs(10);

#[derive(Default)]
struct Tally {
    /// Per room: each member's join and match times.
    rooms: HashMap<Uuid, Vec<(Uuid, Instant, Instant)>>,
    matched_twice: usize,
    never_matched: usize,
    errors: usize,
}

pub async fn run(ctx: &Ctx, users_per_sec: usize, restart_redis: bool) -> anyhow::Result<Run> {
    let seconds = ctx.seconds.min(10);
    let users = (users_per_sec * seconds as usize) & !1;
    let mut redis = Redis::start().await?;
    let crud = ctx.stack.question_and_history().await?;
    let matching = ctx.stack.matching(2, Some(&redis), Some(&crud)).await?;
    let pids = |redis: &Redis| {
        let mut pids = matching.pids();
        pids.push(redis.pid());
        pids
    };

    let client = http();
    let plan: Vec<(usize, (Uuid, String))> = (0..users)
        .map(|i| (i % 2, ctx.stack.tokens.new_user(Role::User)))
        .collect();
    let sessions: Vec<(Uuid, Ws)> = futures_util::stream::iter(plan)
        .map(|(node, (user, token))| {
            let client = client.clone();
            let url = format!("{}/matching-service-api/ws", matching.nodes[node].ws());
            async move { anyhow::Ok((user, Ws::connect(&client, &url, &token).await?)) }
        })
        .buffer_unordered(64)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<anyhow::Result<_>>()?;

    let tally = Rc::new(RefCell::new(Tally::default()));
    let start = Instant::now() + Duration::from_millis(200);
    let every = Duration::from_secs(seconds) / users as u32;
    let before = Usage::of(&pids(&redis));
    let recording = ctx.profile(&pids(&redis));
    let joins = futures_util::future::join_all(
        sessions
            .into_iter()
            .enumerate()
            .map(|(i, (user, ws))| user_joins(user, ws, start + every * i as u32, tally.clone())),
    );
    let restart = async {
        if restart_redis {
            tokio::time::sleep_until((start + Duration::from_secs(seconds) / 2).into()).await;
            redis.restart().await?;
        }
        anyhow::Ok(())
    };
    let (results, restarted) = futures_util::future::join(joins, restart).await;
    restarted?;
    // Redis's CPU before a restart is lost with its process; the new one's is counted.
    let used = Usage::of(&pids(&redis)).since(before);
    let profile = ctx.finish_profile(recording);
    let failed = results.into_iter().filter(Result::is_err).count();
    let tally = tally.take();

    let mut latencies = Latencies::default();
    let (mut pairs, mut odd_rooms) = (0, 0);
    for members in tally.rooms.values() {
        let [a, b] = members.as_slice() else {
            odd_rooms += 1;
            continue;
        };
        pairs += 1;
        if a.0 == b.0 {
            odd_rooms += 1;
        }
        latencies.push(a.2.max(b.2) - a.1.max(b.1));
    }
    Ok(Run {
        metrics: vec![
            Metric::new("users", "", users as f64),
            Metric::new("pairs made", "", pairs as f64).at_least((users / 2) as f64),
            Metric::new(
                "users matched twice or rooms not of two",
                "",
                (tally.matched_twice + odd_rooms) as f64,
            )
            .at_most(0.0),
            Metric::new(
                "users never matched",
                "",
                (tally.never_matched + tally.errors + failed) as f64,
            )
            .at_most(0.0),
            Metric::new("2nd join → both matched p50", "ms", latencies.quantile(0.5)),
            Metric::new(
                "2nd join → both matched p99",
                "ms",
                latencies.quantile(0.99),
            )
            .at_most(50.0),
            Metric::new(
                "matching CPU per user",
                "µs",
                used.cpu_secs * 1e6 / users as f64,
            )
            .at_most(100.0),
        ],
        profile,
    })
}

/// One user: joins at `at`, waits for `matched`, and keeps listening for a second one.
async fn user_joins(
    user: Uuid,
    mut ws: Ws,
    at: Instant,
    tally: Rc<RefCell<Tally>>,
) -> anyhow::Result<()> {
    tokio::time::sleep_until(at.into()).await;
    let joined = Instant::now();
    let result = async {
        ws.text(
            serde_json::json!({"type": "join", "topics": ["arrays"], "difficulty": "easy"})
                .to_string(),
        )
        .await?;
        let deadline = at + DRAIN + Duration::from_secs(10);
        let mut matched = None;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let frame = match ws.json(left).await {
                Ok(Some(frame)) => frame,
                // Closed after the match, or the wait is over.
                Ok(None) | Err(_) if matched.is_some() => break,
                Ok(None) => break,
                Err(err) => return Err(err),
            };
            if frame["type"] != "matched" {
                continue;
            }
            let room: Uuid = frame["room_id"].as_str().unwrap_or_default().parse()?;
            if matched.is_some() {
                tally.borrow_mut().matched_twice += 1;
                continue;
            }
            matched = Some(room);
            tally
                .borrow_mut()
                .rooms
                .entry(room)
                .or_default()
                .push((user, joined, Instant::now()));
            // Listen a little longer for a second match.
            let quiet = Instant::now() + Duration::from_secs(2);
            if quiet < deadline {
                let _ = ws.json(Duration::from_secs(2)).await.map(|frame| {
                    if frame.is_some_and(|f| f["type"] == "matched") {
                        tally.borrow_mut().matched_twice += 1;
                    }
                });
            }
            break;
        }
        if matched.is_none() {
            tally.borrow_mut().never_matched += 1;
        }
        anyhow::Ok(())
    }
    .await;
    if result.is_err() {
        tally.borrow_mut().errors += 1;
    }
    Ok(())
}
