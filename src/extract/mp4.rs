//! MP4/MOV (ISO-BMFF, QuickTime): duration, picture size and text tags.
//!
//! The guide's video requirements are durations (主旨报告 recordings ≥ 45 分钟, 宣传视频 ≥ 3 分钟)
//! and the label, so this reads the *index* only: the top-level box headers and the `moov` box
//! (plus each small `moof` of a fragmented file), seeking past `mdat` — the media data, which is
//! nearly the whole file — without reading it. A multi-GB recording costs a few KB to read, and
//! the reader counts the bytes so a test can prove it ([`probe`] reports `bytes_read`).
//!
//! Hand-written rather than a crate, because:
//! - the crates that parse MP4 (`mp4`, `mp4parse`, `nom-exif`) report 0 for fragmented files
//!   (mvhd duration 0, the real duration is in the fragments) and read or buffer more than the
//!   index; `re_mp4` handles fragments but parses the whole file into memory;
//! - none reads QuickTime `udta/©cmt` strings (where MOV files keep their comments);
//! - we need the cross-checks that decide whether to trust a duration: header (`mvhd`/`mehd`)
//!   against index (per-track `stts` sums or `moof/trun` sums over the `mdhd` timescale), and
//!   whether the media data is there at all (a `moov` that claims ten minutes with no `mdat` is a
//!   truncated file, not a ten-minute video).
//!
//! Trade-off: only the fields that decide duration, size and tags are read. Edit lists
//! (`edts/elst`) are applied to the index duration, so a file trimmed by an editor (media of
//! ten minutes, an edit that plays two) or delayed by an empty edit compares like with like
//! against `mvhd`. 64-bit box sizes (`largesize`, `co64`, version-1 `mvhd`/`mdhd`/`tkhd`/
//! `elst`) are read wherever the format allows them.

use super::bmff as boxes;
mod moov;
mod tags;

use std::io::{Read, Seek, SeekFrom};

pub(crate) use boxes::CountingReader;

use crate::extract::Extractor;
use crate::extract::media::{self, Source};
use crate::facts::{Duration, DurationMethod, Facts, Format, Problem};
use crate::input::{Input, Limits, Origin, SharedBytes, io_problem};
use boxes::{Header, TopBox, kind_str, read_box, read_header};
use moov::Movie;

pub(crate) struct Mp4Extractor;

impl Extractor for Mp4Extractor {
    fn name(&self) -> &'static str {
        "mp4"
    }
    fn formats(&self) -> &'static [Format] {
        &[Format::Mp4]
    }
    fn extract(
        &self,
        input: &Input,
        limits: &Limits,
        warnings: &mut Vec<Problem>,
    ) -> Result<Facts, Problem> {
        // Unbuffered on disk: the reads are few (box headers, moov, moofs) and a BufReader
        // would read 8 KiB of mdat after every seek.
        let probe = match &input.origin {
            Origin::Disk(path) => probe(
                std::fs::File::open(path).map_err(io_problem)?,
                max_index_bytes(limits),
            ),
            Origin::Memory(bytes) => probe(
                std::io::Cursor::new(SharedBytes(bytes.clone())),
                max_index_bytes(limits),
            ),
            // An archive entry: a window onto a stored entry (seekable, read by position) or
            // an inflater (forward reads; the walk seeks past mdat, so one pass suffices).
            Origin::Entry(source) => {
                probe(source.open().map_err(io_problem)?, max_index_bytes(limits))
            }
        }?;
        warnings.extend(probe.warnings);
        Ok(probe.facts)
    }
}

/// Largest `moov` (or single `moof`) read into memory. A two-hour recording's index is a few
/// MB; 64 MiB leaves room for long multi-track files.
const MAX_INDEX_BYTES: u64 = 64 << 20;
/// Top-level boxes looked at before giving up (a fragmented two-hour file has ~15,000).
const MAX_TOP_BOXES: usize = 1_000_000;

/// Top-level box types that real MP4/MOV/3GP files carry.
const KNOWN_TOP_BOXES: &[&[u8; 4]] = &[
    b"ftyp", b"moov", b"mdat", b"moof", b"mfra", b"free", b"skip", b"wide", b"uuid", b"styp",
    b"sidx", b"pdin", b"meta", b"udta", b"junk", b"pnot", b"PICT", b"prfl", b"emsg", b"prft",
];

fn max_index_bytes(limits: &Limits) -> u64 {
    MAX_INDEX_BYTES.min(limits.max_xml_bytes)
}

