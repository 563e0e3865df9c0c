//! The pipeline, connected in one place: walk → identify → extract → classify → evaluate.
//!
//! Files are read in parallel (rayon) and collected in walk order, so the dossier is
//! deterministic. Each file ends as read, unreadable (with the reason), unsupported or ignored:
//! none is dropped. The category (which rule set) comes from `--category`, else the project
//! code in the folder name, else the documents' vocabulary; if none tells, the run stops with a
//! clear error (exit 2) rather than guessing.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use regex::Regex;

use crate::cache::{FactCache, Lookup};
use crate::classify::{classify, parse_manifest};
use crate::eval::{Context, evaluate};
use crate::extract::{Extraction, extract};
use crate::facts::{Facts, Format, Problem};
use crate::identify::{formats_for_extension, identify};
use crate::input::{Input, Limits};
use crate::label::{find_labels, normalize};
use crate::lang::Lang;
use crate::model::{FileRecord, FileStatus, Project, Report, RoleName, SCHEMA, Tally, Verdict};
use crate::rules::RuleSet;
use crate::walk::{Found, walk_with};

crate::messages! {
    CATEGORY_CONTRADICTS_CODE = "pipeline.category_contradicts_code":
        "所选类别 {chosen}（{chosen_title}）与项目编号 {code} 表示的类别 {named}（{named_title}）不一致：请确认类别是否选对，以下结论按所选类别得出" /
        "The category chosen, {chosen} ({chosen_title}), differs from {named} ({named_title}), which the project code {code} names: please make sure the right category was chosen; the verdicts below follow the one chosen";
}
/// Name of the optional manifest at the root of a submission.
pub const MANIFEST: &str = "yanshou.toml";

/// What a check needs besides the path.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Rule-set id given by the user (`--category`, the page's selector, an audit's category
    /// list): it decides, whatever the name and the documents say. Any case (`xxjl-2025`).
    pub category: Option<String>,
    /// How the dossier names where `category` came from ("--category", "页面选择" …);
    /// `None`: "--category".
    pub category_source: Option<String>,
    /// The rule set to use when neither the project code nor the documents decide (an
    /// audit's `--category`): a default, never an override.
    pub fallback_category: Option<String>,
    /// XXJL level given by the user (`--level`): international / national / regional.
    pub level: Option<String>,
    pub strict: bool,
    pub limits: Limits,
    /// The language of the report's titles, messages and evidence (`--lang`).
    pub lang: Lang,
}

/// Why a check could not run (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("无法读取 {path}：{}", crate::os_error::zh(source))]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("未知的类别 “{0}”（可用：{1}）")]
    UnknownCategory(String, String),
    #[error(
        "无法判断项目类别：文件夹名中没有项目编号（如 XXJL-2025-03），文档中也没有足够的线索。请用 --category 指定（可用：{0}）"
    )]
    CategoryUnknown(String),
    #[error("未知的级别 “{0}”（可用：{1}）")]
    UnknownLevel(String, String),
    #[error("清单文件 {MANIFEST} 有误：{0}")]
    Manifest(String),
}

/// A per-file progress callback: display path and size in bytes, called from worker threads.
pub type OnFile<'a> = dyn Fn(&str, u64) + Sync + 'a;

/// What a batch run adds to a check: a facts cache and a per-file progress callback. The
/// default (no cache, no callback) is what `yanshou check` uses.
#[derive(Default, Clone, Copy)]
pub struct Hooks<'a> {
    pub cache: Option<&'a FactCache>,
    /// Called once per file after it was read (or taken from the cache), with its display path
    /// and size in bytes. Called from worker threads.
    pub on_file: Option<&'a OnFile<'a>>,
}

