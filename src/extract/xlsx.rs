//! XLSX (Excel, WPS 表格, LibreOffice Calc): worksheets as rows of cell text, plus the text a
//! reader sees around them (headers/footers, text boxes, comments) and document properties.
//!
//! Why it exists: expert lists and sign-in sheets come as spreadsheets, and the `expert-list`
//! requirement needs their rows and columns ([`crate::experts`]); a spreadsheet's words count
//! as its cell text ([`sheets_to_text`]).
//!
//! Why not the `calamine` crate, although it is a dependency (it reads .xls, [`super::ole`]):
//! for XLSX it gives the cells only, and a reader sees more — headers/footers, the text boxes
//! and shapes of a sheet's drawing, comments — all of which count for 字数 and for labels. It
//! also opens the package itself, without decompression limits (shared strings are held whole,
//! whatever their size), where every part here goes through the package's limits
//! ([`super::ooxml::Package`]). The cells themselves — shared strings, inline strings,
//! cached values — are a small streaming pass over the same walker as DOCX and PPTX.
//!
//! Decisions and trade-offs:
//! - Sheets in workbook order (`xl/workbook.xml` `sheet` → relationship), hidden sheets too.
//! - A cell's text: shared string (`t="s"`), inline string (`t="inlineStr"`, phonetic runs
//!   `rPh` left out), formula string (`t="str"`), error (`t="e"`), `TRUE`/`FALSE`, or the
//!   number as stored, tidied (`3.0000000000000004` → `3`). Number formats are not applied: a
//!   date is its serial number, a percentage its fraction. For 字数 that is one word either way.
//! - Cells go to their column (`r="C7"`); missing cells are empty strings. Runs of empty rows
//!   collapse to one, as for ODS; cells are bounded by [`TableBudget`].
//! - Headers/footers (`headerFooter`, with `&P`, `&"font"`, `&12` codes removed) →
//!   `HeadersFooters`; text boxes and shapes of the sheet's drawing → `TextBoxes`; comments →
//!   `Comments`. Charts are not read.

use crate::extract::Extractor;
use crate::extract::ooxml::{self, Flow, Node, Ns, Package, attr, attr_prefixed};
use crate::extract::table::{MAX_COLUMNS, Sheet, TableBudget, sheets_to_text, table_limit_problem};
use crate::facts::{Facts, Format, PartKind, Problem};
use crate::input::{Input, Limits};

pub(crate) struct XlsxExtractor;

