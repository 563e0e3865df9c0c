//! The audit's side of the cross-submission pass ([`crate::cross`]): what runs once every
//! project is checked.
//!
//! Why the dossiers are written twice (for the projects with findings only) rather than once
//! at the end: a dossier is written as soon as its project is checked, so memory stays flat and
//! an interrupted audit still leaves every finished dossier behind. The pass then knows which
//! projects have findings; only those are written again, from the report the pass spilled to
//! disk (texts included, so the renderers see exactly what they saw the first time), with the
//! section 跨项目发现 added. Verdicts, rows and exit code are untouched: findings are evidence.

use std::path::Path;

use serde::Serialize;

use super::ProjectRow;
use crate::cross::render::{IndexItem, by_project, findings_for, index_items, summary_cell};
use crate::cross::{Counts, Pass};
use crate::lang::Lang;
use crate::report::{dossier_meta, write_out_dir_with};

/// What the pass found and cost, for the summary, the index page and `summary.json`.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct CrossResult {
    pub counts: Counts,
    /// Findings in all (pairs counted once).
    pub findings: usize,
    /// Seconds the comparison took after the last project was read (rewriting dossiers included).
    pub seconds: f64,
    /// Earlier audits compared with (`--compare-with`).
    pub compared_with: Vec<String>,
    /// Every finding for the index page (previews included; left out of `summary.json`).
    #[serde(skip)]
    pub items: Vec<IndexItem>,
    /// Why the pass could not finish (the audit itself still stands).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Finishes the pass: compares, writes `fingerprints.jsonl`, writes again the dossiers of the
/// projects with findings and fills the rows' findings column.
pub(crate) fn finish(
    pass: &Pass,
    rows: &mut [ProjectRow],
    out: &Path,
    root: &str,
    checked_at: &str,
    lang: Lang,
    compared_with: &[std::path::PathBuf],
) -> CrossResult {
    let started = std::time::Instant::now();
    let mut result = CrossResult {
        compared_with: compared_with
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        ..CrossResult::default()
    };
    let outcome = match pass.finish(out, root, checked_at) {
        Ok(o) => o,
        Err(e) => {
            result.error = Some(e);
            return result;
        }
    };
    let per = by_project(&outcome, rows.len());
    for (i, (row, items)) in rows.iter_mut().zip(&per).enumerate() {
        if items.is_empty() {
            continue;
        }
        let findings = findings_for(&outcome, i, items, out, lang);
        row.findings = summary_cell(&findings, lang);
        row.finding_count = findings.len();
        // The dossier again, with its section; the row keeps its verdict whatever happens.
        if let Some(mut report) = pass.report(i) {
            report.findings = findings;
            let meta = dossier_meta(&report, lang, checked_at.to_string());
            if let Err(e) = write_out_dir_with(&report, &out.join(&row.dir), &meta) {
                row.error
                    .get_or_insert_with(|| format!("无法写入跨项目发现：{e}"));
            }
        }
    }
    result.counts = outcome.counts;
    result.findings = outcome.items.len();
    result.items = index_items(&outcome, out, lang);
    result.seconds = started.elapsed().as_secs_f64();
    result
}
