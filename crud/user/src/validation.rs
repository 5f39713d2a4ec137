//! Rules for emails, usernames and passwords. Each check returns the cleaned value or a
//! message that completes the sentence "<field> …".

/// Password length bounds, in characters. Longer ones are refused, never truncated.
pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 128;
pub const MIN_USERNAME_CHARS: usize = 3;
pub const MAX_USERNAME_CHARS: usize = 32;
const MAX_EMAIL_LEN: usize = 254;

/// Passwords long enough to pass the length rule that are still guessed first.
const COMMON_PASSWORDS: &[&str] = &[
    "password1234",
    "password12345",
    "123456789012",
    "1234567890123",
    "qwertyuiopas",
    "qwerty123456",
    "111111111111",
    "iloveyou1234",
    "letmein12345",
    "welcome12345",
    "administrator",
    "passwordpassword",
];

/// Trims and lower-cases an email address and checks its shape. Deliverability is not
/// checked (there is no mail here); the shape check catches typos and junk.
pub fn normalize_email(raw: &str) -> Result<String, String> {
    let email = raw.trim().to_lowercase();
    if email.is_empty() {
        return Err("is required".into());
    }
    if email.len() > MAX_EMAIL_LEN {
        return Err(format!("must be at most {MAX_EMAIL_LEN} characters"));
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Err("is not an email address".into());
    };
    let valid_local = !local.is_empty() && local.len() <= 64;
    let valid_domain = domain.contains('.')
        && domain.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    let no_odd_chars = !email
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\\\"".contains(c));
    if valid_local && valid_domain && no_odd_chars && !domain.contains('@') {
        Ok(email)
    } else {
        Err("is not an email address".into())
    }
}

/// Letters, digits, `_`, `-` and `.`, starting with a letter or digit.
pub fn check_username(raw: &str) -> Result<String, String> {
    let username = raw.trim();
    let length = username.chars().count();
    if !(MIN_USERNAME_CHARS..=MAX_USERNAME_CHARS).contains(&length) {
        return Err(format!(
            "must be {MIN_USERNAME_CHARS} to {MAX_USERNAME_CHARS} characters"
        ));
    }
    let mut chars = username.chars();
    let starts_well = chars.next().is_some_and(|c| c.is_ascii_alphanumeric());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c));
    if starts_well && rest_ok {
        Ok(username.to_owned())
    } else {
        Err("may hold only letters, digits, `_`, `-` and `.`, and must start with a letter or digit".into())
    }
}

/// Length in characters (not bytes), not a well-known password, not the account's own name.
pub fn check_password(password: &str, username: &str, email: &str) -> Result<(), String> {
    let length = password.chars().count();
    if length < MIN_PASSWORD_CHARS {
        return Err(format!("must be at least {MIN_PASSWORD_CHARS} characters"));
    }
    if length > MAX_PASSWORD_CHARS {
        return Err(format!("must be at most {MAX_PASSWORD_CHARS} characters"));
    }
    let lowered = password.to_lowercase();
    if COMMON_PASSWORDS.contains(&lowered.as_str()) {
        return Err("is too common".into());
    }
    if lowered.chars().all(|c| lowered.starts_with(c)) {
        return Err("must not repeat one character".into());
    }
    let local_part = email.split('@').next().unwrap_or_default().to_lowercase();
    let username = username.to_lowercase();
    let names = [username.as_str(), local_part.as_str()];
    if names
        .iter()
        .any(|name| name.len() >= 4 && lowered.contains(name))
    {
        return Err("must not contain the username or email".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lowercased() {
        assert_eq!(
            normalize_email("  Ada@Example.COM "),
            Ok("ada@example.com".into())
        );
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@example.com",
            "ada@ex..com",
            "ada@@example.com",
            "ada@-x.com",
        ] {
            assert!(normalize_email(bad).is_err(), "{bad:?} passed");
        }
        assert!(normalize_email(&format!("{}@example.com", "a".repeat(250))).is_err());
    }

    #[test]
    fn usernames_follow_the_character_rules() {
        assert_eq!(check_username(" ada_lovelace "), Ok("ada_lovelace".into()));
        for bad in ["ab", "_ada", "ada lovelace", "ada!", &"a".repeat(33)] {
            assert!(check_username(bad).is_err(), "{bad:?} passed");
        }
    }

    #[test]
    fn passwords_must_have_twelve_to_128_characters() {
        assert!(check_password("short-pass", "ada", "ada@x.io").is_err());
        assert!(check_password(&"ab".repeat(64), "ada", "ada@x.io").is_ok());
        assert!(check_password(&"ab".repeat(65), "ada", "ada@x.io").is_err());
        // Twelve characters that are more than twelve bytes still count as twelve.
        assert!(check_password("ééééééééééé1", "ada", "ada@x.io").is_ok());
    }

    #[test]
    fn weak_passwords_are_refused() {
        assert_eq!(
            check_password("Password1234", "ada", "ada@x.io"),
            Err("is too common".into())
        );
        assert!(check_password("aaaaaaaaaaaaaa", "ada", "ada@x.io").is_err());
        assert!(check_password("lovelace-rocks-1", "lovelace", "ada@x.io").is_err());
        assert!(check_password("my-countess-pw", "ada", "countess@x.io").is_err());
        assert!(check_password("correct horse battery", "ada", "ada@x.io").is_ok());
    }
}
