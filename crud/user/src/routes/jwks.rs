//! `GET /.well-known/jwks.json`: the public key(s) other services verify tokens with.

use actix_web::{HttpResponse, http::header, web};

use crate::state::AppState;

pub async fn jwks(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .json(state.tokens.jwks())
}
