//! A walk over a y-websocket frame, or a Yjs v1 update, before yrs decodes it: it allocates
//! nothing and refuses what yrs would decode at a cost out of proportion to the frame.
//!
//! yrs reserves room for a declared count before reading what it counts, so an 11-byte
//! frame declaring 2^28 clients had it commit half a gigabyte; it decodes nested values by
//! recursion, so values nested a few hundred thousand deep would overflow the stack; and it
//! adds clocks and lengths in `u32` (a panic in a debug build); and it reads legacy JSON
//! content differently from how it writes it, so a document holding some panics the next
//! time it is encoded (found by `properties.rs`). Here every count must be
//! backed by the bytes that follow (each element takes at least one byte), nesting is
//! limited to [`MAX_DEPTH`], and clocks must not overflow. The format is lib0's v1 encoding
//! as yrs 0.28 reads it (`Message`, `SyncMessage`, `StateVector`, `AwarenessUpdate`,
//! `Update`, `ItemContent`, `Any`, `IdSet`); whatever passes is then decoded by yrs itself.

/// Deepest nesting of values (arrays and maps) accepted; an editor's values are flat.
pub const MAX_DEPTH: usize = 64;

/// Why a frame was refused before decoding.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("implausible frame: {0}")]
pub struct Implausible(&'static str);

type Scanned<T = ()> = Result<T, Implausible>;

/// Checks every message of a y-websocket frame.
pub fn frame(frame: &[u8]) -> Scanned {
    let mut reader = Reader::new(frame);
    while !reader.is_empty() {
        match reader.var()? {
            // Sync: step 1 (a state vector), step 2 or an update.
            0 => match reader.var()? {
                0 => state_vector(reader.buf()?)?,
                1 | 2 => update(reader.buf()?)?,
                _ => return Err(Implausible("unknown sync message")),
            },
            1 => awareness(reader.buf()?)?,
            // Auth: a reason follows a denial.
            2 => {
                if reader.var()? == 0 {
                    reader.string()?;
                }
            }
            3 => {}
            tag if tag <= u64::from(u8::MAX) => {
                reader.buf()?;
            }
            _ => return Err(Implausible("unknown message")),
        }
    }
    Ok(())
}

/// Checks a Yjs v1 update.
pub fn update(update: &[u8]) -> Scanned {
    let mut reader = Reader::new(update);
    let clients = reader.count(3)?;
    for _ in 0..clients {
        let blocks = reader.count(1)?;
        reader.var()?;
        let mut clock = reader.var_u32()?;
        for _ in 0..blocks {
            let len = block(&mut reader)?;
            clock = clock
                .checked_add(len)
                .ok_or(Implausible("clock overflow"))?;
        }
    }
    delete_set(&mut reader)
}

fn state_vector(sv: &[u8]) -> Scanned {
    let mut reader = Reader::new(sv);
    for _ in 0..reader.count(2)? {
        reader.var()?;
        reader.var_u32()?;
    }
    Ok(())
}

fn awareness(update: &[u8]) -> Scanned {
    let mut reader = Reader::new(update);
    for _ in 0..reader.count(3)? {
        reader.var()?;
        reader.var_u32()?;
        reader.string()?;
    }
    Ok(())
}

const HAS_ORIGIN: u8 = 0b1000_0000;
const HAS_RIGHT_ORIGIN: u8 = 0b0100_0000;
const HAS_PARENT_SUB: u8 = 0b0010_0000;

/// One block; its length in clock ticks.
fn block(reader: &mut Reader<'_>) -> Scanned<u32> {
    let info = reader.u8()?;
    // Garbage-collected (0) and skipped (10) ranges: a length.
    if info == 0 || info == 10 {
        return reader.var_u32();
    }
    if info & HAS_ORIGIN != 0 {
        id(reader)?;
    }
    if info & HAS_RIGHT_ORIGIN != 0 {
        id(reader)?;
    }
    if info & (HAS_ORIGIN | HAS_RIGHT_ORIGIN) == 0 {
        // The parent: a named root type, or an item's id.
        if reader.var()? == 1 {
            reader.string()?;
        } else {
            id(reader)?;
        }
        if info & HAS_PARENT_SUB != 0 {
            reader.string()?;
        }
    }
    content(reader, info & 0b1111)
}

fn id(reader: &mut Reader<'_>) -> Scanned {
    reader.var()?;
    reader.var_u32()?;
    Ok(())
}

/// A block's content; its length.
fn content(reader: &mut Reader<'_>, kind: u8) -> Scanned<u32> {
    match kind {
        // Deleted: its length.
        1 => reader.var_u32(),
        // Legacy JSON content: no Yjs client has written it for years, and yrs reads one
        // string more than it writes (a document holding it panics when encoded).
        2 => Err(Implausible("legacy JSON content")),
        // Binary, embed: one value.
        3 => reader.buf().map(|_| 1),
        5 => reader.string().map(|_| 1),
        // A string: its length in UTF-16 units, as yrs counts it.
        4 => {
            let units = reader.string()?.encode_utf16().count();
            u32::try_from(units).map_err(|_| Implausible("string too long"))
        }
        // Format: a key and a JSON value.
        6 => {
            reader.string()?;
            reader.string()?;
            Ok(1)
        }
        7 => type_ref(reader).map(|()| 1),
        // Any values.
        8 => {
            let values = reader.count(1)?;
            for _ in 0..values {
                any(reader, 0)?;
            }
            u32::try_from(values).map_err(|_| Implausible("too many values"))
        }
        // A subdocument: its guid and options.
        9 => {
            reader.string()?;
            any(reader, 0).map(|()| 1)
        }
        _ => Err(Implausible("unknown content")),
    }
}

fn type_ref(reader: &mut Reader<'_>) -> Scanned {
    match reader.u8()? {
        // An XML element: its name.
        3 => reader.string().map(|_| ()),
        0 | 1 | 2 | 4 | 5 | 6 | 9 | 15 => Ok(()),
        _ => Err(Implausible("unknown type")),
    }
}

/// One lib0 `Any` value.
fn any(reader: &mut Reader<'_>, depth: usize) -> Scanned {
    if depth > MAX_DEPTH {
        return Err(Implausible("values nested too deep"));
    }
    match reader.u8()? {
        // undefined, null, false, true
        127 | 126 | 121 | 120 => Ok(()),
        // integer (lib0's signed variable length: the same continuation bits)
        125 => reader.skip_var(),
        124 => reader.bytes(4).map(|_| ()),
        123 | 122 => reader.bytes(8).map(|_| ()),
        119 => reader.string().map(|_| ()),
        // A map: a key and a value each.
        118 => {
            for _ in 0..reader.count(2)? {
                reader.string()?;
                any(reader, depth + 1)?;
            }
            Ok(())
        }
        117 => {
            for _ in 0..reader.count(1)? {
                any(reader, depth + 1)?;
            }
            Ok(())
        }
        116 => reader.buf().map(|_| ()),
        _ => Err(Implausible("unknown value")),
    }
}

fn delete_set(reader: &mut Reader<'_>) -> Scanned {
    for _ in 0..reader.count(2)? {
        reader.var()?;
        for _ in 0..reader.count(2)? {
            let clock = reader.var_u32()?;
            let len = reader.var_u32()?;
            clock
                .checked_add(len)
                .ok_or(Implausible("deleted range overflows"))?;
        }
    }
    Ok(())
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, at: 0 }
    }

    fn is_empty(&self) -> bool {
        self.at >= self.bytes.len()
    }

    fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.at)
    }

    fn u8(&mut self) -> Scanned<u8> {
        let byte = *self
            .bytes
            .get(self.at)
            .ok_or(Implausible("ends too soon"))?;
        self.at += 1;
        Ok(byte)
    }

    /// A variable-length unsigned integer (7 bits a byte, at most 64 bits).
    fn var(&mut self) -> Scanned<u64> {
        let mut value: u64 = 0;
        for shift in (0..70).step_by(7) {
            let byte = self.u8()?;
            let bits = u64::from(byte & 0x7f);
            if shift == 63 && bits > 1 {
                return Err(Implausible("integer too large"));
            }
            value |= bits << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(Implausible("integer too long"))
    }

    /// Skips a variable-length integer of at most ten bytes, whatever its value.
    fn skip_var(&mut self) -> Scanned {
        for _ in 0..10 {
            if self.u8()? & 0x80 == 0 {
                return Ok(());
            }
        }
        Err(Implausible("integer too long"))
    }

    fn var_u32(&mut self) -> Scanned<u32> {
        u32::try_from(self.var()?).map_err(|_| Implausible("integer too large"))
    }

    /// A count of elements that take at least `each` bytes: no more than the rest holds.
    fn count(&mut self, each: usize) -> Scanned<usize> {
        let count = usize::try_from(self.var()?).unwrap_or(usize::MAX);
        if count > self.remaining() / each {
            return Err(Implausible("counts more than it holds"));
        }
        Ok(count)
    }

    fn bytes(&mut self, len: usize) -> Scanned<&'a [u8]> {
        let end = self
            .at
            .checked_add(len)
            .filter(|end| *end <= self.bytes.len())
            .ok_or(Implausible("ends too soon"))?;
        let bytes = &self.bytes[self.at..end];
        self.at = end;
        Ok(bytes)
    }

    fn buf(&mut self) -> Scanned<&'a [u8]> {
        let len = usize::try_from(self.var()?).unwrap_or(usize::MAX);
        self.bytes(len)
    }

    fn string(&mut self) -> Scanned<&'a str> {
        std::str::from_utf8(self.buf()?).map_err(|_| Implausible("not UTF-8"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_must_be_backed_by_bytes_and_nesting_is_bounded() {
        // Two clients' worth of update needs at least six bytes.
        assert!(update(&[2, 0, 1, 0]).is_err());
        assert!(update(&[0, 0]).is_ok(), "an empty update");
        // Arrays nested deeper than the limit, inside an `Any` block.
        let mut deep = vec![1, 1, 1, 0, 8, 1, 4, b'c', b'o', b'd', b'e', 1];
        for _ in 0..=MAX_DEPTH {
            deep.extend([117, 1]);
        }
        deep.extend([126, 0]);
        assert_eq!(update(&deep), Err(Implausible("values nested too deep")));
    }

    #[test]
    fn whatever_yrs_writes_passes() {
        use std::collections::HashMap;
        use std::sync::Arc;
        use yrs::types::Attrs;
        use yrs::{
            Any, Array, ArrayPrelim, Doc, Map, MapPrelim, Number, ReadTxn, StateVector, Text,
            TextPrelim, Transact, WriteTxn, XmlElementPrelim, XmlFragment,
        };

        let doc = Doc::with_client_id(u64::MAX >> 12);
        let meta = doc.get_or_insert_map("meta");
        let code = doc.get_or_insert_text("code");
        let mut txn = doc.transact_mut();
        let nested = Any::Map(Arc::new(HashMap::from([(
            "list".to_owned(),
            Any::Array(Arc::from(vec![Any::Null, Any::Undefined, Any::Bool(true)])),
        )])));
        for (key, value) in [
            ("int", Any::Number(Number::Int(-(1 << 40)))),
            ("float", Any::Number(Number::Float(0.5))),
            ("text", Any::String("é😀".into())),
            ("bytes", Any::Buffer(Arc::from(vec![0_u8, 255]))),
            ("nested", nested),
        ] {
            meta.insert(&mut txn, key, value);
        }
        meta.insert(&mut txn, "array", ArrayPrelim::default());
        meta.insert(&mut txn, "map", MapPrelim::default());
        meta.insert(&mut txn, "inner", TextPrelim::new("inner"));
        code.insert(&mut txn, 0, "fn main() {}");
        let bold = Attrs::from([(Arc::from("bold"), Any::Bool(true))]);
        code.format(&mut txn, 0, 2, bold);
        code.insert_embed(&mut txn, 3, Any::String("embed".into()));
        code.remove_range(&mut txn, 5, 2);
        let xml = txn.get_or_insert_xml_fragment("xml");
        xml.insert(&mut txn, 0, XmlElementPrelim::empty("div"));
        if let Some(yrs::Out::YArray(array)) = meta.get(&txn, "array") {
            array.insert(&mut txn, 0, Any::Number(Number::Int(i64::MIN)));
        }
        assert_eq!(update(&txn.encode_update_v1()), Ok(()));
        drop(txn);
        let state = doc
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        assert_eq!(update(&state), Ok(()));
    }

    #[test]
    fn a_deleted_range_past_the_last_clock_is_refused() {
        // No blocks; one client deleting 2 ticks from clock u32::MAX - 1.
        let mut update = vec![0, 1, 1, 1];
        update.extend([0xfe, 0xff, 0xff, 0xff, 0x0f, 2]);
        assert_eq!(
            super::update(&update),
            Err(Implausible("deleted range overflows"))
        );
    }
}
