//! MPEG program streams (.mpg, .mpeg, DVD .vob): duration from timestamps.
//!
//! Like a transport stream, a program stream states no duration; it is measured from the
//! first and last few MB only. Pack headers carry the SCR and the mux rate; PES headers
//! (MPEG-1 or MPEG-2 syntax) carry PTS/DTS — but a muxer writes a timestamp only on a PES
//! whose payload *starts* a frame, and with small frames one 2 KB pack holds many of them.
//! The last timestamp can then be seconds before the last frame (ffprobe's own figure for
//! such files is short: 176.9 s for a 180 s MPEG-1 file, see fixtures/video/reference.tsv).
//! So, for MPEG-1/2 video, the pictures (start code 00 00 01 00) after the last timestamped
//! PES are counted and added at the frame rate of the sequence header: the end is the last
//! picture's time plus one frame. For other streams the end is the last PTS plus the
//! smallest step between PTS. The start is the earliest PTS in the first window.
//!
//! When no timestamp is found at all, the duration is *estimated* from the file size and the
//! pack header's mux rate — low confidence, never enough for a pass on its own. A PES at the
//! end that runs past the end of the file is a cut file (truncated, with the time reached).
//!
//! Hand-written: no crate reads program stream timestamps without demuxing everything.

use std::collections::BTreeMap;
use std::io::{Read, Seek};

use crate::extract::Extractor;
use crate::extract::media::{self, CountingReader, Probe, Source, corrupt, read_at, truncated};
use crate::facts::{DurationMethod, Facts, Format, Problem};
use crate::input::{Input, Limits, io_problem};

pub(crate) struct MpegPsExtractor;

impl Extractor for MpegPsExtractor {
    fn name(&self) -> &'static str {
        "mpegps"
    }
    fn formats(&self) -> &'static [Format] {
        &[Format::Mpegps]
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

/// Frame durations (90 kHz ticks) by MPEG-1/2 `frame_rate_code`.
fn frame_ticks(code: u8) -> Option<i64> {
    Some(match code {
        1 => 3754, // 23.976
        2 => 3750,
        3 => 3600,
        4 => 3003, // 29.97
        5 => 3000,
        6 => 1800,
        7 => 1502, // 59.94
        8 => 1500,
        _ => return None,
    })
}

/// Timestamps of one elementary stream in one window.
#[derive(Debug, Default, Clone)]
struct Stream {
    /// PTS values in file order.
    pts: Vec<u64>,
    /// Last timestamped PES: (DTS or PTS, PTS − DTS), and the pictures counted from it on.
    anchor: Option<(u64, i64)>,
    pictures_since: i64,
}

#[derive(Debug, Default)]
struct Scan {
    streams: BTreeMap<u8, Stream>,
    frame_ticks: Option<i64>,
    /// Picture size from the first MPEG-1/2 sequence header.
    size: Option<(u32, u32)>,
    mux_rate: Option<u64>,
    /// A PES at the end runs past the data (offset where it would end).
    cut_at: Option<u64>,
}

fn ts_at(b: &[u8]) -> Option<u64> {
    let v = |i: usize| b.get(i).copied().map(u64::from);
    Some(((v(0)? >> 1) & 7) << 30 | v(1)? << 22 | (v(2)? >> 1) << 15 | v(3)? << 7 | v(4)? >> 1)
}

/// PTS and DTS of a PES header (`p` starts at 00 00 01 sid), and where the payload starts.
fn pes_times(p: &[u8]) -> Option<(Option<u64>, Option<u64>, usize)> {
    let b6 = *p.get(6)?;
    if b6 & 0xC0 == 0x80 {
        // MPEG-2: flags, header length, then PTS [DTS].
        let flags = *p.get(7)?;
        let hlen = usize::from(*p.get(8)?);
        let pts = if flags & 0x80 != 0 {
            ts_at(p.get(9..14)?)
        } else {
            None
        };
        let dts = if flags & 0x40 != 0 {
            ts_at(p.get(14..19)?)
        } else {
            None
        };
        return Some((pts, dts, 9 + hlen));
    }
    // MPEG-1: stuffing 0xFF, optional STD buffer (01xx), then 0010 PTS or 0011 PTS DTS.
    let mut i = 6;
    while p.get(i) == Some(&0xFF) && i < 6 + 16 {
        i += 1;
    }
    if p.get(i).is_some_and(|b| b & 0xC0 == 0x40) {
        i += 2;
    }
    let b = *p.get(i)?;
    match b & 0xF0 {
        0x20 => Some((ts_at(p.get(i..i + 5)?), None, i + 5)),
        0x30 => Some((
            ts_at(p.get(i..i + 5)?),
            ts_at(p.get(i + 5..i + 10)?),
            i + 10,
        )),
        _ => Some((None, None, i + 1)),
    }
}

