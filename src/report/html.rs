//! The HTML dossier: one self-contained page a reviewer opens, prints on A4 and signs.
//!
//! The page is a minijinja template (`templates/dossier.html`, embedded with `include_str!`,
//! so the binary needs no file beside it) rendered from a *view* built here: every number is
//! already formatted by [`crate::report::format`], every evidence link already resolved to a
//! `#file-N` anchor. The template only lays things out, so it stays readable and the wording
//! matches the terminal and Markdown output. The template is registered as `dossier.html`, which
//! turns minijinja's HTML auto-escaping on: file names and messages come from the submission
//! and are untrusted. No script, no web font, no network: inline CSS with a Chinese font stack
//! of fonts the reviewer's machine already has.

use std::collections::HashMap;

use serde::Serialize;

use crate::model::{Project, Report, Tally};
use crate::report::format::{self, DASH, LabelLine};
use crate::report::lang::{Labels, Lang};

const TEMPLATE_NAME: &str = "dossier.html";
const TEMPLATE: &str = include_str!("../../templates/dossier.html");

#[derive(Serialize)]
struct View<'a> {
    t: &'static Labels,
    lang_attr: &'static str,
    schema: &'a str,
    tool: &'a str,
    strict: bool,
    verdict: &'static str,
    verdict_zh: &'static str,
    mark: &'static str,
    project: &'a Project,
    tally: &'a Tally,
    tally_text: String,
    category_line: String,
    /// How the submission's archive was read, when it came as one.
    archive: Option<String>,
    /// Why nothing could be checked, when nothing could.
    blocker: Option<&'a str>,
    notices: &'a [String],
    /// The audit's cross-submission findings (previews and links included).
    findings: &'a [crate::report::model::Finding],
    fixes: Vec<format::Fix>,
    requirements: Vec<ReqView<'a>>,
    files: Vec<FileView<'a>>,
}

#[derive(Serialize)]
struct ReqView<'a> {
    n: usize,
    id: &'a str,
    title: &'a str,
    guide: &'a str,
    verdict: &'static str,
    verdict_zh: &'static str,
    mark: &'static str,
    measured: &'a str,
    threshold: &'a str,
    message: &'a str,
    evidence: Vec<EvidenceView<'a>>,
}

#[derive(Serialize)]
struct EvidenceView<'a> {
    path: &'a str,
    detail: &'a str,
    /// `file-N` when the path is in the file list, else none (shown without a link).
    anchor: Option<String>,
}

#[derive(Serialize)]
struct FileView<'a> {
    n: usize,
    anchor: String,
    path: &'a str,
    format: &'static str,
    kind: &'static str,
    size: String,
    status: &'a crate::model::FileStatus,
    status_zh: &'static str,
    role: Option<String>,
    role_reason: Option<&'a str>,
    title: Option<&'a str>,
    words: String,
    counts: Vec<String>,
    extent: String,
    recorded: Option<String>,
    scanned: Option<String>,
    duration_detail: Option<String>,
    technical: Vec<String>,
    labels: Vec<LabelLine>,
    has_facts: bool,
    problems: Vec<ProblemView>,
}

#[derive(Serialize)]
struct ProblemView {
    message: String,
}

fn non_empty(s: &str) -> &str {
    if s.trim().is_empty() { DASH } else { s }
}

