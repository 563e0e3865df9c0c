//! `figure`: a number the reports state ("直接联系科技工作者120人次", "覆盖率100%") reaches
//! `at_least` (DJQC 项目指标1).
//!
//! The rule file's `patterns` find the statement in the text of the `roles`' documents
//! (NFKC-normalised, whitespace removed). A pattern takes the number from a group named
//! `value` (or its first group), or computes a percentage from groups `part` and `whole`
//! ("覆盖会员单位86家，占全部94家" → 91.5%): figures are stated as percentages and as counts of
//! a whole. Tables are read by row: in a table with a column of achieved values (the rule
//! file's `[figures] done_columns`: 完成值, 实际完成 …) a row reads as its label, a colon and
//! that value ("活动覆盖会员单位比例:91.5%"), and the target columns (`target_columns`: 目标值 …) are left out, so the target
//! "不低于80%" is never taken for the achievement. The weakest statement decides: a report that
//! says 40 somewhere and 120 elsewhere needs a person, and the smaller is what could fail.
//! A figure the reports do not state is `review` (policy rule 3) with the documents to look
//! in; no report at all, or only unreadable ones, fails (policy rule 2).

use regex::Regex;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::files::{RoleFiles, list_links, list_unreadable, why};
use super::table::{Line, decide, explain};
use super::{Check, Context, Explain, MeasureKind, Requirement, check_role, ev, sep, start};
use crate::extract::table::Sheet;
use crate::facts::{Facts, PartKind};
use crate::label::normalize;
use crate::lang::Lang;
use crate::model::{FileRecord, RequirementResult};
use crate::msg::number;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    pub roles: Vec<String>,
    /// Regular expressions: a `value` group (or the first group), or `part` and `whole`.
    pub patterns: Vec<String>,
    #[serde(skip)]
    pub compiled: Vec<Regex>,
    pub at_least: f64,
    #[serde(default)]
    pub unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_en: Option<String>,
}

crate::decision_table! {
    PASS: Pass, "figure.pass",
        when "报告写明的数字 ≥{at_least}（取最小的表述）" / "the figure stated ≥{at_least} (the weakest statement counts)",
        says "报告写明“{snippet}”{computed}，达到要求" / "The report states “{snippet}”{computed}, as required";
    LOW: Fail, "figure.low",
        when "报告写明的数字 <{at_least}" / "the figure stated <{at_least}",
        says "{path} 写明“{snippet}”（{value}），要求{threshold}" / "{path} states “{snippet}” ({value}), required {threshold}";
    NOT_STATED: Review, "figure.not_stated",
        when "{roles}中未写明" / "not stated in the {roles}",
        says "在{roles}中未找到该指标的表述（{title}），需人工核对：请查看 {paths} 是否写明" /
             "The {roles} do not state this figure ({title}); needs review: please check whether {paths} state it";
    NO_REPORTS: Fail, "figure.no_reports",
        when "未提交{roles}" / "no {roles} submitted",
        says "未找到{roles}，无法核对该指标（{title}）：请提交写明该指标的{roles}" /
             "No {roles} found, so this figure cannot be checked ({title}): please submit the {roles} stating it";
    UNREADABLE: Fail, "figure.unreadable",
        when "{roles}均无法读取" / "every one of the {roles} unreadable",
        says "{roles}均无法读取，无法核对该指标：{files}；{todo}" / "None of the {roles} can be read, so this figure cannot be checked: {files}; {todo}";
    UNSUPPORTED: Review, "figure.unsupported",
        when "{roles}格式暂不支持或以链接提交" / "the {roles} in formats this tool does not read, or links",
        says "{roles}无法由本工具读取，需人工核对该指标（{title}）：{files}" /
             "This tool cannot read the {roles}; the figure ({title}) must be checked by hand: {files}";
}

