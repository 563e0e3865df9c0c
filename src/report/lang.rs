//! The language of the outputs (`--lang zh|en`): the fixed wording of every renderer (headings,
//! column names, verdict words) and the English names of the small vocabularies the evaluator
//! and the renderers share (parts of a document, confidence, how a duration was measured,
//! problem codes).
//!
//! Why a table of `&'static str` and not a translation framework: the renderers have a few dozen
//! fixed labels, and two languages. A struct with one field per label is checked by the compiler
//! (a label missing in one language does not build), costs nothing at run time, and can be
//! handed to a minijinja template as one value (`t.requirements`).
//!
//! What comes from elsewhere, and how each is translated:
//! - requirement titles, role names, thresholds and fail messages come from the rule files,
//!   which carry English twins (`title_en`, `name_en`, `threshold_en`, `fail_message_en`,
//!   `unit_en`, `academician_en`, `titles_en`; a test requires them on the built-in files); the
//!   report lists the role names (`Report::roles`) so renderers never show a role id. The `guide` wording stays Chinese
//!   in both languages: it quotes the Chinese guide, and a reviewer compares it with the guide;
//! - measured texts, messages and evidence are written by the evaluator in the language of the
//!   check (`eval::Context::lang`), from message ids with arguments whose Chinese and English
//!   templates sit together in one catalogue per module ([`crate::msg`]). A `Report` is
//!   therefore made in one language: run the check again to get the other one (the facts cache
//!   stores facts, not messages, so that is cheap);
//! - problems of files (`Problem { code, message }`) are written in Chinese at hundreds of sites
//!   in the extractors; under English the renderers show one sentence per stable code
//!   ([`problems`]) and fall back to the Chinese message for a code the table lacks. The JSON
//!   dossier under English puts the English sentence in `message` and keeps the Chinese one,
//!   with its details, in `message_zh`, so a tool reading `message` gets the requested language
//!   and nothing is lost. Chinese output is unchanged (no `message_zh`).
//!
//! Counts: English calls Word's 字数 "characters" everywhere (the column header says
//! "Characters (Word count)").

pub use crate::lang::{Lang, problems};

use serde::Serialize;

impl Lang {
    /// The fixed labels of the dossier and the batch outputs in this language.
    pub fn labels(self) -> &'static Labels {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }
}

/// Every fixed label of the dossier (DOCX, HTML) and the batch outputs (summary, index).
#[derive(Debug, Serialize)]
pub struct Labels {
    pub dossier_title: &'static str,
    pub docx_title: &'static str,
    pub index_title: &'static str,
    pub project_name: &'static str,
    pub code: &'static str,
    pub society: &'static str,
    pub category: &'static str,
    pub level: &'static str,
    pub checked_at: &'static str,
    pub tool: &'static str,
    pub overall: &'static str,
    pub tally: &'static str,
    pub exit: &'static str,
    pub basis: &'static str,
    pub requirements: &'static str,
    pub guide_text: &'static str,
    pub files: &'static str,
    pub findings: &'static str,
    pub no_findings: &'static str,
    pub signature: &'static str,
    pub opinion: &'static str,
    pub reviewer: &'static str,
    pub date: &'static str,
    pub n: &'static str,
    pub requirement: &'static str,
    pub guide: &'static str,
    pub measured: &'static str,
    pub threshold: &'static str,
    pub verdict: &'static str,
    pub evidence: &'static str,
    pub message: &'static str,
    pub file: &'static str,
    pub role: &'static str,
    pub unclassified: &'static str,
    pub format: &'static str,
    pub words: &'static str,
    pub extent: &'static str,
    pub status: &'static str,
    pub problems: &'static str,
    pub no_file: &'static str,
    pub footer: &'static str,
    pub fail_count: &'static str,
    pub review_count: &'static str,
    pub file_count: &'static str,
    pub error: &'static str,
    pub dossier: &'static str,
    pub all: &'static str,
    pub filter: &'static str,
    pub projects: &'static str,
    pub sort_hint: &'static str,
    pub not_checked: &'static str,
    // The HTML dossier's own headings and labels.
    pub h_fixes: &'static str,
    pub fixes_intro: &'static str,
    pub submitted_as: &'static str,
    pub technical: &'static str,
    pub notice: &'static str,
    pub beijing_time: &'static str,
    pub h_requirements: &'static str,
    pub h_guide: &'static str,
    pub h_files: &'static str,
    /// The section of the audit's cross-submission findings (issue #16).
    pub h_cross: &'static str,
    pub cross_intro: &'static str,
    pub cross_other: &'static str,
    pub cross_quote: &'static str,
    /// The index page's section and the summary column.
    pub cross_index_intro: &'static str,
    pub cross_none: &'static str,
    pub cross_column: &'static str,
    pub h_problems: &'static str,
    pub evidence_file: &'static str,
    pub title: &'static str,
    pub no_labels: &'static str,
    pub labels_col: &'static str,
    pub status_problems: &'static str,
    pub none: &'static str,
    pub strict_note: &'static str,
    pub sign_reviewer: &'static str,
    pub sign_date: &'static str,
    pub generated_by: &'static str,
}

