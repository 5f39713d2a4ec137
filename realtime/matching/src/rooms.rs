//! Rooms in `matching_db`: made at a match, read by members and by the other services.

use anyhow::Context;
use shared::contract::{PublicProfile, QuestionBrief, Room, RoomStatus};
use shared::db::GenericClient;
use tokio_postgres::Row;
use tokio_postgres::types::Json;
use uuid::Uuid;

fn room(row: &Row) -> anyhow::Result<Room> {
    let ids: Vec<Uuid> = row.try_get("member_ids")?;
    let names: Vec<String> = row.try_get("member_names")?;
    let Json(question): Json<QuestionBrief> = row.try_get("question")?;
    let status: String = row.try_get("status")?;
    Ok(Room {
        id: row.try_get("id")?,
        members: ids
            .into_iter()
            .zip(names)
            .map(|(id, username)| PublicProfile { id, username })
            .collect(),
        question,
        language: row.try_get("language")?,
        status: RoomStatus::parse(&status)
            .with_context(|| format!("a room with status `{status}`"))?,
        created_at: row.try_get("created_at")?,
    })
}

pub struct NewRoom<'a> {
    pub members: [&'a PublicProfile; 2],
    pub question: &'a QuestionBrief,
    pub language: &'a str,
}

pub async fn create(db: &impl GenericClient, new: NewRoom<'_>) -> anyhow::Result<Room> {
    let ids: Vec<Uuid> = new.members.iter().map(|m| m.id).collect();
    let names: Vec<&str> = new.members.iter().map(|m| m.username.as_str()).collect();
    let row = db
        .query_one(
            "INSERT INTO rooms (id, member_ids, member_names, question, language) \
             VALUES ($1, $2, $3, $4, $5) RETURNING *",
            &[
                &Uuid::new_v4(),
                &ids,
                &names,
                &Json(new.question),
                &new.language,
            ],
        )
        .await
        .context("create room")?;
    room(&row)
}

pub async fn find(db: &impl GenericClient, id: Uuid) -> anyhow::Result<Option<Room>> {
    let row = db
        .query_opt("SELECT * FROM rooms WHERE id = $1", &[&id])
        .await
        .context("find room")?;
    row.map(|row| room(&row)).transpose()
}

/// Marks the room ended; `false` when there is no such room.
pub async fn end(db: &impl GenericClient, id: Uuid) -> anyhow::Result<bool> {
    let updated = db
        .execute("UPDATE rooms SET status = 'ended' WHERE id = $1", &[&id])
        .await
        .context("end room")?;
    Ok(updated > 0)
}

/// A room for two users with a stand-in question, made by the same code as a match's room:
/// what the other services' tests and the bench start from.
#[cfg(feature = "testing")]
pub async fn for_testing(
    db: &impl GenericClient,
    members: [&PublicProfile; 2],
) -> anyhow::Result<Room> {
    let question = QuestionBrief {
        id: Uuid::new_v4(),
        slug: "odd-sums".into(),
        title: "Odd Sums".into(),
        difficulty: shared::difficulty::Difficulty::Easy,
        topics: vec!["math".into()],
    };
    let new = NewRoom {
        members,
        question: &question,
        language: "python",
    };
    create(db, new).await
}
