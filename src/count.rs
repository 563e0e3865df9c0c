//! 字数 the way Word counts it, plus the stricter bases a reviewer may prefer.
//!
//! Word's 字数统计 "字数" is: every East Asian character counts one, and every maximal run of
//! other non-space characters counts one "非中文单词". Reviewers compare our number with Word's,
//! so that is the default basis (`words`). The other bases are kept beside it:
//! `han` (Han ideographs, Unicode Script=Han, the same set as `\p{Script=Han}`),
//! `cjk` (all East Asian characters), `non_cjk_words`, `chars_no_space`.
//!
//! Written by hand: it is a character-range check (DESIGN.md measured that segmentation crates
//! are not needed and count differently), and it runs over every byte of every document, so a
//! single pass without allocation matters. The Han ranges are checked against the `regex`
//! crate's `\p{Han}` over every code point in the tests.

use serde::{Deserialize, Serialize};

/// The counts of one piece of text.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Counts {
    /// Word's 字数: East Asian characters + non-East-Asian words.
    pub words: u64,
    /// 汉字数: Han ideographs (Script=Han).
    pub han: u64,
    /// 中文字符: East Asian characters (Han, full-width punctuation, kana, Hangul …).
    pub cjk: u64,
    /// 非中文单词: maximal runs of other non-space characters.
    pub non_cjk_words: u64,
    /// 字符数(不计空格).
    pub chars_no_space: u64,
}

impl Counts {
    pub fn add(&mut self, other: &Counts) {
        self.words += other.words;
        self.han += other.han;
        self.cjk += other.cjk;
        self.non_cjk_words += other.non_cjk_words;
        self.chars_no_space += other.chars_no_space;
    }
}

/// Counts `text` by Word's rule.
pub fn count(text: &str) -> Counts {
    let mut c = Counts::default();
    let mut in_word = false;
    for ch in text.chars() {
        if is_space(ch) {
            in_word = false;
            continue;
        }
        if is_invisible(ch) {
            continue;
        }
        c.chars_no_space += 1;
        if is_east_asian(ch) {
            c.cjk += 1;
            if is_han(ch) {
                c.han += 1;
            }
            in_word = false;
        } else if !in_word {
            c.non_cjk_words += 1;
            in_word = true;
        }
    }
    c.words = c.cjk + c.non_cjk_words;
    c
}

/// Whitespace separates words and is not a character for `chars_no_space`
/// (includes the ideographic space U+3000 and no-break spaces).
pub fn is_space(ch: char) -> bool {
    ch.is_whitespace() || ch == '\u{FEFF}'
}

