//! A fan-out message that never arrives is read from the store: the other process's members
//! still see every edit, whether a later edit shows the gap or nothing follows the lost one.

use std::time::Duration;

use yrs::{Doc, Text, Transact};

use crate::helpers::{Editor, LOCAL_REDIS, Options, Room, Stack, spawn};

/// Stores an edit of `writer` the way a collaboration process does (an entry in the room's
/// stream), but publishes nothing: what the other processes see when a publish is lost on
/// its way (a resubscription, a Redis blip).
async fn store_without_publishing(stack: &Stack, room: &Room, writer: &Doc, text: &str) {
    let update = {
        let code = writer.get_or_insert_text(collaboration::sync::CODE);
        let mut txn = writer.transact_mut();
        code.insert(&mut txn, 0, text);
        txn.encode_update_v1()
    };
    let mut redis = shared::bus::connection_manager(LOCAL_REDIS)
        .await
        .expect("redis");
    let _: String = redis::cmd("XADD")
        .arg(format!("{}doc:{}", stack.redis_prefix, room.id))
        .arg("*")
        .arg("u")
        .arg(update)
        .query_async(&mut redis)
        .await
        .expect("xadd");
}

/// Applies what arrives until the editor's text has every one of `parts`; panics after
/// `within`.
async fn until_text_has(editor: &mut Editor, parts: &[&str], within: Duration) {
    let deadline = tokio::time::Instant::now() + within;
    while !parts.iter().all(|part| editor.text().contains(part)) {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        assert!(
            !left.is_zero() && editor.receive(left).await.is_some(),
            "never saw {parts:?}; the text is {:?}",
            editor.text()
        );
    }
}

#[actix_web::test]
async fn an_edit_whose_publish_was_lost_still_reaches_the_member_on_the_other_process() {
    let stack = spawn(Options::two_processes()).await;
    let room = stack.room().await;
    let mut ada = stack.editor(0, &room, 0).await;
    let mut bob = stack.editor(1, &room, 1).await;
    ada.insert(0, "one ").await;
    until_text_has(&mut bob, &["one "], Duration::from_secs(5)).await;

    // Lost in the middle: Ada's next edit shows the gap on Bob's process.
    let lost = Doc::with_client_id(4242);
    store_without_publishing(&stack, &room, &lost, "lost ").await;
    ada.insert(0, "two ").await;
    until_text_has(&mut bob, &["lost ", "two "], Duration::from_secs(5)).await;

    // Lost at the end: nothing follows it, and still both see it.
    store_without_publishing(&stack, &room, &lost, "last ").await;
    until_text_has(&mut bob, &["last "], Duration::from_secs(5)).await;
    until_text_has(&mut ada, &["lost ", "last "], Duration::from_secs(5)).await;
    assert_eq!(ada.text(), bob.text());
    let seen = stack.text_seen_by(1, &room, 1).await;
    assert_eq!(seen, bob.text(), "and the store agrees");
}
