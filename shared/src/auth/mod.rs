//! Who is calling: access-token claims, the Ed25519 keys that sign and verify them, and the
//! actix extractors that turn a request into a caller.
//!
//! Only the user service signs; every other service verifies with the public key published
//! at `/user-service-api/.well-known/jwks.json`. The algorithm is pinned to EdDSA, so
//! `alg: none` and HMAC-with-the-public-key tokens are refused before any signature check.

mod claims;
mod extract;
mod keys;
pub mod revocation;
mod service;
mod settings;
mod verifier;

pub use claims::{ACCESS_TOKEN_TYPE, AccessClaims, Role};
pub use extract::{ACCESS_COOKIE, Admin, AuthUser, REFRESH_COOKIE, bearer_or_cookie_token};
pub use keys::{Jwk, JwkSet, SigningKey};
pub use revocation::{DenyList, RevocationSettings, SessionsEnded};
pub use service::{SERVICE_TOKEN_HEADER, ServiceCaller, ServiceToken};
pub use settings::VerifierSettings;
pub use verifier::{JwtVerifier, TokenError};
