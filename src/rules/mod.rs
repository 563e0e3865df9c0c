//! Rule sets: the guide's 项目指标 as data (`checks/<ID>.toml`), read into the evaluator's
//! vocabulary ([`crate::eval::RuleSet`], re-exported here).
//!
//! A rule file names roles (which files play which part, recognised by keywords in folder
//! names, file names and titles), the words that mark versions of a deliverable, and
//! requirements (a measure over roles, a threshold, the guide's wording). Next year's guide is
//! a new TOML file, not new code. Files are loaded in two stages ([`load`]): TOML → raw tables
//! with spans (unknown keys rejected), then validation into the typed [`RuleSet`], collecting
//! every problem with its line so the user sees the full list at once, before any submission
//! file is read. [`explain`] prints a requirement's decision table (`yanshou rules ID REQ`).

pub mod builtin;
pub(crate) mod explain;
pub mod load;

pub use crate::eval::{
    Basis, Figures, Level, Measure, Requirement, Role, RuleSet, Versions, unit_in,
};
