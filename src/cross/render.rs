//! Findings in words: each item seen from each project it concerns (the dossier's section),
//! and once for the index page and the summary column.

use std::path::{Component, Path, PathBuf};

use serde::Serialize;

use super::messages::*;
use super::{Item, Outcome, Side, What};
use crate::lang::Lang;
use crate::model::{Counterpart, Finding};
use crate::msg::Arg;

/// A share (0 … 1) as a percentage people read: `35`, `4.5`, never `0` for something.
pub(crate) fn pct(x: f64) -> String {
    let p = x * 100.0;
    if p > 0.0 && p < 9.95 {
        format!("{p:.1}")
    } else {
        format!("{p:.0}")
    }
}

/// How a project is named in a message: its name (and code), or an earlier year's.
fn project_label(o: &Outcome, project: usize, lang: Lang) -> String {
    let p = &o.projects[project];
    let name = match &p.code {
        Some(c) if !p.name.contains(c.as_str()) => format!("{c} {}", p.name),
        _ => p.name.clone(),
    };
    match o.earlier.get(project).and_then(Option::as_ref) {
        Some(e) => crate::msg!(lang, OTHER_EARLIER, project = name, earlier = &e.label),
        None => crate::msg!(lang, OTHER_PROJECT, project = name),
    }
}

/// The message of `item` as the project of side `me` reads it.
pub(crate) fn message(item: &Item, o: &Outcome, mine_is_a: bool, lang: Lang) -> String {
    let (me, other) = if mine_is_a {
        (&item.a, item.b.as_ref())
    } else {
        (item.b.as_ref().unwrap_or(&item.a), Some(&item.a))
    };
    let other_file = other.map(|s| s.path.clone()).unwrap_or_default();
    let other_name = other
        .map(|s| project_label(o, s.project, lang))
        .unwrap_or_default();
    let file = me.path.as_str();
    let within = other.is_some_and(|s| s.project == me.project);
    match &item.what {
        What::TextReuse {
            shared,
            share,
            other_shared,
            other_share,
        } => {
            let (s, sh, os) = if mine_is_a {
                (*shared, *share, *other_share)
            } else {
                (*other_shared, *other_share, *share)
            };
            crate::msg!(
                lang,
                TEXT_REUSE,
                file = file,
                chars = s,
                other = other_name,
                other_file = other_file,
                share = pct(sh),
                other_share = pct(os)
            )
        }
        What::PhotoReuse { distance, max } => {
            let m = if within {
                PHOTO_REUSE_WITHIN
            } else {
                PHOTO_REUSE
            };
            crate::msg!(
                lang,
                m,
                file = file,
                other = other_name,
                other_file = other_file,
                distance = Arg::plain(u64::from(*distance)),
                max = Arg::plain(u64::from(*max))
            )
        }
        What::RecordingReuse {
            seconds,
            similarity,
        } => {
            let m = if within {
                RECORDING_REUSE_WITHIN
            } else {
                RECORDING_REUSE
            };
            crate::msg!(
                lang,
                m,
                file = file,
                other = other_name,
                other_file = other_file,
                duration = crate::units::duration(*seconds),
                similarity = pct(*similarity)
            )
        }
        What::PhotoDate {
            date,
            first,
            last,
            meeting,
        } => crate::msg!(
            lang,
            PHOTO_DATE,
            file = file,
            date = date,
            window = window_words(*meeting, lang),
            first = first.to_string(),
            last = last.to_string()
        ),
        What::DocumentDate { date, first, last } => crate::msg!(
            lang,
            DOCUMENT_DATE,
            file = file,
            date = date,
            first = first.to_string(),
            last = last.to_string()
        ),
        What::NewsDate { date, first, last } => crate::msg!(
            lang,
            NEWS_DATE,
            file = file,
            date = date,
            first = first.to_string(),
            last = last.to_string()
        ),
        What::RecordingDate {
            date,
            first,
            meeting,
        } => crate::msg!(
            lang,
            RECORDING_DATE,
            file = file,
            date = date,
            window = window_words(*meeting, lang),
            first = first.to_string()
        ),
        What::CodeMismatch { found, code } => {
            crate::msg!(lang, CODE_MISMATCH, file = file, found = found, code = code)
        }
        What::SocietyMismatch { found, n, society } => crate::msg!(
            lang,
            SOCIETY_MISMATCH,
            file = file,
            found = found,
            n = *n,
            society = society
        ),
        What::MeetingDates { notice, summary } => crate::msg!(
            lang,
            MEETING_DATE_MISMATCH,
            file = item.a.path.as_str(),
            other_file = item.b.as_ref().map(|b| b.path.as_str()).unwrap_or(""),
            notice = notice,
            summary = summary
        ),
    }
}

