//! Records each member's attempt in the history service when a session ends. History stores
//! one attempt per (room, user) however often it is told, so retries and two processes
//! racing to record are both safe.

use anyhow::Context;
use serde::de::IgnoredAny;
use shared::client::InternalClient;
use shared::contract::{AttemptRecord, Room, SessionEnding};
use shared::request_id::RequestId;

#[derive(Clone)]
pub struct History {
    client: InternalClient,
}

impl History {
    pub fn new(client: InternalClient) -> Self {
        Self { client }
    }

    /// Records the attempt of every member; `Err` names the first member that could not be
    /// recorded (after the client's retries).
    pub async fn record(
        &self,
        room: &Room,
        ending: &SessionEnding,
        request_id: &RequestId,
    ) -> anyhow::Result<()> {
        for record in AttemptRecord::for_members(room, ending) {
            self.client
                .post::<_, IgnoredAny>(
                    "/history-service-api/internal/attempts",
                    Some(&record),
                    request_id,
                )
                .await
                .with_context(|| format!("record the attempt of {}", record.user_id))?;
        }
        log::info!(
            "request_id={} recorded room {} as {}",
            request_id.0,
            room.id,
            ending.outcome.as_str()
        );
        Ok(())
    }
}
