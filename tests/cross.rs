//! The audit's cross-submission pass (issue #16) on the fixture year made by
//! fixtures/cross/make.py: every planted finding is found and nothing else (precision and
//! recall printed), across years too (`--compare-with`); findings change no verdict; they show
//! in the summary column, the index page and every dossier format; and the dates the pass
//! compares are the ones the reference tools read.
//!
//! What can fail here: a threshold that lets a clean look-alike through (same template, same
//! topic, same hall, recordings of the same length) or loses a planted copy (re-typed
//! punctuation, a relabelled and cropped photo, a re-muxed recording); a finding that moves a
//! verdict; a renderer that drops the section.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use yanshou::audit::{AuditOptions, AuditResult, audit};
use yanshou::extract::{Input, Limits};
use yanshou::pipeline::{Options, check, read_file};
use yanshou::report::lang::Lang;
use yanshou::rules::builtin::load_builtin;

const FIX: &str = "fixtures/cross";

fn run(root: &Path, out: &Path, compare_with: Vec<PathBuf>, no_cross: bool) -> AuditResult {
    let sets = load_builtin().unwrap();
    let opts = AuditOptions {
        jobs: Some(2),
        lang: Lang::Zh,
        checked_at: Some("2026-11-29 10:00".into()),
        compare_with,
        no_cross,
        ..AuditOptions::default()
    };
    audit(root, out, &sets, &opts).unwrap()
}

type Key = (String, String, String);

/// The findings of a run as (code, side a, side b) with pairs in a fixed order.
fn found(r: &AuditResult) -> BTreeSet<Key> {
    let cross = r.cross.as_ref().expect("the pass ran");
    assert!(cross.error.is_none(), "{:?}", cross.error);
    cross
        .items
        .iter()
        .map(|it| {
            let a = it.a.code.clone();
            let b = it.b.as_ref().map_or("-".to_string(), |b| b.code.clone());
            let (a, b) = if b != "-" && b < a { (b, a) } else { (a, b) };
            (it.code.clone(), a, b)
        })
        .collect()
}

fn planted(run: &str) -> BTreeSet<Key> {
    let text = std::fs::read_to_string(Path::new(FIX).join("planted.tsv")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[0] == run).then(|| {
                let (a, b) = (f[2].to_string(), f[3].to_string());
                let (a, b) = if b != "-" && b < a { (b, a) } else { (a, b) };
                (f[1].to_string(), a, b)
            })
        })
        .collect()
}

fn score(name: &str, found: &BTreeSet<Key>, planted: &BTreeSet<Key>) -> (f64, f64) {
    let hit = found.intersection(planted).count() as f64;
    let precision = if found.is_empty() {
        1.0
    } else {
        hit / found.len() as f64
    };
    let recall = if planted.is_empty() {
        1.0
    } else {
        hit / planted.len() as f64
    };
    println!(
        "{name}: {} planted, {} found, {hit} right: precision {precision:.2}, recall {recall:.2}",
        planted.len(),
        found.len()
    );
    (precision, recall)
}

#[test]
fn every_planted_finding_and_nothing_else_across_submissions_and_years() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("2025");
    let r = run(&Path::new(FIX).join("year"), &out, Vec::new(), false);
    let (got, want) = (found(&r), planted("year"));
    let (p, rc) = score("fixture year", &got, &want);
    assert_eq!(
        got.difference(&want).collect::<Vec<_>>(),
        Vec::<&Key>::new(),
        "found but not planted"
    );
    assert_eq!(
        want.difference(&got).collect::<Vec<_>>(),
        Vec::<&Key>::new(),
        "planted but not found"
    );
    assert_eq!((p, rc), (1.0, 1.0));
    // The pass compared documents, photos and recordings, but only the pairs that share
    // fingerprints were measured (not all 19·18/2 pairs of documents).
    let c = &r.cross.as_ref().unwrap().counts;
    assert!(
        c.documents >= 18 && c.photos >= 20 && c.recordings >= 8,
        "{c:?}"
    );
    assert!(c.candidate_pairs < 10, "{c:?}");
    assert!(out.join("fingerprints.jsonl").is_file());
    assert!(
        !std::fs::read_dir(&out).unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with(".yanshou-cross")),
        "the spill folder is removed"
    );

    // Next year against this one.
    let next = tmp.path().join("2026");
    let r2 = run(
        &Path::new(FIX).join("next"),
        &next,
        vec![out.clone()],
        false,
    );
    let (got, want) = (found(&r2), planted("next"));
    let (p, rc) = score("next year --compare-with", &got, &want);
    assert_eq!(got, want);
    assert_eq!((p, rc), (1.0, 1.0));
    let cross = r2.cross.as_ref().unwrap();
    assert_eq!(cross.counts.earlier_projects, 6);
    let text = cross
        .items
        .iter()
        .find(|i| i.code == "cross.text_reuse")
        .unwrap();
    // The earlier side is named with its audit and linked to its dossier there.
    let b = text.b.as_ref().unwrap();
    assert!(
        b.earlier.as_deref().unwrap().contains("2026-11-29 10:00"),
        "{b:?}"
    );
    assert_eq!(b.link.as_deref(), Some("../2025/XXJL-2025-03/dossier.html"));
    assert_eq!(text.quotes.len(), 2, "{text:?}");

    // A folder that is no earlier audit is refused before anything is read.
    let sets = load_builtin().unwrap();
    let opts = AuditOptions {
        compare_with: vec![tmp.path().join("nowhere")],
        ..AuditOptions::default()
    };
    let e = audit(
        &Path::new(FIX).join("next"),
        &tmp.path().join("x"),
        &sets,
        &opts,
    )
    .unwrap_err();
    assert!(e.to_string().contains("fingerprints.jsonl"), "{e}");
}

