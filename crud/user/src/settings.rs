//! The user service's settings, read once from the environment (see `.env.sample`).

use std::time::Duration;

use shared::auth::RevocationSettings;
use shared::config::{
    ConfigError, DatabaseSettings, EnvReader, ExposeSecret, SecretString, ServerSettings,
    TelemetrySettings,
};

use crate::password::HashingLimits;
use crate::validation;

pub const DEFAULT_PORT: u16 = 8001;

#[derive(Debug, Clone)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub telemetry: TelemetrySettings,
    pub tokens: TokenSettings,
    pub cookies: CookieSettings,
    pub login_limits: LoginLimits,
    pub signup_limits: SignupLimits,
    pub hashing: HashingLimits,
    pub purge: PurgeSettings,
    /// Where ended sessions are announced (`REDIS_URL`, `REDIS_KEY_PREFIX`).
    pub revocation: RevocationSettings,
    /// The account made (or promoted) to admin at start-up.
    pub admin: Option<AdminAccount>,
}

#[derive(Debug, Clone)]
pub struct TokenSettings {
    /// Ed25519 PKCS#8 PEM. Unset in development: a fresh key per start (tokens die with it).
    pub private_key_pem: Option<SecretString>,
    pub issuer: String,
    pub audience: String,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
    /// How long a just-rotated refresh token is answered again with the same new pair
    /// (two tabs refreshing at once), instead of being taken for a stolen token.
    pub refresh_reuse_grace: Duration,
}

#[derive(Debug, Clone)]
pub struct CookieSettings {
    /// Adds `Secure`; off only for plain-HTTP local development.
    pub secure: bool,
}

#[derive(Debug, Clone)]
pub struct LoginLimits {
    pub max_failures_per_account: u32,
    pub max_failures_per_address: u32,
    pub window: Duration,
    /// How many proxies in front of the service append to `X-Forwarded-For`: 0 uses the
    /// peer address, 1 the last entry (what the load balancer saw), and so on.
    pub trusted_proxy_hops: usize,
}

/// Sign-ups per client address: each one that passes validation costs a password hash.
#[derive(Debug, Clone)]
pub struct SignupLimits {
    pub max_per_address: u32,
    pub window: Duration,
}

/// The periodic clean-up of rows that no longer do anything.
#[derive(Debug, Clone)]
pub struct PurgeSettings {
    pub interval: Duration,
    /// Ended (or expired) sessions are kept this long for the user's records, then deleted.
    pub session_retention: Duration,
}

#[derive(Debug, Clone)]
pub struct AdminAccount {
    pub email: String,
    pub username: String,
    pub password: SecretString,
}

/// Development-only admin; the README gives these credentials.
const DEV_ADMIN_EMAIL: &str = "admin@peerprep.local";
const DEV_ADMIN_USERNAME: &str = "admin";
const DEV_ADMIN_PASSWORD: &str = "peerprep-dev-password";

impl Settings {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_reader(EnvReader::from_process())
    }

    pub fn from_reader(mut env: EnvReader) -> Result<Self, ConfigError> {
        let production = env.environment().is_production();
        let server = ServerSettings::from_env(&mut env, DEFAULT_PORT);
        let database = DatabaseSettings::from_env(&mut env, "user_db");
        let telemetry = TelemetrySettings::from_env(&mut env, "user-service");
        let tokens = TokenSettings {
            private_key_pem: env.secret_required_in_production("JWT_PRIVATE_KEY"),
            issuer: env.string("JWT_ISSUER", "peerprep-user-service"),
            audience: env.string("JWT_AUDIENCE", "peerprep"),
            access_ttl: env.seconds("ACCESS_TOKEN_TTL_SECS", Duration::from_secs(15 * 60)),
            refresh_ttl: env.seconds(
                "REFRESH_TOKEN_TTL_SECS",
                Duration::from_secs(14 * 24 * 3600),
            ),
            refresh_reuse_grace: env.seconds("REFRESH_REUSE_GRACE_SECS", Duration::from_secs(10)),
        };
        let cookies = CookieSettings {
            secure: env.parse("COOKIE_SECURE", production),
        };
        if production && !cookies.secure {
            // A cookie without `Secure` would carry the tokens over plain HTTP.
            env.problem("COOKIE_SECURE=false is refused when ENVIRONMENT=production");
        }
        let login_limits = LoginLimits {
            max_failures_per_account: env.parse("LOGIN_MAX_FAILURES_PER_ACCOUNT", 5),
            max_failures_per_address: env.parse("LOGIN_MAX_FAILURES_PER_ADDRESS", 20),
            window: env.seconds("LOGIN_FAILURE_WINDOW_SECS", Duration::from_secs(15 * 60)),
            // Production must say how many proxies it has: a wrong guess either lets a
            // caller forge its address in `X-Forwarded-For` or limits the load balancer.
            trusted_proxy_hops: env.parse_required_in_production("TRUSTED_PROXY_HOPS", 0),
        };
        let signup_limits = SignupLimits {
            max_per_address: env.parse("SIGNUP_MAX_PER_ADDRESS", 20),
            window: env.seconds("SIGNUP_WINDOW_SECS", Duration::from_secs(3600)),
        };
        let hashing = HashingLimits {
            concurrency: env.parse(
                "PASSWORD_HASH_CONCURRENCY",
                HashingLimits::default_concurrency(),
            ),
            queue: env.parse("PASSWORD_HASH_QUEUE", 32),
        };
        if hashing.concurrency == 0 {
            env.problem("PASSWORD_HASH_CONCURRENCY must be at least 1");
        }
        let purge = PurgeSettings {
            interval: env.seconds("PURGE_INTERVAL_SECS", Duration::from_secs(3600)),
            session_retention: env.seconds(
                "SESSION_RETENTION_SECS",
                Duration::from_secs(30 * 24 * 3600),
            ),
        };
        if purge.interval.is_zero() {
            env.problem("PURGE_INTERVAL_SECS must be at least 1");
        }
        let revocation = RevocationSettings::from_env(&mut env);
        let admin = AdminAccount {
            email: env.string("ADMIN_EMAIL", DEV_ADMIN_EMAIL),
            username: env.string("ADMIN_USERNAME", DEV_ADMIN_USERNAME),
            password: env.secret("ADMIN_PASSWORD", DEV_ADMIN_PASSWORD),
        };
        if production && env.optional("ADMIN_EMAIL").is_none() {
            env.problem("ADMIN_EMAIL is required when ENVIRONMENT=production");
        }
        let admin = match admin.validated() {
            Ok(admin) => Some(admin),
            Err(problem) => {
                env.problem(problem);
                None
            }
        };
        env.finish()?;
        Ok(Self {
            server,
            database,
            telemetry,
            tokens,
            cookies,
            login_limits,
            signup_limits,
            hashing,
            purge,
            revocation,
            admin,
        })
    }
}

