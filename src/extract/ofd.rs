//! OFD (GB/T 33190, 版式文档): page count, the text of the pages, template (layout) text kept
//! apart, annotations, and the document information, from the package's XML.
//!
//! Why it exists: government platforms and e-invoice systems deliver OFD, and no maintained
//! Rust crate reads it (the ofdrw reference implementation is Java). The format is a zip of
//! XML: `OFD.xml` → `DocBody/DocRoot` → `Document.xml` → `Pages/Page@BaseLoc` → each page's
//! `Content.xml`, whose `TextObject/TextCode` elements hold Unicode text. Reading that needs
//! only the shared zip container and XML walker ([`super::ooxml`]), so it is written here.
//!
//! Decisions and trade-offs:
//! - Pages in `Document.xml` order; `facts.pages` is the number of `Page` entries (over every
//!   `DocBody`). Page text is `Body`, one page after another; every `TextObject` ends a line and
//!   a `TextCode` at another baseline inside the same object starts one. No layout analysis:
//!   Han counts are exact, but a producer that draws one Latin word as several objects makes
//!   more non-CJK words than a reader sees.
//! - Templates (`CommonData/TemplatePage`, referenced by a page's `Template@TemplateID`) are the
//!   furniture shared by pages: invoice frames, letterheads. Their text is kept as `Masters`
//!   (searched for labels, not counted), once per page that uses it, as a reader sees it.
//! - Annotations (`Annotations.xml` → per-page `PageAnnot`, e.g. watermarks and stamps with
//!   text) are kept as `Comments`: seen, not counted.
//! - Paths: `BaseLoc` is relative to the file that names it (`Document.xml`'s folder) or absolute
//!   from the package root (`/Doc_0/...`); producers get this wrong, so a path that does not
//!   exist is also tried from the package root and, for a folder, with `Content.xml` appended.
//!   Element names are matched by local name: producers use both `http://www.ofdspec.org/2016`
//!   and `http://www.ofdspec.org`.
//! - `DocInfo` (Title, Author, Subject, Abstract, Keywords, Creator, CustomData) → metadata.
//! - A missing or broken `OFD.xml`/`Document.xml` is `unreadable.corrupt`; a missing or broken
//!   page is a warning naming the page (the count still says what the document claims).

use std::collections::HashMap;

use crate::extract::Extractor;
use crate::extract::ooxml::{self, Flow, Node, Package, attr};
use crate::facts::{Facts, Format, PartKind, Problem};
use crate::input::{Input, Limits};

pub(crate) struct OfdExtractor;

/// Most `DocBody` entries read from one OFD.xml (real files have one).
const MAX_DOCS: usize = 64;

impl Extractor for OfdExtractor {
    fn name(&self) -> &'static str {
        "ofd"
    }
    fn formats(&self) -> &'static [Format] {
        &[Format::Ofd]
    }
    fn extract(
        &self,
        input: &Input,
        limits: &Limits,
        warnings: &mut Vec<Problem>,
    ) -> Result<Facts, Problem> {
        let mut pkg = Package::open(input, limits)?;
        let entry = find_entry(&pkg).ok_or_else(|| {
            corrupt("文件已损坏：OFD 包中没有 OFD.xml（入口文件），请重新导出".into())
        })?;
        let root_dir = dir_of(&entry);
        let bytes = pkg
            .read(&entry)?
            .ok_or_else(|| corrupt("文件已损坏：无法读取 OFD.xml，请重新导出".into()))?;
        let bodies = read_entry(&bytes, &entry)?;
        drop(bytes);
        if bodies.is_empty() {
            return Err(corrupt(
                "文件已损坏：OFD.xml 没有指明文档（DocBody/DocRoot），请重新导出".into(),
            ));
        }
        let mut facts = Facts::default();
        let mut pages = 0u32;
        let mut read_any = false;
        let mut first_problem: Option<Problem> = None;
        for body in bodies.iter().take(MAX_DOCS) {
            for (name, value) in &body.info {
                if name == "title" && facts.title.is_none() && !value.trim().is_empty() {
                    facts.title = Some(value.trim().chars().take(200).collect());
                }
                facts.add_meta(name, value);
            }
            let Some(root) = body.root.as_deref() else {
                continue;
            };
            match read_document(&mut pkg, &root_dir, root, &mut facts, warnings) {
                Ok(n) => {
                    pages = pages.saturating_add(n);
                    read_any = true;
                }
                Err(p) => {
                    first_problem.get_or_insert(p);
                }
            }
        }
        if !read_any {
            return Err(first_problem.unwrap_or_else(|| {
                corrupt("文件已损坏：OFD.xml 没有指明文档（DocRoot），请重新导出".into())
            }));
        }
        if let Some(p) = first_problem {
            warnings.push(p);
        }
        facts.pages = Some(pages);
        Ok(facts)
    }
}

