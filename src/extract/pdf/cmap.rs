//! CMap streams: `/ToUnicode` maps (code → Unicode) and embedded encoding CMaps (code → CID).
//!
//! Hand-written because lopdf's CMap parser is private to its string-level decoder, and a text
//! layer needs the code → text map itself (to pair each glyph with its width). The CMap syntax
//! a PDF uses is tiny (PostScript tokens between `begin…`/`end…` keywords), and real files break
//! the rules often (`begincidrange` inside a ToUnicode map, odd-length hex strings, ranges whose
//! low byte overflows), so the parser is lenient: it reads every section it recognises and skips
//! what it does not, and never fails.

use std::collections::HashMap;

/// A parsed `/ToUnicode` CMap.
#[derive(Debug, Default)]
pub(super) struct ToUnicode {
    chars: HashMap<u32, String>,
    /// Sorted by `lo`.
    ranges: Vec<BfRange>,
}

#[derive(Debug)]
struct BfRange {
    lo: u32,
    hi: u32,
    dst: RangeDst,
}

#[derive(Debug)]
enum RangeDst {
    /// UTF-16 units of the first code's text; the last unit increments along the range.
    Start(Vec<u16>),
    /// One text per code.
    Array(Vec<String>),
}

/// Ranges larger than this are dropped (a hostile `<00000000> <FFFFFFFF>` costs nothing, but
/// one that is used must look up in logarithmic time, which the sorted vector gives).
const MAX_ENTRIES: usize = 1 << 20;

impl ToUnicode {
    pub(super) fn parse(data: &[u8]) -> ToUnicode {
        let mut map = ToUnicode::default();
        let toks = tokens(data);
        let mut i = 0;
        while let Some(tok) = toks.get(i) {
            i += 1;
            let Tok::Keyword(kw) = tok else { continue };
            match kw.as_slice() {
                b"beginbfchar" => {
                    while let (Some(Tok::Hex(src)), Some(dst)) = (toks.get(i), toks.get(i + 1)) {
                        i += 2;
                        if let Some(text) = dst_text(dst)
                            && map.chars.len() < MAX_ENTRIES
                        {
                            map.chars.insert(code_of(src), text);
                        }
                    }
                }
                b"beginbfrange" => {
                    while let (Some(Tok::Hex(lo)), Some(Tok::Hex(hi)), Some(dst)) =
                        (toks.get(i), toks.get(i + 1), toks.get(i + 2))
                    {
                        i += 3;
                        let (lo, hi) = (code_of(lo), code_of(hi));
                        if hi < lo || map.ranges.len() >= MAX_ENTRIES {
                            continue;
                        }
                        match dst {
                            Tok::Hex(bytes) => map.ranges.push(BfRange {
                                lo,
                                hi,
                                dst: RangeDst::Start(utf16_units(bytes)),
                            }),
                            Tok::ArrayStart => {
                                let mut texts = Vec::new();
                                while let Some(t) = toks.get(i) {
                                    i += 1;
                                    match t {
                                        Tok::ArrayEnd => break,
                                        other => texts.push(dst_text(other).unwrap_or_default()),
                                    }
                                }
                                map.ranges.push(BfRange {
                                    lo,
                                    hi,
                                    dst: RangeDst::Array(texts),
                                });
                            }
                            _ => {}
                        }
                    }
                }
                // Some producers write CID syntax in a ToUnicode map; the numbers are then
                // Unicode scalar values (what pdf.js and MuPDF read them as).
                b"begincidrange" => {
                    while let (Some(Tok::Hex(lo)), Some(Tok::Hex(hi)), Some(Tok::Int(start))) =
                        (toks.get(i), toks.get(i + 1), toks.get(i + 2))
                    {
                        i += 3;
                        let (lo, hi) = (code_of(lo), code_of(hi));
                        let Ok(start) = u32::try_from(*start) else {
                            continue;
                        };
                        if hi < lo || map.ranges.len() >= MAX_ENTRIES {
                            continue;
                        }
                        let units = char::from_u32(start)
                            .map(|c| c.encode_utf16(&mut [0; 2]).to_vec())
                            .unwrap_or_default();
                        map.ranges.push(BfRange {
                            lo,
                            hi,
                            dst: RangeDst::Start(units),
                        });
                    }
                }
                b"begincidchar" => {
                    while let (Some(Tok::Hex(src)), Some(Tok::Int(cp))) =
                        (toks.get(i), toks.get(i + 1))
                    {
                        i += 2;
                        if let Some(c) = u32::try_from(*cp).ok().and_then(char::from_u32)
                            && map.chars.len() < MAX_ENTRIES
                        {
                            map.chars.insert(code_of(src), c.to_string());
                        }
                    }
                }
                _ => {}
            }
        }
        map.ranges.sort_by_key(|r| r.lo);
        map
    }

