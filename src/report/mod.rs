//! Rendering a finished [`model::Report`]: every renderer only reads the model.
//!
//! One module per output (terminal, JSON, Markdown, HTML, DOCX) and one module of shared wording
//! ([`format`]), so the outputs say the same thing; the fixed labels of the DOCX and batch
//! outputs exist in Chinese and English ([`lang`]). Renderers return strings and never
//! write: the caller decides where output goes ([`write_out_dir`] is the one place that writes
//! the dossier files of `--out DIR`). Only the HTML renderer can fail (a template error), which
//! is why [`render`] returns a `Result`.

pub(crate) mod audit_text;
pub(crate) mod docx;
pub(crate) mod facts_text;
pub mod format;
pub(crate) mod html;
pub mod json;
pub mod lang;
pub(crate) mod markdown;
/// The dossier model lives at the bottom of the crate ([`crate::model`]): everything that
/// makes a report writes it, the renderers here only read it.
pub use crate::model;
pub(crate) mod terminal;

use std::path::{Path, PathBuf};
use std::str::FromStr;

pub use docx::{DocxMeta, render_docx};
pub use html::{render_html, render_html_lang};
pub use json::{render_json, render_json_lang};
pub use lang::Lang;
pub use markdown::{render_markdown, render_markdown_lang};
pub use model::Report;
pub use terminal::{render_terminal, render_terminal_lang};

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
    render_lang(report, format, color, Lang::Zh)
}

/// [`render`] with the fixed wording in `lang`.
pub fn render_lang(
    report: &Report,
    format: OutputFormat,
    color: bool,
    lang: Lang,
) -> Result<String, RenderError> {
    Ok(match format {
        OutputFormat::Terminal => render_terminal_lang(report, color, lang),
        OutputFormat::Json => render_json_lang(report, lang),
        OutputFormat::Markdown => render_markdown_lang(report, lang),
        OutputFormat::Html => render_html_lang(report, lang)?,
    })
}

/// Creates `dir` (and its parents) and writes `dossier.json`, `dossier.md`, `dossier.html` and
/// `dossier.docx` into it, in Chinese, dated now. Returns the paths written, in that order.
pub fn write_out_dir(report: &Report, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    write_out_dir_with(
        report,
        dir,
        &dossier_meta(report, Lang::Zh, checked_at_now()),
    )
}

/// The DOCX header fields of a report: the language, the check time and the society named in
/// the submission folder.
pub fn dossier_meta(report: &Report, lang: Lang, checked_at: String) -> DocxMeta {
    DocxMeta {
        lang,
        checked_at,
        society: report.project.society.clone(),
    }
}

/// [`write_out_dir`] with the language and header fields given. Everything is rendered before
/// the first file is written, so a template error leaves no half-written set behind.
pub fn write_out_dir_with(
    report: &Report,
    dir: &Path,
    meta: &DocxMeta,
) -> std::io::Result<Vec<PathBuf>> {
    let html = html::render_html_lang(report, meta.lang)
        .map_err(|e| std::io::Error::other(RenderError::from(e)))?;
    let docx = render_docx(report, meta)?;
    let outputs: [(&str, Vec<u8>); 4] = [
        (
            "dossier.json",
            render_json_lang(report, meta.lang).into_bytes(),
        ),
        (
            "dossier.md",
            render_markdown_lang(report, meta.lang).into_bytes(),
        ),
        ("dossier.html", html.into_bytes()),
        ("dossier.docx", docx),
    ];
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::with_capacity(outputs.len());
    for (name, bytes) in outputs {
        let path = dir.join(name);
        std::fs::write(&path, bytes)?;
        written.push(path);
    }
    Ok(written)
}

/// The current time in China Standard Time (UTC+8, the time of every 学会 the guide addresses),
/// as `2026-11-29 12:30`. Computed by hand from the Unix clock: one civil-date conversion does
/// not justify a date-time crate.
pub fn checked_at_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format_utc8(secs)
}

/// Unix seconds as `YYYY-MM-DD HH:MM` in UTC+8.
pub fn format_utc8(unix: u64) -> String {
    let t = unix.saturating_add(8 * 3600);
    let days = (t / 86_400) as i64;
    let rem = t % 86_400;
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        rem / 3600,
        (rem / 60) % 60
    )
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

    #[test]
    fn utc8_dates() {
        let cases = [
            (0, "1970-01-01 08:00"),
            (951_782_400, "2000-02-29 08:00"),
            (1_798_502_400, "2026-12-29 08:00"),
            (1_735_660_799, "2024-12-31 23:59"),
        ];
        for (secs, want) in cases {
            assert_eq!(format_utc8(secs), want, "{secs}");
        }
    }
}
