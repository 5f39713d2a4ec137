//! Nothing is lost and nothing is reordered: a publish that never arrives is read from the
//! store, a process killed with SIGKILL loses no stored message, and ten thousand messages
//! sent across two processes through disconnects arrive exactly once, in one order.

use std::time::Duration;

use crate::helpers::{LOCAL_REDIS, Options, Room, Stack, spawn};

/// Stores a message the way a chat process does, but publishes nothing: what the others
/// see when a publish is lost on its way.
async fn store_without_publishing(stack: &Stack, room: &Room, text: &str) -> u64 {
    let mut redis = shared::bus::connection_manager(LOCAL_REDIS)
        .await
        .expect("redis");
    let id: u64 = redis::cmd("INCR")
        .arg(format!("{}seq:{}", stack.redis_prefix, room.id))
        .query_async(&mut redis)
        .await
        .expect("incr");
    let posted = serde_json::json!({
        "client_id": format!("lost-{id}"),
        "sender": {"id": room.members[0].0, "username": "ada"},
        "text": text,
        "sent_at": chrono::Utc::now(),
    });
    let _: String = redis::cmd("XADD")
        .arg(format!("{}log:{}", stack.redis_prefix, room.id))
        .arg(format!("{id}-0"))
        .arg("m")
        .arg(posted.to_string())
        .query_async(&mut redis)
        .await
        .expect("xadd");
    id
}

#[actix_web::test]
async fn a_lost_publish_is_read_from_the_store_in_order() {
    let stack = spawn(Options::two_processes()).await;
    let room = stack.room().await;
    let mut ada = stack.chatter(0, &room, 0, 0).await;
    let mut bob = stack.chatter(1, &room, 1, 0).await;
    ada.send("a-1", "first").await;
    assert_eq!(bob.message().await["id"], 1);

    // Lost in the middle: the next message shows the gap.
    assert_eq!(store_without_publishing(&stack, &room, "lost").await, 2);
    ada.send("a-3", "third").await;
    assert_eq!(
        bob.messages(2).await,
        [(2, "lost".to_owned()), (3, "third".to_owned())]
    );
    // Lost at the end: nothing follows it, and still it arrives.
    assert_eq!(store_without_publishing(&stack, &room, "last").await, 4);
    assert_eq!(bob.messages(1).await, [(4, "last".to_owned())]);
    assert_eq!(ada.messages(4).await.last().map(|m| m.0), Some(4));
}

#[actix_web::test]
async fn a_process_killed_with_sigkill_loses_no_stored_message() {
    let mut stack = spawn(Options {
        as_processes: true,
        ..Options::two_processes()
    })
    .await;
    let room = stack.room().await;
    let mut ada = stack.chatter(0, &room, 0, 0).await;
    let mut bob = stack.chatter(1, &room, 1, 0).await;
    for i in 1..=30 {
        ada.send(&format!("a-{i}"), &format!("m{i}")).await;
    }
    // Everything ada was answered with is stored; then her process dies at once.
    let stored = ada.messages(30).await;
    let mut victim = stack.children.remove(0);
    victim.kill().expect("SIGKILL");
    victim.wait().expect("reaped");

    assert_eq!(bob.messages(30).await, stored);
    let mut back = stack.chatter(1, &room, 0, 25).await;
    assert_eq!(back.messages(5).await, stored[25..]);
    let token = room.members[1].2.clone();
    assert_eq!(stack.transcript(1, &room, &token).await, stored);
}

/// A tiny deterministic random source for the test's choices.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % sides
    }
}

/// What one member's client saw.
#[derive(Default)]
struct Seen {
    /// Every message, in the order it arrived: `(id, text)`.
    messages: Vec<(u64, String)>,
    /// Sent and not yet seen stored: client id and text, to send again after a reconnect.
    unanswered: std::collections::BTreeMap<String, String>,
    /// Client ids sent again (their answer may repeat a message already seen).
    resent: std::collections::HashSet<String>,
}

