//! Messages people read, as ids with arguments, in Chinese and English.
//!
//! Why one mechanism: the evaluator used to write each sentence twice at the site that wrote
//! it (`tr!`), with `_in` twins of helpers and a regex that patched English plurals afterwards.
//! Here a message is a constant — a stable id, a Chinese template and an English template — and
//! a site renders it with named arguments (`msg!(lang, WORDS_SHORT, name = …, n = …)`). The
//! catalogue of a module is one `messages!` (or `decision_table!`) block, so every sentence can
//! be listed, checked and documented: [`check_catalog`] rejects duplicate ids and templates
//! whose two languages do not take the same arguments, which is what the macro used to check
//! at compile time.
//!
//! Templates are plain text with placeholders:
//! - `{name}` — the argument's text;
//! - `{name|cap}` — the same with its first letter in upper case (an English sentence that
//!   starts with a role name: "{name|cap}: 3,412 characters");
//! - `{n|file|files}` — the singular or the plural noun, chosen by the number `n` (English
//!   plurals are the template's business, not a regex's);
//! - `{{` and `}}` — literal braces.
//!
//! An argument that a template names but a site did not give is left in place as `{name}`,
//! never a panic: the table-driven tests render every decision row in both languages and fail
//! on a leftover brace.

#[cfg(test)]
use std::collections::BTreeSet;
use std::fmt;

use crate::count::thousands;
use crate::facts::Facts;
use crate::lang::Lang;

/// One message: a stable id and its two templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Message {
    pub id: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

/// An argument: its text, and the number it stands for when it is one (for plurals).
#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    pub text: String,
    pub count: Option<f64>,
}

impl Arg {
    /// A number shown as given (no thousands separator), e.g. a year or a page number.
    pub fn plain(n: u64) -> Arg {
        Arg {
            text: n.to_string(),
            count: Some(n as f64),
        }
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg {
            text: s.to_string(),
            count: None,
        }
    }
}

impl From<String> for Arg {
    fn from(text: String) -> Arg {
        Arg { text, count: None }
    }
}

impl From<&String> for Arg {
    fn from(s: &String) -> Arg {
        Arg::from(s.as_str())
    }
}

impl From<u64> for Arg {
    /// Counts are shown with a thousands separator (3,412), as the dossier shows them.
    fn from(n: u64) -> Arg {
        Arg {
            text: thousands(n),
            count: Some(n as f64),
        }
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Arg {
        Arg::from(n as u64)
    }
}

impl From<u32> for Arg {
    fn from(n: u32) -> Arg {
        Arg::from(u64::from(n))
    }
}

impl From<f64> for Arg {
    /// A measured figure: whole numbers without a decimal point (120), others as they are (91.5).
    fn from(x: f64) -> Arg {
        Arg {
            text: number(x),
            count: Some(x),
        }
    }
}

/// A figure as a reader writes it: `120`, `91.5`.
pub(crate) fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Named arguments of one rendering.
pub(crate) type Args<'a> = [(&'a str, Arg)];

impl Message {
    /// The template of `lang`.
    pub fn template(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }

    /// Renders the message in `lang` with `args`.
    pub fn render(&self, lang: Lang, args: &Args) -> String {
        render(self.template(lang), args)
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id)
    }
}

/// Renders one template (see the module header for the syntax).
pub(crate) fn render(template: &str, args: &Args) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        let (head, tail) = rest.split_at(i);
        out.push_str(head);
        if let Some(t) = tail.strip_prefix("{{") {
            out.push('{');
            rest = t;
            continue;
        }
        if let Some(t) = tail.strip_prefix("}}") {
            out.push('}');
            rest = t;
            continue;
        }
        if let Some(t) = tail.strip_prefix('}') {
            out.push('}');
            rest = t;
            continue;
        }
        let Some(end) = tail.find('}') else {
            out.push_str(tail);
            return out;
        };
        let spec = &tail[1..end];
        match placeholder(spec, args) {
            Some(text) => out.push_str(&text),
            None => out.push_str(&tail[..=end]),
        }
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The text of one `{…}` placeholder, or `None` when its argument is missing.
fn placeholder(spec: &str, args: &Args) -> Option<String> {
    let mut parts = spec.split('|');
    let name = parts.next()?;
    let arg = args.iter().find(|(k, _)| *k == name).map(|(_, v)| v)?;
    let filters: Vec<&str> = parts.collect();
    match filters.as_slice() {
        [] => Some(arg.text.clone()),
        ["cap"] => {
            let mut chars = arg.text.chars();
            Some(
                chars
                    .next()
                    .map(|c| c.to_uppercase().chain(chars).collect())
                    .unwrap_or_default(),
            )
        }
        [one, many] => {
            let n = arg.count?;
            Some(if n == 1.0 { one } else { many }.to_string())
        }
        _ => None,
    }
}

