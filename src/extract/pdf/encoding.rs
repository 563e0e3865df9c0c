//! Single-byte font encodings and glyph names for simple PDF fonts.
//!
//! lopdf keeps its encoding tables and glyph list private (its public `Encoding` decodes whole
//! strings, which gives no per-glyph widths and so no word spacing), so the few tables a text
//! extractor needs live here. WinAnsi and MacRoman come from `encoding_rs` (windows-1252 and
//! macintosh are the same code pages); StandardEncoding and the glyph names are the Adobe
//! tables, limited to the Latin names that real documents use in `/Differences` — a name we do
//! not know decodes to nothing and is counted as undecodable, never guessed.

/// A simple font's base encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BaseEncoding {
    Standard,
    WinAnsi,
    MacRoman,
    /// Symbol/ZapfDingbats and symbolic TrueType: codes are taken as Latin-1.
    Identity,
}

impl BaseEncoding {
    pub(super) fn from_name(name: &[u8]) -> Option<BaseEncoding> {
        match name {
            b"WinAnsiEncoding" => Some(BaseEncoding::WinAnsi),
            b"MacRomanEncoding" | b"MacExpertEncoding" => Some(BaseEncoding::MacRoman),
            b"StandardEncoding" => Some(BaseEncoding::Standard),
            _ => None,
        }
    }

    /// The 256-entry table of this encoding.
    pub(super) fn table(self) -> [Option<char>; 256] {
        let mut t = [None; 256];
        match self {
            BaseEncoding::WinAnsi | BaseEncoding::MacRoman => {
                let enc = if self == BaseEncoding::WinAnsi {
                    encoding_rs::WINDOWS_1252
                } else {
                    encoding_rs::MACINTOSH
                };
                for (b, slot) in t.iter_mut().enumerate() {
                    let byte = [b as u8];
                    let (s, _) = enc.decode_without_bom_handling(&byte);
                    *slot = s.chars().next().filter(|c| !c.is_control());
                }
                // WinAnsi: undefined codes render as bullets in Acrobat; keep them out.
            }
            BaseEncoding::Standard => {
                for (b, slot) in t.iter_mut().enumerate().take(0x7F).skip(0x20) {
                    *slot = char::from_u32(b as u32);
                }
                t[0x27] = Some('\u{2019}');
                t[0x60] = Some('\u{2018}');
                for &(code, name) in STANDARD_HIGH {
                    t[code as usize] = glyph_char(name);
                }
            }
            BaseEncoding::Identity => {
                for (b, slot) in t.iter_mut().enumerate().skip(0x20) {
                    *slot = char::from_u32(b as u32).filter(|c| !c.is_control());
                }
            }
        }
        t
    }
}

/// StandardEncoding above 0x7F (PDF 32000 Annex D).
const STANDARD_HIGH: &[(u8, &str)] = &[
    (0xA1, "exclamdown"),
    (0xA2, "cent"),
    (0xA3, "sterling"),
    (0xA4, "fraction"),
    (0xA5, "yen"),
    (0xA6, "florin"),
    (0xA7, "section"),
    (0xA8, "currency"),
    (0xA9, "quotesingle"),
    (0xAA, "quotedblleft"),
    (0xAB, "guillemotleft"),
    (0xAC, "guilsinglleft"),
    (0xAD, "guilsinglright"),
    (0xAE, "fi"),
    (0xAF, "fl"),
    (0xB1, "endash"),
    (0xB2, "dagger"),
    (0xB3, "daggerdbl"),
    (0xB4, "periodcentered"),
    (0xB6, "paragraph"),
    (0xB7, "bullet"),
    (0xB8, "quotesinglbase"),
    (0xB9, "quotedblbase"),
    (0xBA, "quotedblright"),
    (0xBB, "guillemotright"),
    (0xBC, "ellipsis"),
    (0xBD, "perthousand"),
    (0xBF, "questiondown"),
    (0xC1, "grave"),
    (0xC2, "acute"),
    (0xC3, "circumflex"),
    (0xC4, "tilde"),
    (0xC5, "macron"),
    (0xC6, "breve"),
    (0xC7, "dotaccent"),
    (0xC8, "dieresis"),
    (0xCA, "ring"),
    (0xCB, "cedilla"),
    (0xCD, "hungarumlaut"),
    (0xCE, "ogonek"),
    (0xCF, "caron"),
    (0xD0, "emdash"),
    (0xE1, "AE"),
    (0xE3, "ordfeminine"),
    (0xE8, "Lslash"),
    (0xE9, "Oslash"),
    (0xEA, "OE"),
    (0xEB, "ordmasculine"),
    (0xF1, "ae"),
    (0xF5, "dotlessi"),
    (0xF8, "lslash"),
    (0xF9, "oslash"),
    (0xFA, "oe"),
    (0xFB, "germandbls"),
];

