use awc::http::StatusCode;
use chrono::{Duration, Utc};
use shared::auth::Role;

use crate::helpers::spawn_app;

#[actix_web::test]
async fn stats_count_by_difficulty_and_topic_with_time_and_streaks() {
    let app = spawn_app().await;
    let user = app.user(Role::User);
    let now = Utc::now();
    app.attempt(&user, "easy", &["arrays", "strings"], now)
        .await;
    app.attempt(&user, "easy", &["arrays"], now - Duration::days(1))
        .await;
    app.attempt(&user, "hard", &["graphs"], now - Duration::days(2))
        .await;
    app.attempt(&user, "medium", &["arrays"], now - Duration::days(10))
        .await;

    let reply = app.get("/stats", Some(&user.token)).await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let stats = &reply.body;
    assert_eq!(stats["total_attempts"], 4);
    assert_eq!(stats["completed"], 4);
    assert_eq!(stats["abandoned"], 0);
    assert_eq!(stats["total_duration_secs"], 4 * 25 * 60);
    assert_eq!(
        stats["by_difficulty"],
        serde_json::json!({"easy": 2, "medium": 1, "hard": 1})
    );
    assert_eq!(
        stats["by_topic"][0],
        serde_json::json!({"topic": "arrays", "attempts": 3})
    );
    assert_eq!(stats["current_streak_days"], 3);
    assert_eq!(stats["longest_streak_days"], 3);
    assert!(stats["last_attempt_at"].is_string());
}

#[actix_web::test]
async fn a_new_user_has_empty_stats() {
    let app = spawn_app().await;
    let user = app.user(Role::User);
    let reply = app.get("/stats", Some(&user.token)).await;
    assert_eq!(reply.body["total_attempts"], 0);
    assert_eq!(
        reply.body["by_difficulty"],
        serde_json::json!({"easy": 0, "medium": 0, "hard": 0})
    );
    assert_eq!(reply.body["current_streak_days"], 0);
    assert!(reply.body["last_attempt_at"].is_null());
}
