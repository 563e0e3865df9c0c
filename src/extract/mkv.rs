//! Matroska / WebM: duration, picture size, title and tags, from the element headers only.
//!
//! The header duration is Segment Info `Duration` × `TimestampScale`. It is cross-checked
//! against the timestamps: the end of the last block of the last Cluster (its Timestamp plus
//! the block's relative timestamp plus its BlockDuration or the track's DefaultDuration),
//! minus the first Cluster's Timestamp. Files written live (OBS, ffmpeg to a pipe, browser
//! recorders such as MediaRecorder WebM) often carry no Duration at all; the timestamps are
//! then the answer.
//!
//! Hand-written rather than the `matroska` / `matroska-demuxer` crates (DESIGN.md found they
//! match ffprobe where a Duration exists), because:
//! - without a Duration the crates can give the last timestamp only by demuxing every frame,
//!   i.e. reading the whole recording; this walker seeks from Cluster header to Cluster header
//!   (a few bytes each) and reads the block headers of the last Cluster only;
//! - `matroska-demuxer` refuses files ffprobe reads (no MuxingApp/WritingApp, a newer
//!   DocTypeReadVersion), and neither says whether a file was cut short;
//! - the reads go through the byte counter, so a test proves how little is read.
//!
//! Trade-off: Clusters of unknown size (live writers) are walked child by child, which reads
//! one header per block; still a small fraction of the file. Subtitle text is not read.

use std::io::{Read, Seek};

use crate::extract::Extractor;
use crate::extract::media::{self, CountingReader, Probe, Source, corrupt, truncated};
use crate::facts::{DurationMethod, Facts, Format, Problem};
use crate::input::{Input, Limits, io_problem};

pub struct MkvExtractor;

impl Extractor for MkvExtractor {
    fn name(&self) -> &'static str {
        "mkv"
    }
    fn formats(&self) -> &'static [Format] {
        &[Format::Mkv]
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

const EBML: u32 = 0x1A45_DFA3;
const DOC_TYPE: u32 = 0x4282;
const SEGMENT: u32 = 0x1853_8067;
const INFO: u32 = 0x1549_A966;
const TRACKS: u32 = 0x1654_AE6B;
const TAGS: u32 = 0x1254_C367;
const CLUSTER: u32 = 0x1F43_B675;
const TIMESTAMP_SCALE: u32 = 0x2A_D7B1;
const DURATION: u32 = 0x4489;
/// Segment Info `DateUTC`: nanoseconds since 2001-01-01T00:00:00 UTC (a signed integer).
const DATE_UTC: u32 = 0x4461;
const TITLE: u32 = 0x7BA9;
const TRACK_ENTRY: u32 = 0xAE;
const TRACK_NUMBER: u32 = 0xD7;
const TRACK_TYPE: u32 = 0x83;
const TRACK_NAME: u32 = 0x536E;
const DEFAULT_DURATION: u32 = 0x23_E383;
const VIDEO: u32 = 0xE0;
const PIXEL_WIDTH: u32 = 0xB0;
const PIXEL_HEIGHT: u32 = 0xBA;
const TAG: u32 = 0x7373;
const SIMPLE_TAG: u32 = 0x67C8;
const TAG_NAME: u32 = 0x45A3;
const TAG_STRING: u32 = 0x4487;
const CLUSTER_TIMESTAMP: u32 = 0xE7;
const SIMPLE_BLOCK: u32 = 0xA3;
const BLOCK_GROUP: u32 = 0xA0;
const BLOCK: u32 = 0xA1;
const BLOCK_DURATION: u32 = 0x9B;
/// Children a Cluster may have (to find the end of a Cluster of unknown size).
const CLUSTER_CHILDREN: &[u32] = &[
    CLUSTER_TIMESTAMP,
    SIMPLE_BLOCK,
    BLOCK_GROUP,
    0xAB,   // PrevSize
    0xA7,   // Position
    0x5854, // SilentTracks
    0xAF,   // EncryptedBlock
    0xEC,   // Void
    0xBF,   // CRC-32
];
/// Top-level elements looked at before giving up.
const MAX_ELEMENTS: usize = 4_000_000;

