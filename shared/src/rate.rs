//! A token bucket: how fast a websocket client may send before it counts as flooding.

use std::time::Instant;

#[derive(Debug, Clone)]
pub struct TokenBucket {
    per_sec: f64,
    burst: f64,
    tokens: f64,
    refilled: Instant,
}

impl TokenBucket {
    /// `per_sec` on average, up to `burst` at once; starts full.
    pub fn new(per_sec: f64, burst: f64) -> Self {
        Self {
            per_sec,
            burst,
            tokens: burst,
            refilled: Instant::now(),
        }
    }

    /// Takes a token if there is one.
    pub fn allow(&mut self) -> bool {
        self.allow_at(Instant::now())
    }

    fn allow_at(&mut self, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.refilled).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.per_sec).min(self.burst);
        self.refilled = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
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

    #[test]
    fn a_burst_then_the_average_rate() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(10.0, 3.0);
        bucket.refilled = start;
        assert!((0..3).all(|_| bucket.allow_at(start)));
        assert!(!bucket.allow_at(start), "the burst is spent");
        assert!(
            bucket.allow_at(start + Duration::from_millis(100)),
            "one token per 100 ms"
        );
        assert!(!bucket.allow_at(start + Duration::from_millis(150)));
        assert!(
            (0..3).all(|_| bucket.allow_at(start + Duration::from_secs(10))),
            "refills only up to the burst"
        );
        assert!(!bucket.allow_at(start + Duration::from_secs(10)));
    }
}
