//! The live log's contract, run against both stores: memory (one process alone) and Redis
//! (a fresh key prefix on the local server). Each test runs the same steps on each and
//! expects the same answers.

use chat::protocol::Posted;
use chat::store::{Commit, LogStore, MemoryLog, NewMessage, RedisLog};
use shared::contract::PublicProfile;
use uuid::Uuid;

use crate::helpers::LOCAL_REDIS;

async fn stores() -> [(&'static str, LogStore); 2] {
    let redis = shared::bus::connection_manager(LOCAL_REDIS)
        .await
        .expect("redis (make test starts it)");
    let prefix = format!("test:{}:chat:", Uuid::new_v4().simple());
    [
        ("memory", LogStore::Memory(MemoryLog::default())),
        ("redis", LogStore::Redis(RedisLog::new(redis, &prefix))),
    ]
}

fn posted(sender: &PublicProfile, client_id: &str, text: &str) -> Posted {
    Posted {
        client_id: client_id.into(),
        sender: sender.clone(),
        text: text.into(),
        sent_at: chrono::Utc::now(),
    }
}

fn user(name: &str) -> PublicProfile {
    PublicProfile {
        id: Uuid::new_v4(),
        username: name.into(),
    }
}

async fn commit(log: &LogStore, room: Uuid, posted: &Posted, floor: u64) -> Commit {
    log.commit(NewMessage {
        room,
        posted,
        floor,
        channel: "test:nobody-listens",
    })
    .await
    .expect("commit")
}

fn id_of(commit: &Commit) -> u64 {
    match commit {
        Commit::Stored(message) => message.id,
        Commit::Repeated { id, .. } => *id,
    }
}

#[actix_web::test]
async fn ids_go_up_by_one_per_room_and_ranges_read_them_back() {
    for (name, log) in stores().await {
        let (room, other) = (Uuid::new_v4(), Uuid::new_v4());
        let ada = user("ada");
        for i in 1..=5 {
            let stored = commit(&log, room, &posted(&ada, &format!("c{i}"), "x"), 0).await;
            assert_eq!(id_of(&stored), i, "{name}");
        }
        let first_elsewhere = commit(&log, other, &posted(&ada, "c1", "x"), 0).await;
        assert_eq!(id_of(&first_elsewhere), 1, "{name}: ids are per room");
        assert_eq!(log.last_id(room).await.expect("last"), 5, "{name}");
        let ids: Vec<u64> = log
            .range(room, 2, Some(4))
            .await
            .expect("range")
            .iter()
            .map(|m| m.id)
            .collect();
        assert_eq!(ids, [3, 4], "{name}");
        assert_eq!(log.range(room, 5, None).await.expect("range"), [], "{name}");
    }
}

#[actix_web::test]
async fn a_retry_is_answered_with_the_stored_message_per_sender() {
    for (name, log) in stores().await {
        let room = Uuid::new_v4();
        let (ada, bob) = (user("ada"), user("bob"));
        let Commit::Stored(first) = commit(&log, room, &posted(&ada, "same", "one"), 0).await
        else {
            panic!("{name}: stored");
        };
        assert_eq!(
            commit(&log, room, &posted(&ada, "same", "one again"), 0).await,
            Commit::Repeated {
                id: first.id,
                message: Some(first.clone())
            },
            "{name}"
        );
        assert!(
            matches!(commit(&log, room, &posted(&bob, "same", "mine"), 0).await, Commit::Stored(m) if m.id == 2),
            "{name}: another sender's client id is their own"
        );
    }
}

#[actix_web::test]
async fn a_floor_keeps_new_ids_above_what_a_process_already_knows() {
    for (name, log) in stores().await {
        let room = Uuid::new_v4();
        let ada = user("ada");
        let stored = commit(&log, room, &posted(&ada, "c1", "x"), 41).await;
        assert_eq!(id_of(&stored), 42, "{name}");
        assert_eq!(log.last_id(room).await.expect("last"), 42, "{name}");
        assert_eq!(
            id_of(&commit(&log, room, &posted(&ada, "c2", "x"), 0).await),
            43,
            "{name}"
        );
    }
}

#[actix_web::test]
async fn flushed_messages_are_trimmed_but_the_newest_kept_and_the_room_stops_waiting() {
    for (name, log) in stores().await {
        let room = Uuid::new_v4();
        let ada = user("ada");
        for i in 1..=10 {
            commit(&log, room, &posted(&ada, &format!("c{i}"), "x"), 0).await;
        }
        let far_future = chrono::Utc::now().timestamp_millis() + 60_000;
        assert!(
            log.waiting_rooms(far_future)
                .await
                .expect("waiting")
                .contains(&room),
            "{name}"
        );
        log.flushed(room, 8, 3).await.expect("flushed");
        let kept: Vec<u64> = log
            .range(room, 0, None)
            .await
            .expect("range")
            .iter()
            .map(|m| m.id)
            .collect();
        assert_eq!(
            kept,
            [6, 7, 8, 9, 10],
            "{name}: the newest 3 flushed, and the rest"
        );
        assert!(
            log.waiting_rooms(far_future)
                .await
                .expect("waiting")
                .contains(&room),
            "{name}: 9 and 10 still wait"
        );
        log.flushed(room, 10, 3).await.expect("flushed");
        assert!(
            !log.waiting_rooms(far_future)
                .await
                .expect("waiting")
                .contains(&room),
            "{name}"
        );
        assert_eq!(
            log.last_id(room).await.expect("last"),
            10,
            "{name}: the count goes on"
        );
    }
}
