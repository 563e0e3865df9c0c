//! Table-driven tests of every measure over hand-made file records (no extractor involved):
//! verdicts, measured values and the Chinese messages a society reads.

use yanshou::count::count;
use yanshou::eval::{Context, evaluate_one};
use yanshou::extract::table::{Sheet, sheets_to_text};
use yanshou::facts::{
    Duration, DurationMethod, Facts, Format, LabelHit, LabelMatch, PartKind, Problem,
};
use yanshou::report::Lang;
use yanshou::report::model::{FileRecord, FileStatus, RequirementResult, Verdict};
use yanshou::rules::RuleSet;
use yanshou::rules::builtin::load_builtin;

fn set(id: &str) -> RuleSet {
    load_builtin()
        .unwrap()
        .into_iter()
        .find(|s| s.id == id)
        .unwrap()
}

/// A read document whose body is `words` CJK characters, with the given role and labels.
fn doc(
    path: &str,
    role: &str,
    words: usize,
    labels: &[(&str, LabelMatch, PartKind)],
) -> FileRecord {
    let mut facts = Facts::default();
    facts.push_text(PartKind::Body, &"字".repeat(words));
    facts.finish_counts();
    facts.labels = labels
        .iter()
        .map(|(t, m, w)| LabelHit {
            text: t.to_string(),
            location: *w,
            matched: *m,
            found: t.to_string(),
            distance: usize::from(*m == LabelMatch::NearMiss),
        })
        .collect();
    record(path, Format::Docx, role, Some(facts))
}

fn text_doc(path: &str, role: &str, text: &str) -> FileRecord {
    let mut facts = Facts::default();
    facts.push_text(PartKind::Body, text);
    facts.finish_counts();
    record(path, Format::Docx, role, Some(facts))
}

fn video(path: &str, role: &str, seconds: f64) -> FileRecord {
    let facts = Facts {
        duration: Some(Duration {
            seconds,
            method: DurationMethod::Header,
            confidence: yanshou::facts::Confidence::High,
            detail: "mvhd".into(),
        }),
        ..Facts::default()
    };
    let mut f = facts;
    f.finish_counts();
    record(path, Format::Mp4, role, Some(f))
}

fn record(path: &str, format: Format, role: &str, facts: Option<Facts>) -> FileRecord {
    FileRecord {
        path: path.into(),
        format,
        kind: format.kind(),
        size: 1,
        status: if facts.is_some() {
            FileStatus::Read
        } else {
            FileStatus::Unreadable
        },
        role: (!role.is_empty()).then(|| role.to_string()),
        role_reason: None,
        facts,
        problems: Vec::new(),
    }
}

fn run(set: &RuleSet, req: &str, files: &[FileRecord], level: Option<&str>) -> RequirementResult {
    let r = set.requirements.iter().find(|r| r.id == req).unwrap();
    evaluate_one(
        &Context {
            rules: set,
            files,
            level,
            lang: Lang::Zh,
        },
        r,
    )
}

const LABEL: &str = "自治区科协2025年度学会重点资助项目";
const PARTY: &str = "自治区科技社团党委党建强会";

#[test]
fn words_requirement_table() {
    let xxjl = set("XXJL-2025");
    // (words in the 总结报告, verdict, message fragment)
    let table: &[(usize, Verdict, &str)] = &[
        (
            3412,
            Verdict::Fail,
            "总结报告 3,412 字，要求4千字左右（≥3,600）：还差 188 字",
        ),
        (3599, Verdict::Fail, "还差 1 字"),
        (3600, Verdict::Pass, "容差范围内"),
        (3999, Verdict::Pass, "不足 4,000"),
        (4000, Verdict::Pass, "达到要求"),
        (9000, Verdict::Pass, "达到要求"),
    ];
    for (n, verdict, fragment) in table {
        let files = [doc("03-总结报告/总结报告.docx", "summary-report", *n, &[])];
        let r = run(&xxjl, "summary-report", &files, None);
        assert_eq!(r.verdict, *verdict, "{n}: {}", r.message);
        assert!(r.message.contains(fragment), "{n}: {}", r.message);
        assert_eq!(r.measured, serde_json::json!(*n));
        assert_eq!(r.threshold, serde_json::json!(3600));
        assert_eq!(r.evidence[0].path, "03-总结报告/总结报告.docx");
    }
    let r = run(&xxjl, "summary-report", &[], None);
    assert_eq!(r.verdict, Verdict::Fail);
    assert!(r.message.starts_with("未找到总结报告"), "{}", r.message);
}