/// The argument names a template uses.
#[cfg(test)]
pub(crate) fn placeholders(template: &str) -> BTreeSet<&str> {
    let mut names = BTreeSet::new();
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        let tail = &rest[i..];
        if let Some(t) = tail.strip_prefix("{{") {
            rest = t;
            continue;
        }
        let Some(end) = tail.find('}') else { break };
        if let Some(name) = tail[1..end].split('|').next() {
            names.insert(name);
        }
        rest = &tail[end + 1..];
    }
    names
}

/// Problems of a catalogue: duplicate ids, empty templates, and templates whose languages do
/// not take the same arguments. Empty when all is well.
#[cfg(test)]
pub(crate) fn check_catalog(messages: &[&Message]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for m in messages {
        if !seen.insert(m.id) {
            problems.push(format!("{}: duplicate id", m.id));
        }
        if m.zh.trim().is_empty() || m.en.trim().is_empty() {
            problems.push(format!("{}: empty template", m.id));
        }
        let (zh, en) = (placeholders(m.zh), placeholders(m.en));
        if zh != en {
            problems.push(format!("{}: arguments differ: zh {zh:?}, en {en:?}", m.id));
        }
    }
    problems
}

/// Declares message constants and the module's catalogue `MESSAGES`:
/// `messages! { NAME = "id": "中文 {x}" / "English {x}"; … }`.
#[macro_export]
macro_rules! messages {
    ($( $(#[$doc:meta])* $name:ident = $id:literal : $zh:literal / $en:literal ; )*) => {
        $( $(#[$doc])* pub(crate) const $name: $crate::msg::Message =
            $crate::msg::Message { id: $id, zh: $zh, en: $en }; )*
        /// Every message of this module (checked by its tests; the evaluator's are also
        /// listed by `yanshou rules`).
        #[allow(dead_code)]
        pub(crate) const MESSAGES: &[$crate::msg::Message] = &[$($name),*];
    };
}

/// Renders a message: `msg!(lang, NAME, key = value, …)`.
#[macro_export]
macro_rules! msg {
    ($lang:expr, $m:expr $(, $k:ident = $v:expr)* $(,)?) => {
        $m.render($lang, &[$((stringify!($k), $crate::msg::Arg::from($v))),*])
    };
}

/// Builds named arguments (an array, to be passed as a slice): `args!(key = value, …)`.
#[macro_export]
macro_rules! args {
    ($($k:ident = $v:expr),* $(,)?) => {
        [$((stringify!($k), $crate::msg::Arg::from($v))),*]
    };
}

/// A finding's message as people read it: the words a parser said in English inside a Chinese
/// sentence ("（…可能下载或复制时被截断：invalid Zip archive: Could not find EOCD）") are left
/// out; they stay in the JSON, where a developer looks. Text without such a part is unchanged.
pub(crate) fn for_people(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(open) = rest.find('（') {
        let (before, after) = rest.split_at(open);
        out.push_str(before);
        let Some(close) = matching_close(after) else {
            out.push_str(after);
            return out;
        };
        let inner = &after['（'.len_utf8()..close];
        let has_chinese = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        if !has_chinese(inner) {
            // A parenthesis of the parser's own words: dropped whole.
        } else {
            // A Chinese explanation whose tail after the last "：" is the parser's words.
            let kept = match inner.rsplit_once('：') {
                // Words, not a code: a tail with a space in it ("invalid Zip archive: …").
                Some((head, tail)) if !has_chinese(tail) && tail.trim().contains(' ') => head,
                _ => inner,
            };
            out.push('（');
            out.push_str(&for_people(kept));
            out.push('）');
        }
        rest = &after[close + '）'.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// Byte index of the `）` that closes the `（` at the start of `s`, counting nesting.
fn matching_close(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '（' => depth += 1,
            '）' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// A finding's reason for a sentence of people's words: up to its first `；` (the advice after
/// it is given by the caller), without parenthesised text that has no Chinese in it (a
/// parser's own English message).
pub(crate) fn plain_reason(message: &str) -> String {
    let reason = message.split('；').next().unwrap_or(message);
    let mut out = String::new();
    let mut rest = reason;
    while let Some(open) = rest.find('（') {
        let (before, after) = rest.split_at(open);
        out.push_str(before);
        match after.find('）') {
            Some(close) => {
                let inner = &after['（'.len_utf8()..close];
                if inner
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
                {
                    out.push_str(&after[..close + '）'.len_utf8()]);
                }
                rest = &after[close + '）'.len_utf8()..];
            }
            None => {
                rest = after;
                break;
            }
        }
    }
    out.push_str(rest);
    out.trim_end_matches(['。', '；', '，']).to_string()
}

/// [`scanned_pages`] in `lang`.
pub fn scanned_pages_in(facts: &Facts, lang: Lang) -> Option<String> {
    if facts.scanned_pages.is_empty() {
        return None;
    }
    let mut pages = facts.scanned_pages.clone();
    pages.sort_unstable();
    pages.dedup();
    let mut ranges: Vec<String> = Vec::new();
    let mut iter = pages.iter().copied();
    let mut start = iter.next()?;
    let mut end = start;
    for p in iter {
        if Some(p) == end.checked_add(1) {
            end = p;
        } else {
            ranges.push(range_text(start, end));
            start = p;
            end = p;
        }
    }
    ranges.push(range_text(start, end));
    let ocr = facts.ocr.as_ref().filter(|o| o.images > 0);
    Some(match lang {
        Lang::Zh => {
            let ocr = ocr
                .map(|o| {
                    format!(
                        "；OCR 估计约 {} 字（汉字 {}，仅供参考）",
                        thousands(o.counts.words),
                        thousands(o.counts.han)
                    )
                })
                .unwrap_or_default();
            format!("无文字层（扫描）页：{}{ocr}", ranges.join("、"))
        }
        Lang::En => {
            let ocr = ocr
                .map(|o| {
                    format!(
                        "; OCR estimate about {} characters ({} Han, for information only)",
                        thousands(o.counts.words),
                        thousands(o.counts.han)
                    )
                })
                .unwrap_or_default();
            format!(
                "pages without a text layer (scanned): {}{ocr}",
                ranges.join(", ")
            )
        }
    })
}

fn range_text(a: u32, b: u32) -> String {
    if a == b {
        a.to_string()
    } else {
        format!("{a}–{b}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parser_words_are_left_out_for_people() {
        let table = [
            (
                "文件不完整或已损坏（ZIP 包的目录缺失，可能下载或复制时被截断：invalid Zip archive: Could not find EOCD），请重新导出",
                "文件不完整或已损坏（ZIP 包的目录缺失，可能下载或复制时被截断），请重新导出",
            ),
            ("无法解析（unexpected end of file）", "无法解析"),
            (
                "PDF 已加密（需要打开密码），请提供未加密版本",
                "PDF 已加密（需要打开密码），请提供未加密版本",
            ),
            ("时长 45:00（文件头：mvhd）", "时长 45:00（文件头：mvhd）"),
            ("没有括号", "没有括号"),
        ];
        for (message, want) in table {
            assert_eq!(for_people(message), want, "{message}");
        }
    }

    #[test]
    fn plain_reasons() {
        let table = [
            (
                "压缩包已损坏，无法读取其中的文件（invalid Zip archive: Could not find EOCD）；请重新打包后提交",
                "压缩包已损坏，无法读取其中的文件",
            ),
            (
                "文件被加密（需要密码）；请提供未加密版本",
                "文件被加密（需要密码）",
            ),
            ("不完整。", "不完整"),
        ];
        for (message, want) in table {
            assert_eq!(plain_reason(message), want, "{message}");
        }
    }

    #[test]
    fn templates() {
        let args: Vec<(&str, Arg)> = vec![
            ("name", Arg::from("summary report")),
            ("n", Arg::from(3412u64)),
            ("one", Arg::from(1u64)),
            ("x", Arg::from(91.5)),
        ];
        let table: &[(&str, &str)] = &[
            (
                "{name|cap}: {n} {n|file|files}",
                "Summary report: 3,412 files",
            ),
            ("{one} {one|file|files}", "1 file"),
            ("{x}%", "91.5%"),
            ("{{literal}} {missing}", "{literal} {missing}"),
            ("总结报告 {n} 字", "总结报告 3,412 字"),
            ("unclosed {name", "unclosed {name"),
            ("a } b", "a } b"),
        ];
        for (t, want) in table {
            assert_eq!(render(t, &args), *want, "{t}");
        }
    }

    #[test]
    fn numbers() {
        let table: &[(f64, &str)] = &[(120.0, "120"), (91.5, "91.5"), (91.489, "91.49")];
        for (x, want) in table {
            assert_eq!(number(*x), *want);
        }
    }

    #[test]
    fn catalogue_checks() {
        const A: Message = Message {
            id: "a",
            zh: "{x} 个",
            en: "{x} {x|item|items}",
        };
        const B: Message = Message {
            id: "a",
            zh: "{x}",
            en: "{y}",
        };
        assert!(check_catalog(&[&A]).is_empty());
        let problems = check_catalog(&[&A, &B]);
        assert_eq!(problems.len(), 2, "{problems:?}");
    }
}
