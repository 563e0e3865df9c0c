//! Links handed in instead of a file: a short document that holds a URL (a cloud-storage link
//! with its extraction code, a live-stream replay page).
//!
//! Why it exists: recordings of several gigabytes are often too large to submit, so societies
//! hand in "录像网盘链接.txt" ("链接：https://pan.baidu.com/s/… 提取码：x7k2"). That is evidence, but
//! not one a machine can measure here: the role still gets the file (classification lets a
//! link file play a media role), and the measure says `review`, quoting the link, instead of
//! "nothing submitted". Only short documents count as links (a news article that cites its
//! URL is an article): at most [`MAX_CHARS`] characters of text besides the URLs.

use std::sync::LazyLock;

use regex::Regex;

use crate::facts::Facts;

/// Most non-space characters a link file may hold besides its URLs.
pub(crate) const MAX_CHARS: u64 = 200;

static URL: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"(?i)https?://[^\s，。；、）)》<>"'“”]+"#).ok());

/// Words that introduce the code a cloud-storage link needs (quoted along with the link).
const CODE_WORDS: &[&str] = &["提取码", "访问码", "密码", "验证码", "code"];

/// The link a short document hands in, as a reviewer should see it quoted: the lines that
/// hold a URL or its code ("链接：https://pan.baidu.com/s/1AbC 提取码：x7k2"). `None` when the
/// document is no link file.
pub(crate) fn find(facts: &Facts) -> Option<String> {
    let re = URL.as_ref()?;
    let text = facts.counted_text();
    let urls: Vec<&str> = re.find_iter(&text).map(|m| m.as_str()).collect();
    if urls.is_empty() {
        return None;
    }
    let url_chars: u64 = urls.iter().map(|u| u.chars().count() as u64).sum();
    let other = facts.counts.chars_no_space.saturating_sub(url_chars);
    if other > MAX_CHARS {
        return None;
    }
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| re.is_match(l) || CODE_WORDS.iter().any(|w| l.contains(w)))
        .collect();
    let quoted: String = lines.join(" ").chars().take(300).collect();
    Some(quoted)
}

/// The URLs in a text.
pub(crate) fn urls(text: &str) -> Vec<&str> {
    URL.as_ref()
        .map(|re| re.find_iter(text).map(|m| m.as_str()).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::PartKind;

    fn facts(text: &str) -> Facts {
        let mut f = Facts::default();
        f.push_text(PartKind::Body, text);
        f.finish_counts();
        f
    }

    #[test]
    fn link_files() {
        let long = format!(
            "{}原文链接：https://www.xjkx.cn/a.html",
            "学会召开年会。".repeat(60)
        );
        let table: &[(&str, Option<&str>)] = &[
            (
                "主旨报告录像（文件过大，以网盘提交）\n链接：https://pan.baidu.com/s/1AbCdE 提取码：x7k2\n",
                Some("链接：https://pan.baidu.com/s/1AbCdE 提取码：x7k2"),
            ),
            (
                "直播回放：https://live.example.cn/replay/123",
                Some("直播回放：https://live.example.cn/replay/123"),
            ),
            ("没有链接的说明", None),
            (long.as_str(), None),
        ];
        for (text, want) in table {
            assert_eq!(find(&facts(text)).as_deref(), *want, "{text}");
        }
    }
}
