//! Text tags of an MP4/MOV: where a society may have typed the programme label.
//!
//! Three families exist and a file may carry several:
//! - QuickTime user data, `moov/udta/©xyz`: a list of (16-bit size, 16-bit language, text)
//!   strings. No crate reads these (DESIGN.md), and they are what QuickTime and ffmpeg's MOV
//!   muxer write for `-metadata title=/comment=`.
//! - iTunes-style items, `moov/udta/meta/ilst/<tag>/data` (what ffmpeg's MP4 muxer writes).
//! - QuickTime metadata, `moov/meta` with `keys` + `ilst` whose items are 1-based key indices
//!   (`com.apple.quicktime.title` …, what iPhones write).
//!
//! Plus 3GPP strings (`udta/titl`, `dscp`, `cprt`, `auth`, `perf`, `gnre`). Text is decoded as
//! the box says (UTF-8, UTF-16 with BOM or type 2 = UTF-16BE); QuickTime strings with a Mac
//! language code are UTF-8 when they validate as UTF-8 (what writers actually do) and Mac Roman
//! otherwise (GBK/Big5 for the Mac Chinese language codes).

use super::boxes::{be_u16, be_u32, child, children, kind_str};

/// (name, value) pairs in file order. Names are friendly for the well-known tags
/// (`title`, `comment`, `description` …) and the raw fourcc or key otherwise.
pub(super) fn read_tags(moov: &[u8]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(udta) = child(moov, b"udta") {
        read_udta(udta, &mut out);
    }
    if let Some(meta) = child(moov, b"meta") {
        read_meta(meta, &mut out);
    }
    out
}

fn read_udta(udta: &[u8], out: &mut Vec<(String, String)>) {
    for (kind, payload) in children(udta) {
        match &kind {
            b"meta" => read_meta(payload, out),
            [0xA9, ..] => {
                // Some writers put iTunes-style `data` boxes here instead of strings.
                if payload.get(4..8) == Some(b"data") {
                    read_item(&kind, payload, out);
                } else {
                    read_qt_strings(&kind, payload, out);
                }
            }
            b"titl" | b"dscp" | b"cprt" | b"auth" | b"perf" | b"gnre" => {
                // 3GPP: version/flags(4), pad+language(2), then a NUL-terminated string.
                if let Some(text) = payload.get(6..).and_then(decode_with_bom) {
                    push(out, tag_name(&kind), text);
                }
            }
            _ => {}
        }
    }
}

/// QuickTime `©xyz` user-data strings.
fn read_qt_strings(kind: &[u8; 4], payload: &[u8], out: &mut Vec<(String, String)>) {
    let mut pos = 0usize;
    while let (Some(len), Some(lang)) = (be_u16(payload, pos), be_u16(payload, pos + 2)) {
        let start = pos + 4;
        let Some(bytes) = payload.get(start..start + usize::from(len)) else {
            // A malformed length: take what is there rather than nothing.
            if let Some(rest) = payload.get(start..) {
                push(out, tag_name(kind), decode_mac(rest, lang));
            }
            return;
        };
        push(out, tag_name(kind), decode_mac(bytes, lang));
        pos = start + usize::from(len);
    }
}

/// Text in a QuickTime string: language codes below 0x400 are Mac language codes (Mac
/// encodings); above they are packed ISO-639 codes and the text is UTF-8.
fn decode_mac(bytes: &[u8], lang: u16) -> String {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_string();
    }
    let enc = match lang {
        19 => encoding_rs::BIG5, // Mac Traditional Chinese
        33 => encoding_rs::GBK,  // Mac Simplified Chinese
        11 => encoding_rs::SHIFT_JIS,
        _ => encoding_rs::MACINTOSH,
    };
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

