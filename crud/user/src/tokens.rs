//! Issues access tokens (short-lived EdDSA JWTs) and refresh tokens (opaque, stored only as
//! a SHA-256 hash).
//!
//! A session's first refresh token is random; each next one is derived from the token it
//! replaces, `HMAC-SHA256(server key, presented token)`, with the access token's `jti` derived
//! the same way and its `iat` the time of the rotation. So a just-rotated token presented
//! again (a second tab refreshing at the same moment) yields the very same pair without
//! storing any token in a form that could be read back: only the server key, which is
//! derived from the signing key every task already holds, can compute a successor, and only
//! from a token the caller actually has.

use std::time::Duration;

use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
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
    pub refresh_reuse_grace: Duration,
    /// Derives successors of refresh tokens (see the module header).
    successor_key: [u8; 32],
}

/// A refresh token's successor, and the `jti` of the access token issued with it.
pub struct Successor {
    pub refresh_token: String,
    pub refresh_hash: Vec<u8>,
    pub access_jti: Uuid,
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
        let successor_key = Sha256::new()
            .chain_update(b"peerprep refresh-token successor key v1\0")
            .chain_update(key.to_pem().expose_secret().as_bytes())
            .finalize()
            .into();
        Ok(Self {
            key,
            issuer: settings.issuer.clone(),
            audience: settings.audience.clone(),
            access_ttl: settings.access_ttl,
            refresh_ttl: settings.refresh_ttl,
            refresh_reuse_grace: settings.refresh_reuse_grace,
            successor_key,
        })
    }

    pub fn access_token(&self, user: &User, session_id: Uuid) -> anyhow::Result<String> {
        self.access_token_at(user, session_id, Utc::now(), Uuid::new_v4())
    }

    /// An access token issued at `issued_at` with this `jti`: the same inputs give the same
    /// token (Ed25519 signatures are deterministic).
    pub fn access_token_at(
        &self,
        user: &User,
        session_id: Uuid,
        issued_at: DateTime<Utc>,
        jti: Uuid,
    ) -> anyhow::Result<String> {
        let now = issued_at.timestamp();
        let ttl = i64::try_from(self.access_ttl.as_secs()).context("access ttl")?;
        self.key.sign(&AccessClaims {
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            sub: user.id,
            iat: now,
            nbf: now,
            exp: now + ttl,
            jti,
            sid: session_id,
            typ: ACCESS_TOKEN_TYPE.into(),
            role: user.role,
            username: user.username.clone(),
        })
    }

    /// The successor of `presented`: always the same for the same token and key.
    pub fn successor(&self, presented: &str) -> Successor {
        let derive = |purpose: &[u8]| {
            let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.successor_key)
                .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
            mac.update(purpose);
            mac.update(presented.as_bytes());
            mac.finalize().into_bytes()
        };
        let refresh_token = URL_SAFE_NO_PAD.encode(derive(b"refresh\0"));
        let jti_bytes = derive(b"jti\0");
        let mut jti = [0u8; 16];
        jti.copy_from_slice(&jti_bytes[..16]);
        Successor {
            refresh_hash: hash_refresh_token(&refresh_token),
            refresh_token,
            access_jti: uuid::Builder::from_random_bytes(jti).into_uuid(),
        }
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

    fn issuer(key: &SigningKey) -> TokenIssuer {
        let pem = key.to_pem().expose_secret().to_owned();
        TokenIssuer::new(&TokenSettings {
            private_key_pem: Some(pem.into()),
            issuer: "test".into(),
            audience: "test".into(),
            access_ttl: Duration::from_secs(60),
            refresh_ttl: Duration::from_secs(600),
            refresh_reuse_grace: Duration::from_secs(10),
        })
        .expect("issuer")
    }

    #[test]
    fn a_successor_depends_only_on_the_presented_token_and_the_key() {
        let key = SigningKey::generate().expect("key");
        let (one, two) = (issuer(&key), issuer(&key));
        let first = one.successor("token-a");
        assert_eq!(first.refresh_token, two.successor("token-a").refresh_token);
        assert_eq!(first.access_jti, two.successor("token-a").access_jti);
        assert_eq!(first.refresh_hash, hash_refresh_token(&first.refresh_token));
        assert_eq!(first.refresh_token.len(), 43);
        assert_ne!(first.refresh_token, one.successor("token-b").refresh_token);
        let other_key = issuer(&SigningKey::generate().expect("key"));
        assert_ne!(
            first.refresh_token,
            other_key.successor("token-a").refresh_token
        );
    }
}
