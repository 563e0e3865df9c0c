//! OLE property sets (`\u{5}SummaryInformation`, `\u{5}DocumentSummaryInformation`): title,
//! author, keywords, the counts the producer recorded, and the code page.
//!
//! Why hand-written: the format ([MS-OLEPS]) is a small table of (id, offset) pairs and typed
//! values; no maintained crate reads it on top of `cfb`, and we need exactly one thing the
//! general readers get wrong for Chinese files: 8-bit strings are in the set's own code page
//! (property 1: 936 for GBK, 1200 for UTF-16, 65001 written as -535 for UTF-8), so they are
//! decoded with that, never as Latin-1. Every offset is checked; a malformed set yields the
//! values read so far (WPS writes some malformed string properties: those are skipped).

use encoding_rs::Encoding;

/// A property value we use.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Int(i64),
    Text(String),
}

/// One property set: (property id, value) in file order, and its code page.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct PropertySet {
    pub codepage: Option<u16>,
    pub values: Vec<(u32, Value)>,
}

impl PropertySet {
    pub(crate) fn text(&self, id: u32) -> Option<&str> {
        self.values.iter().find_map(|(i, v)| match v {
            Value::Text(t) if *i == id && !t.trim().is_empty() => Some(t.as_str()),
            _ => None,
        })
    }

    pub(crate) fn int(&self, id: u32) -> Option<i64> {
        self.values.iter().find_map(|(i, v)| match v {
            Value::Int(n) if *i == id => Some(*n),
            _ => None,
        })
    }

    /// A non-negative count.
    pub(crate) fn count(&self, id: u32) -> Option<u64> {
        self.int(id).and_then(|n| u64::try_from(n).ok())
    }
}

// SummaryInformation property ids.
pub(crate) const PID_TITLE: u32 = 2;
pub(crate) const PID_SUBJECT: u32 = 3;
pub(crate) const PID_AUTHOR: u32 = 4;
pub(crate) const PID_KEYWORDS: u32 = 5;
pub(crate) const PID_COMMENTS: u32 = 6;
pub(crate) const PID_PAGECOUNT: u32 = 14;
pub(crate) const PID_WORDCOUNT: u32 = 15;
pub(crate) const PID_CHARCOUNT: u32 = 16;
pub(crate) const PID_APPNAME: u32 = 18;
// DocumentSummaryInformation property ids.
pub(crate) const PIDDSI_CATEGORY: u32 = 2;
pub(crate) const PIDDSI_SLIDECOUNT: u32 = 7;
pub(crate) const PIDDSI_HIDDENCOUNT: u32 = 9;
pub(crate) const PIDDSI_MANAGER: u32 = 14;
pub(crate) const PIDDSI_COMPANY: u32 = 15;

fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    b.get(i..i.checked_add(2)?)
        .map(|s| u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    b.get(i..i.checked_add(4)?)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// The encoding of a Windows code page, for 8-bit strings.
pub(crate) fn encoding_for_codepage(cp: u16) -> Option<&'static Encoding> {
    Some(match cp {
        936 | 54936 => encoding_rs::GB18030,
        950 => encoding_rs::BIG5,
        932 => encoding_rs::SHIFT_JIS,
        949 => encoding_rs::EUC_KR,
        1200 => encoding_rs::UTF_16LE,
        1201 => encoding_rs::UTF_16BE,
        65001 => encoding_rs::UTF_8,
        1250 => encoding_rs::WINDOWS_1250,
        1251 => encoding_rs::WINDOWS_1251,
        1252 | 28591 => encoding_rs::WINDOWS_1252,
        1253 => encoding_rs::WINDOWS_1253,
        1254 => encoding_rs::WINDOWS_1254,
        1255 => encoding_rs::WINDOWS_1255,
        1256 => encoding_rs::WINDOWS_1256,
        1257 => encoding_rs::WINDOWS_1257,
        1258 => encoding_rs::WINDOWS_1258,
        874 => encoding_rs::WINDOWS_874,
        10000 => encoding_rs::MACINTOSH,
        _ => return None,
    })
}

