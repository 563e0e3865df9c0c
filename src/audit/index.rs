//! `index.html`: one self-contained page over the whole audit, linking every dossier.
//!
//! A minijinja template (`templates/index.html`, embedded) rendered from a small view; its name
//! ends in `.html`, so minijinja escapes every value (folder names come from submitters). Sorting
//! (click a column heading) and filtering by verdict are a few lines of inline script with no
//! library and no network, so the page works from a USB stick or a file share; without script
//! the table is still complete, in discovery order.

use serde::Serialize;

use super::AuditResult;
use crate::report::lang::{Labels, Lang};

const TEMPLATE_NAME: &str = "index.html";
const TEMPLATE: &str = include_str!("../../templates/index.html");

#[derive(Serialize)]
struct View<'a> {
    t: &'static Labels,
    lang_attr: &'static str,
    tool: &'a str,
    root: &'a str,
    checked_at: &'a str,
    counts: Vec<Count>,
    rows: Vec<Row<'a>>,
    /// The cross-submission section (`None` when the pass did not run).
    cross: Option<CrossView<'a>>,
}

#[derive(Serialize)]
struct CrossView<'a> {
    items: &'a [crate::cross::render::IndexItem],
    documents: usize,
    photos: usize,
    recordings: usize,
    earlier: usize,
    error: Option<&'a str>,
}

#[derive(Serialize)]
struct Count {
    key: &'static str,
    word: &'static str,
    n: usize,
}

#[derive(Serialize)]
struct Row<'a> {
    code: &'a str,
    society: &'a str,
    category: String,
    key: &'static str,
    word: &'static str,
    /// Sort rank of the verdict: pass < review < fail < error.
    rank: u8,
    fail: String,
    review: String,
    files: String,
    name: &'a str,
    dir: &'a str,
    linked: bool,
    error: Option<&'a str>,
    findings: &'a str,
    finding_count: usize,
}

/// Renders the index page.
pub(crate) fn render_index(result: &AuditResult, lang: Lang) -> Result<String, minijinja::Error> {
    let t = lang.labels();
    let counts = result
        .counts()
        .into_iter()
        .map(|(key, n)| Count {
            key,
            word: match key {
                "pass" => lang.verdict(crate::model::Verdict::Pass),
                "review" => lang.verdict(crate::model::Verdict::Review),
                "fail" => lang.verdict(crate::model::Verdict::Fail),
                _ => t.not_checked,
            },
            n,
        })
        .collect();
    let rows = result
        .projects
        .iter()
        .map(|p| {
            let checked = p.verdict.is_some();
            let num = |n: usize| {
                if checked {
                    n.to_string()
                } else {
                    String::new()
                }
            };
            Row {
                code: p.code.as_deref().unwrap_or(""),
                society: p.society.as_deref().unwrap_or(""),
                category: match (&p.category, &p.category_title) {
                    (Some(c), Some(ti)) => format!("{c} {ti}"),
                    (Some(c), None) => c.clone(),
                    _ => String::new(),
                },
                key: p.verdict_key(),
                word: p.verdict_word(lang),
                rank: match p.verdict_key() {
                    "pass" => 0,
                    "review" => 1,
                    "fail" => 2,
                    _ => 3,
                },
                fail: num(p.fail),
                review: num(p.review),
                files: num(p.files),
                name: &p.name,
                dir: &p.dir,
                linked: checked && p.error.is_none(),
                error: p.error.as_deref(),
                findings: &p.findings,
                finding_count: p.finding_count,
            }
        })
        .collect();
    let view = View {
        t,
        lang_attr: lang.html(),
        tool: &result.tool,
        root: &result.root,
        checked_at: &result.checked_at,
        counts,
        rows,
        cross: result.cross.as_ref().map(|c| CrossView {
            items: &c.items,
            documents: c.counts.documents,
            photos: c.counts.photos,
            recordings: c.counts.recordings,
            earlier: c.counts.earlier_projects,
            error: c.error.as_deref(),
        }),
    };
    let mut env = minijinja::Environment::new();
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()?,
    );
    env.add_template(TEMPLATE_NAME, TEMPLATE)?;
    let template = env.get_template(TEMPLATE_NAME)?;
    template.render(minijinja::Value::from(minijinja::value::Serde(&view)))
}
