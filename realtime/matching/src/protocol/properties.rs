//! Property tests of the websocket's frame parsing: any text, and mutations of real frames,
//! never panic, and what is accepted obeys the rules (1 to 5 topic slugs, lower-cased and
//! distinct; a supported language, if any).

use proptest::collection::vec;
use proptest::prelude::*;

use super::*;

/// Real frames a client sends, built from the pieces proptest picks.
fn real_frame() -> impl Strategy<Value = String> {
    let topic = "[a-zA-Z0-9 -]{0,12}";
    let join = (
        vec(topic, 0..8),
        prop::sample::select(vec!["easy", "medium", "hard", "legendary"]),
        prop::option::of(prop::sample::select(vec!["python", "rust", "cobol", ""])),
        any::<bool>(),
    )
        .prop_map(|(topics, difficulty, language, relax)| {
            serde_json::json!({
                "type": "join",
                "topics": topics,
                "difficulty": difficulty,
                "language": language,
                "relax_topics": relax,
            })
            .to_string()
        });
    prop_oneof![
        join,
        Just(r#"{"type":"cancel"}"#.to_owned()),
        Just(r#"{"type":"ping"}"#.to_owned()),
    ]
}

fn check_accepted(text: &str) -> Result<(), TestCaseError> {
    if let Ok(ClientMessage::Join(join)) = parse(text) {
        prop_assert!((1..=MAX_TOPICS).contains(&join.topics.len()));
        for (i, topic) in join.topics.iter().enumerate() {
            prop_assert!(!topic.is_empty() && topic.len() <= 40);
            prop_assert!(
                topic
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            );
            prop_assert!(!join.topics[..i].contains(topic), "duplicates");
        }
        if let Some(language) = &join.language {
            prop_assert!(shared::language::is_supported(language));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn any_text_parses_or_is_refused_without_panicking(text in "\\PC{0,300}") {
        check_accepted(&text)?;
    }

    #[test]
    fn mutated_real_frames_never_panic_and_what_passes_obeys_the_rules(
        frame in real_frame(),
        edits in vec((any::<usize>(), any::<u8>(), any::<u8>()), 0..6),
    ) {
        check_accepted(&String::from_utf8_lossy(&shared::testing::mutated(frame, &edits)))?;
    }
}

#[test]
fn deeply_nested_json_is_refused_without_overflowing_the_stack() {
    // Far past serde_json's recursion limit, within the 4 KiB frame limit.
    let nested = format!(
        r#"{{"type":"join","topics":{}{},"difficulty":"easy"}}"#,
        "[".repeat(2000),
        "]".repeat(2000)
    );
    assert!(parse(&nested).is_err());
}
