//! `words`: the role's document has at least `at_least` 字 by `basis` (Word's 字数 by default);
//! "X左右" passes from ⌈`tolerance` × X⌉ (DESIGN.md: 0.9 unless the rule file says otherwise).
//!
//! Which document counts: versions of one deliverable are resolved first (the final one is
//! judged, see [`super::versions`]); of the different documents left, the longest — any one
//! document that says enough meets the requirement. A count that falls short only because of
//! scanned pages is `review` (OCR counts are estimates: never a pass on their own); a
//! deliverable that nobody can read fails, naming every file (policy rule 2).

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::files::{RoleFiles, list_links, list_unreadable, why};
use super::table::{Line, decide, explain};
use super::{Basis, Check, Context, Explain, MeasureKind, Requirement, check_role, ev, sep, start};
use crate::count::thousands;
use crate::facts::Facts;
use crate::lang::Lang;
use crate::model::RequirementResult;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    pub role: String,
    #[serde(default)]
    pub basis: Basis,
    pub at_least: u64,
    /// "左右": pass from `tolerance × at_least`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<f64>,
}

crate::decision_table! {
    PASS: Pass, "words.pass",
        when "≥{at_least} {unit}" / "≥{at_least} {unit}",
        says "{name} {n} {unit}，达到要求" / "{name|cap}: {n} {unit}, as required";
    PASS_TOLERANCE: Pass, "words.pass_tolerance",
        when "≥{eff} {unit}（{label} × {tolerance}），不足 {at_least}" /
             "≥{eff} {unit} ({label} × {tolerance}), below {at_least}",
        says "{name} {n} {unit}，在“{label}”的容差范围内（≥{eff}，不足 {at_least}）" /
             "{name|cap}: {n} {unit}, within the tolerance of “{label}” (≥{eff}, below {at_least})";
    SHORT: Fail, "words.short",
        when "< {eff} {unit}" / "< {eff} {unit}",
        says "{name} {n} {unit}，要求{threshold}：还差 {short} {unit}" /
             "{name|cap}: {n} {unit}, required {threshold}: {short} {unit} short";
    OCR: Review, "words.ocr",
        when "文字层 < {eff} {unit}，含扫描页（OCR 估计只作参考）" /
             "text layer < {eff} {unit}, with scanned pages (an OCR estimate is for reference only)",
        says "{name}文字层 {n} {unit}，含扫描页，OCR 估计约 {estimate} {unit}，{reach}（要求{threshold}）；OCR 结果只是估计，请人工核对" /
             "{name|cap}: {n} {unit} in the text layer, with scanned pages that OCR estimates at about {estimate} {unit}, {reach} ({threshold}); OCR is an estimate, please check by hand";
    SCANNED: Review, "words.scanned",
        when "可读文字 < {eff} {unit}，但含扫描页或无法解码的文字" /
             "readable text < {eff} {unit}, but with scanned pages or undecodable text",
        says "{name}可读文字 {n} {unit}，但文件含扫描页或无法解码的文字{scanned}，需人工核对字数（要求{threshold}）" /
             "{name|cap}: {n} {unit} of readable text, but the file has scanned pages or undecodable text{scanned}; its characters must be counted by hand (required {threshold})";
    UNSUPPORTED: Review, "words.unsupported",
        when "可读文档不足，另有暂不支持的格式" / "readable documents fall short, with others in formats this tool does not read",
        says "{name}可读文字 {n} {unit}，另有文件格式暂不支持读取：{files}；请人工核对字数（要求{threshold}）" /
             "{name|cap}: {n} {unit} readable, and files in formats this tool does not read: {files}; please count their characters by hand (required {threshold})";
    LINK: Review, "words.link",
        when "以链接代替文件提交" / "handed in as a link instead of the file",
        says "{name}以链接提交：{links}；请打开链接核对字数（要求{threshold}），或提交文件本身" /
             "{name|cap}: handed in as a link: {links}; please follow it and count the characters (required {threshold}), or submit the file itself";
    UNREADABLE: Fail, "words.unreadable",
        when "只有无法读取的文件（截断、损坏、空文件、加密）" / "only unreadable files (truncated, corrupt, empty, encrypted)",
        says "{name}的文件均无法读取，无法核对字数：{files}；{todo}" /
             "No file of the {name} can be read, so its characters cannot be counted: {files}; {todo}";
    MISSING: Fail, "words.missing",
        when "未提交" / "nothing submitted",
        says "{missing}" / "{missing}";
}

