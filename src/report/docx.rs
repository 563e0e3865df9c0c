//! The DOCX dossier (验收核查表): the Word document a reviewer prints, signs and files.
//!
//! Written with docx-rs, the one maintained Rust writer of WordprocessingML; reading DOCX stays
//! with our own zip + quick-xml extractor, which is faster for that job. The layout is plain on
//! purpose so that Word, WPS and LibreOffice lay it out alike: A4, one column, bordered tables
//! with fixed column widths (no floating objects, no fields except the page number), the East
//! Asian font named explicitly on every run (宋体 body, 黑体 headings; Times New Roman for Latin),
//! because a document without `w:eastAsia` shows Chinese in whatever the viewer picks.
//!
//! Sections: the project header (编号, 学会, 类别, 核查时间, tool version, overall verdict), the
//! requirements (要求, 依据 = the guide's wording, 实测, 结论), the files with their roles, the
//! findings to fix, and a signature block. Text that comes from a submission (file names,
//! document titles) can hold characters XML 1.0 forbids; [`clean`] drops them so a hostile file
//! name cannot make the dossier unreadable. The trade-off of building from the [`Report`] only:
//! role names come from the report itself (`Report::roles`), like every other renderer.

use std::io::Cursor;

use docx_rs::{
    AlignmentType, BorderType, Docx, Footer, LineSpacing, PageMargin, PageNum, Paragraph, Run,
    RunFonts, Shading, Table, TableBorder, TableBorderPosition, TableBorders, TableCell,
    TableCellMargins, TableLayoutType, TableRow, VAlignType, WidthType,
};

use crate::lang::Lang;
use crate::model::{Report, Verdict};
use crate::report::format::{self, DASH};

/// A4 in twentieths of a point.
const PAGE_W: u32 = 11906;
const PAGE_H: u32 = 16838;
const MARGIN: i32 = 1134; // 2 cm
/// Usable width: page minus two margins.
const TEXT_W: usize = 9638;

const BODY_FONT_ZH: &str = "宋体";
const HEAD_FONT_ZH: &str = "黑体";
const LATIN_FONT: &str = "Times New Roman";

/// Font sizes in half-points: 五号 10.5 pt, 小五 9 pt, 小二 18 pt.
const BODY_SIZE: usize = 21;
const TABLE_SIZE: usize = 18;
const SMALL_SIZE: usize = 16;
const TITLE_SIZE: usize = 36;
const HEADING_SIZE: usize = 24;

/// What the dossier shows besides the report: when it was checked and in which language.
#[derive(Debug, Clone)]
pub struct DocxMeta {
    pub lang: Lang,
    /// 核查时间, already formatted (`2026-11-29 12:30`).
    pub checked_at: String,
    /// The society (学会) when known from the folder name.
    pub society: Option<String>,
}

/// Renders the dossier as DOCX bytes.
pub fn render_docx(report: &Report, meta: &DocxMeta) -> std::io::Result<Vec<u8>> {
    let mut xml = build(report, meta).build();
    xml.document = repeat_header_rows(&xml.document, HEADED_TABLES);
    let mut buf = Cursor::new(Vec::new());
    xml.pack(&mut buf).map_err(std::io::Error::other)?;
    Ok(buf.into_inner())
}

/// The tables, in document order, whose first row is a column header: requirements and files
/// (0 is the project header, 3 the signature block).
const HEADED_TABLES: &[usize] = &[1, 2];

