//! Start-up: each service's process, from spawn to its first successful `/ready`, on a
//! database it has already migrated (a restart, as a deployment's new task sees it). The
//! first start, which migrates and seeds, is reported beside it.

use crate::report::Metric;
use crate::stack::Redis;
use crate::{Ctx, Run};

pub async fn run(ctx: &Ctx) -> anyhow::Result<Run> {
    let redis = Redis::start().await?;
    let matching = ctx.stack.matching(1, None, None).await?;
    let mut metrics = Vec::new();
    for (binary, first, restart) in [
        ("user-service", "user: first start", "user: restart"),
        (
            "question-service",
            "question: first start",
            "question: restart",
        ),
        (
            "history-service",
            "history: first start",
            "history: restart",
        ),
        (
            "matching-service",
            "matching: first start",
            "matching: restart",
        ),
        (
            "collaboration-service",
            "collaboration: first start",
            "collaboration: restart",
        ),
        ("chat-service", "chat: first start", "chat: restart"),
    ] {
        let db = ctx.stack.database().await?;
        let mut vars = ctx
            .stack
            .vars()
            .set("REDIS_URL", redis.url())
            .set("REDIS_KEY_PREFIX", crate::stack::fresh_prefix())
            .set("MATCHING_SERVICE_URL", matching.nodes[0].url.clone());
        if binary != "collaboration-service" {
            vars = vars.database(&db);
        }
        let (service, took) = ctx.stack.start_timed(binary, &vars).await?;
        drop(service);
        metrics.push(Metric::new(first, "ms", took.as_secs_f64() * 1000.0));
        let (service, took) = ctx.stack.start_timed(binary, &vars).await?;
        drop(service);
        metrics.push(Metric::new(restart, "ms", took.as_secs_f64() * 1000.0).at_most(1000.0));
    }
    Ok(Run {
        metrics,
        profile: None,
    })
}
