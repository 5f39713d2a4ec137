//! The flood guard: how fast a client may send, in messages and in bytes, and how much
//! excess it is forgiven before it is disconnected. Plain logic over explicit instants, so it
//! is tested without sockets or sleeps.
//!
//! - Each frame takes one token from the message bucket and its length from the byte
//!   bucket. Both refill at their rate up to their burst.
//! - A frame that finds either bucket short is *excess*: what happens to it is the service's
//!   choice ([`Excess`]), and it costs a strike.
//! - Strikes come back at [`RateLimits::strikes_forgiven_per_sec`], so a client that was
//!   briefly too fast and then behaved is never disconnected for it; one that runs out of
//!   strikes is flooding.
//! - Where excess frames are handled anyway ([`Excess::Accept`]), the byte bucket is a hard
//!   budget: a frame it cannot pay for is flooding at once, so that one client can never
//!   push more than `byte_burst + bytes_per_sec × seconds` into the service.

use std::time::Instant;

/// What happens to an excess frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Excess {
    /// Dropped, and the protocol told (it answers the client with an error).
    Refuse,
    /// Handled anyway: dropping it would lose data the client believes sent (a Yjs update
    /// that later ones depend on). A frame over the message rate costs a strike; one over
    /// the byte budget disconnects the client (so the budget holds).
    Accept,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimits {
    pub messages_per_sec: f64,
    pub message_burst: f64,
    pub bytes_per_sec: f64,
    /// At least the largest frame allowed, or such a frame could never pass.
    pub byte_burst: f64,
    /// Excess frames tolerated at once.
    pub strikes: f64,
    /// How fast strikes are forgiven.
    pub strikes_forgiven_per_sec: f64,
    pub excess: Excess,
}

/// The guard's ruling on one frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    /// Over the rate: handled as [`Excess`] says.
    Excess,
    /// Out of strikes: disconnect.
    Flooding,
}

pub struct FloodGuard {
    excess: Excess,
    messages: TokenBucket,
    bytes: TokenBucket,
    strikes: TokenBucket,
}

impl FloodGuard {
    pub fn new(limits: &RateLimits, now: Instant) -> Self {
        Self {
            excess: limits.excess,
            messages: TokenBucket::new(limits.messages_per_sec, limits.message_burst, now),
            bytes: TokenBucket::new(limits.bytes_per_sec, limits.byte_burst, now),
            strikes: TokenBucket::new(limits.strikes_forgiven_per_sec, limits.strikes, now),
        }
    }

    /// Rules on a frame of `bytes` arriving at `now`.
    pub fn check(&mut self, bytes: usize, now: Instant) -> Verdict {
        let message = self.messages.take(1.0, now);
        let volume = self.bytes.take(bytes as f64, now);
        if message && volume {
            Verdict::Pass
        } else if !volume && self.excess == Excess::Accept {
            Verdict::Flooding
        } else if self.strikes.take(1.0, now) {
            Verdict::Excess
        } else {
            Verdict::Flooding
        }
    }
}

/// `per_sec` tokens a second, holding at most `burst`; starts full.
#[derive(Debug, Clone)]
struct TokenBucket {
    per_sec: f64,
    burst: f64,
    tokens: f64,
    refilled: Instant,
}

impl TokenBucket {
    fn new(per_sec: f64, burst: f64, now: Instant) -> Self {
        Self {
            per_sec,
            burst,
            tokens: burst,
            refilled: now,
        }
    }

