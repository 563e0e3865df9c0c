//! What one submission shows about itself once it is read whole: dates that do not fit the
//! project period or the meeting, and names that do not fit the folder (another project's
//! code, another society, two different meeting dates).
//!
//! These need no other submission, but they live with the cross pass rather than the
//! evaluator because they are findings, not requirements: the guide asks for none of them, so
//! they change no verdict (issue #16). Each quotes what it rests on — the date as the file or
//! the sentence gives it, the code or name in its context.

use std::collections::BTreeMap;

use regex::Regex;

use super::config::CrossConfig;
use super::dates::{self, Day, Stated};
use super::{Item, Side, What};
use crate::facts::{Facts, Kind};
use crate::model::{FileRecord, FileStatus, Report};
use crate::pipeline::society;
use crate::rules::RuleSet;

/// The meeting's dates as the submission states them, with where.
#[derive(Debug, Clone)]
pub(crate) struct Meeting {
    pub first: Day,
    pub last: Day,
    pub file: String,
    pub quote: String,
}

fn read(files: &[FileRecord]) -> impl Iterator<Item = (&FileRecord, &Facts)> {
    files
        .iter()
        .filter(|f| f.status == FileStatus::Read)
        .filter_map(|f| f.facts.as_ref().map(|x| (f, x)))
}

fn has_role(f: &FileRecord, roles: &[String]) -> bool {
    f.role.as_ref().is_some_and(|r| roles.contains(r))
}

/// The meeting dates stated by the notice (files of the notice roles named a 通知) and by the
/// summary report.
pub(crate) fn meetings(report: &Report, cfg: &CrossConfig) -> (Option<Meeting>, Option<Meeting>) {
    let year = cfg.period.start.ymd().0;
    let find = |pick: &dyn Fn(&FileRecord, &Facts) -> bool| {
        read(&report.files)
            .filter(|(f, x)| pick(f, x))
            .find_map(|(f, x)| {
                let text = x.counted_text();
                let s = dates::meeting(
                    &text,
                    &cfg.dates.meeting_words,
                    &cfg.dates.meeting_verbs,
                    year,
                )?;
                Some(Meeting {
                    first: s.first,
                    last: s.last,
                    file: f.path.clone(),
                    quote: dates::around(&text, s.start, s.end, 30),
                })
            })
    };
    let notice = find(&|f, x| {
        has_role(f, &cfg.roles.notice)
            && cfg.roles.notice_words.iter().any(|w| {
                f.path.contains(w.as_str())
                    || x.title.as_deref().is_some_and(|t| t.contains(w.as_str()))
            })
    });
    let summary = find(&|f, _| has_role(f, &cfg.roles.summary));
    (notice, summary)
}

/// Every local finding of one submission (`project` is its index in the pass).
pub(crate) fn findings(
    report: &Report,
    project: usize,
    cfg: &CrossConfig,
    sets: &[RuleSet],
) -> Vec<Item> {
    let mut out = Vec::new();
    let side = |path: &str| Side {
        project,
        path: path.to_string(),
    };
    let (notice, summary) = meetings(report, cfg);
    if let (Some(n), Some(s)) = (&notice, &summary)
        && (n.first, n.last) != (s.first, s.last)
    {
        out.push(Item {
            what: What::MeetingDates {
                notice: span(n.first, n.last),
                summary: span(s.first, s.last),
            },
            a: side(&n.file),
            b: Some(side(&s.file)),
            quotes: vec![n.quote.clone(), s.quote.clone()],
        });
    }
    let meeting = notice.as_ref().or(summary.as_ref());
    let (p0, p1) = (cfg.period.start, cfg.period.end);
    for (f, x) in read(&report.files) {
        let kind = f.kind;
        // Photos: the meeting's days for the meeting's photos, else the project period.
        if kind == Kind::Image
            && let Some(taken) = x.taken_at.as_deref()
            && let Some(day) = Day::parse_iso(taken)
        {
            let held = meeting.filter(|_| has_role(f, &cfg.roles.meeting_photos));
            let (first, last) = match held {
                Some(m) => (
                    m.first.plus(-cfg.period.meeting_slack_days),
                    m.last.plus(cfg.period.meeting_slack_days),
                ),
                None => (p0, p1),
            };
            if day < first || day > last {
                out.push(Item {
                    what: What::PhotoDate {
                        date: taken.to_string(),
                        first: held.map_or(p0, |m| m.first),
                        last: held.map_or(p1, |m| m.last),
                        meeting: held.is_some(),
                    },
                    a: side(&f.path),
                    b: None,
                    quotes: date_fields(
                        x,
                        &[
                            "DateTimeOriginal",
                            "XMP exif:DateTimeOriginal",
                            "XMP photoshop:DateCreated",
                            "XMP xmp:CreateDate",
                            "IPTC DateCreated",
                        ],
                    )
                    .into_iter()
                    .chain(held.map(|m| format!("{}：{}", m.file, m.quote)))
                    .collect(),
                });
            }
        }
        if matches!(kind, Kind::Document | Kind::Deck | Kind::Sheet)
            && let Some(created) = x.created.as_deref()
            && let Some(day) = Day::parse_iso(created)
            && (day < p0 || day > p1)
        {
            out.push(Item {
                what: What::DocumentDate {
                    date: created.replace('T', " "),
                    first: p0,
                    last: p1,
                },
                a: side(&f.path),
                b: None,
                quotes: vec![format!("created = {created}")],
            });
        }
        if has_role(f, &cfg.roles.news)
            && let Some((s, quote)) = news_date(x, cfg)
            && (s.first < p0 || s.first > p1)
        {
            out.push(Item {
                what: What::NewsDate {
                    date: s.first.to_string(),
                    first: p0,
                    last: p1,
                },
                a: side(&f.path),
                b: None,
                quotes: vec![quote],
            });
        }
        if kind == Kind::Video
            && let Some(created) = x.created.as_deref()
            && let Some(day) = Day::parse_iso(created)
        {
            let bound = meeting.map_or(p0, |m| m.first);
            if day < bound {
                out.push(Item {
                    what: What::RecordingDate {
                        date: created.replace('T', " "),
                        first: bound,
                        meeting: meeting.is_some(),
                    },
                    a: side(&f.path),
                    b: None,
                    quotes: std::iter::once(format!("creation_time = {created}"))
                        .chain(meeting.map(|m| format!("{}：{}", m.file, m.quote)))
                        .collect(),
                });
            }
        }
    }
    out.extend(code_mismatches(report, project, sets));
    out.extend(society_mismatch(report, project));
    out
}

