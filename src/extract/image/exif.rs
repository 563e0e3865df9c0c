//! EXIF text fields, decoded the way the bytes were actually written.
//!
//! kamadak-exif parses the TIFF structure; the decoding is ours because the field types lie:
//! `ImageDescription`/`Artist`/`Copyright` are "ASCII" but phones and Chinese software write
//! UTF-8 or GBK bytes there; Windows' `XP*` tags are UTF-16LE in BYTE fields; `UserComment`
//! starts with an 8-byte charset id (`ASCII`, `UNICODE`, `JIS`, or none).

use exif::{Context, Field, In, Tag, Value};

/// What a TIFF structure holds for us: text fields, and the XMP packet (tag 700) and IPTC
/// block (tag 33723) that TIFF files keep in IFD0.
#[derive(Debug, Default)]
pub(super) struct Tiff {
    pub fields: Vec<(String, String)>,
    pub xmp: Option<String>,
    pub iptc: Option<Vec<u8>>,
}

/// The text fields a label could be typed into, plus `DateTimeOriginal`.
pub(super) fn fields(tiff: Vec<u8>) -> Vec<(String, String)> {
    read(tiff).fields
}

/// Reads a TIFF structure (an EXIF block, or a whole .tif file).
pub(super) fn read(tiff: Vec<u8>) -> Tiff {
    let mut reader = exif::Reader::new();
    reader.continue_on_error(true);
    let exif = match reader.read_raw(tiff) {
        Ok(exif) => exif,
        Err(e) => match e.distill_partial_result(|_| {}) {
            Ok(exif) => exif,
            Err(_) => return Tiff::default(),
        },
    };
    let little_endian = exif.little_endian();
    let mut out = Tiff::default();
    for f in exif.fields().filter(|f| f.ifd_num == In::PRIMARY) {
        match (f.tag, &f.value) {
            (Tag(Context::Tiff, 700), Value::Byte(b) | Value::Undefined(b, _)) => {
                out.xmp = Some(String::from_utf8_lossy(b).into_owned());
                continue;
            }
            (Tag(Context::Tiff, 33723), Value::Byte(b) | Value::Undefined(b, _)) => {
                out.iptc = Some(b.clone());
                continue;
            }
            (Tag(Context::Tiff, 33723), Value::Long(words)) => {
                // Writers (exiftool among them) type the IPTC block as LONGs: back to the
                // bytes as they lie in the file, in the TIFF's byte order.
                out.iptc = Some(
                    words
                        .iter()
                        .flat_map(|w| {
                            if little_endian {
                                w.to_le_bytes()
                            } else {
                                w.to_be_bytes()
                            }
                        })
                        .collect(),
                );
                continue;
            }
            _ => {}
        }
        if let Some(name) = field_name(f.tag)
            && let Some(value) = field_text(f, little_endian)
        {
            let value = trim(&value);
            if !value.is_empty() {
                out.fields.push((name.to_string(), value.to_string()));
            }
        }
    }
    out
}

fn field_name(tag: Tag) -> Option<&'static str> {
    Some(match tag {
        Tag::ImageDescription => "ImageDescription",
        Tag::Artist => "Artist",
        Tag::Copyright => "Copyright",
        Tag::UserComment => "UserComment",
        Tag::DateTimeOriginal => "DateTimeOriginal",
        Tag(Context::Tiff, 0x9C9B) => "XPTitle",
        Tag(Context::Tiff, 0x9C9C) => "XPComment",
        Tag(Context::Tiff, 0x9C9D) => "XPAuthor",
        Tag(Context::Tiff, 0x9C9E) => "XPKeywords",
        Tag(Context::Tiff, 0x9C9F) => "XPSubject",
        _ => return None,
    })
}

fn field_text(f: &Field, little_endian: bool) -> Option<String> {
    match (&f.value, f.tag) {
        (Value::Ascii(parts), _) => {
            let texts: Vec<String> = parts.iter().map(|p| decode_8bit(p)).collect();
            Some(texts.join(" / "))
        }
        (Value::Undefined(bytes, _), Tag::UserComment) => Some(user_comment(bytes, little_endian)),
        (Value::Byte(bytes), Tag(Context::Tiff, 0x9C9B..=0x9C9F)) => Some(utf16(bytes, true)),
        (Value::Undefined(bytes, _), _) | (Value::Byte(bytes), _) => Some(decode_8bit(bytes)),
        _ => None,
    }
}

/// UserComment: 8-byte charset id, then the text.
fn user_comment(bytes: &[u8], little_endian: bool) -> String {
    let (id, text) = bytes.split_at(bytes.len().min(8));
    match id {
        b"UNICODE\0" => {
            // The byte order is not declared; writers use the TIFF's, and some always BE.
            // A BOM settles it, else the TIFF order.
            match text {
                [0xFF, 0xFE, rest @ ..] => utf16(rest, true),
                [0xFE, 0xFF, rest @ ..] => utf16(rest, false),
                _ => utf16(text, little_endian),
            }
        }
        b"JIS\0\0\0\0\0" => encoding_rs::ISO_2022_JP
            .decode_without_bom_handling(text)
            .0
            .into_owned(),
        _ => decode_8bit(text),
    }
}

pub(super) fn utf16(bytes: &[u8], little_endian: bool) -> String {
    let units = bytes.chunks_exact(2).map(|c| {
        if little_endian {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    let s: String = char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    trim(&s).to_string()
}

fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| c == '\0' || c.is_whitespace())
}

pub use crate::extract::text::charset::decode_8bit;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eight_bit_decoding() {
        let label = "自治区科协2025年度学会重点资助项目";
        let (gbk, _, _) = encoding_rs::GBK.encode(label);
        let cases: &[(&[u8], &str)] = &[
            (label.as_bytes(), label),
            (&gbk, label),
            (b"Sk\xe5ne", "Skåne"), // Latin-1, not GBK 錸
            (b"SAMSUNG", "SAMSUNG"),
            (b"Caf\xe9", "Café"), // dangling high byte
        ];
        for (bytes, want) in cases {
            assert_eq!(decode_8bit(bytes), *want, "{bytes:?}");
        }
    }

    #[test]
    fn user_comments() {
        let label = "学会重点资助";
        let le: Vec<u8> = label.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = label.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        let cases: Vec<(Vec<u8>, bool, &str)> = vec![
            (
                [b"ASCII\0\0\0".as_slice(), b"hello  \0"].concat(),
                true,
                "hello",
            ),
            ([b"UNICODE\0".as_slice(), &le].concat(), true, label),
            ([b"UNICODE\0".as_slice(), &be].concat(), false, label),
            (
                [b"UNICODE\0".as_slice(), &[0xFE, 0xFF], &be].concat(),
                true,
                label,
            ),
            (
                [b"\0\0\0\0\0\0\0\0".as_slice(), label.as_bytes()].concat(),
                true,
                label,
            ),
            (b"JIS\0\0\0\0\0\x1b$BF|K\\\x1b(B".to_vec(), true, "日本"),
            (b"ABC".to_vec(), true, ""),
        ];
        for (bytes, le, want) in cases {
            assert_eq!(trim(&user_comment(&bytes, le)), want, "{bytes:?}");
        }
    }
}
