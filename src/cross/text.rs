//! Near-duplicate text between documents: normalised characters, shingles, sampled
//! fingerprints, and the shared passages of one pair.
//!
//! Why sampled fingerprints and not MinHash signatures: MinHash estimates the Jaccard
//! similarity of *whole* documents, and LSH banding finds pairs above a Jaccard threshold. The
//! reuse this pass looks for is partial — three paragraphs of another society's 总结报告 in a
//! report of one's own are 20 % of it and a Jaccard of about 0.1, which banding tuned to catch
//! it would flood with candidates. What a reviewer needs is *containment* (the share of this
//! document found in that one), and that is what a fixed sample of shingle hashes estimates
//! directly: every shingle whose 64-bit hash is divisible by [`SAMPLE`] is kept (the same
//! shingles in every document, so two copies of a passage keep the same fingerprints — the
//! 0 mod p selection of Broder's and MOSS's document fingerprinting). An inverted index over
//! those fingerprints ([`super::textpairs`]) compares only documents that share some, never every
//! pair, and boilerplate falls out as fingerprints held by too many submissions.
//!
//! Normalisation: NFKC, then only letters and digits are kept (whitespace, punctuation and
//! symbols stripped; ASCII letters lower-cased), so a passage re-typed with other punctuation
//! or line breaks is still the same passage. Each kept character remembers the byte offset of
//! the character it came from, so a shared passage is quoted from the original text.
//!
//! The shingle hash is written here (a 64-bit FNV-1a over the code points, then a
//! SplitMix64 finaliser) rather than taken from std: the fingerprints are stored next to
//! `summary.json` and compared with next year's (`--compare-with`), so the function must not
//! change with the compiler. [`SCHEME`] names it; a stored file with another scheme is refused.

use std::collections::HashSet;

use unicode_normalization::UnicodeNormalization;

/// Characters per shingle. Eight Han characters are a short clause: long enough that two
/// independent texts rarely share one by chance, short enough that a copied sentence with one
/// word changed still shares most of its shingles.
pub(crate) const SHINGLE: usize = 8;

/// One shingle in `SAMPLE` is kept as a fingerprint (by its hash, so the same ones everywhere).
pub(crate) const SAMPLE: u64 = 8;

/// The fingerprint scheme, stored with the fingerprints: shingle size, sampling and hash.
pub(crate) const SCHEME: &str = "nfkc-alnum/8/fnv1a64-splitmix/mod8/u32hi";

/// A document's text, normalised, with where each character came from.
#[derive(Debug, Clone, Default)]
pub(crate) struct Normalised {
    pub chars: Vec<char>,
    /// Byte offset in the original text of the character each normalised one came from.
    pub origin: Vec<usize>,
}

impl Normalised {
    pub(crate) fn len(&self) -> usize {
        self.chars.len()
    }
}

/// NFKC, letters and digits only, ASCII lower case (see the module header).
pub(crate) fn normalise(text: &str) -> Normalised {
    let mut out = Normalised::default();
    for (at, ch) in text.char_indices() {
        for c in std::iter::once(ch).nfkc() {
            if c.is_alphanumeric() {
                out.chars.push(c.to_ascii_lowercase());
                out.origin.push(at);
            }
        }
    }
    out
}

/// The hash of the shingle starting at each position (`len - SHINGLE + 1` of them).
pub(crate) fn shingles(chars: &[char]) -> Vec<u64> {
    if chars.len() < SHINGLE {
        return Vec::new();
    }
    chars.windows(SHINGLE).map(hash_window).collect()
}

