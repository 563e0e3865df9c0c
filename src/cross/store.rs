//! Where the pass keeps what it does not hold in memory, and the fingerprints file.
//!
//! - The spill: a private folder under `--out` (`.yanshou-cross-*`, removed when the pass
//!   ends, also on error) with one JSON line per project — its fingerprints with the photo
//!   previews — in the order projects finish, and one file of document texts per project. Only
//!   the pairs found read them back: a text to quote a passage, a line for a preview.
//! - `fingerprints.jsonl` next to `summary.json`: a header line (the schemes of the
//!   fingerprints, the audit's root and time), then one line per project in discovery order.
//!   `--compare-with DIR` reads it next year, line by line; a file of another scheme is refused
//!   with a message rather than compared wrongly.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::ProjectPrints;

/// The file written next to `summary.json`.
pub(crate) const FINGERPRINTS: &str = "fingerprints.jsonl";
const SCHEMA: &str = "yanshou.fingerprints/1";
/// How photos and recordings were fingerprinted (with `text::SCHEME`, what must match).
const PHOTO_SCHEME: &str = "image_hasher-3/median-dct/16x16/triangle";
const SKETCH_SCHEME: &str = "4x64KiB/window32/bottom32";

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    schema: String,
    text: String,
    photo: String,
    recording: String,
    tool: String,
    root: String,
    checked_at: String,
}

/// Where one earlier project's line is.
#[derive(Debug, Clone)]
pub(crate) struct Earlier {
    /// The earlier audit's output folder.
    pub dir: PathBuf,
    /// How it is named in findings: its root and time.
    pub label: String,
    /// Byte offset and length of the project's line in its `fingerprints.jsonl`.
    pub line: (u64, u64),
}

/// The private spill folder of one pass.
pub(crate) struct Spill {
    dir: tempfile::TempDir,
    lines: Mutex<Lines>,
}

struct Lines {
    file: File,
    end: u64,
    /// Per project index: offset and length of its line.
    at: std::collections::HashMap<usize, (u64, u64)>,
}

impl Spill {
    pub(crate) fn new(out: &Path) -> std::io::Result<Spill> {
        let dir = tempfile::Builder::new()
            .prefix(".yanshou-cross-")
            .tempdir_in(out)?;
        let file = File::options()
            .create_new(true)
            .read(true)
            .append(true)
            .open(dir.path().join("prints.jsonl"))?;
        std::fs::create_dir(dir.path().join("texts"))?;
        std::fs::create_dir(dir.path().join("reports"))?;
        Ok(Spill {
            dir,
            lines: Mutex::new(Lines {
                file,
                end: 0,
                at: std::collections::HashMap::new(),
            }),
        })
    }

    /// Keeps a project's fingerprints (with previews) and its document texts. `false` when
    /// they could not be written (that project is then left out of the comparison).
    pub(crate) fn put(&self, index: usize, prints: &ProjectPrints, texts: &[String]) -> bool {
        let Ok(mut line) = serde_json::to_vec(prints) else {
            return false;
        };
        line.push(b'\n');
        let texts_ok = serde_json::to_vec(texts)
            .ok()
            .is_some_and(|t| std::fs::write(self.text_path(index), t).is_ok());
        let Ok(mut l) = self.lines.lock() else {
            return false;
        };
        if !texts_ok || l.file.write_all(&line).is_err() {
            return false;
        }
        let start = l.end;
        l.end += line.len() as u64;
        l.at.insert(index, (start, line.len() as u64));
        true
    }

    /// Keeps a project's whole report (texts included), so that its dossier can be written
    /// again with its findings once the pass is done, without holding it in memory.
    pub(crate) fn put_report(&self, index: usize, report: &crate::model::Report) -> bool {
        serde_json::to_vec(report)
            .ok()
            .is_some_and(|b| std::fs::write(self.report_path(index), b).is_ok())
    }

