//! Collaboration: rooms of two editors, each typing at a steady rate, through this process's
//! `yrs` y-websocket clients; and the same load through the stock Yjs client (Node), against
//! `@y/websocket-server` and against the collaboration service, in the same run.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use shared::auth::Role;
use uuid::Uuid;

use crate::clients::{Editor, Ledger, http};
use crate::measure::{Latencies, Usage};
use crate::report::Metric;
use crate::stack::{Redis, Service, fresh_prefix};
use crate::{Ctx, Run};

mod reference;

/// Edits a second per editor.
pub const RATE: f64 = 5.0;
/// How long editing goes on after it stops, for the last edits to arrive.
const DRAIN: Duration = Duration::from_secs(2);

/// The collaboration service: `processes` sharing `redis` (one alone in memory without),
/// with a matching process to look rooms up in.
pub struct Collab {
    pub nodes: Vec<Service>,
    pub matching: crate::stack::Matching,
    pub redis: Option<Redis>,
}

impl Collab {
    pub async fn start(ctx: &Ctx, processes: usize, with_redis: bool) -> anyhow::Result<Self> {
        let redis = if with_redis {
            Some(Redis::start().await?)
        } else {
            None
        };
        let matching = ctx.stack.matching(1, None, None).await?;
        let mut vars = ctx
            .stack
            .vars()
            .set("MATCHING_SERVICE_URL", matching.nodes[0].url.clone())
            .set("HISTORY_SERVICE_URL", "http://127.0.0.1:9");
        if let Some(redis) = &redis {
            vars = vars
                .set("REDIS_URL", redis.url())
                .set("REDIS_KEY_PREFIX", fresh_prefix());
        }
        let mut nodes = Vec::new();
        for _ in 0..processes {
            nodes.push(ctx.stack.start("collaboration-service", &vars).await?);
        }
        Ok(Self {
            nodes,
            matching,
            redis,
        })
    }

    /// The processes whose CPU counts: the collaboration processes, and Redis.
    pub fn pids(&self) -> Vec<u32> {
        let mut pids: Vec<u32> = self.nodes.iter().map(Service::pid).collect();
        pids.extend(self.redis.as_ref().map(Redis::pid));
        pids
    }

    /// `rooms` new rooms; each member's token (the first member on the first process, the
    /// second on the last).
    pub async fn rooms(&self, ctx: &Ctx, rooms: usize) -> anyhow::Result<Vec<(Uuid, [String; 2])>> {
        let mut made = Vec::with_capacity(rooms);
        for _ in 0..rooms {
            let (a, b) = (
                ctx.stack.tokens.new_user(Role::User),
                ctx.stack.tokens.new_user(Role::User),
            );
            let room = self.matching.room([a.0, b.0]).await?;
            made.push((room, [a.1, b.1]));
        }
        Ok(made)
    }

    pub fn url(&self, member: usize) -> String {
        let node = &self.nodes[member * (self.nodes.len() - 1)];
        format!("{}/collaboration-service-api/yjs", node.ws())
    }
}

/// What one load measured.
pub struct Measured {
    pub latencies: Latencies,
    pub edits: usize,
    pub delivered: usize,
    pub cpu_secs: f64,
    pub kib_per_client: f64,
    /// Clients the server closed while the load ran.
    pub disconnected: usize,
}

impl Measured {
    /// The figures every collaboration load reports, named after `who`.
    pub fn metrics(mut self, cpu_target: Option<f64>) -> Vec<Metric> {
        let cpu = Metric::new(
            "CPU per edit",
            "µs",
            self.cpu_secs * 1e6 / self.edits.max(1) as f64,
        );
        vec![
            Metric::new("edit → peer p50", "ms", self.latencies.quantile(0.5)),
            Metric::new("edit → peer p99", "ms", self.latencies.quantile(0.99)),
            match cpu_target {
                Some(target) => cpu.at_most(target),
                None => cpu,
            },
            Metric::new("memory per client", "KiB", self.kib_per_client),
            Metric::new("edits made", "", self.edits as f64),
            Metric::new(
                "edits lost",
                "",
                self.edits.saturating_sub(self.delivered) as f64,
            )
            .at_most(0.0),
            Metric::new("clients disconnected", "", self.disconnected as f64).at_most(0.0),
        ]
    }
}

