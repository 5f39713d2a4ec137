//! The first admin comes from configuration (`ADMIN_EMAIL`, `ADMIN_USERNAME`,
//! `ADMIN_PASSWORD`): created at start-up if missing, promoted if the email already exists.

use shared::config::ExposeSecret;
use shared::db::PgPool;

use crate::password::PasswordHasher;
use crate::repository::users;
use crate::settings::AdminAccount;

pub async fn ensure_admin(
    pool: &PgPool,
    hasher: &PasswordHasher,
    admin: &AdminAccount,
) -> anyhow::Result<()> {
    let db = pool.get().await?;
    if users::promote_to_admin(&db, &admin.email).await? {
        log::info!("admin account {} is present", admin.email);
        return Ok(());
    }
    let hash = hasher
        .hash(admin.password.expose_secret().to_owned())
        .await?;
    users::ensure_admin(&db, &admin.email, &admin.username, &hash).await?;
    log::info!("created admin account {} from configuration", admin.email);
    Ok(())
}
