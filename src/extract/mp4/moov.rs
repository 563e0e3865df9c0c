//! The movie index (`moov`) and movie fragments (`moof`): what each says about duration,
//! tracks and picture size.
//!
//! Only the few fields the checks need are read: `mvhd` (movie timescale and duration),
//! `mvex/mehd` (fragmented duration) and `mvex/trex` (per-track default sample duration), and
//! per track `tkhd` (duration, 16.16 width/height), `mdhd` (media timescale and duration),
//! `hdlr` (video or sound), `stsd` (sample-entry width/height), `stts` (sample durations) and
//! `stco`/`co64` (where the chunks are, to spot media cut off by truncation). Every read is
//! bounds-checked; a malformed field is treated as absent rather than trusted.

use std::collections::HashMap;

use super::boxes::{be_u16, be_u32, be_u64, child, children, path};

/// One track of the movie.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Track {
    pub id: u32,
    /// `vide`, `soun`, `hint`, `meta`, `text` …
    pub handler: [u8; 4],
    /// tkhd duration, in the movie timescale.
    pub tkhd_duration: u64,
    /// tkhd width/height (16.16 fixed point, integer part).
    pub tkhd_width: u32,
    pub tkhd_height: u32,
    /// Width/height of the first visual sample entry (what decoders and ffprobe report).
    pub entry_width: u32,
    pub entry_height: u32,
    pub mdhd_timescale: u32,
    pub mdhd_duration: u64,
    /// Sum of the sample durations in `stts` (media timescale).
    pub stts_sum: u64,
    pub sample_count: u64,
    /// Largest chunk offset in `stco`/`co64`.
    pub max_chunk_offset: Option<u64>,
    /// Sum of sample durations over all movie fragments (media timescale).
    pub fragment_sum: u64,
    /// Edit list (`edts/elst`): (segment duration in the movie timescale, media time in the
    /// media timescale, -1 for an empty edit).
    pub edits: Vec<(u64, i64)>,
    /// `tfdt` baseMediaDecodeTime of the track's first fragment (media timescale): where a
    /// fragmented track starts on the timeline (a stream cut from a live feed starts late).
    pub first_decode_time: Option<u64>,
}

impl Track {
    pub(super) fn is_video(&self) -> bool {
        &self.handler == b"vide"
    }

    /// Which tracks may give the file's duration, best first: video (0), then audio (1);
    /// text, caption, subtitle, timecode, hint and metadata tracks (2) only when there is
    /// nothing else — a caption track that runs on after the picture is not the recording.
    pub(super) fn duration_rank(&self) -> u8 {
        match &self.handler {
            b"vide" => 0,
            b"soun" => 1,
            _ => 2,
        }
    }
}

/// What `moov` says.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Movie {
    /// `mvhd` creation_time: seconds since 1904-01-01 UTC (0 when the writer left it unset).
    pub created: u64,
    pub timescale: u32,
    pub duration: u64,
    /// `mvex/mehd` fragment_duration (movie timescale); 0 when absent.
    pub fragment_duration: u64,
    /// `mvex/trex` default sample duration per track id.
    pub trex_default_duration: HashMap<u32, u32>,
    pub has_mvex: bool,
    pub tracks: Vec<Track>,
}

/// "All ones" is how writers say "unknown" in a duration field.
fn known(v: u64, v0: bool) -> u64 {
    if (v0 && v == u64::from(u32::MAX)) || v == u64::MAX {
        0
    } else {
        v
    }
}

/// Reads a version-dependent (32/64-bit) field pair layout: returns the value at `off0` for
/// version 0 (u32) or `off1` for version 1 (u64).
fn versioned(d: &[u8], off0: usize, off1: usize) -> Option<u64> {
    match d.first()? {
        1 => be_u64(d, off1).map(|v| known(v, false)),
        _ => be_u32(d, off0).map(|v| known(u64::from(v), true)),
    }
}

