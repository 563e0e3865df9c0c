//! Snapshot tests of every renderer over hand-built, realistic dossiers.
//!
//! The `.snap` files under `tests/snapshots/` are the specification of what a reviewer sees:
//! review them by reading them when they change. Three dossiers: a clean 全疆 XXJL project
//! that passes, a 全国 XXJL project with several fails and reviews (short report, too few
//! decks, a short recording, a near-miss label, an encrypted PDF, an unsupported RAR, Chinese
//! paths, many photos), and a DJQC project that only needs review, checked with `--strict`.

use std::collections::HashSet;

use yanshou::count::Counts;
use yanshou::facts::{
    Duration, DurationMethod, Facts, Format, LabelHit, LabelMatch, Part, PartKind, Problem,
    RecordedStats,
};
use yanshou::report::model::{
    Evidence, FileRecord, FileStatus, Project, Report, RequirementResult, SCHEMA, Tally, Verdict,
};
use yanshou::report::{
    Lang, OutputFormat, render, render_html, render_json, render_markdown, render_markdown_lang,
    render_terminal, render_terminal_lang, write_out_dir,
};

const LABEL: &str = "自治区科协2025年度学会重点资助项目";
const LABEL_DJ: &str = "自治区科技社团党委党建强会";

// ---------------------------------------------------------------------------------------------
// Builders

fn counts(words: u64, han: u64) -> Counts {
    // Consistent with Word's rule: words = East Asian characters + non-East-Asian words.
    let han = han.min(words);
    let cjk = han + (words - han) * 2 / 3;
    let non_cjk_words = words - cjk;
    Counts {
        words,
        han,
        cjk,
        non_cjk_words,
        chars_no_space: cjk + non_cjk_words * 5,
    }
}

fn hit(text: &str, location: PartKind) -> LabelHit {
    LabelHit {
        text: text.to_string(),
        location,
        matched: LabelMatch::Exact,
        found: text.to_string(),
        distance: 0,
    }
}

fn near(text: &str, found: &str, distance: usize, location: PartKind) -> LabelHit {
    LabelHit {
        text: text.to_string(),
        location,
        matched: LabelMatch::NearMiss,
        found: found.to_string(),
        distance,
    }
}

fn doc(words: u64, han: u64, pages: Option<u32>, title: &str, labels: Vec<LabelHit>) -> Facts {
    let c = counts(words, han);
    Facts {
        counts: c,
        pages,
        title: Some(title.to_string()),
        parts: vec![Part {
            kind: PartKind::Body,
            counts: c,
            text: String::new(),
        }],
        labels,
        ..Facts::default()
    }
}

fn deck(slides: u32, hidden: u32, words: u64, title: &str, labels: Vec<LabelHit>) -> Facts {
    let c = counts(words, words * 4 / 5);
    Facts {
        counts: c,
        slides: Some(slides),
        hidden_slides: Some(hidden),
        title: Some(title.to_string()),
        parts: vec![Part {
            kind: PartKind::Slides,
            counts: c,
            text: String::new(),
        }],
        labels,
        ..Facts::default()
    }
}

fn video(seconds: f64, method: DurationMethod, detail: &str, labels: Vec<LabelHit>) -> Facts {
    Facts {
        duration_s: Some(seconds),
        duration: Some(Duration {
            seconds,
            method,
            confidence: yanshou::facts::Confidence::High,
            detail: detail.to_string(),
        }),
        width: Some(1920),
        height: Some(1080),
        labels,
        ..Facts::default()
    }
}

fn photo(w: u32, h: u32) -> Facts {
    Facts {
        width: Some(w),
        height: Some(h),
        ..Facts::default()
    }
}

fn file(path: &str, format: Format, size: u64, role: Option<&str>, facts: Facts) -> FileRecord {
    FileRecord {
        path: path.to_string(),
        format,
        kind: format.kind(),
        size,
        status: FileStatus::Read,
        role: role.map(str::to_string),
        role_reason: None,
        facts: Some(facts),
        problems: Vec::new(),
    }
}

fn broken(
    path: &str,
    format: Format,
    size: u64,
    status: FileStatus,
    problem: Problem,
) -> FileRecord {
    FileRecord {
        path: path.to_string(),
        format,
        kind: format.kind(),
        size,
        status,
        role: None,
        role_reason: None,
        facts: None,
        problems: vec![problem],
    }
}

fn ev(path: &str, detail: &str) -> Evidence {
    Evidence {
        path: path.to_string(),
        detail: detail.to_string(),
    }
}

#[allow(clippy::too_many_arguments)]
fn req(
    id: &str,
    title: &str,
    guide: &str,
    verdict: Verdict,
    measured: serde_json::Value,
    threshold: serde_json::Value,
    measured_text: &str,
    threshold_text: &str,
    evidence: Vec<Evidence>,
    message: &str,
) -> RequirementResult {
    RequirementResult {
        id: id.to_string(),
        title: title.to_string(),
        guide: guide.to_string(),
        verdict,
        measured,
        threshold,
        measured_text: measured_text.to_string(),
        threshold_text: threshold_text.to_string(),
        evidence,
        message: message.to_string(),
        decision: String::new(),
    }
}

