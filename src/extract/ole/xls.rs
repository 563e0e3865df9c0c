//! Excel 97–2003 `.xls` (and Kingsoft WPS 表格 `.et`, the same BIFF8 format): sheets as rows
//! of cell text.
//!
//! Why calamine: BIFF8 text is spread over the shared-string table (split by CONTINUE records
//! that may switch between 8-bit and UTF-16 in the middle of a string), LABELSST/LABEL/NUMBER/RK
//! /MULRK/FORMULA cells, and a code page for BIFF5 strings. calamine reads all of that, is well
//! kept, and shares our quick-xml and zip versions, so it adds little to the build (and the
//! XLSX/ODS readers can use it too). It reads the whole workbook into memory: the file is
//! already bounded by `Limits::max_document_bytes`. A panic inside it is caught by the
//! dispatcher and becomes a finding for this file only.

use std::io::Cursor;

use calamine::{Data, Reader, Xls};

use crate::extract::table::Sheet;
use crate::facts::Problem;

/// Every sheet of a BIFF workbook file, as rows of cell text (empty rows and trailing empty
/// cells kept as calamine gives them; [`crate::extract::table::sheets_to_text`] drops them).
pub fn read_sheets(bytes: &[u8]) -> Result<Vec<Sheet>, Problem> {
    // Callers outside the dispatcher (the expert-list check) get the same protection.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_sheets_inner(bytes)))
        .unwrap_or_else(|_| {
            Err(Problem::new(
                "extract.panic",
                "xls 解析器内部错误，工作簿未能读取，请另存为 .xlsx 或 PDF",
            ))
        })
}

fn read_sheets_inner(bytes: &[u8]) -> Result<Vec<Sheet>, Problem> {
    let mut book = Xls::new(Cursor::new(bytes)).map_err(|e| {
        let msg = e.to_string();
        if msg.to_lowercase().contains("password") || msg.to_lowercase().contains("encrypt") {
            crate::extract::ooxml::encrypted_problem()
        } else {
            Problem::new(
                "unreadable.corrupt",
                format!("Excel 工作簿已损坏（{msg}），无法读取，请重新保存或另存为 .xlsx/PDF"),
            )
        }
    })?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = match book.worksheet_range(&name) {
            Ok(r) => r,
            Err(_) => continue,
        };
        let rows = range
            .rows()
            .map(|row| row.iter().map(cell_text).collect())
            .collect();
        sheets.push(Sheet { name, rows });
    }
    Ok(sheets)
}

/// A cell as a reader sees it (numbers without a needless `.0`).
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Error(_) => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells() {
        let cases = [
            (Data::Empty, ""),
            (Data::String("院士".into()), "院士"),
            (Data::Float(3.0), "3"),
            (Data::Float(2.5), "2.5"),
            (Data::Int(7), "7"),
            (Data::Bool(true), "true"),
        ];
        for (cell, want) in cases {
            assert_eq!(cell_text(&cell), want);
        }
    }

    #[test]
    fn not_a_workbook() {
        assert_eq!(
            read_sheets(b"not an ole file")
                .map(|s| s.len())
                .map_err(|p| p.code),
            Err("unreadable.corrupt".to_string())
        );
    }
}
