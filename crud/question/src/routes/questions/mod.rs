//! Questions: list and search, get, pick, and the admin's create, replace and delete.

use shared::ApiError;
use shared::error::FieldErrors;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::question::{MAX_TOPIC_CHARS, is_slug};

mod create;
mod delete;
mod get;
mod list;
mod pick;
mod update;

pub fn config(cfg: &mut ServiceConfig) {
    // `pick` before `{id_or_slug}`, which would otherwise take it as a slug.
    cfg.service(list::list)
        .service(pick::pick)
        .service(get::get)
        .service(create::create)
        .service(update::update)
        .service(delete::delete);
}

/// Most items a comma-separated query value may hold.
const MAX_LIST_ITEMS: usize = 50;

/// A comma-separated list from a query value; empty items are dropped, `None` when empty.
pub(crate) fn comma_list(raw: Option<&str>) -> Option<Vec<String>> {
    let items: Vec<String> = raw?
        .split(',')
        .map(|item| item.trim().to_lowercase())
        .filter(|item| !item.is_empty())
        .collect();
    (!items.is_empty()).then_some(items)
}

/// `topic=arrays,strings` → the topics, each a valid topic slug.
pub(crate) fn topics_param(raw: Option<&str>, errors: &mut FieldErrors) -> Option<Vec<String>> {
    let topics = comma_list(raw)?;
    if topics.len() > MAX_LIST_ITEMS {
        errors.add("topic", format!("at most {MAX_LIST_ITEMS} topics"));
    }
    for topic in &topics {
        if !is_slug(topic) || topic.chars().count() > MAX_TOPIC_CHARS {
            errors.add(
                "topic",
                format!("`{topic}` is not a topic slug (e.g. `two-pointers`)"),
            );
        }
    }
    Some(topics)
}

/// 400 listing the fields when any failed.
pub(crate) fn check(errors: FieldErrors) -> Result<(), ApiError> {
    errors.into_result()
}

/// A title or slug conflict is the caller's 409; anything else is ours.
pub(crate) fn write_error(err: crate::repository::WriteError) -> ApiError {
    use crate::repository::WriteError;
    match err {
        WriteError::TitleTaken => ApiError::conflict("title_taken", err.to_string()),
        WriteError::SlugTaken => ApiError::conflict("slug_taken", err.to_string()),
        WriteError::Unexpected(err) => ApiError::internal(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comma_lists_drop_blanks_and_lowercase() {
        assert_eq!(
            comma_list(Some(" Arrays, ,strings,")),
            Some(vec!["arrays".into(), "strings".into()])
        );
        assert_eq!(comma_list(Some(" , ")), None);
        assert_eq!(comma_list(None), None);
    }

    #[test]
    fn topics_must_be_slugs() {
        let mut errors = FieldErrors::default();
        topics_param(Some("arrays,two pointers"), &mut errors);
        assert!(!errors.is_empty());
    }
}
