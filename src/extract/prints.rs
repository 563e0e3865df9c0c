//! Fingerprints for the audit's cross-submission pass (issue #16): a photo's perceptual hash
//! and small preview, a recording's sample sketch. Computed in the worker process that read
//! the file (its deadline and memory ceiling apply), only when `Limits::prints` asks, and kept
//! in the facts cache with the rest, so a re-audit does not decode a photo twice.
//!
//! - Photos: decoded small — JPEG through `jpeg-decoder`'s DCT scaling (a 4000×3000 photo is
//!   decoded at 1/8, 500×375, without ever holding the full frame; the `image` crate's JPEG
//!   decoder has no scaled decoding), other formats through `image` when their decoded frame
//!   stays under [`MAX_FRAME_BYTES`] — turned upright by their EXIF orientation, then hashed
//!   by `image_hasher` (see [`hasher`] for the algorithm and why) and shrunk to a 96 px JPEG
//!   preview. HEIC has no decoder here: no fingerprint, said nowhere (the photo is still
//!   compared by its dates).
//! - Recordings: the same talk handed in twice is usually the same file, copied, renamed or
//!   re-tagged — not re-encoded. Four 64 KiB slices at 1/5 … 4/5 of the file are read (never
//!   the whole recording), every 32-byte window is hashed with a rolling hash, and the 32
//!   smallest distinct hashes are kept (a bottom-k sketch, Broder 1997). Two sketches agree on
//!   most values when the slices hold the same data, even shifted by a changed header (a new
//!   title tag moves the data by a few bytes; the slices still overlap almost whole). A remux
//!   that moves megabytes of index in front of the data is not caught: documented in
//!   docs/cross-findings.md.

use std::io::{Read, Seek, SeekFrom};

use image::{DynamicImage, ImageDecoder, ImageReader};

use crate::extract::{Input, Limits};
use crate::facts::{Format, Kind, Prints};

/// Largest decoded frame (bytes) decoded whole for a fingerprint (non-JPEG formats).
pub(crate) const MAX_FRAME_BYTES: u64 = 64 << 20;
/// The longer side of the preview, in pixels.
pub(crate) const THUMB_SIDE: u32 = 96;
/// Bytes read from each of the four slices of a recording.
pub(crate) const SLICE: u64 = 64 << 10;
/// Bytes per hashed window of a recording.
const WINDOW: usize = 32;
/// Hashes kept in a recording's sketch.
pub(crate) const SKETCH: usize = 32;

/// The fingerprints of a photo or recording (`None` for other kinds, or when the file cannot
/// be decoded: the pass then has nothing to compare, which is no error).
pub(crate) fn compute(input: &Input, format: Format, limits: &Limits) -> Option<Prints> {
    match format.kind() {
        Kind::Image => {
            let bytes = input.read_all(limits.max_document_bytes).ok()?;
            let img = decode_small(&bytes, format, limits)?;
            Some(Prints {
                phash: Some(phash(&img)),
                thumb: thumbnail(&img),
                sketch: Vec::new(),
            })
        }
        Kind::Video => {
            let sketch = media_sketch(input)?;
            Some(Prints {
                sketch: sketch.iter().map(|h| format!("{h:016x}")).collect(),
                ..Prints::default()
            })
        }
        _ => None,
    }
}

/// The picture at a size fit for hashing and a preview (longer side at least 256 px where
/// the photo has them), upright.
pub(crate) fn decode_small(bytes: &[u8], format: Format, limits: &Limits) -> Option<DynamicImage> {
    if format == Format::Heic {
        return None;
    }
    let size = imagesize::blob_size(bytes).ok()?;
    let (w, h) = (size.width as u64, size.height as u64);
    if w == 0 || h == 0 || w.saturating_mul(h) > limits.max_image_pixels {
        return None;
    }
    let orientation = ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .ok()
        .and_then(|r| r.into_decoder().ok())
        .and_then(|mut d| d.orientation().ok())
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = if format == Format::Jpeg {
        jpeg_scaled(bytes)?
    } else {
        if w.saturating_mul(h).saturating_mul(4) > MAX_FRAME_BYTES {
            return None;
        }
        let mut reader = ImageReader::new(std::io::Cursor::new(bytes))
            .with_guessed_format()
            .ok()?;
        let mut l = image::Limits::default();
        l.max_alloc = Some(MAX_FRAME_BYTES * 2);
        reader.limits(l);
        reader.decode().ok()?
    };
    img.apply_orientation(orientation);
    Some(img)
}

/// A JPEG decoded at the smallest DCT scale that keeps both sides at least 256 px.
fn jpeg_scaled(bytes: &[u8]) -> Option<DynamicImage> {
    let mut d = jpeg_decoder::Decoder::new(std::io::Cursor::new(bytes));
    d.read_info().ok()?;
    let (w, h) = d.scale(256, 256).ok()?;
    let pixels = d.decode().ok()?;
    let info = d.info()?;
    let (w, h) = (u32::from(w), u32::from(h));
    match info.pixel_format {
        jpeg_decoder::PixelFormat::L8 => {
            image::GrayImage::from_raw(w, h, pixels).map(DynamicImage::ImageLuma8)
        }
        jpeg_decoder::PixelFormat::RGB24 => {
            image::RgbImage::from_raw(w, h, pixels).map(DynamicImage::ImageRgb8)
        }
        jpeg_decoder::PixelFormat::CMYK32 => {
            // Adobe CMYK JPEGs store inverted values; a hash needs only the lightness.
            let rgb: Vec<u8> = pixels
                .chunks_exact(4)
                .flat_map(|p| {
                    let k = u16::from(p[3]);
                    [p[0], p[1], p[2]].map(|c| ((u16::from(c) * k) / 255) as u8)
                })
                .collect();
            image::RgbImage::from_raw(w, h, rgb).map(DynamicImage::ImageRgb8)
        }
        jpeg_decoder::PixelFormat::L16 => None,
    }
}

