//! Records each member's attempt in the history service when a session ends. History stores
//! one attempt per (room, user) however often it is told, so retries and two processes
//! racing to record are both safe.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::json;
use shared::auth::ServiceToken;
use shared::openapi::SERVICE_TOKEN_HEADER;

use crate::rooms::RoomInfo;

const CALL_TIMEOUT: Duration = Duration::from_secs(5);
/// Attempts per member before giving up, and the pause between them (doubling).
const TRIES: u32 = 4;
const FIRST_PAUSE: Duration = Duration::from_millis(200);

/// How the session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Completed,
    Abandoned,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Self::Completed => "completed",
            Self::Abandoned => "abandoned",
        }
    }
}

pub struct Ending<'a> {
    pub room: &'a RoomInfo,
    pub code: &'a str,
    pub language: &'a str,
    pub ended_at: DateTime<Utc>,
    pub outcome: Outcome,
}

/// Records the attempt of every member; `Err` names the first member that could not be
/// recorded after retries.
pub async fn record(
    history_url: &str,
    token: &ServiceToken,
    ending: &Ending<'_>,
) -> anyhow::Result<()> {
    let client = awc::Client::builder().timeout(CALL_TIMEOUT).finish();
    let url = format!("{history_url}/history-service-api/internal/attempts");
    for member in &ending.room.members {
        let peer = ending
            .room
            .members
            .iter()
            .find(|other| other.id != member.id);
        let body = json!({
            "room_id": ending.room.id,
            "user_id": member.id,
            "peer": peer.map(|p| json!({"id": p.id, "username": p.username})),
            "question": {
                "id": ending.room.question.id,
                "title": ending.room.question.title,
                "difficulty": ending.room.question.difficulty,
                "topics": ending.room.question.topics,
            },
            "language": ending.language,
            "code": ending.code,
            "started_at": ending.room.created_at,
            "ended_at": ending.ended_at.max(ending.room.created_at),
            "outcome": ending.outcome.as_str(),
        });
        let mut pause = FIRST_PAUSE;
        let mut last_error = String::new();
        let mut recorded = false;
        for _ in 0..TRIES {
            match client
                .post(&url)
                .insert_header((SERVICE_TOKEN_HEADER, token.expose()))
                .send_json(&body)
                .await
            {
                Ok(response) if response.status().is_success() => {
                    recorded = true;
                    break;
                }
                Ok(response) if response.status().is_client_error() => {
                    anyhow::bail!(
                        "history refused the attempt of {}: status {}",
                        member.id,
                        response.status()
                    );
                }
                Ok(response) => last_error = format!("status {}", response.status()),
                Err(err) => last_error = err.to_string(),
            }
            actix_web::rt::time::sleep(pause).await;
            pause *= 2;
        }
        anyhow::ensure!(
            recorded,
            "could not record the attempt of {}: {last_error}",
            member.id
        );
    }
    log::info!(
        "recorded room {} as {}",
        ending.room.id,
        ending.outcome.as_str()
    );
    Ok(())
}
