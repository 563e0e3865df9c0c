//! Rendering a finished [`model::Report`]: every renderer only reads the model.
//! (Temporary minimal renderers; replaced by the full terminal/markdown/html renderers.)

pub mod model;

use std::path::{Path, PathBuf};

use model::Report;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Terminal,
    Json,
    Markdown,
    Html,
}

pub fn render(report: &Report, format: OutputFormat, _color: bool) -> Result<String, String> {
    match format {
        OutputFormat::Json => serde_json::to_string_pretty(report)
            .map(|s| s + "\n")
            .map_err(|e| e.to_string()),
        _ => {
            let mut s = format!("{} {}\n", report.project.name, report.verdict.zh());
            for r in &report.requirements {
                s.push_str(&format!(
                    "{} {} {} / {} {}\n",
                    r.verdict.zh(),
                    r.title,
                    r.measured_text,
                    r.threshold_text,
                    r.message
                ));
            }
            Ok(s)
        }
    }
}

pub fn write_out_dir(report: &Report, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let p = dir.join("dossier.json");
    std::fs::write(
        &p,
        render(report, OutputFormat::Json, false).unwrap_or_default(),
    )?;
    Ok(vec![p])
}
