//! PDF fonts as a text extractor sees them: how to split a shown string into codes, what text
//! each code stands for, and how far it advances (so the layout can find word gaps).
//!
//! Order of trust for a code's text, as in pdftotext and pdf.js: the font's `/ToUnicode` map
//! first (lopdf 0.47 reads `/Encoding` first, which is wrong for Word/WPS subset fonts); then
//! what the encoding itself says — a predefined CJK CMap (`GBK-EUC-H`, `UniGB-UCS2-H`,
//! `90ms-RKSJ-H` …) is a legacy character set whose bytes `encoding_rs` decodes directly, with no
//! CID tables needed; a simple font's base encoding plus `/Differences`. A simple font with a
//! Chinese name and no `/ToUnicode` whose strings are GBK byte pairs (what some 公文 tools write
//! under `WinAnsiEncoding`) is decoded as GBK. An Identity-H font without (or with an
//! incomplete) ToUnicode falls back to the embedded TrueType/OpenType font's own Unicode `cmap`,
//! inverted (ttf-parser reads it; it is small, dependency-free and made for exactly this) —
//! beside Adobe's CID → Unicode table when the font names a registered collection
//! (Adobe-GB1/Japan1/CNS1/Korea1, [`super::cid_unicode`]): the table first for CID-keyed and
//! non-embedded fonts (as pdftotext does), the embedded TrueType's own cmap first otherwise. A
//! code nothing maps is *undecodable*: it yields no text and is counted, so the caller can warn
//! instead of counting garbage.

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object};

use super::charset::{Charset, legacy_charset_for_name};
use super::cid_unicode::Collection;
use super::cmap::{EncodingCMap, ToUnicode};
use super::embedded::{LazyCmap, type1_builtin_encoding};
use super::encoding::{BaseEncoding, glyph_char};
pub(super) use super::objects::{Budget, charge, deref, dict_get, num, stream_bytes, strip_subset};

/// One shown glyph.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Glyph {
    /// The text; `None` if nothing maps the code (undecodable).
    pub text: Option<String>,
    /// Horizontal displacement in text space (already divided by 1000 / scaled by FontMatrix).
    pub width: f32,
    /// A single-byte code 32: word spacing (`Tw`) applies.
    pub word_space: bool,
    /// Decoded by a guess (a Latin-1 reading of bytes that may be another code page); counted
    /// as suspect when most of a page is like that.
    pub suspect: bool,
}

#[derive(Debug)]
enum Kind {
    Simple {
        table: Box<[Option<char>; 256]>,
        /// Glyph-space widths by code (estimated where the file has none).
        widths: Box<[f32; 256]>,
        /// GBK/Big5 bytes under a single-byte encoding (Chinese font name, no ToUnicode).
        legacy: Option<Charset>,
        /// Reading high bytes through a Latin table is a guess for fonts without ToUnicode.
        latin_guess: bool,
    },
    Cid {
        codes: CodeSplit,
        /// Text fallback when ToUnicode lacks a code.
        charset: Option<Charset>,
        dw: f32,
        w: HashMap<u32, f32>,
        w_ranges: Vec<(u32, u32, f32)>,
        /// Whether CIDs are known (Identity or an embedded CMap), so `W` applies.
        cid_known: bool,
        /// The registered collection (`/CIDSystemInfo` Adobe-GB1 …) whose CID → Unicode
        /// table decodes codes the ToUnicode map does not.
        collection: Option<Collection>,
        /// Ask the embedded font's own cmap before the collection: an embedded TrueType
        /// (CIDFontType2 with FontFile2), whose "CIDs" are often glyph ids whatever its
        /// `/CIDSystemInfo` says (pdftotext trusts the collection there and prints wrong
        /// characters: issue_566_test_1.pdf of the corpus).
        glyphs_first: bool,
        /// GID → text from the embedded font's own Unicode cmap, for fonts whose ToUnicode is
        /// missing or incomplete; read on first need (font programs can be megabytes).
        glyphs: Option<Box<LazyCmap>>,
    },
}

#[derive(Debug)]
enum CodeSplit {
    /// Identity-H/V and unknown CMaps: two bytes.
    Two,
    Charset(Charset),
    Embedded(Box<EncodingCMap>, Option<Charset>),
}

