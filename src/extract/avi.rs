//! AVI (RIFF) including OpenDML / AVI 2.0 files over 1 GB: duration, picture size, INFO tags.
//!
//! The header duration is what ffprobe shows: the video stream's `strh` dwLength × dwScale /
//! dwRate (for an audio-only file, the longest stream). It is cross-checked against the index:
//! the OpenDML super index (`indx` in the stream header list, whose entries carry the number of
//! frames each standard index covers — a few hundred bytes even for a 20 GB file), else the
//! legacy `idx1` (16 bytes per chunk, counting the video stream's `##dc`/`##db` entries).
//! `avih` dwTotalFrames × dwMicroSecPerFrame (or `odml/dmlh` dwTotalFrames for AVI 2.0, where
//! avih counts only the first RIFF) is shown in the detail.
//!
//! Hand-written: no crate reads AVI headers (DESIGN.md). The walk reads the `hdrl` list, the
//! `INFO` list and the index, and seeks past `movi` (the media data) and the `AVIX` extension
//! RIFFs, checking that each declared size fits in the file: a `movi` or index that runs past
//! the end is a cut file.

use std::io::{Read, Seek};

use crate::extract::Extractor;
use crate::extract::media::{
    self, CountingReader, Probe, Source, corrupt, le_u32, read_at, truncated,
};
use crate::facts::{DurationMethod, Facts, Format, Problem};
use crate::input::{Input, Limits, io_problem};

pub struct AviExtractor;

impl Extractor for AviExtractor {
    fn name(&self) -> &'static str {
        "avi"
    }
    fn formats(&self) -> &'static [Format] {
        &[Format::Avi]
    }
    fn extract(
        &self,
        input: &Input,
        limits: &Limits,
        warnings: &mut Vec<Problem>,
    ) -> Result<Facts, Problem> {
        media::extract_with(input, limits, warnings, |r, l| {
            probe(r, media::max_index_bytes(l))
        })
    }
}

/// One `strl`: the stream header fields that matter.
#[derive(Debug, Default, Clone)]
struct Stream {
    kind: [u8; 4],
    scale: u32,
    rate: u32,
    start: u32,
    length: u32,
    width: u32,
    height: u32,
    /// Sum of the super index entries' dwDuration (frames), when the stream has `indx`.
    super_index_frames: Option<u64>,
}

impl Stream {
    fn seconds(&self, frames: u64) -> Option<f64> {
        (self.rate > 0 && self.scale > 0)
            .then(|| frames as f64 * f64::from(self.scale) / f64::from(self.rate))
    }
}

#[derive(Debug, Default)]
struct Header {
    micro_per_frame: u32,
    total_frames: u32,
    flags: u32,
    odml_frames: Option<u32>,
    streams: Vec<Stream>,
}

/// Chunks of a RIFF list held in memory: (fourcc, payload, list type for LISTs).
fn chunks(d: &[u8]) -> impl Iterator<Item = ([u8; 4], &[u8])> {
    let mut pos = 0usize;
    std::iter::from_fn(move || {
        let id: [u8; 4] = d.get(pos..pos + 4)?.try_into().ok()?;
        let size = le_u32(d, pos + 4)? as usize;
        let body = d.get(pos + 8..(pos + 8).checked_add(size)?)?;
        pos = pos + 8 + size + (size & 1);
        Some((id, body))
    })
}