    pub(super) fn is_empty(&self) -> bool {
        self.chars.is_empty() && self.ranges.is_empty()
    }

    /// Entries held (for the document's memory budget).
    pub(super) fn entries(&self) -> u64 {
        (self.chars.len() + self.ranges.len()) as u64
    }

    /// The text of `code`, if the map has it.
    pub(super) fn get(&self, code: u32) -> Option<String> {
        if let Some(s) = self.chars.get(&code) {
            return Some(s.clone());
        }
        // The last range starting at or below `code`; overlapping ranges are rare, so look
        // back a few.
        let end = self.ranges.partition_point(|r| r.lo <= code);
        for r in self.ranges[..end].iter().rev().take(8) {
            if code > r.hi {
                continue;
            }
            let offset = code - r.lo;
            return match &r.dst {
                RangeDst::Start(units) => {
                    let mut units = units.clone();
                    let last = units.last_mut()?;
                    *last = last.checked_add(u16::try_from(offset).ok()?)?;
                    Some(String::from_utf16_lossy(&units))
                }
                RangeDst::Array(texts) => texts.get(offset as usize).cloned(),
            };
        }
        None
    }
}

/// A code-space range of an encoding CMap: codes of `len` bytes whose bytes each lie within
/// `lo[i]..=hi[i]`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct CodeRange {
    pub len: usize,
    pub lo: [u8; 4],
    pub hi: [u8; 4],
}

impl CodeRange {
    pub(super) fn new(lo: &[u8], hi: &[u8]) -> Option<CodeRange> {
        if lo.len() != hi.len() || lo.is_empty() || lo.len() > 4 {
            return None;
        }
        let mut r = CodeRange {
            len: lo.len(),
            lo: [0; 4],
            hi: [0; 4],
        };
        r.lo[..lo.len()].copy_from_slice(lo);
        r.hi[..hi.len()].copy_from_slice(hi);
        Some(r)
    }

    /// Whether the first `len` bytes of `bytes` form a code of this range.
    pub(super) fn matches(&self, bytes: &[u8]) -> bool {
        bytes.len() >= self.len
            && (0..self.len).all(|i| bytes[i] >= self.lo[i] && bytes[i] <= self.hi[i])
    }
}

/// An embedded encoding CMap (a font's `/Encoding` stream): code space, code → CID, and the
/// predefined CMap it builds on (`usecmap`).
#[derive(Debug, Default)]
pub(super) struct EncodingCMap {
    pub codespace: Vec<CodeRange>,
    cid_chars: HashMap<u32, u32>,
    cid_ranges: Vec<(u32, u32, u32)>,
    pub usecmap: Option<String>,
}

