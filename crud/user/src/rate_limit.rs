//! The limiters' arithmetic, whom they count, and which address a request came from.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};

/// Whom a limit counts. Its [`key`](Self::key), stored in the database, may hold an email;
/// its `Display` and `Debug` (what a log line can print) never do.
pub enum Subject {
    /// Failed log-ins for one account, from anywhere.
    Account { email: String },
    /// Failed log-ins from one address, for any account.
    Address { ip: String },
    /// Failed log-ins for one account from one address.
    AccountAtAddress { email: String, ip: String },
    /// Sign-ups from one address.
    Signup { ip: String },
}

impl Subject {
    pub fn key(&self) -> String {
        match self {
            Self::Account { email } => format!("account:{email}"),
            Self::Address { ip } => format!("address:{ip}"),
            Self::AccountAtAddress { email, ip } => format!("account-address:{email} {ip}"),
            Self::Signup { ip } => format!("signup:{ip}"),
        }
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Account { .. } => write!(f, "one account"),
            Self::Address { ip } => write!(f, "address {ip}"),
            Self::AccountAtAddress { ip, .. } => write!(f, "one account from address {ip}"),
            Self::Signup { ip } => write!(f, "sign-ups from address {ip}"),
        }
    }
}

impl fmt::Debug for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Seconds until one more attempt is allowed, or `None` when the subject is under its limit.
pub fn retry_after(
    failures: u32,
    oldest_failure: Option<DateTime<Utc>>,
    limit: u32,
    window: Duration,
    now: DateTime<Utc>,
) -> Option<u64> {
    if failures < limit {
        return None;
    }
    let window = chrono::Duration::from_std(window).unwrap_or(chrono::Duration::MAX);
    let frees_at = oldest_failure.unwrap_or(now) + window;
    let secs = (frees_at - now).num_seconds().max(1);
    Some(u64::try_from(secs).unwrap_or(1))
}

/// The client's address: the peer, or, behind `trusted_hops` proxies that each append to
/// `X-Forwarded-For`, the entry the outermost trusted proxy added. Entries a client wrote
/// itself sit further left and are never used.
pub fn client_address(
    peer: Option<SocketAddr>,
    forwarded_for: Option<&str>,
    trusted_hops: usize,
) -> Option<String> {
    if trusted_hops == 0 {
        return peer.map(|addr| addr.ip().to_string());
    }
    let entries: Vec<&str> = forwarded_for
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .collect();
    entries
        .len()
        .checked_sub(trusted_hops)
        .and_then(|index| entries.get(index))
        .map(|entry| (*entry).to_owned())
        .or_else(|| peer.map(|addr| addr.ip().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const WINDOW: Duration = Duration::from_secs(900);

    #[test]
    fn under_the_limit_nothing_waits() {
        assert_eq!(
            retry_after(4, Some(Utc::now()), 5, WINDOW, Utc::now()),
            None
        );
    }

    #[test]
    fn at_the_limit_the_wait_ends_when_the_oldest_failure_leaves_the_window() {
        let now = Utc::now();
        let oldest = now - chrono::Duration::seconds(600);
        assert_eq!(retry_after(5, Some(oldest), 5, WINDOW, now), Some(300));
    }

    #[test]
    fn the_wait_is_at_least_a_second() {
        let now = Utc::now();
        let oldest = now - chrono::Duration::seconds(900);
        assert_eq!(retry_after(9, Some(oldest), 5, WINDOW, now), Some(1));
    }

    #[test]
    fn a_subject_prints_without_its_email_but_keys_with_it() {
        let email = "ada@example.com".to_owned();
        for subject in [
            Subject::Account {
                email: email.clone(),
            },
            Subject::AccountAtAddress {
                email: email.clone(),
                ip: "203.0.113.9".into(),
            },
        ] {
            assert!(subject.key().contains(&email));
            assert!(!subject.to_string().contains("ada"), "{subject}");
            assert!(!format!("{subject:?}").contains("ada"), "{subject:?}");
        }
    }

    #[test]
    fn without_trusted_proxies_the_peer_address_counts() {
        let peer = "10.0.0.7:5555".parse().ok();
        assert_eq!(
            client_address(peer, Some("6.6.6.6"), 0),
            Some("10.0.0.7".into())
        );
    }

    #[test]
    fn behind_one_proxy_the_last_forwarded_entry_counts_and_spoofed_ones_do_not() {
        let peer = "10.0.0.7:5555".parse().ok();
        assert_eq!(
            client_address(peer, Some("6.6.6.6, 203.0.113.9"), 1),
            Some("203.0.113.9".into())
        );
        assert_eq!(
            client_address(peer, Some("6.6.6.6, 203.0.113.9, 10.0.0.2"), 2),
            Some("203.0.113.9".into())
        );
        assert_eq!(client_address(peer, None, 1), Some("10.0.0.7".into()));
    }
}
