//! Small formatting helpers shared by every renderer, written once.
//!
//! The terminal, Markdown and HTML renderers must say the same thing in the same words
//! (a reviewer may compare a printed dossier with a colleague's terminal), so durations,
//! separators, file extents, label summaries and the exit-code sentence are formed here and
//! nowhere else. Every helper is total: odd values (NaN durations, missing facts, evidence
//! pointing at a path that is not in the file list) give a dash or a plain fallback, never a
//! panic. The trade-off is that the helpers return ready-made strings rather than structured
//! pieces, so a renderer that wants different wording has to add a helper here. Each helper
//! that writes words has an `_in(…, lang)` form for `--lang`; the plain form is the Chinese one.

use std::collections::HashSet;

use crate::facts::{DurationMethod, Facts, LabelMatch, PartKind};
use crate::lang::Lang;
use crate::model::{Evidence, FileRecord, FileStatus, Report, Tally, Verdict};

pub use crate::count::thousands;

/// The placeholder for "no value".
pub const DASH: &str = "—";

pub use crate::units::duration;

/// The name of role `id` as people read it ("总结报告"), with the roles its files also serve
/// ("建议报告（亦作 决策咨询建议、项目成果）"); the id itself only for a role the report does not
/// know.
pub fn role_label(report: &Report, id: &str, lang: Lang) -> String {
    match report.roles.iter().find(|r| r.id == id) {
        Some(r) if r.also.is_empty() => r.name.clone(),
        Some(r) => match lang {
            Lang::Zh => format!("{}（亦作 {}）", r.name, r.also.join("、")),
            Lang::En => format!("{} (also {})", r.name, r.also.join(", ")),
        },
        None => id.to_string(),
    }
}
pub use crate::lang::duration_method_zh;

/// The file's duration with a note when it is only an estimate: `47:12` or `47:12（估算）`.
/// In `lang`.
pub fn duration_of_in(facts: &Facts, lang: Lang) -> Option<String> {
    let seconds = facts
        .duration_s
        .or_else(|| facts.duration.as_ref().map(|d| d.seconds))?;
    let mut out = duration(seconds);
    if let Some(d) = &facts.duration
        && d.method == DurationMethod::Estimated
    {
        out.push_str(match lang {
            Lang::Zh => "（估算）",
            Lang::En => " (estimate)",
        });
    }
    Some(out)
}

/// Size in bytes, human-readable (`1.2 MB`), for file tables.
pub fn size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = UNITS[0];
    for next in UNITS.iter().skip(1) {
        if value < 1024.0 {
            break;
        }
        value /= 1024.0;
        unit = next;
    }
    format!("{value:.1} {unit}")
}

/// The extent of a file in its natural unit: pages, slides (with hidden ones), duration,
/// pixel size, and for photos when they were taken. Several may apply (a PDF has pages; a video has a duration and a frame size).
/// In `lang`.
pub fn extent_in(facts: &Facts, lang: Lang) -> Option<String> {
    let en = lang == Lang::En;
    let mut bits: Vec<String> = Vec::new();
    if let Some(p) = facts.pages {
        let p = thousands(u64::from(p));
        bits.push(if en {
            format!("{p} pages")
        } else {
            format!("{p} 页")
        });
    }
    if let Some(s) = facts.slides {
        let s = thousands(u64::from(s));
        let mut t = if en {
            format!("{s} slides")
        } else {
            format!("{s} 张幻灯片")
        };
        if let Some(h) = facts.hidden_slides.filter(|h| *h > 0) {
            t.push_str(&if en {
                format!(" ({h} hidden)")
            } else {
                format!("（含隐藏 {h} 张）")
            });
        }
        bits.push(t);
    }
    if let Some(d) = duration_of_in(facts, lang) {
        bits.push(if en {
            format!("duration {d}")
        } else {
            format!("时长 {d}")
        });
    }
    if let (Some(w), Some(h)) = (facts.width, facts.height) {
        bits.push(format!("{w}×{h}"));
    }
    if let Some(t) = &facts.taken_at {
        bits.push(if en {
            format!("taken {t}")
        } else {
            format!("拍摄于 {t}")
        });
    }
    if bits.is_empty() {
        None
    } else {
        Some(bits.join(if en { ", " } else { "，" }))
    }
}

/// Word 字数 of a file as shown in tables; a dash for files without text.
pub fn words(facts: Option<&Facts>) -> String {
    match facts {
        Some(f) if f.counts.chars_no_space > 0 || has_text_parts(f) => thousands(f.counts.words),
        _ => DASH.to_string(),
    }
}