fn hash_window(w: &[char]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for c in w {
        for b in (*c as u32).to_le_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    // SplitMix64's finaliser: FNV's low bits are weak, and sampling looks at them.
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// Whether a shingle hash is one of the sampled fingerprints.
pub(crate) fn sampled(h: u64) -> bool {
    h.is_multiple_of(SAMPLE)
}

/// The stored form of a sampled fingerprint: the hash's high 32 bits (the low bits are the
/// sampling residue, the same for all).
pub(crate) fn print(h: u64) -> u32 {
    (h >> 32) as u32
}

/// The sampled fingerprints of a document, sorted and without repeats, leaving out the
/// shingles of `skip` (the guide's wording, the labels …).
pub(crate) fn fingerprints(text: &str, skip: &HashSet<u64>) -> (usize, Vec<u32>) {
    let n = normalise(text);
    let mut out: Vec<u32> = shingles(&n.chars)
        .into_iter()
        .filter(|h| sampled(*h) && !skip.contains(h))
        .map(print)
        .collect();
    out.sort_unstable();
    out.dedup();
    (n.len(), out)
}

/// Every shingle hash of `text` (for the boilerplate set built from the guide and rule files).
pub(crate) fn all_shingles(text: &str) -> impl Iterator<Item = u64> {
    shingles(&normalise(text).chars).into_iter()
}

/// A passage of a document shared with another: a range of normalised characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Passage {
    pub start: usize,
    pub end: usize,
}

impl Passage {
    pub(crate) fn len(&self) -> usize {
        self.end - self.start
    }
}

/// Runs of characters of `a` covered by shingles that `b_has` holds (maximal, in order).
/// Shingles in `skip` do not count. Runs closer than `gap` characters are joined: with a
/// sampled `b_has` (an earlier year's fingerprints), hits are about `SAMPLE` apart.
pub(crate) fn covered(
    a: &Normalised,
    a_shingles: &[u64],
    b_has: &dyn Fn(u64) -> bool,
    skip: &HashSet<u64>,
    gap: usize,
) -> Vec<Passage> {
    let mut out: Vec<Passage> = Vec::new();
    for (i, h) in a_shingles.iter().enumerate() {
        if skip.contains(h) || !b_has(*h) {
            continue;
        }
        let (s, e) = (i, (i + SHINGLE).min(a.len()));
        match out.last_mut() {
            Some(last) if s <= last.end + gap => last.end = last.end.max(e),
            _ => out.push(Passage { start: s, end: e }),
        }
    }
    out
}

/// Total characters of `passages`.
pub(crate) fn total(passages: &[Passage]) -> usize {
    passages.iter().map(Passage::len).sum()
}

/// The text of `p` quoted from the original, at most `max` characters (with `…` where cut).
pub(crate) fn quote(original: &str, n: &Normalised, p: Passage, max: usize) -> String {
    let Some(&from) = n.origin.get(p.start) else {
        return String::new();
    };
    let to = n
        .origin
        .get(p.end.saturating_sub(1))
        .map(|&o| o + original[o..].chars().next().map_or(0, char::len_utf8))
        .unwrap_or(original.len());
    let text: String = original[from..to.max(from)]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= max {
        return text;
    }
    let head: String = chars[..max].iter().collect();
    format!("{head}…")
}

/// The two longest passages, longest first.
pub(crate) fn longest_two(passages: &[Passage]) -> Vec<Passage> {
    let mut v = passages.to_vec();
    v.sort_by(|x, y| y.len().cmp(&x.len()).then(x.start.cmp(&y.start)));
    v.truncate(2);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hash of eight `a`s, as an independent Python FNV-1a + SplitMix64 computes it: a
    /// change of the stored function fails here.
    const HASH_OF_8_A: u64 = 2_064_358_901_804_528_922;

    #[test]
    fn normalisation_keeps_letters_and_digits_with_origins() {
        let table: &[(&str, &str)] = &[
            ("本项目，围绕 生态\n保护！", "本项目围绕生态保护"),
            ("ＡＢＣ２０２５年", "abc2025年"),
            ("AI、GIS和5G", "aigis和5g"),
            ("“自治区科协”", "自治区科协"),
            ("", ""),
        ];
        for (input, want) in table {
            let n = normalise(input);
            assert_eq!(n.chars.iter().collect::<String>(), *want, "{input}");
            assert_eq!(n.chars.len(), n.origin.len());
        }
        let n = normalise("甲，乙");
        assert_eq!(n.origin, [0, "甲，".len()]);
    }

    #[test]
    fn shingles_are_stable_across_punctuation_and_runs() {
        let a = all_shingles("本项目围绕荒漠生态保护开展了系列学术交流活动").collect::<Vec<_>>();
        let b =
            all_shingles("本项目围绕荒漠生态保护，开展了系列\n学术交流活动。").collect::<Vec<_>>();
        assert_eq!(a, b);
        assert_eq!(a.len(), 22 - SHINGLE + 1);
        // The hash is part of the stored format: a change of function shows here.
        assert_eq!(
            all_shingles("自治区科协学会重点").next(),
            Some(hash_window(&"自治区科协学会重".chars().collect::<Vec<_>>()))
        );
        assert_eq!(hash_window(&['a'; 8]), HASH_OF_8_A);
    }

    #[test]
    fn sampling_keeps_about_one_in_eight() {
        let text: String = (0..4000)
            .map(|i| char::from_u32(0x4e00 + (i * 7919 % 20000) as u32).unwrap())
            .collect();
        let (len, prints) = fingerprints(&text, &HashSet::new());
        assert_eq!(len, 4000);
        let expected = (4000 - SHINGLE + 1) as f64 / SAMPLE as f64;
        let got = prints.len() as f64;
        assert!(
            (got - expected).abs() < expected * 0.15,
            "{got} vs {expected}"
        );
    }

    #[test]
    fn covered_passages_and_quotes() {
        let shared = "荒漠化防治需要统筹山水林田湖草沙系统治理";
        let a_text = format!("第一段完全不同的内容在这里。{shared}。结尾另有说明文字若干。");
        let b_text = format!("另一个学会的报告开头。{shared}！其他内容。");
        let a = normalise(&a_text);
        let b = normalise(&b_text);
        let (sa, sb) = (shingles(&a.chars), shingles(&b.chars));
        let set: HashSet<u64> = sb.iter().copied().collect();
        let got = covered(&a, &sa, &|h| set.contains(&h), &HashSet::new(), 0);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].len(), normalise(shared).len());
        assert_eq!(quote(&a_text, &a, got[0], 80), shared);
        assert_eq!(quote(&a_text, &a, got[0], 5), "荒漠化防治…");
        // Skipped shingles (boilerplate) are not shared.
        let skip: HashSet<u64> = all_shingles(shared).collect();
        assert!(covered(&a, &sa, &|h| set.contains(&h), &skip, 0).is_empty());
    }
}
