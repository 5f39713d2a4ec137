//! What an attempt is, and the rules a recorded attempt must pass.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use shared::difficulty::Difficulty;
use shared::error::FieldErrors;
use uuid::Uuid;

/// Largest final code kept, in characters.
pub const MAX_CODE_CHARS: usize = 200_000;
/// Largest record body: the code at four bytes a character, escaped, and the rest.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
const MAX_TITLE_CHARS: usize = 200;
const MAX_TOPICS: usize = 10;
const MAX_NAME_CHARS: usize = 64;
/// Clocks differ a little between services; more than this in the future is a mistake.
const CLOCK_SKEW: Duration = Duration::minutes(5);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// The session ended with both members done.
    Completed,
    /// The members left without ending it.
    Abandoned,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Completed => "completed",
            Self::Abandoned => "abandoned",
        }
    }

    pub fn parse(value: &str) -> anyhow::Result<Self> {
        match value {
            "completed" => Ok(Self::Completed),
            "abandoned" => Ok(Self::Abandoned),
            other => anyhow::bail!("unknown outcome {other}"),
        }
    }
}

/// The question as it was when the attempt was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionSnapshot {
    pub id: Uuid,
    pub title: String,
    pub difficulty: Difficulty,
    pub topics: Vec<String>,
}

/// The other member of the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Peer {
    pub id: Uuid,
    pub username: String,
}

/// What the collaboration service sends when a session ends, once per member.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordAttempt {
    pub room_id: Uuid,
    pub user_id: Uuid,
    #[serde(default)]
    pub peer: Option<Peer>,
    pub question: QuestionSnapshot,
    pub language: String,
    /// The final code, at most 200 000 characters.
    pub code: String,
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    pub outcome: Outcome,
}

/// An attempt as its user sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Attempt {
    pub id: Uuid,
    pub room_id: Uuid,
    pub user_id: Uuid,
    pub peer: Option<Peer>,
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
    pub peer: Option<Peer>,
    pub question: QuestionSnapshot,
    pub language: String,
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    pub duration_secs: i64,
    pub outcome: Outcome,
}

impl RecordAttempt {
    /// Every rule at once; `now` is passed in so tests can fix it.
    pub fn validate(&self, now: DateTime<Utc>) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        if !shared::language::is_supported(&self.language) {
            errors.add(
                "language",
                format!("must be one of {}", shared::language::LANGUAGES.join(", ")),
            );
        }
        if self.code.chars().count() > MAX_CODE_CHARS {
            errors.add(
                "code",
                format!("must be at most {MAX_CODE_CHARS} characters"),
            );
        }
        if self.ended_at < self.started_at {
            errors.add("ended_at", "must not be before started_at");
        }
        if self.ended_at > now + CLOCK_SKEW {
            errors.add("ended_at", "must not be in the future");
        }
        let title = self.question.title.trim();
        if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS {
            errors.add(
                "question.title",
                format!("must be 1 to {MAX_TITLE_CHARS} characters"),
            );
        }
        if self.question.topics.len() > MAX_TOPICS {
            errors.add(
                "question.topics",
                format!("must hold at most {MAX_TOPICS} topics"),
            );
        }
        if self
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
        if let Some(peer) = &self.peer {
            if peer.id == self.user_id {
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

    pub fn duration_secs(&self) -> i64 {
        (self.ended_at - self.started_at).num_seconds().max(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> RecordAttempt {
        let now = Utc::now();
        RecordAttempt {
            room_id: Uuid::new_v4(),
            user_id: Uuid::new_v4(),
            peer: Some(Peer {
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
        assert!(record.validate(Utc::now()).is_ok());
        assert_eq!(record.duration_secs(), 1800);
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
        let text = format!("{:?}", bad.validate(Utc::now()).expect_err("invalid"));
        for field in ["language", "ended_at", "question.title", "peer.id"] {
            assert!(text.contains(field), "{field}: {text}");
        }
    }

    #[test]
    fn attempts_from_the_future_are_refused() {
        let mut bad = record();
        bad.ended_at = Utc::now() + Duration::hours(1);
        assert!(bad.validate(Utc::now()).is_err());
    }
}
