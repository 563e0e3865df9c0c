//! The files of a role, sorted the way every decision table needs them: readable, unreadable
//! (nobody can read it: the society must replace it), unsupported (another program may read
//! it: a person looks), and links handed in instead of the media itself.
//!
//! Also the sentences every measure says about them, written once: what to submit when
//! nothing was found (with the keywords a file name should contain), and the list of
//! unreadable files with what to do.

use super::{Context, sep};
use crate::facts::Kind;
use crate::lang::Lang;
use crate::model::{FileRecord, FileStatus};

crate::messages! {
    MISSING = "files.missing":
        "未找到{name}：请提交{name}（文件名或文件夹名应含{hints}等字样）" /
        "No {name} found: please submit the {name} (its file or folder name should contain words such as {hints})";
    UNREADABLE_ITEM = "files.unreadable_item": "{path}（{why}）" / "{path} ({why})";
    REPLACE = "files.replace":
        "请重新导出完整的文件，或提供未加密的版本后重新提交" /
        "please export the files again in full, or provide unencrypted copies, and resubmit";
    SERVES_AS = "files.serves_as":
        "{own}，亦作{name}（指南所列同一材料）" /
        "the {own}, also serving as the {name} (the guide names them as one deliverable)";
    LINK_ITEM = "files.link_item": "{path}：{link}" / "{path}: {link}";
}

/// A role's files, by what can be done with them.
#[derive(Debug, Default)]
pub(crate) struct RoleFiles<'a> {
    /// Every current file of the role.
    pub all: Vec<&'a FileRecord>,
    /// Read (and no link file).
    pub read: Vec<&'a FileRecord>,
    /// Nobody can read them (truncated, corrupt, empty, encrypted).
    pub unreadable: Vec<&'a FileRecord>,
    /// A format this tool does not read: another program may.
    pub unsupported: Vec<&'a FileRecord>,
    /// Read documents that hand in a link instead of the media (with the quoted link).
    pub links: Vec<(&'a FileRecord, String)>,
}

impl<'a> RoleFiles<'a> {
    pub(crate) fn of(ctx: &Context<'a>, role: &str) -> RoleFiles<'a> {
        let mut out = RoleFiles::default();
        for f in ctx.of_role(role) {
            out.all.push(f);
            match f.status {
                FileStatus::Read => {
                    // A short document holding a link stands in for the deliverable: it is
                    // quoted for a person to follow, never taken for the deliverable itself.
                    match f.facts.as_ref().and_then(crate::link::find) {
                        Some(l) if f.kind == Kind::Document => out.links.push((f, l)),
                        _ => out.read.push(f),
                    }
                }
                FileStatus::Unreadable => out.unreadable.push(f),
                FileStatus::Unsupported => out.unsupported.push(f),
                FileStatus::Ignored => {}
            }
        }
        out
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.all.is_empty()
    }
}

/// The problem text of a file that could not be read, in `lang`.
pub(crate) fn why(lang: Lang, f: &FileRecord) -> String {
    f.problems
        .first()
        .map(|p| crate::msg::for_people(lang.problem(p)))
        .unwrap_or_else(|| lang.status(f.status).to_string())
}

/// "a.docx（文件不完整…）、b.pdf（PDF 已加密…）".
pub(crate) fn list_unreadable(lang: Lang, files: &[&FileRecord]) -> String {
    files
        .iter()
        .map(|f| crate::msg!(lang, UNREADABLE_ITEM, path = &f.path, why = why(lang, f)))
        .collect::<Vec<_>>()
        .join(sep(lang))
}

/// "a.txt：链接：https://… 提取码：x7k2".
pub(crate) fn list_links(lang: Lang, links: &[(&FileRecord, String)]) -> String {
    links
        .iter()
        .map(|(f, l)| crate::msg!(lang, LINK_ITEM, path = &f.path, link = l))
        .collect::<Vec<_>>()
        .join(super::semi(lang))
}

/// Paths joined by the list separator.
pub(crate) fn paths(lang: Lang, files: &[&FileRecord]) -> String {
    files
        .iter()
        .map(|f| f.path.as_str())
        .collect::<Vec<_>>()
        .join(sep(lang))
}

/// What to submit when no file plays `role`.
pub(crate) fn missing(ctx: &Context, role: &str) -> String {
    let name = ctx.role_name(role);
    let hints: Vec<String> = ctx
        .rules
        .role(role)
        .map(|r| r.keywords.iter().take(3).cloned().collect())
        .unwrap_or_default();
    crate::msg!(
        ctx.lang,
        MISSING,
        name = name,
        hints = super::quoted(&hints, Lang::Zh)
    )
}

/// The evidence note of a file that plays another role and serves this one too.
pub(crate) fn served_note(ctx: &Context, role: &str, f: &FileRecord) -> Option<String> {
    let own = f.role.as_deref()?;
    (own != role).then(|| {
        crate::msg!(
            ctx.lang,
            SERVES_AS,
            own = ctx.role_name(own),
            name = ctx.role_name(role)
        )
    })
}

/// The evidence detail of a file: why it plays the role (or serves it), else nothing.
pub(crate) fn reason(ctx: &Context, role: &str, f: &FileRecord) -> String {
    served_note(ctx, role, f)
        .or_else(|| f.role_reason.clone())
        .unwrap_or_default()
}
