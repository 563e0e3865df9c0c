//! What an embedded font program itself says about its glyphs, for fonts whose PDF dictionary
//! does not: a Type 1 program's built-in encoding (TeX's CM fonts), and a TrueType/OpenType
//! program's Unicode `cmap`, inverted to GID → text (for Identity-H fonts without ToUnicode —
//! what pdftotext falls back to). The `cmap` is read with ttf-parser (small, no dependencies,
//! bounds-checked, made for exactly this); the Type 1 clear-text header is a few tokens.

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object};

use super::encoding::glyph_char;
use super::objects::{dict_get, stream_bytes};

/// The encoding in the clear-text part of a Type 1 font program: `dup 58 /period put` …
/// (`StandardEncoding` or none gives `None`, leaving the PDF's default).
pub(super) fn type1_builtin_encoding(program: &[u8]) -> Option<[Option<char>; 256]> {
    let end = find(program, b"eexec").unwrap_or(program.len());
    let clear = &program[..end];
    let start = find(clear, b"/Encoding")?;
    let rest = &clear[start + 9..];
    let words: Vec<&[u8]> = rest
        .split(|b| b.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
        .take(4096)
        .collect();
    if words.first() == Some(&&b"StandardEncoding"[..]) {
        return None;
    }
    let mut table = [None; 256];
    let mut found = false;
    for w in words.windows(4) {
        if w[0] == b"dup"
            && w[3] == b"put"
            && let (Some(code), Some(name)) = (
                std::str::from_utf8(w[1])
                    .ok()
                    .and_then(|s| s.parse::<u8>().ok()),
                w[2].strip_prefix(b"/"),
            )
        {
            table[code as usize] = std::str::from_utf8(name).ok().and_then(glyph_char);
            found = true;
        }
        if w[0] == b"readonly" || w[0] == b"def" && found {
            break;
        }
    }
    found.then_some(table)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A [`GlyphCmap`] read on first use.
#[derive(Debug)]
pub(super) struct LazyCmap {
    pub cid_font: Dictionary,
    pub limit: usize,
    pub budget: super::objects::Budget,
    pub cell: std::cell::OnceCell<Option<GlyphCmap>>,
}

impl LazyCmap {
    pub(super) fn get(&self, doc: &Document) -> Option<&GlyphCmap> {
        self.cell
            .get_or_init(|| GlyphCmap::load(doc, &self.cid_font, self.limit, &self.budget))
            .as_ref()
    }
}

/// Text of glyphs by the embedded TrueType/OpenType font's Unicode `cmap`, inverted (what
/// pdftotext falls back to for Identity-H fonts without ToUnicode). Read with ttf-parser.
#[derive(Debug)]
pub(super) struct GlyphCmap {
    by_gid: HashMap<u16, char>,
    cid_to_gid: Option<Vec<u16>>,
}

impl GlyphCmap {
    pub(super) fn load(
        doc: &Document,
        cid_font: &Dictionary,
        limit: usize,
        budget: &super::objects::Budget,
    ) -> Option<GlyphCmap> {
        let descriptor = dict_get(doc, cid_font, b"FontDescriptor")?.as_dict().ok()?;
        let program = dict_get(doc, descriptor, b"FontFile2")
            .or_else(|| dict_get(doc, descriptor, b"FontFile3"))
            .and_then(|o| stream_bytes(doc, o, limit.min(64 << 20)))?;
        let face = ttf_parser::RawFace::parse(&program, 0).ok()?;
        let cmap =
            ttf_parser::cmap::Table::parse(face.table(ttf_parser::Tag::from_bytes(b"cmap"))?)?;
        let mut by_gid: HashMap<u16, char> = HashMap::new();
        let allowed = budget.get().min(300_000);
        let mut left = allowed;
        for sub in cmap.subtables {
            if !sub.is_unicode() {
                continue;
            }
            sub.codepoints(|cp| {
                if left == 0 {
                    return;
                }
                left -= 1;
                let (Some(gid), Some(ch)) = (sub.glyph_index(cp), char::from_u32(cp)) else {
                    return;
                };
                // Prefer a unified ideograph or ordinary character over a private-use or
                // radical code point for the same glyph.
                let rank = |c: char| {
                    matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{2E80}'..='\u{2FDF}' | '\u{F900}'..='\u{FAFF}')
                };
                match by_gid.get(&gid.0) {
                    Some(old) if !rank(*old) || rank(ch) => {}
                    _ => {
                        by_gid.insert(gid.0, ch);
                    }
                }
            });
        }
        super::objects::charge(budget, allowed - left);
        if by_gid.is_empty() {
            return None;
        }
        let cid_to_gid = match dict_get(doc, cid_font, b"CIDToGIDMap") {
            Some(o @ Object::Stream(_)) => Some(
                stream_bytes(doc, o, limit.min(1 << 20))?
                    .chunks_exact(2)
                    .map(|c| u16::from_be_bytes([c[0], c[1]]))
                    .collect(),
            ),
            _ => None,
        };
        Some(GlyphCmap { by_gid, cid_to_gid })
    }

    pub(super) fn text(&self, cid: u32) -> Option<String> {
        let gid = match &self.cid_to_gid {
            Some(map) => *map.get(cid as usize)?,
            None => u16::try_from(cid).ok()?,
        };
        self.by_gid.get(&gid).map(|c| c.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type1_encoding() {
        let program = b"%!PS-AdobeFont-1.0: CMMI10\n/Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\n\
            dup 58 /period put\ndup 59 /comma put\ndup 15 /bullet put\nreadonly def\ncurrentfile eexec\x80\x81";
        let t = type1_builtin_encoding(program).expect("builtin");
        assert_eq!(t[58], Some('.'));
        assert_eq!(t[59], Some(','));
        assert_eq!(t[15], Some('•'));
        assert_eq!(t[65], None);
        assert!(type1_builtin_encoding(b"/Encoding StandardEncoding def eexec").is_none());
        assert!(type1_builtin_encoding(b"no encoding here").is_none());
    }
}
