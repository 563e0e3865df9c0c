//! Where the metadata sits in a JPEG or PNG: a walk over JPEG marker segments (up to the
//! image data) and over PNG chunks.
//!
//! Hand-written because the walk is short and we need pieces no single crate hands back
//! together: the raw EXIF block (for kamadak-exif's `read_raw`), the XMP packet (JPEG APP1
//! `http://ns.adobe.com/xap/1.0/`, PNG iTXt `XML:com.adobe.xmp`), JPEG `COM` comments, and
//! PNG `tEXt`/`zTXt`/`iTXt` text with their language tags. Compressed PNG text is inflated
//! with a size cap so a zTXt bomb cannot exhaust memory.

use std::io::Read;

/// Metadata blocks found in the file.
#[derive(Debug, Default, PartialEq)]
pub struct Embedded {
    /// TIFF-structured EXIF data (without the JPEG `Exif\0\0` prefix).
    pub exif: Option<Vec<u8>>,
    /// XMP packets (XML text).
    pub xmp: Vec<String>,
    /// Plain text fields: (name, value), e.g. ("Comment", …) or ("Description-zh-CN", …).
    pub text: Vec<(String, String)>,
    /// JPEG: whether an EOI marker follows the first SOS (a cut file has none; decoders
    /// fill the missing part with grey and report no error).
    pub jpeg_complete: bool,
}

/// Largest inflated PNG text chunk kept.
const MAX_TEXT: u64 = 1 << 20;
const XMP_JPEG: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";

/// Walks a JPEG's segments from SOI to SOS (where entropy-coded data starts).
pub fn jpeg(data: &[u8]) -> Embedded {
    let mut out = Embedded::default();
    let mut pos = 2usize; // after SOI
    while let Some(&[0xFF, marker]) = data.get(pos..pos + 2) {
        match marker {
            // Fill bytes before a marker.
            0xFF => {
                pos += 1;
                continue;
            }
            // Markers without a length.
            0x01 | 0xD0..=0xD7 => {
                pos += 2;
                continue;
            }
            0xD9 => break,
            0xDA => {
                // Entropy-coded data stuffs 0xFF as FF 00, so FF D9 after SOS is the EOI.
                out.jpeg_complete = data
                    .get(pos..)
                    .is_some_and(|rest| rest.windows(2).any(|w| w == [0xFF, 0xD9]));
                break;
            }
            _ => {}
        }
        let Some(len) = data
            .get(pos + 2..pos + 4)
            .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
        else {
            break;
        };
        let Some(body) = len
            .checked_sub(2)
            .and_then(|n| data.get(pos + 4..pos + 4 + n))
        else {
            break;
        };
        match marker {
            0xE1 => {
                if let Some(tiff) = body.strip_prefix(b"Exif\0\0") {
                    if out.exif.is_none() {
                        out.exif = Some(tiff.to_vec());
                    }
                } else if let Some(xml) = body.strip_prefix(XMP_JPEG) {
                    out.xmp.push(String::from_utf8_lossy(xml).into_owned());
                }
            }
            0xFE => {
                let text = decode_comment(body);
                out.text.push(("Comment".into(), text));
            }
            _ => {}
        }
        pos += 2 + len;
    }
    out
}

/// JPEG COM has no declared encoding: UTF-8, then GBK, then Latin-1.
fn decode_comment(bytes: &[u8]) -> String {
    super::exif::decode_8bit(bytes)
}

/// Walks a PNG's chunks (CRCs are the decoder's business, see `image.corrupt`).
pub fn png(data: &[u8]) -> Embedded {
    let mut out = Embedded::default();
    let mut pos = 8usize; // after the signature
    while let Some(head) = data.get(pos..pos + 8) {
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let kind = &head[4..8];
        let Some(body) = data.get(pos + 8..(pos + 8).saturating_add(len)) else {
            break;
        };
        match kind {
            b"tEXt" => {
                if let Some((key, value)) = split_nul(body) {
                    out.text.push((latin1(key), latin1(value)));
                }
            }
            b"zTXt" => {
                // keyword \0 method(1) zlib data
                if let Some((key, rest)) = split_nul(body)
                    && let Some(text) = rest.get(1..).and_then(inflate)
                {
                    out.text.push((latin1(key), latin1(&text)));
                }
            }
            b"iTXt" => {
                if let Some((key, text)) = itxt(body) {
                    if key == "XML:com.adobe.xmp" {
                        out.xmp.push(text);
                    } else {
                        out.text.push((key, text));
                    }
                }
            }
            b"eXIf" if out.exif.is_none() => out.exif = Some(body.to_vec()),
            b"IEND" => break,
            _ => {}
        }
        pos = pos.saturating_add(12).saturating_add(len);
    }
    out
}

