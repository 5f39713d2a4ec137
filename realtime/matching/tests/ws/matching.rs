//! One process, queue in memory.

use std::time::Duration;

use awc::http::StatusCode;
use serde_json::json;
use shared::testing::{Body, call};

use crate::helpers::{Options, SERVICE_TOKEN, SHORT, spawn};

#[actix_web::test]
async fn two_users_asking_for_the_same_topic_and_difficulty_are_matched_into_a_room() {
    let app = spawn(Options::default()).await;
    let mut ada = app.user(0).await;
    let mut bob = app.user(0).await;

    let queued = ada.join(&["graphs"], "medium").await;
    assert_eq!(queued["position"], 1);
    assert_eq!(queued["timeout_secs"], 60);
    bob.join(&["graphs", "trees"], "medium").await;

    let for_ada = ada.expect("matched").await;
    let for_bob = bob.expect("matched").await;
    assert_eq!(for_ada["room_id"], for_bob["room_id"]);
    assert_eq!(for_ada["peer"]["id"], bob.id.to_string());
    assert_eq!(for_bob["peer"]["id"], ada.id.to_string());
    assert_eq!(for_ada["question"]["difficulty"], "medium");
    assert!(
        for_ada["question"]["topics"]
            .as_array()
            .expect("topics")
            .iter()
            .any(|t| t == "graphs")
    );
    assert_eq!(for_ada["language"], "python");
    assert_eq!(app.rooms().await, 1);

    // The members see the room; others don't; services see it with their credential.
    let room_id = for_ada["room_id"].as_str().expect("room id");
    let room_url = format!("{}/matching-service-api/rooms/{room_id}", app.nodes[0]);
    let mine = call(
        app.client.get(&room_url).bearer_auth(&ada.token),
        Body::Empty,
    )
    .await;
    assert_eq!(mine.status, StatusCode::OK);
    assert_eq!(mine.body["members"].as_array().map(Vec::len), Some(2));
    assert_eq!(mine.body["question"]["id"], for_ada["question"]["id"]);
    let stranger = app.tokens.new_user(shared::auth::Role::User).1;
    assert_eq!(
        call(
            app.client.get(&room_url).bearer_auth(&stranger),
            Body::Empty
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let internal = format!("{}/internal/rooms/{room_id}", app.nodes[0]);
    let by_service = call(
        app.client
            .get(&internal)
            .insert_header(("X-Service-Token", SERVICE_TOKEN)),
        Body::Empty,
    )
    .await;
    assert_eq!(by_service.status, StatusCode::OK);
    assert_eq!(by_service.body["status"], "active");
    assert_eq!(
        call(
            app.client.get(&internal).bearer_auth(&ada.token),
            Body::Empty
        )
        .await
        .status,
        StatusCode::UNAUTHORIZED
    );
}

#[actix_web::test]
async fn different_topics_do_not_match_before_relaxing() {
    let app = spawn(Options::default()).await;
    let mut ada = app.user(0).await;
    let mut bob = app.user(0).await;
    ada.join(&["graphs"], "easy").await;
    bob.join(&["strings"], "easy").await;
    ada.ws.expect_silence(SHORT).await;
    bob.ws.expect_silence(Duration::from_millis(50)).await;
}

#[actix_web::test]
async fn a_preferred_language_is_the_rooms_language() {
    let app = spawn(Options::default()).await;
    let mut ada = app.user(0).await;
    let mut bob = app.user(0).await;
    ada.ws.send_json(&json!({"type": "join", "topics": ["arrays"], "difficulty": "easy", "language": "rust"})).await;
    ada.expect("queued").await;
    bob.join(&["arrays"], "easy").await;
    assert_eq!(ada.expect("matched").await["language"], "rust");
    assert_eq!(bob.expect("matched").await["language"], "rust");
}

#[actix_web::test]
async fn a_cancelled_user_is_never_matched() {
    let app = spawn(Options::default()).await;
    let mut ada = app.user(0).await;
    ada.join(&["arrays"], "easy").await;
    ada.ws.send_json(&json!({"type": "cancel"})).await;
    assert_eq!(ada.expect("cancelled").await["reason"], "requested");

    let mut bob = app.user(0).await;
    bob.join(&["arrays"], "easy").await;
    bob.ws.expect_silence(SHORT).await;
    ada.ws.expect_silence(Duration::from_millis(50)).await;
    assert_eq!(app.rooms().await, 0);

    // Cancelling with nothing to cancel is harmless; joining again works.
    ada.ws.send_json(&json!({"type": "cancel"})).await;
    ada.join(&["arrays"], "easy").await;
    ada.expect("matched").await;
    bob.expect("matched").await;
}

#[actix_web::test]
async fn a_user_alone_times_out() {
    let app = spawn(Options {
        timeout_secs: 1,
        ..Options::default()
    })
    .await;
    let mut ada = app.user(0).await;
    ada.join(&["arrays"], "easy").await;
    ada.expect("timeout").await;

    // Timed out means out of the queue.
    let mut bob = app.user(0).await;
    bob.join(&["arrays"], "easy").await;
    bob.ws.expect_silence(SHORT).await;
}

#[actix_web::test]
async fn a_second_tab_replaces_the_first() {
    let app = spawn(Options::default()).await;
    let (id, token) = app.tokens.new_user(shared::auth::Role::User);
    let url = app.ws_url(0);
    let connect = || shared::testing::WsClient::connect(&url, &token);
    let mut first = crate::helpers::User {
        id,
        token: token.clone(),
        ws: connect().await.expect("ws"),
    };
    let mut second = crate::helpers::User {
        id,
        token: token.clone(),
        ws: connect().await.expect("ws"),
    };
    first.join(&["arrays"], "easy").await;
    second.join(&["arrays"], "easy").await;

    assert_eq!(first.expect("cancelled").await["reason"], "replaced");
    second.ws.expect_silence(SHORT).await; // a user is never matched with themself

    let mut bob = app.user(0).await;
    bob.join(&["arrays"], "easy").await;
    assert_eq!(bob.expect("matched").await["peer"]["id"], id.to_string());
    second.expect("matched").await;
    first.ws.expect_silence(Duration::from_millis(100)).await;
}

#[actix_web::test]
async fn a_user_who_disconnects_leaves_the_queue() {
    let app = spawn(Options::default()).await;
    let mut ada = app.user(0).await;
    ada.join(&["arrays"], "easy").await;
    ada.ws.close().await;
    app.until_nobody_searches(0).await;

    let mut bob = app.user(0).await;
    bob.join(&["arrays"], "easy").await;
    bob.ws.expect_silence(SHORT).await;
    assert_eq!(app.rooms().await, 0);
}

#[actix_web::test]
async fn bad_messages_get_an_error_and_the_session_carries_on() {
    let app = spawn(Options::default()).await;
    let mut ada = app.user(0).await;
    for bad in [
        "not json",
        r#"{"type":"dance"}"#,
        r#"{"type":"join","topics":[],"difficulty":"easy"}"#,
        r#"{"type":"join","topics":["arrays"],"difficulty":"extreme"}"#,
        r#"{"type":"join","topics":["arrays"],"difficulty":"easy","language":"cobol"}"#,
    ] {
        ada.ws.send_text(bad).await;
        let reply = ada.expect("error").await;
        assert_eq!(reply["code"], "invalid_message", "{bad}");
        assert!(reply["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    ada.ws.send_binary(vec![1, 2, 3]).await;
    assert_eq!(ada.expect("error").await["code"], "invalid_message");

    ada.join(&["arrays"], "easy").await;
    ada.ws
        .send_json(&crate::helpers::join(&["arrays"], "easy"))
        .await;
    assert_eq!(ada.expect("error").await["code"], "already_queued");
    ada.ws.send_json(&json!({"type": "ping"})).await;
    ada.expect("pong").await;
}

#[actix_web::test]
async fn a_topic_the_question_bank_lacks_is_refused_with_the_known_topics() {
    let app = spawn(Options::default()).await;
    let mut ada = app.user(0).await;
    ada.ws
        .send_json(&crate::helpers::join(&["arrays", "basket-weaving"], "easy"))
        .await;
    let refusal = ada.expect("error").await;
    assert_eq!(refusal["code"], "unknown_topic", "{refusal}");
    assert!(
        refusal["message"]
            .as_str()
            .is_some_and(|m| m.contains("basket-weaving")),
        "{refusal}"
    );
    let known = refusal["known_topics"].as_array().expect("known_topics");
    assert!(known.contains(&json!("arrays")) && known.contains(&json!("graphs")));
    assert!(!known.contains(&json!("basket-weaving")));
    // Nothing was queued: the same session joins on a real topic and is matched.
    let queued = ada.join(&["arrays"], "easy").await;
    assert_eq!(queued["position"], 1, "{queued}");
    let mut bob = app.user(0).await;
    bob.join(&["arrays"], "easy").await;
    ada.expect("matched").await;
    bob.expect("matched").await;
}

#[actix_web::test]
async fn a_flooding_client_is_throttled_then_dropped() {
    let app = spawn(Options::default()).await;
    let mut ada = app.user(0).await;
    for _ in 0..60 {
        ada.ws.send_json(&json!({"type": "ping"})).await;
    }
    let mut limited = 0;
    let reason = loop {
        match ada.ws.next_frame(shared::testing::WS_WAIT).await {
            Some(awc::ws::Frame::Text(bytes)) => {
                let message: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
                if message["code"] == "rate_limited" {
                    limited += 1;
                }
            }
            Some(awc::ws::Frame::Close(reason)) => break reason,
            other => panic!("unexpected {other:?}"),
        }
    };
    assert!(limited > 0);
    assert_eq!(reason.map(|r| r.code), Some(awc::ws::CloseCode::Policy));
}

#[actix_web::test]
async fn users_are_told_and_kept_in_the_queue_while_questions_are_unavailable() {
    // A port with nothing behind it yet: the question service starts later on it.
    let port = shared::testing::free_port();
    let app = spawn(Options {
        question_url: Some(format!("http://127.0.0.1:{port}")),
        ..Options::default()
    })
    .await;
    let mut ada = app.user(0).await;
    let mut bob = app.user(0).await;
    ada.join(&["arrays"], "easy").await;
    bob.join(&["arrays"], "easy").await;

    assert!(
        ada.expect("requeued").await["reason"]
            .as_str()
            .is_some_and(|r| r.contains("unavailable"))
    );
    bob.expect("requeued").await;
    assert_eq!(app.rooms().await, 0);

    crate::helpers::start_question(&app.tokens, port).await;
    let mut matched = 0;
    for user in [&mut ada, &mut bob] {
        loop {
            let message = user.ws.recv_json().await;
            match message["type"].as_str() {
                Some("requeued") => continue,
                Some("matched") => break,
                _ => panic!("{message}"),
            }
        }
        matched += 1;
    }
    assert_eq!(matched, 2);
    assert_eq!(app.rooms().await, 1);
}

#[actix_web::test]
async fn questions_either_user_attempted_are_avoided() {
    let app = spawn(Options::default()).await;
    let mut ada = app.user(0).await;
    let mut bob = app.user(0).await;
    // Every hard graphs question but one is in ada's history.
    let list = call(
        app.client.get(format!(
            "{}/question-service-api/questions?topic=graphs&difficulty=hard&per_page=100",
            app.backends.question_url
        )),
        Body::Empty,
    )
    .await;
    let items = list.body["items"].as_array().expect("items").clone();
    assert!(items.len() >= 2);
    for item in &items[1..] {
        let record = json!({
            "room_id": uuid::Uuid::new_v4(), "user_id": ada.id,
            "question": {"id": item["id"], "title": item["title"], "difficulty": "hard", "topics": ["graphs"]},
            "language": "python", "code": "", "outcome": "completed",
            "started_at": "2026-01-01T10:00:00Z", "ended_at": "2026-01-01T10:30:00Z"
        });
        let reply = call(
            app.client
                .post(format!("{}/internal/attempts", app.backends.history_url))
                .insert_header(("X-Service-Token", SERVICE_TOKEN)),
            Body::Json(record),
        )
        .await;
        assert_eq!(reply.status, StatusCode::CREATED);
    }
    ada.join(&["graphs"], "hard").await;
    bob.join(&["graphs"], "hard").await;
    assert_eq!(
        ada.expect("matched").await["question"]["id"],
        items[0]["id"]
    );
}

#[actix_web::test]
async fn only_services_mark_a_room_ended() {
    let app = spawn(Options::default()).await;
    let mut ada = app.user(0).await;
    let mut bob = app.user(0).await;
    ada.join(&["arrays"], "easy").await;
    bob.join(&["arrays"], "easy").await;
    let room_id = ada.expect("matched").await["room_id"]
        .as_str()
        .expect("room")
        .to_owned();
    let url = format!("{}/internal/rooms/{room_id}/end", app.nodes[0]);

    let as_member = call(app.client.post(&url).bearer_auth(&ada.token), Body::Empty).await;
    assert_eq!(as_member.status, StatusCode::UNAUTHORIZED);
    let ended = call(
        app.client
            .post(&url)
            .insert_header(("X-Service-Token", SERVICE_TOKEN)),
        Body::Empty,
    )
    .await;
    assert_eq!(ended.status, StatusCode::OK);
    assert_eq!(ended.body["status"], "ended");
    let unknown = format!(
        "{}/internal/rooms/{}/end",
        app.nodes[0],
        uuid::Uuid::new_v4()
    );
    let missing = call(
        app.client
            .post(&unknown)
            .insert_header(("X-Service-Token", SERVICE_TOKEN)),
        Body::Empty,
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn a_cancel_sent_right_after_the_join_is_honoured() {
    let app = spawn(Options::default()).await;
    let mut ada = app.user(0).await;
    ada.ws
        .send_json(&crate::helpers::join(&["arrays"], "easy"))
        .await;
    ada.ws.send_json(&json!({"type": "cancel"})).await;
    ada.expect("queued").await;
    assert_eq!(ada.expect("cancelled").await["reason"], "requested");

    let mut bob = app.user(0).await;
    bob.join(&["arrays"], "easy").await;
    bob.ws.expect_silence(SHORT).await;
    assert_eq!(app.rooms().await, 0);
}
