//! The y-websocket protocol over a room's document: sync, updates, awareness, meta, the
//! document cap and rebuilding from stored updates.

use super::*;
use yrs::Text;

/// A yrs document acting as a client.
fn client_edit(doc: &Doc, at: u32, text: &str) -> Vec<u8> {
    let code = doc.get_or_insert_text(CODE);
    let mut txn = doc.transact_mut();
    code.insert(&mut txn, at, text);
    txn.encode_update_v1()
}

fn decode(frame: &[u8]) -> Message {
    Message::decode_v1(frame).expect("one message per frame")
}

#[test]
fn sync_step_1_is_answered_with_what_the_client_lacks() {
    let mut room = RoomDoc::new();
    let writer = Doc::new();
    let update = client_edit(&writer, 0, "fn main() {}");
    room.handle(&update_frame(&update)).expect("update");

    let reader = Doc::new();
    let sv = reader.transact().state_vector();
    let outcome = room
        .handle(&Message::Sync(SyncMessage::SyncStep1(sv)).encode_v1())
        .expect("step 1");
    let Message::Sync(SyncMessage::SyncStep2(diff)) = decode(&outcome.reply[0]) else {
        panic!("not step 2")
    };
    reader
        .transact_mut()
        .apply_update(Update::decode_v1(&diff).expect("update"))
        .expect("apply");
    assert_eq!(
        reader
            .get_or_insert_text(CODE)
            .get_string(&reader.transact()),
        "fn main() {}"
    );
}

#[test]
fn updates_are_applied_and_handed_back_for_storing_and_broadcast() {
    let mut room = RoomDoc::new();
    let client = Doc::new();
    let update = client_edit(&client, 0, "hello");
    let outcome = room.handle(&update_frame(&update)).expect("update");
    assert_eq!(outcome.updates, vec![update.clone()]);
    assert!(outcome.reply.is_empty());
    assert_eq!(room.code(), "hello");

    // The same update again changes nothing and need not be stored twice.
    assert!(
        room.handle(&update_frame(&update))
            .expect("again")
            .updates
            .is_empty()
    );
}

#[test]
fn a_room_rebuilt_from_its_stored_updates_has_the_same_text() {
    let mut room = RoomDoc::new();
    let (a, b) = (Doc::with_client_id(1), Doc::with_client_id(2));
    let mut stored = Vec::new();
    for (doc, text) in [(&a, "left "), (&b, "right")] {
        stored.extend(
            room.handle(&update_frame(&client_edit(doc, 0, text)))
                .expect("update")
                .updates,
        );
    }
    let rebuilt = RoomDoc::from_updates(stored.iter().rev().map(Vec::as_slice)).doc;
    assert_eq!(rebuilt.code(), room.code());
    assert_eq!(
        RoomDoc::from_updates([room.snapshot().as_slice()])
            .doc
            .code(),
        room.code()
    );
}

#[test]
fn awareness_is_echoed_to_everyone_and_removed_when_the_session_leaves() {
    let mut room = RoomDoc::new();
    let mut peer = Awareness::new(Doc::with_client_id(7));
    peer.set_local_state_raw(r##"{"user":{"name":"ada","color":"#f00"}}"##);
    let frame = Message::Awareness(peer.update().expect("update")).encode_v1();

    let outcome = room.handle(&frame).expect("awareness");
    assert_eq!(outcome.awareness.len(), 1);
    assert!(outcome.clients.contains(&ClientID::new(7)));
    assert_eq!(room.greeting().len(), 2, "newcomers learn who is here");

    let removal = room.remove_clients(&outcome.clients).expect("a removal");
    let Message::Awareness(update) = decode(&removal) else {
        panic!("not awareness")
    };
    assert_eq!(
        update
            .clients
            .get(&ClientID::new(7))
            .map(|entry| &*entry.json),
        Some("null")
    );
}

#[test]
fn an_awareness_query_gets_the_current_states() {
    let mut room = RoomDoc::new();
    let outcome = room
        .handle(&Message::AwarenessQuery.encode_v1())
        .expect("query");
    assert!(matches!(decode(&outcome.reply[0]), Message::Awareness(_)));
}

#[test]
fn meta_values_are_shared_state() {
    let mut room = RoomDoc::new();
    assert_eq!(room.meta("language"), None);
    let update = room.set_meta("language", "rust");
    assert_eq!(room.meta("language").as_deref(), Some("rust"));
    let copy = RoomDoc::from_updates([update.as_slice()]).doc;
    assert_eq!(copy.meta("language").as_deref(), Some("rust"));
}

#[test]
fn an_update_that_would_take_the_document_past_the_cap_is_refused_and_not_applied() {
    let mut room = RoomDoc::new();
    let writer = Doc::with_client_id(1);
    let half = "x".repeat(MAX_DOCUMENT_BYTES / 2);
    room.handle(&update_frame(&client_edit(&writer, 0, &half)))
        .expect("half the cap fits");
    let before = room.state_vector();
    let too_much = client_edit(&writer, 0, &half);
    assert!(matches!(
        room.handle(&update_frame(&too_much)),
        Err(FrameError::TooLarge)
    ));
    assert_eq!(room.state_vector(), before, "nothing of it applied");
    assert_eq!(room.code().len(), half.len());
    // Small edits still fit, and a document rebuilt at the cap is measured, not guessed.
    room.handle(&update_frame(&client_edit(&writer, 0, "ok ")))
        .expect("a keystroke fits");
    let rebuilt = RoomDoc::from_updates([room.snapshot().as_slice()]).doc;
    assert!(rebuilt.size <= MAX_DOCUMENT_BYTES && rebuilt.size == room.snapshot().len());
}

#[test]
fn a_stored_update_that_cannot_be_applied_is_skipped_and_the_rest_kept() {
    let (a, b) = (Doc::with_client_id(1), Doc::with_client_id(2));
    let first = client_edit(&a, 0, "kept ");
    let second = client_edit(&b, 0, "too");
    let mut truncated = second.clone();
    truncated.truncate(second.len() / 2);
    let stored = [first, vec![0xff; 7], truncated, Vec::new(), second];

    let rebuilt = RoomDoc::from_updates(stored.iter().map(Vec::as_slice));

    let indexes: Vec<usize> = rebuilt.skipped.iter().map(|s| s.index).collect();
    assert_eq!(indexes, vec![1, 2, 3]);
    let code = rebuilt.doc.code();
    assert!(code.contains("kept") && code.contains("too"), "{code:?}");
}

#[test]
fn garbage_is_refused() {
    let mut room = RoomDoc::new();
    assert!(room.handle(&[0xff, 0xff, 0xff]).is_err());
    assert!(room.handle(&[]).is_err());
    assert!(room.handle(&update_frame(&[1, 2, 3, 4, 5])).is_err());
    assert_eq!(room.code(), "");
}
