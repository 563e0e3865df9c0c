//! The worker protocol: one request (a file to read, its limits and labels) and one response
//! (the file's record) per exchange, over a Unix socket pair.
//!
//! Frames: an 8-byte little-endian length, then that many bytes. A request's length prefix is
//! sent with `sendmsg` carrying the file descriptors the request needs (SCM_RIGHTS): an archive
//! on disk, or the private temp file a large nested archive was spilled to, reaches the worker
//! already open, so unlinked temp files work and the worker opens no path it was not given.
//! Bytes that live only in this process's memory (a 7z entry, a window of a small nested zip
//! held in memory) travel inside the frame, cut to the window the file needs.
//!
//! Why JSON: requests and records are serde types already (the facts cache stores records as
//! JSON), a record is encoded once per file, and the encoding is a small share of a read.

use std::fs::File;
use std::io::{self, Read, Write};
use std::mem::MaybeUninit;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::input::{Input, Limits, Origin, RatioLimit, Source};

/// Most descriptors one request passes (an archive, and a spill file per nesting level).
pub(super) const MAX_FDS: usize = 16;

/// What the worker needs to read one file.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Request {
    pub display: String,
    pub size: u64,
    pub origin: OriginSpec,
    pub labels: Vec<String>,
    pub distance: usize,
    pub limits: Limits,
    /// Lengths of the byte blobs that follow the JSON, in order.
    pub blobs: Vec<u64>,
}

/// Where the file's bytes are, as the worker can rebuild it.
#[derive(Debug, Serialize, Deserialize)]
pub(super) enum OriginSpec {
    /// A file on disk, by its path's bytes (not necessarily UTF-8).
    Disk(Vec<u8>),
    Source(SourceSpec),
}

/// A [`Source`] tree with its open files replaced by indexes into the passed descriptors and
/// its memory by indexes into the blobs.
#[derive(Debug, Serialize, Deserialize)]
pub(super) enum SourceSpec {
    File {
        fd: usize,
        len: u64,
    },
    Blob {
        blob: usize,
    },
    Window {
        parent: Box<SourceSpec>,
        start: u64,
        len: u64,
    },
    Inflate {
        compressed: Box<SourceSpec>,
        len: u64,
        in_memory: bool,
        ratio: Option<RatioLimit>,
    },
    ZipEntry {
        archive: Box<SourceSpec>,
        index: usize,
        len: u64,
    },
}

/// A request ready to send: the frame body and the descriptors that go with it.
pub(super) struct Encoded {
    pub body: Vec<u8>,
    pub files: Vec<Arc<File>>,
}

/// Collects the descriptors and blobs of one request.
#[derive(Default)]
struct Collector {
    files: Vec<Arc<File>>,
    /// (bytes, start, len): a window of shared bytes, copied only into the frame.
    blobs: Vec<(Arc<Vec<u8>>, usize, usize)>,
}

impl Collector {
    fn file(&mut self, file: &Arc<File>) -> Result<usize, String> {
        if let Some(i) = self.files.iter().position(|f| Arc::ptr_eq(f, file)) {
            return Ok(i);
        }
        if self.files.len() >= MAX_FDS {
            return Err("too many open files in one request".into());
        }
        self.files.push(file.clone());
        Ok(self.files.len() - 1)
    }

    fn blob(&mut self, bytes: &Arc<Vec<u8>>, start: u64, len: u64) -> usize {
        let start = usize::try_from(start)
            .unwrap_or(usize::MAX)
            .min(bytes.len());
        let len = usize::try_from(len)
            .unwrap_or(usize::MAX)
            .min(bytes.len() - start);
        self.blobs.push((bytes.clone(), start, len));
        self.blobs.len() - 1
    }

    fn spec(&mut self, source: &Source) -> Result<SourceSpec, String> {
        Ok(match source {
            Source::File { file, len } => SourceSpec::File {
                fd: self.file(file)?,
                len: *len,
            },
            Source::Memory(bytes) => SourceSpec::Blob {
                blob: self.blob(bytes, 0, bytes.len() as u64),
            },
            Source::Window { parent, start, len } => self.window(parent, *start, *len)?,
            Source::Inflate {
                compressed,
                len,
                in_memory,
                ratio,
            } => SourceSpec::Inflate {
                compressed: Box::new(self.spec(compressed)?),
                len: *len,
                in_memory: *in_memory,
                ratio: *ratio,
            },
            Source::ZipEntry {
                archive,
                index,
                len,
            } => {
                let reader = archive.as_ref().clone().into_inner();
                SourceSpec::ZipEntry {
                    archive: Box::new(self.spec(reader.source())?),
                    index: *index,
                    len: *len,
                }
            }
        })
    }

