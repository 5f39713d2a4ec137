//! How a room on one process knows it has every stored update: the room's Redis stream gives
//! each stored frame consecutive entries, and every fan-out message says which (`after`: the
//! stream's last id before the frame, `upto`: its last entry). A process remembers the last
//! id up to which it has applied *everything*; a message that does not start there shows a
//! gap (a publish was lost, or the subscription was re-made), and the process reads the
//! missing range from the store. A lost *last* publish shows no gap, so a room with sessions
//! also reads what is past its position once a second.
//!
//! Pure: the room actor feeds it ids and does the reading.

use std::fmt;
use std::str::FromStr;

/// A Redis stream entry id, `<ms>-<seq>`, ordered as Redis orders them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StreamId {
    pub ms: u64,
    pub seq: u64,
}

impl StreamId {
    /// Before every entry: a room with nothing stored.
    pub const ZERO: Self = Self { ms: 0, seq: 0 };
}

impl fmt::Display for StreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.ms, self.seq)
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("not a stream id: {0:?}")]
pub struct BadStreamId(String);

impl FromStr for StreamId {
    type Err = BadStreamId;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || BadStreamId(text.to_owned());
        let (ms, seq) = text.split_once('-').ok_or_else(bad)?;
        Ok(Self {
            ms: ms.parse().map_err(|_| bad())?,
            seq: seq.parse().map_err(|_| bad())?,
        })
    }
}

/// On the bus as its text, `<ms>-<seq>`.
impl serde::Serialize for StreamId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for StreamId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// What to do with stored entries `(after, upto]` that just became known here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrival {
    /// They follow what was applied: apply them.
    InOrder,
    /// Already applied (a catch-up read them first): nothing to do.
    Seen,
    /// Something between the position and `after` is missing: apply these (Yjs keeps
    /// them pending until what they need arrives) and read the missing range.
    Gap,
}

/// The room's position in its stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Everything up to here has been applied.
    applied: StreamId,
}

impl Position {
    /// The position after loading the stored document up to `loaded`.
    pub fn new(loaded: StreamId) -> Self {
        Self { applied: loaded }
    }

    pub fn applied(&self) -> StreamId {
        self.applied
    }

    /// Entries `(after, upto]` arrived (a peer's fan-out, or this process's own commit).
    pub fn arrive(&mut self, after: StreamId, upto: StreamId) -> Arrival {
        if upto <= self.applied {
            Arrival::Seen
        } else if after <= self.applied {
            // `after < applied` happens when a catch-up read part of this frame: the rest
            // follows on.
            self.applied = upto;
            Arrival::InOrder
        } else {
            Arrival::Gap
        }
    }

    /// A catch-up read applied everything up to `upto`.
    pub fn caught_up(&mut self, upto: StreamId) {
        self.applied = self.applied.max(upto);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(ms: u64, seq: u64) -> StreamId {
        StreamId { ms, seq }
    }

    #[test]
    fn stream_ids_parse_print_and_order_as_redis_does() {
        assert_eq!("1700000000000-3".parse(), Ok(id(1_700_000_000_000, 3)));
        assert_eq!(id(5, 12).to_string(), "5-12");
        assert!(id(5, 12) > id(5, 9), "numeric, not textual, order");
        assert!(id(6, 0) > id(5, 99));
        for bad in [
            "",
            "5",
            "5-",
            "-1",
            "a-1",
            "1-2-3",
            "18446744073709551616-0",
        ] {
            assert!(bad.parse::<StreamId>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn consecutive_frames_are_in_order_and_a_skipped_one_is_a_gap() {
        let mut position = Position::new(id(10, 0));
        assert_eq!(position.arrive(id(10, 0), id(11, 1)), Arrival::InOrder);
        assert_eq!(position.applied(), id(11, 1));
        // (11-1, 12-0] was lost: the next frame shows it.
        assert_eq!(position.arrive(id(12, 0), id(13, 0)), Arrival::Gap);
        assert_eq!(position.applied(), id(11, 1), "not past the hole");
        // Another frame while the hole is being read: still a gap, nothing moves.
        assert_eq!(position.arrive(id(13, 0), id(14, 0)), Arrival::Gap);
        position.caught_up(id(14, 0));
        assert_eq!(position.applied(), id(14, 0));
        assert_eq!(position.arrive(id(14, 0), id(15, 0)), Arrival::InOrder);
    }

    #[test]
    fn what_a_catch_up_already_applied_is_seen_and_a_partial_overlap_moves_on() {
        let mut position = Position::new(StreamId::ZERO);
        position.caught_up(id(20, 0));
        assert_eq!(position.arrive(id(10, 0), id(20, 0)), Arrival::Seen);
        assert_eq!(position.arrive(id(15, 0), id(25, 0)), Arrival::InOrder);
        assert_eq!(position.applied(), id(25, 0));
        position.caught_up(id(22, 0));
        assert_eq!(position.applied(), id(25, 0), "never moves back");
    }
}
