//! JPEG and PNG photos (会议现场图文): size, validity and the text a label could be typed into.
//!
//! - Size from the headers with `imagesize` (no decoding), checked against
//!   `Limits.max_image_pixels` *before* anything is decoded, so a 100 000 × 100 000 PNG costs
//!   nothing.
//! - Validity by decoding with the `image` crate: a photo that does not decode (bad CRC,
//!   truncated data) is still reported with its size and metadata, plus an `image.corrupt`
//!   warning — the reviewer needs to know, but the metadata is still evidence. Decoding costs
//!   time, so photos above 50 megapixels are not decoded (`image.not_verified` warning).
//! - Text: EXIF ([`exif`], kamadak-exif with our own decoding of GBK/UTF-16 fields), XMP
//!   ([`xmp`], quick-xml), JPEG `COM` and PNG `tEXt`/`zTXt`/`iTXt` ([`containers`]). Labels
//!   are searched later in `facts.metadata`; a label in the pixels is for OCR or a reviewer.

mod containers;
mod exif;
mod xmp;

pub use exif::decode_8bit;

use crate::extract::{Extractor, Input, Limits};
use crate::facts::{Facts, Format, Problem};

pub struct ImageExtractor;

/// Photos larger than this are not decoded to check validity (time, memory).
const MAX_DECODE_PIXELS: u64 = 50_000_000;

impl Extractor for ImageExtractor {
    fn name(&self) -> &'static str {
        "image"
    }
    fn formats(&self) -> &'static [Format] {
        &[Format::Jpeg, Format::Png]
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

/// Reads a JPEG or PNG held in memory.
pub fn read_image(
    bytes: &[u8],
    limits: &Limits,
    warnings: &mut Vec<Problem>,
) -> Result<Facts, Problem> {
    let size = imagesize::blob_size(bytes).map_err(|e| {
        Problem::new(
            "unreadable.corrupt",
            format!("图片文件已损坏，无法读取图片尺寸：{e}"),
        )
    })?;
    let (w, h) = (size.width as u64, size.height as u64);
    if w == 0 || h == 0 {
        return Err(Problem::new(
            "unreadable.corrupt",
            "图片文件已损坏：图片尺寸为 0",
        ));
    }
    let pixels = w.saturating_mul(h);
    if pixels > limits.max_image_pixels {
        return Err(Problem::new(
            "limit.image_pixels",
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

    let is_png = bytes.starts_with(b"\x89PNG");
    let embedded = if is_png {
        containers::png(bytes)
    } else {
        containers::jpeg(bytes)
    };
    let jpeg_cut = !is_png && !embedded.jpeg_complete;
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
    for (name, value) in &embedded.text {
        facts.add_meta(name, value.trim_end_matches('\0'));
    }
    facts.title = facts
        .metadata
        .iter()
        .find(|m| {
            matches!(
                m.name.as_str(),
                "XMP dc:title" | "XPTitle" | "XMP photoshop:Headline"
            ) || m.name == "Title"
                || m.name.starts_with("Title-")
        })
        .map(|m| m.value.chars().take(200).collect());

    if jpeg_cut {
        warnings.push(Problem::new(
            "image.corrupt",
            "图片数据损坏：JPEG 图像数据没有结束标记，文件可能被截断。请提供完整的原始照片",
        ));
    } else if pixels > MAX_DECODE_PIXELS {
        warnings.push(Problem::new(
            "image.not_verified",
            format!("图片很大（{w}×{h}），未完整解码检查图片数据是否损坏"),
        ));
    } else if let Err(e) = decode(bytes) {
        warnings.push(Problem::new(
            "image.corrupt",
            format!(
                "图片数据损坏：{}。请提供可以正常打开的原始照片",
                e.trim_end_matches(['.', ' '])
            ),
        ));
    }
    Ok(facts)
}

/// Decodes the whole picture, only to know whether it can be.
fn decode(bytes: &[u8]) -> Result<(), String> {
    let reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    reader.decode().map(|_| ()).map_err(|e| match e {
        image::ImageError::Decoding(d) => d.to_string(),
        other => other.to_string(),
    })
}

#[cfg(test)]
mod tests;
