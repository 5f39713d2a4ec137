//! Starts a matching service (which owns the rooms) and chat processes (in this test's
//! runtime, or as child processes a test can kill); makes rooms and members; a chat client
//! over a real websocket.

use std::time::Duration;

use actix::Addr;
use chat::actors::Registry;
use chat::actors::room::RoomActor;
use serde_json::{Value, json};
use shared::auth::Role;
use shared::contract::PublicProfile;
use shared::start_service;
use shared::testing::{ServiceVars, TestDatabase, TestTokens, WS_WAIT, WsClient, WsFrame};
use toolkit::registry::Rooms;
use uuid::Uuid;

pub const SERVICE_TOKEN: &str = "chat-test-token";
pub const LOCAL_REDIS: &str = "redis://127.0.0.1:6379";

pub struct Options {
    pub nodes: usize,
    pub redis: bool,
    /// Run the chat processes as child processes (so a test can kill one).
    pub as_processes: bool,
    pub messages_per_sec: u32,
    pub idle_grace_secs: u64,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            nodes: 1,
            redis: false,
            as_processes: false,
            messages_per_sec: 50,
            idle_grace_secs: 30,
        }
    }
}

impl Options {
    /// Two chat processes sharing Redis.
    pub fn two_processes() -> Self {
        Self {
            nodes: 2,
            redis: true,
            ..Self::default()
        }
    }
}

pub struct Stack {
    pub nodes: Vec<String>,
    /// Each in-process node's room registry.
    pub registries: Vec<Addr<Registry>>,
    /// Where this test's keys live in Redis (`<prefix>chat:…`).
    pub redis_prefix: String,
    pub tokens: TestTokens,
    pub matching_db: TestDatabase,
    pub chat_db: TestDatabase,
    pub client: awc::Client,
    pub children: Vec<std::process::Child>,
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
    let _ = env_logger::builder().is_test(true).try_init();
    let tokens = TestTokens::new();
    let base = ServiceVars::new(&tokens, SERVICE_TOKEN);
    let matching_db = TestDatabase::create().await.expect("db");
    let matching_url = start_service!(matching, base.clone().database(&matching_db));
    let chat_db = TestDatabase::create().await.expect("db");
    let prefix = format!("test:{}:", Uuid::new_v4().simple());
    let mut vars = base
        .database(&chat_db)
        .set("MATCHING_SERVICE_URL", matching_url)
        .set("REDIS_KEY_PREFIX", prefix.clone())
        .set("ROOM_IDLE_GRACE_SECS", options.idle_grace_secs.to_string())
        .set(
            "CHAT_MESSAGES_PER_SEC",
            options.messages_per_sec.to_string(),
        )
        .set(
            "CHAT_MESSAGE_BURST",
            (options.messages_per_sec * 2).to_string(),
        );
    if options.redis {
        vars = vars.set("REDIS_URL", LOCAL_REDIS);
    }
    let (mut nodes, mut registries, mut children) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..options.nodes {
        if options.as_processes {
            let vars = vars.clone().set("RUST_LOG", "warn");
            let (child, address) =
                shared::testing::start_child(env!("CARGO_BIN_EXE_chat-service"), &vars).await;
            children.push(child);
            nodes.push(address);
            continue;
        }
        // Not `start_service!`: the tests watch each process's rooms.
        let mut settings = chat::settings::Settings::from_reader(vars.reader()).expect("settings");
        settings.server.handle_signals = false;
        let app = chat::startup::Application::build(settings)
            .await
            .expect("chat service");
        nodes.push(format!("http://127.0.0.1:{}", app.port()));
        registries.push(app.registry());
        actix_web::rt::spawn(app.run_until_stopped());
    }
    Stack {
        nodes,
        registries,
        redis_prefix: format!("{prefix}chat:"),
        tokens,
        matching_db,
        chat_db,
        client: shared::testing::http_client(),
        children,
    }
}

/// A room's two members: `(id, username, token)`.
pub struct Room {
    pub id: Uuid,
    pub members: [(Uuid, String, String); 2],
}

