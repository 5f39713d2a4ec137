use std::time::Duration;

use awc::http::StatusCode;
use shared::testing::{Body, WsClient, call, refused_upgrade};

use crate::helpers::{LOCAL_REDIS, Options, QUIET, spawn};

#[actix_web::test]
async fn two_members_edit_one_document_and_converge() {
    members_converge(Options::default(), 0).await;
}

/// Ada on process 0 and Bob on `bob_node` both type; both end with both edits.
async fn members_converge(options: Options, bob_node: usize) {
    let stack = spawn(options).await;
    let room = stack.room().await;
    let mut ada = stack.editor(0, &room, 0).await;
    let mut bob = stack.editor(bob_node, &room, 1).await;

    ada.insert(0, "fn main() {}").await;
    bob.insert(0, "// bob\n").await;
    ada.settle(QUIET).await;
    bob.settle(QUIET).await;

    assert_eq!(ada.text(), bob.text());
    assert!(ada.text().contains("fn main() {}") && ada.text().contains("// bob"));
}

#[actix_web::test]
async fn only_members_get_in_and_nothing_is_upgraded_otherwise() {
    let stack = spawn(Options::default()).await;
    let room = stack.room().await;
    let url = stack.ws_url(0, room.id);
    let stranger = stack.tokens.new_user(shared::auth::Role::User).1;
    assert_eq!(
        refused_upgrade(WsClient::connect(&url, &stranger).await),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        refused_upgrade(
            WsClient::connect(&stack.ws_url(0, uuid::Uuid::new_v4()), &room.members[0].1).await
        ),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        refused_upgrade(WsClient::connect(&url, "garbage").await),
        StatusCode::UNAUTHORIZED
    );
    let foreign = stack
        .client
        .ws(&url)
        .bearer_auth(&room.members[0].1)
        .origin("https://evil.example");
    assert_eq!(
        refused_upgrade(WsClient::connect_with(foreign).await),
        StatusCode::FORBIDDEN
    );

    let info = call(
        stack
            .client
            .get(format!(
                "{}/collaboration-service-api/rooms/{}",
                stack.nodes[0], room.id
            ))
            .bearer_auth(&room.members[0].1),
        Body::Empty,
    )
    .await;
    assert_eq!(info.status, StatusCode::OK);
    assert_eq!(info.body["question"]["title"], "Odd Sums");
    assert_eq!(info.body["members"].as_array().map(Vec::len), Some(2));
    let hidden = call(
        stack
            .client
            .get(format!(
                "{}/collaboration-service-api/rooms/{}",
                stack.nodes[0], room.id
            ))
            .bearer_auth(&stranger),
        Body::Empty,
    )
    .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn a_garbage_frame_closes_only_the_senders_session() {
    let stack = spawn(Options::default()).await;
    let room = stack.room().await;
    let mut ada = stack.editor(0, &room, 0).await;
    let mut bob = stack.editor(0, &room, 1).await;

    bob.ws.send_binary(vec![0xff, 0xff, 0xff, 0x01]).await;
    let reason = bob.ws.closed().await.expect("a close reason");
    assert_eq!(reason.code, awc::ws::CloseCode::Unsupported);

    ada.insert(0, "still here").await;
    ada.settle(QUIET).await;
    assert_eq!(stack.text_seen_by(0, &room, 1).await, "still here");

    let mut text_sender = stack.editor(0, &room, 1).await;
    text_sender.ws.send_text("hello").await;
    assert_eq!(
        text_sender.ws.closed().await.map(|r| r.code),
        Some(awc::ws::CloseCode::Unsupported)
    );
}

#[actix_web::test]
async fn a_room_unloaded_from_memory_loads_again_with_every_edit() {
    let stack = spawn(Options {
        idle_grace_secs: 1,
        ..Options::default()
    })
    .await;
    let room = stack.room().await;
    let mut ada = stack.editor(0, &room, 0).await;
    ada.insert(0, "remember me").await;
    ada.settle(QUIET).await;
    ada.ws.close().await;
    stack.until_no_room_is_open(0).await;

    assert_eq!(stack.text_seen_by(0, &room, 1).await, "remember me");
}

#[actix_web::test]
async fn members_on_different_processes_see_each_others_edits() {
    let options = Options::two_processes();
    members_converge(options, 1).await;
}

#[actix_web::test]
async fn a_process_opening_a_room_another_has_gets_the_whole_state() {
    let stack = spawn(Options::two_processes()).await;
    let room = stack.room().await;
    let mut ada = stack.editor(0, &room, 0).await;
    for i in 0..20 {
        ada.insert(0, &format!("{i} ")).await;
    }
    ada.settle(QUIET).await;

    let seen = stack.text_seen_by(1, &room, 1).await;
    assert_eq!(seen, ada.text());
    assert_eq!(seen.split_whitespace().count(), 20);
}

#[actix_web::test]
async fn a_flooding_client_is_dropped_and_the_others_carry_on() {
    let stack = spawn(Options::default()).await;
    let room = stack.room().await;
    let mut ada = stack.editor(0, &room, 0).await;
    let mut flooder = stack.editor(0, &room, 1).await;
    let query = yrs::updates::encoder::Encode::encode_v1(&yrs::sync::Message::AwarenessQuery);
    for _ in 0..3000 {
        flooder.ws.send_binary(query.clone()).await;
    }
    assert_eq!(
        flooder.ws.closed().await.map(|r| r.code),
        Some(awc::ws::CloseCode::Policy)
    );

    ada.insert(0, "unbothered").await;
    ada.settle(QUIET).await;
    assert_eq!(ada.text(), "unbothered");
}

#[actix_web::test]
async fn a_frame_over_the_size_limit_closes_that_session_only() {
    let stack = spawn(Options::default()).await;
    let room = stack.room().await;
    let mut ada = stack.editor(0, &room, 0).await;
    let mut big = stack.editor(0, &room, 1).await;
    big.ws.send_binary(vec![0u8; 2 * 1024 * 1024]).await;
    assert_eq!(
        big.ws.closed().await.map(|r| r.code),
        Some(awc::ws::CloseCode::Size)
    );
    ada.insert(0, "fine").await;
    ada.settle(QUIET).await;
    assert_eq!(ada.text(), "fine");
}

#[actix_web::test]
async fn awareness_is_relayed_and_removed_when_its_session_leaves() {
    use yrs::sync::{Awareness, Message};
    use yrs::updates::decoder::Decode;
    use yrs::updates::encoder::Encode;

    /// The JSON state of client 4242 in the next awareness frame within a few frames.
    async fn cursor_state(ws: &mut shared::testing::WsClient) -> Option<String> {
        for _ in 0..10 {
            if let Some(awc::ws::Frame::Binary(bytes)) = ws.next_frame(QUIET).await
                && let Ok(Message::Awareness(update)) = Message::decode_v1(&bytes)
                && let Some(entry) = update.clients.get(&yrs::ClientID::new(4242))
            {
                return Some(entry.json.to_string());
            }
        }
        None
    }

    let stack = spawn(Options::default()).await;
    let room = stack.room().await;
    let mut ada = stack.editor(0, &room, 0).await;
    let mut bob = stack.editor(0, &room, 1).await;
    let mut cursor = Awareness::new(yrs::Doc::with_client_id(4242));
    cursor.set_local_state_raw(r##"{"user":{"name":"ada","color":"#f80"},"cursor":{"index":3}}"##);
    ada.ws
        .send_binary(Message::Awareness(cursor.update().expect("update")).encode_v1())
        .await;

    assert!(
        cursor_state(&mut bob.ws)
            .await
            .is_some_and(|json| json.contains("ada")),
        "bob saw ada's cursor"
    );
    // The sender hears its own awareness back (the stock client relies on it).
    assert!(cursor_state(&mut ada.ws).await.is_some());

    ada.ws.close().await;
    assert_eq!(
        cursor_state(&mut bob.ws).await.as_deref(),
        Some("null"),
        "the cursor went with its session"
    );
}

#[actix_web::test]
async fn the_stream_is_compacted_into_a_snapshot_and_nothing_is_lost() {
    let stack = spawn(Options::two_processes()).await;
    let room = stack.room().await;
    let mut ada = stack.editor(0, &room, 0).await;
    for i in 0..450 {
        ada.insert(0, &format!("{i};")).await;
    }
    ada.settle(QUIET).await;

    // Compaction runs beside the edits, so the stream shrinks a moment after them.
    shared::testing::eventually(
        "the stream was compacted",
        Duration::from_secs(10),
        || async { (stack.stream_length(room.id).await < 450).then_some(()) },
    )
    .await;
    let mut redis = shared::bus::connection_manager(LOCAL_REDIS)
        .await
        .expect("redis");
    let snapshot_key = format!("{}snapshot:{}", stack.redis_prefix, room.id);
    let snapshot: Option<Vec<u8>> = redis::cmd("HGET")
        .arg(&snapshot_key)
        .arg("state")
        .query_async(&mut redis)
        .await
        .expect("hget");
    assert!(snapshot.is_some(), "no snapshot");

    // Another process opens the room from snapshot + stream: every edit is there.
    let seen = stack.text_seen_by(1, &room, 1).await;
    assert_eq!(seen, ada.text());
    assert_eq!(seen.matches(';').count(), 450);
}

#[actix_web::test]
async fn wrong_methods_get_405_with_allow_and_stray_queries_400() {
    let stack = spawn(Options::default()).await;
    shared::testing::check_route_rules(
        &stack.nodes[0],
        &["/collaboration-service-api/openapi.json"],
    )
    .await;
    // The websocket reads no query string either (a token in the URL, say).
    let room = stack.room().await;
    let url = format!("{}?token=x", stack.ws_url(0, room.id));
    assert_eq!(
        refused_upgrade(WsClient::connect(&url, &room.members[0].1).await),
        StatusCode::BAD_REQUEST
    );
}
