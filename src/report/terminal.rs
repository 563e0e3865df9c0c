//! The terminal summary: what a society sees right after running one command.
//!
//! One line per requirement, with the message that says what to fix on the next line, so the
//! output reads top to bottom without a pager. Columns are aligned by display width
//! (`unicode-width`: a Han character takes two cells) with caps, so one very long title does
//! not push every other line off the screen; past the cap a line simply runs longer. Colours
//! are plain ANSI SGR codes, written by hand because three colours do not justify a crate and
//! the caller decides (`color`) whether the stream is a terminal.

use std::fmt::Write as _;

use unicode_width::UnicodeWidthStr;

use crate::lang::Lang;
use crate::model::{Report, Verdict};
use crate::report::format::{self, DASH};

/// Column caps, in display cells.
const TITLE_CAP: usize = 24;
const MEASURED_CAP: usize = 22;
const THRESHOLD_CAP: usize = 26;
/// How many evidence paths a requirement line names before "等 N 个文件".
const MAX_PATHS: usize = 2;

const GREEN: &str = "\x1b[32m";
const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// Renders the Chinese terminal summary. ANSI colours only when `color` is true.
pub fn render_terminal(report: &Report, color: bool) -> String {
    render_terminal_lang(report, color, Lang::Zh)
}

/// Renders the terminal summary with its fixed words and file problems in `lang` (titles and
/// messages are in the language the report was checked in).
pub fn render_terminal_lang(report: &Report, color: bool, lang: Lang) -> String {
    let paint = Paint { on: color };
    let mut out = String::new();
    let p = &report.project;
    let t = lang.labels();
    let en = lang == Lang::En;
    // Field labels are padded to one width (a Han character takes two cells).
    let (label_w, verdict_w) = if en { (17, 12) } else { (10, 10) };

    let _ = writeln!(
        out,
        "{}",
        paint.bold(&format!("{} · {}", t.dossier_title, report.tool))
    );
    let mut field = |label: &str, value: &str| {
        let label = if en {
            format!("{label}: ")
        } else {
            format!("{label}：")
        };
        let _ = writeln!(out, "{}{}", pad(&label, label_w), value);
    };
    let decided = |what: &str| {
        if en {
            format!(" (decided by: {what})")
        } else {
            format!("（依据：{what}）")
        }
    };
    field(t.project_name, &p.name);
    field(t.code, p.code.as_deref().unwrap_or(DASH));
    field(
        t.category,
        &if p.category.is_empty() {
            p.category_title.clone()
        } else {
            format!(
                "{} {}{}",
                p.category,
                p.category_title,
                decided(&p.category_source)
            )
        },
    );
    if let Some(level) = &p.level {
        match &p.level_source {
            Some(src) => field(t.level, &format!("{level}{}", decided(src))),
            None => field(t.level, level),
        }
    }
    let strict = match (report.strict, en) {
        (false, _) => "",
        (true, false) => "（--strict）",
        (true, true) => " (--strict)",
    };
    let overall = format!(
        "{} {}{strict}",
        format::mark(report.verdict),
        lang.verdict(report.verdict),
    );
    if let Some(a) = format::archive_line(report, lang) {
        field(lang.labels().submitted_as, &a);
    }
    field(t.overall, &paint.verdict(report.verdict, &overall));
    field(t.tally, &format::tally_text_in(&report.tally, lang));
    // Why nothing could be checked comes first and alone; then warnings about the set-up.
    if let Some(b) = &report.blocker {
        out.push('\n');
        let _ = writeln!(
            out,
            "{}",
            paint.verdict(
                Verdict::Fail,
                &format!(
                    "✘ {}{}{}",
                    lang.verdict(report.verdict),
                    if en { ": " } else { "：" },
                    lang.problem(b)
                )
            )
        );
    }
    for n in &report.notices {
        let _ = writeln!(
            out,
            "{}",
            paint.verdict(
                Verdict::Review,
                &format!("! {}{}{n}", t.notice, if en { ": " } else { "：" })
            )
        );
    }

    if !report.requirements.is_empty() {
        out.push('\n');
        let _ = writeln!(
            out,
            "{}",
            paint.bold(if en { "Requirements" } else { "逐项要求" })
        );
    }
    let title_w = col_width(
        report.requirements.iter().map(|r| r.title.as_str()),
        TITLE_CAP,
    );
    let measured_w = col_width(
        report
            .requirements
            .iter()
            .map(|r| or_dash(&r.measured_text)),
        MEASURED_CAP,
    );
    let threshold_w = col_width(
        report
            .requirements
            .iter()
            .map(|r| or_dash(&r.threshold_text)),
        THRESHOLD_CAP,
    );
    for r in &report.requirements {
        let head = format!(
            "{} {}",
            format::mark(r.verdict),
            pad(lang.verdict(r.verdict), verdict_w)
        );
        let paths = format::evidence_paths(&r.evidence);
        let line = format!(
            "{}  {}  {} ／ {}  {}",
            paint.verdict(r.verdict, &head),
            pad(&r.title, title_w),
            pad(or_dash(&r.measured_text), measured_w),
            pad(or_dash(&r.threshold_text), threshold_w),
            format::paths_short_in(&paths, MAX_PATHS, lang),
        );
        let _ = writeln!(out, "{}", line.trim_end());
        if r.verdict != Verdict::Pass && !r.message.trim().is_empty() {
            for msg_line in r.message.lines().filter(|l| !l.trim().is_empty()) {
                let _ = writeln!(out, "    {}", msg_line.trim());
            }
        }
    }

    let problems = report.file_problems_in(lang);
    if !problems.is_empty() {
        out.push('\n');
        let heading = if en {
            format!("File problems ({})", problems.len())
        } else {
            format!("文件问题（{} 条）", problems.len())
        };
        let _ = writeln!(out, "{}", paint.bold(&heading));
        for fp in &problems {
            let mark = if fp.blocking {
                paint.verdict(Verdict::Fail, "✘")
            } else {
                paint.verdict(Verdict::Review, "!")
            };
            let _ = writeln!(out, "{mark} {} — {} — {}", fp.path, fp.code, fp.message);
        }
    }

    if !report.findings.is_empty() {
        out.push('\n');
        let heading = if en {
            format!("{} ({})", t.h_cross, report.findings.len())
        } else {
            format!("{}（{} 条）", t.h_cross, report.findings.len())
        };
        let _ = writeln!(out, "{}", paint.bold(&heading));
        for f in &report.findings {
            let (head, more) = format::finding_lines(f, lang);
            let _ = writeln!(out, "{} {head}", paint.verdict(Verdict::Review, "◆"));
            for m in more {
                let _ = writeln!(out, "    {m}");
            }
        }
    }

    out.push('\n');
    let _ = writeln!(
        out,
        "{}",
        paint.verdict(report.verdict, &format::exit_text_in(report, lang))
    );
    out
}

