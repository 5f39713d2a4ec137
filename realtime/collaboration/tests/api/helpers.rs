//! Starts a matching service (which owns the rooms) and collaboration processes; makes rooms
//! and members; a `yrs` client over a real websocket.

use std::time::Duration;

use actix::Addr;
use collaboration::actors::Registry;
use collaboration::actors::room::RoomActor;
use shared::auth::Role;
use shared::start_service;
use shared::testing::{Body, Reply, ServiceVars, TestDatabase, TestTokens, WsClient, call};
use toolkit::registry::Rooms;
use uuid::Uuid;
use yrs::encoding::read::Cursor;
use yrs::sync::{Message, SyncMessage};
use yrs::updates::decoder::{Decode, DecoderV1};
use yrs::updates::encoder::Encode;
use yrs::{Doc, GetString, ReadTxn, Text, Transact, Update};

pub const SERVICE_TOKEN: &str = "collaboration-test-token";
pub const LOCAL_REDIS: &str = "redis://127.0.0.1:6379";

pub struct Options {
    pub nodes: usize,
    pub redis: Option<String>,
    pub idle_grace_secs: u64,
    /// Run the collaboration processes as real child processes (so a test can kill one).
    pub as_processes: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            nodes: 1,
            redis: None,
            idle_grace_secs: 30,
            as_processes: false,
        }
    }
}

impl Options {
    /// Two collaboration processes sharing the local Redis.
    pub fn two_processes() -> Self {
        Self {
            nodes: 2,
            redis: Some(LOCAL_REDIS.into()),
            ..Self::default()
        }
    }
}

pub struct Stack {
    pub nodes: Vec<String>,
    /// Each in-process node's room registry (none for child processes).
    pub registries: Vec<Addr<Registry>>,
    /// Where this test's keys live in Redis (`<prefix>collaboration:…`).
    pub redis_prefix: String,
    pub matching_url: String,
    pub history_db: TestDatabase,
    pub tokens: TestTokens,
    pub matching_db: TestDatabase,
    pub client: awc::Client,
    pub children: Vec<std::process::Child>,
    /// What every collaboration process of this stack is started with.
    vars: ServiceVars,
    redis: Option<String>,
}

impl Drop for Stack {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

pub async fn spawn(options: Options) -> Stack {
    let tokens = TestTokens::new();
    let base = ServiceVars::new(&tokens, SERVICE_TOKEN);
    let matching_db = TestDatabase::create().await.expect("db");
    let matching_url = start_service!(matching, base.clone().database(&matching_db));
    let history_db = TestDatabase::create().await.expect("db");
    let history_url = start_service!(history, base.clone().database(&history_db));

    let prefix = format!("test:{}:", Uuid::new_v4().simple());
    let mut vars = base
        .set("MATCHING_SERVICE_URL", matching_url.clone())
        .set("HISTORY_SERVICE_URL", history_url)
        .set("REDIS_KEY_PREFIX", prefix.clone())
        .set("ROOM_IDLE_GRACE_SECS", options.idle_grace_secs.to_string());
    if let Some(redis) = &options.redis {
        vars = vars.set("REDIS_URL", redis.clone());
    }
    let (mut nodes, mut registries, mut children) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..options.nodes {
        if options.as_processes {
            let vars = vars
                .clone()
                .set("REDIS_URL", options.redis.as_deref().unwrap_or(LOCAL_REDIS))
                .set("RUST_LOG", "warn");
            let (child, address) =
                shared::testing::start_child(env!("CARGO_BIN_EXE_collaboration-service"), &vars)
                    .await;
            children.push(child);
            nodes.push(address);
            continue;
        }
        // Not `start_service!`: the tests watch each process's rooms.
        let mut settings =
            collaboration::settings::Settings::from_reader(vars.reader()).expect("settings");
        settings.server.handle_signals = false;
        let app = collaboration::startup::Application::build(settings)
            .await
            .expect("collaboration");
        nodes.push(format!("http://127.0.0.1:{}", app.port()));
        registries.push(app.registry());
        actix_web::rt::spawn(app.run_until_stopped());
    }
    Stack {
        nodes,
        registries,
        redis_prefix: format!("{prefix}collaboration:"),
        matching_url,
        history_db,
        tokens,
        matching_db,
        client: shared::testing::http_client(),
        children,
        vars,
        redis: options.redis,
    }
}

/// A room's two members.
pub struct Room {
    pub id: Uuid,
    pub members: [(Uuid, String); 2],
}

impl Stack {
    /// Starts one more collaboration process, as a child (a fresh process after another
    /// stopped), with `changed` settings; returns its node index.
    pub async fn start_process(&mut self, changed: &[(&str, String)]) -> usize {
        let mut vars = self
            .vars
            .clone()
            .set("REDIS_URL", self.redis.as_deref().unwrap_or(LOCAL_REDIS))
            .set("RUST_LOG", "warn");
        for (name, value) in changed {
            vars = vars.set(name, value.clone());
        }
        let (child, address) =
            shared::testing::start_child(env!("CARGO_BIN_EXE_collaboration-service"), &vars).await;
        self.children.push(child);
        self.nodes.push(address);
        self.nodes.len() - 1
    }

