//! Logging through `log` and env_logger (`RUST_LOG`, default `info`), and Sentry when
//! `SENTRY_DSN` is set: error logs become Sentry events, panics are reported.

use secrecy::ExposeSecret;

use crate::config::TelemetrySettings;

/// Keep it alive for the life of the process: dropping it flushes Sentry.
pub struct TelemetryGuard {
    _sentry: Option<sentry::ClientInitGuard>,
}

pub fn init(settings: &TelemetrySettings) -> TelemetryGuard {
    let logger =
        env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info"))
            // The driver logs statements with their parameters (emails, password hashes) at
            // debug: never, whatever RUST_LOG says.
            .filter_module("tokio_postgres", log::LevelFilter::Info)
            .build();
    let max_level = logger.filter();
    let logger = sentry::integrations::log::SentryLogger::with_dest(logger);
    if log::set_boxed_logger(Box::new(logger)).is_ok() {
        log::set_max_level(max_level);
    }

    let sentry = settings.sentry_dsn.as_ref().map(|dsn| {
        let mut options = sentry::ClientOptions::default();
        options.release =
            Some(format!("{}@{}", settings.service, env!("CARGO_PKG_VERSION")).into());
        options.environment = Some(settings.environment.as_str().into());
        options.server_name = Some(settings.service.into());
        sentry::init((dsn.expose_secret(), options))
    });
    if sentry.is_some() {
        log::info!("error reporting to Sentry is on");
    }
    TelemetryGuard { _sentry: sentry }
}
