//! The websocket upgrade, the same for every real-time service: nothing is upgraded until
//! the origin, the token and the service's own check have all passed.

use std::future::Future;

use actix_web::{HttpRequest, HttpResponse, web};
use actix_web_actors::ws;
use shared::ApiError;
use shared::auth::AuthUser;

use super::origins::AllowedOrigins;
use super::session::{Limits, Protocol, WsSession};
use super::sessions::{Owner, Sessions};

/// Websockets one user may hold open in one process (tabs, reconnects not yet noticed as
/// gone): enough for any honest use, and a bound on what one account costs a process.
pub const MAX_SESSIONS_PER_USER: usize = 8;

/// A service's websocket endpoint: register it as `web::Data<Upgrader>`.
#[derive(Clone)]
pub struct Upgrader {
    origins: AllowedOrigins,
    sessions: Sessions,
    limits: Limits,
}

impl Upgrader {
    pub fn new(origins: AllowedOrigins, sessions: Sessions, limits: Limits) -> Self {
        Self {
            origins,
            sessions,
            limits,
        }
    }

    /// Checks, in order: `Origin` (403), the access token (401), the handshake (400), the
    /// user's open websockets here (429 at [`MAX_SESSIONS_PER_USER`]), then `admit` with the
    /// signed-in user: the service's own check (a room's membership: 403, 404, 503), which
    /// builds the session's protocol. Only then is the request upgraded.
    pub async fn upgrade<P, F, Fut>(
        &self,
        req: &HttpRequest,
        stream: web::Payload,
        admit: F,
    ) -> Result<HttpResponse, actix_web::Error>
    where
        P: Protocol,
        F: FnOnce(AuthUser) -> Fut,
        Fut: Future<Output = Result<P, ApiError>>,
    {
        self.origins.check(req)?;
        let user = AuthUser::from_request_sync(req)?;
        ws::handshake(req).map_err(not_a_websocket)?;
        if self.sessions.held_by(user.id) >= MAX_SESSIONS_PER_USER {
            return Err(ApiError::too_many_requests(
                format!(
                    "you already have {MAX_SESSIONS_PER_USER} connections open here; close one"
                ),
                5,
            )
            .into());
        }
        let owner = Owner {
            user: user.id,
            login: user.session_id,
        };
        let protocol = admit(user).await?;
        ws::WsResponseBuilder::new(
            WsSession::new(protocol, self.limits, self.sessions.clone(), owner),
            req,
            stream,
        )
        .frame_size(self.limits.max_frame_bytes)
        .start()
        .map_err(not_a_websocket)
    }
}

fn not_a_websocket(err: impl std::fmt::Display) -> actix_web::Error {
    ApiError::bad_request("not_a_websocket", format!("not a websocket upgrade: {err}")).into()
}