    /// A room as matching makes it, in matching's database, through matching's own code.
    pub async fn room(&self) -> Room {
        let members = [
            self.tokens.new_user(Role::User),
            self.tokens.new_user(Role::User),
        ];
        let [ada, bob] = [(members[0].0, "ada"), (members[1].0, "bob")].map(|(id, name)| {
            shared::contract::PublicProfile {
                id,
                username: name.into(),
            }
        });
        let pool = shared::db::pool(&self.matching_db.settings()).expect("pool");
        let db = pool.get().await.expect("connection");
        let id = matching::rooms::for_testing(&db, [&ada, &bob])
            .await
            .expect("room")
            .id;
        Room { id, members }
    }

    pub fn ws_url(&self, node: usize, room: Uuid) -> String {
        format!(
            "{}/collaboration-service-api/yjs/{room}",
            self.nodes[node].replace("http://", "ws://")
        )
    }

    /// A member's `yrs` client on `node`, synced.
    pub async fn editor(&self, node: usize, room: &Room, member: usize) -> Editor {
        let ws = WsClient::connect(&self.ws_url(node, room.id), &room.members[member].1)
            .await
            .expect("websocket");
        let mut editor = Editor {
            doc: Doc::new(),
            ws,
        };
        editor.sync().await;
        editor
    }
}

/// A `yrs` document speaking y-websocket, as a client.
pub struct Editor {
    pub doc: Doc,
    pub ws: WsClient,
}

impl Editor {
    /// Sends sync step 1 and applies what comes back until the server's step 2 arrived.
    pub async fn sync(&mut self) {
        let sv = self.doc.transact().state_vector();
        self.ws
            .send_binary(Message::Sync(SyncMessage::SyncStep1(sv)).encode_v1())
            .await;
        loop {
            if let Some(Message::Sync(SyncMessage::SyncStep2(_))) =
                self.receive(shared::testing::WS_WAIT).await
            {
                return;
            }
        }
    }

    /// Receives one frame and applies it; `None` on silence.
    pub async fn receive(&mut self, wait: Duration) -> Option<Message> {
        let frame = self.ws.next_frame(wait).await?;
        let awc::ws::Frame::Binary(bytes) = frame else {
            panic!("unexpected frame {frame:?}")
        };
        let mut decoder = DecoderV1::new(Cursor::new(&bytes));
        let message = Message::decode(&mut decoder).expect("one message per frame");
        match &message {
            Message::Sync(SyncMessage::SyncStep2(update) | SyncMessage::Update(update)) => {
                self.doc
                    .transact_mut()
                    .apply_update(Update::decode_v1(update).expect("update"))
                    .expect("apply");
            }
            Message::Sync(SyncMessage::SyncStep1(sv)) => {
                let diff = self.doc.transact().encode_state_as_update_v1(sv);
                self.ws
                    .send_binary(Message::Sync(SyncMessage::SyncStep2(diff)).encode_v1())
                    .await;
            }
            _ => {}
        }
        Some(message)
    }

    /// Applies everything that arrives until `wait` passes quietly.
    pub async fn settle(&mut self, wait: Duration) {
        while self.receive(wait).await.is_some() {}
    }

    pub async fn insert(&mut self, at: u32, text: &str) {
        let code = self.doc.get_or_insert_text(collaboration::sync::CODE);
        let update = {
            let mut txn = self.doc.transact_mut();
            code.insert(&mut txn, at, text);
            txn.encode_update_v1()
        };
        self.ws
            .send_binary(collaboration::sync::update_frame(&update))
            .await;
    }

