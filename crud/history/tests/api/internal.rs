//! The internal routes are served at `/internal/...` at the root, where no path rule that
//! forwards `/history-service-api/*` reaches them; they still need the service credential,
//! and only their own document lists them.

use awc::http::StatusCode;
use chrono::Utc;
use shared::auth::Role;
use uuid::Uuid;

use crate::helpers::{Body, SERVICE_TOKEN, call, record_body, spawn_app};

#[actix_web::test]
async fn internal_routes_answer_at_the_root_with_the_token_and_404_under_the_public_prefix() {
    let app = spawn_app().await;
    let user = app.user(Role::User);
    let body = record_body(user.id, Uuid::new_v4(), "easy", &["arrays"], Utc::now());
    let question_ids = format!("/users/{}/question-ids", user.id);

    // Under the public prefix: not found, even with the credential; nothing recorded.
    let old_record = call(
        app.client
            .post(app.url("/internal/attempts"))
            .insert_header(("X-Service-Token", SERVICE_TOKEN)),
        Body::Json(body.clone()),
    )
    .await;
    assert_eq!(
        old_record.status,
        StatusCode::NOT_FOUND,
        "{}",
        old_record.body
    );
    assert_eq!(old_record.code(), "not_found");
    let old_ids = call(
        app.client
            .get(app.url(&format!("/internal{question_ids}")))
            .insert_header(("X-Service-Token", SERVICE_TOKEN)),
        Body::Empty,
    )
    .await;
    assert_eq!(old_ids.status, StatusCode::NOT_FOUND);
    assert_eq!(app.count().await, 0);

    // At the root: 401 without the credential, and still nothing recorded.
    let anonymous = app.record_with(None, Body::Json(body.clone())).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let ids_anonymous = call(app.client.get(app.internal_url(&question_ids)), Body::Empty).await;
    assert_eq!(ids_anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.count().await, 0);

    // With it: both work.
    assert_eq!(app.record(body.clone()).await.status, StatusCode::CREATED);
    let ids = call(
        app.client
            .get(app.internal_url(&question_ids))
            .insert_header(("X-Service-Token", SERVICE_TOKEN)),
        Body::Empty,
    )
    .await;
    assert_eq!(ids.status, StatusCode::OK);
    assert_eq!(ids.body["question_ids"][0], body["question"]["id"]);
}

#[actix_web::test]
async fn only_the_internal_document_lists_the_internal_routes() {
    let app = spawn_app().await;
    let public = app.get("/openapi.json", None).await;
    let public_paths = public.body["paths"].as_object().expect("paths");
    assert!(!public_paths.is_empty());
    assert!(
        public_paths.keys().all(|path| !path.contains("internal")),
        "{public_paths:?}"
    );

    let internal = call(
        app.client.get(app.internal_url("/openapi.json")),
        Body::Empty,
    )
    .await;
    assert_eq!(internal.status, StatusCode::OK);
    let paths = internal.body["paths"].as_object().expect("paths");
    let mut listed: Vec<&str> = paths.keys().map(String::as_str).collect();
    listed.sort_unstable();
    assert_eq!(
        listed,
        [
            "/internal/attempts",
            "/internal/users/{user_id}/question-ids"
        ]
    );
    assert_eq!(
        paths["/internal/attempts"]["post"]["security"][0]["service_token"],
        serde_json::json!([])
    );
}

#[actix_web::test]
async fn wrong_methods_get_405_with_allow_and_stray_queries_400() {
    let app = spawn_app().await;
    shared::testing::check_route_rules(
        &app.address,
        &[
            "/history-service-api/openapi.json",
            "/internal/openapi.json",
        ],
    )
    .await;
}
