//! The Markdown dossier (验收核查报告): readable as plain text, renders as tables on any
//! GitHub-flavoured Markdown viewer, pastes into a WPS/Word document or an e-mail.
//!
//! Tables are GFM pipe tables, so every cell goes through [`cell`]: `|` is escaped and line
//! breaks become `<br>`, otherwise one message with a pipe or a newline would break the whole
//! table. `<` is written as `&lt;` so a file name cannot inject HTML into a viewer that allows
//! it. Nothing else is escaped: escaping every Markdown character would make the plain text
//! unreadable, and a stray `*` in a path only changes emphasis, not the table.

use std::fmt::Write as _;

use crate::lang::Lang;
use crate::model::Report;
use crate::report::format::{self, DASH};

/// Renders the Markdown dossier (Chinese fixed wording).
pub fn render_markdown(report: &Report) -> String {
    render_markdown_lang(report, Lang::Zh)
}

/// Renders the Markdown dossier with its fixed wording and file problems in `lang`.
pub fn render_markdown_lang(report: &Report, lang: Lang) -> String {
    let en = lang == Lang::En;
    let w = |zh: &'static str, english: &'static str| if en { english } else { zh };
    // "a（b）" in Chinese, "a (b)" in English.
    let paren = |a: &str, b: &str| {
        if en {
            format!("{a} ({b})")
        } else {
            format!("{a}（{b}）")
        }
    };
    let mut out = String::new();
    let p = &report.project;

    let _ = writeln!(out, "# {}\n", lang.labels().dossier_title);
    let _ = writeln!(
        out,
        "| {} | {} |\n| --- | --- |",
        w("项目", "Item"),
        w("内容", "Value")
    );
    let mut row = |k: &str, v: &str| {
        let _ = writeln!(out, "| {k} | {} |", cell(v));
    };
    row(w("项目名称", "Project"), &p.name);
    row(w("编号", "Project code"), p.code.as_deref().unwrap_or(DASH));
    if p.category.is_empty() {
        row(w("类别", "Category"), &p.category_title);
    } else {
        row(
            w("类别", "Category"),
            &format!("{} {}", p.category, p.category_title),
        );
        row(w("类别依据", "Category decided by"), &p.category_source);
    }
    if let Some(level) = &p.level {
        row(w("级别", "Level"), level);
        if let Some(src) = &p.level_source {
            row(w("级别依据", "Level decided by"), src);
        }
    }
    row(
        w("总体结论", "Overall verdict"),
        &format!(
            "**{} {}**{}",
            format::mark(report.verdict),
            lang.verdict(report.verdict),
            if report.strict {
                w("（--strict）", " (--strict)")
            } else {
                ""
            }
        ),
    );
    row(
        w("统计", "Summary"),
        &format::tally_text_in(&report.tally, lang),
    );
    if let Some(a) = format::archive_line(report, lang) {
        row(w("提交方式", "Submitted as"), &a);
    }
    row(
        w("核查工具", "Checked with"),
        &paren(&report.tool, &report.schema),
    );
    if let Some(b) = &report.blocker {
        let _ = writeln!(
            out,
            "\n> **{}**{}{}",
            lang.verdict(report.verdict),
            w("：", ": "),
            lang.problem(b)
        );
    }
    for n in &report.notices {
        let _ = writeln!(out, "\n> **{}**{}{n}", w("注意", "Note"), w("：", ": "));
    }
    let fixes = format::fixes_in(report, lang);
    let _ = writeln!(out, "\n## {}\n", w("需补正的问题", "What to fix"));
    if fixes.is_empty() {
        let _ = writeln!(out, "{}", lang.labels().none);
    }
    for (i, f) in fixes.iter().enumerate() {
        let text = f.text.replace('\n', " ");
        let _ = writeln!(out, "{}. {}{}{}", i + 1, f.subject, w("：", ": "), text);
    }

    let _ = writeln!(out, "\n## {}\n", w("逐项要求", "Requirements"));
    let _ = writeln!(
        out,
        "{}\n| --- | --- | --- | --- | --- | --- |",
        w(
            "| 要求 | 结论 | 实测 | 要求值 | 依据文件 | 说明 |",
            "| Requirement | Verdict | Measured | Threshold | Evidence | Message |"
        )
    );
    for r in &report.requirements {
        let evidence = if r.evidence.is_empty() {
            lang.labels().no_file.to_string()
        } else {
            r.evidence
                .iter()
                .map(|e| {
                    if e.detail.trim().is_empty() {
                        e.path.clone()
                    } else {
                        paren(&e.path, &e.detail)
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        let _ = writeln!(
            out,
            "| {} | {} {} | {} | {} | {} | {} |",
            cell(&r.title),
            format::mark(r.verdict),
            lang.verdict(r.verdict),
            cell(or_dash(&r.measured_text)),
            cell(or_dash(&r.threshold_text)),
            cell(&evidence),
            cell(or_dash(&r.message)),
        );
    }

    let _ = writeln!(
        out,
        "\n## {}\n",
        w("指南原文", "Guide wording (in Chinese)")
    );
    for (i, r) in report.requirements.iter().enumerate() {
        let guide = if r.guide.trim().is_empty() {
            DASH
        } else {
            r.guide.trim()
        };
        let _ = writeln!(
            out,
            "{}. **{}**{}{}",
            i + 1,
            inline(&r.title),
            if en { ": " } else { "：" },
            inline(guide)
        );
    }

    let _ = writeln!(out, "\n## {}\n", w("文件清单", "Files"));
    let _ = writeln!(
        out,
        "{}\n| --- | --- | --- | --- | --- | --- | --- | --- |",
        w(
            "| # | 路径 | 格式 | 角色 | 字数 | 页/张/时长 | 标识 | 状态 |",
            "| # | Path | Format | Role | Characters (Word count) | Pages/slides/duration | Labels | Status |"
        )
    );
    for (i, f) in report.files.iter().enumerate() {
        let extent = f
            .facts
            .as_ref()
            .map(|x| {
                let bits: Vec<String> = [
                    format::extent_in(x, lang),
                    format::scanned_pages_in(x, lang),
                ]
                .into_iter()
                .flatten()
                .collect();
                bits.join(w("；", "; "))
            })
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| DASH.to_string());
        let role = match (&f.role, &f.role_reason) {
            (Some(role), Some(why)) => {
                paren(&crate::report::format::role_label(report, role, lang), why)
            }
            (Some(role), None) => crate::report::format::role_label(report, role, lang),
            (None, _) => DASH.to_string(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            i + 1,
            cell(&f.path),
            f.format.name(),
            cell(&role),
            format::words(f.facts.as_ref()),
            cell(&extent),
            cell(&format::labels_text_in(f, lang)),
            lang.status(f.status),
        );
    }

    let problems = report.file_problems_in(lang);
    let _ = writeln!(out, "\n## {}\n", w("文件问题", "File problems"));
    if problems.is_empty() {
        let _ = writeln!(out, "{}", lang.labels().none);
    }
    for fp in &problems {
        let _ = writeln!(
            out,
            "- {} {} — `{}` — {}",
            if fp.blocking { "✘" } else { "!" },
            inline(&fp.path),
            fp.code.replace('`', "'"),
            inline(&fp.message)
        );
    }
    if !report.findings.is_empty() {
        let t = lang.labels();
        let _ = writeln!(out, "\n## {}\n\n{}\n", t.h_cross, t.cross_intro);
        for (i, f) in report.findings.iter().enumerate() {
            let _ = writeln!(out, "{}. {} `{}`", i + 1, inline(&f.message), f.code);
            if let Some(o) = f.other.as_ref().filter(|o| !o.same) {
                let shown = match &o.earlier {
                    Some(e) => format!("{} ({e}) · {}", o.project, o.path),
                    None => format!("{} · {}", o.project, o.path),
                };
                match &o.dossier {
                    Some(d) => {
                        let md = d
                            .strip_suffix(".html")
                            .map_or(d.clone(), |b| format!("{b}.md"));
                        let _ = writeln!(
                            out,
                            "   - {}{}[{}]({})",
                            t.cross_other,
                            w("：", ": "),
                            inline(&shown),
                            md.replace(' ', "%20")
                                .replace('(', "%28")
                                .replace(')', "%29")
                        );
                    }
                    None => {
                        let _ = writeln!(
                            out,
                            "   - {}{}{}",
                            t.cross_other,
                            w("：", ": "),
                            inline(&shown)
                        );
                    }
                }
            }
            for q in &f.quotes {
                let _ = writeln!(out, "   > {}", inline(q));
            }
        }
    }
    out
}

fn or_dash(s: &str) -> &str {
    if s.trim().is_empty() { DASH } else { s }
}

/// A table cell: `|` escaped, line breaks as `<br>`, `<` as an entity.
pub(crate) fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut lines = s.trim().lines().peekable();
    while let Some(line) = lines.next() {
        for ch in line.chars() {
            match ch {
                '|' => out.push_str("\\|"),
                '<' => out.push_str("&lt;"),
                c => out.push(c),
            }
        }
        if lines.peek().is_some() {
            out.push_str("<br>");
        }
    }
    out
}

/// Text in a list item: one line, `<` as an entity.
fn inline(s: &str) -> String {
    s.trim()
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
        .replace('<', "&lt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_escaped() {
        let cases = [
            ("a|b", "a\\|b"),
            ("第一行\n第二行", "第一行<br>第二行"),
            ("x\r\ny", "x<br>y"),
            ("<script>", "&lt;script>"),
            ("  trim  ", "trim"),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(cell(input), want, "{input:?}");
        }
    }
}