impl Extractor for XlsxExtractor {
    fn name(&self) -> &'static str {
        "xlsx"
    }
    fn formats(&self) -> &'static [Format] {
        &[Format::Xlsx]
    }
    fn extract(
        &self,
        input: &Input,
        limits: &Limits,
        warnings: &mut Vec<Problem>,
    ) -> Result<Facts, Problem> {
        let mut pkg = Package::open(input, limits)?;
        let main = pkg.main_part("xl/workbook.xml")?;
        let Some(bytes) = pkg.read(&main)? else {
            return Err(Problem::new(
                crate::codes::UNREADABLE_CORRUPT,
                format!("文件已损坏：缺少工作簿部件 {main}，请重新导出"),
            ));
        };
        let listed = read_workbook(&bytes, &main)?;
        drop(bytes);
        let rels = pkg.rels(&main)?;
        let shared = match rels.iter().find(|r| r.is("sharedStrings")) {
            Some(rel) => rel.target.clone(),
            None => "xl/sharedStrings.xml".to_string(),
        };
        let strings = match pkg.read(&shared)? {
            Some(bytes) => read_shared_strings(&bytes, &shared)?,
            None => Vec::new(),
        };

        let mut facts = Facts::default();
        let mut sheets = Vec::new();
        let mut budget = TableBudget::default();
        let mut lost: Vec<String> = Vec::new();
        let mut reason: Option<Problem> = None;
        for (name, rid) in &listed {
            let Some(part) = rels.iter().find(|r| &r.id == rid).map(|r| r.target.clone()) else {
                lost.push(name.clone());
                continue;
            };
            let read = match pkg.read(&part) {
                Ok(Some(bytes)) => read_sheet(&bytes, &part, &strings, &mut budget),
                Ok(None) => Err(Problem::new(
                    crate::codes::UNREADABLE_CORRUPT,
                    format!("缺少部件 {part}"),
                )),
                Err(p) => Err(p),
            };
            let sheet = match read {
                Ok(sheet) => sheet,
                Err(p) => {
                    lost.push(name.clone());
                    reason.get_or_insert(p);
                    continue;
                }
            };
            facts.push_text(PartKind::HeadersFooters, &sheet.headers_footers);
            if !sheet.rows.is_empty() {
                sheets.push(Sheet {
                    name: name.clone(),
                    rows: sheet.rows,
                });
            }
            let sheet_rels = pkg.rels(&part).unwrap_or_else(|p| {
                warnings.push(p);
                Vec::new()
            });
            for rel in sheet_rels.iter().filter(|r| r.is("drawing")) {
                if let Some(bytes) = pkg.read_optional(&rel.target, warnings) {
                    match read_drawing_text(&bytes, &rel.target) {
                        Ok(text) => facts.push_text(PartKind::TextBoxes, &text),
                        Err(p) => warnings.push(p),
                    }
                }
            }
            for rel in sheet_rels.iter().filter(|r| r.is("comments")) {
                if let Some(bytes) = pkg.read_optional(&rel.target, warnings) {
                    match read_comments(&bytes, &rel.target) {
                        Ok(text) => facts.push_text(PartKind::Comments, &text),
                        Err(p) => warnings.push(p),
                    }
                }
            }
        }
        if !lost.is_empty() {
            warnings.push(Problem::new(
                crate::codes::XLSX_SHEET_MISSING,
                format!(
                    "工作表 {} 无法读取（{}），其内容未计入",
                    lost.join("、"),
                    reason
                        .map(|p| p.message)
                        .unwrap_or_else(|| "工作簿中找不到".into())
                ),
            ));
        }
        if budget.exceeded {
            warnings.push(table_limit_problem());
        }
        facts.push_text(PartKind::Tables, &sheets_to_text(&sheets));
        facts.tables = sheets;
        ooxml::read_doc_props(&mut pkg, &mut facts, warnings);
        Ok(facts)
    }
}

/// `(name, r:id)` of each `sheet` in `xl/workbook.xml`, in order.
fn read_workbook(bytes: &[u8], part: &str) -> Result<Vec<(String, String)>, Problem> {
    let mut out = Vec::new();
    ooxml::walk_xml(bytes, part, &mut |node| {
        if let Node::Open {
            ns: Ns::S,
            local: "sheet",
            start,
        } = node
            && let Some(rid) = attr_prefixed(start, "id")
        {
            let name = attr(start, "name").unwrap_or_else(|| format!("Sheet{}", out.len() + 1));
            out.push((name, rid));
        }
        Flow::Continue
    })?;
    Ok(out)
}

/// The shared string table: each `si`'s text (rich-text runs joined, phonetic runs left out).
fn read_shared_strings(bytes: &[u8], part: &str) -> Result<Vec<String>, Problem> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut in_t = false;
    ooxml::walk_xml(bytes, part, &mut |node| {
        match node {
            Node::Open {
                ns: Ns::S, local, ..
            } => match local {
                "rPh" => return Flow::Skip,
                "si" => current.clear(),
                "t" => in_t = true,
                _ => {}
            },
            Node::Text(t) if in_t => current.push_str(t),
            Node::Close { ns: Ns::S, local } => match local {
                "t" => in_t = false,
                "si" => out.push(std::mem::take(&mut current)),
                _ => {}
            },
            _ => {}
        }
        Flow::Continue
    })?;
    Ok(out)
}

