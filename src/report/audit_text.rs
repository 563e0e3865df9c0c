//! The closing lines of `yanshou audit` on the terminal: projects by verdict, files, time,
//! cache use and the files written, in the chosen language.
//!
//! Why its own small input ([`AuditTotals`]) rather than the audit's result: renderers read a
//! model, never the stage that produced it, so `report` does not import `audit` (which imports
//! `report` to write the dossiers). The audit fills it (`AuditResult::totals`).

use std::path::PathBuf;

use crate::report::format::size;
use crate::report::lang::Lang;

/// What the closing lines say.
#[derive(Debug, Clone, Default)]
pub struct AuditTotals<'a> {
    pub projects: usize,
    pub pass: usize,
    pub fail: usize,
    pub review: usize,
    /// Projects that could not be checked.
    pub error: usize,
    pub files: u64,
    pub bytes: u64,
    pub seconds: f64,
    pub cache: Option<CacheTotals>,
    pub interrupted: bool,
    /// Files written besides the dossiers (summary.xlsx, summary.csv, index.html …).
    pub outputs: &'a [PathBuf],
}

/// What the facts cache did.
#[derive(Debug, Clone, Copy, Default)]
pub struct CacheTotals {
    pub hits: u64,
    pub misses: u64,
    pub skipped: u64,
    pub hashed_bytes: u64,
}

/// The closing lines of an audit: counts by verdict, files, time and cache use.
pub(crate) fn audit_summary(r: &AuditTotals<'_>, lang: Lang) -> String {
    let (pass, fail, review, error) = (r.pass, r.fail, r.review, r.error);
    let mut s = match lang {
        Lang::Zh => format!(
            "核查 {} 个项目：通过 {pass}，不通过 {fail}，需人工复核 {review}，未能核查 {error}\n文件 {} 个（{}），用时 {:.1} 秒\n",
            r.projects,
            r.files,
            size(r.bytes),
            r.seconds
        ),
        Lang::En => format!(
            "Audited {} projects: {pass} pass, {fail} fail, {review} needing review, {error} could not be checked\n{} files ({}) in {:.1} s\n",
            r.projects,
            r.files,
            size(r.bytes),
            r.seconds
        ),
    };
    if let Some(c) = &r.cache {
        s.push_str(&match lang {
            Lang::Zh => format!(
                "缓存：命中 {}，重新读取 {}，未缓存（录像等）{}，哈希 {}\n",
                c.hits,
                c.misses,
                c.skipped,
                size(c.hashed_bytes)
            ),
            Lang::En => format!(
                "Cache: {} hits, {} read, {} not cached (recordings etc.), {} hashed\n",
                c.hits,
                c.misses,
                c.skipped,
                size(c.hashed_bytes)
            ),
        });
    }
    if r.interrupted {
        s.push_str(match lang {
            Lang::Zh => "已中断：已完成的项目已写入汇总，其余项目标为未能核查\n",
            Lang::En => "Interrupted: the finished projects are in the summary, the others are marked as not checked\n",
        });
    }
    for p in r.outputs {
        s.push_str(&format!(
            "{} {}\n",
            match lang {
                Lang::Zh => "已写入",
                Lang::En => "wrote",
            },
            p.display()
        ));
    }
    s
}