fn finish(mut r: Report) -> Report {
    let mut t = Tally {
        files: r.files.len(),
        unreadable: r
            .files
            .iter()
            .filter(|f| f.status == FileStatus::Unreadable)
            .count(),
        ..Tally::default()
    };
    for q in &r.requirements {
        match q.verdict {
            Verdict::Pass => t.pass += 1,
            Verdict::Review => t.review += 1,
            Verdict::Fail => t.fail += 1,
        }
    }
    r.tally = t;
    r.verdict = Verdict::overall(r.requirements.iter().map(|q| q.verdict));
    r
}

fn report(
    project: Project,
    strict: bool,
    requirements: Vec<RequirementResult>,
    files: Vec<FileRecord>,
) -> Report {
    finish(Report {
        schema: SCHEMA.to_string(),
        tool: "yanshou 0.1.0".to_string(),
        verdict: Verdict::Pass,
        strict,
        project,
        tally: Tally::default(),
        requirements,
        files,
        roles: Vec::new(),
    })
}

const G_MEETING: &str = "在前期调研的基础上，举办1场国际、全国、全疆会议，起草相关会议活动文件；";
const G_REPORTS: &str =
    "梳理凝练专家的观点、建议等，形成2千字左右的建议报告和4千字左右的总结报告；";
const G_DECKS: &str = "提交主旨报告幻灯片（不少于5个）、相关专家名单、会议现场图文等成果；";
const G_EXPERTS: &str = "须邀请至少3名国内外院士或领域内知名专家参与";
const G_DURATION: &str = "主旨报告采取现场报告、直播、录播等形式，每个报告时长不少于45分钟；";
const G_NEWS_NATIONAL: &str = "国际性和全国性会议在中央、自治区主流媒体发布信息，全疆性会至少在自治区科协官网发布1篇新闻信息；";
const G_PROCEEDINGS: &str = "活动需形成学术论文集或成果转化清单";
const G_LABEL: &str =
    "项目所产生文字、视频、图片等资源应标注“自治区科协2025年度学会重点资助项目”。";
const G_ACCEPT: &str = "验收需提交绩效报告、财务审计报告及支撑材料，未达指标者追回部分经费。";

// ---------------------------------------------------------------------------------------------
// The three dossiers