impl Stack {
    /// A room as matching makes it, in matching's database.
    pub async fn room(&self) -> Room {
        let mut members = Vec::new();
        for name in ["ada", "bob"] {
            let user = Uuid::new_v4();
            let claims = self.tokens.claims(user, name, Role::User);
            members.push((user, name.to_owned(), self.tokens.sign(&claims)));
        }
        let profiles: Vec<PublicProfile> = members
            .iter()
            .map(|(id, username, _)| PublicProfile {
                id: *id,
                username: username.clone(),
            })
            .collect();
        let pool = shared::db::pool(&self.matching_db.settings()).expect("pool");
        let db = pool.get().await.expect("connection");
        let id = matching::rooms::for_testing(&db, [&profiles[0], &profiles[1]])
            .await
            .expect("room")
            .id;
        let [ada, bob]: [(Uuid, String, String); 2] = members.try_into().expect("two");
        Room {
            id,
            members: [ada, bob],
        }
    }

    pub fn ws_url(&self, node: usize, room: Uuid) -> String {
        format!(
            "{}/chat-service-api/ws/{room}",
            self.nodes[node].replace("http://", "ws://")
        )
    }

    /// A member's chat client on `node`, having seen everything up to `after`.
    pub async fn chatter(&self, node: usize, room: &Room, member: usize, after: u64) -> Chatter {
        let url = format!("{}?after={after}", self.ws_url(node, room.id));
        let ws = WsClient::connect(&url, &room.members[member].2)
            .await
            .expect("websocket");
        Chatter {
            ws,
            name: room.members[member].1.clone(),
        }
    }

    /// Waits until in-process `node` has no room open.
    pub async fn until_no_room_is_open(&self, node: usize) {
        let registry = &self.registries[node];
        shared::testing::eventually("every room unloaded", Duration::from_secs(15), || async {
            registry
                .send(Rooms::<RoomActor>::default())
                .await
                .ok()?
                .is_empty()
                .then_some(())
        })
        .await;
    }

    /// The transcript as the REST endpoint gives it, oldest first: `(id, text)`.
    pub async fn transcript(&self, node: usize, room: &Room, token: &str) -> Vec<(u64, String)> {
        let mut all = Vec::new();
        let mut before: Option<u64> = None;
        loop {
            let mut url = format!(
                "{}/chat-service-api/rooms/{}/messages?limit=200",
                self.nodes[node], room.id
            );
            if let Some(before) = before {
                url.push_str(&format!("&before={before}"));
            }
            let page = shared::testing::call(
                self.client.get(url).bearer_auth(token),
                shared::testing::Body::Empty,
            )
            .await;
            assert_eq!(page.status, 200, "{}", page.body);
            for item in page.body["items"].as_array().expect("items") {
                all.push((
                    item["id"].as_u64().expect("id"),
                    item["text"].as_str().expect("text").to_owned(),
                ));
            }
            match page.body["next_before"].as_u64() {
                Some(next) => before = Some(next),
                None => break,
            }
        }
        all.reverse();
        all
    }
}

/// A member's websocket.
pub struct Chatter {
    pub ws: WsClient,
    pub name: String,
}

impl Chatter {
    pub async fn send(&mut self, client_id: &str, text: &str) {
        self.ws
            .send_json(&json!({"type": "message", "client_id": client_id, "text": text}))
            .await;
    }

    /// The next frame of `kind` within `wait`, skipping others; `None` on silence.
    pub async fn next_of(&mut self, kind: &str, wait: Duration) -> Option<Value> {
        loop {
            match self.ws.next_frame(wait).await? {
                WsFrame::Text(bytes) => {
                    let frame: Value = serde_json::from_slice(&bytes).expect("json");
                    if frame["type"] == kind {
                        return Some(frame);
                    }
                }
                WsFrame::Close(reason) => panic!("closed: {reason:?}"),
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    /// The next message frame (presence and typing skipped).
    pub async fn message(&mut self) -> Value {
        self.next_of("message", WS_WAIT)
            .await
            .unwrap_or_else(|| panic!("{} got no message", self.name))
    }

    /// The next `n` messages: `(id, text)`.
    pub async fn messages(&mut self, n: usize) -> Vec<(u64, String)> {
        let mut got = Vec::new();
        for _ in 0..n {
            let message = self.message().await;
            got.push((
                message["id"].as_u64().expect("id"),
                message["text"].as_str().expect("text").to_owned(),
            ));
        }
        got
    }

    /// No message arrives within `wait`.
    pub async fn no_message(&mut self, wait: Duration) {
        if let Some(message) = self.next_of("message", wait).await {
            panic!("{} got an unexpected message: {message}", self.name);
        }
    }

    /// The next error frame.
    pub async fn error(&mut self) -> Value {
        self.next_of("error", WS_WAIT)
            .await
            .expect("an error frame")
    }
}

pub const QUIET: Duration = Duration::from_millis(500);