/// iTXt: keyword \0 compression_flag(1) method(1) language \0 translated_keyword \0 text.
/// The name gets the language as a suffix (`Description-ja`), as exiftool shows it.
fn itxt(body: &[u8]) -> Option<(String, String)> {
    let (key, rest) = split_nul(body)?;
    let compressed = *rest.first()? == 1;
    let rest = rest.get(2..)?;
    let (lang, rest) = split_nul(rest)?;
    let (_translated, text) = split_nul(rest)?;
    let text = if compressed {
        inflate(text)?
    } else {
        text.to_vec()
    };
    let mut name = String::from_utf8_lossy(key).into_owned();
    if !lang.is_empty() {
        name.push('-');
        name.push_str(&String::from_utf8_lossy(lang));
    }
    Some((name, String::from_utf8_lossy(&text).into_owned()))
}

fn split_nul(b: &[u8]) -> Option<(&[u8], &[u8])> {
    let i = b.iter().position(|&c| c == 0)?;
    Some((b.get(..i)?, b.get(i + 1..)?))
}

fn latin1(b: &[u8]) -> String {
    b.iter().map(|&c| char::from(c)).collect()
}

fn inflate(data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(data)
        .take(MAX_TEXT)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut v = (body.len() as u32).to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(body);
        v.extend([0; 4]); // CRC not checked here
        v
    }

    fn zlib(text: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(text).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn png_text_chunks() {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend(chunk(b"tEXt", b"Title\0Caf\xe9"));
        png.extend(chunk(
            b"zTXt",
            &[b"Comment\0\0".as_slice(), &zlib(b"zipped")].concat(),
        ));
        png.extend(chunk(
            b"iTXt",
            "Description\0\0\0zh-CN\0描述\0自治区".as_bytes(),
        ));
        png.extend(chunk(
            b"iTXt",
            &[
                b"Title\x00\x01\x00ja\x00\x00".as_slice(),
                &zlib("日本".as_bytes()),
            ]
            .concat(),
        ));
        png.extend(chunk(b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta/>"));
        png.extend(chunk(b"IEND", b""));
        png.extend(chunk(b"tEXt", b"After\0end"));
        let e = png_walk(&png);
        let text: Vec<(&str, &str)> = e
            .text
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        assert_eq!(
            text,
            vec![
                ("Title", "Café"),
                ("Comment", "zipped"),
                ("Description-zh-CN", "自治区"),
                ("Title-ja", "日本")
            ]
        );
        assert_eq!(e.xmp, vec!["<x:xmpmeta/>".to_string()]);
        // Truncated and nonsense input.
        for cut in 0..png.len() {
            let _ = png_walk(&png[..cut]);
        }
    }

    fn png_walk(b: &[u8]) -> Embedded {
        png(b)
    }

    #[test]
    fn jpeg_segments() {
        let seg = |m: u8, body: &[u8]| {
            let mut v = vec![0xFF, m];
            v.extend(((body.len() + 2) as u16).to_be_bytes());
            v.extend_from_slice(body);
            v
        };
        let mut j = vec![0xFF, 0xD8];
        j.extend(seg(0xE0, b"JFIF\0\x01\x01"));
        j.extend(seg(0xE1, b"Exif\0\0MM\0*"));
        j.extend(seg(0xE1, b"http://ns.adobe.com/xap/1.0/\0<x/>"));
        j.extend(seg(0xFE, "注释".as_bytes()));
        j.extend([0xFF, 0xFF]); // fill
        j.extend(seg(0xDA, b"\0\0"));
        j.extend(seg(0xFE, b"after SOS: not read"));
        assert!(!jpeg(&j).jpeg_complete);
        j.extend([0xFF, 0xD9]);
        let e = jpeg(&j);
        assert!(e.jpeg_complete);
        assert_eq!(e.exif.as_deref(), Some(&b"MM\0*"[..]));
        assert_eq!(e.xmp, vec!["<x/>".to_string()]);
        assert_eq!(e.text, vec![("Comment".to_string(), "注释".to_string())]);
        for cut in 0..j.len() {
            let _ = jpeg(&j[..cut]);
        }
    }
}
