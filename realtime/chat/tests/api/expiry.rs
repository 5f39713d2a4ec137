//! Every key a room writes in Redis expires: the log and its counter a day after the
//! transcript holds them, client ids after a day, and nothing is left waiting.

use std::time::Duration;

use chat::store::{FLUSHED_TTL_SECS, UNFLUSHED_TTL_SECS};

use crate::helpers::{LOCAL_REDIS, Options, spawn};

#[actix_web::test]
async fn every_key_a_chat_room_writes_in_redis_expires() {
    let stack = spawn(Options::two_processes()).await;
    let room = stack.room().await;
    let mut ada = stack.chatter(0, &room, 0, 0).await;
    let mut bob = stack.chatter(1, &room, 1, 0).await;
    ada.send("a-1", "hello").await;
    bob.send("b-1", "hi").await;
    assert_eq!(bob.messages(2).await.len(), 2);

    let redis = shared::bus::connection_manager(LOCAL_REDIS)
        .await
        .expect("redis");
    let keys = shared::testing::eventually(
        "the transcript holds both and the log is kept a day",
        Duration::from_secs(10),
        || {
            let (stack, room, mut redis) = (&stack, &room, redis.clone());
            async move {
                let copied = stack.transcript(0, room, &room.members[0].2).await;
                let keys = shared::testing::keys_and_ttls(&mut redis, &stack.redis_prefix).await;
                let log: i64 = redis::cmd("TTL")
                    .arg(format!("{}log:{}", stack.redis_prefix, room.id))
                    .query_async(&mut redis)
                    .await
                    .expect("ttl");
                let flushed = 0 < log && log <= i64::try_from(FLUSHED_TTL_SECS).ok()?;
                (copied.len() == 2 && flushed).then_some(keys)
            }
        },
    )
    .await;

    for kind in ["log:", "seq:", "retry:"] {
        assert!(
            keys.iter().any(|(key, _)| key.contains(kind)),
            "{kind} in {keys:?}"
        );
    }
    for (key, ttl) in &keys {
        assert!(
            *ttl > 0 && *ttl <= i64::try_from(UNFLUSHED_TTL_SECS).expect("fits"),
            "{key} expires ({ttl})"
        );
    }
}
