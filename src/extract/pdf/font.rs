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
//! inverted (ttf-parser reads it; it is small, dependency-free and made for exactly this). A
//! code nothing maps is *undecodable*: it yields no text and is counted, so the caller can warn
//! instead of counting garbage.

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object};

use super::cmap::{EncodingCMap, ToUnicode};
use super::encoding::{BaseEncoding, glyph_char};

/// One shown glyph.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
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

/// A legacy multi-byte character set behind a predefined CMap or a mislabelled simple font.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Charset {
    Gbk,
    Big5,
    ShiftJis,
    EucJp,
    EucKr,
    Ucs2,
    Utf16,
    Utf8,
    Utf32,
}

impl Charset {
    /// Predefined CMap name → character set (PDF 32000-1 Table 118 and the Adobe CMap
    /// resources).
    fn from_cmap_name(name: &str) -> Option<Charset> {
        let base = name
            .strip_suffix("-H")
            .or_else(|| name.strip_suffix("-V"))
            .unwrap_or(name);
        if base.starts_with("Uni") {
            return if base.contains("UCS2") {
                Some(Charset::Ucs2)
            } else if base.contains("UTF16") {
                Some(Charset::Utf16)
            } else if base.contains("UTF8") {
                Some(Charset::Utf8)
            } else if base.contains("UTF32") {
                Some(Charset::Utf32)
            } else {
                None
            };
        }
        if base.starts_with("GB") {
            return Some(Charset::Gbk);
        }
        if base.contains("B5") {
            return Some(Charset::Big5);
        }
        if base.contains("RKSJ") {
            return Some(Charset::ShiftJis);
        }
        if base == "EUC" {
            return Some(Charset::EucJp);
        }
        if base.starts_with("KSC") {
            return Some(Charset::EucKr);
        }
        None
    }

    /// Length of the code starting at `bytes[0]`.
    fn code_len(self, bytes: &[u8]) -> usize {
        let b0 = bytes.first().copied().unwrap_or(0);
        let b1 = bytes.get(1).copied().unwrap_or(0);
        let n = match self {
            Charset::Gbk => match b0 {
                0x81..=0xFE if (0x30..=0x39).contains(&b1) => 4,
                0x81..=0xFE => 2,
                _ => 1,
            },
            Charset::Big5 | Charset::EucKr => match b0 {
                0x81..=0xFE => 2,
                _ => 1,
            },
            Charset::ShiftJis => match b0 {
                0x81..=0x9F | 0xE0..=0xFC => 2,
                _ => 1,
            },
            Charset::EucJp => match b0 {
                0x8F => 3,
                0x8E | 0xA1..=0xFE => 2,
                _ => 1,
            },
            Charset::Ucs2 => 2,
            Charset::Utf16 => {
                if (0xD8..=0xDB).contains(&b0) {
                    4
                } else {
                    2
                }
            }
            Charset::Utf8 => match b0 {
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                0xF0..=0xF7 => 4,
                _ => 1,
            },
            Charset::Utf32 => 4,
        };
        n.min(bytes.len()).max(1)
    }

    fn decode(self, code: &[u8]) -> Option<String> {
        let enc = match self {
            Charset::Gbk => encoding_rs::GBK,
            Charset::Big5 => encoding_rs::BIG5,
            Charset::ShiftJis => encoding_rs::SHIFT_JIS,
            Charset::EucJp => encoding_rs::EUC_JP,
            Charset::EucKr => encoding_rs::EUC_KR,
            Charset::Ucs2 | Charset::Utf16 => encoding_rs::UTF_16BE,
            Charset::Utf8 => encoding_rs::UTF_8,
            Charset::Utf32 => {
                let v = code
                    .iter()
                    .fold(0u32, |a, b| a.wrapping_shl(8) | u32::from(*b));
                return char::from_u32(v).map(String::from);
            }
        };
        let s = enc.decode_without_bom_handling_and_without_replacement(code)?;
        let s = s.trim_matches('\0');
        (!s.is_empty()).then(|| s.to_string())
    }
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
pub struct Font {
    kind: Kind,
    to_unicode: Option<ToUnicode>,
    /// Multiplier from glyph-space widths to text space (0.001, or a Type 3 FontMatrix).
    scale: f32,
    pub vertical: bool,
    /// Widths came from the file (not estimated), so small gaps are meaningful.
    pub widths_known: bool,
}

/// Resolves references (bounded).
pub fn deref<'a>(doc: &'a Document, mut obj: &'a Object) -> &'a Object {
    for _ in 0..16 {
        match obj {
            Object::Reference(id) => match doc.get_object(*id) {
                Ok(o) => obj = o,
                Err(_) => return &Object::Null,
            },
            _ => return obj,
        }
    }
    &Object::Null
}

pub fn dict_get<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    d.get(key).ok().map(|o| deref(doc, o))
}

