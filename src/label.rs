//! Label search: is "自治区科协2025年度学会重点资助项目" in the resource, and where.
//!
//! Text is normalised first (NFKC, every whitespace and line break removed) because PDF
//! extraction breaks lines, Word splits text into runs and societies type full-width digits.
//! An exact hit is looked for in every part a reader sees (body, header/footer, slide, master …)
//! and in the metadata; a part without one is searched for a *near miss* — the substring of the
//! text closest to the label within a small edit distance (Sellers' approximate substring match),
//! so "自治区科协2025年学会重点资助项目" (missing 度) is reported precisely as a fail instead of
//! as "not found". Hand-written because it is twenty lines of dynamic programming that needs the
//! matched span back, which the edit-distance crates do not return.

use unicode_normalization::UnicodeNormalization;

use crate::facts::{Facts, LabelHit, LabelMatch, PartKind};

/// NFKC, whitespace and zero-width characters removed.
pub fn normalize(text: &str) -> String {
    text.nfkc()
        .filter(|c| {
            !crate::count::is_space(*c) && !matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}')
        })
        .collect()
}

/// Looks for every label in every part of `facts` (and its metadata) and returns the hits:
/// at most one exact hit per (label, part); near misses only for parts with no exact hit.
pub fn find_labels(facts: &Facts, labels: &[String], max_distance: usize) -> Vec<LabelHit> {
    let mut hits = Vec::new();
    let mut sources: Vec<(PartKind, String)> = facts
        .parts
        .iter()
        .map(|p| (p.kind, normalize(&p.text)))
        .collect();
    if !facts.metadata.is_empty() {
        let joined: Vec<&str> = facts.metadata.iter().map(|m| m.value.as_str()).collect();
        // Joined with a separator that normalisation keeps, so a label cannot be made of two
        // separate fields.
        sources.push((PartKind::Metadata, normalize(&joined.join("\u{1F}"))));
    }
    for label in labels {
        let wanted = normalize(label);
        if wanted.is_empty() {
            continue;
        }
        for (kind, text) in &sources {
            if text.contains(&wanted) {
                hits.push(LabelHit {
                    text: label.clone(),
                    location: *kind,
                    matched: LabelMatch::Exact,
                    found: wanted.clone(),
                    distance: 0,
                });
            } else if max_distance > 0
                && let Some((found, distance)) = near_miss(text, &wanted, max_distance)
            {
                hits.push(LabelHit {
                    text: label.clone(),
                    location: *kind,
                    matched: LabelMatch::NearMiss,
                    found,
                    distance,
                });
            }
        }
    }
    hits
}

/// The substring of `text` closest to `pattern` if its edit distance is ≤ `max` (and > 0).
/// Sellers' algorithm: a Levenshtein table where a match may start anywhere in `text`.
pub fn near_miss(text: &str, pattern: &str, max: usize) -> Option<(String, usize)> {
    let t: Vec<char> = text.chars().collect();
    let p: Vec<char> = pattern.chars().collect();
    let m = p.len();
    if m == 0 || t.is_empty() {
        return None;
    }
    // prev[i] = (distance, start index in t) for pattern prefix of length i ending at column j.
    let mut prev: Vec<(usize, usize)> = (0..=m).map(|i| (i, 0)).collect();
    let mut cur = vec![(0usize, 0usize); m + 1];
    let mut best: Option<(usize, usize, usize)> = None; // (distance, start, end)
    for j in 1..=t.len() {
        cur[0] = (0, j);
        for i in 1..=m {
            let cost = usize::from(p[i - 1] != t[j - 1]);
            let diag = (prev[i - 1].0 + cost, prev[i - 1].1);
            let up = (cur[i - 1].0 + 1, cur[i - 1].1);
            let left = (prev[i].0 + 1, prev[i].1);
            cur[i] = [diag, up, left]
                .into_iter()
                .min_by_key(|x| x.0)
                .unwrap_or(diag);
        }
        let (d, start) = cur[m];
        if d <= max && best.is_none_or(|b| d < b.0) {
            best = Some((d, start, j));
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let (d, start, end) = best?;
    if d == 0 {
        return None;
    }
    Some((t[start..end].iter().collect(), d))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Facts;

    const LABEL: &str = "自治区科协2025年度学会重点资助项目";

    #[test]
    fn normalisation_joins_broken_lines_and_full_width_digits() {
        assert_eq!(
            normalize("自治区科协\n２０２５年度 学会"),
            "自治区科协2025年度学会"
        );
        assert_eq!(normalize("a\u{3000}b\u{200B}c"), "abc");
    }

    #[test]
    fn near_miss_table() {
        let table: &[(&str, Option<usize>)] = &[
            ("本项目为自治区科协2025年学会重点资助项目成果", Some(1)),
            ("自治区科协2024年度学会重点资助项目", Some(1)),
            ("自治区科协2025年度学会资助项目", Some(2)),
            ("自治区科协2025年度学会重点资助项目", None), // exact is not a near miss
            ("完全无关的文字内容，没有任何标识", None),
            ("", None),
        ];
        for (text, want) in table {
            let got = near_miss(&normalize(text), &normalize(LABEL), 2).map(|x| x.1);
            assert_eq!(got, *want, "{text}");
        }
    }

    #[test]
    fn near_miss_returns_the_span_found() {
        let (found, d) = near_miss("前文自治区科协2025年学会重点资助项目后文", LABEL, 2).unwrap();
        assert_eq!(d, 1);
        assert_eq!(found, "自治区科协2025年学会重点资助项目");
    }

    #[test]
    fn labels_found_per_part_and_in_metadata() {
        let mut f = Facts::default();
        f.push_text(PartKind::Body, "正文没有标识");
        f.push_text(
            PartKind::HeadersFooters,
            "自治区科协2025年度\n学会重点资助项目",
        );
        f.add_meta("subject", "自治区科协 2025 年度学会重点资助项目");
        let hits = find_labels(&f, &[LABEL.to_string()], 2);
        let exact: Vec<PartKind> = hits
            .iter()
            .filter(|h| h.matched == LabelMatch::Exact)
            .map(|h| h.location)
            .collect();
        assert_eq!(exact, vec![PartKind::HeadersFooters, PartKind::Metadata]);
        assert!(hits.iter().all(|h| h.location != PartKind::Body));
    }
}