/// Reads an AVI's headers, tags and index.
pub fn probe<R: Read + Seek>(reader: R, max_index: u64) -> Result<Probe, Problem> {
    let mut r = CountingReader::new(reader);
    let file_len = media::stream_len(&mut r)?;
    let mut facts = Facts::default();
    let mut warnings = Vec::new();
    let head = read_at(&mut r, 0, 12).map_err(io_problem)?;
    if head.get(0..4) != Some(b"RIFF") || head.get(8..12) != Some(b"AVI ") {
        return Err(corrupt("不是有效的 AVI 文件：缺少 RIFF AVI 文件头"));
    }
    let riff_size = u64::from(le_u32(&head, 4).unwrap_or(0));
    // Size 0 (some live writers never fill it in): up to the end of the file.
    let riff_end = if riff_size == 0 {
        file_len
    } else {
        riff_size + 8
    };
    if riff_end > file_len + 1 {
        return Err(truncated(format!(
            "录像文件不完整：AVI 文件声明 {riff_end} 字节，实际只有 {file_len} 字节（文件被截断）"
        )));
    }

    let mut hdr: Option<Header> = None;
    let mut movi: Option<(u64, u64)> = None;
    let mut idx1: Option<Vec<u8>> = None;
    let mut extra_riffs = 0usize;
    let mut pos = 12u64;
    let mut top = 0usize;
    while pos + 8 <= file_len && top < 1_000_000 {
        top += 1;
        let h = read_at(&mut r, pos, 12).map_err(io_problem)?;
        let id: [u8; 4] = h
            .get(0..4)
            .and_then(|b| b.try_into().ok())
            .unwrap_or([0; 4]);
        let size = u64::from(le_u32(&h, 4).unwrap_or(0));
        let list_type = h.get(8..12).unwrap_or(&[]);
        let end = pos + 8 + size + (size & 1);
        if !id.iter().all(|b| b.is_ascii_graphic() || *b == b' ') {
            warnings.push(Problem::new(
                crate::codes::AVI_TRAILING_DATA,
                format!("录像文件第 {pos} 字节起有无法识别的数据，已忽略"),
            ));
            break;
        }
        let what = match (&id, list_type) {
            (b"LIST", b"movi") => "媒体数据（movi）",
            (b"idx1", _) => "索引（idx1）",
            (b"RIFF", _) => "扩展部分（AVIX）",
            _ => "结构",
        };
        if end > file_len + 1 {
            return Err(truncated(format!(
                "录像文件不完整：{what}应延续到第 {end} 字节，但文件只有 {file_len} 字节（文件被截断）"
            )));
        }
        match (&id, list_type) {
            (b"LIST", b"hdrl") => {
                if size > max_index {
                    return Err(limit(size, max_index));
                }
                let d = read_at(&mut r, pos + 12, size.saturating_sub(4)).map_err(io_problem)?;
                hdr = Some(parse_hdrl(&d, &mut facts));
            }
            (b"LIST", b"INFO") => {
                let d = read_at(&mut r, pos + 12, size.saturating_sub(4).min(1 << 20))
                    .map_err(io_problem)?;
                read_info(&d, &mut facts);
            }
            (b"LIST", b"movi") => {
                movi.get_or_insert((pos + 8, size));
            }
            (b"idx1", _) => {
                if size > max_index {
                    warnings.push(limit(size, max_index));
                } else {
                    idx1 = Some(read_at(&mut r, pos + 8, size).map_err(io_problem)?);
                }
            }
            (b"RIFF", b"AVIX") => extra_riffs += 1,
            _ => {}
        }
        pos = end;
    }

    let hdr = hdr.ok_or_else(|| corrupt("AVI 文件损坏：缺少 hdrl 文件头"))?;
    if movi.is_none() {
        return Err(truncated(
            "录像文件不完整：缺少媒体数据（movi），无法确认时长",
        ));
    }
    let video_at = hdr.streams.iter().position(|s| &s.kind == b"vids");
    if let Some(v) = video_at.and_then(|i| hdr.streams.get(i))
        && v.width > 0
        && v.height > 0
    {
        facts.width = Some(v.width);
        facts.height = Some(v.height);
    }

    let (header, measured) = durations(&hdr, video_at, idx1.as_deref(), extra_riffs);
    media::set_duration(&mut facts, &mut warnings, media::decide(header, measured));
    Ok(Probe {
        facts,
        warnings,
        bytes_read: r.bytes_read(),
    })
}

fn limit(size: u64, max: u64) -> Problem {
    Problem::new(
        crate::codes::LIMIT_AVI_INDEX,
        format!("录像文件头或索引过大（{size} 字节，上限 {max} 字节），未读取"),
    )
}

/// Header: the video stream's strh length (else the longest stream). Measured: the super
/// index frame count, else the idx1 entries of the video stream.
fn durations(
    hdr: &Header,
    video_at: Option<usize>,
    idx1: Option<&[u8]>,
    extra_riffs: usize,
) -> (Option<Source>, Option<Source>) {
    let frames_total = hdr.odml_frames.unwrap_or(hdr.total_frames);
    let avih = format!(
        "avih {} frames × {} µs{}",
        frames_total,
        hdr.micro_per_frame,
        if hdr.odml_frames.is_some() {
            " (odml/dmlh)"
        } else {
            ""
        }
    );
    let header = match video_at.and_then(|i| hdr.streams.get(i)) {
        Some(v) => v
            .seconds(u64::from(v.length) + u64::from(v.start))
            .map(|s| {
                Source::new(
                    s,
                    DurationMethod::Header,
                    format!(
                        "video strh length {} × {}/{}; {avih}",
                        v.length, v.scale, v.rate
                    ),
                )
            }),
        None => hdr
            .streams
            .iter()
            .filter_map(|s| s.seconds(u64::from(s.length) + u64::from(s.start)))
            .max_by(f64::total_cmp)
            .map(|s| Source::new(s, DurationMethod::Header, "longest strh length")),
    }
    .or_else(|| {
        (hdr.micro_per_frame > 0 && frames_total > 0).then(|| {
            Source::new(
                f64::from(frames_total) * f64::from(hdr.micro_per_frame) / 1e6,
                DurationMethod::Header,
                avih.clone(),
            )
        })
    });
    let Some(i) = video_at else {
        return (header, None);
    };
    let Some(v) = hdr.streams.get(i) else {
        return (header, None);
    };
    let measured = if let Some(frames) = v.super_index_frames {
        v.seconds(frames + u64::from(v.start)).map(|s| {
            Source::new(
                s,
                DurationMethod::Index,
                format!(
                    "OpenDML super index: {frames} frames in {} RIFF(s)",
                    extra_riffs + 1
                ),
            )
        })
    } else if let Some(idx) = idx1 {
        let tag = format!("{i:02}");
        let frames = idx
            .chunks_exact(16)
            .filter(|e| {
                e.get(0..2) == Some(tag.as_bytes()) && matches!(e.get(2..4), Some(b"dc" | b"db"))
            })
            .count() as u64;
        if extra_riffs > 0 {
            // idx1 covers only the first RIFF of an AVI 2.0 file without a super index.
            None
        } else {
            v.seconds(frames + u64::from(v.start)).map(|s| {
                Source::new(
                    s,
                    DurationMethod::Index,
                    format!("idx1: {frames} video chunks"),
                )
            })
        }
    } else {
        None
    };
    (header, measured)
}

