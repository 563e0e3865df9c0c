//! `--lang en`: the built-in rule files carry English for everything a reader sees, every
//! problem code has an English sentence, the evaluator's messages read well in English, a whole
//! check in English says the same verdicts as in Chinese with no Chinese left outside quotes and
//! paths, and the facts cache is shared by both languages.

use std::path::{Path, PathBuf};

use yanshou::codes;
use yanshou::eval::{Context, evaluate_one};
use yanshou::facts::{
    Confidence, Duration, DurationMethod, Facts, Format, LabelHit, LabelMatch, PartKind, Problem,
};
use yanshou::pipeline::{Options, check};
use yanshou::report::Lang;
use yanshou::report::lang::problems;
use yanshou::report::model::{FileRecord, FileStatus, Report, RequirementResult, Verdict};
use yanshou::rules::builtin::load_builtin;
use yanshou::rules::{Measure, Requirement, RuleSet};

fn sets() -> Vec<RuleSet> {
    load_builtin().expect("built-in rule files load")
}

fn set(id: &str) -> RuleSet {
    sets().into_iter().find(|s| s.id == id).expect("rule set")
}

fn has_han(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

// ---------------------------------------------------------------------------------------------
// Rule files

fn missing_english(req: &Requirement, out: &mut Vec<String>) {
    let en_ok = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
    if !en_ok(&req.title_en) {
        out.push(format!("{}: title_en", req.id));
    }
    if !en_ok(&req.threshold_label_en) {
        out.push(format!("{}: threshold_en", req.id));
    }
    if req.fail_message.is_some() && !en_ok(&req.fail_message_en) {
        out.push(format!("{}: fail_message_en", req.id));
    }
    match &req.measure {
        Measure::Count(c) if !en_ok(&c.unit_en) => out.push(format!("{}: unit_en", req.id)),
        Measure::Figure(f) if !en_ok(&f.unit_en) => out.push(format!("{}: unit_en", req.id)),
        Measure::TitledPeople(p) if !en_ok(&p.academician_en) || !en_ok(&p.titles_en) => {
            out.push(format!("{}: academician_en/titles_en", req.id))
        }
        Measure::AnyOf(a) => {
            for alt in &a.alternatives {
                missing_english(alt, out);
            }
        }
        _ => {}
    }
}

/// A new requirement, role or level without English fails CI here.
#[test]
fn builtin_rules_carry_english_everywhere() {
    for s in sets() {
        let mut missing = Vec::new();
        if s.title_en.is_none() {
            missing.push("ruleset: title_en".to_string());
        }
        for r in &s.roles {
            if r.name_en.as_deref().is_none_or(str::is_empty) {
                missing.push(format!("role {}: name_en", r.id));
            }
        }
        for l in &s.levels {
            if l.name_en.as_deref().is_none_or(str::is_empty) {
                missing.push(format!("level {}: name_en", l.id));
            }
        }
        for r in &s.requirements {
            missing_english(r, &mut missing);
        }
        assert!(missing.is_empty(), "{}: no English for {missing:?}", s.id);
    }
}

#[test]
fn english_rule_texts_are_english() {
    for s in sets() {
        let mut texts: Vec<String> = vec![s.title_in(Lang::En).to_string()];
        texts.extend(s.roles.iter().map(|r| r.name_in(Lang::En).to_string()));
        texts.extend(s.levels.iter().map(|l| l.name_in(Lang::En).to_string()));
        for r in &s.requirements {
            texts.push(r.threshold_in(Lang::En).to_string());
            // Titles may quote a label ("Resources labelled “自治区科协…”").
            let title = r.title_in(Lang::En);
            let unquoted: String = title
                .split('“')
                .map(|p| p.rsplit('”').next().unwrap_or(p))
                .collect();
            texts.push(unquoted);
        }
        for t in texts {
            assert!(!has_han(&t), "{}: Chinese in English text {t:?}", s.id);
        }
    }
    // Chinese stays the default.
    let xxjl = set("XXJL-2025");
    let summary = xxjl
        .requirements
        .iter()
        .find(|r| r.id == "summary-report")
        .unwrap();
    assert_eq!(summary.title_in(Lang::Zh), "总结报告（4千字左右）");
    assert_eq!(
        summary.title_in(Lang::En),
        "Summary report (about 4,000 characters)"
    );
    assert_eq!(summary.threshold_in(Lang::En), "about 4,000 characters");
}

#[test]
fn rule_files_accept_english_keys_and_still_reject_unknown_ones() {
    let base = |extra_req: &str| {
        format!(
            r#"
[ruleset]
id = "TEST-2025"
title = "测试"
title_en = "Test"
guide = "指南"
code_prefix = "TEST-2025"
labels = ["标识"]

[[roles]]
id = "report"
name = "报告"
name_en = "Report"
kinds = ["document"]
keywords = ["报告"]

[[requirements]]
id = "report"
title = "报告"
title_en = "Report"
threshold = "不少于10字"
threshold_en = "at least 10 characters"
fail_message = "报告太短：{{measured}}"
fail_message_en = "The report is too short: {{measured}}"
measure = "words"
role = "report"
at_least = 10
{extra_req}
"#
        )
    };
    let ok = yanshou::rules::load::parse("test.toml", &base("")).expect("English keys load");
    let r = &ok.requirements[0];
    assert_eq!(r.title_en.as_deref(), Some("Report"));
    assert_eq!(
        r.fail_message_in(Lang::En),
        Some("The report is too short: {measured}")
    );
    assert_eq!(ok.roles[0].name_in(Lang::En), "Report");
    // A misspelt English key is an error with its line, like any unknown key.
    let err = yanshou::rules::load::parse("test.toml", &base("titel_en = \"x\""))
        .expect_err("unknown key");
    assert!(err.to_string().contains("titel_en"), "{err}");
    assert!(err.to_string().starts_with("test.toml:"), "{err}");
    // `unit_en` only where the measure has a unit.
    let err = yanshou::rules::load::parse("test.toml", &base("unit_en = \"x\""))
        .expect_err("unit_en on words");
    assert!(err.to_string().contains("unit_en"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Problem codes: one registry (src/codes.rs); a site can only name a registered code.

#[test]
fn problem_codes_are_unique_sorted_and_named_after_their_code() {
    let all = codes::ALL;
    assert!(
        all.len() > 50,
        "the registry lists the codes ({})",
        all.len()
    );
    for pair in all.windows(2) {
        assert!(
            pair[0].code.as_str() < pair[1].code.as_str(),
            "sorted and unique: {} before {}",
            pair[0].code,
            pair[1].code
        );
    }
    let mut seen = std::collections::BTreeSet::new();
    // Codes stay `family.what` in lower case: they are part of the JSON contract.
    let ok =
        regex::Regex::new(r"^[a-z0-9]+(?:_[a-z0-9]+)*(?:\.[a-z0-9]+(?:_[a-z0-9]+)*)+$").unwrap();
    for e in all {
        assert!(seen.insert(e.code.as_str()), "duplicate code {}", e.code);
        assert!(ok.is_match(e.code.as_str()), "code {:?}", e.code.as_str());
        assert_eq!(
            e.name,
            e.code.as_str().to_uppercase().replace('.', "_"),
            "the constant is named after its code"
        );
    }
}

#[test]
fn every_problem_code_has_english() {
    for e in codes::ALL {
        let en = problems::english(e.code.as_str());
        assert_eq!(en, Some(e.en), "{}", e.code);
        assert!(!e.en.trim().is_empty(), "{}: no English", e.code);
        assert!(!has_han(e.en), "{}: {}", e.code, e.en);
        assert!(
            e.en.ends_with('.'),
            "{}: a sentence ends with a full stop: {}",
            e.code,
            e.en
        );
        assert_eq!(e.code.english(), e.en);
    }
}

#[test]
fn problem_codes_keep_their_contract_strings() {
    // Integrators match on these strings: a constant may be renamed, its code may not change.
    for (code, text) in [
        (codes::UNREADABLE_ENCRYPTED, "unreadable.encrypted"),
        (codes::UNREADABLE_TRUNCATED, "unreadable.truncated"),
        (codes::FORMAT_MISMATCH, "format.mismatch"),
        (codes::LIMIT_XML_DEPTH, "limit.xml_depth"),
        (codes::ARCHIVE_PATH_TRAVERSAL, "archive.path_traversal"),
    ] {
        assert_eq!(code.as_str(), text);
        assert_eq!(Problem::new(code, "x").code, text);
    }
}

#[test]
fn problems_read_in_the_chosen_language() {
    let p = Problem::new(codes::UNREADABLE_ENCRYPTED, "文件已加密，请提供未加密版本");
    assert_eq!(
        Lang::En.problem(&p),
        "The file is encrypted; please provide an unencrypted copy."
    );
    assert_eq!(Lang::Zh.problem(&p), "文件已加密，请提供未加密版本");
    // A code this version does not know (a facts cache or dossier from another version): the
    // Chinese message, never nothing.
    let q = Problem {
        code: "made.up".into(),
        message: "中文说明".into(),
        message_zh: None,
    };
    assert_eq!(Lang::En.problem(&q), "中文说明");
}

// ---------------------------------------------------------------------------------------------
// Evaluator messages in English

fn record(path: &str, format: Format, role: &str, facts: Facts) -> FileRecord {
    FileRecord {
        path: path.into(),
        format,
        kind: format.kind(),
        size: 1,
        status: FileStatus::Read,
        role: Some(role.to_string()),
        role_reason: None,
        facts: Some(facts),
        problems: Vec::new(),
    }
}

fn doc(path: &str, role: &str, words: usize, labels: Vec<LabelHit>) -> FileRecord {
    let mut facts = Facts::default();
    facts.push_text(PartKind::Body, &"字".repeat(words));
    facts.finish_counts();
    facts.labels = labels;
    record(path, Format::Docx, role, facts)
}

fn video(path: &str, seconds: f64) -> FileRecord {
    let facts = Facts {
        duration: Some(Duration {
            seconds,
            method: DurationMethod::Header,
            confidence: Confidence::High,
            detail: "mvhd".into(),
        }),
        duration_s: Some(seconds),
        ..Facts::default()
    };
    record(path, Format::Mp4, "keynote-recordings", facts)
}

fn run(set: &RuleSet, req: &str, files: &[FileRecord], lang: Lang) -> RequirementResult {
    let r = set.requirements.iter().find(|r| r.id == req).unwrap();
    evaluate_one(&Context::new(set, files, None, lang), r)
}

const LABEL: &str = "自治区科协2025年度学会重点资助项目";

#[test]
fn english_messages_table() {
    let xxjl = set("XXJL-2025");
    let near = LabelHit {
        text: LABEL.into(),
        location: PartKind::HeadersFooters,
        matched: LabelMatch::NearMiss,
        found: "自治区科协2025年学会重点资助项目".into(),
        distance: 1,
    };
    // (requirement, files, verdict, title, measured, threshold, message)
    type Case = (
        &'static str,
        Vec<FileRecord>,
        Verdict,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    );
    let table: Vec<Case> = vec![
        (
            "summary-report",
            vec![doc(
                "03-总结报告/总结报告.docx",
                "summary-report",
                3412,
                vec![],
            )],
            Verdict::Fail,
            "Summary report (about 4,000 characters)",
            "3,412 characters",
            "about 4,000 characters (≥3,600)",
            "Summary report: 3,412 characters, required about 4,000 characters (≥3,600): 188 characters short",
        ),
        (
            "summary-report",
            vec![doc("总结报告.docx", "summary-report", 3700, vec![])],
            Verdict::Pass,
            "Summary report (about 4,000 characters)",
            "3,700 characters",
            "about 4,000 characters (≥3,600)",
            "Summary report: 3,700 characters, within the tolerance of “about 4,000 characters” (≥3,600, below 4,000)",
        ),
        (
            "summary-report",
            vec![],
            Verdict::Fail,
            "Summary report (about 4,000 characters)",
            "not submitted",
            "about 4,000 characters (≥3,600)",
            "No summary report found: please submit the summary report (its file or folder name should contain words such as “总结报告”“会议总结”“活动总结”)",
        ),
        (
            "keynote-recordings",
            vec![video("录像/张三.mp4", 2699.0)],
            Verdict::Fail,
            "Keynote recordings (each at least 45 minutes)",
            "1, shortest 44:59; paired with keynote slides: 0; unpaired keynote slides: 0, keynote recordings: 1",
            "each at least 45:00",
            "录像/张三.mp4 runs 44:59, less than 45:00 (00:01 short)",
        ),
        (
            "label",
            vec![doc("建议报告.docx", "proposal-report", 500, vec![near])],
            Verdict::Fail,
            "Resources labelled “自治区科协2025年度学会重点资助项目”",
            "0/1 resources labelled",
            "every text, video and image resource carries the label",
            "Label “自治区科协2025年度学会重点资助项目” missing or wrong in 1 resource: 建议报告.docx: the label in the headers/footers reads “自治区科协2025年学会重点资助项目”, it should be “自治区科协2025年度学会重点资助项目”",
        ),
    ];
    for (req, files, verdict, title, measured, threshold, message) in table {
        let r = run(&xxjl, req, &files, Lang::En);
        assert_eq!(r.verdict, verdict, "{req}: {}", r.message);
        assert_eq!(r.title, title);
        assert_eq!(r.measured_text, measured, "{req}");
        assert_eq!(r.threshold_text, threshold, "{req}");
        assert_eq!(r.message, message, "{req}");
        // The guide's wording stays Chinese: it quotes the guide.
        assert!(has_han(&r.guide), "{req}: {}", r.guide);
        // The same case in Chinese: same verdict and numbers.
        let zh = run(&xxjl, req, &files, Lang::Zh);
        assert_eq!(zh.verdict, r.verdict);
        assert_eq!(zh.measured, r.measured);
        assert_eq!(zh.threshold, r.threshold);
    }
}

// ---------------------------------------------------------------------------------------------
// Whole checks

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

const SUBMISSIONS: &[&str] = &[
    "submissions/XXJL-2025-01-新疆农学会-全疆学术年会",
    "submissions/XXJL-2025-02-新疆计算机学会-全疆论坛",
    "submissions/QKPY-2025-01-新疆医学会-期刊培育",
    "submissions/QKPY-2025-02-新疆地质学会-期刊培育",
    "submissions/DJQC-2025-01-新疆水利学会-党建强会",
    "submissions/DJQC-2025-02-新疆林学会-党建强会",
];

/// The text with file paths and quoted words (labels, keywords, snippets, outlets) taken out:
/// what is left must be English.
fn outside_quotes_and_paths(text: &str, report: &Report) -> String {
    let mut t = text.to_string();
    let mut paths: Vec<&str> = report.files.iter().map(|f| f.path.as_str()).collect();
    paths.sort_by_key(|p| std::cmp::Reverse(p.len()));
    for p in paths {
        t = t.replace(p, "");
    }
    // People's names are data too.
    if let Some((head, tail)) = t.split_once("(academicians: ") {
        t = format!("{head}{}", tail.split_once(')').map_or("", |x| x.1));
    }
    let mut out = String::new();
    let mut depth = 0usize;
    for c in t.chars() {
        match c {
            '“' => depth += 1,
            '”' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn check_in(rel: &str, lang: Lang) -> Report {
    let options = Options {
        lang,
        ..Options::default()
    };
    check(&fixture(rel), &sets(), &options).expect("check runs")
}

#[test]
fn whole_checks_in_english_match_chinese_verdicts_and_leave_no_chinese() {
    for rel in SUBMISSIONS {
        let zh = check_in(rel, Lang::Zh);
        let en = check_in(rel, Lang::En);
        assert_eq!(en.verdict, zh.verdict, "{rel}");
        assert_eq!(en.tally, zh.tally, "{rel}");
        assert_eq!(en.requirements.len(), zh.requirements.len());
        for (e, z) in en.requirements.iter().zip(&zh.requirements) {
            assert_eq!((&e.id, e.verdict), (&z.id, z.verdict), "{rel}");
            assert_eq!(e.measured, z.measured, "{rel} {}", e.id);
            assert_eq!(e.evidence.len(), z.evidence.len(), "{rel} {}", e.id);
            assert_eq!(e.guide, z.guide, "{rel} {}", e.id);
            let mut texts = vec![
                e.title.clone(),
                e.measured_text.clone(),
                e.threshold_text.clone(),
                e.message.clone(),
            ];
            texts.extend(e.evidence.iter().map(|x| x.detail.clone()));
            for t in texts {
                let rest = outside_quotes_and_paths(&t, &en);
                assert!(!has_han(&rest), "{rel} {}: Chinese left in {t:?}", e.id);
            }
        }
        assert!(!has_han(&en.project.category_title), "{rel}");
        assert!(!has_han(&en.project.category_source), "{rel}");
        for f in &en.files {
            if let Some(why) = &f.role_reason {
                let rest = outside_quotes_and_paths(why, &en);
                assert!(!has_han(&rest), "{rel}: {why}");
            }
        }
        // Renderers: the fixed wording follows the language.
        let md = yanshou::report::render_markdown_lang(&en, Lang::En);
        assert!(md.starts_with("# Acceptance check report"), "{rel}");
        let term = yanshou::report::render_terminal_lang(&en, false, Lang::En);
        assert!(term.contains("Overall verdict:"), "{rel}");
    }
}

/// The cache holds facts, not messages: a Chinese audit then an English one over the same
/// cache reads nothing again, and the English dossier is English.
#[test]
fn the_facts_cache_serves_both_languages() {
    use yanshou::audit::{AuditOptions, audit};
    let root = fixture("submissions");
    let tmp = std::env::temp_dir().join(format!("yanshou-lang-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let cache = tmp.join("cache");
    let run = |lang: Lang, out: &str| {
        let opts = AuditOptions {
            depth: None,
            jobs: Some(1),
            progress: false,
            cache_dir: Some(cache.clone()),
            lang,
            check: Options::default(),
            checked_at: Some("2026-11-29 12:00".into()),
            ..AuditOptions::default()
        };
        audit(&root, &tmp.join(out), &sets(), &opts).expect("audit runs")
    };
    let zh = run(Lang::Zh, "zh");
    let en = run(Lang::En, "en");
    let (zh_cache, en_cache) = (zh.cache.unwrap(), en.cache.unwrap());
    assert!(zh_cache.misses > 0);
    assert_eq!(en_cache.misses, 0, "the English run reads no file again");
    assert_eq!(en_cache.hits, zh_cache.hits + zh_cache.misses);
    assert_eq!(zh.projects.len(), en.projects.len());
    for (z, e) in zh.projects.iter().zip(&en.projects) {
        assert_eq!(z.verdict, e.verdict);
    }
    let dossiers: Vec<PathBuf> = std::fs::read_dir(tmp.join("en"))
        .unwrap()
        .flatten()
        .map(|e| e.path().join("dossier.json"))
        .filter(|p| p.exists())
        .collect();
    assert!(!dossiers.is_empty());
    for d in dossiers {
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&d).unwrap()).unwrap();
        for r in json["requirements"].as_array().unwrap() {
            let title = r["title"].as_str().unwrap();
            let unquoted: String = title
                .split('“')
                .map(|p| p.rsplit('”').next().unwrap_or(p))
                .collect();
            assert!(!has_han(&unquoted), "{}: {title}", d.display());
            assert!(
                !has_han(r["threshold_text"].as_str().unwrap()),
                "{}",
                d.display()
            );
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
}

#[test]
fn json_in_english_keeps_the_chinese_problem_message() {
    let mut r = check_in(SUBMISSIONS[1], Lang::En);
    r.files[0].problems.push(Problem::new(
        yanshou::codes::UNREADABLE_ENCRYPTED,
        "文件已加密，请提供未加密版本",
    ));
    let v: serde_json::Value =
        serde_json::from_str(&yanshou::report::render_json_lang(&r, Lang::En)).unwrap();
    let p = &v["files"][0]["problems"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        p["message"],
        "The file is encrypted; please provide an unencrypted copy."
    );
    assert_eq!(p["message_zh"], "文件已加密，请提供未加密版本");
    let v: serde_json::Value = serde_json::from_str(&yanshou::report::render_json(&r)).unwrap();
    let p = v["files"][0]["problems"]
        .as_array()
        .unwrap()
        .last()
        .unwrap();
    assert_eq!(p["message"], "文件已加密，请提供未加密版本");
    assert!(p.get("message_zh").is_none());
}
