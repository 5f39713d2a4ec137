//! Who may be matched with whom: the pairing rules and the relaxation schedule, as plain
//! functions over queue snapshots (no I/O), so they are tested without sockets.
//!
//! 1. Same difficulty and at least one shared topic match first, longest-waiting first.
//! 2. As the wait grows, criteria relax, only as far as each user allowed: a neighbouring
//!    difficulty (easy-medium, medium-hard) after [`Relaxation::difficulty_after`], and any
//!    topic after [`Relaxation::topics_after`]. Both users must have reached a relaxation for
//!    it to apply to their pair.
//! 3. A language preference is a topic-like criterion: two different preferred languages
//!    match only once topics have relaxed; a user without one takes the peer's.

use std::collections::{BTreeSet, HashSet};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use shared::contract::PublicProfile;
use shared::difficulty::Difficulty;
use uuid::Uuid;

/// When criteria relax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Relaxation {
    pub difficulty_after: Duration,
    pub topics_after: Duration,
}

/// A user waiting in the queue, as stored in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    pub id: Uuid,
    pub user_id: Uuid,
    pub username: String,
    pub topics: Vec<String>,
    pub difficulty: Difficulty,
    pub language: Option<String>,
    /// The user accepts a neighbouring difficulty after a while.
    pub relax_difficulty: bool,
    /// The user accepts any topic after a while.
    pub relax_topics: bool,
    /// The process whose websocket session owns the ticket.
    pub node: String,
    /// When the user joined, in Unix milliseconds: the queue's order.
    pub enqueued_at_ms: i64,
}

impl Ticket {
    /// The user, as a peer sees them.
    pub fn profile(&self) -> PublicProfile {
        PublicProfile {
            id: self.user_id,
            username: self.username.clone(),
        }
    }

    fn waited(&self, now_ms: i64) -> Duration {
        Duration::from_millis(u64::try_from(now_ms - self.enqueued_at_ms).unwrap_or(0))
    }

    /// What this ticket accepts at `now_ms`.
    pub fn reach(&self, now_ms: i64, relax: &Relaxation) -> Reach {
        let waited = self.waited(now_ms);
        Reach {
            neighbour_difficulty: self.relax_difficulty && waited >= relax.difficulty_after,
            any_topic: self.relax_topics && waited >= relax.topics_after,
        }
    }
}

/// How far a ticket's criteria have relaxed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Reach {
    pub neighbour_difficulty: bool,
    pub any_topic: bool,
}

/// What the pair's question and room are chosen by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The shared topics, or both users' topics when none is shared.
    pub topics: Vec<String>,
    /// One difficulty, or two neighbouring ones.
    pub difficulties: Vec<Difficulty>,
    pub language: String,
    /// Same difficulty and a shared topic.
    pub strict: bool,
}

/// The room's language when neither user asked for one.
pub const DEFAULT_LANGUAGE: &str = "python";

fn neighbours(a: Difficulty, b: Difficulty) -> bool {
    matches!(
        (a, b),
        (Difficulty::Easy, Difficulty::Medium)
            | (Difficulty::Medium, Difficulty::Easy)
            | (Difficulty::Medium, Difficulty::Hard)
            | (Difficulty::Hard, Difficulty::Medium)
    )
}

/// Whether `a` and `b` may be matched at `now_ms`, and on what terms. `a` is the one who
/// has waited longer; its language wins when both have one and topics have relaxed.
pub fn compatible(a: &Ticket, b: &Ticket, now_ms: i64, relax: &Relaxation) -> Option<Plan> {
    if a.user_id == b.user_id {
        return None;
    }
    let (reach_a, reach_b) = (a.reach(now_ms, relax), b.reach(now_ms, relax));
    let same_difficulty = a.difficulty == b.difficulty;
    let relaxed_difficulty = neighbours(a.difficulty, b.difficulty)
        && reach_a.neighbour_difficulty
        && reach_b.neighbour_difficulty;
    if !(same_difficulty || relaxed_difficulty) {
        return None;
    }
    let topics_b: HashSet<&String> = b.topics.iter().collect();
    let shared: Vec<String> = a
        .topics
        .iter()
        .filter(|t| topics_b.contains(t))
        .cloned()
        .collect();
    let any_topic = reach_a.any_topic && reach_b.any_topic;
    if shared.is_empty() && !any_topic {
        return None;
    }
    let language = match (&a.language, &b.language) {
        (Some(x), Some(y)) if x != y && !any_topic => return None,
        (Some(x), _) | (None, Some(x)) => x.clone(),
        (None, None) => DEFAULT_LANGUAGE.to_owned(),
    };
    let topics = if shared.is_empty() {
        a.topics
            .iter()
            .chain(&b.topics)
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    } else {
        shared
    };
    let difficulties = if same_difficulty {
        vec![a.difficulty]
    } else {
        vec![
            a.difficulty.min(b.difficulty),
            a.difficulty.max(b.difficulty),
        ]
    };
    let strict = same_difficulty
        && topics
            .iter()
            .all(|t| a.topics.contains(t) && b.topics.contains(t));
    Some(Plan {
        topics,
        difficulties,
        language,
        strict,
    })
}

