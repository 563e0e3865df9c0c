//! The rule vocabulary: a category's roles, levels, version words and requirements, as the
//! evaluator reads them.
//!
//! These types live with the evaluator, not with the loader, because a requirement's measure
//! is defined once (in `eval/<measure>.rs`: its parameters, its checks, its decision table and
//! how it decides) and the rule set holds those measures; [`crate::rules`] reads files into
//! these types and re-exports them, so the dependency points one way (rules → eval).

use regex::Regex;
use serde::Serialize;

use super::Measure;
use crate::count::Counts;
use crate::facts::Kind;
use crate::lang::Lang;

/// A validated rule set for one category.
#[derive(Debug, Clone, Serialize)]
pub struct RuleSet {
    pub id: String,
    pub title: String,
    /// English title (`title_en`), shown under `--lang en`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title_en: Option<String>,
    /// Where in the guide the category is defined.
    pub guide: String,
    /// Prefix of project codes in folder names (`XXJL-2025` matches `XXJL-2025-03`).
    pub code_prefix: String,
    /// Words in documents that suggest this category when nothing else tells.
    pub detect_keywords: Vec<String>,
    pub labels: Vec<String>,
    pub near_miss_distance: usize,
    pub levels: Vec<Level>,
    pub level_roles: Vec<String>,
    pub roles: Vec<Role>,
    /// How versions of one deliverable are told apart (policy rule 8).
    pub versions: Versions,
    /// How figures are read from tables (`[figures]`).
    pub figures: Figures,
    pub requirements: Vec<Requirement>,
    /// The file it came from (for messages).
    pub source: String,
}

/// XXJL's level (国际/全国/全疆): decides the news requirement.
#[derive(Debug, Clone, Serialize)]
pub struct Level {
    pub id: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    pub keywords: Vec<String>,
}

/// A role a file can play.
#[derive(Debug, Clone, Serialize)]
pub struct Role {
    pub id: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    pub kinds: Vec<Kind>,
    pub keywords: Vec<String>,
    /// Names containing any of these never get this role (e.g. 建议报告 vs 决策咨询建议).
    pub exclude: Vec<String>,
    /// Roles whose files also serve as this one (policy rule 6: the guide names QKPY's
    /// 决策咨询建议 and the 建议报告 as one deliverable; one file may serve several roles).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub served_by: Vec<String>,
}

/// The words that mark versions of one deliverable in file and folder names (policy rule 8).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Versions {
    /// The final one: 定稿, 终稿, 最终版, 正式版 …
    pub finals: Vec<String>,
    /// Later revisions, earliest first: 修改稿, 修订稿 …
    pub revisions: Vec<String>,
    /// Drafts, superseded by any version that is not a draft: 初稿, 草稿, 征求意见稿 …
    pub drafts: Vec<String>,
    /// Numbered versions (one capture group for the number): `v2`, `第二稿`.
    #[serde(skip)]
    pub numbered: Vec<Regex>,
    pub numbered_sources: Vec<String>,
}

/// Table columns a figure is read from (`[figures]`): the achieved value (完成值 …), and the
/// targets that must not be taken for it (目标值 …).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Figures {
    pub done_columns: Vec<String>,
    pub target_columns: Vec<String>,
}

/// Which count a words requirement uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    #[default]
    Words,
    Han,
    Cjk,
    CharsNoSpace,
}

impl Basis {
    pub fn parse(s: &str) -> Option<Basis> {
        Some(match s {
            "words" => Basis::Words,
            "han" => Basis::Han,
            "cjk" => Basis::Cjk,
            "chars_no_space" => Basis::CharsNoSpace,
            _ => return None,
        })
    }

    pub fn pick(self, c: &Counts) -> u64 {
        match self {
            Basis::Words => c.words,
            Basis::Han => c.han,
            Basis::Cjk => c.cjk,
            Basis::CharsNoSpace => c.chars_no_space,
        }
    }

