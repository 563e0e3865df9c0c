//! Evaluate: each requirement of the rule set → pass / fail / review, with evidence.
//!
//! One plain function per measure, over the classified files. The engine never passes a
//! requirement it could not read: a file that exists but could not be read, a scan whose words
//! cannot be counted, a label that may be in a photo's pixels, a figure the reports do not
//! state — each is `review` with the reason, never a silent pass. Messages say what to fix in
//! the society's terms ("总结报告 3,412 字，要求 4千字左右（≥3,600）：还差 188 字").
//!
//! Every text it writes exists in Chinese and English, side by side at the site that writes it
//! ([`tr!`]): the language is chosen once per check (`Context::lang`), so a report is made in one
//! language. The trade-off is two strings per message here instead of a message catalogue: the
//! two stay next to each other and use the same arguments (the macro does not build if one
//! language forgets an argument), which is what keeps them saying the same thing.

pub mod pairing;

/// `tr!(lang, "中文 {x}", "English {x}", args…)`: a `format!` in the evaluation's language.
macro_rules! tr {
    ($lang:expr, $zh:literal, $en:literal $(, $arg:expr)* $(,)?) => {
        match $lang {
            $crate::report::lang::Lang::Zh => format!($zh $(, $arg)*),
            $crate::report::lang::Lang::En => format!($en $(, $arg)*),
        }
    };
}

use serde_json::{Value, json};

use crate::count::thousands;
use crate::facts::{Facts, Kind, LabelMatch, PartKind};
use crate::label::normalize;
use crate::report::lang::Lang;
use crate::report::model::{Evidence, FileRecord, FileStatus, RequirementResult, Verdict};
use crate::rules::{Basis, Measure, Requirement, RuleSet, Severity, unit_in};

/// What evaluation needs besides the rules: the files and the XXJL level.
pub struct Context<'a> {
    pub rules: &'a RuleSet,
    pub files: &'a [FileRecord],
    /// Level id (`international` / `national` / `regional`) when known.
    pub level: Option<&'a str>,
    /// The language of titles, messages, measured texts and evidence.
    pub lang: Lang,
}

impl Context<'_> {
    fn of_role<'b>(&'b self, role: &'b str) -> impl Iterator<Item = &'b FileRecord> + 'b {
        self.files
            .iter()
            .filter(move |f| f.role.as_deref() == Some(role) && f.status != FileStatus::Ignored)
    }

    /// The role's name in the check's language, as it reads inside a sentence: English names
    /// are lower-cased ("summary report"); [`evaluate_one`] capitalises each message.
    fn role_name(&self, role: &str) -> String {
        let name = self.rules.role_name_in(role, self.lang);
        match self.lang {
            Lang::Zh => name.to_string(),
            Lang::En => {
                let mut chars = name.chars();
                chars
                    .next()
                    .map(|c| c.to_lowercase().chain(chars).collect())
                    .unwrap_or_default()
            }
        }
    }
}

/// Evaluates every requirement.
pub fn evaluate(ctx: &Context) -> Vec<RequirementResult> {
    ctx.rules
        .requirements
        .iter()
        .map(|r| evaluate_one(ctx, r))
        .collect()
}

/// Evaluates one requirement, applying its severity.
pub fn evaluate_one(ctx: &Context, req: &Requirement) -> RequirementResult {
    let mut result = match &req.measure {
        Measure::Present { role, min } => present(ctx, req, role, *min),
        Measure::Count {
            role,
            at_least,
            unit,
            unit_en,
        } => count(ctx, req, role, *at_least, unit_in(ctx.lang, unit, unit_en)),
        Measure::Words {
            role,
            basis,
            at_least,
            tolerance,
        } => words(ctx, req, role, *basis, *at_least, *tolerance),
        Measure::DurationEach {
            role,
            at_least_s,
            min,
            pair_with,
        } => duration_each(ctx, req, role, *at_least_s, *min, pair_with.as_deref()),
        Measure::Label {
            labels,
            kinds,
            exempt_roles,
        } => label(ctx, req, labels, kinds, exempt_roles),
        Measure::Figure {
            roles,
            patterns,
            at_least,
            unit,
            unit_en,
            ..
        } => figure(
            ctx,
            req,
            roles,
            patterns,
            *at_least,
            unit_in(ctx.lang, unit, unit_en),
        ),
        Measure::TitledPeople {
            role,
            titles,
            at_least,
        } => titled_people(ctx, req, role, titles, *at_least),
        Measure::News {
            role,
            at_least,
            outlets,
        } => news(ctx, req, role, *at_least, outlets),
        Measure::AnyOf { alternatives } => any_of(ctx, req, alternatives),
    };
    if result.verdict == Verdict::Fail && req.severity == Severity::Review {
        result.verdict = Verdict::Review;
        result.message = tr!(
            ctx.lang,
            "{}（需人工判断）",
            "{} (a person must judge)",
            result.message
        );
    }
    if result.verdict == Verdict::Fail
        && let Some(template) = req.fail_message_in(ctx.lang)
    {
        result.message = template
            .replace("{measured}", &result.measured_text)
            .replace("{threshold}", &result.threshold_text);
    }
    if ctx.lang == Lang::En {
        english_finish(&mut result);
    }
    result
}

