//! Idle connections: many authenticated websockets opened on one matching process as fast as
//! the generator can (256 handshakes in flight), then held: how long until all were
//! accepted, the process's memory per connection, and how many are still open after a few
//! heartbeats.

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use shared::auth::Role;

use crate::clients::{Ws, http};
use crate::measure::Usage;
use crate::report::Metric;
use crate::{Ctx, Run};

pub async fn run(ctx: &Ctx, connections: usize) -> anyhow::Result<Run> {
    let matching = ctx.stack.matching(1, None, None).await?;
    let pid = [matching.nodes[0].pid()];
    let url = format!("{}/matching-service-api/ws", matching.nodes[0].ws());
    let tokens: Vec<String> = (0..connections)
        .map(|_| ctx.stack.tokens.new_user(Role::User).1)
        .collect();
    let client = http();
    let before = Usage::of(&pid);
    let started = Instant::now();
    let recording = ctx.profile(&pid);
    let opened: Vec<anyhow::Result<Ws>> = futures_util::stream::iter(tokens)
        .map(|token| {
            let (client, url) = (client.clone(), url.clone());
            async move { Ws::connect(&client, &url, &token).await }
        })
        .buffer_unordered(256)
        .collect()
        .await;
    let took = started.elapsed();
    let profile = ctx.finish_profile(recording);
    let accepted = Usage::of(&pid);
    let mut sockets: Vec<Ws> = opened.into_iter().filter_map(Result::ok).collect();
    let refused = connections - sockets.len();

    // Hold them through a couple of heartbeats, answering pings; count the ones still open.
    let held = futures_util::future::join_all(sockets.iter_mut().map(|ws| async {
        let until = Instant::now() + Duration::from_secs(12);
        loop {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return true;
            }
            if ws.next(left).await.is_err() {
                return false;
            }
        }
    }))
    .await;
    let open = held.iter().filter(|open| **open).count();
    Ok(Run {
        metrics: vec![
            Metric::new("connections", "", connections as f64),
            Metric::new("all accepted within", "s", took.as_secs_f64()).at_most(10.0),
            Metric::new(
                "memory per connection",
                "KiB",
                accepted.since(before).rss_kib / connections as f64,
            )
            .at_most(10.0),
            Metric::new("refused", "", refused as f64).at_most(0.0),
            Metric::new("dropped while idle", "", (sockets.len() - open) as f64).at_most(0.0),
            Metric::new(
                "CPU per connection accepted",
                "µs",
                accepted.since(before).cpu_secs * 1e6 / connections as f64,
            ),
        ],
        profile,
    })
}
