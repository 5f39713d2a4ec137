use awc::http::StatusCode;
use serde_json::json;

use crate::helpers::{AuthReply, Body, PASSWORD, spawn_app, spawn_app_with};

#[actix_web::test]
async fn login_with_the_right_password_returns_a_working_token_pair() {
    let app = spawn_app().await;
    let user = app.new_user().await;

    let reply = app.login(&user.email.to_uppercase(), PASSWORD).await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["user"]["id"], user.id.to_string());
    assert!(reply.set_cookie("peerprep_access").is_some());
    assert_eq!(app.me(&reply.token()).await.status, StatusCode::OK);
    assert_eq!(
        app.refresh(&reply.refresh_token()).await.status,
        StatusCode::OK
    );
}

#[actix_web::test]
async fn an_unknown_email_and_a_wrong_password_get_the_same_answer() {
    let app = spawn_app().await;
    let user = app.new_user().await;

    let wrong_password = app.login(&user.email, "not the password at all").await;
    let unknown_email = app.login("nobody@example.com", PASSWORD).await;

    assert_eq!(wrong_password.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong_password.status, unknown_email.status);
    assert_eq!(wrong_password.body, unknown_email.body);
    assert_eq!(wrong_password.code(), "invalid_credentials");
}

#[actix_web::test]
async fn login_refuses_malformed_bodies() {
    let app = spawn_app().await;
    for body in [
        Body::Raw("application/json", "not json"),
        Body::Json(json!({"email": "a@b.co"})),
        Body::Json(json!({"email": "a@b.co", "password": 12})),
        Body::Json(json!({"email": "a@b.co", "password": "x", "remember": true})),
    ] {
        let reply = app.post("/auth/login", None, body).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    }
}

