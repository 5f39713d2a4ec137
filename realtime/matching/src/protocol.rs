//! The websocket's JSON text frames, each with a `type`.
//!
//! Client: `join`, `cancel`, `ping`. Server: `queued`, `matched`, `timeout`, `cancelled`,
//! `requeued`, `error`, `pong`. See the README for examples.

use serde::{Deserialize, Serialize};
use shared::contract::{PublicProfile, QuestionBrief};
use shared::difficulty::Difficulty;
use toolkit::ws::Outgoing;
use uuid::Uuid;

pub const MAX_TOPICS: usize = 5;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMessage {
    Join(JoinRequest),
    Cancel,
    Ping,
}

/// What a user asks to be matched on.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinRequest {
    /// 1 to 5 topic slugs; a peer must share one (until topics relax).
    pub topics: Vec<String>,
    pub difficulty: Difficulty,
    /// A preferred language for the room.
    #[serde(default)]
    pub language: Option<String>,
    /// Accept a neighbouring difficulty after a while (default true).
    #[serde(default = "yes")]
    pub relax_difficulty: bool,
    /// Accept any topic after a while (default true).
    #[serde(default = "yes")]
    pub relax_topics: bool,
}

fn yes() -> bool {
    true
}

impl JoinRequest {
    /// Lower-cases and de-duplicates the topics; says what is wrong otherwise.
    pub fn validate(mut self) -> Result<Self, String> {
        let mut topics: Vec<String> = Vec::new();
        for topic in &self.topics {
            let topic = topic.trim().to_lowercase();
            let slug = !topic.is_empty()
                && topic.len() <= 40
                && topic.split('-').all(|part| {
                    !part.is_empty()
                        && part
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                });
            if !slug {
                return Err(format!(
                    "`{topic}` is not a topic slug (e.g. `two-pointers`)"
                ));
            }
            if !topics.contains(&topic) {
                topics.push(topic);
            }
        }
        if !(1..=MAX_TOPICS).contains(&topics.len()) {
            return Err(format!("name 1 to {MAX_TOPICS} topics"));
        }
        self.topics = topics;
        if let Some(language) = &self.language
            && !shared::language::is_supported(language)
        {
            return Err(format!(
                "`{language}` is not a supported language ({})",
                shared::language::LANGUAGES.join(", ")
            ));
        }
        Ok(self)
    }
}

/// Parses one text frame; the error says what was wrong, for an `error` reply.
pub fn parse(text: &str) -> Result<ClientMessage, String> {
    let message: ClientMessage =
        serde_json::from_str(text).map_err(|err| format!("unreadable message: {err}"))?;
    match message {
        ClientMessage::Join(request) => request.validate().map(ClientMessage::Join),
        other => Ok(other),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    Queued {
        ticket_id: Uuid,
        /// 1 for the longest-waiting user.
        position: u64,
        /// Users waiting, all criteria together.
        waiting: u64,
        timeout_secs: u64,
        relax_difficulty_after_secs: Option<u64>,
        relax_topics_after_secs: Option<u64>,
    },
    Matched {
        room_id: Uuid,
        peer: PublicProfile,
        question: QuestionBrief,
        language: String,
    },
    /// The search was given up: nobody matched in time.
    Timeout,
    Cancelled {
        /// `requested` (this session cancelled) or `replaced` (a newer session of the
        /// same user joined).
        reason: String,
    },
    /// A match fell through on our side (no question could be fetched); the user is back
    /// in the queue with their place kept.
    Requeued {
        reason: String,
    },
    Error {
        code: String,
        message: String,
        /// With `unknown_topic`: every topic the question bank has.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        known_topics: Option<Vec<String>>,
    },
    Pong,
}

impl ServerMessage {
    pub fn error(code: &str, message: impl Into<String>) -> Self {
        Self::Error {
            code: code.to_owned(),
            message: message.into(),
            known_topics: None,
        }
    }

    /// A join named topics the question bank has no question on.
    pub fn unknown_topics(unknown: &[String], known: Vec<String>) -> Self {
        Self::Error {
            code: "unknown_topic".to_owned(),
            message: format!(
                "no questions on {}; the topics are: {}",
                unknown.join(", "),
                known.join(", ")
            ),
            known_topics: Some(known),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| {
            r#"{"type":"error","code":"internal","message":"encoding failed"}"#.to_owned()
        })
    }
}

impl From<ServerMessage> for Outgoing {
    fn from(message: ServerMessage) -> Self {
        Outgoing::Text(message.to_json())
    }
}

#[cfg(test)]
mod properties;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_join_parses_with_defaults() {
        let message =
            parse(r#"{"type":"join","topics":["Arrays","arrays","graphs"],"difficulty":"easy"}"#)
                .expect("valid");
        let ClientMessage::Join(join) = message else {
            panic!("not a join")
        };
        assert_eq!(join.topics, ["arrays", "graphs"]);
        assert!(join.relax_difficulty && join.relax_topics);
        assert_eq!(join.language, None);
    }

    #[test]
    fn bad_joins_say_why() {
        for (text, why) in [
            (
                r#"{"type":"join","topics":[],"difficulty":"easy"}"#,
                "1 to 5 topics",
            ),
            (
                r#"{"type":"join","topics":["a b"],"difficulty":"easy"}"#,
                "not a topic slug",
            ),
            (
                r#"{"type":"join","topics":["arrays"],"difficulty":"legendary"}"#,
                "unreadable",
            ),
            (
                r#"{"type":"join","topics":["arrays"],"difficulty":"easy","language":"cobol"}"#,
                "not a supported language",
            ),
            (
                r#"{"type":"join","topics":["arrays"],"difficulty":"easy","colour":"red"}"#,
                "unreadable",
            ),
            (r#"{"type":"dance"}"#, "unreadable"),
            ("not json", "unreadable"),
        ] {
            let err = parse(text).expect_err(text);
            assert!(err.contains(why), "{text}: {err}");
        }
    }

    #[test]
    fn cancel_and_ping_parse() {
        assert_eq!(parse(r#"{"type":"cancel"}"#), Ok(ClientMessage::Cancel));
        assert_eq!(parse(r#"{"type":"ping"}"#), Ok(ClientMessage::Ping));
    }

    #[test]
    fn server_messages_carry_their_type() {
        assert_eq!(ServerMessage::Timeout.to_json(), r#"{"type":"timeout"}"#);
        let error = ServerMessage::error("not_queued", "nothing to cancel").to_json();
        assert_eq!(
            error,
            r#"{"type":"error","code":"not_queued","message":"nothing to cancel"}"#
        );
    }
}
