//! Snapshot tests of the real dossiers of `fixtures/submissions` (and the README demo), checked
//! by the pipeline as `yanshou check` does (no OCR), rendered in Markdown, terminal and HTML.
//!
//! The `.snap` files under `tests/snapshots/` are the specification of what a reviewer sees:
//! review them by reading them when they change (a fixture remade with another LibreOffice
//! changes file sizes, and the snapshots say so). The HTML snapshots keep the `<body>`: the
//! style sheet is the same in every dossier and is snapshotted once. The properties below
//! hold for every dossier: no role id where a person reads (issue #11 item 12), a
//! self-contained HTML whose evidence links point at file rows, escaping of what a
//! submission may carry, the JSON contract, terminal columns and colours.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use yanshou::pipeline::{Options, check};
use yanshou::report::model::{Report, Verdict};
use yanshou::report::{
    Lang, OutputFormat, render, render_html, render_json, render_markdown, render_markdown_lang,
    render_terminal, render_terminal_lang, write_out_dir,
};
use yanshou::rules::builtin::load_builtin;

/// The fixture submissions, by snapshot name.
const DOSSIERS: &[(&str, &str)] = &[
    (
        "xxjl_01",
        "submissions/XXJL-2025-01-新疆农学会-全疆学术年会",
    ),
    (
        "xxjl_02",
        "submissions/XXJL-2025-02-新疆计算机学会-全疆论坛",
    ),
    (
        "xxjl_03_demo",
        "demo/XXJL-2025-03-新疆生态学会-全疆生态论坛",
    ),
    (
        "xxjl_04",
        "submissions/XXJL-2025-04-新疆自动化学会-全疆研讨会",
    ),
    ("xxjl_05", "submissions/XXJL-2025-05-新疆地理学会-全疆论坛"),
    ("qkpy_01", "submissions/QKPY-2025-01-新疆医学会-期刊培育"),
    ("qkpy_02", "submissions/QKPY-2025-02-新疆地质学会-期刊培育"),
    ("qkpy_03", "submissions/QKPY-2025-03-新疆药学会-期刊培育"),
    ("djqc_01", "submissions/DJQC-2025-01-新疆水利学会-党建强会"),
    ("djqc_02", "submissions/DJQC-2025-02-新疆林学会-党建强会"),
    ("djqc_03", "submissions/DJQC-2025-03-新疆气象学会-党建强会"),
];

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

fn dossier(rel: &str, lang: Lang) -> Report {
    let options = Options {
        lang,
        ..Options::default()
    };
    check(&fixture(rel), &load_builtin().expect("rules"), &options).expect("check runs")
}

/// The dossiers of every fixture submission in `lang`, checked once per test binary.
fn dossiers_in(lang: Lang) -> Vec<(&'static str, Report)> {
    static ZH: OnceLock<Vec<(&'static str, Report)>> = OnceLock::new();
    static EN: OnceLock<Vec<(&'static str, Report)>> = OnceLock::new();
    let cell = match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    };
    cell.get_or_init(|| {
        DOSSIERS
            .iter()
            .map(|(name, rel)| (*name, dossier(rel, lang)))
            .collect()
    })
    .clone()
}

fn dossiers() -> Vec<(&'static str, Report)> {
    dossiers_in(Lang::Zh)
}

fn named_in(name: &str, lang: Lang) -> Report {
    dossiers_in(lang)
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, r)| r)
        .expect("dossier")
}

fn named(name: &str) -> Report {
    named_in(name, Lang::Zh)
}

/// The HTML between `<body>` and `</body>`.
fn body(html: &str) -> &str {
    let start = html.find("<body").unwrap_or(0);
    let end = html
        .rfind("</body>")
        .map_or(html.len(), |e| e + "</body>".len());
    &html[start..end]
}

/// The text of an HTML page, tags taken out.
fn visible(html: &str) -> String {
    let re = regex::Regex::new(r"(?s)<style.*?</style>|<[^>]*>").expect("regex");
    re.replace_all(html, " ").into_owned()
}

/// The text of a DOCX package's main part.
fn docx_text(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("docx is a zip");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .expect("document.xml")
        .read_to_string(&mut xml)
        .expect("utf-8");
    visible(&xml)
}

// ---------------------------------------------------------------------------------------------
// Snapshots

#[test]
fn snapshot_terminal() {
    for (name, r) in dossiers() {
        insta::assert_snapshot!(format!("terminal_{name}"), render_terminal(&r, false));
    }
}