impl Scan {
    /// Walks the start codes of a window. `base` is the window's offset in the file and
    /// `file_len` tells a PES cut by the end of the file from one cut by the window.
    fn window(&mut self, d: &[u8], base: u64, file_len: u64) {
        let mut pos = 0usize;
        while let Some(at) = find_start(d, pos) {
            let Some(&code) = d.get(at + 3) else { break };
            pos = at + 4;
            match code {
                0xBA => {
                    // Pack header: mux rate in 50 bytes/s units.
                    let rate = match d.get(at + 4) {
                        Some(b) if b & 0xC0 == 0x40 => d.get(at + 10..at + 13).map(|m| {
                            u64::from(m[0]) << 14 | u64::from(m[1]) << 6 | u64::from(m[2]) >> 2
                        }),
                        Some(b) if b & 0xF0 == 0x20 => d.get(at + 9..at + 12).map(|m| {
                            u64::from(m[0] & 0x7F) << 15
                                | u64::from(m[1]) << 7
                                | u64::from(m[2]) >> 1
                        }),
                        _ => None,
                    };
                    if let Some(r) = rate.filter(|&r| r > 0) {
                        self.mux_rate = Some(r);
                    }
                }
                0xBD | 0xC0..=0xEF => {
                    let Some(len) = d
                        .get(at + 4..at + 6)
                        .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
                    else {
                        break;
                    };
                    let end = at + 6 + len;
                    // A payload past the window is counted as far as it goes; past the end
                    // of the file, it was cut.
                    if end > d.len() && base + end as u64 > file_len {
                        self.cut_at = Some(base + end as u64);
                    }
                    let Some((pts, dts, payload_at)) = d.get(at..).and_then(pes_times) else {
                        break;
                    };
                    let payload = d.get(at + payload_at..end.min(d.len())).unwrap_or(&[]);
                    let video = (0xE0..=0xEF).contains(&code);
                    let mut pictures = 0;
                    if video {
                        let mut q = 0;
                        while let Some(s) = find_start(payload, q) {
                            match payload.get(s + 3) {
                                Some(0x00) => pictures += 1,
                                Some(0xB3) => {
                                    if let Some(b) = payload.get(s + 4..s + 7) {
                                        let w = u32::from(b[0]) << 4 | u32::from(b[1]) >> 4;
                                        let h = u32::from(b[1] & 0x0F) << 8 | u32::from(b[2]);
                                        if w > 0 && h > 0 {
                                            self.size.get_or_insert((w, h));
                                        }
                                    }
                                    if let Some(t) =
                                        payload.get(s + 7).and_then(|b| frame_ticks(b & 0x0F))
                                    {
                                        self.frame_ticks = Some(t);
                                    }
                                }
                                _ => {}
                            }
                            q = s + 4;
                        }
                    }
                    let st = self.streams.entry(code).or_default();
                    if let Some(p) = pts {
                        st.pts.push(p);
                        let d = dts.unwrap_or(p);
                        st.anchor = Some((d, rel(p, d)));
                        st.pictures_since = pictures;
                    } else {
                        st.pictures_since += pictures;
                    }
                    pos = end.max(at + 4);
                }
                0xB9 => {}
                0xBB | 0xBC | 0xBE | 0xBF | 0xF0..=0xFF => {
                    // System header, stream map, padding, private 2, others: skip by length.
                    if let Some(b) = d.get(at + 4..at + 6) {
                        pos = at + 6 + usize::from(u16::from_be_bytes([b[0], b[1]]));
                    }
                }
                _ => {}
            }
        }
    }
}

fn find_start(d: &[u8], from: usize) -> Option<usize> {
    let rest = d.get(from..)?;
    rest.windows(3)
        .position(|w| w == [0, 0, 1])
        .map(|i| from + i)
}

const WRAP: u64 = 1 << 33;

/// `v` relative to `reference`, unwrapped (33-bit clock).
fn rel(v: u64, reference: u64) -> i64 {
    let d = v.wrapping_sub(reference) % WRAP;
    if d >= WRAP / 2 {
        d as i64 - WRAP as i64
    } else {
        d as i64
    }
}

