//! Builds the service from its settings: pool, migrations, the question bank, the token
//! verifier, then the server (bound first, so tests can use port 0).

use std::sync::Arc;

use actix_web::web;
use anyhow::Context;
use shared::http::{Readiness, Service, ServiceApp};
use utoipa::OpenApi;

use crate::settings::Settings;
use crate::{routes, seed};

mod embedded {
    refinery::embed_migrations!("migrations");
}

/// The question_db migrations, embedded in the binary: run at start-up and by `--migrate`.
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
            .context("migrate question_db")?;
        if settings.seed_questions {
            seed::run(&pool).await.context("load the question bank")?;
        }
        let verifier = web::Data::new(settings.auth.verifier().await?);
        let pool_data = web::Data::new(pool.clone());
        shared::http::serve(
            &settings.server,
            ServiceApp {
                prefix: routes::PREFIX,
                routes: routes::config,
                openapi: routes::ApiDoc::openapi(),
                configure: Arc::new(move |cfg| {
                    cfg.app_data(pool_data.clone()).app_data(verifier.clone());
                }),
                readiness: Readiness::default().with_postgres(pool),
                json_limit: shared::error::DEFAULT_JSON_LIMIT,
                internal: None,
                websocket: None,
            },
        )
    }
}
