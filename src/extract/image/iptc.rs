//! IPTC IIM: the caption, title and keywords that newsroom and photo-library software
//! (Photoshop, Lightroom, many 宣传部门 workflows) write, where a label is often typed.
//!
//! In a JPEG the IIM stream sits in APP13 ("Photoshop 3.0") as the 8BIM image resource
//! 0x0404; in a TIFF it is tag 33723. Each dataset is `0x1C record dataset length value`.
//! Text is UTF-8 when record 1:90 (coded character set) says `ESC % G`, which current tools
//! write; otherwise it is undeclared 8-bit text (decoded UTF-8, then GBK, then Latin-1).
//!
//! Hand-written: the format is a flat list of records and no maintained crate reads it.

use super::exif::decode_8bit;

/// The IIM stream inside a Photoshop image-resource block (APP13 body after the
/// "Photoshop 3.0\0" signature).
pub(super) fn from_photoshop(irb: &[u8]) -> Option<&[u8]> {
    let mut pos = 0usize;
    while let Some(sig) = irb.get(pos..pos + 4) {
        if !matches!(sig, b"8BIM" | b"MeSa" | b"PHUT" | b"AgHg" | b"DCSR") {
            return None;
        }
        let id = u16::from_be_bytes([*irb.get(pos + 4)?, *irb.get(pos + 5)?]);
        // Pascal name, padded so that length byte + name is even.
        let name_len = usize::from(*irb.get(pos + 6)?);
        let name_total = (1 + name_len + 1) & !1;
        let size_at = pos + 6 + name_total;
        let size = u32::from_be_bytes(irb.get(size_at..size_at + 4)?.try_into().ok()?) as usize;
        let data_at = size_at + 4;
        let data = irb.get(data_at..data_at.checked_add(size)?)?;
        if id == 0x0404 {
            return Some(data);
        }
        pos = data_at + size + (size & 1);
    }
    None
}

fn name(record: u8, dataset: u8) -> Option<&'static str> {
    Some(match (record, dataset) {
        (2, 5) => "IPTC ObjectName",
        (2, 25) => "IPTC Keywords",
        (2, 55) => "IPTC DateCreated",
        (2, 60) => "IPTC TimeCreated",
        (2, 80) => "IPTC By-line",
        (2, 105) => "IPTC Headline",
        (2, 110) => "IPTC Credit",
        (2, 115) => "IPTC Source",
        (2, 116) => "IPTC CopyrightNotice",
        (2, 120) => "IPTC Caption-Abstract",
        _ => return None,
    })
}

/// (name, value) for the text datasets of an IIM stream, in order.
pub(super) fn fields(iim: &[u8]) -> Vec<(String, String)> {
    let mut raw: Vec<(u8, u8, &[u8])> = Vec::new();
    let mut pos = 0usize;
    while raw.len() < 10_000 {
        let Some(&0x1C) = iim.get(pos) else { break };
        let (Some(&record), Some(&dataset), Some(len)) = (
            iim.get(pos + 1),
            iim.get(pos + 2),
            iim.get(pos + 3..pos + 5)
                .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]]))),
        ) else {
            break;
        };
        let (len, data_at) = if len & 0x8000 != 0 {
            // Extended dataset: the low bits give the length of the length.
            let n = len & 0x7FFF;
            if n == 0 || n > 4 {
                break;
            }
            let Some(b) = iim.get(pos + 5..pos + 5 + n) else {
                break;
            };
            (
                b.iter().fold(0usize, |v, &x| (v << 8) | usize::from(x)),
                pos + 5 + n,
            )
        } else {
            (len, pos + 5)
        };
        let Some(value) = iim.get(data_at..data_at.saturating_add(len)) else {
            break;
        };
        raw.push((record, dataset, value));
        pos = data_at + len;
    }
    let utf8 = raw
        .iter()
        .any(|(r, d, v)| (*r, *d) == (1, 90) && v.windows(3).any(|w| w == b"\x1b%G"));
    raw.into_iter()
        .filter_map(|(r, d, v)| {
            let n = name(r, d)?;
            let text = if utf8 {
                String::from_utf8_lossy(v).into_owned()
            } else {
                decode_8bit(v)
            };
            let text = text.trim_matches(|c: char| c == '\0' || c.is_whitespace());
            (!text.is_empty()).then(|| (n.to_string(), text.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ds(record: u8, dataset: u8, value: &[u8]) -> Vec<u8> {
        let mut v = vec![0x1C, record, dataset];
        v.extend((value.len() as u16).to_be_bytes());
        v.extend_from_slice(value);
        v
    }

    #[test]
    fn records() {
        let label = "自治区科协2025年度学会重点资助项目";
        let (gbk, _, _) = encoding_rs::GBK.encode(label);
        // (stream, expected)
        type Case<'a> = (Vec<u8>, Vec<(&'a str, &'a str)>);
        let cases: Vec<Case> = vec![
            (
                [
                    ds(1, 90, b"\x1b%G"),
                    ds(2, 5, "会议现场".as_bytes()),
                    ds(2, 120, label.as_bytes()),
                    ds(2, 25, "学会".as_bytes()),
                    ds(2, 25, "科协".as_bytes()),
                ]
                .concat(),
                vec![
                    ("IPTC ObjectName", "会议现场"),
                    ("IPTC Caption-Abstract", label),
                    ("IPTC Keywords", "学会"),
                    ("IPTC Keywords", "科协"),
                ],
            ),
            // No charset record: GBK bytes still read.
            (ds(2, 120, &gbk), vec![("IPTC Caption-Abstract", label)]),
            // Extended length (4 bytes of length).
            (
                {
                    let mut v = vec![0x1C, 2, 116, 0x80, 0x04, 0, 0, 0, 5];
                    v.extend(b"(c) X");
                    v
                },
                vec![("IPTC CopyrightNotice", "(c) X")],
            ),
            (vec![0x1C, 2], vec![]),
        ];
        for (stream, want) in cases {
            let got = fields(&stream);
            let got: Vec<(&str, &str)> =
                got.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            assert_eq!(got, want);
            for n in 0..stream.len() {
                let _ = fields(&stream[..n]);
            }
        }
    }

    #[test]
    fn photoshop_resources() {
        let iim = ds(2, 120, b"caption");
        let mut irb = Vec::new();
        // A thumbnail resource first (id 0x040C, empty name, odd size padded).
        irb.extend(b"8BIM\x04\x0C\0\0\0\0\0\x03abc\0");
        irb.extend(b"8BIM\x04\x04\0\0");
        irb.extend((iim.len() as u32).to_be_bytes());
        irb.extend(&iim);
        assert_eq!(from_photoshop(&irb), Some(&iim[..]));
        assert_eq!(from_photoshop(b"junk"), None);
        for n in 0..irb.len() {
            let _ = from_photoshop(&irb[..n]);
        }
    }
}