#[test]
fn words_of_an_unreadable_or_scanned_report_need_review() {
    let xxjl = set("XXJL-2025");
    let mut broken = record("总结报告.pdf", Format::Pdf, "summary-report", None);
    broken
        .problems
        .push(Problem::new("unreadable.encrypted", "PDF 已加密"));
    let r = run(&xxjl, "summary-report", &[broken], None);
    assert_eq!(r.verdict, Verdict::Review);
    assert!(r.message.contains("PDF 已加密"));

    let mut scanned = doc("总结报告.pdf", "summary-report", 300, &[]);
    scanned.facts.as_mut().unwrap().scanned_pages = vec![2, 3];
    let r = run(&xxjl, "summary-report", &[scanned], None);
    assert_eq!(r.verdict, Verdict::Review, "{}", r.message);
}

#[test]
fn the_largest_document_of_a_role_counts() {
    let qkpy = set("QKPY-2025");
    let files = [
        doc("研究报告-摘要.docx", "research-report", 800, &[]),
        doc("研究报告.docx", "research-report", 10_800, &[]),
    ];
    let r = run(&qkpy, "research-report", &files, None);
    assert_eq!(r.verdict, Verdict::Pass);
    assert_eq!(r.evidence[0].path, "研究报告.docx");
    let files = [doc("研究报告.docx", "research-report", 9_200, &[])];
    let r = run(&qkpy, "research-report", &files, None);
    assert_eq!(r.verdict, Verdict::Fail);
    assert!(r.message.contains("还差 800 字"), "{}", r.message);
}

#[test]
fn recordings_each_at_least_45_minutes() {
    let xxjl = set("XXJL-2025");
    // (durations, verdict, fragment)
    let table: &[(&[f64], Verdict, &str)] = &[
        (&[2700.0, 3100.0], Verdict::Pass, "均不少于 45:00"),
        (
            &[2699.0, 3100.0],
            Verdict::Fail,
            "时长 44:59，不足 45:00（还差 0:01）",
        ),
        (&[2699.6], Verdict::Fail, "44:59"),
        (&[], Verdict::Fail, "未找到主旨报告录像"),
    ];
    for (durations, verdict, fragment) in table {
        let files: Vec<FileRecord> = durations
            .iter()
            .enumerate()
            .map(|(i, d)| video(&format!("录像/主旨报告{i}.mp4"), "keynote-recordings", *d))
            .collect();
        let r = run(&xxjl, "keynote-recordings", &files, None);
        assert_eq!(r.verdict, *verdict, "{durations:?}: {}", r.message);
        assert!(r.message.contains(fragment), "{durations:?}: {}", r.message);
    }
    let mut truncated = record(
        "录像/主旨报告1.mp4",
        Format::Mp4,
        "keynote-recordings",
        None,
    );
    truncated.problems.push(Problem::new(
        "unreadable.truncated",
        "录像文件不完整：缺少 moov",
    ));
    let r = run(&xxjl, "keynote-recordings", &[truncated], None);
    assert_eq!(r.verdict, Verdict::Review);
    assert!(r.message.contains("缺少 moov"));
}

#[test]
fn deck_count() {
    let xxjl = set("XXJL-2025");
    let decks = |n: usize| -> Vec<FileRecord> {
        (0..n)
            .map(|i| {
                record(
                    &format!("主旨报告{i}.pptx"),
                    Format::Pptx,
                    "keynote-decks",
                    Some(Facts::default()),
                )
            })
            .collect()
    };
    let r = run(&xxjl, "keynote-decks", &decks(5), None);
    assert_eq!(r.verdict, Verdict::Pass);
    let r = run(&xxjl, "keynote-decks", &decks(4), None);
    assert_eq!(r.verdict, Verdict::Fail);
    assert!(r.message.contains("还差 1 个"), "{}", r.message);
}