    /// Takes `cost` tokens if there are that many (or a full bucket, for a cost above the
    /// burst: the bucket then owes the difference and refills from below zero).
    fn take(&mut self, cost: f64, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.refilled).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.per_sec).min(self.burst);
        self.refilled = now;
        if self.tokens >= cost.min(self.burst) {
            self.tokens -= cost;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    const LIMITS: RateLimits = RateLimits {
        messages_per_sec: 10.0,
        message_burst: 3.0,
        bytes_per_sec: 1000.0,
        byte_burst: 2000.0,
        strikes: 2.0,
        strikes_forgiven_per_sec: 1.0,
        excess: Excess::Refuse,
    };

    fn at(start: Instant, millis: u64) -> Instant {
        start + Duration::from_millis(millis)
    }

    #[test]
    fn a_bucket_gives_a_burst_then_its_rate_and_never_more_than_the_burst() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(10.0, 3.0, start);
        assert!((0..3).all(|_| bucket.take(1.0, start)));
        assert!(!bucket.take(1.0, start), "the burst is spent");
        assert!(bucket.take(1.0, at(start, 100)), "one token per 100 ms");
        assert!(!bucket.take(1.0, at(start, 150)));
        assert!((0..3).all(|_| bucket.take(1.0, at(start, 10_000))));
        assert!(
            !bucket.take(1.0, at(start, 10_000)),
            "refills only up to the burst"
        );
    }

    #[test]
    fn a_cost_above_the_burst_passes_on_a_full_bucket_and_is_paid_back() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(1000.0, 2000.0, start);
        assert!(bucket.take(5000.0, start));
        assert!(!bucket.take(1.0, at(start, 2000)), "still paying the debt");
        assert!(bucket.take(1.0, at(start, 3100)));
    }

    #[test]
    fn messages_over_the_rate_are_excess_then_flooding() {
        let start = Instant::now();
        let mut guard = FloodGuard::new(&LIMITS, start);
        let verdicts: Vec<Verdict> = (0..6).map(|_| guard.check(10, start)).collect();
        assert_eq!(
            verdicts,
            [
                Verdict::Pass,
                Verdict::Pass,
                Verdict::Pass,
                Verdict::Excess,
                Verdict::Excess,
                Verdict::Flooding
            ]
        );
    }

    #[test]
    fn bytes_over_the_rate_are_excess_even_in_few_messages() {
        let start = Instant::now();
        let mut guard = FloodGuard::new(&LIMITS, start);
        assert_eq!(guard.check(1500, start), Verdict::Pass);
        assert_eq!(guard.check(1500, at(start, 200)), Verdict::Excess);
        assert_eq!(guard.check(1500, at(start, 2000)), Verdict::Pass);
    }

    #[test]
    fn where_excess_is_accepted_the_byte_budget_is_hard() {
        let limits = RateLimits {
            excess: Excess::Accept,
            ..LIMITS
        };
        let start = Instant::now();
        let mut guard = FloodGuard::new(&limits, start);
        assert_eq!(guard.check(1500, start), Verdict::Pass);
        assert_eq!(
            guard.check(1500, at(start, 200)),
            Verdict::Flooding,
            "never accepted past the budget, strikes or not"
        );
        // Within the budget, too many small frames still only cost strikes.
        let mut guard = FloodGuard::new(&limits, start);
        let verdicts: Vec<Verdict> = (0..5).map(|_| guard.check(10, start)).collect();
        assert_eq!(verdicts[3..], [Verdict::Excess, Verdict::Excess]);
        // A client that kept to the budget over time is never cut off.
        let mut guard = FloodGuard::new(&limits, start);
        for second in 0..60 {
            assert_eq!(guard.check(1000, at(start, second * 1000)), Verdict::Pass);
        }
    }

    #[test]
    fn strikes_are_forgiven_over_time() {
        let start = Instant::now();
        let mut guard = FloodGuard::new(&LIMITS, start);
        for _ in 0..3 {
            guard.check(1, start);
        }
        assert_eq!(guard.check(1, start), Verdict::Excess);
        assert_eq!(guard.check(1, start), Verdict::Excess);
        // Two seconds of quiet later the client is trusted again, strikes and all: the
        // same burst is excess again, not flooding.
        let later = at(start, 2000);
        for _ in 0..3 {
            assert_eq!(guard.check(1, later), Verdict::Pass);
        }
        assert_eq!(guard.check(1, later), Verdict::Excess);
        assert_eq!(guard.check(1, later), Verdict::Excess);
        assert_eq!(guard.check(1, later), Verdict::Flooding);
    }
}