fn corrupt(message: String) -> Problem {
    Problem::new(crate::codes::UNREADABLE_CORRUPT, message)
}

/// `OFD.xml` at the root, or (a folder zipped whole) the shallowest `…/OFD.xml`.
fn find_entry(pkg: &Package) -> Option<String> {
    if pkg.has("OFD.xml") {
        return Some("OFD.xml".into());
    }
    pkg.part_names()
        .filter(|n| n.ends_with("/ofd.xml"))
        .min_by_key(|n| (n.matches('/').count(), n.len()))
        .map(str::to_string)
}

/// The folder of a part (`Doc_0/Document.xml` → `Doc_0`), `""` at the root.
fn dir_of(part: &str) -> String {
    part.rsplit_once('/')
        .map(|(d, _)| d.to_string())
        .unwrap_or_default()
}

/// `loc` relative to `dir` (a folder, `""` for the root), with `.`/`..` resolved.
fn join(dir: &str, loc: &str) -> String {
    let source = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/_")
    };
    ooxml::resolve_target(&source, loc)
}

/// Finds the part a `BaseLoc`/`DocRoot`/`FileLoc` names: relative to `dir`, absolute from the
/// package root (`root_dir`, the folder of OFD.xml), then the usual producer mistakes.
fn locate(pkg: &Package, root_dir: &str, dir: &str, loc: &str) -> Option<String> {
    let loc = loc.trim();
    if loc.is_empty() {
        return None;
    }
    let mut candidates = Vec::new();
    if let Some(abs) = loc.strip_prefix('/').or_else(|| loc.strip_prefix('\\')) {
        candidates.push(join(root_dir, abs));
    } else {
        candidates.push(join(dir, loc));
        candidates.push(join(root_dir, loc));
    }
    let folders: Vec<String> = candidates
        .iter()
        .filter(|c| !c.to_ascii_lowercase().ends_with(".xml"))
        .map(|c| format!("{c}/Content.xml"))
        .collect();
    candidates.extend(folders);
    candidates.into_iter().find(|c| pkg.has(c))
}

/// One `DocBody` of OFD.xml.
#[derive(Debug, Default)]
struct DocBody {
    info: Vec<(String, String)>,
    root: Option<String>,
}

/// Reads OFD.xml: for each `DocBody`, its `DocInfo` fields and its `DocRoot`.
fn read_entry(bytes: &[u8], part: &str) -> Result<Vec<DocBody>, Problem> {
    let mut bodies: Vec<DocBody> = Vec::new();
    let mut text = String::new();
    let mut custom: Option<String> = None;
    let mut in_info = false;
    ooxml::walk_xml(bytes, part, &mut |node| {
        match node {
            Node::Open { local, start, .. } => {
                text.clear();
                match local {
                    "DocBody" => bodies.push(DocBody::default()),
                    "DocInfo" => in_info = true,
                    "CustomData" => custom = attr(start, "Name"),
                    _ => {}
                }
            }
            Node::Text(t) => text.push_str(t),
            Node::Close { local, .. } => {
                if let Some(body) = bodies.last_mut() {
                    let value = text.trim().to_string();
                    match local {
                        "DocInfo" => in_info = false,
                        "DocRoot" => body.root = Some(value),
                        "CustomData" if in_info => {
                            if let Some(name) = custom.take() {
                                body.info.push((format!("custom:{name}"), value));
                            }
                        }
                        "Title" | "Author" | "Subject" | "Abstract" | "Keyword" | "Creator"
                        | "CreatorVersion" | "DocUsage"
                            if in_info =>
                        {
                            let name = match local {
                                "Keyword" => "keywords".to_string(),
                                other => other.to_ascii_lowercase(),
                            };
                            body.info.push((name, value));
                        }
                        _ => {}
                    }
                }
                text.clear();
            }
        }
        Flow::Continue
    })?;
    Ok(bodies)
}

