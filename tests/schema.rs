//! The published JSON contract (issue #14, "Integrators"): `schema/dossier.schema.json` and
//! `schema/summary.schema.json` are what `yanshou schema` prints from the Rust types, and every
//! dossier and summary the fixtures produce validates against the committed files.
//!
//! When a type changes on purpose, regenerate the files:
//! `cargo run -- schema dossier > schema/dossier.schema.json` (and `summary`), and say in the
//! commit that the contract changed.

use std::path::{Path, PathBuf};
use std::process::Command;

fn yanshou() -> Command {
    Command::new(env!("CARGO_BIN_EXE_yanshou"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn committed(name: &str) -> serde_json::Value {
    let path = root().join("schema").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn printed(which: &str) -> String {
    let out = yanshou().args(["schema", which]).output().unwrap();
    assert!(out.status.success(), "yanshou schema {which}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn committed_schemas_are_what_the_types_generate() {
    for which in ["dossier", "summary"] {
        let name = format!("{which}.schema.json");
        let path = root().join("schema").join(&name);
        let on_disk = std::fs::read_to_string(&path).unwrap();
        assert!(
            printed(which) == on_disk,
            "the {which} contract changed: the types no longer generate {}.\n\
             If the change is meant, run `cargo run -- schema {which} > schema/{name}` \
             and say so in the commit (integrators read this file).",
            path.display()
        );
    }
}

fn validator(name: &str) -> jsonschema::Validator {
    jsonschema::validator_for(&committed(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn assert_valid(v: &jsonschema::Validator, doc: &serde_json::Value, what: &str) {
    let errors: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

/// Every submission the fixtures hold, as `check --format json` writes it.
fn submissions() -> Vec<(PathBuf, Vec<&'static str>)> {
    let mut out = Vec::new();
    for area in ["submissions", "demo"] {
        let dir = root().join("fixtures").join(area);
        let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .collect();
        names.sort();
        out.extend(names.into_iter().map(|p| (p, vec![])));
    }
    // Hostile files (corrupt, encrypted, bombs, lying headers): a dossier full of problems.
    out.push((
        root().join("fixtures/hostile/submission"),
        vec!["--category", "XXJL-2025"],
    ));
    // A file that is not a submission at all and an empty folder: the blocked dossier.
    out.push((root().join("fixtures/hostile/expected.tsv"), vec![]));
    out
}

#[test]
fn every_fixture_dossier_validates_against_the_committed_schema() {
    let v = validator("dossier.schema.json");
    let empty = tempfile::tempdir().unwrap();
    let mut cases = submissions();
    cases.push((empty.path().to_path_buf(), vec![]));
    let mut checked = 0;
    for (path, extra) in cases {
        let out = yanshou()
            .arg("check")
            .arg(&path)
            .args(["--format", "json", "--ocr", "off"])
            .args(&extra)
            .output()
            .unwrap();
        let code = out.status.code();
        assert!(
            matches!(code, Some(0 | 1)),
            "{}: exit {code:?}\n{}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(doc["schema"], "yanshou.dossier/1");
        assert_valid(&v, &doc, &path.display().to_string());
        checked += 1;
    }
    assert!(checked >= 12, "only {checked} dossiers");
}

#[test]
fn a_document_that_breaks_the_contract_is_refused() {
    // The validator is not vacuous: a dossier with a verdict outside the contract fails it.
    let v = validator("dossier.schema.json");
    let out = yanshou()
        .arg("check")
        .arg(root().join("fixtures/demo"))
        .args([
            "--format",
            "json",
            "--ocr",
            "off",
            "--category",
            "XXJL-2025",
        ])
        .output()
        .unwrap();
    let mut doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.is_valid(&doc));
    doc["verdict"] = serde_json::json!("maybe");
    assert!(!v.is_valid(&doc));
    doc["verdict"] = serde_json::json!("pass");
    doc.as_object_mut().unwrap().remove("requirements");
    assert!(!v.is_valid(&doc));
}

#[test]
fn the_audit_summary_validates_against_the_committed_schema() {
    let v = validator("summary.schema.json");
    let out = tempfile::tempdir().unwrap();
    let status = yanshou()
        .arg("audit")
        .arg(root().join("fixtures/submissions"))
        .arg("--out")
        .arg(out.path())
        .args(["--ocr", "off"])
        .output()
        .unwrap();
    assert!(matches!(status.status.code(), Some(0 | 1)), "{status:?}");
    let summary = std::fs::read(out.path().join("summary.json")).unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&summary).unwrap();
    assert!(doc["projects"].as_array().is_some_and(|p| p.len() >= 10));
    assert_valid(&v, &doc, "summary.json");
    // And each dossier.json the audit wrote is a dossier by the contract.
    let dossiers = validator("dossier.schema.json");
    let mut seen = 0;
    for entry in walk(out.path()) {
        if entry.file_name().is_some_and(|n| n == "dossier.json") {
            let doc: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&entry).unwrap()).unwrap();
            assert_valid(&dossiers, &doc, &entry.display().to_string());
            seen += 1;
        }
    }
    assert!(seen >= 10, "{seen} dossier.json files");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