static ZH: Labels = Labels {
    dossier_title: "验收核查报告",
    docx_title: "验收核查表",
    index_title: "年度验收核查汇总",
    project_name: "项目名称",
    code: "编号",
    society: "学会",
    category: "类别",
    level: "级别",
    checked_at: "核查时间",
    tool: "工具版本",
    overall: "总体结论",
    tally: "统计",
    exit: "退出码",
    basis: "依据",
    requirements: "一、逐项要求",
    guide_text: "二、指南原文",
    files: "二、文件清单",
    findings: "三、需补正的问题",
    no_findings: "无。",
    signature: "四、核查意见",
    opinion: "核查意见：",
    reviewer: "核查人（签字）：",
    date: "日期：",
    n: "序号",
    requirement: "要求",
    guide: "依据",
    measured: "实测",
    threshold: "要求值",
    verdict: "结论",
    evidence: "依据文件",
    message: "说明",
    file: "文件",
    role: "角色",
    unclassified: "未归类",
    format: "格式",
    words: "字数",
    extent: "页/张/时长",
    status: "状态",
    problems: "问题",
    no_file: "未找到相应文件",
    footer: "机器核查结果须经核查人复核签字后生效",
    fail_count: "不通过",
    review_count: "需复核",
    file_count: "文件数",
    error: "错误",
    dossier: "核查表",
    all: "全部",
    filter: "按结论筛选：",
    projects: "个项目",
    sort_hint: "点击列标题排序",
    not_checked: "未能核查",
    h_fixes: "一、需补正的问题",
    fixes_intro: "还要补什么：按下列顺序补正后重新核查。",
    submitted_as: "提交方式",
    technical: "技术信息",
    notice: "注意",
    beijing_time: "（北京时间）",
    h_requirements: "二、逐项要求",
    h_guide: "三、指南原文",
    h_files: "四、文件清单",
    h_cross: "附：跨项目发现",
    cross_intro: "以下是批量核查（audit）把本项目与同年其他项目（及往年）比对后的发现，供复核参考，不改变任何结论。",
    cross_other: "对方",
    cross_quote: "引文",
    cross_index_intro: "比对全部项目后的发现：文字雷同、照片与录像重复、日期与名称不符。供复核参考，不改变任何项目的结论。",
    cross_none: "未发现跨项目问题。",
    cross_column: "跨项目发现",
    h_problems: "文件问题",
    evidence_file: "依据文件",
    title: "标题",
    no_labels: "未发现标识",
    labels_col: "标识",
    status_problems: "状态 · 问题",
    none: "无。",
    strict_note: "（--strict：需人工复核按不通过处理）",
    sign_reviewer: "核查人：",
    sign_date: "日期：",
    generated_by: "由",
};

static EN: Labels = Labels {
    dossier_title: "Acceptance check report",
    docx_title: "Acceptance checklist",
    index_title: "Acceptance audit summary",
    project_name: "Project",
    code: "Project code",
    society: "Society",
    category: "Category",
    level: "Level",
    checked_at: "Checked at",
    tool: "Tool version",
    overall: "Overall verdict",
    tally: "Summary",
    exit: "Exit code",
    basis: "decided by",
    requirements: "1. Requirements",
    guide_text: "2. Guide wording",
    files: "2. Files",
    findings: "3. Findings to fix",
    no_findings: "None.",
    signature: "4. Reviewer's opinion",
    opinion: "Opinion:",
    reviewer: "Reviewer (signature):",
    date: "Date:",
    n: "No.",
    requirement: "Requirement",
    guide: "Guide wording",
    measured: "Measured",
    threshold: "Threshold",
    verdict: "Verdict",
    evidence: "Evidence",
    message: "Message",
    file: "File",
    role: "Role",
    unclassified: "unclassified",
    format: "Format",
    words: "Characters (Word count)",
    extent: "Pages/slides/duration",
    status: "Status",
    problems: "Problems",
    no_file: "no matching file",
    footer: "Machine results take effect only once the reviewer has checked and signed them",
    fail_count: "fail",
    review_count: "review",
    file_count: "files",
    error: "error",
    dossier: "dossier",
    all: "all",
    filter: "Filter by verdict:",
    projects: "projects",
    sort_hint: "click a column heading to sort",
    not_checked: "could not be checked",
    h_fixes: "1. What to fix",
    fixes_intro: "What is still needed: deal with these in order, then check again.",
    submitted_as: "Submitted as",
    technical: "Technical details",
    notice: "Note",
    beijing_time: " (Beijing time, UTC+8)",
    h_requirements: "2. Requirements",
    h_guide: "3. Guide wording",
    h_files: "4. Files",
    h_cross: "Appendix: findings across submissions",
    cross_intro: "What the batch audit found comparing this submission with the others of the year (and earlier years). For a reviewer to look at; they change no verdict.",
    cross_other: "Other side",
    cross_quote: "Quoted",
    cross_index_intro: "What comparing all submissions found: shared text, the same photo or recording twice, dates and names that do not fit. For a reviewer to look at; they change no project's verdict.",
    cross_none: "No findings across submissions.",
    cross_column: "Findings across submissions",
    h_problems: "File problems",
    evidence_file: "Evidence",
    title: "Title",
    no_labels: "no label found",
    labels_col: "Labels",
    status_problems: "Status · problems",
    none: "None.",
    strict_note: " (--strict: needs review counts as fail)",
    sign_reviewer: "Reviewer:",
    sign_date: "Date:",
    generated_by: "Generated by",
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FileStatus, Verdict};

    #[test]
    fn verdict_words() {
        let cases = [
            (Lang::Zh, Verdict::Pass, "通过"),
            (Lang::Zh, Verdict::Review, "需人工复核"),
            (Lang::Zh, Verdict::Fail, "不通过"),
            (Lang::En, Verdict::Pass, "pass"),
            (Lang::En, Verdict::Review, "needs review"),
            (Lang::En, Verdict::Fail, "fail"),
        ];
        for (lang, v, want) in cases {
            assert_eq!(lang.verdict(v), want);
        }
        assert_eq!(Lang::En.status(FileStatus::Unreadable), "unreadable");
        assert_eq!(Lang::Zh.labels().code, "编号");
        assert_eq!(Lang::En.labels().code, "Project code");
    }
}