/// `to` relative to the folder `from` (both absolute or both relative to the same place).
pub(crate) fn relative(from: &Path, to: &Path) -> PathBuf {
    let (f, t): (Vec<Component>, Vec<Component>) =
        (from.components().collect(), to.components().collect());
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..f.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c.as_os_str());
    }
    out
}

/// Where the dossier of `side`'s project is, relative to the folder `from` (`None` for an
/// earlier project whose folder cannot be located).
fn dossier_link(o: &Outcome, project: usize, out: &Path, from: &Path) -> Option<String> {
    let dir = &o.projects[project].dir;
    let target = match o.earlier.get(project).and_then(Option::as_ref) {
        None => out.join(dir).join("dossier.html"),
        Some(e) => {
            let base = e.dir.canonicalize().ok()?;
            base.join(dir).join("dossier.html")
        }
    };
    let from = from.canonicalize().unwrap_or_else(|_| from.to_path_buf());
    let target = if target.is_absolute() {
        target
    } else {
        std::env::current_dir().ok()?.join(target)
    };
    let from = if from.is_absolute() {
        from
    } else {
        std::env::current_dir().ok()?.join(from)
    };
    Some(
        relative(&from, &target)
            .to_string_lossy()
            .replace('\\', "/"),
    )
}

fn counterpart(o: &Outcome, side: &Side, same: bool, out: &Path, from: &Path) -> Counterpart {
    let p = &o.projects[side.project];
    Counterpart {
        project: p.name.clone(),
        code: p.code.clone(),
        path: side.path.clone(),
        dossier: if same {
            None
        } else {
            dossier_link(o, side.project, out, from)
        },
        earlier: o
            .earlier
            .get(side.project)
            .and_then(Option::as_ref)
            .map(|e| e.label.clone()),
        same,
    }
}

/// For each of this year's `n` projects, the indexes of the items that concern it (one pass
/// over the items, not one per project).
pub(crate) fn by_project(o: &Outcome, n: usize) -> Vec<Vec<usize>> {
    let mut v = vec![Vec::new(); n];
    for (i, item) in o.items.iter().enumerate() {
        let a = item.a.project;
        if let Some(slot) = v.get_mut(a) {
            slot.push(i);
        }
        if let Some(b) = &item.b
            && b.project != a
            && let Some(slot) = v.get_mut(b.project)
        {
            slot.push(i);
        }
    }
    v
}

/// The findings of one project of this year, for its dossier (`out`: the audit's folder;
/// `items`: the indexes [`by_project`] gave it).
pub(crate) fn findings_for(
    o: &Outcome,
    project: usize,
    items: &[usize],
    out: &Path,
    lang: Lang,
) -> Vec<Finding> {
    let here = out.join(&o.projects[project].dir);
    let mut v = Vec::new();
    for item in items.iter().filter_map(|i| o.items.get(*i)) {
        let is_a = item.a.project == project;
        let is_b = item.b.as_ref().is_some_and(|b| b.project == project);
        if !is_a && !is_b {
            continue;
        }
        // A pair within the project is listed once, from its first side.
        let mine_is_a = is_a;
        let (me, other) = if mine_is_a {
            (&item.a, item.b.as_ref())
        } else {
            (item.b.as_ref().unwrap_or(&item.a), Some(&item.a))
        };
        let same = other.is_some_and(|s| s.project == project);
        let mut files = vec![me.path.clone()];
        if same && let Some(s) = other {
            files.push(s.path.clone());
        }
        let thumbs: Vec<String> = if matches!(item.what, What::PhotoReuse { .. }) {
            std::iter::once(me)
                .chain(other)
                .filter_map(|s| o.thumbs.get(&(s.project, s.path.clone())).cloned())
                .collect()
        } else {
            Vec::new()
        };
        v.push(Finding {
            code: item.what.code().to_string(),
            message: message(item, o, mine_is_a, lang),
            files,
            other: other.map(|s| counterpart(o, s, same, out, &here)),
            quotes: item.quotes.clone(),
            thumbs,
        });
    }
    v
}

