//! The audit's summary tables: `summary.csv`, `summary.xlsx`, `summary.json`, and the HTML
//! index (see [`super::index`]).
//!
//! One row per project, in discovery order: code, society, category, verdict, counts of fail and
//! review, then two columns per requirement id (the measured value as the dossier words it, and
//! the verdict), so an administrator can sort and filter a year in a spreadsheet. The CSV is
//! written with the `csv` crate (quoting of commas, quotes and line breaks in names is its job,
//! not ours) and starts with a UTF-8 BOM: without it Excel on a Chinese Windows opens UTF-8 CSV
//! as GBK and shows mojibake. The XLSX is written with rust_xlsxwriter: frozen header, autofilter,
//! verdict cells coloured, and a second sheet explaining each requirement column.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Color, Format, FormatAlign, Workbook, XlsxError};

use super::{AuditResult, ProjectRow};
use crate::report::lang::Lang;
use crate::report::model::Verdict;

/// The header and rows of the summary, as strings, shared by CSV and XLSX.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Per row, the verdict of each cell that holds one (for colouring), by column index.
    pub verdicts: Vec<HashMap<usize, Option<Verdict>>>,
}

/// Number of fixed columns before the requirement columns.
pub const FIXED: usize = 11;

/// Builds the summary table in `lang`.
pub fn table(result: &AuditResult, lang: Lang) -> Table {
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
    ];
    for c in &result.columns {
        header.push(c.id.clone());
        header.push(format!("{} {}", c.id, t.verdict));
    }
    let mut rows = Vec::with_capacity(result.projects.len());
    let mut verdicts = Vec::with_capacity(result.projects.len());
    for p in &result.projects {
        let (row, v) = row(result, p, lang);
        rows.push(row);
        verdicts.push(v);
    }
    Table {
        header,
        rows,
        verdicts,
    }
}

fn row(
    result: &AuditResult,
    p: &ProjectRow,
    lang: Lang,
) -> (Vec<String>, HashMap<usize, Option<Verdict>>) {
    let category = match (&p.category, &p.category_title) {
        (Some(c), Some(t)) => format!("{c} {t}"),
        (Some(c), None) => c.clone(),
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
    ];
    let mut verdicts = HashMap::new();
    verdicts.insert(3, p.verdict);
    for c in &result.columns {
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
pub fn csv(table: &Table) -> std::io::Result<Vec<u8>> {
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
pub fn defuse(cell: &str) -> std::borrow::Cow<'_, str> {
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

/// The XLSX workbook bytes.
pub fn xlsx(table: &Table, result: &AuditResult, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let t = lang.labels();
    let mut wb = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xEEF0F3))
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let by_verdict: HashMap<Verdict, Format> = [Verdict::Pass, Verdict::Review, Verdict::Fail]
        .into_iter()
        .map(|v| (v, Format::new().set_background_color(fill(v))))
        .collect();
    let error = Format::new().set_background_color(Color::RGB(0xDDDDDD));
    {
        let ws = wb.add_worksheet();
        ws.set_name(match lang {
            Lang::Zh => "汇总",
            Lang::En => "Summary",
        })?;
        for (c, h) in table.header.iter().enumerate() {
            ws.write_string_with_format(0, col(c), h, &head)?;
        }
        for (r, (cells, verdicts)) in table.rows.iter().zip(&table.verdicts).enumerate() {
            let row = u32::try_from(r + 1).unwrap_or(u32::MAX);
            for (c, text) in cells.iter().enumerate() {
                let numeric = (4..=6).contains(&c) && !text.is_empty();
                match verdicts.get(&c) {
                    Some(Some(v)) => {
                        ws.write_string_with_format(row, col(c), text, &by_verdict[v])?;
                    }
                    Some(None) => {
                        ws.write_string_with_format(row, col(c), text, &error)?;
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
            14.0, 18.0, 22.0, 12.0, 7.0, 7.0, 7.0, 12.0, 36.0, 24.0, 30.0,
        ];
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(col(c), *w)?;
        }
        for c in super::summary::FIXED..table.header.len() {
            ws.set_column_width(col(c), 14.0)?;
        }
        ws.set_freeze_panes(1, 2)?;
        let last_row = u32::try_from(table.rows.len()).unwrap_or(u32::MAX);
        let last_col = col(table.header.len().saturating_sub(1));
        ws.autofilter(0, 0, last_row, last_col)?;
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name(match lang {
            Lang::Zh => "要求说明",
            Lang::En => "Requirements",
        })?;
        ws.write_string_with_format(0, 0, "id", &head)?;
        ws.write_string_with_format(0, 1, t.requirement, &head)?;
        for (i, c) in result.columns.iter().enumerate() {
            let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
            ws.write_string(row, 0, &c.id)?;
            ws.write_string(row, 1, &c.title)?;
        }
        ws.set_column_width(0, 28.0)?;
        ws.set_column_width(1, 50.0)?;
    }
    wb.save_to_buffer()
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// Writes `summary.csv`, `summary.xlsx`, `summary.json` and `index.html` under `out`.
pub fn write_all(result: &AuditResult, out: &Path, lang: Lang) -> std::io::Result<Vec<PathBuf>> {
    let table = table(result, lang);
    let csv = csv(&table)?;
    let xlsx = xlsx(&table, result, lang).map_err(|e| std::io::Error::other(e.to_string()))?;
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