    /// Sets a value of the shared `meta` map, as the editor's language picker does.
    pub async fn set_meta(&mut self, key: &str, value: &str) {
        use yrs::Map;
        let meta = self.doc.get_or_insert_map(collaboration::sync::META);
        let update = {
            let mut txn = self.doc.transact_mut();
            meta.insert(&mut txn, key, value);
            txn.encode_update_v1()
        };
        self.ws
            .send_binary(collaboration::sync::update_frame(&update))
            .await;
    }

    pub fn meta(&self, key: &str) -> Option<String> {
        use yrs::Map;
        let meta = self.doc.get_or_insert_map(collaboration::sync::META);
        match meta.get(&self.doc.transact(), key)? {
            yrs::Out::Any(yrs::Any::String(value)) => Some(value.to_string()),
            _ => None,
        }
    }

    pub fn text(&self) -> String {
        let code = self.doc.get_or_insert_text(collaboration::sync::CODE);
        code.get_string(&self.doc.transact())
    }
}

pub const QUIET: Duration = Duration::from_millis(500);

impl Stack {
    /// Waits until in-process `node` has no room loaded.
    pub async fn until_no_room_is_open(&self, node: usize) {
        let registry = &self.registries[node];
        shared::testing::eventually("every room unloaded", Duration::from_secs(10), || async {
            registry
                .send(Rooms::<RoomActor>::default())
                .await
                .ok()?
                .is_empty()
                .then_some(())
        })
        .await;
    }

    /// The length of the room's update stream in Redis.
    pub async fn stream_length(&self, room: Uuid) -> i64 {
        let mut redis = shared::bus::connection_manager(LOCAL_REDIS)
            .await
            .expect("redis");
        redis::cmd("XLEN")
            .arg(format!("{}doc:{room}", self.redis_prefix))
            .query_async(&mut redis)
            .await
            .expect("xlen")
    }

    /// Whether the room's stream was compacted into a snapshot.
    pub async fn has_snapshot(&self, room: Uuid) -> bool {
        let mut redis = shared::bus::connection_manager(LOCAL_REDIS)
            .await
            .expect("redis");
        let exists: i64 = redis::cmd("EXISTS")
            .arg(format!("{}snapshot:{room}", self.redis_prefix))
            .query_async(&mut redis)
            .await
            .expect("exists");
        exists == 1
    }

    /// The text a member who connects now to `node` sees, once synced and quiet.
    pub async fn text_seen_by(&self, node: usize, room: &Room, member: usize) -> String {
        let mut reader = self.editor(node, room, member).await;
        reader.settle(QUIET).await;
        reader.text()
    }

    /// `GET /rooms/{room}` on `node` with `token`.
    pub async fn room_info(&self, node: usize, room: Uuid, token: &str) -> Reply {
        call(
            self.client
                .get(self.room_url(node, room))
                .bearer_auth(token),
            Body::Empty,
        )
        .await
    }

    /// `POST /rooms/{room}/end` on `node` with `token`.
    pub async fn end(&self, node: usize, room: Uuid, token: &str) -> Reply {
        call(
            self.client
                .post(format!("{}/end", self.room_url(node, room)))
                .bearer_auth(token),
            Body::Empty,
        )
        .await
    }

    pub fn room_url(&self, node: usize, room: Uuid) -> String {
        format!(
            "{}/collaboration-service-api/rooms/{room}",
            self.nodes[node]
        )
    }

    /// The attempts history holds for this room: `(user_id, outcome, code)`.
    /// Waits (up to 20 s) until both members' attempts are recorded; `what` names the wait.
    pub async fn both_recorded(&self, room: Uuid, what: &str) -> Vec<(Uuid, String, String)> {
        shared::testing::eventually(what, std::time::Duration::from_secs(20), || async {
            let recorded = self.recorded(room).await;
            (recorded.len() == 2).then_some(recorded)
        })
        .await
    }

    pub async fn recorded(&self, room: Uuid) -> Vec<(Uuid, String, String)> {
        let (client, connection) =
            tokio_postgres::connect(&self.history_db.url(), tokio_postgres::NoTls)
                .await
                .expect("connect");
        actix_web::rt::spawn(connection);
        client
            .query(
                "SELECT user_id, outcome, code FROM attempts WHERE room_id = $1 ORDER BY user_id",
                &[&room],
            )
            .await
            .expect("attempts")
            .iter()
            .map(|row| (row.get(0), row.get(1), row.get(2)))
            .collect()
    }
}
