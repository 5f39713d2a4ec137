//! Builds the service: token verifier, bus and document store (Redis, or memory when
//! `REDIS_URL` is unset), the room registry, then the server.

use std::sync::Arc;

use actix::{Actor, Addr};
use actix_web::web;
use shared::bus::Bus;
use shared::config::ExposeSecret;
use shared::http::{Readiness, Service, ServiceApp};
use utoipa::OpenApi;

use crate::actors::registry::{CloseAll, Registry};
use crate::actors::room::RoomParts;
use crate::routes::{self, yjs::Access};
use crate::settings::Settings;
use crate::store::DocStore;

pub struct Application {
    service: Service,
    registry: Addr<Registry>,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let verifier = web::Data::new(settings.auth.verifier().await?);
        let redis_url = settings
            .redis_url
            .as_ref()
            .map(|url| url.expose_secret().to_owned());
        let bus = Bus::connect(redis_url.as_deref()).await?;
        let store = match &bus {
            Bus::Redis(redis) => DocStore::Redis {
                conn: redis.connection(),
                prefix: settings.redis_prefix.clone(),
            },
            Bus::Local(_) => {
                log::warn!("REDIS_URL is not set: this process edits alone, documents in memory");
                DocStore::memory()
            }
        };
        let registry = Registry::new(RoomParts {
            node: settings.node_id.clone(),
            prefix: settings.redis_prefix.clone(),
            store,
            bus: bus.clone(),
            idle_grace: settings.room_idle_grace,
            history_url: settings.history_url.clone(),
            service_token: settings.service_token.clone(),
        })
        .start();
        let registry_data = web::Data::new(registry.clone());
        let origins = web::Data::new(settings.origins.clone());
        let access = web::Data::new(Access {
            matching_url: settings.matching_url.clone(),
            token: settings.service_token.clone(),
        });
        let service = shared::http::serve(
            &settings.server,
            ServiceApp {
                prefix: routes::PREFIX,
                routes: routes::config,
                openapi: routes::ApiDoc::openapi(),
                configure: Arc::new(move |cfg| {
                    cfg.app_data(verifier.clone())
                        .app_data(registry_data.clone())
                        .app_data(origins.clone())
                        .app_data(access.clone())
                        .route(
                            &format!("{}/yjs/{{room_id}}", routes::PREFIX),
                            web::get().to(routes::yjs::upgrade),
                        );
                }),
                readiness: Readiness::default().with_bus(bus),
                json_limit: shared::error::DEFAULT_JSON_LIMIT,
            },
        )?;
        Ok(Self { service, registry })
    }

    pub fn port(&self) -> u16 {
        self.service.port()
    }

    /// Serves until SIGTERM/SIGINT; then closes every websocket with 1012 (clients reconnect
    /// to another process; every edit is already stored) and drains in-flight requests.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let registry = self.registry.clone();
        self.service
            .run_until_stopped_with(move || async move {
                if let Ok(rooms) = registry.send(CloseAll).await {
                    log::info!("told the sessions of {rooms} rooms to reconnect elsewhere");
                }
            })
            .await
    }
}
