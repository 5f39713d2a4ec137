//! Rooms belong to the matching service; this service asks it who a room's members are.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use shared::auth::ServiceToken;
use shared::difficulty::Difficulty;
use shared::openapi::SERVICE_TOKEN_HEADER;
use uuid::Uuid;

const CALL_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Member {
    pub id: Uuid,
    pub username: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct QuestionBrief {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub difficulty: Difficulty,
    pub topics: Vec<String>,
}

/// A room as matching made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RoomInfo {
    pub id: Uuid,
    pub members: Vec<Member>,
    pub question: QuestionBrief,
    /// The language the room started with.
    pub language: String,
    pub created_at: DateTime<Utc>,
}

impl RoomInfo {
    pub fn has_member(&self, user: Uuid) -> bool {
        self.members.iter().any(|member| member.id == user)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LookupError {
    #[error("no such room")]
    NotFound,
    #[error("the matching service is unavailable: {0}")]
    Unavailable(String),
}

/// The room, from `GET <matching>/matching-service-api/internal/rooms/{id}`.
pub async fn lookup(
    matching_url: &str,
    token: &ServiceToken,
    room: Uuid,
) -> Result<RoomInfo, LookupError> {
    let client = awc::Client::builder().timeout(CALL_TIMEOUT).finish();
    let mut response = client
        .get(format!(
            "{matching_url}/matching-service-api/internal/rooms/{room}"
        ))
        .insert_header((SERVICE_TOKEN_HEADER, token.expose()))
        .send()
        .await
        .map_err(|err| LookupError::Unavailable(err.to_string()))?;
    match response.status().as_u16() {
        200 => response
            .json::<RoomInfo>()
            .await
            .map_err(|err| LookupError::Unavailable(format!("unreadable room: {err}"))),
        404 => Err(LookupError::NotFound),
        status => Err(LookupError::Unavailable(format!("status {status}"))),
    }
}

/// Tells matching the session in this room ended (its room record says so too).
pub async fn mark_ended(
    matching_url: &str,
    token: &ServiceToken,
    room: Uuid,
) -> Result<(), LookupError> {
    let client = awc::Client::builder().timeout(CALL_TIMEOUT).finish();
    let response = client
        .post(format!(
            "{matching_url}/matching-service-api/internal/rooms/{room}/end"
        ))
        .insert_header((SERVICE_TOKEN_HEADER, token.expose()))
        .send()
        .await
        .map_err(|err| LookupError::Unavailable(err.to_string()))?;
    match response.status().as_u16() {
        200 => Ok(()),
        404 => Err(LookupError::NotFound),
        status => Err(LookupError::Unavailable(format!("status {status}"))),
    }
}
