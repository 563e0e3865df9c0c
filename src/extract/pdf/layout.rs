//! Layout: glyphs placed in page space become lines of text, the way pdftotext's default mode
//! reads them, in content order.
//!
//! A new line starts when the baseline moves by more than half a font size, the writing
//! direction changes, or a pagination artifact begins or ends; a space goes in when the gap to
//! the previous glyph exceeds 0.15 em (0.3 em where widths were estimated), when an explicit
//! space glyph is not overdrawn by the next glyph, or when the pen jumps back. Glyphs drawn twice
//! at the same spot (fake bold) and glyphs outside the page are dropped, as pdftotext does.
//! Counting depends on this: a stray space splits a Latin word, a missing one joins two.

use std::collections::HashMap;

/// One line of a page's text, with its position (page space, y up).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Line {
    pub text: String,
    pub x: f32,
    pub y: f32,
    /// Drawn inside a pagination artifact (`/Artifact <</Type /Pagination …>> BDC`): a header,
    /// footer or watermark by the producer's own word (tagged PDFs from Word, Acrobat).
    pub artifact: bool,
    /// Largest font size (page units) on the line.
    pub size: f32,
}

/// Appends glyph text, mapping Kangxi/CJK radicals and CJK compatibility ideographs to the
/// unified ideographs they stand for (fonts share one glyph, and ToUnicode maps often pick the
/// radical: ⾃ U+2F83 for 自), as pdftotext does. Counts do not change (both are Han); figures,
/// titles and labels read right.
fn push_normalized(out: &mut String, text: &str) {
    use unicode_normalization::UnicodeNormalization;
    for ch in text.chars() {
        if matches!(ch, '\u{2E80}'..='\u{2FDF}' | '\u{F900}'..='\u{FAFF}') {
            out.extend(std::iter::once(ch).nfkc());
        } else {
            out.push(ch);
        }
    }
}

/// The line being built.
struct Current {
    text: String,
    x: f32,
    y: f32,
    dir: (f32, f32),
    /// Perpendicular coordinate of the baseline.
    v: f32,
    /// Along-line coordinate of the last non-blank glyph's end.
    u_end: f32,
    /// An explicit space glyph since then: its along-line start and end.
    space: Option<(f32, f32)>,
    size: f32,
    artifact: bool,
}

/// Lays glyphs out into lines.
pub(super) struct Builder {
    pub(super) lines: Vec<Line>,
    cur: Option<Current>,
    /// Glyphs already placed, by (first char, 2-pt cell), to drop overprinted duplicates.
    seen: HashMap<(char, i32, i32), Vec<(f32, f32)>>,
    bounds: Option<[f32; 4]>,
    pub(super) chars: usize,
    /// Glyphs now being added are inside a pagination artifact.
    pub(super) artifact: bool,
}

impl Builder {
    pub(super) fn new(bounds: Option<[f32; 4]>) -> Self {
        Builder {
            lines: Vec::new(),
            cur: None,
            seen: HashMap::new(),
            bounds,
            chars: 0,
            artifact: false,
        }
    }

    pub(super) fn add(
        &mut self,
        text: &str,
        origin: (f32, f32),
        end: (f32, f32),
        size: f32,
        dir: (f32, f32),
        widths_known: bool,
    ) {
        if !origin.0.is_finite() || !origin.1.is_finite() {
            return;
        }
        if let Some([x0, y0, x1, y1]) = self.bounds {
            let m = 2.0;
            if origin.0 < x0 - m || origin.0 > x1 + m || origin.1 < y0 - m || origin.1 > y1 + m {
                return;
            }
        }
        let size = if size > 0.01 { size } else { 1.0 };
        let blank = text.chars().all(crate::count::is_space);
        if !blank && self.duplicate(text, origin, size) {
            return;
        }
        let u = |p: (f32, f32), d: (f32, f32)| p.0 * d.0 + p.1 * d.1;
        let v = |p: (f32, f32), d: (f32, f32)| -p.0 * d.1 + p.1 * d.0;
        let same_line = self.cur.as_ref().is_some_and(|c| {
            c.artifact == self.artifact
                && c.dir.0 * dir.0 + c.dir.1 * dir.1 > 0.99
                && (v(origin, c.dir) - c.v).abs() < 0.5 * size.max(c.size)
        });
        if blank {
            // An explicit space counts unless the next glyph is drawn over it (pdftotext
            // likewise takes word breaks from geometry, not from space glyphs).
            if same_line && let Some(c) = self.cur.as_mut() {
                let (a, b) = (u(origin, c.dir), u(end, c.dir));
                c.space = Some(match c.space {
                    Some((a0, _)) => (a0, b),
                    None => (a, b),
                });
            }
            return;
        }
        if !same_line {
            self.flush();
            self.cur = Some(Current {
                text: String::new(),
                x: origin.0,
                y: origin.1,
                dir,
                v: v(origin, dir),
                u_end: u(origin, dir),
                space: None,
                size,
                artifact: self.artifact,
            });
        }
        let Some(c) = self.cur.as_mut() else { return };
        let here = u(origin, c.dir);
        let gap = here - c.u_end;
        let threshold = if widths_known { 0.15 } else { 0.3 } * size;
        // With real widths a space overdrawn by the next glyph is no break; with estimated
        // widths the space glyph is the better witness.
        let spaced = match c.space.take() {
            Some((a, b)) if widths_known => {
                here >= a + 0.5 * (b - a).max(0.0) && b - a > 0.02 * size
            }
            Some((a, _)) => here >= a - 0.2 * size,
            None => false,
        };
        if !c.text.is_empty() && (spaced || gap > threshold || gap < -1.5 * size.max(c.size)) {
            c.text.push(' ');
        }
        push_normalized(&mut c.text, text);
        self.chars += text
            .chars()
            .filter(|ch| !crate::count::is_space(*ch))
            .count();
        c.u_end = u(end, c.dir);
        c.size = c.size.max(size);
    }

