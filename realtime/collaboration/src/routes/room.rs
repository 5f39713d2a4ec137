//! `GET /rooms/{room_id}` and `POST /rooms/{room_id}/end`, for the room's members.

use actix::Addr;
use actix_web::{HttpResponse, get, post, web};
use serde::Serialize;
use shared::ApiError;
use shared::auth::AuthUser;
use shared::contract::{PublicProfile, QuestionBrief, Room, RoomStatus};
use shared::error::ErrorBody;
use shared::request_id::RequestId;
use toolkit::rooms::RoomDirectory;
use uuid::Uuid;

use crate::actors::Registry;
use crate::actors::room::{Describe, End, RoomActor, SessionState};

/// A room as its members see it: what matching made, and the session's live state.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RoomView {
    pub id: Uuid,
    pub members: Vec<PublicProfile>,
    pub question: QuestionBrief,
    /// The room's language now (either member may change it in the editor, to a supported
    /// language; anything else is put back).
    pub language: String,
    pub status: RoomStatus,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

fn view(room: Room, state: SessionState) -> RoomView {
    RoomView {
        id: room.id,
        members: room.members,
        question: room.question,
        language: state.language,
        status: state.status,
        created_at: room.created_at,
    }
}

fn mailbox(err: actix::MailboxError) -> ApiError {
    ApiError::unavailable(format!("the room is busy; try again ({err})"))
}

/// The caller's room and its actor (opened, and its document loaded, if need be).
async fn open(
    rooms: &RoomDirectory,
    registry: &Addr<Registry>,
    room_id: Uuid,
    caller: &AuthUser,
    request_id: &RequestId,
) -> Result<(Room, Addr<RoomActor>), ApiError> {
    let room = rooms
        .member_room_or_404(room_id, caller, request_id)
        .await?;
    let actor = toolkit::registry::open(registry, room.clone()).await?;
    Ok((room, actor))
}

/// The room's question, members, language and status (members only; others get 404).
#[utoipa::path(
    tag = "rooms",
    params(("room_id" = Uuid, Path, description = "The room's id")),
    responses(
        (status = 200, description = "The room", body = RoomView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such room of the caller's", body = ErrorBody),
        (status = 503, description = "Rooms cannot be looked up right now", body = ErrorBody),
    ),
    security(("bearer_auth" = []), ("cookie_auth" = []))
)]
#[get("/rooms/{room_id}")]
pub async fn get(
    caller: AuthUser,
    request_id: RequestId,
    rooms: web::Data<RoomDirectory>,
    registry: web::Data<Addr<Registry>>,
    room_id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let room_id = room_id.into_inner();
    let (room, actor) = open(&rooms, &registry, room_id, &caller, &request_id).await?;
    let state = actor.send(Describe).await.map_err(mailbox)?;
    Ok(HttpResponse::Ok().json(view(room, state)))
}

/// Ends the session for both members and records each one's attempt in history. Ending an
/// ended session again changes nothing (and records nothing twice). The session ends even
/// if history cannot be reached: the attempts are then recorded as soon as it can be.
#[utoipa::path(
    tag = "rooms",
    params(("room_id" = Uuid, Path, description = "The room's id")),
    responses(
        (status = 200, description = "Ended; both attempts are in history, or will be once history answers", body = RoomView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such room of the caller's", body = ErrorBody),
        (status = 503, description = "Rooms or the session store are unavailable; try again", body = ErrorBody),
    ),
    security(("bearer_auth" = []), ("cookie_auth" = []))
)]
#[post("/rooms/{room_id}/end")]
pub async fn end(
    caller: AuthUser,
    request_id: RequestId,
    rooms: web::Data<RoomDirectory>,
    registry: web::Data<Addr<Registry>>,
    room_id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let room_id = room_id.into_inner();
    let (room, actor) = open(&rooms, &registry, room_id, &caller, &request_id).await?;
    let end = End {
        request_id: request_id.clone(),
    };
    let state = actor.send(end).await.map_err(mailbox)?.map_err(|err| {
        log::error!("request_id={} room {}: {err}", request_id.0, room.id);
        ApiError::unavailable("the session could not be ended right now; try again")
    })?;
    if let Err(err) = rooms.mark_ended(room.id, &request_id).await {
        // The session's own status (in the document) is what members see; matching's
        // record catches up at the next end.
        log::warn!(
            "room {}: matching was not told the session ended: {err}",
            room.id
        );
    }
    log::info!("{} ended room {}", caller.id, room.id);
    Ok(HttpResponse::Ok().json(view(room, state)))
}
