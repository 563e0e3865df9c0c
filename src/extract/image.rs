//! Photos (会议现场图文): JPEG, PNG, WebP, GIF, BMP, TIFF and HEIC/HEIF — size, validity, the
//! text a label could be typed into, and when the photo was taken.
//!
//! - Size from the headers with `imagesize` (no decoding), checked against
//!   `Limits.max_image_pixels` *before* anything is decoded, so a 100 000 × 100 000 PNG costs
//!   nothing.
//! - Validity: a photo that is damaged (bad CRC, truncated data) is still reported with its
//!   size and metadata, plus an `image.corrupt` warning — the reviewer needs to know, but the
//!   metadata is still evidence. JPEGs, most of the photos, get a structural check of every
//!   segment and scan ([`jpeg_check`], ~100× cheaper than decoding); the other formats are
//!   decoded in pieces ([`validity`]: PNG row by row, GIF in chunks, TIFF by strip), never
//!   holding a whole decoded frame, so memory does not follow the pixels.
//! - Text: EXIF ([`exif`], kamadak-exif with our own decoding of GBK/UTF-16 fields), XMP
//!   ([`xmp`], quick-xml), IPTC ([`iptc`]: caption, title, keywords), JPEG `COM`, PNG
//!   `tEXt`/`zTXt`/`iTXt`, GIF comments, WebP `EXIF`/`XMP ` chunks, TIFF IFD0 (the file *is* a
//!   TIFF), and HEIC's `Exif`/XMP items found through `meta/iinf` + `iloc` ([`containers`]).
//!   Labels are searched later in `facts.metadata`; a label in the pixels is for OCR or a
//!   reviewer.
//! - HEIC pixels are not decoded (no pure-Rust HEVC decoder): iPhone photos are still read for
//!   size (imagesize reads `ispe`) and metadata, without a validity check.
//! - `taken_at`: EXIF DateTimeOriginal, else XMP exif:DateTimeOriginal / photoshop:DateCreated
//!   / xmp:CreateDate, else IPTC DateCreated, as `YYYY-MM-DD HH:MM:SS`, so a reviewer can see
//!   the photos are from the project period.

mod containers;
mod exif;
mod iptc;
mod jpeg_check;
mod validity;
mod xmp;

use validity::Validity;

pub use exif::decode_8bit;

use crate::extract::Extractor;
use crate::facts::{Facts, Format, Problem};
use crate::input::{Input, Limits};

pub struct ImageExtractor;

impl Extractor for ImageExtractor {
    fn name(&self) -> &'static str {
        "image"
    }
    fn formats(&self) -> &'static [Format] {
        &[
            Format::Jpeg,
            Format::Png,
            Format::Webp,
            Format::Gif,
            Format::Bmp,
            Format::Tiff,
            Format::Heic,
        ]
    }
    fn extract(
        &self,
        input: &Input,
        limits: &Limits,
        warnings: &mut Vec<Problem>,
    ) -> Result<Facts, Problem> {
        let bytes = input.read_all(limits.max_document_bytes)?;
        read_image(&bytes, limits, warnings)
    }
}