fn has_text_parts(facts: &Facts) -> bool {
    facts.parts.iter().any(|p| p.kind.counted())
}

/// The other counting bases, one per line, for a reviewer who prefers a stricter one:
/// `汉字 3,100`, `中文字符 3,300`, `非中文单词 112`, `字符(不计空格) 3,600`.
/// In `lang`.
pub fn counts_detail_in(facts: &Facts, lang: Lang) -> Vec<String> {
    let c = &facts.counts;
    let names = match lang {
        Lang::Zh => ["汉字", "中文字符", "非中文单词", "字符(不计空格)"],
        Lang::En => [
            "Han characters",
            "East Asian characters",
            "non-Chinese words",
            "non-space characters",
        ],
    };
    let values = [c.han, c.cjk, c.non_cjk_words, c.chars_no_space];
    names
        .iter()
        .zip(values)
        .map(|(n, v)| format!("{n} {}", thousands(v)))
        .collect()
}

/// What the producer recorded about the file (information only, often stale):
/// `Word 记录：字数 1,017，字符 5,620，页数 12`.
/// In `lang`.
pub fn recorded_in(facts: &Facts, lang: Lang) -> Option<String> {
    let r = facts.recorded.as_ref()?;
    let names = match lang {
        Lang::Zh => ["字数", "字符", "字符(不计空格)", "页数", "幻灯片"],
        Lang::En => [
            "words",
            "characters",
            "characters without spaces",
            "pages",
            "slides",
        ],
    };
    let values = [
        r.words,
        r.characters,
        r.characters_no_space,
        r.pages,
        r.slides,
    ];
    let bits: Vec<String> = names
        .iter()
        .zip(values)
        .filter_map(|(n, v)| v.map(|v| format!("{n} {}", thousands(v))))
        .collect();
    if bits.is_empty() {
        return None;
    }
    let who = r.application.as_deref().unwrap_or(&r.source);
    Some(match lang {
        Lang::Zh => format!("{who} 记录（仅供参考）：{}", bits.join("，")),
        Lang::En => format!("{who} recorded (for information only): {}", bits.join(", ")),
    })
}

/// Pages without a text layer, as `无文字层（扫描）页：3、5–7`, with the OCR estimate when OCR read
/// them.
pub fn scanned_pages(facts: &Facts) -> Option<String> {
    scanned_pages_in(facts, Lang::Zh)
}

pub use crate::msg::scanned_pages_in;

/// How a label line should be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LabelState {
    /// Found where a reader sees it.
    Found,
    /// Found only in the file's metadata.
    MetadataOnly,
    /// A near miss: reported, and a fail.
    NearMiss,
}

/// One line of a file's label summary.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LabelLine {
    pub state: LabelState,
    pub text: String,
}

/// The labels of a file, grouped by label text: exact hits with the parts they were seen in,
/// then near misses with what was actually written.
/// In `lang`.
pub fn labels_in(facts: &Facts, lang: Lang) -> Vec<LabelLine> {
    let en = lang == Lang::En;
    let mut out = Vec::new();
    let mut seen_texts: Vec<&str> = Vec::new();
    for hit in &facts.labels {
        if !seen_texts.contains(&hit.text.as_str()) {
            seen_texts.push(&hit.text);
        }
    }
    for text in seen_texts {
        let mut places: Vec<PartKind> = facts
            .labels
            .iter()
            .filter(|h| h.text == text && h.matched == LabelMatch::Exact)
            .map(|h| h.location)
            .collect();
        places.sort_unstable();
        places.dedup();
        if !places.is_empty() {
            let only_meta = places.iter().all(|p| *p == PartKind::Metadata);
            let where_ = places
                .iter()
                .map(|p| lang.part(*p))
                .collect::<Vec<_>>()
                .join(if en { ", " } else { "、" });
            out.push(LabelLine {
                state: if only_meta {
                    LabelState::MetadataOnly
                } else {
                    LabelState::Found
                },
                text: match (only_meta, en) {
                    (true, false) => format!("“{text}”：仅在文件属性（元数据）中"),
                    (false, false) => format!("“{text}”：{where_}"),
                    (true, true) => format!("“{text}”: in the file's properties (metadata) only"),
                    (false, true) => format!("“{text}”: {where_}"),
                },
            });
        }
        let mut misses: Vec<(&str, usize, PartKind)> = facts
            .labels
            .iter()
            .filter(|h| h.text == text && h.matched == LabelMatch::NearMiss)
            .map(|h| (h.found.as_str(), h.distance, h.location))
            .collect();
        misses.sort_unstable();
        misses.dedup();
        for (found, distance, location) in misses {
            out.push(LabelLine {
                state: LabelState::NearMiss,
                text: if en {
                    format!(
                        "near miss “{found}” ({}, {distance} characters off “{text}”)",
                        lang.part(location)
                    )
                } else {
                    format!(
                        "近似“{found}”（{}，与“{text}”相差 {distance} 字）",
                        location.zh()
                    )
                },
            });
        }
    }
    out
}