/// Parses a `moov` payload.
pub(super) fn parse_moov(moov: &[u8]) -> Movie {
    let mut m = Movie::default();
    if let Some(mvhd) = child(moov, b"mvhd") {
        // v0: vf(4) ctime(4) mtime(4) timescale(4) duration(4)
        // v1: vf(4) ctime(8) mtime(8) timescale(4) duration(8)
        let ts_off = if mvhd.first() == Some(&1) { 20 } else { 12 };
        m.timescale = be_u32(mvhd, ts_off).unwrap_or(0);
        m.created = versioned(mvhd, 4, 4).unwrap_or(0);
        m.duration = versioned(mvhd, 16, 24).unwrap_or(0);
    }
    if let Some(mvex) = child(moov, b"mvex") {
        m.has_mvex = true;
        for (kind, payload) in children(mvex) {
            match &kind {
                b"mehd" => m.fragment_duration = versioned(payload, 4, 4).unwrap_or(0),
                b"trex" => {
                    if let (Some(id), Some(dur)) = (be_u32(payload, 4), be_u32(payload, 12)) {
                        m.trex_default_duration.insert(id, dur);
                    }
                }
                _ => {}
            }
        }
    }
    m.tracks = children(moov)
        .filter(|(k, _)| k == b"trak")
        .map(|(_, t)| parse_trak(t))
        .collect();
    m
}

fn parse_trak(trak: &[u8]) -> Track {
    let mut t = Track::default();
    if let Some(tkhd) = child(trak, b"tkhd") {
        let v1 = tkhd.first() == Some(&1);
        // v0: vf4 ctime4 mtime4 id4 reserved4 duration4 … width@76 height@80
        // v1: vf4 ctime8 mtime8 id4 reserved4 duration8 … width@88 height@92
        t.id = be_u32(tkhd, if v1 { 20 } else { 12 }).unwrap_or(0);
        t.tkhd_duration = versioned(tkhd, 20, 28).unwrap_or(0);
        let (wo, ho) = if v1 { (88, 92) } else { (76, 80) };
        t.tkhd_width = be_u32(tkhd, wo).map_or(0, |v| v >> 16);
        t.tkhd_height = be_u32(tkhd, ho).map_or(0, |v| v >> 16);
    }
    if let Some(elst) = path(trak, &[b"edts", b"elst"]) {
        t.edits = edit_list(elst);
    }
    let Some(mdia) = child(trak, b"mdia") else {
        return t;
    };
    if let Some(mdhd) = child(mdia, b"mdhd") {
        let ts_off = if mdhd.first() == Some(&1) { 20 } else { 12 };
        t.mdhd_timescale = be_u32(mdhd, ts_off).unwrap_or(0);
        t.mdhd_duration = versioned(mdhd, 16, 24).unwrap_or(0);
    }
    if let Some(hdlr) = child(mdia, b"hdlr")
        && let Some(h) = hdlr.get(8..12)
    {
        t.handler.copy_from_slice(h);
    }
    let Some(stbl) = path(mdia, &[b"minf", b"stbl"]) else {
        return t;
    };
    for (kind, payload) in children(stbl) {
        match &kind {
            b"stsd" => {
                // vf4 entry_count4, then sample entries as boxes; a visual sample entry has
                // reserved6 dref2 pre_defined/reserved16, then width2 height2.
                if t.is_video()
                    && let Some(entries) = payload.get(8..)
                    && let Some((_, entry)) = children(entries).next()
                {
                    t.entry_width = be_u16(entry, 24).map_or(0, u32::from);
                    t.entry_height = be_u16(entry, 26).map_or(0, u32::from);
                }
            }
            b"stts" => {
                let (count, sum) = stts(payload);
                t.sample_count = count;
                t.stts_sum = sum;
            }
            b"stco" => t.max_chunk_offset = max_offsets(payload, 4),
            b"co64" => t.max_chunk_offset = max_offsets(payload, 8),
            _ => {}
        }
    }
    t
}

/// Most edits a track is allowed (real files have one to a few; a hostile count is capped).
const MAX_EDITS: usize = 4096;

/// `elst` entries: v0 has 32-bit (segment_duration, media_time), v1 64-bit; each followed by a
/// 32-bit media rate, which is ignored (dwell edits with rate 0 are vanishingly rare).
fn edit_list(elst: &[u8]) -> Vec<(u64, i64)> {
    let v1 = elst.first() == Some(&1);
    let declared = be_u32(elst, 4).unwrap_or(0) as usize;
    let width = if v1 { 20 } else { 12 };
    let held = elst.len().saturating_sub(8) / width;
    (0..declared.min(held).min(MAX_EDITS))
        .filter_map(|i| {
            let off = 8 + i * width;
            if v1 {
                Some((be_u64(elst, off)?, be_u64(elst, off + 8)? as i64))
            } else {
                Some((
                    u64::from(be_u32(elst, off)?),
                    i64::from(be_u32(elst, off + 4)? as i32),
                ))
            }
        })
        .collect()
}