/// [`read_file`] through an optional facts cache: a hit skips identify/extract/labels.
pub fn read_file_cached(
    input: &Input,
    labels: &[String],
    distance: usize,
    limits: &Limits,
    cache: Option<&FactCache>,
) -> FileRecord {
    let Some(cache) = cache else {
        return read_file(input, labels, distance, limits);
    };
    // Findings made while walking (`input.notes`, e.g. an archive entry's name) belong to this
    // path, not to the bytes: they are kept out of the cache and put back on a hit.
    match cache.lookup(input) {
        Lookup::Hit(mut record) => {
            if !input.notes.is_empty() {
                let mut problems = input.notes.clone();
                problems.append(&mut record.problems);
                record.problems = problems;
            }
            *record
        }
        Lookup::Miss(key) => {
            let record = read_file(input, labels, distance, limits);
            let mut stored = record.clone();
            stored
                .problems
                .drain(..input.notes.len().min(stored.problems.len()));
            cache.store(&key, &stored);
            record
        }
        Lookup::Skip => read_file(input, labels, distance, limits),
    }
}

/// Reads one file: identify by content, extract, find labels, OCR — isolated (see
/// [`crate::isolate`]: a worker process killed at the deadline, under a memory ceiling; a
/// crash or a timeout becomes a finding for this file only). Findings made while walking
/// (`input.notes`) come first.
pub fn read_file(input: &Input, labels: &[String], distance: usize, limits: &Limits) -> FileRecord {
    let mut record = crate::isolate::read(input, labels, distance, limits, read_file_unisolated);
    if !input.notes.is_empty() {
        let mut problems = input.notes.clone();
        problems.append(&mut record.problems);
        record.problems = problems;
    }
    record
}

/// Everything reading one file does, in the calling thread and process: identify, extract,
/// labels, then OCR when an engine is given and the file has something for it. This is what a
/// worker process runs for each request.
pub fn read_file_unisolated(
    input: &Input,
    labels: &[String],
    distance: usize,
    limits: &Limits,
) -> FileRecord {
    let mut record = read_file_here(input, labels, distance, limits);
    if let Some(ocr) = &limits.ocr {
        add_ocr(ocr, input, &mut record, labels, distance, limits);
    }
    record
}

/// Runs OCR on a file read without it, when it has scanned pages or is a photo whose labels
/// are not all in its metadata, then searches the labels again (OCR text included). Inside
/// the file's isolation (its deadline includes the OCR budget); each recognition also has its
/// own deadline and is killed on it.
fn add_ocr(
    ocr: &crate::ocr::Ocr,
    input: &Input,
    record: &mut FileRecord,
    labels: &[String],
    distance: usize,
    limits: &Limits,
) {
    if record.status != FileStatus::Read {
        return;
    }
    let (format, kind) = (record.format, record.kind);
    let Some(facts) = record.facts.as_mut() else {
        return;
    };
    if !crate::ocr::wanted(format, kind, facts, labels) {
        return;
    }
    crate::isolate::ocr_starting();
    crate::ocr::enrich(ocr, input, format, facts, limits, &mut record.problems);
    if facts.ocr.is_some() {
        facts.labels = find_labels(facts, labels, distance);
        crate::ocr::frames::findings(facts, labels, &mut record.problems);
    }
}