/// ASCII 0x20..=0x7E glyph names, in code order.
const ASCII_NAMES: [&str; 95] = [
    "space",
    "exclam",
    "quotedbl",
    "numbersign",
    "dollar",
    "percent",
    "ampersand",
    "quotesingle",
    "parenleft",
    "parenright",
    "asterisk",
    "plus",
    "comma",
    "hyphen",
    "period",
    "slash",
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "colon",
    "semicolon",
    "less",
    "equal",
    "greater",
    "question",
    "at",
    "A",
    "B",
    "C",
    "D",
    "E",
    "F",
    "G",
    "H",
    "I",
    "J",
    "K",
    "L",
    "M",
    "N",
    "O",
    "P",
    "Q",
    "R",
    "S",
    "T",
    "U",
    "V",
    "W",
    "X",
    "Y",
    "Z",
    "bracketleft",
    "backslash",
    "bracketright",
    "asciicircum",
    "underscore",
    "grave",
    "a",
    "b",
    "c",
    "d",
    "e",
    "f",
    "g",
    "h",
    "i",
    "j",
    "k",
    "l",
    "m",
    "n",
    "o",
    "p",
    "q",
    "r",
    "s",
    "t",
    "u",
    "v",
    "w",
    "x",
    "y",
    "z",
    "braceleft",
    "bar",
    "braceright",
    "asciitilde",
];

/// Latin-1 0xA0..=0xFF glyph names, in code order.
const LATIN1_NAMES: [&str; 96] = [
    "nbspace",
    "exclamdown",
    "cent",
    "sterling",
    "currency",
    "yen",
    "brokenbar",
    "section",
    "dieresis",
    "copyright",
    "ordfeminine",
    "guillemotleft",
    "logicalnot",
    "sfthyphen",
    "registered",
    "macron",
    "degree",
    "plusminus",
    "twosuperior",
    "threesuperior",
    "acute",
    "mu",
    "paragraph",
    "periodcentered",
    "cedilla",
    "onesuperior",
    "ordmasculine",
    "guillemotright",
    "onequarter",
    "onehalf",
    "threequarters",
    "questiondown",
    "Agrave",
    "Aacute",
    "Acircumflex",
    "Atilde",
    "Adieresis",
    "Aring",
    "AE",
    "Ccedilla",
    "Egrave",
    "Eacute",
    "Ecircumflex",
    "Edieresis",
    "Igrave",
    "Iacute",
    "Icircumflex",
    "Idieresis",
    "Eth",
    "Ntilde",
    "Ograve",
    "Oacute",
    "Ocircumflex",
    "Otilde",
    "Odieresis",
    "multiply",
    "Oslash",
    "Ugrave",
    "Uacute",
    "Ucircumflex",
    "Udieresis",
    "Yacute",
    "Thorn",
    "germandbls",
    "agrave",
    "aacute",
    "acircumflex",
    "atilde",
    "adieresis",
    "aring",
    "ae",
    "ccedilla",
    "egrave",
    "eacute",
    "ecircumflex",
    "edieresis",
    "igrave",
    "iacute",
    "icircumflex",
    "idieresis",
    "eth",
    "ntilde",
    "ograve",
    "oacute",
    "ocircumflex",
    "otilde",
    "odieresis",
    "divide",
    "oslash",
    "ugrave",
    "uacute",
    "ucircumflex",
    "udieresis",
    "yacute",
    "thorn",
    "ydieresis",
];

