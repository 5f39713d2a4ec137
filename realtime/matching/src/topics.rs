//! The topics the question bank has, so that a join on a topic nobody can get a question for
//! is refused at once, with the list, instead of waiting a minute for nothing.
//!
//! The list is asked of the question service (`GET /question-service-api/topics`) and kept
//! for [`FRESH_FOR`]; a topic it lacks makes a refresh first when the list is older than
//! [`RECHECK_UNKNOWN_AFTER`] (an admin may just have added it). One join at a time asks;
//! joins meanwhile are judged by the list there is. When the question service cannot
//! answer, the last list is kept, or, with none yet, topics are taken on trust (a match
//! then falls through as before).

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::services::Services;

/// How long a list of topics is used without asking again.
pub const FRESH_FOR: Duration = Duration::from_secs(60);
/// A topic missing from a list at least this old makes the list be asked for again.
pub const RECHECK_UNKNOWN_AFTER: Duration = Duration::from_secs(5);
/// After the question service failed to answer, it is not asked again for this long.
pub const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(5);
/// The longest a join waits for the list.
pub const FETCH_BOUND: Duration = Duration::from_secs(2);

/// What a join's topics are.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every topic has questions.
    Known,
    /// Some topics have none: `unknown`, in the order asked; `known` is every topic there is.
    Unknown {
        unknown: Vec<String>,
        known: Vec<String>,
    },
    /// No list could be had: taken on trust.
    Unverified,
}

/// The last list and when it was asked for (pure: the decisions are unit-tested).
#[derive(Default)]
struct Cache {
    known: Option<BTreeSet<String>>,
    fetched_at: Option<Instant>,
    failed_at: Option<Instant>,
    /// A join is asking the question service now.
    fetching: bool,
}

impl Cache {
    fn needs_fetch(&self, now: Instant, topics: &[String]) -> bool {
        let recently = |at: Option<Instant>, within: Duration| {
            at.is_some_and(|at| now.saturating_duration_since(at) < within)
        };
        if self.fetching || recently(self.failed_at, RETRY_AFTER_FAILURE) {
            return false;
        }
        let Some(known) = &self.known else {
            return true;
        };
        if !recently(self.fetched_at, FRESH_FOR) {
            return true;
        }
        topics.iter().any(|topic| !known.contains(topic))
            && !recently(self.fetched_at, RECHECK_UNKNOWN_AFTER)
    }

    fn verdict(&self, topics: &[String]) -> Verdict {
        let Some(known) = &self.known else {
            return Verdict::Unverified;
        };
        let unknown: Vec<String> = topics
            .iter()
            .filter(|topic| !known.contains(*topic))
            .cloned()
            .collect();
        if unknown.is_empty() {
            Verdict::Known
        } else {
            Verdict::Unknown {
                unknown,
                known: known.iter().cloned().collect(),
            }
        }
    }
}

/// The question bank's topics, shared by a process's joins.
#[derive(Clone)]
pub struct Topics {
    services: Services,
    /// Never held across an await: a fetch marks itself `fetching` instead.
    cache: Arc<Mutex<Cache>>,
}

impl Topics {
    pub fn new(services: Services) -> Self {
        Self {
            services,
            cache: Arc::default(),
        }
    }

    /// Whether the question bank has every one of `topics`.
    pub async fn check(&self, topics: &[String]) -> Verdict {
        let now = Instant::now();
        let fetch = {
            let mut cache = self.lock();
            let fetch = cache.needs_fetch(now, topics);
            cache.fetching |= fetch;
            fetch
        };
        if fetch {
            let fetching = Fetching(self);
            let answer = tokio::time::timeout(FETCH_BOUND, self.services.topics()).await;
            let mut cache = self.lock();
            match answer {
                Ok(Ok(list)) => {
                    cache.known = Some(list.into_iter().collect());
                    cache.fetched_at = Some(now);
                    cache.failed_at = None;
                }
                Ok(Err(err)) => {
                    log::warn!("could not list the question bank's topics: {err}");
                    cache.failed_at = Some(now);
                }
                Err(_) => {
                    log::warn!("the question bank's topics took over {FETCH_BOUND:?}");
                    cache.failed_at = Some(now);
                }
            }
            drop(cache);
            drop(fetching);
        }
        self.lock().verdict(topics)
    }

    fn lock(&self) -> MutexGuard<'_, Cache> {
        self.cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Clears `fetching` however the fetch ends (a join's future may be dropped mid-way).
struct Fetching<'a>(&'a Topics);

impl Drop for Fetching<'_> {
    fn drop(&mut self) {
        self.0.lock().fetching = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topics(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    fn cache(age: Duration, now: Instant) -> Cache {
        Cache {
            known: Some(["arrays", "graphs"].map(str::to_owned).into()),
            fetched_at: Some(now - age),
            failed_at: None,
            fetching: false,
        }
    }

    #[test]
    fn a_fresh_list_decides_and_names_what_it_lacks() {
        let now = Instant::now();
        let cache = cache(Duration::from_secs(1), now);
        assert!(!cache.needs_fetch(now, &topics(&["arrays"])));
        assert_eq!(
            cache.verdict(&topics(&["graphs", "arrays"])),
            Verdict::Known
        );
        assert_eq!(
            cache.verdict(&topics(&["arrays", "basket-weaving"])),
            Verdict::Unknown {
                unknown: topics(&["basket-weaving"]),
                known: topics(&["arrays", "graphs"]),
            }
        );
    }

    #[test]
    fn a_list_is_asked_for_when_missing_old_or_lacking_a_topic_for_a_while() {
        let now = Instant::now();
        assert!(Cache::default().needs_fetch(now, &topics(&["arrays"])));
        assert!(cache(FRESH_FOR, now).needs_fetch(now, &topics(&["arrays"])));
        // An unknown topic: asked again, but not more often than every few seconds.
        let unknown = topics(&["new-topic"]);
        assert!(!cache(Duration::from_secs(1), now).needs_fetch(now, &unknown));
        assert!(cache(RECHECK_UNKNOWN_AFTER, now).needs_fetch(now, &unknown));
        // One join asks at a time; the others are judged by the list there is.
        let asking = Cache {
            fetching: true,
            ..Cache::default()
        };
        assert!(!asking.needs_fetch(now, &unknown));
        assert_eq!(asking.verdict(&unknown), Verdict::Unverified);
    }

    #[test]
    fn a_failed_ask_is_not_repeated_at_once_and_without_a_list_topics_are_trusted() {
        let now = Instant::now();
        let failed = Cache {
            failed_at: Some(now - Duration::from_secs(1)),
            ..Cache::default()
        };
        assert!(!failed.needs_fetch(now, &topics(&["arrays"])));
        assert_eq!(failed.verdict(&topics(&["anything"])), Verdict::Unverified);
        let later = Cache {
            failed_at: Some(now - RETRY_AFTER_FAILURE),
            ..Cache::default()
        };
        assert!(later.needs_fetch(now, &topics(&["arrays"])));
    }
}
