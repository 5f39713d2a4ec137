//! Log-in sessions and their rotating refresh tokens.
//!
//! A session is a refresh-token family. Each refresh marks the presented token used and
//! stores its successor; presenting a used token again means it was stolen or replayed, so
//! the whole session is revoked, unless it comes within the grace window just after the
//! rotation: two tabs refreshing at once present the same token, and the later one gets the
//! same successor (see `tokens`) instead of ending the session.

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
    /// The user ended all their sessions at once.
    LogoutEverywhere,
    RefreshTokenReuse,
    PasswordChanged,
    /// An admin was demoted: tokens that say "admin" must not outlive the change.
    Demoted,
}

impl RevokeReason {
    fn as_str(self) -> &'static str {
        match self {
            Self::Logout => "logout",
            Self::LogoutEverywhere => "logout_everywhere",
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
    /// The token was current (its successor is now stored), or was rotated to this same
    /// successor within the grace window. `issued_at` is when it was rotated.
    Rotated {
        session_id: Uuid,
        user_id: Uuid,
        issued_at: DateTime<Utc>,
    },
    /// The token had been rotated before the grace window: the session is now revoked.
    Reused { session_id: Uuid, user_id: Uuid },
    /// Unknown, expired, or its session has ended.
    Invalid,
}

/// Swaps a current refresh token for `next_hash` (its successor, always the same for the
/// same token), or detects reuse. The token row is locked, so refreshes racing with one
/// token make one rotation, and the others find it rotated within `grace`.
pub async fn rotate(
    tx: &Transaction<'_>,
    presented_hash: &[u8],
    next_hash: &[u8],
    grace: Duration,
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
    let now = Utc::now();
    let live = token_expires > now && session_expires > now;
    if let Some(used_at) = used_at {
        let grace = chrono::Duration::from_std(grace).context("grace out of range")?;
        if live && now - used_at <= grace {
            // Within the window the token is never taken for a stolen one. Its successor is
            // missing only if the signing key (and so the successor key) changed meanwhile.
            return Ok(if holds_token(tx, session_id, next_hash).await? {
                Rotation::Rotated {
                    session_id,
                    user_id,
                    issued_at: used_at,
                }
            } else {
                Rotation::Invalid
            });
        }
        revoke(tx, session_id, RevokeReason::RefreshTokenReuse).await?;
        return Ok(Rotation::Reused {
            session_id,
            user_id,
        });
    }
    if !live {
        return Ok(Rotation::Invalid);
    }
    let issued_at: DateTime<Utc> = tx
        .query_one(
            "UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1 RETURNING used_at",
            &[&presented_hash],
        )
        .await
        .context("mark refresh token used")?
        .try_get(0)?;
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
        issued_at,
    })
}

/// Whether the session holds this token (a successor made with another key does not match).
async fn holds_token(tx: &Transaction<'_>, session_id: Uuid, hash: &[u8]) -> anyhow::Result<bool> {
    let row = tx
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM refresh_tokens WHERE token_hash = $1 AND session_id = $2)",
            &[&hash, &session_id],
        )
        .await
        .context("find the successor token")?;
    Ok(row.try_get(0)?)
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

/// Ends a session; its user when it was live until now.
pub async fn revoke(
    db: &impl GenericClient,
    session_id: Uuid,
    reason: RevokeReason,
) -> anyhow::Result<Option<Uuid>> {
    let row = db
        .query_opt(
            "UPDATE sessions SET revoked_at = now(), revoked_reason = $2 \
             WHERE id = $1 AND revoked_at IS NULL RETURNING user_id",
            &[&session_id, &reason.as_str()],
        )
        .await
        .context("revoke session")?;
    Ok(row.map(|row| row.get(0)))
}

/// Ends every live session of the user; the ids of those that ended.
pub async fn revoke_all(
    db: &impl GenericClient,
    user_id: Uuid,
    reason: RevokeReason,
) -> anyhow::Result<Vec<Uuid>> {
    revoke_all_except(db, user_id, Uuid::nil(), reason).await
}

/// Ends every live session of the user but `keep`; the ids of those that ended.
pub async fn revoke_all_except(
    db: &impl GenericClient,
    user_id: Uuid,
    keep: Uuid,
    reason: RevokeReason,
) -> anyhow::Result<Vec<Uuid>> {
    let rows = db
        .query(
            "UPDATE sessions SET revoked_at = now(), revoked_reason = $3 \
             WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL RETURNING id",
            &[&user_id, &keep, &reason.as_str()],
        )
        .await
        .context("revoke other sessions")?;
    Ok(rows.iter().map(|row| row.get(0)).collect())
}

/// Whether the account with this email has signed in from `ip` (a session started there
/// that has not yet been purged).
pub async fn signed_in_from(
    db: &impl GenericClient,
    email: &str,
    ip: &str,
) -> anyhow::Result<bool> {
    let row = db
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE u.email = $1 AND s.ip = $2)",
            &[&email, &ip],
        )
        .await
        .context("look for a session from this address")?;
    Ok(row.try_get(0)?)
}

/// Deletes refresh tokens that can no longer be used: expired, or of a session that ended.
/// (Used tokens of live sessions stay: presenting one again must still be seen as reuse.)
pub async fn purge_dead_refresh_tokens(db: &impl GenericClient) -> anyhow::Result<u64> {
    db.execute(
        "DELETE FROM refresh_tokens t USING sessions s WHERE s.id = t.session_id \
         AND (t.expires_at <= now() OR s.expires_at <= now() OR s.revoked_at IS NOT NULL)",
        &[],
    )
    .await
    .context("purge refresh tokens")
}

/// Deletes sessions that ended (revoked or expired) more than `retention` ago.
pub async fn purge_ended(db: &impl GenericClient, retention: Duration) -> anyhow::Result<u64> {
    let before = Utc::now() - chrono::Duration::from_std(retention).context("retention")?;
    db.execute(
        "DELETE FROM sessions WHERE revoked_at < $1 OR expires_at < $1",
        &[&before],
    )
    .await
    .context("purge ended sessions")
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
