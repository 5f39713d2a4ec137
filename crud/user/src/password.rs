//! Argon2id password hashing, off the async workers and under a bound.
//!
//! Each hash or verification holds 19 MiB for tens of milliseconds. Unbounded, a burst of
//! sign-ups runs one per blocking thread at once (hundreds of threads, gigabytes of memory)
//! and every log-in waits behind them. So at most `concurrency` run at a time (one per core
//! by default), and each lane admits at most `concurrency + queue` requests: one more is
//! refused at once with [`HashError::Busy`] (503 with `Retry-After`) instead of waiting.
//! New passwords (sign-up, password change) and log-ins have separate lanes, so a flood of
//! sign-ups cannot fill the queue a log-in needs; both share the same running slots.
//!
//! The 19 MiB of working memory is allocated once per running slot and reused. Left to the
//! allocator, each hash's freed block stayed resident (glibc raises its mmap threshold after
//! the first free, then cannot reuse the fragmented holes): 34 hashes, one or two at a time,
//! still took the process from 60 MB to 690 MB.

use std::sync::{Arc, Mutex, PoisonError};

use anyhow::Context;
use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use shared::ApiError;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// OWASP's minimum for Argon2id: 19 MiB of memory, two passes, one lane.
const MEMORY_KIB: u32 = 19 * 1024;
const ITERATIONS: u32 = 2;
const PARALLELISM: u32 = 1;

/// What a refused caller is told to wait: a full queue drains in well under a second.
pub const BUSY_RETRY_AFTER_SECS: u64 = 1;

/// How much hashing may run and wait at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashingLimits {
    /// Hashes running at the same time (`PASSWORD_HASH_CONCURRENCY`, default: the cores).
    pub concurrency: usize,
    /// Requests per lane allowed to wait for a running slot (`PASSWORD_HASH_QUEUE`).
    pub queue: usize,
}

impl HashingLimits {
    pub fn default_concurrency() -> usize {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("password hashing is at capacity")]
    Busy,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl From<HashError> for ApiError {
    fn from(err: HashError) -> Self {
        match err {
            HashError::Busy => ApiError::new(
                actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "the service is busy; try again in a moment",
            )
            .with_retry_after(BUSY_RETRY_AFTER_SECS),
            HashError::Unexpected(err) => ApiError::internal(err),
        }
    }
}

#[derive(Clone)]
pub struct PasswordHasher {
    params: Params,
    /// Verified against when the account does not exist, so that an unknown email costs as
    /// much time as a wrong password.
    dummy_hash: String,
    running: Arc<Semaphore>,
    new_passwords: Arc<Semaphore>,
    log_ins: Arc<Semaphore>,
    memory: Arc<WorkingMemory>,
}

impl PasswordHasher {
    pub fn new(limits: HashingLimits) -> anyhow::Result<Self> {
        let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
            .map_err(|err| anyhow::anyhow!("argon2 parameters: {err}"))?;
        let mut dummy_password = [0u8; 16];
        getrandom::fill(&mut dummy_password).map_err(|err| anyhow::anyhow!("randomness: {err}"))?;
        let memory = Arc::new(WorkingMemory::default());
        let dummy_hash = hash_blocking(&memory, &params, &dummy_password)?;
        let concurrency = limits.concurrency.max(1);
        let admitted = concurrency + limits.queue;
        Ok(Self {
            params,
            dummy_hash,
            running: Arc::new(Semaphore::new(concurrency)),
            new_passwords: Arc::new(Semaphore::new(admitted)),
            log_ins: Arc::new(Semaphore::new(admitted)),
            memory,
        })
    }

    /// Hashes a new password (sign-up, password change, the configured admin).
    pub async fn hash(&self, password: String) -> Result<String, HashError> {
        let params = self.params.clone();
        let memory = Arc::clone(&self.memory);
        self.run(&self.new_passwords, move || {
            hash_blocking(&memory, &params, password.as_bytes())
        })
        .await?
        .map_err(HashError::from)
    }

    /// Whether `password` matches `stored` (the dummy hash stands in when `None`).
    pub async fn verify(
        &self,
        password: String,
        stored: Option<String>,
    ) -> Result<bool, HashError> {
        let exists = stored.is_some();
        let stored = stored.unwrap_or_else(|| self.dummy_hash.clone());
        let memory = Arc::clone(&self.memory);
        let matches = self
            .run(&self.log_ins, move || {
                verify_blocking(&memory, password.as_bytes(), &stored)
            })
            .await??;
        Ok(exists && matches)
    }

