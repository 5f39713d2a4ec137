//! The y-websocket protocol over one room's document, with no networking: a frame in, what
//! to answer, broadcast and store out. The stock Yjs client decodes one message per
//! websocket frame, so every outgoing message is its own frame.

use std::collections::HashSet;

use yrs::encoding::read::Cursor;
use yrs::sync::{Awareness, AwarenessUpdate, Message, MessageReader, SyncMessage};
use yrs::updates::decoder::{Decode, DecoderV1};
use yrs::updates::encoder::Encode;
use yrs::{ClientID, Doc, GetString, Map, Out, ReadTxn, StateVector, Transact, Update};

mod scan;

/// The document's shared text, as the editor names it.
pub const CODE: &str = "code";
/// The document's shared map of session facts (`language`, `status`), which every client
/// sees change like any other shared state.
pub const META: &str = "meta";
/// The `meta` key of the room's language.
pub const LANGUAGE: &str = "language";
/// The `meta` key of the session's status, and its value once a member ended the session.
pub const STATUS: &str = "status";
pub const ENDED: &str = "ended";

/// The largest a room's document may grow, as its encoded state (one Yjs v1 update holding
/// everything): an update that would take it past this is refused, and the session that
/// sent it is closed ("document too large"). 512 KiB holds a long solution many times over,
/// with room for the Yjs bookkeeping of a long session's edits, while keeping what one room
/// costs in Redis and in every process that opens it small and known. History accepts code
/// of up to as many characters (`crud/history`), so whatever the editor holds is recorded.
pub const MAX_DOCUMENT_BYTES: usize = 512 * 1024;

/// A frame the protocol cannot accept.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    #[error("undecodable message: {0}")]
    Undecodable(String),
    #[error("the update does not apply: {0}")]
    BadUpdate(String),
    /// The update would take the document past [`MAX_DOCUMENT_BYTES`]; it was not applied.
    #[error("document too large: this edit would take it past {} KiB, so it was not saved", MAX_DOCUMENT_BYTES / 1024)]
    TooLarge,
}

/// What handling one client frame produced.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Frames for the sender only.
    pub reply: Vec<Vec<u8>>,
    /// Document updates (v1) that changed the document: store, then send to everyone else.
    pub updates: Vec<Vec<u8>>,
    /// Awareness frames for everyone, the sender included (as the reference server does,
    /// so the client keeps hearing from the server).
    pub awareness: Vec<Vec<u8>>,
    /// Awareness client ids the sender spoke for.
    pub clients: HashSet<ClientID>,
}

/// A document rebuilt from stored updates.
pub struct Rebuilt {
    pub doc: RoomDoc,
    /// The stored updates that could not be applied.
    pub skipped: Vec<Skipped>,
}

/// A stored update that could not be applied, and where it was among them.
#[derive(Debug, thiserror::Error)]
#[error("stored update #{index} could not be applied and was skipped: {error}")]
pub struct Skipped {
    pub index: usize,
    pub error: FrameError,
}

pub struct RoomDoc {
    awareness: Awareness,
    /// At least the document's encoded size: exact when measured, plus the length of every
    /// update applied since (an update never grows the encoding by much more than its own
    /// length). Measured again only when it nears the cap, so a keystroke costs nothing.
    size: usize,
}

impl Default for RoomDoc {
    fn default() -> Self {
        Self::new()
    }
}

impl RoomDoc {
    pub fn new() -> Self {
        Self {
            awareness: Awareness::new(Doc::new()),
            size: 0,
        }
    }

