//! The images of scanned PDF pages, made ready for Tesseract.
//!
//! A scanned page draws one image (sometimes a few bands) and no text. Each page's image
//! XObjects are found through its (inherited) resources and the forms it draws, and each image
//! becomes bytes Leptonica can read:
//! - `DCTDecode` → the stream *is* a JPEG; `JPXDecode` → a JPEG 2000 codestream (both passed as
//!   they are, after any filters in front of them);
//! - Flate/LZW/RunLength/ASCII (or no filter) → raw samples rebuilt as a PNG with the `image`
//!   crate: Gray/RGB/CMYK/ICCBased/Indexed, 1–16 bits per component, `/Decode [1 0]`, image
//!   masks;
//! - `CCITTFaxDecode` (office scanners' black-and-white pages) → wrapped in a one-strip TIFF
//!   header (Group 3/4, polarity from `/BlackIs1` and `/Decode`), which Leptonica decodes;
//! - `JBIG2Decode` → not supported for OCR (no decoder here, and its global segments would
//!   need a JBIG2 file wrapper Leptonica does not read): reported.
//!
//! Images below 10,000 pixels (logos, rules) are ignored; at most four per page are kept, the
//! largest first. The page's resolution is estimated from the image width and the MediaBox and
//! handed to Tesseract (`--dpi`), since rebuilt PNGs carry none.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use crate::input::Limits;

use super::Job;
use super::picture::{fit, png};

/// Smallest image (pixels) worth recognising on a scanned page.
const MIN_PIXELS: u64 = 10_000;
/// Most images recognised per page.
const MAX_PER_PAGE: usize = 4;
/// Most XObjects looked at per page (forms inside forms included).
const MAX_XOBJECTS: usize = 256;
/// Deepest form nesting followed.
const MAX_DEPTH: usize = 4;

/// The jobs for the `pages` (1-based), and the pages that cannot be recognised with the reason.
pub(crate) fn page_jobs(
    bytes: &[u8],
    pages: &[u32],
    limits: &Limits,
    max_images: usize,
    max_pixels: u64,
) -> (Vec<Job>, Vec<(u32, String)>) {
    let stream_limit = usize::try_from(limits.max_xml_bytes).unwrap_or(usize::MAX);
    let mut skipped = Vec::new();
    let doc = match crate::extract::pdf::load(bytes, stream_limit) {
        Ok(d) => d,
        Err(p) => {
            for page in pages {
                skipped.push((*page, p.message.clone()));
            }
            return (Vec::new(), skipped);
        }
    };
    let ids = doc.get_pages();
    let mut jobs = Vec::new();
    for &page in pages {
        if jobs.len() >= max_images {
            skipped.push((page, format!("超过每个文件 {max_images} 张图像的上限")));
            continue;
        }
        let Some(&id) = ids.get(&page) else {
            skipped.push((page, "找不到该页".to_string()));
            continue;
        };
        // A page drawn from several image pieces (strips, tiles) is recognised as one
        // composed page bitmap.
        if let Some(job) = composed(&doc, id, page, limits, stream_limit, max_pixels) {
            jobs.push(job);
            continue;
        }
        let images = page_images(&doc, id);
        if images.is_empty() {
            skipped.push((
                page,
                "页面中没有可识别的图像（可能是矢量轮廓文字）".to_string(),
            ));
            continue;
        }
        let page_width = media_width(&doc, id);
        let mut reasons = Vec::new();
        let mut made = 0;
        for stream in images {
            if jobs.len() >= max_images {
                break;
            }
            match image_bytes(&doc, stream, limits, stream_limit, max_pixels) {
                Ok((bytes, width)) => {
                    let dpi = page_width
                        .filter(|w| *w > 1.0)
                        .map(|w| (width as f64 * 72.0 / w).round() as u32);
                    jobs.push(Job {
                        page: Some(page),
                        bytes,
                        dpi,
                        frame: None,
                        enlarged: None,
                    });
                    made += 1;
                }
                Err(why) => reasons.push(why),
            }
        }
        if made == 0 {
            reasons.dedup();
            skipped.push((page, reasons.join("；")));
        }
    }
    (jobs, skipped)
}

