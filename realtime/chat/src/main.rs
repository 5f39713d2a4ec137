//! Wiring only: settings, telemetry, then the application.

use chat::settings::Settings;
use chat::startup::Application;

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let settings = Settings::from_env()?;
    let _telemetry = shared::telemetry::init(&settings.telemetry);
    Application::build(settings)
        .await?
        .run_until_stopped()
        .await?;
    Ok(())
}
