//! Running headers and footers of a PDF, found by repetition.
//!
//! A PDF has no header/footer structure (tagged PDFs mark them as artifacts, but Word's
//! "Save as PDF", WPS and most printers do not), yet Word's 字数 leaves headers and footers out
//! and a label often sits in the running header. So: a line among the first or last two lines
//! of a page (by position) whose text, with digits replaced by `#` and spaces removed, repeats
//! on at least half of the pages (and at least two) is a running header/footer; so is any such
//! line that is only a page number ("第 3 页", "- 3 -", "3/10", "Page 3 of 10"). Where the
//! producer tagged a line as a pagination artifact (Word and Acrobat write
//! `/Artifact <</Type /Pagination /Subtype /Header>> BDC`), that is taken at its word, on any
//! page and at any position.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::layout::Line;

/// How many lines at the top and at the bottom of a page are candidates.
const EDGE_LINES: usize = 2;

/// How far (pt) the same running line may move between pages.
const Y_TOLERANCE: f32 = 3.0;

/// For each page, for each line: whether it is a running header/footer.
pub(super) fn mark(pages: &[Vec<Line>]) -> Vec<Vec<bool>> {
    let candidates: Vec<Vec<usize>> = pages.iter().map(|p| edge_lines(p)).collect();
    // Key → (page, y) of every candidate line with that key.
    let mut seen: HashMap<String, Vec<(usize, f32)>> = HashMap::new();
    for (p, (page, cands)) in pages.iter().zip(&candidates).enumerate() {
        for &i in cands {
            let k = key(&page[i].text);
            if !k.is_empty() {
                seen.entry(k).or_default().push((p, page[i].y));
            }
        }
    }
    let n = pages.len();
    pages
        .iter()
        .zip(&candidates)
        .map(|(page, cands)| {
            let mut marks = vec![false; page.len()];
            for &i in cands {
                let k = key(&page[i].text);
                let y = page[i].y;
                // Pages that show the same text at (about) the same height.
                let mut on: Vec<usize> = seen
                    .get(&k)
                    .map(|v| {
                        v.iter()
                            .filter(|(_, y2)| (y - y2).abs() <= Y_TOLERANCE)
                            .map(|(p, _)| *p)
                            .collect()
                    })
                    .unwrap_or_default();
                on.dedup();
                let repeated = on.len() >= 2 && on.len() * 2 >= n;
                if repeated || is_page_number(&k) {
                    marks[i] = true;
                }
            }
            for (m, line) in marks.iter_mut().zip(page) {
                *m |= line.artifact;
            }
            marks
        })
        .collect()
}

/// Indices of the top and bottom `EDGE_LINES` lines by baseline (y up).
fn edge_lines(lines: &[Line]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.sort_by(|&a, &b| lines[b].y.total_cmp(&lines[a].y));
    let mut out: Vec<usize> = order.iter().take(EDGE_LINES).copied().collect();
    out.extend(order.iter().rev().take(EDGE_LINES).copied());
    out.sort_unstable();
    out.dedup();
    out
}

/// Comparison key: whitespace removed, digits (ASCII and full-width) as `#`.
pub(super) fn key(text: &str) -> String {
    text.chars()
        .filter(|c| !crate::count::is_space(*c))
        .map(|c| {
            if c.is_ascii_digit() || ('０'..='９').contains(&c) {
                '#'
            } else {
                c
            }
        })
        .collect()
}

static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)^(?:
            [-—–~·•_]*(?:\#+|[ivxlc]{1,6})[-—–~·•_]*
          | 第\#+页(?:[,，/／]?共\#+页)?
          | 共\#+页[,，/／]?第\#+页
          | \#+[/／]\#+
          | page\#+(?:of\#+)?
          | \#+of\#+
        )$",
    )
    .expect("static regex")
});

/// Whether a key (see [`key`]) is only a page number.
pub(super) fn is_page_number(key: &str) -> bool {
    !key.is_empty() && PAGE_NUMBER.is_match(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, y: f32) -> Line {
        Line {
            text: text.to_string(),
            x: 0.0,
            y,
            artifact: false,
            size: 10.0,
        }
    }

    #[test]
    fn page_numbers() {
        let cases = [
            ("第 3 页", true),
            ("第3页 共10页", true),
            ("- 3 -", true),
            ("— 12 —", true),
            ("3/10", true),
            ("7", true),
            ("Page 3 of 10", true),
            ("iv", true),
            ("3 项成果", false),
            ("2025年度", false),
            ("", false),
        ];
        for (text, want) in cases {
            assert_eq!(is_page_number(&key(text)), want, "{text}");
        }
    }

    #[test]
    fn running_lines() {
        let label = "自治区科协2025年度学会重点资助项目";
        let page = |n: usize, body: &str| {
            vec![
                line(label, 800.0),
                line(body, 700.0),
                line(&format!("{body}第二行"), 680.0),
                line(&format!("{body}第三行"), 660.0),
                line(&format!("第 {n} 页"), 40.0),
            ]
        };
        let pages = vec![page(1, "甲"), page(2, "乙"), page(3, "丙")];
        let marks = mark(&pages);
        for m in &marks {
            assert_eq!(m, &vec![true, false, false, false, true]);
        }
        // A header on one page of three is not running; the page number still is.
        let mut pages = pages;
        pages[1][0].text = "另一个标题".to_string();
        pages[2][0].text = "第三个标题".to_string();
        let marks = mark(&pages);
        assert_eq!(marks[0], vec![false, false, false, false, true]);
        // The same text at different heights is body text that happens to repeat.
        let mut moved = vec![page(1, "甲"), page(2, "乙")];
        moved[1][0].y = 500.0;
        moved[1].swap(0, 1);
        let marks = mark(&moved);
        assert!(!marks[0][0]);
        // A single page: only page numbers.
        let marks = mark(&pages[..1]);
        assert_eq!(marks[0], vec![false, false, false, false, true]);
    }
}
