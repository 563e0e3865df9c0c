//! `count`: at least `at_least` readable files play the role (主旨报告幻灯片 不少于5个 …).
//!
//! Only readable files count. Unreadable ones are named with what to do; files in a format
//! this tool does not read, or links handed in instead, could make up the number, so they
//! make the requirement `review` — unless even with them the number cannot be reached
//! (policy rule 5: a threshold the listed items cannot reach fails).

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::files::{RoleFiles, list_links, list_unreadable, why};
use super::table::{Line, decide, explain};
use super::{Check, Context, Explain, MeasureKind, Requirement, check_role, ev, qty, start};
use crate::lang::Lang;
use crate::model::RequirementResult;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Count {
    pub role: String,
    pub at_least: u64,
    #[serde(default = "default_unit")]
    pub unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_en: Option<String>,
    /// The English unit for one ("deck"); `unit_en` is the plural.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_one_en: Option<String>,
}

fn default_unit() -> String {
    "个".to_string()
}

crate::decision_table! {
    PASS: Pass, "count.pass",
        when "可读文件 ≥ {at_least}" / "readable files ≥ {at_least}",
        says "{name} {n}，达到要求" / "{name|cap}: {n}, as required";
    SHORT: Fail, "count.short",
        when "可读文件 < {at_least}" / "readable files < {at_least}",
        says "{name} {n}，要求{threshold}：还差 {short}" / "{name|cap}: {n}, required {threshold}: {short} short";
    SHORT_UNREADABLE: Fail, "count.short_unreadable",
        when "可读文件 < {at_least}，其余无法读取" / "readable files < {at_least}, the others unreadable",
        says "{name}可读 {n}，要求{threshold}：还差 {short}；无法读取：{files}；{todo}" /
             "{name|cap}: {n} readable, required {threshold}: {short} short; unreadable: {files}; {todo}";
    UNSUPPORTED: Review, "count.unsupported",
        when "可读文件 < {at_least}，但加上暂不支持的格式可能达到" / "readable files < {at_least}, but files in formats this tool does not read may make up the number",
        says "{name}可读 {n}，另有文件格式暂不支持读取：{files}；请人工核对是否达到{threshold}" /
             "{name|cap}: {n} readable, and files in formats this tool does not read: {files}; please check by hand whether there are {threshold}";
    LINK: Review, "count.link",
        when "可读文件 < {at_least}，另有以链接提交的" / "readable files < {at_least}, with some handed in as a link",
        says "{name}可读 {n}，另有以链接提交的：{links}；请打开链接核对是否达到{threshold}" /
             "{name|cap}: {n} readable, and some handed in as a link: {links}; please follow the link and check whether there are {threshold}";
    MISSING: Fail, "count.missing",
        when "未提交" / "nothing submitted",
        says "{missing}" / "{missing}";
}

crate::messages! {
    ABOUT = "count.about": "数量：该角色的可读文件不少于 {at_least}" / "number: at least {at_least} readable files of the role";
    SLIDES = "count.slides": "{s} 张幻灯片" / "{s} {s|slide|slides}";
}

impl Count {
    fn qty(&self, lang: Lang, n: u64) -> String {
        qty(
            lang,
            n,
            &self.unit,
            self.unit_en.as_deref().unwrap_or(&self.unit),
            self.unit_one_en.as_deref(),
        )
    }
}

impl MeasureKind for Count {
    fn about(&self, ex: &Explain) -> String {
        crate::msg!(ex.lang, ABOUT, at_least = self.qty(ex.lang, self.at_least))
    }

    fn check(&mut self, cx: &mut dyn Check) {
        check_role(cx, "role", None, &self.role);
    }

    fn roles(&self) -> Vec<&str> {
        vec![&self.role]
    }

    fn evaluate(&self, ctx: &Context, req: &Requirement) -> RequirementResult {
        let lang = ctx.lang;
        let mut r = start(ctx, req);
        let fs = RoleFiles::of(ctx, &self.role);
        let n = fs.read.len() as u64;
        r.measured = json!(n);
        r.threshold = json!(self.at_least);
        r.measured_text = self.qty(lang, n);
        for f in &fs.read {
            let detail = match f.facts.as_ref().and_then(|x| x.slides) {
                Some(s) => crate::msg!(lang, SLIDES, s = s),
                None => super::files::reason(ctx, &self.role, f),
            };
            r.evidence.push(ev(&f.path, detail));
        }
        for f in fs.unreadable.iter().chain(&fs.unsupported) {
            r.evidence.push(ev(&f.path, why(lang, f)));
        }
        for (f, l) in &fs.links {
            r.evidence.push(ev(&f.path, l.clone()));
        }
        let could = n + fs.unsupported.len() as u64;
        let row = if n >= self.at_least {
            &PASS
        } else if fs.is_empty() {
            &MISSING
        } else if !fs.links.is_empty() {
            &LINK
        } else if could >= self.at_least {
            &UNSUPPORTED
        } else if !fs.unreadable.is_empty() {
            &SHORT_UNREADABLE
        } else {
            &SHORT
        };
        let files = if *row == UNSUPPORTED {
            list_unreadable(lang, &fs.unsupported)
        } else {
            list_unreadable(lang, &fs.unreadable)
        };
        let args = crate::args!(
            name = ctx.role_name(&self.role),
            n = self.qty(lang, n),
            short = self.qty(lang, self.at_least.saturating_sub(n)),
            threshold = req.threshold_in(lang),
            files = files,
            links = list_links(lang, &fs.links),
            missing = super::files::missing(ctx, &self.role),
            todo = crate::msg!(lang, super::files::REPLACE),
        );
        decide(&mut r, lang, row, &args);
        r
    }

    fn explain(&self, ex: &Explain) -> Vec<Line> {
        let args = crate::args!(at_least = self.qty(ex.lang, self.at_least));
        explain(&TABLE.iter().collect::<Vec<_>>(), ex.lang, &args)
    }
}