#[test]
fn labels_exact_near_miss_pixels() {
    let xxjl = set("XXJL-2025");
    let exact = (LABEL, LabelMatch::Exact, PartKind::HeadersFooters);
    let near = (LABEL, LabelMatch::NearMiss, PartKind::Body);
    let meta = (LABEL, LabelMatch::Exact, PartKind::Metadata);
    let photo_with = {
        let mut r = doc("照片1.jpg", "onsite-photos", 0, &[meta]);
        r.format = Format::Jpeg;
        r.kind = Format::Jpeg.kind();
        r
    };
    let photo_without = {
        let mut r = doc("照片2.jpg", "onsite-photos", 0, &[]);
        r.format = Format::Jpeg;
        r.kind = Format::Jpeg.kind();
        r
    };
    let good = doc("总结报告.docx", "summary-report", 500, &[exact]);
    let near_miss = doc("建议报告.docx", "proposal-report", 500, &[near]);
    let none = doc("会议通知.docx", "meeting-docs", 500, &[]);
    let audit = doc("财务审计报告.docx", "audit-report", 500, &[]);

    let r = run(
        &xxjl,
        "label",
        &[good.clone(), photo_with.clone(), audit.clone()],
        None,
    );
    assert_eq!(r.verdict, Verdict::Pass, "{}", r.message);
    assert_eq!(r.measured_text, "2/2 个资源有标识");
    assert!(
        r.evidence
            .iter()
            .any(|e| e.detail.contains("metadata only"))
    );

    let r = run(&xxjl, "label", &[good.clone(), photo_without.clone()], None);
    assert_eq!(r.verdict, Verdict::Review, "{}", r.message);
    assert!(r.evidence[0].detail.contains("画面"), "{:?}", r.evidence);

    let r = run(
        &xxjl,
        "label",
        &[good.clone(), near_miss, photo_without],
        None,
    );
    assert_eq!(r.verdict, Verdict::Fail);
    assert!(r.message.contains("建议报告.docx"), "{}", r.message);
    assert!(
        r.message
            .contains("应为“自治区科协2025年度学会重点资助项目”"),
        "{}",
        r.message
    );

    let r = run(&xxjl, "label", &[good, none], None);
    assert_eq!(r.verdict, Verdict::Fail);
    assert!(
        r.message.contains("会议通知.docx：未找到标识"),
        "{}",
        r.message
    );
}

#[test]
fn party_label_is_its_own_requirement() {
    let djqc = set("DJQC-2025");
    let both = doc(
        "总体报告.docx",
        "overall-report",
        500,
        &[
            (LABEL, LabelMatch::Exact, PartKind::Body),
            (PARTY, LabelMatch::Exact, PartKind::HeadersFooters),
        ],
    );
    let first_only = doc(
        "实施方案.docx",
        "implementation-plan",
        500,
        &[(LABEL, LabelMatch::Exact, PartKind::Body)],
    );
    let files = [both, first_only];
    assert_eq!(run(&djqc, "label", &files, None).verdict, Verdict::Pass);
    let r = run(&djqc, "party-label", &files, None);
    assert_eq!(r.verdict, Verdict::Fail);
    assert!(r.message.contains("实施方案.docx"), "{}", r.message);
}

#[test]
fn djqc_figures_read_from_the_report() {
    let djqc = set("DJQC-2025");
    let report = text_doc(
        "总体报告.docx",
        "overall-report",
        "一年来，项目直接联系科技工作者 120 人次，间接联系科技工作者350余人次；党员参与重大活动覆盖率达到１００％，\
         共形成两项党建创新成果，学会党组织标准化建设达标率100%。活动覆盖学会85%的会员单位。",
    );
    // (requirement, verdict, measured)
    let table: &[(&str, Verdict, f64)] = &[
        ("direct-contacts", Verdict::Pass, 120.0),
        ("indirect-contacts", Verdict::Pass, 350.0),
        ("party-member-coverage", Verdict::Pass, 100.0),
        ("innovation-results", Verdict::Pass, 2.0),
        ("standardization-rate", Verdict::Pass, 100.0),
        ("member-coverage", Verdict::Pass, 85.0),
    ];
    for (req, verdict, value) in table {
        let r = run(&djqc, req, std::slice::from_ref(&report), None);
        assert_eq!(r.verdict, *verdict, "{req}: {}", r.message);
        assert_eq!(r.measured, serde_json::json!(value), "{req}");
    }
    let weak = text_doc(
        "总体报告.docx",
        "overall-report",
        "项目直接联系科技工作者40人次。",
    );
    let r = run(&djqc, "direct-contacts", std::slice::from_ref(&weak), None);
    assert_eq!(r.verdict, Verdict::Fail);
    assert!(r.message.contains("40人次"), "{}", r.message);
    let r = run(&djqc, "standardization-rate", &[weak], None);
    assert_eq!(
        r.verdict,
        Verdict::Review,
        "not stated is review, never a silent pass"
    );
}