/// A loaded font.
#[derive(Debug)]
pub(super) struct Font {
    kind: Kind,
    to_unicode: Option<ToUnicode>,
    /// Multiplier from glyph-space widths to text space (0.001, or a Type 3 FontMatrix).
    scale: f32,
    pub vertical: bool,
    /// Widths came from the file (not estimated), so small gaps are meaningful.
    pub widths_known: bool,
}

impl Font {
    /// Reads a font dictionary. Never fails: what cannot be read decodes as undecodable.
    pub(super) fn load(doc: &Document, dict: &Dictionary, limit: usize, budget: &Budget) -> Font {
        // Every font costs its tables (~2 KB), counted as 256 entries.
        if !charge(budget, 256) {
            return Font::undecodable();
        }
        let to_unicode = dict_get(doc, dict, b"ToUnicode")
            .and_then(|o| stream_bytes(doc, o, limit))
            .map(|b| ToUnicode::parse(&b))
            .filter(|m| !m.is_empty() && charge(budget, m.entries()));
        let subtype = dict_get(doc, dict, b"Subtype")
            .and_then(|o| o.as_name().ok())
            .unwrap_or(b"");
        if subtype == b"Type0" {
            return Self::load_cid(doc, dict, to_unicode, limit, budget);
        }
        Self::load_simple(doc, dict, subtype, to_unicode, limit)
    }

    fn load_simple(
        doc: &Document,
        dict: &Dictionary,
        subtype: &[u8],
        to_unicode: Option<ToUnicode>,
        limit: usize,
    ) -> Font {
        let base_font = dict_get(doc, dict, b"BaseFont")
            .and_then(|o| o.as_name().ok())
            .unwrap_or(b"");
        let descriptor = dict_get(doc, dict, b"FontDescriptor").and_then(|o| o.as_dict().ok());
        let flags = descriptor
            .and_then(|d| dict_get(doc, d, b"Flags"))
            .and_then(num)
            .unwrap_or(0.0) as i64;
        let symbolic = flags & 4 != 0 && flags & 32 == 0;
        let type3 = subtype == b"Type3";
        let std_name = strip_subset(base_font);
        let is_symbol_font = std_name.starts_with(b"Symbol") || std_name.starts_with(b"Zapf");

        // Base encoding and differences.
        let enc = dict_get(doc, dict, b"Encoding");
        let mut base = if type3 {
            None
        } else if symbolic || is_symbol_font {
            Some(BaseEncoding::Identity)
        } else {
            Some(BaseEncoding::Standard)
        };
        let mut differences: Vec<(u8, Option<char>)> = Vec::new();
        let mut explicit_base = false;
        match enc {
            Some(Object::Name(n)) => {
                if let Some(b) = BaseEncoding::from_name(n) {
                    base = Some(b);
                    explicit_base = true;
                }
            }
            Some(Object::Dictionary(d)) => {
                if let Some(b) = dict_get(doc, d, b"BaseEncoding")
                    .and_then(|o| o.as_name().ok())
                    .and_then(BaseEncoding::from_name)
                {
                    base = Some(b);
                    explicit_base = true;
                }
                if let Some(Object::Array(arr)) = dict_get(doc, d, b"Differences") {
                    let mut code: i64 = 0;
                    for item in arr {
                        match deref(doc, item) {
                            Object::Integer(i) => code = *i,
                            Object::Name(n) => {
                                if let Ok(c) = u8::try_from(code) {
                                    let name = String::from_utf8_lossy(n);
                                    differences.push((c, glyph_char(&name)));
                                }
                                code += 1;
                            }
                            _ => {}
                        }
                    }
                }
            }
            _ => {}
        }
        // Without an explicit base, an embedded Type 1 font's own encoding applies (TeX's
        // CM fonts put `.` at 0x3A and `•` at 0x0F there).
        let builtin = if explicit_base || type3 {
            None
        } else {
            descriptor
                .and_then(|d| dict_get(doc, d, b"FontFile"))
                .and_then(|o| stream_bytes(doc, o, limit.min(16 << 20)))
                .and_then(|program| type1_builtin_encoding(&program))
        };
        let mut table = Box::new(
            builtin
                .or_else(|| base.map(|b| b.table()))
                .unwrap_or([None; 256]),
        );
        for (code, ch) in &differences {
            table[*code as usize] = *ch;
        }

        // Widths.
        let first = dict_get(doc, dict, b"FirstChar")
            .and_then(num)
            .unwrap_or(0.0)
            .max(0.0) as usize;
        let missing = descriptor
            .and_then(|d| dict_get(doc, d, b"MissingWidth"))
            .and_then(num)
            .filter(|w| *w > 0.0);
        let mut widths = Box::new([f32::NAN; 256]);
        let mut widths_known = false;
        if let Some(Object::Array(ws)) = dict_get(doc, dict, b"Widths") {
            for (i, w) in ws.iter().enumerate() {
                if let (Some(slot), Some(v)) =
                    (widths.get_mut(first.saturating_add(i)), num(deref(doc, w)))
                {
                    *slot = v;
                    widths_known = true;
                }
            }
        }
        let courier = std_name.starts_with(b"Courier");
        for (code, slot) in widths.iter_mut().enumerate() {
            if slot.is_nan() {
                *slot = missing.unwrap_or_else(|| {
                    if courier {
                        600.0
                    } else {
                        estimate_width(table[code])
                    }
                });
            }
        }
        let scale = if type3 {
            match dict_get(doc, dict, b"FontMatrix") {
                Some(Object::Array(m)) => m
                    .first()
                    .and_then(|o| num(deref(doc, o)))
                    .filter(|v| *v != 0.0)
                    .map(f32::abs)
                    .unwrap_or(0.001),
                _ => 0.001,
            }
        } else {
            0.001
        };

        let high_differences = differences.iter().any(|(c, ch)| *c >= 0x80 && ch.is_some());
        let legacy = if to_unicode.is_none() && !high_differences {
            legacy_charset_for_name(base_font)
        } else {
            None
        };
        Font {
            kind: Kind::Simple {
                table,
                widths,
                legacy,
                latin_guess: to_unicode.is_none() && !symbolic && !high_differences,
            },
            to_unicode,
            scale,
            vertical: false,
            widths_known: widths_known || courier,
        }
    }

