//! Health, readiness, metrics, request ids, unknown routes, and start-up behaviour.

use awc::http::StatusCode;

use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, Body, base_vars, call, spawn_app, start};

#[actix_web::test]
async fn health_and_ready_answer_at_the_root_and_under_the_prefix() {
    let app = spawn_app().await;
    for path in [
        "/health",
        "/ready",
        "/user-service-api/health",
        "/user-service-api/ready",
    ] {
        let reply = call(
            app.client.get(format!("{}{path}", app.address)),
            Body::Empty,
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
    }
    let ready = call(
        app.client.get(format!("{}/ready", app.address)),
        Body::Empty,
    )
    .await;
    assert_eq!(ready.body["checks"]["postgres"], "ok");
}

#[actix_web::test]
async fn metrics_are_served_in_prometheus_text() {
    let app = spawn_app().await;
    app.get("/users/me", None).await;
    let mut response = app
        .client
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .expect("sent");
    let text = String::from_utf8(response.body().await.expect("body").to_vec()).expect("utf8");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(text.contains("http_requests_total"), "{text}");
    assert!(text.contains("http_request_duration_seconds"), "{text}");
}

#[actix_web::test]
async fn request_ids_are_kept_when_given_and_made_when_not() {
    let app = spawn_app().await;
    let given = call(
        app.client
            .get(format!("{}/health", app.address))
            .insert_header(("x-request-id", "abc-123")),
        Body::Empty,
    )
    .await;
    assert_eq!(
        given.headers.get("x-request-id").map(|v| v.as_bytes()),
        Some(&b"abc-123"[..])
    );

    let made = call(
        app.client.get(format!("{}/health", app.address)),
        Body::Empty,
    )
    .await;
    let id = made.headers.get("x-request-id").expect("an id is made");
    assert_eq!(id.len(), 36);
}

#[actix_web::test]
async fn unknown_routes_get_404_wrong_methods_405_and_stray_queries_400() {
    let app = spawn_app().await;
    let reply = app.get("/nope", None).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.code(), "not_found");
    let wrong_method = call(app.client.delete(app.url("/auth/login")), Body::Empty).await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong_method.headers.get("allow").expect("Allow"), "POST");
    let user = app.new_user().await;
    let reply = app.get("/users/me?x=1", Some(&user.access_token)).await;
    assert_eq!(reply.code(), "invalid_query", "{}", reply.body);
    shared::testing::check_route_rules(&app.address, &["/user-service-api/openapi.json"]).await;
}

#[actix_web::test]
async fn restarting_keeps_one_admin_and_its_password() {
    let app = spawn_app().await;
    let vars = base_vars(&app.db, &app.key);
    let again = start(&vars).await;
    assert_eq!(app.count_users().await, 1);
    let reply = call(
        app.client
            .post(format!("{again}/user-service-api/auth/login")),
        Body::Json(serde_json::json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[actix_web::test]
async fn an_existing_account_is_never_promoted_by_its_email() {
    let app = spawn_app().await;
    let user = app.new_user().await;
    let mut vars = base_vars(&app.db, &app.key);
    vars.retain(|(name, _)| !name.starts_with("ADMIN_"));
    vars.push(("ADMIN_EMAIL".into(), user.email.clone()));
    vars.push(("ADMIN_USERNAME".into(), "another-name".into()));
    vars.push(("ADMIN_PASSWORD".into(), "a different password".into()));

    // An admin exists: the configured one is not needed, and nobody is promoted.
    start(&vars).await;
    assert_eq!(app.me(&user.access_token).await.body["role"], "user");

    // No admin left and the configured email taken: the start stops and says why.
    let (client, connection) = tokio_postgres::connect(&app.db.url(), tokio_postgres::NoTls)
        .await
        .expect("connect");
    actix_web::rt::spawn(connection);
    client
        .execute("UPDATE users SET role = 'user'", &[])
        .await
        .expect("demote all");
    let err = user::startup::Application::build(crate::helpers::settings_from(&vars))
        .await
        .err()
        .expect("refused");
    assert!(format!("{err:#}").contains("ADMIN_EMAIL"), "{err:#}");
    assert_eq!(app.me(&user.access_token).await.body["role"], "user");
}

#[actix_web::test]
async fn tasks_starting_at_once_migrate_one_after_the_other() {
    let db = shared::testing::TestDatabase::create().await.expect("db");
    let key = shared::auth::SigningKey::generate().expect("key");
    let vars = base_vars(&db, &key);
    let (a, b, c) = tokio::join!(start(&vars), start(&vars), start(&vars));
    for address in [a, b, c] {
        let reply = call(
            crate::helpers::client().get(format!("{address}/ready")),
            Body::Empty,
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK);
    }
}

#[actix_web::test]
async fn the_openapi_document_lists_every_endpoint_with_its_security() {
    let app = spawn_app().await;
    let reply = app.get("/openapi.json", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    let paths = reply.body["paths"].as_object().expect("paths");
    for (path, method) in [
        ("/user-service-api/auth/signup", "post"),
        ("/user-service-api/auth/login", "post"),
        ("/user-service-api/auth/refresh", "post"),
        ("/user-service-api/auth/logout", "post"),
        ("/user-service-api/auth/logout-all", "post"),
        ("/user-service-api/users/me", "get"),
        ("/user-service-api/users/me", "patch"),
        ("/user-service-api/users/me/password", "post"),
        ("/user-service-api/users", "get"),
        ("/user-service-api/users/{id}/role", "patch"),
        ("/user-service-api/.well-known/jwks.json", "get"),
    ] {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} missing"
        );
    }
    assert!(reply.body["components"]["securitySchemes"]["bearer_auth"].is_object());
    assert_eq!(
        paths["/user-service-api/users/me"]["get"]["security"][0]["bearer_auth"],
        serde_json::json!([])
    );
}
