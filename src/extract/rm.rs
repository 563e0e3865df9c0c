//! RealMedia (.rm / .rmvb, still met in older archives): duration, picture size, CONT tags.
//!
//! The header duration is the `PROP` chunk's duration (ms), what ffprobe shows. It is
//! cross-checked against the timestamps of the last data packets: the `INDX` chunk's last
//! entry points at the last indexed keyframe's packet, from which the few remaining packet
//! headers (12 bytes each) are walked to the end of the `DATA` chunk; the end is the last
//! timestamp plus one frame interval. `CONT` (title, author, copyright, comment) goes to the
//! metadata. A `DATA` or `INDX` chunk that runs past the end of the file is a cut file.
//!
//! Hand-written (a short parser, as the issue allows): chunks are (fourcc, u32 size, u16
//! version) records and only three are read.

use std::io::{Read, Seek};

use crate::extract::Extractor;
use crate::extract::media::{
    self, CountingReader, Probe, Source, be_u16, be_u32, corrupt, read_at, truncated,
};
use crate::facts::{DurationMethod, Facts, Format, Problem};
use crate::input::{Input, Limits, io_problem};

pub(crate) struct RmExtractor;

impl Extractor for RmExtractor {
    fn name(&self) -> &'static str {
        "rm"
    }
    fn formats(&self) -> &'static [Format] {
        &[Format::Rmvb]
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

/// Packets walked from the last index entry.
const MAX_TAIL_PACKETS: usize = 100_000;

/// Reads a RealMedia file's header chunks and last packets.
pub(crate) fn probe<R: Read + Seek>(reader: R) -> Result<Probe, Problem> {
    let mut r = CountingReader::new(reader);
    let file_len = media::stream_len(&mut r)?;
    let mut facts = Facts::default();
    let mut warnings = Vec::new();
    let head = read_at(&mut r, 0, 8).map_err(io_problem)?;
    if !head.starts_with(b".RMF") {
        return Err(corrupt("不是有效的 RealMedia 文件：缺少 .RMF 文件头"));
    }
    let mut pos = u64::from(be_u32(&head, 4).unwrap_or(18).max(8));
    let mut duration_ms = None;
    let mut data: Option<(u64, u64)> = None;
    let mut index_at = None;
    for _ in 0..256 {
        if pos + 10 > file_len {
            break;
        }
        let h = read_at(&mut r, pos, 10).map_err(io_problem)?;
        let id = h.get(0..4).unwrap_or(&[]);
        let size = u64::from(be_u32(&h, 4).unwrap_or(0));
        if size < 10 {
            break;
        }
        match id {
            b"PROP" => {
                let d = read_at(&mut r, pos, size.min(64)).map_err(io_problem)?;
                duration_ms = be_u32(&d, 30).filter(|&ms| ms > 0);
                index_at = be_u32(&d, 38).map(u64::from).filter(|&o| o > 0);
            }
            b"CONT" => {
                let d = read_at(&mut r, pos + 10, size.min(1 << 16) - 10).map_err(io_problem)?;
                let mut p = 0usize;
                for name in ["title", "author", "copyright", "comment"] {
                    let Some(len) = be_u16(&d, p).map(usize::from) else {
                        break;
                    };
                    let Some(v) = d.get(p + 2..p + 2 + len) else {
                        break;
                    };
                    let v = media::decode_8bit(v);
                    if name == "title" && !v.trim().is_empty() {
                        facts.title = Some(v.trim().chars().take(200).collect());
                    }
                    facts.add_meta(name, &v);
                    p += 2 + len;
                }
            }
            b"MDPR" => {
                let d = read_at(&mut r, pos, size.min(4096)).map_err(io_problem)?;
                video_size(&d, &mut facts);
            }
            b"DATA" => {
                data.get_or_insert((pos, size));
                // ffmpeg's muxer declares 10 bytes more than it writes: tolerate one
                // chunk header's worth.
                if pos + size > file_len + 18 {
                    return Err(truncated(format!(
                        "录像文件不完整：媒体数据（DATA）应延续到第 {} 字节，但文件只有 {file_len} 字节（文件被截断）",
                        pos + size
                    )));
                }
            }
            _ => {}
        }
        pos += size;
    }
    let Some((data_at, data_size)) = data else {
        return Err(truncated(
            "录像文件不完整：缺少媒体数据（DATA），无法确认时长",
        ));
    };
    if let Some(at) = index_at
        && at >= file_len
    {
        return Err(truncated(format!(
            "录像文件不完整：索引（INDX）应位于第 {at} 字节，但文件只有 {file_len} 字节（文件被截断）"
        )));
    }

    // The last indexed packet, then the packets after it.
    let from = match index_at {
        Some(at) => last_index_offset(&mut r, at)?.filter(|&o| o >= data_at + 18),
        None => None,
    }
    .unwrap_or(data_at + 18);
    let data_end = (data_at + data_size).min(file_len);
    let mut p = from;
    let mut stamps: Vec<(u16, u32)> = Vec::new();
    while p + 12 <= data_end && stamps.len() < MAX_TAIL_PACKETS {
        let h = read_at(&mut r, p, 12).map_err(io_problem)?;
        let (Some(len), Some(stream), Some(ts)) = (be_u16(&h, 2), be_u16(&h, 4), be_u32(&h, 6))
        else {
            break;
        };
        if len < 12 {
            break;
        }
        stamps.push((stream, ts));
        p += u64::from(len);
    }
    if stamps.len() >= MAX_TAIL_PACKETS {
        stamps.clear(); // no index and too many packets to walk: no measurement
    }
    let measured = stamps
        .iter()
        .max_by_key(|(_, t)| *t)
        .map(|&(stream, last)| {
            let mut same: Vec<u32> = stamps
                .iter()
                .filter(|(s, _)| *s == stream)
                .map(|(_, t)| *t)
                .collect();
            same.sort_unstable();
            same.dedup();
            let step = same.windows(2).map(|w| w[1] - w[0]).min().unwrap_or(0);
            Source::new(
                (f64::from(last) + f64::from(step)) / 1000.0,
                DurationMethod::Timestamps,
                format!("last packet timestamp {last} ms + frame interval {step} ms"),
            )
        });
    let header = duration_ms.map(|ms| {
        Source::new(
            f64::from(ms) / 1000.0,
            DurationMethod::Header,
            "PROP duration",
        )
    });
    media::set_duration(&mut facts, &mut warnings, media::decide(header, measured));
    Ok(Probe {
        facts,
        warnings,
        bytes_read: r.bytes_read(),
    })
}

