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
pub(super) struct Embedded {
    /// TIFF-structured EXIF data (without the JPEG `Exif\0\0` prefix).
    pub exif: Option<Vec<u8>>,
    /// XMP packets (XML text).
    pub xmp: Vec<String>,
    /// Plain text fields: (name, value), e.g. ("Comment", …) or ("Description-zh-CN", …).
    pub text: Vec<(String, String)>,
    /// HEIC: the primary item's size (`ispe`, turned by `irot`), which is what viewers and
    /// exiftool show; a HEIC also holds thumbnails and coded tiles of other sizes.
    pub size: Option<(u32, u32)>,
    /// IPTC IIM stream (JPEG APP13 Photoshop 8BIM 0x0404).
    pub iptc: Option<Vec<u8>>,
    /// JPEG: whether an EOI marker follows the first SOS (a cut file has none; decoders
    /// fill the missing part with grey and report no error).
    pub jpeg_complete: bool,
}

/// Largest inflated PNG text chunk kept.
const MAX_TEXT: u64 = 1 << 20;
const XMP_JPEG: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";

/// Walks a JPEG's segments from SOI to SOS (where entropy-coded data starts).
pub(super) fn jpeg(data: &[u8]) -> Embedded {
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
            0xED => {
                if let Some(irb) = body.strip_prefix(b"Photoshop 3.0\0")
                    && out.iptc.is_none()
                {
                    out.iptc = super::iptc::from_photoshop(irb).map(<[u8]>::to_vec);
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
pub(super) fn png(data: &[u8]) -> Embedded {
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

/// WebP (RIFF): the `EXIF` chunk (TIFF data, sometimes with the JPEG `Exif\0\0` prefix) and
/// the `XMP ` chunk.
pub(super) fn webp(data: &[u8]) -> Embedded {
    let mut out = Embedded::default();
    let mut pos = 12usize; // "RIFF" size "WEBP"
    while let Some(head) = data.get(pos..pos + 8) {
        let len = u32::from_le_bytes([head[4], head[5], head[6], head[7]]) as usize;
        let Some(body) = data.get(pos + 8..(pos + 8).saturating_add(len)) else {
            break;
        };
        match &head[0..4] {
            b"EXIF" if out.exif.is_none() => {
                out.exif = Some(body.strip_prefix(b"Exif\0\0").unwrap_or(body).to_vec());
            }
            b"XMP " => out.xmp.push(String::from_utf8_lossy(body).into_owned()),
            _ => {}
        }
        pos = pos
            .saturating_add(8)
            .saturating_add(len)
            .saturating_add(len & 1);
    }
    out
}

/// GIF: comment extensions and the XMP application extension ("XMP DataXMP", whose data
/// sub-blocks are the raw packet).
pub(super) fn gif(data: &[u8]) -> Embedded {
    let mut out = Embedded::default();
    let Some(&flags) = data.get(10) else {
        return out;
    };
    let mut pos = 13usize;
    if flags & 0x80 != 0 {
        pos += 3 << ((flags & 7) + 1); // global colour table
    }
    // Concatenated sub-blocks from `pos`; returns (data, position after the terminator).
    let blocks = |mut p: usize, raw: bool| -> (Vec<u8>, usize) {
        let mut v = Vec::new();
        while let Some(&n) = data.get(p) {
            if n == 0 {
                return (v, p + 1);
            }
            if raw {
                // XMP: the length bytes are part of the packet.
                v.push(n);
            }
            v.extend_from_slice(data.get(p + 1..p + 1 + usize::from(n)).unwrap_or(&[]));
            p += 1 + usize::from(n);
        }
        (v, p)
    };
    while let Some(&b) = data.get(pos) {
        match b {
            0x21 => {
                let label = data.get(pos + 1).copied().unwrap_or(0);
                let head = usize::from(data.get(pos + 2).copied().unwrap_or(0));
                if label == 0xFE {
                    let (text, next) = blocks(pos + 2, false);
                    out.text.push(("Comment".into(), decode_comment(&text)));
                    pos = next;
                } else if label == 0xFF && data.get(pos + 3..pos + 3 + head) == Some(b"XMP DataXMP")
                {
                    let (xml, next) = blocks(pos + 3 + head, true);
                    let xml = String::from_utf8_lossy(&xml);
                    let end = xml.rfind("<?xpacket end").map_or(xml.len(), |i| {
                        xml[i..].find("?>").map_or(xml.len(), |j| i + j + 2)
                    });
                    out.xmp.push(xml[..end].to_string());
                    pos = next;
                } else {
                    pos = blocks(pos + 2, false).1;
                }
            }
            0x2C => {
                // Image descriptor, local colour table, LZW code size, image data.
                let Some(&f) = data.get(pos + 9) else { break };
                let mut p = pos + 10;
                if f & 0x80 != 0 {
                    p += 3 << ((f & 7) + 1);
                }
                pos = blocks(p + 1, false).1;
            }
            _ => break, // 0x3B trailer, or damage
        }
    }
    out
}

/// HEIC/HEIF (iPhone photos): the `Exif` and XMP (`mime` application/rdf+xml) items, found
/// through `meta/iinf` (item types) and `meta/iloc` (where each item's bytes are).
pub(super) fn heic(data: &[u8]) -> Embedded {
    use crate::extract::bmff::{be_u16, be_u32, children};
    let mut out = Embedded::default();
    let Some((_, meta)) = children(data).find(|(k, _)| k == b"meta") else {
        return out;
    };
    let meta = meta.get(4..).unwrap_or(&[]); // full box
    let mut items: Vec<(u32, [u8; 4], bool)> = Vec::new(); // id, type, is XMP
    let mut idat: &[u8] = &[];
    let mut locations: Vec<Location> = Vec::new();
    let mut primary = None;
    let mut properties: Vec<([u8; 4], &[u8])> = Vec::new();
    let mut associations: Vec<(u32, Vec<u16>)> = Vec::new();
    for (kind, body) in children(meta) {
        match &kind {
            b"pitm" => {
                primary = if body.first() == Some(&0) {
                    be_u16(body, 4).map(u32::from)
                } else {
                    be_u32(body, 4)
                };
            }
            b"iprp" => {
                for (k, b) in children(body) {
                    if &k == b"ipco" {
                        properties = children(b).collect();
                    } else if &k == b"ipma" {
                        associations = ipma(b);
                    }
                }
            }
            b"iinf" => {
                let v0 = body.first() == Some(&0);
                let start = if v0 { 6 } else { 8 };
                for (k, infe) in children(body.get(start..).unwrap_or(&[])) {
                    if &k != b"infe" {
                        continue;
                    }
                    let version = infe.first().copied().unwrap_or(0);
                    if version < 2 {
                        continue;
                    }
                    let (id, at) = if version == 2 {
                        (be_u16(infe, 4).map(u32::from), 8)
                    } else {
                        (be_u32(infe, 4), 10)
                    };
                    let (Some(id), Some(t)) = (id, infe.get(at..at + 4)) else {
                        continue;
                    };
                    let mut kind = [0u8; 4];
                    kind.copy_from_slice(t);
                    let rest = infe.get(at + 4..).unwrap_or(&[]);
                    // item_name \0, then for `mime`: content_type \0.
                    let xmp = &kind == b"mime"
                        && rest
                            .split(|&b| b == 0)
                            .nth(1)
                            .is_some_and(|ct| ct == b"application/rdf+xml");
                    items.push((id, kind, xmp));
                }
            }
            b"iloc" => locations = iloc(body),
            b"idat" => idat = body,
            _ => {}
        }
    }
    if let Some(p) = primary
        && let Some((_, props)) = associations.iter().find(|(i, _)| *i == p)
    {
        let prop = |want: &[u8; 4]| {
            props
                .iter()
                .filter_map(|&i| properties.get(usize::from(i).checked_sub(1)?))
                .find(|(k, _)| k == want)
                .map(|(_, b)| *b)
        };
        if let Some(ispe) = prop(b"ispe")
            && let (Some(w), Some(h)) = (be_u32(ispe, 4), be_u32(ispe, 8))
            && w > 0
            && h > 0
        {
            let turned = prop(b"irot")
                .and_then(|r| r.first())
                .is_some_and(|a| a & 1 == 1);
            out.size = Some(if turned { (h, w) } else { (w, h) });
        }
    }
    for (id, kind, xmp) in items {
        if &kind != b"Exif" && !xmp {
            continue;
        }
        let Some((_, method, extents)) = locations.iter().find(|(i, _, _)| *i == id) else {
            continue;
        };
        let source = if *method == 1 { idat } else { data };
        let mut bytes = Vec::new();
        for &(off, len) in extents {
            let (Ok(off), Ok(len)) = (usize::try_from(off), usize::try_from(len)) else {
                continue;
            };
            let Some(chunk) = off.checked_add(len).and_then(|end| source.get(off..end)) else {
                continue;
            };
            if bytes.len() + chunk.len() > 16 << 20 {
                break;
            }
            bytes.extend_from_slice(chunk);
        }
        if xmp {
            out.xmp.push(String::from_utf8_lossy(&bytes).into_owned());
        } else if out.exif.is_none() {
            // 4-byte offset from after itself to the TIFF header ("Exif\0\0" precedes it).
            let skip = be_u32(&bytes, 0).map_or(0, |o| o as usize);
            if let Some(tiff) = bytes.get(4usize.saturating_add(skip)..) {
                out.exif = Some(tiff.to_vec());
            }
        }
    }
    out
}

/// (item id, construction method, extents as (offset, length)).
type Location = (u32, u16, Vec<(u64, u64)>);

/// `ipma`: item id → 1-based property indices.
fn ipma(b: &[u8]) -> Vec<(u32, Vec<u16>)> {
    use crate::extract::bmff::{be_u16, be_u32};
    let version = b.first().copied().unwrap_or(0);
    let wide = b.get(3).is_some_and(|f| f & 1 == 1);
    let mut out = Vec::new();
    let mut pos = 8usize;
    for _ in 0..be_u32(b, 4).unwrap_or(0).min(100_000) {
        let id = if version < 1 {
            let v = be_u16(b, pos).map(u32::from);
            pos += 2;
            v
        } else {
            let v = be_u32(b, pos);
            pos += 4;
            v
        };
        let (Some(id), Some(&n)) = (id, b.get(pos)) else {
            break;
        };
        pos += 1;
        let mut props = Vec::new();
        for _ in 0..n {
            let v = if wide {
                let v = be_u16(b, pos).map(|x| x & 0x7FFF);
                pos += 2;
                v
            } else {
                let v = b.get(pos).map(|x| u16::from(x & 0x7F));
                pos += 1;
                v
            };
            let Some(v) = v else { break };
            props.push(v);
        }
        out.push((id, props));
    }
    out
}

/// `iloc`: (item id, construction method, extents as (offset, length)). Offsets of method 0
/// are file offsets (base offset added), of method 1 offsets into `idat`.
fn iloc(b: &[u8]) -> Vec<Location> {
    use crate::extract::bmff::{be_u16, be_u32};
    let mut out = Vec::new();
    let version = b.first().copied().unwrap_or(0);
    let (Some(&s1), Some(&s2)) = (b.get(4), b.get(5)) else {
        return out;
    };
    let (off_size, len_size, base_size) = (s1 >> 4, s1 & 0xF, s2 >> 4);
    let index_size = if version >= 1 { s2 & 0xF } else { 0 };
    let mut pos = 6usize;
    let count = if version < 2 {
        let c = be_u16(b, pos).map(u32::from);
        pos += 2;
        c
    } else {
        let c = be_u32(b, pos);
        pos += 4;
        c
    };
    let read = |pos: &mut usize, size: u8| -> Option<u64> {
        let n = usize::from(size);
        if !matches!(n, 0 | 4 | 8) {
            return None;
        }
        let v = b
            .get(*pos..*pos + n)?
            .iter()
            .fold(0u64, |v, &x| (v << 8) | u64::from(x));
        *pos += n;
        Some(v)
    };
    for _ in 0..count.unwrap_or(0).min(100_000) {
        let id = if version < 2 {
            let v = be_u16(b, pos).map(u32::from);
            pos += 2;
            v
        } else {
            let v = be_u32(b, pos);
            pos += 4;
            v
        };
        let Some(id) = id else { break };
        let method = if version >= 1 {
            let m = be_u16(b, pos).map_or(0, |m| m & 0xF);
            pos += 2;
            m
        } else {
            0
        };
        pos += 2; // data_reference_index
        let Some(base) = read(&mut pos, base_size) else {
            break;
        };
        let Some(n) = be_u16(b, pos) else { break };
        pos += 2;
        let mut extents = Vec::new();
        for _ in 0..n {
            if index_size > 0 && read(&mut pos, index_size).is_none() {
                break;
            }
            let (Some(off), Some(len)) = (read(&mut pos, off_size), read(&mut pos, len_size))
            else {
                break;
            };
            extents.push((base.saturating_add(off), len));
        }
        out.push((id, method, extents));
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