/// A `meta` box: ISO's is a full box (4 bytes of version/flags first), QuickTime's is not;
/// tell them apart by where the `hdlr` header is.
fn read_meta(meta: &[u8], out: &mut Vec<(String, String)>) {
    let body = if meta.get(4..8) == Some(b"hdlr") {
        meta
    } else {
        meta.get(4..).unwrap_or_default()
    };
    let keys: Vec<String> = child(body, b"keys").map(read_keys).unwrap_or_default();
    let Some(ilst) = child(body, b"ilst") else {
        return;
    };
    for (kind, item) in children(ilst) {
        if !keys.is_empty() {
            let index = u32::from_be_bytes(kind) as usize;
            if let Some(name) = index.checked_sub(1).and_then(|i| keys.get(i)) {
                read_item_named(name, item, out);
                continue;
            }
        }
        read_item(&kind, item, out);
    }
}

/// `keys`: version/flags(4), count(4), then (size(4), namespace(4), key) entries.
fn read_keys(keys: &[u8]) -> Vec<String> {
    let count = be_u32(keys, 4).unwrap_or(0) as usize;
    let mut out = Vec::new();
    let mut pos = 8usize;
    while out.len() < count {
        let Some(size) = be_u32(keys, pos).map(|s| s as usize) else {
            break;
        };
        let Some(key) = size
            .checked_sub(8)
            .and_then(|n| keys.get(pos + 8..pos + 8 + n))
        else {
            break;
        };
        out.push(String::from_utf8_lossy(key).into_owned());
        pos += size;
    }
    out
}

fn read_item(kind: &[u8; 4], item: &[u8], out: &mut Vec<(String, String)>) {
    if kind == b"----" {
        // Freeform: mean + name + data.
        let name = child(item, b"name")
            .and_then(|n| n.get(4..))
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_else(|| "----".into());
        read_item_named(&name, item, out);
    } else {
        read_item_named(&tag_name(kind), item, out);
    }
}

fn read_item_named(name: &str, item: &[u8], out: &mut Vec<(String, String)>) {
    for (_, data) in children(item).filter(|(k, _)| k == b"data") {
        // type indicator (4: version 0 + 24-bit well-known type), locale (4), value.
        let kind = be_u32(data, 0).unwrap_or(0) & 0x00FF_FFFF;
        let Some(value) = data.get(8..) else { continue };
        let text = match kind {
            1 => String::from_utf8_lossy(value).into_owned(),
            2 => decode_utf16(value, true),
            _ => continue, // numbers, pictures, …
        };
        push(out, name.to_string(), text);
    }
}

/// A NUL-terminated string that is UTF-16 when it starts with a BOM, else UTF-8.
fn decode_with_bom(bytes: &[u8]) -> Option<String> {
    let text = match bytes {
        [0xFE, 0xFF, rest @ ..] => decode_utf16(rest, true),
        [0xFF, 0xFE, rest @ ..] => decode_utf16(rest, false),
        _ => String::from_utf8_lossy(bytes).into_owned(),
    };
    Some(text)
}

