//! `GET /users/me` → the caller's account.

use actix_web::HttpResponse;

use crate::current_user::CurrentUser;

pub async fn me(current: CurrentUser) -> HttpResponse {
    HttpResponse::Ok().json(current.user)
}
