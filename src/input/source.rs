//! Byte sources for files that live inside archives: read lazily, never extracted to disk.
//!
//! Why it exists: a submission zip of 2 GB (a few keynote recordings) must not be held in
//! memory, and nothing may be written into the submission. So an archive entry is not read when
//! the archive is walked; it becomes a [`Source`] that says *where its bytes are*, and the bytes
//! are produced only when an extractor opens the file:
//! - a **stored** entry is a window onto its container: seekable, zero-copy (a video stored in
//!   a zip is probed exactly like a file on disk, reading a few KB of its index);
//! - a **deflated** entry is inflated on demand. Small ones (≤ `Limits::max_entry_memory`) are
//!   inflated into memory when opened (an Office package inside a zip needs random access);
//!   large ones are streamed by a *restartable* inflater: reading forward is sequential, a
//!   backward seek restarts inflation from the start (memory O(1), time O(size) per restart).
//!   The MP4 reader seeks forward past `mdat` and reads `moov`, so one pass suffices;
//! - entries in other methods (bzip2, LZMA, deflate64) are decoded by the zip crate into memory
//!   within the same per-entry memory limit;
//! - containers (the archive file itself, or a nested archive) are read with positional reads
//!   (`pread`), so one opened file serves every entry and every thread without shared cursors.
//!
//! Trade-off: CRCs of entries read through the window/inflater are not checked (a corrupt entry
//! reads as a corrupt file, which the extractor reports); the zip crate still checks the CRC on
//! the in-memory path.

use std::fs::File;
use std::io::{self, Cursor, Read, Seek, SeekFrom};
use std::sync::Arc;

use flate2::read::DeflateDecoder;

use crate::input::{ReadSeek, SharedBytes};

/// The largest compression ratio an inflated entry may show once it has produced more than
/// `floor` bytes (see [`Source::Inflate`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RatioLimit {
    pub max: u64,
    pub floor: u64,
}

/// A ratio breach seen while inflating on this thread: (bytes out, bytes in).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RatioBreach {
    pub inflated: u64,
    pub consumed: u64,
    pub max: u64,
}

thread_local! {
    static RATIO_BREACH: std::cell::Cell<Option<RatioBreach>> = const { std::cell::Cell::new(None) };
}

/// The ratio breach recorded on this thread since the last call, if any (the reader that hit
/// it returned an I/O error, which the extractor reports in its own words; the pipeline uses
/// this to say what really happened).
pub fn take_ratio_breach() -> Option<RatioBreach> {
    RATIO_BREACH.with(|b| b.take())
}

/// Where an archive entry's bytes are. Cheap to clone (`Arc`s inside).
#[derive(Clone)]
pub enum Source {
    /// A whole file opened read-only (read by position, never through a shared cursor).
    File { file: Arc<File>, len: u64 },
    /// Bytes in memory (a small nested archive, a 7z entry).
    Memory(Arc<Vec<u8>>),
    /// `len` bytes of `parent` from `start` (a stored zip entry).
    Window {
        parent: Arc<Source>,
        start: u64,
        len: u64,
    },
    /// Raw deflate data in `compressed`, inflating to `len` bytes (the declared size: output
    /// beyond it is never produced, so a header that lies cannot make an entry grow).
    Inflate {
        compressed: Arc<Source>,
        len: u64,
        /// Inflate into memory when opened (small entries) rather than stream.
        in_memory: bool,
        /// The compression-ratio limit, enforced on the bytes actually inflated against the
        /// bytes actually consumed (a header may declare a compressed size 100× the real
        /// stream's to pass the check on declared sizes).
        ratio: Option<RatioLimit>,
    },
    /// An entry the zip crate must decode (bzip2, LZMA, deflate64 …), into memory when opened.
    ZipEntry {
        archive: Arc<zip::ZipArchive<SourceReader>>,
        index: usize,
        len: u64,
    },
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::File { len, .. } => write!(f, "File({len})"),
            Source::Memory(b) => write!(f, "Memory({})", b.len()),
            Source::Window { start, len, .. } => write!(f, "Window({start}+{len})"),
            Source::Inflate { len, in_memory, .. } => write!(f, "Inflate({len}, {in_memory})"),
            Source::ZipEntry { index, len, .. } => write!(f, "ZipEntry(#{index}, {len})"),
        }
    }
}

impl Source {
    /// Opens a file read-only as a source.
    pub fn file(path: &std::path::Path) -> io::Result<Source> {
        let file = File::open(path)?;
        let len = file.metadata()?.len();
        Ok(Source::File {
            file: Arc::new(file),
            len,
        })
    }