/// Zero-width and control characters take no part in counting at all: they are neither a
/// character nor a word break (Word ignores a zero-width space inside a word).
fn is_invisible(ch: char) -> bool {
    matches!(ch, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{00AD}') || ch.is_control()
}

/// East Asian characters, each counted as one word: Han ideographs (all blocks and extensions),
/// CJK radicals and strokes, CJK symbols and punctuation (U+3000–303F), kana, bopomofo, Hangul,
/// enclosed and compatibility forms, vertical and small forms, full-width forms (U+FF00–FFEF).
pub fn is_east_asian(ch: char) -> bool {
    let c = ch as u32;
    matches!(c,
        0x1100..=0x11FF      // Hangul Jamo
        | 0x2E80..=0x2FDF    // CJK radicals supplement, Kangxi radicals
        | 0x2FF0..=0x2FFF    // ideographic description characters
        | 0x3000..=0x303F    // CJK symbols and punctuation (、。「」〇 …)
        | 0x3040..=0x30FF    // Hiragana, Katakana
        | 0x3100..=0x312F    // Bopomofo
        | 0x3130..=0x318F    // Hangul compatibility Jamo
        | 0x3190..=0x31FF    // Kanbun, Bopomofo ext, CJK strokes, Katakana ext
        | 0x3200..=0x33FF    // enclosed CJK, CJK compatibility
        | 0x3400..=0x4DBF    // CJK Ext A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xA960..=0xA97F    // Hangul Jamo Ext A
        | 0xAC00..=0xD7FF    // Hangul syllables, Jamo Ext B
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0xFE10..=0xFE1F    // vertical forms
        | 0xFE30..=0xFE6F    // CJK compatibility forms, small form variants
        | 0xFF00..=0xFFEF    // half-width and full-width forms
        | 0x16FE0..=0x16FFF  // ideographic symbols
        | 0x1B000..=0x1B16F  // kana supplement / extended
        | 0x1F200..=0x1F2FF  // enclosed ideographic supplement
        | 0x20000..=0x3FFFF  // CJK Ext B … and compatibility supplement
    )
}

/// Han ideographs: Unicode Script=Han (Unicode 15.1/16), as `\p{Han}` matches.
pub fn is_han(ch: char) -> bool {
    let c = ch as u32;
    matches!(c,
        0x2E80..=0x2E99
        | 0x2E9B..=0x2EF3
        | 0x2F00..=0x2FD5
        | 0x3005
        | 0x3007
        | 0x3021..=0x3029
        | 0x3038..=0x303B
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFA6D
        | 0xFA70..=0xFAD9
        | 0x16FE2
        | 0x16FE3
        | 0x16FF0..=0x16FF1
        | 0x20000..=0x2A6DF
        | 0x2A700..=0x2B739
        | 0x2B740..=0x2B81D
        | 0x2B820..=0x2CEA1
        | 0x2CEB0..=0x2EBE0
        | 0x2EBF0..=0x2EE5D
        | 0x2F800..=0x2FA1D
        | 0x30000..=0x3134A
        | 0x31350..=0x323AF
    )
}

/// Formats a count with thousands separators, as the messages show it ("3,412").
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Word's known results (字数统计 of Word 2016/365 on these strings).
    #[test]
    fn word_known_results() {
        let table: &[(&str, u64)] = &[
            ("中文测试", 4),
            ("Hello、World。", 4),
            ("東京2024オリンピック", 9),
            ("ＡＢＣＤＥ", 5),
            ("Rust", 1),
            ("2025", 1),
            ("abc-def", 1),
            ("Hello World", 2),
            ("自治区科协2025年度学会重点资助项目", 16),
            ("", 0),
            ("   \n\t ", 0),
            ("中　文", 2), // ideographic space separates, is not counted
            ("a,b c", 2),
            ("（一）重点学术交流活动", 11),
            ("第1章", 3),
            ("e-mail：test@example.com", 3),
        ];
        for (text, words) in table {
            assert_eq!(count(text).words, *words, "{text:?}");
        }
    }

    #[test]
    fn bases_are_kept_apart() {
        let c = count("東京2024オリンピック，Rust!");
        assert_eq!(c.han, 2);
        assert_eq!(c.cjk, 9); // 東京 + 6 katakana + full-width comma
        assert_eq!(c.non_cjk_words, 2); // "2024", "Rust!"
        assert_eq!(c.words, 11);
        assert_eq!(c.chars_no_space, 18);
    }

    #[test]
    fn zero_width_characters_are_invisible() {
        assert_eq!(count("ab\u{200B}cd").words, 1);
        assert_eq!(count("ab\u{200B}cd").chars_no_space, 4);
    }

    #[test]
    fn han_ranges_match_regex_script_han() {
        let re = regex::Regex::new(r"^\p{Han}$").unwrap();
        for cp in 0..=0x3FFFFu32 {
            if let Some(ch) = char::from_u32(cp) {
                let mut buf = [0u8; 4];
                let expect = re.is_match(ch.encode_utf8(&mut buf));
                assert_eq!(is_han(ch), expect, "U+{cp:04X}");
                if expect {
                    assert!(is_east_asian(ch), "Han U+{cp:04X} must be East Asian");
                }
            }
        }
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(188), "188");
        assert_eq!(thousands(3412), "3,412");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