/// One worksheet's rows and header/footer text.
#[derive(Debug, Default)]
struct SheetText {
    rows: Vec<Vec<String>>,
    headers_footers: String,
}

/// `C7` → column index 2. Letters only (at most three: XFD is the last column).
fn column_of(reference: &str) -> Option<usize> {
    let letters: Vec<u8> = reference
        .bytes()
        .take_while(u8::is_ascii_alphabetic)
        .collect();
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let n = letters.iter().fold(0usize, |acc, b| {
        acc * 26 + usize::from(b.to_ascii_uppercase() - b'A') + 1
    });
    Some(n - 1)
}

/// A stored number as a person would read it: integral values without `.0`, float noise
/// rounded to 15 significant digits (Excel shows at most 15).
pub(crate) fn tidy_number(raw: &str) -> String {
    let raw = raw.trim();
    let Ok(x) = raw.parse::<f64>() else {
        return raw.to_string();
    };
    if !x.is_finite() || x.abs() >= 1e15 || (x != 0.0 && x.abs() < 1e-9) {
        // Out of the range where a plain decimal reads well: as stored.
        return raw.to_string();
    }
    if x.fract() == 0.0 {
        return format!("{}", x as i64);
    }
    let rounded: f64 = format!("{x:.14e}").parse().unwrap_or(x);
    format!("{rounded}")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum In {
    None,
    Value,
    Inline,
    HeaderFooter,
}

fn read_sheet(
    bytes: &[u8],
    part: &str,
    strings: &[String],
    budget: &mut TableBudget,
) -> Result<SheetText, Problem> {
    let mut out = SheetText::default();
    let mut row: Vec<String> = Vec::new();
    let mut pending_row = false;
    let mut last_row: Option<u64> = None;
    let mut cell_col: Option<usize> = None;
    let mut cell_type = String::new();
    let mut value = String::new();
    let mut inline = String::new();
    let mut within = In::None;
    let mut in_t = false;
    let mut hf = String::new();
    ooxml::walk_xml(bytes, part, &mut |node| {
        match node {
            Node::Open {
                ns: Ns::S,
                local,
                start,
            } => match local {
                "row" => {
                    row.clear();
                    let r = attr(start, "r").and_then(|r| r.trim().parse::<u64>().ok());
                    if let (Some(r), Some(last)) = (r, last_row)
                        && r > last.saturating_add(1)
                        && !out.rows.is_empty()
                    {
                        pending_row = true;
                    }
                    if r.is_some() {
                        last_row = r;
                    } else {
                        last_row = last_row.map(|l| l.saturating_add(1));
                    }
                }
                "c" => {
                    cell_col = attr(start, "r").and_then(|r| column_of(&r));
                    cell_type = attr(start, "t").unwrap_or_default();
                    value.clear();
                    inline.clear();
                }
                "v" => within = In::Value,
                "is" => within = In::Inline,
                "rPh" => return Flow::Skip,
                "t" if within == In::Inline => in_t = true,
                "oddHeader" | "oddFooter" | "evenHeader" | "evenFooter" | "firstHeader"
                | "firstFooter" => {
                    within = In::HeaderFooter;
                    hf.clear();
                }
                _ => {}
            },
            Node::Text(t) => match within {
                In::Value => value.push_str(t),
                In::Inline if in_t => inline.push_str(t),
                In::HeaderFooter => hf.push_str(t),
                _ => {}
            },
            Node::Close { ns: Ns::S, local } => match local {
                "v" | "is" => within = In::None,
                "t" => in_t = false,
                "c" => {
                    let text = match cell_type.as_str() {
                        "s" => value
                            .trim()
                            .parse::<usize>()
                            .ok()
                            .and_then(|i| strings.get(i))
                            .cloned()
                            .unwrap_or_default(),
                        "inlineStr" => std::mem::take(&mut inline),
                        "str" | "e" => value.clone(),
                        "b" => match value.trim() {
                            "1" => "TRUE".into(),
                            "0" => "FALSE".into(),
                            other => other.to_string(),
                        },
                        _ => tidy_number(&value),
                    };
                    let col = cell_col.unwrap_or(row.len());
                    if !text.trim().is_empty() && col < MAX_COLUMNS {
                        let pad = col.saturating_sub(row.len());
                        if budget.take(pad as u64 + 1, text.len() as u64) {
                            row.resize(row.len().max(col), String::new());
                            match row.get_mut(col) {
                                Some(slot) => *slot = text,
                                None => row.push(text),
                            }
                        }
                    }
                }
                "row" => {
                    if row.iter().all(|c| c.trim().is_empty()) {
                        if !out.rows.is_empty() {
                            pending_row = true;
                        }
                    } else {
                        if pending_row {
                            out.rows.push(Vec::new());
                            pending_row = false;
                        }
                        out.rows.push(std::mem::take(&mut row));
                    }
                }
                "oddHeader" | "oddFooter" | "evenHeader" | "evenFooter" | "firstHeader"
                | "firstFooter" => {
                    within = In::None;
                    let text = strip_header_codes(&hf);
                    if !text.trim().is_empty() {
                        out.headers_footers.push_str(text.trim());
                        out.headers_footers.push('\n');
                    }
                }
                _ => {}
            },
            _ => {}
        }
        Flow::Continue
    })?;
    Ok(out)
}

/// Removes Excel's header/footer codes: `&L`/`&C`/`&R` sections (→ line breaks), fields
/// (`&P`, `&N`, `&D`, `&T`, `&F`, `&A`, `&Z`, `&G`), formatting (`&B`, `&I`, `&U`, `&E`,
/// `&S`, `&X`, `&Y`, `&"font,style"`, `&12`, `&KRRGGBB`); `&&` is a literal `&`.
pub(crate) fn strip_header_codes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '&' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('&') => out.push('&'),
            Some('"') => {
                for c in chars.by_ref() {
                    if c == '"' {
                        break;
                    }
                }
            }
            Some(d) if d.is_ascii_digit() => {
                while chars.peek().is_some_and(char::is_ascii_digit) {
                    chars.next();
                }
            }
            Some('K') => {
                for _ in 0..6 {
                    if chars.peek().is_some_and(char::is_ascii_alphanumeric) {
                        chars.next();
                    }
                }
            }
            Some('L' | 'C' | 'R') => {
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
            }
            Some(_) | None => {}
        }
    }
    out
}

