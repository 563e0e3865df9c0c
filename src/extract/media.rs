//! What every video reader shares: how a duration is decided from what a container says and
//! what its data shows, how a cut file is reported, and bounded reads through a byte counter.
//!
//! A container usually states its duration in a header (mvhd, Segment Info, avih, onMetaData,
//! File Properties, PROP) *and* lets it be measured from an index or the stream's timestamps
//! (stts sums, idx1 entries, the last Cluster or FLV tag, first/last PTS). The header is what
//! players and ffprobe show; the measurement is what the file actually holds. [`decide`] takes
//! both: when they agree within a second the header wins with high confidence; when they
//! disagree the measurement wins (a header can promise media a cut or hand-edited file does
//! not hold, and a stale header is common in files written by live-stream tools), the
//! confidence drops to medium and a `duration.disagree` warning sends the reviewer to look.
//! One source alone is medium confidence; an estimate (bitrate × size) is low and can never
//! pass a requirement by itself (see `eval::duration`).
//!
//! Readers never read a whole video: they read headers, indexes and a bounded window at the
//! start and end of the file, through [`CountingReader`] so tests can prove how little.

use std::io::{Read, Seek, SeekFrom};

pub use super::bmff::CountingReader;
use crate::facts::{Confidence, Duration, DurationMethod, Facts, Problem};
use crate::input::{Input, Limits, Origin, ReadSeek, SharedBytes, io_problem};

/// What one video reader found, with the bytes it read (for the I/O tests).
#[derive(Debug)]
pub struct Probe {
    pub facts: Facts,
    pub warnings: Vec<Problem>,
    pub bytes_read: u64,
}

/// Runs `probe` on the input, opened for index-only reading, and hands back its facts.
pub fn extract_with(
    input: &Input,
    limits: &Limits,
    warnings: &mut Vec<Problem>,
    probe: fn(Box<dyn ReadSeek>, &Limits) -> Result<Probe, Problem>,
) -> Result<Facts, Problem> {
    let p = probe(open_raw(input)?, limits)?;
    warnings.extend(p.warnings);
    Ok(p.facts)
}

/// Stores the decided duration (or the reason there is none) in the facts.
pub fn set_duration(
    facts: &mut Facts,
    warnings: &mut Vec<Problem>,
    decided: Result<(Duration, Option<Problem>), Problem>,
) {
    match decided {
        Ok((d, w)) => {
            facts.duration = Some(d);
            warnings.extend(w);
        }
        Err(p) => warnings.push(p),
    }
}

/// Largest header/index block read into memory by a video reader (`moov`, Segment Info +
/// Tracks + Tags, ASF header, AVI hdrl + idx1 …).
pub fn max_index_bytes(limits: &Limits) -> u64 {
    (64u64 << 20).min(limits.max_xml_bytes)
}

/// One way of knowing a duration.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub seconds: f64,
    pub method: DurationMethod,
    /// How it was read ("Segment Info Duration × TimecodeScale", "last FLV tag" …).
    pub detail: String,
}

impl Source {
    pub fn new(seconds: f64, method: DurationMethod, detail: impl Into<String>) -> Self {
        Source {
            seconds,
            method,
            detail: detail.into(),
        }
    }
}

/// Header and measurement farther apart than this disagree.
pub const AGREE_S: f64 = 1.0;

/// Decides the duration from a header value and a measurement (index or timestamps).
/// Returns the duration and, when they disagree, a `duration.disagree` warning.
pub fn decide(
    header: Option<Source>,
    measured: Option<Source>,
) -> Result<(Duration, Option<Problem>), Problem> {
    let usable = |s: &Source| s.seconds.is_finite() && s.seconds > 0.0;
    let header = header.filter(usable);
    let measured = measured.filter(usable);
    match (header, measured) {
        (Some(h), Some(m)) if (h.seconds - m.seconds).abs() <= AGREE_S => Ok((
            Duration {
                seconds: h.seconds,
                method: DurationMethod::Header,
                confidence: if m.method == DurationMethod::Estimated {
                    Confidence::Medium
                } else {
                    Confidence::High
                },
                detail: format!(
                    "{} (agrees with {}: {:.3} s)",
                    h.detail, m.detail, m.seconds
                ),
            },
            None,
        )),
        (Some(h), Some(m)) if m.method == DurationMethod::Estimated => Ok((
            Duration {
                seconds: h.seconds,
                method: DurationMethod::Header,
                confidence: Confidence::Medium,
                detail: format!(
                    "{}; estimate {} says {:.3} s",
                    h.detail, m.detail, m.seconds
                ),
            },
            None,
        )),
        (Some(h), Some(m)) => {
            let warning = Problem::new(
                crate::codes::DURATION_DISAGREE,
                format!(
                    "录像时长不一致：文件头（{}）为 {}，实际数据（{}）为 {}；已采用实际数据的 {}，请人工核对",
                    h.detail,
                    crate::units::duration(h.seconds),
                    m.detail,
                    crate::units::duration(m.seconds),
                    crate::units::duration(m.seconds)
                ),
            );
            Ok((
                Duration {
                    seconds: m.seconds,
                    method: m.method,
                    confidence: Confidence::Medium,
                    detail: format!("{}; header {} says {:.3} s", m.detail, h.detail, h.seconds),
                },
                Some(warning),
            ))
        }
        (Some(h), None) => Ok((
            Duration {
                seconds: h.seconds,
                method: DurationMethod::Header,
                confidence: Confidence::Medium,
                detail: h.detail,
            },
            None,
        )),
        (None, Some(m)) => Ok((
            Duration {
                seconds: m.seconds,
                confidence: if m.method == DurationMethod::Estimated {
                    Confidence::Low
                } else {
                    Confidence::Medium
                },
                method: m.method,
                detail: m.detail,
            },
            None,
        )),
        (None, None) => Err(Problem::new(
            crate::codes::DURATION_MISSING,
            "录像文件中没有可用的时长信息，无法确认时长，请人工核对",
        )),
    }
}

