//! What no single dossier shows (issue #16): reuse and inconsistency across a year's
//! submissions, found by `yanshou audit` after it has read them all.
//!
//! - **Text** ([`textpairs`]): documents of different submissions (and of earlier years,
//!   `--compare-with`) that share passages, by sampled shingle fingerprints and an inverted
//!   index — only documents that share fingerprints are ever compared — with boilerplate (the
//!   guide's wording, the labels, a template's fixed sentences) left out; a pair is reported
//!   with the share of each document and two quoted passages.
//! - **Photos** ([`photos`]): the same picture resized, recompressed, cropped a little or
//!   relabelled, within a submission or across them, by a 256-bit perceptual hash and a
//!   Hamming threshold (a BK-tree, not every pair).
//! - **Recordings** ([`media`]): one recording handed in twice, by duration and a sketch of
//!   sampled data.
//! - **Dates and names** ([`local`]): photos, documents, news and recordings dated outside the
//!   project period or the meeting; a project code or society in the documents that is not
//!   the folder's; a notice and a summary that date the meeting differently.
//!
//! Memory stays flat in what is *read*: each project hands over compact fingerprints once its
//! dossier is written ([`Pass::add`]) — a few hundred 32-bit fingerprints per document, a
//! 256-bit hash per photo, 32 hashes per recording — while the texts needed to quote a pair and
//! the photo previews are spilled to a private folder under `--out` ([`store`]) and read back
//! only for the pairs found. The fingerprints are also written next to `summary.json`
//! (`fingerprints.jsonl`), which is what `--compare-with` reads next year.
//!
//! Findings change no requirement verdict, no overall verdict and no exit code: `check` and
//! `audit` agree on every submission. They are added to the dossiers of the projects they
//! concern (written again from the report the spill kept, see `audit::cross`), listed on the
//! index page and counted in a summary column.

pub(crate) mod config;
pub(crate) mod dates;
pub(crate) mod local;
pub(crate) mod media;
pub(crate) mod messages;
pub(crate) mod photos;
pub(crate) mod render;
pub(crate) mod store;
pub(crate) mod text;
pub(crate) mod textpairs;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::facts::Kind;
use crate::model::{FileStatus, Report};
use crate::rules::RuleSet;

pub(crate) use config::CrossConfig;
use dates::Day;

/// One side of a finding: a file of a project of the pass (this year's first, in discovery
/// order, then the earlier years').
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub(crate) struct Side {
    pub project: usize,
    pub path: String,
}

/// What was found, with its numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum What {
    /// `shared` characters of side a (`share` of it) are in side b; `other_shared` of b
    /// (`other_share`) are in a. Shares are fractions.
    TextReuse {
        shared: usize,
        share: f64,
        other_shared: usize,
        other_share: f64,
    },
    PhotoReuse {
        distance: u32,
        max: u32,
    },
    RecordingReuse {
        seconds: f64,
        similarity: f64,
    },
    PhotoDate {
        date: String,
        first: Day,
        last: Day,
        meeting: bool,
    },
    DocumentDate {
        date: String,
        first: Day,
        last: Day,
    },
    NewsDate {
        date: String,
        first: Day,
        last: Day,
    },
    RecordingDate {
        date: String,
        first: Day,
        meeting: bool,
    },
    CodeMismatch {
        found: String,
        code: String,
    },
    SocietyMismatch {
        found: String,
        n: usize,
        society: String,
    },
    MeetingDates {
        notice: String,
        summary: String,
    },
}

impl What {
    /// The stable code of this kind of finding.
    pub(crate) fn code(&self) -> &'static str {
        match self {
            What::TextReuse { .. } => "cross.text_reuse",
            What::PhotoReuse { .. } => "cross.photo_reuse",
            What::RecordingReuse { .. } => "cross.recording_reuse",
            What::PhotoDate { .. } => "cross.photo_date",
            What::DocumentDate { .. } => "cross.document_date",
            What::NewsDate { .. } => "cross.news_date",
            What::RecordingDate { .. } => "cross.recording_date",
            What::CodeMismatch { .. } => "cross.code_mismatch",
            What::SocietyMismatch { .. } => "cross.society_mismatch",
            What::MeetingDates { .. } => "cross.meeting_date_mismatch",
        }
    }

    /// Order of the kinds in every list: reuse first, then dates, then names.
    pub(crate) fn rank(&self) -> usize {
        messages::CODES
            .iter()
            .position(|(c, _)| *c == self.code())
            .unwrap_or(usize::MAX)
    }
}