fn parse_hdrl(d: &[u8], facts: &mut Facts) -> Header {
    let mut h = Header::default();
    for (id, body) in chunks(d) {
        match &id {
            b"avih" => {
                h.micro_per_frame = le_u32(body, 0).unwrap_or(0);
                h.flags = le_u32(body, 12).unwrap_or(0);
                h.total_frames = le_u32(body, 16).unwrap_or(0);
            }
            b"LIST" => match body.get(0..4) {
                Some(b"strl") => h.streams.push(parse_strl(body.get(4..).unwrap_or(&[]))),
                Some(b"odml") => {
                    for (cid, c) in chunks(body.get(4..).unwrap_or(&[])) {
                        if &cid == b"dmlh" {
                            h.odml_frames = le_u32(c, 0).filter(|&n| n > 0);
                        }
                    }
                }
                Some(b"INFO") => read_info(body.get(4..).unwrap_or(&[]), facts),
                _ => {}
            },
            _ => {}
        }
    }
    h
}

fn parse_strl(d: &[u8]) -> Stream {
    let mut s = Stream::default();
    for (id, body) in chunks(d) {
        match &id {
            b"strh" => {
                if let Some(k) = body.get(0..4) {
                    s.kind.copy_from_slice(k);
                }
                s.scale = le_u32(body, 20).unwrap_or(0);
                s.rate = le_u32(body, 24).unwrap_or(0);
                s.start = le_u32(body, 28).unwrap_or(0);
                s.length = le_u32(body, 32).unwrap_or(0);
            }
            b"strf" if &s.kind == b"vids" => {
                // BITMAPINFOHEADER: biSize, biWidth, biHeight (negative = top-down).
                s.width = le_u32(body, 4).map_or(0, |w| (w as i32).unsigned_abs());
                s.height = le_u32(body, 8).map_or(0, |h| (h as i32).unsigned_abs());
            }
            // wLongsPerEntry(2) bIndexSubType(1) bIndexType(1) nEntriesInUse(4)
            // dwChunkId(4) reserved(12), then entries of (qwOffset 8, dwSize 4,
            // dwDuration 4) for a super index (bIndexType 0).
            b"indx" if body.get(3) == Some(&0) => {
                let n = le_u32(body, 4).unwrap_or(0) as usize;
                let held = body.len().saturating_sub(24) / 16;
                let frames: u64 = (0..n.min(held))
                    .filter_map(|i| le_u32(body, 24 + i * 16 + 12))
                    .map(u64::from)
                    .sum();
                if n > 0 {
                    s.super_index_frames = Some(frames);
                }
            }
            _ => {}
        }
    }
    s
}

