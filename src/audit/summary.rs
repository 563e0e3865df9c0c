//! The audit's summary tables: `summary.csv`, `summary.xlsx`, `summary.json`, and the HTML
//! index (see [`super::index`]).
//!
//! One row per project, in discovery order: code, society, category, verdict, counts of fail and
//! review, the cross-submission findings by kind (issue #16), then two columns per requirement, headed by its title (the measured value as the
//! dossier words it, and the verdict), so an administrator can sort and filter a year in a
//! spreadsheet. The CSV holds every requirement of every category used; the XLSX has a summary
//! sheet, one sheet per category with only its requirements, and links to the dossiers. The CSV is
//! written with the `csv` crate (quoting of commas, quotes and line breaks in names is its job,
//! not ours) and starts with a UTF-8 BOM: without it Excel on a Chinese Windows opens UTF-8 CSV
//! as GBK and shows mojibake. The XLSX is written with rust_xlsxwriter: frozen header, autofilter,
//! verdict cells coloured, and a last sheet pairing each requirement title with its id.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Color, Format, FormatAlign, Workbook, XlsxError};

use super::{AuditResult, Column, ProjectRow};
use crate::lang::Lang;
use crate::model::Verdict;

/// The header and rows of the summary, as strings, shared by CSV and XLSX.
pub(crate) struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Per row, the verdict of each cell that holds one (for colouring), by column index.
    pub verdicts: Vec<HashMap<usize, Option<Verdict>>>,
    /// Per row, the dossier's relative path (for the link), if it was written.
    pub dossiers: Vec<Option<String>>,
}

/// Number of fixed columns before the requirement columns.
pub(crate) const FIXED: usize = 12;
/// The column of the dossier link among the fixed ones.
pub(crate) const DOSSIER_COLUMN: usize = 9;

impl AuditResult {
    /// What the closing lines of the run say ([`crate::report::audit_text`]).
    pub fn totals(&self) -> crate::report::audit_text::AuditTotals<'_> {
        let [pass, fail, review, error] = self.counts().map(|(_, n)| n);
        crate::report::audit_text::AuditTotals {
            projects: self.projects.len(),
            pass,
            fail,
            review,
            error,
            files: self.files,
            bytes: self.bytes,
            seconds: self.seconds,
            cache: self.cache.map(|c| crate::report::audit_text::CacheTotals {
                hits: c.hits,
                misses: c.misses,
                skipped: c.skipped,
                hashed_bytes: c.hashed_bytes,
            }),
            interrupted: self.interrupted,
            outputs: &self.outputs,
        }
    }
}

/// The summary of every project with every requirement column (`summary.csv`): a column pair
/// per requirement, headed by its title (the same requirement in several categories shares
/// its pair).
pub(crate) fn table(result: &AuditResult, lang: Lang) -> Table {
    let projects: Vec<&ProjectRow> = result.projects.iter().collect();
    build(&projects, &result.columns, lang)
}

/// One table per category used (the XLSX's sheets): its projects and only its requirements,
/// by title, in the rule set's order. Sheet name first.
pub(crate) fn category_tables(result: &AuditResult, lang: Lang) -> Vec<(String, Table)> {
    let mut categories: Vec<(&str, &str)> = Vec::new();
    for p in &result.projects {
        if let (Some(c), Some(t)) = (p.category.as_deref(), p.category_title.as_deref())
            && !c.is_empty()
            && !categories.iter().any(|(id, _)| *id == c)
        {
            categories.push((c, t));
        }
    }
    categories.sort();
    categories
        .into_iter()
        .map(|(id, title)| {
            let projects: Vec<&ProjectRow> = result
                .projects
                .iter()
                .filter(|p| p.category.as_deref() == Some(id))
                .collect();
            let mut columns: Vec<Column> = Vec::new();
            for p in &projects {
                for r in &p.requirements {
                    if !columns.iter().any(|c| c.id == r.id) {
                        columns.push(Column {
                            id: r.id.clone(),
                            title: r.title.clone(),
                        });
                    }
                }
            }
            // Excel sheet names: at most 31 characters, none of []:*?/\.
            let name: String = format!("{id} {title}")
                .chars()
                .filter(|c| !"[]:*?/\\".contains(*c))
                .take(31)
                .collect();
            (name, build(&projects, &columns, lang))
        })
        .collect()
}