/// One finding: side `a`, and side `b` for pairs (reuse, two dates that differ).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Item {
    pub what: What,
    pub a: Side,
    pub b: Option<Side>,
    /// The evidence quoted (passages, dates as written, metadata values).
    pub quotes: Vec<String>,
}

/// A project of the pass: this year's (with its output folder) or an earlier year's.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct ProjectInfo {
    pub name: String,
    /// Its folder under `--out` (this year) or under the earlier audit's folder.
    pub dir: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub society: Option<String>,
}

/// The fingerprints of one project, as kept in memory and written to `fingerprints.jsonl`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct ProjectPrints {
    #[serde(flatten)]
    pub info: ProjectInfo,
    #[serde(default)]
    pub docs: Vec<DocPrints>,
    #[serde(default)]
    pub photos: Vec<PhotoPrints>,
    #[serde(default)]
    pub recordings: Vec<RecordingPrints>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct DocPrints {
    pub path: String,
    /// Characters after normalisation.
    pub chars: usize,
    /// Sampled shingle fingerprints, sorted (see [`text`]); base64 of little-endian u32s.
    #[serde(with = "store::packed")]
    pub prints: Vec<u32>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct PhotoPrints {
    pub path: String,
    pub phash: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumb: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct RecordingPrints {
    pub path: String,
    pub seconds: f64,
    pub sketch: Vec<String>,
}

/// Settings of one pass.
#[derive(Debug, Clone)]
pub(crate) struct PassOptions {
    pub config: CrossConfig,
    /// Earlier audits' output folders (`--compare-with`).
    pub earlier: Vec<PathBuf>,
}

/// The pass over one audit: fed one project at a time, finished once.
pub(crate) struct Pass {
    cfg: CrossConfig,
    boilerplate: std::collections::HashSet<u64>,
    sets: Vec<RuleSet>,
    spill: store::Spill,
    state: Mutex<State>,
    earlier: Vec<PathBuf>,
}

#[derive(Default)]
struct State {
    /// This year's projects by discovery index (`None`: not checked).
    projects: Vec<Option<ProjectPrints>>,
    local: Vec<Item>,
}

/// What a finished pass hands back.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    /// Every project the items refer to: this year's by index, then the earlier years'.
    pub projects: Vec<ProjectInfo>,
    /// For each project, the earlier audit it comes from (`None`: this year).
    pub earlier: Vec<Option<store::Earlier>>,
    pub items: Vec<Item>,
    /// Photo previews by (project, path), for the items that show them.
    pub thumbs: std::collections::HashMap<(usize, String), String>,
    /// Documents, photos and recordings compared.
    pub counts: Counts,
}

/// How much the pass looked at, and what it cost.
#[derive(Debug, Default, Clone, Copy, Serialize, schemars::JsonSchema)]
pub struct Counts {
    pub documents: usize,
    pub photos: usize,
    pub recordings: usize,
    pub candidate_pairs: usize,
    pub earlier_projects: usize,
}

impl Pass {
    /// A pass writing its spill under `out`; `n` projects are expected.
    pub(crate) fn new(
        out: &Path,
        n: usize,
        sets: &[RuleSet],
        opts: &PassOptions,
    ) -> std::io::Result<Pass> {
        let spill = store::Spill::new(out)?;
        Ok(Pass {
            boilerplate: opts.config.boilerplate(sets),
            cfg: opts.config.clone(),
            sets: sets.to_vec(),
            spill,
            state: Mutex::new(State {
                projects: vec![None; n],
                local: Vec::new(),
            }),
            earlier: opts.earlier.clone(),
        })
    }

    /// Takes what the pass needs of one checked project (its index in discovery order, its
    /// folder under `--out`). Called from the audit's worker threads.
    pub(crate) fn add(&self, index: usize, dir: &str, report: &Report) {
        let info = ProjectInfo {
            name: report.project.name.clone(),
            dir: dir.to_string(),
            code: report.project.code.clone(),
            society: report.project.society.clone(),
        };
        let mut prints = ProjectPrints {
            info,
            ..ProjectPrints::default()
        };
        let mut texts = Vec::new();
        for f in &report.files {
            if f.status != FileStatus::Read {
                continue;
            }
            let Some(x) = &f.facts else { continue };
            match f.kind {
                Kind::Document | Kind::Deck => {
                    if f.role
                        .as_ref()
                        .is_some_and(|r| self.cfg.roles.text_skip.contains(r))
                    {
                        continue;
                    }
                    let body = x.counted_text();
                    let (chars, fp) = text::fingerprints(&body, &self.boilerplate);
                    if chars < self.cfg.text.min_chars || fp.is_empty() {
                        continue;
                    }
                    prints.docs.push(DocPrints {
                        path: f.path.clone(),
                        chars,
                        prints: fp,
                    });
                    texts.push(body);
                }
                Kind::Image => {
                    if let Some(p) = &x.prints
                        && let Some(h) = &p.phash
                    {
                        prints.photos.push(PhotoPrints {
                            path: f.path.clone(),
                            phash: h.clone(),
                            thumb: p.thumb.clone(),
                        });
                    }
                }
                Kind::Video => {
                    if let Some(p) = &x.prints
                        && !p.sketch.is_empty()
                        && let Some(s) = x.duration_s
                    {
                        prints.recordings.push(RecordingPrints {
                            path: f.path.clone(),
                            seconds: s,
                            sketch: p.sketch.clone(),
                        });
                    }
                }
                _ => {}
            }
        }
        let local = local::findings(report, index, &self.cfg, &self.sets);
        // The spill keeps the texts, previews and the report; memory keeps the fingerprints.
        let kept = self.spill.put(index, &prints, &texts) && self.spill.put_report(index, report);
        if let Ok(mut s) = self.state.lock() {
            for p in &mut prints.photos {
                p.thumb = None;
            }
            if kept && let Some(slot) = s.projects.get_mut(index) {
                *slot = Some(prints);
            }
            s.local.extend(local);
        }
    }

    /// The report of a project handed over (read back from the spill), to write its dossier
    /// again with its findings.
    pub(crate) fn report(&self, index: usize) -> Option<Report> {
        self.spill.report(index)
    }

    /// Compares everything handed over (and the earlier years'), and writes
    /// `fingerprints.jsonl` under `out`.
    pub(crate) fn finish(
        &self,
        out: &Path,
        root: &str,
        checked_at: &str,
    ) -> Result<Outcome, String> {
        let state = std::mem::take(
            &mut *self
                .state
                .lock()
                .map_err(|_| "内部错误：跨项目比对的状态不可用".to_string())?,
        );
        let n = state.projects.len();
        let mut all: Vec<ProjectPrints> = state
            .projects
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect();
        let mut earlier_of: Vec<Option<store::Earlier>> = vec![None; n];
        for dir in &self.earlier {
            let (label, projects) = store::read_earlier(dir)?;
            for (line, mut p) in projects {
                for ph in &mut p.photos {
                    ph.thumb = None;
                }
                all.push(p);
                earlier_of.push(Some(store::Earlier {
                    dir: dir.clone(),
                    label: label.clone(),
                    line,
                }));
            }
        }
        let mut counts = Counts {
            documents: all.iter().map(|p| p.docs.len()).sum(),
            photos: all.iter().map(|p| p.photos.len()).sum(),
            recordings: all.iter().map(|p| p.recordings.len()).sum(),
            earlier_projects: all.len() - n,
            candidate_pairs: 0,
        };
        let mut items = state.local;
        let (text_items, candidates) =
            textpairs::find(&all, n, &self.cfg, &self.boilerplate, &|project| {
                self.spill.texts(project)
            });
        counts.candidate_pairs = candidates;
        items.extend(text_items);
        items.extend(photos::find(&all, n, &self.cfg));
        items.extend(media::find(&all, n, &self.cfg));
        items.sort_by(|x, y| {
            (x.a.project, x.what.rank(), &x.a.path, &x.b).cmp(&(
                y.a.project,
                y.what.rank(),
                &y.a.path,
                &y.b,
            ))
        });
        // Previews of the photos the items show.
        let mut thumbs = std::collections::HashMap::new();
        for it in items
            .iter()
            .filter(|i| matches!(i.what, What::PhotoReuse { .. }))
        {
            for side in std::iter::once(&it.a).chain(it.b.as_ref()) {
                let key = (side.project, side.path.clone());
                if thumbs.contains_key(&key) {
                    continue;
                }
                let thumb = if side.project < n {
                    self.spill.thumb(side.project, &side.path)
                } else {
                    earlier_of
                        .get(side.project)
                        .and_then(Option::as_ref)
                        .and_then(|e| store::earlier_thumb(e, &side.path))
                };
                if let Some(t) = thumb {
                    thumbs.insert(key, t);
                }
            }
        }
        self.spill
            .write_fingerprints(&out.join(store::FINGERPRINTS), root, checked_at, n)
            .map_err(|e| format!("无法写入 {}：{e}", store::FINGERPRINTS))?;
        Ok(Outcome {
            projects: all.into_iter().map(|p| p.info).collect(),
            earlier: earlier_of,
            items,
            thumbs,
            counts,
        })
    }
}