impl AdminAccount {
    /// The configured admin must pass the same rules as any account.
    fn validated(self) -> Result<Self, String> {
        let email =
            validation::normalize_email(&self.email).map_err(|err| format!("ADMIN_EMAIL {err}"))?;
        let username = validation::check_username(&self.username)
            .map_err(|err| format!("ADMIN_USERNAME {err}"))?;
        validation::check_password(self.password.expose_secret(), &username, &email)
            .map_err(|err| format!("ADMIN_PASSWORD {err}"))?;
        Ok(Self {
            email,
            username,
            password: self.password,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn development_needs_no_configuration() {
        let settings =
            Settings::from_reader(EnvReader::from_vars::<&str, &str>([])).expect("defaults");
        assert_eq!(settings.server.port, DEFAULT_PORT);
        assert!(settings.tokens.private_key_pem.is_none());
        assert!(!settings.cookies.secure);
        assert_eq!(
            settings.admin.map(|a| a.email).as_deref(),
            Some(DEV_ADMIN_EMAIL)
        );
    }

    #[test]
    fn production_refuses_to_start_without_its_secrets() {
        let err = Settings::from_reader(EnvReader::from_vars([("ENVIRONMENT", "production")]))
            .expect_err("secrets missing");
        let message = err.to_string();
        for name in [
            "DATABASE_URL",
            "JWT_PRIVATE_KEY",
            "ADMIN_EMAIL",
            "ADMIN_PASSWORD",
            "TRUSTED_PROXY_HOPS",
        ] {
            assert!(
                message.contains(&format!("{name} is required")),
                "{name}: {message}"
            );
        }
    }

    #[test]
    fn production_refuses_trusted_proxy_hops_unset_and_accepts_any_stated_count() {
        let message = |hops: Option<&str>| {
            let mut vars = vec![("ENVIRONMENT", "production")];
            vars.extend(hops.map(|hops| ("TRUSTED_PROXY_HOPS", hops)));
            Settings::from_reader(EnvReader::from_vars(vars))
                .expect_err("other secrets missing")
                .to_string()
        };
        assert!(message(None).contains("TRUSTED_PROXY_HOPS is required"));
        for hops in ["0", "2"] {
            assert!(
                !message(Some(hops)).contains("TRUSTED_PROXY_HOPS"),
                "{hops}"
            );
        }
    }

    #[test]
    fn production_refuses_cookies_without_secure() {
        let message = |secure: &str| {
            Settings::from_reader(EnvReader::from_vars([
                ("ENVIRONMENT", "production"),
                ("COOKIE_SECURE", secure),
            ]))
            .expect_err("other secrets missing")
            .to_string()
        };
        assert!(message("false").contains("COOKIE_SECURE=false is refused"));
        assert!(!message("true").contains("COOKIE_SECURE"));
    }

    #[test]
    fn a_weak_admin_password_is_a_configuration_error() {
        let err = Settings::from_reader(EnvReader::from_vars([("ADMIN_PASSWORD", "short")]))
            .expect_err("weak password");
        assert!(err.to_string().contains("ADMIN_PASSWORD"), "{err}");
    }
}