impl EncodingCMap {
    pub(super) fn parse(data: &[u8]) -> EncodingCMap {
        let mut map = EncodingCMap::default();
        let toks = tokens(data);
        let mut i = 0;
        while let Some(tok) = toks.get(i) {
            i += 1;
            match tok {
                Tok::Name(name) => {
                    if let Some(Tok::Keyword(kw)) = toks.get(i)
                        && kw == b"usecmap"
                    {
                        map.usecmap = Some(String::from_utf8_lossy(name).into_owned());
                    }
                }
                Tok::Keyword(kw) => match kw.as_slice() {
                    b"begincodespacerange" => {
                        while let (Some(Tok::Hex(lo)), Some(Tok::Hex(hi))) =
                            (toks.get(i), toks.get(i + 1))
                        {
                            i += 2;
                            if let Some(r) = CodeRange::new(lo, hi)
                                && map.codespace.len() < 256
                            {
                                map.codespace.push(r);
                            }
                        }
                    }
                    b"begincidrange" => {
                        while let (Some(Tok::Hex(lo)), Some(Tok::Hex(hi)), Some(Tok::Int(cid))) =
                            (toks.get(i), toks.get(i + 1), toks.get(i + 2))
                        {
                            i += 3;
                            if let Ok(cid) = u32::try_from(*cid)
                                && map.cid_ranges.len() < MAX_ENTRIES
                            {
                                map.cid_ranges.push((code_of(lo), code_of(hi), cid));
                            }
                        }
                    }
                    b"begincidchar" => {
                        while let (Some(Tok::Hex(src)), Some(Tok::Int(cid))) =
                            (toks.get(i), toks.get(i + 1))
                        {
                            i += 2;
                            if let Ok(cid) = u32::try_from(*cid)
                                && map.cid_chars.len() < MAX_ENTRIES
                            {
                                map.cid_chars.insert(code_of(src), cid);
                            }
                        }
                    }
                    _ => {}
                },
                _ => {}
            }
        }
        map.cid_ranges.sort_by_key(|r| r.0);
        map
    }

    /// Entries held (for the document's memory budget).
    pub(super) fn entries(&self) -> u64 {
        (self.cid_chars.len() + self.cid_ranges.len() + self.codespace.len()) as u64
    }

    /// The CID of `code`, if the map defines it.
    pub(super) fn cid(&self, code: u32) -> Option<u32> {
        if let Some(c) = self.cid_chars.get(&code) {
            return Some(*c);
        }
        let end = self.cid_ranges.partition_point(|r| r.0 <= code);
        self.cid_ranges[..end]
            .iter()
            .rev()
            .take(8)
            .find(|r| code <= r.1)
            .and_then(|r| r.2.checked_add(code - r.0))
    }
}

/// Big-endian value of up to four code bytes.
fn code_of(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .rev()
        .take(4)
        .rev()
        .fold(0u32, |acc, b| (acc << 8) | u32::from(*b))
}

fn utf16_units(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks(2)
        .map(|c| match c {
            [a, b] => u16::from_be_bytes([*a, *b]),
            [a] => u16::from(*a),
            _ => 0,
        })
        .collect()
}

