//! The message bus the real-time services fan out over: Redis pub/sub when `REDIS_URL` is
//! set, so that several tasks act as one service, or an in-process bus when it is not (one
//! process alone, for local runs and tests).
//!
//! Payloads are bytes; channels are strings the caller namespaces. A subscription is an
//! unbounded receiver that survives Redis reconnects: the connection resubscribes by itself
//! (RESP3 push messages with automatic resubscription).
//!
//! A `rediss://` URL connects over TLS (rustls), checking the server's certificate against
//! the system's roots, or against the PEM file named by `sslrootcert=<path>` in the URL's
//! query (taken out before the redis crate sees the URL).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{PushKind, TlsCertificates, Value};
use tokio::sync::mpsc;

use crate::tls::{self, TrustedRoots};

/// How often the subscriber connection is pinged, so that a lost connection is noticed
/// (and re-established, with its subscriptions) even when nothing is published.
const SUBSCRIBER_PING_EVERY: Duration = Duration::from_secs(1);

type Subscribers = Arc<Mutex<HashMap<String, Vec<mpsc::UnboundedSender<Vec<u8>>>>>>;

#[derive(Clone)]
pub enum Bus {
    Redis(RedisBus),
    Local(LocalBus),
}

impl Bus {
    /// Redis when a URL is given, else the in-process bus.
    pub async fn connect(redis_url: Option<&str>) -> anyhow::Result<Self> {
        match redis_url {
            Some(url) => Ok(Self::Redis(RedisBus::connect(url).await?)),
            None => Ok(Self::Local(LocalBus::default())),
        }
    }

    pub async fn publish(&self, channel: &str, payload: Vec<u8>) -> anyhow::Result<()> {
        match self {
            Self::Redis(bus) => bus.publish(channel, payload).await,
            Self::Local(bus) => {
                bus.publish(channel, &payload);
                Ok(())
            }
        }
    }

    /// Every message published on `channel` from now on.
    pub async fn subscribe(
        &self,
        channel: &str,
    ) -> anyhow::Result<mpsc::UnboundedReceiver<Vec<u8>>> {
        match self {
            Self::Redis(bus) => bus.subscribe(channel).await,
            Self::Local(bus) => Ok(bus.subscribe(channel)),
        }
    }

    /// Forgets the channel's dropped subscriptions, and stops listening to it (in Redis)
    /// when none is left. Call after dropping a receiver.
    pub async fn release(&self, channel: &str) -> anyhow::Result<()> {
        let subscribers = match self {
            Self::Redis(bus) => &bus.subscribers,
            Self::Local(bus) => &bus.subscribers,
        };
        let now_empty = {
            let mut map = lock(subscribers);
            match map.get_mut(channel) {
                Some(senders) => {
                    senders.retain(|sender| !sender.is_closed());
                    let empty = senders.is_empty();
                    if empty {
                        map.remove(channel);
                    }
                    empty
                }
                None => false,
            }
        };
        if let (true, Self::Redis(bus)) = (now_empty, self) {
            let mut conn = bus.subscriber.clone();
            conn.unsubscribe(channel)
                .await
                .with_context(|| format!("unsubscribe from {channel}"))?;
        }
        Ok(())
    }

    /// [`Self::release`] in the background, for an actor that stops (it cannot wait).
    pub fn release_soon(&self, channel: String) {
        let bus = self.clone();
        tokio::task::spawn_local(async move {
            if let Err(err) = bus.release(&channel).await {
                log::warn!("{err:#}");
            }
        });
    }

    /// Whether the bus answers (always, for the local one).
    pub async fn ping(&self) -> anyhow::Result<()> {
        match self {
            Self::Redis(bus) => {
                let mut conn = bus.commands.clone();
                redis::cmd("PING")
                    .query_async::<String>(&mut conn)
                    .await
                    .context("redis PING")?;
                Ok(())
            }
            Self::Local(_) => Ok(()),
        }
    }
}

