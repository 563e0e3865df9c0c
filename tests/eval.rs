//! The evaluator, table-driven over hand-made file records (no extractor involved).
//!
//! `every_row_of_every_requirement` holds one case per row of the decision table of every
//! requirement of the three built-in rule files (alternatives of an "或" included): pass, fail,
//! review, nothing submitted and only-unreadable. The rows a case must cover come from the
//! measure's own table (the same rows `yanshou rules ID REQ` prints), so a new row without a
//! case fails here. Each case asserts the verdict, the deciding row and what the Chinese
//! message says, then runs again in English (same verdict and row, no placeholder left).
//! The tests after it pin boundaries and the cases a table cannot show in one line.

use std::collections::BTreeSet;

use yanshou::eval::{Context, Explain, Measure, evaluate_one};
use yanshou::extract::table::{Sheet, sheets_to_text};
use yanshou::facts::{
    Confidence, Duration, DurationMethod, Facts, Format, LabelHit, LabelMatch, OcrInfo, PartKind,
    Problem,
};
use yanshou::report::Lang;
use yanshou::report::model::{FileRecord, FileStatus, RequirementResult, Verdict};
use yanshou::rules::builtin::load_builtin;
use yanshou::rules::{Requirement, RuleSet};

const LABEL: &str = "自治区科协2025年度学会重点资助项目";
const PARTY: &str = "自治区科技社团党委党建强会";
const LINK: &str = "录像较大，以网盘提交。链接：https://pan.baidu.com/s/1AbCdEf 提取码：x7k2";

fn sets() -> Vec<RuleSet> {
    load_builtin().expect("built-in rule files load")
}

fn set(id: &str) -> RuleSet {
    sets().into_iter().find(|s| s.id == id).expect("rule set")
}

// ---------------------------------------------------------------------------------------------
// Builders

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

fn hits(labels: &[&str], location: PartKind) -> Vec<LabelHit> {
    labels
        .iter()
        .map(|t| LabelHit {
            text: t.to_string(),
            location,
            matched: LabelMatch::Exact,
            found: t.to_string(),
            distance: 0,
        })
        .collect()
}

fn text_facts(text: &str) -> Facts {
    let mut facts = Facts::default();
    facts.push_text(PartKind::Body, text);
    facts.finish_counts();
    facts
}

/// A read document of `words` CJK characters.
fn doc(path: &str, role: &str, words: usize) -> FileRecord {
    record(
        path,
        Format::Docx,
        role,
        Some(text_facts(&"字".repeat(words))),
    )
}

fn text_doc(path: &str, role: &str, text: &str) -> FileRecord {
    record(path, Format::Docx, role, Some(text_facts(text)))
}

/// A document with `labels` in its body.
fn labelled(path: &str, role: &str, labels: &[&str]) -> FileRecord {
    let mut f = doc(path, role, 500);
    if let Some(x) = f.facts.as_mut() {
        x.labels = hits(labels, PartKind::Body);
    }
    f
}

/// A read document with scanned pages (and an OCR estimate when `ocr` is given).
fn scanned(path: &str, role: &str, words: usize, ocr: Option<u64>) -> FileRecord {
    let mut f = doc(path, role, words);
    if let Some(x) = f.facts.as_mut() {
        x.scanned_pages = vec![2, 3];
        x.ocr = ocr.map(|n| OcrInfo {
            basis: "ocr".into(),
            engine: "tesseract 5.3.0 chi_sim".into(),
            pages: vec![2, 3],
            images: 2,
            counts: yanshou::count::count(&"字".repeat(n as usize)),
            ..OcrInfo::default()
        });
    }
    f.format = Format::Pdf;
    f
}

fn unreadable(path: &str, role: &str) -> FileRecord {
    let mut f = record(path, Format::Pdf, role, None);
    f.problems.push(Problem::new(
        yanshou::codes::UNREADABLE_ENCRYPTED,
        "PDF 已加密（需要打开密码），请提供未加密版本",
    ));
    f
}

fn unsupported(path: &str, role: &str, format: Format) -> FileRecord {
    let mut f = record(path, format, role, None);
    f.status = FileStatus::Unsupported;
    f.problems.push(Problem::new(
        yanshou::codes::UNSUPPORTED_FORMAT,
        "暂不支持读取该格式，文件已列出但未检查内容",
    ));
    f
}

fn link(path: &str, role: &str) -> FileRecord {
    let mut f = text_doc(path, role, LINK);
    f.format = Format::Txt;
    f
}

fn video_how(
    path: &str,
    role: &str,
    seconds: f64,
    method: DurationMethod,
    c: Confidence,
) -> FileRecord {
    let mut facts = Facts {
        duration: Some(Duration {
            seconds,
            method,
            confidence: c,
            detail: "test".into(),
        }),
        ..Facts::default()
    };
    facts.finish_counts();
    record(path, Format::Mp4, role, Some(facts))
}

fn video(path: &str, role: &str, seconds: f64) -> FileRecord {
    video_how(
        path,
        role,
        seconds,
        DurationMethod::Header,
        Confidence::High,
    )
}

fn deck(path: &str, role: &str) -> FileRecord {
    let mut facts = Facts {
        slides: Some(20),
        ..Facts::default()
    };
    facts.finish_counts();
    record(path, Format::Pptx, role, Some(facts))
}

fn photo(path: &str, role: &str) -> FileRecord {
    let mut facts = Facts {
        width: Some(640),
        height: Some(480),
        ..Facts::default()
    };
    facts.finish_counts();
    record(path, Format::Jpeg, role, Some(facts))
}

/// An expert list as a table: header, then (name, title) rows.
fn list(path: &str, role: &str, people: &[(&str, &str)]) -> FileRecord {
    let mut rows = vec![vec![
        "序号".into(),
        "姓名".into(),
        "单位".into(),
        "职称".into(),
    ]];
    for (i, (name, title)) in people.iter().enumerate() {
        rows.push(vec![
            (i + 1).to_string(),
            name.to_string(),
            "新疆大学".into(),
            title.to_string(),
        ]);
    }
    let sheet = Sheet {
        name: "专家".into(),
        rows,
    };
    let mut facts = Facts::default();
    facts.push_text(
        PartKind::Tables,
        &sheets_to_text(std::slice::from_ref(&sheet)),
    );
    facts.tables = vec![sheet];
    facts.finish_counts();
    record(path, Format::Xlsx, role, Some(facts))
}

