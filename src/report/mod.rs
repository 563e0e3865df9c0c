//! Rendering a finished [`model::Report`]: every renderer only reads the model.
//!
//! One module per output (terminal, JSON, Markdown, HTML) and one module of shared wording
//! ([`format`]), so the four outputs say the same thing. Renderers return strings and never
//! write: the caller decides where output goes ([`write_out_dir`] is the one place that writes
//! the dossier files of `--out DIR`). Only the HTML renderer can fail (a template error), which
//! is why [`render`] returns a `Result`.

pub mod format;
pub mod html;
pub mod json;
pub mod markdown;
pub mod model;
pub mod terminal;

use std::path::{Path, PathBuf};
use std::str::FromStr;

pub use html::render_html;
pub use json::render_json;
pub use markdown::render_markdown;
pub use model::Report;
pub use terminal::render_terminal;

/// The outputs `--format` can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum OutputFormat {
    /// Chinese summary for a terminal.
    #[value(alias = "text")]
    Terminal,
    /// The `yanshou.dossier/1` JSON.
    Json,
    /// 验收核查报告 as GitHub-flavoured Markdown.
    #[value(alias = "md")]
    Markdown,
    /// Self-contained printable HTML.
    #[value(alias = "htm")]
    Html,
}

impl OutputFormat {
    /// The file extension of this output.
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Terminal => "txt",
            OutputFormat::Json => "json",
            OutputFormat::Markdown => "md",
            OutputFormat::Html => "html",
        }
    }
}

impl FromStr for OutputFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        <OutputFormat as clap::ValueEnum>::from_str(s.trim(), true)
            .map_err(|_| format!("未知的输出格式“{s}”：可用 terminal、json、md、html"))
    }
}

/// A renderer could not produce its output.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("HTML 模板渲染失败：{0}")]
    Template(#[from] minijinja::Error),
}

/// Renders the dossier in one format. `color` only affects the terminal summary.
pub fn render(report: &Report, format: OutputFormat, color: bool) -> Result<String, RenderError> {
    Ok(match format {
        OutputFormat::Terminal => render_terminal(report, color),
        OutputFormat::Json => render_json(report),
        OutputFormat::Markdown => render_markdown(report),
        OutputFormat::Html => render_html(report)?,
    })
}

/// Creates `dir` (and its parents) and writes `dossier.json`, `dossier.md` and `dossier.html`
/// into it. Returns the paths written, in that order. Everything is rendered before the first
/// file is written, so a template error leaves no half-written set behind.
pub fn write_out_dir(report: &Report, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let html = render_html(report).map_err(|e| std::io::Error::other(RenderError::from(e)))?;
    let outputs = [
        ("dossier.json", render_json(report)),
        ("dossier.md", render_markdown(report)),
        ("dossier.html", html),
    ];
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::with_capacity(outputs.len());
    for (name, text) in outputs {
        let path = dir.join(name);
        std::fs::write(&path, text)?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_format_names() {
        let cases = [
            ("terminal", Some(OutputFormat::Terminal)),
            ("text", Some(OutputFormat::Terminal)),
            ("json", Some(OutputFormat::Json)),
            ("JSON", Some(OutputFormat::Json)),
            ("md", Some(OutputFormat::Markdown)),
            ("markdown", Some(OutputFormat::Markdown)),
            ("html", Some(OutputFormat::Html)),
            (" htm ", Some(OutputFormat::Html)),
            ("docx", None),
            ("", None),
        ];
        for (name, want) in cases {
            assert_eq!(name.parse::<OutputFormat>().ok(), want, "{name:?}");
        }
    }
}
