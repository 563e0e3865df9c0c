//! `present`: a deliverable is there — at least `min` readable files play the role.
//!
//! The guide lists documents whose content it does not measure (会议通知, 绩效报告, 财务审计报告
//! …): a readable file of the role is the evidence. A file nobody can read is no evidence
//! (policy rule 2: the society must replace it), one in a format this tool does not read is for
//! a person to open, and a link handed in instead of the file is quoted for a person to follow.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::files::{RoleFiles, list_links, list_unreadable, paths, why};
use super::table::{Line, decide, explain};
use super::{Check, Context, Explain, MeasureKind, Requirement, check_role, ev, start};
use crate::model::RequirementResult;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Present {
    pub role: String,
    #[serde(default = "one")]
    pub min: u64,
}

fn one() -> u64 {
    1
}

crate::decision_table! {
    PASS: Pass, "present.pass",
        when "至少 {min} 个可读的{name}文件" / "at least {min} readable {min|file|files} of the {name}",
        says "已提交{name}：{files}" / "{name|cap} submitted: {files}";
    TOO_FEW: Fail, "present.too_few",
        when "可读文件少于 {min} 个" / "fewer than {min} readable {min|file|files}",
        says "{name}只有 {n} 个可读文件，要求至少 {min} 个" / "{name|cap}: only {n} readable {n|file|files}, at least {min} required";
    MISSING: Fail, "present.missing",
        when "未提交" / "nothing submitted",
        says "{missing}" / "{missing}";
    UNREADABLE: Fail, "present.unreadable",
        when "只有无法读取的文件（截断、损坏、空文件、加密）" / "only unreadable files (truncated, corrupt, empty, encrypted)",
        says "{name}的文件均无法读取：{files}；{todo}" / "No file of the {name} can be read: {files}; {todo}";
    UNSUPPORTED: Review, "present.unsupported",
        when "只有本工具暂不支持的格式" / "only formats this tool does not read",
        says "{name}的文件格式暂不支持读取：{files}；请人工打开核对其内容（或转换为 PDF、DOCX 后重新提交）" /
             "{name|cap}: in a format this tool does not read: {files}; please open it and check its content by hand (or resubmit it as PDF or DOCX)";
    LINK: Review, "present.link",
        when "以链接代替文件提交" / "handed in as a link instead of the file",
        says "{name}以链接提交：{links}；请打开链接核对内容（或提交文件本身）" /
             "{name|cap}: handed in as a link: {links}; please follow the link and check the content (or submit the file itself)";
}

crate::messages! {
    ABOUT = "present.about": "材料存在：该角色至少有 {min} 个可读文件" / "presence: at least {min} readable {min|file|files} of the role";
    MEASURED = "present.measured": "{n} 个文件" / "{n} {n|file|files}";
}

impl MeasureKind for Present {
    fn about(&self, ex: &Explain) -> String {
        crate::msg!(ex.lang, ABOUT, min = self.min)
    }

    fn check(&mut self, cx: &mut dyn Check) {
        check_role(cx, "role", None, &self.role);
        if self.min == 0 {
            cx.error("min", None, "min 至少为 1".into());
        }
    }

    fn roles(&self) -> Vec<&str> {
        vec![&self.role]
    }

    fn evaluate(&self, ctx: &Context, req: &Requirement) -> RequirementResult {
        let lang = ctx.lang;
        let mut r = start(ctx, req);
        let name = ctx.role_name(&self.role);
        let fs = RoleFiles::of(ctx, &self.role);
        let n = fs.read.len() as u64;
        r.measured = json!(n);
        r.threshold = json!(self.min);
        r.measured_text = crate::msg!(lang, MEASURED, n = n);
        for f in &fs.read {
            r.evidence
                .push(ev(&f.path, super::files::reason(ctx, &self.role, f)));
        }
        for f in fs.unreadable.iter().chain(&fs.unsupported) {
            r.evidence.push(ev(&f.path, why(lang, f)));
        }
        for (f, l) in &fs.links {
            r.evidence.push(ev(&f.path, l.clone()));
        }
        let row = if n >= self.min {
            &PASS
        } else if !fs.links.is_empty() {
            &LINK
        } else if !fs.unsupported.is_empty() {
            &UNSUPPORTED
        } else if n > 0 {
            &TOO_FEW
        } else if !fs.unreadable.is_empty() {
            &UNREADABLE
        } else {
            &MISSING
        };
        let files = if *row == UNREADABLE {
            list_unreadable(lang, &fs.unreadable)
        } else if *row == UNSUPPORTED {
            list_unreadable(lang, &fs.unsupported)
        } else {
            paths(lang, &fs.read)
        };
        let args = crate::args!(
            name = &name,
            min = self.min,
            n = n,
            files = files,
            links = list_links(lang, &fs.links),
            missing = super::files::missing(ctx, &self.role),
            todo = crate::msg!(lang, super::files::REPLACE),
        );
        decide(&mut r, lang, row, &args);
        r
    }

    fn explain(&self, ex: &Explain) -> Vec<Line> {
        let args = crate::args!(name = ex.role_name(&self.role), min = self.min);
        // With one file required, "too few" is "none": the missing or unreadable rows.
        let rows: Vec<&super::table::Row> = TABLE
            .iter()
            .filter(|row| self.min > 1 || **row != TOO_FEW)
            .collect();
        explain(&rows, ex.lang, &args)
    }
}