/// The page as one bitmap when it draws two or more images, all axis-aligned and decodable
/// here ([`super::compose`]); `None` otherwise (the page goes image by image).
fn composed(
    doc: &Document,
    id: ObjectId,
    page: u32,
    limits: &Limits,
    stream_limit: usize,
    max_pixels: u64,
) -> Option<Job> {
    let placements = super::compose::placements(doc, id)?;
    if placements.len() < 2 {
        return None;
    }
    let media = media_box(doc, id)?;
    let mut budget = limits.max_image_pixels;
    let mut images = Vec::with_capacity(placements.len());
    for p in &placements {
        let (bytes, _) = image_bytes(doc, p.stream, limits, stream_limit, max_pixels).ok()?;
        let img = image::load_from_memory(&bytes).ok()?;
        budget = budget.checked_sub(u64::from(img.width()) * u64::from(img.height()))?;
        images.push((img, p.ctm));
    }
    let (canvas, dpi) = super::compose::compose(media, &images, max_pixels)?;
    let bytes = png(&image::DynamicImage::ImageLuma8(canvas)).ok()?;
    Some(Job {
        page: Some(page),
        bytes,
        dpi: Some(dpi.round() as u32),
        frame: None,
        enlarged: None,
    })
}

/// The image XObjects a page draws (directly or through forms), largest first.
fn page_images(doc: &Document, page: ObjectId) -> Vec<&Stream> {
    let Some(resources) = super::compose::resources_of(doc, page) else {
        return Vec::new();
    };
    let mut found: Vec<(u64, &Stream)> = Vec::new();
    let mut seen = Vec::new();
    collect(doc, resources, 0, &mut seen, &mut found);
    found.sort_by_key(|(px, _)| std::cmp::Reverse(*px));
    found
        .into_iter()
        .filter(|(px, _)| *px >= MIN_PIXELS)
        .take(MAX_PER_PAGE)
        .map(|(_, s)| s)
        .collect()
}

fn deref<'a>(doc: &'a Document, obj: &'a Object) -> Option<&'a Object> {
    doc.dereference(obj).ok().map(|(_, o)| o)
}

fn collect<'a>(
    doc: &'a Document,
    resources: &'a Dictionary,
    depth: usize,
    seen: &mut Vec<ObjectId>,
    found: &mut Vec<(u64, &'a Stream)>,
) {
    let Some(xobjects) = resources
        .get(b"XObject")
        .ok()
        .and_then(|o| deref(doc, o))
        .and_then(|o| o.as_dict().ok())
    else {
        return;
    };
    for (_, value) in xobjects.iter() {
        if seen.len() >= MAX_XOBJECTS {
            return;
        }
        if let Ok(id) = value.as_reference() {
            if seen.contains(&id) {
                continue;
            }
            seen.push(id);
        }
        let Some(stream) = deref(doc, value).and_then(|o| o.as_stream().ok()) else {
            continue;
        };
        match stream.dict.get(b"Subtype").and_then(Object::as_name) {
            Ok(b"Image") => {
                let w = int(&stream.dict, b"Width").unwrap_or(0);
                let h = int(&stream.dict, b"Height").unwrap_or(0);
                found.push((w.saturating_mul(h), stream));
            }
            Ok(b"Form") if depth < MAX_DEPTH => {
                if let Some(inner) = stream
                    .dict
                    .get(b"Resources")
                    .ok()
                    .and_then(|o| deref(doc, o))
                    .and_then(|o| o.as_dict().ok())
                {
                    collect(doc, inner, depth + 1, seen, found);
                }
            }
            _ => {}
        }
    }
}

fn int(dict: &Dictionary, key: &[u8]) -> Option<u64> {
    dict.get(key)
        .ok()
        .and_then(|o| o.as_i64().ok())
        .and_then(|v| u64::try_from(v).ok())
}

/// Width of the page's MediaBox in points (inherited).
fn media_width(doc: &Document, page: ObjectId) -> Option<f64> {
    media_box(doc, page).map(|b| (b[2] - b[0]).abs())
}

