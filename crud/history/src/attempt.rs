//! What an attempt is, and the rules a recorded attempt must pass. What the collaboration
//! service sends is [`AttemptRecord`], defined once in `shared::contract` for both sides.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
pub use shared::contract::{AttemptRecord, Outcome, PublicProfile, QuestionSnapshot};
use shared::error::FieldErrors;
use uuid::Uuid;

/// Largest final code kept, in characters: whatever the editor allows is accepted. The
/// collaboration service caps a room's whole document at 512 KiB of encoded state
/// (`collaboration::sync::MAX_DOCUMENT_BYTES`), and the code is part of that document at one
/// byte or more a character, so no code an editor could hold is ever longer than this (a
/// test in collaboration checks the two stay aligned). Refusing it would lose the attempt.
pub const MAX_CODE_CHARS: usize = 512 * 1024;
/// Largest record body: the code at up to six bytes a character once JSON-escaped
/// (`\u0001`), and the rest.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;
const MAX_TITLE_CHARS: usize = 200;
const MAX_TOPICS: usize = 10;
const MAX_NAME_CHARS: usize = 64;
/// Clocks differ a little between services; more than this in the future is a mistake.
const CLOCK_SKEW: Duration = Duration::minutes(5);

/// An attempt as its user sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Attempt {
    pub id: Uuid,
    pub room_id: Uuid,
    pub user_id: Uuid,
    pub peer: Option<PublicProfile>,
    pub question: QuestionSnapshot,
    pub language: String,
    pub code: String,
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    pub duration_secs: i64,
    pub outcome: Outcome,
    pub recorded_at: DateTime<Utc>,
}

/// An attempt in a list: everything but the code.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AttemptSummary {
    pub id: Uuid,
    pub room_id: Uuid,
    pub peer: Option<PublicProfile>,
    pub question: QuestionSnapshot,
    pub language: String,
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    pub duration_secs: i64,
    pub outcome: Outcome,
}

/// Every rule a record must pass, at once; `now` is passed in so tests can fix it.
pub fn validate(record: &AttemptRecord, now: DateTime<Utc>) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::default();
    if !shared::language::is_supported(&record.language) {
        errors.add(
            "language",
            format!("must be one of {}", shared::language::LANGUAGES.join(", ")),
        );
    }
    if record.code.chars().count() > MAX_CODE_CHARS {
        errors.add(
            "code",
            format!("must be at most {MAX_CODE_CHARS} characters"),
        );
    }
    if record.ended_at < record.started_at {
        errors.add("ended_at", "must not be before started_at");
    }
    if record.ended_at > now + CLOCK_SKEW {
        errors.add("ended_at", "must not be in the future");
    }
    let title = record.question.title.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS {
        errors.add(
            "question.title",
            format!("must be 1 to {MAX_TITLE_CHARS} characters"),
        );
    }
    if record.question.topics.len() > MAX_TOPICS {
        errors.add(
            "question.topics",
            format!("must hold at most {MAX_TOPICS} topics"),
        );
    }
    if record
        .question
        .topics
        .iter()
        .any(|t| t.trim().is_empty() || t.chars().count() > MAX_NAME_CHARS)
    {
        errors.add(
            "question.topics",
            format!("topics must be 1 to {MAX_NAME_CHARS} characters"),
        );
    }
    if let Some(peer) = &record.peer {
        if peer.id == record.user_id {
            errors.add("peer.id", "must not be the user themself");
        }
        let name = peer.username.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
            errors.add(
                "peer.username",
                format!("must be 1 to {MAX_NAME_CHARS} characters"),
            );
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The record's duration in whole seconds (never negative).
pub fn duration_secs(record: &AttemptRecord) -> i64 {
    (record.ended_at - record.started_at).num_seconds().max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    use shared::difficulty::Difficulty;

    fn record() -> AttemptRecord {
        let now = Utc::now();
        AttemptRecord {
            room_id: Uuid::new_v4(),
            user_id: Uuid::new_v4(),
            peer: Some(PublicProfile {
                id: Uuid::new_v4(),
                username: "grace".into(),
            }),
            question: QuestionSnapshot {
                id: Uuid::new_v4(),
                title: "Odd Sums".into(),
                difficulty: Difficulty::Easy,
                topics: vec!["math".into()],
            },
            language: "python".into(),
            code: "print(1)".into(),
            started_at: now - Duration::minutes(30),
            ended_at: now,
            outcome: Outcome::Completed,
        }
    }

    #[test]
    fn a_sound_record_passes_and_knows_its_duration() {
        let record = record();
        assert!(validate(&record, Utc::now()).is_ok());
        assert_eq!(duration_secs(&record), 1800);
    }

    #[test]
    fn every_broken_rule_is_named() {
        let mut bad = record();
        bad.language = "cobol".into();
        bad.ended_at = bad.started_at - Duration::seconds(1);
        bad.question.title = " ".into();
        if let Some(peer) = bad.peer.as_mut() {
            peer.id = bad.user_id;
        }
        let text = format!("{:?}", validate(&bad, Utc::now()).expect_err("invalid"));
        for field in ["language", "ended_at", "question.title", "peer.id"] {
            assert!(text.contains(field), "{field}: {text}");
        }
    }

    #[test]
    fn code_as_long_as_a_full_editor_document_is_accepted_and_longer_is_named() {
        let mut long = record();
        long.code = "x".repeat(MAX_CODE_CHARS);
        assert!(validate(&long, Utc::now()).is_ok());
        // 250,000 characters (refused before) are far from the limit.
        long.code = "é".repeat(250_000);
        assert!(validate(&long, Utc::now()).is_ok());
        long.code = "x".repeat(MAX_CODE_CHARS + 1);
        let text = format!("{:?}", validate(&long, Utc::now()).expect_err("too long"));
        assert!(text.contains("code"), "{text}");
    }

    #[test]
    fn attempts_from_the_future_are_refused() {
        let mut bad = record();
        bad.ended_at = Utc::now() + Duration::hours(1);
        assert!(validate(&bad, Utc::now()).is_err());
    }
}
