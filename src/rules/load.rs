//! Loading rule files in two stages, the way cargo-deny loads its config.
//!
//! Stage one parses TOML into raw structs that keep spans and reject unknown keys; stage two
//! validates them into a [`RuleSet`], collecting *every* problem (unknown role, missing
//! threshold, a key that the measure does not use, a regex that does not compile, a duplicate
//! id) with `file:line`, so a rule author fixes them all in one go. Nothing of a submission is
//! read until this has succeeded.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use super::{Basis, Level, Measure, Requirement, Role, RuleSet, Severity};
use crate::facts::Kind;

/// One problem in a rule file.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// All problems of one rule file.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleErrors(pub Vec<RuleError>);

impl fmt::Display for RuleErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in &self.0 {
            writeln!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RuleErrors {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    ruleset: RawRuleSet,
    #[serde(default)]
    levels: Vec<RawLevel>,
    #[serde(default)]
    roles: Vec<RawRole>,
    #[serde(default)]
    requirements: Vec<RawRequirement>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRuleSet {
    id: Spanned<String>,
    title: String,
    #[serde(default)]
    title_en: Option<String>,
    guide: String,
    code_prefix: Spanned<String>,
    #[serde(default)]
    detect_keywords: Vec<String>,
    labels: Spanned<Vec<String>>,
    #[serde(default)]
    near_miss_distance: Option<usize>,
    #[serde(default)]
    level_roles: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLevel {
    id: Spanned<String>,
    name: String,
    #[serde(default)]
    name_en: Option<String>,
    keywords: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRole {
    id: Spanned<String>,
    name: String,
    #[serde(default)]
    name_en: Option<String>,
    kinds: Spanned<Vec<String>>,
    keywords: Spanned<Vec<String>>,
    #[serde(default)]
    exclude: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRequirement {
    id: Option<Spanned<String>>,
    title: Option<String>,
    title_en: Option<String>,
    guide: Option<String>,
    threshold: Option<String>,
    threshold_en: Option<String>,
    severity: Option<Spanned<String>>,
    fail_message: Option<String>,
    fail_message_en: Option<String>,
    measure: Option<Spanned<String>>,
    role: Option<Spanned<String>>,
    roles: Option<Vec<Spanned<String>>>,
    basis: Option<Spanned<String>>,
    at_least: Option<Spanned<f64>>,
    tolerance: Option<Spanned<f64>>,
    min: Option<u64>,
    unit: Option<String>,
    unit_en: Option<String>,
    labels: Option<Vec<String>>,
    kinds: Option<Spanned<Vec<String>>>,
    exempt_roles: Option<Vec<Spanned<String>>>,
    patterns: Option<Vec<Spanned<String>>>,
    titles: Option<Vec<String>>,
    outlets: Option<BTreeMap<String, Vec<String>>>,
    pair_with: Option<Spanned<String>>,
    any_of: Option<Vec<RawRequirement>>,
}

impl RawRequirement {
    /// The keys present, to reject those the measure does not use.
    fn present_keys(&self) -> Vec<&'static str> {
        let mut keys = Vec::new();
        let mut add = |on: bool, k: &'static str| {
            if on {
                keys.push(k);
            }
        };
        add(self.role.is_some(), "role");
        add(self.roles.is_some(), "roles");
        add(self.basis.is_some(), "basis");
        add(self.at_least.is_some(), "at_least");
        add(self.tolerance.is_some(), "tolerance");
        add(self.min.is_some(), "min");
        add(self.unit.is_some(), "unit");
        add(self.unit_en.is_some(), "unit_en");
        add(self.labels.is_some(), "labels");
        add(self.kinds.is_some(), "kinds");
        add(self.exempt_roles.is_some(), "exempt_roles");
        add(self.patterns.is_some(), "patterns");
        add(self.titles.is_some(), "titles");
        add(self.outlets.is_some(), "outlets");
        add(self.pair_with.is_some(), "pair_with");
        add(self.any_of.is_some(), "any_of");
        keys
    }
}

/// Keys each measure accepts (beyond id/title/guide/threshold/severity/fail_message/measure
/// and their `_en` twins).
fn allowed_keys(measure: &str) -> Option<&'static [&'static str]> {
    Some(match measure {
        "present" => &["role", "min"],
        "count" => &["role", "at_least", "unit", "unit_en"],
        "words" => &["role", "basis", "at_least", "tolerance"],
        "duration_each" => &["role", "at_least", "min", "pair_with"],
        "label" => &["labels", "kinds", "exempt_roles"],
        "figure" => &["roles", "patterns", "at_least", "unit", "unit_en"],
        "titled_people" => &["role", "titles", "at_least"],
        "news" => &["role", "at_least", "outlets"],
        "any_of" => &["any_of"],
        _ => return None,
    })
}

/// Parses and validates one rule file. `file` is the name used in messages.
pub fn parse(file: &str, source: &str) -> Result<RuleSet, RuleErrors> {
    let mut v = Validator {
        file: file.to_string(),
        source,
        errors: Vec::new(),
    };
    let raw: RawFile = match toml::from_str(source) {
        Ok(raw) => raw,
        Err(e) => {
            let line = e.span().map(|s| v.line(s.start)).unwrap_or(1);
            return Err(RuleErrors(vec![RuleError {
                file: file.to_string(),
                line,
                message: e.message().trim().to_string(),
            }]));
        }
    };
    let set = v.validate(raw);
    if v.errors.is_empty() {
        Ok(set)
    } else {
        v.errors.sort_by_key(|e| e.line);
        Err(RuleErrors(v.errors))
    }
}

struct Validator<'a> {
    file: String,
    source: &'a str,
    errors: Vec<RuleError>,
}

impl Validator<'_> {
    fn line(&self, offset: usize) -> usize {
        self.source
            .get(..offset)
            .map(|s| s.matches('\n').count() + 1)
            .unwrap_or(1)
    }

