//! The first admin comes from configuration (`ADMIN_EMAIL`, `ADMIN_USERNAME`,
//! `ADMIN_PASSWORD`): created at start-up when the service has no admin at all. An existing
//! account is never promoted by its email (emails are not verified, so anyone could have
//! taken the address); when the email or username is taken, the start stops and says so.

use anyhow::Context;
use shared::config::ExposeSecret;
use shared::db::PgPool;

use crate::password::PasswordHasher;
use crate::repository::users::{self, NewUser, WriteUserError};
use crate::settings::AdminAccount;

pub async fn ensure_admin(
    pool: &PgPool,
    hasher: &PasswordHasher,
    admin: &AdminAccount,
) -> anyhow::Result<()> {
    let db = pool.get().await?;
    if users::any_admin(&db).await? {
        log::info!("an admin exists; ADMIN_EMAIL is not used");
        return Ok(());
    }
    let hash = hasher
        .hash(admin.password.expose_secret().to_owned())
        .await?;
    let new = NewUser {
        email: &admin.email,
        username: &admin.username,
        password_hash: &hash,
        role: shared::auth::Role::Admin,
    };
    match users::insert(&db, new).await {
        Ok(user) => {
            log::info!(
                "created admin account {} ({}) from configuration",
                user.id,
                user.username
            );
            Ok(())
        }
        // Another task starting at the same moment created it first.
        Err(WriteUserError::EmailTaken | WriteUserError::UsernameTaken)
            if users::any_admin(&db).await? =>
        {
            Ok(())
        }
        Err(WriteUserError::EmailTaken) => anyhow::bail!(
            "ADMIN_EMAIL belongs to an existing account, which is not promoted automatically: \
             choose another ADMIN_EMAIL"
        ),
        Err(WriteUserError::UsernameTaken) => {
            anyhow::bail!("ADMIN_USERNAME {} is taken: choose another", admin.username)
        }
        Err(WriteUserError::Unexpected(err)) => Err(err).context("create the admin"),
    }
}
