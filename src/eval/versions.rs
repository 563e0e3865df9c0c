//! Several versions of one deliverable (policy rule 8): the final one is judged, the others are
//! listed and not counted.
//!
//! Files of a role are versions of one deliverable when their names are the same once the
//! version words are taken out ("4.总结报告（初稿）.pdf" and "4.总结报告（修改稿）.docx"), in one
//! folder — or in different folders when a folder names the version ("初稿/总结报告.docx"). The
//! words come from the rule file (`[versions]`: finals, revisions, drafts, numbered patterns),
//! so next year's guide can add its own. Which one is final:
//! 1. one named 定稿/终稿/最终版/正式版 (`finals`);
//! 2. else drafts (`drafts`: 初稿, 草稿 …) give way to any version that is not a draft — a draft
//!    never rescues a final that falls short;
//! 3. else the later revision (`revisions` in order: 修改稿 after 初稿 …; then v2 after v1), when
//!    every remaining version names one;
//! 4. else the newest by the document's own modification date (`Facts::modified`);
//! 5. else the versions cannot be ordered: each is judged alone, and where they would give
//!    different verdicts the requirement is `review`, naming them ([`decide_unorderable`]).
//!    Inside an "或" (policy rule 4) such copies all count instead: any one qualifying item is
//!    enough.

use std::collections::BTreeMap;

use super::{Context, Requirement, Versions, ev, sep, start};
use crate::label::normalize;
use crate::lang::Lang;
use crate::model::{FileRecord, RequirementResult};

crate::decision_table! {
    UNORDERABLE: Review, "versions.unorderable",
        when "同一材料有多个版本，无法判断哪个是最终版本，且各版本结论不同" /
             "several versions of one deliverable that cannot be ordered, giving different verdicts",
        says "{name}有多个版本，无法判断哪个是最终版本，而各版本结论不同：{list}。请在文件名中注明定稿（如“定稿”），或只提交最终版本" /
             "There are several versions of the {name} and which is final cannot be told; they give different verdicts: {list}. Mark the final one in its file name (e.g. “定稿”), or submit only the final version";
}

crate::messages! {
    SUPERSEDED = "versions.superseded":
        "同一材料的旧版本，以 {chosen} 为准（{why}），不计入" /
        "an older version of the same deliverable; {chosen} counts ({why}), this one does not";
    BY_FINAL = "versions.by_final": "其名称标明“{marker}”" / "its name says “{marker}”";
    BY_REVISION = "versions.by_revision": "“{marker}”晚于其他版本" / "“{marker}” comes after the other versions";
    BY_NUMBER = "versions.by_number": "版本号 {n} 最大" / "version {n} is the latest";
    BY_DRAFT = "versions.by_draft": "本文件为“{marker}”" / "this file is a “{marker}”";
    BY_DATE = "versions.by_date": "其文档修改时间 {date} 最新" / "its document modification date {date} is the latest";
    CANDIDATE = "versions.candidate": "{path}：{measured}，{verdict}" / "{path}: {measured}, {verdict}";
    CANDIDATE_EVIDENCE = "versions.candidate_evidence":
        "同一材料的版本之一（无法判断先后）：{measured}，单独判定为{verdict}" /
        "one of several versions that cannot be ordered: {measured}, on its own: {verdict}";
    SAME_VERDICT = "versions.same_verdict":
        "同一材料的另一版本（无法判断先后），单独判定结论相同：{verdict}" /
        "another version of the same deliverable (cannot be ordered); on its own the verdict is the same: {verdict}";
    MEASURED = "versions.measured": "{n} 个版本结论不同" / "{n} versions disagree";
}

/// What a file's path says about its version.
#[derive(Debug, Clone, Default, PartialEq)]
struct Marks {
    finals: Option<String>,
    draft: Option<String>,
    /// (position in `revisions`, word).
    revision: Option<(usize, String)>,
    number: Option<u32>,
    /// A mark came from a folder name.
    in_folder: bool,
}

/// Why the chosen version was chosen.
#[derive(Debug, Clone, PartialEq)]
enum By {
    Final(String),
    Draft(String),
    Revision(String),
    Number(u32),
    Date(String),
}

/// One deliverable with several versions.
#[derive(Debug, Clone)]
pub(crate) struct Group<'a> {
    pub role: String,
    pub files: Vec<&'a FileRecord>,
    /// The final one (index into `files`) and why; `None` when they cannot be ordered.
    chosen: Option<(usize, By)>,
    /// The versions still in the running (all of them when one is chosen: just the chosen).
    candidates: Vec<usize>,
    /// Why each superseded file lost (draft vs. the rest), by index.
    lost: BTreeMap<usize, By>,
}

