//! Builds the service: pool and migrations (the transcript), token verifier, bus and live
//! log (Redis, or memory when `REDIS_URL` is unset), the room registry, then the server.

use std::sync::Arc;

use actix::{Actor, Addr};
use actix_web::web;
use anyhow::Context;
use shared::client::InternalClient;
use shared::http::{Readiness, Service, ServiceApp, Websocket};
use toolkit::registry::Rooms;
use toolkit::rooms::RoomDirectory;
use toolkit::ws::{Sessions, Upgrader};
use utoipa::OpenApi;

use crate::actors::Registry;
use crate::actors::room::{FlushNow, RoomActor, RoomParts};
use crate::actors::session;
use crate::settings::Settings;
use crate::store::{LogStore, MemoryLog, RedisLog};
use crate::{flush, routes};

mod embedded {
    refinery::embed_migrations!("migrations");
}

/// The chat_db migrations, embedded in the binary: run at start-up and by `--migrate`.
pub fn migrations() -> refinery::Runner {
    embedded::migrations::runner()
}

pub struct Application {
    service: Service,
    registry: Addr<Registry>,
    sessions: Sessions,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let pool = shared::db::pool(&settings.database)?;
        shared::db::migrate(&pool, migrations())
            .await
            .context("migrate chat_db")?;
        let verifier = web::Data::new(settings.auth.verifier().await?);
        let realtime = &settings.realtime;
        let backend = realtime.connect().await?;
        let log = match backend.redis {
            Some(conn) => LogStore::Redis(RedisLog::new(conn, &realtime.redis_prefix)),
            None => LogStore::Memory(MemoryLog::default()),
        };
        let registry = Registry::new(
            "chat",
            RoomParts {
                node: realtime.node_id.clone(),
                prefix: realtime.redis_prefix.clone(),
                log: log.clone(),
                bus: backend.bus.clone(),
                pool: pool.clone(),
                idle_grace: settings.room_idle_grace,
            },
        )
        .start();
        let (sweep_log, sweep_pool) = (log.clone(), pool.clone());
        actix_web::rt::spawn(async move {
            let mut every = actix_web::rt::time::interval(flush::SWEEP_EVERY);
            loop {
                every.tick().await;
                flush::sweep(&sweep_log, &sweep_pool).await;
            }
        });
        let sessions = Sessions::new("chat", verifier.ended_sessions());
        let upgrader = web::Data::new(Upgrader::new(
            realtime.origins.clone(),
            sessions.clone(),
            session::limits(settings.messages_per_sec, settings.message_burst),
        ));
        let rooms = web::Data::new(RoomDirectory::new(InternalClient::new(
            settings.matching.clone(),
            settings.service_token.clone(),
        )));
        let registry_data = web::Data::new(registry.clone());
        let log_data = web::Data::new(log);
        let pool_data = web::Data::new(pool.clone());
        let service = shared::http::serve(
            &settings.server,
            ServiceApp {
                prefix: routes::PREFIX,
                routes: routes::config,
                openapi: routes::ApiDoc::openapi(),
                configure: Arc::new(move |cfg| {
                    cfg.app_data(verifier.clone())
                        .app_data(registry_data.clone())
                        .app_data(upgrader.clone())
                        .app_data(rooms.clone())
                        .app_data(log_data.clone())
                        .app_data(pool_data.clone());
                }),
                readiness: Readiness::default()
                    .with_postgres(pool)
                    .with_bus(backend.bus),
                json_limit: shared::error::DEFAULT_JSON_LIMIT,
                internal: None,
                websocket: Some(Websocket {
                    path: format!("{}/ws/{{room_id}}", routes::PREFIX),
                    // `?after=`, checked by the upgrade.
                    reads_query: true,
                    upgrade: || web::get().to(routes::ws::upgrade),
                }),
            },
        )?;
        log::info!("chat process {} started", realtime.node_id);
        Ok(Self {
            service,
            registry,
            sessions,
        })
    }

    pub fn port(&self) -> u16 {
        self.service.port()
    }

    /// The process's room registry (tests watch it).
    pub fn registry(&self) -> Addr<Registry> {
        self.registry.clone()
    }

    /// Serves until SIGTERM/SIGINT; then closes every websocket with 1012 (clients reconnect
    /// to another process and ask for what they missed), copies every open room to the
    /// transcript, and drains in-flight requests.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let registry = self.registry;
        self.sessions
            .serve_until_stopped(self.service, move || async move {
                match registry.send(Rooms::<RoomActor>::default()).await {
                    Ok(rooms) => {
                        let flushes = rooms.iter().map(|room| room.send(FlushNow));
                        futures_util::future::join_all(flushes).await;
                    }
                    // The sweeper of another process copies them.
                    Err(err) => log::warn!("rooms not copied at shutdown: {err}"),
                }
            })
            .await
    }
}
