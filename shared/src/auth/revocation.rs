//! Ended sessions, heard everywhere within a second.
//!
//! Access tokens are checked by signature alone, so a token whose session ended (log-out,
//! password change, demotion, deletion, refresh-token reuse) would otherwise work until it
//! expires. The user service [`announce`]s each ending on the bus; every service that
//! verifies tokens keeps a [`DenyList`] of the ended session ids (the `sid` claim), fed by
//! [`DenyList::follow`], until the last token of such a session has expired. The real-time
//! services also [`DenyList::watch`] it and close that session's websockets. The user service
//! follows the bus it announces on, so that its own verifier refuses them too.
//!
//! With Redis, the endings are also kept in a sorted set (`<prefix>sessions-ended`, scored
//! by when they may be forgotten), so a process that starts later still refuses them. The
//! set is trimmed on every announcement and expires with its newest entry.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, PoisonError, RwLock};
use std::time::Duration;

use anyhow::Context;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use uuid::Uuid;

use crate::bus::Bus;
use crate::config::{EnvReader, ExposeSecret, SecretString};

/// The bus channel (after the key prefix), and the sorted set's key.
pub const CHANNEL: &str = "sessions-ended";

/// Leeway on top of the token lifetime: the verifiers tolerate this much clock skew.
const SKEW: Duration = Duration::from_secs(60);

/// How many endings a slow watcher may fall behind before it misses some.
const WATCH_BACKLOG: usize = 1024;

/// Where endings are announced: `REDIS_URL` and `REDIS_KEY_PREFIX` (the whole deployment's
/// prefix, not a service's), the same for the user service and every verifier.
#[derive(Debug, Clone)]
pub struct RevocationSettings {
    pub redis_url: Option<SecretString>,
    pub key_prefix: String,
}

impl RevocationSettings {
    pub fn from_env(env: &mut EnvReader) -> Self {
        Self {
            redis_url: env.optional("REDIS_URL").map(SecretString::from),
            key_prefix: env.string("REDIS_KEY_PREFIX", "peerprep:"),
        }
    }

    /// Redis, or (without `REDIS_URL`) the in-process bus: endings then reach only this
    /// process, which is enough for one process alone.
    pub async fn connect(&self) -> anyhow::Result<Bus> {
        if self.redis_url.is_none() {
            log::warn!("REDIS_URL is not set: ended sessions are heard only inside this process");
        }
        Bus::connect(self.redis_url.as_ref().map(|url| url.expose_secret())).await
    }
}

/// Some of one user's sessions ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionsEnded {
    pub user: Uuid,
    pub sessions: Vec<Uuid>,
    /// Unix seconds after which no access token of these sessions can still be valid.
    pub until: i64,
}

impl SessionsEnded {
    /// `token_ttl` is the longest an access token lives.
    pub fn new(user: Uuid, sessions: Vec<Uuid>, token_ttl: Duration) -> Self {
        let until = now_secs().saturating_add(secs(token_ttl + SKEW));
        Self {
            user,
            sessions,
            until,
        }
    }
}

/// Tells every service that these sessions ended. With Redis: one script records them in the
/// sorted set (dropping what may be forgotten) and publishes them.
pub async fn announce(bus: &Bus, key_prefix: &str, ended: &SessionsEnded) -> anyhow::Result<()> {
    if ended.sessions.is_empty() {
        return Ok(());
    }
    let channel = format!("{key_prefix}{CHANNEL}");
    let payload = serde_json::to_vec(ended).context("encode the ended sessions")?;
    match bus {
        Bus::Redis(redis_bus) => {
            let mut conn = redis_bus.connection();
            let mut script = ANNOUNCE.key(&channel);
            script
                .arg(now_secs())
                .arg(ended.until)
                .arg(payload.as_slice());
            for session in &ended.sessions {
                script.arg(session.to_string());
            }
            script
                .invoke_async::<()>(&mut conn)
                .await
                .context("announce ended sessions")
        }
        Bus::Local(_) => bus.publish(&channel, payload).await,
    }
}

/// KEYS[1] the set (also the channel); ARGV: now, until, payload, session ids.
static ANNOUNCE: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
for i = 4, #ARGV do
  redis.call('ZADD', KEYS[1], 'GT', ARGV[2], ARGV[i])
end
local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('EXPIREAT', KEYS[1], tonumber(newest[2]))
redis.call('PUBLISH', KEYS[1], ARGV[3])
",
    )
});

/// The ended sessions whose tokens may still be presented. Cheap to clone (shared).
#[derive(Clone)]
pub struct DenyList {
    /// Session id → unix seconds after which it may be forgotten.
    ended: Arc<RwLock<HashMap<Uuid, i64>>>,
    watchers: broadcast::Sender<SessionsEnded>,
}

impl Default for DenyList {
    fn default() -> Self {
        Self {
            ended: Arc::default(),
            watchers: broadcast::channel(WATCH_BACKLOG).0,
        }
    }
}

impl DenyList {
    pub fn is_denied(&self, session: Uuid) -> bool {
        let ended = self.ended.read().unwrap_or_else(PoisonError::into_inner);
        ended
            .get(&session)
            .is_some_and(|until| *until >= now_secs())
    }

    /// Records an ending (and forgets those past their time), then tells the watchers.
    pub fn insert(&self, ended: &SessionsEnded) {
        {
            let now = now_secs();
            let mut map = self.ended.write().unwrap_or_else(PoisonError::into_inner);
            map.retain(|_, until| *until >= now);
            for session in &ended.sessions {
                let until = map.entry(*session).or_insert(ended.until);
                *until = (*until).max(ended.until);
            }
        }
        // Nobody watching is fine (the CRUD services only refuse tokens).
        let _ = self.watchers.send(ended.clone());
    }

