//! Word 97–2003 `.doc` (and Kingsoft WPS 文字 `.wps`, the same format): text by part from the
//! FIB and the piece table.
//!
//! Why hand-written rather than `undoc`/`office_oxide`: both return one text for the whole
//! document, but the guide counts the body, tables, footnotes and text boxes and not headers,
//! footers or comments — and a label in a header still counts as a label. The format makes the
//! split cheap: the FIB gives the length of each story (`ccpText`, `ccpFtn`, `ccpHdd`,
//! `ccpAtn`, `ccpEdn`, `ccpTxbx`, `ccpHdrTxbx`, in that order in one character-position space),
//! and the piece table (CLX in the `0Table`/`1Table` stream) maps positions to bytes. That is
//! ~300 lines we control, with every offset checked, instead of a dependency we would have to
//! post-process anyway. 8-bit ("compressed") pieces are cp1252, as the spec says, whatever the
//! document's language: decoding them in the East Asian code page (as yanshou once did) merged
//! a curly quote and the next letter into one CJK character (`“Default”` → `電efault”` in
//! apache/poi's TestShiftJIS.doc); no real file was found that needs another code page there
//! (docs/wild-files.md).
//!
//! What is read, and what is not:
//! - Field codes (between 0x13 and 0x14) are dropped and field results kept (up to 0x15), so a
//!   TOC or page-number field counts what the reader sees.
//! - Tables: paragraph properties (PAPX in the FKPs of `PlcfBtePapx`) say which paragraphs are
//!   in a table (`sprmPFInTable`) and which mark a row end (`sprmPFTtp`); that gives rows of
//!   cells (for the expert-list check) and a `Tables` part. If the PAPX cannot be read, a
//!   paragraph ending in a cell mark (0x07) is taken as a table cell, without row structure.
//!   Paragraphs of a multi-paragraph cell are joined with a newline inside the cell.
//! - Tracked deletions (`sprmCFRMarkDel`) and hidden text (`sprmCFVanish`) are left out, as
//!   Word's 字数 and a reader leave them out: the character properties (CHPX in the FKPs of
//!   `PlcfBteChpx`) are read once into byte ranges, mapped through the piece table to
//!   character ranges, and those characters dropped (paragraph, cell and field marks are kept
//!   so the structure stays). Only direct formatting is seen: hidden text set through a
//!   character *style* is still counted. How much was left out is reported
//!   (`doc.tracked_deletions`, `doc.hidden_text`).
//! - Word 6/95 files (another FIB layout) are reported as unsupported.

use crate::extract::table::{Sheet, sheets_to_text};
use crate::facts::{PartKind, Problem};

/// At most this many characters are read (a 10,000-page document has fewer): a hostile piece
/// table can map the same bytes again and again, up to 4 G characters.
const MAX_CHARS: u32 = 20_000_000;

/// FIB flag bits (FibBase offset 0x0A).
const F_ENCRYPTED: u16 = 0x0100;
const F_WHICH_TBL_STM: u16 = 0x0200;

/// The FIB fields we use.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Fib {
    pub ident: u16,
    pub nfib: u16,
    pub lid: u16,
    pub flags: u16,
    pub lid_fe: Option<u16>,
    /// ccpText, ccpFtn, ccpHdd, ccpMcr, ccpAtn, ccpEdn, ccpTxbx, ccpHdrTxbx.
    pub ccp: [u32; 8],
    pub clx: (u32, u32),
    pub bte_papx: (u32, u32),
    /// PlcfBteChpx: character properties (tracked deletions, hidden text).
    pub bte_chpx: (u32, u32),
}

impl Fib {
    pub(crate) fn encrypted(&self) -> bool {
        self.flags & F_ENCRYPTED != 0
    }
    /// The name of the table stream.
    pub(crate) fn table_stream(&self) -> &'static str {
        if self.flags & F_WHICH_TBL_STM != 0 {
            "/1Table"
        } else {
            "/0Table"
        }
    }
}

fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    b.get(i..i.checked_add(2)?)
        .map(|s| u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    b.get(i..i.checked_add(4)?)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn corrupt(what: &str) -> Problem {
    Problem::new(
        crate::codes::UNREADABLE_CORRUPT,
        format!("Word 文档已损坏（{what}），无法读取正文，请重新保存或另存为 .docx/PDF"),
    )
}

/// Parses the FIB at the start of the `WordDocument` stream.
pub(crate) fn parse_fib(word: &[u8]) -> Result<Fib, Problem> {
    let ident = u16_at(word, 0).ok_or_else(|| corrupt("WordDocument 流过短"))?;
    let nfib = u16_at(word, 2).unwrap_or(0);
    let lid = u16_at(word, 6).unwrap_or(0);
    let flags = u16_at(word, 0x0A).unwrap_or(0);
    let mut fib = Fib {
        ident,
        nfib,
        lid,
        flags,
        lid_fe: None,
        ccp: [0; 8],
        clx: (0, 0),
        bte_papx: (0, 0),
        bte_chpx: (0, 0),
    };
    // Encrypted, or not Word 97+: the caller refuses it; nothing more to read.
    if fib.encrypted() || ident != 0xA5EC || nfib < 0x00C0 {
        return Ok(fib);
    }
    // Word 97 and later: FibRgW97 (csw u16s), FibRgLw97 (cslw u32s), FibRgFcLcb (pairs).
    let csw = usize::from(u16_at(word, 0x20).ok_or_else(|| corrupt("FIB 不完整"))?);
    let rgw = 0x22;
    if csw >= 14 {
        fib.lid_fe = u16_at(word, rgw + 13 * 2);
    }
    let cslw_at = rgw + csw * 2;
    let cslw = usize::from(u16_at(word, cslw_at).ok_or_else(|| corrupt("FIB 不完整"))?);
    let rglw = cslw_at + 2;
    if cslw < 11 {
        return Err(corrupt("FIB 缺少文本长度"));
    }
    for (k, slot) in fib.ccp.iter_mut().enumerate() {
        let v = u32_at(word, rglw + (3 + k) * 4).ok_or_else(|| corrupt("FIB 不完整"))?;
        *slot = if (v as i32) < 0 { 0 } else { v };
    }
    let cb_at = rglw + cslw * 4;
    let pairs = usize::from(u16_at(word, cb_at).ok_or_else(|| corrupt("FIB 不完整"))?);
    let fclcb = cb_at + 2;
    let pair = |i: usize| -> Option<(u32, u32)> {
        if i >= pairs {
            return None;
        }
        Some((
            u32_at(word, fclcb + i * 8)?,
            u32_at(word, fclcb + i * 8 + 4)?,
        ))
    };
    fib.bte_chpx = pair(12).unwrap_or((0, 0));
    fib.bte_papx = pair(13).unwrap_or((0, 0));
    fib.clx = pair(33).ok_or_else(|| corrupt("FIB 缺少片段表位置"))?;
    Ok(fib)
}

/// One piece of the piece table: characters `cp..cp_end` are at byte `fc` of the
/// WordDocument stream, one byte each (compressed) or two (UTF-16LE).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Piece {
    cp: u32,
    cp_end: u32,
    fc: u32,
    compressed: bool,
}

/// Parses the CLX: skips the Prc (property modifiers) and reads the PlcPcd.
fn parse_clx(clx: &[u8]) -> Result<Vec<Piece>, Problem> {
    let mut i = 0usize;
    while clx.get(i) == Some(&0x01) {
        let cb = usize::from(u16_at(clx, i + 1).ok_or_else(|| corrupt("片段表不完整"))?);
        i = i + 3 + cb;
    }
    if clx.get(i) != Some(&0x02) {
        return Err(corrupt("片段表缺失"));
    }
    let lcb = u32_at(clx, i + 1).ok_or_else(|| corrupt("片段表不完整"))? as usize;
    let plc = clx
        .get(i + 5..(i + 5).saturating_add(lcb))
        .ok_or_else(|| corrupt("片段表越界"))?;
    if lcb < 16 || !(lcb - 4).is_multiple_of(12) {
        return Err(corrupt("片段表长度不对"));
    }
    let n = (lcb - 4) / 12;
    let mut pieces = Vec::with_capacity(n);
    for k in 0..n {
        let (Some(cp), Some(cp_end), Some(fc)) = (
            u32_at(plc, k * 4),
            u32_at(plc, (k + 1) * 4),
            u32_at(plc, (n + 1) * 4 + k * 8 + 2),
        ) else {
            return Err(corrupt("片段表不完整"));
        };
        if cp_end < cp {
            return Err(corrupt("片段表顺序错乱"));
        }
        let compressed = fc & 0x4000_0000 != 0;
        let fc = fc & 0x3FFF_FFFF;
        pieces.push(Piece {
            cp,
            cp_end,
            fc: if compressed { fc / 2 } else { fc },
            compressed,
        });
    }
    Ok(pieces)
}

/// A decoded character and the position of its first byte.
type Unit = (char, u32);

/// Reads characters `start..end` through the piece table.
struct TextSource<'a> {
    word: &'a [u8],
    pieces: Vec<Piece>,
    short: bool,
}

