//! The visible text of an HTML news page, its title and its `<meta>` descriptions.
//!
//! A small lenient tag scanner instead of html5ever/scraper: we need the text a reader sees
//! (to count 字数 and find the label), not a DOM. A scanner never fails on malformed markup
//! (unclosed `<p>`, stray `<`, broken comments — all common in CMS output), runs in one pass,
//! and costs no build time; html5ever's tree construction would add several crates and tens of
//! seconds of build for a result we would flatten back to text. What the scanner does:
//! - skips `<script>`, `<style>`, `<noscript>`, `<template>`, comments, and everything in
//!   `<head>` except `<title>` (read separately);
//! - turns block elements and `<br>` into line breaks, cells into spaces;
//! - decodes entities, named (the full HTML5 table, via quick-xml's `escape-html`) and numeric.

/// What a page says.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Page {
    pub title: Option<String>,
    pub first_h1: Option<String>,
    /// Visible text, one block per line.
    pub text: String,
    /// (name, content) of the `<meta>` tags that describe the article.
    pub meta: Vec<(String, String)>,
}

/// `<meta name=…>` / `property=…` values kept. The capitalised ones are the standard meta
/// tags of Chinese government-site CMSs (网站名称, 栏目, 文章标题, 发布时间, 来源).
const META_NAMES: &[&str] = &[
    "description",
    "keywords",
    "author",
    "og:title",
    "og:site_name",
    "og:description",
    "sitename",
    "columnname",
    "articletitle",
    "pubdate",
    "contentsource",
];

const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "caption",
    "center",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "ul",
    "body",
    "html",
];

/// Elements whose content is not shown (or not markup): read to their end tag and dropped.
const HIDDEN: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "object",
];

pub(super) fn parse(html: &str) -> Page {
    let mut page = Page::default();
    let mut raw = String::new();
    let bytes = html.as_bytes();
    let mut pos = 0usize;
    let mut in_head = false;
    // Inside <h1>: collect its text for a fallback title.
    let mut h1: Option<String> = None;
    while pos < bytes.len() {
        let Some(lt) = memchr(b'<', bytes, pos) else {
            push_text(&mut raw, &mut h1, in_head, &html[pos..]);
            break;
        };
        push_text(&mut raw, &mut h1, in_head, &html[pos..lt]);
        pos = lt;
        let rest = &bytes[pos..];
        if rest.starts_with(b"<!--") {
            pos = find(bytes, pos + 4, b"-->").map_or(bytes.len(), |e| e + 3);
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            pos = memchr(b'>', bytes, pos).map_or(bytes.len(), |e| e + 1);
            continue;
        }
        let closing = rest.get(1) == Some(&b'/');
        let name_start = pos + 1 + usize::from(closing);
        let name_len = bytes[name_start.min(bytes.len())..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b':')
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            // A literal '<' ("a < b"): text.
            push_text(&mut raw, &mut h1, in_head, "<");
            pos += 1;
            continue;
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        let (attrs, tag_end) = parse_attributes(html, name_start + name_len);
        pos = tag_end;
        if closing {
            match name.as_str() {
                "head" => in_head = false,
                "h1" => {
                    if let Some(t) = h1.take()
                        && page.first_h1.is_none()
                    {
                        let t = collapse(&t);
                        if !t.is_empty() {
                            page.first_h1 = Some(t);
                        }
                    }
                }
                _ => {}
            }
            if BLOCKS.contains(&name.as_str()) {
                raw.push('\n');
            } else if matches!(name.as_str(), "td" | "th") {
                raw.push(' ');
            }
            continue;
        }
        match name.as_str() {
            "head" => in_head = true,
            "body" => in_head = false,
            "title" => {
                let end = find_ci(bytes, pos, b"</title").unwrap_or(bytes.len());
                let title = collapse(&decode_entities(&html[pos..end]));
                if page.title.is_none() && !title.is_empty() {
                    page.title = Some(title);
                }
                pos = skip_end_tag(bytes, end);
                continue;
            }
            "meta" => {
                let key = attrs
                    .iter()
                    .find(|(k, _)| k == "name" || k == "property" || k == "itemprop")
                    .map(|(_, v)| v.to_ascii_lowercase());
                let content = attrs.iter().find(|(k, _)| k == "content").map(|(_, v)| v);
                if let (Some(key), Some(content)) = (key, content)
                    && META_NAMES.contains(&key.as_str())
                {
                    let content = collapse(content);
                    if !content.is_empty() {
                        page.meta.push((key, content));
                    }
                }
            }
            "img" => {
                // Alternative text is what a reader sees when the picture is missing; it is
                // not counted, but a label written there is worth knowing about.
                if let Some((_, alt)) = attrs.iter().find(|(k, _)| k == "alt") {
                    let alt = collapse(alt);
                    if !alt.is_empty() {
                        page.meta.push(("img alt".into(), alt));
                    }
                }
            }
            "h1" => h1 = Some(String::new()),
            n if HIDDEN.contains(&n) => {
                let mut close = b"</".to_vec();
                close.extend_from_slice(n.as_bytes());
                let end = find_ci(bytes, pos, &close).unwrap_or(bytes.len());
                pos = skip_end_tag(bytes, end);
                continue;
            }
            _ => {}
        }
        if BLOCKS.contains(&name.as_str()) {
            raw.push('\n');
        } else if matches!(name.as_str(), "td" | "th") {
            raw.push(' ');
        }
    }
    page.text = raw
        .lines()
        .map(collapse)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    page
}

