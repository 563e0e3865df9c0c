//! ASF / WMV / WMA: duration, picture size, content description.
//!
//! The header duration is the File Properties Object's play duration minus its preroll,
//! which is what ffprobe and Windows show. The play duration *includes* the preroll (the
//! buffering time before the first presentation timestamp, not content): exiftool reports the
//! raw play duration, which is why it says 9.86 s for the corpus's `testWMV.wmv` where ffprobe
//! says 5.0 s — the file's preroll is 4.858 s, and 9.86 − 4.86 = 5.0 is the content. We give
//! ffprobe's 5.0 s for that reason.
//!
//! It is cross-checked against the timestamps: the presentation times of the payloads in the
//! last data packets (packets have one fixed size, so the last ones are found by arithmetic
//! from the Data Object's header), minus the preroll, plus one frame interval. Content
//! Description (title, author, copyright, description) and Extended Content Description
//! (`WM/…` attributes) go to the metadata.
//!
//! Hand-written: no crate reads ASF (DESIGN.md); the objects are GUID + size records.

use std::io::{Read, Seek};

use crate::extract::Extractor;
use crate::extract::media::{
    self, CountingReader, Probe, Source, corrupt, le_u16, le_u32, le_u64, read_at, truncated,
    utf16le,
};
use crate::facts::{DurationMethod, Facts, Format, Problem};
use crate::input::{Input, Limits, io_problem};

pub struct AsfExtractor;

impl Extractor for AsfExtractor {
    fn name(&self) -> &'static str {
        "asf"
    }
    fn formats(&self) -> &'static [Format] {
        &[Format::Asf]
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

type Guid = [u8; 16];
const HEADER: Guid = guid("75B22630-668E-11CF-A6D9-00AA0062CE6C");
const FILE_PROPERTIES: Guid = guid("8CABDCA1-A947-11CF-8EE4-00C00C205365");
const STREAM_PROPERTIES: Guid = guid("B7DC0791-A9B7-11CF-8EE6-00C00C205365");
const CONTENT_DESCRIPTION: Guid = guid("75B22633-668E-11CF-A6D9-00AA0062CE6C");
const EXTENDED_CONTENT: Guid = guid("D2D0A440-E307-11D2-97F0-00A0C95EA850");
const DATA: Guid = guid("75B22636-668E-11CF-A6D9-00AA0062CE6C");
const VIDEO_MEDIA: Guid = guid("BC19EFC0-5B4D-11CF-A8FD-00805F5C442B");

/// A GUID as stored: the first three groups little-endian, the rest as written.
const fn guid(s: &str) -> Guid {
    const fn hex(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => c - b'A' + 10,
        }
    }
    let b = s.as_bytes();
    let mut digits = [0u8; 32];
    let (mut i, mut n) = (0, 0);
    while i < b.len() {
        if b[i] != b'-' {
            digits[n] = hex(b[i]);
            n += 1;
        }
        i += 1;
    }
    let mut raw = [0u8; 16];
    let mut k = 0;
    while k < 16 {
        raw[k] = digits[2 * k] << 4 | digits[2 * k + 1];
        k += 1;
    }
    [
        raw[3], raw[2], raw[1], raw[0], raw[5], raw[4], raw[7], raw[6], raw[8], raw[9], raw[10],
        raw[11], raw[12], raw[13], raw[14], raw[15],
    ]
}

/// Packets looked at from the end for timestamps.
const TAIL_PACKETS: u64 = 8;

#[derive(Debug, Default)]
struct FileProps {
    file_size: u64,
    packets: u64,
    play_100ns: u64,
    preroll_ms: u64,
    broadcast: bool,
    packet_size: u32,
}

