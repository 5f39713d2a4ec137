use awc::http::StatusCode;
use serde_json::json;

use crate::helpers::{Body, PASSWORD, spawn_app};

#[actix_web::test]
async fn a_user_updates_their_username_and_email() {
    let app = spawn_app().await;
    let user = app.new_user().await;

    let reply = app
        .patch(
            "/users/me",
            Some(&user.access_token),
            Body::Json(json!({"username": "grace", "email": " Grace@Example.com"})),
        )
        .await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["username"], "grace");
    assert_eq!(reply.body["email"], "grace@example.com");
    assert_eq!(app.me(&user.access_token).await.body["username"], "grace");
    assert_eq!(
        app.login("grace@example.com", PASSWORD).await.status,
        StatusCode::OK
    );
}

#[actix_web::test]
async fn profile_updates_that_collide_get_409_and_change_nothing() {
    let app = spawn_app().await;
    let ada = app.new_user().await;
    let bob = app.new_user().await;

    let taken_name = app
        .patch(
            "/users/me",
            Some(&bob.access_token),
            Body::Json(json!({"username": ada.username.to_uppercase()})),
        )
        .await;
    assert_eq!(taken_name.status, StatusCode::CONFLICT);
    assert_eq!(taken_name.code(), "username_taken");

    let taken_email = app
        .patch(
            "/users/me",
            Some(&bob.access_token),
            Body::Json(json!({"email": ada.email, "username": "fresh-name"})),
        )
        .await;
    assert_eq!(taken_email.status, StatusCode::CONFLICT);
    assert_eq!(taken_email.code(), "email_taken");
    assert_eq!(
        app.me(&bob.access_token).await.body["username"],
        bob.username,
        "nothing changed"
    );
}

#[actix_web::test]
async fn profile_updates_refuse_bad_input() {
    let app = spawn_app().await;
    let user = app.new_user().await;
    let token = Some(user.access_token.as_str());
    for (body, code) in [
        (json!({}), "nothing_to_update"),
        (json!({"email": "nope"}), "validation_failed"),
        (json!({"username": "x"}), "validation_failed"),
        (json!({"username": 7}), "invalid_body"),
        (json!({"role": "admin"}), "invalid_body"),
    ] {
        let reply = app
            .patch("/users/me", token, Body::Json(body.clone()))
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(reply.code(), code, "{body}");
    }
    let me = app.me(&user.access_token).await;
    assert_eq!(me.body["username"], user.username);
    assert_eq!(me.body["role"], "user");
    assert_eq!(
        app.patch("/users/me", None, Body::Json(json!({"username": "zed"})))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}
