//! The transcript: kept for good, paged newest first for members and admins, complete with
//! everything members were shown, also after the room unloaded.

use awc::http::StatusCode;
use shared::auth::Role;
use shared::testing::{Body, call};

use crate::helpers::{Options, spawn};

#[actix_web::test]
async fn the_transcript_pages_newest_first_for_members_and_admins_only() {
    let stack = spawn(Options::default()).await;
    let room = stack.room().await;
    let mut ada = stack.chatter(0, &room, 0, 0).await;
    for i in 1..=7 {
        ada.send(&format!("a-{i}"), &format!("line {i}")).await;
    }
    assert_eq!(ada.messages(7).await.len(), 7);

    let url = format!(
        "{}/chat-service-api/rooms/{}/messages",
        stack.nodes[0], room.id
    );
    let bob = &room.members[1].2;
    let first = call(
        stack.client.get(format!("{url}?limit=3")).bearer_auth(bob),
        Body::Empty,
    )
    .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let ids = |reply: &shared::testing::Reply| {
        reply.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|m| m["id"].as_u64().expect("id"))
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&first), [7, 6, 5]);
    assert_eq!(first.body["next_before"], 5);
    assert_eq!(first.body["items"][0]["sender"]["username"], "ada");
    let last = call(
        stack
            .client
            .get(format!("{url}?limit=5&before=3"))
            .bearer_auth(bob),
        Body::Empty,
    )
    .await;
    assert_eq!(ids(&last), [2, 1]);
    assert!(last.body["next_before"].is_null());

    let admin = stack.tokens.new_user(Role::Admin).1;
    let by_admin = call(stack.client.get(&url).bearer_auth(&admin), Body::Empty).await;
    assert_eq!(ids(&by_admin).len(), 7);

    let stranger = stack.tokens.new_user(Role::User).1;
    for (token, status) in [
        (stranger.as_str(), StatusCode::NOT_FOUND),
        ("garbage", StatusCode::UNAUTHORIZED),
    ] {
        let reply = call(stack.client.get(&url).bearer_auth(token), Body::Empty).await;
        assert_eq!(reply.status, status);
    }
    for bad in [
        "?limit=0",
        "?limit=201",
        "?before=0",
        "?before=x",
        "?page=2",
    ] {
        let reply = call(
            stack.client.get(format!("{url}{bad}")).bearer_auth(bob),
            Body::Empty,
        )
        .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}");
    }
}

#[actix_web::test]
async fn what_was_said_is_in_the_transcript_after_the_room_unloads() {
    let stack = spawn(Options {
        idle_grace_secs: 1,
        ..Options::default()
    })
    .await;
    let room = stack.room().await;
    let mut ada = stack.chatter(0, &room, 0, 0).await;
    ada.send("a-1", "remember this").await;
    ada.message().await;
    ada.ws.close().await;
    stack.until_no_room_is_open(0).await;

    let text: String = {
        let (client, connection) =
            tokio_postgres::connect(&stack.chat_db.url(), tokio_postgres::NoTls)
                .await
                .expect("connect");
        actix_web::rt::spawn(connection);
        client
            .query_one("SELECT text FROM messages WHERE room_id = $1", &[&room.id])
            .await
            .expect("one message in the transcript")
            .get(0)
    };
    assert_eq!(text, "remember this");

    // Back later: the whole conversation is replayed from the transcript.
    let mut bob = stack.chatter(0, &room, 1, 0).await;
    assert_eq!(bob.message().await["text"], "remember this");
}