/// The label summary on one line, or `未发现标识` for a read file without any.
/// In `lang`.
pub fn labels_text_in(record: &FileRecord, lang: Lang) -> String {
    match &record.facts {
        Some(f) if !f.labels.is_empty() => labels_in(f, lang)
            .into_iter()
            .map(|l| match l.state {
                LabelState::NearMiss => format!("≈ {}", l.text),
                _ => l.text,
            })
            .collect::<Vec<_>>()
            .join(match lang {
                Lang::Zh => "；",
                Lang::En => "; ",
            }),
        Some(_) => lang.labels().no_labels.to_string(),
        None => DASH.to_string(),
    }
}

/// The distinct paths of a requirement's evidence, in order.
pub fn evidence_paths(evidence: &[Evidence]) -> Vec<&str> {
    let mut seen = HashSet::new();
    evidence
        .iter()
        .map(|e| e.path.as_str())
        .filter(|p| seen.insert(*p))
        .collect()
}

/// Paths shortened for one line: `a.docx、b.docx 等 5 个文件` when there are more than `max`.
/// In `lang`.
pub fn paths_short_in(paths: &[&str], max: usize, lang: Lang) -> String {
    if paths.is_empty() {
        return lang.labels().no_file.to_string();
    }
    let sep = match lang {
        Lang::Zh => "、",
        Lang::En => ", ",
    };
    let max = max.max(1);
    if paths.len() <= max {
        return paths.join(sep);
    }
    let shown: Vec<&str> = paths.iter().take(max).copied().collect();
    match lang {
        Lang::Zh => format!("{} 等 {} 个文件", shown.join(sep), paths.len()),
        Lang::En => format!("{} and others, {} files", shown.join(sep), paths.len()),
    }
}

/// The HTML anchor id of the file at `index` in `Report::files` (`file-1` for the first).
pub fn file_anchor(index: usize) -> String {
    format!("file-{}", index.saturating_add(1))
}

/// The one-character mark of a verdict.
pub fn mark(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "✔",
        Verdict::Fail => "✘",
        Verdict::Review => "?",
    }
}

/// `12 项要求：通过 8，不通过 3，需人工复核 1；文件 23 个，无法读取 1 个`.
/// In `lang`.
pub fn tally_text_in(t: &Tally, lang: Lang) -> String {
    let total = t.pass.saturating_add(t.fail).saturating_add(t.review);
    let mut s = match lang {
        Lang::Zh => format!(
            "{total} 项要求：通过 {}，不通过 {}，需人工复核 {}；文件 {} 个",
            t.pass, t.fail, t.review, t.files
        ),
        Lang::En => format!(
            "{total} requirements: {} pass, {} fail, {} needing review; {} files",
            t.pass, t.fail, t.review, t.files
        ),
    };
    if t.unreadable > 0 {
        s.push_str(&match lang {
            Lang::Zh => format!("，无法读取 {} 个", t.unreadable),
            Lang::En => format!(", {} unreadable", t.unreadable),
        });
    }
    s
}

/// `1 requirement`, `3 requirements`.
fn requirements_en(n: usize) -> String {
    if n == 1 {
        "1 requirement".to_string()
    } else {
        format!("{n} requirements")
    }
}

