//! The rules of the document's shared `meta` map. Every client can write the whole document,
//! `meta` included, so what `meta` says is never taken on trust:
//!
//! - `language` may be changed by either member from the editor, to a language PeerPrep
//!   supports. Any other value (unknown, not a string, removed) is put back to the last valid
//!   one by the server, in an update every client receives.
//! - `status` is the server's alone: `active`, then `ended` once a member ended the session
//!   through the REST call (recorded in [`crate::settle`], which is what the server believes).
//!   A client's write is put back.
//!
//! Pure: the room actor applies the corrections.

use crate::sync::{ENDED, LANGUAGE, RoomDoc, STATUS};

/// The status a session shows until it ends.
pub const ACTIVE: &str = "active";

/// What the server holds true about a session, whatever the document says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// The last valid language the document held (at first, the one matching chose).
    pub language: String,
    /// A member ended the session (as far as this process knows).
    pub ended: bool,
}

impl Facts {
    /// The status the document should show.
    pub fn status(&self) -> &'static str {
        if self.ended { ENDED } else { ACTIVE }
    }
}

/// What to do about the document's `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFix {
    /// Write this value.
    Write(&'static str),
    /// The document shows something other than `active` while this process believes the
    /// session is active: the session may have ended on another process, so ask the store,
    /// then write what it says.
    Confirm,
}

/// The corrections `meta` needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Review {
    /// The language to write back.
    pub language: Option<String>,
    pub status: Option<StatusFix>,
}

impl Review {
    pub fn is_empty(&self) -> bool {
        self.language.is_none() && self.status.is_none()
    }
}

/// The language, if PeerPrep supports it.
pub fn valid_language(language: Option<&str>) -> Option<&str> {
    language.filter(|language| shared::language::is_supported(language))
}

/// Reviews `meta` after the document changed: a valid language becomes the room's language
/// (in `facts`), anything else is to be put back.
pub fn review(doc: &RoomDoc, facts: &mut Facts) -> Review {
    let shown = doc.meta(LANGUAGE);
    let language = match valid_language(shown.as_deref()) {
        Some(valid) => {
            valid.clone_into(&mut facts.language);
            None
        }
        None => Some(facts.language.clone()),
    };
    let status = match doc.meta(STATUS) {
        Some(shown) if shown == facts.status() => None,
        _ if facts.ended => Some(StatusFix::Write(ENDED)),
        _ => Some(StatusFix::Confirm),
    };
    Review { language, status }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(ended: bool) -> Facts {
        Facts {
            language: "python".into(),
            ended,
        }
    }

    fn doc(language: Option<&str>, status: Option<&str>) -> RoomDoc {
        let mut doc = RoomDoc::new();
        if let Some(language) = language {
            doc.set_meta(LANGUAGE, language);
        }
        if let Some(status) = status {
            doc.set_meta(STATUS, status);
        }
        doc
    }

    #[test]
    fn a_supported_language_is_taken_and_nothing_is_written() {
        let mut facts = facts(false);
        let found = review(&doc(Some("rust"), Some(ACTIVE)), &mut facts);
        assert!(found.is_empty(), "{found:?}");
        assert_eq!(facts.language, "rust");
    }

    #[test]
    fn an_unknown_or_missing_language_is_put_back_to_the_last_valid_one() {
        for shown in [Some("cobol"), Some(""), None] {
            let mut facts = facts(false);
            let found = review(&doc(shown, Some(ACTIVE)), &mut facts);
            assert_eq!(found.language.as_deref(), Some("python"), "{shown:?}");
            assert_eq!(facts.language, "python");
        }
        let mut facts = facts(false);
        let huge = "x".repeat(250_000);
        let found = review(&doc(Some(&huge), Some(ACTIVE)), &mut facts);
        assert_eq!(found.language.as_deref(), Some("python"));
    }

    #[test]
    fn a_client_cannot_end_or_reopen_the_session() {
        // Shown ended while the server believes it active: asked of the store first (it
        // may have ended on another process).
        let found = review(&doc(Some("python"), Some(ENDED)), &mut facts(false));
        assert_eq!(found.status, Some(StatusFix::Confirm));
        // Ended: anything else is put back at once.
        for shown in [Some(ACTIVE), Some("junk"), None] {
            let found = review(&doc(Some("python"), shown), &mut facts(true));
            assert_eq!(found.status, Some(StatusFix::Write(ENDED)), "{shown:?}");
        }
        let found = review(&doc(Some("python"), Some(ENDED)), &mut facts(true));
        assert!(found.is_empty());
    }
}
