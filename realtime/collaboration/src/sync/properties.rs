//! Property tests of the y-websocket decoding and the Yjs update path: random bytes and
//! mutated real frames never panic, and handling them never takes much memory (a few bytes
//! may declare a count of hundreds of millions, or nest values a hundred thousand deep).

use proptest::collection::vec;
use proptest::prelude::*;
use yrs::sync::Awareness;
use yrs::updates::encoder::Encode;
use yrs::{Doc, Map, Text, Transact};

use super::*;

/// Largest growth of the process's peak memory that handling hostile frames may cause
/// (other tests of the same process may run meanwhile: this is generous for them).
const PEAK_GROWTH_KIB: u64 = 64 * 1024;

fn var(mut value: u64, out: &mut Vec<u8>) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn var_buf(bytes: &[u8], out: &mut Vec<u8>) {
    var(bytes.len() as u64, out);
    out.extend_from_slice(bytes);
}

/// A y-websocket frame carrying `update` as a sync update.
fn sync_update(update: &[u8]) -> Vec<u8> {
    let mut frame = vec![0, 2];
    var_buf(update, &mut frame);
    frame
}

/// An update of one block in `code`, holding one `Any` value written by `any`.
fn update_with_any(any: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    // One client, one block, client 1, clock 0; the block: content `Any` (8), no origins,
    // so its parent follows: a named type, "code"; then one value.
    let mut update = vec![1, 1, 1, 0, 8, 1];
    var_buf(b"code", &mut update);
    update.push(1);
    any(&mut update);
    update.push(0); // an empty delete set
    update
}

/// Frames that declare far more than they hold, or nest deeper than any editor would.
fn hostile_frames() -> Vec<Vec<u8>> {
    let huge = 1 << 28;
    let mut frames = Vec::new();
    // An update declaring 2^28 clients.
    let mut update = Vec::new();
    var(huge, &mut update);
    update.extend([1, 2, 3]);
    frames.push(sync_update(&update));
    // A state vector declaring 2^28 entries.
    let mut sv = Vec::new();
    var(huge, &mut sv);
    let mut frame = vec![0, 0];
    var_buf(&sv, &mut frame);
    frames.push(frame);
    // An awareness update declaring 2^28 clients.
    let mut awareness = Vec::new();
    var(huge, &mut awareness);
    let mut frame = vec![1];
    var_buf(&awareness, &mut frame);
    frames.push(frame);
    // A map value declaring 2^28 entries, inside a block.
    frames.push(sync_update(&update_with_any(|out| {
        out.push(118);
        var(huge, out);
    })));
    // An array value declaring 2^28 items.
    frames.push(sync_update(&update_with_any(|out| {
        out.push(117);
        var(huge, out);
    })));
    // Arrays nested 200,000 deep (an 400 KB frame).
    frames.push(sync_update(&update_with_any(|out| {
        for _ in 0..200_000 {
            out.extend([117, 1]);
        }
        out.push(126);
    })));
    // A block claiming 2^28 blocks for its client.
    let mut update = vec![1];
    var(huge, &mut update);
    update.extend([1, 0]);
    frames.push(sync_update(&update));
    frames
}

