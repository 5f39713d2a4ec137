//! Wiring only: settings, telemetry, then the application (or, with `--healthcheck`, a
//! check of the running one: the container's `HEALTHCHECK`).

use collaboration::settings::Settings;
use collaboration::startup::Application;

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    shared::healthcheck::exit_if_requested(collaboration::settings::DEFAULT_PORT);
    let settings = Settings::from_env()?;
    let _telemetry = shared::telemetry::init(&settings.telemetry);
    Application::build(settings)
        .await?
        .run_until_stopped()
        .await?;
    Ok(())
}
