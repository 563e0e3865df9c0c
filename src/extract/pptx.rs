//! PPTX (PowerPoint, WPS 演示, LibreOffice Impress): slides in presentation order, hidden
//! slides, speaker notes, and master/layout text for the label search.
//!
//! Why it exists: the guide asks for "≥5 主旨报告幻灯片" decks and a label on every resource.
//! A deck's slide count is the number of `p:sldId` in `ppt/presentation.xml`; slide *order* is
//! that list resolved through `ppt/_rels/presentation.xml.rels`, never file names (a deck whose
//! slides were reordered keeps `slide7.xml` in position 2). A label set on the slide master
//! shows on every slide, so master and layout text is kept (as `Masters`, not counted).
//!
//! Decisions:
//! - `facts.slides` counts `p:sldId`; `facts.hidden_slides` counts listed slides whose root
//!   `p:sld` has `show="0"`. Hidden slides' text is still slide text.
//! - Slide text is every `a:t` (shapes, tables, fields) with `a:p` → `\n` and `a:br` → `\n`,
//!   plus SmartArt text from the slide's `diagramData` part (a reader sees it on the slide).
//!   Charts and embedded objects are not read.
//! - A slide part that is listed but missing or unreadable is a warning, not a failure: the
//!   count still says what the deck claims, and the reviewer is told which slide was lost.

use std::collections::{HashMap, HashSet};

use crate::extract::Extractor;
use crate::extract::ooxml::{self, Flow, Node, Ns, Package, attr, attr_prefixed};
use crate::facts::{Facts, Format, PartKind, Problem};
use crate::input::{Input, Limits};

pub(crate) struct PptxExtractor;

impl Extractor for PptxExtractor {
    fn name(&self) -> &'static str {
        "pptx"
    }
    fn formats(&self) -> &'static [Format] {
        &[Format::Pptx]
    }
    fn extract(
        &self,
        input: &Input,
        limits: &Limits,
        warnings: &mut Vec<Problem>,
    ) -> Result<Facts, Problem> {
        let mut pkg = Package::open(input, limits)?;
        let main = pkg.main_part("ppt/presentation.xml")?;
        let Some(bytes) = pkg.read(&main)? else {
            return Err(Problem::new(
                crate::codes::UNREADABLE_CORRUPT,
                format!("文件已损坏：缺少演示文稿部件 {main}，请重新导出"),
            ));
        };
        let lists = read_presentation(&bytes, &main)?;
        drop(bytes);
        let rels = pkg.rels(&main)?;
        let target_of = |id: &str| rels.iter().find(|r| r.id == id).map(|r| r.target.clone());

        let mut facts = Facts {
            slides: u32::try_from(lists.slides.len()).ok(),
            ..Facts::default()
        };
        let mut hidden = 0u32;
        let mut layouts: Vec<String> = Vec::new();
        // Slide numbers whose part is missing or unreadable, and the first reason.
        let mut missing: Vec<usize> = Vec::new();
        let mut reason: Option<Problem> = None;
        // A part listed twice is counted twice but read once (its hidden flag remembered).
        let mut done: HashMap<String, bool> = HashMap::new();
        for (n, id) in lists.slides.iter().enumerate() {
            let number = n + 1;
            let Some(part) = target_of(id) else {
                missing.push(number);
                continue;
            };
            if let Some(&was_hidden) = done.get(&part) {
                hidden += u32::from(was_hidden);
                continue;
            }
            let slide = match pkg.read(&part) {
                Ok(Some(bytes)) => read_drawing_text(&bytes, &part),
                Ok(None) => Err(Problem::new(
                    crate::codes::UNREADABLE_CORRUPT,
                    format!("缺少部件 {part}"),
                )),
                Err(p) => Err(p),
            };
            let slide = match slide {
                Ok(slide) => slide,
                Err(p) => {
                    missing.push(number);
                    reason.get_or_insert(p);
                    continue;
                }
            };
            hidden += u32::from(slide.hidden);
            done.insert(part.clone(), slide.hidden);
            facts.push_text(PartKind::Slides, &slide.text);
            let slide_rels = pkg.rels(&part).unwrap_or_else(|p| {
                warnings.push(p);
                Vec::new()
            });
            for rel in slide_rels.iter().filter(|r| r.is("diagramData")) {
                read_into(
                    &mut pkg,
                    &rel.target,
                    PartKind::Slides,
                    &mut facts,
                    warnings,
                );
            }
            for rel in slide_rels.iter().filter(|r| r.is("notesSlide")) {
                read_into(
                    &mut pkg,
                    &rel.target,
                    PartKind::SpeakerNotes,
                    &mut facts,
                    warnings,
                );
            }
            for rel in slide_rels.iter().filter(|r| r.is("slideLayout")) {
                if !layouts.contains(&rel.target) {
                    layouts.push(rel.target.clone());
                }
            }
        }
        if !missing.is_empty() {
            warnings.push(missing_slides(&missing, reason));
        }
        facts.hidden_slides = Some(hidden);

        // Masters, then every layout they or the slides use, each read once.
        let mut seen: HashSet<String> = HashSet::new();
        for id in &lists.masters {
            let Some(master) = target_of(id) else {
                continue;
            };
            if !seen.insert(master.clone()) {
                continue;
            }
            read_into(&mut pkg, &master, PartKind::Masters, &mut facts, warnings);
            let master_rels = pkg.rels(&master).unwrap_or_default();
            for rel in master_rels.iter().filter(|r| r.is("slideLayout")) {
                if !layouts.contains(&rel.target) {
                    layouts.push(rel.target.clone());
                }
            }
        }
        for layout in layouts {
            if seen.insert(layout.clone()) {
                read_into(&mut pkg, &layout, PartKind::Masters, &mut facts, warnings);
            }
        }

        ooxml::read_doc_props(&mut pkg, &mut facts, warnings);
        Ok(facts)
    }
}