/// Marks the first row of each table in `tables` as a header row (`w:tblHeader`), so Word, WPS
/// and LibreOffice repeat it at the top of every page the table runs onto. docx-rs 0.4 has no
/// API for it; its output is regular (no nested tables in the dossier, every row carries
/// `w:cantSplit`), so the element is added to the row properties after the fact. CT_TrPr is a
/// choice group, so its position among the row properties does not matter.
fn repeat_header_rows(document: &[u8], tables: &[usize]) -> Vec<u8> {
    const CANT_SPLIT: &[u8] = b"<w:cantSplit />";
    let find = |hay: &[u8], from: usize, needle: &[u8]| {
        hay.get(from..)
            .and_then(|h| h.windows(needle.len()).position(|w| w == needle))
            .map(|i| i + from)
    };
    let mut out = Vec::with_capacity(document.len() + 64);
    let mut copied = 0;
    let mut at = 0;
    let mut index = 0;
    while let Some(tbl) = find(document, at, b"<w:tbl>") {
        at = tbl + 1;
        if tables.contains(&index)
            && let Some(cs) = find(document, tbl, CANT_SPLIT)
        {
            let end = cs + CANT_SPLIT.len();
            out.extend_from_slice(&document[copied..end]);
            out.extend_from_slice(b"<w:tblHeader />");
            copied = end;
            at = end;
        }
        index += 1;
    }
    out.extend_from_slice(&document[copied..]);
    out
}

/// Drops the characters XML 1.0 cannot carry (C0 controls other than tab and line breaks,
/// surrogates cannot occur in a `str`, U+FFFE/U+FFFF).
pub(crate) fn clean(s: &str) -> String {
    s.chars()
        .filter(|c| {
            let c = *c as u32;
            c == 0x9
                || c == 0xA
                || c == 0xD
                || (0x20..=0xD7FF).contains(&c)
                || (0xE000..=0xFFFD).contains(&c)
                || c >= 0x10000
        })
        .collect()
}

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .ascii(LATIN_FONT)
        .hi_ansi(LATIN_FONT)
        .cs(LATIN_FONT)
        .east_asia(east_asia)
}

fn run(text: &str, size: usize) -> Run {
    Run::new()
        .add_text(clean(text))
        .size(size)
        .fonts(fonts(BODY_FONT_ZH))
}

fn bold(text: &str, size: usize) -> Run {
    Run::new()
        .add_text(clean(text))
        .size(size)
        .bold()
        .fonts(fonts(HEAD_FONT_ZH))
}

fn para(r: Run) -> Paragraph {
    Paragraph::new()
        .add_run(r)
        .line_spacing(LineSpacing::new().before(0).after(0))
}

/// One paragraph per line of `text` (a dash for empty text).
fn paras(text: &str, size: usize) -> Vec<Paragraph> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() {
        return vec![para(run(DASH, size))];
    }
    lines.into_iter().map(|l| para(run(l, size))).collect()
}

fn cell(ps: Vec<Paragraph>, width: usize) -> TableCell {
    let mut c = TableCell::new()
        .width(width, WidthType::Dxa)
        .vertical_align(VAlignType::Top);
    for p in ps {
        c = c.add_paragraph(p);
    }
    c
}

fn text_cell(text: &str, width: usize) -> TableCell {
    cell(paras(text, TABLE_SIZE), width)
}

fn head_cell(text: &str, width: usize) -> TableCell {
    cell(vec![para(bold(text, TABLE_SIZE))], width).shading(Shading::new().fill("EEF0F3"))
}

fn verdict_fill(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "E3F3E7",
        Verdict::Review => "FFF2D6",
        Verdict::Fail => "FBE4E4",
    }
}

fn verdict_cell(lang: Lang, v: Verdict, width: usize) -> TableCell {
    let text = format!("{} {}", format::mark(v), lang.verdict(v));
    cell(vec![para(bold(&text, TABLE_SIZE))], width).shading(Shading::new().fill(verdict_fill(v)))
}

fn borders() -> TableBorders {
    let mut b = TableBorders::new();
    for pos in [
        TableBorderPosition::Top,
        TableBorderPosition::Left,
        TableBorderPosition::Bottom,
        TableBorderPosition::Right,
        TableBorderPosition::InsideH,
        TableBorderPosition::InsideV,
    ] {
        b = b.set(
            TableBorder::new(pos)
                .border_type(BorderType::Single)
                .size(4)
                .color("808080"),
        );
    }
    b
}

