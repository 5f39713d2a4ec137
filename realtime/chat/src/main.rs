//! Wiring only: settings, telemetry, then the application (or, with `--healthcheck`, a
//! check of the running one: the container's `HEALTHCHECK`; with `--migrate`, the
//! migrations alone: the pipeline's one-off task).

use anyhow::Context;
use chat::settings::Settings;
use chat::startup::Application;

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    shared::healthcheck::exit_if_requested(chat::settings::DEFAULT_PORT);
    let settings = Settings::from_env()?;
    let _telemetry = shared::telemetry::init(&settings.telemetry);
    if shared::db::migrate_requested() {
        return shared::db::migrate_only(&settings.database, chat::startup::migrations())
            .await
            .context("migrate chat_db");
    }
    Application::build(settings)
        .await?
        .run_until_stopped()
        .await?;
    Ok(())
}