    /// The number of bytes the source yields.
    pub fn len(&self) -> u64 {
        match self {
            Source::File { len, .. } => *len,
            Source::Memory(b) => b.len() as u64,
            Source::Window { len, .. } | Source::Inflate { len, .. } => *len,
            Source::ZipEntry { len, .. } => *len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Opens the bytes for reading and seeking.
    pub fn open(&self) -> io::Result<Box<dyn ReadSeek>> {
        match self {
            Source::Inflate {
                in_memory: true, ..
            }
            | Source::ZipEntry { .. } => {
                let bytes = self.read_all(self.len())?;
                Ok(Box::new(Cursor::new(SharedBytes(Arc::new(bytes)))))
            }
            Source::Memory(bytes) => Ok(Box::new(Cursor::new(SharedBytes(bytes.clone())))),
            _ => Ok(Box::new(io::BufReader::with_capacity(
                64 << 10,
                SourceReader::new(self.clone()),
            ))),
        }
    }

    /// Reads everything, refusing (before reading) sources larger than `limit`.
    pub fn read_all(&self, limit: u64) -> io::Result<Vec<u8>> {
        let len = self.len();
        if len > limit {
            return Err(io::Error::other(format!(
                "entry of {len} bytes exceeds the limit of {limit} bytes"
            )));
        }
        match self {
            Source::Memory(bytes) => Ok(bytes.as_ref().clone()),
            Source::ZipEntry {
                archive,
                index,
                len,
            } => {
                let mut archive = archive.as_ref().clone();
                let entry = archive.by_index(*index).map_err(io::Error::other)?;
                let mut out = Vec::with_capacity(usize::try_from(*len).unwrap_or(0));
                entry.take(*len).read_to_end(&mut out)?;
                Ok(out)
            }
            _ => {
                let mut out = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
                SourceReader::new(self.clone()).read_to_end(&mut out)?;
                Ok(out)
            }
        }
    }
}

/// A positioned reader over a [`Source`]. Clone gives an independent cursor over the same
/// bytes (so `zip::ZipArchive<SourceReader>` is cheap to clone per entry).
pub struct SourceReader {
    source: Source,
    pos: u64,
    /// For `Inflate`: the running inflater and how many bytes it has produced.
    inflater: Option<(Box<DeflateDecoder<io::BufReader<SourceReader>>>, u64)>,
}

impl Clone for SourceReader {
    fn clone(&self) -> Self {
        SourceReader {
            source: self.source.clone(),
            pos: self.pos,
            inflater: None,
        }
    }
}

impl SourceReader {
    pub fn new(source: Source) -> Self {
        SourceReader {
            source,
            pos: 0,
            inflater: None,
        }
    }

    /// The bytes this reader reads.
    pub fn source(&self) -> &Source {
        &self.source
    }

    fn read_inflate(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Source::Inflate {
            compressed,
            len,
            ratio,
            ..
        } = &self.source
        else {
            return Ok(0);
        };
        let len = *len;
        let ratio = *ratio;
        if self.pos >= len || buf.is_empty() {
            return Ok(0);
        }
        // Restart on a backward seek (or first read).
        if self.inflater.as_ref().is_none_or(|(_, at)| *at > self.pos) {
            let raw = io::BufReader::with_capacity(
                64 << 10,
                SourceReader::new(compressed.as_ref().clone()),
            );
            self.inflater = Some((Box::new(DeflateDecoder::new(raw)), 0));
        }
        let pos = self.pos;
        let Some((inflater, at)) = self.inflater.as_mut() else {
            return Ok(0);
        };
        // Skip forward to the position.
        let mut scratch = [0u8; 16 << 10];
        while *at < pos {
            let want = usize::try_from((pos - *at).min(scratch.len() as u64)).unwrap_or(0);
            let n = inflater.read(scratch.get_mut(..want).unwrap_or_default())?;
            if n == 0 {
                return Ok(0);
            }
            *at += n as u64;
            check_ratio(ratio, *at, inflater.total_in())?;
        }
        let room = usize::try_from((len - pos).min(buf.len() as u64)).unwrap_or(0);
        let n = inflater.read(buf.get_mut(..room).unwrap_or_default())?;
        *at += n as u64;
        check_ratio(ratio, *at, inflater.total_in())?;
        self.pos += n as u64;
        Ok(n)
    }
}

/// Fails (and records the breach on this thread) once `inflated` bytes came from `consumed`
/// at a ratio over the limit.
fn check_ratio(limit: Option<RatioLimit>, inflated: u64, consumed: u64) -> io::Result<()> {
    let Some(limit) = limit else {
        return Ok(());
    };
    let consumed = consumed.max(1);
    if inflated > limit.floor && inflated / consumed > limit.max {
        RATIO_BREACH.with(|b| {
            b.set(Some(RatioBreach {
                inflated,
                consumed,
                max: limit.max,
            }))
        });
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "compression ratio over {}:1 ({inflated} bytes from {consumed})",
                limit.max
            ),
        ));
    }
    Ok(())
}

