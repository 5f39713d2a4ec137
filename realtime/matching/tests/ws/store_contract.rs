//! The queue's contract, run against both stores: memory (one process alone) and Redis (a
//! fresh key prefix on the local server). Each test runs the same steps on each store and
//! expects the same answers, so the two cannot drift apart.

use matching::notice::{Notice, NoticeKind};
use matching::protocol::ServerMessage;
use matching::rules::Ticket;
use matching::store::{MemoryStore, RedisStore, Store, TicketState};
use shared::difficulty::Difficulty;
use uuid::Uuid;

use crate::helpers::LOCAL_REDIS;

/// A memory store and a Redis store, each empty.
async fn stores() -> [(&'static str, Store); 2] {
    let redis = shared::bus::connection_manager(LOCAL_REDIS)
        .await
        .expect("redis (make test starts it)");
    let prefix = format!("test:{}:matching:", Uuid::new_v4().simple());
    [
        ("memory", Store::Memory(MemoryStore::default())),
        ("redis", Store::Redis(RedisStore::new(redis, &prefix))),
    ]
}

/// A ticket for a new user, joined `at` ms into the test.
fn ticket(at: i64) -> Ticket {
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
        enqueued_at_ms: 1_700_000_000_000 + at,
    }
}

/// The same user joining again, later.
fn again(old: &Ticket, at: i64) -> Ticket {
    Ticket {
        user_id: old.user_id,
        ..ticket(at)
    }
}

async fn ids(store: &Store) -> Vec<Uuid> {
    store
        .snapshot()
        .await
        .expect("snapshot")
        .iter()
        .map(|t| t.id)
        .collect()
}

#[actix_web::test]
async fn joins_are_kept_longest_waiting_first_with_their_place() {
    for (name, store) in stores().await {
        let (first, second, third) = (ticket(10), ticket(20), ticket(5));
        let joined = store.join(&first).await.expect("join");
        assert_eq!((joined.position, joined.waiting), (1, 1), "{name}");
        assert_eq!(
            store.join(&second).await.expect("join").position,
            2,
            "{name}"
        );
        let early = store.join(&third).await.expect("join");
        assert_eq!((early.position, early.waiting), (1, 3), "{name}");
        assert_eq!(ids(&store).await, [third.id, first.id, second.id], "{name}");
    }
}

#[actix_web::test]
async fn joining_again_replaces_the_users_ticket() {
    for (name, store) in stores().await {
        let old = ticket(0);
        store.join(&old).await.expect("join");
        let new = again(&old, 50);
        let joined = store.join(&new).await.expect("join");
        assert_eq!(joined.replaced, Some(old.clone()), "{name}");
        assert_eq!(joined.waiting, 1, "{name}");
        assert_eq!(ids(&store).await, [new.id], "{name}");
        assert!(
            !store.requeue(&old).await.expect("requeue"),
            "{name}: a replaced ticket never comes back"
        );
    }
}

#[actix_web::test]
async fn the_same_join_twice_changes_nothing_even_once_claimed() {
    for (name, store) in stores().await {
        let (a, b) = (ticket(0), ticket(10));
        store.join(&a).await.expect("join");
        store.join(&b).await.expect("join");
        let again = store.join(&b).await.expect("a retried join");
        assert_eq!(
            (again.replaced, again.position, again.waiting),
            (None, 2, 2),
            "{name}"
        );
        assert_eq!(ids(&store).await, [a.id, b.id], "{name}");
        assert!(store.claim(&a, &b).await.expect("claim"), "{name}");
        let late = store.join(&b).await.expect("a retry after the claim");
        assert_eq!((late.replaced, late.position), (None, 0), "{name}");
        assert!(
            ids(&store).await.is_empty(),
            "{name}: a claimed ticket stays out"
        );
    }
}

#[actix_web::test]
async fn a_claim_takes_both_tickets_or_neither() {
    for (name, store) in stores().await {
        let (a, b, c) = (ticket(0), ticket(1), ticket(2));
        for t in [&a, &b, &c] {
            store.join(t).await.expect("join");
        }
        assert!(store.claim(&a, &b).await.expect("claim"), "{name}");
        assert!(
            !store.claim(&a, &c).await.expect("claim"),
            "{name}: a is taken"
        );
        assert_eq!(ids(&store).await, [c.id], "{name}: c stays");
        for (t, state) in [
            (&a, TicketState::Claimed),
            (&b, TicketState::Claimed),
            (&c, TicketState::Waiting),
        ] {
            assert_eq!(store.state(t.id).await.expect("state"), state, "{name}");
        }
    }
}

#[actix_web::test]
async fn a_cancel_before_the_claim_wins_and_is_final() {
    for (name, store) in stores().await {
        let (a, b) = (ticket(0), ticket(1));
        store.join(&a).await.expect("join");
        store.join(&b).await.expect("join");
        assert!(store.cancel(&a).await.expect("cancel"), "{name}");
        assert!(!store.claim(&a, &b).await.expect("claim"), "{name}");
        assert_eq!(ids(&store).await, [b.id], "{name}");
        assert_eq!(
            store.state(a.id).await.expect("state"),
            TicketState::Unknown,
            "{name}"
        );
        assert!(
            !store.requeue(&a).await.expect("requeue"),
            "{name}: a cancelled ticket is never put back"
        );
        assert!(
            !store.cancel(&a).await.expect("cancel"),
            "{name}: nothing left to cancel"
        );
    }
}