#[test]
fn snapshot_markdown() {
    for (name, r) in dossiers() {
        insta::assert_snapshot!(format!("markdown_{name}"), render_markdown(&r));
    }
}

#[test]
fn snapshot_html() {
    let mut style = None;
    for (name, r) in dossiers() {
        let html = render_html(&r).expect("template renders");
        insta::assert_snapshot!(format!("html_{name}"), body(&html));
        style.get_or_insert_with(|| html[..html.find("<body").unwrap_or(0)].to_string());
    }
    insta::assert_snapshot!("html_head", style.unwrap_or_default());
}

/// Dossiers of a check in English (the fixed wording, messages and role names).
#[test]
fn snapshot_english() {
    for name in ["xxjl_04", "djqc_03"] {
        let r = named_in(name, Lang::En);
        insta::assert_snapshot!(
            format!("terminal_en_{name}"),
            render_terminal_lang(&r, false, Lang::En)
        );
        insta::assert_snapshot!(
            format!("markdown_en_{name}"),
            render_markdown_lang(&r, Lang::En)
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Properties

/// Issue #11 item 12: role names where a person reads, never role ids — terminal, Markdown,
/// HTML (what the web page shows) and DOCX, in both languages.
#[test]
fn no_role_id_where_people_read() {
    let sets = load_builtin().expect("rules");
    let ids: HashSet<&str> = sets
        .iter()
        .flat_map(|s| s.roles.iter().map(|r| r.id.as_str()))
        .collect();
    let id_token = regex::Regex::new(r"[a-z]+(?:-[a-z]+)+").expect("regex");
    for lang in [Lang::Zh, Lang::En] {
        for (name, r) in dossiers_in(lang) {
            let meta = yanshou::report::dossier_meta(&r, lang, "2026-12-01 10:00".into());
            let texts = [
                ("terminal", render_terminal_lang(&r, false, lang)),
                ("markdown", render_markdown_lang(&r, lang)),
                (
                    "html",
                    visible(&yanshou::report::render_html_lang(&r, lang).expect("html")),
                ),
                (
                    "docx",
                    docx_text(&yanshou::report::render_docx(&r, &meta).expect("docx")),
                ),
            ];
            for (format, text) in texts {
                for m in id_token.find_iter(&text) {
                    assert!(
                        !ids.contains(m.as_str()),
                        "{name} {format} ({lang:?}) shows the role id {:?}",
                        m.as_str()
                    );
                }
            }
            // The names are there instead.
            let html = visible(&render_html(&named(name)).expect("html"));
            if let Some(f) = r.files.iter().find(|f| f.role.is_some()) {
                let role = f.role.as_deref().unwrap_or_default();
                let set = sets
                    .iter()
                    .find(|s| s.id == r.project.category)
                    .expect("set");
                assert!(
                    html.contains(set.role_name(role)),
                    "{name}: {role}'s name missing"
                );
            }
        }
    }
}

#[test]
fn role_names_say_which_roles_a_file_also_serves() {
    let r = named("qkpy_03");
    let md = render_markdown(&r);
    assert!(
        md.contains("建议报告（亦作 决策咨询建议、项目成果）"),
        "{md}"
    );
    let html = visible(&render_html(&r).expect("html"));
    assert!(html.contains("研究报告（亦作 项目成果）"), "{html}");
}

#[test]
fn verdicts_and_exit_codes() {
    // (dossier, verdict, exit code, exit code with --strict)
    let table: &[(&str, Verdict, i32, i32)] = &[
        ("xxjl_01", Verdict::Pass, 0, 0),
        ("xxjl_02", Verdict::Fail, 1, 1),
        ("qkpy_03", Verdict::Pass, 0, 0),
        ("djqc_03", Verdict::Fail, 1, 1),
    ];
    for (name, verdict, code, strict) in table {
        let mut r = named(name);
        assert_eq!(r.verdict, *verdict, "{name}");
        assert_eq!(r.exit_code(), *code, "{name}");
        r.strict = true;
        assert_eq!(r.exit_code(), *strict, "{name} --strict");
    }
    // A dossier that only needs review passes, and fails under --strict.
    let mut r = named("xxjl_01");
    r.verdict = Verdict::Review;
    assert_eq!(r.exit_code(), 0);
    r.strict = true;
    assert_eq!(r.exit_code(), 1);
    assert!(render_terminal(&r, false).contains("--strict"));
}

#[test]
fn html_is_self_contained() {
    for (name, r) in dossiers() {
        let html = render_html(&r).expect("template renders").to_lowercase();
        for needle in ["http://", "https://", "<script", "@import", "url(", "<link"] {
            assert!(!html.contains(needle), "{name}: HTML contains {needle}");
        }
        assert!(html.contains("@page { size: a4"), "{name}: no A4 page rule");
        assert!(
            html.contains("noto sans cjk sc"),
            "{name}: no CJK font stack"
        );
    }
}

#[test]
fn html_anchors_point_at_file_rows() {
    let href = regex::Regex::new(r##"href="#([^"]*)""##).expect("regex");
    let id = regex::Regex::new(r#"\bid="([^"]*)""#).expect("regex");
    for (name, r) in dossiers() {
        let html = render_html(&r).expect("template renders");
        let ids: HashSet<&str> = id
            .captures_iter(&html)
            .filter_map(|c| c.get(1))
            .map(|m| m.as_str())
            .collect();
        let hrefs: Vec<&str> = href
            .captures_iter(&html)
            .filter_map(|c| c.get(1))
            .map(|m| m.as_str())
            .collect();
        assert!(!hrefs.is_empty(), "{name}: no evidence links at all");
        for h in &hrefs {
            // Evidence links to file rows; the list of what to fix also to requirement rows.
            assert!(
                h.starts_with("file-") || h.starts_with("req-"),
                "{name}: unexpected anchor {h}"
            );
            assert!(ids.contains(h), "{name}: #{h} has no row");
        }
        for q in &r.requirements {
            for e in &q.evidence {
                if let Some(i) = r.file_index(&e.path) {
                    let want = format!("file-{}", i + 1);
                    assert!(
                        hrefs.contains(&want.as_str()),
                        "{name}: {} not linked",
                        e.path
                    );
                }
            }
        }
        let rows = ids.iter().filter(|i| i.starts_with("file-")).count();
        assert_eq!(rows, r.files.len(), "{name}");
    }
}

#[test]
fn html_escapes_untrusted_text() {
    let mut r = named("xxjl_02");
    r.project.name = "<script>alert(1)</script>学会".into();
    if let Some(f) = r.files.get_mut(0) {
        f.path = "会议文件/<img src=x onerror=alert(1)>.pdf".into();
    }
    let html = render_html(&r).expect("template renders");
    assert!(!html.contains("<script>alert"), "project name not escaped");
    assert!(!html.contains("<img src=x"), "path not escaped");
    assert!(html.contains("&lt;script&gt;"));
}

#[test]
fn json_is_the_contract_and_round_trips() {
    for (name, r) in dossiers() {
        let text = render_json(&r);
        assert!(text.ends_with("}\n"), "{name}: trailing newline");
        assert!(
            text.starts_with("{\n  \"schema\": \"yanshou.dossier/1\",\n  \"tool\""),
            "{name}: key order"
        );
        let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert!(v["project"]["category"].is_string(), "{name}");
        for q in v["requirements"].as_array().expect("requirements") {
            for key in [
                "id",
                "title",
                "verdict",
                "measured",
                "threshold",
                "evidence",
                "message",
                "decision",
            ] {
                assert!(q.get(key).is_some(), "{name}: requirement without {key}");
            }
        }
        for f in v["files"].as_array().expect("files") {
            for key in ["path", "format", "role", "facts", "problems"] {
                assert!(f.get(key).is_some(), "{name}: file without {key}");
            }
        }
        // Every role a file plays has its name in `roles`.
        for f in v["files"].as_array().expect("files") {
            if let Some(role) = f["role"].as_str() {
                assert!(
                    v["roles"]
                        .as_array()
                        .expect("roles")
                        .iter()
                        .any(|x| x["id"] == role),
                    "{name}: no name for role {role}"
                );
            }
        }
        let back: Report = serde_json::from_str(&text).expect("parses as Report");
        // Round trip: what we wrote is what we had, minus part texts and table cells.
        let mut want = r.clone();
        for facts in want.files.iter_mut().filter_map(|f| f.facts.as_mut()) {
            for part in &mut facts.parts {
                part.text.clear();
            }
            facts.tables.clear();
        }
        if back != want {
            // Name the first difference instead of printing two whole dossiers.
            let (a, b) = (
                serde_json::to_value(&back).expect("json"),
                serde_json::to_value(&want).expect("json"),
            );
            panic!(
                "{name}: round trip differs at {}",
                first_difference(&a, &b, "$")
            );
        }
    }
}

/// The path of the first place two JSON values differ.
fn first_difference(a: &serde_json::Value, b: &serde_json::Value, at: &str) -> String {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    Some(w) if v != w => return first_difference(v, w, &format!("{at}.{k}")),
                    None => return format!("{at}.{k} (missing on the right)"),
                    _ => {}
                }
            }
            format!(
                "{at} (keys: {:?} vs {:?})",
                x.keys().collect::<Vec<_>>(),
                y.keys().collect::<Vec<_>>()
            )
        }
        (Value::Array(x), Value::Array(y)) => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                if v != w {
                    return first_difference(v, w, &format!("{at}[{i}]"));
                }
            }
            format!("{at} (lengths {} vs {})", x.len(), y.len())
        }
        _ => format!("{at}: {a} vs {b}"),
    }
}

