//! Every key the queue writes in Redis expires, and a ticket whose key expired leaves the
//! queue, so nothing a user (or a process that died) leaves behind stays in Redis for good.

use std::time::Duration;

use matching::rules::Ticket;
use matching::store::{RedisStore, Store};
use shared::difficulty::Difficulty;
use uuid::Uuid;

use crate::helpers::LOCAL_REDIS;

fn ticket() -> Ticket {
    Ticket {
        id: Uuid::new_v4(),
        user_id: Uuid::new_v4(),
        username: "u".into(),
        topics: vec!["arrays".into()],
        difficulty: Difficulty::Easy,
        language: None,
        relax_difficulty: true,
        relax_topics: true,
        node: "node-a".into(),
        enqueued_at_ms: chrono::Utc::now().timestamp_millis(),
    }
}

#[actix_web::test]
async fn every_key_the_queue_writes_in_redis_expires_and_an_expired_ticket_leaves_the_queue() {
    let mut redis = shared::bus::connection_manager(LOCAL_REDIS)
        .await
        .expect("redis (make test starts it)");
    let prefix = format!("test:{}:matching:", Uuid::new_v4().simple());
    let store = Store::Redis(RedisStore::new(redis.clone(), &prefix));
    let [matched_a, matched_b, cancelled, waiting] = [ticket(), ticket(), ticket(), ticket()];
    for joining in [&matched_a, &matched_b, &cancelled, &waiting] {
        store.join(joining).await.expect("join");
    }
    assert!(store.claim(&matched_a, &matched_b).await.expect("claim"));
    assert!(store.cancel(&cancelled).await.expect("cancel"));
    store.heartbeat("node-a").await.expect("heartbeat");

    let keys = shared::testing::keys_and_ttls(&mut redis, &prefix).await;
    for kind in [
        "queue",
        "ticket:",
        "user:",
        "claimed:",
        "cancelled:",
        "node:",
    ] {
        assert!(
            keys.iter().any(|(key, _)| key.contains(kind)),
            "{kind} in {keys:?}"
        );
    }
    for (key, ttl) in &keys {
        assert!(*ttl > 0 && *ttl <= 24 * 60 * 60, "{key} expires ({ttl})");
    }

    // The waiting ticket's key runs out (as a day after a process died without removing
    // it): the next look at the queue drops it, and the queue key goes with its last entry.
    let _: i64 = redis::cmd("PEXPIRE")
        .arg(format!("{prefix}ticket:{}", waiting.id))
        .arg(1)
        .query_async(&mut redis)
        .await
        .expect("pexpire");
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert!(store.snapshot().await.expect("snapshot").is_empty());
    let queue: i64 = redis::cmd("EXISTS")
        .arg(format!("{prefix}queue"))
        .query_async(&mut redis)
        .await
        .expect("exists");
    assert_eq!(queue, 0, "no entry is left without its ticket");
}