/// Identify, extract and find labels on the calling thread, without isolation (panics in
/// extractors are still caught by [`extract`]); no OCR.
pub fn read_file_here(
    input: &Input,
    labels: &[String],
    distance: usize,
    limits: &Limits,
) -> FileRecord {
    let mut problems = Vec::new();
    let format = match input.open().and_then(|mut r| identify(&mut r)) {
        Ok(f) => f,
        Err(e) => {
            let problem = crate::input::source::take_ratio_breach()
                .map(ratio_problem)
                .unwrap_or_else(|| {
                    Problem::new(
                        crate::codes::UNREADABLE_IO,
                        format!("无法打开文件（{e}）；请检查文件是否存在、是否有读取权限"),
                    )
                });
            return crate::isolate::failed_record(input, problem);
        }
    };
    let ext = input.extension();
    let promised = formats_for_extension(&ext);
    if !promised.is_empty() && !promised.contains(&format) && format != Format::Empty {
        problems.push(Problem::new(
            crate::codes::FORMAT_MISMATCH,
            format!(
                "扩展名为 .{ext}，但内容是 {}，已按实际格式读取；建议改正扩展名",
                format.name()
            ),
        ));
    }
    let (status, facts) = match format {
        Format::Empty => {
            problems.push(Problem::new(
                crate::codes::UNREADABLE_EMPTY,
                "空文件（0 字节），请重新提交",
            ));
            (FileStatus::Unreadable, None)
        }
        _ => match with_ratio_check(extract(input, format, limits, &mut problems)) {
            Extraction::Read(mut facts) => {
                facts.labels = find_labels(&facts, labels, distance);
                (FileStatus::Read, Some(facts))
            }
            Extraction::Unreadable(p) => {
                let status = if p.code.starts_with("unsupported.") {
                    FileStatus::Unsupported
                } else {
                    FileStatus::Unreadable
                };
                problems.insert(0, p);
                (status, None)
            }
            Extraction::Unsupported => {
                problems.insert(
                    0,
                    Problem::new(
                        crate::codes::UNSUPPORTED_FORMAT,
                        format!(
                            "暂不支持读取 {} 格式，文件已列出但未检查内容；如为验收材料，请转换为 PDF、DOCX、PPTX 或 MP4 后提交",
                            format.name()
                        ),
                    ),
                );
                (FileStatus::Unsupported, None)
            }
        },
    };
    // An encrypted .docx/.pptx/.xlsx *is* an OLE container (Office wraps the encrypted package
    // in one): the extension is right, so only the encryption is reported.
    if problems
        .iter()
        .any(|p| p.code == crate::codes::UNREADABLE_ENCRYPTED)
        && format == Format::Ole
    {
        problems.retain(|p| p.code != crate::codes::FORMAT_MISMATCH);
    }
    let kind = facts
        .as_ref()
        .and_then(|f| f.kind_override)
        .unwrap_or_else(|| format.kind());
    FileRecord {
        path: input.display.clone(),
        format,
        kind,
        size: input.size,
        status,
        role: None,
        role_reason: None,
        facts,
        problems,
    }
}

/// An extraction that stopped on a compression-ratio breach (an archive entry inflating far
/// beyond what its compressed bytes can honestly hold) is reported as that, whatever error the
/// extractor made of the reader's refusal.
fn with_ratio_check(extraction: Extraction) -> Extraction {
    match crate::input::source::take_ratio_breach() {
        Some(breach) => Extraction::Unreadable(ratio_problem(breach)),
        None => extraction,
    }
}

fn ratio_problem(breach: crate::input::source::RatioBreach) -> Problem {
    Problem::new(
        crate::codes::LIMIT_RATIO,
        format!(
            "压缩比异常（解压出 {} 字节时只读入了 {} 字节压缩数据，超过 {}:1），疑似压缩炸弹，已停止读取；如确为正常文件，请解压后直接提交",
            crate::count::thousands(breach.inflated),
            crate::count::thousands(breach.consumed),
            breach.max
        ),
    )
}

/// Every label of every rule set, and the largest near-miss distance, for reading files before
/// the category is known.
pub fn all_labels(sets: &[RuleSet]) -> (Vec<String>, usize) {
    let mut labels: Vec<String> = sets.iter().flat_map(|s| s.labels.clone()).collect();
    labels.sort();
    labels.dedup();
    let distance = sets.iter().map(|s| s.near_miss_distance).max().unwrap_or(2);
    (labels, distance)
}

/// Checks one submission (folder or single file) against the rule sets.
pub fn check(path: &Path, sets: &[RuleSet], options: &Options) -> Result<Report, RunError> {
    check_with(path, sets, options, Hooks::default())
}

