//! End-to-end tests of `yanshou audit` and of the DOCX dossier, over trees built from the
//! project's own fixtures (fixtures/ooxml, made with LibreOffice; see fixtures/ooxml/make.sh).
//!
//! What can fail here: discovery order and the error row of a broken submission, the cache
//! re-reading exactly the changed files, the summary columns, and the DOCX being a valid package
//! whose text our own DOCX extractor reads back (requirement titles and verdict words).

use std::io::Read;
use std::path::{Path, PathBuf};

use yanshou::audit::{AuditOptions, AuditResult, audit};
use yanshou::extract::{Input, Limits};
use yanshou::pipeline::{Options, check, read_file};
use yanshou::report::lang::Lang;
use yanshou::report::model::Verdict;
use yanshou::report::{DocxMeta, render_docx};
use yanshou::rules::builtin::load_builtin;

const FIX: &str = "fixtures/ooxml";

fn copy(from: &str, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(Path::new(FIX).join(from), to).unwrap();
}

/// Four code-named projects — two folders, one zip, one broken (its code names no rule set and
/// its documents say nothing) — and a folder without a code (not a submission).
fn year(root: &Path) {
    let a = root.join("XXJL-2025-01-新疆农学会-全疆学术年会");
    copy("report.docx", &a.join("总结报告.docx"));
    copy("fields.docx", &a.join("会议活动文件/会议通知.docx"));
    copy("deck.pptx", &a.join("主旨报告幻灯片/报告1.pptx"));
    let b = root.join("QKPY-2025-02-新疆地理学会");
    copy("report.docx", &b.join("研究报告.docx"));
    copy("fields.docx", &b.join("建议报告.docx"));
    let broken = root.join("ABCD-2025-07-某学会");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(broken.join("readme.bin"), [0u8, 1, 2, 3]).unwrap();
    // A zipped submission: read through the archive walker, never extracted to disk.
    let zip = std::fs::File::create(root.join("DJQC-2025-03-新疆计算机学会.zip")).unwrap();
    let mut w = zip::ZipWriter::new(zip);
    w.start_file("总体报告.docx", zip::write::SimpleFileOptions::default())
        .unwrap();
    std::io::Write::write_all(
        &mut w,
        &std::fs::read(Path::new(FIX).join("report.docx")).unwrap(),
    )
    .unwrap();
    w.finish().unwrap();
    std::fs::create_dir_all(root.join("说明材料")).unwrap();
}

fn run(root: &Path, out: &Path, cache: bool, lang: Lang) -> AuditResult {
    let sets = load_builtin().unwrap();
    let opts = AuditOptions {
        jobs: Some(2),
        cache_dir: cache.then(|| out.join(".cache")),
        lang,
        checked_at: Some("2026-11-29 10:00".into()),
        ..AuditOptions::default()
    };
    audit(root, out, &sets, &opts).unwrap()
}

