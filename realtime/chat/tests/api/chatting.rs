//! Members talking: on one process and across two, retries, replays after a reconnect,
//! typing and presence.

use std::time::Duration;

use crate::helpers::{Options, QUIET, spawn};

#[actix_web::test]
async fn two_members_talk_and_each_sees_every_message_once_with_its_id_and_sender() {
    talk(Options::default(), 0).await;
}

#[actix_web::test]
async fn members_on_different_processes_talk() {
    talk(Options::two_processes(), 1).await;
}

/// Ada on process 0 and Bob on `bob_node` exchange messages; both see all, in one order.
async fn talk(options: Options, bob_node: usize) {
    let stack = spawn(options).await;
    let room = stack.room().await;
    let mut ada = stack.chatter(0, &room, 0, 0).await;
    let mut bob = stack.chatter(bob_node, &room, 1, 0).await;

    ada.send("a-1", "  hello bob  ").await;
    let to_ada = ada.message().await;
    let to_bob = bob.message().await;
    assert_eq!(to_ada, to_bob, "the sender gets the stored message too");
    assert_eq!(to_ada["id"], 1);
    assert_eq!(to_ada["client_id"], "a-1");
    assert_eq!(to_ada["text"], "hello bob", "trimmed");
    assert_eq!(to_ada["sender"]["id"], room.members[0].0.to_string());
    assert_eq!(to_ada["sender"]["username"], "ada");
    assert!(to_ada["sent_at"].as_str().is_some());

    bob.send("b-1", "hi ada").await;
    ada.send("a-2", "how are you").await;
    let (seen_by_ada, seen_by_bob) = (ada.messages(2).await, bob.messages(2).await);
    assert_eq!(seen_by_ada, seen_by_bob);
    assert_eq!(
        seen_by_ada.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        [2, 3]
    );
}

#[actix_web::test]
async fn a_retried_send_is_stored_once_and_answered_with_the_same_message() {
    let stack = spawn(Options::two_processes()).await;
    let room = stack.room().await;
    let mut ada = stack.chatter(0, &room, 0, 0).await;
    let mut bob = stack.chatter(1, &room, 1, 0).await;

    ada.send("same", "once").await;
    let first = ada.message().await;
    ada.send("same", "once (again)").await;
    let again = ada.message().await;
    assert_eq!(again, first, "the stored message, not a new one");

    // Bob's client may reuse the id: client ids are per sender.
    bob.send("same", "mine").await;
    assert_eq!(bob.message().await["text"], "once");
    assert_eq!(bob.message().await["id"], 2);
    bob.no_message(QUIET).await;

    // A retry through another process, after a reconnect, is still the same message.
    let mut ada_elsewhere = stack.chatter(1, &room, 0, 2).await;
    ada_elsewhere.send("same", "once more").await;
    assert_eq!(ada_elsewhere.message().await, first);
    assert_eq!(
        stack.transcript(0, &room, &room.members[0].2).await.len(),
        2
    );
}

#[actix_web::test]
async fn a_member_who_reconnects_with_after_gets_what_was_missed_once_and_in_order() {
    let stack = spawn(Options::two_processes()).await;
    let room = stack.room().await;
    let mut ada = stack.chatter(0, &room, 0, 0).await;
    let mut bob = stack.chatter(1, &room, 1, 0).await;
    ada.send("a-1", "one").await;
    ada.send("a-2", "two").await;
    assert_eq!(bob.messages(2).await.last().map(|m| m.0), Some(2));
    bob.ws.close().await;

    for i in 3..=6 {
        ada.send(&format!("a-{i}"), &format!("missed {i}")).await;
    }
    assert_eq!(ada.messages(6).await.last().map(|m| m.0), Some(6));

    // Back on the other process, having seen 2: 3 to 6, then live messages, nothing twice.
    let mut bob = stack.chatter(0, &room, 1, 2).await;
    ada.send("a-7", "live").await;
    let got = bob.messages(5).await;
    assert_eq!(
        got.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        [3, 4, 5, 6, 7]
    );
    assert_eq!(got[4].1, "live");
    bob.no_message(QUIET).await;

    // Without `after`, a newcomer gets the whole conversation.
    let mut fresh = stack.chatter(1, &room, 1, 0).await;
    assert_eq!(fresh.messages(7).await.len(), 7);
}

#[actix_web::test]
async fn typing_and_presence_are_relayed_across_processes() {
    let stack = spawn(Options::two_processes()).await;
    let room = stack.room().await;
    let mut ada = stack.chatter(0, &room, 0, 0).await;
    let online = ada.next_of("presence", QUIET).await.expect("presence");
    assert_eq!(online["event"], "joined");
    assert_eq!(online["online"].as_array().map(Vec::len), Some(1));

    let mut bob = stack.chatter(1, &room, 1, 0).await;
    let joined = ada
        .next_of("presence", Duration::from_secs(5))
        .await
        .expect("bob joined");
    assert_eq!(joined["event"], "joined");
    assert_eq!(joined["user"]["username"], "bob");
    assert_eq!(joined["online"].as_array().map(Vec::len), Some(2));

    bob.ws
        .send_json(&serde_json::json!({"type": "typing"}))
        .await;
    let typing = ada
        .next_of("typing", Duration::from_secs(5))
        .await
        .expect("typing");
    assert_eq!(typing["user"]["username"], "bob");

    bob.ws.close().await;
    let left = ada
        .next_of("presence", Duration::from_secs(5))
        .await
        .expect("bob left");
    assert_eq!(left["event"], "left");
    assert_eq!(left["user"]["username"], "bob");
    assert_eq!(left["online"].as_array().map(Vec::len), Some(1));
    ada.no_message(QUIET).await;
}
