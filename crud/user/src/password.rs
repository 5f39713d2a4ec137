//! Argon2id password hashing, off the async workers.

use anyhow::Context;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};

/// OWASP's minimum for Argon2id: 19 MiB of memory, two passes, one lane.
const MEMORY_KIB: u32 = 19 * 1024;
const ITERATIONS: u32 = 2;
const PARALLELISM: u32 = 1;

#[derive(Clone)]
pub struct PasswordHasher {
    params: Params,
    /// Verified against when the account does not exist, so that an unknown email costs as
    /// much time as a wrong password.
    dummy_hash: String,
}

impl PasswordHasher {
    pub fn new() -> anyhow::Result<Self> {
        let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
            .map_err(|err| anyhow::anyhow!("argon2 parameters: {err}"))?;
        let mut dummy_password = [0u8; 16];
        getrandom::fill(&mut dummy_password).map_err(|err| anyhow::anyhow!("randomness: {err}"))?;
        let dummy_hash = hash_blocking(&params, &dummy_password)?;
        Ok(Self { params, dummy_hash })
    }

    pub async fn hash(&self, password: String) -> anyhow::Result<String> {
        let params = self.params.clone();
        actix_web::web::block(move || hash_blocking(&params, password.as_bytes()))
            .await
            .context("hashing thread")?
    }

    /// Whether `password` matches `stored` (the dummy hash stands in when `None`).
    pub async fn verify(&self, password: String, stored: Option<String>) -> anyhow::Result<bool> {
        let exists = stored.is_some();
        let stored = stored.unwrap_or_else(|| self.dummy_hash.clone());
        let matches = actix_web::web::block(move || {
            let parsed = PasswordHash::new(&stored)
                .map_err(|err| anyhow::anyhow!("stored hash is not a PHC string: {err}"))?;
            anyhow::Ok(
                argon2()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok(),
            )
        })
        .await
        .context("hashing thread")??;
        Ok(exists && matches)
    }
}

fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

fn hash_blocking(params: &Params, password: &[u8]) -> anyhow::Result<String> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
        .hash_password(password)
        .map(|hash| hash.to_string())
        .map_err(|err| anyhow::anyhow!("hash password: {err}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[actix_web::test]
    async fn hashes_are_argon2id_with_the_required_cost_and_verify() {
        let hasher = PasswordHasher::new().expect("hasher");
        let hash = hasher
            .hash("correct horse battery".into())
            .await
            .expect("hash");
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(
            hasher
                .verify("correct horse battery".into(), Some(hash.clone()))
                .await
                .expect("verify")
        );
        assert!(
            !hasher
                .verify("correct horse batterx".into(), Some(hash))
                .await
                .expect("verify")
        );
    }

    #[actix_web::test]
    async fn an_unknown_account_never_verifies() {
        let hasher = PasswordHasher::new().expect("hasher");
        assert!(
            !hasher
                .verify("anything at all".into(), None)
                .await
                .expect("verify")
        );
    }
}
