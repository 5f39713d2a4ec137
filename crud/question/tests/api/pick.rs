use std::collections::HashSet;

use awc::http::StatusCode;

use crate::helpers::{spawn_app, spawn_empty_app};

#[actix_web::test]
async fn pick_returns_a_question_matching_topic_and_difficulty() {
    let app = spawn_app().await;
    for _ in 0..5 {
        let reply = app
            .get("/questions/pick?topic=arrays,strings&difficulty=easy")
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(reply.body["difficulty"], "easy");
        let topics = reply.body["topics"].as_array().expect("topics");
        assert!(topics.iter().any(|t| t == "arrays" || t == "strings"));
        assert!(
            reply.body["description"].is_string(),
            "a pick is the whole question"
        );
    }
}

#[actix_web::test]
async fn pick_avoids_excluded_questions_while_others_match() {
    let app = spawn_app().await;
    let all = app
        .get("/questions?topic=graphs&difficulty=hard&per_page=100")
        .await;
    let ids: Vec<String> = all.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["id"].as_str().map(str::to_owned))
        .collect();
    assert!(ids.len() >= 2, "need two hard graph questions");
    let (keep, excluded) = ids.split_last().expect("ids");

    for _ in 0..10 {
        let reply = app
            .get(&format!(
                "/questions/pick?topic=graphs&difficulty=hard&exclude={}",
                excluded.join(",")
            ))
            .await;
        assert_eq!(reply.body["id"].as_str(), Some(keep.as_str()));
    }

    // Everything excluded: a repeat beats nothing.
    let reply = app
        .get(&format!(
            "/questions/pick?topic=graphs&difficulty=hard&exclude={}",
            ids.join(",")
        ))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(ids.contains(&reply.body["id"].as_str().expect("id").to_owned()));
}

#[actix_web::test]
async fn pick_is_random_among_the_matches() {
    let app = spawn_app().await;
    let mut seen = HashSet::new();
    for _ in 0..20 {
        let reply = app.get("/questions/pick?difficulty=medium").await;
        seen.insert(reply.body["id"].as_str().expect("id").to_owned());
    }
    assert!(seen.len() > 1, "twenty picks gave one question");
}

#[actix_web::test]
async fn pick_accepts_several_difficulties() {
    let app = spawn_app().await;
    for _ in 0..10 {
        let reply = app
            .get("/questions/pick?topic=trees&difficulty=easy,medium")
            .await;
        assert_ne!(reply.body["difficulty"], "hard");
    }
}

#[actix_web::test]
async fn pick_says_404_when_nothing_matches() {
    let app = spawn_app().await;
    let reply = app
        .get("/questions/pick?topic=underwater-basket-weaving")
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.code(), "no_matching_question");
    assert!(
        reply.body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("no question"))
    );

    let empty = spawn_empty_app().await;
    assert_eq!(
        empty.get("/questions/pick").await.status,
        StatusCode::NOT_FOUND
    );
}

#[actix_web::test]
async fn pick_refuses_bad_criteria() {
    let app = spawn_app().await;
    for query in [
        "difficulty=easy,extreme",
        "exclude=not-a-uuid",
        "topic=%21%21",
        "size=3",
    ] {
        let reply = app.get(&format!("/questions/pick?{query}")).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{query}: {}",
            reply.body
        );
    }
}
