//! Opening zip and 7z containers: which archive a file is, its central directory or header
//! read with the declared entry count checked first, the names decoded, and every way opening
//! fails as a finding (encrypted, truncated, corrupt, an unsupported 7z method).
//!
//! Why its own module, below both users: the walker ([`crate::walk::archive`]) turns the
//! entries into inputs, and the archive extractor ([`crate::extract::archive`]) describes the
//! archive itself as a file of the dossier; both open containers the same way, and neither
//! should depend on the other.

use std::io::{Read, Seek, SeekFrom};

use crate::facts::Problem;
use crate::input::source::SourceReader;
use crate::input::{Limits, Source};
use crate::names::{NameEncoding, SafePath, decode_zip_name, sanitize};

/// The archive formats yanshou walks into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArchiveKind {
    Zip,
    SevenZ,
}

/// Which archive a file is, from its first bytes and its extension: only `.zip`/`.7z` files
/// are walked into (an Office document is a zip too, and is read as a document).
pub(crate) fn archive_kind(ext: &str, head: &[u8]) -> Option<ArchiveKind> {
    match ext {
        "zip"
            if head.starts_with(b"PK\x03\x04")
                || head.starts_with(b"PK\x05\x06")
                || head.starts_with(b"PK\x07\x08") =>
        {
            Some(ArchiveKind::Zip)
        }
        "7z" if head.starts_with(&[0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]) => {
            Some(ArchiveKind::SevenZ)
        }
        _ => None,
    }
}

/// The first bytes of a source (for [`archive_kind`]).
pub(crate) fn head_of(source: &Source) -> Vec<u8> {
    let mut head = Vec::with_capacity(8);
    if let Ok(r) = source.open() {
        let _ = r.take(8).read_to_end(&mut head);
    }
    head
}

/// Opens a zip over a source, refusing (before the zip crate reads the central directory
/// into memory) one that declares more than `max_entries` entries.
pub(crate) fn open_zip(
    source: &Source,
    max_entries: usize,
) -> Result<zip::ZipArchive<SourceReader>, Problem> {
    if let Some(n) = declared_entries(source)
        && n > max_entries as u64
    {
        return Err(Problem::new(
            crate::codes::LIMIT_ENTRY_COUNT,
            format!(
                "压缩包声明有 {n} 个条目，超过上限 {max_entries}，未展开（文件异常或为压缩炸弹）；请拆分后提交"
            ),
        ));
    }
    zip::ZipArchive::new(SourceReader::new(source.clone())).map_err(zip_problem)
}

/// The entry count in the end-of-central-directory record (zip64 when the classic field is
/// saturated), read from the last 64 KiB without parsing the directory.
pub(crate) fn declared_entries(source: &Source) -> Option<u64> {
    let len = source.len();
    let tail_len = len.min(65_557);
    let mut r = SourceReader::new(source.clone());
    r.seek(SeekFrom::Start(len - tail_len)).ok()?;
    let mut tail = Vec::new();
    r.by_ref().take(tail_len).read_to_end(&mut tail).ok()?;
    let at = tail.windows(4).rposition(|w| w == b"PK\x05\x06")?;
    let classic = tail.get(at + 10..at + 12)?;
    let classic = u16::from_le_bytes([classic[0], classic[1]]);
    if classic != 0xFFFF {
        return Some(u64::from(classic));
    }
    // Zip64 end-of-central-directory locator, 20 bytes before the classic record.
    let loc = tail.get(at.checked_sub(20)?..at)?;
    if loc.get(..4)? != b"PK\x06\x07" {
        return Some(u64::from(classic));
    }
    let offset = u64::from_le_bytes(loc.get(8..16)?.try_into().ok()?);
    let mut rec = [0u8; 40];
    r.seek(SeekFrom::Start(offset)).ok()?;
    r.read_exact(&mut rec).ok()?;
    if rec.get(..4)? != b"PK\x06\x06" {
        return Some(u64::from(classic));
    }
    Some(u64::from_le_bytes(rec.get(32..40)?.try_into().ok()?))
}

/// A zip that cannot be opened, as a finding.
pub(crate) fn zip_problem(e: zip::result::ZipError) -> Problem {
    use zip::result::ZipError;
    match e {
        ZipError::UnsupportedArchive(what) if what.contains("assword") => encrypted_archive(),
        ZipError::InvalidPassword => encrypted_archive(),
        ZipError::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => Problem::new(
            crate::codes::UNREADABLE_TRUNCATED,
            "压缩包不完整（可能下载或复制时被截断），无法读取其中的文件；请重新打包或重新下载后提交",
        ),
        other => Problem::new(
            crate::codes::UNREADABLE_CORRUPT,
            format!("压缩包已损坏，无法读取其中的文件（{other}）；请重新打包后提交"),
        ),
    }
}

