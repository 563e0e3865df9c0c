//! One recording handed in twice: equal durations and agreeing data sketches.
//!
//! Recordings are grouped by whole seconds of duration and compared only with the groups
//! within `recordings.max_duration_diff_s`, so the work follows the number of recordings of
//! a length, not the square of all. Two sketches (the 32 smallest hashes of 32-byte windows
//! of sampled data, see `extract::prints`) are compared the bottom-k way: of the 32 smallest
//! hashes of both together, the share held by both estimates how much sampled data they share.

use std::collections::BTreeMap;

use super::config::CrossConfig;
use super::{Item, ProjectPrints, Side, What};

/// The estimated share of sampled data two sketches have in common (0 … 1).
pub(crate) fn similarity(a: &[u64], b: &[u64]) -> f64 {
    let k = a.len().min(b.len());
    if k == 0 {
        return 0.0;
    }
    let mut union: Vec<u64> = a.iter().chain(b).copied().collect();
    union.sort_unstable();
    union.dedup();
    union.truncate(k);
    let both = union
        .iter()
        .filter(|h| a.binary_search(h).is_ok() && b.binary_search(h).is_ok())
        .count();
    both as f64 / k as f64
}

/// The recording-reuse findings among `all` (projects below `n` are this year's).
pub(crate) fn find(all: &[ProjectPrints], n: usize, cfg: &CrossConfig) -> Vec<Item> {
    struct Rec<'a> {
        project: usize,
        path: &'a str,
        seconds: f64,
        sketch: Vec<u64>,
    }
    let mut recs: Vec<Rec> = Vec::new();
    for (p, pr) in all.iter().enumerate() {
        for r in &pr.recordings {
            let mut sketch: Vec<u64> = r
                .sketch
                .iter()
                .filter_map(|h| u64::from_str_radix(h, 16).ok())
                .collect();
            sketch.sort_unstable();
            if !sketch.is_empty() && r.seconds.is_finite() {
                recs.push(Rec {
                    project: p,
                    path: &r.path,
                    seconds: r.seconds,
                    sketch,
                });
            }
        }
    }
    let mut by_second: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for (i, r) in recs.iter().enumerate() {
        by_second
            .entry(r.seconds.floor() as i64)
            .or_default()
            .push(i);
    }
    let slack = cfg.recordings.max_duration_diff_s;
    let reach = slack.ceil() as i64 + 1;
    let mut out = Vec::new();
    for (i, a) in recs.iter().enumerate() {
        let s = a.seconds.floor() as i64;
        for (_, group) in by_second.range(s - reach..=s + reach) {
            for &j in group {
                let b = &recs[j];
                if j <= i || (a.project >= n && b.project >= n) {
                    continue;
                }
                if (a.seconds - b.seconds).abs() > slack {
                    continue;
                }
                let sim = similarity(&a.sketch, &b.sketch);
                if sim < cfg.recordings.min_similarity {
                    continue;
                }
                let (x, y) = if a.project < n { (a, b) } else { (b, a) };
                out.push(Item {
                    what: What::RecordingReuse {
                        seconds: x.seconds,
                        similarity: sim,
                    },
                    a: Side {
                        project: x.project,
                        path: x.path.to_string(),
                    },
                    b: Some(Side {
                        project: y.project,
                        path: y.path.to_string(),
                    }),
                    quotes: Vec::new(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bottom_k_similarity() {
        let a: Vec<u64> = (0..32).map(|i| i * 10).collect();
        assert_eq!(similarity(&a, &a), 1.0);
        let b: Vec<u64> = (0..32).map(|i| i * 10 + 5).collect();
        assert_eq!(similarity(&a, &b), 0.0);
        // Half of a's values replaced by smaller foreign ones.
        let mut c: Vec<u64> = a[..16].to_vec();
        c.extend((0..16).map(|i| i * 10 + 1));
        c.sort_unstable();
        let s = similarity(&a, &c);
        assert!((0.2..0.8).contains(&s), "{s}");
        assert_eq!(similarity(&[], &a), 0.0);
    }
}