pub fn num(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r).filter(|r| r.is_finite()),
        _ => None,
    }
}

/// The decoded content of a stream object, bounded.
pub fn stream_bytes(doc: &Document, obj: &Object, limit: usize) -> Option<Vec<u8>> {
    let s = deref(doc, obj).as_stream().ok()?;
    s.get_plain_content_with_limit(limit).ok()
}

impl Font {
    /// Reads a font dictionary. Never fails: what cannot be read decodes as undecodable.
    pub fn load(doc: &Document, dict: &Dictionary, limit: usize) -> Font {
        let to_unicode = dict_get(doc, dict, b"ToUnicode")
            .and_then(|o| stream_bytes(doc, o, limit))
            .map(|b| ToUnicode::parse(&b))
            .filter(|m| !m.is_empty());
        let subtype = dict_get(doc, dict, b"Subtype")
            .and_then(|o| o.as_name().ok())
            .unwrap_or(b"");
        if subtype == b"Type0" {
            return Self::load_cid(doc, dict, to_unicode, limit);
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
        Font {
            kind: Kind::Cid {
                codes,
                charset,
                dw,
                w,
                w_ranges,
                cid_known,
                glyphs: descendant
                    .filter(|_| cid_known && charset.is_none())
                    .map(|d| {
                        Box::new(LazyCmap {
                            cid_font: d.clone(),
                            limit,
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

    /// A composite (Type0/CID) font: its codes are text, rarely symbols.
    pub fn composite(&self) -> bool {
        matches!(self.kind, Kind::Cid { .. })
    }

    /// Splits a shown string into glyphs.
    pub fn decode(&self, doc: &Document, bytes: &[u8], out: &mut Vec<Glyph>) {
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
                            .or_else(|| glyphs.as_ref()?.get(doc)?.text(cid?))
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

/// The encoding in the clear-text part of a Type 1 font program: `dup 58 /period put` …
/// (`StandardEncoding` or none gives `None`, leaving the PDF's default).
fn type1_builtin_encoding(program: &[u8]) -> Option<[Option<char>; 256]> {
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
pub struct LazyCmap {
    cid_font: Dictionary,
    limit: usize,
    cell: std::cell::OnceCell<Option<GlyphCmap>>,
}

impl LazyCmap {
    fn get(&self, doc: &Document) -> Option<&GlyphCmap> {
        self.cell
            .get_or_init(|| GlyphCmap::load(doc, &self.cid_font, self.limit))
            .as_ref()
    }
}

/// Text of glyphs by the embedded TrueType/OpenType font's Unicode `cmap`, inverted (what
/// pdftotext falls back to for Identity-H fonts without ToUnicode). Read with ttf-parser.
#[derive(Debug)]
pub struct GlyphCmap {
    by_gid: HashMap<u16, char>,
    cid_to_gid: Option<Vec<u16>>,
}

impl GlyphCmap {
    fn load(doc: &Document, cid_font: &Dictionary, limit: usize) -> Option<GlyphCmap> {
        let descriptor = dict_get(doc, cid_font, b"FontDescriptor")?.as_dict().ok()?;
        let program = dict_get(doc, descriptor, b"FontFile2")
            .or_else(|| dict_get(doc, descriptor, b"FontFile3"))
            .and_then(|o| stream_bytes(doc, o, limit.min(64 << 20)))?;
        let face = ttf_parser::RawFace::parse(&program, 0).ok()?;
        let cmap =
            ttf_parser::cmap::Table::parse(face.table(ttf_parser::Tag::from_bytes(b"cmap"))?)?;
        let mut by_gid: HashMap<u16, char> = HashMap::new();
        let mut budget = 300_000usize;
        for sub in cmap.subtables {
            if !sub.is_unicode() {
                continue;
            }
            sub.codepoints(|cp| {
                if budget == 0 {
                    return;
                }
                budget -= 1;
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

    fn text(&self, cid: u32) -> Option<String> {
        let gid = match &self.cid_to_gid {
            Some(map) => *map.get(cid as usize)?,
            None => u16::try_from(cid).ok()?,
        };
        self.by_gid.get(&gid).map(|c| c.to_string())
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

fn strip_subset(name: &[u8]) -> &[u8] {
    match name.iter().position(|b| *b == b'+') {
        Some(6) => &name[7..],
        _ => name,
    }
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

/// A simple font whose name says it is Chinese (GBK-encoded name bytes, `GB2312`, `SimSun` …)
/// and which has no ToUnicode is read as GBK (Big5 for MingLiU-like names).
fn legacy_charset_for_name(base_font: &[u8]) -> Option<Charset> {
    let name = strip_subset(base_font);
    let lower = String::from_utf8_lossy(name).to_ascii_lowercase();
    const BIG5: &[&str] = &["mingliu", "pmingliu", "dfkai", "big5", "kaiu"];
    if BIG5.iter().any(|k| lower.contains(k)) {
        return Some(Charset::Big5);
    }
    if name.iter().any(|b| *b >= 0x80) {
        return Some(Charset::Gbk);
    }
    const GBK: &[&str] = &[
        "gb2312",
        "gbk",
        "gb18030",
        "simsun",
        "simhei",
        "simkai",
        "simfang",
        "kaiti",
        "fangsong",
        "stsong",
        "stkaiti",
        "stheiti",
        "stfangsong",
        "stzhongsong",
        "stxihei",
        "yahei",
        "dengxian",
        "songti",
        "heiti",
        "--gb1",
    ];
    GBK.iter()
        .any(|k| lower.contains(k))
        .then_some(Charset::Gbk)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charsets() {
        let cases: &[(&str, Option<Charset>)] = &[
            ("GBK-EUC-H", Some(Charset::Gbk)),
            ("GBKp-EUC-H", Some(Charset::Gbk)),
            ("GB-EUC-V", Some(Charset::Gbk)),
            ("GBK2K-H", Some(Charset::Gbk)),
            ("UniGB-UCS2-H", Some(Charset::Ucs2)),
            ("UniGB-UTF16-V", Some(Charset::Utf16)),
            ("ETen-B5-H", Some(Charset::Big5)),
            ("90ms-RKSJ-H", Some(Charset::ShiftJis)),
            ("KSCms-UHC-H", Some(Charset::EucKr)),
            ("Identity-H", None),
        ];
        for (name, want) in cases {
            assert_eq!(Charset::from_cmap_name(name), *want, "{name}");
        }
        assert_eq!(Charset::Gbk.decode(&[0xD6, 0xD0]).as_deref(), Some("中"));
        assert_eq!(Charset::Gbk.code_len(&[0xD6, 0xD0, 0x41]), 2);
        assert_eq!(Charset::Gbk.code_len(&[0x41, 0xD0]), 1);
        assert_eq!(Charset::Gbk.code_len(&[0x81, 0x30, 0x81, 0x30]), 4);
        assert_eq!(Charset::Ucs2.decode(&[0x4E, 0x2D]).as_deref(), Some("中"));
        assert_eq!(Charset::Gbk.code_len(&[0xD6]), 1);
    }

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

    #[test]
    fn chinese_font_names() {
        assert_eq!(
            legacy_charset_for_name(b"\xCB\xCE\xCC\xE5"),
            Some(Charset::Gbk)
        );
        assert_eq!(
            legacy_charset_for_name(b"ABCDEF+SimSun"),
            Some(Charset::Gbk)
        );
        assert_eq!(legacy_charset_for_name(b"MingLiU"), Some(Charset::Big5));
        assert_eq!(legacy_charset_for_name(b"Helvetica"), None);
    }
}
