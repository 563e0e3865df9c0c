//! MPEG transport streams (.ts, camera .mts/.m2ts with 192-byte packets): duration.
//!
//! A transport stream has no header that states its duration: it is the span of the
//! presentation timestamps. This reads the first and the last few MB only (never the middle),
//! finds the packet size (188, 192 for M2TS/AVCHD with a 4-byte timecode in front, or 204
//! with Reed-Solomon bytes), the program map (PAT → PMT → elementary streams), and the PTS
//! of every PES header in both windows. The duration is the video stream's span: its latest
//! PTS plus one frame interval, minus its earliest PTS (audio only when there is no video).
//! ffprobe's format duration spans every stream; a camcorder's audio runs on a couple of
//! seconds past the picture (a 46:00 AVCHD `.MTS`: 2,762.24 s over all streams, 2,760 s of
//! video), and the recording is the picture.
//!
//! The Service Description Table (SDT, PID 0x11) is read too: cameras and encoders put a
//! title in its service name and provider (ffmpeg's `-metadata service_name=…`), which become
//! metadata (`ts.service_name`, `ts.service_provider`) where a label may be found.
//! PTS are 33-bit counters at 90 kHz that wrap every 26.5 hours; values are unwrapped
//! relative to the first one, so a recording that crosses the wrap is measured right.
//!
//! DESIGN.md found the PCR span 1.1 s short of ffprobe: PCRs stop a little before the last
//! frame is shown, so PCRs are not used. A file whose length is not a whole number of packets
//! was cut in the middle of a packet and is reported as truncated (with the time reached).
//!
//! Hand-written: no crate reads TS durations without demuxing the whole file (DESIGN.md).

use std::collections::BTreeMap;
use std::io::{Read, Seek};

use crate::extract::Extractor;
use crate::extract::media::{self, CountingReader, Probe, Source, corrupt, read_at, truncated};
use crate::facts::{DurationMethod, Facts, Format, Problem};
use crate::input::{Input, Limits, io_problem};

pub(crate) struct MpegTsExtractor;

impl Extractor for MpegTsExtractor {
    fn name(&self) -> &'static str {
        "mpegts"
    }
    fn formats(&self) -> &'static [Format] {
        &[Format::Mpegts]
    }
    fn extract(
        &self,
        input: &Input,
        limits: &Limits,
        warnings: &mut Vec<Problem>,
    ) -> Result<Facts, Problem> {
        media::extract_with(input, limits, warnings, |r, _| probe(r, WINDOW))
    }
}

/// Bytes read at each end of the file.
pub(crate) const WINDOW: u64 = 4 << 20;
const PTS_WRAP: u64 = 1 << 33;

/// Packet layout: size and where the 0x47 sync byte sits inside each packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Layout {
    pub size: usize,
    /// Offset of the first sync byte in the file (0, or 4 for M2TS).
    pub start: usize,
}

/// Finds the packet size and the first sync byte from a run of consistent sync bytes.
pub(crate) fn layout(d: &[u8]) -> Option<Layout> {
    for size in [188usize, 192, 204] {
        for start in 0..size.min(d.len()) {
            let hits = (0..8)
                .take_while(|k| d.get(start + k * size) == Some(&0x47))
                .count();
            let needed = (d.len().saturating_sub(start) / size).clamp(1, 8);
            if hits >= needed && hits > 0 {
                return Some(Layout { size, start });
            }
        }
    }
    None
}

/// What the packets of one window said.
#[derive(Debug, Default)]
struct Scan {
    pmt_pids: Vec<u16>,
    /// Elementary stream PID → stream_type, from the PMT.
    streams: BTreeMap<u16, u8>,
    /// (pid, pts) in file order.
    pts: Vec<(u16, u64)>,
    /// PIDs whose PES stream id says video (0xE0–0xEF).
    video_pids: std::collections::BTreeSet<u16>,
    /// (provider, name) of each service in the SDT, in table order.
    services: Vec<(String, String)>,
}

/// PMT stream types of video: MPEG-1/2, MPEG-4 part 2, H.264, HEVC, MVC, VVC, VC-1, AVS.
fn is_video_type(t: u8) -> bool {
    matches!(
        t,
        0x01 | 0x02 | 0x10 | 0x1B | 0x20 | 0x24 | 0x33 | 0x42 | 0xD1 | 0xEA
    )
}