/// The result of reading one MP4/MOV.
#[derive(Debug)]
pub struct Probe {
    pub facts: Facts,
    pub warnings: Vec<Problem>,
    /// Bytes read from the file (box headers, moov, moofs).
    pub bytes_read: u64,
}

/// What the top-level walk found.
#[derive(Default)]
struct Walk {
    movie: Option<Movie>,
    moov_raw_tags: Vec<(String, String)>,
    mdat_count: usize,
    moof_count: usize,
    trun_count: usize,
    top_boxes: usize,
    /// Top-level boxes of a type real files have (to tell "cut short" from "not an MP4").
    known_boxes: usize,
}

/// A truncation problem; the message says what is missing, then what to do.
fn truncated(message: impl Into<String>) -> Problem {
    Problem::new(
        crate::codes::UNREADABLE_TRUNCATED,
        format!("{}。请提供完整的原始录像文件", message.into()),
    )
}

/// Reads an MP4/MOV's index from `reader` (anything seekable): duration, size, tags.
pub fn probe<R: Read + Seek>(reader: R, max_index: u64) -> Result<Probe, Problem> {
    let mut r = CountingReader::new(reader);
    let mut warnings = Vec::new();
    let walk = walk(&mut r, max_index, &mut warnings)?;
    let mut facts = Facts::default();
    let Some(movie) = walk.movie else {
        return Err(if walk.mdat_count > 0 {
            truncated("录像文件不完整：缺少 moov，无法读取时长")
        } else {
            Problem::new(
                crate::codes::UNREADABLE_CORRUPT,
                "不是有效的 MP4/MOV 文件：未找到 moov 索引，无法读取时长",
            )
        });
    };
    if walk.mdat_count == 0 {
        return Err(truncated(
            "录像文件不完整：缺少媒体数据（mdat），无法确认时长",
        ));
    }
    let file_len = r.seek(SeekFrom::End(0)).map_err(io_problem)?;
    if let Some(t) = movie
        .tracks
        .iter()
        .find(|t| t.max_chunk_offset.is_some_and(|o| o >= file_len))
    {
        return Err(truncated(format!(
            "录像文件不完整：第 {} 轨的媒体数据位于 {} 字节处，文件只有 {} 字节",
            t.id,
            t.max_chunk_offset.unwrap_or(0),
            file_len
        )));
    }

    match choose_duration(&movie, walk.moof_count, walk.trun_count) {
        Ok((duration, warning)) => {
            facts.duration = Some(duration);
            warnings.extend(warning);
        }
        Err(w) => warnings.push(w),
    }
    if let Some(v) = movie.tracks.iter().find(|t| t.is_video()) {
        let (w, h) = if v.entry_width > 0 && v.entry_height > 0 {
            (v.entry_width, v.entry_height)
        } else {
            (v.tkhd_width, v.tkhd_height)
        };
        if w > 0 && h > 0 {
            facts.width = Some(w);
            facts.height = Some(h);
        }
    }
    // 2082844800: seconds from 1904-01-01 to 1970-01-01.
    if movie.created > 2_082_844_800 {
        facts.created = i64::try_from(movie.created - 2_082_844_800)
            .ok()
            .and_then(crate::facts::unix_date);
    }
    for (name, value) in &walk.moov_raw_tags {
        if name == "title" && facts.title.is_none() {
            facts.title = Some(value.chars().take(200).collect());
        }
        facts.add_meta(name, value);
    }
    Ok(Probe {
        facts,
        warnings,
        bytes_read: r.bytes_read(),
    })
}