    /// Every ending heard from now on (the real-time services close websockets with it).
    pub fn watch(&self) -> broadcast::Receiver<SessionsEnded> {
        self.watchers.subscribe()
    }

    /// How many ended sessions are remembered.
    pub fn len(&self) -> usize {
        self.ended
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Subscribes to the announcements (and, with Redis, loads those still in force), then
    /// keeps the list up to date in the background. Returns once subscribed, so nothing
    /// announced after it returns is missed.
    pub async fn follow(&self, bus: &Bus, key_prefix: &str) -> anyhow::Result<()> {
        let channel = format!("{key_prefix}{CHANNEL}");
        let mut announcements = bus.subscribe(&channel).await?;
        if let Bus::Redis(redis_bus) = bus {
            let mut conn = redis_bus.connection();
            let in_force: Vec<(String, i64)> = redis::cmd("ZRANGE")
                .arg(&channel)
                .arg(now_secs())
                .arg("+inf")
                .arg("BYSCORE")
                .arg("WITHSCORES")
                .query_async(&mut conn)
                .await
                .context("load the ended sessions")?;
            let mut map = self.ended.write().unwrap_or_else(PoisonError::into_inner);
            for (session, until) in in_force {
                if let Ok(session) = session.parse() {
                    map.insert(session, until);
                }
            }
        }
        let list = self.clone();
        // The task keeps the bus (and so the subscription) alive.
        let bus = bus.clone();
        tokio::spawn(async move {
            let _bus = bus;
            while let Some(payload) = announcements.recv().await {
                match serde_json::from_slice::<SessionsEnded>(&payload) {
                    Ok(ended) => list.insert(&ended),
                    Err(err) => log::warn!("ignoring a malformed {CHANNEL} announcement: {err}"),
                }
            }
        });
        Ok(())
    }
}

fn now_secs() -> i64 {
    i64::try_from(jsonwebtoken::get_current_timestamp()).unwrap_or(i64::MAX)
}

fn secs(duration: Duration) -> i64 {
    i64::try_from(duration.as_secs()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ended_session_is_denied_until_its_time_and_others_never() {
        let list = DenyList::default();
        let (ended, other, past) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        list.insert(&SessionsEnded::new(
            Uuid::new_v4(),
            vec![ended],
            Duration::from_secs(900),
        ));
        list.insert(&SessionsEnded {
            user: Uuid::new_v4(),
            sessions: vec![past],
            until: now_secs() - 1,
        });
        assert!(list.is_denied(ended));
        assert!(!list.is_denied(other));
        assert!(!list.is_denied(past), "past its time, it is forgotten");
    }

    #[test]
    fn entries_past_their_time_are_dropped_so_the_list_stays_bounded() {
        let list = DenyList::default();
        list.insert(&SessionsEnded {
            user: Uuid::new_v4(),
            sessions: (0..100).map(|_| Uuid::new_v4()).collect(),
            until: now_secs() - 1,
        });
        list.insert(&SessionsEnded::new(
            Uuid::new_v4(),
            vec![Uuid::new_v4()],
            Duration::from_secs(60),
        ));
        assert_eq!(list.len(), 1);
    }

    #[actix_web::test]
    async fn an_announcement_on_the_local_bus_reaches_followers_and_watchers() {
        let bus = Bus::connect(None).await.expect("bus");
        let list = DenyList::default();
        list.follow(&bus, "test:").await.expect("follow");
        let mut watcher = list.watch();
        let ended = SessionsEnded::new(
            Uuid::new_v4(),
            vec![Uuid::new_v4()],
            Duration::from_secs(60),
        );
        announce(&bus, "test:", &ended).await.expect("announce");
        let heard = tokio::time::timeout(Duration::from_secs(5), watcher.recv())
            .await
            .expect("in time")
            .expect("heard");
        assert_eq!(heard, ended);
        assert!(list.is_denied(ended.sessions[0]));
    }

    #[actix_web::test]
    async fn through_redis_a_follower_hears_it_and_one_started_later_still_refuses_it() {
        let prefix = format!("test:{}:", Uuid::new_v4().simple());
        let redis = Bus::connect(Some("redis://127.0.0.1:6379"))
            .await
            .expect("redis");
        let early = DenyList::default();
        early.follow(&redis, &prefix).await.expect("follow");
        let mut watcher = early.watch();
        let ended = SessionsEnded::new(
            Uuid::new_v4(),
            vec![Uuid::new_v4(), Uuid::new_v4()],
            Duration::from_secs(60),
        );
        announce(&redis, &prefix, &ended).await.expect("announce");
        tokio::time::timeout(Duration::from_secs(5), watcher.recv())
            .await
            .expect("in time")
            .expect("heard");
        assert!(
            ended
                .sessions
                .iter()
                .all(|session| early.is_denied(*session))
        );

        let late = DenyList::default();
        late.follow(&redis, &prefix).await.expect("follow");
        assert!(
            ended
                .sessions
                .iter()
                .all(|session| late.is_denied(*session))
        );

        let Bus::Redis(bus) = &redis else {
            panic!("a Redis bus")
        };
        let ttl: i64 = redis::cmd("TTL")
            .arg(format!("{prefix}{CHANNEL}"))
            .query_async(&mut bus.connection())
            .await
            .expect("ttl");
        assert!(
            ttl > 0 && ttl <= 120,
            "the set expires with its newest entry: {ttl}"
        );
    }
}
