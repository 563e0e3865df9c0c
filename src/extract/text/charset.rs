//! Which encoding a text or HTML file is really in.
//!
//! Chinese web pages and notes come in UTF-8, GBK/GB18030, sometimes Big5 or UTF-16, and an
//! HTML page's `<meta charset>` is wrong often enough (a GBK page from an old CMS template that
//! says utf-8, a UTF-8 re-save that still says gb2312) that it cannot be obeyed blindly. Order:
//! 1. a BOM (UTF-8, UTF-16LE/BE) wins, as in browsers;
//! 2. bytes that are valid UTF-8 *are* UTF-8 — GBK text of any length essentially never
//!    validates as UTF-8 by accident;
//! 3. the declared charset, if it decodes without a single error and the text is plausible;
//! 4. chardetng's guess (with the `.cn` TLD hint, so ambiguous short input leans to GBK).
//!
//! A declaration that disagrees with what was used gives `text.charset_mismatch`.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, GB18030, GBK, UTF_8, UTF_16BE, UTF_16LE};

use crate::facts::Problem;

/// The decoded text and what it was decoded as.
#[derive(Debug)]
pub(crate) struct Decoded {
    pub text: String,
    /// The encoding's name as the WHATWG Encoding Standard spells it (`UTF-8`, `GBK`,
    /// `gb18030`, `UTF-16LE`, `Big5` …).
    pub charset: &'static str,
    pub warning: Option<Problem>,
}

/// Decodes `bytes`; `declared` is the label an HTML page declares (`utf-8`, `gb2312` …).
pub(crate) fn decode(bytes: &[u8], declared: Option<&str>) -> Decoded {
    let declared_enc = declared.and_then(|l| Encoding::for_label(l.trim().as_bytes()));
    // A meta that says UTF-16 means UTF-8 (WHATWG): the page could not have parsed otherwise.
    let declared_enc = declared_enc.map(|e| {
        if e == UTF_16LE || e == UTF_16BE {
            UTF_8
        } else {
            e
        }
    });
    let (text, used) = pick(bytes, declared_enc);
    // Characters outside GBK (4-byte GB18030 sequences, which the GBK decoder also reads)
    // mean the file is GB18030.
    let charset = if used == GBK && GBK.encode(&text.replace('\u{FFFD}', "")).2 {
        GB18030.name()
    } else {
        used.name()
    };
    let warning = match (declared, declared_enc) {
        (Some(label), Some(d)) if !same_family(d, used) => Some(Problem::new(
            crate::codes::TEXT_CHARSET_MISMATCH,
            format!(
                "网页声明的编码（{}）与实际编码（{}）不符，已按实际编码读取",
                label.trim(),
                charset
            ),
        )),
        _ => None,
    };
    Decoded {
        text,
        charset,
        warning,
    }
}

/// GBK and GB18030 are one family (encoding_rs decodes both with one decoder); a page that
/// declares gb2312 (a GBK label) and holds GB18030 bytes is not mislabelled.
fn same_family(a: &'static Encoding, b: &'static Encoding) -> bool {
    a == b || ((a == GBK || a == GB18030) && (b == GBK || b == GB18030))
}

fn pick(bytes: &[u8], declared: Option<&'static Encoding>) -> (String, &'static Encoding) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let body = bytes.get(bom_len..).unwrap_or_default();
        return (enc.decode_without_bom_handling(body).0.into_owned(), enc);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        // Pure ASCII is valid in every declared charset we accept: keep the declaration.
        let enc = match declared {
            Some(d) if bytes.is_ascii() && d.is_ascii_compatible() => d,
            _ => UTF_8,
        };
        return (s.to_string(), enc);
    }
    let guess = guess(bytes);
    if let Some(d) = declared
        && d != UTF_8
        && let Some(text) = d.decode_without_bom_handling_and_without_replacement(bytes)
    {
        let keep = d == guess
            || match guess.decode_without_bom_handling_and_without_replacement(bytes) {
                Some(other) => plausibility(&text) >= plausibility(&other),
                None => true,
            };
        if keep && plausibility(&text) >= 0 {
            return (text.into_owned(), d);
        }
    }
    // UTF-8 with a few damaged bytes (a cut multi-byte character, one bad paste) is still
    // UTF-8: decode it with replacement rather than as a legacy encoding.
    let (lossy, _) = UTF_8.decode_without_bom_handling(bytes);
    let bad = lossy.matches('\u{FFFD}').count();
    let good = lossy
        .chars()
        .filter(|c| !c.is_ascii() && *c != '\u{FFFD}')
        .count();
    if good >= 20 * bad.max(1) {
        return (lossy.into_owned(), UTF_8);
    }
    (
        guess.decode_without_bom_handling(bytes).0.into_owned(),
        guess,
    )
}