/// [`check`] with a facts cache and a progress callback (see [`Hooks`]).
pub fn check_with(
    path: &Path,
    sets: &[RuleSet],
    options: &Options,
    hooks: Hooks<'_>,
) -> Result<Report, RunError> {
    let walked = walk_with(path, &options.limits).map_err(|source| RunError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let found = walked.found;
    let root_name = walked.name;

    // An explicit category must exist before any file is read (in any letter case).
    for c in [&options.category, &options.fallback_category]
        .into_iter()
        .flatten()
    {
        if find_set(sets, c).is_none() {
            return Err(RunError::UnknownCategory(c.clone(), ids(sets)));
        }
    }

    let (labels, distance) = all_labels(sets);
    let mut manifest = BTreeMap::new();
    let mut files: Vec<FileRecord> = found
        .par_iter()
        .map(|item| match item {
            Found::File(input) if input.display == MANIFEST => FileRecord {
                path: input.display.clone(),
                format: Format::Txt,
                kind: Format::Txt.kind(),
                size: input.size,
                status: FileStatus::Ignored,
                role: None,
                role_reason: None,
                facts: None,
                problems: vec![Problem::new(
                    crate::codes::IGNORED_MANIFEST,
                    "yanshou 清单文件（指定文件角色），不作为提交材料检查",
                )],
            },
            Found::File(input) => {
                let record =
                    read_file_cached(input, &labels, distance, &options.limits, hooks.cache);
                if let Some(f) = hooks.on_file {
                    f(&input.display, input.size);
                }
                record
            }
            Found::Ignored { display, reason } => {
                ignored(display, reason.clone(), FileStatus::Ignored)
            }
            Found::Broken { display, problem } => {
                ignored(display, problem.clone(), FileStatus::Unreadable)
            }
        })
        .collect();
    if let Some(Found::File(input)) = found.iter().find(|f| f.display() == MANIFEST) {
        let text = input
            .read_all(1 << 20)
            .map_err(|p| RunError::Manifest(p.message))?;
        manifest = parse_manifest(&String::from_utf8_lossy(&text)).map_err(RunError::Manifest)?;
    }

    // The archive the submission came in is its container, not one of its files.
    let archive = walked.archive.as_ref().and_then(|display| {
        let at = files.iter().position(|f| &f.path == display)?;
        Some(files.remove(at))
    });
    let blocker = blocker(archive.as_ref(), &files, &root_name);

    let code = project_code(&root_name);
    let (rules, category_source) = match choose_rules(sets, options, code.as_deref(), &files) {
        Ok(chosen) => chosen,
        // Nothing could be read: the reason is the damaged archive or the empty folder, never
        // a question about the category.
        Err(RunError::CategoryUnknown(_)) if blocker.is_some() => {
            return Ok(blocked_report(
                root_name, code, None, options, files, archive, blocker,
            ));
        }
        Err(e) => return Err(e),
    };
    // Known category, nothing to read: no requirement is evaluated against nothing (nine
    // "未找到…请提交" would bury the one thing to fix: the archive or the empty folder).
    if blocker.is_some() {
        return Ok(blocked_report(
            root_name,
            code,
            Some((rules, category_source)),
            options,
            files,
            archive,
            blocker,
        ));
    }
    let mut notices = Vec::new();
    if options.category.is_some()
        && let Some(code) = &code
        && let Some(by_code) = sets.iter().find(|s| code.starts_with(&s.code_prefix))
        && by_code.id != rules.id
    {
        let args = crate::args!(
            chosen = rules.id.as_str(),
            chosen_title = rules.title_in(options.lang),
            code = code.as_str(),
            named = by_code.id.as_str(),
            named_title = by_code.title_in(options.lang)
        );
        notices.push(CATEGORY_CONTRADICTS_CODE.render(options.lang, &args));
    }

    for f in &mut files {
        if f.status == FileStatus::Ignored {
            continue;
        }
        if let Some(a) = classify(rules, &f.path, f.kind, f.facts.as_ref(), &manifest) {
            f.role = Some(a.role);
            f.role_reason = Some(match options.lang {
                Lang::Zh => a.reason,
                Lang::En => a.reason_en,
            });
        }
    }

    let (level, level_source) = decide_level(rules, options, &root_name, &files)?;
    let requirements = evaluate(&Context::new(rules, &files, level.as_deref(), options.lang));
    let roles = role_names(rules, options.lang);
    let verdict = if blocker.is_some() {
        Verdict::Fail
    } else {
        Verdict::overall(requirements.iter().map(|r| r.verdict))
    };
    let tally = Tally {
        pass: count_verdict(&requirements, Verdict::Pass),
        review: count_verdict(&requirements, Verdict::Review),
        fail: count_verdict(&requirements, Verdict::Fail),
        files: files.len(),
        unreadable: files
            .iter()
            .filter(|f| matches!(f.status, FileStatus::Unreadable | FileStatus::Unsupported))
            .count(),
    };
    Ok(Report {
        schema: SCHEMA.to_string(),
        tool: format!("yanshou {}", env!("CARGO_PKG_VERSION")),
        verdict,
        strict: options.strict,
        project: Project {
            society: society(&root_name).or_else(|| society_in_documents(&files)),
            name: root_name,
            code,
            category: rules.id.clone(),
            category_title: rules.title_in(options.lang).to_string(),
            category_source,
            level: level.map(|id| level_name(rules, &id, options.lang)),
            level_source,
        },
        tally,
        requirements,
        files,
        roles,
        archive,
        blocker,
        notices,
        findings: Vec::new(),
    })
}

/// Why a submission cannot be checked at all, if it cannot: the archive it came in could not
/// be opened, or there is no file in it.
fn blocker(archive: Option<&FileRecord>, files: &[FileRecord], name: &str) -> Option<Problem> {
    if let Some(a) = archive
        && a.status != FileStatus::Read
    {
        // The archive's own finding, without its advice (said once, below) and without the
        // parser's words in English (they stay in the archive's record, in the JSON).
        let why = a
            .problems
            .first()
            .map(|p| crate::msg::plain_reason(&p.message))
            .unwrap_or_else(|| a.status.zh().to_string());
        return Some(Problem::new(
            crate::codes::SUBMISSION_UNOPENABLE,
            format!(
                "提交的压缩包 {} 无法打开（{why}），其中的材料都没有核查。请重新打包（建议用 zip 格式，不加密码）后再提交",
                a.path
            ),
        ));
    }
    if files.iter().all(|f| f.status == FileStatus::Ignored) {
        let what = if archive.is_some() {
            "压缩包"
        } else {
            "文件夹"
        };
        return Some(Problem::new(
            crate::codes::SUBMISSION_EMPTY,
            format!("提交材料{what} {name} 中没有任何文件：请放入结题材料后再核查"),
        ));
    }
    None
}

/// The dossier of a submission that could not be opened or holds nothing: no requirement can
/// be evaluated; the verdict is `fail` for the reason in `blocker`. The category is shown when
/// the name or the user tells it (`category`), else "not known".
fn blocked_report(
    name: String,
    code: Option<String>,
    category: Option<(&RuleSet, String)>,
    options: &Options,
    files: Vec<FileRecord>,
    archive: Option<FileRecord>,
    blocker: Option<Problem>,
) -> Report {
    let (id, title, source) = match (category, options.lang) {
        (Some((rules, source)), lang) => {
            (rules.id.clone(), rules.title_in(lang).to_string(), source)
        }
        (None, Lang::Zh) => (
            String::new(),
            "未能判断（材料无法打开）".to_string(),
            String::new(),
        ),
        (None, Lang::En) => (
            String::new(),
            "not known (the materials could not be opened)".to_string(),
            String::new(),
        ),
    };
    Report {
        schema: SCHEMA.to_string(),
        tool: format!("yanshou {}", env!("CARGO_PKG_VERSION")),
        verdict: Verdict::Fail,
        strict: options.strict,
        project: Project {
            society: society(&name).or_else(|| society_in_documents(&files)),
            name,
            code,
            category: id,
            category_title: title,
            category_source: source,
            level: None,
            level_source: None,
        },
        tally: Tally {
            files: files.len(),
            unreadable: files
                .iter()
                .filter(|f| matches!(f.status, FileStatus::Unreadable | FileStatus::Unsupported))
                .count(),
            ..Tally::default()
        },
        requirements: Vec::new(),
        files,
        roles: Vec::new(),
        archive,
        blocker,
        notices: Vec::new(),
        findings: Vec::new(),
    }
}

/// The rule set with this id, in any letter case.
fn find_set<'a>(sets: &'a [RuleSet], id: &str) -> Option<&'a RuleSet> {
    sets.iter().find(|s| s.id.eq_ignore_ascii_case(id))
}

