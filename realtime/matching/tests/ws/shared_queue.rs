//! Several processes sharing one queue in Redis.

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use futures_util::future::join_all;
use serde_json::json;

use matching::actors::queue::LoseMatchedNotices;

use crate::helpers::{LOCAL_REDIS, Options, SHORT, User, join, spawn};

/// Longer than a process takes to look at its waiting tickets twice (every 2 s).
const LOOKS: Duration = Duration::from_millis(4500);

#[actix_web::test]
async fn users_on_different_processes_are_matched_with_each_other() {
    let app = spawn(Options {
        nodes: 2,
        redis: Some(LOCAL_REDIS.into()),
        ..Options::default()
    })
    .await;
    let mut ada = app.user(0).await;
    let mut bob = app.user(1).await;
    ada.join(&["trees"], "hard").await;
    let queued = bob.join(&["trees"], "hard").await;
    assert_eq!(queued["waiting"], 2);

    let for_ada = ada.expect("matched").await;
    let for_bob = bob.expect("matched").await;
    assert_eq!(for_ada["room_id"], for_bob["room_id"]);
    assert_eq!(for_ada["peer"]["id"], bob.id.to_string());
    assert_eq!(app.rooms().await, 1);
}

#[actix_web::test]
async fn two_hundred_users_joining_at_once_make_exactly_one_hundred_pairs() {
    let app = spawn(Options {
        nodes: 2,
        redis: Some(LOCAL_REDIS.into()),
        ..Options::default()
    })
    .await;
    let users: Vec<User> = join_all((0..200).map(|i| app.user(i % 2))).await;
    let results = join_all(users.into_iter().map(|mut user| async move {
        user.ws.send_json(&join(&["arrays"], "easy")).await;
        assert_eq!(user.expect("queued").await["type"], "queued");
        let matched = user.expect("matched").await;
        (user.id, matched)
    }))
    .await;

    let mut rooms: HashMap<String, Vec<(uuid::Uuid, String)>> = HashMap::new();
    for (user, matched) in &results {
        let room = matched["room_id"].as_str().expect("room").to_owned();
        let peer = matched["peer"]["id"].as_str().expect("peer").to_owned();
        rooms.entry(room).or_default().push((*user, peer));
    }
    assert_eq!(rooms.len(), 100);
    for members in rooms.values() {
        assert_eq!(members.len(), 2, "a room with {members:?}");
        assert_eq!(members[0].1, members[1].0.to_string());
        assert_eq!(members[1].1, members[0].0.to_string());
    }
    assert_eq!(app.rooms().await, 100);
}

#[actix_web::test]
async fn a_lost_matched_notice_is_delivered_late_with_the_same_room_and_no_second_match() {
    let app = spawn(Options {
        nodes: 2,
        redis: Some(LOCAL_REDIS.into()),
        ..Options::default()
    })
    .await;
    // Whichever process makes the match drops its notice to the other, as a publish lost on
    // the bus would be: the peer's process hears nothing.
    for queue in &app.queues {
        queue
            .send(LoseMatchedNotices { count: 1 })
            .await
            .expect("queue actor");
    }
    let mut ada = app.user(0).await;
    let mut bob = app.user(1).await;
    ada.join(&["trees"], "hard").await;
    bob.join(&["trees"], "hard").await;

    let for_ada = ada.expect("matched").await;
    let for_bob = bob.expect("matched").await;
    assert_eq!(for_ada["room_id"], for_bob["room_id"]);
    assert_eq!(for_ada["peer"]["id"], bob.id.to_string());
    assert_eq!(for_bob["peer"]["id"], ada.id.to_string());
    assert_eq!(for_ada["question"], for_bob["question"]);

    // Told once, and neither ticket is back in the queue: a newcomer on either process,
    // waiting past a few of the processes' looks at their tickets, stays alone.
    for node in [0, 1] {
        let mut carol = app.user(node).await;
        carol.join(&["trees"], "hard").await;
        carol.ws.expect_silence(LOOKS).await;
        carol.ws.send_json(&json!({"type": "cancel"})).await;
        carol.expect("cancelled").await;
    }
    ada.ws.expect_silence(SHORT).await;
    bob.ws.expect_silence(SHORT).await;
    assert_eq!(app.rooms().await, 1);
}

