//! Classify: which file plays which role (建议报告, 总结报告, 主旨报告幻灯片 …).
//!
//! Societies name folders and files after the deliverables ("03-总结报告/总结报告（定稿）.docx"),
//! so the role's keywords are looked for in the file name first, then in its folders, then in
//! the document's title. A role only takes files of its kinds (a recording is a video, a deck a
//! presentation). Among several matching roles the strongest place wins (name > folder > title),
//! then the longest keyword (the more specific one: "决策咨询建议" over "建议"). A short document
//! that holds a link ([`crate::link`]: "录像网盘链接.txt") may play a role of any kind, since it
//! stands in for the media. An optional manifest in the submission (`yanshou.toml`,
//! `[roles] "path" = "role-id"`) overrides the guess.

use std::collections::BTreeMap;

use crate::facts::{Facts, Kind};
use crate::label::normalize;
use crate::rules::RuleSet;

/// Where a keyword was seen, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Place {
    Title = 1,
    Folder = 2,
    Name = 3,
}

impl Place {
    fn zh(self) -> &'static str {
        match self {
            Place::Name => "文件名",
            Place::Folder => "文件夹名",
            Place::Title => "文档标题",
        }
    }

    fn en(self) -> &'static str {
        match self {
            Place::Name => "file name",
            Place::Folder => "folder name",
            Place::Title => "document title",
        }
    }
}

/// The role decided for one file and why.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Assignment {
    pub role: String,
    pub reason: String,
    /// The same reason in English (`--lang en`).
    pub reason_en: String,
}

/// Decides the role of a file from its path (relative, `/`-separated), kind and facts.
pub(crate) fn classify(
    rules: &RuleSet,
    path: &str,
    kind: Kind,
    facts: Option<&Facts>,
    manifest: &BTreeMap<String, String>,
) -> Option<Assignment> {
    if let Some(role) = manifest.get(path)
        && rules.role(role).is_some()
    {
        return Some(Assignment {
            role: role.clone(),
            reason: "清单文件 yanshou.toml 指定".to_string(),
            reason_en: "assigned by the manifest yanshou.toml".to_string(),
        });
    }
    let mut segments: Vec<&str> = path.split('/').collect();
    let file = segments.pop().unwrap_or("");
    let stem = file.rsplit_once('.').map(|(s, _)| s).unwrap_or(file);
    let name = normalize(stem).to_lowercase();
    let folders: Vec<String> = segments
        .iter()
        .map(|s| normalize(s).to_lowercase())
        .collect();
    let title = facts
        .and_then(|f| f.title.as_deref())
        .map(|t| normalize(t).to_lowercase())
        .unwrap_or_default();

    // A short document holding a link stands in for media too large to hand in (a 网盘 link
    // for the recordings): it may play a role of any kind, and the measure quotes the link.
    let link = kind == Kind::Document && facts.is_some_and(|f| crate::link::find(f).is_some());
    let mut best: Option<(Place, usize, &str, &str, &str)> = None;
    for role in &rules.roles {
        if !role.kinds.contains(&kind) && !link {
            continue;
        }
        if role
            .exclude
            .iter()
            .any(|x| name.contains(&normalize(x).to_lowercase()))
        {
            continue;
        }
        for keyword in &role.keywords {
            let k = normalize(keyword).to_lowercase();
            if k.is_empty() {
                continue;
            }
            let place = if name.contains(&k) {
                Some(Place::Name)
            } else if folders.iter().rev().any(|f| f.contains(&k)) {
                Some(Place::Folder)
            } else if title.contains(&k) {
                Some(Place::Title)
            } else {
                None
            };
            if let Some(place) = place {
                let len = k.chars().count();
                let better = match best {
                    None => true,
                    Some((bp, bl, ..)) => (place, len) > (bp, bl),
                };
                if better {
                    best = Some((place, len, role.id.as_str(), role.name.as_str(), keyword));
                }
            }
        }
    }
    best.map(|(place, _, id, _, keyword)| Assignment {
        role: id.to_string(),
        reason: format!("{}含“{}”", place.zh(), keyword),
        reason_en: format!("{} contains “{}”", place.en(), keyword),
    })
}

/// Reads the optional manifest `yanshou.toml` (`[roles]` table of path → role id).
pub(crate) fn parse_manifest(text: &str) -> Result<BTreeMap<String, String>, String> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Manifest {
        #[serde(default)]
        roles: BTreeMap<String, String>,
    }
    toml::from_str::<Manifest>(text)
        .map(|m| m.roles)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::builtin::load_builtin;

    fn rules(id: &str) -> RuleSet {
        load_builtin()
            .unwrap()
            .into_iter()
            .find(|r| r.id == id)
            .unwrap()
    }

    #[test]
    fn xxjl_roles_from_names_and_folders() {
        let r = rules("XXJL-2025");
        let none = BTreeMap::new();
        let table: &[(&str, Kind, Option<&str>)] = &[
            (
                "02-建议报告/建议报告.docx",
                Kind::Document,
                Some("proposal-report"),
            ),
            (
                "03-总结报告/附件1.docx",
                Kind::Document,
                Some("summary-report"),
            ),
            (
                "04-主旨报告幻灯片/主旨报告1-张院士-智慧农业.pptx",
                Kind::Deck,
                Some("keynote-decks"),
            ),
            (
                "07-主旨报告录像/主旨报告1-张院士-智慧农业.mp4",
                Kind::Video,
                Some("keynote-recordings"),
            ),
            (
                "06-会议现场图文/现场照片1.jpg",
                Kind::Image,
                Some("onsite-photos"),
            ),
            (
                "08-新闻/新闻-自治区科协官网-年会召开.html",
                Kind::Document,
                Some("news"),
            ),
            ("财务审计报告.pdf", Kind::Document, Some("audit-report")),
            (
                "01-会议活动文件/会议议程.pdf",
                Kind::Document,
                Some("meeting-docs"),
            ),
            ("杂项/说明.txt", Kind::Document, None),
        ];
        for (path, kind, want) in table {
            let got = classify(&r, path, *kind, None, &none).map(|a| a.role);
            assert_eq!(got.as_deref(), *want, "{path}");
        }
    }

    #[test]
    fn specific_keyword_wins_over_general() {
        let r = rules("QKPY-2025");
        let none = BTreeMap::new();
        let got = classify(&r, "决策咨询建议.docx", Kind::Document, None, &none).unwrap();
        assert_eq!(got.role, "decision-advice");
        let got = classify(&r, "项目成果/项目成果汇编.pdf", Kind::Document, None, &none).unwrap();
        assert_eq!(got.role, "project-results");
        let got = classify(&r, "项目开展印证/照片1.jpg", Kind::Image, None, &none).unwrap();
        assert_eq!(got.role, "project-evidence");
    }

    #[test]
    fn title_is_the_last_resort_and_manifest_overrides() {
        let r = rules("XXJL-2025");
        let facts = Facts {
            title: Some("关于召开2025年全疆农业学术年会的通知".into()),
            ..Facts::default()
        };
        let none = BTreeMap::new();
        let got = classify(&r, "附件1.docx", Kind::Document, Some(&facts), &none).unwrap();
        assert_eq!(got.role, "meeting-docs");
        assert!(got.reason.contains("文档标题"));
        let manifest = parse_manifest("[roles]\n\"附件1.docx\" = \"summary-report\"\n").unwrap();
        let got = classify(&r, "附件1.docx", Kind::Document, Some(&facts), &manifest).unwrap();
        assert_eq!(got.role, "summary-report");
    }
}
