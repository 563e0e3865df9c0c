//! FLV (Flash Video, what RTMP live-stream recorders save): duration, size, metadata strings.
//!
//! The header duration is `onMetaData.duration` from the AMF0 script tag at the start (what
//! ffprobe shows). Live recorders often write 0 or nothing there, or the value of a stream
//! that was cut, so it is cross-checked against the timestamps: the last tag is found from
//! the end of the file through its trailing PreviousTagSize (four bytes), a few tags are
//! walked backwards to learn the frame interval, and the end is the last timestamp plus one
//! interval, minus the first audio/video timestamp. Only the script tag, the first tags and
//! the last few tags are read.
//!
//! Hand-written: no crate reads FLV durations (DESIGN.md); AMF0 is a dozen lines for the
//! types a script tag holds. When the end of the file is not a complete tag, the file is
//! walked tag by tag (headers only) to find where it was cut, and reported as truncated.

use std::io::{Read, Seek};

use crate::extract::Extractor;
use crate::extract::media::{
    self, CountingReader, Probe, Source, be_u32, corrupt, read_at, truncated,
};
use crate::facts::{DurationMethod, Facts, Format, Problem};
use crate::input::{Input, Limits, io_problem};

pub struct FlvExtractor;

impl Extractor for FlvExtractor {
    fn name(&self) -> &'static str {
        "flv"
    }
    fn formats(&self) -> &'static [Format] {
        &[Format::Flv]
    }
    fn extract(
        &self,
        input: &Input,
        limits: &Limits,
        warnings: &mut Vec<Problem>,
    ) -> Result<Facts, Problem> {
        media::extract_with(input, limits, warnings, |r, _| probe(r))
    }
}

/// A tag header: type (8 audio, 9 video, 18 script), data size, timestamp (ms).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Tag {
    offset: u64,
    kind: u8,
    size: u32,
    timestamp: u32,
}

impl Tag {
    fn parse(offset: u64, h: &[u8]) -> Option<Tag> {
        let kind = *h.first()? & 0x1F;
        let size = u32::from_be_bytes([0, *h.get(1)?, *h.get(2)?, *h.get(3)?]);
        let timestamp = u32::from_be_bytes([*h.get(7)?, *h.get(4)?, *h.get(5)?, *h.get(6)?]);
        matches!(kind, 8 | 9 | 18).then_some(Tag {
            offset,
            kind,
            size,
            timestamp,
        })
    }
    /// Offset just past the tag's data and its PreviousTagSize.
    fn end(&self) -> u64 {
        self.offset + 11 + u64::from(self.size) + 4
    }
}

/// Tags looked at from each end.
const EDGE_TAGS: usize = 64;
/// Largest script tag read.
const MAX_SCRIPT: u32 = 1 << 20;

