//! The dependency direction of the crate's modules (issue #15), checked from the source:
//! `cargo test --test layers` is the command anyone can run.
//!
//! Every `crate::…` and `super::…` path in `src/` is resolved to the module it names. Two
//! rules follow:
//! - No circles between sibling modules, at any level: `extract` and `walk` may not each use
//!   the other, nor `extract::ole` and `extract::ooxml`. (A child using its parent's items is
//!   not a circle: the parent is the child's context.)
//! - Layers point one way (`LAYERS`, lowest first): the vocabulary (facts, the dossier model,
//!   the language, messages) names nothing above it; the reading core (input, walk, identify,
//!   extract, ocr, isolate) never names the rules, the evaluation, the pipeline, the renderers
//!   or the application; and the renderers read only the model and the vocabulary.
//!
//! Paths are found with a small scanner over the source text (comments and string literals
//! skipped), not a Rust parser: `use` trees with braces are expanded, and a path that names a
//! module's item counts as naming the module.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Module path (`["extract", "ole"]`) of each source file.
fn modules() -> BTreeMap<Vec<String>, PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p.strip_prefix(&src).unwrap();
                let mut parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                let last = parts.pop().unwrap();
                let stem = last.trim_end_matches(".rs").to_string();
                if stem != "mod" && stem != "lib" && stem != "main" {
                    parts.push(stem);
                }
                if last == "main.rs" {
                    continue; // the binary is the top of everything
                }
                out.insert(parts, p);
            }
        }
    }
    out
}

/// The source without comments and string/char literals (their text is not code).
fn code_only(src: &str) -> String {
    let b: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && !prev_ident(&b, i) {
            // raw string r"…" / r#"…"#
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= b.len() {
                    break;
                }
                if b[j] == '"' && (0..hashes).all(|k| b.get(j + 1 + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' {
            // a char literal ('a', '\n', '\u{4e00}') or a lifetime ('a)
            if next == Some('\\') {
                let mut j = i + 2;
                while j < b.len() && b[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
            } else if b.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn prev_ident(b: &[char], i: usize) -> bool {
    i > 0 && (b[i - 1].is_alphanumeric() || b[i - 1] == '_')
}

/// Every path starting with `crate::` or `super::` in `code`, `use` trees expanded.
fn paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let rest: String = chars[i..chars.len().min(i + 7)].iter().collect();
        let starts =
            (rest.starts_with("crate::") || rest.starts_with("super::")) && !prev_ident(&chars, i);
        if !starts {
            i += 1;
            continue;
        }
        // Take the path with any brace group.
        let mut j = i;
        let mut depth = 0;
        while j < chars.len() {
            let c = chars[j];
            if c == '{' {
                depth += 1;
            } else if c == '}' {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            } else if depth == 0 && !(c.is_alphanumeric() || c == '_' || c == ':') {
                break;
            }
            j += 1;
        }
        let text: String = chars[i..j].iter().filter(|c| !c.is_whitespace()).collect();
        expand(&text, &mut out);
        i = j.max(i + 1);
    }
    out
}

/// `a::{b, c::{d}}` → `a::b`, `a::c::d`.
fn expand(text: &str, out: &mut Vec<String>) {
    match text.find('{') {
        None => out.push(text.trim_end_matches("::").to_string()),
        Some(open) => {
            let prefix = &text[..open];
            let inner = text[open + 1..].trim_end_matches('}');
            let mut depth = 0;
            let mut start = 0;
            let bytes: Vec<char> = inner.chars().collect();
            let mut parts = Vec::new();
            for (k, c) in bytes.iter().enumerate() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        parts.push(bytes[start..k].iter().collect::<String>());
                        start = k + 1;
                    }
                    _ => {}
                }
            }
            parts.push(bytes[start..].iter().collect::<String>());
            for p in parts.into_iter().filter(|p| !p.is_empty()) {
                if p == "self" {
                    out.push(prefix.trim_end_matches("::").to_string());
                } else {
                    expand(&format!("{prefix}{p}"), out);
                }
            }
        }
    }
}

/// The module a path names, from the module `from` it is written in.
fn resolve(
    path: &str,
    from: &[String],
    known: &BTreeMap<Vec<String>, PathBuf>,
    is_mod_file: bool,
) -> Option<Vec<String>> {
    let mut segs: Vec<&str> = path.split("::").collect();
    let mut base: Vec<String> = Vec::new();
    if segs.first() == Some(&"crate") {
        segs.remove(0);
    } else {
        // `super` in a/b.rs is `a`; in a/b/mod.rs (module a::b) it is also `a`.
        base = from.to_vec();
        let _ = is_mod_file;
        while segs.first() == Some(&"super") {
            segs.remove(0);
            base.pop();
        }
    }
    let mut target = base;
    let mut best = None;
    for s in segs {
        target.push(s.to_string());
        if known.contains_key(&target) {
            best = Some(target.clone());
        } else {
            break;
        }
    }
    best
}

/// Edges module → module named.
fn graph() -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let known = modules();
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (module, file) in &known {
        let src = std::fs::read_to_string(file).unwrap();
        // Tests inside a module may reach anywhere.
        let src = match src.find("#[cfg(test)]") {
            Some(at) => &src[..at],
            None => &src[..],
        };
        let is_mod_file = file.ends_with("mod.rs");
        for p in paths(&code_only(src)) {
            if let Some(t) = resolve(&p, module, &known, is_mod_file)
                && &t != module
            {
                edges.entry(module.clone()).or_default().insert(t);
            }
        }
    }
    edges
}

