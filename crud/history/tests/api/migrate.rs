//! `history-service --migrate`: the migrations alone, the pipeline's one-off task before a deploy.

use shared::testing::{ServiceVars, TestTokens};

#[actix_web::test]
async fn migrate_flag_applies_the_migrations_once_and_names_an_unreachable_database() {
    let vars = ServiceVars::new(&TestTokens::new(), "migrate-test-token");
    shared::testing::assert_migrate_flag(
        env!("CARGO_BIN_EXE_history-service"),
        &vars,
        "history_db",
    )
    .await;
}
