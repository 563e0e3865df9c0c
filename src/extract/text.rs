//! Plain-text and HTML files, in practice news items (新闻) saved from a website or typed up.
//!
//! The hard part is the encoding, not the markup: Chinese pages and notes arrive in UTF-8,
//! GBK/GB18030 or UTF-16, and HTML declarations lie often enough to need checking
//! ([`charset`]). The detected encoding is recorded in metadata as `charset`. HTML is reduced
//! to its visible text by a lenient scanner ([`html`]); the `<title>` (or the first `<h1>`)
//! becomes the title and goes to metadata, not to the counted body, because it repeats the
//! headline and the site name.

pub(crate) mod charset;
mod html;

use crate::extract::Extractor;
use crate::facts::{Facts, Format, PartKind, Problem};
use crate::input::{Input, Limits};

pub(crate) struct TextExtractor;

impl Extractor for TextExtractor {
    fn name(&self) -> &'static str {
        "text"
    }
    fn formats(&self) -> &'static [Format] {
        &[Format::Txt, Format::Html]
    }
    fn extract(
        &self,
        input: &Input,
        limits: &Limits,
        warnings: &mut Vec<Problem>,
    ) -> Result<Facts, Problem> {
        let bytes = input.read_all(limits.max_document_bytes)?;
        let is_html = is_html(&bytes, &input.extension());
        Ok(read_text(&bytes, is_html, warnings))
    }
}

/// identify() calls a file HTML when it sees `<html` or a doctype; a fragment saved as .htm
/// without them is HTML too.
fn is_html(bytes: &[u8], ext: &str) -> bool {
    if matches!(ext, "html" | "htm" | "shtml" | "xhtml") {
        return true;
    }
    let head = bytes.get(..bytes.len().min(1024)).unwrap_or_default();
    let lower = head.to_ascii_lowercase();
    lower.windows(5).any(|w| w == b"<html") || lower.windows(9).any(|w| w == b"<!doctype")
}

/// Decodes and reads a text or HTML file held in memory.
pub fn read_text(bytes: &[u8], is_html: bool, warnings: &mut Vec<Problem>) -> Facts {
    let declared = if is_html {
        charset::declared_charset(bytes)
    } else {
        None
    };
    let decoded = charset::decode(bytes, declared.as_deref());
    warnings.extend(decoded.warning);
    let mut facts = Facts::default();
    facts.add_meta("charset", decoded.charset);
    if is_html {
        let page = html::parse(&decoded.text);
        facts.title = page.title.clone().or(page.first_h1.clone());
        if let Some(t) = &page.title {
            facts.add_meta("title", t);
        }
        for (name, value) in &page.meta {
            facts.add_meta(name, value);
        }
        facts.push_text(PartKind::Body, &page.text);
    } else {
        let text = decoded.text.replace("\r\n", "\n").replace('\r', "\n");
        facts.push_text(PartKind::Body, &text);
    }
    facts
}

#[cfg(test)]
mod tests;
