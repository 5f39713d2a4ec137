use awc::http::StatusCode;
use serde_json::json;

use std::time::Duration;

use crate::helpers::{AuthReply, Body, call, spawn_app, spawn_app_with};

#[actix_web::test]
async fn parallel_refreshes_with_one_cookie_all_get_the_same_new_pair() {
    let app = spawn_app().await;
    let user = app.new_user().await;
    let refresh_with_cookie = || {
        let request = app
            .client
            .post(app.url("/auth/refresh"))
            .insert_header(("cookie", format!("peerprep_refresh={}", user.refresh_token)));
        call(request, Body::Empty)
    };

    let replies = futures_util::future::join_all((0..5).map(|_| refresh_with_cookie())).await;

    for reply in &replies {
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(reply.refresh_token(), replies[0].refresh_token());
        assert_eq!(reply.token(), replies[0].token());
    }
    assert_ne!(replies[0].refresh_token(), user.refresh_token);
    // The session lives on: the shared pair works, and rotates once more.
    assert_eq!(app.me(&replies[0].token()).await.status, StatusCode::OK);
    let next = app.refresh(&replies[0].refresh_token()).await;
    assert_eq!(next.status, StatusCode::OK, "{}", next.body);
    assert_eq!(app.me(&next.token()).await.status, StatusCode::OK);
}

#[actix_web::test]
async fn a_token_presented_again_within_the_grace_window_gets_the_same_pair() {
    let app = spawn_app().await;
    let user = app.new_user().await;
    let first = app.refresh(&user.refresh_token).await;
    let second = app.refresh(&user.refresh_token).await;

    assert_eq!(second.status, StatusCode::OK, "{}", second.body);
    assert_eq!(second.refresh_token(), first.refresh_token());
    assert_eq!(second.token(), first.token());
    assert_eq!(app.me(&user.access_token).await.status, StatusCode::OK);
}

#[actix_web::test]
async fn refresh_rotates_the_pair() {
    let app = spawn_app().await;
    let user = app.new_user().await;

    let reply = app.refresh(&user.refresh_token).await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_ne!(reply.refresh_token(), user.refresh_token);
    assert_ne!(reply.token(), user.access_token);
    assert_eq!(reply.body["user"]["id"], user.id.to_string());
    assert_eq!(app.me(&reply.token()).await.status, StatusCode::OK);
    assert_eq!(
        app.refresh(&reply.refresh_token()).await.status,
        StatusCode::OK
    );
}

#[actix_web::test]
async fn refresh_reads_the_cookie_when_there_is_no_body() {
    let app = spawn_app().await;
    let user = app.new_user().await;
    let request = app
        .client
        .post(app.url("/auth/refresh"))
        .insert_header(("cookie", format!("peerprep_refresh={}", user.refresh_token)));

    let reply = call(request, Body::Empty).await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(
        reply
            .set_cookie("peerprep_refresh")
            .is_some_and(|c| c.contains(&reply.refresh_token()))
    );
}

#[actix_web::test]
async fn reusing_a_rotated_refresh_token_after_the_grace_window_revokes_the_whole_family() {
    let app = spawn_app_with(&[("REFRESH_REUSE_GRACE_SECS", "1")]).await;
    let user = app.new_user().await;
    let rotated = app.refresh(&user.refresh_token).await;
    assert_eq!(rotated.status, StatusCode::OK);
    actix_web::rt::time::sleep(Duration::from_millis(1500)).await;

    let replay = app.refresh(&user.refresh_token).await;

    assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
    assert_eq!(replay.code(), "refresh_token_reused");
    // The legitimate successor dies with the family, and so do the session's access tokens.
    let successor = app.refresh(&rotated.refresh_token()).await;
    assert_eq!(successor.status, StatusCode::UNAUTHORIZED);
    assert_eq!(successor.code(), "invalid_refresh_token");
    assert_eq!(app.me(&rotated.token()).await.code(), "session_ended");
    assert_eq!(
        app.me(&user.access_token).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[actix_web::test]
async fn reuse_in_one_session_leaves_other_sessions_alone() {
    let app = spawn_app_with(&[("REFRESH_REUSE_GRACE_SECS", "0")]).await;
    let user = app.new_user().await;
    let second = app.login(&user.email, crate::helpers::PASSWORD).await;
    app.refresh(&user.refresh_token).await;
    app.refresh(&user.refresh_token).await;

    assert_eq!(app.me(&second.token()).await.status, StatusCode::OK);
    assert_eq!(
        app.refresh(&second.refresh_token()).await.status,
        StatusCode::OK
    );
}

#[actix_web::test]
async fn refresh_refuses_unknown_missing_and_malformed_tokens() {
    let app = spawn_app().await;

    let unknown = app.refresh("not-a-real-refresh-token").await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.code(), "invalid_refresh_token");

    let missing = app.post("/auth/refresh", None, Body::Empty).await;
    assert_eq!(missing.status, StatusCode::UNAUTHORIZED);
    assert_eq!(missing.code(), "unauthenticated");

    let malformed = app
        .post(
            "/auth/refresh",
            None,
            Body::Raw("application/json", "{oops"),
        )
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert_eq!(malformed.code(), "malformed_json");

    let wrong_type = app
        .post(
            "/auth/refresh",
            None,
            Body::Json(json!({"refresh_token": 5})),
        )
        .await;
    assert_eq!(wrong_type.status, StatusCode::BAD_REQUEST);

    let unknown_field = app
        .post("/auth/refresh", None, Body::Json(json!({"token": "x"})))
        .await;
    assert_eq!(unknown_field.status, StatusCode::BAD_REQUEST);
}

#[actix_web::test]
async fn an_access_token_is_not_a_refresh_token() {
    let app = spawn_app().await;
    let user = app.new_user().await;
    let reply = app.refresh(&user.access_token).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
}

#[actix_web::test]
async fn a_refresh_token_past_its_lifetime_is_refused() {
    let app = crate::helpers::spawn_app_with(&[("REFRESH_TOKEN_TTL_SECS", "1")]).await;
    let user = app.new_user().await;
    actix_web::rt::time::sleep(std::time::Duration::from_millis(1100)).await;
    let reply = app.refresh(&user.refresh_token).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.code(), "invalid_refresh_token");
}