crate::messages! {
    ABOUT = "figure.about":
        "指标数字：在{roles}的正文和表格中找到所述数字（百分比，或“占全部N家”的比例），不少于 {at_least}" /
        "figure: the number stated in the text and tables of the {roles} (a percentage, or a count of a whole) is at least {at_least}";
    NOT_FOUND = "figure.not_found": "未找到" / "not found";
    SEARCHED = "figure.searched": "已检索，未找到" / "searched, not found";
    FOUND = "figure.found": "“{snippet}”→ {value}" / "“{snippet}” → {value}";
    COMPUTED = "figure.computed": "（{part}/{whole} = {value}）" / " ({part}/{whole} = {value})";
    OR = "figure.or": "或" / " or ";
}

/// One statement found.
#[derive(Debug, Clone, PartialEq)]
struct Found {
    value: f64,
    path: String,
    snippet: String,
    /// (part, whole) when computed from a count of a whole.
    ratio: Option<(f64, f64)>,
}

/// Parses an Arabic or simple Chinese numeral ("120", "1,200", "两", "十二").
pub(crate) fn parse_number(s: &str) -> Option<f64> {
    let cleaned: String = s.chars().filter(|c| *c != ',').collect();
    if let Ok(x) = cleaned.parse::<f64>() {
        return Some(x);
    }
    let digit = |c: char| {
        "零一二三四五六七八九"
            .find(c)
            .map(|i| (i / 3) as u64)
            .or(match c {
                '两' => Some(2),
                _ => None,
            })
    };
    let mut total = 0u64;
    let mut current = 0u64;
    for c in cleaned.chars() {
        match c {
            '十' => {
                total += current.max(1) * 10;
                current = 0;
            }
            '百' => {
                total += current.max(1) * 100;
                current = 0;
            }
            _ => current = digit(c)?,
        }
    }
    Some((total + current) as f64)
}

/// The lines a table contributes: each row as its label cells followed by the achieved value
/// when the table has a column of achieved values; else each row's cells joined.
pub(crate) fn table_lines(sheet: &Sheet, done: &[String], target: &[String]) -> Vec<String> {
    let norm = |s: &str| normalize(s).to_lowercase();
    let is = |cell: &str, words: &[String]| {
        let c = norm(cell);
        !c.is_empty() && words.iter().any(|w| c.contains(&norm(w)))
    };
    let mut out = Vec::new();
    let mut done_col: Option<usize> = None;
    let mut target_cols: Vec<usize> = Vec::new();
    for row in &sheet.rows {
        if let Some(i) = row.iter().position(|c| is(c, done)) {
            done_col = Some(i);
            target_cols = row
                .iter()
                .enumerate()
                .filter(|(_, c)| is(c, target))
                .map(|(j, _)| j)
                .collect();
            continue;
        }
        match done_col {
            Some(d) => {
                let label: String = row
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != d && !target_cols.contains(j))
                    .map(|(_, c)| c.as_str())
                    .collect();
                let value = row.get(d).map(String::as_str).unwrap_or("");
                // NFKC makes the colon ASCII, as in every normalised text.
                out.push(normalize(&format!("{label}:{value}")));
            }
            None => out.push(normalize(&row.concat())),
        }
    }
    out
}

/// The prose of a document (tables left out when they are read by row).
fn prose(facts: &Facts) -> String {
    if facts.tables.is_empty() {
        return normalize(&facts.all_text());
    }
    let text: String = facts
        .parts
        .iter()
        .filter(|p| p.kind != PartKind::Tables)
        .map(|p| format!("{}\n", p.text))
        .collect();
    normalize(&text)
}

impl Figure {
    fn find(&self, ctx: &Context, f: &FileRecord, out: &mut Vec<Found>) {
        let Some(facts) = &f.facts else { return };
        let figures = &ctx.rules.figures;
        let mut texts = vec![prose(facts)];
        for sheet in &facts.tables {
            texts.extend(table_lines(
                sheet,
                &figures.done_columns,
                &figures.target_columns,
            ));
        }
        for text in &texts {
            for re in &self.compiled {
                for cap in re.captures_iter(text) {
                    let Some(whole) = cap.get(0) else { continue };
                    let named = |n: &str| cap.name(n).and_then(|m| parse_number(m.as_str()));
                    let (value, ratio) = match (named("part"), named("whole")) {
                        (Some(p), Some(w)) if w > 0.0 => {
                            (((p / w) * 1000.0).round() / 10.0, Some((p, w)))
                        }
                        _ => {
                            let v = cap
                                .name("value")
                                .or_else(|| cap.get(1))
                                .and_then(|m| parse_number(m.as_str()));
                            match v {
                                Some(v) => (v, None),
                                None => continue,
                            }
                        }
                    };
                    let found = Found {
                        value,
                        path: f.path.clone(),
                        snippet: whole.as_str().to_string(),
                        ratio,
                    };
                    if !out.contains(&found) {
                        out.push(found);
                    }
                }
            }
        }
    }

