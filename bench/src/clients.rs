//! The load generator's websocket clients, all on this process's one thread: a plain
//! connection (for JSON protocols) and a y-websocket editor speaking the protocol with `yrs`,
//! as the stock Yjs client does.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::{Duration, Instant};

use actix_web::web::Bytes;
use anyhow::Context;
use awc::ws::{Frame, Message};
use futures_util::{SinkExt, StreamExt};
use yrs::sync::{Message as YMessage, SyncMessage};
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{ClientID, Doc, ReadTxn, Text, TextRef, Transact, Update};

use crate::measure::Latencies;

type Framed = actix_codec::Framed<awc::BoxedSocket, awc::ws::Codec>;

/// An HTTP client with no limit on simultaneous connections (awc's default is 100, and a
/// websocket holds its connection for life).
pub fn http() -> awc::Client {
    awc::Client::builder()
        .connector(awc::Connector::new().limit(0))
        .timeout(Duration::from_secs(30))
        .finish()
}

/// An open websocket that answers pings itself.
pub struct Ws {
    framed: Framed,
}

impl Ws {
    pub async fn connect(client: &awc::Client, url: &str, token: &str) -> anyhow::Result<Self> {
        let (_, framed) = client
            .ws(url)
            .bearer_auth(token)
            .max_frame_size(16 * 1024 * 1024)
            .connect()
            .await
            .map_err(|err| anyhow::anyhow!("connect {url}: {err}"))?;
        Ok(Self { framed })
    }

    pub async fn send(&mut self, message: Message) -> anyhow::Result<()> {
        self.framed.send(message).await.context("send a frame")
    }

    pub async fn text(&mut self, text: String) -> anyhow::Result<()> {
        self.send(Message::Text(text.into())).await
    }

    /// The next data frame (text or binary), answering pings on the way; `None` when the
    /// connection closed or `wait` passed.
    pub async fn next(&mut self, wait: Duration) -> anyhow::Result<Option<Frame>> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let frame = match tokio::time::timeout_at(deadline, self.framed.next()).await {
                Err(_) => return Ok(None),
                Ok(None) => anyhow::bail!("the server closed the connection"),
                Ok(Some(frame)) => frame.context("read a frame")?,
            };
            match frame {
                Frame::Ping(payload) => self.send(Message::Pong(payload)).await?,
                Frame::Close(reason) => anyhow::bail!("the server closed: {reason:?}"),
                Frame::Text(_) | Frame::Binary(_) => return Ok(Some(frame)),
                Frame::Pong(_) | Frame::Continuation(_) => {}
            }
        }
    }

    /// The next text frame as JSON, within `wait`.
    pub async fn json(&mut self, wait: Duration) -> anyhow::Result<Option<serde_json::Value>> {
        loop {
            match self.next(wait).await? {
                None => return Ok(None),
                Some(Frame::Text(text)) => return Ok(Some(serde_json::from_slice(&text)?)),
                Some(_) => {}
            }
        }
    }
}

/// When each edit was made, by the editor that made it and the clock it reached, and how
/// long each took to reach a peer.
#[derive(Default)]
pub struct Ledger {
    sent: HashMap<(ClientID, u32), Instant>,
    pub latencies: Latencies,
    pub edits: usize,
    pub delivered: usize,
}

pub type SharedLedger = Rc<RefCell<Ledger>>;

/// One member editing a room's document: a `yrs` document kept in sync over y-websocket.
pub struct Editor {
    ws: Ws,
    doc: Doc,
    text: TextRef,
    id: ClientID,
}

impl Editor {
    /// Connects and syncs (sends sync step 1, answers the server's, and waits for its
    /// step 2).
    pub async fn connect(client: &awc::Client, url: &str, token: &str) -> anyhow::Result<Self> {
        let ws = Ws::connect(client, url, token).await?;
        let doc = Doc::new();
        let text = doc.get_or_insert_text("code");
        let id = doc.client_id();
        let mut editor = Self { ws, doc, text, id };
        let step1 = YMessage::Sync(SyncMessage::SyncStep1(editor.doc.transact().state_vector()));
        editor.binary(step1.encode_v1()).await?;
        loop {
            let Some(frame) = editor.ws.next(Duration::from_secs(30)).await? else {
                anyhow::bail!("no sync step 2 within 30 s");
            };
            if let Frame::Binary(bytes) = frame
                && editor.handle(&bytes, None).await?
            {
                return Ok(editor);
            }
        }
    }