impl TextSource<'_> {
    fn units(&mut self, start: u32, end: u32) -> Vec<Unit> {
        let mut out = Vec::new();
        for p in &self.pieces {
            let s = start.max(p.cp);
            let e = end.min(p.cp_end);
            if s >= e {
                continue;
            }
            let (off, count) = ((s - p.cp) as usize, (e - s) as usize);
            if p.compressed {
                let at = (p.fc as usize).saturating_add(off);
                let Some(bytes) = self.word.get(at..at.saturating_add(count)) else {
                    self.short = true;
                    continue;
                };
                self.decode_8bit(bytes, s, &mut out);
            } else {
                let at = (p.fc as usize).saturating_add(off * 2);
                let Some(bytes) = self.word.get(at..at.saturating_add(count * 2)) else {
                    self.short = true;
                    continue;
                };
                let units = bytes
                    .chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]));
                let mut pending: Option<u16> = None;
                for (cp, u) in (s..).zip(units) {
                    match (pending.take(), u) {
                        (None, 0xD800..=0xDBFF) => pending = Some(u),
                        (Some(hi), 0xDC00..=0xDFFF) => {
                            let c = 0x10000
                                + ((u32::from(hi) - 0xD800) << 10)
                                + (u32::from(u) - 0xDC00);
                            out.push((char::from_u32(c).unwrap_or('\u{FFFD}'), cp - 1));
                        }
                        (hi, u) => {
                            if hi.is_some() {
                                out.push(('\u{FFFD}', cp - 1));
                            }
                            if (0xD800..=0xDBFF).contains(&u) {
                                pending = Some(u);
                            } else {
                                out.push((char::from_u32(u32::from(u)).unwrap_or('\u{FFFD}'), cp));
                            }
                        }
                    }
                }
            }
        }
        out
    }

    /// 8-bit ("compressed") text: cp1252 whatever the document's language, as [MS-DOC]
    /// 2.4.1 says — Word writes a piece compressed only when every character of it has a
    /// cp1252 byte, so a Chinese or Japanese document's compressed pieces hold English text
    /// with curly quotes and dashes (0x93 “, 0x94 ”, 0x96 –), never GBK or Shift-JIS.
    fn decode_8bit(&self, bytes: &[u8], start: u32, out: &mut Vec<Unit>) {
        let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
        // cp1252 is one byte per character in encoding_rs (undefined bytes map to C1
        // controls), so characters and positions stay in step.
        for (cp, c) in (start..).zip(text.chars()) {
            out.push((c, cp));
        }
    }

    /// The byte position of character `cp` (for paragraph properties).
    fn fc_of(&self, cp: u32) -> Option<u32> {
        let p = self.pieces.iter().find(|p| p.cp <= cp && cp < p.cp_end)?;
        let off = cp - p.cp;
        if p.compressed {
            p.fc.checked_add(off)
        } else {
            p.fc.checked_add(off.checked_mul(2)?)
        }
    }
}

/// Paragraph properties we care about.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Pap {
    in_table: bool,
    row_end: bool,
}

/// Paragraph properties by file position, from `PlcfBtePapx` and its 512-byte FKPs.
struct Paps<'a> {
    word: &'a [u8],
    fcs: Vec<u32>,
    pns: Vec<u32>,
}

impl<'a> Paps<'a> {
    fn new(word: &'a [u8], table: &[u8], (fc, lcb): (u32, u32)) -> Option<Paps<'a>> {
        let plc = table.get(fc as usize..(fc as usize).checked_add(lcb as usize)?)?;
        if lcb < 12 || !(lcb - 4).is_multiple_of(8) {
            return None;
        }
        let n = (lcb as usize - 4) / 8;
        let fcs = (0..=n)
            .map(|k| u32_at(plc, k * 4))
            .collect::<Option<Vec<_>>>()?;
        let pns = (0..n)
            .map(|k| u32_at(plc, (n + 1) * 4 + k * 4).map(|p| p & 0x003F_FFFF))
            .collect::<Option<Vec<_>>>()?;
        Some(Paps { word, fcs, pns })
    }

    fn at(&self, fc: u32) -> Option<Pap> {
        let k = self.fcs.windows(2).position(|w| w[0] <= fc && fc < w[1])?;
        let page = (*self.pns.get(k)? as usize).checked_mul(512)?;
        let fkp = self.word.get(page..page + 512)?;
        let crun = usize::from(*fkp.get(511)?);
        let j = (0..crun).find(|&j| {
            matches!((u32_at(fkp, j * 4), u32_at(fkp, j * 4 + 4)), (Some(a), Some(b)) if a <= fc && fc < b)
        })?;
        let b_offset = usize::from(*fkp.get((crun + 1) * 4 + j * 13)?) * 2;
        if b_offset == 0 {
            return Some(Pap::default());
        }
        let cb = usize::from(*fkp.get(b_offset)?);
        let (start, len) = if cb == 0 {
            (b_offset + 2, usize::from(*fkp.get(b_offset + 1)?) * 2)
        } else {
            (b_offset + 1, cb * 2 - 1)
        };
        let grpprl = fkp.get(start..(start + len).min(fkp.len()))?;
        Some(read_sprms(grpprl.get(2..).unwrap_or(&[])))
    }
}

/// Walks a paragraph's sprms for fInTable (0x2416), fTtp (0x2417) and itap (0x6649).
fn read_sprms(grpprl: &[u8]) -> Pap {
    let mut pap = Pap::default();
    let mut i = 0usize;
    while let Some(sprm) = u16_at(grpprl, i) {
        let op = i + 2;
        let size = match sprm >> 13 {
            0 | 1 => 1,
            2 | 4 | 5 => 2,
            3 => 4,
            7 => 3,
            _ => match sprm {
                // sprmTDefTable: a u16 size that counts itself plus one.
                0xD608 => match u16_at(grpprl, op) {
                    Some(n) => usize::from(n) + 1,
                    None => break,
                },
                // sprmPChgTabs: a size byte, 255 means a longer layout we do not need.
                0xC615 if grpprl.get(op) == Some(&255) => break,
                _ => match grpprl.get(op) {
                    Some(&n) => usize::from(n) + 1,
                    None => break,
                },
            },
        };
        let operand = grpprl.get(op).copied().unwrap_or(0);
        match sprm {
            0x2416 => pap.in_table = operand != 0,
            0x2417 => pap.row_end = operand != 0,
            0x6649 => pap.in_table |= u32_at(grpprl, op).is_some_and(|n| n > 0),
            _ => {}
        }
        i = op + size;
    }
    pap
}

/// Character ranges left out of the text: tracked deletions and hidden text.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Dropped {
    cp: u32,
    cp_end: u32,
    deleted: bool,
}

