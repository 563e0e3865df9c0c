//! Rule sets: the guide's 项目指标 as data (`checks/<ID>.toml`), and the small vocabulary of
//! measures the engine understands.
//!
//! A rule file names roles (which files play which part, recognised by keywords in folder
//! names, file names and titles) and requirements (a measure over a role, a threshold, a count
//! basis, the guide's wording, messages). Next year's guide is a new TOML file, not new code.
//! Files are loaded in two stages ([`load`]): TOML → raw structs with spans (unknown keys
//! rejected), then validation into the typed [`RuleSet`], collecting every problem with its line
//! so the user sees the full list at once, before any submission file is read.

pub mod builtin;
pub mod load;

use std::collections::BTreeMap;

use regex::Regex;
use serde::Serialize;

use crate::count::Counts;
use crate::facts::Kind;
use crate::report::lang::Lang;

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
}

/// Which count a words requirement uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
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
}

/// What becomes of a requirement that is not met: `fail`, or `review` where the machine's
/// reading is not conclusive enough to fail a project (e.g. a figure phrased unusually).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Fail,
    Review,
}

/// The measures the engine knows. Each is documented in `yanshou rules`.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "measure", rename_all = "snake_case")]
pub enum Measure {
    /// At least `min` files play the role.
    Present { role: String, min: u64 },
    /// At least `at_least` files play the role (decks, photos …).
    Count {
        role: String,
        at_least: u64,
        unit: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        unit_en: Option<String>,
    },
    /// The role's document has at least `at_least` (× tolerance for "左右") by `basis`.
    Words {
        role: String,
        basis: Basis,
        at_least: u64,
        /// "左右": pass from `tolerance × at_least`.
        tolerance: Option<f64>,
    },
    /// Every file of the role runs at least `at_least_s` seconds; at least `min` files.
    DurationEach {
        role: String,
        at_least_s: f64,
        min: u64,
        /// Pair each file with one of this role by name (keynote decks ↔ recordings): the
        /// evidence lists the pairs, and a file of this role without a partner is `review`.
        pair_with: Option<String>,
    },
    /// Every text/video/image resource carries these labels.
    Label {
        labels: Vec<String>,
        kinds: Vec<Kind>,
        /// Roles whose files are not the project's own resources (the auditor's report).
        exempt_roles: Vec<String>,
    },
    /// A number stated in the documents ("直接联系科技工作者120人次") is at least `at_least`.
    Figure {
        roles: Vec<String>,
        #[serde(skip)]
        patterns: Vec<Regex>,
        pattern_sources: Vec<String>,
        at_least: f64,
        unit: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        unit_en: Option<String>,
    },
    /// People with one of `titles` (院士, 教授 …): read by column from the role's tables (name
    /// and title columns, see [`crate::experts`]), else lines of its text naming a title.
    TitledPeople {
        role: String,
        titles: Vec<String>,
        at_least: u64,
    },
    /// News items: at least `at_least` files of the role mention one of the outlets (by level
    /// where the outlets depend on it).
    News {
        role: String,
        at_least: u64,
        outlets: BTreeMap<String, Vec<String>>,
    },
    /// Passes when any alternative passes.
    AnyOf { alternatives: Vec<Requirement> },
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
    pub severity: Severity,
    /// Optional overriding message for a fail (placeholders: {name} {measured} {threshold}
    /// {missing}).
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
}

/// The English twin when asked for and present, else the Chinese text.
fn pick<'a>(lang: Lang, zh: &'a str, en: &'a Option<String>) -> &'a str {
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

/// What the engine says about each measure (printed by `yanshou rules`).
pub fn measure_doc(measure: &Measure) -> &'static str {
    match measure {
        Measure::Present { .. } => "材料存在：该角色至少有 min 个文件",
        Measure::Count { .. } => "数量：该角色的文件数不少于 at_least",
        Measure::Words { .. } => {
            "字数：该角色文档按 basis（默认 Word 字数）计数，不少于 at_least；“左右”按 tolerance 放宽"
        }
        Measure::DurationEach { .. } => "时长：该角色每个录像时长不少于 at_least_s 秒",
        Measure::Label { .. } => "标识：每个文字、视频、图片资源标注所列标识文字",
        Measure::Figure { .. } => {
            "指标数字：在报告中找到所述数字并不少于 at_least；找不到则人工复核"
        }
        Measure::TitledPeople { .. } => {
            "专家：名单中带所列职称（院士、教授…）的人数不少于 at_least"
        }
        Measure::News { .. } => "新闻：该角色中注明所列发布渠道的新闻不少于 at_least 篇",
        Measure::AnyOf { .. } => "任一满足：所列备选要求中任一通过即通过",
    }
}