/// Pairs to propose from a queue snapshot: strict pairs first, then relaxed ones, each pass
/// longest-waiting first. Nobody appears twice. Proposals still have to be claimed
/// atomically in the store, which may refuse some (a cancel or another process won).
pub fn pairs(tickets: &[Ticket], now_ms: i64, relax: &Relaxation) -> Vec<(Ticket, Ticket, Plan)> {
    let mut queue: Vec<&Ticket> = tickets.iter().collect();
    queue.sort_by_key(|t| (t.enqueued_at_ms, t.id));
    let mut taken: HashSet<Uuid> = HashSet::new();
    let mut out = Vec::new();
    for strict_pass in [true, false] {
        for (i, a) in queue.iter().enumerate() {
            if taken.contains(&a.id) {
                continue;
            }
            let partner = queue[i + 1..].iter().find_map(|b| {
                if taken.contains(&b.id) {
                    return None;
                }
                compatible(a, b, now_ms, relax)
                    .filter(|plan| plan.strict || !strict_pass)
                    .map(|plan| (*b, plan))
            });
            if let Some((b, plan)) = partner {
                taken.insert(a.id);
                taken.insert(b.id);
                out.push(((*a).clone(), b.clone(), plan));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const RELAX: Relaxation = Relaxation {
        difficulty_after: Duration::from_secs(20),
        topics_after: Duration::from_secs(40),
    };
    const NOW: i64 = 1_000_000;

    fn ticket(topics: &[&str], difficulty: Difficulty, waited_secs: i64) -> Ticket {
        Ticket {
            id: Uuid::new_v4(),
            user_id: Uuid::new_v4(),
            username: "u".into(),
            topics: topics.iter().map(|t| (*t).to_owned()).collect(),
            difficulty,
            language: None,
            relax_difficulty: true,
            relax_topics: true,
            node: "n".into(),
            enqueued_at_ms: NOW - waited_secs * 1000,
        }
    }

    use Difficulty::{Easy, Hard, Medium};

    #[test]
    fn same_difficulty_and_a_shared_topic_match_at_once() {
        let a = ticket(&["arrays", "graphs"], Easy, 0);
        let b = ticket(&["graphs"], Easy, 0);
        let plan = compatible(&a, &b, NOW, &RELAX).expect("match");
        assert_eq!(plan.topics, ["graphs"]);
        assert_eq!(plan.difficulties, [Easy]);
        assert!(plan.strict);
    }

    #[test]
    fn different_topics_or_difficulties_do_not_match_at_first() {
        assert!(
            compatible(
                &ticket(&["arrays"], Easy, 0),
                &ticket(&["graphs"], Easy, 0),
                NOW,
                &RELAX
            )
            .is_none()
        );
        assert!(
            compatible(
                &ticket(&["arrays"], Easy, 0),
                &ticket(&["arrays"], Medium, 0),
                NOW,
                &RELAX
            )
            .is_none()
        );
    }

    #[test]
    fn a_neighbouring_difficulty_is_accepted_after_both_waited_20_seconds() {
        let a = ticket(&["arrays"], Easy, 25);
        assert!(
            compatible(&a, &ticket(&["arrays"], Medium, 10), NOW, &RELAX).is_none(),
            "the other has not waited"
        );
        let plan = compatible(&a, &ticket(&["arrays"], Medium, 21), NOW, &RELAX).expect("relaxed");
        assert_eq!(plan.difficulties, [Easy, Medium]);
        assert!(!plan.strict);
        assert!(
            compatible(&a, &ticket(&["arrays"], Hard, 59), NOW, &RELAX).is_none(),
            "never two steps"
        );
    }

    #[test]
    fn any_topic_is_accepted_after_both_waited_40_seconds() {
        let a = ticket(&["arrays"], Easy, 45);
        assert!(compatible(&a, &ticket(&["graphs"], Easy, 30), NOW, &RELAX).is_none());
        let plan = compatible(&a, &ticket(&["graphs"], Easy, 41), NOW, &RELAX).expect("relaxed");
        assert_eq!(plan.topics, ["arrays", "graphs"]);
    }

    #[test]
    fn relaxation_goes_only_as_far_as_the_user_allowed() {
        let mut strict = ticket(&["arrays"], Easy, 100);
        strict.relax_difficulty = false;
        strict.relax_topics = false;
        assert!(compatible(&strict, &ticket(&["arrays"], Medium, 100), NOW, &RELAX).is_none());
        assert!(compatible(&strict, &ticket(&["graphs"], Easy, 100), NOW, &RELAX).is_none());
        assert!(compatible(&strict, &ticket(&["arrays"], Easy, 0), NOW, &RELAX).is_some());
    }

    #[test]
    fn languages_must_agree_until_topics_relax() {
        let mut a = ticket(&["arrays"], Easy, 0);
        a.language = Some("rust".into());
        let mut b = ticket(&["arrays"], Easy, 0);
        b.language = Some("go".into());
        assert!(compatible(&a, &b, NOW, &RELAX).is_none());
        let none = ticket(&["arrays"], Easy, 0);
        assert_eq!(
            compatible(&a, &none, NOW, &RELAX)
                .map(|p| p.language)
                .as_deref(),
            Some("rust")
        );
        assert_eq!(
            compatible(&none, &ticket(&["arrays"], Easy, 0), NOW, &RELAX)
                .map(|p| p.language)
                .as_deref(),
            Some(DEFAULT_LANGUAGE)
        );
        a.enqueued_at_ms -= 50_000;
        b.enqueued_at_ms -= 50_000;
        assert_eq!(
            compatible(&a, &b, NOW, &RELAX)
                .map(|p| p.language)
                .as_deref(),
            Some("rust")
        );
    }

    #[test]
    fn a_user_is_never_matched_with_themself() {
        let a = ticket(&["arrays"], Easy, 0);
        let mut b = ticket(&["arrays"], Easy, 0);
        b.user_id = a.user_id;
        assert!(compatible(&a, &b, NOW, &RELAX).is_none());
    }

    #[test]
    fn the_longest_waiting_are_paired_first_and_nobody_twice() {
        let oldest = ticket(&["arrays"], Easy, 30);
        let middle = ticket(&["arrays"], Easy, 20);
        let newest = ticket(&["arrays"], Easy, 10);
        let result = pairs(
            &[newest.clone(), middle.clone(), oldest.clone()],
            NOW,
            &RELAX,
        );
        assert_eq!(result.len(), 1);
        assert_eq!((result[0].0.id, result[0].1.id), (oldest.id, middle.id));
    }

    #[test]
    fn strict_pairs_come_before_relaxed_ones() {
        // `a` could take `b` on a relaxed difficulty, but `c` is a strict match for `b`.
        let a = ticket(&["arrays"], Medium, 60);
        let b = ticket(&["arrays"], Easy, 50);
        let c = ticket(&["arrays"], Easy, 5);
        let result = pairs(&[a.clone(), b.clone(), c.clone()], NOW, &RELAX);
        assert_eq!(result.len(), 1);
        assert_eq!((result[0].0.id, result[0].1.id), (b.id, c.id));
    }

    #[test]
    fn many_users_pair_up_completely() {
        let tickets: Vec<Ticket> = (0..200).map(|i| ticket(&["arrays"], Easy, i)).collect();
        let result = pairs(&tickets, NOW, &RELAX);
        assert_eq!(result.len(), 100);
        let users: HashSet<Uuid> = result
            .iter()
            .flat_map(|(a, b, _)| [a.user_id, b.user_id])
            .collect();
        assert_eq!(users.len(), 200);
    }
}
