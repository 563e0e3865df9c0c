//! DOCX (Word, WPS, LibreOffice): the text a reader sees, by part, the way Word counts it.
//!
//! Why it exists: the guide's 字数 thresholds are checked against Word's 字数统计, which counts
//! body, tables, footnotes/endnotes and text boxes, and not headers, footers, comments, tracked
//! deletions or field codes. The text must also come out contiguous across runs, because Word
//! splits a label such as 自治区科协2025年度学会重点资助项目 into many `w:r` elements.
//!
//! Trade-offs and decisions:
//! - One streaming pass per part (see [`super::ooxml::walk_xml`]); text only from `w:t` (plus
//!   `w:tab`, `w:br`, `w:cr`, `w:noBreakHyphen`, non-symbol-font `w:sym`, and VML WordArt
//!   `v:textpath/@string`), so `w:delText` and `w:instrText` never enter.
//! - Field codes: everything between `w:fldChar begin` and `separate` is dropped (nested fields
//!   inside a code are part of the code); the result between `separate` and `end` is kept, as is
//!   `w:fldSimple` content. Field state carries across paragraphs (a TOC field spans many).
//! - Tracked changes: `w:del` and `w:moveFrom` subtrees are skipped, `w:ins`/`w:moveTo` read.
//!   Ruby text (`w:rt`, the phonetic guide above a base) is skipped: it annotates, and
//!   LibreOffice leaves it out too (corpus `stress019.docx` matches it exactly without it).
//!   Old formatting under `w:*PrChange` is skipped so a formerly-hidden run is not hidden now.
//! - Hidden text: a run whose own `w:rPr` has `w:vanish` (not `w:val="0"`). Hidden text that
//!   comes only from a style is not detected (styles.xml is not read): rare in reports.
//! - Part kinds: inside `w:txbxContent`/`v:textbox` → text boxes; else inside `w:tbl` (any
//!   depth) → tables; else body. In footnotes, headers and comments the whole part keeps its
//!   kind. Paragraphs end with `\n`, so table cells and runs never glue words together.
//! - Automatic list labels (`1.`, `a)`, bullets from numbering.xml) are not text: Word's 字数
//!   leaves them out (LibreOffice's statistics count them; see tests/ooxml_corpus.rs).
//! - `facts.pages` is app.xml's `<Pages>`: Word's value at the last save (no layout engine here).
//! - Tables of the main document are also kept as rows of cells (`facts.tables`, one `Sheet`
//!   per `w:tbl`, named `表1`, `表2` … in document order (a nested table after its outer one's
//!   number, listed before it); a cell's paragraphs are
//!   joined by `\n`; a nested table is its own sheet and not part of the outer cell), so the
//!   expert list can read names and titles by column.

use crate::extract::Extractor;
use crate::extract::ooxml::{self, Flow, Node, Ns, Package, attr, on_off};
use crate::extract::table::Sheet;
use crate::facts::{Facts, Format, PartKind, Problem};
use crate::input::{Input, Limits};

pub(crate) struct DocxExtractor;

