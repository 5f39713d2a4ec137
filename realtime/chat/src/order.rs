//! Delivery in order, exactly once: a room's messages reach this process from its own
//! commits, from the bus (at most once, in any order across publishers) and from reads of
//! the store. The [`Sequencer`] lets each id through once, in order, holds back what comes
//! early, and says which range is missing so that it can be read from the store.

use std::collections::BTreeMap;

/// Ids missing between what was delivered and what waits: `after < id < before`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gap {
    pub after: u64,
    pub before: u64,
}

#[derive(Debug)]
pub struct Sequencer<T> {
    delivered: u64,
    waiting: BTreeMap<u64, T>,
}

impl<T> Sequencer<T> {
    /// Everything up to `delivered` is taken as delivered already.
    pub fn new(delivered: u64) -> Self {
        Self {
            delivered,
            waiting: BTreeMap::new(),
        }
    }

    /// The highest id delivered, with every id below it.
    pub fn delivered(&self) -> u64 {
        self.delivered
    }

    /// Takes an item; returns every item now deliverable, in order. An id delivered
    /// already, or already waiting, is ignored.
    pub fn offer(&mut self, id: u64, item: T) -> Vec<T> {
        if id > self.delivered {
            self.waiting.entry(id).or_insert(item);
        }
        let mut ready = Vec::new();
        while let Some(item) = self.waiting.remove(&(self.delivered + 1)) {
            self.delivered += 1;
            ready.push(item);
        }
        ready
    }

    /// Ids up to `upto` that have not come will never come (the store does not have
    /// them): everything waiting up to there goes, in order, and whatever follows in order.
    pub fn skip_to(&mut self, upto: u64) -> Vec<T> {
        if upto <= self.delivered {
            return Vec::new();
        }
        let later = self.waiting.split_off(&(upto + 1));
        let mut ready: Vec<T> = std::mem::replace(&mut self.waiting, later)
            .into_values()
            .collect();
        self.delivered = upto;
        while let Some(item) = self.waiting.remove(&(self.delivered + 1)) {
            self.delivered += 1;
            ready.push(item);
        }
        ready
    }

    /// The ids missing before the first waiting item, if any item waits.
    pub fn gap(&self) -> Option<Gap> {
        let (&first, _) = self.waiting.first_key_value()?;
        Some(Gap {
            after: self.delivered,
            before: first,
        })
    }

    /// The ids missing up to `latest` (the store's newest id): the gap before a waiting
    /// item, or the tail nobody announced.
    pub fn missing_up_to(&self, latest: u64) -> Option<Gap> {
        self.gap().or_else(|| {
            (latest > self.delivered).then_some(Gap {
                after: self.delivered,
                before: latest + 1,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_order_items_pass_at_once() {
        let mut seq = Sequencer::new(0);
        assert_eq!(seq.offer(1, "a"), ["a"]);
        assert_eq!(seq.offer(2, "b"), ["b"]);
        assert_eq!(seq.delivered(), 2);
        assert_eq!(seq.gap(), None);
    }

    #[test]
    fn early_items_wait_for_the_gap_and_then_go_in_order() {
        let mut seq = Sequencer::new(10);
        assert!(seq.offer(13, "d").is_empty());
        assert!(seq.offer(12, "c").is_empty());
        assert_eq!(
            seq.gap(),
            Some(Gap {
                after: 10,
                before: 12
            })
        );
        assert_eq!(seq.offer(11, "b"), ["b", "c", "d"]);
        assert_eq!(seq.gap(), None);
    }

    #[test]
    fn duplicates_are_delivered_once() {
        let mut seq = Sequencer::new(0);
        assert_eq!(seq.offer(1, "a"), ["a"]);
        assert!(seq.offer(1, "a again").is_empty());
        assert!(seq.offer(3, "c").is_empty());
        assert!(seq.offer(3, "c again").is_empty());
        assert_eq!(seq.offer(2, "b"), ["b", "c"]);
    }

    #[test]
    fn ids_never_stored_are_skipped_and_what_waits_behind_them_goes() {
        let mut seq = Sequencer::new(1);
        assert!(seq.offer(3, "c").is_empty());
        assert!(seq.offer(6, "f").is_empty());
        assert!(seq.offer(7, "g").is_empty());
        // 2, 4 and 5 were never stored.
        assert_eq!(seq.skip_to(5), ["c", "f", "g"]);
        assert_eq!(seq.delivered(), 7);
        assert!(seq.skip_to(3).is_empty(), "never backwards");
    }

    #[test]
    fn a_tail_nobody_announced_is_missing_too() {
        let seq: Sequencer<&str> = Sequencer::new(4);
        assert_eq!(seq.missing_up_to(4), None);
        assert_eq!(
            seq.missing_up_to(6),
            Some(Gap {
                after: 4,
                before: 7
            })
        );
    }
}