    fn error(&mut self, offset: usize, message: impl Into<String>) {
        let line = self.line(offset);
        self.errors.push(RuleError {
            file: self.file.clone(),
            line,
            message: message.into(),
        });
    }

    fn validate(&mut self, raw: RawFile) -> RuleSet {
        let rs = raw.ruleset;
        if rs.labels.get_ref().is_empty() {
            self.error(
                rs.labels.span().start,
                "ruleset.labels 不能为空：至少要有一个标识",
            );
        }
        if !rs
            .id
            .get_ref()
            .starts_with(rs.code_prefix.get_ref().as_str())
        {
            self.error(
                rs.code_prefix.span().start,
                format!("code_prefix “{}” 应是 id 的前缀", rs.code_prefix.get_ref()),
            );
        }
        let mut role_ids = BTreeSet::new();
        let mut roles = Vec::new();
        for r in raw.roles {
            if !role_ids.insert(r.id.get_ref().clone()) {
                self.error(
                    r.id.span().start,
                    format!("角色 id “{}” 重复", r.id.get_ref()),
                );
            }
            let kinds = self.kinds(&r.kinds);
            if r.keywords.get_ref().is_empty() {
                self.error(
                    r.keywords.span().start,
                    format!("角色 “{}” 没有关键词，无法识别文件", r.id.get_ref()),
                );
            }
            roles.push(Role {
                id: r.id.into_inner(),
                name: r.name,
                name_en: r.name_en,
                kinds,
                keywords: r.keywords.into_inner(),
                exclude: r.exclude,
            });
        }
        let mut level_roles = Vec::new();
        for lr in rs.level_roles {
            if !role_ids.contains(lr.get_ref()) {
                self.error(lr.span().start, format!("未定义的角色 “{}”", lr.get_ref()));
            }
            level_roles.push(lr.into_inner());
        }
        let levels: Vec<Level> = raw
            .levels
            .into_iter()
            .map(|l| Level {
                id: l.id.into_inner(),
                name: l.name,
                name_en: l.name_en,
                keywords: l.keywords,
            })
            .collect();
        let level_ids: BTreeSet<String> = levels.iter().map(|l| l.id.clone()).collect();
        let labels = rs.labels.into_inner();
        let mut req_ids = BTreeSet::new();
        let mut requirements = Vec::new();
        for r in raw.requirements {
            if let Some(req) = self.requirement(r, &role_ids, &level_ids, &labels, 0) {
                if !req_ids.insert(req.id.clone()) {
                    self.error(0, format!("要求 id “{}” 重复", req.id));
                }
                requirements.push(req);
            }
        }
        RuleSet {
            id: rs.id.into_inner(),
            title: rs.title,
            title_en: rs.title_en,
            guide: rs.guide,
            code_prefix: rs.code_prefix.into_inner(),
            detect_keywords: rs.detect_keywords,
            labels,
            near_miss_distance: rs.near_miss_distance.unwrap_or(2),
            levels,
            level_roles,
            roles,
            requirements,
            source: self.file.clone(),
        }
    }