/// The summary cell of a project: how many findings, by kind ("3：文字雷同 2；照片重复 1").
pub(crate) fn summary_cell(findings: &[Finding], lang: Lang) -> String {
    if findings.is_empty() {
        return String::new();
    }
    let mut parts: Vec<String> = Vec::new();
    for (code, zh) in CODES {
        let n = findings.iter().filter(|f| f.code == *code).count();
        if n > 0 {
            parts.push(match lang {
                Lang::Zh => format!("{zh} {n}"),
                Lang::En => format!("{} {n}", name_en(code)),
            });
        }
    }
    match lang {
        Lang::Zh => format!("{}：{}", findings.len(), parts.join("；")),
        Lang::En => format!("{}: {}", findings.len(), parts.join("; ")),
    }
}

/// One side of a finding on the index page.
#[derive(Debug, Clone, Serialize)]
pub struct IndexSide {
    pub project: String,
    pub code: String,
    /// Link to its dossier from the index (`None`: no dossier to link).
    pub link: Option<String>,
    pub path: String,
    pub thumb: Option<String>,
    /// The earlier audit it comes from.
    pub earlier: Option<String>,
}

/// A finding on the index page, from its first side.
#[derive(Debug, Clone, Serialize)]
pub struct IndexItem {
    pub code: String,
    pub kind: String,
    pub message: String,
    pub a: IndexSide,
    pub b: Option<IndexSide>,
    pub quotes: Vec<String>,
}

/// Every finding for the index page (links relative to `out`, where index.html is).
pub(crate) fn index_items(o: &Outcome, out: &Path, lang: Lang) -> Vec<IndexItem> {
    let side = |s: &Side, photo: bool| {
        let p = &o.projects[s.project];
        IndexSide {
            project: p.name.clone(),
            code: p.code.clone().unwrap_or_default(),
            link: dossier_link(o, s.project, out, out),
            path: s.path.clone(),
            thumb: photo
                .then(|| o.thumbs.get(&(s.project, s.path.clone())).cloned())
                .flatten(),
            earlier: o
                .earlier
                .get(s.project)
                .and_then(Option::as_ref)
                .map(|e| e.label.clone()),
        }
    };
    o.items
        .iter()
        .map(|item| {
            let photo = matches!(item.what, What::PhotoReuse { .. });
            let code = item.what.code();
            IndexItem {
                code: code.to_string(),
                kind: match lang {
                    Lang::Zh => CODES
                        .iter()
                        .find(|(c, _)| *c == code)
                        .map_or(code, |(_, zh)| zh)
                        .to_string(),
                    Lang::En => name_en(code).to_string(),
                },
                message: message(item, o, true, lang),
                a: side(&item.a, photo),
                b: item.b.as_ref().map(|b| side(b, photo)),
                quotes: item.quotes.clone(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_and_relative_links() {
        for (x, want) in [
            (0.35, "35"),
            (0.045, "4.5"),
            (0.0, "0"),
            (1.0, "100"),
            (0.0996, "10"),
        ] {
            assert_eq!(pct(x), want, "{x}");
        }
        let table = [
            (
                "/out/XXJL-01",
                "/out/XXJL-02/dossier.html",
                "../XXJL-02/dossier.html",
            ),
            ("/out", "/out/XXJL-02/dossier.html", "XXJL-02/dossier.html"),
            (
                "/y2025/out/A",
                "/y2024/out/B/dossier.html",
                "../../../y2024/out/B/dossier.html",
            ),
        ];
        for (from, to, want) in table {
            assert_eq!(
                relative(Path::new(from), Path::new(to)),
                PathBuf::from(want)
            );
        }
    }
}