/// `2025-08-20` or `2025-08-20 至 2025-08-22`.
pub(crate) fn span(first: Day, last: Day) -> String {
    if first == last {
        first.to_string()
    } else {
        format!("{first} – {last}")
    }
}

/// The metadata fields that carry a photo's date, as `name = value`.
fn date_fields(x: &Facts, names: &[&str]) -> Vec<String> {
    names
        .iter()
        .filter_map(|n| x.metadata.iter().find(|m| m.name == *n))
        .take(1)
        .map(|m| format!("{} = {}", m.name, m.value))
        .collect()
}

/// A news item's own date: the first date right after one of `news_words`, with the
/// sentence it is in.
fn news_date(x: &Facts, cfg: &CrossConfig) -> Option<(Stated, String)> {
    let text = x.all_text();
    let year = cfg.period.start.ymd().0;
    let all = dates::stated(&text, year);
    for w in &cfg.dates.news_words {
        for (i, _) in text.match_indices(w.as_str()) {
            let after = i + w.len();
            if let Some(s) = all
                .iter()
                .find(|s| s.start >= after && text[after..s.start].chars().count() <= 3)
            {
                let quote = dates::around(&text, i, s.end, 0);
                return Some((s.clone(), quote));
            }
        }
    }
    None
}

fn code_pattern(sets: &[RuleSet]) -> Option<Regex> {
    let prefixes: Vec<String> = sets.iter().map(|s| regex::escape(&s.code_prefix)).collect();
    if prefixes.is_empty() {
        return None;
    }
    Regex::new(&format!(r"(?i)({})[-－—_](\d{{1,3}})", prefixes.join("|"))).ok()
}

/// Project codes in the documents that are not the folder's.
fn code_mismatches(report: &Report, project: usize, sets: &[RuleSet]) -> Vec<Item> {
    let Some(code) = report.project.code.as_deref() else {
        return Vec::new();
    };
    let Some(re) = code_pattern(sets) else {
        return Vec::new();
    };
    let Some(own) = re.captures(code) else {
        return Vec::new();
    };
    let own_key = (
        own[1].to_ascii_uppercase(),
        own[2].parse::<u32>().unwrap_or(0),
    );
    let mut seen: BTreeMap<String, Item> = BTreeMap::new();
    for (f, x) in read(&report.files) {
        let text = x.all_text();
        for c in re.captures_iter(&text) {
            let key = (c[1].to_ascii_uppercase(), c[2].parse::<u32>().unwrap_or(0));
            if key == own_key {
                continue;
            }
            let found = format!("{}-{:02}", key.0, key.1);
            let Some(m) = c.get(0) else { continue };
            seen.entry(found.clone()).or_insert_with(|| Item {
                what: What::CodeMismatch {
                    found,
                    code: code.to_string(),
                },
                a: Side {
                    project,
                    path: f.path.clone(),
                },
                b: None,
                quotes: vec![dates::around(&text, m.start(), m.end(), 30)],
            });
        }
    }
    seen.into_values().collect()
}

/// The part of a society's name after the region (`新疆农学会` → `农学会`).
fn core(name: &str) -> &str {
    ["新疆维吾尔自治区", "新疆", "自治区"]
        .iter()
        .find_map(|p| name.strip_prefix(p))
        .unwrap_or(name)
}

/// The documents name another society, often, and never the one in the folder's name.
fn society_mismatch(report: &Report, project: usize) -> Vec<Item> {
    let Some(own) = society(&report.project.name) else {
        return Vec::new();
    };
    let Ok(re) = Regex::new(
        r"((?:新疆维吾尔自治区|新疆|自治区)[\p{Han}]{1,14}?(?:学会|协会|研究会|促进会|联合会))",
    ) else {
        return Vec::new();
    };
    let own_core = core(&own).to_string();
    let mut counts: BTreeMap<String, (usize, String, String)> = BTreeMap::new();
    for (f, x) in read(&report.files) {
        let text = x.all_text();
        if text.contains(own_core.as_str()) {
            return Vec::new();
        }
        for m in re.find_iter(&text) {
            let name = m.as_str();
            // The programme's own bodies, not a society: 自治区科协…, 科技社团党委.
            if name.contains("科协") || name.contains("所属") || core(name) == own_core {
                continue;
            }
            let e = counts.entry(name.to_string()).or_insert_with(|| {
                (
                    0,
                    f.path.clone(),
                    dates::around(&text, m.start(), m.end(), 30),
                )
            });
            e.0 += 1;
        }
    }
    let Some((found, (n, file, quote))) = counts.into_iter().max_by_key(|(_, (n, _, _))| *n) else {
        return Vec::new();
    };
    if n < 2 {
        return Vec::new();
    }
    vec![Item {
        what: What::SocietyMismatch {
            found,
            n,
            society: own,
        },
        a: Side {
            project,
            path: file,
        },
        b: None,
        quotes: vec![quote],
    }]
}