/// Walks the top-level boxes: reads `moov` and each `moof`, seeks past everything else.
fn walk<R: Read + Seek>(
    r: &mut CountingReader<R>,
    max_index: u64,
    warnings: &mut Vec<Problem>,
) -> Result<Walk, Problem> {
    let file_len = r.seek(SeekFrom::End(0)).map_err(io_problem)?;
    let mut w = Walk::default();
    // moofs seen before the moov (not allowed, but cheap to tolerate).
    // Held in memory until the moov arrives, within the same budget as one moov.
    let mut early_moofs: Vec<Vec<u8>> = Vec::new();
    let mut early_bytes = 0u64;
    let mut pos = 0u64;
    while pos < file_len {
        if w.top_boxes >= MAX_TOP_BOXES {
            warnings.push(Problem::new(
                crate::codes::MP4_TOO_MANY_BOXES,
                format!("录像文件的顶层结构过多（超过 {MAX_TOP_BOXES} 个），其余部分未读取"),
            ));
            break;
        }
        let b = match read_header(r, pos, file_len).map_err(io_problem)? {
            Header::Box(b) => b,
            Header::TrailingBytes(n) => {
                warnings.push(trailing_warning(pos, n));
                break;
            }
            Header::Garbage => {
                if w.movie.is_some() && w.mdat_count > 0 {
                    warnings.push(trailing_warning(pos, file_len - pos));
                    break;
                }
                return Err(if w.known_boxes > 0 {
                    truncated(format!(
                        "录像文件不完整或已损坏：第 {pos} 字节处不是有效的 MP4 结构，缺少{}",
                        if w.movie.is_some() {
                            "媒体数据（mdat）"
                        } else {
                            " moov 索引"
                        }
                    ))
                } else {
                    Problem::new(
                        crate::codes::UNREADABLE_CORRUPT,
                        format!("不是有效的 MP4/MOV 文件：第 {pos} 字节处结构无效"),
                    )
                });
            }
        };
        w.top_boxes += 1;
        if KNOWN_TOP_BOXES.contains(&&b.kind) {
            w.known_boxes += 1;
        }
        let end = b.end().unwrap_or(u64::MAX);
        let past_eof = end > file_len;
        match &b.kind {
            b"mdat" => {
                if past_eof {
                    return Err(truncated(format!(
                        "录像文件不完整：媒体数据（mdat）应延续到第 {end} 字节，但文件只有 {file_len} 字节（文件被截断）"
                    )));
                }
                w.mdat_count += 1;
            }
            b"moov" => {
                if past_eof {
                    return Err(truncated(format!(
                        "录像文件不完整：moov 索引应延续到第 {end} 字节，但文件只有 {file_len} 字节（文件被截断）"
                    )));
                }
                let payload = read_payload(r, &b, max_index)?;
                let mut movie = moov::parse_moov(&payload);
                w.moov_raw_tags = tags::read_tags(&payload);
                for moof in early_moofs.drain(..) {
                    w.trun_count += moov::add_moof(&mut movie, &moof);
                }
                if w.movie.is_some() {
                    warnings.push(Problem::new(
                        crate::codes::MP4_MULTIPLE_MOOV,
                        "录像文件含有多个 moov 索引，只使用了第一个",
                    ));
                } else {
                    w.movie = Some(movie);
                }
            }
            b"moof" => {
                if past_eof {
                    return Err(truncated(
                        "录像文件不完整：最后一个片段（moof）被截断".to_string(),
                    ));
                }
                let payload = read_payload(r, &b, max_index)?;
                w.moof_count += 1;
                match w.movie.as_mut() {
                    Some(movie) => w.trun_count += moov::add_moof(movie, &payload),
                    None if early_bytes.saturating_add(b.size) <= max_index => {
                        early_bytes += b.size;
                        early_moofs.push(payload);
                    }
                    None => {}
                }
            }
            _ => {
                if past_eof {
                    // A box cut short at the end: harmless if everything needed was seen.
                    if w.movie.is_some() && w.mdat_count > 0 {
                        warnings.push(trailing_warning(pos, file_len - pos));
                        break;
                    }
                    if w.known_boxes == 0 {
                        return Err(Problem::new(
                            crate::codes::UNREADABLE_CORRUPT,
                            "不是有效的 MP4/MOV 文件：开头没有可识别的结构",
                        ));
                    }
                    return Err(truncated(format!(
                        "录像文件不完整：{} 结构声明 {} 字节，但文件在 {} 字节处结束",
                        kind_str(&b.kind),
                        b.size,
                        file_len
                    )));
                }
            }
        }
        pos = end;
    }
    Ok(w)
}

fn trailing_warning(pos: u64, n: u64) -> Problem {
    Problem::new(
        crate::codes::MP4_TRAILING_DATA,
        format!("录像文件末尾有 {n} 字节无法识别的数据（自第 {pos} 字节起），已忽略"),
    )
}

fn read_payload<R: Read + Seek>(
    r: &mut CountingReader<R>,
    b: &TopBox,
    max_index: u64,
) -> Result<Vec<u8>, Problem> {
    if b.size > max_index {
        return Err(Problem::new(
            crate::codes::LIMIT_MP4_INDEX,
            format!(
                "录像索引（{}）过大：{} 字节，上限 {} 字节，未读取",
                kind_str(&b.kind),
                b.size,
                max_index
            ),
        ));
    }
    let mut whole = read_box(r, b, b.size).map_err(io_problem)?;
    let header = usize::try_from(b.header_len).unwrap_or(8);
    Ok(whole.split_off(header.min(whole.len())))
}

