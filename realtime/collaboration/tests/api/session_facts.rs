//! What a member can write into the document cannot take the session's facts from the
//! server: the stock Yjs client writes junk into `meta` (and a quarter megabyte of code), and
//! the language, the status, ending and the attempts in history stay right. A history that
//! refuses a record (a 4xx) is not asked again forever, and End still ends.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use awc::http::StatusCode;
use serde_json::Value;

use crate::helpers::{LOCAL_REDIS, Options, QUIET, Room, Stack, spawn};

/// Runs the stock client once: it writes `metas` (`key=value`) and `code_chars` characters
/// of code as `member`, waits, and says what it sees then.
async fn stock_client_writes(
    stack: &Stack,
    node: usize,
    room: &Room,
    member: usize,
    metas: &[&str],
    code_chars: usize,
) -> Value {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/js");
    assert!(
        dir.join("node_modules/y-websocket").exists(),
        "the stock clients are not installed: run `npm ci` in {} (make test does)",
        dir.display()
    );
    let url = format!(
        "{}/collaboration-service-api/yjs",
        stack.nodes[node].replace("http://", "ws://")
    );
    let mut command = Command::new("node");
    command
        .current_dir(&dir)
        .arg("junk.mjs")
        .args(["--url", &url])
        .args(["--room", &room.id.to_string()])
        .args(["--token", &room.members[member].1])
        .args(["--code-chars", &code_chars.to_string()]);
    for meta in metas {
        command.args(["--meta", meta]);
    }
    let child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs");
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
    serde_json::from_str(stdout.trim()).unwrap_or_else(|err| panic!("{stdout:?}: {err}"))
}

async fn room_info(stack: &Stack, node: usize, room: &Room) -> Value {
    let info = stack.room_info(node, room.id, &room.members[1].1).await;
    assert_eq!(info.status, StatusCode::OK, "{}", info.body);
    info.body
}

async fn end(stack: &Stack, node: usize, room: &Room) -> (StatusCode, Value) {
    let ended = stack.end(node, room.id, &room.members[0].1).await;
    (ended.status, ended.body)
}

#[actix_web::test]
async fn junk_meta_from_a_stock_client_is_put_back_for_everyone_and_a_real_language_change_holds() {
    let stack = spawn(Options::two_processes()).await;
    let room = stack.room().await;
    let mut bob = stack.editor(1, &room, 1).await;

    let seen =
        stock_client_writes(&stack, 0, &room, 0, &["language=cobol", "status=ended"], 0).await;

    assert_eq!(
        seen["meta"]["language"], "python",
        "the writer sees it put back"
    );
    assert_eq!(seen["meta"]["status"], "active", "{seen}");
    bob.settle(QUIET).await;
    assert_eq!(bob.meta("language").as_deref(), Some("python"));
    assert_eq!(bob.meta("status").as_deref(), Some("active"));
    for node in [0, 1] {
        let info = room_info(&stack, node, &room).await;
        assert_eq!(
            (&info["language"], &info["status"]),
            (&Value::from("python"), &Value::from("active"))
        );
    }

    // A supported language, as the editor's picker sets it, is the room's language.
    let seen = stock_client_writes(&stack, 0, &room, 0, &["language=rust"], 0).await;
    assert_eq!(seen["meta"]["language"], "rust");
    bob.settle(QUIET).await;
    assert_eq!(bob.meta("language").as_deref(), Some("rust"));
    assert_eq!(room_info(&stack, 1, &room).await["language"], "rust");
    let (status, body) = end(&stack, 1, &room).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let recorded = stack.recorded(room.id).await;
    assert_eq!(recorded.len(), 2, "{recorded:?}");
}

#[actix_web::test]
async fn an_unsupported_language_and_a_quarter_megabyte_of_code_still_end_and_are_recorded() {
    let stack = spawn(Options {
        redis: Some(LOCAL_REDIS.into()),
        ..Options::default()
    })
    .await;
    let room = stack.room().await;

    let seen = stock_client_writes(&stack, 0, &room, 0, &["language=cobol"], 250_000).await;
    assert_eq!(seen["code_length"], 250_000, "{seen}");

    let (status, body) = end(&stack, 0, &room).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "ended");
    let recorded = stack.recorded(room.id).await;
    assert_eq!(recorded.len(), 2, "{recorded:?}");
    for (_, outcome, code) in &recorded {
        assert_eq!(outcome, "completed");
        assert_eq!(code.chars().count(), 250_000);
    }
    let language: Vec<String> = history_languages(&stack, &room).await;
    assert_eq!(language, vec!["python", "python"]);
}

#[actix_web::test]
async fn a_member_writing_status_ended_does_not_stop_the_abandoned_record() {
    let stack = spawn(Options {
        idle_grace_secs: 1,
        ..Options::default()
    })
    .await;
    let room = stack.room().await;

    let seen = stock_client_writes(&stack, 0, &room, 0, &["status=ended"], 5).await;
    assert_eq!(seen["meta"]["status"], "active", "{seen}");

    let recorded = stack
        .both_recorded(room.id, "the abandoned session recorded")
        .await;
    assert!(
        recorded
            .iter()
            .all(|(_, outcome, code)| outcome == "abandoned" && code == "xxxxx"),
        "{recorded:?}"
    );
}

#[actix_web::test]
async fn a_record_history_refuses_is_not_retried_and_end_still_ends() {
    let stack = spawn(Options {
        redis: Some(LOCAL_REDIS.into()),
        ..Options::default()
    })
    .await;
    let room = stack.room().await;
    // A room that claims to start in an hour: history refuses its records (422, "ended_at
    // must not be in the future"), whatever is sent again.
    let (matching, connection) =
        tokio_postgres::connect(&stack.matching_db.url(), tokio_postgres::NoTls)
            .await
            .expect("connect");
    actix_web::rt::spawn(connection);
    matching
        .execute(
            "UPDATE rooms SET created_at = now() + interval '1 hour' WHERE id = $1",
            &[&room.id],
        )
        .await
        .expect("update");

    let (status, body) = end(&stack, 0, &room).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "ended");
    assert!(stack.recorded(room.id).await.is_empty());
    let mut redis = shared::bus::connection_manager(LOCAL_REDIS)
        .await
        .expect("redis");
    let waiting: Option<f64> = redis::cmd("ZSCORE")
        .arg(format!("{}settle", stack.redis_prefix))
        .arg(room.id.to_string())
        .query_async(&mut redis)
        .await
        .expect("zscore");
    assert_eq!(waiting, None, "a refused record is not kept to retry");

    let (again, _) = end(&stack, 0, &room).await;
    assert_eq!(again, StatusCode::OK);
}

async fn history_languages(stack: &Stack, room: &Room) -> Vec<String> {
    let (client, connection) =
        tokio_postgres::connect(&stack.history_db.url(), tokio_postgres::NoTls)
            .await
            .expect("connect");
    actix_web::rt::spawn(connection);
    client
        .query(
            "SELECT language FROM attempts WHERE room_id = $1",
            &[&room.id],
        )
        .await
        .expect("attempts")
        .iter()
        .map(|row| row.get(0))
        .collect()
}