/// What the exit code means for this dossier, one sentence.
/// In `lang`.
pub fn exit_text_in(report: &Report, lang: Lang) -> String {
    let code = report.exit_code();
    let t = &report.tally;
    if report.blocker.is_some() {
        return match lang {
            Lang::Zh => format!("退出码 {code}：材料无法核查，请按上面的说明重新提交。"),
            Lang::En => format!(
                "Exit code {code}: the materials cannot be checked; please submit them again as said above."
            ),
        };
    }
    if lang == Lang::En {
        return match report.verdict {
            Verdict::Fail => format!(
                "Exit code {code}: {} failing; please complete the materials as the messages say and check again.",
                requirements_en(t.fail)
            ),
            Verdict::Review if report.strict => format!(
                "Exit code {code}: nothing fails, but {} needing review, which --strict counts as failing.",
                requirements_en(t.review)
            ),
            Verdict::Review => format!(
                "Exit code {code}: nothing fails; {} needing review (--strict would count them as failing).",
                requirements_en(t.review)
            ),
            Verdict::Pass => format!("Exit code {code}: every requirement passes."),
        };
    }
    match report.verdict {
        Verdict::Fail => format!(
            "退出码 {code}：有 {} 项要求不通过，请按说明补正材料后重新核查。",
            t.fail
        ),
        Verdict::Review if report.strict => format!(
            "退出码 {code}：无不通过项，但有 {} 项需人工复核，--strict 模式下按不通过处理。",
            t.review
        ),
        Verdict::Review => format!(
            "退出码 {code}：无不通过项，有 {} 项需人工复核（加 --strict 时按不通过处理）。",
            t.review
        ),
        Verdict::Pass => format!("退出码 {code}：全部要求通过。"),
    }
}

/// One thing to fix or to look at, for the "需补正的问题" lists of every dossier, in the order a
/// society acts on them: why the submission cannot be checked at all, then each requirement
/// that fails or needs review, then each problem of a file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Fix {
    /// `blocker`, `fail`, `review` or `file` (for styling).
    pub kind: &'static str,
    /// What it is about: "【不通过】总结报告（4千字左右）", or a file's path.
    pub subject: String,
    /// What to do, as the evaluator or the problem says it.
    pub text: String,
    /// HTML anchor to jump to (`req-N`, `file-N`).
    pub anchor: Option<String>,
}

/// The consolidated list of what to fix (see [`Fix`]); empty for a clean pass.
pub fn fixes_in(report: &Report, lang: Lang) -> Vec<Fix> {
    let mut out = Vec::new();
    if let Some(b) = &report.blocker {
        out.push(Fix {
            kind: "blocker",
            subject: match lang {
                Lang::Zh => "【无法核查】".to_string(),
                Lang::En => "[Cannot be checked]".to_string(),
            },
            text: crate::msg::for_people(lang.problem(b)),
            anchor: None,
        });
    }
    for (i, r) in report.requirements.iter().enumerate() {
        if r.verdict == Verdict::Pass {
            continue;
        }
        out.push(Fix {
            kind: r.verdict.en(),
            subject: match lang {
                Lang::Zh => format!("【{}】{}", lang.verdict(r.verdict), r.title),
                Lang::En => format!("[{}] {}", lang.verdict(r.verdict), r.title),
            },
            text: if r.message.trim().is_empty() {
                DASH.to_string()
            } else {
                crate::msg::for_people(r.message.trim())
            },
            anchor: Some(format!("req-{}", i + 1)),
        });
    }
    for fp in report
        .file_problems_in(lang)
        .into_iter()
        .filter(|fp| fp.status != FileStatus::Ignored)
    {
        out.push(Fix {
            kind: "file",
            subject: fp.path.clone(),
            text: fp.message.clone(),
            anchor: Some(fp.anchor.clone()),
        });
    }
    out
}

/// How the submission's archive was read, one line for the dossier's header: its name, and
/// its first finding (GBK names decoded, damage …) if it has one.
pub fn archive_line(report: &Report, lang: Lang) -> Option<String> {
    let a = report.archive.as_ref()?;
    // When it could not be opened the blocker says so, once.
    let note = a
        .problems
        .first()
        .filter(|_| report.blocker.is_none())
        .map(|p| crate::msg::plain_reason(lang.problem(p)));
    Some(match (lang, note) {
        (Lang::Zh, Some(n)) => format!("压缩包 {}（{n}）", a.path),
        (Lang::Zh, None) => format!("压缩包 {}", a.path),
        (Lang::En, Some(n)) => format!("archive {} ({n})", a.path),
        (Lang::En, None) => format!("archive {}", a.path),
    })
}

/// The category as the dossier's header shows it: id, title and what decided it; only the
/// title when no category could be decided.
pub fn category_line(p: &crate::model::Project, lang: Lang) -> String {
    if p.category.is_empty() {
        return p.category_title.clone();
    }
    let basis = lang.labels().basis;
    match lang {
        Lang::Zh => format!(
            "{} {}（{basis}：{}）",
            p.category, p.category_title, p.category_source
        ),
        Lang::En => format!(
            "{} {} ({basis}: {})",
            p.category, p.category_title, p.category_source
        ),
    }
}

