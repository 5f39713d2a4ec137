//! Builds the service: token verifier, bus and document store (Redis, or memory when
//! `REDIS_URL` is unset), the room registry, then the server.

use std::sync::Arc;

use actix::{Actor, Addr};
use actix_web::web;
use shared::client::InternalClient;
use shared::http::{Readiness, Service, ServiceApp, Websocket};
use toolkit::rooms::RoomDirectory;
use toolkit::ws::{Sessions, Upgrader};
use utoipa::OpenApi;

use crate::actors::Registry;
use crate::actors::room::RoomParts;
use crate::actors::session::LIMITS;
use crate::history::History;
use crate::routes;
use crate::settings::Settings;
use crate::settle::Settle;
use crate::settler::Settler;
use crate::store::DocStore;

pub struct Application {
    service: Service,
    registry: Addr<Registry>,
    sessions: Sessions,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let verifier = web::Data::new(settings.auth.verifier().await?);
        let realtime = &settings.realtime;
        let backend = realtime.connect().await?;
        let (store, settle) = match backend.redis {
            Some(conn) => (
                DocStore::Redis {
                    conn: conn.clone(),
                    prefix: realtime.redis_prefix.clone(),
                },
                Settle::Redis {
                    conn,
                    prefix: realtime.redis_prefix.clone(),
                },
            ),
            None => (DocStore::memory(), Settle::memory()),
        };
        let token = &settings.service_token;
        let settler = Settler {
            settle,
            docs: store.clone(),
            history: History::new(InternalClient::new(settings.history.clone(), token.clone())),
        };
        settler.clone().start();
        let registry = Registry::new(
            "collaboration",
            RoomParts {
                node: realtime.node_id.clone(),
                prefix: realtime.redis_prefix.clone(),
                store,
                bus: backend.bus.clone(),
                idle_grace: settings.room_idle_grace,
                settler,
            },
        )
        .start();
        let sessions = Sessions::new("collaboration", verifier.ended_sessions());
        let upgrader = web::Data::new(Upgrader::new(
            realtime.origins.clone(),
            sessions.clone(),
            LIMITS,
        ));
        let rooms = web::Data::new(RoomDirectory::new(InternalClient::new(
            settings.matching.clone(),
            token.clone(),
        )));
        let registry_data = web::Data::new(registry.clone());
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
                        .app_data(rooms.clone());
                }),
                readiness: Readiness::default().with_bus(backend.bus),
                json_limit: shared::error::DEFAULT_JSON_LIMIT,
                internal: None,
                websocket: Some(Websocket {
                    path: format!("{}/yjs/{{room_id}}", routes::PREFIX),
                    // The stock client sends none; one configured with `params` (a token in
                    // the URL, say) is told so rather than silently ignored.
                    reads_query: false,
                    upgrade: || web::get().to(routes::yjs::upgrade),
                }),
            },
        )?;
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
    /// to another process; every edit is already stored) and drains in-flight requests.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.sessions
            .serve_until_stopped(self.service, || async {})
            .await
    }
}