    fn kinds(&mut self, kinds: &Spanned<Vec<String>>) -> Vec<Kind> {
        let mut out = Vec::new();
        for k in kinds.get_ref() {
            match parse_kind(k) {
                Some(kind) => out.push(kind),
                None => self.error(
                    kinds.span().start,
                    format!(
                        "未知的资源类型 “{k}”（可用：document, deck, sheet, video, image, archive）"
                    ),
                ),
            }
        }
        out
    }

    fn role_ref(
        &mut self,
        role: &Option<Spanned<String>>,
        ids: &BTreeSet<String>,
        at: usize,
    ) -> String {
        match role {
            Some(r) => {
                if !ids.contains(r.get_ref()) {
                    self.error(r.span().start, format!("未定义的角色 “{}”", r.get_ref()));
                }
                r.get_ref().clone()
            }
            None => {
                self.error(at, "缺少 role");
                String::new()
            }
        }
    }

    fn at_least(&mut self, v: &Option<Spanned<f64>>, at: usize) -> f64 {
        match v {
            Some(x) if *x.get_ref() >= 0.0 && x.get_ref().is_finite() => *x.get_ref(),
            Some(x) => {
                self.error(x.span().start, "at_least 必须是非负数");
                0.0
            }
            None => {
                self.error(at, "缺少 at_least（阈值）");
                0.0
            }
        }
    }

