//! Builds the service from its settings: pool, migrations, the question bank, the token
//! verifier, then the server (bound first, so tests can use port 0).

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use anyhow::Context;
use shared::http::Readiness;
use utoipa_actix_web::AppExt;

use crate::settings::Settings;
use crate::{routes, seed};

mod embedded {
    refinery::embed_migrations!("migrations");
}

pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let pool = shared::db::pool(&settings.database)?;
        shared::db::migrate(&pool, embedded::migrations::runner())
            .await
            .context("migrate question_db")?;
        if settings.seed_questions {
            seed::run(&pool).await.context("load the question bank")?;
        }
        let verifier = web::Data::new(settings.auth.verifier().await?);
        let pool_data = web::Data::new(pool.clone());
        let readiness = Readiness::default().with_postgres(pool);
        let document = routes::openapi_document();

        let listener = TcpListener::bind((settings.server.host.as_str(), settings.server.port))
            .with_context(|| format!("bind {}:{}", settings.server.host, settings.server.port))?;
        let port = listener.local_addr()?.port();
        let mut server = HttpServer::new(move || {
            App::new()
                .wrap(from_fn(shared::request_id::middleware))
                .app_data(pool_data.clone())
                .app_data(verifier.clone())
                .configure(shared::http::common(routes::PREFIX, readiness.clone()))
                .configure(shared::openapi::serve(routes::PREFIX, document.clone()))
                .into_utoipa_app()
                .service(utoipa_actix_web::scope(routes::PREFIX).configure(routes::config))
                .into_app()
                .default_service(web::to(shared::error::not_found))
        })
        .workers(settings.server.workers)
        .shutdown_timeout(settings.server.shutdown_timeout.as_secs())
        .listen(listener)?;
        if !settings.server.handle_signals {
            server = server.disable_signals();
        }
        log::info!(
            "question service listening on {}:{port}",
            settings.server.host
        );
        Ok(Self {
            port,
            server: server.run(),
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}
