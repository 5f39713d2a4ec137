//! The programming languages PeerPrep knows, for starter code, matching and the editor.

/// Lower-case identifiers, as the editor names them.
pub const LANGUAGES: &[&str] = &[
    "python",
    "javascript",
    "typescript",
    "java",
    "cpp",
    "c",
    "csharp",
    "go",
    "rust",
    "kotlin",
    "ruby",
    "swift",
];

pub fn is_supported(language: &str) -> bool {
    LANGUAGES.contains(&language)
}