/// One element as declared by its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Element {
    id: u32,
    offset: u64,
    data: u64,
    /// None: unknown size (live writers), up to the end of the parent.
    size: Option<u64>,
}

impl Element {
    fn end(&self) -> Option<u64> {
        self.data.checked_add(self.size?)
    }
}

/// A variable-length integer: (value with the length marker removed, length, all-ones).
fn vint(d: &[u8]) -> Option<(u64, usize, bool)> {
    let first = *d.first()?;
    let len = first.leading_zeros() as usize + 1;
    if len > 8 {
        return None;
    }
    let mut v = u64::from(first) & (0xFFu64 >> len);
    for &b in d.get(1..len)? {
        v = (v << 8) | u64::from(b);
    }
    let all_ones = v == (1u64 << (7 * len)) - 1;
    Some((v, len, all_ones))
}

/// An element id keeps its length marker (0x1A45DFA3); at most 4 bytes.
fn element_id(d: &[u8]) -> Option<(u32, usize)> {
    let first = *d.first()?;
    let len = first.leading_zeros() as usize + 1;
    if len > 4 {
        return None;
    }
    let mut v = 0u32;
    for &b in d.get(..len)? {
        v = (v << 8) | u32::from(b);
    }
    Some((v, len))
}

/// (id, header length, size) from the start of `d`.
fn header(d: &[u8]) -> Option<(u32, usize, Option<u64>)> {
    let (id, il) = element_id(d)?;
    let (size, sl, unknown) = vint(d.get(il..)?)?;
    Some((id, il + sl, if unknown { None } else { Some(size) }))
}

fn read_element<R: Read + Seek>(r: &mut R, at: u64) -> std::io::Result<Option<Element>> {
    let buf = media::read_at(r, at, 12)?;
    Ok(header(&buf).map(|(id, hl, size)| Element {
        id,
        offset: at,
        data: at + hl as u64,
        size,
    }))
}

/// Children of an element held in memory: (id, payload). Stops at the first bad header.
fn children(d: &[u8]) -> impl Iterator<Item = (u32, &[u8])> {
    let mut pos = 0usize;
    std::iter::from_fn(move || {
        let rest = d.get(pos..)?;
        let (id, hl, size) = header(rest)?;
        let size = usize::try_from(size.unwrap_or((rest.len() - hl) as u64)).ok()?;
        let payload = rest.get(hl..hl.checked_add(size)?)?;
        pos += hl + size;
        Some((id, payload))
    })
}

fn uint(d: &[u8]) -> Option<u64> {
    if d.is_empty() || d.len() > 8 {
        return None;
    }
    Some(d.iter().fold(0u64, |v, &b| (v << 8) | u64::from(b)))
}

fn float(d: &[u8]) -> Option<f64> {
    match d.len() {
        4 => Some(f64::from(f32::from_be_bytes(d.try_into().ok()?))),
        8 => Some(f64::from_be_bytes(d.try_into().ok()?)),
        _ => None,
    }
}

fn text(d: &[u8]) -> String {
    media::decode_8bit(d)
}

#[derive(Debug, Default)]
struct TrackInfo {
    number: u64,
    kind: u64,
    default_duration_ns: u64,
}

/// What the walk found.
#[derive(Debug, Default)]
struct Walk {
    scale_ns: Option<u64>,
    duration: Option<f64>,
    tracks: Vec<TrackInfo>,
    first_cluster: Option<Element>,
    last_cluster: Option<Element>,
    clusters: usize,
}

