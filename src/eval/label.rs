//! `label`: every text, video and image resource carries the labels
//! ("自治区科协2025年度学会重点资助项目"; DJQC also "自治区科技社团党委党建强会").
//!
//! Each resource is one of: labelled (where a reader sees it, or "metadata only"); failing (a
//! near miss in text — a misspelling the society must correct —, no label in a document with
//! text, or a file nobody can read: an unreadable resource does not carry the label); or for a
//! person to look at (a photo or video whose label may be in the pixels, a near miss that OCR
//! may have misread, a scan, a format this tool does not read, a link standing in for the
//! media). Any failing resource fails the requirement; else any left for a person makes it
//! `review`, naming them.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::files::{REPLACE, why};
use super::table::{Line, decide, explain};
use super::{
    Check, Context, Explain, MeasureKind, Requirement, check_role, ev, quoted, semi, sep, start,
};
use crate::facts::{Kind, LabelHit, LabelMatch, PartKind};
use crate::lang::Lang;
use crate::model::{Evidence, FileRecord, FileStatus, RequirementResult};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    /// The labels (the rule set's `labels` when not given).
    #[serde(default)]
    pub labels: Vec<String>,
    #[serde(default = "default_kinds")]
    pub kinds: Vec<Kind>,
    /// Roles whose files are not the project's own resources (the auditor's report).
    #[serde(default)]
    pub exempt_roles: Vec<String>,
}

fn default_kinds() -> Vec<Kind> {
    vec![Kind::Document, Kind::Deck, Kind::Video, Kind::Image]
}

crate::decision_table! {
    PASS: Pass, "label.pass",
        when "每个资源都带有标识{labels}" / "every resource carries {labels}",
        says "{total} 个资源均标注{labels}" / "All {total} {total|resource|resources} carry {labels}";
    FAIL: Fail, "label.fail",
        when "任一资源缺少标识、标识写错（近似），或无法读取" / "any resource without the label, with a near miss, or unreadable",
        says "{n} 个资源缺少或写错标识{labels}：{lines}{todo}" / "Label {labels} missing or wrong in {n} {n|resource|resources}: {lines}{todo}";
    REVIEW: Review, "label.review",
        when "标识可能只在图片/视频画面中、OCR 读到近似标识、扫描件、暂不支持的格式或以链接提交" /
             "the label may be only in the pixels, OCR read a near miss, a scan, an unsupported format, or a link",
        says "{n} 个资源无法由机器确认标识，需人工查看：{lines}" /
             "A machine cannot confirm the label of {n} {n|resource|resources}; a person should look at: {lines}";
    NONE: Fail, "label.none",
        when "没有任何文字、视频、图片资源" / "no text, video or image resource at all",
        says "没有任何需要标注的文字、视频、图片资源" / "There is no text, video or image resource that could carry the label";
}

crate::messages! {
    ABOUT = "label.about":
        "标识：每个文字、视频、图片资源均标注{labels}（审计报告等非项目产出的材料除外）" /
        "labels: every text, video and image resource carries {labels} (materials not produced by the project, such as the audit report, excepted)";
    MEASURED = "label.measured": "{ok}/{total} 个资源有标识" / "{ok}/{total} resources labelled";
    LINE = "label.line": "{path}：{detail}" / "{path}: {detail}";
    META_ONLY = "label.meta_only": "仅在文件属性（元数据）中" / "in the file's properties (metadata) only";
    OCR_ONLY = "label.ocr_only":
        "见于图像中的文字（OCR 识别，建议人工核对）" / "in the text of the picture (read by OCR; worth a look)";
    FOUND_IN = "label.found_in": "见于{places}" / "in {places}";
    NEAR = "label.near": "{part}中标识写成“{found}”，应为“{text}”" / "the label in the {part} reads “{found}”, it should be “{text}”";
    OCR_NEAR = "label.ocr_near":
        "OCR 识别到近似标识“{found}”（可能是识别误差），应为“{text}”，需人工确认" /
        "OCR read a near miss “{found}” (may be a misreading); the label is “{text}”, needs review";
    OCR_NOTHING = "label.ocr_nothing":
        "元数据和 OCR 识别均未找到标识；标识可能在画面中，需人工确认" /
        "no label in the metadata nor in the text OCR read; it may be in the picture, needs review";
    PIXELS = "label.pixels":
        "元数据中无标识；标识可能在画面中，需人工确认" / "no label in the metadata; it may be in the picture, needs review";
    LITTLE_TEXT = "label.little_text":
        "文字很少或含扫描页，标识可能在图像中，需人工确认" / "little text or scanned pages; the label may be in an image, needs review";
    NOT_FOUND = "label.not_found": "未找到标识{labels}" / "label {labels} not found";
    UNREADABLE = "label.unreadable":
        "无法读取，不能确认带有标识（{why}）" / "unreadable, so it cannot be shown to carry the label ({why})";
    TODO = "label.todo": "。无法读取的文件：{todo}" / ". For the unreadable files: {todo}";
    UNSUPPORTED = "label.unsupported":
        "格式暂不支持读取，标识需人工确认（{why}）" / "a format this tool does not read; the label must be checked by hand ({why})";
    LINK = "label.link":
        "以链接提交，所指资源的标识需人工核对：{link}" / "handed in as a link; the label of what it points to must be checked by hand: {link}";
    MORE = "label.more": "等 {n} 个" / "and {n} more";
}

