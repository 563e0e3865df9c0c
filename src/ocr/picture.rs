//! A photo made ready for Tesseract: passed through as it is when Leptonica can read it and it
//! is upright and not too large; otherwise decoded with the `image` crate (within the pixel
//! limit), turned upright by its EXIF orientation (phones store portrait shots sideways),
//! downscaled to `max_pixels` and handed over as PNG. Decoding costs time and memory, so the
//! common case (an upright photo of ordinary size) is not decoded at all.
//!
//! Small images are also handed over enlarged ([`upscale_factor`], [`Job::enlarged`]):
//! Tesseract's models want glyphs some 20–30 px high, and a label burnt into a 480×300 photo is
//! 8–11 px. On the 480×300 fixtures of `fixtures/wild/ocr/` chi_sim reads nothing (8 px) or a
//! near miss (10 px) from the photo as it is and the label after a 3× Lanczos upscale. Only
//! *also*, not instead: the same upscale hurts large type in a small picture (the 842×341
//! banner of `fixtures/ocr/photo.jpg`, 24 px glyphs, reads 23 Han as it is and 15 at 2×), so
//! both are read and the richer reading is kept. Video frames get the same treatment.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageReader};

use crate::facts::{Format, Problem};
use crate::input::Limits;

use super::Job;

/// The job for a photo, or why it cannot be recognised.
pub(super) fn job(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
    max_pixels: u64,
) -> Result<Job, Problem> {
    if format == Format::Heic {
        return Err(Problem::new(
            crate::codes::OCR_UNSUPPORTED,
            "HEIC 图片无法解码，未进行 OCR；标识需人工确认（可另存为 JPEG 后再核查）",
        ));
    }
    let size = imagesize::blob_size(bytes).map_err(|e| {
        Problem::new(
            crate::codes::OCR_FAILED,
            format!("无法读取图片尺寸（{e}），未进行 OCR，标识需人工确认"),
        )
    })?;
    let pixels = (size.width as u64).saturating_mul(size.height as u64);
    if pixels > limits.max_image_pixels {
        return Err(Problem::new(
            crate::codes::OCR_SKIPPED,
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
    let factor = upscale_factor(size.width as u64, size.height as u64, max_pixels);
    let upright = orientation == image::metadata::Orientation::NoTransforms;
    if pixels <= max_pixels && upright && factor == 1 {
        return Ok(Job {
            page: None,
            bytes: bytes.to_vec(),
            dpi: None,
            frame: None,
            enlarged: None,
        });
    }
    let mut img = DynamicImage::from_decoder(decoder).map_err(decode_problem)?;
    img.apply_orientation(orientation);
    let img = fit(img, max_pixels);
    let enlarged = if factor > 1 {
        Some(png(&upscale(img.clone(), factor))?)
    } else {
        None
    };
    let bytes = if pixels <= max_pixels && upright {
        bytes.to_vec()
    } else {
        png(&img)?
    };
    Ok(Job {
        page: None,
        bytes,
        dpi: None,
        frame: None,
        enlarged,
    })
}

/// How much to enlarge a `w`×`h` image before OCR so that small text reaches the glyph size
/// Tesseract reads: 3× when the longer side is under 800 px (a phone thumbnail, a WeChat-sized
/// photo), 2× under 1,600 px (a 1280×720 video frame, a downsized photo), else 1×; never
/// past `max_pixels`. Integer factors keep strokes evenly spaced.
pub(super) fn upscale_factor(w: u64, h: u64, max_pixels: u64) -> u32 {
    let longer = w.max(h);
    let wanted: u32 = match longer {
        0 => 1,
        1..800 => 3,
        800..1600 => 2,
        _ => 1,
    };
    (1..=wanted)
        .rev()
        .find(|&k| {
            let k = u64::from(k);
            w.saturating_mul(k).saturating_mul(h.saturating_mul(k)) <= max_pixels
        })
        .unwrap_or(1)
}

/// Enlarges by an integer factor with a Lanczos filter (sharp edges, no blocky steps).
pub(super) fn upscale(img: DynamicImage, factor: u32) -> DynamicImage {
    if factor <= 1 {
        return img;
    }
    let (w, h) = (img.width(), img.height());
    img.resize_exact(
        w.saturating_mul(factor),
        h.saturating_mul(factor),
        image::imageops::FilterType::Lanczos3,
    )
}

/// Downscales so that width × height ≤ `max_pixels` (keeping the aspect ratio).
pub(super) fn fit(img: DynamicImage, max_pixels: u64) -> DynamicImage {
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
pub(super) fn png(img: &DynamicImage) -> Result<Vec<u8>, Problem> {
    let mut out = Vec::new();
    let encoder = image::codecs::png::PngEncoder::new_with_quality(
        &mut out,
        image::codecs::png::CompressionType::Fast,
        image::codecs::png::FilterType::Adaptive,
    );
    img.write_with_encoder(encoder).map_err(|e| {
        Problem::new(
            crate::codes::OCR_FAILED,
            format!("无法为 OCR 准备图像（{e}），标识需人工确认"),
        )
    })?;
    Ok(out)
}

fn decode_problem(e: impl std::fmt::Display) -> Problem {
    Problem::new(
        crate::codes::OCR_FAILED,
        format!("图片无法解码（{e}），未进行 OCR，标识需人工确认"),
    )
}
