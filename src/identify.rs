//! Format by content, not by extension.
//!
//! Societies rename files (a .doc saved as .docx, a PDF named .jpg), so the format is decided
//! from magic bytes and, for ZIP packages, from the entries that define OOXML/ODF/OFD. The
//! extension only produces a `format.mismatch` finding when it disagrees. Reading is bounded: a
//! 4 KiB head and, for ZIPs, the central directory.

use std::io::{Read, Seek, SeekFrom};

use crate::facts::Format;

/// How many bytes of the head are looked at.
pub const HEAD_LEN: usize = 4096;

/// Identifies a stream: magic bytes first, then ZIP package contents.
pub fn identify<R: Read + Seek>(reader: &mut R) -> std::io::Result<Format> {
    let mut head = Vec::with_capacity(HEAD_LEN);
    reader.seek(SeekFrom::Start(0))?;
    reader
        .by_ref()
        .take(HEAD_LEN as u64)
        .read_to_end(&mut head)?;
    let format = identify_head(&head);
    if format != Format::Zip {
        return Ok(format);
    }
    reader.seek(SeekFrom::Start(0))?;
    Ok(match zip::ZipArchive::new(&mut *reader) {
        Ok(mut zip) => identify_package(&mut zip),
        Err(_) => identify_broken_package(&head),
    })
}

/// A ZIP without a readable central directory (truncated, cut in transfer): the local headers
/// at the start still name the first entries, which is enough to tell an Office package, so
/// the DOCX/PPTX extractor can say "truncated" instead of a generic "bad zip".
pub fn identify_broken_package(head: &[u8]) -> Format {
    let mut offset = 0usize;
    // Look at up to four local file headers within the head.
    for _ in 0..4 {
        let Some(h) = head.get(offset..offset + 30) else {
            break;
        };
        if &h[0..4] != b"PK\x03\x04" {
            break;
        }
        let csize = u32::from_le_bytes([h[18], h[19], h[20], h[21]]) as usize;
        let name_len = u16::from_le_bytes([h[26], h[27]]) as usize;
        let extra_len = u16::from_le_bytes([h[28], h[29]]) as usize;
        let Some(name) = head.get(offset + 30..offset + 30 + name_len) else {
            break;
        };
        let data_at = offset + 30 + name_len + extra_len;
        match name {
            b"mimetype" => {
                let data = head.get(data_at..data_at + csize.min(100)).unwrap_or(&[]);
                if data.starts_with(b"application/vnd.oasis.opendocument.text") {
                    return Format::Odt;
                }
                if data.starts_with(b"application/vnd.oasis.opendocument.presentation") {
                    return Format::Odp;
                }
                if data.starts_with(b"application/vnd.oasis.opendocument.spreadsheet") {
                    return Format::Ods;
                }
            }
            n if n.starts_with(b"word/") => return Format::Docx,
            n if n.starts_with(b"ppt/") => return Format::Pptx,
            n if n.starts_with(b"xl/") => return Format::Xlsx,
            b"OFD.xml" => return Format::Ofd,
            _ => {}
        }
        if name == b"[Content_Types].xml"
            || name.starts_with(b"_rels/")
            || name.starts_with(b"docProps/")
        {
            // An OOXML package; which one is decided by a later entry if the head has it.
            let next = identify_broken_package(head.get(data_at + csize..).unwrap_or(&[]));
            return match next {
                Format::Docx | Format::Pptx | Format::Xlsx => next,
                // Word writes [Content_Types].xml first and document parts later: without
                // them, a package is most often a document.
                _ => Format::Docx,
            };
        }
        offset = data_at.saturating_add(csize);
    }
    Format::Zip
}

