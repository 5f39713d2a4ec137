#![expect(clippy::print_stdout, reason = "a benchmark reports on stdout")]
//! `make bench`: starts the real services in this process (PostgreSQL and Redis as
//! `make test` provides them) and measures what users feel:
//!
//! - **match latency**: from the second user's `join` to both users holding `matched`, for
//!   pairs on two matching processes sharing Redis;
//! - **edit propagation**: from one member sending an edit to the other member, on another
//!   collaboration process, receiving it;
//! - **chat delivery**: rooms of two members on two chat processes, one message a second
//!   each (see [`chat`]).
//!
//! Prints p50 / p95 / max. Debug builds (what `make bench` uses) are slower than release.

use std::time::{Duration, Instant};

use shared::auth::Role;
use shared::start_service;
use shared::testing::{ServiceVars, TestDatabase, TestTokens, WsClient};
use uuid::Uuid;
use yrs::sync::{Message, SyncMessage};
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{Doc, ReadTxn, Text, Transact};

mod chat;

const REDIS: &str = "redis://127.0.0.1:6379";
const SERVICE_TOKEN: &str = "bench-token";
const PAIRS: usize = 50;
const EDITS: usize = 200;

/// A room for two users, made by matching's own code in its database; its id.
async fn make_room(matching: &shared::db::PgPool, users: [Uuid; 2]) -> anyhow::Result<Uuid> {
    let [a, b] = users.map(|id| shared::contract::PublicProfile {
        id,
        username: format!("u{}", &id.simple().to_string()[..8]),
    });
    let db = matching.get().await?;
    Ok(matching::rooms::for_testing(&db, [&a, &b]).await?.id)
}

fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{name:<40} n={:<5} p50={:>7.1} ms  p95={:>7.1} ms  p99={:>7.1} ms  max={:>7.1} ms",
        samples.len(),
        at(0.5).as_secs_f64() * 1000.0,
        at(0.95).as_secs_f64() * 1000.0,
        at(0.99).as_secs_f64() * 1000.0,
        at(1.0).as_secs_f64() * 1000.0
    );
}

/// A matching process sharing Redis under `prefix`; its websocket base URL.
async fn start_matching(
    tokens: &TestTokens,
    db: &TestDatabase,
    prefix: &str,
    question: &str,
    history: &str,
) -> String {
    let vars = ServiceVars::new(tokens, SERVICE_TOKEN)
        .database(db)
        .set("REDIS_URL", REDIS)
        .set("REDIS_KEY_PREFIX", prefix)
        .set("QUESTION_SERVICE_URL", question)
        .set("HISTORY_SERVICE_URL", history);
    start_service!(matching, vars).replace("http://", "ws://")
}

async fn match_latency(tokens: &TestTokens) -> anyhow::Result<Vec<Duration>> {
    let (question_db, history_db, matching_db) = (
        TestDatabase::create().await?,
        TestDatabase::create().await?,
        TestDatabase::create().await?,
    );
    let base = ServiceVars::new(tokens, SERVICE_TOKEN);
    let question_url = start_service!(question, base.clone().database(&question_db));
    let history_url = start_service!(history, base.database(&history_db));

    let prefix = format!("bench:{}:", Uuid::new_v4().simple());
    let nodes = [
        start_matching(tokens, &matching_db, &prefix, &question_url, &history_url).await,
        start_matching(tokens, &matching_db, &prefix, &question_url, &history_url).await,
    ];
    let join = serde_json::json!({"type": "join", "topics": ["arrays"], "difficulty": "easy"});
    let mut samples = Vec::new();
    for _ in 0..PAIRS {
        let mut users = Vec::new();
        for node in &nodes {
            let token = tokens.new_user(Role::User).1;
            users.push(
                WsClient::connect(&format!("{node}/matching-service-api/ws"), &token)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?,
            );
        }
        users[0].send_json(&join).await;
        users[0].recv_json().await;
        let started = Instant::now();
        users[1].send_json(&join).await;
        users[1].recv_json().await;
        for user in &mut users {
            let matched = user.recv_json().await;
            anyhow::ensure!(matched["type"] == "matched", "{matched}");
        }
        samples.push(started.elapsed());
    }
    Ok(samples)
}

async fn edit_propagation(tokens: &TestTokens) -> anyhow::Result<Vec<Duration>> {
    let matching_db = TestDatabase::create().await?;
    let prefix = format!("bench:{}:", Uuid::new_v4().simple());
    let matching_url = start_matching(
        tokens,
        &matching_db,
        &prefix,
        "http://127.0.0.1:9",
        "http://127.0.0.1:9",
    )
    .await
    .replace("ws://", "http://");
    let vars = ServiceVars::new(tokens, SERVICE_TOKEN)
        .set("MATCHING_SERVICE_URL", matching_url)
        .set("REDIS_URL", REDIS)
        .set("REDIS_KEY_PREFIX", prefix);
    let mut nodes = Vec::new();
    for _ in 0..2 {
        let address = start_service!(collaboration, vars.clone());
        nodes.push(format!(
            "{}/collaboration-service-api/yjs",
            address.replace("http://", "ws://")
        ));
    }
    let (ada, bob) = (tokens.new_user(Role::User), tokens.new_user(Role::User));
    let pool = shared::db::pool(&matching_db.settings())?;
    let room = make_room(&pool, [ada.0, bob.0]).await?;

    let mut writer = WsClient::connect(&format!("{}/{room}", nodes[0]), &ada.1)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut reader = WsClient::connect(&format!("{}/{room}", nodes[1]), &bob.1)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let doc = Doc::new();
    let text = doc.get_or_insert_text(collaboration::sync::CODE);
    for client in [&mut writer, &mut reader] {
        client
            .send_binary(
                Message::Sync(SyncMessage::SyncStep1(Doc::new().transact().state_vector()))
                    .encode_v1(),
            )
            .await;
        while client
            .next_frame(Duration::from_millis(300))
            .await
            .is_some()
        {}
    }
    let mut samples = Vec::new();
    for i in 0..EDITS {
        let update = {
            let mut txn = doc.transact_mut();
            text.push(&mut txn, &format!("{i} "));
            txn.encode_update_v1()
        };
        let started = Instant::now();
        writer
            .send_binary(collaboration::sync::update_frame(&update))
            .await;
        loop {
            match reader.next_frame(Duration::from_secs(5)).await {
                Some(shared::testing::WsFrame::Binary(bytes)) => {
                    if let Ok(Message::Sync(SyncMessage::Update(_))) = Message::decode_v1(&bytes) {
                        break;
                    }
                }
                Some(_) => {}
                None => anyhow::bail!("edit {i} never arrived"),
            }
        }
        samples.push(started.elapsed());
        while writer.next_frame(Duration::from_millis(1)).await.is_some() {}
    }
    Ok(samples)
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let tokens = TestTokens::new();
    println!("PeerPrep benchmarks (debug build, loopback, 2 processes per service)");
    report(
        "match: 2nd join -> both matched",
        match_latency(&tokens).await?,
    );
    report(
        "edit: sent on node 0 -> seen on node 1",
        edit_propagation(&tokens).await?,
    );
    let chat = chat::run(&tokens).await?;
    report("chat: sent on node 0/1 -> peer on 1/0", chat.latencies);
    println!(
        "chat: {} messages sent, {} lost, {} reordered; {:.1} us chat CPU per delivered message; {:.0} KiB per connection",
        chat.sent,
        chat.lost,
        chat.reordered,
        chat.cpu_per_message.as_secs_f64() * 1e6,
        chat.memory_per_connection_kb
    );
    Ok(())
}
