//! The signed-in user's own account, and the admin's view of all accounts.

use actix_web::web;

mod change_password;
mod list;
mod me;
mod set_role;
mod update_me;

pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.route("/users/me", web::get().to(me::me))
        .route("/users/me", web::patch().to(update_me::update_me))
        .route(
            "/users/me/password",
            web::post().to(change_password::change_password),
        )
        .route("/users", web::get().to(list::list))
        .route("/users/{id}/role", web::patch().to(set_role::set_role));
}