/// The data offset of the last entry of the first INDX chunk.
fn last_index_offset<R: Read + Seek>(r: &mut R, at: u64) -> Result<Option<u64>, Problem> {
    let h = read_at(r, at, 20).map_err(io_problem)?;
    if !h.starts_with(b"INDX") {
        return Ok(None);
    }
    let n = u64::from(be_u32(&h, 10).unwrap_or(0));
    if n == 0 {
        return Ok(None);
    }
    let e = read_at(r, at + 20 + (n - 1) * 14, 14).map_err(io_problem)?;
    Ok(be_u32(&e, 6).map(u64::from))
}

/// MDPR of a video stream: type-specific data holds "VIDO", codec, width, height.
fn video_size(d: &[u8], facts: &mut Facts) {
    let Some(name_len) = d.get(40).map(|&n| usize::from(n)) else {
        return;
    };
    let mime_at = 41 + name_len;
    let Some(mime_len) = d.get(mime_at).map(|&n| usize::from(n)) else {
        return;
    };
    let mime = d.get(mime_at + 1..mime_at + 1 + mime_len).unwrap_or(&[]);
    let spec = mime_at + 1 + mime_len + 4;
    if mime.starts_with(b"video/")
        && d.get(spec + 4..spec + 8) == Some(b"VIDO")
        && let (Some(w), Some(h)) = (be_u16(d, spec + 12), be_u16(d, spec + 14))
        && w > 0
        && h > 0
        && facts.width.is_none()
    {
        facts.width = Some(u32::from(w));
        facts.height = Some(u32::from(h));
    }
}
