//! Records each member's attempt in the history service when a session ends. History stores
//! one attempt per (room, user) however often it is told, so retries and two processes
//! racing to record are both safe.
//!
//! History's answer decides what happens next: recorded; *refused* for good (400, 413 or
//! 422: the record itself is wrong, and sending it again would be refused again, so it is
//! logged as failed and the session settles without it); or *unavailable* (no answer, a
//! 5xx, or a 401/403/404/429 that says the call, not the record, went wrong: a wrong token
//! or a deploy in progress), which is tried again later.

use serde::de::IgnoredAny;
use shared::client::{CallError, InternalClient};
use shared::contract::{AttemptRecord, Room, SessionEnding};
use shared::request_id::RequestId;

/// Where attempts are recorded (an internal route, at the service's root).
const RECORD_PATH: &str = "/internal/attempts";

/// Why a session's attempts were not all recorded.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// History refused a record for good; retrying cannot help.
    #[error("history refused the attempt of {user}: {cause}")]
    Refused { user: uuid::Uuid, cause: CallError },
    /// History could not be reached or answered; a later try may work.
    #[error("history is unavailable for the attempt of {user}: {cause}")]
    Unavailable { user: uuid::Uuid, cause: CallError },
}

/// Whether a failed call is history's verdict on the record itself.
fn refused_for_good(err: &CallError) -> bool {
    matches!(
        err,
        CallError::Refused {
            status: 400 | 413 | 422,
            ..
        }
    )
}

#[derive(Clone)]
pub struct History {
    client: InternalClient,
}

impl History {
    pub fn new(client: InternalClient) -> Self {
        Self { client }
    }

    /// Records the attempt of every member (each one is tried, whatever became of the
    /// other). `Err` is [`RecordError::Unavailable`] if any member's could not be recorded
    /// now, else [`RecordError::Refused`] if history refused one.
    pub async fn record(
        &self,
        room: &Room,
        ending: &SessionEnding,
        request_id: &RequestId,
    ) -> Result<(), RecordError> {
        let mut failed = None;
        for record in AttemptRecord::for_members(room, ending) {
            let user = record.user_id;
            let Err(cause) = self
                .client
                .post::<_, IgnoredAny>(RECORD_PATH, Some(&record), request_id)
                .await
            else {
                continue;
            };
            let error = if refused_for_good(&cause) {
                RecordError::Refused { user, cause }
            } else {
                RecordError::Unavailable { user, cause }
            };
            if !matches!(failed, Some(RecordError::Unavailable { .. })) {
                failed = Some(error);
            }
        }
        if let Some(error) = failed {
            return Err(error);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_verdict_on_the_record_is_final() {
        let refused = |status| CallError::Refused {
            status,
            code: String::new(),
        };
        for status in [400, 413, 422] {
            assert!(refused_for_good(&refused(status)), "{status}");
        }
        for status in [401, 403, 404, 429] {
            assert!(!refused_for_good(&refused(status)), "{status}");
        }
        assert!(!refused_for_good(&CallError::Unavailable("down".into())));
    }
}