#[actix_web::test]
async fn a_cancel_after_the_claim_loses_and_the_match_goes_on() {
    for (name, store) in stores().await {
        let (a, b) = (ticket(0), ticket(1));
        store.join(&a).await.expect("join");
        store.join(&b).await.expect("join");
        assert!(store.claim(&a, &b).await.expect("claim"), "{name}");
        assert!(!store.cancel(&a).await.expect("cancel"), "{name}");
        // The match fell through: b goes back; a left meanwhile and does not.
        assert!(store.requeue(&b).await.expect("requeue"), "{name}");
        assert!(!store.requeue(&a).await.expect("requeue"), "{name}");
        assert_eq!(ids(&store).await, [b.id], "{name}");
    }
}

#[actix_web::test]
async fn a_requeued_ticket_keeps_its_place_unless_its_user_joined_again() {
    for (name, store) in stores().await {
        let (a, b, late) = (ticket(0), ticket(1), ticket(100));
        for t in [&a, &b, &late] {
            store.join(t).await.expect("join");
        }
        assert!(store.claim(&a, &b).await.expect("claim"), "{name}");
        assert!(store.requeue(&a).await.expect("requeue"), "{name}");
        assert_eq!(
            ids(&store).await,
            [a.id, late.id],
            "{name}: a is first again"
        );

        store.join(&again(&b, 200)).await.expect("join");
        assert!(
            !store.requeue(&b).await.expect("requeue"),
            "{name}: b searches with a new ticket"
        );
        assert_eq!(ids(&store).await.len(), 3, "{name}");
    }
}

#[actix_web::test]
async fn unknown_tickets_are_unknown() {
    for (name, store) in stores().await {
        let stranger = ticket(0);
        assert_eq!(
            store.state(stranger.id).await.expect("state"),
            TicketState::Unknown,
            "{name}"
        );
        assert!(!store.cancel(&stranger).await.expect("cancel"), "{name}");
        assert!(
            store.snapshot().await.expect("snapshot").is_empty(),
            "{name}"
        );
    }
}

/// What `me` is told when matched with `peer` in `room`.
fn matched(room: Uuid, peer: &Ticket) -> ServerMessage {
    ServerMessage::Matched {
        room_id: room,
        peer: peer.profile(),
        question: shared::contract::QuestionBrief {
            id: Uuid::new_v4(),
            slug: "two-sum".into(),
            title: "Two Sum".into(),
            difficulty: Difficulty::Easy,
            topics: vec!["arrays".into()],
        },
        language: "python".into(),
    }
}

#[actix_web::test]
async fn a_recorded_match_is_found_late_and_its_tickets_never_come_back() {
    for (name, store) in stores().await {
        let (a, b, c) = (ticket(0), ticket(1), ticket(2));
        for t in [&a, &b, &c] {
            store.join(t).await.expect("join");
        }
        assert!(store.claim(&a, &b).await.expect("claim"), "{name}");
        let room = Uuid::new_v4();
        let (for_a, for_b) = (matched(room, &b), matched(room, &a));
        assert!(
            store
                .record_match([(&a, &for_a), (&b, &for_b)])
                .await
                .expect("record"),
            "{name}"
        );
        assert_eq!(
            store.state(a.id).await.expect("state"),
            TicketState::Matched(for_a.clone()),
            "{name}"
        );

        // Their `matched` notices were lost: neither a fell-through put-back nor a process
        // re-adding what it thinks the queue lost brings them back; looking finds the match.
        assert!(!store.requeue(&a).await.expect("requeue"), "{name}");
        let late = store.reassert(vec![a.clone(), b.clone(), c.clone()]).await;
        let expected = [(&a, for_a), (&b, for_b)].map(|(t, message)| Notice {
            ticket: t.id,
            kind: NoticeKind::Matched { message },
        });
        assert_eq!(late, expected, "{name}");
        assert_eq!(ids(&store).await, [c.id], "{name}: only c waits");
        assert!(
            !store.claim(&a, &c).await.expect("claim"),
            "{name}: a is never matched twice"
        );
        assert!(!store.cancel(&b).await.expect("cancel"), "{name}");
        assert_eq!(
            store.reassert(vec![a.clone()]).await.len(),
            1,
            "{name}: still there the next time its process looks"
        );
    }
}

#[actix_web::test]
async fn a_match_is_recorded_only_on_two_claims_held() {
    for (name, store) in stores().await {
        let (a, b, c) = (ticket(0), ticket(1), ticket(2));
        for t in [&a, &b, &c] {
            store.join(t).await.expect("join");
        }
        let room = Uuid::new_v4();
        let (for_a, for_c) = (matched(room, &c), matched(room, &a));
        assert!(
            !store
                .record_match([(&a, &for_a), (&c, &for_c)])
                .await
                .expect("record"),
            "{name}: neither is claimed"
        );
        assert!(store.claim(&a, &b).await.expect("claim"), "{name}");
        assert!(
            !store
                .record_match([(&a, &for_a), (&c, &for_c)])
                .await
                .expect("record"),
            "{name}: c is not claimed"
        );
        for (t, state) in [(&a, TicketState::Claimed), (&c, TicketState::Waiting)] {
            assert_eq!(store.state(t.id).await.expect("state"), state, "{name}");
        }
        // A claim without a match is put back as before (the match fell through).
        assert!(store.requeue(&a).await.expect("requeue"), "{name}");
        assert_eq!(
            store.state(a.id).await.expect("state"),
            TicketState::Waiting,
            "{name}"
        );
    }
}