/// The page's MediaBox `[x0 y0 x1 y1]` in points (inherited).
fn media_box(doc: &Document, page: ObjectId) -> Option<[f64; 4]> {
    let mut node = doc.get_dictionary(page).ok()?;
    for _ in 0..64 {
        if let Some(bx) = node
            .get(b"MediaBox")
            .ok()
            .and_then(|o| deref(doc, o))
            .and_then(|o| o.as_array().ok())
        {
            let n: Vec<f64> = bx
                .iter()
                .filter_map(|o| deref(doc, o))
                .filter_map(|o| o.as_float().ok().map(f64::from))
                .collect();
            return match n.as_slice() {
                [x0, y0, x1, y1] => Some([*x0, *y0, *x1, *y1]),
                _ => None,
            };
        }
        let parent = node.get(b"Parent").ok()?.as_reference().ok()?;
        node = doc.get_dictionary(parent).ok()?;
    }
    None
}

/// Bytes Leptonica reads for one image XObject, and its width in pixels; or why not.
fn image_bytes(
    doc: &Document,
    stream: &Stream,
    limits: &Limits,
    stream_limit: usize,
    max_pixels: u64,
) -> Result<(Vec<u8>, u32), String> {
    let dict = &stream.dict;
    let width = int(dict, b"Width").unwrap_or(0);
    let height = int(dict, b"Height").unwrap_or(0);
    let pixels = width.saturating_mul(height);
    if width == 0 || height == 0 {
        return Err("图像尺寸无效".to_string());
    }
    if pixels > limits.max_image_pixels {
        return Err(format!("图像过大（{width}×{height} 像素）"));
    }
    let width32 = u32::try_from(width).map_err(|_| "图像尺寸无效".to_string())?;
    let height32 = u32::try_from(height).map_err(|_| "图像尺寸无效".to_string())?;
    let filters: Vec<Vec<u8>> = stream
        .filters()
        .map(|f| f.into_iter().map(<[u8]>::to_vec).collect())
        .unwrap_or_default();
    let last = filters.last().map(Vec::as_slice);
    match last {
        Some(b"DCTDecode" | b"DCT" | b"JPXDecode") => {
            let data = if filters.len() == 1 {
                stream.content.clone()
            } else {
                // Filters in front of the image codec (rare): decode those only.
                let mut front = stream.clone();
                let n = filters.len() - 1;
                front.dict.set(
                    "Filter",
                    Object::Array(
                        filters[..n]
                            .iter()
                            .map(|f| Object::Name(f.clone()))
                            .collect(),
                    ),
                );
                if let Ok(Object::Array(parms)) = dict.get(b"DecodeParms") {
                    front.dict.set(
                        "DecodeParms",
                        Object::Array(parms.iter().take(n).cloned().collect()),
                    );
                }
                front
                    .decompressed_content_with_limit(stream_limit)
                    .map_err(|e| format!("图像数据无法解压（{e}）"))?
            };
            if pixels > max_pixels && last != Some(b"JPXDecode") {
                // A huge JPEG: decode and downscale (within the pixel limit checked above).
                let img = image::load_from_memory_with_format(&data, image::ImageFormat::Jpeg)
                    .map_err(|e| format!("JPEG 图像无法解码（{e}）"))?;
                let img = fit(img, max_pixels);
                let w = img.width();
                return png(&img).map(|b| (b, w)).map_err(|p| p.message);
            }
            Ok((data, width32))
        }
        Some(b"JBIG2Decode") => Err("JBIG2 编码的图像暂不支持 OCR".to_string()),
        Some(b"CCITTFaxDecode" | b"CCF") if filters.len() == 1 => {
            let parms = match dict.get(b"DecodeParms").ok().and_then(|o| deref(doc, o)) {
                Some(Object::Dictionary(d)) => Some(d),
                Some(Object::Array(a)) => a
                    .first()
                    .and_then(|o| deref(doc, o))
                    .and_then(|o| o.as_dict().ok()),
                _ => None,
            };
            let inverted = decode_inverted(dict);
            Ok((
                ccitt_tiff(&stream.content, parms, width32, height32, inverted),
                width32,
            ))
        }
        Some(b"CCITTFaxDecode" | b"CCF") => {
            Err("CCITT 传真编码前另有编码，暂不支持 OCR".to_string())
        }
        _ => {
            let data = stream
                .decompressed_content_with_limit(stream_limit)
                .map_err(|e| match e {
                    lopdf::Error::Unimplemented(_) => {
                        let names: Vec<String> = filters
                            .iter()
                            .map(|f| String::from_utf8_lossy(f).into_owned())
                            .collect();
                        format!("图像编码 {} 暂不支持 OCR", names.join("+"))
                    }
                    other => format!("图像数据无法解压（{other}）"),
                })?;
            let img = raw_image(doc, dict, &data, width32, height32)?;
            let img = fit(img, max_pixels);
            let w = img.width();
            png(&img).map(|b| (b, w)).map_err(|p| p.message)
        }
    }
}

