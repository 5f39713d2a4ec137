//! The periodic purge: rows that no longer do anything go, everything still in use stays.

use std::time::Duration;

use user::purge::{Purged, Retention, purge};

use crate::helpers::spawn_app_with;

const RETENTION: Retention = Retention {
    attempts: Duration::from_secs(3600),
    ended_sessions: Duration::from_secs(30 * 24 * 3600),
};

/// Runs one statement in the test's database; rows it changed.
async fn exec(url: &str, sql: &str) -> u64 {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .expect("connect");
    actix_web::rt::spawn(connection);
    client.execute(sql, &[]).await.expect(sql)
}

async fn exists(url: &str, sql: &str) -> bool {
    shared::testing::query_one_i64(url, &format!("SELECT count(*) FROM ({sql}) AS rows")).await > 0
}

#[actix_web::test]
async fn the_purge_deletes_old_rows_and_keeps_fresh_ones() {
    let app = spawn_app_with(&[]).await;
    let user = app.new_user().await;
    let url = app.db.url();
    let uid = user.id;
    exec(
        &url,
        "INSERT INTO login_failures (subject, failed_at) VALUES \
         ('address:old', now() - interval '2 hours'), ('address:fresh', now())",
    )
    .await;
    exec(
        &url,
        &format!(
            "INSERT INTO sessions (id, user_id, expires_at, revoked_at) VALUES \
             ('00000000-0000-0000-0000-00000000000a', '{uid}', now() + interval '1 day', now() - interval '40 days'), \
             ('00000000-0000-0000-0000-00000000000b', '{uid}', now() - interval '40 days', NULL), \
             ('00000000-0000-0000-0000-00000000000c', '{uid}', now() + interval '1 day', now() - interval '1 day'), \
             ('00000000-0000-0000-0000-00000000000d', '{uid}', now() + interval '1 day', NULL)"
        ),
    )
    .await;
    exec(
        &url,
        "INSERT INTO refresh_tokens (token_hash, session_id, expires_at, used_at) VALUES \
         ('\\x01', '00000000-0000-0000-0000-00000000000c', now() + interval '1 day', NULL), \
         ('\\x02', '00000000-0000-0000-0000-00000000000d', now() - interval '1 minute', NULL), \
         ('\\x03', '00000000-0000-0000-0000-00000000000d', now() + interval '1 day', now()), \
         ('\\x04', '00000000-0000-0000-0000-00000000000d', now() + interval '1 day', NULL)",
    )
    .await;
    let pool = shared::db::pool(&app.db.settings()).expect("pool");
    let db = pool.get().await.expect("connection");

    let purged = purge(&db, RETENTION).await.expect("purge");

    assert_eq!(
        purged,
        Purged {
            attempts: 1,
            // The ended session's token, and the expired one of the live session.
            refresh_tokens: 2,
            // Revoked 40 days ago, and expired 40 days ago.
            sessions: 2,
        }
    );
    let has = |sql: &'static str| exists(&url, sql);
    assert!(!has("SELECT 1 FROM login_failures WHERE subject = 'address:old'").await);
    assert!(has("SELECT 1 FROM login_failures WHERE subject = 'address:fresh'").await);
    for gone in ["a", "b"] {
        let sql = format!(
            "SELECT 1 FROM sessions WHERE id = '00000000-0000-0000-0000-00000000000{gone}'"
        );
        assert!(!exists(&url, &sql).await, "session {gone}");
    }
    for kept in ["c", "d"] {
        let sql = format!(
            "SELECT 1 FROM sessions WHERE id = '00000000-0000-0000-0000-00000000000{kept}'"
        );
        assert!(exists(&url, &sql).await, "session {kept}");
    }
    // A used token of a live session stays: presenting it again must still be seen as reuse.
    assert!(has("SELECT 1 FROM refresh_tokens WHERE token_hash IN ('\\x03', '\\x04') HAVING count(*) = 2").await);
    // The user's own sign-up session and its token are untouched.
    assert!(
        app.me(&user.access_token).await.status.is_success(),
        "the live session still works"
    );
    assert_eq!(
        purge(&db, RETENTION).await.expect("again"),
        Purged::default()
    );
}

#[actix_web::test]
async fn the_purge_runs_on_its_schedule() {
    let app = spawn_app_with(&[
        ("PURGE_INTERVAL_SECS", "1"),
        ("LOGIN_FAILURE_WINDOW_SECS", "60"),
        ("SIGNUP_WINDOW_SECS", "60"),
    ])
    .await;
    let url = app.db.url();
    exec(
        &url,
        "INSERT INTO login_failures (subject, failed_at) VALUES \
         ('address:old', now() - interval '2 minutes'), ('address:fresh', now())",
    )
    .await;
    shared::testing::eventually("the old attempt is purged", Duration::from_secs(10), || {
        let url = url.clone();
        async move {
            (!exists(
                &url,
                "SELECT 1 FROM login_failures WHERE subject = 'address:old'",
            )
            .await)
                .then_some(())
        }
    })
    .await;
    assert!(
        exists(
            &url,
            "SELECT 1 FROM login_failures WHERE subject = 'address:fresh'"
        )
        .await
    );
}
