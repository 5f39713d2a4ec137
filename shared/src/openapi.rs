//! What every service's OpenAPI document shares: the security schemes and the route that
//! serves the document at `<prefix>/openapi.json`. Paths and schemas come from the handlers'
//! `#[utoipa::path]` attributes, collected as the routes are registered (utoipa-actix-web),
//! so the document cannot drift from the routes.

use actix_web::{HttpResponse, web};
use utoipa::Modify;
use utoipa::openapi::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};

use crate::auth::{ACCESS_COOKIE, SERVICE_TOKEN_HEADER};

/// Adds `bearer_auth` (access token), `cookie_auth` (the browser's access cookie) and
/// `service_token` (service-to-service calls) to the document's components.
pub struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer_auth",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "cookie_auth",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(ACCESS_COOKIE))),
        );
        components.add_security_scheme(
            "service_token",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new(SERVICE_TOKEN_HEADER))),
        );
    }
}

/// Where a document is served: `<prefix>/openapi.json`.
pub fn document_path(prefix: &str) -> String {
    format!("{}/openapi.json", prefix.trim_end_matches('/'))
}

/// Registers `GET <prefix>/openapi.json`. The document is the resource's own data, so that a
/// service may serve two (the public one and its internal routes').
pub fn serve(prefix: &'static str, document: OpenApi) -> impl FnOnce(&mut web::ServiceConfig) {
    let document = web::Data::new(document);
    move |cfg| {
        cfg.service(
            web::resource(document_path(prefix))
                .app_data(document)
                .route(web::get().to(|document: web::Data<OpenApi>| async move {
                    HttpResponse::Ok().json(document.get_ref())
                }))
                // Another method: the JSON 405 every route gives, not actix's empty one.
                .default_service(web::to(crate::routes::no_route)),
        );
    }
}