/// How one resource stands.
enum Outcome {
    Ok(String),
    Fail(String),
    Review(String),
}

impl Label {
    fn one(&self, lang: Lang, f: &FileRecord) -> Outcome {
        match f.status {
            FileStatus::Unreadable => {
                return Outcome::Fail(crate::msg!(lang, UNREADABLE, why = why(lang, f)));
            }
            FileStatus::Unsupported => {
                return Outcome::Review(crate::msg!(lang, UNSUPPORTED, why = why(lang, f)));
            }
            _ => {}
        }
        let Some(facts) = f.facts.as_ref() else {
            return Outcome::Review(crate::msg!(lang, UNSUPPORTED, why = why(lang, f)));
        };
        let mut missing: Vec<&String> = Vec::new();
        let mut wheres: Vec<PartKind> = Vec::new();
        for l in &self.labels {
            let exact: Vec<PartKind> = facts
                .labels
                .iter()
                .filter(|h| &h.text == l && h.matched == LabelMatch::Exact)
                .map(|h| h.location)
                .collect();
            if exact.is_empty() {
                missing.push(l);
            } else {
                wheres.extend(exact);
            }
        }
        if missing.is_empty() {
            wheres.sort();
            wheres.dedup();
            let detail = if wheres.iter().all(|w| *w == PartKind::Metadata) {
                crate::msg!(lang, META_ONLY)
            } else if wheres.iter().all(|w| *w == PartKind::Ocr) {
                crate::msg!(lang, OCR_ONLY)
            } else {
                let places: Vec<&str> = wheres.iter().map(|w| lang.part(*w)).collect();
                crate::msg!(lang, FOUND_IN, places = places.join(sep(lang)))
            };
            return Outcome::Ok(detail);
        }
        if let Some(link) = crate::link::find(facts) {
            return Outcome::Review(crate::msg!(lang, LINK, link = link));
        }
        // A near miss in text OCR read may be a misreading, not a misspelling: never a fail.
        let is_near = |h: &&LabelHit| {
            h.matched == LabelMatch::NearMiss && missing.iter().any(|m| **m == h.text)
        };
        let near = facts
            .labels
            .iter()
            .filter(is_near)
            .find(|h| h.location != PartKind::Ocr);
        let ocr_near = facts
            .labels
            .iter()
            .filter(is_near)
            .find(|h| h.location == PartKind::Ocr);
        if let Some(h) = near {
            Outcome::Fail(crate::msg!(
                lang,
                NEAR,
                part = lang.part(h.location),
                found = &h.found,
                text = &h.text
            ))
        } else if let Some(h) = ocr_near {
            Outcome::Review(crate::msg!(
                lang,
                OCR_NEAR,
                found = &h.found,
                text = &h.text
            ))
        } else if facts.ocr.as_ref().is_some_and(|o| o.images > 0) && f.kind == Kind::Image {
            Outcome::Review(crate::msg!(lang, OCR_NOTHING))
        } else if matches!(f.kind, Kind::Image | Kind::Video) {
            Outcome::Review(crate::msg!(lang, PIXELS))
        } else if facts.counts.chars_no_space < 20 || !facts.scanned_pages.is_empty() {
            Outcome::Review(crate::msg!(lang, LITTLE_TEXT))
        } else {
            let names: Vec<String> = missing.iter().map(|m| (*m).clone()).collect();
            Outcome::Fail(crate::msg!(lang, NOT_FOUND, labels = quoted(&names, lang)))
        }
    }
}