/// CHPX flags we care about.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Chp {
    deleted: bool,
    hidden: bool,
}

/// Most CHPX runs read (a 512-byte FKP holds at most 101).
const MAX_CHPX_RUNS: usize = 1_000_000;

/// The byte ranges (in the WordDocument stream) of deleted or hidden characters, from
/// `PlcfBteChpx` and its 512-byte CHPX FKPs. `None` when the table is missing or broken.
fn chpx_ranges(word: &[u8], table: &[u8], (fc, lcb): (u32, u32)) -> Option<Vec<(u32, u32, Chp)>> {
    let plc = table.get(fc as usize..(fc as usize).checked_add(lcb as usize)?)?;
    if lcb < 12 || !(lcb - 4).is_multiple_of(8) {
        return None;
    }
    let n = (lcb as usize - 4) / 8;
    let mut out: Vec<(u32, u32, Chp)> = Vec::new();
    let mut runs = 0usize;
    for k in 0..n {
        let pn = u32_at(plc, (n + 1) * 4 + k * 4)? & 0x003F_FFFF;
        let page = (pn as usize).checked_mul(512)?;
        let Some(fkp) = word.get(page..page.checked_add(512)?) else {
            continue;
        };
        let crun = usize::from(*fkp.get(511)?);
        for j in 0..crun {
            runs += 1;
            if runs > MAX_CHPX_RUNS {
                return Some(out);
            }
            let (Some(a), Some(b)) = (u32_at(fkp, j * 4), u32_at(fkp, j * 4 + 4)) else {
                break;
            };
            let Some(&off) = fkp.get((crun + 1) * 4 + j) else {
                break;
            };
            let off = usize::from(off) * 2;
            if off == 0 || b <= a {
                continue;
            }
            let Some(&cb) = fkp.get(off) else { continue };
            let grpprl = fkp
                .get(off + 1..(off + 1 + usize::from(cb)).min(fkp.len()))
                .unwrap_or(&[]);
            let chp = read_chp_sprms(grpprl);
            if chp.deleted || chp.hidden {
                out.push((a, b, chp));
            }
        }
    }
    Some(out)
}

/// Walks a run's sprms for sprmCFRMarkDel (0x0800) and sprmCFVanish (0x083C). Their operand
/// is a toggle: 1 on, 0 off, 0x81 "the opposite of the style" (the style's is taken as off),
/// 0x80 "as the style" (off).
fn read_chp_sprms(grpprl: &[u8]) -> Chp {
    let mut chp = Chp::default();
    let mut i = 0usize;
    while let Some(sprm) = u16_at(grpprl, i) {
        let op = i + 2;
        let size = match sprm >> 13 {
            0 | 1 => 1,
            2 | 4 | 5 => 2,
            3 => 4,
            7 => 3,
            _ => match grpprl.get(op) {
                Some(&n) => usize::from(n) + 1,
                None => break,
            },
        };
        let on = matches!(grpprl.get(op), Some(1 | 0x81));
        match sprm {
            0x0800 => chp.deleted = on,
            0x083C => chp.hidden = on,
            _ => {}
        }
        i = op + size;
    }
    chp
}

/// Maps the dropped byte ranges through the piece table to character ranges, sorted.
fn dropped_cps(pieces: &[Piece], ranges: &[(u32, u32, Chp)]) -> Vec<Dropped> {
    let mut out = Vec::new();
    if ranges.is_empty() {
        return out;
    }
    for p in pieces {
        let width = if p.compressed { 1u64 } else { 2 };
        let fc0 = u64::from(p.fc);
        let fc1 = fc0 + u64::from(p.cp_end - p.cp) * width;
        for &(a, b, chp) in ranges {
            let (a, b) = (u64::from(a).max(fc0), u64::from(b).min(fc1));
            if a >= b {
                continue;
            }
            let cp = u64::from(p.cp) + (a - fc0).div_ceil(width);
            let cp_end = u64::from(p.cp) + (b - fc0).div_ceil(width);
            if let (Ok(cp), Ok(cp_end)) = (u32::try_from(cp), u32::try_from(cp_end))
                && cp < cp_end
            {
                out.push(Dropped {
                    cp,
                    cp_end,
                    deleted: chp.deleted,
                });
            }
        }
    }
    out.sort_by_key(|d| d.cp);
    out
}