/// The names of the rule set's roles in `lang`, with the roles each also serves.
fn role_names(rules: &RuleSet, lang: Lang) -> Vec<RoleName> {
    rules
        .roles
        .iter()
        .map(|r| RoleName {
            id: r.id.clone(),
            name: r.name_in(lang).to_string(),
            also: rules
                .also_serves(&r.id)
                .iter()
                .map(|x| x.name_in(lang).to_string())
                .collect(),
        })
        .collect()
}

fn count_verdict(reqs: &[crate::model::RequirementResult], v: Verdict) -> usize {
    reqs.iter().filter(|r| r.verdict == v).count()
}

fn ignored(display: &str, problem: Problem, status: FileStatus) -> FileRecord {
    FileRecord {
        path: display.to_string(),
        format: Format::Unknown,
        kind: Format::Unknown.kind(),
        size: 0,
        status,
        role: None,
        role_reason: None,
        facts: None,
        problems: vec![problem],
    }
}

fn ids(sets: &[RuleSet]) -> String {
    sets.iter()
        .map(|s| s.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A project code such as `XXJL-2025-03` in a folder or file name.
pub fn project_code(name: &str) -> Option<String> {
    let re = Regex::new(r"(?i)([A-Z]{4}-\d{4}(?:-\d{1,3})?)").ok()?;
    re.captures(name)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().to_ascii_uppercase())
}

/// The society (学会) named in a submission folder or archive name: the segment that names
/// one (…学会, 协会, 研究会, 学会党委 …), before or after the project code:
/// `XXJL-2025-01-新疆农学会-全疆学术年会` and `01_自治区计算机学会_XXJL-2025-03_学术交流项目结项材料`
/// both name theirs. `None` when no segment names a society (then the documents may tell, see
/// [`society_in_documents`]).
pub fn society(name: &str) -> Option<String> {
    let name = ["zip", "7z", "rar"]
        .iter()
        .find_map(|ext| {
            name.rsplit_once('.')
                .filter(|(_, e)| e.eq_ignore_ascii_case(ext))
                .map(|(stem, _)| stem)
        })
        .unwrap_or(name);
    let re = Regex::new(r"(?i)[A-Z]{4}-\d{4}(?:-\d{1,3})?").ok()?;
    let without_code = re.replace_all(name, "-");
    without_code
        .split(|c: char| {
            matches!(
                c,
                '-' | '_' | '—' | '–' | '·' | '　' | ' ' | '（' | '）' | '(' | ')' | '、'
            )
        })
        .map(str::trim)
        .find(|s| SOCIETY_SUFFIXES.iter().any(|k| s.ends_with(k)) && s.chars().count() > 2)
        .map(str::to_string)
}

/// What the name of a society ends with.
const SOCIETY_SUFFIXES: [&str; 6] = ["学会", "协会", "研究会", "联合会", "促进会", "学会党委"];

/// The society the documents name most often ("新疆计算机学会"), for a submission whose name
/// does not say; `None` when no name of a society occurs.
pub fn society_in_documents(files: &[FileRecord]) -> Option<String> {
    let re = Regex::new(
        r"((?:新疆维吾尔自治区|新疆|自治区)[\p{Han}]{1,14}?(?:学会|协会|研究会|促进会))",
    )
    .ok()?;
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for f in files {
        let Some(facts) = &f.facts else { continue };
        for m in re.find_iter(&facts.all_text()) {
            *counts.entry(m.as_str().to_string()).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|(name, n)| (*n, std::cmp::Reverse(name.chars().count())))
        .map(|(name, _)| name)
}

fn choose_rules<'a>(
    sets: &'a [RuleSet],
    options: &Options,
    code: Option<&str>,
    files: &[FileRecord],
) -> Result<(&'a RuleSet, String), RunError> {
    if let Some(c) = &options.category {
        let set =
            find_set(sets, c).ok_or_else(|| RunError::UnknownCategory(c.clone(), ids(sets)))?;
        let source = options
            .category_source
            .clone()
            .unwrap_or_else(|| "--category".into());
        return Ok((set, source));
    }
    if let Some(code) = code
        && let Some(set) = sets.iter().find(|s| code.starts_with(&s.code_prefix))
    {
        return Ok((
            set,
            match options.lang {
                Lang::Zh => format!("项目编号 {code}"),
                Lang::En => format!("project code {code}"),
            },
        ));
    }
    // The documents' vocabulary: the rule set whose keywords occur most, if it clearly leads.
    let text: String = files
        .iter()
        .map(|f| {
            let body = f.facts.as_ref().map(Facts::all_text).unwrap_or_default();
            format!("{}\n{}", f.path, body)
        })
        .collect::<Vec<_>>()
        .join("\n");
    let text = normalize(&text);
    let mut scores: Vec<(usize, &RuleSet)> = sets
        .iter()
        .map(|s| {
            let n = s
                .detect_keywords
                .iter()
                .map(|k| text.matches(&normalize(k)).count())
                .sum();
            (n, s)
        })
        .collect();
    scores.sort_by_key(|s| std::cmp::Reverse(s.0));
    match scores.as_slice() {
        [(best, set), rest @ ..] if *best > 0 && rest.first().is_none_or(|r| r.0 * 2 <= *best) => {
            Ok((
                set,
                match options.lang {
                    Lang::Zh => format!("文档内容（关键词命中 {best} 次）"),
                    Lang::En => format!("content of the documents ({best} keyword hits)"),
                },
            ))
        }
        _ => match options
            .fallback_category
            .as_deref()
            .and_then(|c| find_set(sets, c))
        {
            Some(set) => Ok((
                set,
                match options.lang {
                    Lang::Zh => "默认类别（audit --category）".to_string(),
                    Lang::En => "default category (audit --category)".to_string(),
                },
            )),
            None => Err(RunError::CategoryUnknown(ids(sets))),
        },
    }
}

fn level_name(rules: &RuleSet, id: &str, lang: Lang) -> String {
    rules
        .levels
        .iter()
        .find(|l| l.id == id)
        .map(|l| l.name_in(lang).to_string())
        .unwrap_or_else(|| id.to_string())
}

/// The XXJL level: `--level`, else the folder name, else the documents of `level_roles`.
fn decide_level(
    rules: &RuleSet,
    options: &Options,
    root_name: &str,
    files: &[FileRecord],
) -> Result<(Option<String>, Option<String>), RunError> {
    if rules.levels.is_empty() {
        return Ok((None, None));
    }
    if let Some(l) = &options.level {
        let ids: Vec<&str> = rules.levels.iter().map(|x| x.id.as_str()).collect();
        let found = rules
            .levels
            .iter()
            .find(|x| &x.id == l || &x.name == l || x.name.starts_with(l.as_str()));
        return match found {
            Some(x) => Ok((Some(x.id.clone()), Some("--level".into()))),
            None => Err(RunError::UnknownLevel(l.clone(), ids.join(", "))),
        };
    }
    let score = |text: &str| -> Vec<usize> {
        let text = normalize(text);
        rules
            .levels
            .iter()
            .map(|l| {
                l.keywords
                    .iter()
                    .map(|k| text.matches(&normalize(k)).count())
                    .sum()
            })
            .collect()
    };
    let pick = |scores: &[usize]| -> Option<usize> {
        let max = *scores.iter().max()?;
        (max > 0 && scores.iter().filter(|s| **s == max).count() == 1)
            .then(|| scores.iter().position(|s| *s == max))
            .flatten()
    };
    if let Some(i) = pick(&score(root_name)) {
        let source = match options.lang {
            Lang::Zh => "文件夹名",
            Lang::En => "folder name",
        };
        return Ok((Some(rules.levels[i].id.clone()), Some(source.into())));
    }
    // The roles are asked in the rule file's order (the meeting notice before the summary,
    // which may compare the meeting with others): the first that names one level decides.
    let roles: Vec<Option<&String>> = if rules.level_roles.is_empty() {
        vec![None]
    } else {
        rules.level_roles.iter().map(Some).collect()
    };
    for role in roles {
        let text: String = files
            .iter()
            .filter(|f| role.is_none_or(|r| f.role.as_ref() == Some(r)))
            .filter_map(|f| f.facts.as_ref().map(Facts::all_text))
            .collect::<Vec<_>>()
            .join("\n");
        if let Some(i) = pick(&score(&text)) {
            let source = match (role, options.lang) {
                (Some(r), Lang::Zh) => format!("{}内容", rules.role_name(r)),
                (Some(r), Lang::En) => {
                    format!(
                        "content of the {}",
                        rules.role_name_in(r, Lang::En).to_lowercase()
                    )
                }
                (None, Lang::Zh) => "文档内容".to_string(),
                (None, Lang::En) => "content of the documents".to_string(),
            };
            return Ok((Some(rules.levels[i].id.clone()), Some(source)));
        }
    }
    Ok((None, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_messages_are_consistent() {
        let all: Vec<&crate::msg::Message> = MESSAGES.iter().collect();
        assert!(crate::msg::check_catalog(&all).is_empty());
        let args = crate::args!(
            chosen = "QKPY-2025",
            chosen_title = "一流科技期刊培育",
            code = "XXJL-2025-03",
            named = "XXJL-2025",
            named_title = "重点学术交流活动"
        );
        let zh = CATEGORY_CONTRADICTS_CODE.render(Lang::Zh, &args);
        assert!(
            zh.starts_with("所选类别 QKPY-2025（一流科技期刊培育）与项目编号 XXJL-2025-03"),
            "{zh}"
        );
        let en = CATEGORY_CONTRADICTS_CODE.render(Lang::En, &args);
        assert!(!en.contains('{'), "{en}");
    }

    #[test]
    fn project_codes() {
        let table: &[(&str, Option<&str>)] = &[
            ("XXJL-2025-01-新疆农学会-全疆学术年会", Some("XXJL-2025-01")),
            ("djqc-2025-2 党建", Some("DJQC-2025-2")),
            ("QKPY-2025", Some("QKPY-2025")),
            ("总结材料", None),
        ];
        for (name, want) in table {
            assert_eq!(project_code(name).as_deref(), *want, "{name}");
        }
    }

    #[test]
    fn societies() {
        let table: &[(&str, Option<&str>)] = &[
            ("XXJL-2025-01-新疆农学会-全疆学术年会", Some("新疆农学会")),
            ("XXJL-2025-02_新疆医学会_国际论坛.zip", Some("新疆医学会")),
            ("QKPY-2025-03 新疆地理学会", Some("新疆地理学会")),
            (
                "DJQC-2025-04-党建强会-新疆计算机学会",
                Some("新疆计算机学会"),
            ),
            ("XXJL-2025-05-某单位", None),
            ("XXJL-2025-06", None),
            ("新疆植物保护学会材料", None),
            ("新疆植物保护学会", Some("新疆植物保护学会")),
            (
                "01_自治区计算机学会_XXJL-2025-03_学术交流项目结项材料",
                Some("自治区计算机学会"),
            ),
            (
                "10_自治区药学会_QKPY-2025-06_结项材料.7z",
                Some("自治区药学会"),
            ),
            ("XXJL-2025-03_学术交流项目结项材料.zip", None),
            (
                "DJQC-2025-01-新疆水利学会党委-党建强会",
                Some("新疆水利学会党委"),
            ),
        ];
        for (name, want) in table {
            assert_eq!(society(name).as_deref(), *want, "{name}");
        }
    }
}
