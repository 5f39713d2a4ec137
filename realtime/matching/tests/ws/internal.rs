//! The internal room routes are served at `/internal/...` at the root, where no path rule
//! that forwards `/matching-service-api/*` reaches them; they still need the service
//! credential; and no public document lists an internal path.

use awc::http::{Method, StatusCode};
use serde_json::Value;
use shared::testing::{Body, Reply, call};

use crate::helpers::{Matching, Options, SERVICE_TOKEN, spawn};

async fn send(app: &Matching, method: Method, url: &str, token: Option<&str>) -> Reply {
    let mut request = app.client.request(method, url);
    if let Some(token) = token {
        request = request.insert_header(("X-Service-Token", token));
    }
    call(request, Body::Empty).await
}

#[actix_web::test]
async fn internal_room_routes_answer_at_the_root_with_the_token_and_404_under_the_public_prefix() {
    let app = spawn(Options::default()).await;
    let mut ada = app.user(0).await;
    let mut bob = app.user(0).await;
    ada.join(&["arrays"], "easy").await;
    bob.join(&["arrays"], "easy").await;
    let room_id = ada.expect("matched").await["room_id"]
        .as_str()
        .expect("room")
        .to_owned();
    let node = &app.nodes[0];
    let room = format!("{node}/internal/rooms/{room_id}");
    let end = format!("{room}/end");

    // Under the public prefix: not found, even with the credential; the room stays active.
    for (method, url) in [
        (
            Method::GET,
            format!("{node}/matching-service-api/internal/rooms/{room_id}"),
        ),
        (
            Method::POST,
            format!("{node}/matching-service-api/internal/rooms/{room_id}/end"),
        ),
    ] {
        let reply = send(&app, method, &url, Some(SERVICE_TOKEN)).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{url}: {}", reply.body);
        assert_eq!(reply.code(), "not_found");
    }
    // At the root: 401 without the credential (or with a wrong one); still active.
    for token in [None, Some("guess")] {
        for (method, url) in [(Method::GET, &room), (Method::POST, &end)] {
            let reply = send(&app, method, url, token).await;
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{url} {token:?}");
        }
    }
    let read = send(&app, Method::GET, &room, Some(SERVICE_TOKEN)).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.body["status"], "active");

    let ended = send(&app, Method::POST, &end, Some(SERVICE_TOKEN)).await;
    assert_eq!(ended.status, StatusCode::OK);
    assert_eq!(ended.body["status"], "ended");
}

fn paths(document: &Value) -> Vec<String> {
    let mut paths: Vec<String> = document["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .cloned()
        .collect();
    paths.sort_unstable();
    paths
}

#[actix_web::test]
async fn no_public_document_lists_an_internal_path() {
    let app = spawn(Options::default()).await;
    let backends = &app.backends;
    for (base, prefix) in [
        (&app.nodes[0], "matching-service-api"),
        (&backends.history_url, "history-service-api"),
        (&backends.question_url, "question-service-api"),
    ] {
        let url = format!("{base}/{prefix}/openapi.json");
        let public = paths(&send(&app, Method::GET, &url, None).await.body);
        assert!(!public.is_empty(), "{url}");
        assert!(
            public.iter().all(|path| !path.contains("internal")),
            "{url}: {public:?}"
        );
    }

    // The internal routes have a document of their own, at the root too.
    let internal = send(
        &app,
        Method::GET,
        &format!("{}/internal/openapi.json", app.nodes[0]),
        None,
    )
    .await;
    assert_eq!(internal.status, StatusCode::OK);
    assert_eq!(
        paths(&internal.body),
        ["/internal/rooms/{id}", "/internal/rooms/{id}/end"]
    );
}