fn decode_utf16(bytes: &[u8], big_endian: bool) -> String {
    let units = bytes.chunks_exact(2).map(|c| {
        if big_endian {
            u16::from_be_bytes([c[0], c[1]])
        } else {
            u16::from_le_bytes([c[0], c[1]])
        }
    });
    char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

fn push(out: &mut Vec<(String, String)>, name: String, value: String) {
    let value = value.trim_matches(|c: char| c == '\0' || c.is_whitespace());
    if !value.is_empty() {
        out.push((name, value.to_string()));
    }
}

/// Friendly names for the tags that matter; the raw fourcc otherwise.
fn tag_name(kind: &[u8; 4]) -> String {
    let name = match kind {
        b"\xA9nam" | b"titl" => "title",
        b"\xA9cmt" => "comment",
        b"desc" | b"\xA9des" | b"dscp" => "description",
        b"ldes" => "long_description",
        b"\xA9ART" | b"perf" => "artist",
        b"\xA9aut" | b"auth" => "author",
        b"\xA9alb" => "album",
        b"\xA9day" => "date",
        b"\xA9too" | b"\xA9swr" => "encoder",
        b"cprt" | b"\xA9cpy" => "copyright",
        b"\xA9inf" => "information",
        b"\xA9key" | b"keyw" => "keywords",
        b"\xA9gen" | b"gnre" => "genre",
        b"\xA9mak" => "make",
        b"\xA9mod" => "model",
        b"\xA9xyz" => "location",
        _ => return kind_str(kind),
    };
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bx(kind: &[u8], payload: &[u8]) -> Vec<u8> {
        let mut v = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(payload);
        v
    }

    fn data(kind: u32, value: &[u8]) -> Vec<u8> {
        let mut p = kind.to_be_bytes().to_vec();
        p.extend([0; 4]);
        p.extend_from_slice(value);
        bx(b"data", &p)
    }

    fn qt_string(lang: u16, text: &[u8]) -> Vec<u8> {
        let mut v = (text.len() as u16).to_be_bytes().to_vec();
        v.extend(lang.to_be_bytes());
        v.extend_from_slice(text);
        v
    }

    #[test]
    fn all_tag_families() {
        let label = "自治区科协2025年度学会重点资助项目";
        let utf16be: Vec<u8> = label.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        let (gbk, _, _) = encoding_rs::GBK.encode(label);
        // udta: QuickTime strings (one UTF-8 with ISO language, one GBK with Mac Chinese).
        let mut udta = bx(b"\xA9cmt", &qt_string(0x55C4, label.as_bytes()));
        udta.extend(bx(b"\xA9des", &qt_string(33, &gbk)));
        // udta/meta (ISO full box) with ilst: ©nam UTF-8, desc UTF-16BE, a number skipped.
        let mut ilst = bx(b"\xA9nam", &data(1, "标题".as_bytes()));
        ilst.extend(bx(b"desc", &data(2, &utf16be)));
        ilst.extend(bx(b"tmpo", &data(21, &[0, 120])));
        let mut meta = vec![0, 0, 0, 0];
        meta.extend(bx(b"hdlr", &[0; 25]));
        meta.extend(bx(b"ilst", &ilst));
        udta.extend(bx(b"meta", &meta));
        // 3GPP title with UTF-16 BOM.
        let mut titl = vec![0, 0, 0, 0, 0x15, 0xC7, 0xFE, 0xFF];
        titl.extend(&utf16be);
        udta.extend(bx(b"titl", &titl));
        // moov/meta (QuickTime, no version/flags) with keys.
        let mut keys = vec![0, 0, 0, 0, 0, 0, 0, 1];
        keys.extend(bx(b"mdta", b"com.apple.quicktime.description"));
        let qt_ilst = bx(&1u32.to_be_bytes(), &data(1, label.as_bytes()));
        let mut qt_meta = bx(b"hdlr", &[0; 25]);
        qt_meta.extend(bx(b"keys", &keys));
        qt_meta.extend(bx(b"ilst", &qt_ilst));
        let mut moov = bx(b"udta", &udta);
        moov.extend(bx(b"meta", &qt_meta));

        let got = read_tags(&moov);
        let want: Vec<(String, String)> = [
            ("comment", label),
            ("description", label),
            ("title", "标题"),
            ("description", label),
            ("title", label),
            ("com.apple.quicktime.description", label),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn malformed_tags_do_not_panic() {
        let cases: &[&[u8]] = &[
            b"",
            &[0, 0, 0, 9, b'u', b'd', b't', b'a', 0xA9],
            &[0, 0, 0, 12, b'u', b'd', b't', b'a', 0, 0, 0, 0],
            &[
                0, 0, 0, 16, b'u', b'd', b't', b'a', 0, 0, 0, 8, 0xA9, b'c', b'm', b't',
            ],
            &[
                0, 0, 0, 20, b'u', b'd', b't', b'a', 0, 0, 0, 12, 0xA9, b'c', b'm', b't', 0xFF,
                0xFF, 0, 0,
            ],
        ];
        for c in cases {
            let _ = read_tags(c);
        }
        // A QuickTime string whose length runs past the box keeps what is there.
        let mut moov = Vec::new();
        let udta = bx(b"\xA9cmt", &[0, 50, 0x55, 0xC4, b'h', b'i']);
        moov.extend(bx(b"udta", &udta));
        assert_eq!(
            read_tags(&moov),
            vec![("comment".to_string(), "hi".to_string())]
        );
    }
}
