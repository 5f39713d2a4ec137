//! The transcript in `chat_db`: every message of every room, kept for good. Written in
//! batches from the live log (idempotent: a message already there is left as it is), read
//! by members and the history page, newest first.

use anyhow::Context;
use chrono::{DateTime, Utc};
use shared::contract::PublicProfile;
use shared::db::GenericClient;
use tokio_postgres::Row;
use uuid::Uuid;

use crate::protocol::ChatMessage;

fn message(row: &Row) -> anyhow::Result<ChatMessage> {
    let id: i64 = row.try_get("id")?;
    Ok(ChatMessage {
        id: u64::try_from(id).context("a negative message id")?,
        client_id: row.try_get("client_id")?,
        sender: PublicProfile {
            id: row.try_get("sender_id")?,
            username: row.try_get("sender_username")?,
        },
        text: row.try_get("text")?,
        sent_at: row.try_get::<_, DateTime<Utc>>("sent_at")?,
    })
}

fn signed(id: u64) -> i64 {
    i64::try_from(id).unwrap_or(i64::MAX)
}

/// Stores the messages the transcript does not have yet; returns how many were new.
pub async fn insert(
    db: &impl GenericClient,
    room: Uuid,
    messages: &[ChatMessage],
) -> anyhow::Result<u64> {
    if messages.is_empty() {
        return Ok(0);
    }
    let ids: Vec<i64> = messages.iter().map(|m| signed(m.id)).collect();
    let client_ids: Vec<&str> = messages.iter().map(|m| m.client_id.as_str()).collect();
    let senders: Vec<Uuid> = messages.iter().map(|m| m.sender.id).collect();
    let names: Vec<&str> = messages
        .iter()
        .map(|m| m.sender.username.as_str())
        .collect();
    let texts: Vec<&str> = messages.iter().map(|m| m.text.as_str()).collect();
    let times: Vec<DateTime<Utc>> = messages.iter().map(|m| m.sent_at).collect();
    let inserted = db
        .execute(
            "INSERT INTO messages (room_id, id, client_id, sender_id, sender_username, text, sent_at) \
             SELECT $1, * FROM UNNEST($2::bigint[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::timestamptz[]) \
             ON CONFLICT (room_id, id) DO NOTHING",
            &[&room, &ids, &client_ids, &senders, &names, &texts, &times],
        )
        .await
        .with_context(|| format!("store the transcript of room {room}"))?;
    Ok(inserted)
}

/// The room's newest id in the transcript (0 when it has none).
pub async fn last_id(db: &impl GenericClient, room: Uuid) -> anyhow::Result<u64> {
    let row = db
        .query_one(
            "SELECT COALESCE(max(id), 0) FROM messages WHERE room_id = $1",
            &[&room],
        )
        .await
        .context("read the transcript's last id")?;
    let id: i64 = row.try_get(0)?;
    Ok(u64::try_from(id).unwrap_or(0))
}

/// Up to `limit` messages before `before` (or the newest), newest first.
pub async fn page(
    db: &impl GenericClient,
    room: Uuid,
    before: Option<u64>,
    limit: u32,
) -> anyhow::Result<Vec<ChatMessage>> {
    let rows = db
        .query(
            "SELECT * FROM messages WHERE room_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
            &[&room, &before.map_or(i64::MAX, signed), &i64::from(limit)],
        )
        .await
        .context("read a page of the transcript")?;
    rows.iter().map(message).collect()
}

/// The messages with `after < id < before`, oldest first.
pub async fn between(
    db: &impl GenericClient,
    room: Uuid,
    after: u64,
    before: u64,
) -> anyhow::Result<Vec<ChatMessage>> {
    let rows = db
        .query(
            "SELECT * FROM messages WHERE room_id = $1 AND id > $2 AND id < $3 ORDER BY id",
            &[&room, &signed(after), &signed(before)],
        )
        .await
        .context("read the transcript")?;
    rows.iter().map(message).collect()
}