/// A clean 全疆 XXJL project: every requirement passes.
fn passing_report() -> Report {
    let p = |s: &str| format!("新疆草原学会-XXJL-2025-11/{s}");
    let files = vec![
        file(
            &p("01会议文件/关于召开2025年新疆草原生态保护学术研讨会的通知.pdf"),
            Format::Pdf,
            412_338,
            Some("会议活动文件"),
            doc(
                1_284,
                1_160,
                Some(3),
                "关于召开2025年新疆草原生态保护学术研讨会的通知",
                vec![hit(LABEL, PartKind::Body)],
            ),
        ),
        file(
            &p("01会议文件/会议议程.docx"),
            Format::Docx,
            38_912,
            Some("会议活动文件"),
            doc(
                612,
                540,
                Some(2),
                "2025年新疆草原生态保护学术研讨会议程",
                vec![hit(LABEL, PartKind::HeadersFooters)],
            ),
        ),
        file(
            &p("02报告/建议报告.docx"),
            Format::Docx,
            61_440,
            Some("建议报告"),
            doc(
                2_236,
                2_050,
                Some(4),
                "关于加强天山北坡草原退化治理的建议",
                vec![
                    hit(LABEL, PartKind::HeadersFooters),
                    hit(LABEL, PartKind::Metadata),
                ],
            ),
        ),
        file(
            &p("02报告/总结报告.docx"),
            Format::Docx,
            88_064,
            Some("总结报告"),
            Facts {
                recorded: Some(RecordedStats {
                    source: "docProps/app.xml".into(),
                    application: Some("Microsoft Office Word".into()),
                    words: Some(4_102),
                    characters: Some(4_388),
                    pages: Some(7),
                    slides: None,
                    hidden_slides: None,
                    characters_no_space: None,
                }),
                ..doc(
                    4_215,
                    3_902,
                    Some(7),
                    "2025年新疆草原生态保护学术研讨会总结报告",
                    vec![hit(LABEL, PartKind::Body)],
                )
            },
        ),
        file(
            &p("03主旨报告/01-王院士-草原碳汇.pptx"),
            Format::Pptx,
            8_388_608,
            Some("主旨报告幻灯片"),
            deck(
                42,
                0,
                2_310,
                "草原碳汇与生态补偿",
                vec![hit(LABEL, PartKind::Masters)],
            ),
        ),
        file(
            &p("03主旨报告/02-刘教授-退化草地修复.pptx"),
            Format::Pptx,
            6_291_456,
            Some("主旨报告幻灯片"),
            deck(
                36,
                1,
                1_874,
                "退化草地修复技术",
                vec![hit(LABEL, PartKind::Slides)],
            ),
        ),
        file(
            &p("03主旨报告/03-阿依古丽研究员.pptx"),
            Format::Pptx,
            5_120_000,
            Some("主旨报告幻灯片"),
            deck(
                30,
                0,
                1_502,
                "牧区草畜平衡监测",
                vec![hit(LABEL, PartKind::Slides)],
            ),
        ),
        file(
            &p("03主旨报告/04-陈教授.pptx"),
            Format::Pptx,
            4_800_000,
            Some("主旨报告幻灯片"),
            deck(
                28,
                0,
                1_230,
                "遥感与草原监测",
                vec![hit(LABEL, PartKind::Masters)],
            ),
        ),
        file(
            &p("03主旨报告/05-马研究员.pptx"),
            Format::Pptx,
            4_400_000,
            Some("主旨报告幻灯片"),
            deck(
                25,
                0,
                1_105,
                "草种质资源",
                vec![hit(LABEL, PartKind::Slides)],
            ),
        ),
        file(
            &p("04录像/主旨报告-王院士.mp4"),
            Format::Mp4,
            1_288_490_188,
            Some("主旨报告录像"),
            video(
                3_127.52,
                DurationMethod::Header,
                "mvhd",
                vec![hit(LABEL, PartKind::Metadata)],
            ),
        ),
        file(
            &p("05专家名单/专家名单.docx"),
            Format::Docx,
            24_576,
            Some("专家名单"),
            doc(
                356,
                310,
                Some(1),
                "特邀专家名单",
                vec![hit(LABEL, PartKind::HeadersFooters)],
            ),
        ),
        file(
            &p("06现场图文/开幕式.jpg"),
            Format::Jpeg,
            3_145_728,
            Some("会议现场图文"),
            photo(4032, 3024),
        ),
        file(
            &p("07新闻/科协官网新闻.pdf"),
            Format::Pdf,
            524_288,
            Some("新闻"),
            doc(
                1_020,
                930,
                Some(2),
                "新疆草原学会成功举办2025年新疆草原生态保护学术研讨会",
                vec![hit(LABEL, PartKind::Body)],
            ),
        ),
        file(
            &p("08成果/论文集.pdf"),
            Format::Pdf,
            15_728_640,
            Some("学术论文集"),
            doc(
                98_412,
                90_310,
                Some(126),
                "2025年新疆草原生态保护学术研讨会论文集",
                vec![hit(LABEL, PartKind::Body)],
            ),
        ),
        file(
            &p("09验收/绩效报告.docx"),
            Format::Docx,
            40_960,
            Some("绩效报告"),
            doc(
                3_012,
                2_800,
                Some(5),
                "项目绩效报告",
                vec![hit(LABEL, PartKind::Body)],
            ),
        ),
        file(
            &p("09验收/财务审计报告.pdf"),
            Format::Pdf,
            1_048_576,
            Some("财务审计报告"),
            doc(
                5_630,
                5_100,
                Some(9),
                "专项审计报告",
                vec![hit(LABEL, PartKind::Body)],
            ),
        ),
    ];
    let requirements = vec![
        req(
            "xxjl.meeting_docs",
            "会议活动文件",
            G_MEETING,
            Verdict::Pass,
            2.into(),
            1.into(),
            "2 份",
            "至少 1 份",
            vec![
                ev(
                    &p("01会议文件/关于召开2025年新疆草原生态保护学术研讨会的通知.pdf"),
                    "会议通知",
                ),
                ev(&p("01会议文件/会议议程.docx"), "会议议程"),
            ],
            "找到会议通知和会议议程",
        ),
        req(
            "xxjl.proposal_report",
            "建议报告",
            G_REPORTS,
            Verdict::Pass,
            2_236.into(),
            1_800.into(),
            "2,236 字",
            "2千字左右（≥1,800）",
            vec![ev(&p("02报告/建议报告.docx"), "正文 2,236 字")],
            "建议报告 2,236 字，达到 2千字左右",
        ),
        req(
            "xxjl.summary_report",
            "总结报告",
            G_REPORTS,
            Verdict::Pass,
            4_215.into(),
            3_600.into(),
            "4,215 字",
            "4千字左右（≥3,600）",
            vec![ev(&p("02报告/总结报告.docx"), "正文 4,215 字")],
            "总结报告 4,215 字，达到 4千字左右",
        ),
        req(
            "xxjl.keynote_slides",
            "主旨报告幻灯片",
            G_DECKS,
            Verdict::Pass,
            5.into(),
            5.into(),
            "5 个",
            "不少于 5 个",
            vec![
                ev(&p("03主旨报告/01-王院士-草原碳汇.pptx"), "42 张"),
                ev(&p("03主旨报告/02-刘教授-退化草地修复.pptx"), "36 张"),
                ev(&p("03主旨报告/03-阿依古丽研究员.pptx"), "30 张"),
                ev(&p("03主旨报告/04-陈教授.pptx"), "28 张"),
                ev(&p("03主旨报告/05-马研究员.pptx"), "25 张"),
            ],
            "5 个主旨报告幻灯片",
        ),
        req(
            "xxjl.experts",
            "专家名单",
            G_EXPERTS,
            Verdict::Pass,
            4.into(),
            3.into(),
            "院士/知名专家 4 名",
            "至少 3 名",
            vec![ev(
                &p("05专家名单/专家名单.docx"),
                "院士 1 名，教授/研究员 3 名",
            )],
            "专家名单列出院士 1 名、知名专家 3 名",
        ),
        req(
            "xxjl.keynote_duration",
            "主旨报告时长",
            G_DURATION,
            Verdict::Pass,
            3_127.52.into(),
            2_700.into(),
            "52:07",
            "每个 ≥45:00",
            vec![ev(&p("04录像/主旨报告-王院士.mp4"), "52:07（mvhd）")],
            "主旨报告录像 52:07，不少于 45 分钟",
        ),
        req(
            "xxjl.news",
            "新闻",
            G_NEWS_NATIONAL,
            Verdict::Pass,
            1.into(),
            1.into(),
            "1 篇（自治区科协官网）",
            "全疆性：官网 ≥1 篇",
            vec![ev(
                &p("07新闻/科协官网新闻.pdf"),
                "页面含“新疆维吾尔自治区科学技术协会”",
            )],
            "找到自治区科协官网新闻 1 篇",
        ),
        req(
            "xxjl.proceedings",
            "学术论文集或成果转化清单",
            G_PROCEEDINGS,
            Verdict::Pass,
            serde_json::Value::Bool(true),
            serde_json::Value::Bool(true),
            "论文集 126 页",
            "有",
            vec![ev(&p("08成果/论文集.pdf"), "126 页")],
            "找到学术论文集",
        ),
        req(
            "all.label",
            "资源标识",
            G_LABEL,
            Verdict::Pass,
            15.into(),
            15.into(),
            "15/15 个资源含标识",
            "全部含标识",
            vec![ev(&p("06现场图文/开幕式.jpg"), "经 OCR 识别到标识")],
            "全部文字、视频资源含标识；现场照片经 OCR 识别到标识",
        ),
        req(
            "accept.performance",
            "绩效报告",
            G_ACCEPT,
            Verdict::Pass,
            serde_json::Value::Bool(true),
            serde_json::Value::Bool(true),
            "已提交",
            "提交",
            vec![ev(&p("09验收/绩效报告.docx"), "")],
            "找到绩效报告",
        ),
        req(
            "accept.audit",
            "财务审计报告",
            G_ACCEPT,
            Verdict::Pass,
            serde_json::Value::Bool(true),
            serde_json::Value::Bool(true),
            "已提交",
            "提交",
            vec![ev(&p("09验收/财务审计报告.pdf"), "")],
            "找到财务审计报告",
        ),
    ];
    report(
        Project {
            name: "新疆草原学会-XXJL-2025-11".into(),
            code: Some("XXJL-2025-11".into()),
            category: "XXJL-2025".into(),
            category_title: "重点学术交流活动".into(),
            category_source: "文件夹名称".into(),
            level: Some("全疆性".into()),
            level_source: Some("会议通知标题含“新疆”且无“全国”“国际”".into()),
        },
        false,
        requirements,
        files,
    )
}

