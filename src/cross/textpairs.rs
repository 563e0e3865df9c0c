//! Which documents of different submissions share text, and how much.
//!
//! 1. Every sampled fingerprint of every document goes into one list of (fingerprint,
//!    document), sorted: an inverted index without a hash map of lists.
//! 2. A fingerprint held by at least [`CrossConfig::common_threshold`] submissions is
//!    boilerplate (a template's sentence, the guide quoted, the programme's name) and
//!    dropped; every other fingerprint held by two or more submissions counts once for each
//!    pair of their documents. The pairs looked at are those that share fingerprints, never
//!    every pair: the work grows with the fingerprints and the pairs that share them, and a
//!    fingerprint's pairs are bounded by the boilerplate threshold.
//! 3. A pair sharing at least `min_common_prints` fingerprints is measured exactly: both
//!    texts are read back from the spill, every shingle of one is looked up in the other, and
//!    the shared runs of characters are the passages. A passage shorter than
//!    `min_passage_chars` (an institution's name) or whose fingerprints are mostly boilerplate
//!    does not count. Against an earlier year only that year's fingerprints exist: the
//!    passages are the runs of this year's text whose sampled shingles it holds.

use std::collections::{HashMap, HashSet};

use super::config::CrossConfig;
use super::text::{self, Normalised, Passage, SAMPLE, SHINGLE};
use super::{Item, ProjectPrints, Side, What};

/// Longest quote of a passage, in characters.
const QUOTE: usize = 120;

/// The text-reuse findings and the number of candidate pairs measured. `n`: projects below
/// this index are this year's (texts in the spill, read by `texts_of`).
pub(crate) fn find(
    all: &[ProjectPrints],
    n: usize,
    cfg: &CrossConfig,
    boilerplate: &HashSet<u64>,
    texts_of: &dyn Fn(usize) -> Option<Vec<String>>,
) -> (Vec<Item>, usize) {
    let docs: Vec<(u32, u32)> = all
        .iter()
        .enumerate()
        .flat_map(|(p, pr)| (0..pr.docs.len()).map(move |d| (p as u32, d as u32)))
        .collect();
    let with_docs = all.iter().filter(|p| !p.docs.is_empty()).count();
    let threshold = cfg.common_threshold(with_docs);

    let mut entries: Vec<(u32, u32)> = Vec::new();
    for (id, (p, d)) in docs.iter().enumerate() {
        for fp in &all[*p as usize].docs[*d as usize].prints {
            entries.push((*fp, id as u32));
        }
    }
    entries.sort_unstable();

    let mut common: HashSet<u32> = HashSet::new();
    let mut pairs: HashMap<(u32, u32), u32> = HashMap::new();
    let mut group: Vec<u32> = Vec::new();
    let mut projects: Vec<u32> = Vec::new();
    let mut i = 0;
    while i < entries.len() {
        let fp = entries[i].0;
        group.clear();
        while i < entries.len() && entries[i].0 == fp {
            group.push(entries[i].1);
            i += 1;
        }
        projects.clear();
        projects.extend(group.iter().map(|d| docs[*d as usize].0));
        projects.sort_unstable();
        projects.dedup();
        if projects.len() < 2 {
            continue;
        }
        if projects.len() >= threshold {
            common.insert(fp);
            continue;
        }
        for (x, &da) in group.iter().enumerate() {
            for &db in &group[x + 1..] {
                let (pa, pb) = (docs[da as usize].0, docs[db as usize].0);
                if pa == pb || (pa as usize >= n && pb as usize >= n) {
                    continue;
                }
                *pairs.entry((da.min(db), da.max(db))).or_default() += 1;
            }
        }
    }
    drop(entries);

    let mut candidates: Vec<(u32, u32)> = pairs
        .into_iter()
        .filter(|(_, c)| *c as usize >= cfg.text.min_common_prints)
        .map(|(k, _)| k)
        .collect();
    candidates.sort_unstable();
    let measured = candidates.len();

    let mut cache = Texts::new(texts_of);
    let mut out = Vec::new();
    for (da, db) in candidates {
        let (pa, a) = docs[da as usize];
        let (pb, b) = docs[db as usize];
        let (pa, pb) = (pa as usize, pb as usize);
        let ctx = Ctx {
            boilerplate,
            common: &common,
            min_passage: cfg.text.min_passage_chars,
        };
        let found = if pa < n && pb < n {
            let (Some(ta), Some(tb)) = (cache.get(pa, a as usize), cache.get(pb, b as usize))
            else {
                continue;
            };
            exact(&ta, &tb, &ctx)
        } else {
            // One side is an earlier year's: only its fingerprints are known.
            let (cur, cd, old, od) = if pa < n {
                (pa, a, pb, b)
            } else {
                (pb, b, pa, a)
            };
            let Some(t) = cache.get(cur, cd as usize) else {
                continue;
            };
            let old_doc = &all[old].docs[od as usize];
            let m = against_prints(&t, &old_doc.prints, old_doc.chars, &ctx);
            let (pa2, a2, pb2, b2) = (cur, cd, old, od);
            report(
                &mut out,
                all,
                m,
                cfg,
                (pa2, a2 as usize),
                (pb2, b2 as usize),
            );
            continue;
        };
        report(
            &mut out,
            all,
            found,
            cfg,
            (pa, a as usize),
            (pb, b as usize),
        );
    }
    (out, measured)
}

struct Ctx<'a> {
    boilerplate: &'a HashSet<u64>,
    common: &'a HashSet<u32>,
    min_passage: usize,
}