/// The track's presentation duration in seconds from its samples, with the edit list applied:
/// each edit plays `segment_duration` (movie timescale) from `media_time`, but no more media
/// than the samples hold; an empty edit (media_time -1) is a gap that still takes time; a
/// segment duration of 0 in a fragmented file means "to the end of the media".
pub(super) fn presented_seconds(t: &Track, movie_timescale: u32) -> Option<f64> {
    if t.mdhd_timescale == 0 {
        return None;
    }
    let media_ts = f64::from(t.mdhd_timescale);
    let samples = t.stts_sum.saturating_add(t.fragment_sum);
    if samples == 0 {
        return None;
    }
    if t.edits.is_empty() || movie_timescale == 0 {
        return Some(samples as f64 / media_ts);
    }
    let movie_ts = f64::from(movie_timescale);
    let mut total = 0.0;
    for &(segment, media_time) in &t.edits {
        let segment_s = segment as f64 / movie_ts;
        if media_time < 0 {
            total += segment_s;
            continue;
        }
        let left = samples.saturating_sub(media_time as u64) as f64 / media_ts;
        total += if segment == 0 {
            left
        } else {
            segment_s.min(left)
        };
    }
    Some(total)
}

/// (sample count, sum of durations) of an `stts` table. The declared entry count is capped by
/// what the box actually holds.
fn stts(payload: &[u8]) -> (u64, u64) {
    let declared = be_u32(payload, 4).unwrap_or(0) as usize;
    let held = payload.len().saturating_sub(8) / 8;
    let (mut count, mut sum) = (0u64, 0u64);
    for i in 0..declared.min(held) {
        let off = 8 + i * 8;
        let (Some(n), Some(delta)) = (be_u32(payload, off), be_u32(payload, off + 4)) else {
            break;
        };
        count = count.saturating_add(u64::from(n));
        sum = sum.saturating_add(u64::from(n).saturating_mul(u64::from(delta)));
    }
    (count, sum)
}

fn max_offsets(payload: &[u8], width: usize) -> Option<u64> {
    let declared = be_u32(payload, 4)? as usize;
    let held = payload.len().saturating_sub(8) / width;
    (0..declared.min(held))
        .filter_map(|i| {
            let off = 8 + i * width;
            if width == 8 {
                be_u64(payload, off)
            } else {
                be_u32(payload, off).map(u64::from)
            }
        })
        .max()
}

/// Adds the sample durations of one `moof` to the tracks. Returns how many `trun` boxes were
/// read. The duration of a sample comes from the `trun` entry, else the `tfhd` default, else
/// the `trex` default of the track.
pub(super) fn add_moof(movie: &mut Movie, moof: &[u8]) -> usize {
    let mut truns = 0;
    for (_, traf) in children(moof).filter(|(k, _)| k == b"traf") {
        let Some(tfhd) = child(traf, b"tfhd") else {
            continue;
        };
        let flags = be_u32(tfhd, 0).unwrap_or(0) & 0x00FF_FFFF;
        let Some(track_id) = be_u32(tfhd, 4) else {
            continue;
        };
        // Optional fields after track_id, in this order.
        let mut off = 8;
        if flags & 0x01 != 0 {
            off += 8; // base_data_offset
        }
        if flags & 0x02 != 0 {
            off += 4; // sample_description_index
        }
        let tfhd_default = if flags & 0x08 != 0 {
            be_u32(tfhd, off)
        } else {
            None
        };
        let default = tfhd_default
            .or_else(|| movie.trex_default_duration.get(&track_id).copied())
            .unwrap_or(0);
        let decode_time = child(traf, b"tfdt").and_then(|tfdt| {
            if tfdt.first() == Some(&1) {
                be_u64(tfdt, 4)
            } else {
                be_u32(tfdt, 4).map(u64::from)
            }
        });
        let mut sum = 0u64;
        for (_, trun) in children(traf).filter(|(k, _)| k == b"trun") {
            truns += 1;
            sum = sum.saturating_add(trun_duration(trun, default));
        }
        if let Some(track) = movie.tracks.iter_mut().find(|t| t.id == track_id) {
            track.fragment_sum = track.fragment_sum.saturating_add(sum);
            if track.first_decode_time.is_none() {
                track.first_decode_time = decode_time;
            }
        }
    }
    truns
}

