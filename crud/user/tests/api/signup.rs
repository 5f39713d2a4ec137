use awc::http::StatusCode;
use serde_json::json;

use crate::helpers::{AuthReply, Body, PASSWORD, spawn_app};

#[actix_web::test]
async fn signup_creates_an_account_and_returns_tokens_and_cookies() {
    let app = spawn_app().await;
    let reply = app.signup("Ada@Example.com", "ada", PASSWORD).await;

    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["user"]["email"], "ada@example.com");
    assert_eq!(reply.body["user"]["username"], "ada");
    assert_eq!(reply.body["user"]["role"], "user");
    assert!(reply.body["user"].get("password_hash").is_none());
    assert_eq!(reply.body["token_type"], "Bearer");
    assert_eq!(reply.body["expires_in"], 900);
    assert!(!reply.token().is_empty() && !reply.refresh_token().is_empty());
    let access = reply.set_cookie("peerprep_access").expect("access cookie");
    assert!(
        access.contains("HttpOnly")
            && access.contains("SameSite=Strict")
            && access.contains("Path=/"),
        "{access}"
    );
    let refresh = reply
        .set_cookie("peerprep_refresh")
        .expect("refresh cookie");
    assert!(
        refresh.contains("HttpOnly") && refresh.contains("Path=/user-service-api/auth"),
        "{refresh}"
    );

    let me = app.me(&reply.token()).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["email"], "ada@example.com");
}

#[actix_web::test]
async fn signup_refuses_a_duplicate_email_in_any_case_and_changes_nothing() {
    let app = spawn_app().await;
    app.signup("ada@example.com", "ada", PASSWORD).await;
    let before = app.count_users().await;

    let reply = app.signup("ADA@example.com", "someone", PASSWORD).await;

    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(reply.code(), "email_taken");
    assert_eq!(app.count_users().await, before);
}

#[actix_web::test]
async fn signup_refuses_a_duplicate_username_in_any_case() {
    let app = spawn_app().await;
    app.signup("ada@example.com", "Ada", PASSWORD).await;
    let before = app.count_users().await;

    let reply = app.signup("other@example.com", "aDA", PASSWORD).await;

    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(reply.code(), "username_taken");
    assert_eq!(app.count_users().await, before);
}

#[actix_web::test]
async fn signup_refuses_weak_and_over_long_passwords_with_field_details() {
    let app = spawn_app().await;
    let before = app.count_users().await;
    for (password, why) in [
        ("short-pw-1", "at least 12"),
        ("password1234", "too common"),
        ("zzzzzzzzzzzzzzzz", "repeat"),
        ("ada-lovelace-forever", "username"),
        (
            &"x1"
                .repeat(64)
                .chars()
                .chain("y".chars())
                .collect::<String>(),
            "at most 128",
        ),
    ] {
        let reply = app
            .signup("ada@example.com", "ada-lovelace", password)
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{password}");
        assert_eq!(reply.code(), "validation_failed");
        let message = reply.body["error"]["details"]["fields"]["password"][0]
            .as_str()
            .unwrap_or("");
        assert!(message.contains(why), "{password}: {message}");
    }
    assert_eq!(app.count_users().await, before);
}

#[actix_web::test]
async fn a_128_character_password_is_accepted_and_never_truncated() {
    let app = spawn_app().await;
    let password: String = "Ab1-".repeat(32);
    assert_eq!(password.chars().count(), 128);
    let reply = app.signup("ada@example.com", "ada", &password).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);

    assert_eq!(
        app.login("ada@example.com", &password).await.status,
        StatusCode::OK
    );
    let mut last_differs = password.clone();
    last_differs.pop();
    last_differs.push('!');
    assert_eq!(
        app.login("ada@example.com", &last_differs).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[actix_web::test]
async fn signup_refuses_bad_emails_and_usernames_listing_each_field() {
    let app = spawn_app().await;
    let reply = app.signup("not-an-email", "a b", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let fields = &reply.body["error"]["details"]["fields"];
    assert!(fields["email"][0].is_string(), "{}", reply.body);
    assert!(fields["username"][0].is_string(), "{}", reply.body);
    assert_eq!(app.count_users().await, 1);
}

#[actix_web::test]
async fn signup_refuses_malformed_json_wrong_types_unknown_and_missing_fields() {
    let app = spawn_app().await;
    let cases = [
        (
            Body::Raw("application/json", "{\"email\": "),
            "malformed_json",
        ),
        (Body::Raw("application/json", "[]"), "invalid_body"),
        (
            Body::Json(json!({"email": 1, "username": "ada", "password": PASSWORD})),
            "invalid_body",
        ),
        (
            Body::Json(
                json!({"email": "a@b.co", "username": "ada", "password": PASSWORD, "role": "admin"}),
            ),
            "invalid_body",
        ),
        (
            Body::Json(json!({"email": "a@b.co", "password": PASSWORD})),
            "invalid_body",
        ),
    ];
    for (body, code) in cases {
        let reply = app.post("/auth/signup", None, body).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
        assert_eq!(reply.code(), code, "{}", reply.body);
        assert!(
            reply.body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }
    let unknown = app
        .post("/auth/signup", None, Body::Json(json!({"email": "a@b.co", "username": "ada", "password": PASSWORD, "role": "admin"})))
        .await;
    assert!(
        unknown.body["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("unknown field `role`")
    );
    assert_eq!(app.count_users().await, 1);
}

#[actix_web::test]
async fn signup_refuses_other_content_types_and_oversized_bodies() {
    let app = spawn_app().await;
    let reply = app
        .post("/auth/signup", None, Body::Raw("text/plain", "email=a"))
        .await;
    assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(reply.code(), "unsupported_media_type");

    let huge = format!("{{\"email\": \"{}\"}}", "a".repeat(100_000));
    let reply = app
        .post("/auth/signup", None, Body::Raw("application/json", &huge))
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.code(), "payload_too_large");
    assert_eq!(app.count_users().await, 1);
}
