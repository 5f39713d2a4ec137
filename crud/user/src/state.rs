//! What the handlers share.

use shared::auth::SessionsEnded;
use shared::auth::revocation;
use shared::bus::Bus;
use shared::db::PgPool;
use uuid::Uuid;

use crate::password::PasswordHasher;
use crate::settings::{CookieSettings, LoginLimits, SignupLimits};
use crate::tokens::TokenIssuer;

pub struct AppState {
    pub pool: PgPool,
    pub hasher: PasswordHasher,
    pub tokens: TokenIssuer,
    pub cookies: CookieSettings,
    pub login_limits: LoginLimits,
    pub signup_limits: SignupLimits,
    /// Where ended sessions are announced, and the deployment's key prefix.
    pub bus: Bus,
    pub key_prefix: String,
}

impl AppState {
    pub async fn db(&self) -> Result<shared::db::Client, shared::ApiError> {
        shared::db::connection(&self.pool).await
    }

    /// Tells every service that these sessions of `user` ended, so that their access tokens
    /// stop working everywhere and their websockets close. The sessions have already ended
    /// here; if the announcement fails it is logged, and other services then accept the
    /// tokens until they expire (minutes), as before announcements existed.
    pub async fn announce_ended(&self, user: Uuid, sessions: Vec<Uuid>) {
        if sessions.is_empty() {
            return;
        }
        let ended = SessionsEnded::new(user, sessions, self.tokens.access_ttl);
        if let Err(err) = revocation::announce(&self.bus, &self.key_prefix, &ended).await {
            log::error!(
                "could not announce {} ended sessions of user {user}: {err:#}",
                ended.sessions.len()
            );
        }
    }
}