#[test]
fn audit_rows_outputs_and_broken_submissions() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("2025");
    let out = tmp.path().join("out");
    year(&root);
    let r = run(&root, &out, false, Lang::Zh);
    let names: Vec<&str> = r.projects.iter().map(|p| p.name.as_str()).collect();
    // Every folder beside the code-named ones is a submission too: 说明材料 has no code and
    // nothing in it, so it is listed (not dropped) and fails for that reason.
    assert_eq!(
        names,
        [
            "ABCD-2025-07-某学会",
            "DJQC-2025-03-新疆计算机学会.zip",
            "QKPY-2025-02-新疆地理学会",
            "XXJL-2025-01-新疆农学会-全疆学术年会",
            "说明材料",
        ]
    );
    let [broken, zip, qk, xx, empty] = &r.projects[..] else {
        panic!()
    };
    assert_eq!(empty.verdict, Some(yanshou::report::model::Verdict::Fail));
    assert!(
        empty.error.as_deref().unwrap().contains("没有任何文件"),
        "{empty:?}"
    );
    assert!(broken.verdict.is_none());
    assert!(
        broken.error.as_deref().unwrap().contains("类别"),
        "{broken:?}"
    );
    assert_eq!(zip.category.as_deref(), Some("DJQC-2025"), "{zip:?}");
    // The report inside the archive was read (the archive itself is listed too).
    let overall = zip.requirements.iter().find(|r| r.id == "overall-report");
    assert!(overall.unwrap().measured_text.contains('字'), "{zip:?}");
    assert_eq!(zip.society.as_deref(), Some("新疆计算机学会"));
    assert_eq!(qk.category.as_deref(), Some("QKPY-2025"));
    assert_eq!(qk.society.as_deref(), Some("新疆地理学会"));
    assert_eq!(xx.society.as_deref(), Some("新疆农学会"));
    assert_eq!(xx.files, 3);
    assert!(xx.verdict.is_some());
    assert_eq!(r.exit_code(false), 1);
    for dir in ["XXJL-2025-01", "QKPY-2025-02", "DJQC-2025-03"] {
        for f in ["dossier.json", "dossier.html", "dossier.docx", "dossier.md"] {
            assert!(out.join(dir).join(f).is_file(), "{dir}/{f}");
        }
    }
    assert!(!out.join("ABCD-2025-07").exists());

    // CSV: BOM, one row per project, requirement columns with measured value and verdict.
    let csv = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let csv = csv.strip_prefix('\u{feff}').expect("BOM");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(&header[..4], ["编号", "学会", "类别", "结论"]);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 5);
    // Requirement columns are headed by their titles, never by ids.
    assert!(
        header.iter().all(|h| !h.contains("summary-report")),
        "{header:?}"
    );
    let summary = col("总结报告（4千字左右）");
    assert!(rows[3][summary].contains('字'), "{:?}", &rows[3]);
    assert_eq!(&rows[3][col("总结报告（4千字左右）（结论）")], "不通过");
    assert_eq!(&rows[2][summary], "", "QKPY has no summary-report");
    assert_eq!(&rows[0][3], "未能核查");

    // XLSX: a summary sheet, one sheet per category with only its requirements, the 核查表
    // cells linking the dossiers; index.html links the dossiers and escapes names.
    use calamine::{Reader, open_workbook_auto};
    let mut wb = open_workbook_auto(out.join("summary.xlsx")).unwrap();
    let sheets = wb.sheet_names();
    assert_eq!(
        sheets,
        [
            "汇总",
            "DJQC-2025 党建强会",
            "QKPY-2025 一流科技期刊培育",
            "XXJL-2025 重点学术交流活动",
            "要求说明"
        ],
        "{sheets:?}"
    );
    let qkpy = wb.worksheet_range("QKPY-2025 一流科技期刊培育").unwrap();
    let head: Vec<String> = qkpy
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert!(
        head.iter().any(|h| h == "研究报告（不少于1万字）"),
        "{head:?}"
    );
    assert!(!head.iter().any(|h| h.starts_with("总结报告")), "{head:?}");
    assert_eq!(qkpy.height(), 2, "header and the one QKPY project");
    let raw = std::fs::File::open(out.join("summary.xlsx")).unwrap();
    let mut package = zip::ZipArchive::new(raw).unwrap();
    let mut rels = String::new();
    std::io::Read::read_to_string(
        &mut package
            .by_name("xl/worksheets/_rels/sheet1.xml.rels")
            .unwrap(),
        &mut rels,
    )
    .unwrap();
    assert!(rels.contains("XXJL-2025-01/dossier.html"), "{rels}");
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains(r#"href="XXJL-2025-01/dossier.html""#));
    assert!(index.contains(r#"href="QKPY-2025-02/dossier.docx""#));
    assert!(index.contains(r#"data-verdict="error""#));
    assert!(!index.contains("http"), "self-contained: no network");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(json["projects"].as_array().unwrap().len(), 5);
}

#[test]
fn output_is_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("2025");
    year(&root);
    let a = run(&root, &tmp.path().join("a"), false, Lang::Zh);
    let b = run(&root, &tmp.path().join("b"), false, Lang::Zh);
    assert_eq!(a.projects, b.projects);
    for f in ["summary.csv", "index.html", "XXJL-2025-01/dossier.json"] {
        assert_eq!(
            std::fs::read(tmp.path().join("a").join(f)).unwrap(),
            std::fs::read(tmp.path().join("b").join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn cache_rereads_only_changed_files() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("2025");
    let out = tmp.path().join("out");
    // Distinct contents everywhere, so hits are per file and not per duplicate.
    let docs = ["report.docx", "fields.docx", "deck.pptx"];
    for (i, name) in ["XXJL-2025-01-甲学会", "XXJL-2025-02-乙学会"]
        .iter()
        .enumerate()
    {
        for (k, d) in docs.iter().enumerate() {
            let ext = d.rsplit('.').next().unwrap();
            copy(d, &root.join(name).join(format!("材料{k}.{ext}")));
        }
        // A file that differs per project.
        std::fs::write(root.join(name).join("说明.bin"), format!("项目 {i}")).unwrap();
    }
    let first = run(&root, &out, true, Lang::Zh).cache.unwrap();
    assert_eq!(first.misses + first.hits, 8);
    // The two projects share three identical documents: read once, or twice when both
    // projects reach the same document at the same moment (parallel misses are not locked).
    assert!((5..=8).contains(&first.misses), "{first:?}");
    let again = run(&root, &out, true, Lang::Zh).cache.unwrap();
    assert_eq!((again.hits, again.misses), (8, 0), "{again:?}");
    // A society replaces two files.
    copy("fields.docx", &root.join("XXJL-2025-01-甲学会/材料0.docx"));
    std::fs::write(root.join("XXJL-2025-02-乙学会/说明.bin"), "改过").unwrap();
    let third = run(&root, &out, true, Lang::Zh);
    let c = third.cache.unwrap();
    assert_eq!((c.hits, c.misses), (7, 1), "{c:?}");
    // 材料0.docx now has the bytes of 材料1.docx, already cached: only 说明.bin is re-read.
    let fresh = run(&root, &tmp.path().join("nocache"), false, Lang::Zh);
    assert_eq!(
        third.projects, fresh.projects,
        "cached facts give the same dossier"
    );
}

fn report() -> yanshou::report::Report {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("XXJL-2025-01-新疆农学会-全疆学术年会");
    copy("report.docx", &a.join("总结报告.docx"));
    copy("deck.pptx", &a.join("主旨报告幻灯片.pptx"));
    copy("fields.docx", &a.join("会议通知.docx"));
    check(&a, &load_builtin().unwrap(), &Options::default()).unwrap()
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn docx_dossier_is_a_valid_package_and_reads_back() {
    let report = report();
    for lang in [Lang::Zh, Lang::En] {
        let meta = DocxMeta {
            lang,
            checked_at: "2026-11-29 10:00".into(),
            society: Some("新疆农学会".into()),
        };
        let bytes = render_docx(&report, &meta).unwrap();

        // A valid package: content types, and document.xml that parses to the end.
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
        assert!(zip.by_name("[Content_Types].xml").is_ok());
        let mut xml = String::new();
        zip.by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        let mut reader = quick_xml::Reader::from_str(&xml);
        let mut elements = 0;
        loop {
            match reader.read_event().expect("well-formed document.xml") {
                quick_xml::events::Event::Eof => break,
                quick_xml::events::Event::Start(_) => elements += 1,
                _ => {}
            }
        }
        assert!(elements > 100);
        assert!(xml.contains(r#"w:eastAsia="宋体""#), "East Asian font set");
        // The requirements and files tables repeat their column header on every page: their
        // first row, and only that row, is a w:tblHeader; the other two tables have none.
        let tables: Vec<&str> = xml.split("<w:tbl>").skip(1).collect();
        assert_eq!(tables.len(), 4);
        for (i, table) in tables.iter().enumerate() {
            let rows: Vec<&str> = table.split("<w:tr>").skip(1).collect();
            let headed: Vec<usize> = (0..rows.len())
                .filter(|&r| rows[r].contains("<w:tblHeader />"))
                .collect();
            let want: &[usize] = if matches!(i, 1 | 2) { &[0] } else { &[] };
            assert_eq!(headed, want, "table {i}");
        }

        // Round trip through our own DOCX extractor.
        let input = Input::from_bytes(bytes, "dossier.docx");
        let rec = read_file(&input, &[], 2, &Limits::default());
        assert!(rec.problems.is_empty(), "{:?}", rec.problems);
        let text = squash(&rec.facts.expect("read").all_text());
        let t = lang.labels();
        for label in [t.docx_title, t.code, t.society, t.checked_at, t.reviewer] {
            assert!(text.contains(&squash(label)), "{lang:?}: {label}");
        }
        assert!(text.contains("新疆农学会"));
        assert!(text.contains("2026-11-2910:00"));
        for r in &report.requirements {
            assert!(text.contains(&squash(&r.title)), "{lang:?}: {}", r.title);
            let verdict = squash(&format!(
                "{}{}",
                yanshou::report::format::mark(r.verdict),
                lang.verdict(r.verdict)
            ));
            assert!(text.contains(&verdict), "{lang:?}: {verdict}");
        }
        for f in &report.files {
            assert!(text.contains(&squash(&f.path)), "{}", f.path);
        }
    }
}

#[test]
fn docx_survives_hostile_names() {
    let mut report = report();
    report.files[0].path = "坏\u{1}名字<&>\u{ffff}.docx".into();
    report.project.name = "\u{0}".into();
    let meta = DocxMeta {
        lang: Lang::Zh,
        checked_at: String::new(),
        society: None,
    };
    let bytes = render_docx(&report, &meta).unwrap();
    let input = Input::from_bytes(bytes, "dossier.docx");
    let rec = read_file(&input, &[], 2, &Limits::default());
    let text = rec.facts.expect("still a readable DOCX").all_text();
    assert!(text.contains("坏名字<&>.docx"));
}

#[test]
fn english_labels() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("2025");
    year(&root);
    let out = tmp.path().join("out");
    let r = run(&root, &out, false, Lang::En);
    assert!(r.projects.iter().any(|p| p.verdict == Some(Verdict::Fail)));
    let csv = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    assert!(
        csv.starts_with("\u{feff}Project code,Society,Category,Verdict"),
        "{csv}"
    );
    assert!(csv.contains(",fail,"));
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains(r#"<html lang="en">"#));
    assert!(index.contains("Filter by verdict"));
    let html = std::fs::read_to_string(out.join("XXJL-2025-01/dossier.html")).unwrap();
    assert!(html.contains("2. Requirements"));
    assert!(html.contains("1. What to fix"));
    assert!(html.contains("needs review") || html.contains(">✘ fail<"));
}

#[test]
fn cli_audit_and_check() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("2025");
    year(&root);
    let out: PathBuf = tmp.path().join("out");
    let assert = assert_cmd::Command::cargo_bin("yanshou")
        .unwrap()
        .args([
            "audit",
            root.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
            "--jobs",
            "1",
        ])
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("核查 5 个项目"), "{stderr}");
    assert!(stderr.contains("缓存：命中"), "{stderr}");
    assert!(out.join("summary.xlsx").is_file());
    // Unwritable output is exit code 2.
    let file = tmp.path().join("plain-file");
    std::fs::write(&file, "x").unwrap();
    assert_cmd::Command::cargo_bin("yanshou")
        .unwrap()
        .args([
            "audit",
            root.to_str().unwrap(),
            "--out",
            file.to_str().unwrap(),
            "--quiet",
        ])
        .assert()
        .code(2);
    // `check` still works, and its --out now includes the DOCX.
    let one = root.join("XXJL-2025-01-新疆农学会-全疆学术年会");
    let check_out = tmp.path().join("one");
    assert_cmd::Command::cargo_bin("yanshou")
        .unwrap()
        .args([
            "check",
            one.to_str().unwrap(),
            "--out",
            check_out.to_str().unwrap(),
            "--lang",
            "en",
            "--format",
            "html",
        ])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("Acceptance check report"));
    assert!(check_out.join("dossier.docx").is_file());
}

#[test]
fn summary_csv_cells_never_become_formulas() {
    // A folder whose name reads as a formula: Excel must show it, never run it.
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("2025");
    let sub = root.join("=1+1-论坛-XXJL-2025-08");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(sub.join("会议通知.txt"), "全疆性学术会议通知").unwrap();
    let out = tmp.path().join("out");
    run(&root, &out, false, Lang::Zh);
    let csv = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let mut cells = 0;
    for record in reader.records() {
        for cell in record.unwrap().iter() {
            cells += 1;
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "formula-like cell {cell:?} in summary.csv"
            );
        }
    }
    assert!(cells > 10);
    assert!(
        csv.contains("'=1+1"),
        "the society cell is kept, defused: {csv}"
    );
}

/// Snapshots of what a reviewer opens first (issue #14): the whole summary.csv of the fixture
/// year, and the xlsx's sheet names with each sheet's header row — in both languages.
#[test]
fn summary_csv_and_xlsx_headers_snapshots() {
    use calamine::{Data, Reader, open_workbook_auto};
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("2025");
    year(&root);
    for (lang, tag) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let out = tmp.path().join(tag);
        run(&root, &out, false, lang);
        let csv = std::fs::read_to_string(out.join("summary.csv")).unwrap();
        insta::assert_snapshot!(format!("summary_csv_{tag}"), csv);
        let mut wb = open_workbook_auto(out.join("summary.xlsx")).unwrap();
        let mut shown = String::new();
        for name in wb.sheet_names() {
            let range = wb.worksheet_range(&name).unwrap();
            let header: Vec<String> = range
                .rows()
                .next()
                .map(|r| {
                    r.iter()
                        .map(|c| match c {
                            Data::String(s) => s.clone(),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            shown.push_str(&format!("[{name}]\n{}\n", header.join(" | ")));
        }
        insta::assert_snapshot!(format!("summary_xlsx_headers_{tag}"), shown);
    }
}