/// The kind of resource a file is: its read kind, or for a file whose content could not be
/// told (an empty or broken file), the kind its extension promises.
fn resource_kind(f: &FileRecord) -> Kind {
    if f.kind != Kind::Other {
        return f.kind;
    }
    let name = f.path.rsplit('/').next().unwrap_or(&f.path);
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    crate::identify::formats_for_extension(ext)
        .first()
        .map_or(Kind::Other, |x| x.kind())
}

/// "a：…；b：…", the first `max` and "等 N 个" for the rest.
fn lines(lang: Lang, items: &[Evidence], max: usize) -> String {
    let mut out: Vec<String> = items
        .iter()
        .take(max)
        .map(|e| crate::msg!(lang, LINE, path = &e.path, detail = &e.detail))
        .collect();
    if items.len() > max {
        out.push(crate::msg!(lang, MORE, n = items.len() - max));
    }
    out.join(semi(lang))
}

impl MeasureKind for Label {
    fn about(&self, ex: &Explain) -> String {
        crate::msg!(ex.lang, ABOUT, labels = quoted(&self.labels, ex.lang))
    }

    fn check(&mut self, cx: &mut dyn Check) {
        if self.labels.is_empty() {
            self.labels = cx.labels();
        }
        if self.labels.is_empty() {
            cx.error("labels", None, "labels 为空".into());
        }
        for (i, role) in self.exempt_roles.iter().enumerate() {
            check_role(cx, "exempt_roles", Some(i), role);
        }
    }

    fn roles(&self) -> Vec<&str> {
        Vec::new()
    }

    fn evaluate(&self, ctx: &Context, req: &Requirement) -> RequirementResult {
        let lang = ctx.lang;
        let mut r = start(ctx, req);
        let resources: Vec<&FileRecord> = ctx
            .files
            .iter()
            .filter(|f| f.status != FileStatus::Ignored)
            .filter(|f| self.kinds.contains(&resource_kind(f)))
            .filter(|f| {
                f.role
                    .as_ref()
                    .is_none_or(|role| !self.exempt_roles.contains(role))
            })
            .collect();
        let (mut ok, mut fails, mut reviews) = (Vec::new(), Vec::new(), Vec::new());
        for f in &resources {
            match self.one(lang, f) {
                Outcome::Ok(d) => ok.push(ev(&f.path, d)),
                Outcome::Fail(d) => fails.push(ev(&f.path, d)),
                Outcome::Review(d) => reviews.push(ev(&f.path, d)),
            }
        }
        let total = resources.len();
        r.measured = json!(ok.len());
        r.threshold = json!(total);
        r.measured_text = crate::msg!(lang, MEASURED, ok = ok.len(), total = total);
        let row = if !fails.is_empty() {
            &FAIL
        } else if !reviews.is_empty() {
            &REVIEW
        } else if total == 0 {
            &NONE
        } else {
            &PASS
        };
        let listed = if *row == FAIL { &fails } else { &reviews };
        let any_unreadable = resources.iter().any(|f| f.status == FileStatus::Unreadable);
        let todo = if *row == FAIL && any_unreadable {
            crate::msg!(lang, TODO, todo = crate::msg!(lang, REPLACE))
        } else {
            String::new()
        };
        let args = crate::args!(
            labels = quoted(&self.labels, lang),
            total = total,
            n = listed.len(),
            lines = lines(lang, listed, if *row == FAIL { usize::MAX } else { 8 }),
            todo = todo,
        );
        decide(&mut r, lang, row, &args);
        let mut evidence = fails;
        evidence.extend(reviews);
        evidence.extend(ok);
        r.evidence = evidence;
        r
    }

    fn explain(&self, ex: &Explain) -> Vec<Line> {
        let args = crate::args!(labels = quoted(&self.labels, ex.lang));
        explain(&TABLE.iter().collect::<Vec<_>>(), ex.lang, &args)
    }
}
