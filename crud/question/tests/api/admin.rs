use awc::http::StatusCode;
use serde_json::json;

use crate::helpers::{Body, call, question_body, spawn_app, spawn_empty_app};

#[actix_web::test]
async fn an_admin_creates_a_question_that_is_then_listed_and_found() {
    let app = spawn_empty_app().await;
    let reply = app
        .create(Some(&app.admin()), question_body("Odd Sums"))
        .await;

    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["slug"], "odd-sums");
    assert_eq!(reply.body["topics"], json!(["math", "arrays"]));
    assert_eq!(
        reply.body["starter_code"]["python"],
        "def odd_sum(n):\n    pass\n"
    );
    let found = app.get("/questions/odd-sums").await;
    assert_eq!(found.body["id"], reply.body["id"]);
    assert_eq!(app.get("/questions?topic=math").await.body["total"], 1);
}

#[actix_web::test]
async fn users_and_strangers_cannot_write_questions() {
    let app = spawn_app().await;
    let before = app.count().await;
    let some_id = app.get("/questions?per_page=1").await.body["items"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();

    for (token, status) in [
        (Some(app.user()), StatusCode::FORBIDDEN),
        (None, StatusCode::UNAUTHORIZED),
        (Some("junk".to_owned()), StatusCode::UNAUTHORIZED),
    ] {
        let token = token.as_deref();
        assert_eq!(
            app.create(token, question_body("Sneaky")).await.status,
            status
        );
        assert_eq!(
            app.replace(token, &some_id, question_body("Sneaky"))
                .await
                .status,
            status
        );
        assert_eq!(app.delete(token, &some_id).await.status, status);
    }
    assert_eq!(app.count().await, before);
    assert_eq!(
        app.get(&format!("/questions/{some_id}")).await.status,
        StatusCode::OK
    );
}

#[actix_web::test]
async fn an_admin_replaces_a_question() {
    let app = spawn_empty_app().await;
    let admin = app.admin();
    let created = app.create(Some(&admin), question_body("Odd Sums")).await;
    let id = created.body["id"].as_str().expect("id").to_owned();
    let mut body = question_body("Even Sums");
    body["difficulty"] = json!("medium");

    let reply = app.replace(Some(&admin), &id, body).await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["title"], "Even Sums");
    assert_eq!(reply.body["slug"], "even-sums");
    assert_eq!(reply.body["difficulty"], "medium");
    assert_eq!(reply.body["created_at"], created.body["created_at"]);
    assert_ne!(reply.body["updated_at"], created.body["updated_at"]);
    assert_eq!(
        app.get("/questions/odd-sums").await.status,
        StatusCode::NOT_FOUND
    );
}

#[actix_web::test]
async fn duplicate_titles_and_slugs_get_409_and_change_nothing() {
    let app = spawn_empty_app().await;
    let admin = app.admin();
    app.create(Some(&admin), question_body("Odd Sums")).await;
    let other = app.create(Some(&admin), question_body("Other")).await;
    let other_id = other.body["id"].as_str().expect("id").to_owned();

    let mut same_title = question_body("ODD SUMS");
    same_title["slug"] = json!("odd-sums-in-capitals");
    let same_title = app.create(Some(&admin), same_title).await;
    assert_eq!(same_title.status, StatusCode::CONFLICT);
    assert_eq!(same_title.code(), "title_taken");

    let mut same_slug = question_body("Odd Sums Again");
    same_slug["slug"] = json!("odd-sums");
    let reply = app.create(Some(&admin), same_slug).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(reply.code(), "slug_taken");

    let rename = app
        .replace(Some(&admin), &other_id, question_body("Odd Sums"))
        .await;
    assert_eq!(rename.status, StatusCode::CONFLICT);
    assert_eq!(app.count().await, 2);
    assert_eq!(
        app.get(&format!("/questions/{other_id}")).await.body["title"],
        "Other"
    );
}

#[actix_web::test]
async fn invalid_questions_get_400_with_each_field_named() {
    let app = spawn_empty_app().await;
    let admin = app.admin();
    let cases = [
        ("title", json!("ab")),
        ("difficulty", json!("extreme")),
        ("topics", json!([])),
        ("topics", json!(["Not A Slug"])),
        ("examples", json!([])),
        ("examples", json!([{"input": "", "output": "1"}])),
        ("description", json!("   ")),
        ("slug", json!("Bad Slug")),
        ("starter_code", json!({"cobol": "x"})),
        ("constraints", json!(["x".repeat(301)])),
        ("title", json!(42)),
    ];
    for (field, value) in cases {
        let mut body = question_body("Valid Title");
        body[field] = value.clone();
        let reply = app.create(Some(&admin), body).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{field} = {value}: {}",
            reply.body
        );
    }
    let mut unknown = question_body("Valid Title");
    unknown["author"] = json!("me");
    assert_eq!(
        app.create(Some(&admin), unknown).await.code(),
        "invalid_body"
    );
    let malformed = call(
        app.client.post(app.url("/questions")).bearer_auth(&admin),
        Body::Raw("application/json", "{"),
    )
    .await;
    assert_eq!(malformed.code(), "malformed_json");
    assert_eq!(app.count().await, 0);
}

#[actix_web::test]
async fn writing_unknown_questions_gets_404_and_bad_ids_400() {
    let app = spawn_empty_app().await;
    let admin = app.admin();
    let unknown = uuid::Uuid::new_v4().to_string();
    assert_eq!(
        app.replace(Some(&admin), &unknown, question_body("Whatever"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.delete(Some(&admin), &unknown).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.delete(Some(&admin), "not-a-uuid").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[actix_web::test]
async fn text_with_nul_characters_is_refused_not_a_server_error() {
    let app = spawn_empty_app().await;
    let mut body = question_body("Nul Title");
    body["description"] = json!("before\u{0}after");
    let reply = app.create(Some(&app.admin()), body).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert_eq!(
        app.get("/questions/nul%00slug").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[actix_web::test]
async fn the_openapi_document_describes_every_endpoint() {
    let app = spawn_empty_app().await;
    let reply = app.get("/openapi.json").await;
    assert_eq!(reply.status, StatusCode::OK);
    let paths = reply.body["paths"].as_object().expect("paths");
    for path in [
        "/question-service-api/questions",
        "/question-service-api/questions/pick",
        "/question-service-api/questions/{id_or_slug}",
        "/question-service-api/questions/{id}",
        "/question-service-api/topics",
    ] {
        assert!(paths.contains_key(path), "{path}");
    }
    assert!(paths["/question-service-api/questions"]["post"]["security"].is_array());
}

#[actix_web::test]
async fn wrong_methods_get_405_with_allow_and_stray_queries_400() {
    let app = spawn_app().await;
    let reply = app.get("/topics?x=1").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.code(), "invalid_query");
    shared::testing::check_route_rules(&app.address, &["/question-service-api/openapi.json"]).await;
}
