//! Tables as rows of cell text, shared by every reader of tabular content (XLSX, ODS, the
//! legacy .xls/.et reader, DOCX/ODT tables).
//!
//! Why it exists: an expert list or a sign-in sheet is a table, and "6 位专家，其中院士 3 位"
//! needs the rows and columns, not a stream of paragraphs (see [`crate::experts`]). Every
//! reader hands its tables over in this one shape, and [`sheets_to_text`] is the one way a
//! table becomes counted text, so a spreadsheet counts the same whichever format it came in.
//!
//! Trade-off: a cell is plain text (numbers as displayed or as stored, no formats, no merged
//! ranges); rows are kept as the reader found them, without padding to a rectangle.

use crate::facts::Problem;

pub use crate::facts::Sheet;

/// The text of tables: cells separated by tabs, rows by newlines, tables one after another.
/// Tabs and line breaks inside a cell become spaces so that the row structure survives;
/// trailing empty cells are left out.
pub fn sheets_to_text(sheets: &[Sheet]) -> String {
    let mut out = String::new();
    for sheet in sheets {
        for row in &sheet.rows {
            let used = row
                .iter()
                .rposition(|c| !c.trim().is_empty())
                .map_or(0, |i| i + 1);
            for (i, cell) in row.iter().take(used).enumerate() {
                if i > 0 {
                    out.push('\t');
                }
                out.extend(cell.chars().map(|c| match c {
                    '\t' | '\n' | '\r' => ' ',
                    c => c,
                }));
            }
            out.push('\n');
        }
    }
    out
}

/// Largest number of columns kept in one row (XLSX and LibreOffice both stop at 16,384).
pub const MAX_COLUMNS: usize = 16_384;
/// Largest number of cells materialised from all tables of one file.
pub const MAX_CELLS: u64 = 2_000_000;
/// Largest number of bytes of cell text materialised from all tables of one file.
pub const MAX_TABLE_BYTES: u64 = 64 << 20;

/// What may still be materialised from repeated cells and rows.
#[derive(Debug)]
pub struct TableBudget {
    cells: u64,
    bytes: u64,
    pub exceeded: bool,
}

impl Default for TableBudget {
    fn default() -> Self {
        TableBudget {
            cells: MAX_CELLS,
            bytes: MAX_TABLE_BYTES,
            exceeded: false,
        }
    }
}

impl TableBudget {
    /// Takes `cells` cells of `bytes` bytes; false (and `exceeded` set) when over budget.
    pub fn take(&mut self, cells: u64, bytes: u64) -> bool {
        if self.cells < cells || self.bytes < bytes {
            self.exceeded = true;
            return false;
        }
        self.cells -= cells;
        self.bytes -= bytes;
        true
    }
}

/// The warning for tables cut at [`MAX_CELLS`]/[`MAX_TABLE_BYTES`].
pub fn table_limit_problem() -> Problem {
    Problem::new(
        crate::codes::LIMIT_TABLE_SIZE,
        format!(
            "表格过大（超过 {MAX_CELLS} 个单元格或 {} MB 文字），超出部分未读取，字数可能偏少",
            MAX_TABLE_BYTES >> 20
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: &[&[&str]]) -> Sheet {
        Sheet {
            name: "Sheet1".into(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect(),
        }
    }

    #[test]
    fn text_of_sheets() {
        let cases: Vec<(Vec<Sheet>, &str)> = vec![
            (vec![], ""),
            (
                vec![sheet(&[&["姓名", "职称"], &["张三", "院士"]])],
                "姓名\t职称\n张三\t院士\n",
            ),
            (
                vec![sheet(&[
                    &["a", "", "c", "", ""],
                    &[],
                    &["多行\n文字", "x\ty"],
                ])],
                "a\t\tc\n\n多行 文字\tx y\n",
            ),
            (vec![sheet(&[&["一"]]), sheet(&[&["二"]])], "一\n二\n"),
        ];
        for (sheets, want) in cases {
            assert_eq!(sheets_to_text(&sheets), want);
        }
    }
}