    /// Whether the same text was already drawn within 0.15 em of `origin`.
    fn duplicate(&mut self, text: &str, origin: (f32, f32), size: f32) -> bool {
        let Some(first) = text.chars().next() else {
            return false;
        };
        let cell = |x: f32| (x / 2.0).floor() as i32;
        let (cx, cy) = (cell(origin.0), cell(origin.1));
        let tol = 0.15 * size;
        for dx in -1..=1 {
            for dy in -1..=1 {
                if let Some(list) = self.seen.get(&(first, cx + dx, cy + dy))
                    && list
                        .iter()
                        .any(|p| (p.0 - origin.0).abs() < tol && (p.1 - origin.1).abs() < tol)
                {
                    return true;
                }
            }
        }
        self.seen.entry((first, cx, cy)).or_default().push(origin);
        false
    }

    pub(super) fn flush(&mut self) {
        if let Some(c) = self.cur.take() {
            let text = c.text.trim_end().to_string();
            if !text.is_empty() {
                self.lines.push(Line {
                    text,
                    x: c.x,
                    y: c.y,
                    artifact: c.artifact,
                    size: c.size,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (text, x, y, advance) at size 10.
    type G = (&'static str, f32, f32, f32);

    fn lay(glyphs: &[G]) -> Vec<String> {
        // (text, x, y, advance) at size 10.
        let mut b = Builder::new(None);
        for (t, x, y, w) in glyphs {
            b.add(t, (*x, *y), (x + w, *y), 10.0, (1.0, 0.0), true);
        }
        b.flush();
        b.lines.into_iter().map(|l| l.text).collect()
    }

    #[test]
    fn layout() {
        let cases: &[(&[G], &[&str])] = &[
            // Adjacent glyphs join; a 3-pt gap at 10 pt is a space.
            (
                &[
                    ("a", 0.0, 100.0, 5.0),
                    ("b", 5.0, 100.0, 5.0),
                    ("c", 13.0, 100.0, 5.0),
                ],
                &["ab c"],
            ),
            // Kerning-sized gap is not a space.
            (&[("a", 0.0, 100.0, 5.0), ("b", 6.0, 100.0, 5.0)], &["ab"]),
            // Moving down a line.
            (
                &[("中", 0.0, 100.0, 10.0), ("文", 0.0, 85.0, 10.0)],
                &["中", "文"],
            ),
            // A superscript stays on the line.
            (&[("x", 0.0, 100.0, 5.0), ("2", 5.0, 103.0, 3.0)], &["x2"]),
            // Fake bold: the same glyph drawn twice 0.3 pt apart.
            (
                &[("粗", 0.0, 100.0, 10.0), ("粗", 0.3, 100.0, 10.0)],
                &["粗"],
            ),
            // Explicit spaces are kept once.
            (
                &[
                    ("a", 0.0, 100.0, 5.0),
                    (" ", 5.0, 100.0, 3.0),
                    (" ", 8.0, 100.0, 3.0),
                    ("b", 11.0, 100.0, 5.0),
                ],
                &["a b"],
            ),
            // Jumping back on the same baseline separates words.
            (
                &[("end", 100.0, 100.0, 15.0), ("start", 0.0, 100.0, 25.0)],
                &["end start"],
            ),
        ];
        for (glyphs, want) in cases {
            assert_eq!(lay(glyphs), *want, "{glyphs:?}");
        }
    }

    #[test]
    fn radicals_are_unified() {
        let mut s = String::new();
        push_normalized(&mut s, "⾃治区⼀\u{F900}a");
        assert_eq!(s, "自治区一\u{8C48}a");
    }
}
