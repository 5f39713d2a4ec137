//! Where a room's document lives between sessions and across processes: every update the
//! server accepts is appended to a Redis stream per room (`<prefix>doc:<room>`) before it
//! is broadcast, so a process killed at any moment loses nothing any client was sent. A
//! process that opens the room reads the stream back. Without Redis, memory (one process).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use anyhow::Context;
use redis::Value;
use redis::aio::ConnectionManager;
use uuid::Uuid;

/// An entry of a Redis stream as XRANGE returns it: its id and its field/value pairs.
type StreamEntry = (String, Vec<(String, Vec<u8>)>);

#[derive(Clone)]
pub enum DocStore {
    Redis {
        conn: ConnectionManager,
        prefix: String,
    },
    Memory(Arc<Mutex<HashMap<Uuid, Vec<Vec<u8>>>>>),
}

impl DocStore {
    pub fn memory() -> Self {
        Self::Memory(Arc::default())
    }

    fn key(prefix: &str, room: Uuid) -> String {
        format!("{prefix}doc:{room}")
    }

    /// Every stored update of the room, oldest first.
    pub async fn load(&self, room: Uuid) -> anyhow::Result<Vec<Vec<u8>>> {
        match self {
            Self::Redis { conn, prefix } => {
                let entries: Vec<StreamEntry> = redis::cmd("XRANGE")
                    .arg(Self::key(prefix, room))
                    .arg("-")
                    .arg("+")
                    .query_async(&mut conn.clone())
                    .await
                    .with_context(|| format!("load room {room}"))?;
                Ok(entries
                    .into_iter()
                    .flat_map(|(_, fields)| fields.into_iter().map(|(_, update)| update))
                    .collect())
            }
            Self::Memory(rooms) => Ok(rooms
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .get(&room)
                .cloned()
                .unwrap_or_default()),
        }
    }

    /// Stores one update; returns only once it is stored.
    pub async fn append(&self, room: Uuid, update: &[u8]) -> anyhow::Result<()> {
        match self {
            Self::Redis { conn, prefix } => {
                redis::cmd("XADD")
                    .arg(Self::key(prefix, room))
                    .arg("*")
                    .arg("u")
                    .arg(update)
                    .query_async::<Value>(&mut conn.clone())
                    .await
                    .with_context(|| format!("store an update of room {room}"))?;
                Ok(())
            }
            Self::Memory(rooms) => {
                rooms
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .entry(room)
                    .or_default()
                    .push(update.to_vec());
                Ok(())
            }
        }
    }

    /// Says that `node` has sessions in the room, for the next `ttl`.
    pub async fn mark_present(
        &self,
        room: Uuid,
        node: &str,
        ttl: std::time::Duration,
    ) -> anyhow::Result<()> {
        if let Self::Redis { conn, prefix } = self {
            let until = chrono::Utc::now().timestamp_millis()
                + i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX);
            redis::cmd("ZADD")
                .arg(format!("{prefix}presence:{room}"))
                .arg(until)
                .arg(node)
                .query_async::<Value>(&mut conn.clone())
                .await
                .context("mark presence")?;
        }
        Ok(())
    }

    /// Whether another process still has sessions in the room.
    pub async fn present_elsewhere(&self, room: Uuid, node: &str) -> anyhow::Result<bool> {
        let Self::Redis { conn, prefix } = self else {
            return Ok(false);
        };
        let now = chrono::Utc::now().timestamp_millis();
        let nodes: Vec<String> = redis::cmd("ZRANGE")
            .arg(format!("{prefix}presence:{room}"))
            .arg(now)
            .arg("+inf")
            .arg("BYSCORE")
            .query_async(&mut conn.clone())
            .await
            .context("read presence")?;
        Ok(nodes.iter().any(|other| other != node))
    }
}
