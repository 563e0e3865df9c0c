//! Keynote pairing: which 主旨报告幻灯片 belongs to which recording, from the file names.
//!
//! The guide asks for ≥5 keynote decks and a ≥45-minute recording of each keynote; a deck
//! without a recording is a keynote whose recording is missing, which a count of files cannot
//! see. Societies name both after the speaker or the talk ("主旨报告1-张三-人工智能与医疗.pptx",
//! "张三 人工智能与医疗 录像.mp4"), so the names are compared after stripping what every file
//! of the role shares: the path, the extension, numbering ("主旨报告1-", "01_", "（一）") and
//! role words (主旨报告, 幻灯片, 录像, 视频, PPT …: the rule file's `pair_strip`, so the words
//! are data). What remains is compared by character
//! bigrams (Dice coefficient — Chinese has no spaces to split words on) and by whole name
//! tokens; the best pairs are taken greedily above a threshold. When nothing but a number is
//! left on both sides ("主旨报告1.pptx" / "录像1.mp4"), equal numbers pair.
//!
//! Trade-off: names only, no content (a deck's title slide and a video's title tag could be
//! compared too, but most recordings carry no title). Pairing explains the dossier, it does not
//! decide it: the count of recordings against the count of decks does (issue #11 item 9).

use std::collections::BTreeSet;

/// Pairs scoring below this are not made.
pub(crate) const THRESHOLD: f64 = 0.34;

/// One file name reduced to what identifies the talk.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Key {
    /// Remaining text, lower-cased, without separators.
    pub text: String,
    /// Name tokens (split at separators), lower-cased, at least 2 characters.
    pub tokens: BTreeSet<String>,
    /// The first number in the name, if any ("主旨报告3" → 3).
    pub number: Option<u32>,
}

fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || c.is_ascii_punctuation()
        || "、，。；：（）【】《》「」“”‘’—–·•".contains(c)
}

/// Chinese numerals 一 … 十 as numbers (for "（一）", "第三").
fn cjk_digit(c: char) -> Option<u32> {
    "〇一二三四五六七八九十"
        .chars()
        .position(|d| d == c)
        .map(|i| i as u32)
}

/// Reduces a path to its key; `strip` are the words that say what kind of file it is, not
/// whose talk (the rule file's `pair_strip`: 主旨报告, 幻灯片, 录像 …).
pub(crate) fn key(path: &str, strip: &[String]) -> Key {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let stem = match name.rsplit_once('.') {
        Some((s, ext)) if !s.is_empty() && ext.len() <= 5 => s,
        _ => name,
    };
    let mut s: String = stem
        .chars()
        .map(|c| c.to_lowercase().next().unwrap_or(c))
        .collect();
    let mut words: Vec<String> = strip.iter().map(|w| w.to_lowercase()).collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    for w in words.iter().filter(|w| !w.is_empty()) {
        s = s.replace(w.as_str(), " ");
    }
    // The first number (Arabic, or a lone Chinese numeral between separators / 第…个).
    let mut number = None;
    let mut digits = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if !digits.is_empty() {
            break;
        }
    }
    if !digits.is_empty() {
        number = digits.parse().ok();
    }
    let chars: Vec<char> = s.chars().collect();
    if number.is_none() {
        for (i, &c) in chars.iter().enumerate() {
            let before = i == 0
                || chars
                    .get(i - 1)
                    .is_some_and(|&b| is_separator(b) || b == '第');
            let after = chars
                .get(i + 1)
                .is_none_or(|&a| is_separator(a) || a == '个');
            if before
                && after
                && let Some(d) = cjk_digit(c)
            {
                number = Some(d);
                break;
            }
        }
    }
    // Drop numbering: digits, and lone Chinese numerals with 第/个 around them.
    let mut kept = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let lone_numeral = cjk_digit(c).is_some()
            && (i == 0
                || chars
                    .get(i - 1)
                    .is_some_and(|&b| is_separator(b) || b == '第'))
            && chars
                .get(i + 1)
                .is_none_or(|&a| is_separator(a) || a == '个');
        let ordinal_mark = (c == '第' || c == '个')
            && chars
                .get(if c == '第' { i + 1 } else { i.wrapping_sub(1) })
                .is_some_and(|&n| n.is_ascii_digit() || cjk_digit(n).is_some());
        kept.push(if c.is_ascii_digit() || lone_numeral || ordinal_mark {
            ' '
        } else {
            c
        });
    }
    let tokens: BTreeSet<String> = kept
        .split(is_separator)
        .filter(|t| t.chars().count() >= 2)
        .map(str::to_string)
        .collect();
    let text: String = kept.chars().filter(|&c| !is_separator(c)).collect();
    Key {
        text,
        tokens,
        number,
    }
}

