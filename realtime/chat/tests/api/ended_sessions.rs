//! A log-in that ends elsewhere (signed out, password changed, demoted) ends here too: the
//! user service announces it on the bus, the member's websocket is closed, and the token is
//! refused by the upgrade and the REST endpoint, while the other member chats on.

use std::time::Duration;

use awc::http::StatusCode;
use awc::ws::CloseCode;
use shared::auth::SessionsEnded;
use shared::auth::revocation::announce;
use shared::bus::Bus;
use shared::testing::{TestTokens, WsClient, refused_upgrade};

use crate::helpers::{LOCAL_REDIS, Options, spawn};

#[actix_web::test]
async fn a_member_whose_log_in_ends_is_closed_and_refused_while_the_other_chats_on() {
    let stack = spawn(Options::two_processes()).await;
    let room = stack.room().await;
    let (ada_id, _, ada_token) = room.members[0].clone();
    let mut ada_here = stack.chatter(0, &room, 0, 0).await;
    let mut ada_there = stack.chatter(1, &room, 0, 0).await;
    let mut bob = stack.chatter(1, &room, 1, 0).await;

    let bus = Bus::connect(Some(LOCAL_REDIS)).await.expect("redis");
    let prefix = stack.redis_prefix.trim_end_matches("chat:");
    let ended = SessionsEnded::new(
        ada_id,
        vec![TestTokens::session_of(&ada_token)],
        Duration::from_secs(600),
    );
    announce(&bus, prefix, &ended).await.expect("announce");

    for ada in [&mut ada_here, &mut ada_there] {
        let reason = ada.ws.closed().await.expect("a close reason");
        assert_eq!(reason.code, CloseCode::Policy);
        assert!(
            reason
                .description
                .unwrap_or_default()
                .contains("session has ended"),
            "the reason says why"
        );
    }
    for node in 0..2 {
        let refused = WsClient::connect(&stack.ws_url(node, room.id), &ada_token).await;
        assert_eq!(refused_upgrade(refused), StatusCode::UNAUTHORIZED);
    }
    let transcript = shared::testing::call(
        stack
            .client
            .get(format!(
                "{}/chat-service-api/rooms/{}/messages",
                stack.nodes[0], room.id
            ))
            .bearer_auth(&ada_token),
        shared::testing::Body::Empty,
    )
    .await;
    assert_eq!(transcript.status, 401);
    assert_eq!(transcript.code(), "session_ended");

    bob.send("b-1", "still here").await;
    assert_eq!(bob.messages(1).await, vec![(1, "still here".to_owned())]);
    let bob_token = &room.members[1].2;
    assert_eq!(stack.transcript(0, &room, bob_token).await.len(), 1);
}