/// The dropped range holding `cp`, if any (`dropped` sorted by start; ranges do not overlap
/// in real files, and a hostile overlap only makes the answer one of the covering ranges).
fn dropped_at(dropped: &[Dropped], cp: u32) -> Option<&Dropped> {
    let i = dropped.partition_point(|d| d.cp <= cp);
    dropped
        .get(..i)
        .unwrap_or(&[])
        .iter()
        .rev()
        .take(4)
        .find(|d| cp < d.cp_end)
}

/// Removes deleted and hidden characters, keeping the marks that give the text its
/// structure; counts what went, as (deleted, hidden).
fn drop_invisible(units: &mut Vec<Unit>, dropped: &[Dropped], counts: &mut (u64, u64)) {
    if dropped.is_empty() {
        return;
    }
    units.retain(|&(c, cp)| {
        if matches!(c, '\r' | '\u{07}' | '\u{13}' | '\u{14}' | '\u{15}') {
            return true;
        }
        match dropped_at(dropped, cp) {
            Some(d) => {
                if !c.is_whitespace() {
                    if d.deleted {
                        counts.0 += 1;
                    } else {
                        counts.1 += 1;
                    }
                }
                false
            }
            None => true,
        }
    });
}

/// The text of a document by part, and its tables as rows.
#[derive(Debug, Default)]
pub(crate) struct DocText {
    pub parts: Vec<(PartKind, String)>,
    pub tables: Vec<Sheet>,
    pub warnings: Vec<Problem>,
}

/// Reads the text of a Word 97+ document.
pub(crate) fn read_text(word: &[u8], table: &[u8], fib: &Fib) -> Result<DocText, Problem> {
    let clx = table
        .get(fib.clx.0 as usize..(fib.clx.0 as usize).saturating_add(fib.clx.1 as usize))
        .ok_or_else(|| corrupt("片段表越界"))?;
    let pieces = parse_clx(clx)?;
    let mut src = TextSource {
        word,
        pieces,
        short: false,
    };
    let paps = Paps::new(word, table, fib.bte_papx);
    let dropped = chpx_ranges(word, table, fib.bte_chpx)
        .map(|r| dropped_cps(&src.pieces, &r))
        .unwrap_or_default();
    let mut left_out = (0u64, 0u64);
    let mut out = DocText {
        ..DocText::default()
    };
    let kinds = [
        PartKind::Body,
        PartKind::Notes,
        PartKind::HeadersFooters,
        PartKind::Comments, // ccpMcr: macro text, empty since Word 97
        PartKind::Comments,
        PartKind::Notes,
        PartKind::TextBoxes,
        PartKind::HeadersFooters,
    ];
    let last = src
        .pieces
        .last()
        .map(|p| p.cp_end)
        .unwrap_or(0)
        .min(MAX_CHARS);
    let mut cp = 0u32;
    let mut cut = false;
    for (k, (&len, &kind)) in fib.ccp.iter().zip(kinds.iter()).enumerate() {
        let start = cp;
        let end = cp.saturating_add(len);
        cp = end;
        if len == 0 || k == 3 {
            continue;
        }
        if end > last {
            cut = true;
        }
        let mut units = src.units(start, end.min(last));
        drop_invisible(&mut units, &dropped, &mut left_out);
        if k == 0 {
            let (body, tables) = split_tables(&units, &|cp| {
                let fc = src.fc_of(cp)?;
                paps.as_ref()?.at(fc)
            });
            out.parts.push((PartKind::Body, body));
            if !tables.is_empty() {
                out.parts.push((PartKind::Tables, sheets_to_text(&tables)));
                out.tables = tables;
            }
        } else {
            out.parts.push((kind, plain(&units)));
        }
    }
    if left_out.0 > 0 {
        out.warnings.push(Problem::new(
            crate::codes::DOC_TRACKED_DELETIONS,
            format!(
                "文档含未处理的修订（删除的文字 {} 个字符），按 Word 的字数统计不计入；建议接受或拒绝全部修订后再提交",
                left_out.0
            ),
        ));
    }
    if left_out.1 > 0 {
        out.warnings.push(Problem::new(
            crate::codes::DOC_HIDDEN_TEXT,
            format!(
                "文档含隐藏文字 {} 个字符，读者看不到，不计入字数",
                left_out.1
            ),
        ));
    }
    if last == MAX_CHARS && cp > MAX_CHARS {
        out.warnings.push(Problem::new(
            crate::codes::LIMIT_TEXT,
            format!("Word 文档超过 {MAX_CHARS} 个字符，只读取了前 {MAX_CHARS} 个"),
        ));
    } else if cut || src.short {
        out.warnings.push(Problem::new(
            crate::codes::EXTRACT_PARTIAL,
            "Word 文档的片段表与文本长度不一致，部分文字可能未读到",
        ));
    }
    Ok(out)
}