fn run(
    set: &RuleSet,
    req: &Requirement,
    files: &[FileRecord],
    level: Option<&str>,
    lang: Lang,
) -> RequirementResult {
    evaluate_one(&Context::new(set, files, level, lang), req)
}

fn has_han(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// A message with the data taken out (file paths, quoted words, the quoted link): what is left
/// is the evaluator's own wording.
fn own_words(text: &str, files: &[FileRecord]) -> String {
    let mut t = text.replace(LINK, "");
    let mut paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    paths.sort_by_key(|p| std::cmp::Reverse(p.len()));
    for p in paths {
        t = t.replace(p, "");
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

// ---------------------------------------------------------------------------------------------
// One case per decision row

/// One case: the row it must hit, the files, the level, and what the Chinese message says.
struct Case {
    row: &'static str,
    files: Vec<FileRecord>,
    level: Option<&'static str>,
    says: Vec<String>,
}

fn case(row: &'static str, files: Vec<FileRecord>, says: &[&str]) -> Case {
    Case {
        row,
        files,
        level: None,
        says: says.iter().map(|s| s.to_string()).collect(),
    }
}

fn thousands(n: u64) -> String {
    yanshou::count::thousands(n)
}

/// The figure statements (meeting the threshold, falling short) for each figure requirement.
fn figure_texts(id: &str) -> (&'static str, &'static str, &'static str) {
    // (a statement that passes, one that fails, the measured text of the failing one)
    match id {
        "direct-contacts" => (
            "项目直接联系科技工作者120人次。",
            "项目直接联系科技工作者40人次。",
            "40人次",
        ),
        "indirect-contacts" => (
            "间接联系科技工作者350余人次。",
            "间接联系科技工作者80人次。",
            "80人次",
        ),
        "party-member-coverage" => (
            "党员参与重大活动覆盖率达到１００％。",
            "党员参与重大活动覆盖率90%。",
            "90%",
        ),
        "innovation-results" => ("共形成两项党建创新成果。", "形成1项党建创新成果。", "1项"),
        "standardization-rate" => (
            "学会党组织标准化建设达标率100%。",
            "学会党组织标准化建设达标率95%。",
            "95%",
        ),
        "member-coverage" => (
            "活动覆盖会员单位86家，占全部94家会员单位的91.5%。",
            "各项活动覆盖学会75%的会员单位。",
            "75%",
        ),
        other => panic!("no figure texts for {other}"),
    }
}

fn cases(s: &RuleSet, req: &Requirement) -> Vec<Case> {
    let name = |role: &str| s.role_name(role).to_string();
    match &req.measure {
        Measure::Present(p) => {
            let role = p.role.as_str();
            let n = name(role);
            let path = format!("{n}/{n}.docx");
            vec![
                case(
                    "present.pass",
                    vec![doc(&path, role, 300)],
                    &[&format!("已提交{n}：{path}")],
                ),
                case(
                    "present.missing",
                    vec![],
                    &[&format!("未找到{n}：请提交{n}")],
                ),
                case(
                    "present.unreadable",
                    vec![unreadable(&format!("{n}/{n}.pdf"), role)],
                    &[&format!("{n}/{n}.pdf（PDF 已加密"), "请重新导出完整的文件"],
                ),
                case(
                    "present.unsupported",
                    vec![unsupported(&format!("{n}/{n}.wps"), role, Format::Unknown)],
                    &["格式暂不支持读取", &format!("{n}/{n}.wps")],
                ),
                case(
                    "present.link",
                    vec![link(&format!("{n}/{n}链接.txt"), role)],
                    &["以链接提交", "https://pan.baidu.com/s/1AbCdEf 提取码：x7k2"],
                ),
            ]
        }
        Measure::Count(c) => {
            let role = c.role.as_str();
            let n = name(role);
            let k = c.at_least as usize;
            let decks = |m: usize| -> Vec<FileRecord> {
                (0..m)
                    .map(|i| deck(&format!("{n}/报告{i}.pptx"), role))
                    .collect()
            };
            let with = |mut v: Vec<FileRecord>, f: FileRecord| {
                v.push(f);
                v
            };
            vec![
                case("count.pass", decks(k), &[&format!("{n} {k} 个，达到要求")]),
                case("count.short", decks(k - 1), &["还差 1 个"]),
                case(
                    "count.short_unreadable",
                    with(decks(k - 2), unreadable(&format!("{n}/坏.pdf"), role)),
                    &[
                        "还差 2 个",
                        "无法读取：",
                        &format!("{n}/坏.pdf（PDF 已加密"),
                    ],
                ),
                case(
                    "count.unsupported",
                    with(
                        decks(k - 1),
                        unsupported(&format!("{n}/报告.key"), role, Format::Unknown),
                    ),
                    &["格式暂不支持读取", &format!("{n}/报告.key")],
                ),
                case(
                    "count.link",
                    with(decks(k - 1), link(&format!("{n}/其余链接.txt"), role)),
                    &["以链接提交", "提取码：x7k2"],
                ),
                case("count.missing", vec![], &[&format!("未找到{n}")]),
            ]
        }
        Measure::Words(w) => {
            let role = w.role.as_str();
            let n = name(role);
            let eff = yanshou::eval::words::effective_threshold(w.at_least, w.tolerance);
            let path = format!("{n}/{n}.docx");
            let mut v = vec![
                case(
                    "words.pass",
                    vec![doc(&path, role, w.at_least as usize)],
                    &[&format!("{n} {} 字，达到要求", thousands(w.at_least))],
                ),
                case(
                    "words.short",
                    vec![doc(&path, role, eff as usize - 1)],
                    &[&format!("{n} {} 字", thousands(eff - 1)), "还差 1 字"],
                ),
                case(
                    "words.ocr",
                    vec![scanned(
                        &format!("{n}/{n}.pdf"),
                        role,
                        eff as usize - 500,
                        Some(800),
                    )],
                    &["含扫描页，OCR 估计约", "可能达到要求", "请人工核对"],
                ),
                case(
                    "words.scanned",
                    vec![scanned(
                        &format!("{n}/{n}.pdf"),
                        role,
                        eff as usize - 500,
                        None,
                    )],
                    &["含扫描页或无法解码的文字", "需人工核对字数"],
                ),
                case(
                    "words.unsupported",
                    vec![unsupported(&format!("{n}/{n}.wps"), role, Format::Unknown)],
                    &["格式暂不支持读取", &format!("{n}/{n}.wps")],
                ),
                case(
                    "words.link",
                    vec![link(&format!("{n}/{n}链接.txt"), role)],
                    &["以链接提交", "提取码：x7k2"],
                ),
                case(
                    "words.unreadable",
                    vec![unreadable(&format!("{n}/{n}.pdf"), role)],
                    &[
                        "均无法读取，无法核对字数",
                        &format!("{n}/{n}.pdf（PDF 已加密"),
                        "请重新导出",
                    ],
                ),
                case("words.missing", vec![], &[&format!("未找到{n}")]),
            ];
            if w.tolerance.is_some() {
                v.push(case(
                    "words.pass_tolerance",
                    vec![doc(&path, role, eff as usize)],
                    &["容差范围内", &format!("不足 {}", thousands(w.at_least))],
                ));
            }
            v
        }
        Measure::Duration(d) => {
            let role = d.role.as_str();
            let n = name(role);
            let t = d.at_least;
            if d.each {
                let partner = d.pair_with.as_deref().expect("keynotes pair with decks");
                let pn = name(partner);
                let decks = || {
                    vec![
                        deck("幻灯片/主旨报告1-张三-人工智能.pptx", partner),
                        deck("幻灯片/主旨报告2-李四-碳中和.pptx", partner),
                    ]
                };
                let plus = |extra: Vec<FileRecord>| {
                    let mut v = decks();
                    v.extend(extra);
                    v
                };
                vec![
                    case(
                        "duration.pass",
                        plus(vec![
                            video("录像/00012.MTS", role, t + 100.0),
                            video("录像/00013.MTS", role, t),
                        ]),
                        &[&format!("{n} 2 个，均不少于 45:00"), "（仅供核对）"],
                    ),
                    case(
                        "duration.short",
                        plus(vec![
                            video("录像/张三.mp4", role, t - 1.0),
                            video("录像/李四.mp4", role, t),
                        ]),
                        &["录像/张三.mp4 时长 44:59，不足 45:00（还差 00:01）"],
                    ),
                    case(
                        "duration.fewer",
                        plus(vec![video("录像/张三 人工智能.mp4", role, t + 60.0)]),
                        &[
                            &format!("{n} 1 个，少于{pn} 2 个"),
                            &format!("以下{pn}没有对应的{n}：幻灯片/主旨报告2-李四-碳中和.pptx"),
                        ],
                    ),
                    case(
                        "duration.unreadable",
                        plus(vec![
                            video("录像/张三.mp4", role, t),
                            unreadable("录像/李四.mp4", role),
                        ]),
                        &["录像/李四.mp4（", "请重新导出"],
                    ),
                    case(
                        "duration.link",
                        plus(vec![link("录像/录像网盘链接.txt", role)]),
                        &[
                            "以链接提交",
                            "https://pan.baidu.com/s/1AbCdEf 提取码：x7k2",
                            "时长需人工",
                        ],
                    ),
                    case(
                        "duration.unknown",
                        plus(vec![
                            video("录像/张三.mp4", role, t),
                            unsupported("录像/李四.rmvb", role, Format::Rmvb),
                        ]),
                        &["无法读取时长", "录像/李四.rmvb"],
                    ),
                    case(
                        "duration.estimate",
                        plus(vec![
                            video("录像/张三.mp4", role, t),
                            video_how(
                                "录像/李四.mpg",
                                role,
                                t + 200.0,
                                DurationMethod::Estimated,
                                Confidence::Low,
                            ),
                        ]),
                        &["估算", "录像/李四.mpg"],
                    ),
                    case("duration.missing", decks(), &[&format!("未找到{n}")]),
                ]
            } else {
                vec![
                    case(
                        "duration.pass_any",
                        vec![
                            video("案例/宣传视频.mp4", role, t - 1.0),
                            video("案例/宣传视频.mov", role, t),
                        ],
                        &["案例/宣传视频.mov 时长 03:00，不少于 03:00"],
                    ),
                    case(
                        "duration.short_all",
                        vec![
                            video("案例/宣传视频.mp4", role, t - 1.0),
                            video("案例/宣传视频.mov", role, t - 5.0),
                        ],
                        &["均不足 03:00（最长 02:59）", "案例/宣传视频.mp4 时长 02:59"],
                    ),
                    case(
                        "duration.unreadable",
                        vec![unreadable("案例/宣传视频.mp4", role)],
                        &["案例/宣传视频.mp4（", "请重新导出"],
                    ),
                    case(
                        "duration.link",
                        vec![link("案例/宣传视频链接.txt", role)],
                        &["以链接提交"],
                    ),
                    case(
                        "duration.unknown",
                        vec![unsupported("案例/宣传视频.rmvb", role, Format::Rmvb)],
                        &["无法读取时长"],
                    ),
                    case(
                        "duration.estimate",
                        vec![video_how(
                            "案例/宣传视频.mpg",
                            role,
                            t + 20.0,
                            DurationMethod::Estimated,
                            Confidence::Low,
                        )],
                        &["估算"],
                    ),
                    case("duration.missing", vec![], &[&format!("未找到{n}")]),
                ]
            }
        }
        Measure::Label(l) => {
            let labels: Vec<&str> = l.labels.iter().map(String::as_str).collect();
            let quoted: String = labels.iter().map(|x| format!("“{x}”")).collect();
            vec![
                case(
                    "label.pass",
                    vec![
                        labelled("报告.docx", "", &labels),
                        // The auditor's report is exempt.
                        doc("财务审计报告.docx", "audit-report", 500),
                    ],
                    &[&format!("1 个资源均标注{quoted}")],
                ),
                case(
                    "label.fail",
                    vec![
                        labelled("报告.docx", "", &labels),
                        doc("通知.docx", "", 500),
                    ],
                    &[&format!(
                        "1 个资源缺少或写错标识{quoted}：通知.docx：未找到标识"
                    )],
                ),
                // An unreadable text resource does not carry the label.
                case(
                    "label.fail",
                    vec![
                        labelled("报告.docx", "", &labels),
                        unreadable("方案.pdf", ""),
                    ],
                    &["方案.pdf：无法读取，不能确认带有标识", "请重新导出"],
                ),
                case(
                    "label.review",
                    vec![labelled("报告.docx", "", &labels), photo("现场.jpg", "")],
                    &[
                        "1 个资源无法由机器确认标识，需人工查看：现场.jpg：元数据中无标识；标识可能在画面中",
                    ],
                ),
                case(
                    "label.none",
                    vec![],
                    &["没有任何需要标注的文字、视频、图片资源"],
                ),
            ]
        }
        Measure::Figure(f) => {
            let role = f.roles[0].as_str();
            let n = name(role);
            let (good, bad, measured) = figure_texts(&req.id);
            vec![
                case(
                    "figure.pass",
                    vec![text_doc(&format!("{n}.docx"), role, good)],
                    &["报告写明“", "达到要求"],
                ),
                case(
                    "figure.low",
                    vec![text_doc(&format!("{n}.docx"), role, bad)],
                    &[&format!("{n}.docx 写明“"), &format!("（{measured}），要求")],
                ),
                case(
                    "figure.not_stated",
                    vec![text_doc(
                        &format!("{n}.docx"),
                        role,
                        "项目按计划完成了各项任务。",
                    )],
                    &["中未找到该指标的表述", &format!("请查看 {n}.docx 是否写明")],
                ),
                case(
                    "figure.no_reports",
                    vec![],
                    &["无法核对该指标", "请提交写明该指标的"],
                ),
                case(
                    "figure.unreadable",
                    vec![unreadable(&format!("{n}.pdf"), role)],
                    &["均无法读取", &format!("{n}.pdf（PDF 已加密")],
                ),
                case(
                    "figure.unsupported",
                    vec![unsupported(&format!("{n}.wps"), role, Format::Unknown)],
                    &["无法由本工具读取", &format!("{n}.wps")],
                ),
            ]
        }
        Measure::TitledPeople(p) => {
            let role = p.role.as_str();
            let n = name(role);
            let path = format!("{n}.xlsx");
            vec![
                case(
                    "people.pass",
                    vec![list(
                        &path,
                        role,
                        &[
                            ("张三", "中国工程院院士"),
                            ("李四", "中国科学院院士"),
                            ("王五", "教授"),
                            ("赵六", "工程师"),
                        ],
                    )],
                    &[&format!("{n}列出 4 人，其中院士 2 位，院士及"), "共 3 位"],
                ),
                case(
                    "people.too_few_listed",
                    vec![list(
                        &path,
                        role,
                        &[("张三", "中国工程院院士"), ("李四", "教授")],
                    )],
                    &[&format!("{n}只列出 2 人（其中院士 1 位）"), "人数不足"],
                ),
                case(
                    "people.titles",
                    vec![list(
                        &path,
                        role,
                        &[
                            ("张三", "中国工程院院士"),
                            ("李四", "副教授"),
                            ("王五", "工程师"),
                            ("赵六", "高级工程师"),
                        ],
                    )],
                    &[&format!("{n}列出 4 人"), "1 位", "需人工判断"],
                ),
                case(
                    "people.no_text",
                    vec![photo(&format!("{n}.jpg"), role)],
                    &["是图片或扫描件", &format!("{n}.jpg")],
                ),
                case(
                    "people.unsupported",
                    vec![unsupported(&format!("{n}.et"), role, Format::Unknown)],
                    &["无法由本工具读取", &format!("{n}.et")],
                ),
                case(
                    "people.unreadable",
                    vec![unreadable(&format!("{n}.pdf"), role)],
                    &["无法核对专家人数", &format!("{n}.pdf（PDF 已加密")],
                ),
                case("people.missing", vec![], &[&format!("未找到{n}")]),
            ]
        }
        Measure::News(nw) => {
            let role = nw.role.as_str();
            let n = name(role);
            let by_level = !nw.outlets.is_empty() && !nw.outlets.contains_key("any");
            let level = by_level.then_some("regional");
            let at = |mut c: Case| {
                c.level = level;
                c
            };
            let site = "学会召开年会，与会专家深入交流。来源：新疆维吾尔自治区科学技术协会（自治区科协官网）";
            let none =
                "学会召开年会，与会专家围绕主题深入交流，会议取得圆满成功。来源：新疆计算机学会";
            let own = "学会召开年会，与会专家围绕主题深入交流，会议取得圆满成功。来源：新疆计算机学会官网";
            let mut v = vec![
                at(case(
                    "news.pass",
                    vec![text_doc("新闻/年会.html", role, site)],
                    &[&format!("{n} 1 篇，达到要求")],
                )),
                at(case(
                    "news.unreadable",
                    vec![unreadable("新闻/年会.pdf", role)],
                    &["新闻/年会.pdf（PDF 已加密"],
                )),
                at(case("news.missing", vec![], &[&format!("未找到{n}")])),
            ];
            if nw.outlets.is_empty() {
                // Any news item counts; a screenshot needs a look.
                v.push(case(
                    "news.review",
                    vec![photo("新闻/截图.png", role)],
                    &["截图或扫描件", "新闻/截图.png"],
                ));
            } else {
                v.push(at(case(
                    "news.review",
                    vec![text_doc("新闻/年会.docx", role, none)],
                    &["发布渠道无法由机器确认", "新闻/年会.docx（未写明发布渠道"],
                )));
                v.push(at(case(
                    "news.wrong",
                    vec![text_doc("新闻/年会.docx", role, own)],
                    &[
                        "不是所要求的“自治区科协官网”",
                        "写明发布于“新疆计算机学会官网”",
                    ],
                )));
            }
            if by_level {
                v.push(case(
                    "news.level",
                    vec![text_doc("新闻/年会.html", role, site)],
                    &["无法确定会议级别（国际性/全国性/全疆性）", "--level"],
                ));
            }
            v
        }
        Measure::AnyOf(_) => vec![
            case(
                "any_of.pass",
                vec![
                    doc("典型案例/典型案例.docx", "typical-case", 1500),
                    video("典型案例/宣传视频.mp4", "promo-video", 200.0),
                ],
                &["满足其一：典型案例/宣传视频.mp4 时长 03:20，不少于 03:00（通过）"],
            ),
            case(
                "any_of.review",
                vec![
                    scanned("典型案例/典型案例.pdf", "typical-case", 100, None),
                    video("典型案例/宣传视频.mp4", "promo-video", 179.0),
                ],
                &["均未满足，其中有需人工复核的", "需人工核对字数"],
            ),
            case(
                "any_of.fail",
                vec![
                    doc("典型案例/典型案例.docx", "typical-case", 1999),
                    video("典型案例/宣传视频.mp4", "promo-video", 179.0),
                ],
                &["均未满足：", "还差 1 字", "时长 02:59"],
            ),
        ],
    }
}

/// Every requirement of a rule set, the alternatives of an "或" included.
fn all_requirements(s: &RuleSet) -> Vec<&Requirement> {
    let mut out = Vec::new();
    for r in &s.requirements {
        out.push(r);
        if let Measure::AnyOf(a) = &r.measure {
            out.extend(a.alternatives.iter());
        }
    }
    out
}

#[test]
fn every_row_of_every_requirement() {
    let mut checked = 0;
    for s in sets() {
        for req in all_requirements(&s) {
            let ex = Explain {
                rules: &s,
                req,
                lang: Lang::Zh,
            };
            let rows: BTreeSet<&str> = req
                .measure
                .kind()
                .explain(&ex)
                .iter()
                .map(|l| l.id)
                .collect();
            let cases = cases(&s, req);
            let covered: BTreeSet<&str> = cases.iter().map(|c| c.row).collect();
            assert_eq!(
                covered, rows,
                "{} {}: rows without a case, or cases of no row",
                s.id, req.id
            );
            let verdict_of = |id: &str| {
                req.measure
                    .kind()
                    .explain(&ex)
                    .into_iter()
                    .find(|l| l.id == id)
                    .map(|l| l.verdict)
            };
            for c in &cases {
                let zh = run(&s, req, &c.files, c.level, Lang::Zh);
                let at = format!("{} {} [{}]", s.id, req.id, c.row);
                assert_eq!(zh.decision, c.row, "{at}: {}", zh.message);
                assert_eq!(Some(zh.verdict), verdict_of(c.row), "{at}: {}", zh.message);
                for w in &c.says {
                    assert!(
                        zh.message.contains(w.as_str()),
                        "{at}: {w:?} not in {}",
                        zh.message
                    );
                }
                let en = run(&s, req, &c.files, c.level, Lang::En);
                assert_eq!(
                    (en.verdict, en.decision.as_str()),
                    (zh.verdict, c.row),
                    "{at} in English"
                );
                for text in [&zh.message, &en.message] {
                    assert!(!text.is_empty() && !text.contains('{'), "{at}: {text:?}");
                }
                for text in [&zh.measured_text, &en.measured_text] {
                    assert!(!text.contains('{'), "{at}: {text:?}");
                }
                assert!(
                    !has_han(&own_words(&en.message, &c.files)),
                    "{at}: Chinese in the English message: {}",
                    en.message
                );
                assert!(
                    en.message.chars().next().is_some_and(|c| !c.is_lowercase()),
                    "{at}: English message starts in lower case: {}",
                    en.message
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 200, "{checked} cases");
}

// ---------------------------------------------------------------------------------------------
// Boundaries and the cases a row cannot show

fn req<'a>(s: &'a RuleSet, id: &str) -> &'a Requirement {
    s.requirement(id)
        .unwrap_or_else(|| panic!("{} has no {id}", s.id))
}

#[test]
fn words_thresholds_and_messages() {
    let xxjl = set("XXJL-2025");
    let r = req(&xxjl, "summary-report");
    // (words in the 总结报告, verdict, exact message)
    let table: &[(usize, Verdict, &str)] = &[
        (
            3412,
            Verdict::Fail,
            "总结报告 3,412 字，要求4千字左右（≥3,600）：还差 188 字",
        ),
        (
            3599,
            Verdict::Fail,
            "总结报告 3,599 字，要求4千字左右（≥3,600）：还差 1 字",
        ),
        (
            3600,
            Verdict::Pass,
            "总结报告 3,600 字，在“4千字左右”的容差范围内（≥3,600，不足 4,000）",
        ),
        (
            3999,
            Verdict::Pass,
            "总结报告 3,999 字，在“4千字左右”的容差范围内（≥3,600，不足 4,000）",
        ),
        (4000, Verdict::Pass, "总结报告 4,000 字，达到要求"),
    ];
    for (n, verdict, message) in table {
        let files = [doc("03-总结报告/总结报告.docx", "summary-report", *n)];
        let x = run(&xxjl, r, &files, None, Lang::Zh);
        assert_eq!((x.verdict, x.message.as_str()), (*verdict, *message), "{n}");
        assert_eq!(x.measured, serde_json::json!(*n));
        assert_eq!(x.threshold, serde_json::json!(3600));
        assert_eq!(x.threshold_text, "4千字左右（≥3,600）");
    }
    // Of different documents of one role, the longest counts.
    let qkpy = set("QKPY-2025");
    let files = [
        doc("研究报告-摘要.docx", "research-report", 800),
        doc("研究报告.docx", "research-report", 10_800),
    ];
    let x = run(&qkpy, req(&qkpy, "research-report"), &files, None, Lang::Zh);
    assert_eq!(x.verdict, Verdict::Pass);
    assert_eq!(x.evidence[0].path, "研究报告.docx");
}

#[test]
fn versions_of_one_deliverable() {
    let xxjl = set("XXJL-2025");
    let r = req(&xxjl, "summary-report");
    let dated = |mut f: FileRecord, date: &str| {
        if let Some(x) = f.facts.as_mut() {
            x.modified = Some(date.to_string());
        }
        f
    };
    // (files, verdict, row, measured, a superseded path and why)
    type Row = (
        Vec<FileRecord>,
        Verdict,
        &'static str,
        Option<u64>,
        Option<(&'static str, &'static str)>,
    );
    let table: Vec<Row> = vec![
        // Issue #11 item 10: the revision is judged, the longer draft is superseded.
        (
            vec![
                doc("4.总结报告（初稿）.pdf", "summary-report", 4901),
                doc("4.总结报告（修改稿）.docx", "summary-report", 3395),
            ],
            Verdict::Fail,
            "words.short",
            Some(3395),
            Some(("4.总结报告（初稿）.pdf", "本文件为“初稿”")),
        ),
        // 定稿 wins over anything.
        (
            vec![
                doc("总结报告（修改稿）.docx", "summary-report", 4200),
                doc("总结报告（定稿）.docx", "summary-report", 3700),
            ],
            Verdict::Pass,
            "words.pass_tolerance",
            Some(3700),
            Some(("总结报告（修改稿）.docx", "其名称标明“定稿”")),
        ),
        // v2 after v1.
        (
            vec![
                doc("总结报告_v1.docx", "summary-report", 4200),
                doc("总结报告_v2.docx", "summary-report", 3000),
            ],
            Verdict::Fail,
            "words.short",
            Some(3000),
            Some(("总结报告_v1.docx", "版本号 2 最大")),
        ),
        // A version named in the folder.
        (
            vec![
                doc("初稿/总结报告.docx", "summary-report", 4200),
                doc("定稿/总结报告.docx", "summary-report", 4100),
            ],
            Verdict::Pass,
            "words.pass",
            Some(4100),
            Some(("初稿/总结报告.docx", "其名称标明“定稿”")),
        ),
        // No marks: the newer document by its own modification date.
        (
            vec![
                dated(
                    doc("总结报告.docx", "summary-report", 3000),
                    "2025-08-20T09:00:00",
                ),
                dated(
                    doc("总结报告.pdf", "summary-report", 4100),
                    "2025-08-29T09:00:00",
                ),
            ],
            Verdict::Pass,
            "words.pass",
            Some(4100),
            Some(("总结报告.docx", "其文档修改时间 2025-08-29 09:00:00 最新")),
        ),
        // Cannot be ordered and the verdicts differ: review, naming both.
        (
            vec![
                doc("总结报告.docx", "summary-report", 3000),
                doc("总结报告.pdf", "summary-report", 4100),
            ],
            Verdict::Review,
            "versions.unorderable",
            None,
            None,
        ),
        // Cannot be ordered but agree: that verdict.
        (
            vec![
                doc("总结报告.docx", "summary-report", 4100),
                doc("总结报告.pdf", "summary-report", 4050),
            ],
            Verdict::Pass,
            "words.pass",
            Some(4100),
            None,
        ),
        // An unreadable copy is no version to weigh: the readable one decides.
        (
            vec![
                doc("总结报告.docx", "summary-report", 4100),
                unreadable("总结报告.pdf", "summary-report"),
            ],
            Verdict::Pass,
            "words.pass",
            Some(4100),
            None,
        ),
        // Different folders, same name, no version word: two documents, not versions.
        (
            vec![
                doc("甲/总结报告.docx", "summary-report", 3000),
                doc("乙/总结报告.docx", "summary-report", 4100),
            ],
            Verdict::Pass,
            "words.pass",
            Some(4100),
            None,
        ),
    ];
    for (i, (files, verdict, row, measured, superseded)) in table.into_iter().enumerate() {
        let x = run(&xxjl, r, &files, None, Lang::Zh);
        assert_eq!(
            (x.verdict, x.decision.as_str()),
            (verdict, row),
            "case {i}: {}",
            x.message
        );
        if let Some(m) = measured {
            assert_eq!(x.measured, serde_json::json!(m), "case {i}");
        }
        if let Some((path, why)) = superseded {
            let e = x
                .evidence
                .iter()
                .find(|e| e.path == path)
                .unwrap_or_else(|| panic!("case {i}: {path} not listed"));
            assert!(
                e.detail.contains("旧版本") && e.detail.contains(why),
                "case {i}: {}",
                e.detail
            );
        }
        if row == "versions.unorderable" {
            assert!(
                x.message.contains("总结报告.docx：3,000 字，不通过"),
                "{}",
                x.message
            );
            assert!(
                x.message.contains("总结报告.pdf：4,100 字，通过"),
                "{}",
                x.message
            );
            assert!(x.message.contains("请在文件名中注明定稿"), "{}", x.message);
        }
    }
}

#[test]
fn a_draft_never_rescues_a_final_even_inside_an_or() {
    let djqc = set("DJQC-2025");
    let r = req(&djqc, "typical-case");
    let files = [
        doc("典型案例/典型案例（初稿）.docx", "typical-case", 2400),
        doc("典型案例/典型案例（定稿）.docx", "typical-case", 1800),
    ];
    let x = run(&djqc, r, &files, None, Lang::Zh);
    assert_eq!(x.verdict, Verdict::Fail, "{}", x.message);
    assert!(x.message.contains("1,800 字"), "{}", x.message);
    // Copies that cannot be ordered all count inside an "或": one 3:00 video is enough.
    let copies = [
        video("典型案例/宣传视频.mp4", "promo-video", 179.0),
        video("典型案例/宣传视频.mov", "promo-video", 180.0),
        video("典型案例/宣传视频.avi", "promo-video", 170.0),
    ];
    let x = run(&djqc, r, &copies, None, Lang::Zh);
    assert_eq!(x.verdict, Verdict::Pass, "{}", x.message);
    assert!(
        x.message.contains("典型案例/宣传视频.mov 时长 03:00"),
        "{}",
        x.message
    );
}

#[test]
fn recordings_are_counted_against_decks_and_pairing_explains() {
    let xxjl = set("XXJL-2025");
    let r = req(&xxjl, "keynote-recordings");
    let d = |p: &str| deck(p, "keynote-decks");
    let v = |p: &str, s: f64| video(p, "keynote-recordings", s);
    // (files, verdict, message fragment, evidence fragments)
    type Row = (
        Vec<FileRecord>,
        Verdict,
        &'static str,
        &'static [&'static str],
    );
    let table: Vec<Row> = vec![
        (
            vec![
                d("幻灯片/主旨报告1-张三-人工智能与医疗.pptx"),
                d("幻灯片/主旨报告2-李四-碳中和.pptx"),
                v("录像/李四 碳中和.mp4", 2820.0),
                v("录像/张三 人工智能与医疗.mp4", 3000.0),
            ],
            Verdict::Pass,
            "主旨报告录像 2 个，均不少于 45:00",
            &[
                "配对主旨报告幻灯片：幻灯片/主旨报告1-张三-人工智能与医疗.pptx；时长 50:00 ≥ 45:00",
                "配对主旨报告幻灯片：幻灯片/主旨报告2-李四-碳中和.pptx；时长 47:00 ≥ 45:00",
            ],
        ),
        // Camera names pair with nothing: count and length decide.
        (
            vec![
                d("幻灯片/张三.pptx"),
                d("幻灯片/李四.pptx"),
                v("录像/00012.MTS", 2800.0),
                v("录像/00013.MTS", 2900.0),
            ],
            Verdict::Pass,
            "按文件名未能与主旨报告录像对应的主旨报告幻灯片（仅供核对）：幻灯片/张三.pptx、幻灯片/李四.pptx",
            &[
                "未配对主旨报告幻灯片；时长 46:40 ≥ 45:00",
                "未找到对应的主旨报告录像（按文件名）",
            ],
        ),
        // Fewer recordings than decks, names pair: the lonely deck is named.
        (
            vec![
                d("幻灯片/主旨报告1-张三.pptx"),
                d("幻灯片/主旨报告2-李四.pptx"),
                v("录像/张三.mp4", 2800.0),
            ],
            Verdict::Fail,
            "主旨报告录像 1 个，少于主旨报告幻灯片 2 个：以下主旨报告幻灯片没有对应的主旨报告录像：幻灯片/主旨报告2-李四.pptx",
            &[],
        ),
        // Fewer recordings, camera names: which deck lacks one cannot be told.
        (
            vec![
                d("幻灯片/张三.pptx"),
                d("幻灯片/李四.pptx"),
                v("录像/00012.MTS", 2800.0),
            ],
            Verdict::Fail,
            "按文件名无法判断哪些主旨报告幻灯片缺少主旨报告录像",
            &[],
        ),
        // A short recording fails; 45:00 exactly passes.
        (
            vec![v("录像/a.mp4", 2699.6), v("录像/b.mp4", 2700.0)],
            Verdict::Fail,
            "录像/a.mp4 时长 44:59，不足 45:00（还差 00:01）",
            &["时长 45:00 ≥ 45:00"],
        ),
        // A short estimate still fails; a medium-confidence reading is enough for a pass.
        (
            vec![video_how(
                "录像/a.mpg",
                "keynote-recordings",
                600.0,
                DurationMethod::Estimated,
                Confidence::Low,
            )],
            Verdict::Fail,
            "不足 45:00",
            &[],
        ),
        (
            vec![video_how(
                "录像/a.ts",
                "keynote-recordings",
                2900.0,
                DurationMethod::Timestamps,
                Confidence::Medium,
            )],
            Verdict::Pass,
            "均不少于 45:00",
            &[],
        ),
        (
            vec![video_how(
                "录像/a.ts",
                "keynote-recordings",
                2900.0,
                DurationMethod::Timestamps,
                Confidence::Low,
            )],
            Verdict::Review,
            "可信度低",
            &["时长 48:20（时间戳，可信度低） ≥ 45:00"],
        ),
    ];
    for (i, (files, verdict, fragment, evidence)) in table.into_iter().enumerate() {
        let x = run(&xxjl, r, &files, None, Lang::Zh);
        assert_eq!(x.verdict, verdict, "case {i}: {}", x.message);
        assert!(x.message.contains(fragment), "case {i}: {}", x.message);
        for e in evidence {
            assert!(
                x.evidence.iter().any(|y| y.detail.contains(e)),
                "case {i}: {e} not in {:?}",
                x.evidence
            );
        }
    }
}

#[test]
fn djqc_figures_read_from_prose_and_tables() {
    let djqc = set("DJQC-2025");
    let report = text_doc(
        "总体报告.docx",
        "overall-report",
        "一年来，项目直接联系科技工作者 120 人次，间接联系科技工作者350余人次；党员参与重大活动覆盖率达到１００％，\
         共形成两项党建创新成果，学会党组织标准化建设达标率100%。活动覆盖学会85%的会员单位。",
    );
    // (requirement, measured)
    let table: &[(&str, f64)] = &[
        ("direct-contacts", 120.0),
        ("indirect-contacts", 350.0),
        ("party-member-coverage", 100.0),
        ("innovation-results", 2.0),
        ("standardization-rate", 100.0),
        ("member-coverage", 85.0),
    ];
    for (id, value) in table {
        let x = run(
            &djqc,
            req(&djqc, id),
            std::slice::from_ref(&report),
            None,
            Lang::Zh,
        );
        assert_eq!(x.verdict, Verdict::Pass, "{id}: {}", x.message);
        assert_eq!(x.measured, serde_json::json!(value), "{id}");
    }
    // Issue #11 item 8: a count of a whole, and a table whose target column is not read.
    let sheet = Sheet {
        name: "绩效".into(),
        rows: vec![
            vec![
                "指标类型".into(),
                "指标内容".into(),
                "目标值".into(),
                "完成值".into(),
            ],
            vec![
                "效益指标".into(),
                "活动覆盖会员单位比例".into(),
                "不低于80%".into(),
                "91.5%".into(),
            ],
            vec![
                "产出指标".into(),
                "直接联系科技工作者（人次）".into(),
                "不少于50".into(),
                "126".into(),
            ],
        ],
    };
    let mut facts = text_facts("活动覆盖会员单位86家，占全部94家会员单位的91.5%。");
    facts.push_text(
        PartKind::Tables,
        &sheets_to_text(std::slice::from_ref(&sheet)),
    );
    facts.tables = vec![sheet];
    facts.finish_counts();
    let perf = [record(
        "绩效报告.docx",
        Format::Docx,
        "performance-report",
        Some(facts),
    )];
    let x = run(&djqc, req(&djqc, "member-coverage"), &perf, None, Lang::Zh);
    assert_eq!(x.verdict, Verdict::Pass, "{}", x.message);
    assert_eq!(x.measured, serde_json::json!(91.5));
    assert!(
        x.evidence.iter().all(|e| !e.detail.contains("80%")),
        "the target is not read: {:?}",
        x.evidence
    );
    assert!(
        x.evidence.iter().any(|e| e.detail.contains("比例:91.5%")),
        "{:?}",
        x.evidence
    );
    let x = run(&djqc, req(&djqc, "direct-contacts"), &perf, None, Lang::Zh);
    assert_eq!(
        (x.verdict, x.measured.clone()),
        (Verdict::Pass, serde_json::json!(126.0)),
        "{}",
        x.message
    );
    // Counts of a whole alone: 86 of 94 is 91.5 %.
    let only = [text_doc(
        "绩效报告.docx",
        "performance-report",
        "活动覆盖会员单位86家，占全部会员单位总数94家。",
    )];
    let x = run(&djqc, req(&djqc, "member-coverage"), &only, None, Lang::Zh);
    assert_eq!(x.measured, serde_json::json!(91.5), "{}", x.message);
    assert!(x.message.contains("（86/94 = 91.5%）"), "{}", x.message);
    // The weakest statement decides.
    let two = [text_doc(
        "总体报告.docx",
        "overall-report",
        "直接联系科技工作者120人次。另有直接联系科技工作者40人次。",
    )];
    let x = run(&djqc, req(&djqc, "direct-contacts"), &two, None, Lang::Zh);
    assert_eq!(x.verdict, Verdict::Fail, "{}", x.message);
}

#[test]
fn qkpy_deliverables_the_guide_names_twice() {
    let qkpy = set("QKPY-2025");
    let files = [
        doc("建议报告.docx", "proposal-report", 3100),
        doc("研究报告.docx", "research-report", 10_500),
        text_doc(
            "官网新闻.html",
            "website-news",
            "学会召开期刊建设研讨会，与会专家深入交流。",
        ),
    ];
    // (requirement, the file that serves it)
    let table: &[(&str, &str)] = &[
        ("decision-advice", "建议报告.docx"),
        ("project-results", "研究报告.docx"),
        ("project-evidence", "官网新闻.html"),
    ];
    for (id, path) in table {
        let x = run(&qkpy, req(&qkpy, id), &files, None, Lang::Zh);
        assert_eq!(x.verdict, Verdict::Pass, "{id}: {}", x.message);
        let e = x
            .evidence
            .iter()
            .find(|e| e.path == *path)
            .unwrap_or_else(|| panic!("{id}: {path}"));
        assert!(
            e.detail.contains("（指南所列同一材料）"),
            "{id}: {}",
            e.detail
        );
    }
    // The 项目报告书 is its own document: the 研究报告 does not serve.
    let x = run(
        &qkpy,
        req(&qkpy, "project-report-book"),
        &files,
        None,
        Lang::Zh,
    );
    assert_eq!(x.verdict, Verdict::Fail, "{}", x.message);
}

#[test]
fn labels_where_found() {
    let xxjl = set("XXJL-2025");
    let r = req(&xxjl, "label");
    let mut meta = photo("照片1.jpg", "onsite-photos");
    if let Some(x) = meta.facts.as_mut() {
        x.labels = hits(&[LABEL], PartKind::Metadata);
    }
    let mut near = doc("建议报告.docx", "proposal-report", 500);
    if let Some(x) = near.facts.as_mut() {
        x.labels = vec![LabelHit {
            text: LABEL.into(),
            location: PartKind::Body,
            matched: LabelMatch::NearMiss,
            found: "自治区科协2025年学会重点资助项目".into(),
            distance: 1,
        }];
    }
    let good = labelled("总结报告.docx", "summary-report", &[LABEL]);
    let x = run(&xxjl, r, &[good.clone(), meta], None, Lang::Zh);
    assert_eq!(x.verdict, Verdict::Pass, "{}", x.message);
    assert_eq!(x.measured_text, "2/2 个资源有标识");
    assert!(
        x.evidence
            .iter()
            .any(|e| e.detail.contains("仅在文件属性（元数据）中"))
    );
    let x = run(&xxjl, r, &[good, near], None, Lang::Zh);
    assert_eq!(x.verdict, Verdict::Fail);
    assert!(
        x.message.contains("建议报告.docx：正文中标识写成“自治区科协2025年学会重点资助项目”，应为“自治区科协2025年度学会重点资助项目”"),
        "{}",
        x.message
    );
    // DJQC's party label is its own requirement.
    let djqc = set("DJQC-2025");
    let files = [
        labelled("总体报告.docx", "overall-report", &[LABEL, PARTY]),
        labelled("实施方案.docx", "implementation-plan", &[LABEL]),
    ];
    assert_eq!(
        run(&djqc, req(&djqc, "label"), &files, None, Lang::Zh).verdict,
        Verdict::Pass
    );
    let x = run(&djqc, req(&djqc, "party-label"), &files, None, Lang::Zh);
    assert_eq!(x.verdict, Verdict::Fail);
    assert!(x.message.contains("实施方案.docx"), "{}", x.message);
}

#[test]
fn news_by_level() {
    let xxjl = set("XXJL-2025");
    let r = req(&xxjl, "news");
    let site = text_doc(
        "新闻/年会.html",
        "news",
        "全疆农业学术年会在乌鲁木齐召开。来源：新疆维吾尔自治区科学技术协会（自治区科协官网）",
    );
    let paper = text_doc(
        "新闻/报道.html",
        "news",
        "本报讯 全国学术年会在乌鲁木齐召开，来源：新疆日报，记者某某",
    );
    // (file, level, verdict)
    let table: &[(&FileRecord, &str, Verdict)] = &[
        (&site, "regional", Verdict::Pass),
        // 新疆日报 is stated and is not the 自治区科协官网: fail, quoting it.
        (&paper, "regional", Verdict::Fail),
        (&paper, "national", Verdict::Pass),
    ];
    for (f, level, verdict) in table {
        let x = run(&xxjl, r, std::slice::from_ref(*f), Some(level), Lang::Zh);
        assert_eq!(x.verdict, *verdict, "{} {level}: {}", f.path, x.message);
    }
    let x = run(
        &xxjl,
        r,
        std::slice::from_ref(&paper),
        Some("regional"),
        Lang::Zh,
    );
    assert!(x.message.contains("写明发布于“新疆日报”"), "{}", x.message);
    // A news item given as a URL: review, quoting it.
    let url = link("新闻/新闻链接.txt", "news");
    let x = run(&xxjl, r, &[url], Some("regional"), Lang::Zh);
    assert_eq!(x.verdict, Verdict::Review, "{}", x.message);
    assert!(
        x.message.contains("https://pan.baidu.com/s/1AbCdEf"),
        "{}",
        x.message
    );
}

#[test]
fn english_messages_read_well() {
    let xxjl = set("XXJL-2025");
    // (requirement, files, exact English message)
    let table: Vec<(&str, Vec<FileRecord>, &str)> = vec![
        (
            "summary-report",
            vec![doc("总结报告.docx", "summary-report", 3412)],
            "Summary report: 3,412 characters, required about 4,000 characters (≥3,600): 188 characters short",
        ),
        (
            "keynote-decks",
            vec![deck("a.pptx", "keynote-decks")],
            "Keynote slides: 1 deck, required at least 5: 4 decks short",
        ),
        (
            "expert-list",
            vec![list(
                "专家名单.xlsx",
                "expert-list",
                &[("张三", "中国工程院院士"), ("李四", "教授")],
            )],
            "The expert list lists only 2 people (academicians: 1), required at least 3 academicians or renowned experts: too few people",
        ),
        (
            "keynote-recordings",
            vec![link("录像/链接.txt", "keynote-recordings")],
            "Keynote recordings: handed in as a link: 录像/链接.txt: 录像较大，以网盘提交。链接：https://pan.baidu.com/s/1AbCdEf 提取码：x7k2; a person must follow it and check the durations (at least 45:00 each), or the files must be submitted",
        ),
    ];
    for (id, files, want) in table {
        let x = run(&xxjl, req(&xxjl, id), &files, None, Lang::En);
        assert_eq!(x.message, want, "{id}");
    }
}