/// One problem of one file, for the "文件问题" sections.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileProblem {
    /// Index in `Report::files`.
    pub index: usize,
    /// HTML anchor of the file's row (`file-N`).
    pub anchor: String,
    pub path: String,
    pub status: FileStatus,
    /// Problem code, or the status name when the file has no problem recorded.
    pub code: String,
    pub message: String,
    /// The file could not be used at all (unreadable/unsupported), not just a warning.
    pub blocking: bool,
}

impl Report {
    /// Index of the file with that path in [`Report::files`], if it is there.
    pub fn file_index(&self, path: &str) -> Option<usize> {
        self.files.iter().position(|f| f.path == path)
    }

    /// Every problem of every file, in file order: unreadable and unsupported files (with their
    /// codes, or their status when no problem was recorded) and warnings on files that were read.
    /// Messages in `lang` (English by problem code, see [`crate::lang::problems`]).
    pub fn file_problems_in(&self, lang: Lang) -> Vec<FileProblem> {
        let mut out = Vec::new();
        for (index, f) in self.files.iter().enumerate() {
            let blocking = matches!(f.status, FileStatus::Unreadable | FileStatus::Unsupported);
            if f.problems.is_empty() && blocking {
                out.push(FileProblem {
                    index,
                    anchor: file_anchor(index),
                    path: f.path.clone(),
                    status: f.status,
                    code: match f.status {
                        FileStatus::Unsupported => "unsupported".to_string(),
                        _ => "unreadable".to_string(),
                    },
                    message: lang.status(f.status).to_string(),
                    blocking,
                });
            }
            for p in &f.problems {
                out.push(FileProblem {
                    index,
                    anchor: file_anchor(index),
                    path: f.path.clone(),
                    status: f.status,
                    code: p.code.clone(),
                    message: crate::msg::for_people(lang.problem(p)),
                    blocking,
                });
            }
        }
        out
    }
}

