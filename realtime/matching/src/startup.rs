//! Builds the service: pool, migrations, token verifier, bus and store (Redis, or memory
//! when `REDIS_URL` is unset), the queue actor and its bus bridge, then the server.

use std::sync::Arc;

use actix::{Actor, Addr};
use actix_web::web;
use anyhow::Context;
use shared::bus::Bus;
use shared::config::ExposeSecret;
use shared::http::{Readiness, Service, ServiceApp};
use utoipa::OpenApi;

use crate::actors::bus::{NodeBus, channel};
use crate::actors::queue::{CloseAll, QueueActor, QueueParts};
use crate::routes;
use crate::services::Services;
use crate::settings::Settings;
use crate::store::{MemoryStore, RedisStore, Store};

mod embedded {
    refinery::embed_migrations!("migrations");
}

pub struct Application {
    service: Service,
    queue: Addr<QueueActor>,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let pool = shared::db::pool(&settings.database)?;
        shared::db::migrate(&pool, embedded::migrations::runner())
            .await
            .context("migrate matching_db")?;
        let verifier = web::Data::new(settings.auth.verifier().await?);
        let redis_url = settings
            .redis_url
            .as_ref()
            .map(|url| url.expose_secret().to_owned());
        let bus = Bus::connect(redis_url.as_deref()).await?;
        let store = match &bus {
            Bus::Redis(redis) => {
                Store::Redis(RedisStore::new(redis.connection(), &settings.redis_prefix))
            }
            Bus::Local(_) => {
                log::warn!(
                    "REDIS_URL is not set: this process matches alone, with the queue in memory"
                );
                Store::Memory(MemoryStore::default())
            }
        };
        // Announced before any user can join: the matchmaker drops tickets of processes it
        // does not see alive.
        store.heartbeat(&settings.node_id).await?;
        let receiver = bus
            .subscribe(&channel(&settings.redis_prefix, &settings.node_id))
            .await?;
        let queue = QueueActor::new(QueueParts {
            node: settings.node_id.clone(),
            prefix: settings.redis_prefix.clone(),
            store,
            bus: bus.clone(),
            pool: pool.clone(),
            services: Services::new(settings.services.clone(), settings.service_token.clone()),
            settings: settings.queue.clone(),
        })
        .start();
        NodeBus {
            queue: queue.clone(),
            receiver: Some(receiver),
        }
        .start();
        log::info!("matching process {} started", settings.node_id);

        let queue_data = web::Data::new(queue.clone());
        let origins = web::Data::new(settings.origins.clone());
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
                        .app_data(origins.clone())
                        .route(
                            &format!("{}/ws", routes::PREFIX),
                            web::get().to(routes::ws::upgrade),
                        );
                }),
                readiness: Readiness::default().with_postgres(pool).with_bus(bus),
                json_limit: shared::error::DEFAULT_JSON_LIMIT,
            },
        )?;
        Ok(Self { service, queue })
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
        let queue = self.queue.clone();
        self.service
            .run_until_stopped_with(move || async move {
                if let Ok(closed) = queue.send(CloseAll).await {
                    log::info!("told {closed} sessions to reconnect elsewhere");
                }
            })
            .await
    }
}
