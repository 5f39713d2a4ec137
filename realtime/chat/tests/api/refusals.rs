//! What is refused, and that a refusal changes nothing for anyone else: strangers, bad
//! tokens and origins before any upgrade; bad frames with an error and the room going on;
//! oversized frames and floods closing only their own websocket.

use std::time::Duration;

use awc::http::StatusCode;
use serde_json::json;
use shared::testing::{WsClient, refused_upgrade};

use crate::helpers::{Options, QUIET, spawn};

#[actix_web::test]
async fn only_members_get_in_and_nothing_is_upgraded_otherwise() {
    let stack = spawn(Options::default()).await;
    let room = stack.room().await;
    let url = stack.ws_url(0, room.id);
    let member = &room.members[0].2;
    let stranger = stack.tokens.new_user(shared::auth::Role::User).1;
    assert_eq!(
        refused_upgrade(WsClient::connect(&url, &stranger).await),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        refused_upgrade(WsClient::connect(&stack.ws_url(0, uuid::Uuid::new_v4()), member).await),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        refused_upgrade(WsClient::connect(&url, "garbage").await),
        StatusCode::UNAUTHORIZED
    );
    let foreign = stack
        .client
        .ws(&url)
        .bearer_auth(member)
        .origin("https://evil.example");
    assert_eq!(
        refused_upgrade(WsClient::connect_with(foreign).await),
        StatusCode::FORBIDDEN
    );
    for bad in ["?after=-1", "?after=x", "?after=1&colour=red"] {
        assert_eq!(
            refused_upgrade(WsClient::connect(&format!("{url}{bad}"), member).await),
            StatusCode::BAD_REQUEST,
            "{bad}"
        );
    }
    let browser = stack
        .client
        .ws(&url)
        .origin("http://localhost:8080")
        .header("Cookie", format!("peerprep_access={member}"));
    WsClient::connect_with(browser)
        .await
        .expect("an allowed origin with the access cookie");
}