/// The fixed columns and the requirement columns of `columns`, for `projects`.
fn build(projects: &[&ProjectRow], columns: &[Column], lang: Lang) -> Table {
    let t = lang.labels();
    let mut header: Vec<String> = vec![
        t.code.into(),
        t.society.into(),
        t.category.into(),
        t.verdict.into(),
        t.fail_count.into(),
        t.review_count.into(),
        t.file_count.into(),
        t.level.into(),
        t.project_name.into(),
        t.dossier.into(),
        t.error.into(),
        t.cross_column.into(),
    ];
    for c in columns {
        header.push(c.title.clone());
        header.push(match lang {
            Lang::Zh => format!("{}（结论）", c.title),
            Lang::En => format!("{} (verdict)", c.title),
        });
    }
    let mut table = Table {
        header,
        rows: Vec::with_capacity(projects.len()),
        verdicts: Vec::with_capacity(projects.len()),
        dossiers: Vec::with_capacity(projects.len()),
    };
    for p in projects {
        let (row, v) = row(columns, p, lang);
        table.rows.push(row);
        table.verdicts.push(v);
        table.dossiers.push(
            p.verdict
                .is_some()
                .then(|| format!("{}/dossier.html", p.dir)),
        );
    }
    table
}

fn row(
    columns: &[Column],
    p: &ProjectRow,
    lang: Lang,
) -> (Vec<String>, HashMap<usize, Option<Verdict>>) {
    let category = match (&p.category, &p.category_title) {
        (Some(c), Some(t)) if !c.is_empty() => format!("{c} {t}"),
        (Some(c), _) => c.clone(),
        _ => String::new(),
    };
    let (fail, review, files) = if p.verdict.is_some() {
        (
            p.fail.to_string(),
            p.review.to_string(),
            p.files.to_string(),
        )
    } else {
        Default::default()
    };
    let mut cells = vec![
        p.code.clone().unwrap_or_default(),
        p.society.clone().unwrap_or_default(),
        category,
        p.verdict_word(lang).to_string(),
        fail,
        review,
        files,
        p.level.clone().unwrap_or_default(),
        p.name.clone(),
        if p.verdict.is_some() {
            format!("{}/dossier.html", p.dir)
        } else {
            String::new()
        },
        p.error.clone().unwrap_or_default(),
        p.findings.clone(),
    ];
    let mut verdicts = HashMap::new();
    verdicts.insert(3, p.verdict);
    for c in columns {
        match p.requirements.iter().find(|r| r.id == c.id) {
            Some(r) => {
                cells.push(r.measured_text.clone());
                verdicts.insert(cells.len(), Some(r.verdict));
                cells.push(lang.verdict(r.verdict).to_string());
            }
            None => {
                cells.push(String::new());
                cells.push(String::new());
            }
        }
    }
    (cells, verdicts)
}

/// The CSV text (with a UTF-8 BOM). Cells that a spreadsheet would take for a formula
/// (starting with `=`, `+`, `-`, `@`, a tab or a carriage return — a folder named
/// `XXJL-2025-08-=1+1-论坛` is enough) are written with a leading `'`, the OWASP advice for CSV
/// injection: Excel shows the text, never evaluates it.
pub(crate) fn csv(table: &Table) -> std::io::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(table.header.iter().map(|c| defuse(c).into_owned()))?;
    for r in &table.rows {
        w.write_record(r.iter().map(|c| defuse(c).into_owned()))?;
    }
    let body = w
        .into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    let mut out = "\u{feff}".as_bytes().to_vec();
    out.extend_from_slice(&body);
    Ok(out)
}

/// A cell as text a spreadsheet will not evaluate (see [`csv`]).
pub(crate) fn defuse(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

fn fill(v: Verdict) -> Color {
    match v {
        Verdict::Pass => Color::RGB(0xE3F3E7),
        Verdict::Review => Color::RGB(0xFFF2D6),
        Verdict::Fail => Color::RGB(0xFBE4E4),
    }
}

/// The XLSX workbook bytes: a summary sheet (every project, the fixed columns), one sheet per
/// category (its projects with its requirements by title), and a sheet explaining each
/// requirement. The 核查表 cells link to the dossiers.
pub(crate) fn xlsx(result: &AuditResult, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let t = lang.labels();
    let mut wb = Workbook::new();
    let styles = Styles::new();
    let all = table(result, lang);
    let fixed_only = Table {
        header: all.header[..FIXED].to_vec(),
        rows: all.rows.iter().map(|r| r[..FIXED].to_vec()).collect(),
        verdicts: all
            .verdicts
            .iter()
            .map(|v| {
                v.iter()
                    .filter(|(c, _)| **c < FIXED)
                    .map(|(c, v)| (*c, *v))
                    .collect()
            })
            .collect(),
        dossiers: all.dossiers.clone(),
    };
    let summary_name = match lang {
        Lang::Zh => "汇总",
        Lang::En => "Summary",
    };
    sheet(&mut wb, summary_name, &fixed_only, &styles, lang)?;
    for (name, table) in category_tables(result, lang) {
        sheet(&mut wb, &name, &table, &styles, lang)?;
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name(match lang {
            Lang::Zh => "要求说明",
            Lang::En => "Requirements",
        })?;
        ws.write_string_with_format(0, 0, t.requirement, &styles.head)?;
        ws.write_string_with_format(0, 1, "id", &styles.head)?;
        for (i, c) in result.columns.iter().enumerate() {
            let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
            ws.write_string(row, 0, &c.title)?;
            ws.write_string(row, 1, &c.id)?;
        }
        ws.set_column_width(0, 50.0)?;
        ws.set_column_width(1, 28.0)?;
    }
    wb.save_to_buffer()
}

struct Styles {
    head: Format,
    by_verdict: HashMap<Verdict, Format>,
    error: Format,
}

impl Styles {
    fn new() -> Styles {
        Styles {
            head: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xEEF0F3))
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            by_verdict: [Verdict::Pass, Verdict::Review, Verdict::Fail]
                .into_iter()
                .map(|v| (v, Format::new().set_background_color(fill(v))))
                .collect(),
            error: Format::new().set_background_color(Color::RGB(0xDDDDDD)),
        }
    }
}

