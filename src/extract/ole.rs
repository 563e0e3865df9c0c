//! OLE2 compound files (legacy .doc/.ppt/.xls/.wps and password-protected OOXML): say
//! precisely why we do not read them, instead of a generic "unsupported".
//!
//! Why it exists: a society that saved its report with a password, or as Word 97–2003, must be
//! told what to do ("provide an unencrypted copy" vs "save as .docx/PDF"), and those are
//! different findings. An Office password turns a .docx/.pptx into an OLE container holding
//! `EncryptionInfo` + `EncryptedPackage`; a password-protected .doc keeps its `WordDocument`
//! stream but sets `fEncrypted` in the FIB; PowerPoint adds `EncryptedSummary`; Excel puts a
//! `FilePass` record right after the workbook's BOF.
//!
//! Trade-off: the container is read with the `cfb` crate and only those few bytes are looked
//! at; reading legacy text (undoc / office_oxide, see DESIGN.md) is a later step, so every
//! readable legacy file is `unsupported.legacy_office` for now.

use std::io::Read;

use crate::extract::{Extractor, Input, Limits};
use crate::facts::{Facts, Format, Problem};

pub struct OleExtractor;

impl Extractor for OleExtractor {
    fn name(&self) -> &'static str {
        "ole"
    }
    fn formats(&self) -> &'static [Format] {
        &[Format::Ole]
    }
    fn extract(
        &self,
        input: &Input,
        _limits: &Limits,
        _warnings: &mut Vec<Problem>,
    ) -> Result<Facts, Problem> {
        Err(ole_problem(input))
    }
}

/// What is wrong with an OLE file from our point of view: encrypted, corrupt, or legacy.
pub fn ole_problem(input: &Input) -> Problem {
    let reader = match input.open() {
        Ok(r) => r,
        Err(e) => return crate::extract::io_problem(e),
    };
    let mut cfb = match cfb::CompoundFile::open(reader) {
        Ok(c) => c,
        Err(e) => {
            return Problem::new(
                "unreadable.corrupt",
                format!("文件已损坏：无法解析 OLE 复合文档（{e}），请重新导出"),
            );
        }
    };
    if (cfb.is_stream("/EncryptionInfo") && cfb.is_stream("/EncryptedPackage"))
        || cfb.is_stream("/EncryptedSummary")
        || word_fib_encrypted(&mut cfb)
        || excel_file_pass(&mut cfb)
    {
        return crate::extract::ooxml::encrypted_problem();
    }
    Problem::new(
        "unsupported.legacy_office",
        "旧版 Office 二进制文件（.doc/.ppt/.xls/.wps），暂不支持读取，请另存为 .docx/.pptx 或 PDF",
    )
}

/// Reads up to `n` bytes from the start of a stream.
fn stream_head<F: Read + std::io::Seek>(
    cfb: &mut cfb::CompoundFile<F>,
    path: &str,
    n: u64,
) -> Option<Vec<u8>> {
    if !cfb.is_stream(path) {
        return None;
    }
    let stream = cfb.open_stream(path).ok()?;
    let mut head = Vec::new();
    stream.take(n).read_to_end(&mut head).ok()?;
    Some(head)
}

/// Word 97+: FIB base, the flags word at offset 0x0A, `fEncrypted` = bit 0x0100 (byte 0x0B,
/// bit 0x01). `wIdent` must be 0xA5EC (Word) or 0xA5DC (Word 6): other programs (Works) use
/// the same stream name with another layout.
fn word_fib_encrypted<F: Read + std::io::Seek>(cfb: &mut cfb::CompoundFile<F>) -> bool {
    let Some(head) = stream_head(cfb, "/WordDocument", 12) else {
        return false;
    };
    let ident = head.get(0..2).map(|b| u16::from_le_bytes([b[0], b[1]]));
    matches!(ident, Some(0xA5EC) | Some(0xA5DC)) && head.get(0x0B).is_some_and(|b| b & 0x01 != 0)
}

/// Excel BIFF8: a `FilePass` record (0x002F) directly after the first BOF record.
fn excel_file_pass<F: Read + std::io::Seek>(cfb: &mut cfb::CompoundFile<F>) -> bool {
    let head = stream_head(cfb, "/Workbook", 4096)
        .or_else(|| stream_head(cfb, "/Book", 4096))
        .unwrap_or_default();
    let u16_at = |i: usize| head.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
    let (Some(0x0809), Some(len)) = (u16_at(0), u16_at(2)) else {
        return false;
    };
    u16_at(4 + usize::from(len)) == Some(0x002F)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    fn compound(streams: &[(&str, &[u8])]) -> Vec<u8> {
        let mut cfb = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("create");
        for (name, data) in streams {
            let mut s = cfb.create_stream(name).expect("stream");
            s.write_all(data).expect("write");
        }
        cfb.flush().expect("flush");
        cfb.into_inner().into_inner()
    }

    fn fib(flags_hi: u8) -> Vec<u8> {
        let mut v = vec![0xEC, 0xA5, 0xC1, 0x00, 0, 0, 0x04, 0x08, 0, 0, 0, flags_hi];
        v.resize(512, 0);
        v
    }

    #[test]
    fn classifies_ole_files() {
        let mut biff = vec![0x09, 0x08, 0x04, 0x00, 0, 0, 0, 0, 0x2F, 0x00, 0x00, 0x00];
        biff.resize(256, 0);
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (
                compound(&[("/EncryptionInfo", b"x"), ("/EncryptedPackage", b"y")]),
                "unreadable.encrypted",
            ),
            (
                compound(&[("/WordDocument", &fib(0x01))]),
                "unreadable.encrypted",
            ),
            (
                compound(&[("/WordDocument", &fib(0x00))]),
                "unsupported.legacy_office",
            ),
            (compound(&[("/Workbook", &biff)]), "unreadable.encrypted"),
            (
                compound(&[("/PowerPoint Document", b"x"), ("/EncryptedSummary", b"y")]),
                "unreadable.encrypted",
            ),
            (
                compound(&[("/PowerPoint Document", b"x")]),
                "unsupported.legacy_office",
            ),
            (
                b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1garbage".to_vec(),
                "unreadable.corrupt",
            ),
        ];
        for (i, (bytes, code)) in cases.into_iter().enumerate() {
            let input = Input::from_bytes(bytes, "t.doc");
            assert_eq!(ole_problem(&input).code, code, "case {i}");
        }
    }

    #[test]
    fn corpus_ole_files() {
        let root = std::path::Path::new("../shared/corpus");
        if !root.exists() {
            eprintln!("skip: ../shared/corpus is absent");
            return;
        }
        let cases = [
            (
                "docx/testWORD_protected_passtika.docx",
                "unreadable.encrypted",
            ),
            (
                "doc/password_password_cryptoapi.doc",
                "unreadable.encrypted",
            ),
            ("doc/61490.doc", "unsupported.legacy_office"),
            ("doc/TestChineseProperties.doc", "unsupported.legacy_office"),
            ("ppt/bug46441.ppt", "unsupported.legacy_office"),
            ("ppt/testWPSAttachment.ppt", "unsupported.legacy_office"),
            ("wps/testWORKS.wps", "unsupported.legacy_office"),
        ];
        for (path, code) in cases {
            let input = Input::from_path(root.join(path), path).expect("corpus file");
            let got = OleExtractor
                .extract(&input, &Limits::default(), &mut Vec::new())
                .err()
                .map(|p| p.code);
            assert_eq!(got.as_deref(), Some(code), "{path}");
        }
    }
}
