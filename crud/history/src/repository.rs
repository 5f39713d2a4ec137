//! SQL for the `attempts` table.

use anyhow::Context;
use chrono::NaiveDate;
use shared::db::GenericClient;
use shared::difficulty::Difficulty;
use tokio_postgres::Row;
use uuid::Uuid;

use crate::attempt::{
    self, Attempt, AttemptRecord, AttemptSummary, Outcome, PublicProfile, QuestionSnapshot,
};

const SUMMARY_COLUMNS: &str = "id, room_id, user_id, peer_id, peer_username, question_id, question_title, \
     question_difficulty, question_topics, language, started_at, ended_at, duration_secs, outcome";

fn question(row: &Row) -> anyhow::Result<QuestionSnapshot> {
    let difficulty: String = row.try_get("question_difficulty")?;
    Ok(QuestionSnapshot {
        id: row.try_get("question_id")?,
        title: row.try_get("question_title")?,
        difficulty: difficulty
            .parse::<Difficulty>()
            .map_err(anyhow::Error::msg)?,
        topics: row.try_get("question_topics")?,
    })
}

fn peer(row: &Row) -> anyhow::Result<Option<PublicProfile>> {
    let id: Option<Uuid> = row.try_get("peer_id")?;
    let username: Option<String> = row.try_get("peer_username")?;
    Ok(id.map(|id| PublicProfile {
        id,
        username: username.unwrap_or_default(),
    }))
}

fn summary(row: &Row) -> anyhow::Result<AttemptSummary> {
    let outcome: String = row.try_get("outcome")?;
    Ok(AttemptSummary {
        id: row.try_get("id")?,
        room_id: row.try_get("room_id")?,
        peer: peer(row)?,
        question: question(row)?,
        language: row.try_get("language")?,
        started_at: row.try_get("started_at")?,
        ended_at: row.try_get("ended_at")?,
        duration_secs: row.try_get("duration_secs")?,
        outcome: Outcome::parse(&outcome)
            .with_context(|| format!("an attempt with outcome `{outcome}`"))?,
    })
}

fn attempt(row: &Row) -> anyhow::Result<Attempt> {
    let summary = summary(row)?;
    Ok(Attempt {
        id: summary.id,
        room_id: summary.room_id,
        user_id: row.try_get("user_id")?,
        peer: summary.peer,
        question: summary.question,
        language: summary.language,
        code: row.try_get("code")?,
        started_at: summary.started_at,
        ended_at: summary.ended_at,
        duration_secs: summary.duration_secs,
        outcome: summary.outcome,
        recorded_at: row.try_get("recorded_at")?,
    })
}

/// Stores the attempt unless this (room, user) already has one. Returns the stored attempt
/// and whether it was created by this call.
pub async fn record(
    db: &impl GenericClient,
    record: &AttemptRecord,
) -> anyhow::Result<(Attempt, bool)> {
    let peer_id = record.peer.as_ref().map(|peer| peer.id);
    let peer_username = record.peer.as_ref().map(|peer| peer.username.trim());
    let inserted = db
        .query_opt(
            &format!(
                "INSERT INTO attempts (id, room_id, user_id, peer_id, peer_username, question_id, \
                 question_title, question_difficulty, question_topics, language, code, started_at, \
                 ended_at, duration_secs, outcome) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
                 ON CONFLICT ON CONSTRAINT attempts_room_user_key DO NOTHING \
                 RETURNING {SUMMARY_COLUMNS}, code, recorded_at"
            ),
            &[
                &Uuid::new_v4(),
                &record.room_id,
                &record.user_id,
                &peer_id,
                &peer_username,
                &record.question.id,
                &record.question.title.trim(),
                &record.question.difficulty.as_str(),
                &record.question.topics,
                &record.language,
                &record.code,
                &record.started_at,
                &record.ended_at,
                &attempt::duration_secs(record),
                &record.outcome.as_str(),
            ],
        )
        .await
        .context("insert attempt")?;
    if let Some(row) = inserted {
        return Ok((attempt(&row)?, true));
    }
    let row = db
        .query_one(
            &format!(
                "SELECT {SUMMARY_COLUMNS}, code, recorded_at FROM attempts WHERE room_id = $1 AND user_id = $2"
            ),
            &[&record.room_id, &record.user_id],
        )
        .await
        .context("read the attempt already recorded")?;
    Ok((attempt(&row)?, false))
}

pub async fn find(db: &impl GenericClient, id: Uuid) -> anyhow::Result<Option<Attempt>> {
    let row = db
        .query_opt(
            &format!("SELECT {SUMMARY_COLUMNS}, code, recorded_at FROM attempts WHERE id = $1"),
            &[&id],
        )
        .await
        .context("find attempt")?;
    row.map(|row| attempt(&row)).transpose()
}