#[actix_web::test]
async fn login_returns_429_with_retry_after_after_too_many_wrong_passwords_for_one_account() {
    let app = spawn_app_with(&[
        ("LOGIN_MAX_FAILURES_PER_ACCOUNT", "3"),
        ("LOGIN_MAX_FAILURES_PER_ADDRESS", "100"),
        ("LOGIN_FAILURE_WINDOW_SECS", "600"),
    ])
    .await;
    let user = app.new_user().await;
    let other = app.new_user().await;
    for _ in 0..3 {
        assert_eq!(
            app.login(&user.email, "wrong password here").await.status,
            StatusCode::UNAUTHORIZED
        );
    }

    let limited = app.login(&user.email, PASSWORD).await;

    assert_eq!(
        limited.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    assert_eq!(limited.code(), "rate_limited");
    let retry_after: u64 = limited
        .headers
        .get("retry-after")
        .expect("Retry-After")
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((590..=600).contains(&retry_after), "{retry_after}");
    // Another account from the same address is not affected.
    assert_eq!(
        app.login(&other.email, PASSWORD).await.status,
        StatusCode::OK
    );
}

#[actix_web::test]
async fn unknown_accounts_are_limited_like_real_ones() {
    let app = spawn_app_with(&[("LOGIN_MAX_FAILURES_PER_ACCOUNT", "2")]).await;
    for _ in 0..2 {
        app.login("ghost@example.com", PASSWORD).await;
    }
    assert_eq!(
        app.login("ghost@example.com", PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[actix_web::test]
async fn login_returns_429_after_too_many_failures_from_one_address() {
    let app = spawn_app_with(&[
        ("LOGIN_MAX_FAILURES_PER_ACCOUNT", "100"),
        ("LOGIN_MAX_FAILURES_PER_ADDRESS", "4"),
    ])
    .await;
    let user = app.new_user().await;
    for n in 0..4 {
        let reply = app
            .login(&format!("guess{n}@example.com"), "some guess here")
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }

    let reply = app.login(&user.email, PASSWORD).await;

    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(reply.headers.get("retry-after").is_some());
}

#[actix_web::test]
async fn behind_a_trusted_proxy_the_forwarded_address_is_limited_not_the_proxy() {
    let app = spawn_app_with(&[
        ("LOGIN_MAX_FAILURES_PER_ACCOUNT", "100"),
        ("LOGIN_MAX_FAILURES_PER_ADDRESS", "2"),
        ("TRUSTED_PROXY_HOPS", "1"),
    ])
    .await;
    let login_from = |address: &'static str, email: String| {
        let request = app
            .client
            .post(app.url("/auth/login"))
            .insert_header(("x-forwarded-for", address));
        crate::helpers::call(
            request,
            Body::Json(json!({"email": email, "password": "some guess here"})),
        )
    };
    for n in 0..2 {
        login_from("203.0.113.1", format!("a{n}@example.com")).await;
    }
    assert_eq!(
        login_from("203.0.113.1", "a9@example.com".into())
            .await
            .status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // A client cannot escape by writing its own entry in front: the proxy's entry is last.
    assert_eq!(
        login_from("1.2.3.4, 203.0.113.1", "a9@example.com".into())
            .await
            .status,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        login_from("203.0.113.2", "a9@example.com".into())
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[actix_web::test]
async fn a_successful_login_clears_the_accounts_failures() {
    let app = spawn_app_with(&[("LOGIN_MAX_FAILURES_PER_ACCOUNT", "3")]).await;
    let user = app.new_user().await;
    for _ in 0..2 {
        app.login(&user.email, "wrong password here").await;
    }
    assert_eq!(
        app.login(&user.email, PASSWORD).await.status,
        StatusCode::OK
    );
    for _ in 0..2 {
        app.login(&user.email, "wrong password here").await;
    }
    assert_eq!(
        app.login(&user.email, PASSWORD).await.status,
        StatusCode::OK
    );
}

#[actix_web::test]
async fn guesses_sent_all_at_once_are_limited_like_guesses_sent_one_by_one() {
    let app = spawn_app_with(&[
        ("LOGIN_MAX_FAILURES_PER_ACCOUNT", "3"),
        ("LOGIN_MAX_FAILURES_PER_ADDRESS", "1000"),
    ])
    .await;
    let user = app.new_user().await;
    let guesses: Vec<String> = (0..20).map(|i| format!("wrong guess number {i}")).collect();
    let replies =
        futures_util::future::join_all(guesses.iter().map(|guess| app.login(&user.email, guess)))
            .await;

    let checked = replies
        .iter()
        .filter(|r| r.status == StatusCode::UNAUTHORIZED)
        .count();
    let limited = replies
        .iter()
        .filter(|r| r.status == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert!(
        checked <= 3,
        "{checked} guesses were checked against the password"
    );
    assert_eq!(checked + limited, 20);
}

#[actix_web::test]
async fn a_3kb_email_gets_a_400_naming_the_field_and_records_nothing() {
    let app = spawn_app().await;
    let long = format!("{}@example.com", "a".repeat(3000));
    for email in [long.as_str(), "not-an-email", "", "a@b"] {
        let reply = app.login(email, PASSWORD).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
        assert_eq!(reply.code(), "validation_failed");
        assert!(
            reply.body["error"]["details"]["fields"]["email"][0].is_string(),
            "{}",
            reply.body
        );
    }
    assert_eq!(app.count_attempts("").await, 0);
}

#[actix_web::test]
async fn the_owner_signs_in_from_an_address_used_before_while_guessers_stay_limited() {
    let app = spawn_app_with(&[
        ("LOGIN_MAX_FAILURES_PER_ACCOUNT", "3"),
        ("LOGIN_MAX_FAILURES_PER_ADDRESS", "100"),
        ("TRUSTED_PROXY_HOPS", "1"),
    ])
    .await;
    let (home, guesser, elsewhere) = ("198.51.100.7", "203.0.113.1", "203.0.113.2");
    let email = "owner@example.com";
    let signup = app
        .post_from(
            home,
            "/auth/signup",
            json!({"email": email, "username": "owner", "password": PASSWORD}),
        )
        .await;
    assert_eq!(signup.status, StatusCode::CREATED, "{}", signup.body);
    let login_from = |address: &'static str, password: &'static str| {
        app.post_from(
            address,
            "/auth/login",
            json!({"email": email, "password": password}),
        )
    };
    for _ in 0..3 {
        assert_eq!(
            login_from(guesser, "a wrong guess here").await.status,
            StatusCode::UNAUTHORIZED
        );
    }

    // The account is limited for everyone who has not signed in to it before…
    assert_eq!(
        login_from(guesser, PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        login_from(elsewhere, PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // …but the owner, from where they signed in before, is not locked out by the guesser,
    let owner = login_from(home, PASSWORD).await;
    assert_eq!(owner.status, StatusCode::OK, "{}", owner.body);
    // and the owner's success does not reset the guesser's count.
    assert_eq!(
        login_from(guesser, PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // From the owner's address the account's own limit still holds for wrong passwords.
    for _ in 0..3 {
        login_from(home, "another wrong guess").await;
    }
    assert_eq!(
        login_from(home, PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}
