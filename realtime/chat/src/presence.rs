//! Who is online in a room, across processes: this process's sessions, and what each other
//! process last said about its own (which holds for a while, so that a process that dies
//! drops out). Changes are computed, not tracked: compare who is online before and after.

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use shared::contract::PublicProfile;
use toolkit::ws::SessionId;

use crate::protocol::PresenceEvent;

/// Someone came online or went offline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub event: PresenceEvent,
    pub user: PublicProfile,
}

#[derive(Debug, Default)]
pub struct Presence {
    local: HashMap<SessionId, PublicProfile>,
    remote: HashMap<String, (Vec<PublicProfile>, Instant)>,
}

impl Presence {
    pub fn join(&mut self, session: SessionId, user: PublicProfile) {
        self.local.insert(session, user);
    }

    pub fn leave(&mut self, session: SessionId) {
        self.local.remove(&session);
    }

    /// What another process says of its sessions, true until `until`.
    pub fn remote(&mut self, node: &str, online: Vec<PublicProfile>, until: Instant) {
        if online.is_empty() {
            self.remote.remove(node);
        } else {
            self.remote.insert(node.to_owned(), (online, until));
        }
    }

    /// Forgets what other processes said before `now` ran out.
    pub fn expire(&mut self, now: Instant) {
        self.remote.retain(|_, (_, until)| *until > now);
    }

    /// The users with a session on this process, each once.
    pub fn here(&self) -> Vec<PublicProfile> {
        sorted(self.local.values())
    }

    /// Everyone online, each once, by name.
    pub fn online(&self) -> Vec<PublicProfile> {
        sorted(
            self.local
                .values()
                .chain(self.remote.values().flat_map(|(users, _)| users)),
        )
    }
}

fn sorted<'a>(users: impl Iterator<Item = &'a PublicProfile>) -> Vec<PublicProfile> {
    let by_id: BTreeMap<_, _> = users.map(|user| (user.id, user)).collect();
    let mut users: Vec<PublicProfile> = by_id.into_values().cloned().collect();
    users.sort_by(|a, b| a.username.cmp(&b.username).then(a.id.cmp(&b.id)));
    users
}

/// Who joined and who left between two lists of who is online.
pub fn changes(before: &[PublicProfile], after: &[PublicProfile]) -> Vec<Change> {
    let joined = after
        .iter()
        .filter(|user| !before.iter().any(|b| b.id == user.id))
        .map(|user| Change {
            event: PresenceEvent::Joined,
            user: user.clone(),
        });
    let left = before
        .iter()
        .filter(|user| !after.iter().any(|a| a.id == user.id))
        .map(|user| Change {
            event: PresenceEvent::Left,
            user: user.clone(),
        });
    joined.chain(left).collect()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use uuid::Uuid;

    use super::*;

    fn user(name: &str) -> PublicProfile {
        PublicProfile {
            id: Uuid::new_v4(),
            username: name.into(),
        }
    }

    #[test]
    fn a_user_with_two_tabs_is_online_once_until_both_close() {
        let mut presence = Presence::default();
        let ada = user("ada");
        let (tab1, tab2) = (Uuid::new_v4(), Uuid::new_v4());
        presence.join(tab1, ada.clone());
        let before = presence.online();
        presence.join(tab2, ada.clone());
        assert_eq!(presence.online(), std::slice::from_ref(&ada));
        assert!(changes(&before, &presence.online()).is_empty());
        presence.leave(tab1);
        assert_eq!(presence.online(), std::slice::from_ref(&ada));
        presence.leave(tab2);
        assert_eq!(
            changes(std::slice::from_ref(&ada), &presence.online()),
            [Change {
                event: PresenceEvent::Left,
                user: ada
            }]
        );
    }

    #[test]
    fn other_processes_count_until_what_they_said_runs_out() {
        let now = Instant::now();
        let mut presence = Presence::default();
        let (ada, bob) = (user("ada"), user("bob"));
        presence.join(Uuid::new_v4(), ada.clone());
        presence.remote("node-2", vec![bob.clone()], now + Duration::from_secs(15));
        assert_eq!(presence.online(), [ada.clone(), bob.clone()]);
        assert_eq!(presence.here(), std::slice::from_ref(&ada));

        presence.expire(now + Duration::from_secs(16));
        assert_eq!(presence.online(), std::slice::from_ref(&ada));

        presence.remote("node-2", vec![bob.clone()], now + Duration::from_secs(30));
        presence.remote("node-2", Vec::new(), now + Duration::from_secs(30));
        assert_eq!(presence.online(), [ada], "an empty list is a goodbye");
    }

    #[test]
    fn changes_name_who_joined_and_who_left() {
        let (ada, bob, cy) = (user("ada"), user("bob"), user("cy"));
        let found = changes(&[ada.clone(), bob.clone()], &[bob, cy.clone()]);
        assert_eq!(
            found,
            [
                Change {
                    event: PresenceEvent::Joined,
                    user: cy
                },
                Change {
                    event: PresenceEvent::Left,
                    user: ada
                }
            ]
        );
    }
}
