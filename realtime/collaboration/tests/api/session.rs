//! The session's life: the shared language, ending it, and recording each member's attempt.

use std::time::Duration;

use awc::http::StatusCode;
use shared::testing::{Body, call};

use crate::helpers::{LOCAL_REDIS, Options, QUIET, spawn};

#[actix_web::test]
async fn the_language_is_shared_state_both_members_see_change() {
    let stack = spawn(Options::default()).await;
    let room = stack.room().await;
    let mut ada = stack.editor(0, &room, 0).await;
    let mut bob = stack.editor(0, &room, 1).await;
    ada.settle(QUIET).await;
    assert_eq!(
        ada.meta("language").as_deref(),
        Some("python"),
        "it starts as matching chose"
    );

    ada.set_meta("language", "rust").await;
    bob.settle(QUIET).await;

    assert_eq!(bob.meta("language").as_deref(), Some("rust"));
    let info = stack.room_info(0, room.id, &room.members[1].1).await;
    assert_eq!(info.body["language"], "rust");
    assert_eq!(info.body["status"], "active");
}

#[actix_web::test]
async fn ending_the_session_records_each_members_attempt_once() {
    let stack = spawn(Options::default()).await;
    let room = stack.room().await;
    let mut ada = stack.editor(0, &room, 0).await;
    let mut bob = stack.editor(0, &room, 1).await;
    ada.insert(0, "def odd_sum(n):\n    return n * n\n").await;
    ada.settle(QUIET).await;

    let end = stack.end(0, room.id, &room.members[0].1).await;
    assert_eq!(end.status, StatusCode::OK, "{}", end.body);
    assert_eq!(end.body["status"], "ended");
    bob.settle(QUIET).await;
    assert_eq!(
        bob.meta("status").as_deref(),
        Some("ended"),
        "both see it end"
    );

    let in_matching = call(
        stack
            .client
            .get(format!(
                "{}/matching-service-api/rooms/{}",
                stack.matching_url, room.id
            ))
            .bearer_auth(&room.members[0].1),
        Body::Empty,
    )
    .await;
    assert_eq!(
        in_matching.body["status"], "ended",
        "matching's room record says so too"
    );

    let again = stack.end(0, room.id, &room.members[1].1).await;
    assert_eq!(again.status, StatusCode::OK);
    let recorded = stack.recorded(room.id).await;
    assert_eq!(recorded.len(), 2, "{recorded:?}");
    for (user, outcome, code) in &recorded {
        assert!(room.members.iter().any(|(id, _)| id == user));
        assert_eq!(outcome, "completed");
        assert!(code.contains("return n * n"));
    }

    let stranger = stack.tokens.new_user(shared::auth::Role::User).1;
    let refused = stack.end(0, room.id, &stranger).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn two_processes_ending_at_once_still_record_once() {
    let stack = spawn(Options::two_processes()).await;
    let room = stack.room().await;
    let mut ada = stack.editor(0, &room, 0).await;
    ada.insert(0, "x = 1").await;
    ada.settle(QUIET).await;

    let (a, b) = tokio::join!(
        stack.end(0, room.id, &room.members[0].1),
        stack.end(1, room.id, &room.members[1].1),
    );
    assert_eq!((a.status, b.status), (StatusCode::OK, StatusCode::OK));
    assert_eq!(stack.recorded(room.id).await.len(), 2);
}

#[actix_web::test]
async fn a_session_both_members_left_is_recorded_as_abandoned() {
    let stack = spawn(Options {
        idle_grace_secs: 1,
        ..Options::default()
    })
    .await;
    let room = stack.room().await;
    let mut ada = stack.editor(0, &room, 0).await;
    ada.insert(0, "half done").await;
    ada.settle(QUIET).await;
    ada.ws.close().await;

    let recorded = stack
        .both_recorded(room.id, "the abandoned session recorded")
        .await;
    assert!(
        recorded
            .iter()
            .all(|(_, outcome, code)| outcome == "abandoned" && code == "half done")
    );
}

#[actix_web::test]
async fn sigterm_closes_every_session_with_1012_then_the_process_exits() {
    let mut stack = spawn(Options {
        as_processes: true,
        redis: Some(LOCAL_REDIS.into()),
        ..Options::default()
    })
    .await;
    let room = stack.room().await;
    let mut ada = stack.editor(0, &room, 0).await;
    ada.insert(0, "kept").await;
    ada.settle(QUIET).await;

    let mut child = stack.children.remove(0);
    let (status, reason) = tokio::join!(
        shared::testing::terminate(&mut child, Duration::from_secs(10)),
        ada.ws.closed()
    );

    assert_eq!(reason.map(|r| r.code), Some(awc::ws::CloseCode::Restart));
    assert!(status.success(), "{status}");
}