/// What Document.xml lists.
#[derive(Debug, Default)]
struct DocumentList {
    /// Template ID → BaseLoc.
    templates: HashMap<String, String>,
    /// Page (ID, BaseLoc) in order.
    pages: Vec<(String, String)>,
    annotations: Option<String>,
}

fn read_document_list(bytes: &[u8], part: &str) -> Result<DocumentList, Problem> {
    let mut list = DocumentList::default();
    let mut text = String::new();
    ooxml::walk_xml(bytes, part, &mut |node| {
        match node {
            Node::Open { local, start, .. } => {
                text.clear();
                match local {
                    "TemplatePage" => {
                        if let (Some(id), Some(loc)) = (attr(start, "ID"), attr(start, "BaseLoc")) {
                            list.templates.insert(id, loc);
                        }
                    }
                    "Page" => list.pages.push((
                        attr(start, "ID").unwrap_or_default(),
                        attr(start, "BaseLoc").unwrap_or_default(),
                    )),
                    _ => {}
                }
            }
            Node::Text(t) => text.push_str(t),
            Node::Close { local, .. } => {
                if local == "Annotations" && !text.trim().is_empty() {
                    list.annotations = Some(text.trim().to_string());
                }
                text.clear();
            }
        }
        Flow::Continue
    })?;
    Ok(list)
}

/// The text of a page (or template, or annotation) stream, and the templates it uses.
#[derive(Debug, Default, PartialEq)]
struct PageText {
    text: String,
    templates: Vec<String>,
    /// Annotation streams: (PageID of the `Page` entry, FileLoc) — only in Annotations.xml.
    files: Vec<(String, String)>,
}

/// Reads the `TextCode` text of a content stream: one line per `TextObject`, a new line where a
/// `TextCode` moves to another baseline within one object.
fn read_page_text(bytes: &[u8], part: &str) -> Result<PageText, Problem> {
    let mut out = PageText::default();
    let mut in_code = false;
    let mut object_open = false;
    let mut object_has_text = false;
    let mut last_y: Option<String> = None;
    let mut page_id: Option<String> = None;
    let mut file_loc = String::new();
    let mut in_file_loc = false;
    ooxml::walk_xml(bytes, part, &mut |node| {
        match node {
            Node::Open { local, start, .. } => match local {
                "TextObject" => {
                    object_open = true;
                    object_has_text = false;
                    last_y = None;
                }
                "TextCode" => {
                    in_code = true;
                    let y = attr(start, "Y");
                    if object_has_text && y.is_some() && y != last_y {
                        out.text.push('\n');
                    }
                    if y.is_some() {
                        last_y = y;
                    }
                }
                "Template" => {
                    if let Some(id) = attr(start, "TemplateID") {
                        out.templates.push(id);
                    }
                }
                // Annotations.xml: <Page PageID=".."><FileLoc>..</FileLoc></Page>
                "Page" => page_id = attr(start, "PageID"),
                "FileLoc" => {
                    in_file_loc = true;
                    file_loc.clear();
                }
                _ => {}
            },
            Node::Text(t) => {
                if in_code {
                    out.text.push_str(t);
                    object_has_text |= !t.is_empty();
                } else if in_file_loc {
                    file_loc.push_str(t);
                }
            }
            Node::Close { local, .. } => match local {
                "TextCode" => in_code = false,
                "TextObject" => {
                    if object_open && object_has_text {
                        out.text.push('\n');
                    }
                    object_open = false;
                }
                "FileLoc" => {
                    in_file_loc = false;
                    out.files.push((
                        page_id.clone().unwrap_or_default(),
                        file_loc.trim().to_string(),
                    ));
                }
                _ => {}
            },
        }
        Flow::Continue
    })?;
    Ok(out)
}

