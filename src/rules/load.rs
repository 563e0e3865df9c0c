//! Loading rule files in two stages, the way cargo-deny loads its config.
//!
//! Stage one parses TOML into tables that keep the span of every key and value; stage two
//! reads them into a [`RuleSet`], collecting *every* problem (unknown role, missing threshold,
//! a key that the measure does not use, a regex that does not compile, a duplicate id) with
//! `file:line`, so a rule author fixes them all in one go. Nothing of a submission is read
//! until this has succeeded.
//!
//! A requirement's own keys (id, title, guide, threshold, fail message) are read here; the
//! rest of its table is the measure's parameters, deserialized into the measure's struct
//! (`eval/<measure>.rs`, unknown keys rejected by serde with their span) and then checked by
//! the measure itself through [`crate::eval::Check`], which this module implements.

use std::collections::BTreeSet;
use std::fmt;
use std::ops::Range;

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::{Figures, Level, Measure, Requirement, Role, RuleSet, Versions};
use crate::eval::Check;
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

/// The sections a rule file may have.
const SECTIONS: &[&str] = &[
    "ruleset",
    "levels",
    "roles",
    "versions",
    "figures",
    "requirements",
];

/// A requirement's own keys; every other key belongs to its measure.
const COMMON: &[&str] = &[
    "id",
    "title",
    "title_en",
    "guide",
    "threshold",
    "threshold_en",
    "fail_message",
    "fail_message_en",
    "measure",
];

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
    #[serde(default)]
    served_by: Vec<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawVersions {
    #[serde(default)]
    finals: Vec<String>,
    #[serde(default)]
    revisions: Vec<String>,
    #[serde(default)]
    drafts: Vec<String>,
    #[serde(default)]
    numbered: Vec<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFigures {
    #[serde(default)]
    done_columns: Vec<String>,
    #[serde(default)]
    target_columns: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCommon {
    id: Option<Spanned<String>>,
    title: Option<String>,
    title_en: Option<String>,
    guide: Option<String>,
    threshold: Option<String>,
    threshold_en: Option<String>,
    fail_message: Option<String>,
    fail_message_en: Option<String>,
    #[allow(dead_code)]
    measure: Option<String>,
}

/// Parses and validates one rule file. `file` is the name used in messages.
pub fn parse(file: &str, source: &str) -> Result<RuleSet, RuleErrors> {
    let mut v = Validator {
        file: file.to_string(),
        source,
        errors: Vec::new(),
        role_ids: BTreeSet::new(),
        level_ids: BTreeSet::new(),
        labels: Vec::new(),
    };
    let doc = match DeTable::parse(source) {
        Ok(doc) => doc,
        Err(e) => {
            let line = e.span().map(|s| v.line(s.start)).unwrap_or(1);
            return Err(RuleErrors(vec![RuleError {
                file: file.to_string(),
                line,
                message: e.message().trim().to_string(),
            }]));
        }
    };
    let set = v.validate(doc.get_ref());
    match set {
        Some(set) if v.errors.is_empty() => Ok(set),
        _ => {
            v.errors.sort_by_key(|e| e.line);
            if v.errors.is_empty() {
                v.error(0, "规则文件无法读取");
            }
            Err(RuleErrors(v.errors))
        }
    }
}

struct Validator<'a> {
    file: String,
    source: &'a str,
    errors: Vec<RuleError>,
    role_ids: BTreeSet<String>,
    level_ids: BTreeSet<String>,
    labels: Vec<String>,
}

impl<'a> Validator<'a> {
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

    /// Deserializes one value, recording the error (with its line) on failure.
    fn de<T: for<'de> Deserialize<'de>>(&mut self, value: &Spanned<DeValue<'a>>) -> Option<T> {
        match T::deserialize(ValueDeserializer::from(value.clone())) {
            Ok(t) => Some(t),
            Err(e) => {
                let at = e.span().unwrap_or(value.span()).start;
                self.error(at, e.message().trim().to_string());
                None
            }
        }
    }

    fn validate(&mut self, top: &DeTable<'a>) -> Option<RuleSet> {
        for (k, _) in top.iter() {
            if !SECTIONS.contains(&k.get_ref().as_ref()) {
                self.error(
                    k.span().start,
                    format!(
                        "unknown field `{}`, expected one of {}",
                        k.get_ref(),
                        SECTIONS.join(", ")
                    ),
                );
            }
        }
        let Some(rs_value) = top.get("ruleset") else {
            self.error(0, "缺少 [ruleset]");
            return None;
        };
        let rs: RawRuleSet = self.de(rs_value)?;
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
        let raw_roles: Vec<RawRole> = match top.get("roles") {
            Some(r) => self.de(r).unwrap_or_default(),
            None => Vec::new(),
        };
        for r in &raw_roles {
            if !self.role_ids.insert(r.id.get_ref().clone()) {
                self.error(
                    r.id.span().start,
                    format!("角色 id “{}” 重复", r.id.get_ref()),
                );
            }
        }
        let mut roles = Vec::new();
        for r in raw_roles {
            let kinds = self.kinds(&r.kinds);
            if r.keywords.get_ref().is_empty() {
                self.error(
                    r.keywords.span().start,
                    format!("角色 “{}” 没有关键词，无法识别文件", r.id.get_ref()),
                );
            }
            for s in &r.served_by {
                if !self.role_ids.contains(s.get_ref()) {
                    self.error(s.span().start, format!("未定义的角色 “{}”", s.get_ref()));
                }
            }
            roles.push(Role {
                id: r.id.into_inner(),
                name: r.name,
                name_en: r.name_en,
                kinds,
                keywords: r.keywords.into_inner(),
                exclude: r.exclude,
                served_by: r.served_by.into_iter().map(Spanned::into_inner).collect(),
            });
        }
        let mut level_roles = Vec::new();
        for lr in rs.level_roles {
            if !self.role_ids.contains(lr.get_ref()) {
                self.error(lr.span().start, format!("未定义的角色 “{}”", lr.get_ref()));
            }
            level_roles.push(lr.into_inner());
        }
        let raw_levels: Vec<RawLevel> = match top.get("levels") {
            Some(l) => self.de(l).unwrap_or_default(),
            None => Vec::new(),
        };
        let levels: Vec<Level> = raw_levels
            .into_iter()
            .map(|l| Level {
                id: l.id.into_inner(),
                name: l.name,
                name_en: l.name_en,
                keywords: l.keywords,
            })
            .collect();
        self.level_ids = levels.iter().map(|l| l.id.clone()).collect();
        let versions = match top.get("versions") {
            Some(x) => {
                let raw: RawVersions = self.de(x).unwrap_or_default();
                self.versions(raw)
            }
            None => Versions::default(),
        };
        let figures = match top.get("figures") {
            Some(x) => {
                let raw: RawFigures = self.de(x).unwrap_or_default();
                Figures {
                    done_columns: raw.done_columns,
                    target_columns: raw.target_columns,
                }
            }
            None => Figures::default(),
        };
        self.labels = rs.labels.get_ref().clone();
        let mut req_ids = BTreeSet::new();
        let mut requirements = Vec::new();
        if let Some(reqs) = top.get("requirements") {
            match reqs.get_ref().as_array() {
                Some(array) => {
                    for r in array.iter() {
                        if let Some(req) = self.requirement(r, 0) {
                            if !req_ids.insert(req.id.clone()) {
                                self.error(r.span().start, format!("要求 id “{}” 重复", req.id));
                            }
                            requirements.push(req);
                        }
                    }
                }
                None => self.error(
                    reqs.span().start,
                    "requirements 应是 [[requirements]] 表的数组",
                ),
            }
        }
        Some(RuleSet {
            id: rs.id.into_inner(),
            title: rs.title,
            title_en: rs.title_en,
            guide: rs.guide,
            code_prefix: rs.code_prefix.into_inner(),
            detect_keywords: rs.detect_keywords,
            labels: rs.labels.into_inner(),
            near_miss_distance: rs.near_miss_distance.unwrap_or(2),
            levels,
            level_roles,
            roles,
            versions,
            figures,
            requirements,
            source: self.file.clone(),
        })
    }

    fn versions(&mut self, raw: RawVersions) -> Versions {
        let mut numbered = Vec::new();
        let mut sources = Vec::new();
        for p in raw.numbered {
            match Regex::new(p.get_ref()) {
                Ok(re) if re.captures_len() >= 2 => {
                    numbered.push(re);
                    sources.push(p.get_ref().clone());
                }
                Ok(_) => self.error(p.span().start, "numbered 需要一个捕获组 (…) 来取出版本号"),
                Err(e) => self.error(
                    p.span().start,
                    format!("numbered 不是有效的正则表达式：{e}"),
                ),
            }
        }
        Versions {
            finals: raw.finals,
            revisions: raw.revisions,
            drafts: raw.drafts,
            numbered,
            numbered_sources: sources,
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

    /// Reads one requirement table (`depth` 1 inside an `any_of`).
    fn requirement(&mut self, value: &Spanned<DeValue<'a>>, depth: usize) -> Option<Requirement> {
        let Some(table) = value.get_ref().as_table() else {
            self.error(value.span().start, "要求应是一个表（[[requirements]]）");
            return None;
        };
        let id_span = table.get("id").map(|i| i.span());
        let Some(measure) = table.get("measure") else {
            self.error(id_span.unwrap_or(value.span()).start, "缺少 measure");
            return None;
        };
        let at = measure.span();
        let Some(name) = measure.get_ref().as_str().map(str::to_string) else {
            self.error(at.start, "measure 应是字符串");
            return None;
        };
        let mut common = DeTable::new();
        let mut params = DeTable::new();
        for (k, v) in table.iter() {
            if COMMON.contains(&k.get_ref().as_ref()) {
                common.insert(k.clone(), v.clone());
            } else {
                params.insert(k.clone(), v.clone());
            }
        }
        let raw: RawCommon = self
            .de(&Spanned::new(value.span(), DeValue::Table(common)))
            .unwrap_or_default();
        let id = match &raw.id {
            Some(id) => id.get_ref().clone(),
            None => {
                self.error(at.start, "缺少 id");
                String::new()
            }
        };
        if raw.title.is_none() && depth == 0 {
            self.error(at.start, format!("要求 “{id}” 缺少 title"));
        }
        if name == "any_of" && depth > 0 {
            self.error(at.start, "any_of 不能嵌套");
            return None;
        }
        let de = ValueDeserializer::from(Spanned::new(at.clone(), DeValue::Table(params.clone())));
        let mut measure = match Measure::load(&name, de) {
            None => {
                self.error(
                    at.start,
                    format!(
                        "未知的 measure “{name}”（可用：{}）",
                        Measure::NAMES.join(", ")
                    ),
                );
                return None;
            }
            Some(Err(e)) => {
                let message = e.message().trim().to_string();
                let message = match message
                    .strip_prefix("unknown field `")
                    .and_then(|m| m.split_once('`'))
                {
                    Some((key, _)) => {
                        format!("要求 “{id}”：measure “{name}” 不使用键 “{key}”（{message}）")
                    }
                    None => match message
                        .strip_prefix("missing field `")
                        .and_then(|m| m.split_once('`'))
                    {
                        Some((key, _)) => format!("要求 “{id}” 缺少 {key}"),
                        None => format!("要求 “{id}”：{message}"),
                    },
                };
                self.error(e.span().unwrap_or(at.clone()).start, message);
                return None;
            }
            Some(Ok(m)) => m,
        };
        {
            let mut cx = RequirementCheck {
                v: self,
                params: &params,
                at: at.clone(),
                depth,
            };
            measure.kind_mut().check(&mut cx);
        }
        Some(Requirement {
            id,
            title: raw.title.unwrap_or_default(),
            title_en: raw.title_en,
            guide: raw.guide.unwrap_or_default(),
            threshold_label: raw.threshold.unwrap_or_default(),
            threshold_label_en: raw.threshold_en,
            fail_message: raw.fail_message,
            fail_message_en: raw.fail_message_en,
            measure,
        })
    }
}

/// What a measure checks its parameters through: errors land on the line of the key.
struct RequirementCheck<'v, 'a, 't> {
    v: &'v mut Validator<'a>,
    params: &'t DeTable<'a>,
    at: Range<usize>,
    depth: usize,
}

impl RequirementCheck<'_, '_, '_> {
    fn span_of(&self, key: &str, index: Option<usize>) -> Range<usize> {
        let Some(value) = self.params.get(key) else {
            return self.at.clone();
        };
        match (index, value.get_ref().as_array()) {
            (Some(i), Some(array)) => array.get(i).map(|x| x.span()).unwrap_or(value.span()),
            _ => value.span(),
        }
    }
}

impl Check for RequirementCheck<'_, '_, '_> {
    fn error(&mut self, key: &str, index: Option<usize>, message: String) {
        let at = self.span_of(key, index).start;
        self.v.error(at, message);
    }

    fn has_role(&self, id: &str) -> bool {
        self.v.role_ids.contains(id)
    }

    fn has_level(&self, id: &str) -> bool {
        self.v.level_ids.contains(id)
    }

    fn labels(&self) -> Vec<String> {
        self.v.labels.clone()
    }

    fn alternatives(&mut self, key: &str) -> Vec<Requirement> {
        let Some(value) = self.params.get(key) else {
            return Vec::new();
        };
        let Some(array) = value.get_ref().as_array() else {
            self.v.error(
                value.span().start,
                format!("{key} 应是 [[requirements.{key}]] 表的数组"),
            );
            return Vec::new();
        };
        let items: Vec<Spanned<DeValue>> = array.iter().cloned().collect();
        items
            .iter()
            .filter_map(|x| self.v.requirement(x, self.depth + 1))
            .collect()
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
