//! `yanshou rules [ID [REQUIREMENT]]`: the rule sets, and each requirement with the guide's
//! wording, the files it reads and its decision table with the real values
//! ("≥3,600 字（4千字左右 × 0.9），不足 4,000 → 通过").
//!
//! The rows come from the measure's own table (`eval/<measure>.rs`), the same rows the
//! evaluator decides by, so what is printed here is what a check does.

use unicode_width::UnicodeWidthStr;

use super::{Measure, Requirement, RuleSet};
use crate::eval::Explain;
use crate::lang::Lang;

/// What `yanshou rules [ID [REQUIREMENT]]` prints: the list of rule sets without an id, else
/// [`explain`].
pub(crate) fn answer(
    sets: &[RuleSet],
    id: Option<&str>,
    req: Option<&str>,
) -> Result<String, String> {
    match id {
        None => Ok(list(sets)),
        Some(id) => explain(sets, id, req),
    }
}

/// The list of rule sets.
pub(crate) fn list(sets: &[RuleSet]) -> String {
    let mut out = String::new();
    for s in sets {
        out.push_str(&format!(
            "{}  {}（{} 项要求）\n    {}\n    规则文件：{}\n",
            s.id,
            s.title,
            s.requirements.len(),
            s.guide,
            s.source
        ));
    }
    out
}

/// A rule set, or one requirement of it. `Err` says what is unknown and what is valid.
pub(crate) fn explain(sets: &[RuleSet], id: &str, req: Option<&str>) -> Result<String, String> {
    let Some(set) = sets.iter().find(|s| s.id == id) else {
        let ids: Vec<&str> = sets.iter().map(|s| s.id.as_str()).collect();
        return Err(format!("未知的规则集 “{id}”（可用：{}）", ids.join(", ")));
    };
    let mut out = String::new();
    match req {
        Some(r) => match set.requirement(r) {
            Some(x) => out.push_str(&requirement(set, x, "")),
            None => {
                let ids: Vec<&str> = set.requirements.iter().map(|r| r.id.as_str()).collect();
                return Err(format!(
                    "规则集 {id} 中没有要求 “{r}”（可用：{}）",
                    ids.join(", ")
                ));
            }
        },
        None => {
            out.push_str(&format!(
                "{}  {}\n{}\n标识：{}\n\n",
                set.id,
                set.title,
                set.guide,
                set.labels.join("；")
            ));
            for r in &set.requirements {
                out.push_str(&requirement(set, r, ""));
            }
        }
    }
    Ok(out)
}

fn role_line(set: &RuleSet, role: &str, indent: &str) -> String {
    let Some(x) = set.role(role) else {
        return String::new();
    };
    let mut s = format!(
        "{indent}  材料：{}{}（{}；识别关键词：{}）\n",
        x.name,
        x.name_en
            .as_deref()
            .map(|en| format!(" / {en}"))
            .unwrap_or_default(),
        x.kinds
            .iter()
            .map(|k| k.name())
            .collect::<Vec<_>>()
            .join("/"),
        x.keywords.join("、")
    );
    if !x.served_by.is_empty() {
        let names: Vec<&str> = x.served_by.iter().map(|r| set.role_name(r)).collect();
        s.push_str(&format!(
            "{indent}    亦可由以下材料充当（指南所列同一材料）：{}\n",
            names.join("、")
        ));
    }
    s
}

/// One requirement, with its decision table.
pub(crate) fn requirement(set: &RuleSet, r: &Requirement, indent: &str) -> String {
    let lang = Lang::Zh;
    let ex = Explain {
        rules: set,
        req: r,
        lang,
    };
    let kind = r.measure.kind();
    let mut s = format!("{indent}[{}] {}\n", r.id, r.title);
    if let Some(en) = &r.title_en {
        s.push_str(&format!("{indent}  English：{en}\n"));
    }
    if !r.guide.is_empty() {
        s.push_str(&format!("{indent}  依据：{}\n", r.guide));
    }
    if !r.threshold_label.is_empty() {
        s.push_str(&format!("{indent}  要求：{}", r.threshold_label));
        if let Some(en) = &r.threshold_label_en {
            s.push_str(&format!("（{en}）"));
        }
        s.push('\n');
    }
    s.push_str(&format!("{indent}  检查方式：{}\n", kind.about(&ex)));
    for role in kind.roles() {
        s.push_str(&role_line(set, role, indent));
    }
    match &r.measure {
        Measure::Figure(f) => {
            for p in &f.patterns {
                s.push_str(&format!("{indent}  表述模式：{p}\n"));
            }
        }
        Measure::News(n) => {
            for p in &n.channel_patterns {
                s.push_str(&format!("{indent}  发布渠道的表述：{p}\n"));
            }
        }
        _ => {}
    }
    let mut lines = kind.explain(&ex);
    if !kind.roles().is_empty() && !kind.any() {
        lines.extend(crate::eval::table::explain(
            &[&crate::eval::versions::UNORDERABLE],
            lang,
            &[],
        ));
    }
    if !lines.is_empty() {
        s.push_str(&format!("{indent}  判定：\n"));
        let width = lines
            .iter()
            .map(|l| UnicodeWidthStr::width(l.when.as_str()))
            .max()
            .unwrap_or(0);
        for l in &lines {
            let pad = width.saturating_sub(UnicodeWidthStr::width(l.when.as_str()));
            s.push_str(&format!(
                "{indent}    {}{} → {}   [{}]\n",
                l.when,
                " ".repeat(pad),
                lang.verdict(l.verdict),
                l.id
            ));
        }
    }
    if let Measure::AnyOf(a) = &r.measure {
        for alt in &a.alternatives {
            s.push_str(&requirement(set, alt, &format!("{indent}    ")));
        }
    }
    s.push('\n');
    s
}