/// Reads an FLV's metadata and first/last timestamps.
pub fn probe<R: Read + Seek>(reader: R) -> Result<Probe, Problem> {
    let mut r = CountingReader::new(reader);
    let file_len = media::stream_len(&mut r)?;
    let mut facts = Facts::default();
    let mut warnings = Vec::new();
    let head = read_at(&mut r, 0, 9).map_err(io_problem)?;
    if head.get(0..3) != Some(b"FLV") || head.len() < 9 {
        return Err(corrupt("不是有效的 FLV 文件：缺少 FLV 文件头"));
    }
    let first_tag_at = u64::from(be_u32(&head, 5).unwrap_or(9).max(9)) + 4;

    // The first tags: the script tag and the first audio/video timestamp.
    let mut meta_duration = None;
    let mut first_ts: Option<u32> = None;
    let mut pos = first_tag_at;
    for _ in 0..EDGE_TAGS {
        if pos + 11 > file_len {
            break;
        }
        let h = read_at(&mut r, pos, 11).map_err(io_problem)?;
        let Some(tag) = Tag::parse(pos, &h) else {
            break;
        };
        if tag.end() > file_len {
            break;
        }
        if tag.kind == 18 && tag.size <= MAX_SCRIPT && meta_duration.is_none() {
            let d = read_at(&mut r, pos + 11, u64::from(tag.size)).map_err(io_problem)?;
            meta_duration = script(&d, &mut facts);
        } else if tag.kind != 18 && first_ts.is_none() {
            first_ts = Some(tag.timestamp);
        }
        if first_ts.is_some() && meta_duration.is_some() {
            break;
        }
        pos = tag.end();
    }

    // The last tags, backwards through PreviousTagSize.
    let tail = last_tags(&mut r, file_len, first_tag_at)?;
    if tail.is_empty() {
        return Err(cut_report(&mut r, file_len, first_tag_at)?);
    }
    let av: Vec<&Tag> = tail.iter().filter(|t| t.kind != 18).collect();
    let measured = av.first().map(|last_av| {
        // Frame interval: the smallest positive step between tags of the last tag's type.
        let same: Vec<u32> = av
            .iter()
            .filter(|t| t.kind == last_av.kind)
            .map(|t| t.timestamp)
            .collect();
        let step = same
            .windows(2)
            .filter_map(|w| w[0].checked_sub(w[1]).filter(|&d| d > 0))
            .min()
            .unwrap_or(0);
        let end = av.iter().map(|t| t.timestamp).max().unwrap_or(0);
        let start = first_ts.unwrap_or(0).min(end);
        Source::new(
            (f64::from(end - start) + f64::from(step)) / 1000.0,
            DurationMethod::Timestamps,
            format!("last tag timestamp {end} ms + frame interval {step} ms"),
        )
    });
    let header =
        meta_duration.map(|d| Source::new(d, DurationMethod::Header, "onMetaData duration"));
    media::set_duration(&mut facts, &mut warnings, media::decide(header, measured));
    Ok(Probe {
        facts,
        warnings,
        bytes_read: r.bytes_read(),
    })
}

/// Up to `EDGE_TAGS` tags from the end, last first. Empty when the file does not end with a
/// complete tag.
fn last_tags<R: Read + Seek>(
    r: &mut R,
    file_len: u64,
    first_tag_at: u64,
) -> Result<Vec<Tag>, Problem> {
    let mut out = Vec::new();
    let mut end = file_len;
    while out.len() < EDGE_TAGS && end >= first_tag_at + 15 {
        let prev = read_at(r, end - 4, 4).map_err(io_problem)?;
        let Some(size) = be_u32(&prev, 0).map(u64::from) else {
            break;
        };
        let Some(start) = (end - 4).checked_sub(size).filter(|&s| s >= first_tag_at) else {
            break;
        };
        let h = read_at(r, start, 11).map_err(io_problem)?;
        match Tag::parse(start, &h) {
            Some(t) if u64::from(t.size) + 11 == size => {
                out.push(t);
                end = start;
            }
            _ => break,
        }
    }
    Ok(out)
}

/// The file does not end with a complete tag: walk from the start (headers only) to say
/// where it stops.
fn cut_report<R: Read + Seek>(
    r: &mut R,
    file_len: u64,
    first_tag_at: u64,
) -> Result<Problem, Problem> {
    let mut pos = first_tag_at;
    let mut last_ts = 0u32;
    let mut tags = 0u64;
    while pos + 11 <= file_len && tags < 50_000_000 {
        let h = read_at(r, pos, 11).map_err(io_problem)?;
        let Some(tag) = Tag::parse(pos, &h) else {
            break;
        };
        if tag.end() > file_len {
            break;
        }
        if tag.kind != 18 {
            last_ts = last_ts.max(tag.timestamp);
        }
        tags += 1;
        pos = tag.end();
    }
    if tags == 0 {
        return Ok(truncated(
            "录像文件不完整：FLV 文件没有完整的音视频数据，无法读取时长",
        ));
    }
    Ok(truncated(format!(
        "录像文件不完整：FLV 数据在第 {pos} 字节处中断（文件共 {file_len} 字节），截断前的内容约 {}",
        crate::units::duration(f64::from(last_ts) / 1000.0)
    )))
}

