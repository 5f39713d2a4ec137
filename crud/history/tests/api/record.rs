use awc::http::StatusCode;
use chrono::{Duration, Utc};
use serde_json::json;
use shared::auth::Role;
use uuid::Uuid;

use crate::helpers::{Body, record_body, spawn_app};

#[actix_web::test]
async fn recording_stores_the_attempt_with_a_copy_of_the_question() {
    let app = spawn_app().await;
    let user = app.user(Role::User);
    let body = record_body(user.id, Uuid::new_v4(), "medium", &["graphs"], Utc::now());

    let reply = app.record(body.clone()).await;

    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["question"], body["question"]);
    assert_eq!(reply.body["duration_secs"], 1500);
    assert_eq!(reply.body["peer"]["username"], "grace");
    assert_eq!(reply.body["code"], body["code"]);
    let id = reply.body["id"].as_str().expect("id");
    let mine = app.get(&format!("/attempts/{id}"), Some(&user.token)).await;
    assert_eq!(mine.body["question"]["title"], "Odd Sums");
}

#[actix_web::test]
async fn recording_the_same_room_and_user_twice_stores_one_attempt() {
    let app = spawn_app().await;
    let user = app.user(Role::User);
    let room = Uuid::new_v4();
    let first = app
        .record(record_body(user.id, room, "easy", &["arrays"], Utc::now()))
        .await;
    let mut retry = record_body(user.id, room, "easy", &["arrays"], Utc::now());
    retry["code"] = json!("something else");

    let second = app.record(retry).await;

    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(second.status, StatusCode::OK);
    assert_eq!(second.body["id"], first.body["id"]);
    assert_eq!(
        second.body["code"], first.body["code"],
        "the first record wins"
    );
    assert_eq!(app.count().await, 1);
    let listed = app.get("/attempts", Some(&user.token)).await;
    assert_eq!(listed.body["total"], 1);

    // The peer's attempt in the same room is their own.
    let peer = app
        .record(record_body(
            Uuid::new_v4(),
            room,
            "easy",
            &["arrays"],
            Utc::now(),
        ))
        .await;
    assert_eq!(peer.status, StatusCode::CREATED);
}

#[actix_web::test]
async fn concurrent_retries_still_store_one_attempt() {
    let app = spawn_app().await;
    let user = Uuid::new_v4();
    let room = Uuid::new_v4();
    let body = record_body(user, room, "hard", &["trees"], Utc::now());
    let replies: Vec<StatusCode> =
        futures_util::future::join_all((0..8).map(|_| app.record(body.clone())))
            .await
            .into_iter()
            .map(|reply| reply.status)
            .collect();
    let created = replies
        .iter()
        .filter(|status| **status == StatusCode::CREATED)
        .count();
    assert_eq!(created, 1, "{replies:?}");
    assert!(
        replies
            .iter()
            .all(|s| *s == StatusCode::CREATED || *s == StatusCode::OK)
    );
    assert_eq!(app.count().await, 1);
}

#[actix_web::test]
async fn recording_needs_the_service_credential_not_a_user_token() {
    let app = spawn_app().await;
    let user = app.user(Role::Admin);
    let body = record_body(user.id, Uuid::new_v4(), "easy", &["arrays"], Utc::now());

    let missing = app.record_with(None, Body::Json(body.clone())).await;
    assert_eq!(missing.status, StatusCode::UNAUTHORIZED);
    let wrong = app
        .record_with(Some("guess"), Body::Json(body.clone()))
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.code(), "invalid_service_token");
    let as_user = crate::helpers::call(
        app.client
            .post(app.internal_url("/attempts"))
            .bearer_auth(&user.token),
        Body::Json(body),
    )
    .await;
    assert_eq!(as_user.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.count().await, 0);
}

#[actix_web::test]
async fn invalid_records_get_400_and_store_nothing() {
    let app = spawn_app().await;
    let user = Uuid::new_v4();
    let good = record_body(user, Uuid::new_v4(), "easy", &["arrays"], Utc::now());
    let cases = [
        ("language", json!("cobol")),
        ("ended_at", json!(Utc::now() - Duration::hours(2))),
        ("ended_at", json!(Utc::now() + Duration::hours(2))),
        ("outcome", json!("won")),
        ("user_id", json!("nope")),
        (
            "code",
            json!("x".repeat(history::attempt::MAX_CODE_CHARS + 1)),
        ),
        (
            "question",
            json!({"id": Uuid::new_v4(), "title": "", "difficulty": "easy", "topics": []}),
        ),
        (
            "question",
            json!({"id": Uuid::new_v4(), "title": "T", "difficulty": "legendary", "topics": []}),
        ),
        ("peer", json!({"id": user, "username": "me"})),
    ];
    for (field, value) in cases {
        let mut body = good.clone();
        body[field] = value;
        let reply = app.record(body).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{field}: {}",
            reply.body
        );
    }
    let mut unknown = good.clone();
    unknown["score"] = json!(10);
    assert_eq!(app.record(unknown).await.code(), "invalid_body");
    let malformed = app
        .record_with(
            Some(crate::helpers::SERVICE_TOKEN),
            Body::Raw("application/json", "{\"room_id\":"),
        )
        .await;
    assert_eq!(malformed.code(), "malformed_json");
    assert_eq!(app.count().await, 0);
}

#[actix_web::test]
async fn services_read_which_questions_a_user_has_attempted() {
    let app = spawn_app().await;
    let user = app.user(Role::User);
    let first = record_body(user.id, Uuid::new_v4(), "easy", &["arrays"], Utc::now());
    let question = first["question"]["id"].clone();
    app.record(first).await;
    let url = app.internal_url(&format!("/users/{}/question-ids", user.id));

    let reply = crate::helpers::call(
        app.client
            .get(&url)
            .insert_header(("X-Service-Token", crate::helpers::SERVICE_TOKEN)),
        Body::Empty,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["question_ids"], json!([question]));

    let as_user =
        crate::helpers::call(app.client.get(&url).bearer_auth(&user.token), Body::Empty).await;
    assert_eq!(as_user.status, StatusCode::UNAUTHORIZED);
    let nobody = app.internal_url(&format!("/users/{}/question-ids", Uuid::new_v4()));
    let empty = crate::helpers::call(
        app.client
            .get(&nobody)
            .insert_header(("X-Service-Token", crate::helpers::SERVICE_TOKEN)),
        Body::Empty,
    )
    .await;
    assert_eq!(empty.body["question_ids"], json!([]));
}
