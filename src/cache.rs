//! The facts cache: what reading a file found, kept by the hash of the file's bytes, so that a
//! re-audit after a society replaced two files re-reads only those two.
//!
//! Why content and not path + mtime: submissions are copied, unzipped and moved between
//! machines (mtimes change, content does not), and a replaced file may keep its name and even
//! its size. The key is BLAKE3 over the yanshou version and build (size and mtime of the
//! executable, so a rebuilt binary never reuses facts of the previous one), the extractor's
//! name, the label settings (labels, near-miss distance, limits: they shape the record), the OCR
//! engine and its version (or "off"), and the
//! file's bytes, streamed through a fixed buffer (`update_reader`), never loaded whole. Entries are JSON files
//! under `<cache>/<2 hex>/<64 hex>.json`, written to a temporary name and renamed, so parallel
//! audits sharing a cache never read a half-written entry; an entry that does not parse is a
//! miss, never an error.
//!
//! The trade-off: recordings are not cached. Their extractors read only the index (moov, a few
//! MB of a multi-GB file), so hashing all their bytes would cost far more than reading them
//! again. Files whose reading failed for a reason of the run rather than of the bytes (an I/O
//! error, an interrupt, a crashed reader, the memory ceiling) are not stored either (the next
//! run may succeed). Hits, misses (= extractor runs), stores and skips are counted and reported.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;

use crate::extract::extractor_for;
use crate::facts::{Format, Kind};
use crate::identify::identify;
use crate::input::{Input, Limits};
use crate::model::FileRecord;

/// Bumped when the cached record's meaning changes without a version change.
const CACHE_FORMAT: &str = "yanshou-facts/2";

/// Counts of what the cache did during a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CacheStats {
    /// Files whose facts came from the cache (not re-read).
    pub hits: u64,
    /// Files that were hashed, not found, and read by their extractor.
    pub misses: u64,
    /// Entries written.
    pub stored: u64,
    /// Files not cached by design (recordings, unidentifiable) and read directly.
    pub skipped: u64,
    /// Bytes hashed.
    pub hashed_bytes: u64,
}

/// What a lookup found.
#[derive(Debug)]
pub enum Lookup {
    /// The record read earlier, with this run's path and size.
    Hit(Box<FileRecord>),
    /// Not cached yet: read the file, then [`FactCache::store`] under this key.
    Miss(String),
    /// Not cached by design: read the file directly.
    Skip,
}

/// A content-addressed cache of file records in one directory.
#[derive(Debug)]
pub struct FactCache {
    dir: PathBuf,
    /// Hash of everything besides the content that shapes a record.
    salt: blake3::Hash,
    hits: AtomicU64,
    misses: AtomicU64,
    stored: AtomicU64,
    skipped: AtomicU64,
    hashed: AtomicU64,
}