/// What one pair shares, measured from side a and from side b.
struct Measured {
    shared: usize,
    share: f64,
    other_shared: usize,
    other_share: f64,
    quotes: Vec<String>,
}

fn report(
    out: &mut Vec<Item>,
    all: &[ProjectPrints],
    m: Measured,
    cfg: &CrossConfig,
    a: (usize, usize),
    b: (usize, usize),
) {
    if m.shared.max(m.other_shared) < cfg.text.min_shared_chars {
        return;
    }
    out.push(Item {
        what: What::TextReuse {
            shared: m.shared,
            share: m.share,
            other_shared: m.other_shared,
            other_share: m.other_share,
        },
        a: Side {
            project: a.0,
            path: all[a.0].docs[a.1].path.clone(),
        },
        b: Some(Side {
            project: b.0,
            path: all[b.0].docs[b.1].path.clone(),
        }),
        quotes: m.quotes,
    });
}

/// A document's text with its normalised form and shingles, computed once.
struct Doc {
    original: String,
    norm: Normalised,
    shingles: Vec<u64>,
}

impl Doc {
    fn new(original: String) -> Doc {
        let norm = text::normalise(&original);
        let shingles = text::shingles(&norm.chars);
        Doc {
            original,
            norm,
            shingles,
        }
    }
}

/// Texts read back from the spill, a few projects at a time.
struct Texts<'a> {
    read: &'a dyn Fn(usize) -> Option<Vec<String>>,
    held: HashMap<usize, Vec<String>>,
}

impl<'a> Texts<'a> {
    fn new(read: &'a dyn Fn(usize) -> Option<Vec<String>>) -> Self {
        Texts {
            read,
            held: HashMap::new(),
        }
    }

    fn get(&mut self, project: usize, doc: usize) -> Option<Doc> {
        if !self.held.contains_key(&project) {
            // Memory stays bounded: candidates come sorted by document, so a project's texts
            // are needed in runs.
            if self.held.len() >= 32 {
                self.held.clear();
            }
            self.held.insert(project, (self.read)(project)?);
        }
        self.held
            .get(&project)
            .and_then(|t| t.get(doc))
            .map(|t| Doc::new(t.clone()))
    }
}

/// The passages of `a` that count: long enough, not mostly boilerplate fingerprints.
fn keep(passages: Vec<Passage>, a: &Doc, ctx: &Ctx) -> Vec<Passage> {
    passages
        .into_iter()
        .filter(|p| p.len() >= ctx.min_passage)
        .filter(|p| {
            let last = p.end.saturating_sub(SHINGLE).max(p.start);
            let sampled: Vec<u64> = a.shingles
                [p.start..=last.min(a.shingles.len().saturating_sub(1))]
                .iter()
                .copied()
                .filter(|h| text::sampled(*h))
                .collect();
            let common = sampled
                .iter()
                .filter(|h| ctx.common.contains(&text::print(**h)))
                .count();
            common * 2 <= sampled.len()
        })
        .collect()
}

fn quotes(a: &Doc, passages: &[Passage]) -> Vec<String> {
    text::longest_two(passages)
        .into_iter()
        .map(|p| text::quote(&a.original, &a.norm, p, QUOTE))
        .filter(|q| !q.is_empty())
        .collect()
}

fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (part as f64 / whole as f64).min(1.0)
    }
}

/// Both texts known: every shingle of each looked up in the other.
fn exact(a: &Doc, b: &Doc, ctx: &Ctx) -> Measured {
    let set_b: HashSet<u64> = b.shingles.iter().copied().collect();
    let set_a: HashSet<u64> = a.shingles.iter().copied().collect();
    let in_a = keep(
        text::covered(
            &a.norm,
            &a.shingles,
            &|h| set_b.contains(&h),
            ctx.boilerplate,
            0,
        ),
        a,
        ctx,
    );
    let in_b = keep(
        text::covered(
            &b.norm,
            &b.shingles,
            &|h| set_a.contains(&h),
            ctx.boilerplate,
            0,
        ),
        b,
        ctx,
    );
    let (sa, sb) = (text::total(&in_a), text::total(&in_b));
    Measured {
        shared: sa,
        share: share(sa, a.norm.len()),
        other_shared: sb,
        other_share: share(sb, b.norm.len()),
        quotes: quotes(a, &in_a),
    }
}

/// This year's text against an earlier year's fingerprints: the runs of `a` whose sampled
/// shingles the earlier document holds (hits are about `SAMPLE` characters apart, so runs
/// closer than a few samples are joined).
fn against_prints(a: &Doc, prints: &[u32], chars: usize, ctx: &Ctx) -> Measured {
    let set: HashSet<u32> = prints.iter().copied().collect();
    let has = |h: u64| text::sampled(h) && set.contains(&text::print(h));
    let in_a = keep(
        text::covered(
            &a.norm,
            &a.shingles,
            &has,
            ctx.boilerplate,
            3 * SAMPLE as usize,
        ),
        a,
        ctx,
    );
    let sa = text::total(&in_a);
    let mine: HashSet<u32> = a
        .shingles
        .iter()
        .filter(|h| text::sampled(**h) && !ctx.boilerplate.contains(h))
        .map(|h| text::print(*h))
        .filter(|p| !ctx.common.contains(p))
        .collect();
    let both = set.iter().filter(|p| mine.contains(p)).count();
    let other_share = share(both, prints.len());
    Measured {
        shared: sa,
        share: share(sa, a.norm.len()),
        other_shared: (other_share * chars as f64).round() as usize,
        other_share,
        quotes: quotes(a, &in_a),
    }
}