impl Read for SourceReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let len = self.source.len();
        if self.pos >= len || buf.is_empty() {
            return Ok(0);
        }
        let room = usize::try_from((len - self.pos).min(buf.len() as u64)).unwrap_or(0);
        let buf = buf.get_mut(..room).unwrap_or_default();
        let n = match &self.source {
            Source::File { file, .. } => read_at(file, buf, self.pos)?,
            Source::Memory(bytes) => {
                let start = usize::try_from(self.pos).unwrap_or(usize::MAX);
                let src = bytes.get(start..).unwrap_or_default();
                let n = src.len().min(buf.len());
                buf[..n].copy_from_slice(&src[..n]);
                n
            }
            Source::Window { parent, start, .. } => {
                let mut inner = SourceReader::new(parent.as_ref().clone());
                inner.pos = start.saturating_add(self.pos);
                inner.read(buf)?
            }
            Source::Inflate { .. } => return self.read_inflate(buf),
            Source::ZipEntry { .. } => {
                // Only reachable through `SourceReader::new` on a ZipEntry: decode into memory.
                let bytes = self.source.read_all(len)?;
                self.source = Source::Memory(Arc::new(bytes));
                return self.read(buf);
            }
        };
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for SourceReader {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        let len = self.source.len();
        let target = match pos {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => len.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        match target {
            Some(p) => {
                self.pos = p;
                Ok(p)
            }
            None => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start",
            )),
        }
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    use std::os::unix::fs::FileExt;
    file.read_at(buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    use std::os::windows::fs::FileExt;
    file.seek_read(buf, offset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn deflate(data: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn window_and_inflate_read_and_seek() {
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let packed = deflate(&data);
        let mut container = b"HEAD".to_vec();
        container.extend_from_slice(&packed);
        container.extend_from_slice(b"TAIL");
        let parent = Arc::new(Source::Memory(Arc::new(container)));
        let raw = Source::Window {
            parent,
            start: 4,
            len: packed.len() as u64,
        };
        let streamed = Source::Inflate {
            compressed: Arc::new(raw),
            len: data.len() as u64,
            in_memory: false,
            ratio: None,
        };
        let mut r = streamed.open().unwrap();
        let mut buf = vec![0u8; 10];
        r.seek(SeekFrom::Start(150_000)).unwrap();
        r.read_exact(&mut buf).unwrap();
        assert_eq!(buf, data[150_000..150_010]);
        // Backward seek restarts the inflater.
        r.seek(SeekFrom::Start(5)).unwrap();
        r.read_exact(&mut buf).unwrap();
        assert_eq!(buf, data[5..15]);
        assert_eq!(r.seek(SeekFrom::End(0)).unwrap(), data.len() as u64);
        assert_eq!(streamed.read_all(u64::MAX).unwrap(), data);
    }

    #[test]
    fn declared_size_caps_output() {
        let data = vec![0u8; 100_000];
        let packed = deflate(&data);
        let lying = Source::Inflate {
            compressed: Arc::new(Source::Memory(Arc::new(packed))),
            len: 1000,
            in_memory: false,
            ratio: None,
        };
        assert_eq!(lying.read_all(u64::MAX).unwrap().len(), 1000);
        assert!(lying.read_all(999).is_err());
    }

    #[test]
    fn the_ratio_limit_holds_on_the_bytes_really_inflated() {
        // 4 MiB of zeros deflate to a few KB (about 1000:1). Declared sizes could hide that
        // (a header may claim a compressed size 8× smaller than the entry); the reader counts
        // what it consumes and produces.
        let data = vec![0u8; 4 << 20];
        let packed = deflate(&data);
        let bomb = |ratio| Source::Inflate {
            compressed: Arc::new(Source::Memory(Arc::new(packed.clone()))),
            len: data.len() as u64,
            in_memory: false,
            ratio,
        };
        let limit = RatioLimit {
            max: 100,
            floor: 1 << 20,
        };
        let _ = take_ratio_breach();
        let err = bomb(Some(limit)).read_all(u64::MAX).unwrap_err();
        assert!(err.to_string().contains("100:1"), "{err}");
        let breach = take_ratio_breach().expect("breach recorded");
        assert!(breach.inflated > limit.floor && breach.inflated / breach.consumed > 100);
        assert_eq!(take_ratio_breach(), None, "taken once");
        // Without the limit, or with a generous one, the same stream reads whole.
        assert_eq!(bomb(None).read_all(u64::MAX).unwrap().len(), data.len());
        let generous = RatioLimit {
            max: 100_000,
            floor: 1 << 20,
        };
        assert_eq!(
            bomb(Some(generous)).read_all(u64::MAX).unwrap().len(),
            data.len()
        );
    }
}