/// A DVB text field (EN 300 468 Annex A): a first byte below 0x20 names the character set
/// (0x11 UCS-2, 0x13 GB2312, 0x14 Big5, 0x15 UTF-8, 0x10 ISO 8859-n); without one it is the
/// default table, read here as Latin-1. ffmpeg writes non-ASCII names as 0x15 + UTF-8.
pub(crate) fn dvb_text(b: &[u8]) -> String {
    let (enc, body): (&'static encoding_rs::Encoding, &[u8]) = match b.first() {
        Some(0x11) => (encoding_rs::UTF_16BE, &b[1..]),
        Some(0x13) => (encoding_rs::GBK, &b[1..]),
        Some(0x14) => (encoding_rs::BIG5, &b[1..]),
        Some(0x15) => (encoding_rs::UTF_8, &b[1..]),
        Some(0x10) => (encoding_rs::WINDOWS_1252, b.get(3..).unwrap_or(&[])),
        Some(&c) if c < 0x20 => (encoding_rs::WINDOWS_1252, &b[1..]),
        _ => (encoding_rs::WINDOWS_1252, b),
    };
    let (text, _) = enc.decode_without_bom_handling(body);
    text.chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .to_string()
}

fn pts_at(b: &[u8]) -> Option<u64> {
    let (b0, b1, b2, b3, b4) = (
        u64::from(*b.first()?),
        u64::from(*b.get(1)?),
        u64::from(*b.get(2)?),
        u64::from(*b.get(3)?),
        u64::from(*b.get(4)?),
    );
    Some(((b0 >> 1) & 7) << 30 | b1 << 22 | (b2 >> 1) << 15 | b3 << 7 | b4 >> 1)
}

impl Scan {
    fn packets(&mut self, d: &[u8], lay: Layout) {
        let mut pos = lay.start;
        while let Some(p) = d.get(pos..pos + 188) {
            pos += lay.size;
            if p[0] != 0x47 {
                continue;
            }
            let pusi = p[1] & 0x40 != 0;
            let pid = u16::from(p[1] & 0x1F) << 8 | u16::from(p[2]);
            let afc = (p[3] >> 4) & 3;
            if afc & 1 == 0 {
                continue; // no payload
            }
            let off = if afc == 3 { 5 + usize::from(p[4]) } else { 4 };
            let Some(payload) = p.get(off..) else {
                continue;
            };
            if !pusi {
                continue;
            }
            if pid == 0 {
                self.pat(payload);
            } else if pid == 0x11 {
                self.sdt(payload);
            } else if self.pmt_pids.contains(&pid) {
                self.pmt(payload);
            } else if payload.starts_with(&[0, 0, 1]) {
                let sid = payload.get(3).copied().unwrap_or(0);
                let av = matches!(sid, 0xC0..=0xEF | 0xBD | 0xFD);
                if (0xE0..=0xEF).contains(&sid) {
                    self.video_pids.insert(pid);
                }
                if av
                    && payload.get(6).is_some_and(|f| f & 0xC0 == 0x80)
                    && payload.get(7).is_some_and(|f| f & 0x80 != 0)
                    && let Some(pts) = payload.get(9..14).and_then(pts_at)
                {
                    self.pts.push((pid, pts));
                }
            }
        }
    }

    /// A PSI section starts after the pointer field.
    fn section(payload: &[u8]) -> Option<&[u8]> {
        let ptr = usize::from(*payload.first()?);
        let s = payload.get(1 + ptr..)?;
        let len = usize::from(u16::from(*s.get(1)? & 0x0F) << 8 | u16::from(*s.get(2)?));
        s.get(..(3 + len).min(s.len()))
    }

    fn pat(&mut self, payload: &[u8]) {
        let Some(s) = Self::section(payload) else {
            return;
        };
        // 8-byte header, then 4-byte entries, then CRC.
        let body = s.get(8..s.len().saturating_sub(4)).unwrap_or(&[]);
        for e in body.chunks_exact(4) {
            let program = u16::from(e[0]) << 8 | u16::from(e[1]);
            let pid = u16::from(e[2] & 0x1F) << 8 | u16::from(e[3]);
            if program != 0 && !self.pmt_pids.contains(&pid) {
                self.pmt_pids.push(pid);
            }
        }
    }

