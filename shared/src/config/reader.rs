//! Reading the environment: [`EnvReader`] gathers every variable a service asks for, with
//! its default, and every problem (an unparsable value, a secret missing in production), and
//! [`EnvReader::finish`] reports them all at once, naming each variable.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use secrecy::SecretString;

/// Where the service runs. Production has no defaults for secrets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

impl Environment {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Development => "development",
            Self::Production => "production",
        }
    }

    pub fn is_production(self) -> bool {
        self == Self::Production
    }
}

impl FromStr for Environment {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value.to_ascii_lowercase().as_str() {
            "development" | "dev" | "local" => Ok(Self::Development),
            "production" | "prod" => Ok(Self::Production),
            other => Err(format!(
                "expected `development` or `production`, got `{other}`"
            )),
        }
    }
}

/// The configuration could not be read; the message names every variable at fault.
#[derive(Debug)]
pub struct ConfigError {
    pub problems: Vec<String>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid configuration:")?;
        for problem in &self.problems {
            write!(f, "\n  - {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

/// Reads variables from a snapshot of the environment and remembers what was wrong.
pub struct EnvReader {
    vars: HashMap<String, String>,
    environment: Environment,
    /// Whether `ENVIRONMENT` was given, rather than defaulted to development.
    environment_explicit: bool,
    problems: Vec<String>,
}

impl EnvReader {
    pub fn from_process() -> Self {
        Self::from_vars(std::env::vars())
    }

    pub fn from_vars<K: Into<String>, V: Into<String>>(
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let vars: HashMap<String, String> = vars
            .into_iter()
            .map(|(key, value)| (key.into(), value.into()))
            .filter(|(_, value)| !value.trim().is_empty())
            .collect();
        let mut reader = Self {
            environment_explicit: vars.contains_key("ENVIRONMENT"),
            vars,
            environment: Environment::Development,
            problems: Vec::new(),
        };
        reader.environment = reader.parse("ENVIRONMENT", Environment::Development);
        reader
    }

    pub fn environment(&self) -> Environment {
        self.environment
    }

    /// Whether `ENVIRONMENT` was set, so that development is a choice and not a default.
    pub fn environment_is_explicit(&self) -> bool {
        self.environment_explicit
    }

    /// The value, or `None` when unset or empty.
    pub fn optional(&self, name: &str) -> Option<String> {
        self.vars.get(name).map(|value| value.trim().to_owned())
    }

    pub fn string(&self, name: &str, default: &str) -> String {
        self.optional(name).unwrap_or_else(|| default.to_owned())
    }

    /// A parsed value; an unparsable one is reported and the default used meanwhile.
    pub fn parse<T>(&mut self, name: &str, default: T) -> T
    where
        T: FromStr,
        T::Err: fmt::Display,
    {
        match self.optional(name) {
            None => default,
            Some(raw) => match raw.parse() {
                Ok(value) => value,
                Err(err) => {
                    self.problems
                        .push(format!("{name}: invalid value `{raw}`: {err}"));
                    default
                }
            },
        }
    }

    /// A duration given in whole seconds.
    pub fn seconds(&mut self, name: &str, default: Duration) -> Duration {
        Duration::from_secs(self.parse(name, default.as_secs()))
    }

    /// A comma-separated list; empty items are dropped.
    pub fn list(&self, name: &str, default: &[&str]) -> Vec<String> {
        match self.optional(name) {
            None => default.iter().map(|item| (*item).to_owned()).collect(),
            Some(raw) => raw
                .split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(str::to_owned)
                .collect(),
        }
    }

    /// A secret: in development the default stands in; in production it must be set.
    pub fn secret(&mut self, name: &str, development_default: &str) -> SecretString {
        match self.optional(name) {
            Some(value) => SecretString::from(value),
            None => {
                if self.environment.is_production() {
                    self.problems
                        .push(format!("{name} is required when ENVIRONMENT=production"));
                }
                SecretString::from(development_default)
            }
        }
    }

    /// A secret with no development default: `None` when unset in development.
    pub fn secret_required_in_production(&mut self, name: &str) -> Option<SecretString> {
        let value = self.optional(name).map(SecretString::from);
        if value.is_none() && self.environment.is_production() {
            self.problems
                .push(format!("{name} is required when ENVIRONMENT=production"));
        }
        value
    }

    /// A parsed value that production must state (its safe value depends on the deployment);
    /// development uses the default.
    pub fn parse_required_in_production<T>(&mut self, name: &str, development_default: T) -> T
    where
        T: FromStr,
        T::Err: fmt::Display,
    {
        if self.optional(name).is_none() && self.environment.is_production() {
            self.problems
                .push(format!("{name} is required when ENVIRONMENT=production"));
        }
        self.parse(name, development_default)
    }

    /// Records a problem found while assembling a setting from several variables.
    pub fn problem(&mut self, message: impl Into<String>) {
        self.problems.push(message.into());
    }

    pub fn finish(self) -> Result<(), ConfigError> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(ConfigError {
                problems: self.problems,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;
    #[test]
    fn development_uses_defaults_for_missing_secrets() {
        let mut env = EnvReader::from_vars([("PORT", "9000")]);
        let secret = env.secret("JWT_PRIVATE_KEY", "dev");
        assert_eq!(secret.expose_secret(), "dev");
        assert_eq!(env.parse("PORT", 1u16), 9000);
        assert!(env.finish().is_ok());
    }

    #[test]
    fn production_names_every_missing_secret() {
        let mut env = EnvReader::from_vars([("ENVIRONMENT", "production")]);
        env.secret("DATABASE_URL", "x");
        env.secret_required_in_production("JWT_PRIVATE_KEY");
        let err = env.finish().expect_err("secrets are missing");
        let message = err.to_string();
        assert!(message.contains("DATABASE_URL is required"), "{message}");
        assert!(message.contains("JWT_PRIVATE_KEY is required"), "{message}");
    }

    #[test]
    fn unparsable_values_are_reported_with_their_name() {
        let mut env = EnvReader::from_vars([("PORT", "eighty"), ("ENVIRONMENT", "staging")]);
        env.parse("PORT", 1u16);
        let message = env.finish().expect_err("bad values").to_string();
        assert!(
            message.contains("PORT: invalid value `eighty`"),
            "{message}"
        );
        assert!(
            message.contains("ENVIRONMENT: invalid value `staging`"),
            "{message}"
        );
    }

    #[test]
    fn empty_values_count_as_unset() {
        let env = EnvReader::from_vars([("SENTRY_DSN", "  ")]);
        assert_eq!(env.optional("SENTRY_DSN"), None);
    }

    #[test]
    fn lists_split_on_commas() {
        let env = EnvReader::from_vars([("ALLOWED_ORIGINS", "http://a, http://b,")]);
        assert_eq!(env.list("ALLOWED_ORIGINS", &[]), ["http://a", "http://b"]);
    }

    #[test]
    fn production_must_state_what_depends_on_the_deployment() {
        let mut env = EnvReader::from_vars([("ENVIRONMENT", "production")]);
        env.parse_required_in_production("TRUSTED_PROXY_HOPS", 0usize);
        let message = env.finish().expect_err("unset").to_string();
        assert!(
            message.contains("TRUSTED_PROXY_HOPS is required"),
            "{message}"
        );

        let mut env =
            EnvReader::from_vars([("ENVIRONMENT", "production"), ("TRUSTED_PROXY_HOPS", "0")]);
        assert_eq!(
            env.parse_required_in_production("TRUSTED_PROXY_HOPS", 1usize),
            0
        );
        assert!(env.finish().is_ok());

        let mut env = EnvReader::from_vars::<&str, &str>([]);
        assert_eq!(
            env.parse_required_in_production("TRUSTED_PROXY_HOPS", 0usize),
            0
        );
        assert!(env.finish().is_ok());
    }

    #[test]
    fn secrets_do_not_print() {
        let env_secret = SecretString::from("hunter2");
        assert!(!format!("{env_secret:?}").contains("hunter2"));
    }
}