#[actix_web::test]
async fn bad_frames_get_an_error_and_the_room_goes_on() {
    let stack = spawn(Options::default()).await;
    let room = stack.room().await;
    let mut ada = stack.chatter(0, &room, 0, 0).await;
    let mut bob = stack.chatter(0, &room, 1, 0).await;
    let long = "x".repeat(2001);
    for (frame, names) in [
        ("not json".to_owned(), None),
        (r#"{"type":"dance"}"#.to_owned(), None),
        (r#"{"type":"message","text":"no id"}"#.to_owned(), None),
        (
            r#"{"type":"message","client_id":"a b","text":"hi"}"#.to_owned(),
            None,
        ),
        (
            r#"{"type":"message","client_id":"c1","text":"   "}"#.to_owned(),
            Some("c1"),
        ),
        (
            json!({"type": "message", "client_id": "c2", "text": long}).to_string(),
            Some("c2"),
        ),
        (
            r#"{"type":"message","client_id":"c3","text":"nul\u0000"}"#.to_owned(),
            Some("c3"),
        ),
    ] {
        ada.ws.send_text(frame.clone()).await;
        let error = ada.error().await;
        assert_eq!(error["code"], "invalid_message", "{frame}");
        assert_eq!(error["client_id"].as_str(), names, "{frame}");
    }
    ada.ws.send_binary(vec![1, 2, 3]).await;
    assert_eq!(ada.error().await["code"], "invalid_message");
    bob.no_message(QUIET).await;

    ada.send("ok", "still here").await;
    let message = bob.message().await;
    assert_eq!(message["text"], "still here");
    assert_eq!(message["id"], 1, "nothing refused took an id");
}

#[actix_web::test]
async fn an_oversized_frame_closes_only_its_own_websocket() {
    let stack = spawn(Options::default()).await;
    let room = stack.room().await;
    let mut ada = stack.chatter(0, &room, 0, 0).await;
    let mut bob = stack.chatter(0, &room, 1, 0).await;
    bob.ws.send_text("x".repeat(64 * 1024)).await;
    assert_eq!(
        bob.ws.closed().await.map(|r| r.code),
        Some(awc::ws::CloseCode::Size)
    );
    ada.send("a", "fine").await;
    assert_eq!(ada.message().await["text"], "fine");
}

#[actix_web::test]
async fn a_flooding_member_is_throttled_then_closed_and_the_other_is_not() {
    let stack = spawn(Options {
        messages_per_sec: 5,
        ..Options::default()
    })
    .await;
    let room = stack.room().await;
    let mut ada = stack.chatter(0, &room, 0, 0).await;
    let mut bob = stack.chatter(0, &room, 1, 0).await;
    for i in 0..60 {
        bob.send(&format!("f-{i}"), "spam").await;
    }
    let (mut limited, mut stored) = (0, 0);
    let reason = loop {
        match bob.ws.next_frame(shared::testing::WS_WAIT).await {
            Some(awc::ws::Frame::Text(bytes)) => {
                let frame: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
                match frame["type"].as_str() {
                    Some("error") => {
                        assert_eq!(frame["code"], "rate_limited");
                        assert!(
                            frame["client_id"]
                                .as_str()
                                .is_some_and(|c| c.starts_with("f-"))
                        );
                        limited += 1;
                    }
                    Some("message") => stored += 1,
                    _ => {}
                }
            }
            Some(awc::ws::Frame::Close(reason)) => break reason,
            other => panic!("unexpected {other:?}"),
        }
    };
    assert!(limited > 0, "nothing was refused");
    assert_eq!(reason.map(|r| r.code), Some(awc::ws::CloseCode::Policy));

    // Ada got what was stored (some answers never reached bob before his websocket
    // closed), each once and in order, and can still talk.
    let mut ids = Vec::new();
    while let Some(message) = ada.next_of("message", QUIET).await {
        assert_eq!(message["text"], "spam");
        ids.push(message["id"].as_u64().expect("id"));
    }
    assert!(
        ids.len() >= stored.max(1) && ids.len() <= 60 - limited,
        "{limited} refused, {stored} answered to bob, ada got {ids:?}"
    );
    assert_eq!(ids, (1..=ids.len() as u64).collect::<Vec<_>>());
    ada.send("a", "calm").await;
    assert_eq!(ada.message().await["text"], "calm");
}

#[actix_web::test]
async fn a_member_who_stops_reading_is_closed_and_nobody_waits_for_them() {
    let stack = spawn(Options {
        messages_per_sec: 100_000,
        ..Options::default()
    })
    .await;
    let room = stack.room().await;
    let mut ada = stack.chatter(0, &room, 0, 0).await;
    // Bob connects, then reads nothing while ada talks far more than his connection holds.
    let mut bob = stack.chatter(0, &room, 1, 0).await;
    const SENT: usize = 20_000;
    let text = "a line long enough that a few thousand of them fill a socket's buffers".repeat(3);
    let talk = async {
        let mut got = 0;
        for i in 0..SENT {
            ada.send(&format!("a-{i}"), &text).await;
            // Ada reads her own echoes as she goes: she is a reader who keeps up.
            while ada
                .next_of("message", Duration::from_millis(0))
                .await
                .is_some()
            {
                got += 1;
            }
        }
        while got < SENT {
            ada.message().await;
            got += 1;
        }
        got
    };
    assert_eq!(talk.await, SENT, "ada got every message");

    // Bob reads at last: what his connection held, then the close; far from everything.
    let mut read = 0;
    let reason = loop {
        match bob.ws.next_frame(shared::testing::WS_WAIT).await {
            Some(awc::ws::Frame::Text(_)) => read += 1,
            Some(awc::ws::Frame::Close(reason)) => break reason,
            other => panic!("unexpected {other:?}"),
        }
    };
    assert_eq!(reason.map(|r| r.code), Some(awc::ws::CloseCode::Policy));
    assert!(read < SENT, "bob was sent all {read} messages");
}

#[actix_web::test]
async fn one_user_holds_at_most_a_bounded_number_of_websockets_per_process() {
    let stack = spawn(Options::default()).await;
    let room = stack.room().await;
    let mut held = Vec::new();
    for _ in 0..toolkit::ws::MAX_SESSIONS_PER_USER {
        held.push(stack.chatter(0, &room, 0, 0).await);
    }
    assert_eq!(
        refused_upgrade(WsClient::connect(&stack.ws_url(0, room.id), &room.members[0].2).await),
        StatusCode::TOO_MANY_REQUESTS
    );
    let mut bob = stack.chatter(0, &room, 1, 0).await;
    bob.send("b", "the other member is not affected").await;
    assert_eq!(bob.message().await["id"], 1);

    held.pop().expect("one").ws.close().await;
    shared::testing::eventually(
        "a freed place is usable",
        Duration::from_secs(5),
        || async {
            WsClient::connect(&stack.ws_url(0, room.id), &room.members[0].2)
                .await
                .ok()
        },
    )
    .await;
}

#[actix_web::test]
async fn a_fragmented_message_is_refused_with_1003_rather_than_dropped_in_silence() {
    use actix_http::ws::{Item, Message};
    let stack = spawn(Options::default()).await;
    let room = stack.room().await;
    let mut ada = stack.chatter(0, &room, 0, 0).await;
    let first = Message::Continuation(Item::FirstText(r#"{"type":"mess"#.into()));
    ada.ws.send_message(first).await.expect("send");
    let reason = ada.ws.closed().await.expect("a close reason");
    assert_eq!(reason.code, awc::ws::CloseCode::Unsupported);
}

#[actix_web::test]
async fn a_ping_flood_is_closed_and_the_other_member_is_not() {
    use awc::ws::Message;
    let stack = spawn(Options::default()).await;
    let room = stack.room().await;
    let mut ada = stack.chatter(0, &room, 0, 0).await;
    let mut bob = stack.chatter(0, &room, 1, 0).await;
    let closed = async {
        for _ in 0..20_000 {
            let ping = Message::Ping("x".repeat(125).into());
            if bob.ws.send_message(ping).await.is_err() {
                break;
            }
        }
        loop {
            match bob.ws.next_frame(shared::testing::WS_WAIT).await {
                Some(awc::ws::Frame::Close(reason)) => return reason,
                Some(_) => {}
                None => return None,
            }
        }
    }
    .await;
    assert_eq!(closed.map(|r| r.code), Some(awc::ws::CloseCode::Policy));
    ada.send("a", "fine").await;
    assert_eq!(ada.message().await["text"], "fine");
}

#[actix_web::test]
async fn wrong_methods_get_405_with_allow_and_stray_queries_400() {
    let stack = spawn(Options::default()).await;
    shared::testing::check_route_rules(&stack.nodes[0], &["/chat-service-api/openapi.json"]).await;
}