    fn load_cid(
        doc: &Document,
        dict: &Dictionary,
        to_unicode: Option<ToUnicode>,
        limit: usize,
        budget: &Budget,
    ) -> Font {
        let mut vertical = false;
        let (codes, charset, cid_known) = match dict_get(doc, dict, b"Encoding") {
            Some(Object::Name(n)) => {
                let name = String::from_utf8_lossy(n);
                vertical = name.ends_with("-V");
                match Charset::from_cmap_name(&name) {
                    Some(cs) => (CodeSplit::Charset(cs), Some(cs), false),
                    None => (CodeSplit::Two, None, true),
                }
            }
            Some(o @ Object::Stream(_)) => match stream_bytes(doc, o, limit) {
                Some(bytes) => {
                    let cmap = EncodingCMap::parse(&bytes);
                    if !charge(budget, cmap.entries()) {
                        return Font::undecodable();
                    }
                    let used = cmap.usecmap.as_deref().and_then(Charset::from_cmap_name);
                    vertical = cmap.usecmap.as_deref().is_some_and(|n| n.ends_with("-V"));
                    (CodeSplit::Embedded(Box::new(cmap), used), used, true)
                }
                None => (CodeSplit::Two, None, true),
            },
            _ => (CodeSplit::Two, None, true),
        };
        let descendant = match dict_get(doc, dict, b"DescendantFonts") {
            Some(Object::Array(a)) => a
                .first()
                .map(|o| deref(doc, o))
                .and_then(|o| o.as_dict().ok()),
            _ => None,
        };
        let mut dw = 1000.0;
        let mut w = HashMap::new();
        let mut w_ranges = Vec::new();
        let mut widths_known = false;
        if let Some(desc) = descendant {
            if let Some(v) = dict_get(doc, desc, b"DW").and_then(num) {
                dw = v;
            }
            if let Some(Object::Array(arr)) = dict_get(doc, desc, b"W") {
                widths_known = true;
                let items: Vec<&Object> = arr.iter().map(|o| deref(doc, o)).collect();
                let mut i = 0;
                while i < items.len() {
                    let Some(c0) = items.get(i).and_then(|o| num(o)) else {
                        i += 1;
                        continue;
                    };
                    let c0 = c0.max(0.0) as u32;
                    match items.get(i + 1) {
                        Some(Object::Array(list)) => {
                            for (k, wv) in list.iter().enumerate() {
                                if let Some(v) = num(deref(doc, wv))
                                    && w.len() < 1 << 20
                                {
                                    w.insert(c0.saturating_add(k as u32), v);
                                }
                            }
                            i += 2;
                        }
                        Some(o) => {
                            let c1 = num(o).unwrap_or(0.0).max(0.0) as u32;
                            if let Some(v) = items.get(i + 2).and_then(|o| num(o))
                                && w_ranges.len() < 1 << 16
                            {
                                w_ranges.push((c0, c1, v));
                            }
                            i += 3;
                        }
                        None => break,
                    }
                }
            }
        }
        if !charge(budget, (w.len() + w_ranges.len()) as u64) {
            return Font::undecodable();
        }
        let collection = descendant
            .and_then(|d| dict_get(doc, d, b"CIDSystemInfo"))
            .and_then(|o| o.as_dict().ok())
            .and_then(|info| {
                let text = |key: &[u8]| match dict_get(doc, info, key) {
                    Some(Object::String(s, _)) => Some(s.clone()),
                    Some(Object::Name(n)) => Some(n.clone()),
                    _ => None,
                };
                Collection::from_system_info(&text(b"Registry")?, &text(b"Ordering")?)
            })
            .filter(|_| cid_known && charset.is_none());
        let glyphs_first = descendant.is_some_and(|d| {
            let truetype = matches!(
                dict_get(doc, d, b"Subtype"),
                Some(Object::Name(n)) if n.as_slice() == b"CIDFontType2"
            );
            let embedded = dict_get(doc, d, b"FontDescriptor")
                .and_then(|o| o.as_dict().ok())
                .is_some_and(|fd| fd.has(b"FontFile2"));
            truetype && embedded
        });
        Font {
            kind: Kind::Cid {
                codes,
                charset,
                dw,
                w,
                w_ranges,
                cid_known,
                collection,
                glyphs_first,
                glyphs: descendant
                    .filter(|_| cid_known && charset.is_none())
                    .map(|d| {
                        Box::new(LazyCmap {
                            cid_font: d.clone(),
                            limit,
                            budget: budget.clone(),
                            cell: std::cell::OnceCell::new(),
                        })
                    }),
            },
            to_unicode,
            scale: 0.001,
            vertical,
            widths_known,
        }
    }