#[actix_web::test]
async fn a_cancel_racing_a_match_either_wins_cleanly_or_loses_cleanly() {
    let app = spawn(Options {
        nodes: 2,
        redis: Some(LOCAL_REDIS.into()),
        ..Options::default()
    })
    .await;
    let (mut cancelled, mut matched) = (0, 0);
    for _ in 0..15 {
        let mut ada = app.user(0).await;
        let mut bob = app.user(1).await;
        ada.join(&["strings"], "medium").await;
        bob.ws.send_json(&join(&["strings"], "medium")).await;
        ada.ws.send_json(&json!({"type": "cancel"})).await;
        bob.expect("queued").await;
        let outcome = ada.ws.recv_json().await;
        match outcome["type"].as_str() {
            Some("cancelled") => {
                cancelled += 1;
                bob.ws.expect_silence(SHORT).await;
                bob.ws.send_json(&json!({"type": "cancel"})).await;
                bob.expect("cancelled").await;
            }
            Some("matched") => {
                matched += 1;
                let other = bob.expect("matched").await;
                assert_eq!(other["room_id"], outcome["room_id"]);
                ada.ws.expect_silence(Duration::from_millis(200)).await; // the late cancel does nothing
            }
            _ => panic!("{outcome}"),
        }
    }
    assert_eq!(cancelled + matched, 15);
    assert_eq!(app.rooms().await, matched);
}

/// A Redis server of the test's own, which it may stop and start.
struct OwnRedis {
    port: u16,
    child: Child,
}

impl OwnRedis {
    fn start(port: u16) -> Self {
        let child = Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server runs (make test installs it)");
        let started = std::time::Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "redis never listened"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Self { port, child }
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    fn restart(mut self) -> Self {
        let _ = self.child.kill();
        let _ = self.child.wait();
        Self::start(self.port)
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[actix_web::test]
async fn a_redis_restart_loses_no_waiting_user() {
    let port = shared::testing::free_port();
    let redis = OwnRedis::start(port);
    let app = spawn(Options {
        nodes: 2,
        redis: Some(redis.url()),
        ..Options::default()
    })
    .await;
    let mut ada = app.user(0).await;
    let ticket = ada.join(&["graphs"], "easy").await["ticket_id"]
        .as_str()
        .expect("ticket id")
        .to_owned();

    let redis = redis.restart(); // the queue is gone with it
    let key = format!("{}ticket:{ticket}", app.redis_prefix);
    let conn = shared::bus::connection_manager(&redis.url())
        .await
        .expect("redis");
    shared::testing::eventually(
        "ada's process put her ticket back",
        Duration::from_secs(10),
        || {
            let (mut conn, key) = (conn.clone(), key.clone());
            async move {
                let found: i64 = redis::cmd("EXISTS")
                    .arg(&key)
                    .query_async(&mut conn)
                    .await
                    .ok()?;
                (found == 1).then_some(())
            }
        },
    )
    .await;

    let mut bob = app.user(1).await;
    loop {
        bob.ws.send_json(&join(&["graphs"], "easy")).await;
        let reply = bob.ws.recv_json().await;
        if reply["type"] == "queued" {
            break;
        }
        assert_eq!(reply["code"], "unavailable", "{reply}");
        actix_web::rt::time::sleep(Duration::from_millis(500)).await;
    }
    let for_ada = ada.expect("matched").await;
    let for_bob = bob.expect("matched").await;
    assert_eq!(for_ada["room_id"], for_bob["room_id"]);
}

/// Right after a Redis restart no process's heartbeat is there, though every process is
/// alive and says so again within a second. A round in that moment must not take their
/// waiting users for orphans and drop them: it waits for a heartbeat to stay missing for
/// `ORPHAN_GRACE`. (The heartbeats are deleted here rather than by a restart, so that the
/// joins surely land in that moment.)
#[actix_web::test]
async fn users_joining_while_heartbeats_are_missing_are_not_dropped_as_orphans() {
    let app = spawn(Options {
        nodes: 2,
        redis: Some(LOCAL_REDIS.into()),
        ..Options::default()
    })
    .await;
    let (mut ada, mut bob) = (app.user(0).await, app.user(1).await);
    let mut conn = shared::bus::connection_manager(LOCAL_REDIS)
        .await
        .expect("redis");
    let heartbeats: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{}node:*", app.redis_prefix))
        .query_async(&mut conn)
        .await
        .expect("keys");
    assert_eq!(heartbeats.len(), 2, "both processes beat");
    let _: i64 = redis::cmd("DEL")
        .arg(&heartbeats)
        .query_async(&mut conn)
        .await
        .expect("del");
    ada.join(&["graphs"], "easy").await;
    bob.join(&["graphs"], "easy").await;
    let for_ada = ada.expect("matched").await;
    let for_bob = bob.expect("matched").await;
    assert_eq!(for_ada["room_id"], for_bob["room_id"]);
}