/// Reads a Matroska/WebM file's header elements and the timestamps of its last Cluster.
pub fn probe<R: Read + Seek>(reader: R, max_index: u64) -> Result<Probe, Problem> {
    let mut r = CountingReader::new(reader);
    let file_len = media::stream_len(&mut r)?;
    let mut facts = Facts::default();
    let mut warnings = Vec::new();
    let head = read_element(&mut r, 0)
        .map_err(io_problem)?
        .filter(|e| e.id == EBML)
        .ok_or_else(|| corrupt("不是有效的 Matroska/WebM 文件：缺少 EBML 文件头"))?;
    let head_end = head
        .end()
        .filter(|&e| e <= file_len)
        .ok_or_else(|| truncated("录像文件不完整：EBML 文件头被截断"))?;
    let ebml = media::read_at(&mut r, head.data, head_end - head.data).map_err(io_problem)?;
    let doc_type = children(&ebml)
        .find(|(id, _)| *id == DOC_TYPE)
        .map(|(_, d)| text(d))
        .unwrap_or_default();
    if !matches!(doc_type.as_str(), "matroska" | "webm" | "") {
        return Err(corrupt(format!(
            "不是 Matroska/WebM 文件（文档类型 “{doc_type}”）"
        )));
    }
    let segment = read_element(&mut r, head_end)
        .map_err(io_problem)?
        .filter(|e| e.id == SEGMENT)
        .ok_or_else(|| {
            if head_end >= file_len {
                truncated("录像文件不完整：只有文件头，没有 Segment（媒体数据）")
            } else {
                corrupt("Matroska/WebM 文件损坏：文件头后不是 Segment")
            }
        })?;
    let seg_end = match segment.end() {
        Some(end) if end > file_len => {
            return Err(truncated(format!(
                "录像文件不完整：Segment 应延续到第 {end} 字节，但文件只有 {file_len} 字节（文件被截断）"
            )));
        }
        Some(end) => end,
        None => file_len,
    };

    let mut w = Walk::default();
    let mut pos = segment.data;
    let mut seen = 0usize;
    while pos < seg_end {
        seen += 1;
        if seen > MAX_ELEMENTS {
            warnings.push(Problem::new(
                crate::codes::MKV_TOO_MANY_ELEMENTS,
                "录像文件的结构过多，其余部分未读取",
            ));
            break;
        }
        let Some(e) = read_element(&mut r, pos).map_err(io_problem)? else {
            if seg_end - pos < 12 || w.last_cluster.is_some() {
                warnings.push(Problem::new(
                    crate::codes::MKV_TRAILING_DATA,
                    format!("录像文件第 {pos} 字节起有无法识别的数据，已忽略"),
                ));
                break;
            }
            return Err(corrupt(format!(
                "Matroska/WebM 文件损坏：第 {pos} 字节处结构无效"
            )));
        };
        let end = match e.size {
            Some(_) => e.end().unwrap_or(u64::MAX),
            None if e.id == CLUSTER => cluster_end(&mut r, &e, seg_end)?,
            None => seg_end,
        };
        if end > seg_end {
            return Err(truncated(format!(
                "录像文件不完整：第 {} 字节处的{}应延续到第 {end} 字节，但文件只有 {file_len} 字节（文件被截断）",
                e.offset,
                if e.id == CLUSTER {
                    " Cluster（媒体数据）"
                } else {
                    "元素"
                },
            )));
        }
        match e.id {
            INFO | TRACKS | TAGS => {
                let len = end - e.data;
                if len > max_index {
                    return Err(Problem::new(
                        crate::codes::LIMIT_MKV_HEADER,
                        format!("录像文件头信息过大（{len} 字节，上限 {max_index} 字节），未读取"),
                    ));
                }
                let d = media::read_at(&mut r, e.data, len).map_err(io_problem)?;
                match e.id {
                    INFO => read_info(&d, &mut w, &mut facts),
                    TRACKS => read_tracks(&d, &mut w, &mut facts),
                    _ => read_tags(&d, &mut facts),
                }
            }
            CLUSTER => {
                let c = Element {
                    size: Some(end - e.data),
                    ..e
                };
                w.first_cluster.get_or_insert(c);
                w.last_cluster = Some(c);
                w.clusters += 1;
            }
            _ => {}
        }
        pos = end;
    }

    let scale = w.scale_ns.unwrap_or(1_000_000) as f64 / 1e9;
    let header = w
        .duration
        .map(|d| Source::new(d * scale, DurationMethod::Header, "Segment Info Duration"));
    let measured = match (w.first_cluster, w.last_cluster) {
        (Some(first), Some(last)) => {
            let start = cluster_timestamp(&mut r, &first)?.unwrap_or(0);
            let end = last_block_end(&mut r, &last, &w.tracks, w.scale_ns.unwrap_or(1_000_000))?;
            end.map(|end| {
                Source::new(
                    end.saturating_sub(start) as f64 * scale,
                    DurationMethod::Timestamps,
                    format!("last block of the last of {} Cluster(s)", w.clusters),
                )
            })
        }
        _ => None,
    };
    if w.last_cluster.is_none() {
        return Err(truncated(
            "录像文件不完整：没有媒体数据（Cluster），无法确认时长",
        ));
    }
    media::set_duration(&mut facts, &mut warnings, media::decide(header, measured));
    Ok(Probe {
        facts,
        warnings,
        bytes_read: r.bytes_read(),
    })
}