/// Reads one document (its `Document.xml` and pages) into `facts`; returns its page count.
fn read_document(
    pkg: &mut Package,
    root_dir: &str,
    root: &str,
    facts: &mut Facts,
    warnings: &mut Vec<Problem>,
) -> Result<u32, Problem> {
    let doc_part = locate(pkg, root_dir, root_dir, root).ok_or_else(|| {
        corrupt(format!(
            "文件已损坏：OFD.xml 指向的文档 {root} 不在包中，请重新导出"
        ))
    })?;
    let bytes = pkg
        .read(&doc_part)?
        .ok_or_else(|| corrupt(format!("文件已损坏：缺少 {doc_part}，请重新导出")))?;
    let list = read_document_list(&bytes, &doc_part)?;
    drop(bytes);
    let dir = dir_of(&doc_part);
    let count = u32::try_from(list.pages.len()).unwrap_or(u32::MAX);

    let mut templates: HashMap<String, Option<String>> = HashMap::new();
    let mut lost: Vec<usize> = Vec::new();
    let mut reason: Option<Problem> = None;
    for (n, (_, loc)) in list.pages.iter().enumerate() {
        let page = match locate(pkg, root_dir, &dir, loc) {
            None => Err(corrupt(format!("缺少页面 {loc}"))),
            Some(part) => match pkg.read(&part) {
                Ok(Some(bytes)) => read_page_text(&bytes, &part),
                Ok(None) => Err(corrupt(format!("缺少页面 {part}"))),
                Err(p) => Err(p),
            },
        };
        let page = match page {
            Ok(page) => page,
            Err(p) => {
                lost.push(n + 1);
                reason.get_or_insert(p);
                continue;
            }
        };
        if !page.text.is_empty() {
            facts.push_text(PartKind::Body, &page.text);
            facts.push_text(PartKind::Body, "\n");
        }
        for id in &page.templates {
            if !templates.contains_key(id) {
                let text = list
                    .templates
                    .get(id)
                    .and_then(|loc| locate(pkg, root_dir, &dir, loc))
                    .and_then(|part| {
                        let bytes = pkg.read_optional(&part, warnings)?;
                        match read_page_text(&bytes, &part) {
                            Ok(t) => Some(t.text),
                            Err(p) => {
                                warnings.push(p);
                                None
                            }
                        }
                    });
                templates.insert(id.clone(), text);
            }
            if let Some(Some(text)) = templates.get(id)
                && !text.is_empty()
            {
                facts.push_text(PartKind::Masters, text);
            }
        }
    }
    if !lost.is_empty() {
        let pages: Vec<String> = lost.iter().map(|n| format!("第 {n} 页")).collect();
        warnings.push(Problem::new(
            crate::codes::OFD_PAGE_MISSING,
            format!(
                "{} 的内容无法读取（{}），这些页的文字未计入",
                pages.join("、"),
                reason.map(|p| p.message).unwrap_or_default()
            ),
        ));
    }
    if let Some(loc) = &list.annotations {
        read_annotations(pkg, root_dir, &dir, loc, facts, warnings);
    }
    Ok(count)
}