    /// A window: over memory it becomes the bytes it shows; windows of windows are flattened.
    fn window(&mut self, parent: &Source, start: u64, len: u64) -> Result<SourceSpec, String> {
        match parent {
            Source::Memory(bytes) => Ok(SourceSpec::Blob {
                blob: self.blob(bytes, start, len),
            }),
            Source::Window {
                parent: outer,
                start: outer_start,
                ..
            } => self.window(outer, outer_start.saturating_add(start), len),
            other => Ok(SourceSpec::Window {
                parent: Box::new(self.spec(other)?),
                start,
                len,
            }),
        }
    }
}

/// Encodes the request to read `input`.
pub(super) fn encode_request(
    input: &Input,
    labels: &[String],
    distance: usize,
    limits: &Limits,
) -> Result<Encoded, String> {
    let mut collector = Collector::default();
    let origin = match &input.origin {
        Origin::Disk(path) => {
            use std::os::unix::ffi::OsStrExt;
            OriginSpec::Disk(path.as_os_str().as_bytes().to_vec())
        }
        Origin::Memory(bytes) => OriginSpec::Source(SourceSpec::Blob {
            blob: collector.blob(bytes, 0, bytes.len() as u64),
        }),
        Origin::Entry(source) => OriginSpec::Source(collector.spec(source)?),
    };
    let request = Request {
        display: input.display.clone(),
        size: input.size,
        origin,
        labels: labels.to_vec(),
        distance,
        limits: limits.clone(),
        blobs: collector.blobs.iter().map(|b| b.2 as u64).collect(),
    };
    let json = serde_json::to_vec(&request).map_err(|e| e.to_string())?;
    let total: usize = collector.blobs.iter().map(|b| b.2).sum();
    let mut body = Vec::with_capacity(8 + json.len() + total);
    body.extend_from_slice(&(json.len() as u64).to_le_bytes());
    body.extend_from_slice(&json);
    for (bytes, start, len) in &collector.blobs {
        body.extend_from_slice(&bytes[*start..*start + *len]);
    }
    Ok(Encoded {
        body,
        files: collector.files,
    })
}

/// What the worker rebuilt from a request.
pub(super) struct Decoded {
    pub input: Input,
    pub labels: Vec<String>,
    pub distance: usize,
    pub limits: Limits,
}

/// Decodes a request body with the descriptors that came with it.
pub(super) fn decode_request(body: &[u8], fds: Vec<OwnedFd>) -> Result<Decoded, String> {
    let json_len = body
        .get(..8)
        .and_then(|b| b.try_into().ok())
        .map(u64::from_le_bytes)
        .ok_or("short request")?;
    let json_end = usize::try_from(json_len)
        .ok()
        .and_then(|n| n.checked_add(8))
        .filter(|end| *end <= body.len())
        .ok_or("bad request length")?;
    let request: Request =
        serde_json::from_slice(&body[8..json_end]).map_err(|e| format!("bad request: {e}"))?;
    let mut blobs = Vec::with_capacity(request.blobs.len());
    let mut at = json_end;
    for len in &request.blobs {
        let end = usize::try_from(*len)
            .ok()
            .and_then(|n| at.checked_add(n))
            .filter(|end| *end <= body.len())
            .ok_or("bad blob length")?;
        blobs.push(Arc::new(body[at..end].to_vec()));
        at = end;
    }
    let files: Vec<Arc<File>> = fds.into_iter().map(|fd| Arc::new(File::from(fd))).collect();
    let origin = match request.origin {
        OriginSpec::Disk(bytes) => {
            use std::os::unix::ffi::OsStringExt;
            Origin::Disk(std::ffi::OsString::from_vec(bytes).into())
        }
        OriginSpec::Source(spec) => Origin::Entry(rebuild(spec, &files, &blobs)?),
    };
    Ok(Decoded {
        input: Input {
            display: request.display,
            origin,
            size: request.size,
            notes: Vec::new(),
        },
        labels: request.labels,
        distance: request.distance,
        limits: request.limits,
    })
}

fn rebuild(
    spec: SourceSpec,
    files: &[Arc<File>],
    blobs: &[Arc<Vec<u8>>],
) -> Result<Source, String> {
    Ok(match spec {
        SourceSpec::File { fd, len } => Source::File {
            file: files.get(fd).ok_or("missing descriptor")?.clone(),
            len,
        },
        SourceSpec::Blob { blob } => Source::Memory(blobs.get(blob).ok_or("missing blob")?.clone()),
        SourceSpec::Window { parent, start, len } => Source::Window {
            parent: Arc::new(rebuild(*parent, files, blobs)?),
            start,
            len,
        },
        SourceSpec::Inflate {
            compressed,
            len,
            in_memory,
            ratio,
        } => Source::Inflate {
            compressed: Arc::new(rebuild(*compressed, files, blobs)?),
            len,
            in_memory,
            ratio,
        },
        SourceSpec::ZipEntry {
            archive,
            index,
            len,
        } => {
            let source = rebuild(*archive, files, blobs)?;
            let archive = zip::ZipArchive::new(crate::input::source::SourceReader::new(source))
                .map_err(|e| format!("archive: {e}"))?;
            Source::ZipEntry {
                archive: Arc::new(archive),
                index,
                len,
            }
        }
    })
}