/// Reads an ASF file's header objects and its last data packets.
pub fn probe<R: Read + Seek>(reader: R, max_index: u64) -> Result<Probe, Problem> {
    let mut r = CountingReader::new(reader);
    let file_len = media::stream_len(&mut r)?;
    let mut facts = Facts::default();
    let mut warnings = Vec::new();
    let head = read_at(&mut r, 0, 30).map_err(io_problem)?;
    if head.get(0..16) != Some(&HEADER[..]) {
        return Err(corrupt("不是有效的 ASF/WMV 文件：缺少文件头对象"));
    }
    let header_size = le_u64(&head, 16).unwrap_or(0);
    if header_size > max_index {
        return Err(Problem::new(
            crate::codes::LIMIT_ASF_HEADER,
            format!("录像文件头过大（{header_size} 字节，上限 {max_index} 字节），未读取"),
        ));
    }
    if header_size > file_len || header_size < 30 {
        return Err(truncated(format!(
            "录像文件不完整：文件头应有 {header_size} 字节，但文件只有 {file_len} 字节（文件被截断）"
        )));
    }
    let header = read_at(&mut r, 30, header_size - 30).map_err(io_problem)?;
    let mut props: Option<FileProps> = None;
    let mut pos = 0usize;
    while let (Some(id), Some(size)) = (header.get(pos..pos + 16), le_u64(&header, pos + 16)) {
        let Some(body) = usize::try_from(size)
            .ok()
            .filter(|&s| s >= 24)
            .and_then(|s| header.get(pos + 24..pos.checked_add(s)?))
        else {
            break;
        };
        match id {
            x if x == FILE_PROPERTIES => props = Some(file_props(body)),
            x if x == STREAM_PROPERTIES => {
                if body.get(0..16) == Some(&VIDEO_MEDIA[..])
                    && facts.width.is_none()
                    && let (Some(w), Some(h)) = (le_u32(body, 54), le_u32(body, 58))
                    && w > 0
                    && h > 0
                {
                    facts.width = Some(w);
                    facts.height = Some(h);
                }
            }
            x if x == CONTENT_DESCRIPTION => content_description(body, &mut facts),
            x if x == EXTENDED_CONTENT => extended_content(body, &mut facts),
            _ => {}
        }
        pos += body.len() + 24;
    }
    let props = props.ok_or_else(|| corrupt("ASF/WMV 文件损坏：缺少文件属性对象"))?;

    // The Data Object follows the header.
    let data_head = read_at(&mut r, header_size, 50).map_err(io_problem)?;
    if data_head.get(0..16) != Some(&DATA[..]) {
        return Err(if data_head.len() < 50 {
            truncated("录像文件不完整：缺少媒体数据（Data 对象），无法确认时长")
        } else {
            corrupt("ASF/WMV 文件损坏：文件头后不是 Data 对象")
        });
    }
    let data_size = le_u64(&data_head, 16).unwrap_or(0);
    let packets = le_u64(&data_head, 40)
        .filter(|&n| n > 0)
        .unwrap_or(props.packets);
    let packets_at = header_size + 50;
    let packet_size = u64::from(props.packet_size);
    let data_end = if data_size >= 50 {
        header_size.saturating_add(data_size)
    } else {
        packets_at.saturating_add(packets.saturating_mul(packet_size))
    };
    if data_end > file_len || (props.file_size > file_len && !props.broadcast) {
        return Err(truncated(format!(
            "录像文件不完整：媒体数据应延续到第 {} 字节，但文件只有 {file_len} 字节（文件被截断）",
            data_end.max(props.file_size)
        )));
    }

    let header_src = (!props.broadcast && props.play_100ns > 0).then(|| {
        let play = props.play_100ns as f64 / 1e7;
        let preroll = props.preroll_ms as f64 / 1000.0;
        Source::new(
            play - preroll,
            DurationMethod::Header,
            format!("File Properties play duration {play:.3} s − preroll {preroll:.3} s"),
        )
    });
    // No more packets than the data object can hold (a hostile count would overflow).
    let packets = match data_end.saturating_sub(packets_at).checked_div(packet_size) {
        Some(fit) => packets.min(fit),
        None => 0,
    };
    let measured = if packet_size > 0 && packets > 0 {
        last_times(&mut r, packets_at, packet_size, packets)?.map(|(pts, step)| {
            let preroll = props.preroll_ms.min(u64::from(pts));
            Source::new(
                (pts as f64 - preroll as f64 + step as f64) / 1000.0,
                DurationMethod::Timestamps,
                format!(
                    "last payload presentation time {pts} ms − preroll + frame interval {step} ms"
                ),
            )
        })
    } else {
        None
    };
    media::set_duration(
        &mut facts,
        &mut warnings,
        media::decide(header_src, measured),
    );
    Ok(Probe {
        facts,
        warnings,
        bytes_read: r.bytes_read(),
    })
}

