use awc::http::StatusCode;
use chrono::{Duration, Utc};
use shared::auth::Role;
use uuid::Uuid;

use crate::helpers::spawn_app;

#[actix_web::test]
async fn a_user_lists_their_own_attempts_newest_first_without_code() {
    let app = spawn_app().await;
    let user = app.user(Role::User);
    let other = app.user(Role::User);
    let now = Utc::now();
    let old = app
        .attempt(&user, "easy", &["arrays"], now - Duration::days(2))
        .await;
    let new = app.attempt(&user, "hard", &["graphs"], now).await;
    app.attempt(&other, "easy", &["arrays"], now).await;

    let reply = app.get("/attempts", Some(&user.token)).await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["total"], 2);
    assert_eq!(reply.body["items"][0]["id"], new.as_str());
    assert_eq!(reply.body["items"][1]["id"], old.as_str());
    assert!(reply.body["items"][0].get("code").is_none());
}

#[actix_web::test]
async fn attempts_filter_by_difficulty_topic_outcome_and_language_and_page() {
    let app = spawn_app().await;
    let user = app.user(Role::User);
    let now = Utc::now();
    for i in 0..5 {
        app.attempt(
            &user,
            "easy",
            &["arrays", "strings"],
            now - Duration::minutes(i),
        )
        .await;
    }
    app.attempt(&user, "hard", &["graphs"], now).await;
    let token = Some(user.token.as_str());

    assert_eq!(
        app.get("/attempts?difficulty=easy", token).await.body["total"],
        5
    );
    assert_eq!(
        app.get("/attempts?topic=strings", token).await.body["total"],
        5
    );
    assert_eq!(
        app.get("/attempts?topic=graphs&difficulty=hard", token)
            .await
            .body["total"],
        1
    );
    assert_eq!(
        app.get("/attempts?outcome=abandoned", token).await.body["total"],
        0
    );
    assert_eq!(
        app.get("/attempts?language=python", token).await.body["total"],
        6
    );
    let page = app.get("/attempts?per_page=4&page=2", token).await;
    assert_eq!(page.body["items"].as_array().map(Vec::len), Some(2));
    let past = app.get("/attempts?per_page=4&page=3", token).await;
    assert_eq!(past.status, StatusCode::OK);
    assert_eq!(past.body["items"].as_array().map(Vec::len), Some(0));
    assert_eq!(past.body["total"], 6);
}

#[actix_web::test]
async fn bad_filters_get_400() {
    let app = spawn_app().await;
    let user = app.user(Role::User);
    for query in [
        "difficulty=extreme",
        "outcome=won",
        "page=0",
        "per_page=500",
        "user_id=nope",
        "sort=asc",
    ] {
        let reply = app
            .get(&format!("/attempts?{query}"), Some(&user.token))
            .await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{query}: {}",
            reply.body
        );
    }
}

#[actix_web::test]
async fn nobody_reads_another_users_attempts_but_admins_may() {
    let app = spawn_app().await;
    let owner = app.user(Role::User);
    let snoop = app.user(Role::User);
    let admin = app.user(Role::Admin);
    let id = app.attempt(&owner, "medium", &["trees"], Utc::now()).await;

    let peek = app
        .get(&format!("/attempts/{id}"), Some(&snoop.token))
        .await;
    assert_eq!(peek.status, StatusCode::NOT_FOUND);
    let list = app
        .get(
            &format!("/attempts?user_id={}", owner.id),
            Some(&snoop.token),
        )
        .await;
    assert_eq!(list.status, StatusCode::FORBIDDEN);
    let stats = app
        .get(&format!("/stats?user_id={}", owner.id), Some(&snoop.token))
        .await;
    assert_eq!(stats.status, StatusCode::FORBIDDEN);

    assert_eq!(
        app.get(&format!("/attempts/{id}"), Some(&admin.token))
            .await
            .status,
        StatusCode::OK
    );
    let as_admin = app
        .get(
            &format!("/attempts?user_id={}", owner.id),
            Some(&admin.token),
        )
        .await;
    assert_eq!(as_admin.body["total"], 1);
    assert_eq!(
        app.get(&format!("/attempts/{id}"), Some(&owner.token))
            .await
            .body["code"]
            .as_str()
            .map(str::is_empty),
        Some(false)
    );
    // Naming oneself is fine.
    let own = app
        .get(
            &format!("/attempts?user_id={}", owner.id),
            Some(&owner.token),
        )
        .await;
    assert_eq!(own.status, StatusCode::OK);
}

#[actix_web::test]
async fn unknown_and_malformed_attempt_ids() {
    let app = spawn_app().await;
    let user = app.user(Role::User);
    let unknown = app
        .get(&format!("/attempts/{}", Uuid::new_v4()), Some(&user.token))
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let malformed = app.get("/attempts/42", Some(&user.token)).await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
}

#[actix_web::test]
async fn history_needs_a_valid_access_token() {
    let app = spawn_app().await;
    assert_eq!(
        app.get("/attempts", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/stats", Some("not.a.token")).await.status,
        StatusCode::UNAUTHORIZED
    );
    let foreign = shared::testing::TestTokens::new().new_user(Role::User).1;
    assert_eq!(
        app.get("/attempts", Some(&foreign)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[actix_web::test]
async fn the_openapi_document_describes_every_endpoint() {
    let app = spawn_app().await;
    let reply = app.get("/openapi.json", None).await;
    let paths = reply.body["paths"].as_object().expect("paths");
    for path in [
        "/history-service-api/attempts",
        "/history-service-api/attempts/{id}",
        "/history-service-api/stats",
    ] {
        assert!(paths.contains_key(path), "{path}");
    }
    // The internal routes have a document of their own (see `internal.rs`).
    assert!(
        paths.keys().all(|path| !path.contains("internal")),
        "{paths:?}"
    );
}