/// Parses the first property set of a property-set stream. `None` when the stream is not one.
pub(crate) fn parse(stream: &[u8]) -> Option<PropertySet> {
    if u16_at(stream, 0)? != 0xFFFE {
        return None;
    }
    // Header: byte order, version, system id, CLSID (16), number of sets; then FMTID + offset.
    let sets = u32_at(stream, 24)?;
    if sets == 0 {
        return None;
    }
    let base = usize::try_from(u32_at(stream, 44)?).ok()?;
    let set = stream.get(base..)?;
    let size = usize::try_from(u32_at(set, 0)?).ok()?;
    let set = set.get(..size.min(set.len()))?;
    let n = u32_at(set, 4)?;
    let mut entries = Vec::new();
    for k in 0..n.min(1024) as usize {
        let at = 8 + k * 8;
        let (Some(id), Some(off)) = (u32_at(set, at), u32_at(set, at + 4)) else {
            break;
        };
        entries.push((id, off as usize));
    }
    let mut out = PropertySet::default();
    // The code page first: it decides how the strings read.
    if let Some(&(_, off)) = entries.iter().find(|(id, _)| *id == 1)
        && u16_at(set, off) == Some(2)
    {
        out.codepage = u16_at(set, off + 4);
    }
    let enc = out
        .codepage
        .and_then(encoding_for_codepage)
        .unwrap_or(encoding_rs::WINDOWS_1252);
    for (id, off) in entries {
        if id <= 1 {
            continue;
        }
        let Some(kind) = u16_at(set, off) else {
            continue;
        };
        let v = off + 4;
        let value = match kind {
            // VT_I2, VT_UI2
            2 | 0x12 => u16_at(set, v).map(|n| Value::Int(i64::from(n as i16))),
            // VT_I4, VT_UI4, VT_INT, VT_UINT
            3 | 0x13 | 0x16 | 0x17 => u32_at(set, v).map(|n| {
                Value::Int(if kind == 3 || kind == 0x16 {
                    i64::from(n as i32)
                } else {
                    i64::from(n)
                })
            }),
            // VT_LPSTR: byte count (with the NUL), bytes in the set's code page.
            0x1E => u32_at(set, v).and_then(|len| {
                let bytes = set.get(v + 4..(v + 4).checked_add(len as usize)?)?;
                Some(Value::Text(decode_8bit(bytes, enc)))
            }),
            // VT_LPWSTR: character count (with the NUL), UTF-16LE.
            0x1F => u32_at(set, v).and_then(|len| {
                let bytes = set.get(v + 4..(v + 4).checked_add((len as usize).checked_mul(2)?)?)?;
                Some(Value::Text(decode_utf16(bytes)))
            }),
            _ => None,
        };
        if let Some(value) = value {
            out.values.push((id, value));
        }
    }
    Some(out)
}

/// Decodes an 8-bit string property, cut at its first NUL.
fn decode_8bit(bytes: &[u8], enc: &'static Encoding) -> String {
    if enc == encoding_rs::UTF_16LE {
        return decode_utf16(bytes);
    }
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    let (text, _) = enc.decode_without_bom_handling(&bytes[..end]);
    text.into_owned()
}

/// Decodes UTF-16LE, cut at the first NUL; unpaired surrogates become U+FFFD.
pub(crate) fn decode_utf16(bytes: &[u8]) -> String {
    let units = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .take_while(|&u| u != 0);
    char::decode_utf16(units)
        .map(|r| r.unwrap_or('\u{FFFD}'))
        .collect()
}