/// LIST INFO: four-character tags with NUL-terminated strings.
fn read_info(d: &[u8], facts: &mut Facts) {
    for (id, body) in chunks(d) {
        let name = match &id {
            b"INAM" => "title",
            b"ICMT" => "comment",
            b"ISBJ" => "subject",
            b"IART" => "artist",
            b"ICOP" => "copyright",
            b"IKEY" => "keywords",
            b"ICRD" => "date",
            b"ISFT" => "encoder",
            b"IPRD" => "product",
            b"IGNR" => "genre",
            _ => {
                let n: String = id.iter().map(|&b| char::from(b)).collect();
                facts.add_meta(&n, &media::decode_8bit(body));
                continue;
            }
        };
        let value = media::decode_8bit(body);
        if name == "title" && facts.title.is_none() && !value.trim().is_empty() {
            facts.title = Some(value.trim().chars().take(200).collect());
        }
        facts.add_meta(name, &value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(id: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut v = id.to_vec();
        v.extend((body.len() as u32).to_le_bytes());
        v.extend_from_slice(body);
        if body.len() % 2 == 1 {
            v.push(0);
        }
        v
    }

    fn list(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        chunk(b"LIST", &[kind.as_slice(), body].concat())
    }

    fn le(ws: &[u32]) -> Vec<u8> {
        ws.iter().flat_map(|w| w.to_le_bytes()).collect()
    }

    /// An AVI with `frames` video frames at 1 fps: strh says `strh_len`, idx1 holds
    /// `idx_frames` entries, optional super index.
    fn avi(
        strh_len: u32,
        idx_frames: u32,
        super_index: Option<u32>,
        cut: Option<usize>,
    ) -> Vec<u8> {
        let mut avih = le(&[1_000_000, 0, 0, 0x10, strh_len, 0, 1, 0, 32, 32]);
        avih.resize(56, 0);
        let mut strh = b"vidsH264".to_vec();
        strh.extend(le(&[0, 0, 0, 1, 1, 0, strh_len]));
        strh.resize(56, 0);
        let strf = le(&[40, 32, 32]);
        let mut strl = [chunk(b"strh", &strh), chunk(b"strf", &strf)].concat();
        if let Some(n) = super_index {
            let mut indx = vec![4, 0, 0, 0];
            indx.extend(le(&[1]));
            indx.extend(b"00dc");
            indx.extend([0u8; 12]);
            indx.extend(le(&[0, 0, 0, n]));
            strl.extend(chunk(b"indx", &indx));
        }
        let hdrl = list(
            b"hdrl",
            &[chunk(b"avih", &avih), list(b"strl", &strl)].concat(),
        );
        let info = list(b"INFO", &chunk(b"INAM", "主旨报告".as_bytes()));
        let movi = list(b"movi", &chunk(b"00dc", &[0; 10]));
        let mut idx = Vec::new();
        for _ in 0..idx_frames {
            idx.extend(b"00dc");
            idx.extend(le(&[0x10, 4, 10]));
        }
        let body = [b"AVI ".to_vec(), hdrl, info, movi, chunk(b"idx1", &idx)].concat();
        let mut file = chunk(b"RIFF", &body);
        if let Some(n) = cut {
            file.truncate(n);
        }
        file
    }

    #[test]
    fn synthetic_avis() {
        // (name, file, Ok(seconds, method) or Err(code), warning)
        type Case = (
            &'static str,
            Vec<u8>,
            Result<(f64, DurationMethod), &'static str>,
            Option<&'static str>,
        );
        let cases: Vec<Case> = vec![
            (
                "agree",
                avi(2700, 2700, None, None),
                Ok((2700.0, DurationMethod::Header)),
                None,
            ),
            (
                "super index",
                avi(2701, 0, Some(2701), None),
                Ok((2701.0, DurationMethod::Header)),
                None,
            ),
            // The header claims 45:00 but only 3:00 of frames are indexed.
            (
                "idx short",
                avi(2700, 180, None, None),
                Ok((180.0, DurationMethod::Index)),
                Some("duration.disagree"),
            ),
            (
                "cut",
                avi(180, 180, None, Some(300)),
                Err("unreadable.truncated"),
                None,
            ),
            (
                "not avi",
                b"RIFF\x04\0\0\0WAVE".to_vec(),
                Err("unreadable.corrupt"),
                None,
            ),
        ];
        for (name, bytes, want, warning) in cases {
            let got = probe(std::io::Cursor::new(bytes), 1 << 20);
            match (got, want) {
                (Ok(p), Ok((secs, method))) => {
                    let d = p.facts.duration.as_ref().expect(name);
                    assert!((d.seconds - secs).abs() < 1e-9, "{name}: {d:?}");
                    assert_eq!(d.method, method, "{name}");
                    let codes: Vec<_> = p.warnings.iter().map(|w| w.code.as_str()).collect();
                    assert_eq!(codes, warning.into_iter().collect::<Vec<_>>(), "{name}");
                    assert_eq!(p.facts.title.as_deref(), Some("主旨报告"), "{name}");
                    assert_eq!((p.facts.width, p.facts.height), (Some(32), Some(32)));
                }
                (Err(e), Err(code)) => assert_eq!(e.code, code, "{name}: {}", e.message),
                (got, want) => panic!("{name}: got {got:?}, want {want:?}"),
            }
        }
        // Every prefix of a valid file: an error or a duration, never a panic.
        let whole = avi(180, 180, Some(180), None);
        for n in 0..whole.len() {
            let _ = probe(std::io::Cursor::new(whole[..n].to_vec()), 1 << 20);
        }
    }
}