/// Whether `/Decode` is `[1 0]` (inverted samples).
fn decode_inverted(dict: &Dictionary) -> bool {
    match dict.get(b"Decode").and_then(Object::as_array) {
        Ok(d) => matches!(
            (d.first().and_then(|o| o.as_float().ok()), d.get(1).and_then(|o| o.as_float().ok())),
            (Some(a), Some(b)) if a > b
        ),
        Err(_) => false,
    }
}

/// A CCITT fax stream wrapped in a one-strip TIFF, which Leptonica decodes (Group 4 for
/// `/K < 0`, Group 3 otherwise, 2-D when `/K > 0`). The polarity follows the PDF: a white run
/// renders white unless `/BlackIs1 true` or `/Decode [1 0]` (not both) turn it around, which
/// TIFF says with its photometric interpretation.
fn ccitt_tiff(
    data: &[u8],
    parms: Option<&Dictionary>,
    width: u32,
    height: u32,
    decode_inverted: bool,
) -> Vec<u8> {
    let get_int = |key: &[u8]| {
        parms
            .and_then(|p| p.get(key).ok())
            .and_then(|o| o.as_i64().ok())
    };
    let get_bool = |key: &[u8]| {
        matches!(
            parms.and_then(|p| p.get(key).ok()),
            Some(Object::Boolean(true))
        )
    };
    let k = get_int(b"K").unwrap_or(0);
    let columns = get_int(b"Columns")
        .and_then(|c| u32::try_from(c).ok())
        .filter(|c| *c > 0)
        .unwrap_or(width);
    let rows = get_int(b"Rows")
        .and_then(|r| u32::try_from(r).ok())
        .filter(|r| *r > 0)
        .unwrap_or(height);
    let black_is_1 = get_bool(b"BlackIs1");
    let byte_align = get_bool(b"EncodedByteAlign");
    let photometric: u32 = if black_is_1 != decode_inverted { 1 } else { 0 };
    let compression: u32 = if k < 0 { 4 } else { 3 };
    let mut entries: Vec<(u16, u16, u32)> = vec![
        (256, 4, columns),
        (257, 4, rows),
        (258, 3, 1),
        (259, 3, compression),
        (262, 3, photometric),
        (273, 4, 0), // strip offset, set below
        (277, 3, 1),
        (278, 4, rows),
        (279, 4, u32::try_from(data.len()).unwrap_or(u32::MAX)),
    ];
    if compression == 3 {
        let mut t4 = 0u32;
        if k > 0 {
            t4 |= 1;
        }
        if byte_align {
            t4 |= 4;
        }
        entries.push((292, 4, t4));
    } else {
        entries.push((293, 4, 0));
    }
    let ifd_len = 2 + entries.len() * 12 + 4;
    let data_at = u32::try_from(8 + ifd_len).unwrap_or(0);
    let mut out = Vec::with_capacity(8 + ifd_len + data.len());
    out.extend_from_slice(b"II*\0");
    out.extend_from_slice(&8u32.to_le_bytes());
    out.extend_from_slice(&u16::try_from(entries.len()).unwrap_or(0).to_le_bytes());
    for (tag, kind, value) in entries {
        let value = if tag == 273 { data_at } else { value };
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&kind.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        if kind == 3 {
            out.extend_from_slice(&u16::try_from(value).unwrap_or(0).to_le_bytes());
            out.extend_from_slice(&[0, 0]);
        } else {
            out.extend_from_slice(&value.to_le_bytes());
        }
    }
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(data);
    out
}

