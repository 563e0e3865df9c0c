//! Whether a photo's pixel data can be decoded, without holding the decoded frame.
//!
//! Why not `image::load`: a 7000×7000 PNG of 16-bit RGBA is 384 KB on disk and 392 MB decoded;
//! a submission of two dozen of them read in parallel once took 8 GB (issue #12). Validity needs
//! every byte decoded, not every pixel kept, so each format is decoded in pieces by the
//! decoder the `image` crate itself uses:
//! - PNG row by row (`png::Reader::next_row`: one row in memory, CRCs and zlib checked);
//! - GIF frame by frame in 64 KB pieces (`gif::Decoder::fill_buffer`);
//! - TIFF strip by strip or tile by tile (`tiff::Decoder::read_chunk`), a chunk above 64 MB
//!   is not decoded (`image.not_verified`);
//! - WebP and BMP (no piecewise decoder) whole, only while the decoded frame stays under
//!   [`MAX_FRAME_BYTES`]; above it, `image.not_verified`.
//!
//! JPEG is not decoded at all (see `jpeg_check`); HEIC has no decoder here.

use std::io::Cursor;

use crate::facts::Format;

/// Largest decoded frame held in memory for formats that cannot be decoded in pieces.
pub(super) const MAX_FRAME_BYTES: u64 = 256 << 20;
/// Largest TIFF strip or tile decoded.
const MAX_CHUNK_BYTES: usize = 64 << 20;

/// What the check found.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Validity {
    Valid,
    /// The data is damaged: the decoder's words.
    Corrupt(String),
    /// Not checked (too large to decode within the bounds): why.
    NotVerified(String),
}

/// Checks the pixel data of a PNG, GIF, TIFF, WebP or BMP of `width`×`height`.
pub(super) fn check(bytes: &[u8], format: Format, width: u64, height: u64) -> Validity {
    let result = match format {
        Format::Png => png_rows(bytes),
        Format::Gif => gif_frames(bytes),
        Format::Tiff => return tiff_chunks(bytes),
        _ => {
            let frame = width.saturating_mul(height).saturating_mul(4);
            if frame > MAX_FRAME_BYTES {
                return Validity::NotVerified(format!(
                    "解码后约 {} MB，超过 {} MB，未完整解码检查",
                    frame >> 20,
                    MAX_FRAME_BYTES >> 20
                ));
            }
            whole(bytes)
        }
    };
    match result {
        Ok(()) => Validity::Valid,
        Err(e) => Validity::Corrupt(e),
    }
}

fn png_rows(bytes: &[u8]) -> Result<(), String> {
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    // Text chunks are metadata, read elsewhere; only the pixels matter here.
    decoder.set_ignore_text_chunk(true);
    let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
    while reader.next_row().map_err(|e| e.to_string())?.is_some() {}
    reader.finish().map_err(|e| e.to_string())
}

fn gif_frames(bytes: &[u8]) -> Result<(), String> {
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::Indexed);
    let mut decoder = options
        .read_info(Cursor::new(bytes))
        .map_err(|e| e.to_string())?;
    let mut buf = vec![0u8; 64 << 10];
    while decoder
        .next_frame_info()
        .map_err(|e| e.to_string())?
        .is_some()
    {
        while decoder.fill_buffer(&mut buf).map_err(|e| e.to_string())? {}
    }
    Ok(())
}

fn tiff_chunks(bytes: &[u8]) -> Validity {
    use tiff::decoder::{ChunkType, Decoder, Limits};
    let mut limits = Limits::default();
    limits.decoding_buffer_size = MAX_CHUNK_BYTES;
    let run = || -> Result<(), tiff::TiffError> {
        let mut decoder = Decoder::new(Cursor::new(bytes))?.with_limits(limits);
        loop {
            let chunks = match decoder.get_chunk_type() {
                ChunkType::Strip => decoder.strip_count()?,
                ChunkType::Tile => decoder.tile_count()?,
            };
            for i in 0..chunks {
                decoder.read_chunk(i)?;
            }
            if !decoder.more_images() {
                return Ok(());
            }
            decoder.next_image()?;
        }
    };
    match run() {
        Ok(()) => Validity::Valid,
        Err(tiff::TiffError::LimitsExceeded) => Validity::NotVerified(format!(
            "TIFF 单个条带/分块解码后超过 {} MB，未完整解码检查",
            MAX_CHUNK_BYTES >> 20
        )),
        // A compression or layout tiff cannot decode is not damage.
        Err(tiff::TiffError::UnsupportedError(e)) => {
            Validity::NotVerified(format!("TIFF 的编码方式暂不支持解码检查（{e}）"))
        }
        Err(e) => Validity::Corrupt(e.to_string()),
    }
}

fn whole(bytes: &[u8]) -> Result<(), String> {
    let reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    reader.decode().map(|_| ()).map_err(|e| match e {
        image::ImageError::Decoding(d) => d.to_string(),
        other => other.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32, depth: png::BitDepth) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut out, width, height);
            enc.set_color(png::ColorType::Rgba);
            enc.set_depth(depth);
            let mut w = enc.write_header().unwrap();
            let bpp = if depth == png::BitDepth::Sixteen {
                8
            } else {
                4
            };
            let data: Vec<u8> = (0..(width * height) as usize * bpp)
                .map(|i| (i % 251) as u8)
                .collect();
            w.write_image_data(&data).unwrap();
        }
        out
    }

    #[test]
    fn png_rows_are_checked_and_damage_is_seen() {
        let good = png(300, 200, png::BitDepth::Sixteen);
        assert_eq!(check(&good, Format::Png, 300, 200), Validity::Valid);
        // A flipped byte inside the image data breaks its CRC (or its zlib stream).
        let mut bad = good.clone();
        let idat = bad.windows(4).position(|w| w == b"IDAT").unwrap();
        bad[idat + 40] ^= 0xFF;
        assert!(matches!(
            check(&bad, Format::Png, 300, 200),
            Validity::Corrupt(_)
        ));
        // Truncated.
        let cut = &good[..good.len() / 2];
        assert!(matches!(
            check(cut, Format::Png, 300, 200),
            Validity::Corrupt(_)
        ));
    }

    #[test]
    fn gif_and_bmp_and_oversized_frames() {
        let img = image::RgbaImage::from_fn(64, 48, |x, y| image::Rgba([x as u8, y as u8, 7, 255]));
        for (fmt, ours) in [
            (image::ImageFormat::Gif, Format::Gif),
            (image::ImageFormat::Bmp, Format::Bmp),
            (image::ImageFormat::Tiff, Format::Tiff),
        ] {
            let mut bytes = Vec::new();
            img.write_to(&mut Cursor::new(&mut bytes), fmt).unwrap();
            assert_eq!(check(&bytes, ours, 64, 48), Validity::Valid, "{fmt:?}");
            let cut = &bytes[..bytes.len() * 2 / 3];
            assert!(
                matches!(check(cut, ours, 64, 48), Validity::Corrupt(_)),
                "{fmt:?} truncated"
            );
        }
        // A BMP that claims 20000×20000 is not decoded whole.
        assert!(matches!(
            check(b"BM", Format::Bmp, 20_000, 20_000),
            Validity::NotVerified(_)
        ));
    }
}