/// A destination of `bfchar`/`bfrange`: UTF-16BE hex, or a glyph name.
fn dst_text(tok: &Tok) -> Option<String> {
    match tok {
        Tok::Hex(bytes) => Some(String::from_utf16_lossy(&utf16_units(bytes))),
        Tok::Name(name) => std::str::from_utf8(name)
            .ok()
            .and_then(super::encoding::glyph_char)
            .map(String::from),
        _ => None,
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Hex(Vec<u8>),
    Name(Vec<u8>),
    Int(i64),
    Keyword(Vec<u8>),
    ArrayStart,
    ArrayEnd,
    Other,
}

/// PostScript-ish tokens; literal strings and dictionaries are skipped over.
fn tokens(data: &[u8]) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut i = 0;
    let n = data.len();
    while i < n {
        let b = data[i];
        match b {
            b'%' => {
                while i < n && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'<' if data.get(i + 1) == Some(&b'<') => {
                out.push(Tok::Other);
                i += 2;
            }
            b'>' if data.get(i + 1) == Some(&b'>') => {
                out.push(Tok::Other);
                i += 2;
            }
            b'<' => {
                i += 1;
                let mut digits = Vec::new();
                while i < n && data[i] != b'>' {
                    if let Some(d) = (data[i] as char).to_digit(16) {
                        digits.push(d as u8);
                    }
                    i += 1;
                }
                i += 1;
                if digits.len() % 2 == 1 {
                    digits.push(0);
                }
                out.push(Tok::Hex(
                    digits.chunks(2).map(|p| (p[0] << 4) | p[1]).collect(),
                ));
            }
            b'(' => {
                // Literal string: skip with nesting and escapes.
                let mut depth = 0usize;
                while i < n {
                    match data[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                i += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                out.push(Tok::Other);
            }
            b'[' => {
                out.push(Tok::ArrayStart);
                i += 1;
            }
            b']' => {
                out.push(Tok::ArrayEnd);
                i += 1;
            }
            b'{' | b'}' | b'>' | b')' => {
                out.push(Tok::Other);
                i += 1;
            }
            b'/' => {
                i += 1;
                let start = i;
                while i < n && !is_delim(data[i]) {
                    i += 1;
                }
                out.push(Tok::Name(decode_name(&data[start..i])));
            }
            _ if is_white(b) => i += 1,
            _ => {
                let start = i;
                while i < n && !is_delim(data[i]) {
                    i += 1;
                }
                if i == start {
                    i += 1;
                    continue;
                }
                let word = &data[start..i];
                out.push(
                    match std::str::from_utf8(word).ok().and_then(|s| s.parse().ok()) {
                        Some(v) => Tok::Int(v),
                        None if word.iter().all(|c| c.is_ascii_alphabetic()) => {
                            Tok::Keyword(word.to_vec())
                        }
                        None => Tok::Other,
                    },
                );
            }
        }
    }
    out
}

fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

fn is_delim(b: u8) -> bool {
    is_white(b) || b"()<>[]{}/%".contains(&b)
}

/// `#xx` escapes in a name.
fn decode_name(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'#'
            && let Some(v) = raw
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(raw[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CMAP: &[u8] = br"/CIDInit /ProcSet findresource begin
12 dict begin begincmap /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def /CMapType 2 def
1 begincodespacerange <0000> <FFFF> endcodespacerange
3 beginbfchar
<0003> <0020>
<0010> <4E2D>
<0011> <D83DDE00>
endbfchar
2 beginbfrange
<0020> <0022> <0061>
<0030> <0031> [<0066006C> <6587>]
endbfrange
1 begincidrange <0040> <0042> 22269 endcidrange
endcmap CMapName currentdict /CMap defineresource pop end end";

    #[test]
    fn to_unicode() {
        let m = ToUnicode::parse(CMAP);
        let cases: &[(u32, Option<&str>)] = &[
            (0x03, Some(" ")),
            (0x10, Some("中")),
            (0x11, Some("😀")),
            (0x20, Some("a")),
            (0x22, Some("c")),
            (0x23, None),
            (0x30, Some("fl")),
            (0x31, Some("文")),
            (0x40, Some("\u{56FD}")),
            (0x42, Some("\u{56FF}")),
            (0x9999, None),
        ];
        for (code, want) in cases {
            assert_eq!(m.get(*code).as_deref(), *want, "code {code:#x}");
        }
    }

    #[test]
    fn garbage_never_fails() {
        for data in [
            &b""[..],
            b"beginbfrange <00",
            b"beginbfchar <01> ( endbfchar",
            b"<<<<>>>>[[[",
            b"beginbfrange <FFFF> <0000> <0041> endbfrange",
            b"beginbfrange <00> <FF> <FFFF> endbfrange",
        ] {
            let m = ToUnicode::parse(data);
            let _ = m.get(0xFF);
            let _ = EncodingCMap::parse(data);
        }
    }

    #[test]
    fn encoding_cmap() {
        let m = EncodingCMap::parse(
            b"/GBK-EUC-H usecmap 2 begincodespacerange <00> <80> <8140> <FEFE> endcodespacerange \
              1 begincidrange <8140> <817E> 10000 endcidrange 1 begincidchar <20> 1 endcidchar",
        );
        assert_eq!(m.usecmap.as_deref(), Some("GBK-EUC-H"));
        assert_eq!(m.codespace.len(), 2);
        assert!(m.codespace[1].matches(&[0x81, 0x41]));
        assert!(!m.codespace[1].matches(&[0x41, 0x41]));
        assert_eq!(m.cid(0x8141), Some(10001));
        assert_eq!(m.cid(0x20), Some(1));
        assert_eq!(m.cid(0x21), None);
    }
}
