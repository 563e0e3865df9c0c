//! Evaluate: each requirement of the rule set → pass / fail / review, with evidence, by one
//! written policy (DESIGN.md, "Verdicts and exit codes").
//!
//! - `pass`: readable evidence shows the requirement met.
//! - `fail`: readable evidence shows it is not met, or nothing that could be evidence was
//!   submitted, or the only evidence is unreadable (truncated, corrupt, empty, encrypted):
//!   nobody can read such a file, so the society must replace it — the message names every
//!   file and what to do.
//! - `review`: the evidence is there and readable but a machine cannot decide (a channel not
//!   stated, a figure not found, an OCR estimate, a label that may be in the pixels, media
//!   handed in as a link …); the message says exactly what a person should look at.
//!
//! One module per measure (`eval/<measure>.rs`) holds everything about it: its parameters as
//! they appear in the rule file (a serde struct), what the loader checks beyond the types, its
//! decision table (rows of verdict + condition + message, see [`table`]) and the function that
//! picks a row. [`Measure`] lists them once; loading ([`crate::rules::load`]), dispatch
//! ([`evaluate_one`]) and `yanshou rules` all go through it. What every measure shares is
//! here and in [`files`]: which files play a role (one file may serve several roles), the
//! versions of one deliverable (the final one is judged, [`versions`]), and the rule file's
//! own fail message.
//!
//! Messages are ids with arguments in Chinese and English ([`crate::msg`]); the language is
//! chosen once per check (`Context::lang`), so a report is made in one language.

pub(crate) mod any_of;
pub(crate) mod count;
pub(crate) mod duration;
pub(crate) mod figure;
pub(crate) mod files;
pub(crate) mod label;
pub(crate) mod news;
pub(crate) mod pairing;
pub(crate) mod people;
pub(crate) mod present;
pub(crate) mod ruleset;
pub(crate) mod table;
pub(crate) mod versions;
pub mod words;

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::Value;

use crate::lang::Lang;
use crate::model::{Evidence, FileRecord, FileStatus, RequirementResult, Verdict};
use crate::msg::Message;

pub use ruleset::{Basis, Figures, Level, Requirement, Role, RuleSet, Versions, pick, unit_in};
pub use table::Line;

/// What evaluation needs besides the rules: the files, the XXJL level and the language.
#[derive(Clone)]
pub struct Context<'a> {
    pub rules: &'a RuleSet,
    pub files: &'a [FileRecord],
    /// Level id (`international` / `national` / `regional`) when known.
    pub level: Option<&'a str>,
    /// The language of titles, messages, measured texts and evidence.
    pub lang: Lang,
    /// Paths of superseded versions: listed, not counted.
    superseded: BTreeSet<&'a str>,
    /// Inside an "或": any one qualifying item is enough, so copies that cannot be ordered
    /// all count (policy rule 4).
    any: bool,
}

impl<'a> Context<'a> {
    pub fn new(
        rules: &'a RuleSet,
        files: &'a [FileRecord],
        level: Option<&'a str>,
        lang: Lang,
    ) -> Self {
        Context {
            rules,
            files,
            level,
            lang,
            superseded: BTreeSet::new(),
            any: false,
        }
    }

    /// The files that play `role` (directly, or through a role that serves it), minus
    /// ignored files and superseded versions, in walk order.
    pub fn of_role(&self, role: &str) -> Vec<&'a FileRecord> {
        let served_by: &[String] = self
            .rules
            .role(role)
            .map(|r| r.served_by.as_slice())
            .unwrap_or_default();
        self.files
            .iter()
            .filter(|f| f.status != FileStatus::Ignored)
            .filter(|f| {
                f.role
                    .as_deref()
                    .is_some_and(|r| r == role || served_by.iter().any(|s| s == r))
            })
            .filter(|f| !self.superseded.contains(f.path.as_str()))
            .collect()
    }

    /// Every file of `role` including superseded versions (for grouping versions).
    pub fn of_role_all(&self, role: &str) -> Vec<&'a FileRecord> {
        let mut c = self.clone();
        c.superseded.clear();
        c.of_role(role)
    }

    /// The role's name in the check's language, as it reads inside a sentence: English names
    /// are lower-cased ("summary report"); templates capitalise where a sentence starts.
    pub fn role_name(&self, role: &str) -> String {
        role_name(self.rules, role, self.lang)
    }

    /// Whether `path` is a superseded version.
    pub fn is_superseded(&self, path: &str) -> bool {
        self.superseded.contains(path)
    }
}