impl FactCache {
    /// Opens (creating) the cache directory for records read with these labels and limits.
    pub fn open(
        dir: &Path,
        labels: &[String],
        distance: usize,
        limits: &Limits,
    ) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let mut salt = blake3::Hasher::new();
        salt.update(CACHE_FORMAT.as_bytes());
        salt.update(b"\0");
        salt.update(env!("CARGO_PKG_VERSION").as_bytes());
        salt.update(build_id().as_bytes());
        for l in labels {
            salt.update(b"\0label\0");
            salt.update(l.as_bytes());
        }
        salt.update(
            format!(
                "\0{distance}\0{}\0{}\0{}\0prints={}",
                limits.max_xml_bytes,
                limits.max_document_bytes,
                limits.max_image_pixels,
                limits.prints
            )
            .as_bytes(),
        );
        // OCR adds text and findings: facts read with OCR are never reused without it, nor
        // with another tesseract version or model (and the other way round).
        salt.update(b"\0");
        salt.update(crate::ocr::cache_id(limits.ocr.as_deref()).as_bytes());
        Ok(FactCache {
            dir: dir.to_path_buf(),
            salt: salt.finalize(),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            stored: AtomicU64::new(0),
            skipped: AtomicU64::new(0),
            hashed: AtomicU64::new(0),
        })
    }

    /// The directory holding the entries.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// What the cache did so far.
    pub fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            stored: self.stored.load(Ordering::Relaxed),
            skipped: self.skipped.load(Ordering::Relaxed),
            hashed_bytes: self.hashed.load(Ordering::Relaxed),
        }
    }

    /// Identifies the file, hashes its bytes (streaming) and looks the record up.
    pub fn lookup(&self, input: &Input) -> Lookup {
        // Identify runs on hostile bytes: a panic there means "do not cache", never a crash.
        let key = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.key(input)))
            .ok()
            .flatten();
        let Some(key) = key else {
            self.skipped.fetch_add(1, Ordering::Relaxed);
            return Lookup::Skip;
        };
        let path = self.entry_path(&key);
        let cached = std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<FileRecord>(&bytes).ok());
        match cached {
            Some(mut record) => {
                self.hits.fetch_add(1, Ordering::Relaxed);
                record.path = input.display.clone();
                record.size = input.size;
                record.role = None;
                record.role_reason = None;
                Lookup::Hit(Box::new(record))
            }
            None => {
                self.misses.fetch_add(1, Ordering::Relaxed);
                Lookup::Miss(key)
            }
        }
    }

    /// Stores a freshly read record under `key`. Records that failed for an I/O reason are not
    /// stored; a write error only costs a re-read next time.
    pub fn store(&self, key: &str, record: &FileRecord) {
        // Outcomes of this run rather than of the bytes are read again next time: an I/O
        // error, an interrupt, a reader that died or ran out of its memory ceiling (which is
        // a setting of the run, not part of the key).
        use crate::codes::{EXTRACT_CRASHED, LIMIT_MEMORY, RUN_INTERRUPTED, UNREADABLE_IO};
        if record.problems.iter().any(|p| {
            [
                UNREADABLE_IO,
                RUN_INTERRUPTED,
                LIMIT_MEMORY,
                EXTRACT_CRASHED,
            ]
            .iter()
            .any(|c| p.code == *c)
        }) {
            return;
        }
        let path = self.entry_path(key);
        let Some(parent) = path.parent() else { return };
        if std::fs::create_dir_all(parent).is_err() {
            return;
        }
        let Ok(json) = serde_json::to_vec(record) else {
            return;
        };
        // A unique temporary name per writer, then an atomic rename.
        let tmp = parent.join(format!(
            ".{key}.{}.{:?}.tmp",
            std::process::id(),
            std::thread::current().id()
        ));
        let written = std::fs::File::create(&tmp)
            .and_then(|mut f| f.write_all(&json))
            .and_then(|_| std::fs::rename(&tmp, &path));
        match written {
            Ok(()) => {
                self.stored.fetch_add(1, Ordering::Relaxed);
            }
            Err(_) => {
                let _ = std::fs::remove_file(&tmp);
            }
        }
    }

    fn entry_path(&self, key: &str) -> PathBuf {
        let prefix = key.get(..2).unwrap_or("00");
        self.dir.join(prefix).join(format!("{key}.json"))
    }

    /// The key of a file, or `None` when it is not cached by design (recordings, files that
    /// cannot be opened or identified).
    fn key(&self, input: &Input) -> Option<String> {
        let format = input.open().and_then(|mut r| identify(&mut r)).ok()?;
        if format.kind() == Kind::Video {
            return None;
        }
        let extractor = match format {
            Format::Empty => "empty",
            f => extractor_for(f).map(|e| e.name()).unwrap_or("none"),
        };
        let mut h = blake3::Hasher::new();
        h.update(self.salt.as_bytes());
        h.update(extractor.as_bytes());
        h.update(b"\0");
        h.update(format.name().as_bytes());
        h.update(b"\0");
        let reader = input.open().ok()?;
        let mut counted = CountingReader {
            inner: reader,
            n: 0,
        };
        h.update_reader(&mut counted).ok()?;
        self.hashed.fetch_add(counted.n, Ordering::Relaxed);
        Some(h.finalize().to_hex().to_string())
    }
}

