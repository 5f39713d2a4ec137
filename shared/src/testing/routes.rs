//! The rules of [`crate::routes`], checked against a running service from its own OpenAPI
//! documents: every documented path answers a method it lacks with 405 and `Allow`, every
//! operation that reads no query refuses one with 400 `invalid_query`, and the operational
//! routes do the same.

use actix_web::http::StatusCode;
use serde_json::Value;

use super::{Body, Reply, call, http_client};

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// `root` is the service's address (`http://127.0.0.1:port`); `documents` the paths of its
/// OpenAPI documents (`/user-service-api/openapi.json`, `/internal/openapi.json`).
pub async fn check_route_rules(root: &str, documents: &[&str]) {
    let client = http_client();
    let mut checked = 0;
    for document in documents {
        let reply = call(client.get(format!("{root}{document}")), Body::Empty).await;
        assert_eq!(reply.status, StatusCode::OK, "{document}");
        let paths = reply.body["paths"].as_object().expect("paths").clone();
        for (path, item) in &paths {
            let filled = concrete(path);
            // Every method of the documented paths this one is (`/q/{id}` and `/q/{slug}`).
            let answered: Vec<&str> = METHODS
                .into_iter()
                .filter(|method| {
                    paths.iter().any(|(other, item)| {
                        concrete(other) == filled && item.get(*method).is_some()
                    })
                })
                .collect();
            let wrong = METHODS
                .into_iter()
                .find(|method| !answered.contains(method))
                .expect("a path that answers every method");
            let reply = send(&client, wrong, &format!("{root}{filled}")).await;
            assert_eq!(
                reply.status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{wrong} {path}"
            );
            assert_eq!(reply.code(), "method_not_allowed");
            let allow = allow(&reply);
            for method in &answered {
                assert!(
                    allow.contains(&method.to_uppercase()),
                    "{path}: Allow {allow:?} lacks {method}"
                );
            }
            for method in METHODS
                .into_iter()
                .filter(|method| item.get(*method).is_some())
            {
                if reads_query(&item[method]) {
                    continue;
                }
                let url = format!("{root}{filled}?unexpected=1");
                let reply = send(&client, method, &url).await;
                assert_eq!(
                    reply.status,
                    StatusCode::BAD_REQUEST,
                    "{method} {path}?unexpected=1"
                );
                assert_eq!(reply.code(), "invalid_query", "{method} {path}");
                // Answered like any other request: tagged, logged and counted.
                assert!(
                    reply.headers.contains_key("x-request-id"),
                    "{method} {path}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 0, "no documented path was checked");
    for path in ["/health", "/ready", "/metrics", documents[0]] {
        let reply = send(&client, "get", &format!("{root}{path}?unexpected=1")).await;
        assert_eq!(reply.code(), "invalid_query", "{path}");
        let reply = send(&client, "post", &format!("{root}{path}")).await;
        assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED, "POST {path}");
        assert_eq!(reply.code(), "method_not_allowed", "POST {path}");
        assert_eq!(allow(&reply), ["GET"], "POST {path}");
    }
    let reply = send(&client, "get", &format!("{root}/no/such/path")).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.code(), "not_found");
}

/// A documented path with its parameters filled in (any id will do: the rules apply first).
fn concrete(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                "00000000-0000-4000-8000-000000000000"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn reads_query(operation: &Value) -> bool {
    operation["parameters"]
        .as_array()
        .is_some_and(|parameters| parameters.iter().any(|p| p["in"] == "query"))
}

fn allow(reply: &Reply) -> Vec<String> {
    reply
        .headers
        .get("allow")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
        .split(',')
        .map(|method| method.trim().to_owned())
        .filter(|method| !method.is_empty())
        .collect()
}

async fn send(client: &awc::Client, method: &str, url: &str) -> Reply {
    let method =
        actix_web::http::Method::from_bytes(method.to_uppercase().as_bytes()).expect("a method");
    call(client.request(method, url), Body::Empty).await
}