/// A 全国 XXJL project with several fails and reviews.
fn failing_report() -> Report {
    let summary = "总结报告/2025年全国干旱区农业学术年会总结报告.docx";
    let proposal = "建议报告/关于加快干旱区节水农业技术推广的建议报告.docx";
    let decks = [
        ("主旨报告/01-张院士｜节水灌溉.pptx", 38, 2),
        ("主旨报告/02-李教授.pptx", 27, 0),
        ("主旨报告/03-王研究员.pptx", 31, 0),
        ("主旨报告/04-赵教授.pptx", 22, 0),
    ];
    let videos = [
        (
            "主旨报告/录像/01-张院士.mp4",
            2_832.4,
            DurationMethod::Header,
            "mvhd",
        ),
        (
            "主旨报告/录像/02-李教授.mp4",
            3_123.0,
            DurationMethod::Index,
            "sum of 12 moof/trun",
        ),
        (
            "主旨报告/录像/03-王研究员.mp4",
            2_292.96,
            DurationMethod::Header,
            "mvhd",
        ),
    ];
    let photos = [
        "会议现场/开幕式.jpg",
        "会议现场/主会场.jpg",
        "会议现场/分会场一.jpg",
        "会议现场/合影.jpg",
        "会议现场/茶歇交流.jpg",
    ];
    let audit = "验收材料/财务审计报告.pdf";

    let mut files = vec![
        file(
            "会议文件/关于召开2025年全国干旱区农业学术年会的通知.pdf",
            Format::Pdf,
            301_455,
            Some("会议活动文件"),
            doc(
                1_206,
                1_098,
                Some(3),
                "关于召开2025年全国干旱区农业学术年会的通知",
                vec![hit(LABEL, PartKind::Body)],
            ),
        ),
        file(
            "会议文件/会议议程.docx",
            Format::Docx,
            31_744,
            Some("会议活动文件"),
            doc(
                744,
                650,
                Some(2),
                "会议议程",
                vec![hit(LABEL, PartKind::HeadersFooters)],
            ),
        ),
        {
            // The only file that still carries its text: JSON must leave it out.
            let mut f = doc(
                2_046,
                1_902,
                Some(4),
                "关于加快干旱区节水农业技术推广的建议",
                vec![near(LABEL, "2025年学会重点资助项目", 2, PartKind::Body)],
            );
            if let Some(part) = f.parts.get_mut(0) {
                part.text =
                    "关于加快干旱区节水农业技术推广的建议（2025年学会重点资助项目）……".into();
            }
            f.recorded = Some(RecordedStats {
                source: "docProps/app.xml".into(),
                application: Some("Microsoft Office Word".into()),
                words: Some(1_017),
                characters: Some(5_620),
                pages: Some(4),
                slides: None,
                hidden_slides: None,
                characters_no_space: None,
            });
            let mut rec = file(proposal, Format::Docx, 58_880, Some("建议报告"), f);
            rec.role_reason = Some("文件夹名含“建议报告”".into());
            rec
        },
        {
            let mut f = file(
                summary,
                Format::Docx,
                74_752,
                Some("总结报告"),
                doc(
                    3_412,
                    3_150,
                    Some(6),
                    "2025年全国干旱区农业学术年会总结报告",
                    vec![
                        hit(LABEL, PartKind::HeadersFooters),
                        hit(LABEL, PartKind::Metadata),
                    ],
                ),
            );
            f.role_reason = Some("标题含“总结报告”".into());
            f.problems.push(Problem::new(
                "warning.tracked_changes",
                "文档含未接受的修订，已按接受修订后的文本计数；请接受或拒绝全部修订后再提交",
            ));
            f
        },
    ];
    for (path, slides, hidden) in decks {
        files.push(file(
            path,
            Format::Pptx,
            5_000_000 + u64::from(slides) * 100_000,
            Some("主旨报告幻灯片"),
            deck(
                slides,
                hidden,
                u64::from(slides) * 55,
                "主旨报告",
                vec![hit(LABEL, PartKind::Masters)],
            ),
        ));
    }
    for (i, (path, secs, method, detail)) in videos.iter().enumerate() {
        let labels = if i == 0 {
            vec![hit(LABEL, PartKind::Metadata)]
        } else {
            Vec::new()
        };
        files.push(file(
            path,
            Format::Mp4,
            900_000_000 + (i as u64) * 10_000_000,
            Some("主旨报告录像"),
            video(*secs, *method, detail, labels),
        ));
    }
    files.push(file(
        "专家名单.xlsx",
        Format::Xlsx,
        12_288,
        Some("专家名单"),
        Facts {
            counts: counts(402, 350),
            title: Some("特邀专家名单".into()),
            parts: vec![Part {
                kind: PartKind::Tables,
                counts: counts(402, 350),
                text: String::new(),
            }],
            labels: vec![hit(LABEL, PartKind::Tables)],
            ..Facts::default()
        },
    ));
    for path in photos {
        files.push(file(
            path,
            Format::Jpeg,
            4_194_304,
            Some("会议现场图文"),
            photo(6000, 4000),
        ));
    }
    files.push(file(
        "新闻报道/天山网报道截图.png",
        Format::Png,
        812_544,
        Some("新闻"),
        photo(1242, 5380),
    ));
    files.push(file(
        "论文集/2025年全国干旱区农业学术年会论文集.pdf",
        Format::Pdf,
        52_428_800,
        Some("学术论文集"),
        Facts {
            scanned_pages: vec![1, 2, 186],
            ..doc(
                154_880,
                141_200,
                Some(186),
                "论文集",
                vec![hit(LABEL, PartKind::Body)],
            )
        },
    ));
    files.push(file(
        "验收材料/绩效报告.docx",
        Format::Docx,
        45_056,
        Some("绩效报告"),
        doc(
            2_890,
            2_700,
            Some(5),
            "绩效报告",
            vec![hit(LABEL, PartKind::Body)],
        ),
    ));
    files.push(broken(
        audit,
        Format::Pdf,
        2_097_152,
        FileStatus::Unreadable,
        Problem::new("unreadable.encrypted", "文件已加密，请提供未加密版本"),
    ));
    files.push(broken(
        "其他/会议照片备份.rar",
        Format::Rar,
        734_003_200,
        FileStatus::Unsupported,
        Problem::new(
            "unsupported.format",
            "暂不支持 RAR 压缩包，请解压后提交或改用 ZIP",
        ),
    ));

    let requirements = vec![
        req(
            "xxjl.meeting_docs",
            "会议活动文件",
            G_MEETING,
            Verdict::Pass,
            2.into(),
            1.into(),
            "2 份",
            "至少 1 份",
            vec![
                ev(
                    "会议文件/关于召开2025年全国干旱区农业学术年会的通知.pdf",
                    "会议通知",
                ),
                ev("会议文件/会议议程.docx", "会议议程"),
            ],
            "找到会议通知和会议议程",
        ),
        req(
            "xxjl.proposal_report",
            "建议报告",
            G_REPORTS,
            Verdict::Pass,
            2_046.into(),
            1_800.into(),
            "2,046 字",
            "2千字左右（≥1,800）",
            vec![ev(proposal, "正文 2,046 字（Word 记录 1,017，已过时）")],
            "建议报告 2,046 字，达到 2千字左右",
        ),
        req(
            "xxjl.summary_report",
            "总结报告",
            G_REPORTS,
            Verdict::Fail,
            3_412.into(),
            3_600.into(),
            "3,412 字",
            "4千字左右（≥3,600）",
            vec![ev(summary, "正文 3,412 字")],
            "总结报告 3,412 字，要求 4千字左右（≥3,600）：还差 188 字",
        ),
        req(
            "xxjl.keynote_slides",
            "主旨报告幻灯片",
            G_DECKS,
            Verdict::Fail,
            4.into(),
            5.into(),
            "4 个",
            "不少于 5 个",
            decks
                .iter()
                .map(|(p, s, _)| ev(p, &format!("{s} 张")))
                .collect(),
            "主旨报告幻灯片 4 个，要求不少于 5 个：还差 1 个",
        ),
        req(
            "xxjl.experts",
            "专家名单",
            G_EXPERTS,
            Verdict::Review,
            2.into(),
            3.into(),
            "可识别院士 2 名",
            "至少 3 名院士或知名专家",
            vec![ev("专家名单.xlsx", "院士 2 名；另 3 人仅列职称")],
            "专家名单中识别出院士 2 名，另有 3 人仅列“教授”“研究员”，无法判断是否为领域内知名专家：请人工确认是否达到 3 名",
        ),
        req(
            "xxjl.photos",
            "会议现场图文",
            G_DECKS,
            Verdict::Pass,
            5.into(),
            1.into(),
            "5 张照片",
            "有",
            photos.iter().map(|p| ev(p, "")).collect(),
            "找到会议现场照片 5 张",
        ),
        req(
            "xxjl.keynote_duration",
            "主旨报告时长",
            G_DURATION,
            Verdict::Fail,
            2_292.96.into(),
            2_700.into(),
            "最短 38:12（共 3 个）",
            "每个 ≥45:00",
            videos
                .iter()
                .map(|(p, s, _, _)| ev(p, &format!("{:.0} 秒", s)))
                .collect(),
            "“主旨报告/录像/03-王研究员.mp4”时长 38:12，要求每个报告不少于 45 分钟：还差 6 分 48 秒",
        ),
        req(
            "xxjl.news",
            "新闻",
            G_NEWS_NATIONAL,
            Verdict::Review,
            serde_json::Value::Null,
            serde_json::Value::String("中央或自治区主流媒体".into()),
            "新闻截图 1 张",
            "中央或自治区主流媒体",
            vec![ev("新闻报道/天山网报道截图.png", "图片，文字在像素中")],
            "找到新闻截图，但发布媒体写在图片中，机器无法读取：请人工核对是否为中央或自治区主流媒体",
        ),
        req(
            "xxjl.proceedings",
            "学术论文集或成果转化清单",
            G_PROCEEDINGS,
            Verdict::Pass,
            serde_json::Value::Bool(true),
            serde_json::Value::Bool(true),
            "论文集 186 页",
            "有",
            vec![ev(
                "论文集/2025年全国干旱区农业学术年会论文集.pdf",
                "186 页，其中 3 页为扫描",
            )],
            "找到学术论文集",
        ),
        req(
            "all.label",
            "资源标识",
            G_LABEL,
            Verdict::Fail,
            11.into(),
            21.into(),
            "11/21 个资源含标识",
            "全部含“自治区科协2025年度学会重点资助项目”",
            vec![
                ev(proposal, "正文：近似“2025年学会重点资助项目”，相差 2 字"),
                ev(
                    "主旨报告/录像/02-李教授.mp4",
                    "未在元数据中找到，画面需人工查看",
                ),
                ev(
                    "主旨报告/录像/03-王研究员.mp4",
                    "未在元数据中找到，画面需人工查看",
                ),
            ],
            "“建议报告/关于加快干旱区节水农业技术推广的建议报告.docx”写作“2025年学会重点资助项目”，与规定标识相差 2 字：请改为“自治区科协2025年度学会重点资助项目”\n2 个录像和 6 张图片的标识只能在画面中，需人工查看",
        ),
        req(
            "accept.performance",
            "绩效报告",
            G_ACCEPT,
            Verdict::Pass,
            serde_json::Value::Bool(true),
            serde_json::Value::Bool(true),
            "已提交",
            "提交",
            vec![ev("验收材料/绩效报告.docx", "")],
            "找到绩效报告",
        ),
        req(
            "accept.audit",
            "财务审计报告",
            G_ACCEPT,
            Verdict::Fail,
            serde_json::Value::Bool(false),
            serde_json::Value::Bool(true),
            "无法读取",
            "提交",
            vec![ev(audit, "unreadable.encrypted")],
            "“验收材料/财务审计报告.pdf”已加密，无法核查：请提供未加密版本",
        ),
    ];
    report(
        Project {
            name: "中国农学会新疆分会 | 2025全国干旱区农业学术年会".into(),
            code: Some("XXJL-2025-03".into()),
            category: "XXJL-2025".into(),
            category_title: "重点学术交流活动".into(),
            category_source: "--category".into(),
            level: Some("全国性".into()),
            level_source: Some("会议通知标题含“全国”".into()),
        },
        false,
        requirements,
        files,
    )
}