impl Seen {
    fn last_id(&self) -> u64 {
        self.messages.last().map_or(0, |m| m.0)
    }

    fn take(&mut self, message: &serde_json::Value) {
        let id = message["id"].as_u64().expect("id");
        let client_id = message["client_id"].as_str().expect("client id").to_owned();
        // The answer to a retry of a message that was stored after all.
        if id <= self.last_id() && self.resent.contains(&client_id) {
            return;
        }
        self.unanswered.remove(&client_id);
        self.messages
            .push((id, message["text"].as_str().expect("text").to_owned()));
    }
}

/// One member sending `count` messages in bursts while now and then dropping the
/// connection and coming back (to either process) with `?after=` the last id seen, sending
/// again, with the same client ids, what was never answered, as a real client does. Reads
/// until it has seen `total` messages.
async fn converse(
    stack: &Stack,
    room: &Room,
    member: usize,
    count: usize,
    total: usize,
    seed: u64,
) -> Vec<(u64, String)> {
    let mut dice = Dice(seed);
    let mut seen = Seen::default();
    let mut chatter = stack.chatter(member, room, member, 0).await;
    let mut sent = 0;
    while sent < count {
        let burst = (1 + dice.roll(40) as usize).min(count - sent);
        for _ in 0..burst {
            let (client_id, text) = (format!("m{member}-{sent}"), format!("{member}:{sent}"));
            chatter.send(&client_id, &text).await;
            seen.unanswered.insert(client_id, text);
            sent += 1;
        }
        while let Some(message) = chatter.next_of("message", Duration::from_millis(20)).await {
            seen.take(&message);
        }
        if dice.roll(4) == 0 {
            chatter.ws.close().await;
            let node = dice.roll(2) as usize;
            chatter = stack.chatter(node, room, member, seen.last_id()).await;
            // The replay first, then whatever is still unanswered goes again.
            while let Some(message) = chatter.next_of("message", Duration::from_millis(200)).await {
                seen.take(&message);
            }
            for (client_id, text) in seen.unanswered.clone() {
                chatter.send(&client_id, &text).await;
                seen.resent.insert(client_id);
            }
        }
    }
    while seen.messages.len() < total {
        let Some(message) = chatter.next_of("message", Duration::from_secs(15)).await else {
            let ids: Vec<u64> = seen.messages.iter().map(|m| m.0).collect();
            let out_of_order = ids
                .windows(2)
                .filter(|w| w[1] != w[0] + 1)
                .take(5)
                .collect::<Vec<_>>();
            panic!(
                "member {member} saw {} of {total} (last id {}); breaks {out_of_order:?}; unanswered {}",
                ids.len(),
                seen.last_id(),
                seen.unanswered.len()
            );
        };
        seen.take(&message);
    }
    assert!(
        seen.unanswered.is_empty(),
        "never stored: {:?}",
        seen.unanswered
    );
    seen.messages
}

#[actix_web::test]
async fn ten_thousand_messages_with_reconnects_arrive_exactly_once_in_one_order() {
    let stack = spawn(Options {
        messages_per_sec: 100_000,
        ..Options::two_processes()
    })
    .await;
    let room = stack.room().await;
    let (ada, bob) = futures_util::future::join(
        converse(&stack, &room, 0, 5000, 10_000, 7),
        converse(&stack, &room, 1, 5000, 10_000, 11),
    )
    .await;

    let ids: Vec<u64> = ada.iter().map(|m| m.0).collect();
    assert_eq!(
        ids,
        (1..=10_000).collect::<Vec<u64>>(),
        "no gap, no duplicate"
    );
    assert_eq!(ada, bob, "both saw the same messages in the same order");
    let transcript = stack.transcript(0, &room, &room.members[0].2).await;
    assert_eq!(ada, transcript, "the transcript is what they saw");
    let texts: std::collections::HashSet<&str> = ada.iter().map(|m| m.1.as_str()).collect();
    assert_eq!(texts.len(), 10_000, "every message sent is stored once");
}