#[test]
fn typical_case_is_text_or_video() {
    let djqc = set("DJQC-2025");
    let table: &[(usize, f64, Verdict)] = &[
        (2300, 0.0, Verdict::Pass),
        (1500, 200.0, Verdict::Pass),
        (1500, 179.0, Verdict::Fail),
        (1999, 0.0, Verdict::Fail),
    ];
    for (words, seconds, verdict) in table {
        let mut files = vec![doc("典型案例/典型案例.docx", "typical-case", *words, &[])];
        if *seconds > 0.0 {
            files.push(video("典型案例/宣传视频.mp4", "promo-video", *seconds));
        }
        let r = run(&djqc, "typical-case", &files, None);
        assert_eq!(r.verdict, *verdict, "{words} {seconds}: {}", r.message);
    }
}

#[test]
fn news_depends_on_the_level() {
    let xxjl = set("XXJL-2025");
    let site = text_doc(
        "新闻/年会召开.html",
        "news",
        "全疆农业学术年会在乌鲁木齐召开。来源：新疆维吾尔自治区科学技术协会（自治区科协官网）",
    );
    let paper = text_doc(
        "新闻/报道.html",
        "news",
        "本报讯 全国学术年会在乌鲁木齐召开，来源：新疆日报，记者某某",
    );
    assert_eq!(
        run(&xxjl, "news", std::slice::from_ref(&site), Some("regional")).verdict,
        Verdict::Pass
    );
    assert_eq!(
        run(
            &xxjl,
            "news",
            std::slice::from_ref(&paper),
            Some("regional")
        )
        .verdict,
        Verdict::Fail
    );
    assert_eq!(
        run(
            &xxjl,
            "news",
            std::slice::from_ref(&paper),
            Some("national")
        )
        .verdict,
        Verdict::Pass
    );
    let r = run(&xxjl, "news", &[site], None);
    assert_eq!(r.verdict, Verdict::Review);
    assert!(r.message.contains("--level"), "{}", r.message);
}

#[test]
fn expert_list_counts_titled_people() {
    let xxjl = set("XXJL-2025");
    let list = text_doc(
        "专家名单.docx",
        "expert-list",
        "姓名 单位 职称\n张三 中国工程院 院士\n李四 中国科学院 院士\n王五 新疆大学 教授\n赵六 某公司 工程师\n",
    );
    let r = run(&xxjl, "expert-list", &[list], None);
    assert_eq!(r.verdict, Verdict::Pass, "{}", r.message);
    assert_eq!(r.measured, serde_json::json!(3));
    let short = text_doc("专家名单.docx", "expert-list", "张三 工程师\n李四 教授\n");
    let r = run(&xxjl, "expert-list", &[short], None);
    assert_eq!(
        r.verdict,
        Verdict::Review,
        "too few titled names is for a person to judge"
    );
}

/// An expert list delivered as a table (spreadsheet or DOCX table), read by column.
fn table_doc(path: &str, format: Format, rows: &[&[&str]]) -> FileRecord {
    let sheet = Sheet {
        name: "专家".into(),
        rows: rows
            .iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect(),
    };
    let mut facts = Facts::default();
    facts.push_text(
        PartKind::Tables,
        &sheets_to_text(std::slice::from_ref(&sheet)),
    );
    facts.tables = vec![sheet];
    facts.finish_counts();
    record(path, format, "expert-list", Some(facts))
}