/// Reads the first and last `window` bytes of a program stream.
pub(crate) fn probe<R: Read + Seek>(reader: R, window: u64) -> Result<Probe, Problem> {
    let mut r = CountingReader::new(reader);
    let file_len = media::stream_len(&mut r)?;
    let mut facts = Facts::default();
    let mut warnings = Vec::new();
    let head = read_at(&mut r, 0, window.min(file_len)).map_err(io_problem)?;
    if !(head.starts_with(&[0, 0, 1, 0xBA])
        || head.starts_with(&[0, 0, 1, 0xB3])
        || head.starts_with(&[0, 0, 1, 0xBB]))
    {
        return Err(corrupt("不是有效的 MPEG 节目流文件：缺少包头"));
    }
    let mut first = Scan::default();
    first.window(&head, 0, file_len);
    let mut last = Scan::default();
    if (head.len() as u64) < file_len {
        let from = file_len.saturating_sub(window).max(head.len() as u64);
        let tail = read_at(&mut r, from, file_len - from).map_err(io_problem)?;
        last.window(&tail, from, file_len);
        last.frame_ticks = last.frame_ticks.or(first.frame_ticks);
        last.mux_rate = last.mux_rate.or(first.mux_rate);
    } else {
        last = std::mem::take(&mut first);
        first.streams = last.streams.clone();
    }
    if let Some((w, h)) = first.size.or(last.size) {
        facts.width = Some(w);
        facts.height = Some(h);
    }
    let reference = first
        .streams
        .values()
        .flat_map(|s| s.pts.first().copied())
        .next();

    let measured = reference.and_then(|reference| {
        let start = first
            .streams
            .values()
            .flat_map(|s| s.pts.iter().take(32))
            .map(|&p| rel(p, reference))
            .min()?;
        let mut end = i64::MIN;
        let mut how = String::new();
        for (sid, s) in &last.streams {
            let video = (0xE0..=0xEF).contains(sid);
            let e = match (video, last.frame_ticks, s.anchor) {
                (true, Some(fd), Some((dts, reorder))) if s.pictures_since > 0 => {
                    rel(dts, reference) + (s.pictures_since - 1) * fd + reorder + fd
                }
                _ => {
                    let mut v: Vec<i64> = s.pts.iter().map(|&p| rel(p, reference)).collect();
                    v.sort_unstable();
                    let step = v
                        .windows(2)
                        .map(|w| w[1] - w[0])
                        .filter(|&x| x > 0)
                        .min()
                        .unwrap_or(0);
                    match v.last() {
                        Some(l) => l + step,
                        None => continue,
                    }
                }
            };
            if e > end {
                end = e;
                how = format!("stream 0x{sid:02X}");
            }
        }
        (end > start).then(|| {
            Source::new(
                (end - start) as f64 / 90_000.0,
                DurationMethod::Timestamps,
                format!("PTS first–last ({how}, pictures after the last timestamp counted)"),
            )
        })
    });
    if let Some(at) = last.cut_at {
        return Err(truncated(format!(
            "录像文件不完整：最后一个数据包应延续到第 {at} 字节，但文件只有 {file_len} 字节（文件被截断）{}",
            measured
                .as_ref()
                .map(|m| format!("，截断前的内容约 {}", crate::units::duration(m.seconds)))
                .unwrap_or_default()
        )));
    }
    let estimate = last.mux_rate.map(|rate| {
        Source::new(
            file_len as f64 / (rate as f64 * 50.0),
            DurationMethod::Estimated,
            format!("file size / mux rate {} bytes/s", rate * 50),
        )
    });
    let decided = match measured {
        Some(m) => media::decide(None, Some(m)),
        None => media::decide(None, estimate),
    };
    media::set_duration(&mut facts, &mut warnings, decided);
    Ok(Probe {
        facts,
        warnings,
        bytes_read: r.bytes_read(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts5(marker: u8, v: u64) -> [u8; 5] {
        [
            marker << 4 | ((v >> 29) as u8 & 0x0E) | 1,
            (v >> 22) as u8,
            ((v >> 14) as u8 & 0xFE) | 1,
            (v >> 7) as u8,
            ((v << 1) as u8) | 1,
        ]
    }

    /// An MPEG-2 PES of video stream 0xE0 with a PTS and `pictures` picture start codes.
    fn pes(pts: Option<u64>, pictures: usize) -> Vec<u8> {
        let mut payload = Vec::new();
        for _ in 0..pictures {
            payload.extend([0, 0, 1, 0, 0x11, 0x22]);
        }
        let (flags, hdr): (u8, Vec<u8>) = match pts {
            Some(p) => (0x80, ts5(2, p).to_vec()),
            None => (0, vec![]),
        };
        let mut v = vec![0, 0, 1, 0xE0];
        let len = 3 + hdr.len() + payload.len();
        v.extend((len as u16).to_be_bytes());
        v.extend([0x80, flags, hdr.len() as u8]);
        v.extend(hdr);
        v.extend(payload);
        v
    }

    fn pack() -> Vec<u8> {
        // MPEG-2 pack header, mux rate 100 (5000 bytes/s), no stuffing.
        vec![0, 0, 1, 0xBA, 0x44, 0, 4, 0, 4, 1, 0, 1, 0x93, 0xF8]
    }

    fn seq() -> Vec<u8> {
        // Sequence header: 32x32, aspect 1, frame rate code 3 (25 fps).
        let mut v = vec![0, 0, 1, 0xE0, 0, 11, 0x80, 0, 0];
        v.extend([0, 0, 1, 0xB3, 0x02, 0x00, 0x20, 0x13]);
        v
    }

    #[test]
    fn timestamps_and_picture_counting() {
        // 0:00 to 3:00 at 25 fps: timestamped PES every 100 pictures.
        let mut file = pack();
        file.extend(seq());
        let mut t = 0u64;
        for _ in 0..45 {
            file.extend(pack());
            file.extend(pes(Some(t), 50));
            file.extend(pes(None, 50));
            t += 100 * 3600;
        }
        file.extend([0, 0, 1, 0xB9]);
        let p = probe(std::io::Cursor::new(file.clone()), 1 << 20).unwrap();
        let d = p.facts.duration.unwrap();
        assert!((d.seconds - 180.0).abs() < 1e-9, "{d:?}");
        assert_eq!(d.method, DurationMethod::Timestamps);
        // Small windows: the middle is never read.
        let p = probe(std::io::Cursor::new(file.clone()), 2000).unwrap();
        assert!((p.facts.duration.unwrap().seconds - 180.0).abs() < 1e-9);
        assert!(p.bytes_read <= 4000);
        // Cut inside the last PES.
        let cut = file.len() - 200;
        let e = probe(std::io::Cursor::new(file[..cut].to_vec()), 1 << 20).unwrap_err();
        assert_eq!(e.code, "unreadable.truncated");
        // No timestamps at all: estimated from the mux rate.
        let mut bare = pack();
        bare.extend(pes(None, 10));
        bare.resize(50_000, 0);
        let d = probe(std::io::Cursor::new(bare), 1 << 20)
            .unwrap()
            .facts
            .duration
            .unwrap();
        assert_eq!(d.method, DurationMethod::Estimated);
        assert!((d.seconds - 10.0).abs() < 1e-9, "{d:?}");
        for n in 0..file.len().min(3000) {
            let _ = probe(std::io::Cursor::new(file[..n].to_vec()), 1 << 20);
        }
    }

    /// `seconds` of 25 fps video, one timestamped PES of 25 pictures per second.
    fn stream(seconds: u64) -> Vec<u8> {
        let mut file = pack();
        file.extend(seq());
        for s in 0..seconds {
            file.extend(pack());
            file.extend(pes(Some(s * 90_000), 25));
        }
        file.extend([0, 0, 1, 0xB9]);
        file
    }

    #[test]
    fn long_thresholds_built_at_run_time() {
        for want in [179u64, 180, 181, 2699, 2700, 2701] {
            let p = probe(std::io::Cursor::new(stream(want)), WINDOW).unwrap();
            let d = p.facts.duration.unwrap();
            assert!((d.seconds - want as f64).abs() < 1e-9, "{want}: {d:?}");
        }
    }

    /// A 4 GiB sparse program stream: real packs at both ends, a hole in the middle that is
    /// never read.
    #[test]
    fn sparse_4gib_reads_only_the_ends() {
        use std::io::{Seek, SeekFrom, Write};
        let head = stream(10);
        let mut tail = Vec::new();
        for s in 2690..2700u64 {
            tail.extend(pack());
            tail.extend(pes(Some(s * 90_000), 25));
        }
        let len: u64 = (4 << 30) + tail.len() as u64;
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(&head[..head.len() - 4]).unwrap();
        f.set_len(len).unwrap();
        f.seek(SeekFrom::Start(len - tail.len() as u64)).unwrap();
        f.write_all(&tail).unwrap();
        f.seek(SeekFrom::Start(0)).unwrap();
        let p = probe(f, WINDOW).unwrap();
        let d = p.facts.duration.unwrap();
        assert!((d.seconds - 2700.0).abs() < 1e-9, "{d:?}");
        assert!(p.bytes_read <= 2 * WINDOW);
        assert!((p.bytes_read as f64) < len as f64 * 0.01);
    }

    #[test]
    fn wraparound() {
        // Starts 10 s before the 33-bit wrap, ends 170 s after it.
        let mut file = pack();
        file.extend(seq());
        let mut t = WRAP - 10 * 90_000;
        for _ in 0..180 {
            file.extend(pes(Some(t % WRAP), 25));
            t += 90_000;
        }
        let d = probe(std::io::Cursor::new(file), 1 << 20)
            .unwrap()
            .facts
            .duration
            .unwrap();
        assert!((d.seconds - 180.0).abs() < 1e-9, "{d:?}");
    }
}
