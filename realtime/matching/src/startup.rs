//! Builds the service: pool, migrations, token verifier, bus and store (Redis, or memory
//! when `REDIS_URL` is unset), the queue actor on its bus channel, then the server.

use std::sync::Arc;

use actix::{Actor, Addr};
use actix_web::web;
use anyhow::Context;
use shared::http::{Internal, Readiness, Service, ServiceApp, Websocket};
use toolkit::ws::{Sessions, Upgrader};
use utoipa::OpenApi;

use crate::actors::queue::{QueueActor, QueueParts};
use crate::actors::session::LIMITS;
use crate::matchmaker::Matchmaker;
use crate::notice;
use crate::routes;
use crate::services::Services;
use crate::settings::Settings;
use crate::store::{MemoryStore, RedisStore, Store};
use crate::topics::Topics;

mod embedded {
    refinery::embed_migrations!("migrations");
}

/// The matching_db migrations, embedded in the binary: run at start-up and by `--migrate`.
pub fn migrations() -> refinery::Runner {
    embedded::migrations::runner()
}

pub struct Application {
    service: Service,
    queue: Addr<QueueActor>,
    sessions: Sessions,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let pool = shared::db::pool(&settings.database)?;
        shared::db::migrate(&pool, migrations())
            .await
            .context("migrate matching_db")?;
        let verifier = web::Data::new(settings.auth.verifier().await?);
        let realtime = &settings.realtime;
        let backend = realtime.connect().await?;
        let store = match backend.redis {
            Some(redis) => Store::Redis(RedisStore::new(redis, &realtime.redis_prefix)),
            None => Store::Memory(MemoryStore::default()),
        };
        // Announced before any user can join: the matchmaker drops tickets of processes it
        // does not see alive.
        store.heartbeat(&realtime.node_id).await?;
        let inbox = backend
            .bus
            .subscribe(&notice::channel(&realtime.redis_prefix, &realtime.node_id))
            .await?;
        let services = Services::new(
            settings.question.clone(),
            settings.history.clone(),
            &settings.service_token,
        );
        let queue = QueueActor::new(QueueParts {
            node: realtime.node_id.clone(),
            prefix: realtime.redis_prefix.clone(),
            store: store.clone(),
            bus: backend.bus.clone(),
            inbox,
            matchmaker: Matchmaker {
                store,
                services: services.clone(),
                pool: pool.clone(),
                relax: settings.queue.relax,
                missing: Default::default(),
            },
            topics: Topics::new(services),
            settings: settings.queue.clone(),
        })
        .start();
        log::info!("matching process {} started", realtime.node_id);

        let sessions = Sessions::new("matching", verifier.ended_sessions());
        let upgrader = web::Data::new(Upgrader::new(
            realtime.origins.clone(),
            sessions.clone(),
            LIMITS,
        ));
        let queue_data = web::Data::new(queue.clone());
        let service_token = web::Data::new(settings.service_token.clone());
        let pool_data = web::Data::new(pool.clone());
        let service = shared::http::serve(
            &settings.server,
            ServiceApp {
                prefix: routes::PREFIX,
                routes: routes::config,
                openapi: routes::ApiDoc::openapi(),
                configure: Arc::new(move |cfg| {
                    cfg.app_data(pool_data.clone())
                        .app_data(verifier.clone())
                        .app_data(service_token.clone())
                        .app_data(queue_data.clone())
                        .app_data(upgrader.clone());
                }),
                readiness: Readiness::default()
                    .with_postgres(pool)
                    .with_bus(backend.bus),
                json_limit: shared::error::DEFAULT_JSON_LIMIT,
                internal: Some(Internal {
                    routes: routes::internal,
                    openapi: routes::InternalDoc::openapi(),
                }),
                websocket: Some(Websocket {
                    path: format!("{}/ws", routes::PREFIX),
                    reads_query: false,
                    upgrade: || web::get().to(routes::ws::upgrade),
                }),
            },
        )?;
        Ok(Self {
            service,
            queue,
            sessions,
        })
    }

    pub fn port(&self) -> u16 {
        self.service.port()
    }

    /// The process's queue actor (tests watch it).
    pub fn queue(&self) -> Addr<QueueActor> {
        self.queue.clone()
    }

    /// Serves until SIGTERM/SIGINT; then closes every websocket with 1012 (clients reconnect
    /// elsewhere) and drains in-flight requests.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.sessions
            .serve_until_stopped(self.service, || async {})
            .await
    }
}
