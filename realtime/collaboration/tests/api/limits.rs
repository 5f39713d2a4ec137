//! What one member can make the service hold: a byte budget per session, a cap on the
//! document, and an expiry on every key a room writes in Redis.

use std::time::Duration;

use awc::http::StatusCode;
use awc::ws::{CloseCode, CloseReason};
use yrs::{Doc, Text, Transact};

use crate::helpers::{LOCAL_REDIS, Options, QUIET, Stack, spawn};

/// One process with Redis, so that what is stored can be looked at.
fn with_redis() -> Options {
    Options {
        redis: Some(LOCAL_REDIS.into()),
        ..Options::default()
    }
}

/// An update inserting `len` characters, from a document of its own.
fn insertion(len: usize) -> Vec<u8> {
    let doc = Doc::new();
    let code = doc.get_or_insert_text(collaboration::sync::CODE);
    let mut txn = doc.transact_mut();
    code.insert(&mut txn, 0, &"x".repeat(len));
    txn.encode_update_v1()
}

fn assert_closed(reason: Option<CloseReason>, code: CloseCode, says: &str) {
    let reason = reason.expect("a close frame with a reason");
    assert_eq!(reason.code, code, "{reason:?}");
    let description = reason.description.unwrap_or_default();
    assert!(description.contains(says), "{description:?}");
}

#[actix_web::test]
async fn a_member_flooding_megabyte_updates_is_closed_for_sending_too_much_and_the_other_keeps_editing()
 {
    let stack = spawn(with_redis()).await;
    let room = stack.room().await;
    let mut ada = stack.editor(0, &room, 0).await;
    let mut flooder = stack.editor(0, &room, 1).await;

    // The same 200 KB edit five times a frame (1 MB), as a client stuck resending does: the
    // document does not grow past the edit, so only the byte budget can stop it.
    let message = collaboration::sync::update_frame(&insertion(200_000));
    let frame = message.repeat(5);
    assert!(frame.len() > 1_000_000 && frame.len() < 1024 * 1024);
    for _ in 0..3 {
        flooder.ws.send_binary(frame.clone()).await;
    }
    assert_closed(
        flooder.ws.closed().await,
        CloseCode::Policy,
        "sending too much",
    );

    ada.settle(QUIET).await;
    assert_eq!(
        ada.text().len(),
        200_000,
        "what was within the budget applied"
    );
    ada.insert(0, "unbothered ").await;
    ada.settle(QUIET).await;
    let seen = stack.text_seen_by(0, &room, 1).await;
    assert!(seen.starts_with("unbothered x"), "{}", &seen[..20]);
    assert_eq!(seen, ada.text());
}

#[actix_web::test]
async fn an_edit_that_would_make_the_document_too_large_is_refused_and_only_its_sender_is_closed() {
    let stack = spawn(with_redis()).await;
    let room = stack.room().await;
    let mut ada = stack.editor(0, &room, 0).await;
    let mut writer = stack.editor(0, &room, 1).await;
    let cap = collaboration::sync::MAX_DOCUMENT_BYTES;

    // Three quarters of the cap fit; another quarter and a bit would not.
    writer.insert(0, &"a".repeat(cap * 3 / 4)).await;
    ada.settle(QUIET).await;
    assert_eq!(ada.text().len(), cap * 3 / 4);
    writer.insert(0, &"b".repeat(cap / 4 + 1024)).await;
    assert_closed(
        writer.ws.closed().await,
        CloseCode::Size,
        "document too large",
    );

    ada.insert(0, "fine ").await;
    ada.settle(QUIET).await;
    let seen = stack.text_seen_by(0, &room, 1).await;
    assert!(!seen.contains('b'), "the refused edit was not kept");
    assert_eq!(seen.len(), cap * 3 / 4 + "fine ".len());
    assert_eq!(seen, ada.text());
}

/// Every key under the test's prefix, with its TTL in seconds (-1: none).
async fn keys_and_ttls(stack: &Stack) -> Vec<(String, i64)> {
    let mut redis = shared::bus::connection_manager(LOCAL_REDIS)
        .await
        .expect("redis");
    shared::testing::keys_and_ttls(&mut redis, &stack.redis_prefix).await
}

#[actix_web::test]
async fn every_key_a_room_writes_in_redis_expires_and_sooner_once_the_room_ended() {
    let stack = spawn(Options::two_processes()).await;
    let room = stack.room().await;
    let mut ada = stack.editor(0, &room, 0).await;
    let mut bob = stack.editor(1, &room, 1).await;
    // Enough edits for a compaction, so that the snapshot is there too.
    for i in 0..210 {
        ada.insert(0, &format!("{i} ")).await;
    }
    bob.insert(0, "bob ").await;
    shared::testing::eventually("a snapshot", Duration::from_secs(10), || async {
        stack.has_snapshot(room.id).await.then_some(())
    })
    .await;
    ada.settle(QUIET).await;

    let live = keys_and_ttls(&stack).await;
    let kinds = ["doc:", "snapshot:", "presence:"];
    for kind in kinds {
        assert!(
            live.iter().any(|(key, _)| key.contains(kind)),
            "{kind} in {live:?}"
        );
    }
    for (key, ttl) in &live {
        assert!(*ttl > 0, "{key} has no expiry ({ttl})");
        if !key.contains("presence:") {
            assert!(*ttl > 3600, "a live room is kept a day: {key} {ttl}");
        }
    }

    let end = stack.end(0, room.id, &room.members[0].1).await;
    assert_eq!(end.status, StatusCode::OK, "{}", end.body);
    bob.settle(QUIET).await;
    let ended = keys_and_ttls(&stack).await;
    assert!(!ended.is_empty());
    for (key, ttl) in &ended {
        assert!(
            *ttl > 0 && *ttl <= 3600,
            "an ended room's {key} expires within the hour ({ttl})"
        );
    }
}
