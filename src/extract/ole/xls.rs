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

use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xls};

use crate::extract::table::Sheet;
use crate::facts::Problem;

/// Every sheet of a BIFF workbook file, as rows of cell text (empty rows and trailing empty
/// cells kept as calamine gives them; [`crate::extract::table::sheets_to_text`] drops them).
pub(crate) fn read_sheets(bytes: &[u8]) -> Result<Vec<Sheet>, Problem> {
    // Callers outside the dispatcher (the expert-list check) get the same protection.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_sheets_inner(bytes)))
        .unwrap_or_else(|_| {
            Err(Problem::new(
                crate::codes::EXTRACT_PANIC,
                "xls 解析器内部错误，工作簿未能读取，请另存为 .xlsx 或 PDF",
            ))
        })
}

fn read_sheets_inner(bytes: &[u8]) -> Result<Vec<Sheet>, Problem> {
    if let Some(stream) = workbook_stream(bytes) {
        check_grid(&stream)?;
    }
    let mut book = Xls::new(Cursor::new(bytes)).map_err(|e| {
        let msg = e.to_string();
        if msg.to_lowercase().contains("password") || msg.to_lowercase().contains("encrypt") {
            super::encrypted_problem()
        } else {
            Problem::new(
                crate::codes::UNREADABLE_CORRUPT,
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

/// The `Workbook` (BIFF8) or `Book` (BIFF5) stream.
fn workbook_stream(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut cfb = cfb::CompoundFile::open(Cursor::new(bytes)).ok()?;
    let path = ["/Workbook", "/Book"]
        .into_iter()
        .find(|p| cfb.is_stream(p))?;
    let mut out = Vec::new();
    cfb.open_stream(path)
        .ok()?
        .take(bytes.len() as u64)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

/// Most cells calamine may lay out for one workbook (it allocates each sheet's bounding box of
/// cells densely, 32 bytes a cell): 4 M cells is 128 MB.
const MAX_GRID_CELLS: u64 = 4_000_000;
/// BIFF8's own grid: 65,536 rows × 256 columns.
const BIFF8_CELLS: u64 = 65_536 * 256;

/// Refuses workbooks that would make calamine allocate without bound: a sheet whose two
/// cells sit in opposite corners (a dense bounding box of up to 4 G cells), or a DIMENSIONS
/// record (which calamine reserves for) larger than any real sheet. Reads record headers only.
fn check_grid(stream: &[u8]) -> Result<(), Problem> {
    let u16_at = |i: usize| {
        stream
            .get(i..i + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
    };
    let u32_at = |i: usize| {
        stream
            .get(i..i + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let too_big = || {
        Problem::new(
            crate::codes::LIMIT_TABLE_SIZE,
            format!(
                "Excel 工作簿的单元格范围过大（超过 {MAX_GRID_CELLS} 个单元格），未读取；请删除多余的行列后另存"
            ),
        )
    };
    // (min row, max row, min col, max col) of the current substream's cells.
    let mut bbox: Option<(u32, u32, u32, u32)> = None;
    let mut total = 0u64;
    let area = |b: Option<(u32, u32, u32, u32)>| {
        b.map_or(0, |(r0, r1, c0, c1)| {
            u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1)
        })
    };
    let mut pos = 0usize;
    while let (Some(typ), Some(len)) = (u16_at(pos), u16_at(pos + 2)) {
        let body = pos + 4;
        let len = usize::from(len);
        match typ {
            0x0809 => {
                total += area(bbox.take());
            }
            // DIMENSIONS (BIFF8: u32 first row, u32 last row + 1, u16 first col, u16 last col + 1).
            0x0200 if len >= 14 => {
                if let (Some(r0), Some(r1), Some(c0), Some(c1)) = (
                    u32_at(body),
                    u32_at(body + 4),
                    u16_at(body + 8),
                    u16_at(body + 10),
                ) {
                    let rows = u64::from(r1.saturating_sub(r0));
                    let cols = u64::from(c1.saturating_sub(c0));
                    if rows.saturating_mul(cols) > BIFF8_CELLS {
                        return Err(too_big());
                    }
                }
            }
            // Cells calamine keeps: FORMULA, MULRK, LABELSST, RSTRING, NUMBER, LABEL, BOOLERR, RK.
            0x0006 | 0x00BD | 0x00FD | 0x00D6 | 0x0203 | 0x0204 | 0x0205 | 0x027E => {
                if let (Some(row), Some(col)) = (u16_at(body), u16_at(body + 2)) {
                    let last_col = if typ == 0x00BD {
                        u16_at(body + len.saturating_sub(2)).unwrap_or(col)
                    } else {
                        col
                    };
                    let (row, col, last_col) =
                        (u32::from(row), u32::from(col), u32::from(last_col.max(col)));
                    bbox = Some(match bbox {
                        None => (row, row, col, last_col),
                        Some((r0, r1, c0, c1)) => {
                            (r0.min(row), r1.max(row), c0.min(col), c1.max(last_col))
                        }
                    });
                    if total + area(bbox) > MAX_GRID_CELLS {
                        return Err(too_big());
                    }
                }
            }
            _ => {}
        }
        pos = body + len;
    }
    Ok(())
}

/// A cell as a reader sees it (numbers without a needless `.0`).
pub(crate) fn cell_text(cell: &Data) -> String {
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

    fn record(typ: u16, body: &[u8]) -> Vec<u8> {
        let mut v = typ.to_le_bytes().to_vec();
        v.extend_from_slice(&(body.len() as u16).to_le_bytes());
        v.extend_from_slice(body);
        v
    }

    fn number(row: u16, col: u16) -> Vec<u8> {
        let mut b = row.to_le_bytes().to_vec();
        b.extend_from_slice(&col.to_le_bytes());
        b.extend_from_slice(&[0; 10]);
        record(0x0203, &b)
    }

    #[test]
    fn grids_that_would_allocate_without_bound() {
        let bof = record(0x0809, &[0; 16]);
        let dims = |rows: u32, cols: u16| {
            let mut b = 0u32.to_le_bytes().to_vec();
            b.extend_from_slice(&rows.to_le_bytes());
            b.extend_from_slice(&0u16.to_le_bytes());
            b.extend_from_slice(&cols.to_le_bytes());
            b.extend_from_slice(&[0, 0]);
            record(0x0200, &b)
        };
        let cases: Vec<(Vec<Vec<u8>>, bool)> = vec![
            (vec![bof.clone(), number(0, 0), number(999, 20)], true),
            // Two cells in opposite corners: 65,536 × 65,536 cells.
            (
                vec![bof.clone(), number(0, 0), number(65_535, 65_535)],
                false,
            ),
            // Several sheets add up.
            (
                vec![
                    bof.clone(),
                    number(0, 0),
                    number(1_999, 999),
                    bof.clone(),
                    number(0, 0),
                    number(1_999, 999),
                    bof.clone(),
                    number(0, 0),
                    number(1_999, 999),
                ],
                false,
            ),
            (vec![bof.clone(), dims(65_536, 256)], true),
            (vec![bof.clone(), dims(4_000_000_000, 60_000)], false),
            // A truncated record ends the walk.
            (vec![bof.clone(), vec![0x03, 0x02, 0xFF]], true),
        ];
        for (i, (records, ok)) in cases.into_iter().enumerate() {
            assert_eq!(check_grid(&records.concat()).is_ok(), ok, "case {i}");
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
