//! The rooms matching keeps, as the services that serve a room (collaboration, chat) look
//! them up: who its members are, and telling matching a room's session ended.

use shared::ApiError;
use shared::auth::AuthUser;
use shared::client::{CallError, InternalClient};
use shared::contract::Room;
use shared::request_id::RequestId;
use uuid::Uuid;

/// Matching's internal room endpoints (`X-Service-Token`), served at `/internal/...` at the
/// root of the matching service, outside its public prefix.
#[derive(Clone)]
pub struct RoomDirectory {
    matching: InternalClient,
}

impl RoomDirectory {
    /// `matching` points at the matching service.
    pub fn new(matching: InternalClient) -> Self {
        Self { matching }
    }

    /// `GET /internal/rooms/{id}`.
    pub async fn room(&self, id: Uuid, request_id: &RequestId) -> Result<Room, CallError> {
        self.matching
            .get(&format!("/internal/rooms/{id}"), &[], request_id)
            .await
    }

    /// The room, for one of its members: 404 for an unknown room, 403 for a stranger, 503
    /// when matching cannot say.
    pub async fn member_room(
        &self,
        id: Uuid,
        user: &AuthUser,
        request_id: &RequestId,
    ) -> Result<Room, ApiError> {
        let room = self.room(id, request_id).await.map_err(|err| match err {
            err if err.is_not_found() => ApiError::not_found("no such room"),
            err => {
                log::error!(
                    "request_id={} cannot check room membership: {err}",
                    request_id.0
                );
                ApiError::unavailable("rooms cannot be checked right now; try again shortly")
            }
        })?;
        if room.has_member(user.id) {
            Ok(room)
        } else {
            Err(ApiError::forbidden("you are not a member of this room"))
        }
    }

    /// The same, where a stranger is not even told the room exists (404, as for a REST
    /// read of the room's contents).
    pub async fn member_room_or_404(
        &self,
        id: Uuid,
        user: &AuthUser,
        request_id: &RequestId,
    ) -> Result<Room, ApiError> {
        self.member_room(id, user, request_id).await.map_err(|err| {
            if err.status() == actix_web::http::StatusCode::FORBIDDEN {
                ApiError::not_found("no such room")
            } else {
                err
            }
        })
    }

    /// `POST /internal/rooms/{id}/end`: matching's record of the room says the session
    /// ended.
    pub async fn mark_ended(&self, id: Uuid, request_id: &RequestId) -> Result<Room, CallError> {
        self.matching
            .post::<(), _>(&format!("/internal/rooms/{id}/end"), None, request_id)
            .await
    }
}
