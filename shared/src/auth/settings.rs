//! Where a service that verifies tokens (every service but the user service) gets the key.
//!
//! `JWT_PUBLIC_KEY` (SPKI PEM) wins; without it the key set is fetched at start-up from the
//! user service's JWKS endpoint (`USER_SERVICE_URL`), retrying while that service starts.

use std::time::Duration;

use anyhow::Context;

use super::keys::{Jwk, JwkSet};
use super::revocation::RevocationSettings;
use super::verifier::JwtVerifier;
use crate::config::EnvReader;

/// How long start-up waits for the user service's key set.
const JWKS_WAIT: Duration = Duration::from_secs(60);
const JWKS_RETRY_EVERY: Duration = Duration::from_secs(1);

#[derive(Debug, Clone)]
pub struct VerifierSettings {
    pub public_key_pem: Option<String>,
    /// `<USER_SERVICE_URL>/user-service-api/.well-known/jwks.json`
    pub jwks_url: String,
    pub issuer: String,
    pub audience: String,
    /// Where ended sessions are announced.
    pub revocation: RevocationSettings,
}

impl VerifierSettings {
    pub fn from_env(env: &mut EnvReader) -> Self {
        let public_key_pem = env.optional("JWT_PUBLIC_KEY");
        let user_service = env.optional("USER_SERVICE_URL");
        if env.environment().is_production() && public_key_pem.is_none() && user_service.is_none() {
            env.problem(
                "JWT_PUBLIC_KEY or USER_SERVICE_URL is required when ENVIRONMENT=production",
            );
        }
        let user_service = user_service.unwrap_or_else(|| "http://127.0.0.1:8001".into());
        Self {
            public_key_pem,
            jwks_url: format!(
                "{}/user-service-api/.well-known/jwks.json",
                user_service.trim_end_matches('/')
            ),
            issuer: env.string("JWT_ISSUER", "peerprep-user-service"),
            audience: env.string("JWT_AUDIENCE", "peerprep"),
            revocation: RevocationSettings::from_env(env),
        }
    }

    /// The verifier: from the configured key, or from the fetched key set. It follows the
    /// user service's announcements of ended sessions, and refuses their tokens.
    pub async fn verifier(&self) -> anyhow::Result<JwtVerifier> {
        let jwks = match &self.public_key_pem {
            Some(pem) => JwkSet {
                keys: vec![Jwk::from_public_pem(pem)?],
            },
            None => fetch_jwks(&self.jwks_url).await?,
        };
        let verifier = JwtVerifier::from_jwks(&jwks, &self.issuer, &self.audience)?;
        let bus = self.revocation.connect().await?;
        verifier
            .ended_sessions()
            .follow(&bus, &self.revocation.key_prefix)
            .await
            .context("follow the ended sessions")?;
        Ok(verifier)
    }
}

async fn fetch_jwks(url: &str) -> anyhow::Result<JwkSet> {
    let client = awc::Client::builder()
        .timeout(Duration::from_secs(5))
        .finish();
    let started = std::time::Instant::now();
    loop {
        let attempt = async {
            let mut response = client
                .get(url)
                .send()
                .await
                .map_err(|err| anyhow::anyhow!("{err}"))?;
            anyhow::ensure!(
                response.status().is_success(),
                "status {}",
                response.status()
            );
            response
                .json::<JwkSet>()
                .await
                .map_err(|err| anyhow::anyhow!("not a JWK set: {err}"))
        };
        match attempt.await {
            Ok(jwks) => {
                log::info!("fetched {} verification key(s) from {url}", jwks.keys.len());
                return Ok(jwks);
            }
            Err(err) if started.elapsed() < JWKS_WAIT => {
                log::warn!("waiting for the user service's keys at {url}: {err:#}");
                actix_web::rt::time::sleep(JWKS_RETRY_EVERY).await;
            }
            Err(err) => {
                return Err(err).with_context(|| format!("fetch the token keys from {url}"));
            }
        }
    }
}
