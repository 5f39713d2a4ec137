//! `user-service --migrate`: the migrations alone, the pipeline's one-off task before a deploy.

use shared::config::ExposeSecret;
use shared::testing::{ServiceVars, TestTokens};

#[actix_web::test]
async fn migrate_flag_applies_the_migrations_once_and_names_an_unreachable_database() {
    let vars = ServiceVars::new(&TestTokens::new(), "migrate-test-token");
    let key = shared::auth::SigningKey::generate().expect("key");
    let vars = vars.set("JWT_PRIVATE_KEY", key.to_pem().expose_secret().to_owned());
    shared::testing::assert_migrate_flag(env!("CARGO_BIN_EXE_user-service"), &vars, "user_db")
        .await;
}