pub struct ListFilter {
    pub user_id: Uuid,
    pub difficulty: Option<Difficulty>,
    pub topic: Option<String>,
    pub outcome: Option<Outcome>,
    pub language: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

const FILTER: &str = "user_id = $1 AND ($2::text IS NULL OR question_difficulty = $2) \
     AND ($3::text IS NULL OR $3 = ANY(question_topics)) AND ($4::text IS NULL OR outcome = $4) \
     AND ($5::text IS NULL OR language = $5)";

/// The user's attempts, newest first.
pub async fn list(
    db: &impl GenericClient,
    filter: &ListFilter,
) -> anyhow::Result<(Vec<AttemptSummary>, i64)> {
    let difficulty = filter.difficulty.map(Difficulty::as_str);
    let outcome = filter.outcome.map(Outcome::as_str);
    let params: [&(dyn tokio_postgres::types::ToSql + Sync); 5] = [
        &filter.user_id,
        &difficulty,
        &filter.topic,
        &outcome,
        &filter.language,
    ];
    let mut with_paging: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = params.to_vec();
    with_paging.push(&filter.limit);
    with_paging.push(&filter.offset);
    let rows = db
        .query(
            &format!(
                "SELECT {SUMMARY_COLUMNS} FROM attempts WHERE {FILTER} \
                 ORDER BY ended_at DESC, id LIMIT $6 OFFSET $7"
            ),
            &with_paging,
        )
        .await
        .context("list attempts")?;
    let total: i64 = db
        .query_one(
            &format!("SELECT count(*) FROM attempts WHERE {FILTER}"),
            &params,
        )
        .await
        .context("count attempts")?
        .try_get(0)?;
    let items = rows.iter().map(summary).collect::<anyhow::Result<_>>()?;
    Ok((items, total))
}

pub struct Totals {
    pub attempts: i64,
    pub completed: i64,
    pub abandoned: i64,
    pub duration_secs: i64,
    pub last_attempt_at: Option<chrono::DateTime<chrono::Utc>>,
}

pub async fn totals(db: &impl GenericClient, user_id: Uuid) -> anyhow::Result<Totals> {
    let row = db
        .query_one(
            "SELECT count(*), count(*) FILTER (WHERE outcome = 'completed'), \
             count(*) FILTER (WHERE outcome = 'abandoned'), COALESCE(sum(duration_secs), 0)::bigint, \
             max(ended_at) FROM attempts WHERE user_id = $1",
            &[&user_id],
        )
        .await
        .context("attempt totals")?;
    Ok(Totals {
        attempts: row.try_get(0)?,
        completed: row.try_get(1)?,
        abandoned: row.try_get(2)?,
        duration_secs: row.try_get(3)?,
        last_attempt_at: row.try_get(4)?,
    })
}

/// `(difficulty, attempts)` for each difficulty the user has attempted.
pub async fn by_difficulty(
    db: &impl GenericClient,
    user_id: Uuid,
) -> anyhow::Result<Vec<(String, i64)>> {
    let rows = db
        .query(
            "SELECT question_difficulty, count(*) FROM attempts WHERE user_id = $1 GROUP BY 1",
            &[&user_id],
        )
        .await
        .context("attempts by difficulty")?;
    rows.iter()
        .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
        .collect()
}

/// `(topic, attempts)`, most attempted first.
pub async fn by_topic(
    db: &impl GenericClient,
    user_id: Uuid,
) -> anyhow::Result<Vec<(String, i64)>> {
    let rows = db
        .query(
            "SELECT topic, count(*) FROM attempts, unnest(question_topics) AS topic \
             WHERE user_id = $1 GROUP BY topic ORDER BY count(*) DESC, topic",
            &[&user_id],
        )
        .await
        .context("attempts by topic")?;
    rows.iter()
        .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
        .collect()
}

/// The distinct days (UTC) on which the user finished an attempt, oldest first.
pub async fn active_days(db: &impl GenericClient, user_id: Uuid) -> anyhow::Result<Vec<NaiveDate>> {
    let rows = db
        .query(
            "SELECT DISTINCT (ended_at AT TIME ZONE 'UTC')::date FROM attempts WHERE user_id = $1 ORDER BY 1",
            &[&user_id],
        )
        .await
        .context("active days")?;
    rows.iter().map(|row| Ok(row.try_get(0)?)).collect()
}

/// The distinct questions the user has attempted.
pub async fn attempted_questions(
    db: &impl GenericClient,
    user_id: Uuid,
) -> anyhow::Result<Vec<Uuid>> {
    let rows = db
        .query(
            "SELECT DISTINCT question_id FROM attempts WHERE user_id = $1",
            &[&user_id],
        )
        .await
        .context("attempted questions")?;
    rows.iter().map(|row| Ok(row.try_get(0)?)).collect()
}