fn table(rows: Vec<TableRow>, grid: &[usize]) -> Table {
    Table::new(rows)
        .set_grid(grid.to_vec())
        .width(TEXT_W, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .set_borders(borders())
        .margins(TableCellMargins::new().margin(40, 80, 40, 80))
}

/// Column widths from fractions of the text width (the last column takes the rest).
fn grid(parts: &[usize]) -> Vec<usize> {
    let total: usize = parts.iter().sum::<usize>().max(1);
    let mut out: Vec<usize> = parts.iter().map(|p| TEXT_W * p / total).collect();
    let used: usize = out.iter().sum();
    if let Some(last) = out.last_mut() {
        *last += TEXT_W.saturating_sub(used);
    }
    out
}

fn heading(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(bold(text, HEADING_SIZE))
        .keep_next(true)
        .line_spacing(LineSpacing::new().before(240).after(120))
}

/// Full-width punctuation in Chinese, ASCII in English.
fn lp(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "（",
        Lang::En => " (",
    }
}

fn rp(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "）",
        Lang::En => ")",
    }
}

fn colon(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "：",
        Lang::En => ": ",
    }
}

fn build(report: &Report, meta: &DocxMeta) -> Docx {
    let lang = meta.lang;
    let t = lang.labels();
    let p = &report.project;
    let mut doc = Docx::new()
        .page_size(PAGE_W, PAGE_H)
        .page_margin(
            PageMargin::new()
                .top(MARGIN)
                .bottom(MARGIN)
                .left(MARGIN)
                .right(MARGIN)
                .header(567)
                .footer(567),
        )
        .default_fonts(fonts(BODY_FONT_ZH))
        .default_size(BODY_SIZE)
        .footer(
            Footer::new().add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .add_run(run(
                        &format!("{} · {} · ", report.tool, t.footer),
                        SMALL_SIZE,
                    ))
                    .add_page_num(PageNum::new()),
            ),
        );

    let title = match &p.code {
        Some(code) => format!("{}{}{code}{}", t.docx_title, lp(lang), rp(lang)),
        None => t.docx_title.to_string(),
    };
    doc = doc.add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(bold(&title, TITLE_SIZE))
            .line_spacing(LineSpacing::new().before(0).after(240)),
    );

    // Project header.
    let hg = grid(&[22, 78]);
    let mut rows = Vec::new();
    let mut field = |label: &str, value: String| {
        rows.push(
            TableRow::new(vec![head_cell(label, hg[0]), text_cell(&value, hg[1])]).cant_split(),
        );
    };
    field(t.project_name, p.name.clone());
    field(t.code, p.code.clone().unwrap_or_else(|| DASH.to_string()));
    field(
        t.society,
        meta.society.clone().unwrap_or_else(|| DASH.to_string()),
    );
    field(t.category, format::category_line(p, lang));
    if let Some(level) = &p.level {
        field(
            t.level,
            match &p.level_source {
                Some(src) => format!(
                    "{level}{}{}{}{src}{}",
                    lp(lang),
                    t.basis,
                    colon(lang),
                    rp(lang)
                ),
                None => level.clone(),
            },
        );
    }
    field(
        t.checked_at,
        format!("{}{}", meta.checked_at, lang.labels().beijing_time),
    );
    if let Some(a) = format::archive_line(report, lang) {
        field(lang.labels().submitted_as, a);
    }
    field(t.tool, report.tool.clone());
    let tally = match lang {
        Lang::Zh => format::tally_text_in(&report.tally, Lang::Zh),
        Lang::En => format!(
            "{} requirements: {} pass, {} fail, {} need review; {} files, {} unreadable",
            report.requirements.len(),
            report.tally.pass,
            report.tally.fail,
            report.tally.review,
            report.tally.files,
            report.tally.unreadable
        ),
    };
    field(t.tally, tally);
    rows.push(
        TableRow::new(vec![
            head_cell(t.overall, hg[0]),
            verdict_cell(lang, report.verdict, hg[1]),
        ])
        .cant_split(),
    );
    doc = doc.add_table(table(rows, &hg));
    // Why nothing could be checked, and warnings about the set-up, before anything else.
    if let Some(b) = &report.blocker {
        doc = doc.add_paragraph(
            Paragraph::new()
                .add_run(bold(
                    &format!("{}{}", lang.verdict(report.verdict), colon(lang)),
                    BODY_SIZE,
                ))
                .add_run(run(lang.problem(b), BODY_SIZE)),
        );
    }
    for n in &report.notices {
        doc = doc.add_paragraph(
            Paragraph::new()
                .add_run(bold(
                    &format!("{}{}", lang.labels().notice, colon(lang)),
                    BODY_SIZE,
                ))
                .add_run(run(n, BODY_SIZE)),
        );
    }

    // Requirements.
    doc = doc.add_paragraph(heading(t.requirements));
    let rg = grid(&[6, 22, 34, 22, 16]);
    let mut rows = vec![
        TableRow::new(vec![
            head_cell(t.n, rg[0]),
            head_cell(t.requirement, rg[1]),
            head_cell(t.guide, rg[2]),
            head_cell(t.measured, rg[3]),
            head_cell(t.verdict, rg[4]),
        ])
        .cant_split(),
    ];
    for (i, r) in report.requirements.iter().enumerate() {
        let mut req = vec![para(run(&r.title, TABLE_SIZE))];
        if !r.threshold_text.trim().is_empty() {
            req.push(para(run(
                &format!("{}{}{}", t.threshold, colon(lang), r.threshold_text.trim()),
                SMALL_SIZE,
            )));
        }
        let mut measured = paras(&r.measured_text, TABLE_SIZE);
        let paths = format::evidence_paths(&r.evidence);
        if !paths.is_empty() {
            measured.push(para(run(
                &format!(
                    "{}{}{}",
                    t.evidence,
                    colon(lang),
                    format::paths_short_in(&paths, 3, lang)
                ),
                SMALL_SIZE,
            )));
        }
        rows.push(
            TableRow::new(vec![
                text_cell(&(i + 1).to_string(), rg[0]),
                cell(req, rg[1]),
                cell(paras(&r.guide, SMALL_SIZE), rg[2]),
                cell(measured, rg[3]),
                verdict_cell(lang, r.verdict, rg[4]),
            ])
            .cant_split(),
        );
    }
    doc = doc.add_table(table(rows, &rg));

    // Files.
    doc = doc.add_paragraph(heading(t.files));
    let fg = grid(&[6, 40, 16, 22, 16]);
    let mut rows = vec![
        TableRow::new(vec![
            head_cell(t.n, fg[0]),
            head_cell(t.file, fg[1]),
            head_cell(t.role, fg[2]),
            head_cell(&format!("{} · {}", t.words, t.extent), fg[3]),
            head_cell(t.status, fg[4]),
        ])
        .cant_split(),
    ];
    for (i, f) in report.files.iter().enumerate() {
        let facts = f.facts.as_ref();
        let role = f
            .role
            .as_deref()
            .map(|r| crate::report::format::role_label(report, r, lang))
            .unwrap_or_else(|| t.unclassified.to_string());
        let mut size = vec![format!("{} {}", t.words, format::words(facts))];
        if let Some(e) = facts.and_then(|x| format::extent_in(x, lang)) {
            size.push(e);
        }
        let mut file = vec![para(run(&f.path, TABLE_SIZE))];
        file.push(para(run(
            &format!("{} · {}", f.format.name(), format::size(f.size)),
            SMALL_SIZE,
        )));
        rows.push(
            TableRow::new(vec![
                text_cell(&(i + 1).to_string(), fg[0]),
                cell(file, fg[1]),
                text_cell(&role, fg[2]),
                text_cell(&size.join("\n"), fg[3]),
                text_cell(lang.status(f.status), fg[4]),
            ])
            .cant_split(),
        );
    }
    doc = doc.add_table(table(rows, &fg));

    // Findings to fix: why nothing could be checked, failing and doubtful requirements, then
    // file problems (the same list as every dossier's, see `format::fixes_in`).
    doc = doc.add_paragraph(heading(t.findings));
    let fixes = format::fixes_in(report, lang);
    let last = fixes.len();
    for (i, f) in fixes.iter().enumerate() {
        let text = format!("{}. {}{}{}", i + 1, f.subject, colon(lang), f.text);
        let lines: Vec<&str> = text.lines().collect();
        for (k, line) in lines.iter().enumerate() {
            let line = if k == 0 {
                line.to_string()
            } else {
                format!("    {}", line.trim())
            };
            let mut p = para(run(&line, BODY_SIZE));
            // The last finding stays with the signature block: it never sits alone on a page.
            if i + 1 == last {
                p = p.keep_next(true);
            }
            doc = doc.add_paragraph(p);
        }
    }
    if fixes.is_empty() {
        doc = doc.add_paragraph(para(run(t.no_findings, BODY_SIZE)).keep_next(true));
    }

    // The audit's cross-submission findings (issue #16): evidence, no verdict.
    if !report.findings.is_empty() {
        let l = lang.labels();
        doc = doc.add_paragraph(heading(l.h_cross));
        doc = doc.add_paragraph(para(run(l.cross_intro, SMALL_SIZE)));
        for (i, f) in report.findings.iter().enumerate() {
            let (head, more) = format::finding_lines(f, lang);
            doc = doc.add_paragraph(para(run(&format!("{}. {head}", i + 1), BODY_SIZE)));
            for m in more {
                doc = doc.add_paragraph(para(run(&format!("    {m}"), SMALL_SIZE)));
            }
        }
    }

    // Signature block, kept on one page with what comes before it.
    doc = doc.add_paragraph(heading(t.signature).keep_next(true));
    doc = doc.add_paragraph(para(run(t.opinion, BODY_SIZE)).keep_next(true));
    for _ in 0..4 {
        doc = doc.add_paragraph(para(run("", BODY_SIZE)).keep_next(true));
    }
    let sg = grid(&[55, 45]);
    let sign = Table::without_borders(vec![
        TableRow::new(vec![
            cell(
                vec![para(run(
                    &format!("{}________________", t.reviewer),
                    BODY_SIZE,
                ))],
                sg[0],
            ),
            cell(
                vec![para(run(
                    &match lang {
                        Lang::Zh => format!("{}______年____月____日", t.date),
                        Lang::En => format!("{}________________", t.date),
                    },
                    BODY_SIZE,
                ))],
                sg[1],
            ),
        ])
        .cant_split(),
    ])
    .set_grid(sg.clone())
    .width(TEXT_W, WidthType::Dxa)
    .layout(TableLayoutType::Fixed);
    doc.add_table(sign)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_drops_xml_forbidden_chars() {
        let cases = [
            ("总结报告.docx", "总结报告.docx"),
            ("a\u{1}b\u{1f}c", "abc"),
            ("tab\there\nnl", "tab\there\nnl"),
            ("\u{fffe}x\u{ffff}", "x"),
            ("emoji 😀", "emoji 😀"),
        ];
        for (input, want) in cases {
            assert_eq!(clean(input), want, "{input:?}");
        }
    }

    #[test]
    fn grid_fills_text_width() {
        for parts in [&[6usize, 22, 34, 22, 16][..], &[1, 1, 1], &[3]] {
            let g = grid(parts);
            assert_eq!(g.iter().sum::<usize>(), TEXT_W);
        }
    }
}
