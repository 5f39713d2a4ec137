//! `GET /.well-known/jwks.json`: the public key(s) other services verify tokens with.

use actix_web::{HttpResponse, get, http::header, web};

use crate::state::AppState;

/// The public keys that verify access tokens (JWKS, RFC 7517).
#[utoipa::path(
    tag = "auth",
    responses((status = 200, description = "The key set", body = shared::auth::JwkSet))
)]
#[get("/.well-known/jwks.json")]
pub async fn jwks(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .json(state.tokens.jwks())
}
