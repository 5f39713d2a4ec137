//! What every PeerPrep real-time service (matching, collaboration, chat) is built on, so that
//! each service is only "what is special about me":
//!
//! - [`ws`]: the websocket life cycle, written once. The upgrade (access token, `Origin`
//!   allow-list, a membership check the service passes in; 401/403/404 before anything is
//!   upgraded), the session actor with its heartbeat, a flood guard on messages and bytes,
//!   typed close codes, the open-websockets gauge, and closing every session with 1012 on
//!   SIGTERM. A service supplies a [`ws::Protocol`]: what to do with a frame.
//! - [`settings`]: the Redis, node and origin settings every real-time service reads, and
//!   the connection to Redis (or the in-process bus when there is none).
//! - [`rooms`]: the rooms matching keeps, as the services that serve a room look them up.
//! - [`registry`]: the rooms a room-based service has open on this process, an actor each.
//!
//! A crate of its own rather than a module of `shared`: the CRUD services have no actors and
//! no websockets, and this keeps actix and actix-web-actors out of their builds.

pub mod registry;
pub mod rooms;
pub mod settings;
pub mod ws;