/// Other Latin glyph names found in Standard, WinAnsi, MacRoman and PDFDoc encodings, plus
/// ligatures and a few symbols common in Chinese documents.
const OTHER_NAMES: &[(&str, char)] = &[
    ("quoteright", '\u{2019}'),
    ("quoteleft", '\u{2018}'),
    ("quotedblleft", '\u{201C}'),
    ("quotedblright", '\u{201D}'),
    ("quotesinglbase", '\u{201A}'),
    ("quotedblbase", '\u{201E}'),
    ("guilsinglleft", '\u{2039}'),
    ("guilsinglright", '\u{203A}'),
    ("fraction", '\u{2044}'),
    ("florin", '\u{0192}'),
    ("endash", '\u{2013}'),
    ("emdash", '\u{2014}'),
    ("dagger", '\u{2020}'),
    ("daggerdbl", '\u{2021}'),
    ("bullet", '\u{2022}'),
    ("ellipsis", '\u{2026}'),
    ("perthousand", '\u{2030}'),
    ("circumflex", '\u{02C6}'),
    ("tilde", '\u{02DC}'),
    ("breve", '\u{02D8}'),
    ("dotaccent", '\u{02D9}'),
    ("ring", '\u{02DA}'),
    ("hungarumlaut", '\u{02DD}'),
    ("ogonek", '\u{02DB}'),
    ("caron", '\u{02C7}'),
    ("Lslash", '\u{0141}'),
    ("lslash", '\u{0142}'),
    ("OE", '\u{0152}'),
    ("oe", '\u{0153}'),
    ("Scaron", '\u{0160}'),
    ("scaron", '\u{0161}'),
    ("Zcaron", '\u{017D}'),
    ("zcaron", '\u{017E}'),
    ("Ydieresis", '\u{0178}'),
    ("dotlessi", '\u{0131}'),
    ("Euro", '\u{20AC}'),
    ("trademark", '\u{2122}'),
    ("fi", '\u{FB01}'),
    ("fl", '\u{FB02}'),
    ("ff", '\u{FB00}'),
    ("ffi", '\u{FB03}'),
    ("ffl", '\u{FB04}'),
    ("minus", '\u{2212}'),
    ("Delta", '\u{2206}'),
    ("Omega", '\u{2126}'),
    ("pi", '\u{03C0}'),
    ("mu1", '\u{00B5}'),
    ("lozenge", '\u{25CA}'),
    ("radical", '\u{221A}'),
    ("infinity", '\u{221E}'),
    ("notequal", '\u{2260}'),
    ("lessequal", '\u{2264}'),
    ("greaterequal", '\u{2265}'),
    ("partialdiff", '\u{2202}'),
    ("summation", '\u{2211}'),
    ("product", '\u{220F}'),
    ("integral", '\u{222B}'),
    ("approxequal", '\u{2248}'),
    ("apple", '\u{F8FF}'),
    ("space", ' '),
    ("nbspace", '\u{00A0}'),
    ("nonbreakingspace", '\u{00A0}'),
    ("sfthyphen", '\u{00AD}'),
    ("middot", '\u{00B7}'),
    ("overscore", '\u{00AF}'),
    ("registerserif", '\u{00AE}'),
    ("copyrightserif", '\u{00A9}'),
    ("trademarkserif", '\u{2122}'),
    ("arrowleft", '\u{2190}'),
    ("arrowup", '\u{2191}'),
    ("arrowright", '\u{2192}'),
    ("arrowdown", '\u{2193}'),
    ("degree", '\u{00B0}'),
    ("Alpha", 'Α'),
    ("Beta", 'Β'),
    ("Gamma", 'Γ'),
    ("alpha", 'α'),
    ("beta", 'β'),
    ("gamma", 'γ'),
    ("delta", 'δ'),
    ("epsilon", 'ε'),
    ("lambda", 'λ'),
    ("sigma", 'σ'),
    ("theta", 'θ'),
    ("omega", 'ω'),
    ("check", '\u{2713}'),
    ("a20", '\u{2714}'),
];

/// The Unicode character for an Adobe glyph name (`A`, `eacute`, `uni4E2D`, `u1F600`, `fi`).
/// Names with a suffix (`a.sc`, `one_two`) use their first component.
pub(super) fn glyph_char(name: &str) -> Option<char> {
    let base = name.split('.').next().unwrap_or(name);
    let base = base.split('_').next().unwrap_or(base);
    if base.is_empty() {
        return None;
    }
    if let Some(i) = ASCII_NAMES.iter().position(|n| *n == base) {
        return char::from_u32(0x20 + i as u32);
    }
    if let Some(i) = LATIN1_NAMES.iter().position(|n| *n == base) {
        return char::from_u32(0xA0 + i as u32);
    }
    if let Some((_, c)) = OTHER_NAMES.iter().find(|(n, _)| *n == base) {
        return Some(*c);
    }
    if let Some(hex) = base.strip_prefix("uni")
        && hex.len() >= 4
    {
        return u32::from_str_radix(hex.get(..4)?, 16)
            .ok()
            .and_then(char::from_u32);
    }
    if let Some(hex) = base.strip_prefix('u')
        && (4..=6).contains(&hex.len())
        && hex.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return u32::from_str_radix(hex, 16).ok().and_then(char::from_u32);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyph_names() {
        let cases: &[(&str, Option<char>)] = &[
            ("A", Some('A')),
            ("space", Some(' ')),
            ("zero", Some('0')),
            ("asciitilde", Some('~')),
            ("eacute", Some('é')),
            ("ydieresis", Some('ÿ')),
            ("quotedblleft", Some('“')),
            ("uni4E2D", Some('中')),
            ("uni4E2D4E2D", Some('中')),
            ("u1F600", Some('😀')),
            ("a.sc", Some('a')),
            ("G065", None),
            ("g3", None),
            ("", None),
        ];
        for (name, want) in cases {
            assert_eq!(glyph_char(name), *want, "{name}");
        }
    }

    #[test]
    fn tables() {
        let w = BaseEncoding::WinAnsi.table();
        assert_eq!(w[0x41], Some('A'));
        assert_eq!(w[0x93], Some('“'));
        assert_eq!(w[0xE9], Some('é'));
        let s = BaseEncoding::Standard.table();
        assert_eq!(s[0x27], Some('’'));
        assert_eq!(s[0xAE], Some('ﬁ'));
        assert_eq!(s[0xE9], Some('Ø'));
        assert_eq!(s[0x80], None);
        let m = BaseEncoding::MacRoman.table();
        assert_eq!(m[0x8E], Some('é'));
    }
}
