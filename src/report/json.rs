//! The JSON dossier (`schema: "yanshou.dossier/1"`), the form other tools read.
//!
//! It is the serde form of [`Report`] as is — keys in struct order, pretty-printed, one
//! trailing newline — so the contract lives in `model.rs` and not here. The one thing this
//! renderer adds is leaving out the text of each part (`facts.parts[].text`, and the cells of
//! `facts.tables`): it can be
//! megabytes, it is kept in memory only for labels and titles, and DESIGN.md says it stays out
//! of JSON unless asked for ([`render_json_with_text`]), and a photo's preview
//! (`facts.prints.thumb`, kept for the audit's index page). The trade-off is a clone of the files
//! when text is present, which costs what the text already costs in memory. Under `--lang en`
//! the problems of files are translated by code here too (see [`crate::report::lang`]).

use std::borrow::Cow;

use crate::model::Report;
use crate::report::lang::{Lang, problems};

/// Pretty JSON of the dossier without part texts, with a trailing newline.
pub fn render_json(report: &Report) -> String {
    render_json_lang(report, Lang::Zh)
}

/// [`render_json`] in `lang`: under English, each file problem whose code has an English
/// sentence carries it in `message` and its Chinese message in `message_zh`.
pub fn render_json_lang(report: &Report, lang: Lang) -> String {
    let has_text = report
        .files
        .iter()
        .filter_map(|f| f.facts.as_ref())
        .any(|f| {
            !f.tables.is_empty()
                || f.parts.iter().any(|p| !p.text.is_empty())
                || f.prints.as_ref().is_some_and(|p| p.thumb.is_some())
        });
    let translate = lang == Lang::En
        && report.files.iter().any(|f| {
            f.problems
                .iter()
                .any(|p| p.message_zh.is_none() && problems::english(&p.code).is_some())
        });
    let report: Cow<'_, Report> = if has_text || translate {
        let mut owned = report.clone();
        if translate {
            for p in owned.files.iter_mut().flat_map(|f| f.problems.iter_mut()) {
                if p.message_zh.is_none()
                    && let Some(en) = problems::english(&p.code)
                {
                    p.message_zh = Some(std::mem::replace(&mut p.message, en.to_string()));
                }
            }
        }
        for facts in owned.files.iter_mut().filter_map(|f| f.facts.as_mut()) {
            for part in &mut facts.parts {
                part.text = String::new();
            }
            // Table cells are text too (their words are in the `tables` part's counts).
            facts.tables = Vec::new();
            // A photo's preview is for the audit's index page, not for the dossier's data.
            if let Some(p) = facts.prints.as_mut() {
                p.thumb = None;
            }
        }
        Cow::Owned(owned)
    } else {
        Cow::Borrowed(report)
    };
    render_json_with_text(&report)
}

/// Pretty JSON of the dossier including every part's text, with a trailing newline.
pub fn render_json_with_text(report: &Report) -> String {
    match serde_json::to_string_pretty(report) {
        Ok(mut s) => {
            s.push('\n');
            s
        }
        // Cannot happen with these types (string keys only; NaN becomes null), but a
        // renderer must not panic: say so in a JSON the reader can still parse.
        Err(e) => {
            let msg = serde_json::Value::String(format!("JSON 序列化失败：{e}"));
            format!(
                "{{\n  \"schema\": \"{}\",\n  \"error\": {msg}\n}}\n",
                crate::model::SCHEMA
            )
        }
    }
}