/// How samples map to colour.
enum Space {
    /// Grey; `true` for a separation (ink) space, where 0 is white.
    Gray(bool),
    Rgb,
    Cmyk,
    /// Palette of RGB triples (base space converted) with `components` per entry.
    Indexed(Vec<[u8; 3]>),
}

/// Rebuilds an image from its decoded samples.
fn raw_image(
    doc: &Document,
    dict: &Dictionary,
    data: &[u8],
    width: u32,
    height: u32,
) -> Result<image::DynamicImage, String> {
    let is_mask = matches!(dict.get(b"ImageMask"), Ok(Object::Boolean(true)));
    let bpc = if is_mask {
        1
    } else {
        int(dict, b"BitsPerComponent").unwrap_or(8)
    };
    if !matches!(bpc, 1 | 2 | 4 | 8 | 16) {
        return Err(format!("每分量位数 {bpc} 无效"));
    }
    let space = if is_mask {
        Space::Gray(false)
    } else {
        color_space(doc, dict.get(b"ColorSpace").ok(), 0)
    };
    let comps: u64 = match &space {
        Space::Gray(_) | Space::Indexed(_) => 1,
        Space::Rgb => 3,
        Space::Cmyk => 4,
    };
    // `/Decode [1 0]` inverts a grey image; so does a separation (ink) space.
    let ink = matches!(space, Space::Gray(true));
    let decode_inverted = decode_inverted(dict) && matches!(space, Space::Gray(_));
    let inverted = ink != decode_inverted;
    let row_bits = (width as u64)
        .checked_mul(comps)
        .and_then(|x| x.checked_mul(bpc))
        .ok_or("图像尺寸无效")?;
    let row_bytes = usize::try_from(row_bits.div_ceil(8)).map_err(|_| "图像尺寸无效")?;
    if row_bytes == 0 {
        return Err("图像尺寸无效".to_string());
    }
    // A short stream (truncated file) gives the rows it has.
    let rows = (data.len() / row_bytes).min(height as usize);
    if rows == 0 {
        return Err("图像数据为空或被截断".to_string());
    }
    let rows32 = u32::try_from(rows).map_err(|_| "图像尺寸无效")?;
    let max = ((1u32 << bpc.min(16)) - 1) as f32;
    let sample = |row: &[u8], i: u64| -> u8 {
        let v: u32 = match bpc {
            8 => row.get(i as usize).copied().unwrap_or(0) as u32,
            16 => row.get((i * 2) as usize).copied().unwrap_or(0) as u32,
            _ => {
                let bit = i * bpc;
                let byte = row.get((bit / 8) as usize).copied().unwrap_or(0);
                let shift = 8 - bpc - (bit % 8);
                ((byte >> shift) as u32) & ((1 << bpc) - 1)
            }
        };
        match bpc {
            8 | 16 => v as u8,
            _ => ((v as f32) * 255.0 / max).round() as u8,
        }
    };
    let index = |row: &[u8], i: u64| -> usize {
        let bit = i * bpc;
        match bpc {
            8 => row.get(i as usize).copied().unwrap_or(0) as usize,
            16 => row.get((i * 2) as usize).copied().unwrap_or(0) as usize,
            _ => {
                let byte = row.get((bit / 8) as usize).copied().unwrap_or(0);
                let shift = 8 - bpc - (bit % 8);
                ((byte >> shift) as usize) & ((1 << bpc) - 1)
            }
        }
    };
    let w = width as u64;
    match space {
        Space::Gray(_) => {
            let mut img = image::GrayImage::new(width, rows32);
            for (y, row) in data.chunks(row_bytes).take(rows).enumerate() {
                for x in 0..w {
                    let mut v = sample(row, x);
                    if inverted {
                        v = 255 - v;
                    }
                    img.put_pixel(x as u32, y as u32, image::Luma([v]));
                }
            }
            Ok(image::DynamicImage::ImageLuma8(img))
        }
        Space::Rgb | Space::Cmyk | Space::Indexed(_) => {
            let mut img = image::RgbImage::new(width, rows32);
            for (y, row) in data.chunks(row_bytes).take(rows).enumerate() {
                for x in 0..w {
                    let px = match &space {
                        Space::Rgb => [
                            sample(row, x * 3),
                            sample(row, x * 3 + 1),
                            sample(row, x * 3 + 2),
                        ],
                        Space::Cmyk => {
                            let k = sample(row, x * 4 + 3) as u32;
                            let conv = |c: u8| (255 - (c as u32 + k).min(255)) as u8;
                            [
                                conv(sample(row, x * 4)),
                                conv(sample(row, x * 4 + 1)),
                                conv(sample(row, x * 4 + 2)),
                            ]
                        }
                        Space::Indexed(palette) => {
                            palette.get(index(row, x)).copied().unwrap_or([0, 0, 0])
                        }
                        Space::Gray(_) => [0, 0, 0],
                    };
                    img.put_pixel(x as u32, y as u32, image::Rgb(px));
                }
            }
            Ok(image::DynamicImage::ImageRgb8(img))
        }
    }
}

