//! Builds the service from its settings: pool, migrations, first admin, then the server
//! (bound first, so tests can use port 0).

use std::sync::Arc;

use actix_web::web;
use anyhow::Context;
use shared::http::{Readiness, Service, ServiceApp};
use utoipa::OpenApi;

use crate::password::PasswordHasher;
use crate::purge::{self, Retention};
use crate::settings::Settings;
use crate::state::AppState;
use crate::tokens::TokenIssuer;
use crate::{bootstrap, routes};

mod embedded {
    refinery::embed_migrations!("migrations");
}

/// The user_db migrations, embedded in the binary: run at start-up and by `--migrate`.
pub fn migrations() -> refinery::Runner {
    embedded::migrations::runner()
}

/// The service, built from its settings; [`Service`] runs it.
pub struct Application;

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Service> {
        let pool = shared::db::pool(&settings.database)?;
        shared::db::migrate(&pool, migrations())
            .await
            .context("migrate user_db")?;
        let hasher = PasswordHasher::new(settings.hashing)?;
        if let Some(admin) = &settings.admin {
            bootstrap::ensure_admin(&pool, &hasher, admin)
                .await
                .context("create the configured admin")?;
        }
        let tokens = TokenIssuer::new(&settings.tokens)?;
        let bus = settings.revocation.connect().await?;
        let key_prefix = settings.revocation.key_prefix.clone();
        let verifier = tokens.verifier()?;
        // This service's own token checks refuse ended sessions too (it also checks the
        // session in its database; the other services have only the announcements).
        verifier
            .ended_sessions()
            .follow(&bus, &key_prefix)
            .await
            .context("follow the ended sessions")?;
        let verifier = web::Data::new(verifier);
        purge::spawn_schedule(
            pool.clone(),
            settings.purge.clone(),
            Retention {
                attempts: settings
                    .login_limits
                    .window
                    .max(settings.signup_limits.window),
                ended_sessions: settings.purge.session_retention,
            },
        );
        let state = web::Data::new(AppState {
            pool: pool.clone(),
            hasher,
            tokens,
            cookies: settings.cookies.clone(),
            login_limits: settings.login_limits.clone(),
            signup_limits: settings.signup_limits.clone(),
            bus,
            key_prefix,
        });
        shared::http::serve(
            &settings.server,
            ServiceApp {
                prefix: routes::PREFIX,
                routes: routes::config,
                openapi: routes::ApiDoc::openapi(),
                configure: Arc::new(move |cfg| {
                    cfg.app_data(state.clone()).app_data(verifier.clone());
                }),
                readiness: Readiness::default().with_postgres(pool),
                json_limit: shared::error::DEFAULT_JSON_LIMIT,
                internal: None,
                websocket: None,
            },
        )
    }
}
