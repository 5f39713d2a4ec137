//! `PATCH /users/{id}/role {role}` (admin) → the updated account. The last admin cannot be
//! demoted. This service applies a new role at once; a promotion reaches other services
//! with the user's next access token, and a demotion ends the user's sessions so that no
//! admin token is refreshed again.

use actix_web::{HttpResponse, patch, web};
use serde::Deserialize;
use shared::ApiError;
use shared::auth::Role;
use shared::error::ErrorBody;
use uuid::Uuid;

use crate::current_user::CurrentUser;
use crate::repository::sessions::{self, RevokeReason};
use crate::repository::users::{self, SetRoleError, User};
use crate::state::AppState;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetRoleBody {
    role: Role,
}

/// Changes an account's role (admins only).
#[utoipa::path(
    tag = "admin",
    params(("id" = Uuid, Path, description = "The account's id")),
    request_body = SetRoleBody,
    responses(
        (status = 200, description = "The updated account", body = User),
        (status = 400, description = "Invalid input; `details.fields` says which", body = ErrorBody),
        (status = 401, description = "Not signed in, or the token is invalid or expired", body = ErrorBody),
        (status = 403, description = "The caller is not an admin", body = ErrorBody),
        (status = 404, description = "No account has this id", body = ErrorBody),
        (status = 409, description = "That would leave no admin", body = ErrorBody),
    ),
    security(("bearer_auth" = []), ("cookie_auth" = []))
)]
#[patch("/users/{id}/role")]
pub async fn set_role(
    current: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    body: web::Json<SetRoleBody>,
) -> Result<HttpResponse, ApiError> {
    current.require_admin()?;
    let mut db = state.db().await?;
    let user = users::set_role(&mut db, id.into_inner(), body.role)
        .await
        .map_err(|err| match err {
            SetRoleError::NotFound => ApiError::not_found("no user has this id"),
            SetRoleError::LastAdmin => ApiError::conflict("last_admin", err.to_string()),
            SetRoleError::Unexpected(err) => ApiError::internal(err),
        })?;
    if user.role == Role::User {
        // Other services trust the role in access tokens until they expire; ending the
        // demoted user's sessions stops their refresh, and so any new admin token.
        let ended = sessions::revoke_all(&db, user.id, RevokeReason::Demoted).await?;
        log::info!("demoted {}: {} sessions ended", user.id, ended.len());
        state.announce_ended(user.id, ended).await;
    }
    log::info!(
        "admin {} set the role of {} to {}",
        current.user.id,
        user.id,
        user.role
    );
    Ok(HttpResponse::Ok().json(user))
}
