//! Labels burnt into recordings: a bounded number of frames taken through ffmpeg and read by
//! the same OCR as photos (with the same upscaling of small text).
//!
//! Why: keynote recordings and promo videos carry the programme's label as a title card or a
//! corner watermark, rarely in their metadata, so without looking at the pixels nearly every
//! recording's label requirement ends in `review`. yanshou has no video decoder (H.264/HEVC
//! decoders are C or unfinished in Rust), so it uses ffmpeg the way it uses tesseract: an
//! optional program found on `PATH` (`YANSHOU_FFMPEG` names another), run as a subprocess
//! under a deadline, never linked. Without it recordings stay `review`, as before.
//!
//! Bounded by construction: at most [`MAX_FRAMES`] frames per file, at fixed points (the
//! opening seconds, where a title card sits; a third and two thirds through; the last
//! second), each taken with input seeking (`-ss` before `-i`: ffmpeg seeks by the container's
//! index to the keyframe before the point and decodes from there), so the whole file is never
//! decoded. Frames are written to a private temp dir and read back as PNG; nothing is written
//! near the input. Recordings inside archives are not sampled (ffmpeg needs a file).

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::facts::{Facts, Format, Problem};
use crate::input::{Input, Limits, Origin};

use super::{Job, Ocr, picture, run};

/// The environment variable that names the ffmpeg program (overrides `PATH`).
pub(crate) const ENV_FFMPEG: &str = "YANSHOU_FFMPEG";

/// Most frames sampled per recording.
pub(crate) const MAX_FRAMES: usize = 6;

/// Deadline for taking one frame.
const FRAME_TIMEOUT: Duration = Duration::from_secs(30);

/// The ffmpeg to use: `$YANSHOU_FFMPEG`, else `ffmpeg` on `PATH`.
pub(crate) fn find_ffmpeg() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(ENV_FFMPEG).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("ffmpeg"))
        .find(|p| p.is_file())
}

/// The points (seconds) to sample in a recording of `duration` seconds (unknown: the
/// opening only): 0.5, 2 and 5 s, a third and two thirds through, one second before the
/// end; those past the end dropped, those within half a second of the previous merged.
pub(crate) fn sample_points(duration: Option<f64>) -> Vec<f64> {
    let mut points = vec![0.5, 2.0, 5.0];
    if let Some(d) = duration.filter(|d| d.is_finite() && *d > 0.0) {
        points.extend([d / 3.0, d * 2.0 / 3.0, d - 1.0]);
        points.retain(|&t| t >= 0.0 && t < d - 0.05);
    }
    points.sort_by(f64::total_cmp);
    let mut out: Vec<f64> = Vec::new();
    for t in points {
        if out.last().is_none_or(|&last| t - last >= 0.5) {
            out.push(t);
        }
    }
    out.truncate(MAX_FRAMES);
    out
}

/// "0:02.0", "1:05:03.5": how a frame's time is shown.
pub(crate) fn clock(t: f64) -> String {
    let tenths = (t * 10.0).round() as u64;
    let (s, tenth) = (tenths / 10, tenths % 10);
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}.{tenth}")
    } else {
        format!("{m}:{s:02}.{tenth}")
    }
}

/// The frame jobs for a recording, or why there are none.
pub(crate) fn jobs(
    ocr: &Ocr,
    input: &Input,
    facts: &Facts,
    limits: &Limits,
) -> Result<Vec<Job>, Problem> {
    let Some(ffmpeg) = ocr.ffmpeg.as_deref() else {
        return Err(Problem::new(
            crate::codes::OCR_NO_FFMPEG,
            "未安装 ffmpeg，未从录像中抽帧识别标识；标识可能在画面中，需人工确认（安装方法见 README）",
        ));
    };
    let Origin::Disk(path) = &input.origin else {
        return Err(Problem::new(
            crate::codes::OCR_FRAMES_SKIPPED,
            "压缩包内的录像未抽帧识别（需要单独的文件）；标识可能在画面中，需人工确认",
        ));
    };
    let dir = tempfile::tempdir().map_err(|e| {
        Problem::new(
            crate::codes::OCR_FAILED,
            format!("无法创建临时目录（{e}），未抽帧识别"),
        )
    })?;
    let mut jobs = Vec::new();
    let mut failures = Vec::new();
    for (i, at) in sample_points(facts.duration.as_ref().map(|d| d.seconds))
        .into_iter()
        .enumerate()
    {
        let out = dir.path().join(format!("frame{i}.png"));
        match take(ffmpeg, path, at, &out) {
            Ok(png) => match picture::job(&png, Format::Png, limits, ocr.max_pixels) {
                Ok(mut job) => {
                    job.frame = Some(at);
                    jobs.push(job);
                }
                Err(p) => failures.push(format!("{}：{}", clock(at), p.message)),
            },
            Err(why) => failures.push(format!("{}：{why}", clock(at))),
        }
    }
    if jobs.is_empty() {
        return Err(Problem::new(
            crate::codes::OCR_FAILED,
            format!(
                "无法从录像中抽帧（{}），未识别画面中的标识，需人工确认",
                failures
                    .first()
                    .map(String::as_str)
                    .unwrap_or("没有可抽取的画面")
            ),
        ));
    }
    Ok(jobs)
}