/// The end of a Cluster of unknown size: the first following element that is not a Cluster
/// child (or the end of the Segment).
fn cluster_end<R: Read + Seek>(r: &mut R, c: &Element, seg_end: u64) -> Result<u64, Problem> {
    let mut pos = c.data;
    while pos < seg_end {
        let Some(e) = read_element(r, pos).map_err(io_problem)? else {
            return Ok(pos);
        };
        if !CLUSTER_CHILDREN.contains(&e.id) {
            return Ok(pos);
        }
        match e.end() {
            Some(end) if end <= seg_end => pos = end,
            _ => {
                return Err(truncated(format!(
                    "录像文件不完整：最后一个数据块（第 {pos} 字节处）被截断"
                )));
            }
        }
    }
    Ok(pos)
}

fn read_info(d: &[u8], w: &mut Walk, facts: &mut Facts) {
    for (id, v) in children(d) {
        match id {
            TIMESTAMP_SCALE => w.scale_ns = uint(v).filter(|&s| s > 0),
            DURATION => w.duration = float(v).filter(|d| d.is_finite() && *d > 0.0),
            DATE_UTC if v.len() == 8 => {
                let ns = i64::from_be_bytes(v.try_into().unwrap_or([0; 8]));
                // 978307200: 2001-01-01 in Unix seconds. Zero is the writers' "no date".
                if ns != 0 {
                    facts.created =
                        crate::facts::unix_date(978_307_200 + ns.div_euclid(1_000_000_000));
                }
            }
            TITLE => {
                let t = text(v);
                if !t.trim().is_empty() {
                    facts.title = Some(t.trim().chars().take(200).collect());
                }
                facts.add_meta("title", &t);
            }
            _ => {}
        }
    }
}

fn read_tracks(d: &[u8], w: &mut Walk, facts: &mut Facts) {
    for (_, entry) in children(d).filter(|(id, _)| *id == TRACK_ENTRY) {
        let mut t = TrackInfo::default();
        for (id, v) in children(entry) {
            match id {
                TRACK_NUMBER => t.number = uint(v).unwrap_or(0),
                TRACK_TYPE => t.kind = uint(v).unwrap_or(0),
                DEFAULT_DURATION => t.default_duration_ns = uint(v).unwrap_or(0),
                TRACK_NAME => facts.add_meta("track name", &text(v)),
                VIDEO if facts.width.is_none() => {
                    let get = |want| {
                        children(v)
                            .find(|(i, _)| *i == want)
                            .and_then(|(_, x)| uint(x))
                            .and_then(|x| u32::try_from(x).ok())
                            .filter(|&x| x > 0)
                    };
                    if let (Some(wd), Some(ht)) = (get(PIXEL_WIDTH), get(PIXEL_HEIGHT)) {
                        facts.width = Some(wd);
                        facts.height = Some(ht);
                    }
                }
                _ => {}
            }
        }
        w.tracks.push(t);
    }
}

