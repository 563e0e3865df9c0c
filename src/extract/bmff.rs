//! ISO-BMFF box plumbing: a byte-counting reader, the top-level walk over a file, and an
//! iterator over the child boxes of a box already held in memory. Shared by MP4/MOV
//! recordings ([`super::mp4`]) and HEIF/AVIF photos ([`super::image`]), which are both built of
//! these boxes; neither reader depends on the other.
//!
//! The top-level walk reads only the 8- or 16-byte header of each box and *seeks* past the
//! ones it does not need (above all `mdat`, the media data, which is almost the whole file),
//! so the bytes read stay proportional to the index, not to the recording. Every read goes
//! through [`CountingReader`] so a test can prove it.

use std::io::{Read, Seek, SeekFrom};

/// A `Read + Seek` that counts the bytes handed out by `read`. Seeking is free.
pub struct CountingReader<R> {
    inner: R,
    bytes_read: u64,
}

impl<R> CountingReader<R> {
    pub fn new(inner: R) -> Self {
        CountingReader {
            inner,
            bytes_read: 0,
        }
    }

    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes_read = self.bytes_read.saturating_add(n as u64);
        Ok(n)
    }
}

impl<R: Seek> Seek for CountingReader<R> {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// One top-level box as declared by its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TopBox {
    pub kind: [u8; 4],
    /// Offset of the header in the file.
    pub offset: u64,
    /// Header length (8, or 16 with a 64-bit size).
    pub header_len: u64,
    /// Declared total size (header included); for size 0, up to the end of the file.
    pub size: u64,
}

impl TopBox {
    /// Offset just past the box, as declared (may lie past the end of the file).
    pub(crate) fn end(&self) -> Option<u64> {
        self.offset.checked_add(self.size)
    }
}

/// What the header at some offset turned out to be.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Header {
    Box(TopBox),
    /// Fewer than 8 bytes before the end of the file.
    TrailingBytes(u64),
    /// A size or type no writer produces: not a box.
    Garbage,
}

/// Box types are four printable ASCII bytes, or QuickTime's `©xyz`.
pub(crate) fn plausible_kind(kind: &[u8; 4]) -> bool {
    kind.iter()
        .all(|&b| (0x20..=0x7E).contains(&b) || b == 0xA9)
}

/// Reads the box header at `offset`. `file_len` resolves size 0 ("to the end of the file").
pub(crate) fn read_header<R: Read + Seek>(
    r: &mut R,
    offset: u64,
    file_len: u64,
) -> std::io::Result<Header> {
    let left = file_len.saturating_sub(offset);
    if left < 8 {
        return Ok(Header::TrailingBytes(left));
    }
    r.seek(SeekFrom::Start(offset))?;
    let mut head = [0u8; 8];
    r.read_exact(&mut head)?;
    let size32 = u32::from_be_bytes([head[0], head[1], head[2], head[3]]);
    let kind = [head[4], head[5], head[6], head[7]];
    if !plausible_kind(&kind) {
        return Ok(Header::Garbage);
    }
    let (size, header_len) = match size32 {
        0 => (left, 8),
        1 => {
            if left < 16 {
                return Ok(Header::Garbage);
            }
            let mut large = [0u8; 8];
            r.read_exact(&mut large)?;
            (u64::from_be_bytes(large), 16)
        }
        n => (u64::from(n), 8),
    };
    if size < header_len {
        return Ok(Header::Garbage);
    }
    Ok(Header::Box(TopBox {
        kind,
        offset,
        header_len,
        size,
    }))
}

/// Reads a whole box (header included) into memory. The caller has checked the size.
pub(crate) fn read_box<R: Read + Seek>(
    r: &mut R,
    b: &TopBox,
    len: u64,
) -> std::io::Result<Vec<u8>> {
    r.seek(SeekFrom::Start(b.offset))?;
    let mut buf = Vec::new();
    r.by_ref().take(len).read_to_end(&mut buf)?;
    Ok(buf)
}

/// Iterates over the boxes packed in `data` (a box's payload), yielding each box's type and
/// payload. Stops at the first box whose size is impossible or runs past `data`.
pub(crate) struct Children<'a> {
    data: &'a [u8],
    pos: usize,
}

pub(crate) fn children(data: &[u8]) -> Children<'_> {
    Children { data, pos: 0 }
}

