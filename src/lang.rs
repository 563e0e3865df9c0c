//! The language of everything yanshou writes (`--lang zh|en`), and the words of the small
//! vocabularies every layer shares: verdicts, file statuses, parts of a document, confidence,
//! how a duration was measured, and problem codes ([`problems`]).
//!
//! Why at the bottom of the crate: the evaluator, the messages ([`crate::msg`]) and the rule
//! explanations write in the language of the check as much as the renderers do; keeping the
//! language and these words here lets them all depend downwards. The renderers' own fixed
//! wording (headings, column names) is in [`crate::report::lang`].

pub mod problems;

use serde::Serialize;

use crate::facts::{Confidence, DurationMethod, PartKind, Problem};
use crate::model::{FileStatus, Verdict};

/// The language of the fixed wording.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// 中文（默认）
    #[default]
    Zh,
    /// English (the guide's wording stays in Chinese)
    En,
}

impl Lang {
    /// The verdict word: 通过 / pass …
    pub fn verdict(self, v: Verdict) -> &'static str {
        match self {
            Lang::Zh => v.zh(),
            Lang::En => match v {
                Verdict::Pass => "pass",
                Verdict::Review => "needs review",
                Verdict::Fail => "fail",
            },
        }
    }

    /// How reading a file ended: 已读取 / read …
    pub fn status(self, s: FileStatus) -> &'static str {
        match self {
            Lang::Zh => s.zh(),
            Lang::En => match s {
                FileStatus::Read => "read",
                FileStatus::Unreadable => "unreadable",
                FileStatus::Unsupported => "unsupported",
                FileStatus::Ignored => "ignored",
            },
        }
    }

    /// Where in a file something was seen: 正文 / body …
    pub fn part(self, k: PartKind) -> &'static str {
        match self {
            Lang::Zh => k.zh(),
            Lang::En => match k {
                PartKind::Body => "body",
                PartKind::Tables => "tables",
                PartKind::Notes => "footnotes/endnotes",
                PartKind::TextBoxes => "text boxes",
                PartKind::HeadersFooters => "headers/footers",
                PartKind::Comments => "comments",
                PartKind::Slides => "slides",
                PartKind::SpeakerNotes => "speaker notes",
                PartKind::Masters => "slide masters/layouts",
                PartKind::Metadata => "metadata",
                PartKind::Ocr => "text read by OCR",
            },
        }
    }

    /// 高 / high …
    pub fn confidence(self, c: Confidence) -> &'static str {
        match self {
            Lang::Zh => c.zh(),
            Lang::En => match c {
                Confidence::High => "high",
                Confidence::Medium => "medium",
                Confidence::Low => "low",
            },
        }
    }

    /// How a duration was measured: 文件头 / header …
    pub fn duration_method(self, m: DurationMethod) -> &'static str {
        match self {
            Lang::Zh => duration_method_zh(m),
            Lang::En => match m {
                DurationMethod::Header => "header",
                DurationMethod::Index => "index",
                DurationMethod::Timestamps => "timestamps",
                DurationMethod::Estimated => "estimate",
            },
        }
    }

    /// A problem's message in this language: the English sentence of its code, or the Chinese
    /// message when the table has none (see the module header).
    pub fn problem(self, p: &Problem) -> &str {
        self.problem_message(&p.code, &p.message)
    }

    /// [`Lang::problem`] from a code and its Chinese message.
    pub fn problem_message<'a>(self, code: &str, zh: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => problems::english(code).unwrap_or(zh),
        }
    }

    /// The HTML `lang` attribute.
    pub fn html(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
}

/// Chinese name of how a duration was measured, shown beside it when it is not a plain header
/// read ("估算" must be visible: an estimate is never enough for a pass on its own).
pub fn duration_method_zh(method: DurationMethod) -> &'static str {
    match method {
        DurationMethod::Header => "文件头",
        DurationMethod::Index => "索引",
        DurationMethod::Timestamps => "时间戳",
        DurationMethod::Estimated => "估算",
    }
}