/// A DJQC project that only needs review, checked with `--strict`; no code, no level.
fn review_strict_report() -> Report {
    let files = vec![
        file(
            "党建强会/实施方案.docx",
            Format::Docx,
            30_720,
            Some("实施方案"),
            doc(
                3_220,
                3_010,
                Some(5),
                "“党建+科技服务”实施方案",
                vec![hit(LABEL, PartKind::Body), hit(LABEL_DJ, PartKind::Body)],
            ),
        ),
        file(
            "党建强会/总体报告.pdf",
            Format::Pdf,
            980_000,
            Some("总体报告"),
            Facts {
                scanned_pages: vec![4, 5, 6],
                ..doc(
                    5_480,
                    5_100,
                    Some(11),
                    "党建强会项目成果总体报告",
                    vec![
                        hit(LABEL, PartKind::Body),
                        hit(LABEL_DJ, PartKind::Metadata),
                    ],
                )
            },
        ),
        file(
            "党建强会/宣传视频.mp4",
            Format::Mp4,
            210_000_000,
            Some("典型案例"),
            video(
                201.0,
                DurationMethod::Estimated,
                "码率 × 文件大小（moov 缺失）",
                Vec::new(),
            ),
        ),
    ];
    let requirements = vec![
        req(
            "djqc.plan",
            "实施方案",
            "需提交党建与业务融合的实施方案",
            Verdict::Pass,
            serde_json::Value::Bool(true),
            serde_json::Value::Bool(true),
            "已提交",
            "提交",
            vec![ev("党建强会/实施方案.docx", "")],
            "找到实施方案",
        ),
        req(
            "djqc.case",
            "典型案例",
            "形成1份不少于2000字的典型图文材料或不少于3分钟的宣传视频",
            Verdict::Review,
            201.0.into(),
            180.into(),
            "03:21（估算）",
            "视频 ≥03:00 或图文 ≥2,000 字",
            vec![ev("党建强会/宣传视频.mp4", "时长为估算值")],
            "宣传视频时长只能按码率估算为 03:21，估算值不能单独作为通过依据：请人工播放确认，或提供可读取时长的 MP4",
        ),
        req(
            "djqc.overall_report",
            "总体报告",
            "项目成果总体报告1份，字数不少于5000字",
            Verdict::Review,
            5_480.into(),
            5_000.into(),
            "5,480 字（含扫描页）",
            "不少于 5,000 字",
            vec![ev("党建强会/总体报告.pdf", "第 4–6 页为扫描")],
            "总体报告文字层 5,480 字，其中第 4–6 页为扫描件，计数可能不全：请人工确认",
        ),
    ];
    report(
        Project {
            name: "新疆计算机学会党建强会".into(),
            code: None,
            category: "DJQC-2025".into(),
            category_title: "党建强会".into(),
            category_source: "文档内容".into(),
            level: None,
            level_source: None,
        },
        true,
        requirements,
        files,
    )
}

