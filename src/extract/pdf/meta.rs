//! PDF document metadata: the Info dictionary and the XMP packet.
//!
//! A label may sit only in the document properties ("metadata only" is still reported), and
//! the title helps classification, so both places are read. Info strings are PDFDocEncoding or
//! UTF-16BE by the standard, but Chinese producers also write raw GBK or UTF-8 bytes: a string
//! without a BOM that is valid UTF-8 (with non-ASCII) is read as UTF-8, else one that is valid
//! GBK with Han in it as GBK, else PDFDocEncoding (lopdf's decoder). XMP is read with quick-xml
//! (already a dependency for OOXML), both as elements (`<dc:title><rdf:Alt><rdf:li>`) and as
//! attributes of `rdf:Description`.

use lopdf::{Document, Object};
use quick_xml::events::Event;

use super::font::{deref, stream_bytes};
use crate::facts::Facts;

/// Info keys read, in report order.
const INFO_KEYS: [&str; 6] = [
    "Title", "Subject", "Keywords", "Author", "Creator", "Producer",
];

/// XMP properties read, with the metadata name they are reported under.
const XMP_KEYS: [(&str, &str); 4] = [
    ("dc:title", "dc:title"),
    ("dc:description", "dc:description"),
    ("pdf:Keywords", "pdf:Keywords"),
    ("dc:subject", "dc:subject"),
];

/// Adds Info and XMP fields to `facts` and sets `facts.title` from them when it is a real
/// title (not a file name).
pub(super) fn read(doc: &Document, facts: &mut Facts, limit: usize) {
    let mut title = None;
    if let Some(Object::Dictionary(info)) = doc.trailer.get(b"Info").ok().map(|o| deref(doc, o)) {
        for key in INFO_KEYS {
            let Some(value) = info.get(key.as_bytes()).ok().map(|o| deref(doc, o)) else {
                continue;
            };
            let Some(text) = text_string(value) else {
                continue;
            };
            let text = clean(&text);
            if key == "Title" && title.is_none() && is_real_title(&text) {
                title = Some(text.clone());
            }
            facts.add_meta(key, &text);
        }
        if let Some(d) = info
            .get(b"ModDate")
            .ok()
            .map(|o| deref(doc, o))
            .and_then(text_string)
        {
            facts.modified = crate::facts::normalize_date(&d);
        }
        if let Some(d) = info
            .get(b"CreationDate")
            .ok()
            .map(|o| deref(doc, o))
            .and_then(text_string)
        {
            facts.created = crate::facts::normalize_date(&d);
        }
    }
    let xmp = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"Metadata").ok())
        .and_then(|o| stream_bytes(doc, o, limit));
    if let Some(xmp) = xmp {
        for (name, value) in xmp_fields(&String::from_utf8_lossy(&xmp)) {
            let value = clean(&value);
            if name == "dc:title" && title.is_none() && is_real_title(&value) {
                title = Some(value.clone());
            }
            let dup = facts.metadata.iter().any(|m| m.value == value);
            if !dup {
                facts.add_meta(name, &value);
            }
        }
    }
    if title.is_some() {
        facts.title = title;
    }
}

/// Decodes a PDF text string (see the module header for the order).
pub(super) fn text_string(obj: &Object) -> Option<String> {
    let bytes = match obj {
        Object::String(b, _) => b.as_slice(),
        Object::Name(n) => n.as_slice(),
        _ => return None,
    };
    if bytes.starts_with(b"\xFE\xFF") || bytes.starts_with(b"\xEF\xBB\xBF") {
        return lopdf::decode_text_string(obj)
            .ok()
            .or_else(|| Some(encoding_rs::UTF_16BE.decode(bytes).0.into_owned()));
    }
    if bytes.starts_with(b"\xFF\xFE") {
        return Some(encoding_rs::UTF_16LE.decode(bytes).0.into_owned());
    }
    if bytes.iter().any(|b| *b >= 0x80) {
        if let Ok(s) = std::str::from_utf8(bytes) {
            return Some(s.to_string());
        }
        if let Some(s) = encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(bytes)
            && s.chars().any(crate::count::is_han)
        {
            return Some(s.into_owned());
        }
    }
    lopdf::decode_text_string(obj)
        .ok()
        .or_else(|| Some(String::from_utf8_lossy(bytes).into_owned()))
}

fn clean(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || c.is_whitespace())
        .collect::<String>()
        .trim()
        .to_string()
}

/// A title that is a file name ("Microsoft Word - 总结报告.docx", "文档1.doc") or a producer
/// default ("Untitled") says nothing about the content.
pub(super) fn is_real_title(title: &str) -> bool {
    let t = title.trim();
    if t.is_empty() {
        return false;
    }
    let lower = t.to_lowercase();
    const PREFIXES: [&str; 3] = ["microsoft word - ", "microsoft powerpoint - ", "wps - "];
    if PREFIXES.iter().any(|p| lower.starts_with(p)) {
        return false;
    }
    const EXTS: [&str; 14] = [
        ".doc", ".docx", ".pdf", ".wps", ".txt", ".rtf", ".odt", ".xls", ".xlsx", ".ppt", ".pptx",
        ".dps", ".et", ".html",
    ];
    if EXTS.iter().any(|e| lower.ends_with(e)) {
        return false;
    }
    const DEFAULTS: [&str; 4] = ["untitled", "无标题", "document", "文档"];
    !DEFAULTS.iter().any(|d| lower == *d)
}

