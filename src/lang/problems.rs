//! English sentences for the stable problem codes (`Problem::code`), shown under `--lang en`.
//!
//! Why one sentence by code instead of an English twin at every `Problem::new` site: there are
//! hundreds of sites in the extractors, most formatting details (byte offsets, limits, parser
//! errors) that matter to a developer, not to a reviewer. The code already says what went wrong
//! in a stable way, so one sentence per code says it in English and what to do about it. The
//! trade-off: the English sentence is generic (it does not repeat the offset or the limit); the
//! Chinese message, with every detail, stays beside it (`message_zh` in the JSON).
//!
//! The sentences live with the codes in one registry, [`crate::codes`]: a site can only name a
//! registered code, and `tests/lang.rs` checks that every entry has its English. A code without
//! an entry (a facts cache or dossier from another version) falls back to the Chinese message.

/// The English sentence for a problem code, if the registry has one.
pub fn english(code: &str) -> Option<&'static str> {
    crate::codes::english(code)
}
