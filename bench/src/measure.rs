//! What the bench reads off the machine: a process's CPU time and resident memory (from
//! `/proc`), and percentiles of latency samples.

use std::time::Duration;

/// CPU seconds (user + system) and resident memory (KiB) of some processes, together.
#[derive(Debug, Clone, Copy, Default)]
pub struct Usage {
    pub cpu_secs: f64,
    pub rss_kib: f64,
}

impl Usage {
    /// The processes' usage now; a process that is gone counts nothing.
    pub fn of(pids: &[u32]) -> Self {
        pids.iter().fold(Self::default(), |total, pid| {
            let one = Self::of_one(*pid).unwrap_or_default();
            Self {
                cpu_secs: total.cpu_secs + one.cpu_secs,
                rss_kib: total.rss_kib + one.rss_kib,
            }
        })
    }

    fn of_one(pid: u32) -> Option<Self> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // Fields after the command name (which may hold spaces): utime and stime are the
        // 12th and 13th, in clock ticks (100 a second on Linux).
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok());
        let cpu_secs = (ticks(11)? + ticks(12)?) / 100.0;
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        let rss_kib = status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())?;
        Some(Self { cpu_secs, rss_kib })
    }

    /// What was used between `earlier` and `self` (memory: the growth).
    pub fn since(self, earlier: Self) -> Self {
        Self {
            cpu_secs: self.cpu_secs - earlier.cpu_secs,
            rss_kib: self.rss_kib - earlier.rss_kib,
        }
    }
}

/// Latency samples, in milliseconds.
#[derive(Debug, Default, Clone)]
pub struct Latencies(Vec<f64>);

impl Latencies {
    pub fn push(&mut self, latency: Duration) {
        self.0.push(latency.as_secs_f64() * 1000.0);
    }

    /// The `q` quantile (0..=1) by nearest rank; 0 without samples.
    pub fn quantile(&mut self, q: f64) -> f64 {
        if self.0.is_empty() {
            return 0.0;
        }
        self.0.sort_by(f64::total_cmp);
        let rank = ((self.0.len() as f64) * q).ceil() as usize;
        self.0[rank.clamp(1, self.0.len()) - 1]
    }
}

/// The median of some runs' values (the middle one; the mean of the two middle ones).
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_nearest_rank() {
        let mut samples = Latencies::default();
        for ms in (1..=100).rev() {
            samples.push(Duration::from_millis(ms));
        }
        assert_eq!(samples.quantile(0.5), 50.0);
        assert_eq!(samples.quantile(0.99), 99.0);
        assert_eq!(samples.quantile(1.0), 100.0);
        assert_eq!(Latencies::default().quantile(0.99), 0.0);
    }

    #[test]
    fn medians_of_odd_and_even_runs() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(median(&[]), 0.0);
    }

    #[test]
    fn this_process_uses_some_cpu_and_memory() {
        let usage = Usage::of(&[std::process::id()]);
        assert!(usage.rss_kib > 0.0);
        assert_eq!(Usage::of(&[u32::MAX]).rss_kib, 0.0);
    }
}
