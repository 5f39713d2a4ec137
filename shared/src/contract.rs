//! What PeerPrep's services send each other, defined once and used on both sides of every
//! call, so that a change on one side that the other would not understand fails to compile
//! instead of failing a request in production.
//!
//! | type | from | to |
//! |---|---|---|
//! | [`QuestionBrief`] | question service (`/questions/pick`) | matching; inside [`Room`] |
//! | [`Room`] | matching (`/internal/rooms/{id}`) | collaboration, chat |
//! | [`AttemptRecord`] | collaboration | history (`/internal/attempts`) |
//! | [`QuestionIds`] | history (`/internal/users/{id}/question-ids`) | matching |
//! | [`TopicCount`] | question service (`/topics`) | matching (which topics a join may name) |
//!
//! The `/internal/...` routes are at the root of each service, outside its public prefix
//! (`shared::http::Internal`): the load balancer forwards only the prefixes.
//!
//! [`PublicProfile`] is how one user appears to another everywhere (a room's members, a
//! matched peer, the peer in an attempt).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::difficulty::Difficulty;

/// A user as other users see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicProfile {
    pub id: Uuid,
    pub username: String,
}

/// A question as a room and a match carry it. The question service answers a pick with the
/// whole question; these are the fields the other services read from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct QuestionBrief {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub difficulty: Difficulty,
    pub topics: Vec<String>,
}

/// Whether a room's session is still going.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RoomStatus {
    Active,
    Ended,
}

impl RoomStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Ended => "ended",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "active" => Some(Self::Active),
            "ended" => Some(Self::Ended),
            _ => None,
        }
    }
}

/// A room matching made for two users: who is in it and what they solve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Room {
    pub id: Uuid,
    pub members: Vec<PublicProfile>,
    pub question: QuestionBrief,
    /// The language the room started with.
    pub language: String,
    pub status: RoomStatus,
    pub created_at: DateTime<Utc>,
}

impl Room {
    pub fn has_member(&self, user: Uuid) -> bool {
        self.members.iter().any(|member| member.id == user)
    }

    /// The other member, as `user` sees them.
    pub fn peer_of(&self, user: Uuid) -> Option<&PublicProfile> {
        self.members.iter().find(|member| member.id != user)
    }
}

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// A member ended the session.
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

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "completed" => Some(Self::Completed),
            "abandoned" => Some(Self::Abandoned),
            _ => None,
        }
    }
}

/// The question as it was when an attempt was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionSnapshot {
    pub id: Uuid,
    pub title: String,
    pub difficulty: Difficulty,
    pub topics: Vec<String>,
}

impl From<&QuestionBrief> for QuestionSnapshot {
    fn from(question: &QuestionBrief) -> Self {
        Self {
            id: question.id,
            title: question.title.clone(),
            difficulty: question.difficulty,
            topics: question.topics.clone(),
        }
    }
}

/// One member's attempt, recorded when a session ends (once per room and member, however
/// often it is sent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttemptRecord {
    pub room_id: Uuid,
    pub user_id: Uuid,
    #[serde(default)]
    pub peer: Option<PublicProfile>,
    pub question: QuestionSnapshot,
    pub language: String,
    /// The final code, at most 524,288 characters (what a full editor document holds).
    pub code: String,
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    pub outcome: Outcome,
}

/// How a room's session ended, for the records of its members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionEnding {
    pub code: String,
    pub language: String,
    pub ended_at: DateTime<Utc>,
    pub outcome: Outcome,
}

impl AttemptRecord {
    /// One record per member of the room.
    pub fn for_members(room: &Room, ending: &SessionEnding) -> Vec<Self> {
        room.members
            .iter()
            .map(|member| Self {
                room_id: room.id,
                user_id: member.id,
                peer: room.peer_of(member.id).cloned(),
                question: QuestionSnapshot::from(&room.question),
                language: ending.language.clone(),
                code: ending.code.clone(),
                started_at: room.created_at,
                // Clocks of two services may disagree by a little.
                ended_at: ending.ended_at.max(room.created_at),
                outcome: ending.outcome,
            })
            .collect()
    }
}

/// The questions a user has attempted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionIds {
    pub question_ids: Vec<Uuid>,
}

/// One topic of the question bank, with how many questions it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TopicCount {
    pub topic: String,
    pub count: i64,
    pub easy: i64,
    pub medium: i64,
    pub hard: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn room() -> Room {
        Room {
            id: Uuid::new_v4(),
            members: vec![
                PublicProfile {
                    id: Uuid::new_v4(),
                    username: "ada".into(),
                },
                PublicProfile {
                    id: Uuid::new_v4(),
                    username: "bob".into(),
                },
            ],
            question: QuestionBrief {
                id: Uuid::new_v4(),
                slug: "odd-sums".into(),
                title: "Odd Sums".into(),
                difficulty: Difficulty::Easy,
                topics: vec!["math".into()],
            },
            language: "python".into(),
            status: RoomStatus::Active,
            created_at: Utc::now(),
        }
    }

    #[test]
    fn each_member_gets_a_record_naming_the_other_as_peer() {
        let room = room();
        let ending = SessionEnding {
            code: "print(1)".into(),
            language: "rust".into(),
            ended_at: room.created_at - chrono::Duration::seconds(3),
            outcome: Outcome::Completed,
        };
        let records = AttemptRecord::for_members(&room, &ending);
        assert_eq!(records.len(), 2);
        for (record, peer) in records.iter().zip([&room.members[1], &room.members[0]]) {
            assert_eq!(record.peer.as_ref(), Some(peer));
            assert_eq!(record.language, "rust");
            assert_eq!(record.question.title, "Odd Sums");
            assert_eq!(record.ended_at, room.created_at, "never before the start");
        }
    }

    #[test]
    fn a_question_brief_is_read_from_a_whole_question() {
        let whole = serde_json::json!({
            "id": Uuid::new_v4(), "slug": "s", "title": "T", "difficulty": "hard",
            "topics": ["graphs"], "description": "…", "examples": [], "constraints": []
        });
        let brief: QuestionBrief = serde_json::from_value(whole).expect("brief");
        assert_eq!(brief.difficulty, Difficulty::Hard);
    }

    #[test]
    fn records_with_unknown_fields_are_refused() {
        let room = room();
        let ending = SessionEnding {
            code: String::new(),
            language: "python".into(),
            ended_at: Utc::now(),
            outcome: Outcome::Abandoned,
        };
        let mut value =
            serde_json::to_value(&AttemptRecord::for_members(&room, &ending)[0]).expect("json");
        assert!(serde_json::from_value::<AttemptRecord>(value.clone()).is_ok());
        value["colour"] = "red".into();
        assert!(serde_json::from_value::<AttemptRecord>(value).is_err());
    }

    #[test]
    fn statuses_and_outcomes_read_back_what_they_write() {
        for status in [RoomStatus::Active, RoomStatus::Ended] {
            assert_eq!(RoomStatus::parse(status.as_str()), Some(status));
        }
        for outcome in [Outcome::Completed, Outcome::Abandoned] {
            assert_eq!(Outcome::parse(outcome.as_str()), Some(outcome));
        }
        assert_eq!(Outcome::parse("won"), None);
    }
}