fn file_props(b: &[u8]) -> FileProps {
    FileProps {
        file_size: le_u64(b, 16).unwrap_or(0),
        packets: le_u64(b, 32).unwrap_or(0),
        play_100ns: le_u64(b, 40).unwrap_or(0),
        preroll_ms: le_u64(b, 56).unwrap_or(0),
        broadcast: le_u32(b, 64).is_some_and(|f| f & 1 != 0),
        packet_size: match (le_u32(b, 68), le_u32(b, 72)) {
            (Some(a), Some(z)) if a == z => a,
            _ => 0,
        },
    }
}

fn content_description(b: &[u8], facts: &mut Facts) {
    let names = ["title", "author", "copyright", "description", "rating"];
    let mut pos = 10usize;
    for (i, name) in names.iter().enumerate() {
        let Some(len) = le_u16(b, i * 2).map(usize::from) else {
            return;
        };
        let Some(s) = b.get(pos..pos + len) else {
            return;
        };
        let value = utf16le(s);
        if *name == "title" && !value.trim().is_empty() {
            facts.title = Some(value.trim().chars().take(200).collect());
        }
        facts.add_meta(name, &value);
        pos += len;
    }
}

fn extended_content(b: &[u8], facts: &mut Facts) {
    let count = le_u16(b, 0).unwrap_or(0);
    let mut pos = 2usize;
    for _ in 0..count {
        let Some(nlen) = le_u16(b, pos).map(usize::from) else {
            return;
        };
        let Some(name) = b.get(pos + 2..pos + 2 + nlen).map(utf16le) else {
            return;
        };
        pos += 2 + nlen;
        let (Some(kind), Some(vlen)) = (le_u16(b, pos), le_u16(b, pos + 2).map(usize::from)) else {
            return;
        };
        let Some(value) = b.get(pos + 4..pos + 4 + vlen) else {
            return;
        };
        pos += 4 + vlen;
        if kind == 0 {
            // Unicode string attributes (WM/SubTitle, WM/Comments, WM/Publisher …): all
            // searched for the label.
            facts.add_meta(&name, &utf16le(value));
        }
    }
}

/// The latest payload presentation time (ms, preroll included) in the last packets, and the
/// frame interval of that stream (smallest step seen), or None if no packet parses.
fn last_times<R: Read + Seek>(
    r: &mut R,
    packets_at: u64,
    packet_size: u64,
    packets: u64,
) -> Result<Option<(u32, u32)>, Problem> {
    let first = packets.saturating_sub(TAIL_PACKETS);
    let start = packets_at + first * packet_size;
    let bytes = read_at(r, start, (packets - first) * packet_size).map_err(io_problem)?;
    let mut times: Vec<(u8, u32)> = Vec::new();
    for p in bytes.chunks(usize::try_from(packet_size).unwrap_or(usize::MAX)) {
        payload_times(p, &mut times);
    }
    let Some(&(stream, last)) = times.iter().max_by_key(|(_, t)| *t) else {
        return Ok(None);
    };
    let mut same: Vec<u32> = times
        .iter()
        .filter(|(s, _)| *s == stream)
        .map(|(_, t)| *t)
        .collect();
    same.sort_unstable();
    same.dedup();
    let step = same.windows(2).map(|w| w[1] - w[0]).min().unwrap_or(0);
    Ok(Some((last, step)))
}