/// A role's name in `lang` as it reads inside a sentence.
pub fn role_name(rules: &RuleSet, role: &str, lang: Lang) -> String {
    let name = rules.role_name_in(role, lang);
    match lang {
        Lang::Zh => name.to_string(),
        Lang::En => {
            let mut chars = name.chars();
            chars
                .next()
                .map(|c| c.to_lowercase().chain(chars).collect())
                .unwrap_or_default()
        }
    }
}

/// What the loader offers a measure to check its parameters with (implemented by
/// [`crate::rules::load`], which knows the file, the spans and the defined roles).
pub trait Check {
    /// Reports a problem at the value of `key` (element `index` of an array), or at the
    /// requirement's `measure` key when the key is absent.
    fn error(&mut self, key: &str, index: Option<usize>, message: String);
    fn has_role(&self, id: &str) -> bool;
    fn has_level(&self, id: &str) -> bool;
    /// The rule set's labels (the label measure's default).
    fn labels(&self) -> Vec<String>;
    /// Loads the requirement tables under `key` (an `any_of`'s alternatives).
    fn alternatives(&mut self, key: &str) -> Vec<Requirement>;
}

/// Reports `id` when no role of that id is defined.
pub fn check_role(cx: &mut dyn Check, key: &str, index: Option<usize>, id: &str) {
    if !cx.has_role(id) {
        cx.error(key, index, format!("未定义的角色 “{id}”"));
    }
}

/// What `yanshou rules` needs to explain a requirement.
pub struct Explain<'a> {
    pub rules: &'a RuleSet,
    pub req: &'a Requirement,
    pub lang: Lang,
}

impl Explain<'_> {
    pub fn role_name(&self, role: &str) -> String {
        role_name(self.rules, role, self.lang)
    }
}

/// One measure: its checks, the roles it reads, how it decides and its decision table.
pub trait MeasureKind {
    /// What it decides, in one sentence (`yanshou rules`).
    fn about(&self, ex: &Explain) -> String;
    /// Checks what serde cannot: role ids, patterns, ranges.
    fn check(&mut self, cx: &mut dyn Check);
    /// The roles whose files it reads (versions are resolved for these).
    fn roles(&self) -> Vec<&str>;
    /// Whether one qualifying item is enough (an "或"): copies that cannot be ordered all count.
    fn any(&self) -> bool {
        false
    }
    fn evaluate(&self, ctx: &Context, req: &Requirement) -> RequirementResult;
    /// The decision table with this requirement's values.
    fn explain(&self, ex: &Explain) -> Vec<Line>;
}

