//! XMP packets: the few Dublin Core / Photoshop properties a label may be typed into.
//!
//! XMP is RDF/XML with two spellings for the same property — an element with an
//! `rdf:Alt`/`rdf:Bag`/`rdf:Seq` of `rdf:li` values (or plain text), or an attribute of
//! `rdf:Description` — so both are read. quick-xml streams the packet; prefixes are matched
//! literally (`dc:`, `photoshop:`), which is how every writer we have seen spells them.

use quick_xml::Reader;
use quick_xml::events::Event;

/// Properties read, by qualified name.
const PROPERTIES: &[&str] = &[
    "dc:title",
    "dc:description",
    "dc:subject",
    "dc:rights",
    "dc:creator",
    "photoshop:Headline",
    "photoshop:Caption",
    "photoshop:DateCreated",
    "exif:DateTimeOriginal",
    "xmp:CreateDate",
];

/// Largest packet parsed (XMP in photos is a few KB; Photoshop history can reach ~100 KB).
const MAX_XMP: usize = 4 << 20;

/// (property, value) pairs, one per `rdf:li` or attribute, in document order.
pub(super) fn fields(xml: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if xml.len() > MAX_XMP {
        return out;
    }
    let mut reader = Reader::from_str(xml);
    // The property being read, its depth, and the text gathered for the current value.
    let mut current: Option<(String, usize)> = None;
    let mut text = String::new();
    let mut depth = 0usize;
    loop {
        let event = match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(e) => e,
        };
        match event {
            Event::Start(e) => {
                read_attributes(&e, &mut out);
                let name = e.name().as_ref().to_string();
                if current.is_none() && PROPERTIES.contains(&name.as_str()) {
                    current = Some((name, depth));
                    text.clear();
                }
                depth += 1;
            }
            Event::Empty(e) => read_attributes(&e, &mut out),
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if let Some((prop, d)) = &current {
                    if depth == *d {
                        // End of the property: plain-text spelling, or last li already pushed.
                        push(&mut out, prop, &text);
                        current = None;
                    } else {
                        // End of an rdf:li (or any inner element): one value.
                        push(&mut out, prop, &text);
                    }
                    text.clear();
                }
            }
            Event::Text(t) if current.is_some() => text.push_str(&t.xml10_content()),
            Event::CData(t) if current.is_some() => text.push_str(&t),
            Event::GeneralRef(r) if current.is_some() => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    text.push(c);
                } else if let Some(s) = quick_xml::escape::resolve_xml_entity(&r) {
                    text.push_str(s);
                }
            }
            _ => {}
        }
    }
    out
}

/// The attribute spelling: `<rdf:Description dc:title="…">`.
fn read_attributes(e: &quick_xml::events::BytesStart, out: &mut Vec<(String, String)>) {
    for attr in e.attributes().flatten() {
        let key = attr.key.as_ref().to_string();
        if PROPERTIES.contains(&key.as_str())
            && let Ok(v) = attr.normalized_value(quick_xml::XmlVersion::Implicit1_0)
        {
            push(out, &key, &v);
        }
    }
}

fn push(out: &mut Vec<(String, String)>, prop: &str, value: &str) {
    let value = value.trim();
    if !value.is_empty() {
        out.push((format!("XMP {prop}"), value.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_spellings() {
        let xml = r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
 <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
   xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:Headline="标题 &amp; 副标题">
  <dc:title><rdf:Alt><rdf:li xml:lang="x-default">会议现场</rdf:li></rdf:Alt></dc:title>
  <dc:description><rdf:Alt><rdf:li xml:lang="x-default">自治区科协&#50;025</rdf:li>
    <rdf:li xml:lang="en">Second</rdf:li></rdf:Alt></dc:description>
  <dc:subject><rdf:Bag><rdf:li>学会</rdf:li><rdf:li>科协</rdf:li><rdf:li/></rdf:Bag></dc:subject>
  <dc:rights>plain text</dc:rights>
  <dc:format>image/jpeg</dc:format>
 </rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"#;
        let got = fields(xml);
        let want = [
            ("XMP photoshop:Headline", "标题 & 副标题"),
            ("XMP dc:title", "会议现场"),
            ("XMP dc:description", "自治区科协2025"),
            ("XMP dc:description", "Second"),
            ("XMP dc:subject", "学会"),
            ("XMP dc:subject", "科协"),
            ("XMP dc:rights", "plain text"),
        ];
        let got: Vec<(&str, &str)> = got.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        assert_eq!(got, want);
        // Broken XML: whatever came before the break, no panic.
        assert_eq!(fields("<dc:title>abc</dc:tit").len(), 0);
        assert!(fields("<<<>>>&&&").is_empty());
    }
}