/// One warning for all lost slides (a hostile deck may list thousands).
fn missing_slides(numbers: &[usize], reason: Option<Problem>) -> Problem {
    let mut list: Vec<String> = numbers.iter().take(10).map(|n| n.to_string()).collect();
    if numbers.len() > 10 {
        list.push("…".to_string());
    }
    let why = reason
        .map(|p| format!("：{}", p.message))
        .unwrap_or_default();
    Problem::new(
        crate::codes::PPTX_SLIDE_MISSING,
        format!(
            "{} 张幻灯片（第 {} 张）缺失或无法读取，其文字未计入{why}",
            numbers.len(),
            list.join("、")
        ),
    )
}

/// Reads a secondary DrawingML part's text into `kind`; problems become warnings.
fn read_into(
    pkg: &mut Package,
    part: &str,
    kind: PartKind,
    facts: &mut Facts,
    warnings: &mut Vec<Problem>,
) {
    let Some(bytes) = pkg.read_optional(part, warnings) else {
        return;
    };
    match read_drawing_text(&bytes, part) {
        Ok(t) => facts.push_text(kind, &t.text),
        Err(p) => warnings.push(p),
    }
}

/// The id lists of `presentation.xml`: slides in order, and slide masters.
#[derive(Debug, Default)]
struct Lists {
    slides: Vec<String>,
    masters: Vec<String>,
}

fn read_presentation(bytes: &[u8], part: &str) -> Result<Lists, Problem> {
    let mut lists = Lists::default();
    ooxml::walk_xml(bytes, part, &mut |node| {
        if let Node::Open {
            ns: Ns::P,
            local,
            start,
        } = node
        {
            let list = match local {
                "sldId" => Some(&mut lists.slides),
                "sldMasterId" => Some(&mut lists.masters),
                _ => None,
            };
            if let Some(list) = list {
                list.push(attr_prefixed(start, "id").unwrap_or_default());
            }
        }
        Flow::Continue
    })?;
    Ok(lists)
}

/// Text of one DrawingML part (slide, notes, master, layout, SmartArt data).
struct PartText {
    text: String,
    /// `p:sld show="0"`.
    hidden: bool,
}