/// The process's peak resident memory, in KiB.
fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("proc status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}

/// Resets the peak to what is resident now, and returns it.
fn reset_peak() -> u64 {
    std::fs::write("/proc/self/clear_refs", "5").expect("reset the peak");
    peak_kib()
}

/// Everything a frame from a client, another process or the store goes through.
fn feed(frame: &[u8]) {
    let mut room = RoomDoc::new();
    let _ = room.handle(frame);
    let _ = room.apply_remote_update(frame);
    let _ = room.apply_remote_awareness(frame);
    let _ = RoomDoc::from_updates([frame]);
}

#[test]
fn hostile_frames_are_refused_without_taking_memory() {
    for (index, frame) in hostile_frames().iter().enumerate() {
        let before = reset_peak();
        let mut room = RoomDoc::new();
        assert!(room.handle(frame).is_err(), "frame {index} accepted");
        feed(frame);
        if let Some(update) = frame.get(3..) {
            let _ = RoomDoc::from_updates([update]);
        }
        let grown = peak_kib().saturating_sub(before);
        assert!(
            grown < PEAK_GROWTH_KIB,
            "frame {index} ({} bytes) grew the peak by {grown} KiB",
            frame.len()
        );
    }
}

/// What real clients send: edits of the code and the meta map, sync step 1, awareness.
fn real_frames(edits: &[(u8, u16, String)]) -> Vec<Vec<u8>> {
    let doc = Doc::with_client_id(7);
    let code = doc.get_or_insert_text(CODE);
    let meta = doc.get_or_insert_map(META);
    let mut frames = Vec::new();
    for (kind, at, text) in edits {
        let mut txn = doc.transact_mut();
        let len = code.len(&txn);
        match kind % 3 {
            // At either end: offsets count bytes, and one may not split a character.
            0 => code.insert(&mut txn, if at % 2 == 0 { 0 } else { len }, text),
            1 if len > 0 && code.get_string(&txn).is_ascii() => {
                code.remove_range(&mut txn, u32::from(*at) % len, 1);
            }
            _ => {
                meta.insert(&mut txn, LANGUAGE, text.as_str());
            }
        }
        frames.push(update_frame(&txn.encode_update_v1()));
    }
    let sv = doc.transact().state_vector();
    frames.push(Message::Sync(SyncMessage::SyncStep1(sv)).encode_v1());
    let mut awareness = Awareness::new(doc);
    awareness.set_local_state_raw(r##"{"user":{"name":"ada","color":"#f00"}}"##);
    if let Ok(update) = awareness.update() {
        frames.push(Message::Awareness(update).encode_v1());
    }
    frames
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip {
        at: usize,
        bits: u8,
    },
    Insert {
        at: usize,
        byte: u8,
    },
    Remove {
        at: usize,
    },
    Truncate {
        at: usize,
    },
    /// A count far larger than the frame, where a length or count may be.
    HugeCount {
        at: usize,
        value: u64,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1..=255u8).prop_map(|(at, bits)| Mutation::Flip { at, bits }),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Insert { at, byte }),
        any::<usize>().prop_map(|at| Mutation::Remove { at }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
        (any::<usize>(), 1u64 << 20..1u64 << 40)
            .prop_map(|(at, value)| Mutation::HugeCount { at, value }),
    ]
}

fn mutate(mut frame: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for mutation in mutations {
        let len = frame.len().max(1);
        match *mutation {
            Mutation::Flip { at, bits } => {
                if let Some(byte) = frame.get_mut(at % len) {
                    *byte ^= bits;
                }
            }
            Mutation::Insert { at, byte } => frame.insert(at % (frame.len() + 1), byte),
            Mutation::Remove { at } => {
                if !frame.is_empty() {
                    frame.remove(at % len);
                }
            }
            Mutation::Truncate { at } => frame.truncate(at % len),
            Mutation::HugeCount { at, value } => {
                let at = at % (frame.len() + 1);
                let mut count = Vec::new();
                var(value, &mut count);
                let end = (at + 1).min(frame.len());
                frame.splice(at..end, count);
            }
        }
    }
    frame
}

fn edits() -> impl Strategy<Value = Vec<(u8, u16, String)>> {
    vec(
        (any::<u8>(), any::<u16>(), "[a-z\u{e9}\u{1f600}]{1,8}"),
        1..6,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(frame in vec(any::<u8>(), 0..600)) {
        feed(&frame);
    }

    #[test]
    fn mutated_client_frames_never_panic_nor_take_memory(
        edits in edits(),
        pick in any::<usize>(),
        mutations in vec(mutation(), 1..4),
    ) {
        let frames = real_frames(&edits);
        let frame = mutate(frames[pick % frames.len()].clone(), &mutations);
        let before = reset_peak();
        feed(&frame);
        // The update inside a sync frame, as the store would hold it.
        if let Some(update) = frame.get(3..) {
            let _ = RoomDoc::from_updates([update]);
        }
        let grown = peak_kib().saturating_sub(before);
        prop_assert!(grown < PEAK_GROWTH_KIB, "{} bytes grew the peak by {grown} KiB", frame.len());
    }

    #[test]
    fn real_client_frames_still_apply(edits in edits()) {
        let mut room = RoomDoc::new();
        for frame in real_frames(&edits) {
            prop_assert!(room.handle(&frame).is_ok());
        }
    }
}
