//! Issues access tokens (short-lived EdDSA JWTs) and refresh tokens (random, opaque, stored
//! only as a SHA-256 hash).

use std::time::Duration;

use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use shared::auth::{ACCESS_TOKEN_TYPE, AccessClaims, JwkSet, JwtVerifier, SigningKey};
use shared::config::ExposeSecret;
use uuid::Uuid;

use crate::repository::users::User;
use crate::settings::TokenSettings;

pub struct TokenIssuer {
    key: SigningKey,
    pub issuer: String,
    pub audience: String,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
}

impl TokenIssuer {
    pub fn new(settings: &TokenSettings) -> anyhow::Result<Self> {
        let key = match &settings.private_key_pem {
            Some(pem) => SigningKey::from_pem(pem.expose_secret())?,
            None => {
                log::warn!(
                    "JWT_PRIVATE_KEY is not set: signing with a key made for this run only; \
                     tokens stop working when the process restarts"
                );
                SigningKey::generate()?
            }
        };
        Ok(Self {
            key,
            issuer: settings.issuer.clone(),
            audience: settings.audience.clone(),
            access_ttl: settings.access_ttl,
            refresh_ttl: settings.refresh_ttl,
        })
    }

    pub fn access_token(&self, user: &User, session_id: Uuid) -> anyhow::Result<String> {
        let now = chrono::Utc::now().timestamp();
        let ttl = i64::try_from(self.access_ttl.as_secs()).context("access ttl")?;
        self.key.sign(&AccessClaims {
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            sub: user.id,
            iat: now,
            nbf: now,
            exp: now + ttl,
            jti: Uuid::new_v4(),
            sid: session_id,
            typ: ACCESS_TOKEN_TYPE.into(),
            role: user.role,
            username: user.username.clone(),
        })
    }

    pub fn jwks(&self) -> JwkSet {
        self.key.jwks()
    }

    pub fn verifier(&self) -> anyhow::Result<JwtVerifier> {
        JwtVerifier::for_signing_key(&self.key, &self.issuer, &self.audience)
    }
}

/// A new refresh token and the hash that is stored for it.
pub fn new_refresh_token() -> anyhow::Result<(String, Vec<u8>)> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|err| anyhow::anyhow!("randomness: {err}"))?;
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_refresh_token(&token);
    Ok((token, hash))
}

pub fn hash_refresh_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_tokens_are_random_and_hashed() {
        let (a, hash_a) = new_refresh_token().expect("token");
        let (b, _) = new_refresh_token().expect("token");
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(hash_refresh_token(&a), hash_a);
        assert_ne!(hash_a, a.as_bytes());
    }
}