impl Extractor for DocxExtractor {
    fn name(&self) -> &'static str {
        "docx"
    }
    fn formats(&self) -> &'static [Format] {
        &[Format::Docx]
    }
    fn extract(
        &self,
        input: &Input,
        limits: &Limits,
        warnings: &mut Vec<Problem>,
    ) -> Result<Facts, Problem> {
        let mut pkg = Package::open(input, limits)?;
        let main = pkg.main_part("word/document.xml")?;
        let Some(document) = pkg.read(&main)? else {
            return Err(Problem::new(
                crate::codes::UNREADABLE_CORRUPT,
                format!("文件已损坏：缺少正文部件 {main}，请重新导出"),
            ));
        };
        let mut facts = Facts::default();
        read_word_part(&document, &main, PartKind::Body, &mut facts)?;
        drop(document);

        // Secondary parts through the document's relationships, in a stable order:
        // footnotes, endnotes, headers/footers (document order of rels), comments.
        let rels = pkg.rels(&main).unwrap_or_else(|p| {
            warnings.push(p);
            Vec::new()
        });
        let mut plan: Vec<(String, PartKind)> = Vec::new();
        for (kind_name, part_kind) in [
            ("footnotes", PartKind::Notes),
            ("endnotes", PartKind::Notes),
            ("header", PartKind::HeadersFooters),
            ("footer", PartKind::HeadersFooters),
            ("comments", PartKind::Comments),
        ] {
            for rel in rels.iter().filter(|r| r.is(kind_name)) {
                if !plan.iter().any(|(t, _)| t == &rel.target) {
                    plan.push((rel.target.clone(), part_kind));
                }
            }
        }
        for (part, kind) in plan {
            let Some(bytes) = pkg.read_optional(&part, warnings) else {
                continue;
            };
            if let Err(p) = read_word_part(&bytes, &part, kind, &mut facts) {
                warnings.push(p);
            }
        }

        ooxml::read_doc_props(&mut pkg, &mut facts, warnings);
        facts.pages = facts
            .recorded
            .as_ref()
            .and_then(|r| r.pages)
            .and_then(|p| u32::try_from(p).ok())
            .filter(|&p| p > 0);
        Ok(facts)
    }
}

/// Reads one WordprocessingML part (document, footnotes, header …) into `facts`. `base` is the
/// part's kind; in the main document, tables and text boxes get their own kinds.
pub(crate) fn read_word_part(
    bytes: &[u8],
    part: &str,
    base: PartKind,
    facts: &mut Facts,
) -> Result<(), Problem> {
    let mut state = WordText::new(base);
    ooxml::walk_xml(bytes, part, &mut |node| state.on(node))?;
    for (kind, text) in state.out {
        facts.push_text(kind, &text);
    }
    facts.tables.extend(state.sheets);
    Ok(())
}

/// The elements whose nesting matters to the text rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Run,
    RunProps,
    Text,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Code,
    Result,
}

struct WordText {
    base: PartKind,
    /// Text per kind, in first-seen order.
    out: Vec<(PartKind, String)>,
    stack: Vec<Tag>,
    /// One flag per open run: is it hidden?
    runs: Vec<bool>,
    tables: u32,
    text_boxes: u32,
    fields: Vec<Field>,
    /// Open tables of the main document, innermost last (rows of cells being built).
    grids: Vec<Grid>,
    sheets: Vec<Sheet>,
    table_count: usize,
}

/// One `w:tbl` being read as rows of cells.
#[derive(Default)]
struct Grid {
    number: usize,
    rows: Vec<Vec<String>>,
    row: Option<Vec<String>>,
    cell: Option<String>,
}

impl WordText {
    fn new(base: PartKind) -> Self {
        WordText {
            base,
            out: Vec::new(),
            stack: Vec::new(),
            runs: Vec::new(),
            tables: 0,
            text_boxes: 0,
            fields: Vec::new(),
            grids: Vec::new(),
            sheets: Vec::new(),
            table_count: 0,
        }
    }

    fn kind(&self) -> PartKind {
        match self.base {
            PartKind::Body if self.text_boxes > 0 => PartKind::TextBoxes,
            PartKind::Body if self.tables > 0 => PartKind::Tables,
            other => other,
        }
    }

    fn buffer(&mut self) -> Option<&mut String> {
        let kind = self.kind();
        if !self.out.iter().any(|(k, _)| *k == kind) {
            self.out.push((kind, String::new()));
        }
        self.out
            .iter_mut()
            .find(|(k, _)| *k == kind)
            .map(|(_, text)| text)
    }

    /// Text is shown unless it is in a hidden run or inside a field code.
    fn visible(&self) -> bool {
        !self.runs.last().copied().unwrap_or(false) && !self.fields.contains(&Field::Code)
    }

    fn emit(&mut self, text: &str) {
        if !self.visible() {
            return;
        }
        if let Some(cell) = self.grids.last_mut().and_then(|g| g.cell.as_mut()) {
            cell.push_str(text);
        }
        if let Some(buffer) = self.buffer() {
            buffer.push_str(text);
        }
    }