#[test]
fn expert_list_reads_tables_by_column() {
    let xxjl = set("XXJL-2025");
    let header: &[&str] = &["序号", "姓名", "工作单位", "职称"];
    // (case, rows, verdict, measured, words the message must contain)
    type Rows<'a> = Vec<&'a [&'a str]>;
    let cases: Vec<(&str, Rows, Verdict, u64, &[&str])> = vec![
        (
            "7 experts, 3 academicians, 2 professors",
            vec![
                &["2025年学术年会专家名单"],
                header,
                &["1", "张建华", "中国农业大学", "中国工程院院士"],
                &["2", "李明远", "中国农业科学院", "中国科学院院士"],
                &["3", "王立新", "西北农林科技大学", "中国工程院院士"],
                &["4", "赵文静", "新疆农业大学", "教授"],
                &["5", "陈国栋", "新疆农业科学院", "研究员"],
                &["6", "刘海燕", "石河子大学", "副教授"],
                &["7", "马建军", "某公司", "工程师"],
            ],
            Verdict::Pass,
            5,
            &["7 位专家，其中院士 3 位", "张建华、李明远、王立新"],
        ),
        (
            // The line count would find 3 lines with 教授; the table says only one is 正高级.
            "junior titles do not count",
            vec![
                header,
                &["1", "甲", "新疆大学", "教授"],
                &["2", "乙", "新疆大学", "副教授"],
                &["3", "丙", "新疆大学", "副教授"],
            ],
            Verdict::Review,
            1,
            &["3 位专家，其中院士 0 位", "共 1 位"],
        ),
    ];
    for (name, rows, verdict, measured, words) in cases {
        let list = table_doc("专家名单.xlsx", Format::Xlsx, &rows);
        let r = run(&xxjl, "expert-list", &[list], None);
        assert_eq!(r.verdict, verdict, "{name}: {}", r.message);
        assert_eq!(r.measured, serde_json::json!(measured), "{name}");
        let said = format!("{} | {} | {:?}", r.measured_text, r.message, r.evidence);
        for w in words {
            assert!(said.contains(w), "{name}: {w} not in {said}");
        }
    }
    // A table without a name column is no list: the lines of text are counted instead.
    let other = table_doc(
        "专家名单.docx",
        Format::Docx,
        &[&["张三 中国工程院院士"], &["李四 教授"], &["王五 研究员"]],
    );
    let r = run(&xxjl, "expert-list", &[other], None);
    assert_eq!(r.verdict, Verdict::Pass, "{}", r.message);
    assert!(r.measured_text.contains("带职称"), "{}", r.measured_text);
}

#[test]
fn presence() {
    let xxjl = set("XXJL-2025");
    let r = run(&xxjl, "proceedings-or-transfer-list", &[], None);
    assert_eq!(r.verdict, Verdict::Fail);
    assert!(r.message.contains("学术论文集"), "{}", r.message);
    let files = [doc(
        "学术论文集.pdf",
        "proceedings-or-transfer-list",
        100,
        &[],
    )];
    assert_eq!(
        run(&xxjl, "proceedings-or-transfer-list", &files, None).verdict,
        Verdict::Pass
    );
    // The count helper is shared: make sure counting is what the tests think it is.
    assert_eq!(count(&"字".repeat(3412)).words, 3412);
}

fn video_with(
    path: &str,
    seconds: f64,
    method: DurationMethod,
    confidence: yanshou::facts::Confidence,
) -> FileRecord {
    let mut f = Facts {
        duration: Some(Duration {
            seconds,
            method,
            confidence,
            detail: "test".into(),
        }),
        ..Facts::default()
    };
    f.finish_counts();
    record(path, Format::Mp4, "keynote-recordings", Some(f))
}

fn deck(path: &str) -> FileRecord {
    let mut facts = Facts {
        slides: Some(20),
        ..Facts::default()
    };
    facts.finish_counts();
    record(path, Format::Pptx, "keynote-decks", Some(facts))
}

#[test]
fn keynote_recordings_are_paired_with_decks() {
    use yanshou::facts::Confidence;
    let xxjl = set("XXJL-2025");
    let h = |p: &str, s: f64| video_with(p, s, DurationMethod::Header, Confidence::High);
    // (decks, recordings, verdict, message fragment, evidence fragments)
    type Case = (
        Vec<FileRecord>,
        Vec<FileRecord>,
        Verdict,
        &'static str,
        &'static [&'static str],
    );
    let table: Vec<Case> = vec![
        (
            vec![
                deck("幻灯片/主旨报告1-张三-人工智能与医疗.pptx"),
                deck("幻灯片/主旨报告2-李四-碳中和.pptx"),
            ],
            vec![
                h("录像/李四 碳中和.mp4", 2820.0),
                h("录像/张三 人工智能与医疗.mp4", 3000.0),
            ],
            Verdict::Pass,
            "均不少于 45:00",
            &[
                "配对幻灯片：幻灯片/主旨报告1-张三-人工智能与医疗.pptx；时长 50:00 ≥ 45:00",
                "配对幻灯片：幻灯片/主旨报告2-李四-碳中和.pptx；时长 47:00 ≥ 45:00",
            ],
        ),
        // A deck without a recording: review, naming the deck.
        (
            vec![
                deck("幻灯片/主旨报告1-张三.pptx"),
                deck("幻灯片/主旨报告2-李四.pptx"),
            ],
            vec![h("录像/张三.mp4", 2800.0)],
            Verdict::Review,
            "以下幻灯片未找到对应录像",
            &["主旨报告幻灯片未找到对应录像"],
        ),
        // Short recording: fail, and the unpaired deck is still named.
        (
            vec![
                deck("幻灯片/主旨报告1-张三.pptx"),
                deck("幻灯片/主旨报告2-李四.pptx"),
            ],
            vec![h("录像/张三.mp4", 2699.0)],
            Verdict::Fail,
            "幻灯片/主旨报告2-李四.pptx",
            &["配对幻灯片：幻灯片/主旨报告1-张三.pptx；时长 44:59 < 45:00（不足）"],
        ),
        // No decks at all: recordings are judged alone, marked unpaired.
        (
            vec![],
            vec![h("录像/全程.mp4", 2700.0)],
            Verdict::Pass,
            "均不少于",
            &["未配对幻灯片；时长 45:00 ≥ 45:00"],
        ),
        // An estimate that would pass is review, never a pass.
        (
            vec![deck("张三.pptx")],
            vec![video_with(
                "张三.mpg",
                2900.0,
                DurationMethod::Estimated,
                Confidence::Low,
            )],
            Verdict::Review,
            "估算",
            &["时长 48:20（估算，可信度低） ≥ 45:00"],
        ),
        // A low-confidence timestamp reading likewise.
        (
            vec![deck("张三.pptx")],
            vec![video_with(
                "张三.ts",
                2900.0,
                DurationMethod::Timestamps,
                Confidence::Low,
            )],
            Verdict::Review,
            "可信度低",
            &[],
        ),
        // Medium confidence (one source) is enough.
        (
            vec![deck("张三.pptx")],
            vec![video_with(
                "张三.ts",
                2900.0,
                DurationMethod::Timestamps,
                Confidence::Medium,
            )],
            Verdict::Pass,
            "均不少于",
            &[],
        ),
        // An estimate that is short is still a fail.
        (
            vec![],
            vec![video_with(
                "a.mpg",
                600.0,
                DurationMethod::Estimated,
                Confidence::Low,
            )],
            Verdict::Fail,
            "不足 45:00",
            &[],
        ),
    ];
    for (i, (decks, recs, verdict, fragment, evidence)) in table.into_iter().enumerate() {
        let files: Vec<FileRecord> = decks.into_iter().chain(recs).collect();
        let r = run(&xxjl, "keynote-recordings", &files, None);
        assert_eq!(r.verdict, verdict, "case {i}: {}", r.message);
        assert!(r.message.contains(fragment), "case {i}: {}", r.message);
        for e in evidence {
            assert!(
                r.evidence.iter().any(|x| x.detail.contains(e)),
                "case {i}: {e} not in {:?}",
                r.evidence
            );
        }
    }
}