/// English grammar the templates cannot know: a message starts with a capital, and "1 files"
/// is "1 file". Only the nouns the evaluator and the built-in units write are made singular,
/// and only after a lone "1", so paths and quoted text are left alone in practice.
fn english_finish(r: &mut RequirementResult) {
    static ONE: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(^|[\s(])1 ((?:Han |East Asian |non-space )?(?:file|item|resource|slide deck|slide|deck|character|contact|page|expert|recording|academician|people))s?\b",
        )
        .ok()
    });
    let fix = |s: &mut String| {
        if let Some(re) = ONE.as_ref()
            && re.is_match(s)
        {
            *s = re
                .replace_all(s, |c: &regex::Captures| {
                    let noun = c.get(2).map_or("", |m| m.as_str());
                    let noun = if noun == "people" { "person" } else { noun };
                    format!("{}1 {noun}", c.get(1).map_or("", |m| m.as_str()))
                })
                .into_owned();
        }
    };
    fix(&mut r.message);
    fix(&mut r.measured_text);
    for e in &mut r.evidence {
        fix(&mut e.detail);
    }
    if let Some(first) = r.message.chars().next()
        && first.is_lowercase()
    {
        r.message = first
            .to_uppercase()
            .chain(r.message.chars().skip(1))
            .collect();
    }
}

fn base(ctx: &Context, req: &Requirement) -> RequirementResult {
    RequirementResult {
        id: req.id.clone(),
        title: req.title_in(ctx.lang).to_string(),
        guide: req.guide.clone(),
        verdict: Verdict::Review,
        measured: Value::Null,
        threshold: Value::Null,
        measured_text: String::new(),
        threshold_text: req.threshold_in(ctx.lang).to_string(),
        evidence: Vec::new(),
        message: String::new(),
    }
}

/// The list separator of the language: 、 / ", ".
fn sep(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "、",
        Lang::En => ", ",
    }
}

/// The clause separator of the language: ； / "; ".
fn semi(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "；",
        Lang::En => "; ",
    }
}

fn ev(path: &str, detail: impl Into<String>) -> Evidence {
    Evidence {
        path: path.to_string(),
        detail: detail.into(),
    }
}

/// The problem text of an unreadable file, for messages.
fn why_unreadable(ctx: &Context, f: &FileRecord) -> String {
    f.problems
        .first()
        .map(|p| ctx.lang.problem(p).to_string())
        .unwrap_or_else(|| ctx.lang.status(f.status).to_string())
}

fn missing_role_message(ctx: &Context, role: &str) -> String {
    let name = ctx.role_name(role);
    let hint: Vec<String> = ctx
        .rules
        .role(role)
        .map(|r| {
            r.keywords
                .iter()
                .take(3)
                .map(|k| format!("“{k}”"))
                .collect()
        })
        .unwrap_or_default();
    tr!(
        ctx.lang,
        "未找到{name}：请提交{name}（文件名或文件夹名应含{}等字样）",
        "No {name} found: please submit the {name} (its file or folder name should contain words such as {})",
        hint.join("")
    )
}

fn present(ctx: &Context, req: &Requirement, role: &str, min: u64) -> RequirementResult {
    let mut r = base(ctx, req);
    let name = ctx.role_name(role);
    let files: Vec<&FileRecord> = ctx.of_role(role).collect();
    let readable = files
        .iter()
        .filter(|f| f.status == FileStatus::Read)
        .count() as u64;
    r.measured = json!(files.len());
    r.threshold = json!(min);
    r.measured_text = tr!(ctx.lang, "{} 个文件", "{} files", files.len());
    for f in &files {
        r.evidence
            .push(ev(&f.path, f.role_reason.clone().unwrap_or_default()));
    }
    if files.len() as u64 >= min {
        if readable >= min {
            r.verdict = Verdict::Pass;
            r.message = tr!(ctx.lang, "已提交{name}", "{name} submitted");
        } else {
            r.verdict = Verdict::Review;
            r.message = tr!(
                ctx.lang,
                "{name}文件存在但无法读取（{}），请人工确认内容",
                "The {name} is there but could not be read ({}); please check its content by hand",
                files
                    .first()
                    .map(|f| why_unreadable(ctx, f))
                    .unwrap_or_default()
            );
        }
    } else {
        r.verdict = Verdict::Fail;
        r.message = missing_role_message(ctx, role);
    }
    r
}

fn count(
    ctx: &Context,
    req: &Requirement,
    role: &str,
    at_least: u64,
    unit: &str,
) -> RequirementResult {
    let mut r = base(ctx, req);
    let name = ctx.role_name(role);
    let files: Vec<&FileRecord> = ctx.of_role(role).collect();
    let read: Vec<&&FileRecord> = files
        .iter()
        .filter(|f| f.status == FileStatus::Read)
        .collect();
    let n = read.len() as u64;
    r.measured = json!(n);
    r.threshold = json!(at_least);
    r.measured_text = format!("{n} {unit}");
    for f in &files {
        let detail = match f.facts.as_ref().and_then(|x| x.slides) {
            Some(s) => tr!(ctx.lang, "{s} 张幻灯片", "{s} slides"),
            None if f.status != FileStatus::Read => why_unreadable(ctx, f),
            None => String::new(),
        };
        r.evidence.push(ev(&f.path, detail));
    }
    if n >= at_least {
        r.verdict = Verdict::Pass;
        r.message = tr!(
            ctx.lang,
            "{name} {n} {unit}，达到要求",
            "{name}: {n} {unit}, as required"
        );
    } else if files.len() as u64 >= at_least {
        r.verdict = Verdict::Review;
        r.message = tr!(
            ctx.lang,
            "{name}共 {} {unit}，其中 {} {unit}无法读取，需人工确认",
            "{name}: {} {unit}, of which {} could not be read; needs review",
            files.len(),
            files.len() as u64 - n
        );
    } else if files.is_empty() {
        r.verdict = Verdict::Fail;
        r.message = missing_role_message(ctx, role);
    } else {
        r.verdict = Verdict::Fail;
        r.message = tr!(
            ctx.lang,
            "{name} {n} {unit}，要求{}：还差 {} {unit}",
            "{name}: {n} {unit}, required {}: {} {unit} short",
            req.threshold_in(ctx.lang),
            at_least - n
        );
    }
    r
}

