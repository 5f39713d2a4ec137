//! The stock JavaScript clients (`yjs` + `y-websocket`, installed by `make test` from npm)
//! under Node, editing concurrently at random through the service.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::helpers::{Options, Room, Stack, spawn};

fn js_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/js")
}

struct ClientRun<'a> {
    urls: Vec<String>,
    room: &'a Room,
    member: usize,
    name: &'a str,
    edits: u32,
    seed: u32,
    inserts_only: bool,
    pace_ms: u32,
}

fn start_client(run: &ClientRun<'_>) -> Child {
    let dir = js_dir();
    assert!(
        dir.join("node_modules/y-websocket").exists(),
        "the stock clients are not installed: run `npm ci` in {} (make test does)",
        dir.display()
    );
    let mut command = Command::new("node");
    command
        .current_dir(&dir)
        .arg("client.mjs")
        .args(["--urls", &run.urls.join(",")])
        .args(["--room", &run.room.id.to_string()])
        .args(["--token", &run.room.members[run.member].1])
        .args(["--name", run.name])
        .args(["--edits", &run.edits.to_string()])
        .args(["--seed", &run.seed.to_string()]);
    if run.inserts_only {
        command.arg("--inserts-only");
    }
    command.args(["--pace-ms", &run.pace_ms.to_string()]);
    command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs")
}

/// Waits for a client to print its result.
async fn finish(child: Child) -> Value {
    let output = actix_web::rt::task::spawn_blocking(move || child.wait_with_output())
        .await
        .expect("join")
        .expect("client output");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "client failed: {stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut result: Value = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|err| panic!("client printed {stdout:?}: {err}"));
    result["log"] = Value::String(String::from_utf8_lossy(&output.stderr).into_owned());
    result
}

fn ws_base(stack: &Stack, node: usize) -> String {
    format!(
        "{}/collaboration-service-api/yjs",
        stack.nodes[node].replace("http://", "ws://")
    )
}

#[actix_web::test]
async fn stock_clients_editing_concurrently_at_random_converge() {
    let stack = spawn(Options::default()).await;
    let room = stack.room().await;
    let url = ws_base(&stack, 0);
    let ada = start_client(&ClientRun {
        urls: vec![url.clone()],
        room: &room,
        member: 0,
        name: "ada",
        edits: 150,
        seed: 1,
        inserts_only: false,
        pace_ms: 0,
    });
    let bob = start_client(&ClientRun {
        urls: vec![url],
        room: &room,
        member: 1,
        name: "bob",
        edits: 150,
        seed: 2,
        inserts_only: false,
        pace_ms: 0,
    });
    let (ada, bob) = (finish(ada).await, finish(bob).await);

    assert_eq!(ada["done"], 2);
    assert_eq!(ada["text"], bob["text"], "the clients diverged");
    assert!(!ada["text"].as_str().unwrap_or_default().is_empty());
    assert_eq!(
        stack.text_seen_by(0, &room, 0).await,
        ada["text"].as_str().unwrap_or_default()
    );
}

#[actix_web::test]
async fn stock_clients_on_different_processes_converge() {
    let stack = spawn(Options::two_processes()).await;
    let room = stack.room().await;
    let ada = start_client(&ClientRun {
        urls: vec![ws_base(&stack, 0)],
        room: &room,
        member: 0,
        name: "ada",
        edits: 150,
        seed: 3,
        inserts_only: false,
        pace_ms: 0,
    });
    let bob = start_client(&ClientRun {
        urls: vec![ws_base(&stack, 1)],
        room: &room,
        member: 1,
        name: "bob",
        edits: 150,
        seed: 4,
        inserts_only: false,
        pace_ms: 0,
    });
    let (ada, bob) = (finish(ada).await, finish(bob).await);

    assert_eq!(ada["text"], bob["text"], "the clients diverged");
    assert_eq!(
        stack.text_seen_by(1, &room, 0).await,
        ada["text"].as_str().unwrap_or_default()
    );
}

#[actix_web::test]
async fn killing_a_process_mid_edit_loses_no_edit() {
    let mut stack = spawn(Options {
        as_processes: true,
        ..Options::two_processes()
    })
    .await;
    let room = stack.room().await;
    let (zero, one) = (ws_base(&stack, 0), ws_base(&stack, 1));
    let ada = start_client(&ClientRun {
        urls: vec![zero.clone(), one.clone()],
        room: &room,
        member: 0,
        name: "ada",
        edits: 400,
        seed: 5,
        inserts_only: true,
        pace_ms: 4,
    });
    let bob = start_client(&ClientRun {
        urls: vec![one, zero],
        room: &room,
        member: 1,
        name: "bob",
        edits: 400,
        seed: 6,
        inserts_only: true,
        pace_ms: 4,
    });

    // Killed mid-run: once a good part of the edits is stored (the stream shrinks when
    // it is compacted, so a snapshot counts too).
    shared::testing::eventually("edits are flowing", Duration::from_secs(30), || async {
        (stack.stream_length(room.id).await >= 100 || stack.has_snapshot(room.id).await)
            .then_some(())
    })
    .await;
    let mut victim = stack.children.remove(0);
    victim.kill().expect("SIGKILL process zero");
    victim.wait().expect("reaped");

    let (ada, bob) = (finish(ada).await, finish(bob).await);
    let text = ada["text"].as_str().expect("text").to_owned();
    let reconnected = ada["log"]
        .as_str()
        .unwrap_or_default()
        .matches(" connected")
        .count();
    assert!(
        reconnected >= 2,
        "ada never moved to the other process:\n{}",
        ada["log"]
    );
    assert_eq!(
        ada["text"],
        bob["text"],
        "the clients diverged:\n{}\n{}\n{}",
        ada["log"].as_str().unwrap_or(""),
        bob["log"].as_str().unwrap_or(""),
        ada["done"]
    );
    for client in [&ada, &bob] {
        for token in client["tokens"].as_array().expect("tokens") {
            assert!(
                text.contains(token.as_str().expect("token")),
                "lost edit {token}"
            );
        }
    }
    // What the surviving process stored is everything.
    assert_eq!(stack.text_seen_by(1, &room, 0).await, text);
}

#[actix_web::test]
async fn the_example_client_stops_at_a_refusal_and_says_why() {
    let stack = spawn(Options::default()).await;
    let room = stack.room().await;
    let stranger = stack.tokens.new_user(shared::auth::Role::User).1;
    let member = room.members[0].clone();
    for (token, room_id, status) in [
        ("not-a-token", room.id, "401"),
        (stranger.as_str(), room.id, "403"),
        (member.1.as_str(), uuid::Uuid::new_v4(), "404"),
    ] {
        let refused = Room {
            id: room_id,
            members: [(member.0, token.to_owned()), member.clone()],
        };
        let run = ClientRun {
            urls: vec![ws_base(&stack, 0)],
            room: &refused,
            member: 0,
            name: "ada",
            edits: 1,
            seed: 1,
            inserts_only: false,
            pace_ms: 0,
        };
        let child = start_client(&run);
        let output = actix_web::rt::time::timeout(
            Duration::from_secs(20),
            actix_web::rt::task::spawn_blocking(move || child.wait_with_output()),
        )
        .await
        .expect("the client exits instead of retrying")
        .expect("join")
        .expect("output");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains(&format!("refused the websocket: {status}")),
            "{stderr}"
        );
    }
}