fn push_text(raw: &mut String, h1: &mut Option<String>, in_head: bool, text: &str) {
    if in_head || text.is_empty() {
        return;
    }
    let decoded = decode_entities(text);
    // Source line breaks are spaces in HTML; blocks make the lines.
    let flat = decoded.replace(['\r', '\n', '\t'], " ");
    if let Some(h) = h1.as_mut() {
        h.push_str(&flat);
    }
    raw.push_str(&flat);
}

/// Whitespace runs (including no-break and ideographic spaces) become one space; trimmed.
fn collapse(s: &str) -> String {
    s.split(char::is_whitespace)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Attributes from `from` (just after the tag name) to the tag's `>`; returns them (names
/// lower-cased, values entity-decoded) and the offset after `>`.
fn parse_attributes(html: &str, from: usize) -> (Vec<(String, String)>, usize) {
    let b = html.as_bytes();
    let mut attrs = Vec::new();
    let mut i = from;
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            return (attrs, b.len());
        }
        if b[i] == b'>' {
            return (attrs, i + 1);
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = html[start..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let quote = b[i];
                let end = memchr(quote, b, i + 1).unwrap_or(b.len());
                value = decode_entities(&html[i + 1..end]);
                i = (end + 1).min(b.len());
            } else {
                let start = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                value = decode_entities(&html[start..i]);
            }
        }
        if !name.is_empty() {
            attrs.push((name, value));
        }
    }
}

/// Decodes `&name;`, `&#123;` and `&#x7B;`. Unknown or unterminated references stay as
/// written (that is what browsers show for most of them).
pub(super) fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let semi = rest
            .char_indices()
            .take(40)
            .find(|(_, c)| *c == ';')
            .map(|(i, _)| i);
        let resolved = semi.and_then(|semi| {
            let name = &rest[1..semi];
            let text = if let Some(num) = name.strip_prefix('#') {
                numeric_reference(num).map(String::from)
            } else {
                quick_xml::escape::resolve_html5_entity(name).map(str::to_string)
            };
            text.map(|t| (t, semi + 1))
        });
        match resolved {
            Some((text, used)) => {
                out.push_str(&text);
                rest = &rest[used..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn numeric_reference(num: &str) -> Option<char> {
    let code = match num.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => num.parse::<u32>().ok()?,
    };
    // 0x80–0x9F mean Windows-1252 characters in HTML (&#150; is an en dash).
    if (0x80..=0x9F).contains(&code) {
        let byte = [code as u8];
        return encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(&byte)
            .0
            .chars()
            .next();
    }
    Some(char::from_u32(code).unwrap_or('\u{FFFD}'))
}

fn memchr(needle: u8, hay: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .iter()
        .position(|&b| b == needle)
        .map(|i| from + i)
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| from + i)
}

/// Case-insensitive search for an ASCII `needle` (given in lower case).
fn find_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|i| from + i)
}

/// Offset just past the `>` of the end tag starting at `at`.
fn skip_end_tag(bytes: &[u8], at: usize) -> usize {
    memchr(b'>', bytes, at).map_or(bytes.len(), |e| e + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_text_only() {
        let html = r#"<!DOCTYPE html><html><head>
<meta charset="utf-8"><title>新闻 &amp; 动态 - 新疆科协</title>
<meta name="Description" content="学会&quot;重点&quot;资助">
<meta property="og:site_name" content='新疆维吾尔自治区科学技术协会'>
<meta name="viewport" content="width=device-width">
<style>p { color: red } /* 样式 */</style><script>var s = "<p>脚本</p>";</script>
</head><body><!-- 注释 <p>不显示</p> -->
<h1>学会&nbsp;年会<br>召开</h1><p>第一段&#20013;&#x6587;<p>第二段 a < b &unknown; &amp
<div>第三<b>段</b></div><noscript>请启用脚本</noscript>
<table><tr><td>甲</td><td>乙</td></tr></table><img src=x.png alt="自治区科协">
<SCRIPT type="text/javascript">document.write("隐藏")</SCRIPT>尾
</body></html>"#;
        let page = parse(html);
        assert_eq!(page.title.as_deref(), Some("新闻 & 动态 - 新疆科协"));
        assert_eq!(page.first_h1.as_deref(), Some("学会 年会召开"));
        assert_eq!(
            page.text,
            "学会 年会\n召开\n第一段中文\n第二段 a < b &unknown; &amp\n第三段\n甲 乙\n尾"
        );
        assert_eq!(
            page.meta,
            vec![
                ("description".to_string(), "学会\"重点\"资助".to_string()),
                (
                    "og:site_name".to_string(),
                    "新疆维吾尔自治区科学技术协会".to_string()
                ),
                ("img alt".to_string(), "自治区科协".to_string()),
            ]
        );
    }

    #[test]
    fn malformed_markup_does_not_break() {
        let cases = [
            "<p>未闭合",
            "<",
            "</",
            "<p",
            "<!-- 未结束的注释",
            "<script>未结束的脚本",
            "<title>未结束的标题",
            "<a href=\"未结束的引号>文字",
            "<<<>>>",
            "&#99999999999; &#xD800; &#; &",
            "<div =a b=>文字</div>",
        ];
        for html in cases {
            let _ = parse(html);
        }
        assert_eq!(parse("<p>未闭合").text, "未闭合");
        assert_eq!(parse("&#xD800;x").text, "\u{FFFD}x");
        assert_eq!(
            decode_entities("&#150;&ldquo;&hellip;&#x4E2D;"),
            "\u{2013}\u{201C}\u{2026}中"
        );
    }
}
