//! Attempts per subject, for rate limiting: failed log-ins (`account:<email>`,
//! `address:<ip>`, `account-address:<email> <ip>`) and sign-ups (`signup:<ip>`). Subjects
//! hold emails: they are keys for the database, never for the log (see `rate_limit`).

use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use shared::db::GenericClient;

/// How many failures the subject has had within `window`, and when the oldest of them was.
pub async fn recent(
    db: &impl GenericClient,
    subject: &str,
    window: Duration,
) -> anyhow::Result<(u32, Option<DateTime<Utc>>)> {
    let since = Utc::now() - chrono::Duration::from_std(window).context("window")?;
    let row = db
        .query_one(
            "SELECT count(*), min(failed_at) FROM login_failures WHERE subject = $1 AND failed_at > $2",
            &[&subject, &since],
        )
        .await
        .context("count login failures")?;
    let count: i64 = row.try_get(0)?;
    Ok((u32::try_from(count).unwrap_or(u32::MAX), row.try_get(1)?))
}

/// Records an attempt for each subject *before* the password is checked, so that attempts
/// running at the same time count each other (a success or a refusal takes its rows back
/// with [`forget`]). Also forgets the subjects' failures older than `window`.
pub async fn record(
    db: &impl GenericClient,
    subjects: &[&str],
    window: Duration,
) -> anyhow::Result<Vec<i64>> {
    let since = Utc::now() - chrono::Duration::from_std(window).context("window")?;
    let mut ids = Vec::new();
    for subject in subjects {
        db.execute(
            "DELETE FROM login_failures WHERE subject = $1 AND failed_at <= $2",
            &[subject, &since],
        )
        .await
        .context("forget old login failures")?;
        let row = db
            .query_one(
                "INSERT INTO login_failures (subject) VALUES ($1) RETURNING id",
                &[subject],
            )
            .await
            .context("record login attempt")?;
        ids.push(row.try_get(0)?);
    }
    Ok(ids)
}

/// Takes back attempts recorded by [`record`].
pub async fn forget(db: &impl GenericClient, ids: &[i64]) -> anyhow::Result<()> {
    db.execute("DELETE FROM login_failures WHERE id = ANY($1)", &[&ids])
        .await
        .context("take back login attempts")?;
    Ok(())
}

pub async fn clear(db: &impl GenericClient, subject: &str) -> anyhow::Result<()> {
    db.execute("DELETE FROM login_failures WHERE subject = $1", &[&subject])
        .await
        .context("clear login failures")?;
    Ok(())
}

/// Deletes attempts older than `window`: they no longer count towards any limit.
pub async fn purge_older_than(db: &impl GenericClient, window: Duration) -> anyhow::Result<u64> {
    let since = Utc::now() - chrono::Duration::from_std(window).context("window")?;
    db.execute(
        "DELETE FROM login_failures WHERE failed_at <= $1",
        &[&since],
    )
    .await
    .context("purge old login failures")
}