/// The version groups of a requirement's roles.
#[derive(Debug, Clone, Default)]
pub(crate) struct Plan<'a> {
    pub groups: Vec<Group<'a>>,
}

impl<'a> Plan<'a> {
    /// Paths that are not counted.
    pub(crate) fn superseded(&self) -> Vec<&'a str> {
        let mut out = Vec::new();
        for g in &self.groups {
            for (i, f) in g.files.iter().enumerate() {
                if !g.candidates.contains(&i) {
                    out.push(f.path.as_str());
                }
            }
        }
        out
    }

    pub(crate) fn has_unorderable(&self) -> bool {
        self.groups.iter().any(|g| g.chosen.is_none())
    }

    /// Lists the superseded versions in the evidence, with why the final one counts.
    pub(crate) fn add_evidence(&self, r: &mut RequirementResult, lang: Lang) {
        for g in &self.groups {
            for (i, f) in g.files.iter().enumerate() {
                if g.candidates.contains(&i) {
                    continue;
                }
                let winner = match &g.chosen {
                    Some((c, _)) => g.files[*c].path.clone(),
                    None => g
                        .candidates
                        .iter()
                        .map(|c| g.files[*c].path.as_str())
                        .collect::<Vec<_>>()
                        .join(sep(lang)),
                };
                let by = g
                    .lost
                    .get(&i)
                    .or(g.chosen.as_ref().map(|(_, b)| b))
                    .cloned();
                let why = by.map(|b| by_text(lang, &b)).unwrap_or_default();
                r.evidence.push(ev(
                    &f.path,
                    crate::msg!(lang, SUPERSEDED, chosen = winner, why = why),
                ));
            }
        }
    }
}

fn by_text(lang: Lang, by: &By) -> String {
    match by {
        By::Final(m) => crate::msg!(lang, BY_FINAL, marker = m),
        By::Draft(m) => crate::msg!(lang, BY_DRAFT, marker = m),
        By::Revision(m) => crate::msg!(lang, BY_REVISION, marker = m),
        By::Number(n) => crate::msg!(lang, BY_NUMBER, n = crate::msg::Arg::plain(u64::from(*n))),
        By::Date(d) => crate::msg!(lang, BY_DATE, date = d),
    }
}

/// Reads the version marks of a path: the file name first, then its folders (nearest first).
fn marks(path: &str, v: &Versions) -> Marks {
    let mut segments: Vec<&str> = path.split('/').collect();
    let file = segments.pop().unwrap_or("");
    let stem = file.rsplit_once('.').map(|(s, _)| s).unwrap_or(file);
    let mut m = Marks::default();
    let places = std::iter::once((stem, false)).chain(segments.iter().rev().map(|s| (*s, true)));
    for (text, folder) in places {
        let t = normalize(text).to_lowercase();
        let found = |words: &[String]| {
            words
                .iter()
                .find(|w| !w.is_empty() && t.contains(&normalize(w).to_lowercase()))
                .cloned()
        };
        let before = m.clone();
        if m.finals.is_none() {
            m.finals = found(&v.finals);
        }
        if m.draft.is_none() {
            m.draft = found(&v.drafts);
        }
        if m.revision.is_none() {
            m.revision = v
                .revisions
                .iter()
                .enumerate()
                .rev()
                .find(|(_, w)| !w.is_empty() && t.contains(&normalize(w).to_lowercase()))
                .map(|(i, w)| (i, w.clone()));
        }
        if m.number.is_none() {
            m.number = v.numbered.iter().find_map(|re| {
                re.captures(&t)
                    .and_then(|c| c.get(1))
                    .and_then(|n| crate::eval::figure::parse_number(n.as_str()))
                    .map(|n| n as u32)
            });
        }
        if folder && m != before {
            m.in_folder = true;
        }
    }
    m
}

/// The name with the version words, numbers of versions, brackets and separators taken out.
fn base(path: &str, v: &Versions) -> String {
    let file = path.rsplit('/').next().unwrap_or(path);
    let stem = file.rsplit_once('.').map(|(s, _)| s).unwrap_or(file);
    let mut t = normalize(stem).to_lowercase();
    for re in &v.numbered {
        t = re.replace_all(&t, "").into_owned();
    }
    let mut words: Vec<String> = v
        .finals
        .iter()
        .chain(&v.revisions)
        .chain(&v.drafts)
        .map(|w| normalize(w).to_lowercase())
        .filter(|w| !w.is_empty())
        .collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    for w in words {
        t = t.replace(&w, "");
    }
    t.chars()
        .filter(|c| c.is_alphanumeric() && !"（）【】《》".contains(*c))
        .collect()
}

