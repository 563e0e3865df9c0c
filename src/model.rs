//! The finished dossier as plain serde types, separate from every renderer.
//!
//! The JSON form of [`Report`] is a contract (`schema: "yanshou.dossier/1"`): other tools read
//! `verdict`, `project.category`, `requirements[].{id,title,verdict,measured,threshold,evidence,
//! message}` and `files[].{path,format,role,facts,problems}`. Renderers only read this model.

use serde::{Deserialize, Serialize};

use crate::facts::{Facts, Format, Kind, Problem};

pub const SCHEMA: &str = "yanshou.dossier/1";

/// The outcome of one requirement, and of the dossier.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Review,
    Fail,
}

impl Verdict {
    /// 通过 / 需人工复核 / 不通过.
    pub fn zh(self) -> &'static str {
        match self {
            Verdict::Pass => "通过",
            Verdict::Review => "需人工复核",
            Verdict::Fail => "不通过",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Review => "review",
            Verdict::Fail => "fail",
        }
    }

    /// The overall verdict: fail if any fails, else review if any needs review, else pass.
    pub fn overall(verdicts: impl IntoIterator<Item = Verdict>) -> Verdict {
        verdicts.into_iter().max().unwrap_or(Verdict::Pass)
    }
}

/// A piece of evidence: which file, and what was seen there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Evidence {
    pub path: String,
    pub detail: String,
}

/// One requirement's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RequirementResult {
    pub id: String,
    pub title: String,
    /// The guide's own wording the requirement comes from.
    pub guide: String,
    pub verdict: Verdict,
    /// The measured value: a number where there is one, else text, else null.
    pub measured: serde_json::Value,
    /// The threshold as a number where there is one.
    pub threshold: serde_json::Value,
    /// Human form of the measured value ("3,412 字").
    pub measured_text: String,
    /// Human form of the threshold ("4千字左右（≥3,600）").
    pub threshold_text: String,
    pub evidence: Vec<Evidence>,
    /// What to do (for a fail or review) or what was found (for a pass), in Chinese.
    pub message: String,
    /// The decision-table row that decided (`words.short`; `yanshou rules ID REQ` lists them).
    #[serde(default)]
    pub decision: String,
}

/// How reading a file ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FileStatus {
    Read,
    Unreadable,
    Unsupported,
    Ignored,
}

impl FileStatus {
    pub fn zh(self) -> &'static str {
        match self {
            FileStatus::Read => "已读取",
            FileStatus::Unreadable => "无法读取",
            FileStatus::Unsupported => "暂不支持",
            FileStatus::Ignored => "已忽略",
        }
    }
}

/// One file of the submission and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FileRecord {
    pub path: String,
    pub format: Format,
    pub kind: Kind,
    pub size: u64,
    pub status: FileStatus,
    /// The role it plays (requirement role id), if any.
    pub role: Option<String>,
    /// Why it got that role ("文件名含“总结报告”").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_reason: Option<String>,
    pub facts: Option<Facts>,
    pub problems: Vec<Problem>,
}

/// The project as the dossier sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Project {
    /// Submission folder or file name.
    pub name: String,
    /// Project code (`XXJL-2025-03`) if found in the name.
    pub code: Option<String>,
    /// The society (学会) the submission is from: the part of the name that names one, else
    /// the society the documents name most often.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub society: Option<String>,
    /// Rule-set id (`XXJL-2025`).
    pub category: String,
    pub category_title: String,
    /// How the category was decided ("--category", "folder name", "documents").
    pub category_source: String,
    /// XXJL level (international / national / regional) if known.
    pub level: Option<String>,
    pub level_source: Option<String>,
}

/// Counts by verdict, for summaries.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Tally {
    pub pass: usize,
    pub review: usize,
    pub fail: usize,
    pub files: usize,
    pub unreadable: usize,
}

/// The dossier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Report {
    pub schema: String,
    pub tool: String,
    pub verdict: Verdict,
    /// `--strict` was given: `review` counts as a failure for the exit code.
    pub strict: bool,
    pub project: Project,
    pub tally: Tally,
    pub requirements: Vec<RequirementResult>,
    pub files: Vec<FileRecord>,
    /// The names of the roles `files[].role` refers to, in the report's language, so every
    /// renderer shows a name where a person reads (never a role id).
    #[serde(default)]
    pub roles: Vec<RoleName>,
    /// The archive the submission came in, when it came as one: how it was read. It is the
    /// container, not one of the submission's files, so it is not in `files`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive: Option<FileRecord>,
    /// Why the submission as a whole cannot be checked (an archive that cannot be opened, a
    /// folder with nothing in it): the dossier's first and main reason; the verdict is `fail`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocker: Option<Problem>,
    /// Warnings about how the check was set up (a category chosen by hand that contradicts
    /// the project code), shown at the top of every dossier.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<String>,
    /// What `yanshou audit` found comparing this submission with the others of the year (and
    /// with itself): reuse and dates or names that do not fit (issue #16). Evidence for a
    /// reviewer: they change no verdict. Empty for `yanshou check`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
}

/// One finding of the audit's cross-submission pass (see [`crate::cross`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Finding {
    /// Stable code (`cross.text_reuse`, `cross.photo_date` …; English in
    /// `report::lang::problems`).
    pub code: String,
    /// What was found, with its numbers, in the report's language.
    pub message: String,
    /// The files of this submission it is about.
    pub files: Vec<String>,
    /// The other side of a pair: another submission, or this one (reuse within it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<Counterpart>,
    /// The evidence quoted: shared passages, the dates as written, metadata values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quotes: Vec<String>,
    /// Small previews of the two photos (`data:` URIs), this submission's first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub thumbs: Vec<String>,
}

/// The other submission of a pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Counterpart {
    /// Its name (folder or archive).
    pub project: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Its file.
    pub path: String,
    /// Its dossier, relative to this dossier's folder, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dossier: Option<String>,
    /// The earlier audit it comes from (`--compare-with`), as that audit names its root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub earlier: Option<String>,
    /// It is this same submission (reuse within one).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub same: bool,
}

/// A role's id and the name people read, with the other roles its files also serve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RoleName {
    pub id: String,
    pub name: String,
    /// Names of the roles a file of this role also serves (建议报告 → 决策咨询建议).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<String>,
}

impl Report {
    /// Exit code: 0 no fail, 1 any fail (or any review under `--strict`).
    pub fn exit_code(&self) -> i32 {
        match self.verdict {
            Verdict::Fail => 1,
            Verdict::Review if self.strict => 1,
            _ => 0,
        }
    }
}
