use awc::http::StatusCode;
use serde_json::json;

use crate::helpers::{AuthReply, Body, PASSWORD, spawn_app, spawn_app_with};

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

#[actix_web::test]
async fn signup_returns_429_after_too_many_signups_from_one_address_and_creates_nothing() {
    let app = spawn_app_with(&[
        ("SIGNUP_MAX_PER_ADDRESS", "2"),
        ("SIGNUP_WINDOW_SECS", "600"),
    ])
    .await;
    app.new_user().await;
    app.new_user().await;
    let before = app.count_users().await;

    let reply = app.signup("third@example.com", "third", PASSWORD).await;

    assert_eq!(
        reply.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        reply.body
    );
    assert_eq!(reply.code(), "rate_limited");
    let retry_after: u64 = reply
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds");
    assert!((590..=600).contains(&retry_after), "{retry_after}");
    assert_eq!(app.count_users().await, before);
    // Invalid sign-ups cost no hashing and do not count: they still get their 400.
    let invalid = app.signup("not-an-email", "fourth", PASSWORD).await;
    assert_eq!(invalid.status, StatusCode::BAD_REQUEST);
}

#[actix_web::test]
async fn a_taken_email_or_username_is_answered_without_hashing() {
    // One hashing slot and no queue: any sign-up that hashed while another did would get 503.
    let app = spawn_app_with(&[
        ("PASSWORD_HASH_CONCURRENCY", "1"),
        ("PASSWORD_HASH_QUEUE", "0"),
        ("SIGNUP_MAX_PER_ADDRESS", "1000"),
    ])
    .await;
    let user = app.new_user().await;
    let app = &app;
    let replies = futures_util::future::join_all((0..10).map(|n| {
        let (email, username) = if n % 2 == 0 {
            (user.email.clone(), format!("other{n}"))
        } else {
            (
                format!("other{n}@example.com"),
                user.username.to_uppercase(),
            )
        };
        async move { app.signup(&email, &username, PASSWORD).await }
    }))
    .await;
    for (n, reply) in replies.iter().enumerate() {
        assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
        let code = if n % 2 == 0 {
            "email_taken"
        } else {
            "username_taken"
        };
        assert_eq!(reply.code(), code);
    }
}

#[actix_web::test]
async fn once_the_hashing_queue_is_full_signups_get_503_with_retry_after_and_change_nothing() {
    let app = spawn_app_with(&[
        ("PASSWORD_HASH_CONCURRENCY", "1"),
        ("PASSWORD_HASH_QUEUE", "1"),
        ("SIGNUP_MAX_PER_ADDRESS", "1000"),
    ])
    .await;
    let before = app.count_users().await;
    let app = &app;
    let replies = futures_util::future::join_all((0..20).map(|n| async move {
        app.signup(
            &format!("burst{n}@example.com"),
            &format!("burst{n}"),
            PASSWORD,
        )
        .await
    }))
    .await;

    let created = replies
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .count();
    let busy: Vec<_> = replies
        .iter()
        .filter(|r| r.status == StatusCode::SERVICE_UNAVAILABLE)
        .collect();
    assert_eq!(created + busy.len(), 20, "only 201 or 503");
    assert!(created >= 2, "the running and the queued one are served");
    assert!(
        !busy.is_empty(),
        "past one running and one queued, some are refused"
    );
    for reply in busy {
        assert_eq!(reply.code(), "busy");
        assert_eq!(
            reply.headers.get("retry-after").map(|v| v.as_bytes()),
            Some(&b"1"[..])
        );
    }
    assert_eq!(
        app.count_users().await,
        before + i64::try_from(created).expect("small")
    );
    // A refused sign-up did not count against the address: the same one succeeds later.
    assert_eq!(
        app.count_attempts("signup:").await,
        i64::try_from(created).expect("small")
    );
}