    /// A project's report as [`Spill::put_report`] kept it.
    pub(crate) fn report(&self, index: usize) -> Option<crate::model::Report> {
        let bytes = std::fs::read(self.report_path(index)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    fn report_path(&self, index: usize) -> PathBuf {
        self.dir
            .path()
            .join("reports")
            .join(format!("{index}.json"))
    }

    fn text_path(&self, index: usize) -> PathBuf {
        self.dir.path().join("texts").join(format!("{index}.json"))
    }

    /// The document texts of a project, in the order of its `docs`.
    pub(crate) fn texts(&self, index: usize) -> Option<Vec<String>> {
        let bytes = std::fs::read(self.text_path(index)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    fn line(&self, index: usize) -> Option<Vec<u8>> {
        let mut l = self.lines.lock().ok()?;
        let (start, len) = *l.at.get(&index)?;
        read_at(&mut l.file, start, len)
    }

    /// The preview of a photo of a project.
    pub(crate) fn thumb(&self, index: usize, path: &str) -> Option<String> {
        let p: ProjectPrints = serde_json::from_slice(&self.line(index)?).ok()?;
        p.photos.into_iter().find(|x| x.path == path)?.thumb
    }

    /// Writes `fingerprints.jsonl`: the header, then each project's line in index order.
    pub(crate) fn write_fingerprints(
        &self,
        path: &Path,
        root: &str,
        checked_at: &str,
        n: usize,
    ) -> std::io::Result<()> {
        let header = Header {
            schema: SCHEMA.into(),
            text: super::text::SCHEME.into(),
            photo: PHOTO_SCHEME.into(),
            recording: SKETCH_SCHEME.into(),
            tool: format!("yanshou {}", env!("CARGO_PKG_VERSION")),
            root: root.into(),
            checked_at: checked_at.into(),
        };
        let mut w = std::io::BufWriter::new(File::create(path)?);
        serde_json::to_writer(&mut w, &header)?;
        w.write_all(b"\n")?;
        for i in 0..n {
            if let Some(line) = self.line(i) {
                w.write_all(&line)?;
            }
        }
        w.flush()
    }
}

fn read_at(file: &mut File, start: u64, len: u64) -> Option<Vec<u8>> {
    file.seek(SeekFrom::Start(start)).ok()?;
    let mut buf = vec![0; usize::try_from(len).ok()?];
    file.read_exact(&mut buf).ok()?;
    Some(buf)
}

/// Checks, before any submission is read, that `dir` holds a fingerprints file of this
/// version's schemes (`--compare-with`); the error says what to do.
pub(crate) fn check_earlier(dir: &Path) -> Result<(), String> {
    let path = dir.join(FINGERPRINTS);
    let file = File::open(&path).map_err(|e| open_error(dir, &e))?;
    let mut first = String::new();
    BufReader::new(file)
        .read_line(&mut first)
        .map_err(|e| open_error(dir, &e))?;
    header_ok(&path, &first)
}

fn open_error(dir: &Path, e: &std::io::Error) -> String {
    format!(
        "--compare-with {}：找不到或无法读取 {FINGERPRINTS}（{}）；请指定往年 audit 的输出目录",
        dir.display(),
        crate::os_error::zh(e)
    )
}

fn header_ok(path: &Path, first: &str) -> Result<(), String> {
    let header: Header = serde_json::from_str(first)
        .map_err(|e| format!("{}：不是 yanshou 的指纹文件（{e}）", path.display()))?;
    if header.schema != SCHEMA
        || header.text != super::text::SCHEME
        || header.photo != PHOTO_SCHEME
        || header.recording != SKETCH_SCHEME
    {
        return Err(format!(
            "{}：指纹的算法（{}，{}）与本版本不同，无法比对；请用本版本重新运行往年的 audit",
            path.display(),
            header.schema,
            header.text
        ));
    }
    Ok(())
}

/// Reads an earlier audit's fingerprints: its label, and each project with where its line is.
/// An earlier audit's label and its projects, each with where its line is (offset, length).
pub(crate) type EarlierAudit = (String, Vec<((u64, u64), ProjectPrints)>);

pub(crate) fn read_earlier(dir: &Path) -> Result<EarlierAudit, String> {
    let path = dir.join(FINGERPRINTS);
    let file = File::open(&path).map_err(|e| open_error(dir, &e))?;
    let mut r = BufReader::new(file);
    let mut first = String::new();
    let mut at = r.read_line(&mut first).map_err(|e| e.to_string())? as u64;
    header_ok(&path, &first)?;
    let header: Header = serde_json::from_str(&first).map_err(|e| e.to_string())?;
    let label = format!("{}，{}", header.root, header.checked_at);
    let mut out = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        let n = r.read_line(&mut line).map_err(|e| e.to_string())? as u64;
        if n == 0 {
            break;
        }
        let p: ProjectPrints = serde_json::from_str(&line)
            .map_err(|e| format!("{}：第 {} 行无法读取（{e}）", path.display(), out.len() + 2))?;
        out.push(((at, n), p));
        at += n;
    }
    Ok((label, out))
}

/// The preview of a photo of an earlier project.
pub(crate) fn earlier_thumb(e: &Earlier, path: &str) -> Option<String> {
    let mut f = File::open(e.dir.join(FINGERPRINTS)).ok()?;
    let line = read_at(&mut f, e.line.0, e.line.1)?;
    let p: ProjectPrints = serde_json::from_slice(&line).ok()?;
    p.photos.into_iter().find(|x| x.path == path)?.thumb
}

/// `Vec<u32>` as base64 of little-endian bytes (a third of the size of a JSON array).
pub(crate) mod packed {
    use base64::Engine as _;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(v: &[u32], s: S) -> Result<S::Ok, S::Error> {
        let bytes: Vec<u8> = v.iter().flat_map(|x| x.to_le_bytes()).collect();
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(bytes))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u32>, D::Error> {
        let s = String::deserialize(d)?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(s.as_bytes())
            .map_err(serde::de::Error::custom)?;
        if bytes.len() % 4 != 0 {
            return Err(serde::de::Error::custom(
                "fingerprints: not a multiple of 4 bytes",
            ));
        }
        Ok(bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cross::{DocPrints, PhotoPrints, ProjectInfo};

    #[test]
    fn spill_and_fingerprints_file_round_trip() {
        let tmp = tempfile::tempdir().unwrap();
        let spill = Spill::new(tmp.path()).unwrap();
        let p = |name: &str| ProjectPrints {
            info: ProjectInfo {
                name: name.into(),
                dir: name.into(),
                ..ProjectInfo::default()
            },
            docs: vec![DocPrints {
                path: "总结报告.docx".into(),
                chars: 4000,
                prints: vec![1, 2, u32::MAX],
            }],
            photos: vec![PhotoPrints {
                path: "a.jpg".into(),
                phash: "00ff".repeat(16),
                thumb: Some(format!("data:{name}")),
            }],
            recordings: Vec::new(),
        };
        // Finished out of order: the file is still in discovery order.
        assert!(spill.put(1, &p("B"), &["乙".into()]));
        assert!(spill.put(0, &p("A"), &["甲".into()]));
        assert_eq!(spill.texts(0).unwrap(), ["甲"]);
        assert_eq!(spill.thumb(1, "a.jpg").as_deref(), Some("data:B"));
        spill
            .write_fingerprints(
                &tmp.path().join(FINGERPRINTS),
                "/年度",
                "2026-11-29 10:00",
                3,
            )
            .unwrap();
        let (label, projects) = read_earlier(tmp.path()).unwrap();
        assert_eq!(label, "/年度，2026-11-29 10:00");
        let names: Vec<&str> = projects.iter().map(|(_, p)| p.info.name.as_str()).collect();
        assert_eq!(names, ["A", "B"]);
        assert_eq!(projects[1].1.docs[0].prints, [1, 2, u32::MAX]);
        let e = Earlier {
            dir: tmp.path().to_path_buf(),
            label,
            line: projects[1].0,
        };
        assert_eq!(earlier_thumb(&e, "a.jpg").as_deref(), Some("data:B"));
        // Another scheme is refused, with a message.
        let text = std::fs::read_to_string(tmp.path().join(FINGERPRINTS)).unwrap();
        std::fs::write(
            tmp.path().join(FINGERPRINTS),
            text.replace(super::super::text::SCHEME, "other"),
        )
        .unwrap();
        assert!(read_earlier(tmp.path()).unwrap_err().contains("无法比对"));
        assert!(read_earlier(&tmp.path().join("none")).is_err());
        let spill_dir = spill.dir.path().to_path_buf();
        drop(spill);
        assert!(!spill_dir.exists(), "the spill is removed");
    }
}