/// The perceptual hash this project uses (see docs/cross-findings.md for the measurements):
/// `image_hasher`'s median hash of the DCT's low frequencies (pHash: each coefficient against
/// their median), 16×16 = 256 bits, on the image reduced with a triangle filter. The DCT looks
/// at the picture's coarse structure, so resizing, recompression, a small crop and a label
/// strip move few bits. 256 bits and not 64: over a year's thousands of photos (millions of
/// pairs) a 64-bit hash put hundreds of unrelated pairs within a dozen bits
/// (bench/RESULTS.md); with 256 the unrelated ones stay far in the tail. The mean instead of
/// the median would be dragged up by the DC term, leaving most bits 0.
pub(crate) fn hasher() -> image_hasher::Hasher {
    image_hasher::HasherConfig::new()
        .hash_size(16, 16)
        .hash_alg(image_hasher::HashAlg::Median)
        .preproc_dct()
        .resize_filter(image::imageops::FilterType::Triangle)
        .to_hasher()
}

/// The 256-bit perceptual hash of a picture, as 64 hex digits.
pub(crate) fn phash(img: &DynamicImage) -> String {
    // Reduced first with a cheap filter: the hasher's own resize works on the whole image.
    let small = img.thumbnail(128, 128);
    hasher()
        .hash_image(&small)
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A small JPEG preview as a `data:` URI.
pub(crate) fn thumbnail(img: &DynamicImage) -> Option<String> {
    use base64::Engine as _;
    let small = img.thumbnail(THUMB_SIDE, THUMB_SIDE).to_rgb8();
    let mut out = Vec::new();
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 70);
    small.write_with_encoder(enc).ok()?;
    Some(format!(
        "data:image/jpeg;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(&out)
    ))
}

/// The bottom-k sketch of a recording's sampled data (see the module header), smallest first.
pub(crate) fn media_sketch(input: &Input) -> Option<Vec<u64>> {
    let mut r = input.open().ok()?;
    let len = input.size;
    if len == 0 {
        return None;
    }
    let mut data: Vec<Vec<u8>> = Vec::new();
    if len <= 4 * SLICE {
        let mut all = Vec::new();
        r.take(4 * SLICE).read_to_end(&mut all).ok()?;
        data.push(all);
    } else {
        for i in 1..=4u64 {
            let at = len / 5 * i;
            r.seek(SeekFrom::Start(at)).ok()?;
            let mut buf = Vec::with_capacity(SLICE as usize);
            (&mut r).take(SLICE).read_to_end(&mut buf).ok()?;
            data.push(buf);
        }
    }
    let sketch = bottom_k(&data);
    (!sketch.is_empty()).then_some(sketch)
}

/// The `SKETCH` smallest distinct hashes of every `WINDOW`-byte window of the slices.
pub(crate) fn bottom_k(slices: &[Vec<u8>]) -> Vec<u64> {
    // A polynomial rolling hash over the window, then mixed (its low bits alone are poor).
    const B: u64 = 0x100_0000_01b3;
    let top = (0..WINDOW - 1).fold(1u64, |acc, _| acc.wrapping_mul(B));
    let mut all: Vec<u64> = Vec::new();
    for s in slices {
        if s.len() < WINDOW {
            continue;
        }
        let mut h: u64 = 0;
        for (i, &b) in s.iter().enumerate() {
            if i >= WINDOW {
                // What left the window went in as byte + 1 (so a run of zeros still moves
                // the hash): take out exactly that, or the hash would depend on the position.
                h = h.wrapping_sub((u64::from(s[i - WINDOW]) + 1).wrapping_mul(top));
            }
            h = h.wrapping_mul(B).wrapping_add(u64::from(b) + 1);
            if i + 1 >= WINDOW {
                all.push(mix(h));
            }
        }
        // Keep memory bounded: only the smallest ones can end in the sketch.
        if all.len() > 1 << 16 {
            all.sort_unstable();
            all.dedup();
            all.truncate(SKETCH);
        }
    }
    all.sort_unstable();
    all.dedup();
    all.truncate(SKETCH);
    all
}

fn mix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sketches_survive_a_shift_and_tell_different_data_apart() {
        let noise = |seed: u64, n: usize| -> Vec<u8> {
            let mut x = seed;
            (0..n)
                .map(|_| {
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (x >> 56) as u8
                })
                .collect()
        };
        let a = noise(1, 300_000);
        let mut shifted = b"a new title tag".to_vec();
        shifted.extend_from_slice(&a);
        let other = noise(2, 300_000);
        let take = |d: &[u8]| -> Vec<Vec<u8>> {
            let len = d.len() as u64;
            (1..=4u64)
                .map(|i| {
                    let at = (len / 5 * i) as usize;
                    d[at..(at + SLICE as usize).min(d.len())].to_vec()
                })
                .collect()
        };
        let (sa, sb, so) = (
            bottom_k(&take(&a)),
            bottom_k(&take(&shifted)),
            bottom_k(&take(&other)),
        );
        assert_eq!(sa.len(), SKETCH);
        let common = |x: &[u64], y: &[u64]| x.iter().filter(|h| y.contains(h)).count();
        assert!(common(&sa, &sb) >= SKETCH * 3 / 4, "{}", common(&sa, &sb));
        assert_eq!(common(&sa, &so), 0);
    }
}