fn trun_duration(trun: &[u8], default: u32) -> u64 {
    let flags = be_u32(trun, 0).unwrap_or(0) & 0x00FF_FFFF;
    let count = u64::from(be_u32(trun, 4).unwrap_or(0));
    let mut off = 8;
    if flags & 0x001 != 0 {
        off += 4; // data_offset
    }
    if flags & 0x004 != 0 {
        off += 4; // first_sample_flags
    }
    if flags & 0x100 == 0 {
        return count.saturating_mul(u64::from(default));
    }
    let per_sample = [0x100, 0x200, 0x400, 0x800]
        .iter()
        .filter(|&&f| flags & f != 0)
        .count()
        * 4;
    let held = (trun.len().saturating_sub(off) / per_sample) as u64;
    (0..count.min(held))
        .filter_map(|i| be_u32(trun, off + i as usize * per_sample))
        .map(u64::from)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bx(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
        let mut v = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(payload);
        v
    }

    fn words(ws: &[u32]) -> Vec<u8> {
        ws.iter().flat_map(|w| w.to_be_bytes()).collect()
    }

    #[test]
    fn trun_durations() {
        // (flags, count, per-sample words, default, expected)
        let cases: &[(u32, u32, &[u32], u32, u64)] = &[
            (0x000, 5, &[], 1000, 5000),
            (0x001, 5, &[0xAA], 1000, 5000),
            (0x100, 3, &[10, 20, 30], 1000, 60),
            (0x305, 2, &[0xAA, 0xBB, 10, 99, 20, 99], 1000, 30),
            // Declares more samples than it holds: only the held ones count.
            (0x100, 1000, &[7, 7], 1000, 14),
        ];
        for &(flags, count, body, default, want) in cases {
            let mut t = words(&[flags, count]);
            t.extend(words(body));
            assert_eq!(trun_duration(&t, default), want, "flags {flags:#x}");
        }
    }

    #[test]
    fn edit_lists_apply() {
        let track = |stts_sum: u64, edits: Vec<(u64, i64)>| Track {
            mdhd_timescale: 1000,
            stts_sum,
            edits,
            ..Track::default()
        };
        // (samples ms, edits, movie timescale 600, expected seconds)
        type Case = (u64, Vec<(u64, i64)>, f64);
        let cases: Vec<Case> = vec![
            (10_000, vec![], 10.0),
            // AAC priming: starts 21 ms in, plays the rest.
            (10_021, vec![(6000, 21)], 10.0),
            // Trimmed in an editor: 4 s of 10 s played.
            (10_000, vec![(2400, 3000)], 4.0),
            // An empty edit of 1 s, then all media.
            (10_000, vec![(600, -1), (6000, 0)], 11.0),
            // The edit promises more than the samples hold.
            (5_000, vec![(6000, 0)], 5.0),
            // Fragmented: segment 0 = to the end.
            (8_000, vec![(0, 1000)], 7.0),
        ];
        for (samples, edits, want) in cases {
            let t = track(samples, edits.clone());
            let got = presented_seconds(&t, 600).unwrap();
            assert!((got - want).abs() < 1e-9, "{edits:?}: {got}");
        }
        let v0 = bx(b"elst", &words(&[0, 3, 600, u32::MAX, 0x10000, 6000, 21]));
        assert_eq!(edit_list(&v0[8..]), vec![(600, -1)]);
        let mut v1 = words(&[1 << 24, 1]);
        v1.extend(7u64.to_be_bytes());
        v1.extend(3i64.to_be_bytes());
        v1.extend(words(&[0x10000]));
        assert_eq!(edit_list(&v1), vec![(7, 3)]);
    }

    #[test]
    fn mvhd_versions() {
        let v0 = bx(b"mvhd", &words(&[0, 0, 0, 600, 6000]));
        let mut v1p = vec![1, 0, 0, 0];
        v1p.extend([0u8; 16]);
        v1p.extend(1000u32.to_be_bytes());
        v1p.extend(90_000u64.to_be_bytes());
        let v1 = bx(b"mvhd", &v1p);
        let unknown = bx(b"mvhd", &words(&[0, 0, 0, 600, u32::MAX]));
        for (moov, ts, dur) in [(v0, 600, 6000), (v1, 1000, 90_000), (unknown, 600, 0)] {
            let m = parse_moov(&moov);
            assert_eq!((m.timescale, m.duration), (ts, dur));
        }
    }
}
