//! Tables as rows of cell strings, shared by every format that has them (XLS/ET sheets, .doc
//! tables, XLSX/ODS sheets).
//!
//! Why it exists: the expert-list check needs *rows* (find the name column, count the 院士), not
//! a blob of text, while the counting and label search need text. Extractors build `Sheet`s
//! once and turn them into text with [`sheets_to_text`], so every format lays tables out the
//! same way: cells separated by a tab, rows by a newline, so that neither words of neighbouring
//! cells nor of neighbouring rows glue together.

/// One sheet (or one table of a document) as rows of cell texts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<String>>,
}

impl Sheet {
    /// True when no cell has any non-space text.
    pub fn is_blank(&self) -> bool {
        self.rows
            .iter()
            .all(|r| r.iter().all(|c| c.trim().is_empty()))
    }
}

/// The cells' text: tab between the cells of a row (trailing empty cells dropped), newline
/// after each non-empty row; sheet names are not part of the text (they are metadata).
pub fn sheets_to_text(sheets: &[Sheet]) -> String {
    let mut out = String::new();
    for sheet in sheets {
        for row in &sheet.rows {
            let last = row.iter().rposition(|c| !c.trim().is_empty());
            let Some(last) = last else { continue };
            for (i, cell) in row.iter().take(last + 1).enumerate() {
                if i > 0 {
                    out.push('\t');
                }
                // A cell's own line breaks and tabs would break the layout: make them spaces.
                out.extend(cell.trim().chars().map(|c| match c {
                    '\t' | '\n' | '\r' => ' ',
                    c => c,
                }));
            }
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout() {
        let s = |rows: &[&[&str]]| Sheet {
            name: "S".into(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect(),
        };
        let cases: Vec<(Vec<Sheet>, &str)> = vec![
            (vec![], ""),
            (
                vec![s(&[&["姓名", "单位"], &["张三", "新疆大学"]])],
                "姓名\t单位\n张三\t新疆大学\n",
            ),
            (
                vec![s(&[&["a", "", ""], &["", ""], &["", "b"]])],
                "a\n\tb\n",
            ),
            (vec![s(&[&["x\ty"]]), s(&[&["z\nw "]])], "x y\nz w\n"),
        ];
        for (sheets, want) in cases {
            assert_eq!(sheets_to_text(&sheets), want);
        }
        assert!(s(&[&[" ", ""]]).is_blank());
        assert!(!s(&[&["1"]]).is_blank());
    }
}
