//! Builds the service from its settings: pool, migrations, first admin, then the server
//! (bound first, so tests can use port 0).

use std::sync::Arc;

use actix_web::web;
use anyhow::Context;
use shared::http::{Readiness, Service, ServiceApp};
use utoipa::OpenApi;

use crate::password::PasswordHasher;
use crate::settings::Settings;
use crate::state::AppState;
use crate::tokens::TokenIssuer;
use crate::{bootstrap, routes};

mod embedded {
    refinery::embed_migrations!("migrations");
}

/// The service, built from its settings; [`Service`] runs it.
pub struct Application;

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Service> {
        let pool = shared::db::pool(&settings.database)?;
        shared::db::migrate(&pool, embedded::migrations::runner())
            .await
            .context("migrate user_db")?;
        let hasher = PasswordHasher::new()?;
        if let Some(admin) = &settings.admin {
            bootstrap::ensure_admin(&pool, &hasher, admin)
                .await
                .context("create the configured admin")?;
        }
        let tokens = TokenIssuer::new(&settings.tokens)?;
        let verifier = web::Data::new(tokens.verifier()?);
        let state = web::Data::new(AppState {
            pool: pool.clone(),
            hasher,
            tokens,
            cookies: settings.cookies.clone(),
            login_limits: settings.login_limits.clone(),
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
            },
        )
    }
}