    fn unit(&self, lang: Lang) -> &str {
        super::unit_in(lang, &self.unit, &self.unit_en)
    }

    /// `120人次` in Chinese, `120 contacts` (but `100%`) in English.
    fn num_unit(&self, lang: Lang, x: f64) -> String {
        let unit = self.unit(lang);
        if lang == Lang::En && !unit.is_empty() && unit != "%" {
            format!("{} {unit}", number(x))
        } else {
            format!("{}{unit}", number(x))
        }
    }

    fn role_names(&self, lang: Lang, name: &dyn Fn(&str) -> String) -> String {
        let names: Vec<String> = self.roles.iter().map(|r| name(r)).collect();
        match lang {
            Lang::Zh => names.join("或"),
            Lang::En => names.join(" or "),
        }
    }
}

impl MeasureKind for Figure {
    fn about(&self, ex: &Explain) -> String {
        crate::msg!(
            ex.lang,
            ABOUT,
            roles = self.role_names(ex.lang, &|r| ex.role_name(r)),
            at_least = self.num_unit(ex.lang, self.at_least)
        )
    }

    fn check(&mut self, cx: &mut dyn Check) {
        for (i, role) in self.roles.iter().enumerate() {
            check_role(cx, "roles", Some(i), role);
        }
        if self.patterns.is_empty() {
            cx.error("patterns", None, "缺少 patterns".into());
        }
        self.compiled.clear();
        for (i, p) in self.patterns.iter().enumerate() {
            match Regex::new(p) {
                Ok(re) => {
                    let names: Vec<&str> = re.capture_names().flatten().collect();
                    let ratio = names.contains(&"part") && names.contains(&"whole");
                    if re.captures_len() >= 2 || ratio {
                        self.compiled.push(re);
                    } else {
                        cx.error(
                            "patterns",
                            Some(i),
                            "pattern 需要一个捕获组 (…) 来取出数字（或命名组 part 与 whole）"
                                .into(),
                        );
                    }
                }
                Err(e) => cx.error(
                    "patterns",
                    Some(i),
                    format!("pattern 不是有效的正则表达式：{e}"),
                ),
            }
        }
        if !(self.at_least.is_finite() && self.at_least >= 0.0) {
            cx.error("at_least", None, "at_least 必须是非负数".into());
        }
    }

    fn roles(&self) -> Vec<&str> {
        self.roles.iter().map(String::as_str).collect()
    }

