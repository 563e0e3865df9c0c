//! Archives as files of their own: the row that says an archive was read, how many entries it
//! has and how their names were decoded — or why it could not be opened.
//!
//! Why it exists: the walker turns an archive's entries into inputs of their own
//! ([`crate::walk::archive`]; both open containers through [`crate::container`]), but the archive itself must appear in the dossier too, so that a
//! corrupt, encrypted or unsupported archive is a finding and nothing is silently lost. This
//! reads headers only (zip central directory, 7z header), never entry data.
//!
//! RAR is not read: no maintained pure-Rust RAR decoder was mature enough when this was
//! written (`rars` is young and changing fast, and this machine has no RAR tool to make
//! reference fixtures), and the C++ unrar library is excluded by the build rules. A RAR gets
//! an `unsupported.rar` finding asking for a zip.

use crate::container::{head_of, open_7z, open_zip, zip_name_summary};
use crate::extract::Extractor;
use crate::facts::{Facts, Format, Problem};
use crate::input::{Input, Limits, io_problem};

pub(crate) struct ArchiveExtractor;

impl Extractor for ArchiveExtractor {
    fn name(&self) -> &'static str {
        "archive"
    }

    fn formats(&self) -> &'static [Format] {
        &[Format::Zip, Format::SevenZ, Format::Rar]
    }

    fn extract(
        &self,
        input: &Input,
        limits: &Limits,
        _warnings: &mut Vec<Problem>,
    ) -> Result<Facts, Problem> {
        let source = input.source().map_err(io_problem)?;
        let head = head_of(&source);
        let mut facts = Facts::default();
        if head.starts_with(b"Rar!\x1A\x07") {
            return Err(Problem::new(
                crate::codes::UNSUPPORTED_RAR,
                "RAR 压缩包暂不支持，请重新打包为 zip",
            ));
        }
        if head.starts_with(&[0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]) {
            let sz = open_7z(&source, limits)?;
            let files = &sz.archive().files;
            let n = files.iter().filter(|f| !f.is_directory()).count();
            facts.add_meta("archive.format", "7z");
            facts.add_meta("archive.entries", &n.to_string());
            let repaired = files
                .iter()
                .filter(|f| crate::names::repair_cp437_gbk(f.name()).is_some())
                .count();
            let encoding = if repaired == 0 {
                "UTF-16（7z 固定编码）".to_string()
            } else {
                format!(
                    "UTF-16（7z 固定编码）；其中 {repaired} 个是按 CP437 误读后保存的 GBK 中文名，已还原"
                )
            };
            facts.add_meta("archive.name_encoding", &encoding);
            return Ok(facts);
        }
        let zip = open_zip(&source, limits.max_entries)?;
        let n = (0..zip.len())
            .filter(|&i| zip.by_index_data(i).is_ok_and(|e| !e.is_dir()))
            .count();
        facts.add_meta("archive.format", "zip");
        facts.add_meta("archive.entries", &n.to_string());
        facts.add_meta("archive.name_encoding", &zip_name_summary(&zip));
        Ok(facts)
    }
}