crate::messages! {
    ABOUT = "words.about":
        "字数：按{basis}计数，取该角色中最终版本的文档（多个不同文档取字数最多者）" /
        "characters: counted as {basis}, on the final version of the role's document (of several different documents, the longest)";
    THRESHOLD = "words.threshold": "{label}（≥{eff}）" / "{label} (≥{eff})";
    NOT_SUBMITTED = "words.not_submitted": "未提交" / "not submitted";
    UNREADABLE_TEXT = "words.unreadable_text": "无法读取" / "unreadable";
    OTHER_FILE = "words.other_file":
        "同一角色的其他文件（取字数最多者）" /
        "another file of the same role (the one with the most characters counts)";
    DETAIL = "words.detail": "{n} {unit}（汉字 {han}）" / "{n} {unit} ({han} Han {han|character|characters})";
    DETAIL_RECORDED = "words.detail_recorded":
        "；文件自带统计 {w}（仅供参考）" / "; the file's own statistics say {w} (for information only)";
    DETAIL_SCANNED = "words.detail_scanned":
        "；{p} 页无文字层" / "; {p} {p|page|pages} without a text layer";
    MEASURED_OCR = "words.measured_ocr":
        "{n} {unit}（OCR 估计约 {estimate}）" / "{n} {unit} (OCR estimate about {estimate})";
    OCR_EVIDENCE = "words.ocr_evidence":
        "OCR 识别（{engine}，basis: ocr）：约 {n} {unit}，第 {pages} 页" /
        "read by OCR ({engine}, basis: ocr): about {n} {unit}, page(s) {pages}";
    MAY_REACH = "words.may_reach": "可能达到要求" / "which may meet the requirement";
    STILL_BELOW = "words.still_below": "仍低于要求" / "still below the requirement";
    SCANNED_PAGES = "words.scanned_pages": "（{p}）" / " ({p})";
}

/// The effective threshold of a words requirement ("左右" → ⌈tolerance × X⌉).
pub fn effective_threshold(at_least: u64, tolerance: Option<f64>) -> u64 {
    match tolerance {
        Some(t) => (at_least as f64 * t).ceil() as u64,
        None => at_least,
    }
}

impl Words {
    fn eff(&self) -> u64 {
        effective_threshold(self.at_least, self.tolerance)
    }

    fn unit(&self, lang: Lang, n: u64) -> &'static str {
        match lang {
            Lang::En if n == 1 => self.basis.unit_one_en(),
            _ => self.basis.unit_in(lang),
        }
    }

    /// "4千字左右（≥3,600）", or the label alone when there is no tolerance.
    fn threshold_text(&self, lang: Lang, label: &str) -> String {
        if self.tolerance.is_some() || label.is_empty() {
            crate::msg!(lang, THRESHOLD, label = label, eff = self.eff())
        } else {
            label.to_string()
        }
    }
}

fn basis_name(lang: Lang, b: Basis) -> &'static str {
    match (lang, b) {
        (Lang::Zh, Basis::Words) => "Word 字数",
        (Lang::Zh, Basis::Han) => "汉字数",
        (Lang::Zh, Basis::Cjk) => "中文字符数",
        (Lang::Zh, Basis::CharsNoSpace) => "字符数（不计空格）",
        (Lang::En, Basis::Words) => "Word's character count",
        (Lang::En, Basis::Han) => "Han characters",
        (Lang::En, Basis::Cjk) => "East Asian characters",
        (Lang::En, Basis::CharsNoSpace) => "non-space characters",
    }
}

fn count_detail(lang: Lang, facts: &Facts, n: u64, unit: &str) -> String {
    let mut s = crate::msg!(lang, DETAIL, n = n, unit = unit, han = facts.counts.han);
    if let Some(rec) = &facts.recorded
        && let Some(w) = rec.words
    {
        s.push_str(&crate::msg!(lang, DETAIL_RECORDED, w = w));
    }
    if !facts.scanned_pages.is_empty() {
        s.push_str(&crate::msg!(
            lang,
            DETAIL_SCANNED,
            p = facts.scanned_pages.len()
        ));
    }
    s
}

impl MeasureKind for Words {
    fn about(&self, ex: &Explain) -> String {
        crate::msg!(ex.lang, ABOUT, basis = basis_name(ex.lang, self.basis))
    }

    fn check(&mut self, cx: &mut dyn Check) {
        check_role(cx, "role", None, &self.role);
        if let Some(t) = self.tolerance
            && !(0.5..=1.0).contains(&t)
        {
            cx.error(
                "tolerance",
                None,
                "tolerance 应在 0.5 到 1.0 之间（如 0.9）".into(),
            );
        }
    }

    fn roles(&self) -> Vec<&str> {
        vec![&self.role]
    }