/// The colour space of an image, by name or array (ICCBased by its `/N`, Indexed with its
/// palette converted to RGB, Separation as ink). Anything else is read as grey.
fn color_space(doc: &Document, obj: Option<&Object>, depth: usize) -> Space {
    let Some(obj) = obj.and_then(|o| deref(doc, o)) else {
        return Space::Gray(false);
    };
    match obj {
        Object::Name(n) => match n.as_slice() {
            b"DeviceRGB" | b"CalRGB" | b"RGB" | b"Lab" => Space::Rgb,
            b"DeviceCMYK" | b"CMYK" => Space::Cmyk,
            _ => Space::Gray(false),
        },
        Object::Array(a) => {
            let head = a.first().and_then(|o| o.as_name().ok()).unwrap_or(b"");
            match head {
                b"ICCBased" => {
                    let n = a
                        .get(1)
                        .and_then(|o| deref(doc, o))
                        .and_then(|o| o.as_stream().ok())
                        .and_then(|s| int(&s.dict, b"N"));
                    match n {
                        Some(3) => Space::Rgb,
                        Some(4) => Space::Cmyk,
                        _ => Space::Gray(false),
                    }
                }
                b"Indexed" | b"I" if depth == 0 => {
                    let base = color_space(doc, a.get(1), depth + 1);
                    let comps = match base {
                        Space::Cmyk => 4,
                        Space::Rgb => 3,
                        _ => 1,
                    };
                    let lookup: Vec<u8> = match a.get(3).and_then(|o| deref(doc, o)) {
                        Some(Object::String(s, _)) => s.clone(),
                        Some(Object::Stream(s)) => s
                            .decompressed_content_with_limit(1 << 20)
                            .unwrap_or_default(),
                        _ => Vec::new(),
                    };
                    let palette = lookup
                        .chunks(comps)
                        .map(|c| {
                            let at = |i: usize| c.get(i).copied().unwrap_or(0);
                            match comps {
                                3 => [at(0), at(1), at(2)],
                                4 => {
                                    let k = at(3) as u32;
                                    let conv = |v: u8| (255 - (v as u32 + k).min(255)) as u8;
                                    [conv(at(0)), conv(at(1)), conv(at(2))]
                                }
                                _ => [at(0), at(0), at(0)],
                            }
                        })
                        .collect();
                    Space::Indexed(palette)
                }
                b"CalRGB" | b"Lab" => Space::Rgb,
                b"Separation" => Space::Gray(true),
                _ => Space::Gray(false),
            }
        }
        _ => Space::Gray(false),
    }
}