    /// SDT (table 0x42, this stream): each service's descriptor loop, service descriptor
    /// (tag 0x48): type, provider name, service name. Read once (the table repeats).
    fn sdt(&mut self, payload: &[u8]) {
        if !self.services.is_empty() {
            return;
        }
        let Some(s) = Self::section(payload).filter(|s| s.first() == Some(&0x42)) else {
            return;
        };
        let end = s.len().saturating_sub(4);
        let mut pos = 11; // header (8) + original_network_id (2) + reserved (1)
        while let Some(e) = s.get(pos..pos + 5).filter(|_| pos + 5 <= end) {
            let loop_len = usize::from(u16::from(e[3] & 0x0F) << 8 | u16::from(e[4]));
            let descriptors = s.get(pos + 5..(pos + 5 + loop_len).min(end)).unwrap_or(&[]);
            let mut d = 0;
            while let (Some(&tag), Some(&len)) = (descriptors.get(d), descriptors.get(d + 1)) {
                let body = descriptors
                    .get(d + 2..d + 2 + usize::from(len))
                    .unwrap_or(&[]);
                if tag == 0x48 && body.len() >= 2 {
                    let plen = usize::from(body[1]);
                    let provider = body.get(2..2 + plen).unwrap_or(&[]);
                    let nlen = body.get(2 + plen).copied().map(usize::from).unwrap_or(0);
                    let name = body.get(3 + plen..3 + plen + nlen).unwrap_or(&[]);
                    self.services.push((dvb_text(provider), dvb_text(name)));
                }
                d += 2 + usize::from(len);
            }
            pos += 5 + loop_len;
        }
    }

    fn pmt(&mut self, payload: &[u8]) {
        let Some(s) = Self::section(payload) else {
            return;
        };
        let Some(info_len) = s
            .get(10..12)
            .map(|b| usize::from(u16::from(b[0] & 0x0F) << 8 | u16::from(b[1])))
        else {
            return;
        };
        let end = s.len().saturating_sub(4);
        let mut pos = 12 + info_len;
        while let Some(e) = s.get(pos..pos + 5).filter(|_| pos + 5 <= end) {
            let pid = u16::from(e[1] & 0x1F) << 8 | u16::from(e[2]);
            let es_len = usize::from(u16::from(e[3] & 0x0F) << 8 | u16::from(e[4]));
            self.streams.insert(pid, e[0]);
            pos += 5 + es_len;
        }
    }
}

/// Stream types whose timestamps count (audio and video; not subtitles or data).
fn counts(stream_type: Option<u8>) -> bool {
    match stream_type {
        None => true,
        Some(t) => !matches!(t, 0x05 | 0x0D | 0x15 | 0x86 | 0x90..=0x92 | 0xA0),
    }
}

/// `v` relative to `reference`, unwrapped: in [-2^32, 2^32) ticks.
fn rel(v: u64, reference: u64) -> i64 {
    let d = (v.wrapping_sub(reference)) % PTS_WRAP;
    if d >= PTS_WRAP / 2 {
        d as i64 - PTS_WRAP as i64
    } else {
        d as i64
    }
}