    fn requirement(
        &mut self,
        r: RawRequirement,
        role_ids: &BTreeSet<String>,
        level_ids: &BTreeSet<String>,
        labels: &[String],
        depth: usize,
    ) -> Option<Requirement> {
        let Some(measure_name) = r.measure.as_ref() else {
            let at = r.id.as_ref().map(|i| i.span().start).unwrap_or(0);
            self.error(at, "缺少 measure");
            return None;
        };
        let at = measure_name.span().start;
        let measure_str = measure_name.get_ref().clone();
        let id = match &r.id {
            Some(id) => id.get_ref().clone(),
            None => {
                self.error(at, "缺少 id");
                String::new()
            }
        };
        let Some(allowed) = allowed_keys(&measure_str) else {
            self.error(
                at,
                format!(
                    "未知的 measure “{measure_str}”（可用：present, count, words, duration_each, label, figure, titled_people, news, any_of）"
                ),
            );
            return None;
        };
        for key in r.present_keys() {
            if !allowed.contains(&key) {
                self.error(
                    at,
                    format!("要求 “{id}”：measure “{measure_str}” 不使用键 “{key}”"),
                );
            }
        }
        let severity = match &r.severity {
            None => Severity::Fail,
            Some(s) => match s.get_ref().as_str() {
                "fail" => Severity::Fail,
                "review" => Severity::Review,
                other => {
                    self.error(
                        s.span().start,
                        format!("未知的 severity “{other}”（可用：fail, review）"),
                    );
                    Severity::Fail
                }
            },
        };
        if r.title.is_none() && depth == 0 {
            self.error(at, format!("要求 “{id}” 缺少 title"));
        }
        let measure = match measure_str.as_str() {
            "present" => Measure::Present {
                role: self.role_ref(&r.role, role_ids, at),
                min: r.min.unwrap_or(1),
            },
            "count" => Measure::Count {
                role: self.role_ref(&r.role, role_ids, at),
                at_least: self.at_least(&r.at_least, at) as u64,
                unit: r.unit.clone().unwrap_or_else(|| "个".to_string()),
                unit_en: r.unit_en.clone(),
            },
            "words" => {
                let basis = match &r.basis {
                    None => Basis::Words,
                    Some(b) => Basis::parse(b.get_ref()).unwrap_or_else(|| {
                        self.error(
                            b.span().start,
                            format!(
                                "未知的计数口径 “{}”（可用：words, han, cjk, chars_no_space）",
                                b.get_ref()
                            ),
                        );
                        Basis::Words
                    }),
                };
                let tolerance = r.tolerance.as_ref().map(|t| {
                    let x = *t.get_ref();
                    if !(0.5..=1.0).contains(&x) {
                        self.error(t.span().start, "tolerance 应在 0.5 到 1.0 之间（如 0.9）");
                    }
                    x
                });
                Measure::Words {
                    role: self.role_ref(&r.role, role_ids, at),
                    basis,
                    at_least: self.at_least(&r.at_least, at) as u64,
                    tolerance,
                }
            }
            "duration_each" => Measure::DurationEach {
                role: self.role_ref(&r.role, role_ids, at),
                at_least_s: self.at_least(&r.at_least, at),
                min: r.min.unwrap_or(1),
                pair_with: r
                    .pair_with
                    .as_ref()
                    .map(|p| self.role_ref(&Some(p.clone()), role_ids, at)),
            },
            "label" => {
                let kinds = match &r.kinds {
                    Some(k) => self.kinds(k),
                    None => vec![Kind::Document, Kind::Deck, Kind::Video, Kind::Image],
                };
                let labels = r.labels.clone().unwrap_or_else(|| labels.to_vec());
                if labels.is_empty() {
                    self.error(at, format!("要求 “{id}”：labels 为空"));
                }
                let mut exempt_roles = Vec::new();
                for role in r.exempt_roles.iter().flatten() {
                    exempt_roles.push(self.role_ref(&Some(role.clone()), role_ids, at));
                }
                Measure::Label {
                    labels,
                    kinds,
                    exempt_roles,
                }
            }
            "figure" => {
                let mut patterns = Vec::new();
                let mut sources = Vec::new();
                for p in r.patterns.iter().flatten() {
                    match Regex::new(p.get_ref()) {
                        Ok(re) if re.captures_len() >= 2 => {
                            patterns.push(re);
                            sources.push(p.get_ref().clone());
                        }
                        Ok(_) => {
                            self.error(p.span().start, "pattern 需要一个捕获组 (…) 来取出数字")
                        }
                        Err(e) => {
                            self.error(p.span().start, format!("pattern 不是有效的正则表达式：{e}"))
                        }
                    }
                }
                if r.patterns.as_ref().is_none_or(|p| p.is_empty()) {
                    self.error(at, format!("要求 “{id}” 缺少 patterns"));
                }
                let mut roles = Vec::new();
                for role in r.roles.iter().flatten() {
                    roles.push(self.role_ref(&Some(role.clone()), role_ids, at));
                }
                Measure::Figure {
                    roles,
                    patterns,
                    pattern_sources: sources,
                    at_least: self.at_least(&r.at_least, at),
                    unit: r.unit.clone().unwrap_or_default(),
                    unit_en: r.unit_en.clone(),
                }
            }
            "titled_people" => Measure::TitledPeople {
                role: self.role_ref(&r.role, role_ids, at),
                titles: r.titles.clone().unwrap_or_else(|| {
                    self.error(at, format!("要求 “{id}” 缺少 titles"));
                    Vec::new()
                }),
                at_least: self.at_least(&r.at_least, at) as u64,
            },
            "news" => {
                let outlets = r.outlets.clone().unwrap_or_default();
                for level in outlets.keys() {
                    if level != "any" && !level_ids.contains(level) {
                        self.error(at, format!("outlets 中未定义的级别 “{level}”"));
                    }
                }
                Measure::News {
                    role: self.role_ref(&r.role, role_ids, at),
                    at_least: self.at_least(&r.at_least, at) as u64,
                    outlets,
                }
            }
            "any_of" => {
                if depth > 0 {
                    self.error(at, "any_of 不能嵌套");
                    return None;
                }
                let mut alternatives = Vec::new();
                for alt in r.any_of.unwrap_or_default() {
                    if let Some(a) = self.requirement(alt, role_ids, level_ids, labels, depth + 1) {
                        alternatives.push(a);
                    }
                }
                if alternatives.len() < 2 {
                    self.error(at, format!("要求 “{id}”：any_of 至少要有两个备选"));
                }
                Measure::AnyOf { alternatives }
            }
            _ => return None,
        };
        Some(Requirement {
            id,
            title: r.title.unwrap_or_default(),
            title_en: r.title_en,
            guide: r.guide.unwrap_or_default(),
            threshold_label: r.threshold.unwrap_or_default(),
            threshold_label_en: r.threshold_en,
            severity,
            fail_message: r.fail_message,
            fail_message_en: r.fail_message_en,
            measure,
        })
    }
}

fn parse_kind(s: &str) -> Option<Kind> {
    Some(match s {
        "document" => Kind::Document,
        "deck" => Kind::Deck,
        "sheet" => Kind::Sheet,
        "video" => Kind::Video,
        "image" => Kind::Image,
        "archive" => Kind::Archive,
        _ => return None,
    })
}
