//! Every route a service answers, with its method and whether it reads a query string: built
//! by [`crate::http::serve`] from the same OpenAPI documents the handlers register (plus the
//! operational routes and the websocket upgrade), so it cannot drift from them. Two rules
//! every service follows come from it:
//!
//! - A known path asked with a method it does not answer is a 405 `method_not_allowed` with
//!   `Allow` (not a 404: the path exists).
//! - A query string on a route that reads none is a 400 `invalid_query` (routes that read one
//!   refuse unknown parameters themselves, with `#[serde(deny_unknown_fields)]`).

use actix_web::body::MessageBody;
use actix_web::dev::{ResourceDef, ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use utoipa::openapi::path::ParameterIn;
use utoipa::openapi::{OpenApi, RefOr};

use crate::error::ApiError;

struct Route {
    path: ResourceDef,
    method: Method,
    reads_query: bool,
}

/// What paths, methods and query strings a service answers.
#[derive(Default)]
pub struct RouteTable {
    routes: Vec<Route>,
}

impl RouteTable {
    pub fn add(&mut self, path: &str, method: Method, reads_query: bool) {
        self.routes.push(Route {
            path: ResourceDef::new(path),
            method,
            reads_query,
        });
    }

    /// Every operation of a document; a route reads a query when it declares a query
    /// parameter.
    pub fn add_document(&mut self, document: &OpenApi) {
        for (path, item) in &document.paths.paths {
            let operations = [
                (Method::GET, &item.get),
                (Method::PUT, &item.put),
                (Method::POST, &item.post),
                (Method::DELETE, &item.delete),
                (Method::OPTIONS, &item.options),
                (Method::HEAD, &item.head),
                (Method::PATCH, &item.patch),
                (Method::TRACE, &item.trace),
            ];
            for (method, operation) in operations {
                let Some(operation) = operation else { continue };
                let reads_query = operation.parameters.iter().flatten().any(|parameter| {
                    matches!(parameter, RefOr::T(parameter) if matches!(parameter.parameter_in, ParameterIn::Query))
                });
                self.add(path, method, reads_query);
            }
        }
    }

    /// The methods `path` answers, in a stable order (empty: an unknown path).
    pub fn allowed(&self, path: &str) -> Vec<Method> {
        let mut methods: Vec<Method> = Vec::new();
        for route in self.routes.iter().filter(|route| route.path.is_match(path)) {
            if !methods.contains(&route.method) {
                methods.push(route.method.clone());
            }
        }
        methods.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        methods
    }

    /// `Some(false)` when `method path` is a known route and none of its matches reads a
    /// query string; `None` for an unknown route.
    pub fn reads_query(&self, method: &Method, path: &str) -> Option<bool> {
        self.routes
            .iter()
            .filter(|route| route.method == method && route.path.is_match(path))
            .map(|route| route.reads_query)
            .reduce(|a, b| a || b)
    }
}

/// Middleware: a query string on a route that reads none is refused before the handler runs.
pub async fn refuse_unread_queries(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if !req.query_string().is_empty()
        && let Some(table) = req.app_data::<web::Data<RouteTable>>()
        && table.reads_query(req.method(), req.path()) == Some(false)
    {
        let message = format!("{} {} takes no query parameters", req.method(), req.path());
        // A response, not an error, so that the request-id middleware around this one logs,
        // counts and tags it like any other answer.
        let response = ApiError::bad_request("invalid_query", message).error_response();
        return Ok(req.into_response(response));
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}

/// The default service: a known path with another method is a 405 with `Allow`; any other
/// path a JSON 404.
pub async fn no_route(
    req: HttpRequest,
    table: web::Data<RouteTable>,
) -> Result<HttpResponse, ApiError> {
    let allowed = table.allowed(req.path());
    if allowed.is_empty() {
        return Err(ApiError::not_found(format!(
            "no route for {} {}",
            req.method(),
            req.path()
        )));
    }
    let names: Vec<&str> = allowed.iter().map(Method::as_str).collect();
    Err(ApiError::method_not_allowed(format!(
        "{} {} is not allowed; it answers {}",
        req.method(),
        req.path(),
        names.join(", ")
    ))
    .with_allow(names.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> RouteTable {
        let mut table = RouteTable::default();
        table.add("/q/questions/{id}", Method::GET, false);
        table.add("/q/questions/{id}", Method::PUT, false);
        table.add("/q/questions/{id}", Method::DELETE, false);
        table.add("/q/questions/pick", Method::GET, true);
        table.add("/q/questions", Method::GET, true);
        table.add("/q/questions", Method::POST, false);
        table
    }

    #[test]
    fn a_known_path_lists_its_methods_once_each_in_order() {
        let table = table();
        assert_eq!(table.allowed("/q/questions"), [Method::GET, Method::POST]);
        assert_eq!(
            table.allowed("/q/questions/pick"),
            [Method::DELETE, Method::GET, Method::PUT]
        );
        assert!(table.allowed("/q/nothing").is_empty());
        assert!(table.allowed("/q/questions/a/b").is_empty());
    }

    #[test]
    fn a_route_reads_a_query_when_any_of_its_matches_does() {
        let table = table();
        assert_eq!(table.reads_query(&Method::GET, "/q/questions"), Some(true));
        assert_eq!(
            table.reads_query(&Method::POST, "/q/questions"),
            Some(false)
        );
        assert_eq!(
            table.reads_query(&Method::GET, "/q/questions/abc"),
            Some(false)
        );
        assert_eq!(
            table.reads_query(&Method::GET, "/q/questions/pick"),
            Some(true)
        );
        assert_eq!(table.reads_query(&Method::PATCH, "/q/questions"), None);
    }
}