#[test]
fn json_leaves_part_text_out() {
    let r = named("xxjl_02");
    // Twenty characters of a line of some file's text (one line: no JSON escapes).
    let sample: String = r
        .files
        .iter()
        .filter_map(|f| f.facts.as_ref())
        .flat_map(|f| f.parts.iter())
        .flat_map(|p| p.text.lines())
        .map(str::trim)
        .find(|t| t.chars().count() > 40 && !t.contains(['"', '\\', '\t']))
        .map(|t| t.chars().skip(10).take(20).collect())
        .expect("some part text");
    assert!(
        !render_json(&r).contains(&sample),
        "part text leaked into JSON"
    );
    assert!(yanshou::report::json::render_json_with_text(&r).contains(&sample));
}

#[test]
fn json_facts_use_contract_names() {
    let v: serde_json::Value = serde_json::from_str(&render_json(&named("xxjl_02"))).expect("json");
    let files = v["files"].as_array().expect("files");
    let summary = files
        .iter()
        .find(|f| f["role"] == "summary-report")
        .expect("summary file");
    assert_eq!(summary["facts"]["words"], 3_412);
    assert!(summary["facts"]["han"].as_u64().is_some());
    let video = files.iter().find(|f| f["format"] == "mp4").expect("video");
    assert_eq!(video["facts"]["duration_s"], 2_699.0);
    assert_eq!(video["facts"]["labels"][0]["where"], "metadata");
    let v: serde_json::Value = serde_json::from_str(&render_json(&named("djqc_03"))).expect("json");
    let broken = v["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|f| f["path"] == "总体报告.pdf")
        .expect("the encrypted PDF");
    assert_eq!(broken["status"], "unreadable");
    assert_eq!(broken["problems"][0]["code"], "unreadable.encrypted");
    assert!(broken["facts"].is_null());
}

#[test]
fn terminal_color_only_when_asked() {
    let r = named("xxjl_04");
    let plain = render_terminal(&r, false);
    let colored = render_terminal(&r, true);
    assert!(!plain.contains('\x1b'));
    assert!(colored.contains("\x1b[31m✘ 不通过"));
    assert!(colored.contains("\x1b[32m✔ 通过"));
    assert!(colored.contains("\x1b[33m? 需人工复核"));
    let stripped = regex::Regex::new("\x1b\\[[0-9;]*m")
        .expect("regex")
        .replace_all(&colored, "");
    assert_eq!(stripped, plain);
}

#[test]
fn terminal_says_what_to_fix() {
    let out = render_terminal(&named("xxjl_02"), false);
    let lines: Vec<&str> = out.lines().collect();
    let i = lines
        .iter()
        .position(|l| l.contains("✘ 不通过") && l.contains("总结报告"))
        .expect("summary line");
    assert_eq!(
        lines.get(i + 1).map(|l| l.trim()),
        Some("总结报告 3,412 字，要求4千字左右（≥3,600）：还差 188 字")
    );
    assert!(out.contains("等 4 个文件"), "{out}");
    // Pass lines carry no message line.
    let j = lines
        .iter()
        .position(|l| l.contains("✔ 通过") && l.contains("会议活动文件"))
        .expect("pass line");
    assert!(
        lines
            .get(j + 1)
            .is_some_and(|l| l.starts_with('✔') || l.starts_with('✘') || l.starts_with('?'))
    );
    let out = render_terminal(&named("djqc_03"), false);
    assert!(
        out.contains(
            "总体报告.pdf — unreadable.encrypted — PDF 已加密（需要打开密码），请提供未加密版本"
        ),
        "{out}"
    );
}

/// The measured and threshold columns start at one display column on every line — except
/// after a cell wider than its column's cap (one very long title does not push every line).
#[test]
fn terminal_columns_align_by_display_width() {
    use unicode_width::UnicodeWidthStr;
    for name in ["xxjl_02", "qkpy_03", "djqc_03"] {
        let r = named(name);
        let out = render_terminal(&r, false);
        let lines: Vec<&str> = out.lines().collect();
        // (title fits, measured fits, measured column, threshold column) per requirement line.
        let mut rows = Vec::new();
        for q in &r.requirements {
            let head = format!(
                "{} {}",
                yanshou::report::format::mark(q.verdict),
                q.verdict.zh()
            );
            let line = lines
                .iter()
                .find(|l| l.starts_with(&head) && l.contains(&format!(" {}  ", q.title)))
                .unwrap_or_else(|| panic!("{name}: no line for {}", q.title));
            let m = line
                .find(&format!("  {}", q.measured_text))
                .expect("measured");
            let t = line
                .find(&format!(" ／ {}", q.threshold_text))
                .expect("threshold");
            let width = |i: usize| line.get(..i).map_or(0, UnicodeWidthStr::width);
            rows.push((
                UnicodeWidthStr::width(q.title.as_str()),
                UnicodeWidthStr::width(q.measured_text.as_str()),
                width(m),
                width(t),
            ));
        }
        // The column is where the narrowest cells leave it.
        let m_col = rows.iter().map(|r| r.2).min().unwrap_or(0);
        let m_cap = rows
            .iter()
            .filter(|r| r.2 == m_col)
            .map(|r| r.0)
            .max()
            .unwrap_or(0);
        let t_col = rows
            .iter()
            .filter(|r| r.0 <= m_cap)
            .map(|r| r.3)
            .min()
            .unwrap_or(0);
        let t_cap = rows
            .iter()
            .filter(|r| r.0 <= m_cap && r.3 == t_col)
            .map(|r| r.1)
            .max()
            .unwrap_or(0);
        let aligned = rows.iter().filter(|r| r.0 <= m_cap).count();
        assert!(aligned >= 3, "{name}: too few lines fit to test: {rows:?}");
        for (title_w, measured_w, m, t) in &rows {
            if *title_w <= m_cap {
                assert_eq!(*m, m_col, "{name}: measured column {rows:?}");
                if *measured_w <= t_cap {
                    assert_eq!(*t, t_col, "{name}: threshold column {rows:?}");
                }
            }
        }
    }
}

#[test]
fn markdown_tables_stay_tables() {
    let mut r = named("xxjl_02");
    r.project.name = "中国农学会新疆分会 | 2025全国干旱区农业学术年会".into();
    if let Some(q) = r
        .requirements
        .iter_mut()
        .find(|q| q.verdict == Verdict::Fail)
    {
        q.message = "第一行 | 含竖线\n第二行".into();
    }
    let md = render_markdown(&r);
    assert!(md.contains("中国农学会新疆分会 \\| 2025全国干旱区农业学术年会"));
    assert!(md.contains("第一行 \\| 含竖线<br>第二行"), "{md}");
    for line in md
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains(" | ✘ 不通过 | "))
    {
        let unescaped = line.replace("\\|", "");
        assert_eq!(unescaped.matches('|').count(), 7, "{line}");
    }
}

#[test]
fn render_dispatch_and_out_dir() {
    let r = named("xxjl_02");
    assert_eq!(
        render(&r, OutputFormat::Json, true).expect("json"),
        render_json(&r)
    );
    assert_eq!(
        render(&r, OutputFormat::Markdown, true).expect("md"),
        render_markdown(&r)
    );
    assert_eq!(
        render(&r, OutputFormat::Terminal, false).expect("t"),
        render_terminal(&r, false)
    );
    assert_eq!(
        render(&r, OutputFormat::Html, false).expect("html"),
        render_html(&r).expect("html")
    );

    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("输出/XXJL-2025-02");
    let written = write_out_dir(&r, &dir).expect("writes");
    let names: Vec<String> = written
        .iter()
        .filter_map(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["dossier.json", "dossier.md", "dossier.html", "dossier.docx"]
    );
    for p in &written {
        assert!(
            std::fs::metadata(p).expect("exists").len() > 1000,
            "{}",
            p.display()
        );
    }
    assert_eq!(
        std::fs::read_to_string(dir.join("dossier.json")).expect("read"),
        render_json(&r)
    );
}