/// One process alone: channels are a map of senders.
#[derive(Clone, Default)]
pub struct LocalBus {
    subscribers: Subscribers,
}

impl LocalBus {
    fn publish(&self, channel: &str, payload: &[u8]) {
        deliver(&self.subscribers, channel, payload);
    }

    fn subscribe(&self, channel: &str) -> mpsc::UnboundedReceiver<Vec<u8>> {
        let (tx, rx) = mpsc::unbounded_channel();
        lock(&self.subscribers)
            .entry(channel.to_owned())
            .or_default()
            .push(tx);
        rx
    }
}

/// Redis pub/sub: one connection for commands, one (RESP3) for subscriptions.
#[derive(Clone)]
pub struct RedisBus {
    commands: ConnectionManager,
    subscriber: ConnectionManager,
    subscribers: Subscribers,
}

impl RedisBus {
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let commands = connection_manager(url).await?;
        let resp3 = if url.contains('?') {
            format!("{url}&protocol=resp3")
        } else {
            format!("{url}?protocol=resp3")
        };
        let (push_tx, mut push_rx) = mpsc::unbounded_channel();
        let subscriber = client(&resp3)?
            .get_connection_manager_with_config(
                manager_config()
                    .set_push_sender(push_tx)
                    .set_automatic_resubscription(),
            )
            .await
            .with_context(|| connect_failed(url))?;
        let subscribers: Subscribers = Arc::default();

        let routes = Arc::clone(&subscribers);
        tokio::spawn(async move {
            while let Some(push) = push_rx.recv().await {
                if push.kind == PushKind::Message
                    && let [Value::BulkString(channel), Value::BulkString(payload), ..] =
                        push.data.as_slice()
                {
                    deliver(&routes, &String::from_utf8_lossy(channel), payload);
                }
            }
        });
        let mut pinger = subscriber.clone();
        let alive = Arc::downgrade(&subscribers);
        tokio::spawn(async move {
            // Stops when the bus is dropped.
            while alive.upgrade().is_some() {
                let _ = redis::cmd("PING").query_async::<Value>(&mut pinger).await;
                tokio::time::sleep(SUBSCRIBER_PING_EVERY).await;
            }
        });
        Ok(Self {
            commands,
            subscriber,
            subscribers,
        })
    }

    /// The command connection, for services that keep state in Redis too.
    pub fn connection(&self) -> ConnectionManager {
        self.commands.clone()
    }

    async fn publish(&self, channel: &str, payload: Vec<u8>) -> anyhow::Result<()> {
        let mut conn = self.commands.clone();
        redis::cmd("PUBLISH")
            .arg(channel)
            .arg(payload)
            .query_async::<i64>(&mut conn)
            .await
            .with_context(|| format!("publish on {channel}"))?;
        Ok(())
    }

    async fn subscribe(&self, channel: &str) -> anyhow::Result<mpsc::UnboundedReceiver<Vec<u8>>> {
        let (tx, rx) = mpsc::unbounded_channel();
        lock(&self.subscribers)
            .entry(channel.to_owned())
            .or_default()
            .push(tx);
        let mut conn = self.subscriber.clone();
        conn.subscribe(channel)
            .await
            .with_context(|| format!("subscribe to {channel}"))?;
        Ok(rx)
    }
}

/// A command connection that reconnects by itself, with short timeouts so that a Redis
/// outage fails requests quickly instead of hanging them.
pub async fn connection_manager(url: &str) -> anyhow::Result<ConnectionManager> {
    client(url)?
        .get_connection_manager_with_config(manager_config())
        .await
        .with_context(|| connect_failed(url))
}

