//! What the handlers share.

use shared::db::PgPool;

use crate::password::PasswordHasher;
use crate::settings::{CookieSettings, LoginLimits};
use crate::tokens::TokenIssuer;

pub struct AppState {
    pub pool: PgPool,
    pub hasher: PasswordHasher,
    pub tokens: TokenIssuer,
    pub cookies: CookieSettings,
    pub login_limits: LoginLimits,
}

impl AppState {
    pub async fn db(&self) -> Result<shared::db::Client, shared::ApiError> {
        shared::db::connection(&self.pool).await
    }
}
