//! Ended sessions are announced on the bus (Redis here), heard by a plain Redis subscriber.

use std::time::Duration;

use futures_util::StreamExt;
use redis::aio::PubSubStream;
use serde_json::json;
use shared::auth::SessionsEnded;
use shared::testing::TestTokens;

use crate::helpers::{AuthReply, Body, PASSWORD, TestApp, spawn_app_with};

const REDIS_URL: &str = "redis://127.0.0.1:6379";

/// The service with Redis, under a key prefix of its own; and a subscription to its channel.
async fn app_with_redis(extra: &[(&str, &str)]) -> (TestApp, PubSubStream) {
    let prefix = format!("test-{}:", uuid::Uuid::new_v4().simple());
    let mut vars = vec![
        ("REDIS_URL", REDIS_URL),
        ("REDIS_KEY_PREFIX", prefix.as_str()),
    ];
    vars.extend_from_slice(extra);
    let app = spawn_app_with(&vars).await;
    let client = redis::Client::open(REDIS_URL).expect("redis url");
    let mut pubsub = client.get_async_pubsub().await.expect("redis subscriber");
    pubsub
        .subscribe(format!("{prefix}sessions-ended"))
        .await
        .expect("subscribe");
    (app, pubsub.into_on_message())
}

async fn next_ended(messages: &mut PubSubStream) -> SessionsEnded {
    let message = tokio::time::timeout(Duration::from_secs(5), messages.next())
        .await
        .expect("an announcement within 5 s")
        .expect("the subscription is open");
    serde_json::from_slice(message.get_payload_bytes()).expect("a SessionsEnded")
}

#[actix_web::test]
async fn a_logout_publishes_its_session_on_redis() {
    let (app, mut messages) = app_with_redis(&[]).await;
    let user = app.new_user().await;
    let other_device = app.login(&user.email, PASSWORD).await;

    let reply = app
        .post("/auth/logout", Some(&user.access_token), Body::Empty)
        .await;
    assert_eq!(reply.status, 204);

    let ended = next_ended(&mut messages).await;
    assert_eq!(ended.user, user.id);
    assert_eq!(
        ended.sessions,
        vec![TestTokens::session_of(&user.access_token)]
    );
    assert!(ended.until > chrono::Utc::now().timestamp() + 60);
    // Only the session that logged out.
    assert_eq!(app.me(&other_device.token()).await.status, 200);
}

#[actix_web::test]
async fn password_change_demotion_and_refresh_reuse_publish_the_sessions_they_end() {
    let (app, mut messages) = app_with_redis(&[("REFRESH_REUSE_GRACE_SECS", "0")]).await;
    let user = app.new_user().await;
    let this_session = TestTokens::session_of(&user.access_token);
    let other_device = app.login(&user.email, PASSWORD).await;

    // A password change ends the other sessions, not the one that made it.
    let changed = app
        .post(
            "/users/me/password",
            Some(&user.access_token),
            Body::Json(
                json!({"current_password": PASSWORD, "new_password": "a brand new passphrase"}),
            ),
        )
        .await;
    assert_eq!(changed.status, 204, "{}", changed.body);
    let ended = next_ended(&mut messages).await;
    assert_eq!(
        ended.sessions,
        vec![TestTokens::session_of(&other_device.token())]
    );

    // A refresh token presented again after the grace window ends its family.
    assert_eq!(app.refresh(&user.refresh_token).await.status, 200);
    assert_eq!(app.refresh(&user.refresh_token).await.status, 401);
    let ended = next_ended(&mut messages).await;
    assert_eq!((ended.user, ended.sessions), (user.id, vec![this_session]));

    // A demotion ends every session of the demoted user.
    let admin = app.admin_token().await;
    let promoted = app.new_user().await;
    let second = app.login(&promoted.email, PASSWORD).await;
    let path = format!("/users/{}/role", promoted.id);
    for role in ["admin", "user"] {
        let reply = app
            .patch(&path, Some(&admin), Body::Json(json!({"role": role})))
            .await;
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
    let mut ended = next_ended(&mut messages).await;
    ended.sessions.sort();
    let mut expected = vec![
        TestTokens::session_of(&promoted.access_token),
        TestTokens::session_of(&second.token()),
    ];
    expected.sort();
    assert_eq!((ended.user, ended.sessions), (promoted.id, expected));
}

#[actix_web::test]
async fn logout_everywhere_ends_and_publishes_every_session_of_the_user() {
    let (app, mut messages) = app_with_redis(&[]).await;
    let user = app.new_user().await;
    let other_device = app.login(&user.email, PASSWORD).await;
    let someone_else = app.new_user().await;

    let reply = app
        .post("/auth/logout-all", Some(&user.access_token), Body::Empty)
        .await;
    assert_eq!(reply.status, 204, "{}", reply.body);

    let mut ended = next_ended(&mut messages).await;
    ended.sessions.sort();
    let mut expected = vec![
        TestTokens::session_of(&user.access_token),
        TestTokens::session_of(&other_device.token()),
    ];
    expected.sort();
    assert_eq!((ended.user, ended.sessions), (user.id, expected));
    for token in [&user.access_token, &other_device.token()] {
        assert_eq!(app.me(token).await.code(), "session_ended");
    }
    assert_eq!(app.refresh(&other_device.refresh_token()).await.status, 401);
    assert_eq!(app.me(&someone_else.access_token).await.status, 200);
    assert_eq!(
        app.post("/auth/logout-all", None, Body::Empty).await.status,
        401
    );
}