/// The effective threshold of a words requirement ("左右" → ⌈tolerance × X⌉).
pub fn effective_threshold(at_least: u64, tolerance: Option<f64>) -> u64 {
    match tolerance {
        Some(t) => (at_least as f64 * t).ceil() as u64,
        None => at_least,
    }
}

fn words(
    ctx: &Context,
    req: &Requirement,
    role: &str,
    basis: Basis,
    at_least: u64,
    tolerance: Option<f64>,
) -> RequirementResult {
    let mut r = base(ctx, req);
    let name = ctx.role_name(role);
    let unit = basis.unit_in(ctx.lang);
    let eff = effective_threshold(at_least, tolerance);
    r.threshold = json!(eff);
    let label = req.threshold_in(ctx.lang);
    r.threshold_text = if tolerance.is_some() || label.is_empty() {
        tr!(ctx.lang, "{}（≥{}）", "{} (≥{})", label, thousands(eff))
    } else {
        label.to_string()
    };
    let files: Vec<&FileRecord> = ctx.of_role(role).collect();
    if files.is_empty() {
        r.verdict = Verdict::Fail;
        r.measured_text = tr!(ctx.lang, "未提交", "not submitted");
        r.message = missing_role_message(ctx, role);
        return r;
    }
    let best = files
        .iter()
        .filter_map(|f| f.facts.as_ref().map(|x| (*f, x, basis.pick(&x.counts))))
        .max_by_key(|(_, _, n)| *n);
    let Some((file, facts, n)) = best else {
        r.verdict = Verdict::Review;
        r.measured_text = tr!(ctx.lang, "无法读取", "unreadable");
        for f in &files {
            r.evidence.push(ev(&f.path, why_unreadable(ctx, f)));
        }
        r.message = tr!(
            ctx.lang,
            "{name}无法读取（{}），需人工核对字数",
            "The {name} could not be read ({}); its characters must be counted by hand",
            why_unreadable(ctx, files[0])
        );
        return r;
    };
    r.measured = json!(n);
    r.measured_text = format!("{} {unit}", thousands(n));
    r.evidence
        .push(ev(&file.path, count_detail(ctx.lang, facts, n, unit)));
    for f in files.iter().filter(|f| f.path != file.path) {
        r.evidence.push(ev(
            &f.path,
            tr!(
                ctx.lang,
                "同一角色的其他文件（取字数最多者）",
                "another file of the same role (the one with the most characters counts)"
            ),
        ));
    }
    let doubtful = !facts.scanned_pages.is_empty()
        || file.problems.iter().any(|p| p.code == "text.undecodable");
    if n >= eff {
        r.verdict = Verdict::Pass;
        r.message = if n < at_least {
            tr!(
                ctx.lang,
                "{name} {} {unit}，在“{}”的容差范围内（≥{}，不足 {}）",
                "{name}: {} {unit}, within the tolerance of “{}” (≥{}, below {})",
                thousands(n),
                label,
                thousands(eff),
                thousands(at_least)
            )
        } else {
            tr!(
                ctx.lang,
                "{name} {} {unit}，达到要求",
                "{name}: {} {unit}, as required",
                thousands(n)
            )
        };
    } else if let Some(ocr) = facts.ocr.as_ref().filter(|o| o.images > 0) {
        // OCR counts are estimates: they can make this a review, never a pass.
        let estimate = n.saturating_add(basis.pick(&ocr.counts));
        r.verdict = Verdict::Review;
        r.measured_text = tr!(
            ctx.lang,
            "{} {unit}（OCR 估计约 {}）",
            "{} {unit} (OCR estimate about {})",
            thousands(n),
            thousands(estimate)
        );
        r.evidence.push(ev(
            &file.path,
            tr!(
                ctx.lang,
                "OCR 识别（{}，basis: ocr）：约 {} {unit}，第 {} 页",
                "read by OCR ({}, basis: ocr): about {} {unit}, page(s) {}",
                ocr.engine,
                thousands(basis.pick(&ocr.counts)),
                join_pages(ctx.lang, &ocr.pages)
            ),
        ));
        let reach = if estimate >= eff {
            tr!(ctx.lang, "可能达到要求", "which may meet the requirement")
        } else {
            tr!(ctx.lang, "仍低于要求", "still below the requirement")
        };
        r.message = tr!(
            ctx.lang,
            "{name}文字层 {} {unit}，含扫描页，OCR 估计约 {} {unit}，{reach}（要求{}）；OCR 结果只是估计，请人工核对",
            "{name}: {} {unit} in the text layer, with scanned pages that OCR estimates at about {} {unit}, {reach} ({}); OCR is an estimate, please check by hand",
            thousands(n),
            thousands(estimate),
            r.threshold_text
        );
    } else if doubtful {
        r.verdict = Verdict::Review;
        let scanned = crate::report::format::scanned_pages_in(facts, ctx.lang)
            .map(|p| tr!(ctx.lang, "（{p}）", " ({p})"))
            .unwrap_or_default();
        r.message = tr!(
            ctx.lang,
            "{name}可读文字 {} {unit}，但文件含扫描页或无法解码的文字{scanned}，需人工核对字数（要求{}）",
            "{name}: {} {unit} of readable text, but the file has scanned pages or undecodable text{scanned}; its characters must be counted by hand (required {})",
            thousands(n),
            r.threshold_text
        );
    } else {
        r.verdict = Verdict::Fail;
        r.message = tr!(
            ctx.lang,
            "{name} {} {unit}，要求{}：还差 {} {unit}",
            "{name}: {} {unit}, required {}: {} {unit} short",
            thousands(n),
            r.threshold_text,
            thousands(eff - n)
        );
    }
    r
}

fn join_pages(lang: Lang, pages: &[u32]) -> String {
    pages
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join(sep(lang))
}