    fn in_run_content(&self) -> bool {
        self.stack.last() == Some(&Tag::Run)
    }

    fn on(&mut self, node: Node<'_, '_>) -> Flow {
        match node {
            Node::Text(t) => {
                if self.stack.last() == Some(&Tag::Text) {
                    self.emit(t);
                }
                Flow::Continue
            }
            Node::Open { ns, local, start } => {
                if local.ends_with("PrChange") {
                    return Flow::Skip;
                }
                let mut tag = Tag::Other;
                match (ns, local) {
                    // Deleted and moved-away text; ruby (phonetic guide) text above its base.
                    (Ns::W, "del" | "moveFrom" | "rt") => return Flow::Skip,
                    (Ns::W, "footnote" | "endnote")
                        if matches!(
                            attr(start, "type").as_deref(),
                            Some("separator" | "continuationSeparator" | "continuationNotice")
                        ) =>
                    {
                        return Flow::Skip;
                    }
                    (Ns::W, "tbl") => {
                        self.tables += 1;
                        if self.base == PartKind::Body {
                            self.table_count += 1;
                            self.grids.push(Grid {
                                number: self.table_count,
                                ..Grid::default()
                            });
                        }
                    }
                    (Ns::W, "tr") => {
                        if let Some(g) = self.grids.last_mut() {
                            g.row = Some(Vec::new());
                        }
                    }
                    (Ns::W, "tc") => {
                        if let Some(g) = self.grids.last_mut() {
                            g.cell = Some(String::new());
                        }
                    }
                    (Ns::W, "txbxContent") | (Ns::V, "textbox") => self.text_boxes += 1,
                    (Ns::W, "r") => {
                        self.runs.push(false);
                        tag = Tag::Run;
                    }
                    (Ns::W, "rPr") if self.in_run_content() => tag = Tag::RunProps,
                    (Ns::W, "vanish") if self.stack.last() == Some(&Tag::RunProps) => {
                        if on_off(start)
                            && let Some(hidden) = self.runs.last_mut()
                        {
                            *hidden = true;
                        }
                    }
                    (Ns::W, "t") if self.in_run_content() => tag = Tag::Text,
                    (Ns::W, "tab" | "ptab") if self.in_run_content() => self.emit("\t"),
                    (Ns::W, "br" | "cr") if self.in_run_content() => self.emit("\n"),
                    (Ns::W, "noBreakHyphen") if self.in_run_content() => self.emit("-"),
                    (Ns::W, "sym") if self.in_run_content() => {
                        if let Some(ch) = attr(start, "char")
                            .and_then(|h| u32::from_str_radix(h.trim(), 16).ok())
                            .and_then(char::from_u32)
                            .filter(|c| !('\u{E000}'..='\u{F8FF}').contains(c))
                        {
                            let mut tmp = [0u8; 4];
                            self.emit(ch.encode_utf8(&mut tmp));
                        }
                    }
                    (Ns::W, "fldChar") => match attr(start, "fldCharType").as_deref() {
                        Some("begin") => self.fields.push(Field::Code),
                        Some("separate") => {
                            if let Some(top) = self.fields.last_mut() {
                                *top = Field::Result;
                            }
                        }
                        Some("end") => {
                            self.fields.pop();
                        }
                        _ => {}
                    },
                    (Ns::V, "textpath") => {
                        // WordArt / watermark text lives in an attribute.
                        if let Some(s) = attr(start, "string").filter(|s| !s.trim().is_empty()) {
                            let saved = self.text_boxes;
                            self.text_boxes += 1;
                            self.emit(&s);
                            self.emit("\n");
                            self.text_boxes = saved;
                        }
                    }
                    _ => {}
                }
                self.stack.push(tag);
                Flow::Continue
            }
            Node::Close { ns, local } => {
                self.stack.pop();
                match (ns, local) {
                    (Ns::W, "p") => {
                        // The paragraph mark: always a break, even after hidden text.
                        if let Some(buffer) = self.buffer() {
                            buffer.push('\n');
                        }
                        if let Some(cell) = self.grids.last_mut().and_then(|g| g.cell.as_mut()) {
                            cell.push('\n');
                        }
                    }
                    (Ns::W, "tc") => {
                        if let Some(g) = self.grids.last_mut()
                            && let Some(cell) = g.cell.take()
                        {
                            let cell = cell.trim_end_matches(['\n', '\r']).to_string();
                            g.row.get_or_insert_with(Vec::new).push(cell);
                        }
                    }
                    (Ns::W, "tr") => {
                        if let Some(g) = self.grids.last_mut()
                            && let Some(row) = g.row.take()
                            && row.iter().any(|c| !c.trim().is_empty())
                        {
                            g.rows.push(row);
                        }
                    }
                    (Ns::W, "tbl") => {
                        self.tables = self.tables.saturating_sub(1);
                        if self.base == PartKind::Body
                            && let Some(g) = self.grids.pop()
                            && !g.rows.is_empty()
                        {
                            self.sheets.push(Sheet {
                                name: format!("表{}", g.number),
                                rows: g.rows,
                            });
                        }
                    }
                    (Ns::W, "txbxContent") | (Ns::V, "textbox") => {
                        self.text_boxes = self.text_boxes.saturating_sub(1)
                    }
                    (Ns::W, "r") => {
                        self.runs.pop();
                    }
                    _ => {}
                }
                Flow::Continue
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::ooxml::tests::package;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

    fn body(inner: &str) -> String {
        format!("<w:document {W}><w:body>{inner}<w:sectPr/></w:body></w:document>")
    }

    fn text_of(facts: &Facts, kind: PartKind) -> String {
        facts
            .parts
            .iter()
            .filter(|p| p.kind == kind)
            .map(|p| p.text.clone())
            .collect()
    }

    fn docx(document: &str, extra: &[(&str, &str)]) -> Vec<u8> {
        let mut parts: Vec<(&str, &str)> = vec![
            ("[Content_Types].xml", "<Types/>"),
            (
                "_rels/.rels",
                r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#,
            ),
            ("word/document.xml", document),
        ];
        parts.extend_from_slice(extra);
        package(&parts)
    }

    fn extract(bytes: Vec<u8>) -> Result<Facts, Problem> {
        let input = Input::from_bytes(bytes, "t.docx");
        let mut warnings = Vec::new();
        let r = DocxExtractor.extract(&input, &Limits::default(), &mut warnings);
        assert!(warnings.is_empty(), "{warnings:?}");
        r
    }

    /// (case, document body XML, expected body text, expected tables text, expected text boxes)
    #[test]
    fn document_text_rules() {
        let label_runs = r#"<w:p><w:r><w:t>自治区</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>科协</w:t></w:r><w:r><w:t>2025</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:t>年度学会重点资助项目</w:t></w:r></w:p>"#;
        let cases: Vec<(&str, String, &str, &str, &str)> = vec![
            ("runs joined", body(label_runs), "自治区科协2025年度学会重点资助项目\n", "", ""),
            (
                "tab, breaks, hyphen, entities",
                body(r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:noBreakHyphen/><w:t xml:space="preserve">d &amp; e</w:t><w:cr/><w:sym w:font="Wingdings" w:char="F0FC"/><w:sym w:font="Symbol" w:char="03B1"/></w:r></w:p>"#),
                "a\tb\nc-d & e\nα\n",
                "",
                "",
            ),
            (
                "nested table",
                body(r#"<w:p><w:r><w:t>前</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>甲</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>乙</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc><w:tc><w:p><w:r><w:t>丙</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p><w:r><w:t>后</w:t></w:r></w:p>"#),
                "前\n后\n",
                "甲\n乙\n丙\n",
                "",
            ),
            (
                "tracked changes",
                body(r#"<w:p><w:r><w:t>保留</w:t></w:r><w:del w:id="1" w:author="a"><w:r><w:delText>删除</w:delText></w:r></w:del><w:ins w:id="2" w:author="a"><w:r><w:t>插入</w:t></w:r></w:ins><w:moveFrom w:id="3"><w:r><w:t>移走</w:t></w:r></w:moveFrom><w:moveTo w:id="4"><w:r><w:t>移来</w:t></w:r></w:moveTo></w:p><w:p><w:pPr><w:rPr><w:del w:id="5" w:author="a"/></w:rPr></w:pPr><w:r><w:t>尾</w:t></w:r></w:p>"#),
                "保留插入移来\n尾\n",
                "",
                "",
            ),
            (
                "field codes dropped, results kept",
                body(r#"<w:p><w:r><w:t>页</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>9</w:t></w:r></w:fldSimple></w:p><w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>IF </w:instrText></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>MERGEFIELD x</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>内码</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:instrText> = 1 "是" "否"</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>结果</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p><w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>TOC</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>目录一</w:t></w:r></w:p><w:p><w:r><w:t>目录二</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#),
                "页39\n结果\n目录一\n目录二\n",
                "",
                "",
            ),
            (
                "hidden runs",
                body(r#"<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r><w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>显示</w:t></w:r><w:r><w:rPr><w:rPrChange w:id="1"><w:rPr><w:vanish/></w:rPr></w:rPrChange></w:rPr><w:t>曾隐藏</w:t></w:r></w:p><w:p><w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr><w:r><w:t>段标记隐藏</w:t></w:r></w:p>"#),
                "显示曾隐藏\n段标记隐藏\n",
                "",
                "",
            ),
            (
                "text box once (Choice, not Fallback)",
                body(r#"<w:p><w:r><w:t>正文</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>续</w:t></w:r></w:p>"#),
                "正文续\n",
                "",
                "文本框\n",
            ),
            (
                "VML-only text box and WordArt",
                body(r#"<w:p><w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>旧框</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape><v:shape><v:textpath string="艺术字"/></v:shape></w:pict></w:r></w:p>"#),
                "\n",
                "",
                "旧框\n艺术字\n",
            ),
            (
                "ruby text is an annotation",
                body(r#"<w:p><w:r><w:ruby><w:rubyPr><w:rubyAlign w:val="center"/></w:rubyPr><w:rt><w:r><w:t>ふりがな</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>振仮名</w:t></w:r></w:rubyBase></w:ruby></w:r></w:p>"#),
                "振仮名\n",
                "",
                "",
            ),
            (
                "no prefix (default namespace)",
                r#"<document xmlns="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><body><p><r><t>无前缀</t></r></p></body></document>"#.to_string(),
                "无前缀\n",
                "",
                "",
            ),
        ];
        for (name, xml, want_body, want_tables, want_boxes) in cases {
            let facts = extract(docx(&xml, &[])).unwrap_or_else(|p| panic!("{name}: {p:?}"));
            assert_eq!(text_of(&facts, PartKind::Body), want_body, "{name}: body");
            assert_eq!(
                text_of(&facts, PartKind::Tables),
                want_tables,
                "{name}: tables"
            );
            assert_eq!(
                text_of(&facts, PartKind::TextBoxes),
                want_boxes,
                "{name}: text boxes"
            );
        }
    }

    #[test]
    fn tables_as_rows() {
        let xml = body(
            r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>姓</w:t></w:r><w:r><w:t>名</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>职称</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p/></w:tc><w:tc><w:p/></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>张三</w:t></w:r><w:del w:id="1"><w:r><w:delText>李</w:delText></w:r></w:del><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>中国工程院</w:t></w:r></w:p><w:p><w:r><w:t>院士</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>内表</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc></w:tr></w:tbl>"#,
        );
        let facts = extract(docx(&xml, &[])).expect("docx");
        let row = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            facts.tables,
            vec![
                Sheet {
                    name: "表2".into(),
                    rows: vec![row(&["内表"])],
                },
                Sheet {
                    name: "表1".into(),
                    rows: vec![row(&["姓名", "职称"]), row(&["张三", "中国工程院\n院士"])],
                },
            ]
        );
        assert_eq!(
            text_of(&facts, PartKind::Tables),
            "姓名\n职称\n\n\n张三\n中国工程院\n院士\n内表\n"
        );
    }

    #[test]
    fn secondary_parts() {
        let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>
            <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes" Target="endnotes.xml"/>
            <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>
            <Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="/word/footer7.xml"/>
            <Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/>
            <Relationship Id="rId6" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="http://example.com/" TargetMode="External"/>
        </Relationships>"#;
        let footnotes = format!(
            r#"<w:footnotes {W}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> 脚注内容</w:t></w:r></w:p></w:footnote></w:footnotes>"#
        );
        let endnotes = format!(
            r#"<w:endnotes {W}><w:endnote w:type="separator" w:id="-1"><w:p><w:r><w:t>分隔</w:t></w:r></w:p></w:endnote><w:endnote w:id="1"><w:p><w:r><w:t>尾注</w:t></w:r></w:p></w:endnote></w:endnotes>"#
        );
        let header = format!(
            r#"<w:hdr {W}><w:p><w:r><w:t>自治区科协2025年度</w:t></w:r><w:r><w:t>学会重点资助项目</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>页眉表格</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:hdr>"#
        );
        let footer = format!(r#"<w:ftr {W}><w:p><w:r><w:t>页脚</w:t></w:r></w:p></w:ftr>"#);
        let comments = format!(
            r#"<w:comments {W}><w:comment w:id="0" w:author="审"><w:p><w:r><w:t>批注文字</w:t></w:r></w:p></w:comment></w:comments>"#
        );
        let bytes = docx(
            &body(
                r#"<w:p><w:r><w:t>正文</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>"#,
            ),
            &[
                ("word/_rels/document.xml.rels", rels),
                ("word/footnotes.xml", &footnotes),
                ("word/endnotes.xml", &endnotes),
                ("word/header1.xml", &header),
                ("word/footer7.xml", &footer),
                ("word/comments.xml", &comments),
                // Not referenced from the document: not read.
                ("word/header9.xml", &header.replace("页眉表格", "孤立")),
            ],
        );
        let mut facts = extract(bytes).expect("docx");
        assert_eq!(text_of(&facts, PartKind::Body), "正文\n");
        assert_eq!(text_of(&facts, PartKind::Notes), " 脚注内容\n尾注\n");
        assert_eq!(
            text_of(&facts, PartKind::HeadersFooters),
            "自治区科协2025年度学会重点资助项目\n页眉表格\n页脚\n"
        );
        assert_eq!(text_of(&facts, PartKind::Comments), "批注文字\n");
        facts.finish_counts();
        // 正文 + 脚注内容 + 尾注: headers, footers and comments are not counted.
        assert_eq!(facts.counts.han, 2 + 4 + 2);
    }

    #[test]
    fn broken_packages() {
        let cut = body(r#"<w:p><w:r><w:t>正文</w:t></w:r></w:p><w:p><w:r><w:t>断"#);
        let cases: Vec<(Vec<u8>, &str, &str)> = vec![
            (docx(&cut, &[]), "unreadable.corrupt", "word/document.xml"),
            (
                package(&[
                    ("[Content_Types].xml", "<Types/>"),
                    ("word/styles.xml", "<x/>"),
                ]),
                "unreadable.corrupt",
                "word/document.xml",
            ),
        ];
        for (bytes, code, mentions) in cases {
            let err = extract(bytes).expect_err("broken");
            assert_eq!(err.code, code);
            assert!(err.message.contains(mentions), "{}", err.message);
        }
    }

    #[test]
    fn pages_and_title_from_props() {
        let bytes = docx(
            &body(r#"<w:p><w:r><w:t>第一行</w:t></w:r></w:p>"#),
            &[
                (
                    "docProps/app.xml",
                    "<Properties><Pages>4</Pages><Words>3</Words></Properties>",
                ),
                (
                    "docProps/core.xml",
                    r#"<cp:coreProperties xmlns:cp="x" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>建议报告</dc:title></cp:coreProperties>"#,
                ),
            ],
        );
        let facts = extract(bytes).expect("docx");
        assert_eq!(facts.pages, Some(4));
        assert_eq!(facts.title.as_deref(), Some("建议报告"));
        assert_eq!(facts.recorded.and_then(|r| r.words), Some(3));
    }
}