fn folder(path: &str) -> &str {
    path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

/// Groups the files of `roles` into deliverables with several versions and orders each.
pub(crate) fn plan<'a>(ctx: &Context<'a>, roles: &[&str]) -> Plan<'a> {
    let v = &ctx.rules.versions;
    let mut plan = Plan::default();
    let mut seen = std::collections::BTreeSet::new();
    for role in roles {
        let mut by_base: BTreeMap<String, Vec<&'a FileRecord>> = BTreeMap::new();
        for f in ctx.of_role_all(role) {
            if seen.insert(f.path.as_str()) {
                by_base.entry(base(&f.path, v)).or_default().push(f);
            }
        }
        for (key, files) in by_base {
            if files.len() < 2 || key.is_empty() {
                continue;
            }
            // Same name in different folders is one deliverable only when a folder names a
            // version; else they are different files that happen to share a name.
            let folders: std::collections::BTreeSet<&str> =
                files.iter().map(|f| folder(&f.path)).collect();
            let split = folders.len() > 1 && !files.iter().any(|f| marks(&f.path, v).in_folder);
            let parts: Vec<Vec<&'a FileRecord>> = if split {
                folders
                    .iter()
                    .map(|d| {
                        files
                            .iter()
                            .copied()
                            .filter(|f| folder(&f.path) == *d)
                            .collect()
                    })
                    .collect()
            } else {
                vec![files]
            };
            for part in parts.into_iter().filter(|p| p.len() > 1) {
                plan.groups.push(order(role, part, v));
            }
        }
    }
    plan
}

/// Orders one group (see the module header).
fn order<'a>(role: &str, files: Vec<&'a FileRecord>, v: &Versions) -> Group<'a> {
    let marks: Vec<Marks> = files.iter().map(|f| marks(&f.path, v)).collect();
    let all: Vec<usize> = (0..files.len()).collect();
    let mut lost = BTreeMap::new();
    let finals: Vec<usize> = all
        .iter()
        .copied()
        .filter(|i| marks[*i].finals.is_some())
        .collect();
    let mut candidates = if !finals.is_empty() {
        if let Some(m) = marks[finals[0]].finals.clone() {
            for i in all.iter().filter(|i| !finals.contains(i)) {
                lost.insert(*i, By::Final(m.clone()));
            }
        }
        finals
    } else {
        let non_drafts: Vec<usize> = all
            .iter()
            .copied()
            .filter(|i| marks[*i].draft.is_none())
            .collect();
        if !non_drafts.is_empty() && non_drafts.len() < all.len() {
            for i in all.iter().filter(|i| !non_drafts.contains(i)) {
                if let Some(d) = &marks[*i].draft {
                    lost.insert(*i, By::Draft(d.clone()));
                }
            }
            non_drafts
        } else {
            all.clone()
        }
    };
    let mut chosen: Option<(usize, By)> = None;
    if candidates.len() == 1 {
        let i = candidates[0];
        let by = match (&marks[i].finals, lost.values().next()) {
            (Some(m), _) => By::Final(m.clone()),
            (None, Some(b)) => b.clone(),
            (None, None) => By::Date(String::new()),
        };
        chosen = Some((i, by));
    }
    // Later revision, then higher number, when every candidate names one.
    if chosen.is_none()
        && candidates
            .iter()
            .all(|i| marks[*i].revision.is_some() || marks[*i].number.is_some())
    {
        let key = |i: &usize| {
            (
                marks[*i]
                    .revision
                    .as_ref()
                    .map(|(p, _)| *p as i64)
                    .unwrap_or(-1),
                marks[*i].number.map(i64::from).unwrap_or(-1),
            )
        };
        if let Some(best) = candidates.iter().max_by_key(|i| key(i)).copied()
            && candidates.iter().filter(|i| key(i) == key(&best)).count() == 1
        {
            let by = match (&marks[best].revision, marks[best].number) {
                (Some((_, w)), _)
                    if candidates
                        .iter()
                        .filter(|i| **i != best)
                        .all(|i| key(i).0 < key(&best).0) =>
                {
                    By::Revision(w.clone())
                }
                (_, Some(n)) => By::Number(n),
                (Some((_, w)), None) => By::Revision(w.clone()),
                (None, None) => By::Date(String::new()),
            };
            chosen = Some((best, by));
        }
    }
    // The document's own modification date.
    if chosen.is_none() {
        let dates: Vec<Option<&str>> = candidates
            .iter()
            .map(|i| files[*i].facts.as_ref().and_then(|f| f.modified.as_deref()))
            .collect();
        if dates.iter().all(Option::is_some)
            && let Some(newest) = dates.iter().flatten().max().copied()
            && dates.iter().flatten().filter(|d| **d == newest).count() == 1
            && let Some(pos) = dates.iter().position(|d| *d == Some(newest))
        {
            chosen = Some((candidates[pos], By::Date(newest.replace('T', " "))));
        }
    }
    if let Some((i, _)) = &chosen {
        candidates = vec![*i];
    }
    Group {
        role: role.to_string(),
        files,
        chosen,
        candidates,
        lost,
    }
}

