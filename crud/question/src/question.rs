//! What a question is, and the rules a question must pass to be stored.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
pub use shared::difficulty::Difficulty;
use shared::error::FieldErrors;
use uuid::Uuid;

pub const MAX_TITLE_CHARS: usize = 120;
pub const MAX_SLUG_CHARS: usize = 80;
pub const MAX_DESCRIPTION_CHARS: usize = 10_000;
pub const MAX_TOPICS: usize = 5;
pub const MAX_TOPIC_CHARS: usize = 40;
pub const MAX_EXAMPLES: usize = 10;
pub const MAX_EXAMPLE_CHARS: usize = 2_000;
pub const MAX_CONSTRAINTS: usize = 20;
pub const MAX_CONSTRAINT_CHARS: usize = 300;
pub const MAX_STARTER_CODE_CHARS: usize = 10_000;

/// A worked example: what goes in, what comes out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub input: String,
    pub output: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
}

/// What an admin sends to create or replace a question (and the shipped bank's format).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionInput {
    #[schema(min_length = 3, max_length = 120)]
    pub title: String,
    /// Lower-case words joined by `-`; made from the title when absent.
    #[serde(default)]
    #[schema(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 80)]
    pub slug: Option<String>,
    /// Markdown.
    #[schema(min_length = 1, max_length = 10000)]
    pub description: String,
    pub difficulty: Difficulty,
    /// 1 to 5 topic slugs, e.g. `arrays`, `dynamic-programming`.
    pub topics: Vec<String>,
    /// 1 to 10 worked examples.
    pub examples: Vec<Example>,
    #[serde(default)]
    pub constraints: Vec<String>,
    /// Code to start from, per language (`python`, `javascript`, ...).
    #[serde(default)]
    pub starter_code: BTreeMap<String, String>,
}

/// A question that passed [`QuestionInput::validate`].
#[derive(Debug, Clone)]
pub struct ValidQuestion {
    pub title: String,
    pub slug: String,
    pub description: String,
    pub difficulty: Difficulty,
    pub topics: Vec<String>,
    pub examples: Vec<Example>,
    pub constraints: Vec<String>,
    pub starter_code: BTreeMap<String, String>,
}

/// A question as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Question {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub difficulty: Difficulty,
    pub topics: Vec<String>,
    pub examples: Vec<Example>,
    pub constraints: Vec<String>,
    pub starter_code: BTreeMap<String, String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A question in a list: enough to choose one.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QuestionSummary {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub difficulty: Difficulty,
    pub topics: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Lower-case ASCII letters and digits, runs of anything else become one `-`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    slug.chars()
        .take(MAX_SLUG_CHARS)
        .collect::<String>()
        .trim_end_matches('-')
        .to_owned()
}

/// `^[a-z0-9]+(-[a-z0-9]+)*$`
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

fn check_text(errors: &mut FieldErrors, field: &str, text: &str, max: usize) {
    if text.trim().is_empty() {
        errors.add(field, "must not be empty");
    } else if chars(text) > max {
        errors.add(field, format!("must be at most {max} characters"));
    }
}

impl QuestionInput {
    /// Trims, derives the slug, and checks every rule; all failures are reported at once.
    pub fn validate(self) -> Result<ValidQuestion, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = self.title.trim().to_owned();
        let title_chars = chars(&title);
        if !(3..=MAX_TITLE_CHARS).contains(&title_chars) {
            errors.add(
                "title",
                format!("must be 3 to {MAX_TITLE_CHARS} characters"),
            );
        }

        let slug = match self.slug.map(|slug| slug.trim().to_owned()) {
            Some(slug) => {
                if !is_slug(&slug) || chars(&slug) > MAX_SLUG_CHARS {
                    errors.add(
                        "slug",
                        format!("must be lower-case letters and digits joined by `-`, at most {MAX_SLUG_CHARS} characters"),
                    );
                }
                slug
            }
            None => {
                let slug = slugify(&title);
                if slug.is_empty() && title_chars >= 3 {
                    errors.add("slug", "cannot be made from this title; send one");
                }
                slug
            }
        };

        check_text(
            &mut errors,
            "description",
            &self.description,
            MAX_DESCRIPTION_CHARS,
        );

