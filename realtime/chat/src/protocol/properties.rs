//! Property tests of the chat websocket's frame parsing: any text or bytes, and mutations of
//! real frames, never panic, and what is accepted obeys the rules (a client id of 1 to 64
//! letters, digits or `-_.:`; text trimmed, 1 to 2,000 characters, no control characters but
//! line breaks and tabs).

use proptest::collection::vec;
use proptest::prelude::*;

use super::*;

fn real_frame() -> impl Strategy<Value = String> {
    let message = (
        "[a-zA-Z0-9_.:-]{0,70}",
        "\\PC{0,40}|[ \t\n\r\u{0}\u{7}a]{0,8}",
    )
        .prop_map(|(client_id, text)| {
            serde_json::json!({"type": "message", "client_id": client_id, "text": text}).to_string()
        });
    prop_oneof![message, Just(r#"{"type":"typing"}"#.to_owned())]
}

fn valid_client_id(id: &str) -> bool {
    (1..=MAX_CLIENT_ID_CHARS).contains(&id.chars().count())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:".contains(c))
}

fn check(frame: &[u8]) -> Result<(), TestCaseError> {
    if let Some(id) = client_id_of(frame) {
        prop_assert!(valid_client_id(&id), "{id:?}");
    }
    let Ok(text) = std::str::from_utf8(frame) else {
        return Ok(());
    };
    match parse(text) {
        Ok(Request::Send(draft)) => {
            prop_assert!(valid_client_id(&draft.client_id));
            prop_assert_eq!(draft.text.trim(), draft.text.as_str());
            prop_assert!((1..=MAX_TEXT_CHARS).contains(&draft.text.chars().count()));
            prop_assert!(
                !draft
                    .text
                    .chars()
                    .any(|c| c.is_control() && c != '\n' && c != '\t')
            );
        }
        Ok(Request::Typing) => {}
        Err(invalid) => {
            if let Some(id) = invalid.client_id {
                prop_assert!(valid_client_id(&id));
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_parse_or_are_refused_without_panicking(frame in vec(any::<u8>(), 0..300)) {
        check(&frame)?;
    }

    #[test]
    fn mutated_real_frames_never_panic_and_what_passes_obeys_the_rules(
        frame in real_frame(),
        edits in vec((any::<usize>(), any::<u8>(), any::<u8>()), 0..6),
    ) {
        check(&shared::testing::mutated(frame, &edits))?;
    }
}

#[test]
fn deeply_nested_json_is_refused_without_overflowing_the_stack() {
    let nested = format!(
        r#"{{"type":"message","client_id":"a","text":{}{}}}"#,
        "[".repeat(20_000),
        "]".repeat(20_000)
    );
    assert!(parse(&nested).is_err());
    // Read without judging the rest: the id is still found.
    assert_eq!(client_id_of(nested.as_bytes()).as_deref(), Some("a"));
}