/// Identifies from the first bytes alone. ZIP packages come back as `Format::Zip`.
pub fn identify_head(head: &[u8]) -> Format {
    if head.is_empty() {
        return Format::Empty;
    }
    let starts = |magic: &[u8]| head.starts_with(magic);
    if starts(b"PK\x03\x04") || starts(b"PK\x05\x06") || starts(b"PK\x07\x08") {
        return Format::Zip;
    }
    if starts(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Format::Ole;
    }
    if find(&head[..head.len().min(1024)], b"%PDF-").is_some() {
        return Format::Pdf;
    }
    if starts(&[0xFF, 0xD8, 0xFF]) {
        return Format::Jpeg;
    }
    if starts(b"\x89PNG\r\n\x1a\n") {
        return Format::Png;
    }
    if starts(b"GIF87a") || starts(b"GIF89a") {
        return Format::Gif;
    }
    if starts(b"II*\0") || starts(b"MM\0*") {
        return Format::Tiff;
    }
    if head.len() >= 12 && &head[0..4] == b"RIFF" {
        match &head[8..12] {
            b"AVI " | b"AVIX" => return Format::Avi,
            b"WEBP" => return Format::Webp,
            _ => {}
        }
    }
    if head.len() >= 12 && &head[4..8] == b"ftyp" {
        let brand = &head[8..12];
        if matches!(
            brand,
            b"heic" | b"heix" | b"mif1" | b"msf1" | b"heim" | b"heis" | b"avif"
        ) {
            return Format::Heic;
        }
        return Format::Mp4;
    }
    if head.len() >= 8 && matches!(&head[4..8], b"moov" | b"mdat" | b"wide" | b"free" | b"skip") {
        return Format::Mp4;
    }
    if starts(&[0x1A, 0x45, 0xDF, 0xA3]) {
        return Format::Mkv;
    }
    if starts(b"FLV\x01") {
        return Format::Flv;
    }
    if starts(&[0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11]) {
        return Format::Asf;
    }
    if is_transport_stream(head) {
        return Format::Mpegts;
    }
    // MPEG program stream: a pack header (MPEG-1 or MPEG-2), or a bare video sequence /
    // system header start as some .mpg writers emit.
    if starts(&[0, 0, 1, 0xBA]) || starts(&[0, 0, 1, 0xB3]) || starts(&[0, 0, 1, 0xBB]) {
        return Format::Mpegps;
    }
    if starts(b".RMF") {
        return Format::Rmvb;
    }
    if starts(&[0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]) {
        return Format::SevenZ;
    }
    if starts(b"Rar!\x1A\x07") {
        return Format::Rar;
    }
    if starts(b"BM") && head.len() >= 26 && head[6..10] == [0, 0, 0, 0] {
        return Format::Bmp;
    }
    if looks_like_text(head) {
        let lower: Vec<u8> = head[..head.len().min(1024)].to_ascii_lowercase();
        if find(&lower, b"<html").is_some() || find(&lower, b"<!doctype html").is_some() {
            return Format::Html;
        }
        return Format::Txt;
    }
    Format::Unknown
}

/// Sync bytes 0x47 every 188 bytes (TS) or every 192 bytes after a 4-byte timecode (M2TS/MTS).
fn is_transport_stream(head: &[u8]) -> bool {
    let sync_at = |offset: usize, stride: usize| {
        (0..3).all(|k| head.get(offset + k * stride).copied() == Some(0x47))
    };
    sync_at(0, 188) || sync_at(4, 192)
}

/// No NUL bytes and few control characters: plain text in some 8-bit or UTF-8 encoding.
/// UTF-16 text with a BOM counts as text too.
fn looks_like_text(head: &[u8]) -> bool {
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    if head.contains(&0) {
        return false;
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C | 0x1B))
        .count();
    controls * 100 <= head.len()
}

/// Decides which ZIP-based format a package is from the entries that define it.
pub fn identify_package<R: Read + Seek>(zip: &mut zip::ZipArchive<R>) -> Format {
    let names: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect();
    let has = |n: &str| names.iter().any(|x| x == n);
    let has_prefix = |p: &str| names.iter().any(|x| x.starts_with(p));
    if has("mimetype")
        && let Ok(mut entry) = zip.by_name("mimetype")
    {
        let mut mime = String::new();
        let _ = entry.by_ref().take(200).read_to_string(&mut mime);
        let mime = mime.trim();
        if mime.starts_with("application/vnd.oasis.opendocument.text") {
            return Format::Odt;
        }
        if mime.starts_with("application/vnd.oasis.opendocument.presentation") {
            return Format::Odp;
        }
        if mime.starts_with("application/vnd.oasis.opendocument.spreadsheet") {
            return Format::Ods;
        }
    }
    if has("[Content_Types].xml") {
        if has_prefix("word/") {
            return Format::Docx;
        }
        if has_prefix("ppt/") {
            return Format::Pptx;
        }
        if has_prefix("xl/") {
            return Format::Xlsx;
        }
    }
    if has("OFD.xml") || names.iter().any(|n| n.ends_with("/OFD.xml")) {
        return Format::Ofd;
    }
    Format::Zip
}