fn all_reports() -> Vec<(&'static str, Report)> {
    vec![
        ("passing", passing_report()),
        ("failing", failing_report()),
        ("review_strict", review_strict_report()),
    ]
}

// ---------------------------------------------------------------------------------------------
// Snapshots

#[test]
fn snapshot_terminal() {
    for (name, r) in all_reports() {
        insta::assert_snapshot!(format!("terminal_{name}"), render_terminal(&r, false));
    }
}

/// The same dossiers with the English fixed wording and file problems (their titles and
/// messages are hand-written in Chinese, as a Chinese check wrote them: English ones come from
/// a check in English, see tests/lang.rs).
#[test]
fn snapshot_terminal_en() {
    for (name, r) in all_reports() {
        insta::assert_snapshot!(
            format!("terminal_en_{name}"),
            render_terminal_lang(&r, false, Lang::En)
        );
    }
}

#[test]
fn snapshot_markdown_en() {
    for (name, r) in all_reports() {
        insta::assert_snapshot!(
            format!("markdown_en_{name}"),
            render_markdown_lang(&r, Lang::En)
        );
    }
}

#[test]
fn snapshot_json() {
    for (name, r) in all_reports() {
        insta::assert_snapshot!(format!("json_{name}"), render_json(&r));
    }
}