    fn evaluate(&self, ctx: &Context, req: &Requirement) -> RequirementResult {
        let lang = ctx.lang;
        let mut r = start(ctx, req);
        r.threshold = json!(self.at_least);
        let mut found: Vec<Found> = Vec::new();
        let (mut read, mut unreadable, mut other): (
            Vec<&FileRecord>,
            Vec<&FileRecord>,
            Vec<&FileRecord>,
        ) = (Vec::new(), Vec::new(), Vec::new());
        let mut seen = std::collections::BTreeSet::new();
        for role in &self.roles {
            let fs = RoleFiles::of(ctx, role);
            for f in fs.read {
                if seen.insert(f.path.as_str()) {
                    read.push(f);
                }
            }
            for f in fs.unreadable {
                if seen.insert(f.path.as_str()) {
                    unreadable.push(f);
                }
            }
            for f in fs
                .unsupported
                .into_iter()
                .chain(fs.links.into_iter().map(|(f, _)| f))
            {
                if seen.insert(f.path.as_str()) {
                    other.push(f);
                }
            }
        }
        for f in &read {
            self.find(ctx, f, &mut found);
        }
        let roles = self.role_names(lang, &|x| ctx.role_name(x));
        // The weakest statement decides.
        found.sort_by(|a, b| a.value.total_cmp(&b.value));
        let row = if let Some(first) = found.first() {
            r.measured = json!(first.value);
            r.measured_text = self.num_unit(lang, first.value);
            for x in &found {
                r.evidence.push(ev(
                    &x.path,
                    crate::msg!(
                        lang,
                        FOUND,
                        snippet = &x.snippet,
                        value = self.num_unit(lang, x.value)
                    ),
                ));
            }
            if first.value >= self.at_least {
                &PASS
            } else {
                &LOW
            }
        } else {
            r.measured_text = crate::msg!(lang, NOT_FOUND);
            for f in &read {
                r.evidence.push(ev(&f.path, crate::msg!(lang, SEARCHED)));
            }
            if !read.is_empty() {
                &NOT_STATED
            } else if !other.is_empty() {
                &UNSUPPORTED
            } else if !unreadable.is_empty() {
                &UNREADABLE
            } else {
                &NO_REPORTS
            }
        };
        // Files nobody could read come after what was read.
        for f in unreadable.iter().chain(&other) {
            r.evidence.push(ev(&f.path, why(lang, f)));
        }
        let first = found.first();
        let computed = first
            .and_then(|x| x.ratio)
            .map(|(p, w)| {
                crate::msg!(
                    lang,
                    COMPUTED,
                    part = number(p),
                    whole = number(w),
                    value = self.num_unit(lang, first.map_or(0.0, |x| x.value))
                )
            })
            .unwrap_or_default();
        let files = if *row == UNSUPPORTED {
            list_unreadable(lang, &other)
        } else {
            list_unreadable(lang, &unreadable)
        };
        let args = crate::args!(
            snippet = first.map(|x| x.snippet.clone()).unwrap_or_default(),
            path = first.map(|x| x.path.clone()).unwrap_or_default(),
            value = first
                .map(|x| self.num_unit(lang, x.value))
                .unwrap_or_default(),
            computed = computed,
            threshold = req.threshold_in(lang),
            roles = &roles,
            title = req.title_in(lang),
            paths = read
                .iter()
                .map(|f| f.path.as_str())
                .collect::<Vec<_>>()
                .join(sep(lang)),
            files = files,
            links = list_links(lang, &[]),
            todo = crate::msg!(lang, super::files::REPLACE),
        );
        decide(&mut r, lang, row, &args);
        r
    }

    fn explain(&self, ex: &Explain) -> Vec<Line> {
        let args = crate::args!(
            at_least = self.num_unit(ex.lang, self.at_least),
            roles = self.role_names(ex.lang, &|r| ex.role_name(r)),
        );
        explain(&TABLE.iter().collect::<Vec<_>>(), ex.lang, &args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        let table: &[(&str, f64)] = &[
            ("120", 120.0),
            ("1,200", 1200.0),
            ("85.5", 85.5),
            ("两", 2.0),
            ("三", 3.0),
            ("十", 10.0),
            ("十二", 12.0),
            ("二十", 20.0),
        ];
        for (s, want) in table {
            assert_eq!(parse_number(s), Some(*want), "{s}");
        }
        assert_eq!(parse_number("abc"), None);
    }

    #[test]
    fn tables_read_the_achieved_column() {
        let sheet = Sheet {
            name: "t".into(),
            rows: vec![
                vec![
                    "指标类型".into(),
                    "指标内容".into(),
                    "目标值".into(),
                    "完成值".into(),
                ],
                vec![
                    "效益指标".into(),
                    "活动覆盖会员单位比例".into(),
                    "不低于80%".into(),
                    "91.5%".into(),
                ],
            ],
        };
        let lines = table_lines(&sheet, &["完成值".into()], &["目标值".into()]);
        assert_eq!(
            lines,
            vec!["效益指标活动覆盖会员单位比例:91.5%".to_string()]
        );
    }
}