/// Declares the measures: the serde-tagged enum, its loading by name and its dispatch.
///
/// Why the loader dispatches by hand instead of `#[derive(Deserialize)]` on the tagged enum:
/// serde buffers an internally tagged enum's content, and `toml::Spanned` does not survive
/// the buffer, so errors would lose their lines. The loader reads `measure`, then
/// deserializes the variant's own struct from the rest of the table ([`Measure::load`]).
macro_rules! measures {
    ($( $(#[$doc:meta])* $variant:ident($module:ident::$ty:ident) = $name:literal, )*) => {
        /// The measures the engine knows, each defined in its own module.
        #[derive(Debug, Clone, Serialize)]
        #[serde(tag = "measure")]
        pub enum Measure {
            $( $(#[$doc])* #[serde(rename = $name)] $variant($module::$ty), )*
        }

        impl Measure {
            /// The names a rule file may give as `measure`.
            pub const NAMES: &'static [&'static str] = &[$($name),*];

            /// The measure's name in rule files.
            pub fn name(&self) -> &'static str {
                match self { $( Measure::$variant(_) => $name, )* }
            }

            /// Reads the parameters of the measure called `name`; `None` for an unknown name.
            pub fn load<'de, D: serde::Deserializer<'de>>(
                name: &str,
                params: D,
            ) -> Option<Result<Measure, D::Error>> {
                match name {
                    $( $name => Some(
                        <$module::$ty as serde::Deserialize>::deserialize(params)
                            .map(Measure::$variant)
                    ), )*
                    _ => None,
                }
            }

            pub fn kind(&self) -> &dyn MeasureKind {
                match self { $( Measure::$variant(m) => m, )* }
            }

            pub fn kind_mut(&mut self) -> &mut dyn MeasureKind {
                match self { $( Measure::$variant(m) => m, )* }
            }

            /// Every message of every measure module (for the catalogue checks).
            fn tables() -> Vec<(&'static [table::Row], &'static [Message])> {
                vec![$( ($module::TABLE, $module::MESSAGES), )*]
            }
        }
    };
}

measures! {
    /// A deliverable is there (at least `min` files of the role).
    Present(present::Present) = "present",
    /// At least `at_least` files of the role (decks, photos …).
    Count(count::Count) = "count",
    /// The role's document has at least `at_least` (× tolerance for "左右") by `basis`.
    Words(words::Words) = "words",
    /// Recordings of at least `at_least` seconds: each one, or any one (`each = false`).
    Duration(duration::Duration) = "duration",
    /// Every text/video/image resource carries the labels.
    Label(label::Label) = "label",
    /// A figure stated in the reports ("直接联系科技工作者120人次") reaches `at_least`.
    Figure(figure::Figure) = "figure",
    /// At least `at_least` people with one of `titles` on the list.
    TitledPeople(people::TitledPeople) = "titled_people",
    /// News items published where the guide asks.
    News(news::News) = "news",
    /// Passes when any alternative passes ("或").
    AnyOf(any_of::AnyOf) = "any_of",
}

/// Every message the evaluator writes: decision rows (condition and message) and the other
/// texts of each module. A test checks ids are unique and both languages take the same
/// arguments.
pub fn catalogue() -> Vec<&'static Message> {
    let mut all: Vec<&'static Message> = Vec::new();
    let mut tables = Measure::tables();
    tables.push((versions::TABLE, versions::MESSAGES));
    tables.push((&[], files::MESSAGES));
    for (rows, messages) in tables {
        for row in rows {
            all.push(&row.when);
            all.push(&row.says);
        }
        all.extend(messages.iter());
    }
    all
}

/// Evaluates every requirement.
pub fn evaluate(ctx: &Context) -> Vec<RequirementResult> {
    ctx.rules
        .requirements
        .iter()
        .map(|r| evaluate_one(ctx, r))
        .collect()
}

/// Evaluates one requirement: resolves the versions of its roles' deliverables, lets the
/// measure decide, lists superseded versions, and applies the rule file's fail message.
pub fn evaluate_one(ctx: &Context, req: &Requirement) -> RequirementResult {
    let kind = req.measure.kind();
    let plan = versions::plan(ctx, &kind.roles());
    let mut view = ctx.clone();
    view.superseded.extend(plan.superseded());
    let mut result = if !(ctx.any || kind.any()) && plan.has_unorderable() {
        versions::decide_unorderable(&view, &plan, req, &|c| kind.evaluate(c, req))
    } else {
        kind.evaluate(&view, req)
    };
    plan.add_evidence(&mut result, ctx.lang);
    if result.verdict == Verdict::Fail
        && let Some(template) = req.fail_message_in(ctx.lang)
    {
        result.message = template
            .replace("{measured}", &result.measured_text)
            .replace("{threshold}", &result.threshold_text);
    }
    result
}

/// The result every measure starts from: the requirement's title, wording and threshold.
pub fn start(ctx: &Context, req: &Requirement) -> RequirementResult {
    RequirementResult {
        id: req.id.clone(),
        title: req.title_in(ctx.lang).to_string(),
        guide: req.guide.clone(),
        verdict: Verdict::Review,
        measured: Value::Null,
        threshold: Value::Null,
        measured_text: String::new(),
        threshold_text: req.threshold_in(ctx.lang).to_string(),
        evidence: Vec::new(),
        message: String::new(),
        decision: String::new(),
    }
}

/// One piece of evidence.
pub fn ev(path: &str, detail: impl Into<String>) -> Evidence {
    Evidence {
        path: path.to_string(),
        detail: detail.into(),
    }
}

/// The list separator of the language: 、 / ", ".
pub fn sep(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "、",
        Lang::En => ", ",
    }
}

/// The clause separator of the language: ； / "; ".
pub fn semi(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "；",
        Lang::En => "; ",
    }
}

/// Quoted words, as a list: “a”“b” / “a”, “b”.
pub fn quoted(words: &[String], lang: Lang) -> String {
    let q: Vec<String> = words.iter().map(|w| format!("“{w}”")).collect();
    match lang {
        Lang::Zh => q.join(""),
        Lang::En => q.join(", "),
    }
}

/// A quantity with its unit: `3 个` / `3 decks`, `1 deck` (English singular when given).
pub fn qty(lang: Lang, n: u64, zh: &str, en: &str, en_one: Option<&str>) -> String {
    let n_text = crate::count::thousands(n);
    match lang {
        Lang::Zh => format!("{n_text} {zh}"),
        Lang::En => match en_one {
            Some(one) if n == 1 => format!("1 {one}"),
            _ => format!("{n_text} {en}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_is_consistent() {
        let all = catalogue();
        assert!(all.len() > 50, "{}", all.len());
        let problems = crate::msg::check_catalog(&all);
        assert!(problems.is_empty(), "{problems:#?}");
    }
}
