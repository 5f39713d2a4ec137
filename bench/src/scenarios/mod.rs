//! Every load `make bench` runs, one module each, and the targets each is judged by.

pub mod chat;
pub mod collaboration;
pub mod crud;
pub mod idle;
pub mod matching;
pub mod startup;

use crate::{Ctx, Run};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    CollaborationOneProcess,
    CollaborationTwoProcesses,
    CollaborationManyRooms,
    Chat,
    Matching,
    MatchingRedisRestart,
    IdleConnections,
    Crud,
    Startup,
}

impl Scenario {
    pub const ALL: [Self; 9] = [
        Self::CollaborationOneProcess,
        Self::CollaborationTwoProcesses,
        Self::CollaborationManyRooms,
        Self::Chat,
        Self::Matching,
        Self::MatchingRedisRestart,
        Self::IdleConnections,
        Self::Crud,
        Self::Startup,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::CollaborationOneProcess => "collaboration-1-process",
            Self::CollaborationTwoProcesses => "collaboration-2-processes",
            Self::CollaborationManyRooms => "collaboration-2000-rooms",
            Self::Chat => "chat",
            Self::Matching => "matching",
            Self::MatchingRedisRestart => "matching-redis-restart",
            Self::IdleConnections => "idle-connections",
            Self::Crud => "crud",
            Self::Startup => "startup",
        }
    }

    /// What the scenario does, at `scale` (1.0: the numbers).
    pub fn what(self, ctx: &Ctx) -> String {
        let s = ctx.seconds;
        match self {
            Self::CollaborationOneProcess => format!(
                "{} rooms × 2 `yrs` editors, 5 edits a second each for {s} s, on one \
                 collaboration process without Redis (documents in memory). Then the same load \
                 through the stock Yjs client (yjs 13 + y-websocket 3, one Node process) \
                 against `@y/websocket-server` 0.1.1 and against this process, in the same run.",
                ctx.scaled(100)
            ),
            Self::CollaborationTwoProcesses => format!(
                "{} rooms × 2 `yrs` editors, 5 edits a second each for {s} s; the two members \
                 of a room on different collaboration processes sharing Redis (every edit stored \
                 in Redis before it is sent on). CPU counts both processes and Redis.",
                ctx.scaled(100)
            ),
            Self::CollaborationManyRooms => format!(
                "{} rooms × 2 editors as above, across two processes and Redis.",
                ctx.scaled(2000)
            ),
            Self::Chat => format!(
                "{} rooms × 2 members on two chat processes sharing Redis, one message a second \
                 each for {s} s. CPU counts both processes and Redis, per delivery (to the peer \
                 and back to the sender).",
                ctx.scaled(1000)
            ),
            Self::Matching => format!(
                "{} users joining over {} s, alternately on two matching processes sharing \
                 Redis, all for `arrays`/`easy`; the question and history services they call are \
                 release processes too. CPU counts matching and Redis.",
                ctx.scaled(1000) * s.min(10) as usize,
                s.min(10)
            ),
            Self::MatchingRedisRestart => {
                "The matching load with Redis killed and started empty halfway through.".into()
            }
            Self::IdleConnections => format!(
                "{} authenticated websockets opened on one matching process, 256 handshakes in \
                 flight, then held for 12 s.",
                ctx.scaled(10_000)
            ),
            Self::Crud => format!(
                "The question service (2 workers) under wrk, 2 threads and 64 keep-alive \
                 connections for {} s per endpoint, and `pgbench -S` with 64 clients on the same \
                 PostgreSQL.",
                s.min(10)
            ),
            Self::Startup => "Each service's process from spawn to its first `/ready`.".into(),
        }
    }

    pub async fn run(self, ctx: &Ctx) -> anyhow::Result<Run> {
        match self {
            Self::CollaborationOneProcess => collaboration::one_process(ctx, ctx.scaled(100)).await,
            Self::CollaborationTwoProcesses => {
                collaboration::two_processes(ctx, ctx.scaled(100), None).await
            }
            Self::CollaborationManyRooms => {
                collaboration::two_processes(ctx, ctx.scaled(2000), Some(50.0)).await
            }
            Self::Chat => chat::run(ctx, ctx.scaled(1000)).await,
            Self::Matching => matching::run(ctx, ctx.scaled(1000), false).await,
            Self::MatchingRedisRestart => matching::run(ctx, ctx.scaled(1000), true).await,
            Self::IdleConnections => idle::run(ctx, ctx.scaled(10_000)).await,
            Self::Crud => crud::run(ctx).await,
            Self::Startup => startup::run(ctx).await,
        }
    }
}