/// Reads the AMF0 script data: `onMetaData` followed by an ECMA array or object. Returns
/// the duration and stores width/height and string values.
fn script(d: &[u8], facts: &mut Facts) -> Option<f64> {
    let mut a = Amf {
        d,
        pos: 0,
        depth: 0,
    };
    let name = match a.value()? {
        Amf0::Str(s) => s,
        _ => return None,
    };
    if name != "onMetaData" {
        return None;
    }
    let Amf0::Object(pairs) = a.value()? else {
        return None;
    };
    let mut duration = None;
    for (k, v) in pairs {
        match (k.as_str(), v) {
            ("duration", Amf0::Num(x)) if x.is_finite() && x > 0.0 => duration = Some(x),
            ("width", Amf0::Num(x)) if (1.0..100_000.0).contains(&x) => {
                facts.width = Some(x as u32)
            }
            ("height", Amf0::Num(x)) if (1.0..100_000.0).contains(&x) => {
                facts.height = Some(x as u32)
            }
            (key, Amf0::Str(s)) => {
                if key == "title" && facts.title.is_none() && !s.trim().is_empty() {
                    facts.title = Some(s.trim().chars().take(200).collect());
                }
                facts.add_meta(key, &s);
            }
            _ => {}
        }
    }
    if facts.width.is_none() || facts.height.is_none() {
        facts.width = None;
        facts.height = None;
    }
    duration
}

#[derive(Debug, PartialEq)]
enum Amf0 {
    Num(f64),
    Str(String),
    Object(Vec<(String, Amf0)>),
    Other,
}

struct Amf<'a> {
    d: &'a [u8],
    pos: usize,
    depth: usize,
}

