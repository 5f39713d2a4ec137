use awc::http::StatusCode;

use crate::helpers::{spawn_app, spawn_empty_app};

#[actix_web::test]
async fn the_shipped_bank_is_loaded_and_listed_a_page_at_a_time() {
    let app = spawn_app().await;
    let first = app.get("/questions?per_page=10").await;

    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let total = first.body["total"].as_i64().expect("total");
    assert!(total >= 60, "{total}");
    assert_eq!(first.body["items"].as_array().map(Vec::len), Some(10));
    assert_eq!(first.body["page"], 1);
    let item = &first.body["items"][0];
    for field in ["id", "slug", "title", "difficulty", "topics", "created_at"] {
        assert!(!item[field].is_null(), "{field} missing");
    }
    assert!(item.get("description").is_none(), "lists carry summaries");

    let second = app.get("/questions?per_page=10&page=2").await;
    assert_ne!(first.body["items"][0]["id"], second.body["items"][0]["id"]);

    let past_the_end = app.get("/questions?per_page=10&page=999").await;
    assert_eq!(past_the_end.status, StatusCode::OK);
    assert_eq!(past_the_end.body["items"].as_array().map(Vec::len), Some(0));
    assert_eq!(past_the_end.body["total"], total);
}

#[actix_web::test]
async fn filters_by_topic_and_difficulty() {
    let app = spawn_app().await;
    let reply = app
        .get("/questions?topic=graphs&difficulty=hard&per_page=100")
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let items = reply.body["items"].as_array().expect("items");
    assert!(!items.is_empty());
    for item in items {
        assert_eq!(item["difficulty"], "hard");
        assert!(
            item["topics"]
                .as_array()
                .expect("topics")
                .iter()
                .any(|t| t == "graphs")
        );
    }

    let either = app.get("/questions?topic=graphs,trees&per_page=100").await;
    let graphs = app.get("/questions?topic=graphs&per_page=100").await;
    assert!(either.body["total"].as_i64() > graphs.body["total"].as_i64());
}

#[actix_web::test]
async fn full_text_search_finds_words_in_titles_and_descriptions() {
    let app = spawn_app().await;
    let all = app.get("/questions?per_page=100").await;
    let title = all.body["items"][0]["title"]
        .as_str()
        .expect("title")
        .to_owned();
    let word = title
        .split_whitespace()
        .max_by_key(|w| w.len())
        .expect("a word");

    let reply = app.get(&format!("/questions?q={}", urlencode(word))).await;

    assert_eq!(reply.status, StatusCode::OK);
    let titles: Vec<&str> = reply.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["title"].as_str())
        .collect();
    assert!(titles.contains(&title.as_str()), "{word}: {titles:?}");
    let nothing = app.get("/questions?q=zzyzxqqv").await;
    assert_eq!(nothing.body["total"], 0);
}

#[actix_web::test]
async fn sorting_by_difficulty_puts_easy_first_and_hard_last() {
    let app = spawn_app().await;
    let reply = app.get("/questions?sort=difficulty&per_page=100").await;
    let order: Vec<u8> = reply.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| match i["difficulty"].as_str() {
            Some("easy") => 0,
            Some("medium") => 1,
            _ => 2,
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] <= w[1]));
}

#[actix_web::test]
async fn bad_filters_get_400_with_the_field_named() {
    let app = spawn_app().await;
    for (query, field) in [
        ("difficulty=impossible", None),
        ("topic=two%20pointers", Some("topic")),
        ("sort=random", None),
        ("sort=relevance", Some("sort")),
        ("page=0", Some("page")),
        ("per_page=101", Some("per_page")),
        ("page=x", None),
        ("colour=blue", None),
    ] {
        let reply = app.get(&format!("/questions?{query}")).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{query}: {}",
            reply.body
        );
        if let Some(field) = field {
            assert!(
                reply.body["error"]["details"]["fields"][field].is_array(),
                "{query}: {}",
                reply.body
            );
        }
    }
}

#[actix_web::test]
async fn a_question_is_found_by_id_and_by_slug() {
    let app = spawn_app().await;
    let list = app.get("/questions?per_page=1").await;
    let id = list.body["items"][0]["id"].as_str().expect("id").to_owned();
    let slug = list.body["items"][0]["slug"]
        .as_str()
        .expect("slug")
        .to_owned();

    let by_id = app.get(&format!("/questions/{id}")).await;
    let by_slug = app.get(&format!("/questions/{slug}")).await;

    assert_eq!(by_id.status, StatusCode::OK);
    assert_eq!(by_id.body, by_slug.body);
    assert!(
        by_id.body["description"]
            .as_str()
            .is_some_and(|d| !d.is_empty())
    );
    assert!(
        by_id.body["examples"]
            .as_array()
            .is_some_and(|e| e.len() >= 2)
    );
    assert!(
        by_id.body["constraints"]
            .as_array()
            .is_some_and(|c| !c.is_empty())
    );
}

#[actix_web::test]
async fn unknown_ids_and_slugs_get_404() {
    let app = spawn_app().await;
    for key in [
        uuid::Uuid::new_v4().to_string(),
        "no-such-question".to_owned(),
    ] {
        let reply = app.get(&format!("/questions/{key}")).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        assert_eq!(reply.code(), "not_found");
    }
}

#[actix_web::test]
async fn topics_are_listed_with_counts_per_difficulty() {
    let app = spawn_app().await;
    let reply = app.get("/topics").await;
    assert_eq!(reply.status, StatusCode::OK);
    let topics = reply.body.as_array().expect("a list");
    assert!(topics.len() >= 10);
    for topic in topics {
        let sum = topic["easy"].as_i64().unwrap_or(0)
            + topic["medium"].as_i64().unwrap_or(0)
            + topic["hard"].as_i64().unwrap_or(0);
        assert_eq!(topic["count"].as_i64(), Some(sum));
    }
    let arrays = topics
        .iter()
        .find(|t| t["topic"] == "arrays")
        .expect("arrays");
    let listed = app.get("/questions?topic=arrays&per_page=100").await;
    assert_eq!(arrays["count"], listed.body["total"]);
}

#[actix_web::test]
async fn the_bank_loads_once_so_deleted_questions_stay_deleted() {
    let app = spawn_app().await;
    let before = app.count().await;
    let list = app.get("/questions?per_page=1").await;
    let id = list.body["items"][0]["id"].as_str().expect("id").to_owned();
    assert_eq!(
        app.delete(Some(&app.admin()), &id).await.status,
        StatusCode::NO_CONTENT
    );

    // A second start against the same database, as after a deploy.
    let pool = shared::db::pool(&app.db.settings()).expect("pool");
    assert_eq!(question::seed::run(&pool).await.expect("seed"), 0);
    assert_eq!(app.count().await, before - 1);
}

#[actix_web::test]
async fn an_empty_bank_lists_nothing() {
    let app = spawn_empty_app().await;
    let reply = app.get("/questions").await;
    assert_eq!(reply.body["total"], 0);
    assert_eq!(app.get("/topics").await.body, serde_json::json!([]));
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