fn count_detail(lang: Lang, facts: &Facts, n: u64, unit: &str) -> String {
    let mut s = tr!(
        lang,
        "{} {unit}（汉字 {}）",
        "{} {unit} ({} Han characters)",
        thousands(n),
        thousands(facts.counts.han)
    );
    if let Some(rec) = &facts.recorded
        && let Some(w) = rec.words
    {
        s.push_str(&tr!(
            lang,
            "；文件自带统计 {}（仅供参考）",
            "; the file's own statistics say {} (for information only)",
            thousands(w)
        ));
    }
    if !facts.scanned_pages.is_empty() {
        s.push_str(&tr!(
            lang,
            "；{} 页无文字层",
            "; {} pages without a text layer",
            facts.scanned_pages.len()
        ));
    }
    s
}

/// Seconds as m:ss or h:mm:ss.
pub fn clock(seconds: f64) -> String {
    let total = seconds.max(0.0).floor() as u64;
    let (h, m, s) = (total / 3600, (total % 3600) / 60, total % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

fn duration_each(
    ctx: &Context,
    req: &Requirement,
    role: &str,
    at_least: f64,
    min: u64,
    pair_with: Option<&str>,
) -> RequirementResult {
    let mut r = base(ctx, req);
    let name = ctx.role_name(role);
    r.threshold = json!(at_least);
    if r.threshold_text.is_empty() {
        r.threshold_text = tr!(
            ctx.lang,
            "每个不少于{}",
            "each at least {}",
            clock(at_least)
        );
    }
    let files: Vec<&FileRecord> = ctx.of_role(role).collect();
    if files.is_empty() {
        r.verdict = Verdict::Fail;
        r.measured_text = tr!(ctx.lang, "未提交", "not submitted");
        r.message = missing_role_message(ctx, role);
        return r;
    }
    // Keynote pairing: which deck each recording belongs to, and the decks left over.
    let partners: Vec<&FileRecord> = pair_with.map_or_else(Vec::new, |p| ctx.of_role(p).collect());
    let pairing = pair_with.map(|_| {
        let decks: Vec<&str> = partners.iter().map(|f| f.path.as_str()).collect();
        let recs: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        pairing::pair(&decks, &recs)
    });
    let partner_of = |i: usize| -> Option<&str> {
        let p = pairing.as_ref()?;
        p.pairs
            .iter()
            .find(|(_, rec, _)| *rec == i)
            .and_then(|(deck, _, _)| partners.get(*deck))
            .map(|f| f.path.as_str())
    };
    let mut short = Vec::new();
    let mut unknown = Vec::new();
    let mut doubtful = Vec::new();
    let mut shortest: Option<f64> = None;
    let against = crate::report::format::duration(at_least);
    for (i, f) in files.iter().enumerate() {
        let prefix = match (pair_with, partner_of(i)) {
            (Some(_), Some(deck)) => {
                tr!(ctx.lang, "配对幻灯片：{deck}；", "paired slides: {deck}; ")
            }
            (Some(_), None) => tr!(ctx.lang, "未配对幻灯片；", "no paired slides; "),
            (None, _) => String::new(),
        };
        let facts = f.facts.as_ref();
        match facts.and_then(|x| x.duration_s) {
            Some(d) => {
                shortest = Some(shortest.map_or(d, |s: f64| s.min(d)));
                let mmss = crate::report::format::duration(d);
                let how = facts
                    .and_then(|x| x.duration.as_ref())
                    .filter(|x| !x.decisive())
                    .map(|x| {
                        tr!(
                            ctx.lang,
                            "（{}，可信度{}）",
                            " ({}, {} confidence)",
                            ctx.lang.duration_method(x.method),
                            ctx.lang.confidence(x.confidence)
                        )
                    })
                    .unwrap_or_default();
                // Durations are compared in whole seconds, as a reviewer reads them (44:59.6 is
                // 44:59): a recording passes from the threshold's second on. 50 ms of slack
                // absorbs container timescale rounding (2699.999 s for a 45:00 recording).
                if (d + 0.05).floor() < at_least {
                    short.push(tr!(
                        ctx.lang,
                        "{} 时长 {}，不足 {}（还差 {}）",
                        "{} runs {}, less than {} ({} short)",
                        f.path,
                        clock(d),
                        clock(at_least),
                        clock((at_least - (d + 0.05).floor()).max(1.0))
                    ));
                    r.evidence.push(ev(
                        &f.path,
                        tr!(
                            ctx.lang,
                            "{prefix}时长 {mmss}{how} < {against}（不足）",
                            "{prefix}duration {mmss}{how} < {against} (too short)"
                        ),
                    ));
                } else {
                    if !how.is_empty() {
                        // An estimate never passes by itself.
                        doubtful.push(tr!(
                            ctx.lang,
                            "{} 时长 {mmss}{how}",
                            "{} runs {mmss}{how}",
                            f.path
                        ));
                    }
                    r.evidence.push(ev(
                        &f.path,
                        tr!(
                            ctx.lang,
                            "{prefix}时长 {mmss}{how} ≥ {against}",
                            "{prefix}duration {mmss}{how} ≥ {against}"
                        ),
                    ));
                }
            }
            None => {
                unknown.push(tr!(
                    ctx.lang,
                    "{}：{}",
                    "{}: {}",
                    f.path,
                    why_unreadable(ctx, f)
                ));
                r.evidence
                    .push(ev(&f.path, format!("{prefix}{}", why_unreadable(ctx, f))));
            }
        }
    }
    let mut lonely_decks = Vec::new();
    if let Some(p) = &pairing {
        for &d in &p.unpaired_decks {
            if let Some(deck) = partners.get(d) {
                lonely_decks.push(deck.path.clone());
                r.evidence.push(ev(
                    &deck.path,
                    tr!(
                        ctx.lang,
                        "主旨报告幻灯片未找到对应录像",
                        "no recording found for these keynote slides"
                    ),
                ));
            }
        }
    }
    r.measured = shortest.map(|s| json!(s)).unwrap_or(Value::Null);
    r.measured_text = match shortest {
        Some(s) => tr!(
            ctx.lang,
            "{} 个，最短 {}",
            "{}, shortest {}",
            files.len(),
            clock(s)
        ),
        None => tr!(
            ctx.lang,
            "{} 个，时长未知",
            "{}, duration unknown",
            files.len()
        ),
    };
    if let Some(p) = &pairing {
        r.measured_text.push_str(&tr!(
            ctx.lang,
            "；与幻灯片配对 {} 组，未配对幻灯片 {} 个、录像 {} 个",
            "; {} paired with slides, {} slide decks and {} recordings unpaired",
            p.pairs.len(),
            p.unpaired_decks.len(),
            p.unpaired_recordings.len()
        ));
    }
    let lonely = if lonely_decks.is_empty() {
        String::new()
    } else {
        tr!(
            ctx.lang,
            "；以下幻灯片未找到对应录像（可能缺少该报告的录像，或文件名无法对应），需人工确认：{}",
            "; no recording was found for these slides (the recording may be missing, or the file names do not match); needs review: {}",
            lonely_decks.join(sep(ctx.lang))
        )
    };
    if !short.is_empty() {
        r.verdict = Verdict::Fail;
        r.message = format!("{}{lonely}", short.join(semi(ctx.lang)));
    } else if (files.len() as u64) < min {
        r.verdict = Verdict::Fail;
        r.message = tr!(
            ctx.lang,
            "{name}只有 {} 个，要求至少 {min} 个",
            "{name}: only {}, at least {min} required",
            files.len()
        );
    } else if !unknown.is_empty() {
        r.verdict = Verdict::Review;
        r.message = tr!(
            ctx.lang,
            "无法读取时长，需人工确认：{}{lonely}",
            "The duration could not be read; needs review: {}{lonely}",
            unknown.join(semi(ctx.lang))
        );
    } else if !doubtful.is_empty() {
        r.verdict = Verdict::Review;
        r.message = tr!(
            ctx.lang,
            "时长只是估算或可信度低，不能单独作为通过依据，需人工核对：{}{lonely}",
            "The duration is only an estimate or of low confidence and cannot pass on its own; needs review: {}{lonely}",
            doubtful.join(semi(ctx.lang))
        );
    } else if !lonely_decks.is_empty() {
        r.verdict = Verdict::Review;
        r.message = tr!(
            ctx.lang,
            "{name} {} 个，均不少于 {}{lonely}",
            "{name}: {}, each at least {}{lonely}",
            files.len(),
            clock(at_least)
        );
    } else {
        r.verdict = Verdict::Pass;
        r.message = tr!(
            ctx.lang,
            "{name} {} 个，均不少于 {}",
            "{name}: {}, each at least {}",
            files.len(),
            clock(at_least)
        );
    }
    r
}

fn label(
    ctx: &Context,
    req: &Requirement,
    labels: &[String],
    kinds: &[Kind],
    exempt: &[String],
) -> RequirementResult {
    let mut r = base(ctx, req);
    let resources: Vec<&FileRecord> = ctx
        .files
        .iter()
        .filter(|f| f.status != FileStatus::Ignored && kinds.contains(&f.kind))
        .filter(|f| f.role.as_ref().is_none_or(|role| !exempt.contains(role)))
        .collect();
    let (mut ok, mut fails, mut reviews) = (0usize, Vec::new(), Vec::new());
    for f in &resources {
        let Some(facts) = f.facts.as_ref().filter(|_| f.status == FileStatus::Read) else {
            reviews.push(ev(
                &f.path,
                tr!(
                    ctx.lang,
                    "无法读取，需人工确认标识：{}",
                    "unreadable, the label must be checked by hand: {}",
                    why_unreadable(ctx, f)
                ),
            ));
            continue;
        };
        let mut missing = Vec::new();
        let mut wheres = Vec::new();
        for l in labels {
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
            ok += 1;
            wheres.sort();
            wheres.dedup();
            let only_meta = wheres.iter().all(|w| *w == PartKind::Metadata);
            let only_ocr = wheres.iter().all(|w| *w == PartKind::Ocr);
            let places: Vec<&str> = wheres.iter().map(|w| ctx.lang.part(*w)).collect();
            r.evidence.push(ev(
                &f.path,
                if only_meta {
                    tr!(ctx.lang, "仅在元数据中（metadata only）", "metadata only")
                } else if only_ocr {
                    tr!(
                        ctx.lang,
                        "见于图像中的文字（OCR 识别，建议人工核对）",
                        "in the text of the picture (read by OCR; worth a look)"
                    )
                } else {
                    tr!(ctx.lang, "见于{}", "in {}", places.join(sep(ctx.lang)))
                },
            ));
            continue;
        }
        // A near miss in text OCR read may be a misreading, not a misspelling: never a fail.
        let is_near = |h: &&crate::facts::LabelHit| {
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
            fails.push(ev(
                &f.path,
                tr!(
                    ctx.lang,
                    "{}中标识写成“{}”，应为“{}”",
                    "the label in the {} reads “{}”, it should be “{}”",
                    ctx.lang.part(h.location),
                    h.found,
                    h.text
                ),
            ));
        } else if let Some(h) = ocr_near {
            reviews.push(ev(
                &f.path,
                tr!(
                    ctx.lang,
                    "OCR 识别到近似标识“{}”（可能是识别误差），应为“{}”，需人工确认",
                    "OCR read a near miss “{}” (may be a misreading); the label is “{}”, needs review",
                    h.found,
                    h.text
                ),
            ));
        } else if facts.ocr.as_ref().is_some_and(|o| o.images > 0) && matches!(f.kind, Kind::Image)
        {
            reviews.push(ev(
                &f.path,
                tr!(
                    ctx.lang,
                    "元数据和 OCR 识别均未找到标识；标识可能在画面中，需人工确认",
                    "no label in the metadata nor in the text OCR read; it may be in the picture, needs review"
                ),
            ));
        } else if matches!(f.kind, Kind::Image | Kind::Video) {
            reviews.push(ev(
                &f.path,
                tr!(
                    ctx.lang,
                    "元数据中无标识；标识可能在画面中，需人工确认",
                    "no label in the metadata; it may be in the picture, needs review"
                ),
            ));
        } else if facts.counts.chars_no_space < 20 || !facts.scanned_pages.is_empty() {
            reviews.push(ev(
                &f.path,
                tr!(
                    ctx.lang,
                    "文字很少或含扫描页，标识可能在图像中，需人工确认",
                    "little text or scanned pages; the label may be in an image, needs review"
                ),
            ));
        } else {
            let names: Vec<String> = missing.iter().map(|m| format!("“{m}”")).collect();
            fails.push(ev(
                &f.path,
                tr!(
                    ctx.lang,
                    "未找到标识{}",
                    "label {} not found",
                    names.join(sep(ctx.lang))
                ),
            ));
        }
    }
    let total = resources.len();
    r.measured = json!(ok);
    r.threshold = json!(total);
    r.measured_text = tr!(
        ctx.lang,
        "{ok}/{total} 个资源有标识",
        "{ok}/{total} resources labelled"
    );
    let label_text: Vec<String> = labels.iter().map(|l| format!("“{l}”")).collect();
    if !fails.is_empty() {
        r.verdict = Verdict::Fail;
        let lines: Vec<String> = fails
            .iter()
            .map(|e| tr!(ctx.lang, "{}：{}", "{}: {}", e.path, e.detail))
            .collect();
        r.message = tr!(
            ctx.lang,
            "{} 个资源缺少或写错标识{}：{}",
            "Label {1} missing or wrong in {0} resources: {2}",
            fails.len(),
            label_text.join(""),
            lines.join(semi(ctx.lang))
        );
    } else if !reviews.is_empty() {
        r.verdict = Verdict::Review;
        r.message = tr!(
            ctx.lang,
            "{} 个资源无法由机器确认标识（图片/视频画面或无法读取），需人工确认",
            "A machine cannot confirm the label of {} resources (in a picture or video, or unreadable); needs review",
            reviews.len()
        );
    } else if total == 0 {
        r.verdict = Verdict::Review;
        r.message = tr!(
            ctx.lang,
            "没有可检查标识的资源",
            "There are no resources whose label could be checked"
        );
    } else {
        r.verdict = Verdict::Pass;
        r.message = tr!(
            ctx.lang,
            "{total} 个资源均标注{}",
            "All {total} resources carry {}",
            label_text.join("")
        );
    }
    let mut evidence = fails;
    evidence.extend(reviews);
    evidence.append(&mut r.evidence);
    r.evidence = evidence;
    r
}

/// Parses an Arabic or simple Chinese numeral ("120", "1,200", "两", "十二").
pub fn parse_number(s: &str) -> Option<f64> {
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

fn figure(
    ctx: &Context,
    req: &Requirement,
    roles: &[String],
    patterns: &[regex::Regex],
    at_least: f64,
    unit: &str,
) -> RequirementResult {
    let mut r = base(ctx, req);
    r.threshold = json!(at_least);
    let mut found: Vec<(f64, String, String)> = Vec::new();
    let mut searched = Vec::new();
    for f in ctx.files.iter().filter(|f| {
        f.status == FileStatus::Read && f.role.as_ref().is_some_and(|role| roles.contains(role))
    }) {
        let Some(facts) = &f.facts else { continue };
        searched.push(f.path.clone());
        let text = normalize(&facts.all_text());
        for re in patterns {
            for cap in re.captures_iter(&text) {
                if let (Some(whole), Some(num)) = (cap.get(0), cap.get(1))
                    && let Some(value) = parse_number(num.as_str())
                {
                    found.push((value, f.path.clone(), whole.as_str().to_string()));
                }
            }
        }
    }
    let role_names: Vec<String> = roles.iter().map(|x| ctx.role_name(x)).collect();
    if found.is_empty() {
        r.verdict = Verdict::Review;
        r.measured_text = tr!(ctx.lang, "未找到", "not found");
        r.message = if searched.is_empty() {
            tr!(
                ctx.lang,
                "未找到可读取的{}，无法核对该指标，需人工确认",
                "No readable {} found, so this figure cannot be checked; needs review",
                role_names.join("/")
            )
        } else {
            tr!(
                ctx.lang,
                "在{}中未找到该指标的表述（{}），需人工核对",
                "The {} do not state this figure ({}); needs review",
                role_names.join("/"),
                req.title_in(ctx.lang)
            )
        };
        for p in searched {
            r.evidence.push(ev(
                &p,
                tr!(ctx.lang, "已检索，未找到", "searched, not found"),
            ));
        }
        return r;
    }
    // The weakest statement decides: a report that says 40 somewhere and 120 elsewhere needs a
    // person, and the smaller one is what could fail the project.
    found.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (value, path, snippet) = found[0].clone();
    r.measured = json!(value);
    r.measured_text = num_unit(ctx.lang, value, unit);
    for (v, p, s) in &found {
        r.evidence
            .push(ev(p, format!("“{s}”→ {}", num_unit(ctx.lang, *v, unit))));
    }
    if value >= at_least {
        r.verdict = Verdict::Pass;
        r.message = tr!(
            ctx.lang,
            "报告写明“{snippet}”，达到要求",
            "The report states “{snippet}”, as required"
        );
    } else {
        r.verdict = Verdict::Fail;
        r.message = tr!(
            ctx.lang,
            "{path} 写明“{snippet}”（{}），要求{}",
            "{path} states “{snippet}” ({}), required {}",
            num_unit(ctx.lang, value, unit),
            req.threshold_in(ctx.lang)
        );
    }
    r
}

/// A number with its unit: `120人次` in Chinese, `120 contacts` (but `100%`) in English.
fn num_unit(lang: Lang, x: f64, unit: &str) -> String {
    if lang == Lang::En && !unit.is_empty() && unit != "%" {
        format!("{} {unit}", fmt_num(x))
    } else {
        format!("{}{unit}", fmt_num(x))
    }
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

fn titled_people(
    ctx: &Context,
    req: &Requirement,
    role: &str,
    titles: &[String],
    at_least: u64,
) -> RequirementResult {
    let mut r = base(ctx, req);
    let name = ctx.role_name(role);
    r.threshold = json!(at_least);
    let files: Vec<&FileRecord> = ctx.of_role(role).collect();
    if files.is_empty() {
        r.verdict = Verdict::Fail;
        r.measured_text = tr!(ctx.lang, "未提交", "not submitted");
        r.message = missing_role_message(ctx, role);
        return r;
    }
    let (mut titled, mut academicians) = (0u64, 0u64);
    // People read from tables (name column + title column), when any file has such a list.
    let mut experts: Option<u64> = None;
    let mut unreadable = Vec::new();
    for f in &files {
        let Some(facts) = f.facts.as_ref().filter(|_| f.status == FileStatus::Read) else {
            unreadable.push(f.path.clone());
            r.evidence.push(ev(&f.path, why_unreadable(ctx, f)));
            continue;
        };
        if let Some(list) = crate::experts::summarize(&facts.tables, titles) {
            let mut detail = tr!(
                ctx.lang,
                "表格中 {} 位专家，其中院士 {} 位、其他正高级职称 {} 位",
                "{} experts in tables, of whom {} academicians and {} other full professors or equivalent",
                list.experts,
                list.academicians,
                list.senior
            );
            if !list.academician_names.is_empty() {
                let shown: Vec<&str> = list
                    .academician_names
                    .iter()
                    .take(10)
                    .map(String::as_str)
                    .collect();
                let more = if list.academician_names.len() > shown.len() {
                    tr!(ctx.lang, " 等", " and others")
                } else {
                    String::new()
                };
                detail.push_str(&tr!(
                    ctx.lang,
                    "（院士：{}{more}）",
                    " (academicians: {}{more})",
                    shown.join(sep(ctx.lang))
                ));
            }
            r.evidence.push(ev(&f.path, detail));
            *experts.get_or_insert(0) += list.experts;
            titled += list.titled();
            academicians += list.academicians;
            continue;
        }
        // No table with a name column: lines of text that name a title.
        let (mut t, mut a) = (0u64, 0u64);
        for line in facts.all_text().lines() {
            if titles.iter().any(|k| line.contains(k.as_str())) {
                t += 1;
                if line.contains("院士") {
                    a += 1;
                }
            }
        }
        r.evidence.push(ev(
            &f.path,
            tr!(
                ctx.lang,
                "带职称 {t} 人（院士 {a} 人）",
                "{t} people with a title ({a} academicians)"
            ),
        ));
        titled += t;
        academicians += a;
    }
    r.measured = json!(titled);
    r.measured_text = match experts {
        Some(n) => tr!(
            ctx.lang,
            "{n} 位专家，其中院士 {academicians} 位",
            "{n} experts, {academicians} academicians"
        ),
        None => tr!(
            ctx.lang,
            "{titled} 位带职称的专家（其中院士 {academicians} 位）",
            "{titled} experts with a title ({academicians} academicians)"
        ),
    };
    if titled >= at_least {
        r.verdict = Verdict::Pass;
        r.message = match experts {
            Some(n) => tr!(
                ctx.lang,
                "{name}列出 {n} 位专家，其中院士 {academicians} 位，院士及教授/研究员等正高级职称共 {titled} 位",
                "The {name} names {n} experts, {academicians} of them academicians; {titled} are academicians or full professors/researchers"
            ),
            None => tr!(
                ctx.lang,
                "{name}列出 {titled} 位院士或高级职称专家（院士 {academicians} 位）",
                "The {name} names {titled} academicians or senior experts ({academicians} academicians)"
            ),
        };
    } else if !unreadable.is_empty() {
        r.verdict = Verdict::Review;
        r.message = tr!(
            ctx.lang,
            "{name}无法读取，需人工确认专家人数",
            "The {name} could not be read; the number of experts must be checked by hand"
        );
    } else {
        r.verdict = Verdict::Fail;
        r.message = match experts {
            Some(n) => tr!(
                ctx.lang,
                "{name}列出 {n} 位专家，其中院士 {academicians} 位，院士及教授/研究员等正高级职称共 {titled} 位，要求{}",
                "The {name} names {n} experts, {academicians} of them academicians; {titled} are academicians or full professors/researchers, required {}",
                req.threshold_in(ctx.lang)
            ),
            None => tr!(
                ctx.lang,
                "{name}中只找到 {titled} 位带院士/教授/研究员等职称的专家，要求{}",
                "Only {titled} experts with the title of academician, professor, researcher or similar were found in the {name}, required {}",
                req.threshold_in(ctx.lang)
            ),
        };
    }
    r
}

fn news(
    ctx: &Context,
    req: &Requirement,
    role: &str,
    at_least: u64,
    outlets: &std::collections::BTreeMap<String, Vec<String>>,
) -> RequirementResult {
    let mut r = base(ctx, req);
    let name = ctx.role_name(role);
    r.threshold = json!(at_least);
    let files: Vec<&FileRecord> = ctx.of_role(role).collect();
    let wanted: Option<&Vec<String>> = if outlets.is_empty() {
        None
    } else if let Some(any) = outlets.get("any") {
        Some(any)
    } else {
        match ctx.level.and_then(|l| outlets.get(l)) {
            Some(list) => Some(list),
            None => {
                r.verdict = Verdict::Review;
                r.measured_text = tr!(ctx.lang, "{} 篇", "{} items", files.len());
                r.message = tr!(
                    ctx.lang,
                    "无法确定会议级别（国际/全国/全疆），无法判断新闻应发布的渠道：请用 --level 指定，或在会议通知中写明",
                    "The level of the meeting (international/national/Xinjiang-wide) is unknown, so the required news outlets cannot be decided: give it with --level, or state it in the meeting notice"
                );
                for f in &files {
                    r.evidence.push(ev(&f.path, ""));
                }
                return r;
            }
        }
    };
    let (mut ok, mut unverifiable) = (0u64, 0u64);
    for f in &files {
        let facts = f.facts.as_ref().filter(|_| f.status == FileStatus::Read);
        let text = match facts {
            Some(x) if x.counts.chars_no_space >= 20 => {
                normalize(&format!("{}\n{}", f.path, x.all_text()))
            }
            _ => {
                unverifiable += 1;
                r.evidence.push(ev(
                    &f.path,
                    tr!(
                        ctx.lang,
                        "无法读取文字（截图或扫描），发布渠道需人工确认",
                        "no readable text (a screenshot or scan); the outlet must be checked by hand"
                    ),
                ));
                continue;
            }
        };
        match wanted {
            None => {
                ok += 1;
                r.evidence
                    .push(ev(&f.path, tr!(ctx.lang, "新闻稿", "news item")));
            }
            Some(list) => match list.iter().find(|o| text.contains(&normalize(o))) {
                Some(o) => {
                    ok += 1;
                    r.evidence.push(ev(
                        &f.path,
                        tr!(ctx.lang, "注明发布渠道“{o}”", "names the outlet “{o}”"),
                    ));
                }
                None => r.evidence.push(ev(
                    &f.path,
                    tr!(
                        ctx.lang,
                        "未注明所要求的发布渠道",
                        "does not name a required outlet"
                    ),
                )),
            },
        }
    }
    r.measured = json!(ok);
    r.measured_text = tr!(ctx.lang, "{ok} 篇", "{ok} items");
    if ok >= at_least {
        r.verdict = Verdict::Pass;
        r.message = tr!(
            ctx.lang,
            "{name} {ok} 篇，达到要求",
            "{name}: {ok} items, as required"
        );
    } else if ok + unverifiable >= at_least {
        r.verdict = Verdict::Review;
        r.message = tr!(
            ctx.lang,
            "{name}的发布渠道无法由机器确认，需人工核对",
            "A machine cannot confirm where the {name} was published; needs review"
        );
    } else if files.is_empty() {
        r.verdict = Verdict::Fail;
        r.message = missing_role_message(ctx, role);
    } else {
        r.verdict = Verdict::Fail;
        let channels = wanted
            .map(|l| {
                l.iter()
                    .take(4)
                    .map(|o| format!("“{o}”"))
                    .collect::<String>()
            })
            .unwrap_or_default();
        r.message = tr!(
            ctx.lang,
            "{name} {} 篇，但均未注明发布于所要求的渠道（如{channels}），要求{}",
            "{name}: {} items, but none names a required outlet (such as {channels}), required {}",
            files.len(),
            req.threshold_in(ctx.lang)
        );
    }
    r
}

fn any_of(ctx: &Context, req: &Requirement, alternatives: &[Requirement]) -> RequirementResult {
    let mut r = base(ctx, req);
    let results: Vec<RequirementResult> =
        alternatives.iter().map(|a| evaluate_one(ctx, a)).collect();
    r.verdict = if results.iter().any(|x| x.verdict == Verdict::Pass) {
        Verdict::Pass
    } else if results.iter().any(|x| x.verdict == Verdict::Review) {
        Verdict::Review
    } else {
        Verdict::Fail
    };
    r.measured = Value::Array(results.iter().map(|x| x.measured.clone()).collect());
    r.threshold = Value::Array(results.iter().map(|x| x.threshold.clone()).collect());
    r.measured_text = results
        .iter()
        .map(|x| tr!(ctx.lang, "{}：{}", "{}: {}", x.title, x.measured_text))
        .collect::<Vec<_>>()
        .join(semi(ctx.lang));
    let parts: Vec<String> = results
        .iter()
        .map(|x| {
            tr!(
                ctx.lang,
                "{}（{}）",
                "{} ({})",
                x.message,
                ctx.lang.verdict(x.verdict)
            )
        })
        .collect();
    r.message = match r.verdict {
        Verdict::Pass => tr!(
            ctx.lang,
            "满足其一：{}",
            "One alternative is met: {}",
            parts.join(semi(ctx.lang))
        ),
        _ => tr!(
            ctx.lang,
            "均未满足：{}",
            "No alternative is met: {}",
            parts.join(semi(ctx.lang))
        ),
    };
    for x in results {
        r.evidence.extend(x.evidence);
    }
    r
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
    fn tolerance_thresholds() {
        assert_eq!(effective_threshold(4000, Some(0.9)), 3600);
        assert_eq!(effective_threshold(2000, Some(0.9)), 1800);
        assert_eq!(effective_threshold(3000, Some(0.9)), 2700);
        assert_eq!(effective_threshold(10000, None), 10000);
    }

    #[test]
    fn clock_format() {
        assert_eq!(clock(2699.0), "44:59");
        assert_eq!(clock(2700.4), "45:00");
        assert_eq!(clock(179.9), "2:59");
        assert_eq!(clock(3725.0), "1:02:05");
    }
}