/// Sends one frame; `fds` go with its length prefix.
pub(super) fn send_frame(sock: &UnixStream, body: &[u8], fds: &[BorrowedFd<'_>]) -> io::Result<()> {
    use rustix::net::{SendAncillaryBuffer, SendAncillaryMessage, SendFlags, sendmsg};
    let prefix = (body.len() as u64).to_le_bytes();
    let mut space = [MaybeUninit::<u8>::uninit(); rustix::cmsg_space!(ScmRights(MAX_FDS))];
    let mut control = SendAncillaryBuffer::new(&mut space);
    if !fds.is_empty() && !control.push(SendAncillaryMessage::ScmRights(fds)) {
        return Err(io::Error::other("too many descriptors"));
    }
    let mut sent = loop {
        match sendmsg(
            sock.as_fd(),
            &[io::IoSlice::new(&prefix)],
            &mut control,
            SendFlags::NOSIGNAL,
        ) {
            Ok(n) => break n,
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => return Err(e.into()),
        }
    };
    let mut writer = sock;
    while sent < prefix.len() {
        sent += writer.write(&prefix[sent..])?;
    }
    writer.write_all(body)
}

/// Receives one frame (blocking), with the descriptors that came with it; `None` at end of
/// stream (the other side closed). Frames longer than `max` are refused.
pub(super) fn recv_frame(
    sock: &UnixStream,
    max: u64,
) -> io::Result<Option<(Vec<u8>, Vec<OwnedFd>)>> {
    use rustix::net::{RecvAncillaryBuffer, RecvAncillaryMessage, RecvFlags, recvmsg};
    let mut prefix = [0u8; 8];
    let mut space = [MaybeUninit::<u8>::uninit(); rustix::cmsg_space!(ScmRights(MAX_FDS))];
    let mut control = RecvAncillaryBuffer::new(&mut space);
    let got = loop {
        match recvmsg(
            sock.as_fd(),
            &mut [io::IoSliceMut::new(&mut prefix)],
            &mut control,
            RecvFlags::CMSG_CLOEXEC,
        ) {
            Ok(m) => break m.bytes,
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => return Err(e.into()),
        }
    };
    let mut fds = Vec::new();
    for message in control.drain() {
        if let RecvAncillaryMessage::ScmRights(received) = message {
            fds.extend(received);
        }
    }
    if got == 0 {
        return Ok(None);
    }
    let mut reader = sock;
    reader.read_exact(&mut prefix[got..])?;
    let len = u64::from_le_bytes(prefix);
    if len > max {
        return Err(io::Error::other(format!("frame of {len} bytes refused")));
    }
    let mut body = vec![0u8; usize::try_from(len).map_err(io::Error::other)?];
    reader.read_exact(&mut body)?;
    Ok(Some((body, fds)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_round_trips_with_descriptors_and_windows() {
        let mut tmp = tempfile::tempfile().unwrap();
        tmp.write_all(b"0123456789abcdef").unwrap();
        let file = Arc::new(tmp);
        let disk = Source::File {
            file: file.clone(),
            len: 16,
        };
        let memory = Arc::new(b"HEADpayloadTAIL".to_vec());
        // A window of a window of the file, and a window of memory: the file is passed open,
        // the memory is cut to the window.
        let nested = Source::Window {
            parent: Arc::new(Source::Window {
                parent: Arc::new(disk),
                start: 2,
                len: 10,
            }),
            start: 3,
            len: 4,
        };
        for (source, want) in [
            (nested, &b"5678"[..]),
            (
                Source::Window {
                    parent: Arc::new(Source::Memory(memory)),
                    start: 4,
                    len: 7,
                },
                &b"payload"[..],
            ),
        ] {
            let input = Input::from_source(source, "a/b.txt");
            let enc = encode_request(&input, &["标识".into()], 2, &Limits::default()).unwrap();
            assert!(enc.body.len() < 4096, "memory is cut to the window");
            let (a, b) = UnixStream::pair().unwrap();
            let fds: Vec<BorrowedFd> = enc.files.iter().map(|f| f.as_fd()).collect();
            send_frame(&a, &enc.body, &fds).unwrap();
            let (body, fds) = recv_frame(&b, 1 << 20).unwrap().unwrap();
            let decoded = decode_request(&body, fds).unwrap();
            assert_eq!(decoded.input.display, "a/b.txt");
            assert_eq!(decoded.labels, ["标识"]);
            assert_eq!(decoded.input.read_all(100).unwrap(), want);
        }
        drop(file);
    }

    #[test]
    fn end_of_stream_and_oversized_frames() {
        let (a, b) = UnixStream::pair().unwrap();
        send_frame(&a, &[1, 2, 3], &[]).unwrap();
        assert!(recv_frame(&b, 2).is_err());
        drop(a);
        let (a, b) = UnixStream::pair().unwrap();
        drop(a);
        assert!(recv_frame(&b, 100).unwrap().is_none());
    }
}