/// Identifies this build of yanshou: size and modification time of the running executable.
/// The version alone is not enough, since extractors change between releases (a developer's
/// rebuild must not reuse facts read by the previous build); a rebuilt binary gets a fresh cache.
fn build_id() -> String {
    std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| {
            let mtime = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| d.as_nanos())
                .unwrap_or(0);
            format!("{}:{mtime}", m.len())
        })
        .unwrap_or_default()
}

struct CountingReader<R> {
    inner: R,
    n: u64,
}

impl<R: std::io::Read> std::io::Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.n = self.n.saturating_add(n as u64);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::read_file_cached;

    fn labels() -> Vec<String> {
        vec!["自治区科协2025年度学会重点资助项目".to_string()]
    }

    #[test]
    fn second_read_is_a_hit_and_equal() {
        let dir = tempfile::tempdir().unwrap();
        let cache =
            FactCache::open(&dir.path().join("c"), &labels(), 2, &Limits::default()).unwrap();
        let text = "自治区科协2025年度学会重点资助项目\n总结报告正文。"
            .as_bytes()
            .to_vec();
        let a = Input::from_bytes(text.clone(), "a.txt");
        let first = read_file_cached(&a, &labels(), 2, &Limits::default(), Some(&cache));
        let s = cache.stats();
        assert_eq!((s.hits, s.misses, s.stored), (0, 1, 1));
        // Same bytes under another name: a hit, with this name.
        let b = Input::from_bytes(text, "moved/b.txt");
        let second = read_file_cached(&b, &labels(), 2, &Limits::default(), Some(&cache));
        assert_eq!(cache.stats().hits, 1);
        assert_eq!(second.path, "moved/b.txt");
        assert_eq!(second.facts, first.facts);
        assert_eq!(second.problems, first.problems);
        // Changed bytes: a miss.
        let c = Input::from_bytes("另一份文件".as_bytes().to_vec(), "a.txt");
        read_file_cached(&c, &labels(), 2, &Limits::default(), Some(&cache));
        assert_eq!(cache.stats().misses, 2);
    }

    #[test]
    fn settings_change_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let input = Input::from_bytes(b"hello".to_vec(), "a.txt");
        let one = FactCache::open(dir.path(), &labels(), 2, &Limits::default()).unwrap();
        let two = FactCache::open(dir.path(), &[], 2, &Limits::default()).unwrap();
        assert_ne!(one.key(&input), two.key(&input));
        assert_eq!(one.key(&input), one.key(&input));
    }

    #[test]
    fn ocr_engine_changes_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let input = Input::from_bytes(b"hello".to_vec(), "a.txt");
        let with = |version: &str| Limits {
            ocr: Some(std::sync::Arc::new(crate::ocr::Ocr::with_program(
                "/usr/bin/tesseract",
                version,
            ))),
            ..Limits::default()
        };
        let off = FactCache::open(dir.path(), &labels(), 2, &Limits::default()).unwrap();
        let on = FactCache::open(dir.path(), &labels(), 2, &with("tesseract 5.3.0")).unwrap();
        let newer = FactCache::open(dir.path(), &labels(), 2, &with("tesseract 5.5.0")).unwrap();
        let same = FactCache::open(dir.path(), &labels(), 2, &with("tesseract 5.3.0")).unwrap();
        assert_ne!(off.key(&input), on.key(&input));
        assert_ne!(on.key(&input), newer.key(&input));
        assert_eq!(on.key(&input), same.key(&input));
    }

    #[test]
    fn corrupt_entry_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let cache = FactCache::open(dir.path(), &labels(), 2, &Limits::default()).unwrap();
        let input = Input::from_bytes(b"hello world".to_vec(), "a.txt");
        let key = cache.key(&input).unwrap();
        let path = cache.entry_path(&key);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, b"{not json").unwrap();
        assert!(matches!(cache.lookup(&input), Lookup::Miss(_)));
    }
}