/// Decodes all of a UTF-16LE buffer (NULs included); unpaired surrogates become U+FFFD.
pub(crate) fn decode_utf16_all(bytes: &[u8]) -> String {
    let units = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]));
    char::decode_utf16(units)
        .map(|r| r.unwrap_or('\u{FFFD}'))
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Builds a one-set property stream from (id, type, value bytes).
    pub(crate) fn property_stream(props: &[(u32, u16, Vec<u8>)]) -> Vec<u8> {
        let mut body = Vec::new();
        let header_len = 8 + 8 * props.len();
        let mut table = Vec::new();
        for (id, kind, value) in props {
            table.extend_from_slice(&id.to_le_bytes());
            table.extend_from_slice(&((header_len + body.len()) as u32).to_le_bytes());
            body.extend_from_slice(&kind.to_le_bytes());
            body.extend_from_slice(&[0, 0]);
            body.extend_from_slice(value);
            while body.len() % 4 != 0 {
                body.push(0);
            }
        }
        let mut set = Vec::new();
        set.extend_from_slice(&((header_len + body.len()) as u32).to_le_bytes());
        set.extend_from_slice(&(props.len() as u32).to_le_bytes());
        set.extend(table);
        set.extend(body);
        let mut out = vec![0xFE, 0xFF, 0, 0, 2, 1, 0, 0];
        out.extend_from_slice(&[0; 16]);
        out.extend_from_slice(&1u32.to_le_bytes());
        out.extend_from_slice(&[0xE0, 0x85, 0x9F, 0xF2, 0xF9, 0x4F, 0x68, 0x10]);
        out.extend_from_slice(&[0xAB, 0x91, 0x08, 0x00, 0x2B, 0x27, 0xB3, 0xD9]);
        out.extend_from_slice(&48u32.to_le_bytes());
        out.extend(set);
        out
    }

    pub(crate) fn lpstr(bytes: &[u8]) -> Vec<u8> {
        let mut v = ((bytes.len() + 1) as u32).to_le_bytes().to_vec();
        v.extend_from_slice(bytes);
        v.push(0);
        v
    }

    #[test]
    fn strings_follow_the_code_page() {
        let (gbk, _, _) = encoding_rs::GBK.encode("总结报告");
        let utf16: Vec<u8> = "学会"
            .encode_utf16()
            .chain([0])
            .flat_map(|u| u.to_le_bytes())
            .collect();
        type Case = (Vec<(u32, u16, Vec<u8>)>, Option<&'static str>, Option<u16>);
        let cases: Vec<Case> = vec![
            (
                vec![
                    (1, 2, 936u16.to_le_bytes().to_vec()),
                    (2, 0x1E, lpstr(&gbk)),
                ],
                Some("总结报告"),
                Some(936),
            ),
            (
                vec![
                    (1, 2, (-535i16).to_le_bytes().to_vec()),
                    (2, 0x1E, lpstr("总结报告".as_bytes())),
                ],
                Some("总结报告"),
                Some(65001),
            ),
            (
                vec![(2, 0x1F, {
                    let mut v = 3u32.to_le_bytes().to_vec();
                    v.extend(&utf16);
                    v
                })],
                Some("学会"),
                None,
            ),
            // A string claiming more bytes than the set has is skipped, not a panic.
            (
                vec![(2, 0x1E, 1_000_000u32.to_le_bytes().to_vec())],
                None,
                None,
            ),
        ];
        for (i, (props, title, cp)) in cases.into_iter().enumerate() {
            let set = parse(&property_stream(&props)).expect("set");
            assert_eq!(set.text(PID_TITLE), title, "case {i}");
            assert_eq!(set.codepage, cp, "case {i}");
        }
    }

    #[test]
    fn counts_and_garbage() {
        let set = parse(&property_stream(&[
            (PID_WORDCOUNT, 3, 1234u32.to_le_bytes().to_vec()),
            (PID_PAGECOUNT, 3, (-1i32).to_le_bytes().to_vec()),
        ]))
        .expect("set");
        assert_eq!(set.count(PID_WORDCOUNT), Some(1234));
        assert_eq!(set.count(PID_PAGECOUNT), None);
        for garbage in [
            &b""[..],
            b"\xFE\xFF",
            &[0xFE, 0xFF, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF],
        ] {
            assert_eq!(parse(garbage).map(|s| s.values.len()).unwrap_or(0), 0);
        }
    }
}