fn read_drawing_text(bytes: &[u8], part: &str) -> Result<PartText, Problem> {
    let mut out = PartText {
        text: String::new(),
        hidden: false,
    };
    let mut in_t = 0u32;
    ooxml::walk_xml(bytes, part, &mut |node| {
        match node {
            Node::Open { ns, local, start } => match (ns, local) {
                (Ns::P, "sld") => {
                    out.hidden = matches!(attr(start, "show").as_deref(), Some("0" | "false"));
                }
                (Ns::A, "t") => in_t += 1,
                (Ns::A, "br") => out.text.push('\n'),
                _ => {}
            },
            Node::Close { ns, local } => match (ns, local) {
                (Ns::A, "t") => in_t = in_t.saturating_sub(1),
                (Ns::A, "p") => out.text.push('\n'),
                _ => {}
            },
            Node::Text(t) => {
                if in_t > 0 {
                    out.text.push_str(t);
                }
            }
        }
        Flow::Continue
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::ooxml::tests::package;

    const NS: &str = r#"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#;
    const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    fn rels(items: &[(&str, &str, &str)]) -> String {
        let mut s = String::from(
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
        );
        for (id, kind, target) in items {
            s.push_str(&format!(
                r#"<Relationship Id="{id}" Type="{REL}/{kind}" Target="{target}"/>"#
            ));
        }
        s.push_str("</Relationships>");
        s
    }

    fn slide(text: &str, show: Option<&str>) -> String {
        let show = show.map(|s| format!(r#" show="{s}""#)).unwrap_or_default();
        format!(
            r#"<p:sld {NS}{show}><p:cSld><p:spTree><p:sp><p:txBody><a:bodyPr/><a:p><a:r><a:t>{text}</a:t></a:r><a:br/><a:r><a:t>二</a:t></a:r></a:p><a:p><a:fld type="slidenum"><a:t>‹#›</a:t></a:fld></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>"#
        )
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
    fn order_hidden_notes_masters() {
        // File names deliberately disagree with the order in sldIdLst.
        let presentation = format!(
            r#"<p:presentation {NS}><p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst><p:sldIdLst><p:sldId id="256" r:id="rId4"/><p:sldId id="257" r:id="rId2"/><p:sldId id="258" r:id="rId3"/></p:sldIdLst></p:presentation>"#
        );
        let pres_rels = rels(&[
            ("rId1", "slideMaster", "slideMasters/slideMaster1.xml"),
            ("rId2", "slide", "slides/slide1.xml"),
            ("rId3", "slide", "/ppt/slides/slide2.xml"),
            ("rId4", "slide", "slides/slide3.xml"),
        ]);
        let master = format!(
            r#"<p:sldMaster {NS}><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>自治区科协2025年度学会重点资助项目</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sldMaster>"#
        );
        let layout = format!(
            r#"<p:sldLayout {NS}><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>版式</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sldLayout>"#
        );
        let notes = format!(
            r#"<p:notes {NS}><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>讲稿</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:notes>"#
        );
        let bytes = package(&[
            ("[Content_Types].xml", "<Types/>"),
            (
                "_rels/.rels",
                &rels(&[("rId1", "officeDocument", "ppt/presentation.xml")]),
            ),
            ("ppt/presentation.xml", &presentation),
            ("ppt/_rels/presentation.xml.rels", &pres_rels),
            ("ppt/slides/slide1.xml", &slide("乙", Some("0"))),
            ("ppt/slides/slide2.xml", &slide("丙", None)),
            ("ppt/slides/slide3.xml", &slide("甲", Some("1"))),
            (
                "ppt/slides/_rels/slide3.xml.rels",
                &rels(&[
                    ("rId1", "slideLayout", "../slideLayouts/slideLayout1.xml"),
                    ("rId2", "notesSlide", "../notesSlides/notesSlide1.xml"),
                ]),
            ),
            ("ppt/notesSlides/notesSlide1.xml", &notes),
            ("ppt/slideMasters/slideMaster1.xml", &master),
            (
                "ppt/slideMasters/_rels/slideMaster1.xml.rels",
                &rels(&[("rId1", "slideLayout", "../slideLayouts/slideLayout1.xml")]),
            ),
            ("ppt/slideLayouts/slideLayout1.xml", &layout),
        ]);
        let input = Input::from_bytes(bytes, "t.pptx");
        let mut warnings = Vec::new();
        let facts = PptxExtractor
            .extract(&input, &Limits::default(), &mut warnings)
            .expect("pptx");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(facts.slides, Some(3));
        assert_eq!(facts.hidden_slides, Some(1));
        assert_eq!(
            text_of(&facts, PartKind::Slides),
            "甲\n二\n‹#›\n乙\n二\n‹#›\n丙\n二\n‹#›\n"
        );
        assert_eq!(text_of(&facts, PartKind::SpeakerNotes), "讲稿\n");
        assert_eq!(
            text_of(&facts, PartKind::Masters),
            "自治区科协2025年度学会重点资助项目\n版式\n"
        );
    }

    #[test]
    fn missing_slide_is_a_warning_and_missing_presentation_is_corrupt() {
        let presentation = format!(
            r#"<p:presentation {NS}><p:sldIdLst><p:sldId id="256" r:id="rId2"/><p:sldId id="257" r:id="rId9"/></p:sldIdLst></p:presentation>"#
        );
        let bytes = package(&[
            ("ppt/presentation.xml", &presentation),
            (
                "ppt/_rels/presentation.xml.rels",
                &rels(&[("rId2", "slide", "slides/slide1.xml")]),
            ),
            ("ppt/slides/slide1.xml", &slide("一", None)),
        ]);
        let input = Input::from_bytes(bytes, "t.pptx");
        let mut warnings = Vec::new();
        let facts = PptxExtractor
            .extract(&input, &Limits::default(), &mut warnings)
            .expect("pptx");
        assert_eq!(facts.slides, Some(2));
        assert_eq!(
            warnings.iter().map(|w| w.code.as_str()).collect::<Vec<_>>(),
            vec!["pptx.slide_missing"]
        );

        let bytes = package(&[("[Content_Types].xml", "<Types/>")]);
        let input = Input::from_bytes(bytes, "t.pptx");
        let err = PptxExtractor
            .extract(&input, &Limits::default(), &mut Vec::new())
            .expect_err("no presentation");
        assert_eq!(err.code, "unreadable.corrupt");
    }

    #[test]
    fn alternate_content_in_slides_read_once() {
        let xml = format!(
            r#"<p:sld {NS}><p:cSld><p:spTree><mc:AlternateContent><mc:Choice Requires="p14"><p:sp><p:txBody><a:p><a:r><a:t>一次</a:t></a:r></a:p></p:txBody></p:sp></mc:Choice><mc:Fallback><p:sp><p:txBody><a:p><a:r><a:t>一次</a:t></a:r></a:p></p:txBody></p:sp></mc:Fallback></mc:AlternateContent></p:spTree></p:cSld></p:sld>"#
        );
        let got = read_drawing_text(xml.as_bytes(), "s.xml").expect("slide");
        assert_eq!(got.text, "一次\n");
    }
}