/// Text of a DrawingML part (`a:t`, `a:p` → line break): text boxes and shapes on a sheet.
fn read_drawing_text(bytes: &[u8], part: &str) -> Result<String, Problem> {
    let mut out = String::new();
    let mut in_t = false;
    ooxml::walk_xml(bytes, part, &mut |node| {
        match node {
            Node::Open {
                ns: Ns::A,
                local: "t",
                ..
            } => in_t = true,
            Node::Text(t) if in_t => out.push_str(t),
            Node::Close { ns: Ns::A, local } => match local {
                "t" => in_t = false,
                "p" => out.push('\n'),
                _ => {}
            },
            _ => {}
        }
        Flow::Continue
    })?;
    // Empty paragraphs leave bare line breaks.
    Ok(if out.trim().is_empty() {
        String::new()
    } else {
        out
    })
}

/// Text of a comments part, one comment per line (authors left out).
fn read_comments(bytes: &[u8], part: &str) -> Result<String, Problem> {
    let mut out = String::new();
    let mut in_t = false;
    ooxml::walk_xml(bytes, part, &mut |node| {
        match node {
            Node::Open {
                ns: Ns::S, local, ..
            } => match local {
                "authors" | "rPh" => return Flow::Skip,
                "t" => in_t = true,
                _ => {}
            },
            Node::Text(t) if in_t => out.push_str(t),
            Node::Close { ns: Ns::S, local } => match local {
                "t" => in_t = false,
                "comment" => out.push('\n'),
                _ => {}
            },
            _ => {}
        }
        Flow::Continue
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::ooxml::tests::package;

    const S: &str = r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

    fn xlsx(sheets: &[(&str, &str)], shared: &str, extra: &[(&str, &str)]) -> Vec<u8> {
        let mut wb = format!("<workbook {S}><sheets>");
        let mut rels = String::from(
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#,
        );
        for (i, (name, _)) in sheets.iter().enumerate() {
            wb.push_str(&format!(
                r#"<sheet name="{name}" sheetId="{}" r:id="rId{}"/>"#,
                i + 1,
                i + 1
            ));
            rels.push_str(&format!(
                r#"<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{}.xml"/>"#,
                i + 1,
                i + 1
            ));
        }
        wb.push_str("</sheets></workbook>");
        rels.push_str("</Relationships>");
        let names: Vec<String> = (1..=sheets.len())
            .map(|i| format!("xl/worksheets/sheet{i}.xml"))
            .collect();
        let bodies: Vec<String> = sheets
            .iter()
            .map(|(_, body)| format!("<worksheet {S}>{body}</worksheet>"))
            .collect();
        let mut parts: Vec<(&str, &str)> = vec![
            ("[Content_Types].xml", "<Types/>"),
            (
                "_rels/.rels",
                r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
            ),
            ("xl/workbook.xml", &wb),
            ("xl/_rels/workbook.xml.rels", &rels),
            ("xl/sharedStrings.xml", shared),
        ];
        for (n, b) in names.iter().zip(&bodies) {
            parts.push((n, b));
        }
        parts.extend_from_slice(extra);
        package(&parts)
    }

    use std::collections::HashMap;

    fn rows_by_sheet(facts: &Facts) -> HashMap<&str, &Vec<Vec<String>>> {
        facts
            .tables
            .iter()
            .map(|s| (s.name.as_str(), &s.rows))
            .collect()
    }

    fn extract(bytes: Vec<u8>) -> (Result<Facts, Problem>, Vec<Problem>) {
        let input = Input::from_bytes(bytes, "t.xlsx");
        let mut warnings = Vec::new();
        let r = XlsxExtractor.extract(&input, &Limits::default(), &mut warnings);
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
    fn cells_to_rows() {
        let shared = format!(
            r#"<sst {S} count="4" uniqueCount="4"><si><t>姓名</t></si><si><t>职称</t></si><si><r><t>张</t></r><r><rPr><b/></rPr><t>三</t></r><rPh sb="0" eb="1"><t>ちょう</t></rPh></si><si><t xml:space="preserve">中国工程院院士 </t></si></sst>"#
        );
        let sheet1 = r#"<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>3.0000000000000004</v></c><c r="C2" t="s"><v>3</v></c></row><row r="5"><c r="A5" t="inlineStr"><is><t>李四</t></is></c><c r="B5" t="b"><v>1</v></c><c r="C5" t="str"><f>A1</f><v>公式</v></c><c r="D5" t="e"><v>#DIV/0!</v></c><c r="E5"><v>0.30000000000000004</v></c></row><row r="6"><c r="A6" s="3"/></row></sheetData><headerFooter><oddHeader>&amp;L&amp;"宋体,加粗"&amp;12自治区科协2025年度&amp;C学会重点资助项目&amp;R第 &amp;P 页 &amp;&amp; 共 &amp;N 页</oddHeader></headerFooter>"#;
        let sheet2 = r#"<sheetData><row r="1"><c r="B1"><v>42</v></c></row></sheetData>"#;
        let (r, warnings) = xlsx_case(&[("专家", sheet1), ("其他", sheet2)], &shared);
        let facts = r.expect("xlsx");
        assert!(warnings.is_empty(), "{warnings:?}");
        let rows = rows_by_sheet(&facts);
        let row = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            rows["专家"],
            &vec![
                row(&["姓名", "", "职称"]),
                row(&["张三", "3", "中国工程院院士 "]),
                vec![],
                row(&["李四", "TRUE", "公式", "#DIV/0!", "0.3"]),
            ]
        );
        assert_eq!(rows["其他"], &vec![row(&["", "42"])]);
        assert_eq!(
            text_of(&facts, PartKind::Tables),
            "姓名\t\t职称\n张三\t3\t中国工程院院士 \n\n李四\tTRUE\t公式\t#DIV/0!\t0.3\n\t42\n"
        );
        assert_eq!(
            text_of(&facts, PartKind::HeadersFooters),
            "自治区科协2025年度\n学会重点资助项目\n第  页 & 共  页\n"
        );
    }

    fn xlsx_case(sheets: &[(&str, &str)], shared: &str) -> (Result<Facts, Problem>, Vec<Problem>) {
        extract(xlsx(sheets, shared, &[]))
    }

    #[test]
    fn drawings_and_comments() {
        let sheet = r#"<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>表</t></is></c></row></sheetData><drawing r:id="rId1"/>"#;
        let sheet_rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing" Target="../drawings/drawing1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="../comments1.xml"/></Relationships>"#;
        let drawing = r#"<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:twoCellAnchor><xdr:sp><xdr:txBody><a:p><a:r><a:t>自治区科协2025年度学会重点资助项目</a:t></a:r></a:p></xdr:txBody></xdr:sp></xdr:twoCellAnchor></xdr:wsDr>"#;
        let comments = format!(
            r#"<comments {S}><authors><author>作者甲</author></authors><commentList><comment ref="A1" authorId="0"><text><r><t>批注一</t></r></text></comment></commentList></comments>"#
        );
        let bytes = xlsx(
            &[("S", sheet)],
            &format!("<sst {S}/>"),
            &[
                ("xl/worksheets/_rels/sheet1.xml.rels", sheet_rels),
                ("xl/drawings/drawing1.xml", drawing),
                ("xl/comments1.xml", &comments),
            ],
        );
        let (r, warnings) = extract(bytes);
        let facts = r.expect("xlsx");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            text_of(&facts, PartKind::TextBoxes),
            "自治区科协2025年度学会重点资助项目\n"
        );
        assert_eq!(text_of(&facts, PartKind::Comments), "批注一\n");
    }

    #[test]
    fn numbers_and_columns() {
        let cases = [
            ("3.0000000000000004", "3"),
            ("0.30000000000000004", "0.3"),
            ("45123", "45123"),
            ("-1.5E-3", "-0.0015"),
            ("1e300", "1e300"),
            ("abc", "abc"),
        ];
        for (raw, want) in cases {
            assert_eq!(tidy_number(raw), want, "{raw}");
        }
        assert_eq!(column_of("A1"), Some(0));
        assert_eq!(column_of("AA10"), Some(26));
        assert_eq!(column_of("XFD1"), Some(16383));
        assert_eq!(column_of("ABCD1"), None);
        assert_eq!(column_of("12"), None);
    }

    #[test]
    fn broken_workbooks() {
        let (r, warnings) = extract(xlsx(&[("S", "<sheetData><row><c")], "<sst/>", &[]));
        // A broken sheet is a warning naming the sheet; the workbook is still read.
        assert!(r.is_ok());
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].code, "xlsx.sheet_missing");
        assert!(warnings[0].message.contains('S'));
        let no_workbook = package(&[
            ("[Content_Types].xml", "<Types/>"),
            ("xl/styles.xml", "<x/>"),
        ]);
        let (r, _) = extract(no_workbook);
        assert_eq!(r.err().map(|p| p.code), Some("unreadable.corrupt".into()));
    }
}