fn or_dash(s: &str) -> &str {
    if s.trim().is_empty() { DASH } else { s }
}

/// The widest entry, capped.
fn col_width<'a>(items: impl Iterator<Item = &'a str>, cap: usize) -> usize {
    items
        .map(UnicodeWidthStr::width)
        .max()
        .unwrap_or(0)
        .min(cap)
}

/// Pads `s` with spaces to `width` display cells (never truncates).
fn pad(s: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(s);
    let mut out = s.to_string();
    for _ in w..width {
        out.push(' ');
    }
    out
}

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("{code}{s}{RESET}")
        } else {
            s.to_string()
        }
    }

    fn bold(&self, s: &str) -> String {
        self.wrap(BOLD, s)
    }

    fn verdict(&self, v: Verdict, s: &str) -> String {
        let code = match v {
            Verdict::Pass => GREEN,
            Verdict::Fail => RED,
            Verdict::Review => YELLOW,
        };
        self.wrap(code, s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pad_counts_cjk_as_two_cells() {
        assert_eq!(pad("通过", 10), "通过      ");
        assert_eq!(pad("abc", 5), "abc  ");
        assert_eq!(pad("需人工复核", 4), "需人工复核");
        assert_eq!(UnicodeWidthStr::width(pad("总结报告", 12).as_str()), 12);
    }

    #[test]
    fn paint_off_is_plain() {
        let p = Paint { on: false };
        assert_eq!(p.verdict(Verdict::Fail, "x"), "x");
        let p = Paint { on: true };
        assert_eq!(p.verdict(Verdict::Pass, "x"), "\x1b[32mx\x1b[0m");
    }
}