/// Sibling circles: at each level, modules under one parent, an edge when anything under `a`
/// names anything under `b`.
fn sibling_circles() -> Vec<String> {
    let edges = graph();
    let mut sibling: BTreeMap<Vec<String>, BTreeSet<(String, String)>> = BTreeMap::new();
    for (from, tos) in &edges {
        for to in tos {
            // the common parent, then the two children of it on each side
            let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
            if common >= from.len() || common >= to.len() {
                continue; // parent ↔ child
            }
            let parent = from[..common].to_vec();
            sibling
                .entry(parent)
                .or_default()
                .insert((from[common].clone(), to[common].clone()));
        }
    }
    let mut circles = Vec::new();
    for (parent, pairs) in &sibling {
        // strongly connected components by repeated reachability (small graphs)
        let nodes: BTreeSet<&String> = pairs.iter().flat_map(|(a, b)| [a, b]).collect();
        let reach = |start: &String| {
            let mut seen = BTreeSet::new();
            let mut stack = vec![start.clone()];
            while let Some(n) = stack.pop() {
                for (a, b) in pairs {
                    if *a == n && seen.insert(b.clone()) {
                        stack.push(b.clone());
                    }
                }
            }
            seen
        };
        let mut done = BTreeSet::new();
        for n in &nodes {
            if done.contains(*n) {
                continue;
            }
            let from_n = reach(n);
            if !from_n.contains(*n) {
                continue;
            }
            let scc: Vec<String> = from_n
                .iter()
                .filter(|m| reach(m).contains(*n))
                .cloned()
                .collect();
            for m in &scc {
                done.insert(m.clone());
            }
            let at = if parent.is_empty() {
                "crate".to_string()
            } else {
                parent.join("::")
            };
            circles.push(format!("{at}: {}", scc.join(" ↔ ")));
        }
    }
    circles
}

/// The layers, lowest first. A module may name modules of its own layer (without circles) or
/// lower ones, never higher ones.
const LAYERS: &[&[&str]] = &[
    // vocabulary: words, limits and messages everything speaks
    &[
        "codes", "lang", "facts", "model", "count", "units", "label", "os_error", "msg",
    ],
    // the reading core: what is read within which bounds, containers and names, find,
    // identify, read files (isolated), OCR
    &[
        "input",
        "names",
        "container",
        "walk",
        "identify",
        "extract",
        "ocr",
        "isolate",
        "experts",
        "link",
    ],
    // what the guide asks: rules, roles, evaluation
    &["rules", "classify", "eval"],
    // one submission end to end
    &["pipeline", "cache"],
    // its dossier, rendered
    &["report"],
    // the application
    &["audit", "cross", "serve", "cli", "fuzzing"],
];

fn layer_of(top: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&top))
}

fn upward_edges() -> Vec<String> {
    let mut out = Vec::new();
    for (from, tos) in graph() {
        let f = &from[0];
        for to in tos {
            let t = &to[0];
            if f == t {
                continue;
            }
            match (layer_of(f), layer_of(t)) {
                (Some(a), Some(b)) if b > a => {
                    out.push(format!("{} → {}", from.join("::"), to.join("::")))
                }
                (None, _) => out.push(format!("{f}: not in LAYERS")),
                (_, None) => out.push(format!("{t}: not in LAYERS")),
                _ => {}
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The renderers read only the report model and the shared vocabulary (issue #15): never the
/// pipeline, the rules or the readers.
#[test]
fn renderers_read_only_the_model() {
    let mut wrong = Vec::new();
    for (from, tos) in graph() {
        if from[0] != "report" {
            continue;
        }
        for to in tos {
            if to[0] != "report" && layer_of(&to[0]) != Some(0) {
                wrong.push(format!("{} → {}", from.join("::"), to.join("::")));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "renderers reaching past the model:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_scanner_finds_paths() {
    let code = code_only(
        "use crate::a::{b, c::{d, e}};\n// crate::nope\nlet s = \"crate::no\"; super::x::y(); r#\"crate::z\"#",
    );
    let mut got = paths(&code);
    got.sort();
    assert_eq!(
        got,
        [
            "crate::a::b",
            "crate::a::c::d",
            "crate::a::c::e",
            "super::x::y"
        ]
    );
}

#[test]
fn no_circles_between_sibling_modules() {
    let circles = sibling_circles();
    assert!(
        circles.is_empty(),
        "modules that use each other:\n{}",
        circles.join("\n")
    );
}

#[test]
fn layers_point_one_way() {
    let up = upward_edges();
    assert!(
        up.is_empty(),
        "lower layers naming higher ones:\n{}",
        up.join("\n")
    );
}

#[test]
#[ignore = "prints the graph: cargo test --test layers -- --ignored --nocapture"]
fn print_top_level_edges() {
    let mut top: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (from, tos) in graph() {
        for to in tos {
            if from[0] != to[0] {
                top.entry(from[0].clone())
                    .or_default()
                    .entry(to[0].clone())
                    .or_default()
                    .insert(format!("{} → {}", from.join("::"), to.join("::")));
            }
        }
    }
    for (f, tos) in top {
        for (t, why) in tos {
            println!(
                "{f} → {t}: {}",
                why.into_iter().collect::<Vec<_>>().join(", ")
            );
        }
    }
}