        let mut topics = Vec::new();
        let mut seen = BTreeSet::new();
        for topic in &self.topics {
            let topic = topic.trim().to_lowercase();
            if !is_slug(&topic) || chars(&topic) > MAX_TOPIC_CHARS {
                errors.add(
                    "topics",
                    format!("`{topic}` is not a topic slug (e.g. `two-pointers`)"),
                );
            } else if seen.insert(topic.clone()) {
                topics.push(topic);
            }
        }
        if !(1..=MAX_TOPICS).contains(&topics.len()) {
            errors.add(
                "topics",
                format!("must name 1 to {MAX_TOPICS} distinct topics"),
            );
        }

        if !(1..=MAX_EXAMPLES).contains(&self.examples.len()) {
            errors.add(
                "examples",
                format!("must hold 1 to {MAX_EXAMPLES} examples"),
            );
        }
        for (i, example) in self.examples.iter().enumerate() {
            check_text(
                &mut errors,
                &format!("examples[{i}].input"),
                &example.input,
                MAX_EXAMPLE_CHARS,
            );
            check_text(
                &mut errors,
                &format!("examples[{i}].output"),
                &example.output,
                MAX_EXAMPLE_CHARS,
            );
            if let Some(explanation) = &example.explanation {
                check_text(
                    &mut errors,
                    &format!("examples[{i}].explanation"),
                    explanation,
                    MAX_EXAMPLE_CHARS,
                );
            }
        }

        if self.constraints.len() > MAX_CONSTRAINTS {
            errors.add(
                "constraints",
                format!("must hold at most {MAX_CONSTRAINTS} items"),
            );
        }
        for (i, constraint) in self.constraints.iter().enumerate() {
            check_text(
                &mut errors,
                &format!("constraints[{i}]"),
                constraint,
                MAX_CONSTRAINT_CHARS,
            );
        }

        for (language, code) in &self.starter_code {
            if !shared::language::is_supported(language) {
                errors.add(
                    "starter_code",
                    format!(
                        "`{language}` is not a supported language ({})",
                        shared::language::LANGUAGES.join(", ")
                    ),
                );
            } else if chars(code) > MAX_STARTER_CODE_CHARS {
                errors.add(
                    &format!("starter_code.{language}"),
                    format!("must be at most {MAX_STARTER_CODE_CHARS} characters"),
                );
            }
        }

        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidQuestion {
            title,
            slug,
            description: self.description.trim().to_owned(),
            difficulty: self.difficulty,
            topics,
            examples: self.examples,
            constraints: self
                .constraints
                .into_iter()
                .map(|c| c.trim().to_owned())
                .collect(),
            starter_code: self.starter_code,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> QuestionInput {
        QuestionInput {
            title: "  Lighthouse Log  ".into(),
            slug: None,
            description: "Count the *flashes*.".into(),
            difficulty: Difficulty::Easy,
            topics: vec!["Arrays".into(), "arrays".into(), "two-pointers".into()],
            examples: vec![Example {
                input: "[1]".into(),
                output: "1".into(),
                explanation: None,
            }],
            constraints: vec![" 1 <= n ".into()],
            starter_code: BTreeMap::from([("python".into(), "def f():\n    pass\n".into())]),
        }
    }

    #[test]
    fn a_good_question_is_cleaned_up() {
        let valid = input().validate().expect("valid");
        assert_eq!(valid.title, "Lighthouse Log");
        assert_eq!(valid.slug, "lighthouse-log");
        assert_eq!(valid.topics, ["arrays", "two-pointers"]);
        assert_eq!(valid.constraints, ["1 <= n"]);
    }

    #[test]
    fn every_broken_field_is_reported() {
        let mut bad = input();
        bad.title = "ab".into();
        bad.slug = Some("Not A Slug".into());
        bad.description = "   ".into();
        bad.topics = vec![];
        bad.examples = vec![];
        bad.starter_code = BTreeMap::from([("cobol".into(), String::new())]);
        let errors = bad.validate().expect_err("invalid");
        let text = format!("{errors:?}");
        for field in [
            "title",
            "slug",
            "description",
            "topics",
            "examples",
            "starter_code",
        ] {
            assert!(
                text.contains(&format!("\"{field}\"")),
                "{field} missing from {text}"
            );
        }
    }

    #[test]
    fn slugs_are_made_from_titles() {
        assert_eq!(
            slugify("Merge the Train Timetables!"),
            "merge-the-train-timetables"
        );
        assert_eq!(slugify("  --Hello,  World--  "), "hello-world");
        assert_eq!(slugify("日本"), "");
        assert!(is_slug("two-sum-2"));
        assert!(!is_slug("two--sum") && !is_slug("-a") && !is_slug("A") && !is_slug(""));
    }
}