/// One frame at `at` seconds as PNG bytes.
fn take(ffmpeg: &Path, input: &Path, at: f64, out: &Path) -> Result<Vec<u8>, String> {
    let at = format!("{at:.3}");
    let (input, out_s) = (input.to_string_lossy(), out.to_string_lossy());
    let args = [
        "-v",
        "error",
        "-nostdin",
        "-ss",
        &at,
        "-i",
        &input,
        "-frames:v",
        "1",
        "-an",
        "-sn",
        "-dn",
        "-y",
        &out_s,
    ];
    run(ffmpeg, &args, &[], FRAME_TIMEOUT).map_err(|e| e.describe())?;
    std::fs::read(out).map_err(|_| "该时间点没有画面".to_string())
}

/// After the label search: which sampled frame showed each label (evidence with its time),
/// or that none of the frames looked at did (naming them).
pub(crate) fn findings(facts: &Facts, labels: &[String], problems: &mut Vec<Problem>) {
    let Some(info) = facts.ocr.as_ref().filter(|o| !o.frames.is_empty()) else {
        return;
    };
    let looked: Vec<String> = info.frames.iter().map(|f| clock(f.at)).collect();
    for label in labels {
        let wanted = crate::label::normalize(label);
        if wanted.is_empty() {
            continue;
        }
        let seen: Vec<String> = info
            .frames
            .iter()
            .filter(|f| crate::label::normalize(&f.text).contains(&wanted))
            .map(|f| clock(f.at))
            .collect();
        if seen.is_empty() {
            problems.push(Problem::new(
                crate::codes::OCR_FRAMES_NO_LABEL,
                format!(
                    "已抽取 {} 帧画面（{}）进行 OCR 识别，均未读到标识“{label}”；标识可能在其他画面中，需人工确认",
                    looked.len(),
                    looked.join("、")
                ),
            ));
        } else {
            problems.push(Problem::new(
                crate::codes::OCR_FRAME_LABEL,
                format!(
                    "画面中读到标识“{label}”（OCR 识别，{} 处的画面；共抽取 {} 帧：{}）",
                    seen.join("、"),
                    looked.len(),
                    looked.join("、")
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_points_are_bounded_and_inside_the_recording() {
        let table: &[(Option<f64>, &[f64])] = &[
            (None, &[0.5, 2.0, 5.0]),
            (Some(3.0), &[0.5, 1.0, 2.0]),
            (
                Some(10.0),
                &[
                    0.5,
                    2.0,
                    3.333_333_333_333_333_5,
                    5.0,
                    6.666_666_666_666_667,
                    9.0,
                ],
            ),
            (Some(2760.0), &[0.5, 2.0, 5.0, 920.0, 1840.0, 2759.0]),
            (Some(0.4), &[0.133_333_333_333_333_33]),
        ];
        for (d, want) in table {
            let got = sample_points(*d);
            assert_eq!(got.len(), want.len(), "{d:?}: {got:?}");
            for (g, w) in got.iter().zip(want.iter()) {
                assert!((g - w).abs() < 1e-9, "{d:?}: {got:?}");
            }
            assert!(got.len() <= MAX_FRAMES);
        }
    }

    #[test]
    fn clock_format() {
        assert_eq!(clock(0.5), "0:00.5");
        assert_eq!(clock(65.04), "1:05.0");
        assert_eq!(clock(3723.5), "1:02:03.5");
    }
}