/// Reads a variable-width field (0: absent, 1: byte, 2: word, 3: dword).
fn field(p: &[u8], pos: &mut usize, kind: u8) -> Option<u32> {
    let v = match kind & 3 {
        0 => return Some(0),
        1 => u32::from(*p.get(*pos)?),
        2 => u32::from(le_u16(p, *pos)?),
        _ => le_u32(p, *pos)?,
    };
    *pos += [0, 1, 2, 4][usize::from(kind & 3)];
    Some(v)
}

/// Collects (stream, presentation time) of each payload of one data packet.
fn payload_times(p: &[u8], out: &mut Vec<(u8, u32)>) -> Option<()> {
    let mut pos = 0usize;
    let first = *p.first()?;
    if first & 0x80 != 0 {
        pos += 1 + usize::from(first & 0x0F);
    }
    let flags = *p.get(pos)?;
    let props = *p.get(pos + 1)?;
    pos += 2;
    field(p, &mut pos, flags >> 5)?; // packet length
    field(p, &mut pos, flags >> 1)?; // sequence
    let padding = field(p, &mut pos, flags >> 3)? as usize;
    pos += 6; // send time, duration
    let end = p.len().saturating_sub(padding);
    let multiple = flags & 1 != 0;
    let (count, len_type) = if multiple {
        let f = *p.get(pos)?;
        pos += 1;
        (usize::from(f & 0x3F), f >> 6)
    } else {
        (1, 0)
    };
    for _ in 0..count {
        let stream = *p.get(pos)? & 0x7F;
        pos += 1;
        field(p, &mut pos, props >> 4)?; // media object number
        let offset = field(p, &mut pos, props >> 2)?;
        let rep_len = field(p, &mut pos, props)? as usize;
        if rep_len >= 8 {
            out.push((stream, le_u32(p, pos + 4)?));
        } else if rep_len == 1 {
            // Compressed payload: the offset field holds the presentation time.
            out.push((stream, offset));
        }
        pos += rep_len;
        let len = if multiple {
            field(p, &mut pos, len_type)? as usize
        } else {
            end.saturating_sub(pos)
        };
        pos = pos.checked_add(len)?;
        if pos > end {
            break;
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_stored_mixed_endian() {
        assert_eq!(
            HEADER,
            [
                0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11, 0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62,
                0xCE, 0x6C
            ]
        );
        assert_eq!(&FILE_PROPERTIES[..4], &[0xA1, 0xDC, 0xAB, 0x8C]);
    }

    #[test]
    fn packets_with_several_payloads() {
        // Error correction 82 00 00; flags 0x0B: multiple payloads, sequence byte, padding
        // byte; property flags 0x5D: replicated length byte, offset dword, object number
        // byte, stream number byte.
        let mut p = vec![0x82, 0, 0, 0x0B, 0x5D];
        p.extend([0u8, 0u8]); // sequence, padding
        p.extend([0, 0, 0, 0, 0, 0]); // send time, duration
        p.push(0x82); // 2 payloads, payload length type word
        for (stream, pts) in [(1u8, 4000u32), (1, 5000)] {
            p.push(0x80 | stream);
            p.push(0); // object number
            p.extend(0u32.to_le_bytes()); // offset
            p.push(8);
            p.extend(10u32.to_le_bytes());
            p.extend(pts.to_le_bytes());
            p.extend(3u16.to_le_bytes());
            p.extend([1, 2, 3]);
        }
        let mut out = Vec::new();
        payload_times(&p, &mut out);
        assert_eq!(out, vec![(1, 4000), (1, 5000)]);
        for n in 0..p.len() {
            payload_times(&p[..n], &mut Vec::new());
        }
    }
}