/// `rooms` rooms of two `yrs` editors at [`RATE`] for `ctx.seconds`.
pub async fn rust_load(
    ctx: &Ctx,
    collab: &Collab,
    rooms: usize,
) -> anyhow::Result<(Measured, Option<std::path::PathBuf>)> {
    let client = http();
    let plan = collab.rooms(ctx, rooms).await?;
    let pids = collab.pids();
    let before = Usage::of(&pids);
    let connects = plan.iter().flat_map(|(room, tokens)| {
        (0..2).map(move |member| {
            (
                format!("{}/{room}", collab.url(member)),
                tokens[member].clone(),
            )
        })
    });
    let editors: Vec<Editor> = futures_util::stream::iter(connects)
        .map(|(url, token)| {
            let client = client.clone();
            async move { Editor::connect(&client, &url, &token).await }
        })
        .buffer_unordered(64)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<anyhow::Result<_>>()?;
    let clients = editors.len();
    let connected = Usage::of(&pids);

    let ledger = Rc::new(RefCell::new(Ledger::default()));
    let until = Instant::now() + Duration::from_secs(ctx.seconds);
    let recording = ctx.profile(&pids);
    let every = 1.0 / RATE;
    let results =
        futures_util::future::join_all(editors.into_iter().enumerate().map(|(index, editor)| {
            let phase = Duration::from_secs_f64(every * (index as f64 * 0.618_034).fract());
            editor.edit(RATE, phase, until, DRAIN, ledger.clone())
        }))
        .await;
    let used = Usage::of(&pids).since(connected);
    let profile = ctx.finish_profile(recording);
    // An editor the server closed (an overloaded process resets a room whose store timed
    // out, and tells its clients to reconnect) stops editing; the rest go on, and it counts.
    let disconnected = results.iter().filter(|result| result.is_err()).count();
    if let Some(Err(err)) = results.iter().find(|result| result.is_err()) {
        eprintln!("  {disconnected} editors were disconnected, the first: {err:#}");
    }
    let ledger = Rc::try_unwrap(ledger)
        .map_err(|_| anyhow::anyhow!("editors still hold the ledger"))?
        .into_inner();
    Ok((
        Measured {
            latencies: ledger.latencies,
            edits: ledger.edits,
            delivered: ledger.delivered,
            cpu_secs: used.cpu_secs,
            kib_per_client: connected.since(before).rss_kib / clients as f64,
            disconnected,
        },
        profile,
    ))
}

/// One process, no Redis: the `yrs` load (the targets), then the stock client's load against
/// the reference server and against this process, for the ratio.
pub async fn one_process(ctx: &Ctx, rooms: usize) -> anyhow::Result<Run> {
    let collab = Collab::start(ctx, 1, false).await?;
    let (measured, profile) = rust_load(ctx, &collab, rooms).await?;
    let mut metrics = measured.metrics(Some(15.0));
    if let Some(memory) = metrics.iter_mut().find(|m| m.name == "memory per client") {
        memory.target = Some(crate::report::Target::AtMost(20.0));
    }

    let plan = collab.rooms(ctx, rooms).await?;
    let ours = reference::stock_load(ctx, &collab.url(0), &plan, &collab.pids()).await?;
    let theirs = reference::against_reference(ctx, &plan).await?;
    let (mut ours, mut theirs) = (ours, theirs);
    let (our_p99, their_p99) = (
        ours.latencies.quantile(0.99),
        theirs.latencies.quantile(0.99),
    );
    metrics.extend([
        Metric::new(
            "stock client → reference: p50",
            "ms",
            theirs.latencies.quantile(0.5),
        ),
        Metric::new("stock client → reference: p99", "ms", their_p99),
        Metric::new(
            "stock client → reference: CPU per edit",
            "µs",
            theirs.cpu_secs * 1e6 / theirs.edits.max(1) as f64,
        ),
        Metric::new(
            "stock client → reference: memory per client",
            "KiB",
            theirs.kib_per_client,
        ),
        Metric::new(
            "stock client → ours: p50",
            "ms",
            ours.latencies.quantile(0.5),
        ),
        Metric::new("stock client → ours: p99", "ms", our_p99),
        Metric::new(
            "stock client → ours: CPU per edit",
            "µs",
            ours.cpu_secs * 1e6 / ours.edits.max(1) as f64,
        ),
        Metric::new(
            "p99 ours / reference (same run)",
            "×",
            our_p99 / their_p99.max(1e-9),
        )
        .at_most(1.0),
        Metric::new(
            "CPU per edit reference / ours (same run)",
            "×",
            (theirs.cpu_secs / theirs.edits.max(1) as f64)
                / (ours.cpu_secs / ours.edits.max(1) as f64).max(1e-12),
        ),
        Metric::new(
            "stock client → ours: edits lost",
            "",
            ours.edits.saturating_sub(ours.delivered) as f64,
        )
        .at_most(0.0),
    ]);
    Ok(Run { metrics, profile })
}

/// Two processes sharing Redis, members of a room on different processes.
pub async fn two_processes(
    ctx: &Ctx,
    rooms: usize,
    p99_target: Option<f64>,
) -> anyhow::Result<Run> {
    let collab = Collab::start(ctx, 2, true).await?;
    let (measured, profile) = rust_load(ctx, &collab, rooms).await?;
    let mut metrics = measured.metrics(p99_target.is_none().then_some(30.0));
    if let Some(target) = p99_target
        && let Some(p99) = metrics.iter_mut().find(|m| m.name == "edit → peer p99")
    {
        p99.target = Some(crate::report::Target::AtMost(target));
    }
    Ok(Run { metrics, profile })
}
