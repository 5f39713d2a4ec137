//! Builds the service from its settings: pool, migrations, the token verifier, then the
//! server (bound first, so tests can use port 0).

use std::sync::Arc;

use actix_web::web;
use anyhow::Context;
use shared::http::{Internal, Readiness, Service, ServiceApp};
use utoipa::OpenApi;

use crate::routes;
use crate::settings::Settings;

mod embedded {
    refinery::embed_migrations!("migrations");
}

/// The history_db migrations, embedded in the binary: run at start-up and by `--migrate`.
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
            .context("migrate history_db")?;
        let verifier = web::Data::new(settings.auth.verifier().await?);
        let service_token = web::Data::new(settings.service_token.clone());
        let pool_data = web::Data::new(pool.clone());
        shared::http::serve(
            &settings.server,
            ServiceApp {
                prefix: routes::PREFIX,
                routes: routes::config,
                openapi: routes::ApiDoc::openapi(),
                configure: Arc::new(move |cfg| {
                    cfg.app_data(pool_data.clone())
                        .app_data(verifier.clone())
                        .app_data(service_token.clone());
                }),
                readiness: Readiness::default().with_postgres(pool),
                json_limit: crate::attempt::MAX_BODY_BYTES,
                internal: Some(Internal {
                    routes: routes::internal,
                    openapi: routes::InternalDoc::openapi(),
                }),
                websocket: None,
            },
        )
    }
}