pub(crate) fn encrypted_archive() -> Problem {
    Problem::new(
        crate::codes::UNREADABLE_ENCRYPTED,
        "压缩包已加密，请提供未加密的压缩包",
    )
}

/// An entry listed before it is admitted: decoded, cleaned, with its sizes.
pub(crate) struct Listed {
    pub index: usize,
    pub raw: Vec<u8>,
    pub name: String,
    pub encoding: NameEncoding,
    pub safe: SafePath,
    pub is_dir: bool,
}

/// Decodes every entry name of a zip (metadata only), in central-directory order.
pub(crate) fn list_zip(zip: &zip::ZipArchive<SourceReader>, max: usize) -> Vec<Listed> {
    let mut out = Vec::new();
    for index in 0..zip.len().min(max) {
        let Ok(entry) = zip.by_index_data(index) else {
            continue;
        };
        let raw = entry.name_raw().to_vec();
        let flag = entry.flags().as_u16() & 0x0800 != 0;
        let (name, encoding) = decode_zip_name(&raw, flag);
        let safe = sanitize(&name);
        let is_dir = entry.is_dir() || name.ends_with('\\');
        out.push(Listed {
            index,
            raw,
            name,
            encoding,
            safe,
            is_dir,
        });
    }
    out
}

/// How the names of a zip were decoded: one line per encoding with its count.
pub(crate) fn zip_name_summary(zip: &zip::ZipArchive<SourceReader>) -> String {
    let listed = list_zip(zip, usize::MAX);
    let mut counts: std::collections::BTreeMap<NameEncoding, usize> = Default::default();
    for l in listed.iter().filter(|l| !l.raw.is_ascii()) {
        *counts.entry(l.encoding).or_default() += 1;
    }
    if counts.is_empty() {
        return "ASCII（无非英文文件名）".to_string();
    }
    counts
        .iter()
        .map(|(e, n)| format!("{}：{n} 个", e.zh()))
        .collect::<Vec<_>>()
        .join("；")
}

pub(crate) fn seven_problem(e: sevenz_rust2::Error) -> Problem {
    use sevenz_rust2::Error as E;
    match e {
        E::PasswordRequired | E::MaybeBadPassword(_) => encrypted_archive(),
        E::Io(ref io, _) if io.kind() == std::io::ErrorKind::UnexpectedEof => Problem::new(
            crate::codes::UNREADABLE_TRUNCATED,
            "7z 压缩包不完整（可能下载或复制时被截断），无法读取其中的文件；请重新打包或重新下载后提交",
        ),
        E::MaxMemLimited { .. } => Problem::new(
            crate::codes::LIMIT_ENTRY_MEMORY,
            "7z 压缩包需要的解压内存超过上限，未读取；请改用 zip 重新打包",
        ),
        E::UnsupportedCompressionMethod(m) => Problem::new(
            crate::codes::UNSUPPORTED_7Z_METHOD,
            format!(
                "7z 压缩包使用了不支持的压缩方法（{m}）；请改用 zip 或 7z 的默认 LZMA2 方法重新打包"
            ),
        ),
        other => Problem::new(
            crate::codes::UNREADABLE_CORRUPT,
            format!("7z 压缩包已损坏，无法读取其中的文件（{other}）；请重新打包后提交"),
        ),
    }
}

/// Opens a 7z (header only) with the decoder memory bounded.
pub(crate) fn open_7z(
    source: &Source,
    limits: &Limits,
) -> Result<sevenz_rust2::ArchiveReader<std::io::BufReader<SourceReader>>, Problem> {
    let reader = std::io::BufReader::with_capacity(64 << 10, SourceReader::new(source.clone()));
    let mem_kb =
        usize::try_from(limits.max_entry_memory.saturating_mul(4) / 1024).unwrap_or(usize::MAX);
    let mut sz = sevenz_rust2::ArchiveReader::new_with_memory_limit(
        reader,
        sevenz_rust2::Password::empty(),
        mem_kb,
    )
    .map_err(seven_problem)?;
    sz.set_thread_count(1);
    Ok(sz)
}