fn bigrams(s: &str) -> Vec<(char, char)> {
    let c: Vec<char> = s.chars().collect();
    c.windows(2).map(|w| (w[0], w[1])).collect()
}

/// Similarity of two keys in [0, 1].
pub(crate) fn similarity(a: &Key, b: &Key) -> f64 {
    if a.text.is_empty() || b.text.is_empty() {
        // Only numbers (or nothing) left: equal numbers pair.
        return match (a.number, b.number) {
            (Some(x), Some(y)) if x == y => 0.5,
            _ => 0.0,
        };
    }
    let (ba, bb) = (bigrams(&a.text), bigrams(&b.text));
    let dice = if ba.is_empty() || bb.is_empty() {
        if a.text == b.text { 1.0 } else { 0.0 }
    } else {
        let mut rest = bb.clone();
        let mut common = 0usize;
        for g in &ba {
            if let Some(i) = rest.iter().position(|x| x == g) {
                rest.swap_remove(i);
                common += 1;
            }
        }
        2.0 * common as f64 / (ba.len() + bb.len()) as f64
    };
    let shared = a.tokens.intersection(&b.tokens).count();
    let fewest = a.tokens.len().min(b.tokens.len());
    let token = if fewest == 0 {
        0.0
    } else {
        shared as f64 / fewest as f64
    };
    let containment = if a.text.contains(&b.text) || b.text.contains(&a.text) {
        0.8
    } else {
        0.0
    };
    let mut s = dice.max(0.9 * token).max(containment);
    // Different numbers on both sides weigh against a pair (主旨报告1-张三 / 主旨报告2-张三).
    if let (Some(x), Some(y)) = (a.number, b.number)
        && x != y
    {
        s *= 0.8;
    }
    s
}

/// The result of pairing decks with recordings (indices into the inputs).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Pairing {
    /// (deck, recording, score), best first.
    pub pairs: Vec<(usize, usize, f64)>,
    pub unpaired_decks: Vec<usize>,
    pub unpaired_recordings: Vec<usize>,
}