/// The XMP properties of [`XMP_KEYS`], as (report name, text). Malformed XML yields what was
/// read before the error.
pub(super) fn xmp_fields(xml: &str) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = Vec::new();
    let mut reader = quick_xml::Reader::from_str(xml);
    // The property being read and the text gathered for it.
    let mut current: Option<(&'static str, String)> = None;
    let mut depth_in_prop = 0usize;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let name = e.name();
                let name = name.as_ref();
                if current.is_some() {
                    depth_in_prop += 1;
                    // Separate list items (dc:subject bag) by a space.
                    if name == "rdf:li"
                        && let Some((_, text)) = current.as_mut()
                        && !text.is_empty()
                    {
                        text.push(' ');
                    }
                } else if let Some((_, report)) = XMP_KEYS.iter().find(|(k, _)| *k == name) {
                    current = Some((report, String::new()));
                    depth_in_prop = 0;
                } else if name == "rdf:Description" {
                    attributes_into(&e, &mut out);
                }
            }
            Ok(Event::Empty(e)) => {
                if e.name().as_ref() == "rdf:Description" {
                    attributes_into(&e, &mut out);
                }
            }
            Ok(Event::Text(t)) => {
                if let Some((_, text)) = current.as_mut() {
                    text.push_str(&t.xml10_content());
                }
            }
            Ok(Event::CData(t)) => {
                if let Some((_, text)) = current.as_mut() {
                    text.push_str(&t.xml10_content());
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if let Some((_, text)) = current.as_mut() {
                    match r.resolve_char_ref() {
                        Ok(Some(c)) => text.push(c),
                        _ => text.push_str(match r.as_ref() {
                            "amp" => "&",
                            "lt" => "<",
                            "gt" => ">",
                            "quot" => "\"",
                            "apos" => "'",
                            _ => "",
                        }),
                    }
                }
            }
            Ok(Event::End(_)) => {
                if current.is_some() {
                    if depth_in_prop == 0 {
                        if let Some((name, text)) = current.take() {
                            let text = text.trim().to_string();
                            if !text.is_empty() {
                                out.push((name, text));
                            }
                        }
                    } else {
                        depth_in_prop -= 1;
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    out
}

fn attributes_into(e: &quick_xml::events::BytesStart, out: &mut Vec<(&'static str, String)>) {
    for attr in e.attributes().flatten() {
        if let Some((_, report)) = XMP_KEYS.iter().find(|(k, _)| *k == attr.key.as_ref())
            && let Ok(v) = attr.normalized_value(quick_xml::XmlVersion::Implicit1_0)
        {
            let v = v.trim().to_string();
            if !v.is_empty() {
                out.push((report, v));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::StringFormat;

    #[test]
    fn text_strings() {
        let s = |b: &[u8]| Object::String(b.to_vec(), StringFormat::Literal);
        let cases: &[(Object, &str)] = &[
            (s(b"Plain title"), "Plain title"),
            (s(b"\xFE\xFF\x4E\x2D\x65\x87"), "中文"),
            (s("中文标题".as_bytes()), "中文标题"),
            (s(b"\xD6\xD0\xCE\xC4"), "中文"),
            (s(b"caf\xE9"), "café"),
        ];
        for (obj, want) in cases {
            assert_eq!(text_string(obj).as_deref(), Some(*want));
        }
    }

    #[test]
    fn titles() {
        let cases = [
            ("2025年度总结报告", true),
            ("Microsoft Word - 总结报告.docx", false),
            ("总结报告.doc", false),
            ("Untitled", false),
            ("", false),
            ("Annual report", true),
        ];
        for (t, want) in cases {
            assert_eq!(is_real_title(t), want, "{t}");
        }
    }

    #[test]
    fn xmp() {
        let xml = r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" pdf:Keywords="自治区科协2025年度学会重点资助项目"/>
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">结题报告 &amp; 附件</rdf:li></rdf:Alt></dc:title>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">说明</rdf:li></rdf:Alt></dc:description>
<dc:subject><rdf:Bag><rdf:li>甲</rdf:li><rdf:li>乙</rdf:li></rdf:Bag></dc:subject>
</rdf:Description></rdf:RDF></x:xmpmeta>"#;
        let got = xmp_fields(xml);
        assert_eq!(
            got,
            vec![
                (
                    "pdf:Keywords",
                    "自治区科协2025年度学会重点资助项目".to_string()
                ),
                ("dc:title", "结题报告 & 附件".to_string()),
                ("dc:description", "说明".to_string()),
                ("dc:subject", "甲 乙".to_string()),
            ]
        );
        assert!(xmp_fields("<a><dc:title>broken").is_empty());
    }
}