/// A truncation problem: what is missing, then what to do.
pub fn truncated(message: impl Into<String>) -> Problem {
    Problem::new(
        crate::codes::UNREADABLE_TRUNCATED,
        format!("{}。请提供完整的原始录像文件", message.into()),
    )
}

/// A file that is not what its magic bytes promised.
pub fn corrupt(message: impl Into<String>) -> Problem {
    Problem::new(crate::codes::UNREADABLE_CORRUPT, message.into())
}

/// Opens the input for index-only reading: unbuffered on disk (a `BufReader` would read 8 KiB
/// of media data after every seek), shared bytes in memory.
pub fn open_raw(input: &Input) -> Result<Box<dyn ReadSeek>, Problem> {
    Ok(match &input.origin {
        Origin::Disk(path) => Box::new(std::fs::File::open(path).map_err(io_problem)?),
        Origin::Memory(bytes) => Box::new(std::io::Cursor::new(SharedBytes(bytes.clone()))),
        Origin::Entry(source) => source.open().map_err(io_problem)?,
    })
}

/// Reads up to `len` bytes at `offset` (fewer at the end of the file).
pub fn read_at<R: Read + Seek>(r: &mut R, offset: u64, len: u64) -> std::io::Result<Vec<u8>> {
    r.seek(SeekFrom::Start(offset))?;
    let mut buf = Vec::with_capacity(usize::try_from(len.min(1 << 20)).unwrap_or(0));
    r.by_ref().take(len).read_to_end(&mut buf)?;
    Ok(buf)
}

/// The length of the stream.
pub fn stream_len<R: Seek>(r: &mut R) -> Result<u64, Problem> {
    r.seek(SeekFrom::End(0)).map_err(io_problem)
}

pub fn le_u16(d: &[u8], off: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        d.get(off..off.checked_add(2)?)?.try_into().ok()?,
    ))
}

pub fn le_u32(d: &[u8], off: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        d.get(off..off.checked_add(4)?)?.try_into().ok()?,
    ))
}

pub fn le_u64(d: &[u8], off: usize) -> Option<u64> {
    Some(u64::from_le_bytes(
        d.get(off..off.checked_add(8)?)?.try_into().ok()?,
    ))
}

pub use super::bmff::{be_u16, be_u32, be_u64};

/// Text of unknown 8-bit encoding (AVI INFO, FLV strings written by Chinese tools): UTF-8,
/// else GBK when it looks like Chinese, else Windows-1252.
pub fn decode_8bit(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    super::text::charset::decode_8bit(bytes.get(..end).unwrap_or(bytes))
}

/// UTF-16LE text up to the first NUL.
pub fn utf16le(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .take_while(|&u| u != 0)
        .collect();
    String::from_utf16_lossy(&units)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(seconds: f64, method: DurationMethod) -> Option<Source> {
        Some(Source::new(seconds, method, "x"))
    }

    #[test]
    fn decisions() {
        use Confidence::*;
        use DurationMethod::*;
        // (header, measured, seconds, method, confidence, warning)
        type Case = (
            Option<Source>,
            Option<Source>,
            f64,
            DurationMethod,
            Confidence,
            bool,
        );
        let cases: Vec<Case> = vec![
            (
                s(2700.0, Header),
                s(2699.5, Timestamps),
                2700.0,
                Header,
                High,
                false,
            ),
            (s(2700.0, Header), s(60.0, Index), 60.0, Index, Medium, true),
            (
                s(60.0, Header),
                s(2700.0, Timestamps),
                2700.0,
                Timestamps,
                Medium,
                true,
            ),
            (s(2700.0, Header), None, 2700.0, Header, Medium, false),
            (None, s(181.0, Timestamps), 181.0, Timestamps, Medium, false),
            (None, s(181.0, Estimated), 181.0, Estimated, Low, false),
            (
                s(181.0, Header),
                s(150.0, Estimated),
                181.0,
                Header,
                Medium,
                false,
            ),
            // A zero or NaN header is no header.
            (s(0.0, Header), s(12.0, Index), 12.0, Index, Medium, false),
            (
                s(f64::NAN, Header),
                s(12.0, Index),
                12.0,
                Index,
                Medium,
                false,
            ),
        ];
        for (i, (h, m, secs, method, conf, warn)) in cases.into_iter().enumerate() {
            let (d, w) = decide(h, m).unwrap();
            assert_eq!(
                (d.seconds, d.method, d.confidence, w.is_some()),
                (secs, method, conf, warn),
                "case {i}"
            );
            if let Some(w) = w {
                assert_eq!(w.code, "duration.disagree");
            }
        }
        assert_eq!(decide(None, None).unwrap_err().code, "duration.missing");
    }
}
