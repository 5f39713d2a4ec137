//! With Redis, storing a frame's updates and fanning them out are one request: the commit
//! script publishes the fan-out message itself. What it publishes is exactly what
//! `Fanout::decode` reads (the format the Rust side writes), with the stream ids the commit
//! returned; bytes that are not UTF-8 survive; nothing is published without a channel.

use std::time::Duration;

use collaboration::fanout::{Body, Fanout};
use collaboration::store::{Announce, DocStore};
use serde_bytes::ByteBuf;
use uuid::Uuid;

use crate::helpers::LOCAL_REDIS;

#[actix_web::test]
async fn a_commit_publishes_its_updates_in_the_fanout_format_in_the_same_request() {
    let prefix = format!("test:{}:collaboration:", Uuid::new_v4().simple());
    let store = DocStore::Redis {
        conn: shared::bus::connection_manager(LOCAL_REDIS)
            .await
            .expect("redis (make test starts it)"),
        prefix: prefix.clone(),
    };
    let room = Uuid::new_v4();
    let channel = format!("{prefix}room:{room}");
    let bus = shared::bus::Bus::connect(Some(LOCAL_REDIS))
        .await
        .expect("bus");
    let mut heard = bus.subscribe(&channel).await.expect("subscribe");
    let ttl = Duration::from_secs(60);

    let first = vec![vec![0_u8, 0xff, 0xc0, 1], b"plain text".to_vec()];
    let announce = Announce {
        channel: &channel,
        node: "node-a",
    };
    let committed = store
        .commit(room, &first, ttl, announce)
        .await
        .expect("commit");
    assert!(committed.published);
    let payload = tokio::time::timeout(Duration::from_secs(5), heard.recv())
        .await
        .expect("published within 5 s")
        .expect("a message");
    assert_eq!(
        Fanout::decode(&payload).expect("the fan-out format"),
        Fanout::new(
            "node-a",
            Body::Updates {
                after: committed.after,
                upto: committed.upto,
                updates: first.into_iter().map(ByteBuf::from).collect(),
            }
        )
    );

    let quiet = Announce {
        channel: "",
        node: "node-a",
    };
    let second = store
        .commit(room, &[vec![7]], ttl, quiet)
        .await
        .expect("commit");
    assert!(!second.published);
    assert_eq!(second.after, committed.upto, "stored after the first");
    assert!(
        tokio::time::timeout(Duration::from_millis(300), heard.recv())
            .await
            .is_err(),
        "nothing published without a channel"
    );
}
