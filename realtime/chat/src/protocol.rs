//! The chat websocket's JSON text frames, each with a `type`, and the rules a message must
//! pass (plain functions, tested without sockets).
//!
//! Client: `{"type":"message","client_id":…,"text":…}`, `{"type":"typing"}`.
//! Server: `message` (a stored message, to every member, the sender too), `presence` (who
//! joined or left, and who is online now), `typing`, `error`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use shared::contract::PublicProfile;

/// Longest message text, in characters after trimming.
pub const MAX_TEXT_CHARS: usize = 2000;
/// Longest client id: the client's own name for a message, so that a retry is stored once.
pub const MAX_CLIENT_ID_CHARS: usize = 64;

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum ClientFrame {
    Message { client_id: String, text: String },
    Typing,
}

/// What a client asks for, once its frame passed the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    Send(Draft),
    Typing,
}

/// A message a member wants to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub client_id: String,
    /// Trimmed.
    pub text: String,
}

/// A frame that broke a rule: why, and the client id when the frame carried one (so the
/// client knows which message was refused).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub reason: String,
    pub client_id: Option<String>,
}

/// Reads one text frame.
pub fn parse(frame: &str) -> Result<Request, Invalid> {
    let frame: ClientFrame = serde_json::from_str(frame).map_err(|err| Invalid {
        reason: format!("unreadable message: {err}"),
        client_id: None,
    })?;
    match frame {
        ClientFrame::Typing => Ok(Request::Typing),
        ClientFrame::Message { client_id, text } => {
            let refuse = |reason: String| Invalid {
                reason,
                client_id: Some(client_id.clone()),
            };
            check_client_id(&client_id).map_err(|reason| Invalid {
                reason,
                client_id: None,
            })?;
            let text = check_text(&text).map_err(refuse)?;
            Ok(Request::Send(Draft { client_id, text }))
        }
    }
}

/// The client id a frame carries, read without judging the rest (for errors about it).
pub fn client_id_of(frame: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct WithClientId {
        client_id: String,
    }
    let found: WithClientId = serde_json::from_slice(frame).ok()?;
    check_client_id(&found.client_id).ok()?;
    Some(found.client_id)
}

fn check_client_id(client_id: &str) -> Result<(), String> {
    let ok = !client_id.is_empty()
        && client_id.chars().count() <= MAX_CLIENT_ID_CHARS
        && client_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:".contains(c));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "client_id must be 1 to {MAX_CLIENT_ID_CHARS} letters, digits or -_.:"
        ))
    }
}

/// The text, trimmed, if it is 1 to 2,000 characters with no control characters but line
/// breaks and tabs.
fn check_text(text: &str) -> Result<String, String> {
    let text = text.trim();
    let length = text.chars().count();
    if !(1..=MAX_TEXT_CHARS).contains(&length) {
        return Err(format!(
            "text must be 1 to {MAX_TEXT_CHARS} characters (after trimming), not {length}"
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err("text may not hold control characters".to_owned());
    }
    Ok(text.to_owned())
}

/// A message as a member posted it: everything a stored message has but its id, which the
/// store gives it. This is what the live log keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posted {
    pub client_id: String,
    pub sender: PublicProfile,
    pub text: String,
    pub sent_at: DateTime<Utc>,
}

/// A stored message, as every member sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ChatMessage {
    /// 1, 2, 3, … per room: the order every member sees.
    pub id: u64,
    /// The sender's own id for it (a retry with the same one is stored once).
    pub client_id: String,
    pub sender: PublicProfile,
    pub text: String,
    pub sent_at: DateTime<Utc>,
}

impl ChatMessage {
    pub fn new(id: u64, posted: Posted) -> Self {
        Self {
            id,
            client_id: posted.client_id,
            sender: posted.sender,
            text: posted.text,
            sent_at: posted.sent_at,
        }
    }
}

/// What a presence frame says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PresenceEvent {
    Joined,
    Left,
    /// No change: who is online, for a session that just connected.
    Online,
}

#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame<'a> {
    Message(&'a ChatMessage),
    Presence {
        event: PresenceEvent,
        #[serde(skip_serializing_if = "Option::is_none")]
        user: Option<&'a PublicProfile>,
        online: &'a [PublicProfile],
    },
    Typing {
        user: &'a PublicProfile,
    },
    Error {
        code: &'a str,
        message: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        client_id: Option<&'a str>,
    },
}

impl ServerFrame<'_> {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| {
            r#"{"type":"error","code":"internal","message":"encoding failed"}"#.to_owned()
        })
    }
}

/// An `error` frame.
pub fn error(code: &str, message: &str, client_id: Option<&str>) -> String {
    ServerFrame::Error {
        code,
        message,
        client_id,
    }
    .to_json()
}

#[cfg(test)]
mod properties;

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;

    #[test]
    fn a_message_is_read_and_its_text_trimmed() {
        assert_eq!(
            parse(r#"{"type":"message","client_id":"c-1","text":"  hi there \n"}"#),
            Ok(Request::Send(Draft {
                client_id: "c-1".into(),
                text: "hi there".into()
            }))
        );
        assert_eq!(parse(r#"{"type":"typing"}"#), Ok(Request::Typing));
    }

    #[test]
    fn bad_frames_say_why_and_name_the_message_when_they_can() {
        for (frame, why, names_it) in [
            ("not json", "unreadable", false),
            (r#"{"type":"dance"}"#, "unreadable", false),
            (r#"{"type":"message","text":"hi"}"#, "unreadable", false),
            (
                r#"{"type":"message","client_id":"c","text":"hi","x":1}"#,
                "unreadable",
                false,
            ),
            (
                r#"{"type":"message","client_id":"","text":"hi"}"#,
                "client_id",
                false,
            ),
            (
                r#"{"type":"message","client_id":"a b","text":"hi"}"#,
                "client_id",
                false,
            ),
            (
                r#"{"type":"message","client_id":"c","text":"   "}"#,
                "1 to 2000",
                true,
            ),
            (
                r#"{"type":"message","client_id":"c","text":"a\u0000b"}"#,
                "control",
                true,
            ),
        ] {
            let invalid = parse(frame).expect_err(frame);
            assert!(invalid.reason.contains(why), "{frame}: {}", invalid.reason);
            assert_eq!(invalid.client_id.is_some(), names_it, "{frame}");
        }
    }

    #[test]
    fn text_is_limited_in_characters_not_bytes() {
        let longest = "é".repeat(MAX_TEXT_CHARS);
        let frame = |text: &str| {
            serde_json::json!({"type": "message", "client_id": "c", "text": text}).to_string()
        };
        assert!(parse(&frame(&longest)).is_ok());
        assert!(parse(&frame(&format!("{longest}é"))).is_err());
    }

    #[test]
    fn server_frames_carry_their_type() {
        let message = ChatMessage {
            id: 7,
            client_id: "c-1".into(),
            sender: PublicProfile {
                id: Uuid::nil(),
                username: "ada".into(),
            },
            text: "hi".into(),
            sent_at: DateTime::<Utc>::UNIX_EPOCH,
        };
        let json: serde_json::Value =
            serde_json::from_str(&ServerFrame::Message(&message).to_json()).expect("json");
        assert_eq!(json["type"], "message");
        assert_eq!(json["id"], 7);
        assert_eq!(json["sender"]["username"], "ada");
        assert_eq!(
            error("rate_limited", "slow down", None),
            r#"{"type":"error","code":"rate_limited","message":"slow down"}"#
        );
    }
}