fn sheet(
    wb: &mut Workbook,
    name: &str,
    table: &Table,
    styles: &Styles,
    lang: Lang,
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    for (c, h) in table.header.iter().enumerate() {
        ws.write_string_with_format(0, col(c), h, &styles.head)?;
    }
    for (r, (cells, verdicts)) in table.rows.iter().zip(&table.verdicts).enumerate() {
        let row = u32::try_from(r + 1).unwrap_or(u32::MAX);
        for (c, text) in cells.iter().enumerate() {
            let numeric = (4..=6).contains(&c) && !text.is_empty();
            if c == DOSSIER_COLUMN
                && let Some(Some(path)) = table.dossiers.get(r)
            {
                let shown = match lang {
                    Lang::Zh => "打开核查表",
                    Lang::En => "open dossier",
                };
                ws.write_url(
                    row,
                    col(c),
                    rust_xlsxwriter::Url::new(format!("file:///{path}")).set_text(shown),
                )?;
                continue;
            }
            match verdicts.get(&c) {
                Some(Some(v)) => {
                    ws.write_string_with_format(row, col(c), text, &styles.by_verdict[v])?;
                }
                Some(None) => {
                    ws.write_string_with_format(row, col(c), text, &styles.error)?;
                }
                None if numeric => match text.parse::<f64>() {
                    Ok(n) => {
                        ws.write_number(row, col(c), n)?;
                    }
                    Err(_) => {
                        ws.write_string(row, col(c), text)?;
                    }
                },
                None => {
                    ws.write_string(row, col(c), text)?;
                }
            }
        }
    }
    let widths = [
        14.0, 18.0, 22.0, 12.0, 7.0, 7.0, 7.0, 12.0, 36.0, 14.0, 30.0, 30.0,
    ];
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(col(c), *w)?;
    }
    for c in FIXED..table.header.len() {
        ws.set_column_width(col(c), 16.0)?;
    }
    ws.set_freeze_panes(1, 2)?;
    let last_row = u32::try_from(table.rows.len()).unwrap_or(u32::MAX);
    let last_col = col(table.header.len().saturating_sub(1));
    ws.autofilter(0, 0, last_row, last_col)?;
    Ok(())
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// Writes `summary.csv`, `summary.xlsx`, `summary.json` and `index.html` under `out`.
pub(crate) fn write_all(
    result: &AuditResult,
    out: &Path,
    lang: Lang,
) -> std::io::Result<Vec<PathBuf>> {
    let table = table(result, lang);
    let csv = csv(&table)?;
    let xlsx = xlsx(result, lang).map_err(|e| std::io::Error::other(e.to_string()))?;
    let json = serde_json::to_vec_pretty(result).map_err(std::io::Error::other)?;
    let html = super::index::render_index(result, lang).map_err(std::io::Error::other)?;
    let mut written = Vec::new();
    for (name, bytes) in [
        ("summary.csv", csv),
        ("summary.xlsx", xlsx),
        ("summary.json", json),
        ("index.html", html.into_bytes()),
    ] {
        let path = out.join(name);
        std::fs::write(&path, bytes)?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_defused() {
        let table = [
            ("=1+1", "'=1+1"),
            ("+SUM(A1)", "'+SUM(A1)"),
            ("-2+3", "'-2+3"),
            ("@cmd", "'@cmd"),
            ("\tx", "'\tx"),
            ("新疆农学会", "新疆农学会"),
            ("3,412 字", "3,412 字"),
            ("", ""),
        ];
        for (cell, want) in table {
            assert_eq!(defuse(cell), want, "{cell:?}");
        }
    }
}
