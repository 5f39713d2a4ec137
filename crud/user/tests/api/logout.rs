use awc::http::StatusCode;
use serde_json::json;

use crate::helpers::{AuthReply, Body, PASSWORD, call, spawn_app};

#[actix_web::test]
async fn after_logout_the_sessions_access_and_refresh_tokens_stop_working() {
    let app = spawn_app().await;
    let user = app.new_user().await;

    let reply = app
        .post("/auth/logout", Some(&user.access_token), Body::Empty)
        .await;

    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    let cleared = reply.set_cookie("peerprep_access").expect("cookie cleared");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    let me = app.me(&user.access_token).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    assert_eq!(me.code(), "session_ended");
    assert_eq!(
        app.refresh(&user.refresh_token).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[actix_web::test]
async fn logout_ends_only_its_own_session() {
    let app = spawn_app().await;
    let user = app.new_user().await;
    let other_device = app.login(&user.email, PASSWORD).await;

    app.post("/auth/logout", Some(&user.access_token), Body::Empty)
        .await;

    assert_eq!(app.me(&other_device.token()).await.status, StatusCode::OK);
}

#[actix_web::test]
async fn logout_with_only_a_refresh_token_ends_that_session() {
    let app = spawn_app().await;
    let user = app.new_user().await;

    let by_body = app
        .post(
            "/auth/logout",
            None,
            Body::Json(json!({"refresh_token": user.refresh_token})),
        )
        .await;
    assert_eq!(by_body.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.me(&user.access_token).await.status,
        StatusCode::UNAUTHORIZED
    );

    let second = app.login(&user.email, PASSWORD).await;
    let request = app.client.post(app.url("/auth/logout")).insert_header((
        "cookie",
        format!("peerprep_refresh={}", second.refresh_token()),
    ));
    assert_eq!(
        call(request, Body::Empty).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.refresh(&second.refresh_token()).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[actix_web::test]
async fn logout_without_credentials_gets_401() {
    let app = spawn_app().await;
    let reply = app.post("/auth/logout", None, Body::Empty).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    let bogus = app.post("/auth/logout", Some("garbage"), Body::Empty).await;
    assert_eq!(bogus.status, StatusCode::UNAUTHORIZED);
}
