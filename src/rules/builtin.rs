//! The rule sets that ship inside the binary, and loading a folder of rule files.
//!
//! `checks/*.toml` are compiled in with `include_str!` so that an installed `yanshou` needs no
//! files beside it; `--rules DIR` loads a folder instead (next year's guide, a local variant).

use std::path::Path;

use super::RuleSet;
use super::load::{RuleError, RuleErrors, parse};

/// (file name, contents) of the built-in rule files.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "checks/XXJL-2025.toml",
        include_str!("../../checks/XXJL-2025.toml"),
    ),
    (
        "checks/QKPY-2025.toml",
        include_str!("../../checks/QKPY-2025.toml"),
    ),
    (
        "checks/DJQC-2025.toml",
        include_str!("../../checks/DJQC-2025.toml"),
    ),
];

/// Parses every built-in rule set; every problem of every file is collected.
pub fn load_builtin() -> Result<Vec<RuleSet>, RuleErrors> {
    load_sources(BUILTIN.iter().map(|(n, s)| (n.to_string(), s.to_string())))
}

/// Loads every `*.toml` in `dir`, sorted by name.
pub fn load_dir(dir: &Path) -> Result<Vec<RuleSet>, RuleErrors> {
    let entries = std::fs::read_dir(dir).map_err(|e| one(dir, &e.to_string()))?;
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(one(dir, "目录中没有 .toml 规则文件"));
    }
    let mut sources = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).map_err(|e| one(&f, &e.to_string()))?;
        sources.push((f.display().to_string(), text));
    }
    load_sources(sources.into_iter())
}

/// Loads one rule file.
pub fn load_file(path: &Path) -> Result<Vec<RuleSet>, RuleErrors> {
    let text = std::fs::read_to_string(path).map_err(|e| one(path, &e.to_string()))?;
    load_sources(std::iter::once((path.display().to_string(), text)))
}

fn load_sources(
    sources: impl Iterator<Item = (String, String)>,
) -> Result<Vec<RuleSet>, RuleErrors> {
    let mut sets = Vec::new();
    let mut errors = Vec::new();
    for (name, text) in sources {
        match parse(&name, &text) {
            Ok(set) => {
                if sets.iter().any(|s: &RuleSet| s.id == set.id) {
                    errors.push(RuleError {
                        file: name.clone(),
                        line: 1,
                        message: format!("规则集 id “{}” 与另一个文件重复", set.id),
                    });
                }
                sets.push(set);
            }
            Err(e) => errors.extend(e.0),
        }
    }
    if errors.is_empty() {
        Ok(sets)
    } else {
        Err(RuleErrors(errors))
    }
}

fn one(path: &Path, message: &str) -> RuleErrors {
    RuleErrors(vec![RuleError {
        file: path.display().to_string(),
        line: 0,
        message: message.to_string(),
    }])
}