/// Tags/Tag/SimpleTag (TagName = TagString), nested SimpleTags included.
fn read_tags(d: &[u8], facts: &mut Facts) {
    fn simple(d: &[u8], facts: &mut Facts, depth: usize) {
        let mut name = String::new();
        let mut value = String::new();
        for (id, v) in children(d) {
            match id {
                TAG_NAME => name = text(v),
                TAG_STRING => value = text(v),
                SIMPLE_TAG if depth < 8 => simple(v, facts, depth + 1),
                _ => {}
            }
        }
        if !name.is_empty() {
            let lower = name.to_ascii_lowercase();
            if lower == "title" && facts.title.is_none() && !value.trim().is_empty() {
                facts.title = Some(value.trim().chars().take(200).collect());
            }
            facts.add_meta(&lower, &value);
        }
    }
    for (_, tag) in children(d).filter(|(id, _)| *id == TAG) {
        for (_, st) in children(tag).filter(|(id, _)| *id == SIMPLE_TAG) {
            simple(st, facts, 0);
        }
    }
}

/// The Timestamp of a Cluster (its first child, by convention).
fn cluster_timestamp<R: Read + Seek>(r: &mut R, c: &Element) -> Result<Option<u64>, Problem> {
    let end = c.end().unwrap_or(c.data);
    let mut pos = c.data;
    for _ in 0..16 {
        if pos >= end {
            break;
        }
        let Some(e) = read_element(r, pos).map_err(io_problem)? else {
            break;
        };
        if e.id == CLUSTER_TIMESTAMP {
            let len = e.size.unwrap_or(0).min(8);
            let d = media::read_at(r, e.data, len).map_err(io_problem)?;
            return Ok(uint(&d));
        }
        pos = e.end().unwrap_or(end);
    }
    Ok(None)
}

/// The latest end time (in TimestampScale units) of the blocks in a Cluster.
fn last_block_end<R: Read + Seek>(
    r: &mut R,
    c: &Element,
    tracks: &[TrackInfo],
    scale_ns: u64,
) -> Result<Option<u64>, Problem> {
    let end = c.end().unwrap_or(c.data);
    let Some(cluster_ts) = cluster_timestamp(r, c)? else {
        return Ok(None);
    };
    let default_of = |track: u64| {
        tracks
            .iter()
            .find(|t| t.number == track)
            .map_or(0, |t| t.default_duration_ns / scale_ns.max(1))
    };
    let mut best: Option<u64> = None;
    let mut note = |rel: i16, track: u64, dur: Option<u64>| {
        let at = cluster_ts.saturating_add_signed(i64::from(rel));
        let e = at.saturating_add(dur.unwrap_or_else(|| default_of(track)));
        best = Some(best.map_or(e, |b: u64| b.max(e)));
    };
    let mut pos = c.data;
    while pos < end {
        let Some(e) = read_element(r, pos).map_err(io_problem)? else {
            break;
        };
        let e_end = e.end().unwrap_or(end).min(end);
        match e.id {
            SIMPLE_BLOCK => {
                if let Some((track, rel)) = block_head(r, e.data)? {
                    note(rel, track, None);
                }
            }
            BLOCK_GROUP => {
                let (mut head, mut dur) = (None, None);
                let mut p = e.data;
                while p < e_end {
                    let Some(g) = read_element(r, p).map_err(io_problem)? else {
                        break;
                    };
                    match g.id {
                        BLOCK => head = block_head(r, g.data)?,
                        BLOCK_DURATION => {
                            let d = media::read_at(r, g.data, g.size.unwrap_or(0).min(8))
                                .map_err(io_problem)?;
                            dur = uint(&d);
                        }
                        _ => {}
                    }
                    p = g.end().unwrap_or(e_end);
                }
                if let Some((track, rel)) = head {
                    note(rel, track, dur);
                }
            }
            _ => {}
        }
        pos = e_end;
    }
    Ok(best)
}

/// (track number, relative timestamp) at the start of a (Simple)Block.
fn block_head<R: Read + Seek>(r: &mut R, at: u64) -> Result<Option<(u64, i16)>, Problem> {
    let d = media::read_at(r, at, 11).map_err(io_problem)?;
    let Some((track, tl, _)) = vint(&d) else {
        return Ok(None);
    };
    Ok(d.get(tl..tl + 2)
        .map(|b| (track, i16::from_be_bytes([b[0], b[1]]))))
}

#[cfg(test)]
mod tests;
