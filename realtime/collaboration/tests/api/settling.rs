//! Sessions are settled from what Redis holds, not from a process's memory: a room everyone
//! left is recorded as abandoned even when the process they left is stopped within the grace
//! (by a fresh process), and a stored update that cannot be applied does not keep a room
//! from opening.

use std::time::Duration;

use awc::http::StatusCode;

use crate::helpers::{LOCAL_REDIS, Options, QUIET, spawn};

#[actix_web::test]
async fn a_room_left_then_its_process_stopped_in_the_grace_is_recorded_once_by_a_fresh_process() {
    let mut stack = spawn(Options {
        as_processes: true,
        redis: Some(LOCAL_REDIS.into()),
        idle_grace_secs: 4,
        ..Options::default()
    })
    .await;
    let room = stack.room().await;
    let mut ada = stack.editor(0, &room, 0).await;
    let mut bob = stack.editor(0, &room, 1).await;
    ada.insert(0, "half done").await;
    ada.settle(QUIET).await;
    bob.settle(QUIET).await;
    ada.ws.close().await;
    bob.ws.close().await;
    actix_web::rt::time::sleep(Duration::from_millis(300)).await;

    // Stopped inside the grace: its own timer never fires.
    let mut first = stack.children.remove(0);
    let status = shared::testing::terminate(&mut first, Duration::from_secs(10)).await;
    assert!(status.success(), "{status}");
    assert!(
        stack.recorded(room.id).await.is_empty(),
        "not before the grace"
    );

    stack.start_process(&[]).await;
    let recorded = stack
        .both_recorded(room.id, "both attempts recorded by the fresh process")
        .await;
    assert!(
        recorded
            .iter()
            .all(|(_, outcome, code)| outcome == "abandoned" && code == "half done"),
        "{recorded:?}"
    );
    for (user, _) in &room.members {
        assert_eq!(
            recorded.iter().filter(|(id, _, _)| id == user).count(),
            1,
            "once each"
        );
    }
    // And it is no longer waiting to be settled.
    let mut redis = shared::bus::connection_manager(LOCAL_REDIS)
        .await
        .expect("redis");
    shared::testing::eventually("forgotten once settled", Duration::from_secs(5), || {
        let mut redis = redis.clone();
        let key = format!("{}settle", stack.redis_prefix);
        let id = room.id.to_string();
        async move {
            let score: Option<f64> = redis::cmd("ZSCORE")
                .arg(key)
                .arg(id)
                .query_async(&mut redis)
                .await
                .expect("zscore");
            score.is_none().then_some(())
        }
    })
    .await;
    let _: () = redis::cmd("PING")
        .query_async(&mut redis)
        .await
        .expect("ping");
}

#[actix_web::test]
async fn a_corrupt_update_in_the_rooms_stream_is_skipped_when_the_room_opens_and_when_it_is_compacted()
 {
    let stack = spawn(Options::two_processes()).await;
    let room = stack.room().await;
    let mut ada = stack.editor(0, &room, 0).await;
    ada.insert(0, "kept").await;
    ada.settle(QUIET).await;
    let mut redis = shared::bus::connection_manager(LOCAL_REDIS)
        .await
        .expect("redis");
    let _: String = redis::cmd("XADD")
        .arg(format!("{}doc:{}", stack.redis_prefix, room.id))
        .arg("*")
        .arg("u")
        .arg(&[0xff_u8, 0x07, 0x01, 0x02][..])
        .query_async(&mut redis)
        .await
        .expect("xadd");
    ada.insert(4, " too").await;
    ada.settle(QUIET).await;

    // Process one loads the room from Redis, corrupt entry and all.
    let info = stack.room_info(1, room.id, &room.members[1].1).await;
    assert_eq!(info.status, StatusCode::OK, "{}", info.body);
    assert_eq!(stack.text_seen_by(1, &room, 1).await, "kept too");

    // Compaction leaves the corrupt entry out rather than keeping the stream forever.
    let store = collaboration::store::DocStore::Redis {
        conn: redis.clone(),
        prefix: stack.redis_prefix.clone(),
    };
    assert!(store.compact(room.id).await.expect("compacted"));
    let left: usize = redis::cmd("XLEN")
        .arg(format!("{}doc:{}", stack.redis_prefix, room.id))
        .query_async(&mut redis)
        .await
        .expect("xlen");
    assert_eq!(left, 0, "the stream was folded into the snapshot");
    let loaded = store.load(room.id).await.expect("load");
    let rebuilt =
        collaboration::sync::RoomDoc::from_updates(loaded.updates.iter().map(Vec::as_slice));
    assert!(
        rebuilt.skipped.is_empty(),
        "the snapshot holds no corrupt entry"
    );
    assert_eq!(rebuilt.doc.code(), "kept too");
}

