use awc::http::StatusCode;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{ADMIN_EMAIL, AuthReply, Body, spawn_app};

#[actix_web::test]
async fn the_configured_admin_exists_and_can_list_users() {
    let app = spawn_app().await;
    for _ in 0..3 {
        app.new_user().await;
    }
    let token = app.admin_token().await;

    let page = app.get("/users?page=1&per_page=2", Some(&token)).await;

    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.body["total"], 4);
    assert_eq!(page.body["page"], 1);
    assert_eq!(page.body["per_page"], 2);
    assert_eq!(page.body["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(page.body["items"][0]["email"], ADMIN_EMAIL);
    assert_eq!(page.body["items"][0]["role"], "admin");

    let last = app.get("/users?page=2&per_page=2", Some(&token)).await;
    assert_eq!(last.body["items"].as_array().map(Vec::len), Some(2));
    let past_the_end = app.get("/users?page=9&per_page=2", Some(&token)).await;
    assert_eq!(past_the_end.status, StatusCode::OK);
    assert_eq!(past_the_end.body["items"], json!([]));
    assert_eq!(past_the_end.body["total"], 4);
}

#[actix_web::test]
async fn admins_filter_users_by_search_and_role() {
    let app = spawn_app().await;
    let user = app.new_user().await;
    let token = app.admin_token().await;

    let found = app
        .get(&format!("/users?q={}", &user.username[..8]), Some(&token))
        .await;
    assert_eq!(found.body["total"], 1, "{}", found.body);
    assert_eq!(found.body["items"][0]["id"], user.id.to_string());

    let admins = app.get("/users?role=admin", Some(&token)).await;
    assert_eq!(admins.body["total"], 1);

    let wildcard = app.get("/users?q=%25", Some(&token)).await;
    assert_eq!(wildcard.body["total"], 0, "% is matched literally");
}

#[actix_web::test]
async fn admin_list_refuses_bad_paging() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    for query in [
        "page=0",
        "per_page=0",
        "per_page=1000",
        "page=-1",
        "page=abc",
        "role=owner",
        "sort=name",
    ] {
        let reply = app.get(&format!("/users?{query}"), Some(&token)).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{query}: {}",
            reply.body
        );
    }
}

#[actix_web::test]
async fn non_admins_get_403_on_admin_routes_and_change_nothing() {
    let app = spawn_app().await;
    let user = app.new_user().await;

    let list = app.get("/users", Some(&user.access_token)).await;
    assert_eq!(list.status, StatusCode::FORBIDDEN);
    assert_eq!(list.code(), "forbidden");

    let promote = app
        .patch(
            &format!("/users/{}/role", user.id),
            Some(&user.access_token),
            Body::Json(json!({"role": "admin"})),
        )
        .await;
    assert_eq!(promote.status, StatusCode::FORBIDDEN);
    assert_eq!(app.me(&user.access_token).await.body["role"], "user");

    assert_eq!(
        app.get("/users", None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[actix_web::test]
async fn an_admin_promotes_a_user_who_can_then_use_admin_routes() {
    let app = spawn_app().await;
    let user = app.new_user().await;
    let token = app.admin_token().await;

    let reply = app
        .patch(
            &format!("/users/{}/role", user.id),
            Some(&token),
            Body::Json(json!({"role": "admin"})),
        )
        .await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["role"], "admin");
    // This service reads the current role, so the user's existing token works at once.
    assert_eq!(
        app.get("/users", Some(&user.access_token)).await.status,
        StatusCode::OK
    );
    let refreshed = app.refresh(&user.refresh_token).await;
    let claims = app.claims_for(&crate::helpers::TestUser {
        access_token: refreshed.token(),
        ..user
    });
    assert_eq!(
        claims.role,
        shared::auth::Role::Admin,
        "the next token carries the role"
    );
}

#[actix_web::test]
async fn role_changes_refuse_unknown_users_bad_ids_and_bad_roles() {
    let app = spawn_app().await;
    let user = app.new_user().await;
    let token = app.admin_token().await;
    let set = |path: String, body: serde_json::Value| {
        let token = token.clone();
        let app = &app;
        async move { app.patch(&path, Some(&token), Body::Json(body)).await }
    };

    let unknown = set(
        format!("/users/{}/role", Uuid::new_v4()),
        json!({"role": "admin"}),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let bad_id = set("/users/not-a-uuid/role".into(), json!({"role": "admin"})).await;
    assert_eq!(bad_id.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad_id.code(), "invalid_path");
    let bad_role = set(format!("/users/{}/role", user.id), json!({"role": "owner"})).await;
    assert_eq!(bad_role.status, StatusCode::BAD_REQUEST);
    let extra = set(
        format!("/users/{}/role", user.id),
        json!({"role": "admin", "why": "x"}),
    )
    .await;
    assert_eq!(extra.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.me(&user.access_token).await.body["role"], "user");
}

#[actix_web::test]
async fn the_last_admin_cannot_be_demoted() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let me = app.me(&token).await;
    let admin_id = me.body["id"].as_str().expect("id");

    let reply = app
        .patch(
            &format!("/users/{admin_id}/role"),
            Some(&token),
            Body::Json(json!({"role": "user"})),
        )
        .await;

    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(reply.code(), "last_admin");
    assert_eq!(app.me(&token).await.body["role"], "admin");
}

#[actix_web::test]
async fn a_demoted_admin_is_signed_out_everywhere() {
    let app = spawn_app().await;
    let user = app.new_user().await;
    let token = app.admin_token().await;
    let path = format!("/users/{}/role", user.id);
    let promote =
        |role: &'static str| app.patch(&path, Some(&token), Body::Json(json!({"role": role})));
    assert_eq!(promote("admin").await.status, StatusCode::OK);
    let as_admin = app.refresh(&user.refresh_token).await;
    assert_eq!(as_admin.status, StatusCode::OK);

    assert_eq!(promote("user").await.body["role"], "user");

    assert_eq!(
        app.refresh(&as_admin.refresh_token()).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.me(&as_admin.token()).await.code(), "session_ended");
}