fn guess(bytes: &[u8]) -> &'static Encoding {
    let mut det = EncodingDetector::new(Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    det.guess(Some(b"cn"), Utf8Detection::Allow)
}

/// A rough "is this real text" score: common Han and CJK punctuation count for, characters
/// that mis-decoded bytes produce (Latin-1 letters next to each other, C1 controls, private
/// use, half-width katakana, box drawing) count against.
fn plausibility(text: &str) -> i64 {
    let mut score = 0i64;
    for c in text.chars() {
        score += match c {
            '\u{4E00}'..='\u{9FFF}' | '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF5E}' => 1,
            '\u{0080}'..='\u{009F}' | '\u{E000}'..='\u{F8FF}' | '\u{FFFD}' => -5,
            '\u{00C0}'..='\u{00FF}' | '\u{2500}'..='\u{257F}' | '\u{FF61}'..='\u{FF9F}' => -2,
            _ => 0,
        };
    }
    score
}

/// The charset an HTML page declares: `<meta charset=…>`, `<meta http-equiv=Content-Type
/// content="…; charset=…">`, or an XML declaration's `encoding=`. Looks at the first 4 KiB,
/// as browsers do (they look at 1 KiB; CMS templates put long comments first).
pub(crate) fn declared_charset(bytes: &[u8]) -> Option<String> {
    let head = bytes.get(..bytes.len().min(4096)).unwrap_or_default();
    let lower = head.to_ascii_lowercase();
    if lower.starts_with(b"<?xml")
        && let Some(end) = lower.iter().position(|&b| b == b'>')
        && let Some(v) = attr_after(&lower[..end], b"encoding=")
    {
        return Some(v);
    }
    let mut from = 0;
    while let Some(i) = find(&lower[from..], b"<meta") {
        let start = from + i;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |e| start + e);
        if let Some(v) = attr_after(&lower[start..end], b"charset=") {
            return Some(v);
        }
        from = end;
    }
    None
}

/// The value after `key` (quoted or not), up to a quote, space, `;`, `/` or `>`.
fn attr_after(tag: &[u8], key: &[u8]) -> Option<String> {
    let i = find(tag, key)? + key.len();
    let rest = tag.get(i..)?;
    let rest = rest
        .strip_prefix(b"\"")
        .or(rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|b| matches!(b, b'"' | b'\'' | b' ' | b';' | b'>' | b'/' | b'\t' | b'\n'))
        .unwrap_or(rest.len());
    let v = std::str::from_utf8(rest.get(..end)?).ok()?.trim();
    (!v.is_empty()).then(|| v.to_string())
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Bytes of undeclared 8-bit text: UTF-8 if valid, else GBK if it decodes cleanly *and*
/// looks like Chinese, else Windows-1252 (Latin-1 superset).
///
/// "Looks like Chinese": GBK accepts almost any pair of a high byte and a letter, so Latin-1
/// `å` + `n` (E5 6E) decodes to a Han character. Real GBK text is mostly GB2312, whose both
/// bytes are ≥ 0xA1; Latin-1 text has high bytes followed by ASCII. Require most double-byte
/// pairs to have a high trail byte.
pub fn decode_8bit(bytes: &[u8]) -> String {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_string();
    }
    if looks_like_gbk(bytes)
        && let Some(s) = encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(bytes)
    {
        return s.into_owned();
    }
    encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(bytes)
        .0
        .into_owned()
}