#[actix_web::test]
async fn a_session_ended_while_history_is_down_ends_and_is_recorded_once_history_answers() {
    let mut stack = spawn(Options {
        redis: Some(LOCAL_REDIS.into()),
        ..Options::default()
    })
    .await;
    // Process one cannot reach history (nothing listens there).
    let nowhere = format!("http://127.0.0.1:{}", shared::testing::free_port());
    let one = stack
        .start_process(&[("HISTORY_SERVICE_URL", nowhere)])
        .await;
    let room = stack.room().await;
    let mut ada = stack.editor(one, &room, 0).await;
    ada.insert(0, "finished").await;
    ada.settle(QUIET).await;

    let end = stack.end(one, room.id, &room.members[0].1).await;
    assert_eq!(end.status, StatusCode::OK, "{}", end.body);
    assert_eq!(end.body["status"], "ended");
    assert!(stack.recorded(room.id).await.is_empty());

    // The process that ended it goes away; process zero (which reaches history) records it.
    let mut child = stack.children.remove(0);
    child.kill().expect("SIGKILL process one");
    child.wait().expect("reaped");
    let recorded = stack
        .both_recorded(room.id, "recorded by the other process's sweep")
        .await;
    assert!(
        recorded
            .iter()
            .all(|(_, outcome, code)| outcome == "completed" && code == "finished"),
        "{recorded:?}"
    );
}

/// A Redis server of the test's own, which the test may break.
struct OwnRedis {
    child: std::process::Child,
    url: String,
}

impl OwnRedis {
    async fn start() -> Self {
        let port = shared::testing::free_port();
        let child = std::process::Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("redis-server runs");
        let url = format!("redis://127.0.0.1:{port}");
        let own = Self { child, url };
        shared::testing::eventually("redis up", Duration::from_secs(10), || async {
            shared::bus::connection_manager(&own.url).await.ok()
        })
        .await;
        own
    }

    async fn command(&self, args: &[&str]) {
        let mut redis = shared::bus::connection_manager(&self.url)
            .await
            .expect("redis");
        let mut command = redis::cmd(args[0]);
        for arg in &args[1..] {
            command.arg(*arg);
        }
        let _: redis::Value = command.query_async(&mut redis).await.expect("command");
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[actix_web::test]
async fn a_redis_error_while_settling_is_retried_not_taken_for_another_process_having_it() {
    let redis = OwnRedis::start().await;
    let stack = spawn(Options {
        redis: Some(redis.url.clone()),
        idle_grace_secs: 1,
        ..Options::default()
    })
    .await;
    let room = stack.room().await;
    let mut ada = stack.editor(0, &room, 0).await;
    ada.insert(0, "kept").await;
    ada.settle(QUIET).await;

    // Every read and script of the service now fails (NOPERM), for longer than the grace.
    redis
        .command(&[
            "ACL", "SETUSER", "default", "-zrange", "-evalsha", "-eval", "-exists",
        ])
        .await;
    ada.ws.close().await;
    actix_web::rt::time::sleep(Duration::from_secs(3)).await;
    assert!(stack.recorded(room.id).await.is_empty());
    redis.command(&["ACL", "SETUSER", "default", "+@all"]).await;

    let recorded = stack
        .both_recorded(room.id, "recorded once Redis answers again")
        .await;
    assert!(
        recorded
            .iter()
            .all(|(_, outcome, code)| outcome == "abandoned" && code == "kept"),
        "{recorded:?}"
    );
}