/// Drops field codes: characters between a field begin (0x13) and its separator (0x14), or
/// its end (0x15) when it has no separator. Nested fields in a result are kept as results.
fn visible(units: &[Unit]) -> Vec<Unit> {
    // For each open field: true while in its code, false in its result; `in_code` counts the
    // trues so a hostile nesting depth costs nothing per character.
    let mut stack: Vec<bool> = Vec::new();
    let mut in_code = 0usize;
    let mut out = Vec::with_capacity(units.len());
    for &(c, cp) in units {
        match c {
            '\u{13}' => {
                stack.push(true);
                in_code += 1;
            }
            '\u{14}' => {
                if let Some(top) = stack.last_mut()
                    && *top
                {
                    *top = false;
                    in_code -= 1;
                }
            }
            '\u{15}' => {
                if stack.pop() == Some(true) {
                    in_code -= 1;
                }
            }
            _ if in_code > 0 => {}
            _ => out.push((c, cp)),
        }
    }
    out
}

/// One character as text: marks become line breaks, other controls go.
fn push_char(out: &mut String, c: char) {
    match c {
        '\r' | '\u{07}' | '\u{0B}' | '\u{0C}' | '\n' => out.push('\n'),
        '\t' => out.push('\t'),
        '\u{1E}' => out.push('-'),
        c if (c as u32) < 0x20 || c == '\u{FFFD}' => {}
        c => out.push(c),
    }
}

/// Text of a story with no table handling.
fn plain(units: &[Unit]) -> String {
    let mut out = String::new();
    for (c, _) in visible(units) {
        push_char(&mut out, c);
    }
    out
}