    /// Unit shown after the number.
    pub fn unit(self) -> &'static str {
        self.unit_in(Lang::Zh)
    }

    /// Unit shown after the number, in `lang`. English calls Word's 字数 "characters" (the
    /// one term used for it everywhere under `--lang en`).
    pub fn unit_in(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::Zh, Basis::Words) => "字",
            (Lang::Zh, Basis::Han) => "个汉字",
            (Lang::Zh, Basis::Cjk) => "个中文字符",
            (Lang::Zh, Basis::CharsNoSpace) => "个字符",
            (Lang::En, Basis::Words) => "characters",
            (Lang::En, Basis::Han) => "Han characters",
            (Lang::En, Basis::Cjk) => "East Asian characters",
            (Lang::En, Basis::CharsNoSpace) => "non-space characters",
        }
    }

    /// The English unit for one (`1 character`).
    pub fn unit_one_en(self) -> &'static str {
        match self {
            Basis::Words => "character",
            Basis::Han => "Han character",
            Basis::Cjk => "East Asian character",
            Basis::CharsNoSpace => "non-space character",
        }
    }
}

/// One requirement of the guide.
#[derive(Debug, Clone, Serialize)]
pub struct Requirement {
    pub id: String,
    pub title: String,
    /// English title (`title_en`), shown under `--lang en`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title_en: Option<String>,
    /// The guide's wording it comes from (Chinese in both languages: it quotes the guide).
    pub guide: String,
    /// The threshold as the guide says it ("4千字左右").
    pub threshold_label: String,
    /// The threshold in English (`threshold_en`: "about 4,000 characters").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold_label_en: Option<String>,
    /// Optional overriding message for a fail (placeholders: {measured} {threshold}).
    pub fail_message: Option<String>,
    /// The same in English (`fail_message_en`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fail_message_en: Option<String>,
    #[serde(flatten)]
    pub measure: Measure,
}

impl RuleSet {
    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.id == id)
    }

    pub fn role_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.role(id).map(|r| r.name.as_str()).unwrap_or(id)
    }

    /// The role's name in `lang` (English falls back to Chinese, then to the id).
    pub fn role_name_in<'a>(&'a self, id: &'a str, lang: Lang) -> &'a str {
        self.role(id).map(|r| r.name_in(lang)).unwrap_or(id)
    }

    /// The rule set's title in `lang`.
    pub fn title_in(&self, lang: Lang) -> &str {
        pick(lang, &self.title, &self.title_en)
    }

    /// The roles a file of role `id` also serves (the inverse of `served_by`).
    pub fn also_serves(&self, id: &str) -> Vec<&Role> {
        self.roles
            .iter()
            .filter(|r| r.served_by.iter().any(|s| s == id))
            .collect()
    }

    /// A requirement by id, looking inside `any_of` alternatives too.
    pub fn requirement(&self, id: &str) -> Option<&Requirement> {
        fn find<'a>(reqs: &'a [Requirement], id: &str) -> Option<&'a Requirement> {
            for r in reqs {
                if r.id == id {
                    return Some(r);
                }
                if let Measure::AnyOf(a) = &r.measure
                    && let Some(x) = find(&a.alternatives, id)
                {
                    return Some(x);
                }
            }
            None
        }
        find(&self.requirements, id)
    }
}

/// The English twin when asked for and present, else the Chinese text.
pub fn pick<'a>(lang: Lang, zh: &'a str, en: &'a Option<String>) -> &'a str {
    match (lang, en) {
        (Lang::En, Some(en)) => en,
        _ => zh,
    }
}

impl Role {
    pub fn name_in(&self, lang: Lang) -> &str {
        pick(lang, &self.name, &self.name_en)
    }
}

impl Level {
    pub fn name_in(&self, lang: Lang) -> &str {
        pick(lang, &self.name, &self.name_en)
    }
}

impl Requirement {
    pub fn title_in(&self, lang: Lang) -> &str {
        pick(lang, &self.title, &self.title_en)
    }

    pub fn threshold_in(&self, lang: Lang) -> &str {
        pick(lang, &self.threshold_label, &self.threshold_label_en)
    }

    /// The fail message template in `lang`; English without `fail_message_en` gets none (the
    /// engine's own English message) rather than the Chinese template.
    pub fn fail_message_in(&self, lang: Lang) -> Option<&str> {
        match lang {
            Lang::Zh => self.fail_message.as_deref(),
            Lang::En => self.fail_message_en.as_deref(),
        }
    }
}

/// The unit of a count/figure measure in `lang`.
pub fn unit_in<'a>(lang: Lang, zh: &'a str, en: &'a Option<String>) -> &'a str {
    pick(lang, zh, en)
}