/// Annotation text (watermarks, stamps with text) → `Comments`. Problems are warnings.
fn read_annotations(
    pkg: &mut Package,
    root_dir: &str,
    dir: &str,
    loc: &str,
    facts: &mut Facts,
    warnings: &mut Vec<Problem>,
) {
    let Some(part) = locate(pkg, root_dir, dir, loc) else {
        return;
    };
    let Some(bytes) = pkg.read_optional(&part, warnings) else {
        return;
    };
    let index = match read_page_text(&bytes, &part) {
        Ok(index) => index,
        Err(p) => {
            warnings.push(p);
            return;
        }
    };
    let annot_dir = dir_of(&part);
    for (_, file) in index.files {
        let Some(annot) = locate(pkg, root_dir, &annot_dir, &file) else {
            continue;
        };
        let Some(bytes) = pkg.read_optional(&annot, warnings) else {
            continue;
        };
        match read_page_text(&bytes, &annot) {
            Ok(t) => facts.push_text(PartKind::Comments, &t.text),
            Err(p) => warnings.push(p),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::ooxml::tests::package;

    const OFD: &str = r#"xmlns:ofd="http://www.ofdspec.org/2016""#;

    fn entry(root: &str, info: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {OFD} DocType="OFD" Version="1.0"><ofd:DocBody><ofd:DocInfo><ofd:DocID>x</ofd:DocID>{info}</ofd:DocInfo><ofd:DocRoot>{root}</ofd:DocRoot></ofd:DocBody></ofd:OFD>"#
        )
    }

    fn page(template: &str, objects: &str) -> String {
        format!(
            r#"<ofd:Page {OFD}><ofd:Area><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:Area>{template}<ofd:Content><ofd:Layer ID="1">{objects}</ofd:Layer></ofd:Content></ofd:Page>"#
        )
    }

    fn text_object(codes: &[(&str, &str)]) -> String {
        let mut s =
            String::from(r#"<ofd:TextObject ID="5" Boundary="0 0 10 10" Font="1" Size="3">"#);
        for (y, t) in codes {
            s.push_str(&format!(
                r#"<ofd:TextCode X="0" Y="{y}">{t}</ofd:TextCode>"#
            ));
        }
        s.push_str("</ofd:TextObject>");
        s
    }

    fn extract(parts: &[(&str, &str)]) -> (Result<Facts, Problem>, Vec<Problem>) {
        let input = Input::from_bytes(package(parts), "t.ofd");
        let mut warnings = Vec::new();
        let r = OfdExtractor.extract(&input, &Limits::default(), &mut warnings);
        (r, warnings)
    }

    fn text_of(facts: &Facts, kind: PartKind) -> String {
        facts
            .parts
            .iter()
            .filter(|p| p.kind == kind)
            .map(|p| p.text.clone())
            .collect()
    }

    #[test]
    fn pages_templates_and_info() {
        let document = format!(
            r#"<ofd:Document {OFD}><ofd:CommonData><ofd:TemplatePage ID="9" BaseLoc="Tpls/Tpl_0/Content.xml"/></ofd:CommonData><ofd:Pages><ofd:Page ID="10" BaseLoc="Pages/Page_0/Content.xml"/><ofd:Page ID="11" BaseLoc="/Doc_0/Pages/Page_1/Content.xml"/><ofd:Page ID="12" BaseLoc="Content_2.xml"/></ofd:Pages><ofd:Annotations>Annots/Annotations.xml</ofd:Annotations></ofd:Document>"#
        );
        let tpl = r#"<ofd:Template TemplateID="9" ZOrder="Background"/>"#;
        let p0 = page(
            tpl,
            &(text_object(&[("3", "自治区科协"), ("3", "2025"), ("8", "第二行")])
                + &text_object(&[("3", "050001700111")])),
        );
        let p1 = page(tpl, &text_object(&[("3", "第二页")]));
        let p2 = page("", &text_object(&[("3", "第三页")]));
        let template = page("", &text_object(&[("3", "电子发票（普通发票）")]));
        let annots = format!(
            r#"<ofd:Annotations {OFD}><ofd:Page PageID="10"><ofd:FileLoc>Page_0/Annotation.xml</ofd:FileLoc></ofd:Page></ofd:Annotations>"#
        );
        let annot = format!(
            r#"<ofd:PageAnnot {OFD}><ofd:Annot Type="Watermark"><ofd:Appearance Boundary="0 0 1 1">{}</ofd:Appearance></ofd:Annot></ofd:PageAnnot>"#,
            text_object(&[("2", "下载次数：1")])
        );
        let info = "<ofd:Title>专家名单</ofd:Title><ofd:Author>学会</ofd:Author><ofd:Keywords><ofd:Keyword>验收</ofd:Keyword></ofd:Keywords><ofd:CustomDatas><ofd:CustomData Name=\"项目\">自治区科协2025年度学会重点资助项目</ofd:CustomData></ofd:CustomDatas>";
        let (r, warnings) = extract(&[
            ("OFD.xml", &entry("Doc_0/Document.xml", info)),
            ("Doc_0/Document.xml", &document),
            ("Doc_0/Pages/Page_0/Content.xml", &p0),
            ("Doc_0/Pages/Page_1/Content.xml", &p1),
            ("Doc_0/Content_2.xml", &p2),
            ("Doc_0/Tpls/Tpl_0/Content.xml", &template),
            ("Doc_0/Annots/Annotations.xml", &annots),
            ("Doc_0/Annots/Page_0/Annotation.xml", &annot),
        ]);
        let facts = r.expect("ofd");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(facts.pages, Some(3));
        assert_eq!(
            text_of(&facts, PartKind::Body),
            "自治区科协2025\n第二行\n050001700111\n\n第二页\n\n第三页\n\n"
        );
        // Once per page that uses the template.
        assert_eq!(
            text_of(&facts, PartKind::Masters),
            "电子发票（普通发票）\n电子发票（普通发票）\n"
        );
        assert_eq!(text_of(&facts, PartKind::Comments), "下载次数：1\n");
        assert_eq!(facts.title.as_deref(), Some("专家名单"));
        let meta: Vec<(&str, &str)> = facts
            .metadata
            .iter()
            .map(|m| (m.name.as_str(), m.value.as_str()))
            .collect();
        assert_eq!(
            meta,
            vec![
                ("title", "专家名单"),
                ("author", "学会"),
                ("keywords", "验收"),
                ("custom:项目", "自治区科协2025年度学会重点资助项目"),
            ]
        );
    }

    #[test]
    fn odd_layouts_and_old_namespace() {
        // Entry in a folder, absolute DocRoot, a page BaseLoc naming a folder, the pre-2016
        // namespace, a UTF-8 BOM.
        let old = r#"xmlns:ofd="http://www.ofdspec.org""#;
        let document = format!(
            r#"<ofd:Document {old}><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages\Page_0"/></ofd:Pages></ofd:Document>"#
        );
        let p0 = format!(
            "\u{FEFF}<ofd:Page {old}><ofd:Content><ofd:Layer><ofd:PageBlock><ofd:TextObject><ofd:TextCode X=\"0\" Y=\"1\">块中文字</ofd:TextCode></ofd:TextObject></ofd:PageBlock></ofd:Layer></ofd:Content></ofd:Page>"
        );
        let (r, warnings) = extract(&[
            ("发票/OFD.xml", &entry("/Doc_0/Document.xml", "")),
            ("发票/Doc_0/Document.xml", &document),
            ("发票/Doc_0/Pages/Page_0/Content.xml", &p0),
        ]);
        let facts = r.expect("ofd");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(facts.pages, Some(1));
        assert_eq!(text_of(&facts, PartKind::Body), "块中文字\n\n");
    }

    #[test]
    fn broken_files() {
        let document = format!(
            r#"<ofd:Document {OFD}><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/><ofd:Page ID="2" BaseLoc="Pages/Page_1/Content.xml"/></ofd:Pages></ofd:Document>"#
        );
        let good = page("", &text_object(&[("1", "好页")]));
        // A missing page is a warning; the count stays what the document says.
        let (r, warnings) = extract(&[
            ("OFD.xml", &entry("Doc_0/Document.xml", "")),
            ("Doc_0/Document.xml", &document),
            ("Doc_0/Pages/Page_0/Content.xml", &good),
        ]);
        let facts = r.expect("ofd");
        assert_eq!(facts.pages, Some(2));
        assert_eq!(
            warnings.iter().map(|w| w.code.as_str()).collect::<Vec<_>>(),
            vec!["ofd.page_missing"]
        );
        assert!(
            warnings[0].message.contains("第 2 页"),
            "{}",
            warnings[0].message
        );

        type Parts = Vec<(&'static str, String)>;
        let cases: Vec<(Parts, &str, &str)> = vec![
            (
                vec![("Doc_0/Document.xml", document.clone())],
                "unreadable.corrupt",
                "OFD.xml",
            ),
            (
                vec![("OFD.xml", entry("Doc_0/Document.xml", ""))],
                "unreadable.corrupt",
                "Doc_0/Document.xml",
            ),
            (
                vec![
                    ("OFD.xml", entry("Doc_0/Document.xml", "")),
                    ("Doc_0/Document.xml", "<ofd:Document><ofd:Pages>".into()),
                ],
                "unreadable.corrupt",
                "Document.xml",
            ),
            (
                vec![("OFD.xml", format!("<ofd:OFD {OFD}></ofd:OFD>"))],
                "unreadable.corrupt",
                "DocBody",
            ),
        ];
        for (parts, code, mentions) in cases {
            let parts: Vec<(&str, &str)> = parts.iter().map(|(n, c)| (*n, c.as_str())).collect();
            let (r, _) = extract(&parts);
            let err = r.expect_err("broken");
            assert_eq!(err.code, code, "{}", err.message);
            assert!(err.message.contains(mentions), "{}", err.message);
        }
    }
}