    /// A document from stored updates, in any order (Yjs updates commute). An update that
    /// cannot be applied is skipped (and named in [`Rebuilt::skipped`]): one bad entry in a
    /// room's store must not make the room impossible to open, or lose everything else.
    pub fn from_updates<'a>(updates: impl IntoIterator<Item = &'a [u8]>) -> Rebuilt {
        let mut doc = Self::new();
        let mut skipped = Vec::new();
        for (index, update) in updates.into_iter().enumerate() {
            if let Err(error) = doc.apply(update) {
                skipped.push(Skipped { index, error });
            }
        }
        doc.size = doc.snapshot().len();
        Rebuilt { doc, skipped }
    }

    /// Refuses an update that could take the document past [`MAX_DOCUMENT_BYTES`]: the
    /// document's encoded size plus the update's length may not exceed it.
    fn admit(&mut self, update: &[u8]) -> Result<(), FrameError> {
        if self.size.saturating_add(update.len()) <= MAX_DOCUMENT_BYTES {
            return Ok(());
        }
        self.size = self.snapshot().len();
        if self.size.saturating_add(update.len()) <= MAX_DOCUMENT_BYTES {
            Ok(())
        } else {
            Err(FrameError::TooLarge)
        }
    }

    fn apply(&self, update: &[u8]) -> Result<(), FrameError> {
        scan::update(update).map_err(|err| FrameError::BadUpdate(err.to_string()))?;
        let update =
            Update::decode_v1(update).map_err(|err| FrameError::BadUpdate(err.to_string()))?;
        self.awareness
            .doc()
            .transact_mut()
            .apply_update(update)
            .map_err(|err| FrameError::BadUpdate(err.to_string()))
    }

    /// What a new session gets first: the server's sync step 1, and who is here.
    pub fn greeting(&self) -> Vec<Vec<u8>> {
        let sv = self.awareness.doc().transact().state_vector();
        let mut frames = vec![Message::Sync(SyncMessage::SyncStep1(sv)).encode_v1()];
        if let Ok(update) = self.awareness.update()
            && !update.clients.is_empty()
        {
            frames.push(Message::Awareness(update).encode_v1());
        }
        frames
    }

    /// Handles one frame from a client.
    pub fn handle(&mut self, frame: &[u8]) -> Result<Outcome, FrameError> {
        // Walked first: yrs would reserve memory for whatever a frame declares.
        scan::frame(frame).map_err(|err| FrameError::Undecodable(err.to_string()))?;
        let mut decoder = DecoderV1::new(Cursor::new(frame));
        let mut reader = MessageReader::new(&mut decoder);
        let mut outcome = Outcome::default();
        let mut any = false;
        for message in &mut reader {
            any = true;
            let message = message.map_err(|err| FrameError::Undecodable(err.to_string()))?;
            match message {
                Message::Sync(SyncMessage::SyncStep1(sv)) => {
                    let diff = self
                        .awareness
                        .doc()
                        .transact()
                        .encode_state_as_update_v1(&sv);
                    outcome
                        .reply
                        .push(Message::Sync(SyncMessage::SyncStep2(diff)).encode_v1());
                }
                Message::Sync(SyncMessage::SyncStep2(update) | SyncMessage::Update(update)) => {
                    self.admit(&update)?;
                    let before = self.awareness.doc().transact().state_vector();
                    self.apply(&update)?;
                    self.size += update.len();
                    if self.awareness.doc().transact().state_vector() != before
                        || has_deletions(&update)
                    {
                        outcome.updates.push(update);
                    }
                }
                Message::Awareness(update) => {
                    outcome.clients.extend(update.clients.keys().copied());
                    let frame = Message::Awareness(update.clone()).encode_v1();
                    self.awareness
                        .apply_update(update)
                        .map_err(|err| FrameError::BadUpdate(err.to_string()))?;
                    outcome.awareness.push(frame);
                }
                Message::AwarenessQuery => {
                    if let Ok(update) = self.awareness.update() {
                        outcome.reply.push(Message::Awareness(update).encode_v1());
                    }
                }
                Message::Auth(_) | Message::Custom(..) => {}
            }
        }
        if !any {
            return Err(FrameError::Undecodable("empty frame".into()));
        }
        Ok(outcome)
    }

    /// An update from another process (already stored there): the frame for local sessions.
    pub fn apply_remote_update(&mut self, update: &[u8]) -> Result<Vec<u8>, FrameError> {
        self.apply(update)?;
        self.size += update.len();
        Ok(update_frame(update))
    }

    /// An awareness frame from another process: applied, and passed on as it is.
    pub fn apply_remote_awareness(&mut self, frame: &[u8]) -> Result<(), FrameError> {
        scan::frame(frame).map_err(|err| FrameError::Undecodable(err.to_string()))?;
        let mut decoder = DecoderV1::new(Cursor::new(frame));
        if let Ok(Message::Awareness(update)) = Message::decode(&mut decoder) {
            self.awareness
                .apply_update(update)
                .map_err(|err| FrameError::BadUpdate(err.to_string()))?;
        }
        Ok(())
    }

    /// A session left: its awareness states go, and everyone is told.
    pub fn remove_clients(&mut self, clients: &HashSet<ClientID>) -> Option<Vec<u8>> {
        if clients.is_empty() {
            return None;
        }
        for client in clients {
            self.awareness.remove_state(*client);
        }
        let update = self
            .awareness
            .update_with_clients(clients.iter().copied())
            .ok()?;
        Some(Message::Awareness(update).encode_v1())
    }

    /// The whole document as one update.
    pub fn snapshot(&self) -> Vec<u8> {
        self.awareness
            .doc()
            .transact()
            .encode_state_as_update_v1(&StateVector::default())
    }

    /// The document's state vector, to tell whether handling a frame changed it.
    pub fn state_vector(&self) -> StateVector {
        self.awareness.doc().transact().state_vector()
    }

    /// A string value of the shared `meta` map.
    pub fn meta(&self, key: &str) -> Option<String> {
        let meta = self.awareness.doc().get_or_insert_map(META);
        let txn = self.awareness.doc().transact();
        match meta.get(&txn, key)? {
            Out::Any(yrs::Any::String(value)) => Some(value.to_string()),
            _ => None,
        }
    }

    /// Sets a `meta` value on the server's behalf; the update to store and send.
    pub fn set_meta(&mut self, key: &str, value: &str) -> Vec<u8> {
        let meta = self.awareness.doc().get_or_insert_map(META);
        let mut txn = self.awareness.doc().transact_mut();
        meta.insert(&mut txn, key, value);
        let update = txn.encode_update_v1();
        self.size += update.len();
        update
    }

    /// The room's language, once set.
    pub fn language(&self) -> Option<String> {
        self.meta(LANGUAGE)
    }

    /// The editor's text.
    pub fn code(&self) -> String {
        let text = self.awareness.doc().get_or_insert_text(CODE);
        text.get_string(&self.awareness.doc().transact())
    }
}

/// The y-websocket frame carrying a document update.
pub fn update_frame(update: &[u8]) -> Vec<u8> {
    Message::Sync(SyncMessage::Update(update.to_vec())).encode_v1()
}

fn has_deletions(update: &[u8]) -> bool {
    Update::decode_v1(update).is_ok_and(|update| !update.delete_set().is_empty())
}

/// An awareness update removing these clients (for tests and for sessions that vanish).
pub fn awareness_update(update: AwarenessUpdate) -> Vec<u8> {
    Message::Awareness(update).encode_v1()
}

#[cfg(test)]
mod properties;

#[cfg(test)]
mod tests;