#[test]
fn findings_change_no_verdict_and_show_everywhere() {
    let tmp = tempfile::tempdir().unwrap();
    let year = Path::new(FIX).join("year");
    let with = run(&year, &tmp.path().join("with"), Vec::new(), false);
    let without = run(&year, &tmp.path().join("without"), Vec::new(), true);
    assert!(without.cross.is_none());
    assert_eq!(with.exit_code(false), without.exit_code(false));
    assert_eq!(with.projects.len(), 6);
    for (a, b) in with.projects.iter().zip(&without.projects) {
        assert_eq!(
            (a.verdict, a.pass, a.review, a.fail, &a.requirements),
            (b.verdict, b.pass, b.review, b.fail, &b.requirements),
            "{}",
            a.name
        );
        assert!(
            a.finding_count > 0,
            "every fixture project has a planted finding: {}",
            a.name
        );
        assert_eq!(b.finding_count, 0);
    }
    // `check` on one submission agrees with the audit's row.
    let sets = load_builtin().unwrap();
    let one = year.join("XXJL-2025-01-新疆农学会-学术年会");
    let report = check(&one, &sets, &Options::default()).unwrap();
    assert_eq!(Some(report.verdict), with.projects[0].verdict);
    assert!(report.findings.is_empty());

    let out = tmp.path().join("with");
    // The summary column.
    let csv = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let col = header
        .iter()
        .position(|h| h == "跨项目发现")
        .expect("column");
    let cells: Vec<String> = reader
        .records()
        .map(|r| r.unwrap().get(col).unwrap().to_string())
        .collect();
    assert_eq!(cells[0], "3：文字雷同 1；照片重复 1；录像重复 1");
    assert_eq!(
        cells[3],
        "3：照片拍摄日期不符 1；录像早于会议 1；会议日期不一致 1"
    );

    // The index page: pairs linked to both dossiers, previews side by side, quotes.
    // (minijinja escapes the slash of a path as `&#x2f;`, which a browser reads back.)
    let unescape = |s: String| s.replace("&#x2f;", "/");
    let index = unescape(std::fs::read_to_string(out.join("index.html")).unwrap());
    let section = &index[index.find("<h2 id=\"cross\">").expect("section")..];
    for want in [
        "href=\"XXJL-2025-01/dossier.html\"",
        "href=\"XXJL-2025-02/dossier.html\"",
        "<blockquote>",
        "照片重复",
        "录像重复",
    ] {
        assert!(section.contains(want), "{want}");
    }
    assert_eq!(
        section
            .matches("<img class=\"thumb\" src=\"data:image/jpeg;base64,")
            .count(),
        4
    );

    // Each dossier's own section, in every format, with the other side linked.
    let dir = out.join("XXJL-2025-01");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("dossier.json")).unwrap()).unwrap();
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 3);
    let text = &findings[0];
    assert_eq!(text["code"], "cross.text_reuse");
    assert_eq!(text["other"]["dossier"], "../XXJL-2025-02/dossier.html");
    assert_eq!(text["quotes"].as_array().unwrap().len(), 2);
    assert_eq!(findings[1]["thumbs"].as_array().unwrap().len(), 2);
    let md = std::fs::read_to_string(dir.join("dossier.md")).unwrap();
    let md_section = &md[md.find("## 附：跨项目发现").expect("md section")..];
    assert!(
        md_section.contains("(../XXJL-2025-02/dossier.md)"),
        "{md_section}"
    );
    let html = unescape(std::fs::read_to_string(dir.join("dossier.html")).unwrap());
    assert!(html.contains("<h2 id=\"cross\">附：跨项目发现</h2>"));
    assert_eq!(html.matches("src=\"data:image/jpeg;base64,").count(), 2);
    let docx = Input::from_path(dir.join("dossier.docx"), "dossier.docx").unwrap();
    let rec = read_file(&docx, &[], 2, &Limits::default());
    let docx_text = rec.facts.unwrap().all_text();
    assert!(docx_text.contains("附：跨项目发现"));
    assert!(docx_text.contains("请核实录像是否为本项目的报告"));
    insta::assert_snapshot!("cross_md_section_01", md_section);
}

/// The dates the pass compares are the ones the reference tools read (reference.tsv).
#[test]
fn dates_match_the_reference_tools() {
    let text = std::fs::read_to_string(Path::new(FIX).join("reference.tsv")).unwrap();
    let mut checked = 0;
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        let (path, field, value) = (f[0], f[2], f[3]);
        if field == "duration" {
            continue;
        }
        let input = Input::from_path(Path::new(FIX).join(path), path).unwrap();
        let facts = read_file(&input, &[], 2, &Limits::default())
            .facts
            .expect(path);
        let got = match field {
            "DateTimeOriginal" => facts.taken_at.clone(),
            _ => facts.created.clone(),
        }
        .unwrap_or_default();
        // exiftool 2025:08:20 10:15:00, ffprobe 2025-08-20T10:00:00.000000Z, LibreOffice
        // 2025-08-20T18:00:00Z: the same second as ours, whatever the separators.
        let norm = |s: &str| -> String { s.replace('T', " ").chars().take(19).collect() };
        let want = if field == "DateTimeOriginal" {
            value.replacen(':', "-", 2)
        } else {
            value.to_string()
        };
        assert_eq!(norm(&got), norm(&want), "{path} {field}");
        checked += 1;
    }
    assert_eq!(checked, 54, "every date of reference.tsv (durations aside)");
}