/// Greedy best-first pairing of deck names with recording names.
pub(crate) fn pair(decks: &[&str], recordings: &[&str], strip: &[String]) -> Pairing {
    let dk: Vec<Key> = decks.iter().map(|d| key(d, strip)).collect();
    let rk: Vec<Key> = recordings.iter().map(|r| key(r, strip)).collect();
    let mut scores: Vec<(f64, usize, usize)> = Vec::new();
    for (i, a) in dk.iter().enumerate() {
        for (j, b) in rk.iter().enumerate() {
            let s = similarity(a, b);
            if s >= THRESHOLD {
                scores.push((s, i, j));
            }
        }
    }
    scores.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let mut out = Pairing::default();
    let (mut deck_used, mut rec_used) = (vec![false; decks.len()], vec![false; recordings.len()]);
    for (s, i, j) in scores {
        if !deck_used[i] && !rec_used[j] {
            deck_used[i] = true;
            rec_used[j] = true;
            out.pairs.push((i, j, s));
        }
    }
    out.unpaired_decks = (0..decks.len()).filter(|&i| !deck_used[i]).collect();
    out.unpaired_recordings = (0..recordings.len()).filter(|&j| !rec_used[j]).collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The XXJL rule file's `pair_strip`.
    fn strip() -> Vec<String> {
        let sets = crate::rules::builtin::load_builtin().expect("rules");
        let xxjl = sets.iter().find(|s| s.id == "XXJL-2025").expect("XXJL");
        match &xxjl.requirement("keynote-recordings").expect("req").measure {
            crate::eval::Measure::Duration(d) => d.pair_strip.clone(),
            _ => panic!("keynote-recordings is a duration measure"),
        }
    }

    #[test]
    fn keys() {
        let table: &[(&str, &str, Option<u32>)] = &[
            (
                "主旨报告/主旨报告1-张三-人工智能与医疗.pptx",
                "张三人工智能与医疗",
                Some(1),
            ),
            (
                "录像/张三 人工智能与医疗 录像.mp4",
                "张三人工智能与医疗",
                None,
            ),
            ("主旨报告（三）李四.pdf", "李四", Some(3)),
            ("第2个主旨报告_王五.PPTX", "王五", Some(2)),
            ("01_Zhao Liu_final.pptx", "zhaoliu", Some(1)),
            ("主旨报告录像3.mp4", "", Some(3)),
        ];
        for (path, text, number) in table {
            let k = key(path, &strip());
            assert_eq!((k.text.as_str(), k.number), (*text, *number), "{path}");
        }
    }

    #[test]
    fn pairs_table() {
        // (decks, recordings, expected pairs as (deck, recording), unpaired decks, unpaired
        // recordings)
        type Case = (
            &'static [&'static str],
            &'static [&'static str],
            &'static [(usize, usize)],
            &'static [usize],
            &'static [usize],
        );
        let table: &[Case] = &[
            // Speaker and title on both sides, different order and decoration.
            (
                &[
                    "主旨报告1-张三-人工智能与医疗.pptx",
                    "主旨报告2-李四-碳中和路径.pptx",
                    "主旨报告3-王五-数字农业.pptx",
                ],
                &[
                    "录像/王五 数字农业.mp4",
                    "录像/张三-人工智能与医疗-现场录像.mp4",
                    "录像/李四_碳中和路径_直播回放.flv",
                ],
                &[(0, 1), (1, 2), (2, 0)],
                &[],
                &[],
            ),
            // Speaker names only on the recordings' side.
            (
                &["张三教授主旨报告.pptx", "李四研究员主旨报告.pptx"],
                &["张三.mp4", "李四.mp4"],
                &[(0, 0), (1, 1)],
                &[],
                &[],
            ),
            // Only numbers: equal numbers pair.
            (
                &["主旨报告1.pptx", "主旨报告2.pptx", "主旨报告3.pptx"],
                &["主旨报告录像2.mp4", "主旨报告录像1.mp4"],
                &[(0, 1), (1, 0)],
                &[2],
                &[],
            ),
            // A deck without a recording, a recording of something else.
            (
                &[
                    "主旨报告1-张三-人工智能与医疗.pptx",
                    "主旨报告2-李四-碳中和路径.pptx",
                ],
                &["张三 人工智能与医疗.mp4", "开幕式.mp4"],
                &[(0, 0)],
                &[1],
                &[1],
            ),
            // Same speaker, two talks: the title decides.
            (
                &["张三-人工智能与医疗.pptx", "张三-医学影像.pptx"],
                &["张三 医学影像 录像.mp4", "张三 人工智能与医疗.mp4"],
                &[(0, 1), (1, 0)],
                &[],
                &[],
            ),
            (&[], &["a.mp4"], &[], &[], &[0]),
            (&["a.pptx"], &[], &[], &[0], &[]),
        ];
        for (decks, recs, pairs, ud, ur) in table {
            let p = pair(decks, recs, &strip());
            let mut got: Vec<(usize, usize)> = p.pairs.iter().map(|&(d, r, _)| (d, r)).collect();
            got.sort_unstable();
            assert_eq!(&got, pairs, "{decks:?} / {recs:?}: {p:?}");
            assert_eq!(&p.unpaired_decks, ud, "{decks:?}");
            assert_eq!(&p.unpaired_recordings, ur, "{recs:?}");
        }
    }
}