fn view(report: &Report, lang: Lang) -> View<'_> {
    // Path → first row, built once: a batch dossier can have hundreds of files and evidence.
    let mut rows: HashMap<&str, usize> = HashMap::with_capacity(report.files.len());
    for (i, f) in report.files.iter().enumerate() {
        rows.entry(f.path.as_str()).or_insert(i);
    }
    let requirements = report
        .requirements
        .iter()
        .enumerate()
        .map(|(i, r)| ReqView {
            n: i + 1,
            id: &r.id,
            title: &r.title,
            guide: r.guide.trim(),
            verdict: r.verdict.en(),
            verdict_zh: lang.verdict(r.verdict),
            mark: format::mark(r.verdict),
            measured: non_empty(&r.measured_text),
            threshold: non_empty(&r.threshold_text),
            message: r.message.trim(),
            evidence: r
                .evidence
                .iter()
                .map(|e| EvidenceView {
                    path: &e.path,
                    detail: e.detail.trim(),
                    anchor: rows.get(e.path.as_str()).copied().map(format::file_anchor),
                })
                .collect(),
        })
        .collect();
    let files = report
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let facts = f.facts.as_ref();
            let has_text = facts.is_some_and(|x| x.parts.iter().any(|p| p.kind.counted()));
            FileView {
                n: i + 1,
                anchor: format::file_anchor(i),
                path: &f.path,
                format: f.format.name(),
                kind: f.kind.name(),
                size: format::size(f.size),
                status: &f.status,
                status_zh: lang.status(f.status),
                role: f
                    .role
                    .as_deref()
                    .map(|r| crate::report::format::role_label(report, r, lang)),
                role_reason: f.role_reason.as_deref(),
                title: facts.and_then(|x| x.title.as_deref()),
                words: format::words(facts),
                counts: facts
                    .filter(|_| has_text)
                    .map(|x| format::counts_detail_in(x, lang))
                    .unwrap_or_default(),
                extent: facts
                    .and_then(|x| format::extent_in(x, lang))
                    .unwrap_or_else(|| DASH.to_string()),
                recorded: facts.and_then(|x| format::recorded_in(x, lang)),
                scanned: facts.and_then(|x| format::scanned_pages_in(x, lang)),
                duration_detail: facts.and_then(|x| x.duration.as_ref()).map(|d| {
                    let how = lang.duration_method(d.method);
                    match lang {
                        Lang::Zh => format!("时长来源：{how}"),
                        Lang::En => format!("duration from: {how}"),
                    }
                }),
                // What a developer or a curious reviewer may want, folded away: the problem
                // codes and how the duration was obtained, in the reader's own detail.
                technical: f
                    .problems
                    .iter()
                    .map(|p| p.code.clone())
                    .chain(
                        facts
                            .and_then(|x| x.duration.as_ref())
                            .map(|d| d.detail.trim().to_string())
                            .filter(|d| !d.is_empty()),
                    )
                    .collect(),
                labels: facts
                    .map(|x| format::labels_in(x, lang))
                    .unwrap_or_default(),
                has_facts: facts.is_some(),
                problems: f
                    .problems
                    .iter()
                    .map(|p| ProblemView {
                        message: crate::msg::for_people(lang.problem(p)),
                    })
                    .collect(),
            }
        })
        .collect();
    View {
        t: lang.labels(),
        lang_attr: lang.html(),
        schema: &report.schema,
        tool: &report.tool,
        strict: report.strict,
        verdict: report.verdict.en(),
        verdict_zh: lang.verdict(report.verdict),
        mark: format::mark(report.verdict),
        project: &report.project,
        tally: &report.tally,
        tally_text: format::tally_text_in(&report.tally, lang),
        archive: format::archive_line(report, lang),
        category_line: format::category_line(&report.project, lang),
        blocker: report.blocker.as_ref().map(|p| lang.problem(p)),
        notices: &report.notices,
        findings: &report.findings,
        fixes: format::fixes_in(report, lang),
        requirements,
        files,
    }
}

/// Renders the self-contained, printable HTML dossier (Chinese labels).
pub fn render_html(report: &Report) -> Result<String, minijinja::Error> {
    render_html_lang(report, Lang::Zh)
}

/// Renders the HTML dossier with the fixed labels, file facts and problems in `lang`
/// (requirement titles and messages are as the evaluator wrote them, in the check's language).
pub fn render_html_lang(report: &Report, lang: Lang) -> Result<String, minijinja::Error> {
    let mut env = minijinja::Environment::new();
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()?,
    );
    env.add_template(TEMPLATE_NAME, TEMPLATE)?;
    let template = env.get_template(TEMPLATE_NAME)?;
    let ctx = minijinja::Value::from(minijinja::value::Serde(&view(report, lang)));
    let mut html = template.render(ctx)?;
    if !html.ends_with('\n') {
        html.push('\n');
    }
    Ok(html)
}