    /// Runs `work` on a blocking thread once a slot is free, or refuses at once when the
    /// lane is full. The permits move into the thread: a caller that gives up (a closed
    /// connection drops its future) frees its slot only when the work is really done.
    async fn run<T: Send + 'static>(
        &self,
        lane: &Arc<Semaphore>,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HashError> {
        let admitted = Arc::clone(lane)
            .try_acquire_owned()
            .map_err(|_| HashError::Busy)?;
        let slot = Arc::clone(&self.running)
            .acquire_owned()
            .await
            .context("hashing slots closed")?;
        let permits: (OwnedSemaphorePermit, OwnedSemaphorePermit) = (admitted, slot);
        let done = actix_web::web::block(move || {
            let _held = permits;
            work()
        })
        .await
        .context("hashing thread")?;
        Ok(done)
    }
}

/// Argon2 working memory, reused: a hash takes a buffer (or makes one when none is free) and
/// puts it back, so there are never more buffers than hashes that ran at once.
#[derive(Default)]
struct WorkingMemory(Mutex<Vec<Vec<Block>>>);

impl WorkingMemory {
    fn with<T>(&self, blocks: usize, work: impl FnOnce(&mut [Block]) -> T) -> T {
        let spare = self.0.lock().unwrap_or_else(PoisonError::into_inner).pop();
        let mut buffer = spare.unwrap_or_default();
        if buffer.len() < blocks {
            buffer.resize(blocks, Block::new());
        }
        let result = work(&mut buffer[..blocks]);
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(buffer);
        result
    }
}

fn raw_hash(
    memory: &WorkingMemory,
    argon: &Argon2<'_>,
    blocks: usize,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> anyhow::Result<()> {
    memory
        .with(blocks, |buffer| {
            argon.hash_password_into_with_memory(password, salt, out, buffer)
        })
        .map_err(|err| anyhow::anyhow!("argon2: {err}"))
}

/// A new PHC string (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`) with a random salt.
fn hash_blocking(
    memory: &WorkingMemory,
    params: &Params,
    password: &[u8],
) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|err| anyhow::anyhow!("randomness: {err}"))?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let mut out = vec![0u8; params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN)];
    raw_hash(
        memory,
        &argon,
        params.block_count(),
        password,
        &salt,
        &mut out,
    )?;
    let phc = |err| anyhow::anyhow!("PHC string: {err}");
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(params).map_err(|err| anyhow::anyhow!("{err}"))?,
        salt: Some(Salt::new(&salt).map_err(phc)?),
        hash: Some(Output::new(&out).map_err(phc)?),
    };
    Ok(hash.to_string())
}

/// Whether `password` matches the PHC string `stored` (compared in constant time).
fn verify_blocking(memory: &WorkingMemory, password: &[u8], stored: &str) -> anyhow::Result<bool> {
    let parsed = PasswordHash::new(stored)
        .map_err(|err| anyhow::anyhow!("stored hash is not a PHC string: {err}"))?;
    let (Some(salt), Some(expected)) = (&parsed.salt, &parsed.hash) else {
        anyhow::bail!("stored hash has no salt or output");
    };
    let params = Params::try_from(&parsed).map_err(|err| anyhow::anyhow!("{err}"))?;
    let algorithm =
        Algorithm::try_from(parsed.algorithm.as_str()).map_err(|err| anyhow::anyhow!("{err}"))?;
    let version = parsed
        .version
        .map(Version::try_from)
        .transpose()
        .map_err(|err| anyhow::anyhow!("{err}"))?
        .unwrap_or_default();
    let blocks = params.block_count();
    let argon = Argon2::new(algorithm, version, params);
    let mut out = vec![0u8; expected.len()];
    raw_hash(memory, &argon, blocks, password, salt.as_ref(), &mut out)?;
    let computed = Output::new(&out).map_err(|err| anyhow::anyhow!("{err}"))?;
    // `Output`'s equality is constant-time.
    Ok(computed == *expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOMY: HashingLimits = HashingLimits {
        concurrency: 2,
        queue: 8,
    };

    #[actix_web::test]
    async fn hashes_are_argon2id_with_the_required_cost_and_verify() {
        let hasher = PasswordHasher::new(ROOMY).expect("hasher");
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

    #[test]
    fn hashes_agree_with_the_argon2_crates_own_hasher_both_ways() {
        use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
        let memory = WorkingMemory::default();
        let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None).expect("params");
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
        // Stored before this module managed memory itself: still verifies.
        let old = argon
            .hash_password(b"correct horse battery")
            .expect("hash")
            .to_string();
        assert!(verify_blocking(&memory, b"correct horse battery", &old).expect("verify"));
        assert!(!verify_blocking(&memory, b"correct horse batterx", &old).expect("verify"));
        // And the crate accepts ours.
        let ours = hash_blocking(&memory, &params, b"correct horse battery").expect("hash");
        let parsed = PasswordHash::new(&ours).expect("PHC");
        assert!(
            argon
                .verify_password(b"correct horse battery", &parsed)
                .is_ok()
        );
        assert_eq!(
            memory.0.lock().expect("lock").len(),
            1,
            "one buffer, reused"
        );
    }

    #[actix_web::test]
    async fn an_unknown_account_never_verifies() {
        let hasher = PasswordHasher::new(ROOMY).expect("hasher");
        assert!(
            !hasher
                .verify("anything at all".into(), None)
                .await
                .expect("verify")
        );
    }

    #[actix_web::test]
    async fn past_the_running_slots_and_the_queue_a_lane_refuses_at_once() {
        let hasher = PasswordHasher::new(HashingLimits {
            concurrency: 1,
            queue: 1,
        })
        .expect("hasher");
        let (a, b, c, login) = tokio::join!(
            hasher.hash("first password here".into()),
            hasher.hash("second password here".into()),
            hasher.hash("third password here".into()),
            // Log-ins have their own lane: a full sign-up lane does not refuse them.
            hasher.verify("a guess at a password".into(), None),
        );
        assert!(a.is_ok() && b.is_ok());
        assert!(matches!(c, Err(HashError::Busy)), "{c:?}");
        assert!(matches!(login, Ok(false)), "{login:?}");
    }
}
