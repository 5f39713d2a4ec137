//! A log-in that ended (the user service announced it on the bus) is refused here at once,
//! not when its access token expires.

use std::time::Duration;

use shared::auth::revocation::announce;
use shared::auth::{Role, SessionsEnded};
use shared::bus::Bus;
use shared::start_service;
use shared::testing::{ServiceVars, TestDatabase, TestTokens, http_client};

use crate::helpers::{TestApp, question_body};

const REDIS: &str = "redis://127.0.0.1:6379";

#[actix_web::test]
async fn an_admin_whose_log_in_ended_is_refused_and_changes_nothing() {
    let db = TestDatabase::create().await.expect("test database");
    let tokens = TestTokens::new();
    let prefix = format!("test:{}:", uuid::Uuid::new_v4().simple());
    let vars = ServiceVars::new(&tokens, "question-test-token")
        .database(&db)
        .set("SEED_QUESTIONS", "false")
        .set("REDIS_URL", REDIS)
        .set("REDIS_KEY_PREFIX", prefix.clone());
    let app = TestApp {
        address: start_service!(question, vars),
        db,
        tokens,
        client: http_client(),
    };
    let (admin, token) = app.tokens.new_user(Role::Admin);
    let created = app
        .create(Some(&token), question_body("Before the log-out"))
        .await;
    assert_eq!(created.status, 201, "{}", created.body);

    let bus = Bus::connect(Some(REDIS)).await.expect("redis");
    let ended = SessionsEnded::new(
        admin,
        vec![TestTokens::session_of(&token)],
        Duration::from_secs(600),
    );
    announce(&bus, &prefix, &ended).await.expect("announce");

    // Pub/sub is asynchronous: wait, with a request that changes nothing either way (a
    // delete of a question that does not exist), until the announcement has been heard.
    let missing = uuid::Uuid::new_v4().to_string();
    shared::testing::eventually(
        "the ended log-in is refused",
        Duration::from_secs(5),
        || async {
            let reply = app.delete(Some(&token), &missing).await;
            (reply.status == 401).then_some(())
        },
    )
    .await;
    let refused = app
        .create(Some(&token), question_body("After the log-out"))
        .await;
    assert_eq!(refused.status, 401);
    assert_eq!(refused.code(), "session_ended");
    assert_eq!(app.count().await, 1, "nothing was created");

    let other = app.admin();
    let created = app
        .create(Some(&other), question_body("Another admin"))
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
}