/// Reads a photo held in memory.
pub fn read_image(
    bytes: &[u8],
    limits: &Limits,
    warnings: &mut Vec<Problem>,
) -> Result<Facts, Problem> {
    let heic_size =
        if crate::identify::identify_head(bytes.get(..64).unwrap_or(bytes)) == Format::Heic {
            containers::heic(bytes).size
        } else {
            None
        };
    let size = match heic_size {
        Some((width, height)) => imagesize::ImageSize {
            width: width as usize,
            height: height as usize,
        },
        None => imagesize::blob_size(bytes).map_err(|e| {
            Problem::new(
                crate::codes::UNREADABLE_CORRUPT,
                format!("图片文件已损坏，无法读取图片尺寸：{e}"),
            )
        })?,
    };
    let (w, h) = (size.width as u64, size.height as u64);
    if w == 0 || h == 0 {
        return Err(Problem::new(
            crate::codes::UNREADABLE_CORRUPT,
            "图片文件已损坏：图片尺寸为 0",
        ));
    }
    let pixels = w.saturating_mul(h);
    if pixels > limits.max_image_pixels {
        return Err(Problem::new(
            crate::codes::LIMIT_IMAGE_PIXELS,
            format!(
                "图片过大（{w}×{h}，{pixels} 像素，上限 {} 像素），未读取",
                limits.max_image_pixels
            ),
        ));
    }
    let mut facts = Facts {
        width: u32::try_from(w).ok(),
        height: u32::try_from(h).ok(),
        ..Facts::default()
    };

    let kind = crate::identify::identify_head(bytes.get(..4096).unwrap_or(bytes));
    let mut tiff_iptc = None;
    let embedded = match kind {
        Format::Png => containers::png(bytes),
        Format::Webp => containers::webp(bytes),
        Format::Gif => containers::gif(bytes),
        Format::Heic => containers::heic(bytes),
        Format::Tiff => {
            let t = exif::read(bytes.to_vec());
            for (name, value) in &t.fields {
                facts.add_meta(name, value);
            }
            tiff_iptc = t.iptc;
            containers::Embedded {
                xmp: t.xmp.into_iter().collect(),
                jpeg_complete: true,
                ..Default::default()
            }
        }
        Format::Bmp => containers::Embedded::default(),
        _ => containers::jpeg(bytes),
    };
    let jpeg_cut = kind == Format::Jpeg && !embedded.jpeg_complete;
    if let Some(tiff) = embedded.exif {
        for (name, value) in exif::fields(tiff) {
            facts.add_meta(&name, &value);
        }
    }
    for packet in &embedded.xmp {
        for (name, value) in xmp::fields(packet) {
            facts.add_meta(&name, &value);
        }
    }
    if let Some(iim) = embedded.iptc.as_deref().or(tiff_iptc.as_deref()) {
        for (name, value) in iptc::fields(iim) {
            facts.add_meta(&name, &value);
        }
    }
    for (name, value) in &embedded.text {
        facts.add_meta(name, value.trim_end_matches('\0'));
    }
    facts.title = facts
        .metadata
        .iter()
        .find(|m| {
            matches!(
                m.name.as_str(),
                "XMP dc:title" | "XPTitle" | "XMP photoshop:Headline" | "IPTC ObjectName"
            ) || m.name == "Title"
                || m.name.starts_with("Title-")
        })
        .map(|m| m.value.chars().take(200).collect());
    facts.taken_at = taken_at(&facts);

    if jpeg_cut {
        warnings.push(Problem::new(
            crate::codes::IMAGE_CORRUPT,
            "图片数据损坏：JPEG 图像数据没有结束标记，文件可能被截断。请提供完整的原始照片",
        ));
    } else if kind == Format::Heic {
        // No HEVC decoder: size and metadata only (see the module header).
    } else if kind == Format::Jpeg {
        // Structure, not pixels: see jpeg_check's header for what this does not catch.
        if let Err(e) = jpeg_check::verify(bytes) {
            warnings.push(Problem::new(
                crate::codes::IMAGE_CORRUPT,
                format!("图片数据损坏：{e}。请提供可以正常打开的原始照片"),
            ));
        }
    } else {
        match validity::check(bytes, kind, w, h) {
            Validity::Valid => {}
            Validity::NotVerified(why) => warnings.push(Problem::new(
                crate::codes::IMAGE_NOT_VERIFIED,
                format!("图片很大（{w}×{h}），{why}图片数据是否损坏"),
            )),
            Validity::Corrupt(e) => warnings.push(Problem::new(
                crate::codes::IMAGE_CORRUPT,
                format!(
                    "图片数据损坏：{}。请提供可以正常打开的原始照片",
                    e.trim_end_matches(['.', ' '])
                ),
            )),
        }
    }
    Ok(facts)
}

/// When the photo was taken, from the first date field present, as `YYYY-MM-DD HH:MM:SS`.
fn taken_at(facts: &Facts) -> Option<String> {
    let order = [
        "DateTimeOriginal",
        "XMP exif:DateTimeOriginal",
        "XMP photoshop:DateCreated",
        "XMP xmp:CreateDate",
        "IPTC DateCreated",
    ];
    order.iter().find_map(|name| {
        let m = facts.metadata.iter().find(|m| m.name == *name)?;
        normalize_date(&m.value)
    })
}

/// `2019:07:24 11:25:40`, `2019-07-24T11:25:40+03:00`, `20190724` → `2019-07-24 11:25:40`
/// (or the date alone). Zero dates (`0000:00:00`, written by cameras without a clock) are
/// no date.
pub fn normalize_date(raw: &str) -> Option<String> {
    let digits: String = raw.chars().filter(char::is_ascii_digit).take(14).collect();
    if digits.len() < 8 || digits.starts_with("0000") {
        return None;
    }
    let d = |a: usize, b: usize| digits.get(a..b);
    let date = format!("{}-{}-{}", d(0, 4)?, d(4, 6)?, d(6, 8)?);
    let month: u32 = d(4, 6)?.parse().ok()?;
    let day: u32 = d(6, 8)?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    Some(match (d(8, 10), d(10, 12), d(12, 14)) {
        (Some(h), Some(m), Some(s)) => format!("{date} {h}:{m}:{s}"),
        (Some(h), Some(m), None) => format!("{date} {h}:{m}"),
        _ => date,
    })
}

#[cfg(test)]
mod tests;
