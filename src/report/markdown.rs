//! The Markdown dossier (验收核查报告): readable as plain text, renders as tables on any
//! GitHub-flavoured Markdown viewer, pastes into a WPS/Word document or an e-mail.
//!
//! Tables are GFM pipe tables, so every cell goes through [`cell`]: `|` is escaped and line
//! breaks become `<br>`, otherwise one message with a pipe or a newline would break the whole
//! table. `<` is written as `&lt;` so a file name cannot inject HTML into a viewer that allows
//! it. Nothing else is escaped: escaping every Markdown character would make the plain text
//! unreadable, and a stray `*` in a path only changes emphasis, not the table.

use std::fmt::Write as _;

use crate::report::format::{self, DASH};
use crate::report::model::Report;

/// Renders the Markdown dossier.
pub fn render_markdown(report: &Report) -> String {
    let mut out = String::new();
    let p = &report.project;

    let _ = writeln!(out, "# 验收核查报告\n");
    let _ = writeln!(out, "| 项目 | 内容 |\n| --- | --- |");
    let mut row = |k: &str, v: &str| {
        let _ = writeln!(out, "| {k} | {} |", cell(v));
    };
    row("项目名称", &p.name);
    row("编号", p.code.as_deref().unwrap_or(DASH));
    row("类别", &format!("{} {}", p.category, p.category_title));
    row("类别依据", &p.category_source);
    if let Some(level) = &p.level {
        row("级别", level);
        if let Some(src) = &p.level_source {
            row("级别依据", src);
        }
    }
    row(
        "总体结论",
        &format!(
            "**{} {}**{}",
            format::mark(report.verdict),
            report.verdict.zh(),
            if report.strict { "（--strict）" } else { "" }
        ),
    );
    row("统计", &format::tally_text(&report.tally));
    row("退出码", &format::exit_text(report));
    row("核查工具", &format!("{}（{}）", report.tool, report.schema));

    let _ = writeln!(out, "\n## 逐项要求\n");
    let _ = writeln!(
        out,
        "| 要求 | 结论 | 实测 | 要求值 | 依据文件 | 说明 |\n| --- | --- | --- | --- | --- | --- |"
    );
    for r in &report.requirements {
        let evidence = if r.evidence.is_empty() {
            "未找到相应文件".to_string()
        } else {
            r.evidence
                .iter()
                .map(|e| {
                    if e.detail.trim().is_empty() {
                        e.path.clone()
                    } else {
                        format!("{}（{}）", e.path, e.detail)
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
            r.verdict.zh(),
            cell(or_dash(&r.measured_text)),
            cell(or_dash(&r.threshold_text)),
            cell(&evidence),
            cell(or_dash(&r.message)),
        );
    }

    let _ = writeln!(out, "\n## 指南原文\n");
    for (i, r) in report.requirements.iter().enumerate() {
        let guide = if r.guide.trim().is_empty() {
            DASH
        } else {
            r.guide.trim()
        };
        let _ = writeln!(
            out,
            "{}. **{}**（`{}`）：{}",
            i + 1,
            inline(&r.title),
            r.id.replace('`', "'"),
            inline(guide)
        );
    }

    let _ = writeln!(out, "\n## 文件清单\n");
    let _ = writeln!(
        out,
        "| # | 路径 | 格式 | 角色 | 字数 | 页/张/时长 | 标识 | 状态 |\n| --- | --- | --- | --- | --- | --- | --- | --- |"
    );
    for (i, f) in report.files.iter().enumerate() {
        let extent = f
            .facts
            .as_ref()
            .map(|x| {
                let bits: Vec<String> = [format::extent(x), format::scanned_pages(x)]
                    .into_iter()
                    .flatten()
                    .collect();
                bits.join("；")
            })
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| DASH.to_string());
        let role = match (&f.role, &f.role_reason) {
            (Some(role), Some(why)) => format!("{role}（{why}）"),
            (Some(role), None) => role.clone(),
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
            cell(&format::labels_text(f)),
            f.status.zh(),
        );
    }

    let problems = report.file_problems();
    let _ = writeln!(out, "\n## 文件问题\n");
    if problems.is_empty() {
        let _ = writeln!(out, "无。");
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
    out
}

fn or_dash(s: &str) -> &str {
    if s.trim().is_empty() { DASH } else { s }
}

/// A table cell: `|` escaped, line breaks as `<br>`, `<` as an entity.
pub fn cell(s: &str) -> String {
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
