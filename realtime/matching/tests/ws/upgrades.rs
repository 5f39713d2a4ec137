//! Refused upgrades: nothing is upgraded without a valid token and an allowed origin.

use awc::http::StatusCode;
use shared::auth::Role;
use shared::testing::{WsClient, refused_upgrade};

use crate::helpers::{Options, spawn};

#[actix_web::test]
async fn upgrades_without_a_valid_token_get_401() {
    let app = spawn(Options::default()).await;
    let client = shared::testing::http_client();
    let url = app.ws_url(0);
    assert_eq!(
        refused_upgrade(WsClient::connect_with(client.ws(&url)).await),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        refused_upgrade(WsClient::connect(&url, "garbage").await),
        StatusCode::UNAUTHORIZED
    );
    let foreign = shared::testing::TestTokens::new().new_user(Role::User).1;
    assert_eq!(
        refused_upgrade(WsClient::connect(&url, &foreign).await),
        StatusCode::UNAUTHORIZED
    );
}

#[actix_web::test]
async fn upgrades_from_a_foreign_origin_get_403_and_allowed_origins_and_cookies_work() {
    let app = spawn(Options::default()).await;
    let client = shared::testing::http_client();
    let url = app.ws_url(0);
    let token = app.tokens.new_user(Role::User).1;
    let foreign = client
        .ws(&url)
        .bearer_auth(&token)
        .origin("https://evil.example");
    assert_eq!(
        refused_upgrade(WsClient::connect_with(foreign).await),
        StatusCode::FORBIDDEN
    );

    let browser = client
        .ws(&url)
        .origin("http://localhost:8080")
        .header("Cookie", format!("peerprep_access={token}"));
    let mut ws = WsClient::connect_with(browser)
        .await
        .expect("allowed origin, cookie auth");
    ws.send_json(&serde_json::json!({"type": "ping"})).await;
    assert_eq!(ws.recv_json().await["type"], "pong");
}

#[actix_web::test]
async fn plain_http_on_the_websocket_path_is_refused() {
    let app = spawn(Options::default()).await;
    let token = app.tokens.new_user(Role::User).1;
    let reply = shared::testing::call(
        app.client
            .get(app.ws_url(0).replace("ws://", "http://"))
            .bearer_auth(&token),
        shared::testing::Body::Empty,
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
}

#[actix_web::test]
async fn wrong_methods_get_405_with_allow_and_stray_queries_400() {
    let app = spawn(Options::default()).await;
    let root = &app.nodes[0];
    shared::testing::check_route_rules(
        root,
        &[
            "/matching-service-api/openapi.json",
            "/internal/openapi.json",
        ],
    )
    .await;
    let token = app.tokens.new_user(Role::User).1;
    let ws = app.ws_url(0).replace("ws://", "http://");
    let stray = shared::testing::call(
        app.client.get(format!("{ws}?x=1")).bearer_auth(&token),
        shared::testing::Body::Empty,
    )
    .await;
    assert_eq!(stray.code(), "invalid_query");
    let post = shared::testing::call(app.client.post(&ws), shared::testing::Body::Empty).await;
    assert_eq!(post.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(post.headers.get("allow").expect("Allow"), "GET");
}