/// A client for `url`: plain for `redis://`, TLS for `rediss://` (with the CA file of
/// `sslrootcert=`, or the system's roots).
fn client(url: &str) -> anyhow::Result<redis::Client> {
    let (url, ca_file) = tls::take_query_param(url, "sslrootcert");
    let is_tls = url.starts_with("rediss://") || url.starts_with("valkeys://");
    if is_tls {
        // The redis crate builds its rustls configuration from the process default.
        tls::install_default_provider();
    }
    let client = match ca_file {
        None => redis::Client::open(url.as_str()),
        Some(path) => {
            anyhow::ensure!(
                is_tls,
                "REDIS_URL: sslrootcert is given but the URL is not rediss:// (TLS)"
            );
            let roots = TrustedRoots::File(path.clone().into());
            tls::load_roots(&roots).context("REDIS_URL: sslrootcert")?;
            let pem = std::fs::read(&path).with_context(|| format!("read the CA file {path}"))?;
            redis::Client::build_with_tls(
                url.as_str(),
                TlsCertificates {
                    client_tls: None,
                    root_cert: Some(pem),
                },
            )
        }
    };
    client.context("REDIS_URL is not a valid Redis URL")
}

/// What failed, with the likely fix when a plain URL meets a TLS-only server.
fn connect_failed(url: &str) -> String {
    let hint = if url.starts_with("redis://") {
        " (a server that accepts TLS only needs a rediss:// URL)"
    } else {
        ""
    };
    format!("connect to Redis at {}{hint}", redact(url))
}

fn manager_config() -> ConnectionManagerConfig {
    ConnectionManagerConfig::new()
        .set_connection_timeout(Some(Duration::from_secs(2)))
        .set_response_timeout(Some(Duration::from_secs(2)))
        .set_number_of_retries(2)
        .set_max_delay(Duration::from_millis(500))
}

fn deliver(subscribers: &Subscribers, channel: &str, payload: &[u8]) {
    let mut map = lock(subscribers);
    if let Some(senders) = map.get_mut(channel) {
        senders.retain(|sender| sender.send(payload.to_vec()).is_ok());
    }
}

fn lock(
    subscribers: &Subscribers,
) -> std::sync::MutexGuard<'_, HashMap<String, Vec<mpsc::UnboundedSender<Vec<u8>>>>> {
    // A panic while holding this lock cannot leave the map half-updated.
    subscribers
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://***{}", &url[..scheme], &url[at..])
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_local_bus_delivers_to_every_subscriber_of_a_channel() {
        let bus = Bus::connect(None).await.expect("local bus");
        let mut a = bus.subscribe("room:1").await.expect("sub");
        let mut b = bus.subscribe("room:1").await.expect("sub");
        let mut other = bus.subscribe("room:2").await.expect("sub");
        bus.publish("room:1", b"hello".to_vec())
            .await
            .expect("publish");
        assert_eq!(a.recv().await.as_deref(), Some(&b"hello"[..]));
        assert_eq!(b.recv().await.as_deref(), Some(&b"hello"[..]));
        assert!(other.try_recv().is_err());
    }

    #[tokio::test]
    async fn released_channels_forget_dropped_subscribers() {
        let bus = Bus::connect(None).await.expect("local bus");
        let Bus::Local(local) = &bus else {
            unreachable!("local")
        };
        let receiver = bus.subscribe("room:9").await.expect("sub");
        drop(receiver);
        bus.release("room:9").await.expect("release");
        assert!(lock(&local.subscribers).is_empty());
    }

    #[tokio::test]
    async fn a_ca_file_on_a_plain_redis_url_is_refused_before_connecting() {
        let err = connection_manager("redis://127.0.0.1:1/0?sslrootcert=/etc/ca.pem")
            .await
            .expect_err("not TLS");
        assert!(format!("{err:#}").contains("not rediss://"), "{err:#}");
    }

    #[test]
    fn passwords_are_kept_out_of_messages() {
        assert_eq!(
            redact("redis://:s3cret@cache:6379/0"),
            "redis://***@cache:6379/0"
        );
        assert_eq!(redact("redis://127.0.0.1:6379"), "redis://127.0.0.1:6379");
    }
}