    fn evaluate(&self, ctx: &Context, req: &Requirement) -> RequirementResult {
        let lang = ctx.lang;
        let mut r = start(ctx, req);
        let eff = self.eff();
        r.threshold = json!(eff);
        let label = req.threshold_in(lang).to_string();
        r.threshold_text = self.threshold_text(lang, &label);
        let fs = RoleFiles::of(ctx, &self.role);
        let best = fs
            .read
            .iter()
            .filter_map(|f| {
                f.facts
                    .as_ref()
                    .map(|x| (*f, x, self.basis.pick(&x.counts)))
            })
            .max_by_key(|(_, _, n)| *n);
        let n = best.map_or(0, |b| b.2);
        let unit = self.unit(lang, n);
        if let Some((file, facts, _)) = best {
            r.measured = json!(n);
            r.measured_text = format!("{} {unit}", thousands(n));
            r.evidence
                .push(ev(&file.path, count_detail(lang, facts, n, unit)));
            for f in fs.read.iter().filter(|f| f.path != file.path) {
                r.evidence.push(ev(&f.path, crate::msg!(lang, OTHER_FILE)));
            }
        } else if fs.is_empty() {
            r.measured_text = crate::msg!(lang, NOT_SUBMITTED);
        } else {
            r.measured_text = crate::msg!(lang, UNREADABLE_TEXT);
        }
        for f in fs.unreadable.iter().chain(&fs.unsupported) {
            r.evidence.push(ev(&f.path, why(lang, f)));
        }
        for (f, l) in &fs.links {
            r.evidence.push(ev(&f.path, l.clone()));
        }
        let mut estimate = 0;
        let mut reach = String::new();
        let mut scanned = String::new();
        let row = match best {
            Some(_) if n >= self.at_least => &PASS,
            Some(_) if n >= eff => &PASS_TOLERANCE,
            Some((file, facts, _)) => {
                if let Some(ocr) = facts.ocr.as_ref().filter(|o| o.images > 0) {
                    estimate = n.saturating_add(self.basis.pick(&ocr.counts));
                    r.measured_text =
                        crate::msg!(lang, MEASURED_OCR, n = n, unit = unit, estimate = estimate);
                    let pages: Vec<String> = ocr.pages.iter().map(u32::to_string).collect();
                    r.evidence.push(ev(
                        &file.path,
                        crate::msg!(
                            lang,
                            OCR_EVIDENCE,
                            engine = &ocr.engine,
                            n = self.basis.pick(&ocr.counts),
                            unit = unit,
                            pages = pages.join(sep(lang))
                        ),
                    ));
                    reach = if estimate >= eff {
                        crate::msg!(lang, MAY_REACH)
                    } else {
                        crate::msg!(lang, STILL_BELOW)
                    };
                    &OCR
                } else if !facts.scanned_pages.is_empty()
                    || file
                        .problems
                        .iter()
                        .any(|p| p.code == crate::codes::TEXT_UNDECODABLE)
                {
                    scanned = crate::msg::scanned_pages_in(facts, lang)
                        .map(|p| crate::msg!(lang, SCANNED_PAGES, p = p))
                        .unwrap_or_default();
                    &SCANNED
                } else if !fs.links.is_empty() {
                    &LINK
                } else if !fs.unsupported.is_empty() {
                    &UNSUPPORTED
                } else {
                    &SHORT
                }
            }
            None if fs.is_empty() => &MISSING,
            None if !fs.links.is_empty() => &LINK,
            None if !fs.unsupported.is_empty() => &UNSUPPORTED,
            None => &UNREADABLE,
        };
        let files = if *row == UNSUPPORTED {
            list_unreadable(lang, &fs.unsupported)
        } else {
            list_unreadable(lang, &fs.unreadable)
        };
        let args = crate::args!(
            name = ctx.role_name(&self.role),
            n = n,
            unit = unit,
            label = &label,
            eff = eff,
            at_least = self.at_least,
            threshold = &r.threshold_text,
            short = eff.saturating_sub(n),
            estimate = estimate,
            reach = reach,
            scanned = scanned,
            files = files,
            links = list_links(lang, &fs.links),
            missing = super::files::missing(ctx, &self.role),
            todo = crate::msg!(lang, super::files::REPLACE),
        );
        decide(&mut r, lang, row, &args);
        r
    }

    fn explain(&self, ex: &Explain) -> Vec<Line> {
        let lang = ex.lang;
        let rows: Vec<&super::table::Row> = TABLE
            .iter()
            .filter(|row| self.tolerance.is_some() || **row != PASS_TOLERANCE)
            .collect();
        let args = crate::args!(
            unit = self.basis.unit_in(lang),
            at_least = self.at_least,
            eff = self.eff(),
            label = ex.req.threshold_in(lang),
            tolerance = self.tolerance.map(crate::msg::number).unwrap_or_default(),
            basis = basis_name(lang, self.basis),
        );
        let mut lines = explain(&rows, lang, &args);
        if self.tolerance.is_none()
            && let Some(first) = lines.first_mut()
        {
            // Without a tolerance the bound is the threshold itself.
            first.when = format!("≥{} {}", thousands(self.at_least), self.basis.unit_in(lang));
        }
        lines
    }
}