/// Reads the first and last `window` bytes of a transport stream.
pub(crate) fn probe<R: Read + Seek>(reader: R, window: u64) -> Result<Probe, Problem> {
    let mut r = CountingReader::new(reader);
    let file_len = media::stream_len(&mut r)?;
    let mut facts = Facts::default();
    let mut warnings = Vec::new();
    let head = read_at(&mut r, 0, window.min(file_len)).map_err(io_problem)?;
    let lay = layout(&head).ok_or_else(|| corrupt("不是有效的 MPEG-TS 文件：找不到同步字节"))?;
    let mut scan = Scan::default();
    scan.packets(&head, lay);
    let tail_from = file_len.saturating_sub(window).max(head.len() as u64);
    if tail_from < file_len {
        // Align the tail on the packet grid of the head: the first sync byte at or after
        // `tail_from`.
        let size = lay.size as u64;
        let start = lay.start as u64;
        let k = tail_from.saturating_sub(start).div_ceil(size);
        let first = start + k * size;
        let tail = read_at(&mut r, first, file_len.saturating_sub(first)).map_err(io_problem)?;
        let aligned = Layout {
            size: lay.size,
            start: 0,
        };
        let before = scan.pts.len();
        scan.packets(&tail, aligned);
        if scan.pts.len() == before && layout(&tail).is_some_and(|l| l.size == lay.size) {
            // The grid shifted (a splice in the middle): resync on the tail itself.
            if let Some(l) = layout(&tail) {
                scan.packets(&tail, l);
            }
        }
    }

    let streams = scan.streams.clone();
    let is_video = |pid: &u16| {
        scan.video_pids.contains(pid) || streams.get(pid).is_some_and(|&t| is_video_type(t))
    };
    let has_video = scan.pts.iter().any(|(pid, _)| is_video(pid));
    // The video stream's timestamps when there is one; else every audio stream's.
    let pts: Vec<(u16, u64)> = scan
        .pts
        .iter()
        .copied()
        .filter(|(pid, _)| counts(streams.get(pid).copied()) && (!has_video || is_video(pid)))
        .collect();
    let Some(&(_, reference)) = pts.first() else {
        return Err(if file_len < lay.size as u64 * 16 {
            truncated("录像文件不完整：没有带时间戳的音视频数据，无法确认时长")
        } else {
            corrupt("MPEG-TS 文件中没有找到带时间戳的音视频数据，无法确认时长")
        });
    };
    // Earliest over the head; latest (+ one frame) per stream over everything.
    let start = pts
        .iter()
        .map(|&(_, v)| rel(v, reference))
        .min()
        .unwrap_or(0);
    let mut per_pid: BTreeMap<u16, Vec<i64>> = BTreeMap::new();
    for &(pid, v) in &pts {
        per_pid.entry(pid).or_default().push(rel(v, reference));
    }
    let mut end = i64::MIN;
    let mut end_pid = 0u16;
    let mut end_step = 0i64;
    for (pid, mut values) in per_pid {
        values.sort_unstable();
        let last = *values.last().unwrap_or(&0);
        let tail: Vec<i64> = values.iter().rev().take(64).copied().collect();
        let step = tail
            .windows(2)
            .map(|w| w[0] - w[1])
            .filter(|&d| d > 0)
            .min()
            .unwrap_or(0);
        if last + step > end {
            end = last + step;
            end_pid = pid;
            end_step = step;
        }
    }
    let seconds = (end - start).max(0) as f64 / 90_000.0;
    let cut = (file_len.saturating_sub(lay.start as u64)) % lay.size as u64;
    if cut != 0 && cut + lay.start as u64 != lay.size as u64 {
        return Err(truncated(format!(
            "录像文件不完整：最后一个 {} 字节的数据包只有 {cut} 字节（文件被截断），截断前的内容约 {}",
            lay.size,
            crate::units::duration(seconds)
        )));
    }
    let kind = if lay.size == 192 { "M2TS" } else { "TS" };
    let which = if has_video { "video" } else { "audio" };
    let measured = Source::new(
        seconds,
        DurationMethod::Timestamps,
        format!(
            "{kind} {which} PTS span first–last (PID {end_pid}, + frame interval {:.3} s), {} PES timestamps in the first/last {} MB",
            end_step as f64 / 90_000.0,
            pts.len(),
            window >> 20
        ),
    );
    media::set_duration(
        &mut facts,
        &mut warnings,
        media::decide(None, Some(measured)),
    );
    for (provider, name) in &scan.services {
        if !name.is_empty() {
            facts.add_meta("ts.service_name", name);
            if facts.title.is_none() {
                facts.title = Some(name.chars().take(200).collect());
            }
        }
        if !provider.is_empty() {
            facts.add_meta("ts.service_provider", provider);
        }
    }
    Ok(Probe {
        facts,
        warnings,
        bytes_read: r.bytes_read(),
    })
}

#[cfg(test)]
mod tests;