/// The formats a file extension promises, to report a mismatch with what the content is.
pub fn formats_for_extension(ext: &str) -> &'static [Format] {
    use Format::*;
    match ext.to_ascii_lowercase().as_str() {
        "docx" | "docm" | "dotx" => &[Docx],
        "pptx" | "pptm" | "ppsx" => &[Pptx],
        "xlsx" | "xlsm" => &[Xlsx],
        "doc" | "dot" | "ppt" | "pps" | "xls" | "et" | "dps" => &[Ole],
        "wps" => &[Ole, Unknown],
        "odt" => &[Odt],
        "odp" => &[Odp],
        "ods" => &[Ods],
        "ofd" => &[Ofd],
        "pdf" => &[Pdf],
        "mp4" | "mov" | "m4v" | "3gp" | "3g2" => &[Mp4],
        "mkv" | "webm" => &[Mkv],
        "avi" => &[Avi],
        "flv" => &[Flv],
        "wmv" | "asf" => &[Asf],
        "ts" | "mts" | "m2ts" | "m2t" => &[Mpegts],
        "mpg" | "mpeg" | "vob" | "mpe" | "m2p" => &[Mpegps, Mpegts],
        "rm" | "rmvb" => &[Rmvb],
        "jpg" | "jpeg" | "jpe" => &[Jpeg],
        "png" => &[Png],
        "gif" => &[Gif],
        "bmp" => &[Bmp],
        "tif" | "tiff" => &[Tiff],
        "webp" => &[Webp],
        "heic" | "heif" => &[Heic],
        "txt" | "md" | "csv" => &[Txt, Empty],
        "htm" | "html" | "mht" => &[Html, Txt],
        "zip" => &[Zip],
        "7z" => &[SevenZ],
        "rar" => &[Rar],
        _ => &[],
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_table() {
        let table: &[(&[u8], Format)] = &[
            (b"", Format::Empty),
            (b"%PDF-1.7\n", Format::Pdf),
            (b"\xEF\xBB\xBF%PDF-1.4", Format::Pdf),
            (b"\xFF\xD8\xFF\xE0\0\x10JFIF", Format::Jpeg),
            (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", Format::Png),
            (b"\0\0\0\x20ftypisom\0\0\x02\0", Format::Mp4),
            (b"\0\0\0\x18ftypheic\0\0\0\0", Format::Heic),
            (b"\0\0\0\x08wide\0\0\0\0mdat", Format::Mp4),
            (b"\x1a\x45\xdf\xa3\x01\0\0\0", Format::Mkv),
            (b"RIFF\0\0\0\0AVI LIST", Format::Avi),
            (b"FLV\x01\x05\0\0\0\x09", Format::Flv),
            (b"\0\0\x01\xBA\x44\0\x04\0\x04\x01", Format::Mpegps),
            (b".RMF\0\0\0\x12\0\x01", Format::Rmvb),
            (b"\x30\x26\xB2\x75\x8E\x66\xCF\x11\xA6\xD9", Format::Asf),
            (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0", Format::Ole),
            ("自治区科协官网新闻".as_bytes(), Format::Txt),
            (b"<!DOCTYPE html><html><head>", Format::Html),
            (b"\0\x01\x02\x03binary", Format::Unknown),
        ];
        for (head, want) in table {
            assert_eq!(identify_head(head), *want, "{head:?}");
        }
    }

    #[test]
    fn gbk_text_is_text() {
        let (bytes, _, _) = encoding_rs::GBK.encode("自治区科协2025年度学会重点资助项目");
        assert_eq!(identify_head(&bytes), Format::Txt);
    }

    #[test]
    fn extension_promises() {
        assert_eq!(formats_for_extension("DOCX"), &[Format::Docx]);
        assert!(formats_for_extension("xyz").is_empty());
    }
}
