//! The room's facts (language, ended) against what its document's `meta` map says: the
//! rules are [`crate::meta`]; here the corrections are written (as server updates that every
//! client receives) and an end on another process is learnt from the store.

use actix::prelude::*;

use super::RoomActor;
use crate::meta::{self, Facts, StatusFix};
use crate::sync::{LANGUAGE, Rebuilt, STATUS};

impl RoomActor {
    /// The document as stored, and whether the session ended: the facts start from these,
    /// and `meta` is put right (a room opened for the first time gets its language and
    /// status; one that stored a client's junk before is repaired).
    pub(super) fn take_loaded(&mut self, rebuilt: Rebuilt, ended: bool, ctx: &mut Context<Self>) {
        for skipped in &rebuilt.skipped {
            log::error!("room {}: {skipped}", self.room.id);
        }
        self.doc = rebuilt.doc;
        self.facts = Facts {
            language: meta::valid_language(self.doc.language().as_deref())
                .unwrap_or(&self.room.language)
                .to_owned(),
            ended,
        };
        // Just read from the store: what it says about the status holds.
        self.enforce_meta(true, ctx);
    }

    /// After the document changed: a valid language becomes the room's, and whatever a
    /// client may not write is put back. `fresh`: the facts were just read from the store.
    pub(super) fn enforce_meta(&mut self, fresh: bool, ctx: &mut Context<Self>) {
        let review = meta::review(&self.doc, &mut self.facts);
        if review.is_empty() {
            return;
        }
        let mut updates = Vec::new();
        if let Some(language) = review.language {
            log::info!(
                "room {}: language {:?} put back to {language}",
                self.room.id,
                truncated(self.doc.language().as_deref().unwrap_or("(none)"))
            );
            updates.push(self.doc.set_meta(LANGUAGE, &language));
        }
        match review.status {
            Some(StatusFix::Write(status)) => updates.push(self.doc.set_meta(STATUS, status)),
            Some(StatusFix::Confirm) if fresh => {
                updates.push(self.doc.set_meta(STATUS, self.facts.status()));
            }
            Some(StatusFix::Confirm) => self.confirm_status(ctx),
            None => {}
        }
        if !updates.is_empty() {
            self.commit(updates, None, ctx);
        }
    }

    /// The document shows a status this process did not expect: the store says whether the
    /// session ended (perhaps on another process); then the document is made to show that.
    fn confirm_status(&mut self, ctx: &mut Context<Self>) {
        let (settle, room) = (self.parts.settler.settle.clone(), self.room.id);
        ctx.spawn(
            async move { settle.is_ended(room).await }
                .into_actor(self)
                .map(move |result, act, ctx| match result {
                    Ok(ended) => {
                        act.facts.ended |= ended;
                        act.enforce_meta(true, ctx);
                    }
                    Err(err) => {
                        log::warn!(
                            "room {room}: status not checked (again at the next edit): {err:#}"
                        );
                    }
                }),
        );
    }
}

/// A value for the log: a client may have written a quarter of a megabyte.
fn truncated(value: &str) -> String {
    value.chars().take(40).collect()
}
