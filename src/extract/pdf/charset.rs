//! Legacy multi-byte character sets behind predefined CJK CMaps (`GBK-EUC-H`, `UniGB-UCS2-H`,
//! `90ms-RKSJ-H` …) and behind simple fonts with Chinese names that carry GBK bytes.
//!
//! A predefined CMap maps bytes to CIDs, and the CIDs to Unicode need Adobe's ordering tables
//! (Adobe-GB1 …, megabytes that pdftotext takes from poppler-data). But the bytes themselves
//! are GBK/Big5/Shift-JIS/EUC-KR/UCS-2 text, so `encoding_rs` (already a dependency) decodes
//! them directly and no table is shipped.

/// A legacy multi-byte character set behind a predefined CMap or a mislabelled simple font.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Charset {
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
    pub(super) fn from_cmap_name(name: &str) -> Option<Charset> {
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
    pub(super) fn code_len(self, bytes: &[u8]) -> usize {
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

    pub(super) fn decode(self, code: &[u8]) -> Option<String> {
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

/// A simple font whose name says it is Chinese (GBK-encoded name bytes, `GB2312`, `SimSun` …)
/// and which has no ToUnicode is read as GBK (Big5 for MingLiU-like names).
pub(super) fn legacy_charset_for_name(base_font: &[u8]) -> Option<Charset> {
    let name = super::objects::strip_subset(base_font);
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
