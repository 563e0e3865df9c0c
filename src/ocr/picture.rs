//! A photo made ready for Tesseract: passed through as it is when Leptonica can read it and it
//! is upright and not too large; otherwise decoded with the `image` crate (within the pixel
//! limit), turned upright by its EXIF orientation (phones store portrait shots sideways),
//! downscaled to `max_pixels` and handed over as PNG. Decoding costs time and memory, so the
//! common case (a small, upright JPEG) is not decoded at all.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageReader};

use crate::extract::Limits;
use crate::facts::{Format, Problem};

use super::Job;

/// The job for a photo, or why it cannot be recognised.
pub fn job(bytes: &[u8], format: Format, limits: &Limits, max_pixels: u64) -> Result<Job, Problem> {
    if format == Format::Heic {
        return Err(Problem::new(
            "ocr.unsupported",
            "HEIC 图片无法解码，未进行 OCR；标识需人工确认（可另存为 JPEG 后再核查）",
        ));
    }
    let size = imagesize::blob_size(bytes).map_err(|e| {
        Problem::new(
            "ocr.failed",
            format!("无法读取图片尺寸（{e}），未进行 OCR，标识需人工确认"),
        )
    })?;
    let pixels = (size.width as u64).saturating_mul(size.height as u64);
    if pixels > limits.max_image_pixels {
        return Err(Problem::new(
            "ocr.skipped",
            format!(
                "图片过大（{}×{} 像素），未进行 OCR，标识需人工确认",
                size.width, size.height
            ),
        ));
    }
    let mut reader = ImageReader::new(Cursor::new(bytes));
    let mut decode_limits = image::Limits::default();
    decode_limits.max_alloc = Some(limits.max_image_pixels.saturating_mul(4));
    reader.limits(decode_limits);
    let reader = reader.with_guessed_format().map_err(decode_problem)?;
    let mut decoder = reader.into_decoder().map_err(decode_problem)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    if pixels <= max_pixels && orientation == image::metadata::Orientation::NoTransforms {
        return Ok(Job {
            page: None,
            bytes: bytes.to_vec(),
            dpi: None,
        });
    }
    let mut img = DynamicImage::from_decoder(decoder).map_err(decode_problem)?;
    img.apply_orientation(orientation);
    let img = fit(img, max_pixels);
    Ok(Job {
        page: None,
        bytes: png(&img)?,
        dpi: None,
    })
}

/// Downscales so that width × height ≤ `max_pixels` (keeping the aspect ratio).
pub fn fit(img: DynamicImage, max_pixels: u64) -> DynamicImage {
    let (w, h) = (img.width() as u64, img.height() as u64);
    let pixels = w.saturating_mul(h);
    if pixels <= max_pixels || pixels == 0 {
        return img;
    }
    let scale = (max_pixels as f64 / pixels as f64).sqrt();
    let nw = ((w as f64 * scale).floor() as u32).max(1);
    let nh = ((h as f64 * scale).floor() as u32).max(1);
    img.resize(nw, nh, image::imageops::FilterType::Triangle)
}

/// PNG bytes of an image (fast compression: the bytes only go down a pipe).
pub fn png(img: &DynamicImage) -> Result<Vec<u8>, Problem> {
    let mut out = Vec::new();
    let encoder = image::codecs::png::PngEncoder::new_with_quality(
        &mut out,
        image::codecs::png::CompressionType::Fast,
        image::codecs::png::FilterType::Adaptive,
    );
    img.write_with_encoder(encoder).map_err(|e| {
        Problem::new(
            "ocr.failed",
            format!("无法为 OCR 准备图像（{e}），标识需人工确认"),
        )
    })?;
    Ok(out)
}

fn decode_problem(e: impl std::fmt::Display) -> Problem {
    Problem::new(
        "ocr.failed",
        format!("图片无法解码（{e}），未进行 OCR，标识需人工确认"),
    )
}