    /// A font that decodes nothing (the document's map budget ran out).
    fn undecodable() -> Font {
        Font {
            kind: Kind::Simple {
                table: Box::new([None; 256]),
                widths: Box::new([500.0; 256]),
                legacy: None,
                latin_guess: false,
            },
            to_unicode: None,
            scale: 0.001,
            vertical: false,
            widths_known: false,
        }
    }

    /// A composite (Type0/CID) font: its codes are text, rarely symbols.
    pub(super) fn composite(&self) -> bool {
        matches!(self.kind, Kind::Cid { .. })
    }

    /// Splits a shown string into glyphs.
    pub(super) fn decode(&self, doc: &Document, bytes: &[u8], out: &mut Vec<Glyph>) {
        match &self.kind {
            Kind::Simple {
                table,
                widths,
                legacy,
                latin_guess,
            } => {
                let mut i = 0;
                while let Some(&b) = bytes.get(i) {
                    if let Some(cs) = legacy {
                        let n = cs.code_len(&bytes[i..]);
                        if n > 1 {
                            let code = &bytes[i..i + n];
                            let width: f32 = code.iter().map(|c| widths[*c as usize]).sum();
                            out.push(Glyph {
                                text: cs.decode(code),
                                width: width * self.scale,
                                word_space: false,
                                suspect: false,
                            });
                            i += n;
                            continue;
                        }
                    }
                    let text = self
                        .to_unicode
                        .as_ref()
                        .and_then(|m| m.get(u32::from(b)))
                        .filter(|s| usable(s))
                        .or_else(|| table[b as usize].map(String::from));
                    out.push(Glyph {
                        text,
                        width: widths[b as usize] * self.scale,
                        word_space: b == 32,
                        suspect: *latin_guess && b >= 0x80 && legacy.is_none(),
                    });
                    i += 1;
                }
            }
            Kind::Cid {
                codes,
                charset,
                dw,
                w,
                w_ranges,
                cid_known,
                collection,
                glyphs_first,
                glyphs,
            } => {
                let mut i = 0;
                while i < bytes.len() {
                    let rest = &bytes[i..];
                    let (n, cid) = match codes {
                        CodeSplit::Two => {
                            let n = 2.min(rest.len());
                            (n, Some(code_value(&rest[..n])))
                        }
                        CodeSplit::Charset(cs) => (cs.code_len(rest), None),
                        CodeSplit::Embedded(cmap, used) => {
                            let n = cmap
                                .codespace
                                .iter()
                                .find(|r| r.matches(rest))
                                .map(|r| r.len)
                                .or_else(|| used.map(|cs| cs.code_len(rest)))
                                .unwrap_or(if cmap.codespace.is_empty() { 2 } else { 1 })
                                .min(rest.len())
                                .max(1);
                            (n, cmap.cid(code_value(&rest[..n])))
                        }
                    };
                    let code = &rest[..n];
                    let value = code_value(code);
                    let mapped = self.to_unicode.as_ref().and_then(|m| m.get(value));
                    let text = match mapped {
                        Some(s) if usable(&s) => Some(s),
                        other => charset
                            .and_then(|cs| cs.decode(code))
                            .or_else(|| {
                                let by_table = || collection.as_ref()?.text(cid?);
                                let by_font = || glyphs.as_ref()?.get(doc)?.text(cid?);
                                if *glyphs_first {
                                    by_font().or_else(by_table)
                                } else {
                                    by_table().or_else(by_font)
                                }
                            })
                            .or(other.filter(|s| !s.is_empty() && !s.contains('\0'))),
                    };
                    let width = match cid.filter(|_| *cid_known) {
                        Some(cid) => w
                            .get(&cid)
                            .copied()
                            .or_else(|| {
                                w_ranges
                                    .iter()
                                    .find(|r| r.0 <= cid && cid <= r.1)
                                    .map(|r| r.2)
                            })
                            .unwrap_or(*dw),
                        // CIDs unknown (predefined CMap without its tables): full width for
                        // East Asian text, half for the rest.
                        None => match text.as_deref().and_then(|s| s.chars().next()) {
                            Some(c) if crate::count::is_east_asian(c) => *dw,
                            _ => dw * 0.5,
                        },
                    };
                    out.push(Glyph {
                        text,
                        width: width * self.scale,
                        word_space: n == 1 && code[0] == 32,
                        suspect: false,
                    });
                    i += n;
                }
            }
        }
    }
}

/// A ToUnicode result worth using: not empty, not NUL, not only private-use or U+FFFD (some
/// producers map unknown glyphs there; a charset decode is better when one exists).
fn usable(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| c != '\0')
        && s.chars()
            .any(|c| !matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{FFFD}'))
}

fn code_value(code: &[u8]) -> u32 {
    code.iter()
        .take(4)
        .fold(0u32, |a, b| (a << 8) | u32::from(*b))
}

/// A rough Helvetica/Times-like width for fonts without `/Widths` (the standard 14): only used
/// to place word gaps, where the threshold is raised for estimated widths.
fn estimate_width(ch: Option<char>) -> f32 {
    match ch {
        Some(' ') => 260.0,
        Some(c) if c.is_ascii_uppercase() => 680.0,
        Some(c) if c.is_ascii_digit() => 520.0,
        Some(c) if c.is_ascii_lowercase() => 500.0,
        Some(c) if crate::count::is_east_asian(c) => 1000.0,
        _ => 400.0,
    }
}