/// Header durations: mvhd, else mvex/mehd. In a fragmented file (moofs present) the mvhd
/// covers only the samples in the moov itself ("initial movie", ISO 14496-12 §8.2.2), so
/// only mehd speaks for the whole.
fn header_duration(m: &Movie, moofs: usize) -> Option<(f64, &'static str)> {
    if m.timescale == 0 {
        return None;
    }
    let ts = f64::from(m.timescale);
    if m.duration > 0 && moofs == 0 {
        Some((m.duration as f64 / ts, "mvhd"))
    } else if m.fragment_duration > 0 {
        Some((m.fragment_duration as f64 / ts, "mvex/mehd"))
    } else {
        None
    }
}

/// Index duration: the longest video track (else audio, else any other — see
/// [`moov::Track::duration_rank`]), from its sample durations (`stts` plus fragment `trun`s)
/// over its `mdhd` timescale with its edit list applied; for a track without samples, its
/// `mdhd` or `tkhd` duration. A fragmented track that starts late (`tfdt`) says so beside
/// the length: the length is what was recorded, the start where it sits on the timeline.
fn index_duration(m: &Movie, moofs: usize, truns: usize) -> Option<(f64, String)> {
    let mut best: Option<(u8, f64, String)> = None;
    for t in &m.tracks {
        let edits = if t.edits.is_empty() {
            String::new()
        } else {
            format!(" with {} edit(s)", t.edits.len())
        };
        let candidate = if let Some(secs) = moov::presented_seconds(t, m.timescale) {
            let how = if t.fragment_sum > 0 && t.stts_sum > 0 {
                format!(
                    "trak/stts + sum of {moofs} moof/trun ({truns} trun), track {}{edits}",
                    t.id
                )
            } else if t.fragment_sum > 0 {
                format!(
                    "sum of {moofs} moof/trun ({truns} trun), track {}{edits}",
                    t.id
                )
            } else {
                format!("trak/stts sum, track {}{edits}", t.id)
            };
            Some((secs, how))
        } else if t.mdhd_timescale > 0 && t.mdhd_duration > 0 {
            Some((
                t.mdhd_duration as f64 / f64::from(t.mdhd_timescale),
                format!("mdhd, track {}", t.id),
            ))
        } else if m.timescale > 0 && t.tkhd_duration > 0 {
            Some((
                t.tkhd_duration as f64 / f64::from(m.timescale),
                format!("tkhd, track {}", t.id),
            ))
        } else {
            None
        };
        let Some((secs, mut how)) = candidate else {
            continue;
        };
        how.push_str(&format!(" ({})", String::from_utf8_lossy(&t.handler)));
        if let Some(start) = t.first_decode_time.filter(|&d| d > 0)
            && t.mdhd_timescale > 0
        {
            let start = start as f64 / f64::from(t.mdhd_timescale);
            how.push_str(&format!(
                ", starts at {start:.3} s, ends at {:.3} s",
                start + secs
            ));
        }
        let rank = t.duration_rank();
        if best
            .as_ref()
            .is_none_or(|b| rank < b.0 || (rank == b.0 && secs > b.1))
        {
            best = Some((rank, secs, how));
        }
    }
    best.map(|(_, secs, how)| (secs, how))
}

/// Header (`mvhd`/`mehd`) against index (sample tables with edit lists applied), decided the
/// way every container is ([`media::decide`]): agreement within a second keeps the header
/// with high confidence; a disagreement takes the index (what the file's samples actually
/// hold) with a `duration.disagree` warning.
fn choose_duration(
    m: &Movie,
    moofs: usize,
    truns: usize,
) -> Result<(Duration, Option<Problem>), Problem> {
    let header =
        header_duration(m, moofs).map(|(secs, how)| Source::new(secs, DurationMethod::Header, how));
    let index = index_duration(m, moofs, truns)
        .map(|(secs, how)| Source::new(secs, DurationMethod::Index, how));
    media::decide(header, index).map_err(|_| {
        Problem::new(
            crate::codes::DURATION_MISSING,
            "录像文件的索引中没有时长信息，无法确认时长，请人工核对",
        )
    })
}

#[cfg(test)]
mod tests;