/// Splits the main story into body text and tables. `pap(cp)` gives the properties of the
/// paragraph whose mark is at `cp`; without them a paragraph ending in a cell mark is a cell.
fn split_tables(units: &[Unit], pap: &dyn Fn(u32) -> Option<Pap>) -> (String, Vec<Sheet>) {
    let mut body = String::new();
    let mut tables: Vec<Sheet> = Vec::new();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut cell = String::new();
    let mut para = String::new();
    let mut close_table =
        |rows: &mut Vec<Vec<String>>, row: &mut Vec<String>, cell: &mut String| {
            if !cell.is_empty() {
                row.push(std::mem::take(cell));
            }
            if !row.is_empty() {
                rows.push(std::mem::take(row));
            }
            if !rows.is_empty() {
                tables.push(Sheet {
                    name: format!("表{}", tables.len() + 1),
                    rows: std::mem::take(rows),
                });
            }
        };
    for (c, cp) in visible(units) {
        if c != '\r' && c != '\u{07}' {
            push_char(&mut para, c);
            continue;
        }
        let p = pap(cp).unwrap_or(Pap {
            in_table: c == '\u{07}',
            row_end: false,
        });
        let text = std::mem::take(&mut para);
        if !p.in_table {
            close_table(&mut rows, &mut row, &mut cell);
            body.push_str(&text);
            body.push('\n');
            continue;
        }
        if p.row_end {
            if !cell.is_empty() {
                row.push(std::mem::take(&mut cell));
            }
            rows.push(std::mem::take(&mut row));
            continue;
        }
        if !cell.is_empty() {
            cell.push('\n');
        }
        cell.push_str(text.trim_end_matches('\n'));
        if c == '\u{07}' {
            row.push(std::mem::take(&mut cell));
        }
    }
    close_table(&mut rows, &mut row, &mut cell);
    if !para.is_empty() {
        body.push_str(&para);
    }
    (body, tables)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chp_sprms_toggle_deletion_and_vanish() {
        let table: &[(&[u8], Chp)] = &[
            (&[], Chp::default()),
            (
                &[0x00, 0x08, 0x01],
                Chp {
                    deleted: true,
                    hidden: false,
                },
            ),
            (
                &[0x3C, 0x08, 0x01],
                Chp {
                    deleted: false,
                    hidden: true,
                },
            ),
            // 0x81: the opposite of the style's value (off) → on; 0x80: as the style → off.
            (
                &[0x3C, 0x08, 0x81],
                Chp {
                    deleted: false,
                    hidden: true,
                },
            ),
            (&[0x3C, 0x08, 0x80], Chp::default()),
            (&[0x00, 0x08, 0x00], Chp::default()),
            // sprmCRgFtc0 (0x4A4F, 2-byte operand) then fRMarkDel: the walk steps over it.
            (
                &[0x4F, 0x4A, 0x01, 0x00, 0x00, 0x08, 0x01],
                Chp {
                    deleted: true,
                    hidden: false,
                },
            ),
            // A variable-length sprm (spra 6) with its size byte, then fVanish.
            (
                &[0x03, 0xCA, 0x02, 0xAA, 0xBB, 0x3C, 0x08, 0x01],
                Chp {
                    deleted: false,
                    hidden: true,
                },
            ),
            // Truncated operands end the walk without a panic.
            (&[0x3C, 0x08], Chp::default()),
            (&[0x03, 0xCA], Chp::default()),
        ];
        for (grpprl, want) in table {
            assert_eq!(read_chp_sprms(grpprl), *want, "{grpprl:02X?}");
        }
    }

    #[test]
    fn dropped_byte_ranges_map_through_pieces() {
        let pieces = [
            // cp 0..10 compressed at byte 100; cp 10..20 UTF-16 at byte 1000.
            Piece {
                cp: 0,
                cp_end: 10,
                fc: 100,
                compressed: true,
            },
            Piece {
                cp: 10,
                cp_end: 20,
                fc: 1000,
                compressed: false,
            },
        ];
        let del = Chp {
            deleted: true,
            hidden: false,
        };
        let hid = Chp {
            deleted: false,
            hidden: true,
        };
        let d = dropped_cps(
            &pieces,
            &[(102, 105, del), (1004, 1010, hid), (5000, 6000, del)],
        );
        assert_eq!(
            d,
            vec![
                Dropped {
                    cp: 2,
                    cp_end: 5,
                    deleted: true
                },
                Dropped {
                    cp: 12,
                    cp_end: 15,
                    deleted: false
                },
            ]
        );
        let mut u = units("0123456789abcdefghij");
        let mut counts = (0, 0);
        drop_invisible(&mut u, &d, &mut counts);
        let kept: String = u.iter().map(|(c, _)| *c).collect();
        assert_eq!(kept, "0156789abfghij");
        assert_eq!(counts, (3, 3));
        // Paragraph marks inside a deleted range stay (the paragraph structure is kept).
        let mut u = units("ab\rcd");
        drop_invisible(
            &mut u,
            &[Dropped {
                cp: 0,
                cp_end: 5,
                deleted: true,
            }],
            &mut counts,
        );
        assert_eq!(u, vec![('\r', 2)]);
    }

    fn units(s: &str) -> Vec<Unit> {
        s.chars().zip(0u32..).collect()
    }

    #[test]
    fn fields_and_controls() {
        let cases = [
            ("前\u{13} PAGE \u{14}3\u{15}后\r", "前3后\n"),
            (
                "\u{13} TOC \\o \u{14}目录\u{13} PAGEREF x \u{14}2\u{15}\u{15}\r",
                "目录2\n",
            ),
            (
                "\u{13} HYPERLINK \u{15}正文\u{0B}换行\u{07}",
                "正文\n换行\n",
            ),
            ("\u{02}脚注\u{01}\u{08}a\u{1E}b\u{1F}", "脚注a-b"),
        ];
        for (raw, want) in cases {
            assert_eq!(plain(&units(raw)), want, "{raw:?}");
        }
    }

    #[test]
    fn tables_from_paragraph_properties() {
        // 标题 ¶ | 姓名 ⁊ 单位 ⁊ ⁊(row end) | 张三 ⁊ 新疆 ¶ 大学 ⁊ ⁊ | 后记 ¶
        let raw = "标题\r姓名\u{07}单位\u{07}\u{07}张三\u{07}新疆\r大学\u{07}\u{07}后记\r";
        let u = units(raw);
        let row_ends: Vec<u32> = vec![9, 19];
        let para_in_table: Vec<u32> = vec![5, 8, 9, 12, 15, 18, 19];
        let pap = |cp: u32| {
            Some(Pap {
                in_table: para_in_table.contains(&cp),
                row_end: row_ends.contains(&cp),
            })
        };
        let (body, tables) = split_tables(&u, &pap);
        assert_eq!(body, "标题\n后记\n");
        assert_eq!(tables.len(), 1);
        assert_eq!(
            tables[0].rows,
            vec![
                vec!["姓名".to_string(), "单位".to_string()],
                vec!["张三".to_string(), "新疆\n大学".to_string()]
            ]
        );
        // Without properties: cells by their marks, the rest is body.
        let (body, tables) = split_tables(&u, &|_| None);
        assert_eq!(body, "标题\n新疆\n后记\n");
        assert_eq!(tables.len(), 2);
    }

    #[test]
    fn sprm_walk() {
        let cases: Vec<(Vec<u8>, Pap)> = vec![
            (
                vec![0x16, 0x24, 1],
                Pap {
                    in_table: true,
                    row_end: false,
                },
            ),
            (
                vec![0x16, 0x24, 1, 0x17, 0x24, 1],
                Pap {
                    in_table: true,
                    row_end: true,
                },
            ),
            (
                // a 4-byte operand, then itap = 1
                vec![0x00, 0x64, 1, 2, 3, 4, 0x49, 0x66, 1, 0, 0, 0],
                Pap {
                    in_table: true,
                    row_end: false,
                },
            ),
            // variable-size operand skipped, truncated sprm ignored
            (vec![0x15, 0xC6, 2, 9, 9, 0x16], Pap::default()),
        ];
        for (grpprl, want) in cases {
            assert_eq!(read_sprms(&grpprl), want, "{grpprl:?}");
        }
    }

    #[test]
    fn compressed_pieces_are_cp1252() {
        let src = TextSource {
            word: &[],
            pieces: vec![],
            short: false,
        };
        let table: &[(&[u8], &str)] = &[
            // Curly quotes around English, as in a Chinese or Japanese Word file.
            (b"\x93Default\x94", "\u{201C}Default\u{201D}"),
            (b"a\x96b \x85", "a\u{2013}b \u{2026}"),
            // GBK bytes of 学会 are not read as Chinese: Word never writes them here.
            (&[0xD1, 0xA7, 0xBB, 0xE1], "Ñ§»á"),
        ];
        for (bytes, want) in table {
            let mut out = Vec::new();
            src.decode_8bit(bytes, 10, &mut out);
            assert_eq!(out.iter().map(|u| u.0).collect::<String>(), *want);
            let positions: Vec<u32> = out.iter().map(|u| u.1).collect();
            assert_eq!(positions, (10..10 + bytes.len() as u32).collect::<Vec<_>>());
        }
    }

    /// A minimal Word 97 file: FIB (csw 14, cslw 22, 93 fc/lcb pairs), the text at 0x400 as
    /// one piece, and a 0Table stream holding only the CLX.
    fn synthetic(text: &[u8], ccp_text: u32, lid_fe: u16, compressed: bool) -> (Vec<u8>, Vec<u8>) {
        let mut word = vec![0u8; 0x400];
        word[0..2].copy_from_slice(&0xA5ECu16.to_le_bytes());
        word[2..4].copy_from_slice(&0x00C1u16.to_le_bytes());
        word[6..8].copy_from_slice(&0x0409u16.to_le_bytes());
        word[0x20..0x22].copy_from_slice(&14u16.to_le_bytes());
        word[0x3C..0x3E].copy_from_slice(&lid_fe.to_le_bytes());
        word[0x3E..0x40].copy_from_slice(&22u16.to_le_bytes());
        word[0x4C..0x50].copy_from_slice(&ccp_text.to_le_bytes());
        word[0x98..0x9A].copy_from_slice(&93u16.to_le_bytes());
        let clx_len = 1 + 4 + 8 + 8;
        word[0x1A6..0x1AA].copy_from_slice(&(clx_len as u32).to_le_bytes());
        word.extend_from_slice(text);
        let fc = if compressed {
            (0x400u32 * 2) | 0x4000_0000
        } else {
            0x400
        };
        let mut table = vec![0x02];
        table.extend_from_slice(&16u32.to_le_bytes());
        table.extend_from_slice(&0u32.to_le_bytes());
        table.extend_from_slice(&ccp_text.to_le_bytes());
        table.extend_from_slice(&[0, 0]);
        table.extend_from_slice(&fc.to_le_bytes());
        table.extend_from_slice(&[0, 0]);
        (word, table)
    }

    #[test]
    fn compressed_pieces_ignore_the_documents_language() {
        let label = "自治区科协2025年度学会重点资助项目\r";
        let utf16: Vec<u8> = label.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let n16 = label.encode_utf16().count() as u32;
        let quoted = b"\x93Default\x94 \x93ContentType\x94\r";
        let cases: [(_, &str); 3] = [
            // A compressed piece in a Chinese (lidFE 0x0804) document: cp1252.
            (
                synthetic(quoted, quoted.len() as u32, 0x0804, true),
                "\u{201C}Default\u{201D} \u{201C}ContentType\u{201D}\n",
            ),
            // The same in a Japanese one.
            (
                synthetic(quoted, quoted.len() as u32, 0x0411, true),
                "\u{201C}Default\u{201D} \u{201C}ContentType\u{201D}\n",
            ),
            // UTF-16 pieces carry the Chinese.
            (
                synthetic(&utf16, n16, 0x0804, false),
                "自治区科协2025年度学会重点资助项目\n",
            ),
        ];
        for (i, ((word, table), want)) in cases.into_iter().enumerate() {
            let fib = parse_fib(&word).expect("fib");
            assert_eq!(fib.table_stream(), "/0Table");
            let text = read_text(&word, &table, &fib).expect("text");
            assert_eq!(text.parts[0].1, want, "case {i}");
            assert!(text.warnings.is_empty(), "case {i}");
        }
        // A text length past the piece table is read as far as it goes, with a warning.
        let (word, table) = synthetic(&utf16, n16, 0x0409, false);
        let mut fib = parse_fib(&word).expect("fib");
        fib.ccp[0] += 100;
        let text = read_text(&word, &table, &fib).expect("text");
        assert_eq!(text.warnings.len(), 1);
    }

    #[test]
    fn hostile_fibs_and_clx() {
        assert!(parse_fib(&[]).is_err());
        let mut fib = vec![0u8; 0x22];
        fib[0] = 0xEC;
        fib[1] = 0xA5;
        fib[2] = 0xC1;
        fib[0x20] = 200; // csw claims more than there is
        assert!(parse_fib(&fib).is_err());
        for clx in [
            &b""[..],
            b"\x01\xFF\xFF",
            b"\x02\xFF\xFF\xFF\xFF",
            b"\x02\x10\0\0\0",
        ] {
            assert!(parse_clx(clx).is_err(), "{clx:?}");
        }
    }
}