fn looks_like_gbk(bytes: &[u8]) -> bool {
    let (mut pairs, mut high_trail) = (0usize, 0usize);
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b < 0x80 {
            i += 1;
            continue;
        }
        let Some(&t) = bytes.get(i + 1) else {
            return false;
        };
        pairs += 1;
        if t >= 0x80 {
            high_trail += 1;
        }
        i += 2;
    }
    pairs > 0 && high_trail * 4 >= pairs * 3
}

#[cfg(test)]
mod tests {
    use super::*;

    const NEWS: &str = "自治区科协2025年度学会重点资助项目顺利通过验收。会议由学会秘书长主持，\
        来自全疆各地州的专家学者参加了本次学术交流活动，并围绕人工智能与科技期刊发展作主旨报告。";

    #[test]
    fn encodings() {
        let gbk = GBK.encode(NEWS).0.into_owned();
        let gb18030 = GB18030.encode(&format!("{NEWS}𠮷")).0.into_owned();
        let big5 = encoding_rs::BIG5
            .encode("學會重點資助項目順利通過驗收，來自各地的專家學者參加了學術交流活動。")
            .0
            .into_owned();
        let utf16le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(NEWS.encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        let utf16be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(NEWS.encode_utf16().flat_map(|u| u.to_be_bytes()))
            .collect();
        let bom8 = [&[0xEF, 0xBB, 0xBF][..], NEWS.as_bytes()].concat();
        let mut damaged = NEWS.as_bytes().to_vec();
        damaged.push(0xE4); // a cut character at the end
        // (bytes, declared, charset, mismatch warning)
        let cases: Vec<(&[u8], Option<&str>, &str, bool)> = vec![
            (NEWS.as_bytes(), None, "UTF-8", false),
            (NEWS.as_bytes(), Some("utf-8"), "UTF-8", false),
            (NEWS.as_bytes(), Some("gb2312"), "UTF-8", true),
            (&gbk, None, "GBK", false),
            (&gbk, Some("gbk"), "GBK", false),
            (&gbk, Some("GB2312"), "GBK", false),
            (&gbk, Some("utf-8"), "GBK", true),
            (&gbk, Some("iso-8859-1"), "GBK", true),
            (&gb18030, None, "gb18030", false),
            (&gb18030, Some("gb2312"), "gb18030", false),
            (&big5, Some("big5"), "Big5", false),
            (&utf16le, None, "UTF-16LE", false),
            (&utf16be, None, "UTF-16BE", false),
            (&bom8, Some("gbk"), "UTF-8", true),
            (&damaged, None, "UTF-8", false),
            (b"plain ascii", Some("gb2312"), "GBK", false),
            (b"plain ascii", Some("no-such-charset"), "UTF-8", false),
        ];
        for (bytes, declared, charset, warn) in cases {
            let d = decode(bytes, declared);
            assert_eq!(d.charset, charset, "{declared:?} {}", &d.text);
            assert_eq!(
                d.warning.is_some(),
                warn,
                "{declared:?} {charset}: {:?}",
                d.warning
            );
            if charset != "Big5" && bytes.len() > 20 {
                assert!(d.text.contains("学会重点资助项目"), "{charset}: {}", d.text);
            }
        }
    }

    #[test]
    fn declarations() {
        let cases: &[(&str, Option<&str>)] = &[
            ("<html><head><meta charset=\"utf-8\">", Some("utf-8")),
            ("<meta charset=GBK>", Some("gbk")),
            (
                "<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=gb2312\" />",
                Some("gb2312"),
            ),
            (
                "<?xml version=\"1.0\" encoding=\"GB18030\"?><html>",
                Some("gb18030"),
            ),
            (
                "<meta name=\"description\" content=\"x\"><p>charset=utf-8</p>",
                None,
            ),
            ("<meta charset=''>", None),
            ("", None),
        ];
        for (html, want) in cases {
            assert_eq!(
                declared_charset(html.as_bytes()).as_deref(),
                *want,
                "{html}"
            );
        }
    }
}