impl Amf<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let s = self.d.get(self.pos..self.pos.checked_add(n)?)?;
        self.pos += n;
        Some(s)
    }
    fn u16(&mut self) -> Option<usize> {
        self.take(2)
            .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
    }
    fn u32(&mut self) -> Option<usize> {
        self.take(4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }
    fn string(&mut self, long: bool) -> Option<String> {
        let n = if long { self.u32()? } else { self.u16()? };
        self.take(n).map(media::decode_8bit)
    }
    fn pairs(&mut self) -> Option<Vec<(String, Amf0)>> {
        let mut out = Vec::new();
        while out.len() < 10_000 {
            let key = self.string(false)?;
            if key.is_empty() && self.d.get(self.pos) == Some(&9) {
                self.pos += 1;
                break;
            }
            let v = self.value()?;
            out.push((key, v));
        }
        Some(out)
    }
    fn value(&mut self) -> Option<Amf0> {
        if self.depth > 16 {
            return None;
        }
        let t = *self.take(1)?.first()?;
        self.depth += 1;
        let v = match t {
            0 => {
                let b = self.take(8)?;
                Amf0::Num(f64::from_be_bytes(b.try_into().ok()?))
            }
            1 => {
                self.take(1)?;
                Amf0::Other
            }
            2 => Amf0::Str(self.string(false)?),
            12 => Amf0::Str(self.string(true)?),
            3 => Amf0::Object(self.pairs()?),
            8 => {
                self.take(4)?; // approximate count; the list ends with 00 00 09
                Amf0::Object(self.pairs()?)
            }
            10 => {
                let n = self.u32()?.min(100_000);
                for _ in 0..n {
                    self.value()?;
                }
                Amf0::Other
            }
            11 => {
                self.take(10)?;
                Amf0::Other
            }
            5 | 6 => Amf0::Other,
            _ => return None,
        };
        self.depth -= 1;
        Some(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(kind: u8, ts: u32, data: &[u8]) -> Vec<u8> {
        let mut v = vec![kind];
        v.extend(&(data.len() as u32).to_be_bytes()[1..]);
        v.extend(&ts.to_be_bytes()[1..]);
        v.push((ts >> 24) as u8);
        v.extend([0, 0, 0]);
        v.extend_from_slice(data);
        v.extend(((data.len() + 11) as u32).to_be_bytes());
        v
    }

    fn meta(duration: Option<f64>) -> Vec<u8> {
        let mut d = vec![2, 0, 10];
        d.extend(b"onMetaData");
        d.extend([8, 0, 0, 0, 3]);
        if let Some(x) = duration {
            d.extend([0, 8]);
            d.extend(b"duration");
            d.push(0);
            d.extend(x.to_be_bytes());
        }
        d.extend([0, 5]);
        d.extend(b"title");
        d.push(2);
        let t = "主旨报告".as_bytes();
        d.extend((t.len() as u16).to_be_bytes());
        d.extend(t);
        d.extend([0, 0, 9]);
        d
    }

    /// `frames` video tags 1 s apart, from `start` ms.
    fn flv(duration: Option<f64>, frames: u32, start: u32) -> Vec<u8> {
        let mut f = b"FLV\x01\x01\0\0\0\x09\0\0\0\0".to_vec();
        f.extend(tag(18, 0, &meta(duration)));
        for i in 0..frames {
            f.extend(tag(9, start + i * 1000, &[0x17, 0, 0, 0, 0]));
        }
        f
    }

    #[test]
    fn synthetic_flvs() {
        type Case = (
            &'static str,
            Vec<u8>,
            Result<(f64, DurationMethod), &'static str>,
            Option<&'static str>,
        );
        let cut = {
            let mut f = flv(Some(180.0), 180, 0);
            f.truncate(f.len() - 7);
            f
        };
        let cases: Vec<Case> = vec![
            (
                "agree",
                flv(Some(2700.0), 2700, 0),
                Ok((2700.0, DurationMethod::Header)),
                None,
            ),
            (
                "no duration",
                flv(None, 181, 0),
                Ok((181.0, DurationMethod::Timestamps)),
                None,
            ),
            (
                "live start",
                flv(Some(0.0), 179, 5_000_000),
                Ok((179.0, DurationMethod::Timestamps)),
                None,
            ),
            (
                "stale header",
                flv(Some(2700.0), 60, 0),
                Ok((60.0, DurationMethod::Timestamps)),
                Some("duration.disagree"),
            ),
            // Timestamps past 2^24 ms use the extension byte.
            (
                "long",
                flv(Some(20_000.0), 20_000, 0),
                Ok((20_000.0, DurationMethod::Header)),
                None,
            ),
            ("cut", cut, Err("unreadable.truncated"), None),
            (
                "not flv",
                b"FLX\x01".to_vec(),
                Err("unreadable.corrupt"),
                None,
            ),
        ];
        for (name, bytes, want, warning) in cases {
            match (probe(std::io::Cursor::new(bytes)), want) {
                (Ok(p), Ok((secs, method))) => {
                    let d = p.facts.duration.as_ref().expect(name);
                    assert!((d.seconds - secs).abs() < 1e-9, "{name}: {d:?}");
                    assert_eq!(d.method, method, "{name}");
                    let codes: Vec<_> = p.warnings.iter().map(|w| w.code.as_str()).collect();
                    assert_eq!(codes, warning.into_iter().collect::<Vec<_>>(), "{name}");
                    assert_eq!(p.facts.title.as_deref(), Some("主旨报告"));
                }
                (Err(e), Err(code)) => {
                    assert_eq!(e.code, code, "{name}: {}", e.message);
                }
                (got, want) => panic!("{name}: got {got:?}, want {want:?}"),
            }
        }
        let whole = flv(Some(30.0), 30, 0);
        for n in 0..whole.len() {
            let _ = probe(std::io::Cursor::new(whole[..n].to_vec()));
        }
    }
}