#[test]
fn snapshot_markdown() {
    for (name, r) in all_reports() {
        insta::assert_snapshot!(format!("markdown_{name}"), render_markdown(&r));
    }
}

#[test]
fn snapshot_html() {
    for (name, r) in all_reports() {
        let html = render_html(&r).expect("template renders");
        insta::assert_snapshot!(format!("html_{name}"), html);
    }
}

// ---------------------------------------------------------------------------------------------
// Properties

#[test]
fn verdicts_and_exit_codes_of_the_fixtures() {
    let cases = [
        (passing_report(), Verdict::Pass, 0),
        (failing_report(), Verdict::Fail, 1),
        (review_strict_report(), Verdict::Review, 1),
    ];
    for (r, verdict, code) in cases {
        assert_eq!(r.verdict, verdict, "{}", r.project.name);
        assert_eq!(r.exit_code(), code, "{}", r.project.name);
    }
}

#[test]
fn html_is_self_contained() {
    for (name, r) in all_reports() {
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
    for (name, r) in all_reports() {
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
            assert!(h.starts_with("file-"), "{name}: unexpected anchor {h}");
            assert!(ids.contains(h), "{name}: #{h} has no row");
        }
        // Every evidence path that is a file of the dossier is linked.
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
        // One row per file.
        let rows = ids.iter().filter(|i| i.starts_with("file-")).count();
        assert_eq!(rows, r.files.len(), "{name}");
    }
}

#[test]
fn html_escapes_untrusted_text() {
    let mut r = failing_report();
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
    for (name, r) in all_reports() {
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
            ] {
                assert!(q.get(key).is_some(), "{name}: requirement without {key}");
            }
        }
        for f in v["files"].as_array().expect("files") {
            for key in ["path", "format", "role", "facts", "problems"] {
                assert!(f.get(key).is_some(), "{name}: file without {key}");
            }
        }
        // Round trip: what we wrote is what we had, minus part texts.
        let back: Report = serde_json::from_str(&text).expect("parses as Report");
        let mut want = r.clone();
        for facts in want.files.iter_mut().filter_map(|f| f.facts.as_mut()) {
            for part in &mut facts.parts {
                part.text.clear();
            }
        }
        assert_eq!(back, want, "{name}: round trip");
    }
}

