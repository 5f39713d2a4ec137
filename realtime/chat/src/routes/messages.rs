//! `GET /rooms/{room_id}/messages?before=&limit=`: the room's transcript, newest first, for
//! its members and for admins. Whatever the live log holds that the transcript does not yet
//! is copied first, so nothing a member was shown is missing.

use actix_web::{HttpResponse, get, web};
use serde::{Deserialize, Serialize};
use shared::ApiError;
use shared::auth::AuthUser;
use shared::db::PgPool;
use shared::error::{ErrorBody, FieldErrors};
use shared::request_id::RequestId;
use toolkit::rooms::RoomDirectory;
use uuid::Uuid;

use crate::flush;
use crate::protocol::ChatMessage;
use crate::store::LogStore;
use crate::transcript;

const DEFAULT_LIMIT: u32 = 50;
const MAX_LIMIT: u32 = 200;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// Only messages with a smaller id (the `next_before` of the previous page).
    before: Option<u64>,
    /// How many, 1 to 200 (default 50).
    limit: Option<u32>,
}

/// A page of a room's messages, newest first.
#[derive(Serialize, utoipa::ToSchema)]
pub struct MessagePage {
    pub items: Vec<ChatMessage>,
    /// Pass as `before` for the next (older) page; absent on the last page.
    pub next_before: Option<u64>,
}

/// The room's messages, newest first (members and admins; others get 404).
#[utoipa::path(
    tag = "messages",
    params(("room_id" = Uuid, Path, description = "The room's id"), PageQuery),
    responses(
        (status = 200, description = "A page of messages", body = MessagePage),
        (status = 400, description = "A bad `before` or `limit`", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such room of the caller's", body = ErrorBody),
        (status = 503, description = "Rooms or messages cannot be read right now", body = ErrorBody),
    ),
    security(("bearer_auth" = []), ("cookie_auth" = []))
)]
#[get("/rooms/{room_id}/messages")]
pub async fn list(
    caller: AuthUser,
    request_id: RequestId,
    room_id: web::Path<Uuid>,
    query: web::Query<PageQuery>,
    rooms: web::Data<RoomDirectory>,
    log: web::Data<LogStore>,
    pool: web::Data<PgPool>,
) -> Result<HttpResponse, ApiError> {
    let room = room_id.into_inner();
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    let mut errors = FieldErrors::default();
    if !(1..=MAX_LIMIT).contains(&limit) {
        errors.add("limit", format!("must be 1 to {MAX_LIMIT}"));
    }
    if query.before == Some(0) {
        errors.add("before", "must be at least 1");
    }
    errors.into_result()?;
    if !caller.is_admin() {
        rooms.member_room_or_404(room, &caller, &request_id).await?;
    }
    flush::flush(&log, &pool, room, None).await.map_err(|err| {
        log::error!("request_id={} room {room}: {err:#}", request_id.0);
        ApiError::unavailable("messages cannot be read right now; try again shortly")
    })?;
    let db = shared::db::connection(&pool).await?;
    // One more than asked, to know whether an older page exists.
    let mut items = transcript::page(&db, room, query.before, limit + 1).await?;
    let more = items.len() > limit as usize;
    items.truncate(limit as usize);
    let next_before = more.then(|| items.last().map(|m| m.id)).flatten();
    Ok(HttpResponse::Ok().json(MessagePage { items, next_before }))
}
