//! A scanned page built from image pieces, composed back into one page bitmap before OCR.
//!
//! Why: some scanners and PDF tools store a page as dozens of thin strips (the MinerU demo
//! `small_ocr.pdf`: 62 CCITT strips of 1634×39 px per page). Recognised one by one, each strip
//! holds a slice of a text line and Tesseract reads nothing ("约 0 字"); the page rendered
//! whole reads 667 Han. So the page's content stream is walked for the images it draws
//! (`Do`, through forms), each with its current transformation matrix (`cm`, `q`/`Q`, form
//! `/Matrix`), and every image is decoded and drawn at its place on a white greyscale page
//! canvas, which is recognised once.
//!
//! Bounded and conservative: only axis-aligned placements (no rotation or skew — those pages
//! keep the image-by-image path), at most [`MAX_PLACEMENTS`] images, a canvas resolution
//! taken from the sharpest image but never more than `max_pixels`, and any image that cannot
//! be decoded here (JPEG 2000, JBIG2) makes the page fall back to the old path.

use image::{DynamicImage, GrayImage, Luma, imageops};
use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

/// Most image placements composed on one page.
pub(super) const MAX_PLACEMENTS: usize = 512;
/// Deepest form nesting followed.
const MAX_DEPTH: usize = 4;

/// An affine matrix `[a b c d e f]` as PDF writes it.
type Matrix = [f64; 6];

