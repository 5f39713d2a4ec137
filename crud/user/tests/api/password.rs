use awc::http::StatusCode;
use serde_json::json;

use crate::helpers::{AuthReply, Body, PASSWORD, spawn_app};

const NEW_PASSWORD: &str = "a brand new passphrase";

#[actix_web::test]
async fn changing_the_password_ends_other_sessions_and_keeps_this_one() {
    let app = spawn_app().await;
    let user = app.new_user().await;
    let other = app.login(&user.email, PASSWORD).await;

    let reply = app
        .post(
            "/users/me/password",
            Some(&user.access_token),
            Body::Json(json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD})),
        )
        .await;

    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.body);
    assert_eq!(app.me(&user.access_token).await.status, StatusCode::OK);
    assert_eq!(
        app.refresh(&user.refresh_token).await.status,
        StatusCode::OK
    );
    assert_eq!(app.me(&other.token()).await.code(), "session_ended");
    assert_eq!(
        app.refresh(&other.refresh_token()).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login(&user.email, PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login(&user.email, NEW_PASSWORD).await.status,
        StatusCode::OK
    );
}

#[actix_web::test]
async fn a_wrong_current_password_gets_403_and_changes_nothing() {
    let app = spawn_app().await;
    let user = app.new_user().await;
    let other = app.login(&user.email, PASSWORD).await;

    let reply = app
        .post(
            "/users/me/password",
            Some(&user.access_token),
            Body::Json(
                json!({"current_password": "not my password", "new_password": NEW_PASSWORD}),
            ),
        )
        .await;

    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(reply.code(), "invalid_credentials");
    assert_eq!(app.me(&other.token()).await.status, StatusCode::OK);
    assert_eq!(
        app.login(&user.email, PASSWORD).await.status,
        StatusCode::OK
    );
}

#[actix_web::test]
async fn a_weak_or_unchanged_new_password_gets_400() {
    let app = spawn_app().await;
    let user = app.new_user().await;
    for new_password in ["too-short", PASSWORD, &"y".repeat(129)] {
        let reply = app
            .post(
                "/users/me/password",
                Some(&user.access_token),
                Body::Json(json!({"current_password": PASSWORD, "new_password": new_password})),
            )
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{new_password}");
        assert!(reply.body["error"]["details"]["fields"]["new_password"].is_array());
    }
    let missing = app
        .post(
            "/users/me/password",
            Some(&user.access_token),
            Body::Json(json!({"new_password": NEW_PASSWORD})),
        )
        .await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        app.login(&user.email, PASSWORD).await.status,
        StatusCode::OK
    );
}
