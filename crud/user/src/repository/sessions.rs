//! Log-in sessions and their rotating refresh tokens.
//!
//! A session is a refresh-token family. Each refresh marks the presented token used and
//! stores its successor; presenting a used token again means it was stolen or replayed, so
//! the whole session is revoked.

use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use shared::db::{GenericClient, Transaction};
use uuid::Uuid;

use super::users::User;

/// Why a session ended, kept for audit.
#[derive(Debug, Clone, Copy)]
pub enum RevokeReason {
    Logout,
    RefreshTokenReuse,
    PasswordChanged,
    /// An admin was demoted: tokens that say "admin" must not outlive the change.
    Demoted,
}

impl RevokeReason {
    fn as_str(self) -> &'static str {
        match self {
            Self::Logout => "logout",
            Self::RefreshTokenReuse => "refresh_token_reuse",
            Self::PasswordChanged => "password_changed",
            Self::Demoted => "demoted",
        }
    }
}

/// Where a log-in came from, for the user's own records.
pub struct ClientInfo {
    pub user_agent: Option<String>,
    pub ip: Option<String>,
}

fn expiry(ttl: Duration) -> anyhow::Result<DateTime<Utc>> {
    Ok(Utc::now() + chrono::Duration::from_std(ttl).context("ttl out of range")?)
}

/// Starts a session and stores its first refresh token.
pub async fn create(
    tx: &Transaction<'_>,
    user_id: Uuid,
    refresh_hash: &[u8],
    ttl: Duration,
    client: &ClientInfo,
) -> anyhow::Result<Uuid> {
    let id = Uuid::new_v4();
    let expires_at = expiry(ttl)?;
    tx.execute(
        "INSERT INTO sessions (id, user_id, expires_at, user_agent, ip) VALUES ($1, $2, $3, $4, $5)",
        &[&id, &user_id, &expires_at, &client.user_agent, &client.ip],
    )
    .await
    .context("insert session")?;
    insert_refresh_token(tx, id, refresh_hash, expires_at).await?;
    Ok(id)
}

async fn insert_refresh_token(
    db: &impl GenericClient,
    session_id: Uuid,
    hash: &[u8],
    expires_at: DateTime<Utc>,
) -> anyhow::Result<()> {
    db.execute(
        "INSERT INTO refresh_tokens (token_hash, session_id, expires_at) VALUES ($1, $2, $3)",
        &[&hash, &session_id, &expires_at],
    )
    .await
    .context("insert refresh token")?;
    Ok(())
}

pub enum Rotation {
    /// The token was current: its successor is stored.
    Rotated { session_id: Uuid, user_id: Uuid },
    /// The token had already been rotated: the session is now revoked.
    Reused,
    /// Unknown, expired, or its session has ended.
    Invalid,
}

/// Swaps a current refresh token for `next_hash`, or detects reuse. The token row is locked,
/// so two refreshes racing with one token make one rotation and one reuse.
pub async fn rotate(
    tx: &Transaction<'_>,
    presented_hash: &[u8],
    next_hash: &[u8],
) -> anyhow::Result<Rotation> {
    let row = tx
        .query_opt(
            "SELECT t.session_id, t.used_at, t.expires_at, s.user_id, s.revoked_at, s.expires_at \
             FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id \
             WHERE t.token_hash = $1 FOR UPDATE OF t, s",
            &[&presented_hash],
        )
        .await
        .context("find refresh token")?;
    let Some(row) = row else {
        return Ok(Rotation::Invalid);
    };
    let session_id: Uuid = row.try_get(0)?;
    let used_at: Option<DateTime<Utc>> = row.try_get(1)?;
    let token_expires: DateTime<Utc> = row.try_get(2)?;
    let user_id: Uuid = row.try_get(3)?;
    let revoked_at: Option<DateTime<Utc>> = row.try_get(4)?;
    let session_expires: DateTime<Utc> = row.try_get(5)?;

    if revoked_at.is_some() {
        return Ok(Rotation::Invalid);
    }
    if used_at.is_some() {
        revoke(tx, session_id, RevokeReason::RefreshTokenReuse).await?;
        return Ok(Rotation::Reused);
    }
    let now = Utc::now();
    if token_expires <= now || session_expires <= now {
        return Ok(Rotation::Invalid);
    }
    tx.execute(
        "UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1",
        &[&presented_hash],
    )
    .await
    .context("mark refresh token used")?;
    tx.execute(
        "UPDATE sessions SET last_used_at = now() WHERE id = $1",
        &[&session_id],
    )
    .await
    .context("touch session")?;
    insert_refresh_token(tx, session_id, next_hash, session_expires).await?;
    Ok(Rotation::Rotated {
        session_id,
        user_id,
    })
}

/// The session a refresh token belongs to, if that session is still live.
pub async fn live_session_of_refresh_token(
    db: &impl GenericClient,
    hash: &[u8],
) -> anyhow::Result<Option<Uuid>> {
    let row = db
        .query_opt(
            "SELECT s.id FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id \
             WHERE t.token_hash = $1 AND s.revoked_at IS NULL",
            &[&hash],
        )
        .await
        .context("find session of refresh token")?;
    Ok(row.map(|row| row.get(0)))
}

pub async fn revoke(
    db: &impl GenericClient,
    session_id: Uuid,
    reason: RevokeReason,
) -> anyhow::Result<()> {
    db.execute(
        "UPDATE sessions SET revoked_at = now(), revoked_reason = $2 \
         WHERE id = $1 AND revoked_at IS NULL",
        &[&session_id, &reason.as_str()],
    )
    .await
    .context("revoke session")?;
    Ok(())
}

/// Ends every live session of the user.
pub async fn revoke_all(
    db: &impl GenericClient,
    user_id: Uuid,
    reason: RevokeReason,
) -> anyhow::Result<u64> {
    revoke_all_except(db, user_id, Uuid::nil(), reason).await
}

/// Ends every live session of the user but `keep`.
pub async fn revoke_all_except(
    db: &impl GenericClient,
    user_id: Uuid,
    keep: Uuid,
    reason: RevokeReason,
) -> anyhow::Result<u64> {
    db.execute(
        "UPDATE sessions SET revoked_at = now(), revoked_reason = $3 \
         WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL",
        &[&user_id, &keep, &reason.as_str()],
    )
    .await
    .context("revoke other sessions")
}

/// The account behind a live session, as it is now (role changes apply at once).
pub async fn live_user(
    db: &impl GenericClient,
    session_id: Uuid,
    user_id: Uuid,
) -> anyhow::Result<Option<User>> {
    let row = db
        .query_opt(
            "SELECT u.id FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND s.expires_at > now()",
            &[&session_id, &user_id],
        )
        .await
        .context("find live session")?;
    match row {
        Some(_) => Ok(super::users::find_with_hash(db, user_id)
            .await?
            .map(|(user, _)| user)),
        None => Ok(None),
    }
}
