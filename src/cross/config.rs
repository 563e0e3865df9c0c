//! The settings of the cross-submission pass, read from `checks/cross/2025.toml`.
//!
//! Why a file of data and not constants: the project period, which roles state the meeting
//! dates and every threshold are decisions a reviewer may want to read and next year's
//! programme will change, like the rule files beside it. Unknown keys are refused and a wrong
//! value is reported with its line (toml's own error), before any submission is read.

use std::collections::HashSet;

use serde::Deserialize;

use super::dates::Day;
use super::text;
use crate::rules::RuleSet;

/// The built-in settings (compiled in).
pub(crate) const BUILTIN: &str = include_str!("../../checks/cross/2025.toml");
const BUILTIN_NAME: &str = "checks/cross/2025.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CrossConfig {
    pub period: Period,
    pub roles: Roles,
    pub dates: DateWords,
    pub text: TextSettings,
    pub photos: PhotoSettings,
    pub recordings: RecordingSettings,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Period {
    #[serde(deserialize_with = "day")]
    pub start: Day,
    #[serde(deserialize_with = "day")]
    pub end: Day,
    pub meeting_slack_days: i64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Roles {
    pub notice: Vec<String>,
    pub notice_words: Vec<String>,
    pub summary: Vec<String>,
    pub meeting_photos: Vec<String>,
    pub news: Vec<String>,
    pub text_skip: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DateWords {
    pub meeting_words: Vec<String>,
    pub meeting_verbs: Vec<String>,
    pub news_words: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TextSettings {
    pub min_shared_chars: usize,
    pub min_chars: usize,
    pub min_passage_chars: usize,
    pub common_share: f64,
    pub common_min: usize,
    pub min_common_prints: usize,
    pub boilerplate: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PhotoSettings {
    pub max_distance: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RecordingSettings {
    pub max_duration_diff_s: f64,
    pub min_similarity: f64,
}

fn day<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Day, D::Error> {
    let s = String::deserialize(d)?;
    Day::parse_iso(&s)
        .ok_or_else(|| serde::de::Error::custom(format!("不是日期（YYYY-MM-DD）：{s}")))
}

impl CrossConfig {
    /// The settings compiled into the binary.
    pub(crate) fn builtin() -> Result<CrossConfig, String> {
        Self::parse(BUILTIN_NAME, BUILTIN)
    }

    /// Parses and checks one settings file; the error names the file and the line.
    pub(crate) fn parse(name: &str, text: &str) -> Result<CrossConfig, String> {
        let c: CrossConfig = toml::from_str(text).map_err(|e| format!("{name}: {e}"))?;
        let mut problems = Vec::new();
        if c.period.end < c.period.start {
            problems.push("period.end 早于 period.start".to_string());
        }
        if !(0.0..=1.0).contains(&c.text.common_share) {
            problems.push("text.common_share 应在 0 与 1 之间".to_string());
        }
        if !(0.0..=1.0).contains(&c.recordings.min_similarity) {
            problems.push("recordings.min_similarity 应在 0 与 1 之间".to_string());
        }
        if c.photos.max_distance >= 128 {
            problems.push("photos.max_distance 应小于 128（256 位哈希的一半）".to_string());
        }
        if c.text.min_common_prints == 0 {
            problems.push("text.min_common_prints 至少为 1".to_string());
        }
        if problems.is_empty() {
            Ok(c)
        } else {
            Err(format!("{name}: {}", problems.join("；")))
        }
    }

    /// The shingles that never count as shared: the labels, titles and guide quotes of the
    /// rule sets, and the boilerplate listed here.
    pub(crate) fn boilerplate(&self, sets: &[RuleSet]) -> HashSet<u64> {
        let mut texts: Vec<&str> = self.text.boilerplate.iter().map(String::as_str).collect();
        for s in sets {
            texts.extend(s.labels.iter().map(String::as_str));
            texts.push(&s.title);
            texts.push(&s.guide);
            for r in &s.requirements {
                texts.push(&r.title);
                texts.push(&r.guide);
            }
            for r in &s.roles {
                texts.push(&r.name);
            }
        }
        texts.into_iter().flat_map(text::all_shingles).collect()
    }

    /// How many submissions make a fingerprint boilerplate, in a year of `n`.
    pub(crate) fn common_threshold(&self, n: usize) -> usize {
        let share = (self.text.common_share * n as f64).ceil() as usize;
        share.max(self.text.common_min).max(2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_loads_and_mistakes_name_their_line() {
        let c = CrossConfig::builtin().unwrap();
        assert_eq!(c.period.start, Day::parse_iso("2025-06-20").unwrap());
        assert_eq!(c.common_threshold(8), 5);
        assert_eq!(c.common_threshold(300), 60);
        let bad = BUILTIN.replace("max_distance = 64", "max_distance = 64\nmax_distanse = 3");
        let e = CrossConfig::parse("x.toml", &bad).unwrap_err();
        assert!(e.contains("max_distanse") && e.contains("line"), "{e}");
        let bad = BUILTIN.replace("end = \"2026-06-30\"", "end = \"2024-01-01\"");
        let e = CrossConfig::parse("x.toml", &bad).unwrap_err();
        assert!(e.contains("period.end"), "{e}");
        let bad = BUILTIN.replace("start = \"2025-06-20\"", "start = \"6月20日\"");
        assert!(CrossConfig::parse("x.toml", &bad).is_err());
    }
}