impl<'a> Iterator for Children<'a> {
    type Item = ([u8; 4], &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.data.get(self.pos..)?;
        let size32 = be_u32(rest, 0)?;
        let kind: [u8; 4] = rest.get(4..8)?.try_into().ok()?;
        let (size, header) = match size32 {
            0 => (rest.len(), 8),
            1 => (usize::try_from(be_u64(rest, 8)?).ok()?, 16),
            n => (usize::try_from(n).ok()?, 8),
        };
        if size < header || size > rest.len() {
            self.pos = self.data.len();
            return None;
        }
        let payload = rest.get(header..size)?;
        self.pos += size;
        Some((kind, payload))
    }
}

/// The payload of the first child of type `kind`.
pub(crate) fn child<'a>(data: &'a [u8], kind: &[u8; 4]) -> Option<&'a [u8]> {
    children(data).find(|(k, _)| k == kind).map(|(_, p)| p)
}

/// Follows a path of box types from `data` down (first match at each level).
pub(crate) fn path<'a>(data: &'a [u8], kinds: &[&[u8; 4]]) -> Option<&'a [u8]> {
    kinds.iter().try_fold(data, |d, k| child(d, k))
}

pub fn be_u16(d: &[u8], off: usize) -> Option<u16> {
    Some(u16::from_be_bytes(
        d.get(off..off.checked_add(2)?)?.try_into().ok()?,
    ))
}

pub fn be_u32(d: &[u8], off: usize) -> Option<u32> {
    Some(u32::from_be_bytes(
        d.get(off..off.checked_add(4)?)?.try_into().ok()?,
    ))
}

pub fn be_u64(d: &[u8], off: usize) -> Option<u64> {
    Some(u64::from_be_bytes(
        d.get(off..off.checked_add(8)?)?.try_into().ok()?,
    ))
}

/// A fourcc for messages (`©nam`, `moov`).
pub(crate) fn kind_str(kind: &[u8; 4]) -> String {
    kind.iter().map(|&b| char::from(b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn bx(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
        let mut v = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(payload);
        v
    }

    #[test]
    fn children_stop_on_bad_sizes() {
        let mut data = bx(b"free", b"abc");
        data.extend(bx(b"skip", b""));
        // Declares 100 bytes but only 12 follow.
        data.extend_from_slice(&100u32.to_be_bytes());
        data.extend_from_slice(b"moovxxxx");
        let kinds: Vec<_> = children(&data)
            .map(|(k, p)| (kind_str(&k), p.len()))
            .collect();
        assert_eq!(
            kinds,
            vec![("free".to_string(), 3), ("skip".to_string(), 0)]
        );
        // Size smaller than the header.
        let bad = [0, 0, 0, 4, b'f', b'r', b'e', b'e'];
        assert_eq!(children(&bad).count(), 0);
        // 64-bit size and size 0.
        let mut big = 1u32.to_be_bytes().to_vec();
        big.extend_from_slice(b"mdat");
        big.extend_from_slice(&20u64.to_be_bytes());
        big.extend_from_slice(b"1234");
        big.extend_from_slice(&0u32.to_be_bytes());
        big.extend_from_slice(b"free12");
        let kinds: Vec<_> = children(&big)
            .map(|(k, p)| (kind_str(&k), p.len()))
            .collect();
        assert_eq!(kinds, vec![("mdat".into(), 4), ("free".into(), 2)]);
    }

    #[test]
    fn headers() {
        let cases: &[(&[u8], Header)] = &[
            (
                b"\0\0\0\x08free",
                Header::Box(TopBox {
                    kind: *b"free",
                    offset: 0,
                    header_len: 8,
                    size: 8,
                }),
            ),
            (
                b"\0\0\0\x00mdatxxxx",
                Header::Box(TopBox {
                    kind: *b"mdat",
                    offset: 0,
                    header_len: 8,
                    size: 12,
                }),
            ),
            (
                b"\0\0\0\x01mdat\0\0\0\x01\0\0\0\0",
                Header::Box(TopBox {
                    kind: *b"mdat",
                    offset: 0,
                    header_len: 16,
                    size: 1 << 32,
                }),
            ),
            (b"\0\0\0\x01mdat\0\0\0\0\0\0\0\x04", Header::Garbage),
            (b"\0\0\0\x02free", Header::Garbage),
            (b"\0\0\0\x10\0\0\0\0", Header::Garbage),
            (b"\0\0\0", Header::TrailingBytes(3)),
        ];
        for (bytes, want) in cases {
            let mut r = CountingReader::new(Cursor::new(bytes.to_vec()));
            let got = read_header(&mut r, 0, bytes.len() as u64).unwrap();
            assert_eq!(&got, want, "{bytes:?}");
            assert!(r.bytes_read() <= 16);
        }
    }
}