const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m` then `n` (PDF's `cm` pre-multiplies: new CTM = m × CTM).
fn mul(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

fn matrix_of(ops: &[Object]) -> Option<Matrix> {
    let v: Vec<f64> = ops
        .iter()
        .filter_map(|o| o.as_float().ok().map(f64::from))
        .collect();
    (v.len() == 6).then(|| [v[0], v[1], v[2], v[3], v[4], v[5]])
}

/// One image drawn on the page, with the matrix that maps its unit square to page space.
pub(super) struct Placement<'a> {
    pub stream: &'a Stream,
    pub ctm: Matrix,
}

/// The images a page draws, in drawing order, with their CTMs. `None` when the page draws
/// none, or more than [`MAX_PLACEMENTS`].
pub(super) fn placements<'a>(doc: &'a Document, page: ObjectId) -> Option<Vec<Placement<'a>>> {
    let content = doc.get_page_content(page);
    let resources = resources_of(doc, page)?;
    let mut out = Vec::new();
    walk(doc, &content, resources, IDENTITY, 0, &mut out)?;
    (!out.is_empty()).then_some(out)
}

fn walk<'a>(
    doc: &'a Document,
    content: &[u8],
    resources: &'a Dictionary,
    base: Matrix,
    depth: usize,
    out: &mut Vec<Placement<'a>>,
) -> Option<()> {
    let ops = Content::decode(content).ok()?;
    let mut ctm = base;
    let mut stack: Vec<Matrix> = Vec::new();
    let xobjects = resources
        .get(b"XObject")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok());
    for op in &ops.operations {
        match op.operator.as_str() {
            "q" if stack.len() < 64 => stack.push(ctm),
            "Q" => ctm = stack.pop().unwrap_or(base),
            "cm" => {
                if let Some(m) = matrix_of(&op.operands) {
                    ctm = mul(&m, &ctm);
                }
            }
            "Do" => {
                let name = op.operands.first().and_then(|o| o.as_name().ok())?;
                let Some(stream) = xobjects
                    .and_then(|x| x.get(name).ok())
                    .and_then(|o| doc.dereference(o).ok())
                    .and_then(|(_, o)| o.as_stream().ok())
                else {
                    continue;
                };
                match stream.dict.get(b"Subtype").and_then(Object::as_name) {
                    Ok(b"Image") => {
                        if out.len() >= MAX_PLACEMENTS {
                            return None;
                        }
                        out.push(Placement { stream, ctm });
                    }
                    Ok(b"Form") if depth < MAX_DEPTH => {
                        let m = stream
                            .dict
                            .get(b"Matrix")
                            .and_then(Object::as_array)
                            .ok()
                            .and_then(|a| matrix_of(a))
                            .unwrap_or(IDENTITY);
                        let inner = stream
                            .dict
                            .get(b"Resources")
                            .ok()
                            .and_then(|o| doc.dereference(o).ok())
                            .and_then(|(_, o)| o.as_dict().ok())
                            .unwrap_or(resources);
                        let bytes = stream.decompressed_content().ok()?;
                        walk(doc, &bytes, inner, mul(&m, &ctm), depth + 1, out)?;
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    Some(())
}

/// An axis-aligned placement in page space: left, bottom, width, height (points), and
/// whether the image is flipped.
fn rect(m: &Matrix) -> Option<(f64, f64, f64, f64, bool, bool)> {
    if m[1].abs() > 1e-6 || m[2].abs() > 1e-6 || m[0].abs() < 1e-6 || m[3].abs() < 1e-6 {
        return None;
    }
    let (x0, x1) = (m[4], m[4] + m[0]);
    let (y0, y1) = (m[5], m[5] + m[3]);
    Some((
        x0.min(x1),
        y0.min(y1),
        m[0].abs(),
        m[3].abs(),
        m[0] < 0.0,
        m[3] < 0.0,
    ))
}

/// Composes decoded images at their placements onto one white greyscale canvas covering
/// `media` (`[x0, y0, x1, y1]` in points). The resolution (pixels per point) is the sharpest
/// image's, lowered so the canvas stays within `max_pixels`. `None` for a placement that is
/// not axis-aligned or an empty page.
pub(super) fn compose(
    media: [f64; 4],
    images: &[(DynamicImage, Matrix)],
    max_pixels: u64,
) -> Option<(GrayImage, f64)> {
    let (mx0, my0) = (media[0].min(media[2]), media[1].min(media[3]));
    let (mw, mh) = ((media[2] - media[0]).abs(), (media[3] - media[1]).abs());
    if mw < 1.0 || mh < 1.0 || images.is_empty() {
        return None;
    }
    let mut scale: f64 = 0.0;
    let mut rects = Vec::with_capacity(images.len());
    for (img, m) in images {
        let r = rect(m)?;
        scale = scale.max(f64::from(img.width()) / r.2);
        rects.push(r);
    }
    let limit = (max_pixels as f64 / (mw * mh)).sqrt();
    let scale = scale.min(limit).clamp(0.5, 8.0);
    let (cw, ch) = ((mw * scale).round() as u32, (mh * scale).round() as u32);
    let mut canvas = GrayImage::from_pixel(cw.max(1), ch.max(1), Luma([255]));
    for ((img, _), (x, y, w, h, flip_x, flip_y)) in images.iter().zip(rects) {
        let pw = ((w * scale).round() as u32).max(1);
        let ph = ((h * scale).round() as u32).max(1);
        let mut piece = img.to_luma8();
        // PDF images run top row first at the top of the unit square; a negative scale flips.
        if flip_x {
            piece = imageops::flip_horizontal(&piece);
        }
        if flip_y {
            piece = imageops::flip_vertical(&piece);
        }
        let piece = if (piece.width(), piece.height()) == (pw, ph) {
            piece
        } else {
            imageops::resize(&piece, pw, ph, imageops::FilterType::Triangle)
        };
        let left = ((x - mx0) * scale).round() as i64;
        let top = ((my0 + mh - (y + h)) * scale).round() as i64;
        imageops::overlay(&mut canvas, &piece, left, top);
    }
    Some((canvas, scale * 72.0))
}

/// The page's resources, inherited from the page tree when the page has none.
pub(super) fn resources_of(doc: &Document, page: ObjectId) -> Option<&Dictionary> {
    let mut node = doc.get_dictionary(page).ok()?;
    for _ in 0..64 {
        if let Ok(obj) = node.get(b"Resources") {
            return doc
                .dereference(obj)
                .ok()
                .map(|(_, o)| o)
                .and_then(|o| o.as_dict().ok());
        }
        let parent = node.get(b"Parent").ok()?.as_reference().ok()?;
        node = doc.get_dictionary(parent).ok()?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_land_where_their_matrices_put_them() {
        // A 100×40 pt page drawn from four 100×10 strips, top to bottom, each 200×20 px
        // (144 dpi): strip i is black in column block i.
        let strips: Vec<(DynamicImage, Matrix)> = (0..4)
            .map(|i| {
                let mut g = GrayImage::from_pixel(200, 20, Luma([255]));
                for x in i * 50..(i + 1) * 50 {
                    for y in 0..20 {
                        g.put_pixel(x, y, Luma([0]));
                    }
                }
                let top = 40.0 - 10.0 * f64::from(i);
                (
                    DynamicImage::ImageLuma8(g),
                    [100.0, 0.0, 0.0, 10.0, 0.0, top - 10.0],
                )
            })
            .collect();
        let (page, dpi) = compose([0.0, 0.0, 100.0, 40.0], &strips, 16_000_000).unwrap();
        assert_eq!(
            (page.width(), page.height(), dpi.round() as u32),
            (200, 80, 144)
        );
        for i in 0..4u32 {
            // The black block of strip i sits in row band i, column block i.
            assert_eq!(page.get_pixel(i * 50 + 25, i * 20 + 10).0, [0], "strip {i}");
            assert_eq!(
                page.get_pixel(((i + 2) % 4) * 50 + 25, i * 20 + 10).0,
                [255]
            );
        }
        // Within the pixel bound: the canvas is scaled down.
        let (small, _) = compose([0.0, 0.0, 100.0, 40.0], &strips, 4_000).unwrap();
        assert!(u64::from(small.width()) * u64::from(small.height()) <= 4_000);
        // A rotated placement is not composed.
        let rotated = vec![(strips[0].0.clone(), [0.0, 10.0, -100.0, 0.0, 100.0, 0.0])];
        assert!(compose([0.0, 0.0, 100.0, 40.0], &rotated, 16_000_000).is_none());
    }

    #[test]
    fn ctm_follows_q_cm_and_forms_order() {
        let a: Matrix = [2.0, 0.0, 0.0, 3.0, 10.0, 20.0];
        let b: Matrix = [1.0, 0.0, 0.0, 1.0, 5.0, 5.0];
        // `b cm` inside `a cm`: b then a.
        assert_eq!(mul(&b, &a), [2.0, 0.0, 0.0, 3.0, 20.0, 35.0]);
        assert_eq!(mul(&IDENTITY, &a), a);
    }
}
