//! The signed-in caller of the user service: a valid access token *and* a live session.
//!
//! Other services trust the token alone until it expires; the user service, which owns the
//! sessions, also checks that the session was not logged out and reads the current role.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use shared::ApiError;
use shared::auth::{AuthUser, Role};
use uuid::Uuid;

use crate::repository::{sessions, users::User};
use crate::state::AppState;

pub struct CurrentUser {
    pub user: User,
    pub session_id: Uuid,
}

impl CurrentUser {
    pub fn require_admin(&self) -> Result<(), ApiError> {
        if self.user.role == Role::Admin {
            Ok(())
        } else {
            Err(ApiError::forbidden("only admins may do this"))
        }
    }
}

impl FromRequest for CurrentUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let auth = AuthUser::from_request_sync(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let auth = auth?;
            let state = state.ok_or_else(|| ApiError::internal(anyhow::anyhow!("no AppState")))?;
            let db = state.db().await?;
            let user = sessions::live_user(&db, auth.session_id, auth.id)
                .await?
                .ok_or_else(|| {
                    ApiError::unauthorized("session_ended", "this session has ended; sign in again")
                })?;
            Ok(Self {
                user,
                session_id: auth.session_id,
            })
        })
    }
}