    async fn binary(&mut self, frame: Vec<u8>) -> anyhow::Result<()> {
        self.ws.send(Message::Binary(Bytes::from(frame))).await
    }

    /// Applies what the server sent, answering its sync step 1; whether it was a sync
    /// step 2. Remote edits are timed against the ledger.
    async fn handle(
        &mut self,
        bytes: &[u8],
        ledger: Option<&SharedLedger>,
    ) -> anyhow::Result<bool> {
        let Ok(message) = YMessage::decode_v1(bytes) else {
            return Ok(false);
        };

        match message {
            YMessage::Sync(SyncMessage::SyncStep1(remote)) => {
                let diff = self.doc.transact().encode_state_as_update_v1(&remote);
                self.binary(YMessage::Sync(SyncMessage::SyncStep2(diff)).encode_v1())
                    .await?;
                Ok(false)
            }
            YMessage::Sync(SyncMessage::SyncStep2(update)) => {
                self.apply(&update, ledger)?;
                Ok(true)
            }
            YMessage::Sync(SyncMessage::Update(update)) => {
                self.apply(&update, ledger)?;
                Ok(false)
            }
            _ => Ok(false),
        }
    }

    /// Applies a remote update; the edits it brought (each editor's clock, as its state
    /// vector says after them) are timed against the ledger.
    fn apply(&mut self, update: &[u8], ledger: Option<&SharedLedger>) -> anyhow::Result<()> {
        let update = Update::decode_v1(update)?;
        let before = self.doc.transact().state_vector();
        self.doc.transact_mut().apply_update(update)?;
        let Some(ledger) = ledger else {
            return Ok(());
        };
        let now = Instant::now();
        let mut ledger = ledger.borrow_mut();
        for (client, clock) in self.doc.transact().state_vector().iter() {
            if *client != self.id
                && before.get(client) != *clock
                && let Some(sent) = ledger.sent.get(&(*client, *clock)).copied()
            {
                ledger.latencies.push(now - sent);
                ledger.delivered += 1;
            }
        }
        Ok(())
    }

    /// Edits at `rate` a second (first at `phase`) until `until`, then keeps reading for
    /// `drain`; every remote edit is timed against the ledger.
    pub async fn edit(
        mut self,
        rate: f64,
        phase: Duration,
        until: Instant,
        drain: Duration,
        ledger: SharedLedger,
    ) -> anyhow::Result<()> {
        let every = Duration::from_secs_f64(1.0 / rate);
        let mut next = Instant::now() + phase;
        let end = until + drain;
        loop {
            let now = Instant::now();
            if now >= end {
                return Ok(());
            }
            if now >= next && now < until {
                self.make_edit(&ledger).await?;
                next += every;
                continue;
            }
            let wake = if now < until { next.min(until) } else { end };
            if let Some(Frame::Binary(bytes)) = self.ws.next(wake - now).await? {
                self.handle(&bytes, Some(&ledger)).await?;
            }
        }
    }

    /// Types a character somewhere in the document and sends the update.
    async fn make_edit(&mut self, ledger: &SharedLedger) -> anyhow::Result<()> {
        let (update, clock) = {
            let mut txn = self.doc.transact_mut();
            let len = self.text.len(&txn);
            let at = (self.id.get() as u32).wrapping_mul(2_654_435_761) % (len + 1);
            self.text.insert(&mut txn, at, "x");
            (txn.encode_update_v1(), txn.state_vector().get(&self.id))
        };
        {
            let mut ledger = ledger.borrow_mut();
            ledger.sent.insert((self.id, clock), Instant::now());

            ledger.edits += 1;
        }
        self.binary(YMessage::Sync(SyncMessage::Update(update)).encode_v1())
            .await
    }
}
