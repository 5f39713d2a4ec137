//! The signed-in user's own account, and the admin's view of all accounts.

use utoipa_actix_web::service_config::ServiceConfig;

mod change_password;
mod list;
mod me;
mod set_role;
mod update_me;

pub fn config(cfg: &mut ServiceConfig) {
    cfg.service(me::me)
        .service(update_me::update_me)
        .service(change_password::change_password)
        .service(list::list)
        .service(set_role::set_role);
}