#[test]
fn json_leaves_part_text_out() {
    let r = failing_report();
    let has_text = r
        .files
        .iter()
        .filter_map(|f| f.facts.as_ref())
        .any(|f| f.parts.iter().any(|p| !p.text.is_empty()));
    assert!(
        has_text,
        "fixture must carry some text for this test to mean anything"
    );
    let json = render_json(&r);
    assert!(
        !json.contains("节水农业技术推广的建议（"),
        "part text leaked into JSON"
    );
    let with = yanshou::report::json::render_json_with_text(&r);
    assert!(with.contains("节水农业技术推广的建议（"));
}

#[test]
fn json_facts_use_contract_names() {
    let v: serde_json::Value = serde_json::from_str(&render_json(&failing_report())).expect("json");
    let files = v["files"].as_array().expect("files");
    let summary = files
        .iter()
        .find(|f| f["role"] == "总结报告")
        .expect("summary file");
    assert_eq!(summary["facts"]["words"], 3_412);
    assert_eq!(summary["facts"]["han"], 3_150);
    assert_eq!(summary["facts"]["labels"][0]["where"], "headers_footers");
    let video = files.iter().find(|f| f["format"] == "mp4").expect("video");
    assert_eq!(video["facts"]["duration_s"], 2_832.4);
    let audit = files
        .iter()
        .find(|f| f["status"] == "unreadable")
        .expect("unreadable");
    assert_eq!(audit["problems"][0]["code"], "unreadable.encrypted");
    assert!(audit["facts"].is_null());
}

#[test]
fn terminal_color_only_when_asked() {
    let r = failing_report();
    let plain = render_terminal(&r, false);
    let colored = render_terminal(&r, true);
    assert!(!plain.contains('\x1b'));
    assert!(colored.contains("\x1b[31m✘ 不通过"));
    assert!(colored.contains("\x1b[32m✔ 通过"));
    assert!(colored.contains("\x1b[33m? 需人工复核"));
    // Same text once the escapes are removed.
    let stripped = regex::Regex::new("\x1b\\[[0-9;]*m")
        .expect("regex")
        .replace_all(&colored, "");
    assert_eq!(stripped, plain);
}

#[test]
fn terminal_says_what_to_fix() {
    let out = render_terminal(&failing_report(), false);
    let lines: Vec<&str> = out.lines().collect();
    let i = lines
        .iter()
        .position(|l| l.contains("✘ 不通过") && l.contains("总结报告"))
        .expect("summary line");
    assert_eq!(
        lines.get(i + 1).map(|l| l.trim()),
        Some("总结报告 3,412 字，要求 4千字左右（≥3,600）：还差 188 字")
    );
    assert!(out.contains("主旨报告/01-张院士｜节水灌溉.pptx、主旨报告/02-李教授.pptx 等 4 个文件"));
    assert!(out.contains(
        "验收材料/财务审计报告.pdf — unreadable.encrypted — 文件已加密，请提供未加密版本"
    ));
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
}

#[test]
fn terminal_columns_align_by_display_width() {
    use unicode_width::UnicodeWidthStr;
    let r = failing_report();
    let out = render_terminal(&r, false);
    let lines: Vec<&str> = out.lines().collect();
    // The measured and threshold columns start at the same display column on every line.
    let mut measured_cols = HashSet::new();
    let mut threshold_cols = HashSet::new();
    for q in &r.requirements {
        let head = format!(
            "{} {}",
            yanshou::report::format::mark(q.verdict),
            q.verdict.zh()
        );
        let line = lines
            .iter()
            .find(|l| l.starts_with(&head) && l.contains(&format!(" {}  ", q.title)))
            .unwrap_or_else(|| panic!("no line for {}", q.title));
        let m = line
            .find(&format!("  {}", q.measured_text))
            .expect("measured");
        measured_cols.insert(line.get(..m).map(UnicodeWidthStr::width));
        let t = line
            .find(&format!(" ／ {}", q.threshold_text))
            .expect("threshold");
        threshold_cols.insert(line.get(..t).map(UnicodeWidthStr::width));
    }
    assert_eq!(measured_cols.len(), 1, "{measured_cols:?}");
    assert_eq!(threshold_cols.len(), 1, "{threshold_cols:?}");
}

#[test]
fn markdown_tables_stay_tables() {
    let md = render_markdown(&failing_report());
    // The project name contains a pipe; the table must escape it.
    assert!(md.contains("中国农学会新疆分会 \\| 2025全国干旱区农业学术年会"));
    // Multi-line messages become <br>, so every table row is one line with the right cell count.
    for line in md
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains(" | ✘ 不通过 | "))
    {
        let unescaped = line.replace("\\|", "");
        assert_eq!(unescaped.matches('|').count(), 7, "{line}");
    }
    assert!(md.contains("相差 2 字：请改为“自治区科协2025年度学会重点资助项目”<br>2 个录像"));
}

#[test]
fn render_dispatch_and_out_dir() {
    let r = failing_report();
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
    let dir = tmp.path().join("输出/XXJL-2025-03");
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