/// A cross-submission finding as lines every text renderer shows: the message, then where
/// the other side is (another submission, its dossier, an earlier year), then the quotes.
pub fn finding_lines(f: &crate::report::model::Finding, lang: Lang) -> (String, Vec<String>) {
    let t = lang.labels();
    let colon = if lang == Lang::En { ": " } else { "：" };
    let mut more = Vec::new();
    if let Some(o) = &f.other
        && !o.same
    {
        let mut s = format!("{}{colon}{}", t.cross_other, o.project);
        if let Some(e) = &o.earlier {
            s.push_str(&format!(" ({e})"));
        }
        s.push_str(&format!(" · {}", o.path));
        if let Some(d) = &o.dossier {
            s.push_str(&format!(" · {d}"));
        }
        more.push(s);
    }
    for q in &f.quotes {
        more.push(format!("{}{colon}“{q}”", t.cross_quote));
    }
    (f.message.clone(), more)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{Duration, LabelHit};

    #[test]
    fn durations() {
        let cases: &[(f64, &str)] = &[
            (0.0, "00:00"),
            (59.99, "00:59"),
            (179.9, "02:59"),
            (2699.6, "44:59"),
            (2700.4, "45:00"),
            (3725.0, "1:02:05"),
            (2700.0, "45:00"),
            (3599.0, "59:59"),
            (3600.0, "1:00:00"),
            (2.0 * 3600.0 + 61.5, "2:01:01"),
            (f64::NAN, DASH),
            (-1.0, DASH),
            (f64::INFINITY, DASH),
        ];
        for (s, want) in cases {
            assert_eq!(duration(*s), *want, "{s}");
        }
    }

    #[test]
    fn sizes() {
        let cases: &[(u64, &str)] = &[
            (0, "0 B"),
            (1023, "1023 B"),
            (1024, "1.0 KB"),
            (1_572_864, "1.5 MB"),
            (u64::MAX, "16777216.0 TB"),
        ];
        for (b, want) in cases {
            assert_eq!(size(*b), *want);
        }
    }

    #[test]
    fn short_paths() {
        let cases: &[(&[&str], usize, &str)] = &[
            (&[], 2, "未找到相应文件"),
            (&["a.pdf"], 2, "a.pdf"),
            (&["a.pdf", "b.pdf"], 2, "a.pdf、b.pdf"),
            (&["a", "b", "c", "d", "e"], 2, "a、b 等 5 个文件"),
            (&["a", "b"], 0, "a 等 2 个文件"),
        ];
        for (paths, max, want) in cases {
            assert_eq!(paths_short_in(paths, *max, Lang::Zh), *want);
        }
    }

    #[test]
    fn evidence_paths_dedup_in_order() {
        let ev = |p: &str| Evidence {
            path: p.to_string(),
            detail: String::new(),
        };
        let list = [ev("b"), ev("a"), ev("b"), ev("c")];
        assert_eq!(evidence_paths(&list), vec!["b", "a", "c"]);
    }

    #[test]
    fn scanned_page_ranges() {
        let f = Facts {
            scanned_pages: vec![7, 3, 5, 6, 3, u32::MAX],
            ..Facts::default()
        };
        assert_eq!(
            scanned_pages(&f).as_deref(),
            Some("无文字层（扫描）页：3、5–7、4294967295")
        );
        assert_eq!(scanned_pages(&Facts::default()), None);
        let mut ocr = crate::facts::OcrInfo {
            basis: "ocr".into(),
            images: 2,
            ..Default::default()
        };
        ocr.counts.words = 1976;
        ocr.counts.han = 1824;
        let f = Facts {
            scanned_pages: vec![1, 2],
            ocr: Some(ocr.clone()),
            ..Facts::default()
        };
        assert_eq!(
            scanned_pages(&f).as_deref(),
            Some("无文字层（扫描）页：1–2；OCR 估计约 1,976 字（汉字 1,824，仅供参考）")
        );
        // OCR that recognised nothing (all pages skipped) adds nothing.
        ocr.images = 0;
        let f = Facts {
            scanned_pages: vec![1],
            ocr: Some(ocr),
            ..Facts::default()
        };
        assert_eq!(scanned_pages(&f).as_deref(), Some("无文字层（扫描）页：1"));
    }

    #[test]
    fn extent_and_estimate() {
        let f = Facts {
            duration: Some(Duration {
                seconds: 2832.4,
                method: DurationMethod::Estimated,
                confidence: crate::facts::Confidence::High,
                detail: "bitrate".into(),
            }),
            width: Some(1920),
            height: Some(1080),
            ..Facts::default()
        };
        assert_eq!(
            extent_in(&f, Lang::Zh).as_deref(),
            Some("时长 47:12（估算），1920×1080")
        );
        let d = Facts {
            slides: Some(18),
            hidden_slides: Some(2),
            ..Facts::default()
        };
        assert_eq!(
            extent_in(&d, Lang::Zh).as_deref(),
            Some("18 张幻灯片（含隐藏 2 张）")
        );
        assert_eq!(extent_in(&Facts::default(), Lang::Zh), None);
        let photo = Facts {
            width: Some(4032),
            height: Some(3024),
            taken_at: Some("2025-06-18 09:30:00".into()),
            ..Facts::default()
        };
        assert_eq!(
            extent_in(&photo, Lang::Zh).as_deref(),
            Some("4032×3024，拍摄于 2025-06-18 09:30:00")
        );
    }

    #[test]
    fn label_lines() {
        let hit = |loc, matched, found: &str, distance| LabelHit {
            text: "自治区科协2025年度学会重点资助项目".into(),
            location: loc,
            matched,
            found: found.into(),
            distance,
        };
        let f = Facts {
            labels: vec![
                hit(PartKind::Metadata, LabelMatch::Exact, "", 0),
                hit(
                    PartKind::Body,
                    LabelMatch::NearMiss,
                    "2025年学会重点资助项目",
                    2,
                ),
                hit(PartKind::HeadersFooters, LabelMatch::Exact, "", 0),
            ],
            ..Facts::default()
        };
        let lines = labels_in(&f, Lang::Zh);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].state, LabelState::Found);
        assert_eq!(
            lines[0].text,
            "“自治区科协2025年度学会重点资助项目”：页眉页脚、元数据"
        );
        assert_eq!(lines[1].state, LabelState::NearMiss);
        assert!(lines[1].text.contains("相差 2 字"), "{}", lines[1].text);
        let meta_only = Facts {
            labels: vec![hit(PartKind::Metadata, LabelMatch::Exact, "", 0)],
            ..Facts::default()
        };
        assert_eq!(
            labels_in(&meta_only, Lang::Zh)[0].state,
            LabelState::MetadataOnly
        );
    }
}
