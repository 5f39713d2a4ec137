//! Builds the service from its settings: pool, migrations, first admin, then the server,
//! bound before it is built so that tests can ask for port 0 and read the real port.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use anyhow::Context;
use shared::http::Readiness;
use utoipa_actix_web::AppExt;

use crate::password::PasswordHasher;
use crate::settings::Settings;
use crate::state::AppState;
use crate::tokens::TokenIssuer;
use crate::{bootstrap, routes};

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
        let readiness = Readiness::default().with_postgres(pool);

        let listener = TcpListener::bind((settings.server.host.as_str(), settings.server.port))
            .with_context(|| format!("bind {}:{}", settings.server.host, settings.server.port))?;
        let port = listener.local_addr()?.port();
        let document = routes::openapi_document();
        let mut server = HttpServer::new(move || {
            // The operational routes come first: the API scope answers 404 for any other
            // path under the prefix.
            App::new()
                .wrap(from_fn(shared::request_id::middleware))
                .app_data(state.clone())
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
        log::info!("user service listening on {}:{port}", settings.server.host);
        Ok(Self {
            port,
            server: server.run(),
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until SIGTERM/SIGINT, then drains in-flight requests.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}