/// Judges each version of every group that cannot be ordered on its own. The same verdict
/// from each: that verdict — the result with every version in view when it agrees (so a fail
/// names all the files: two unreadable copies are both named), else the first version's, the
/// others noted. Different verdicts: `review`, naming every version with what it measures.
pub(crate) fn decide_unorderable(
    view: &Context,
    plan: &Plan,
    req: &Requirement,
    eval: &dyn Fn(&Context) -> RequirementResult,
) -> RequirementResult {
    let lang = view.lang;
    let mut first: Option<RequirementResult> = None;
    for g in plan.groups.iter().filter(|g| g.chosen.is_none()) {
        // A copy nobody can read is no version to weigh (policy rule 2): only readable ones
        // are judged alone; the unreadable ones stay in view and are named.
        let readable: Vec<usize> = g
            .candidates
            .iter()
            .copied()
            .filter(|c| g.files[*c].status == crate::model::FileStatus::Read)
            .collect();
        if readable.len() < 2 {
            continue;
        }
        let mut each: Vec<(&FileRecord, RequirementResult)> = Vec::new();
        for &c in &readable {
            let mut alone = view.clone();
            for &o in readable.iter().filter(|o| **o != c) {
                alone.superseded.insert(g.files[o].path.as_str());
            }
            each.push((g.files[c], eval(&alone)));
        }
        let agree = each.windows(2).all(|w| w[0].1.verdict == w[1].1.verdict);
        if !agree {
            let mut r = start(view, req);
            let list: Vec<String> = each
                .iter()
                .map(|(f, x)| {
                    crate::msg!(
                        lang,
                        CANDIDATE,
                        path = &f.path,
                        measured = &x.measured_text,
                        verdict = lang.verdict(x.verdict)
                    )
                })
                .collect();
            super::table::decide(
                &mut r,
                lang,
                &UNORDERABLE,
                &crate::args!(name = view.role_name(&g.role), list = list.join("；")),
            );
            r.measured_text = crate::msg!(lang, MEASURED, n = each.len());
            for (f, x) in &each {
                r.evidence.push(ev(
                    &f.path,
                    crate::msg!(
                        lang,
                        CANDIDATE_EVIDENCE,
                        measured = &x.measured_text,
                        verdict = lang.verdict(x.verdict)
                    ),
                ));
            }
            return r;
        }
        if first.is_none()
            && let Some((_, x)) = each.first()
        {
            let mut x = x.clone();
            for (f, other) in each.iter().skip(1) {
                x.evidence.push(ev(
                    &f.path,
                    crate::msg!(lang, SAME_VERDICT, verdict = lang.verdict(other.verdict)),
                ));
            }
            first = Some(x);
        }
    }
    let all = eval(view);
    match first {
        Some(x) if x.verdict != all.verdict => x,
        _ => all,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    fn words() -> Versions {
        Versions {
            finals: vec![
                "定稿".into(),
                "终稿".into(),
                "最终版".into(),
                "正式版".into(),
            ],
            revisions: vec!["修改稿".into(), "修订稿".into()],
            drafts: vec!["初稿".into(), "草稿".into(), "征求意见稿".into()],
            numbered: vec![
                Regex::new(r"(?:^|[^a-z])v([0-9]+)").unwrap(),
                Regex::new(r"第([0-9一二三四五六七八九十]+)稿").unwrap(),
            ],
            numbered_sources: vec![],
        }
    }

    #[test]
    fn bases_and_marks() {
        let v = words();
        let table: &[(&str, &str)] = &[
            ("4.总结报告（初稿）.pdf", "4总结报告"),
            ("4.总结报告（修改稿）.docx", "4总结报告"),
            ("总结报告_v2.docx", "总结报告"),
            ("初稿/总结报告.docx", "总结报告"),
            ("主旨报告1-张院士.pptx", "主旨报告1张院士"),
        ];
        for (p, want) in table {
            assert_eq!(base(p, &v), *want, "{p}");
        }
        let m = marks("初稿/总结报告.docx", &v);
        assert_eq!(m.draft.as_deref(), Some("初稿"));
        assert!(m.in_folder);
        assert_eq!(marks("总结报告_v2.docx", &v).number, Some(2));
        assert_eq!(marks("总结报告（第二稿）.docx", &v).number, Some(2));
    }
}
