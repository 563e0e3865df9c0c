//! The fuzz targets on stable: every harness of `yanshou::fuzzing` over its seeds (project
//! fixtures, and `../shared/corpus` where present), every crash input kept under
//! `fixtures/hostile/fuzz/<target>/`, and a bounded fixed-seed mutation loop. Coverage-guided
//! fuzzing proper is `fuzz/` (cargo-fuzz, nightly); this keeps its findings fixed and gives a
//! fresh clone without nightly a cheap version of it. A failure names the target, the seed and
//! the mutation round, and writes the failing input to `target/fuzz-regress-failure.bin`.

use std::path::{Path, PathBuf};

use yanshou::fuzzing::{Rng, TARGETS, mutate};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files_under(dir: &Path, exts: &[&str], max_size: u64) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| e.metadata().map(|m| m.len() <= max_size).unwrap_or(false))
        .filter(|e| {
            let ext = e
                .path()
                .extension()
                .map(|x| x.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            exts.is_empty() || exts.contains(&ext.as_str())
        })
        .map(|e| e.into_path())
        .collect();
    out.truncate(40);
    out
}

/// One part of a zip package, for the XML targets.
fn part(path: &Path, name: &str) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).ok()?).ok()?;
    let mut out = Vec::new();
    zip.by_name(name).ok()?.read_to_end(&mut out).ok()?;
    Some(out)
}

/// The seeds of a target: fixtures, the shared corpus if present, and kept crash inputs.
fn seeds(target: &str) -> Vec<Vec<u8>> {
    let fx = root().join("fixtures");
    let corpus = root().join("../shared/corpus");
    let read = |p: &PathBuf| std::fs::read(p).ok();
    let mut out: Vec<Vec<u8>> = match target {
        "zip_names" => [
            &b"\x00report.docx"[..],
            b"\x01\xe6\x80\xbb\xe7\xbb\x93.docx",
            b"\x00\xc9\xf3\xbc\xc6/\xbc\xaf\xcd\xc5.doc",
            b"\x00../../evil.txt",
            b"\x00C:\\Windows\\x",
            b"\x01\x1b[2J",
        ]
        .iter()
        .map(|s| s.to_vec())
        .collect(),
        "archive" => {
            let mut v = files_under(
                &fx.join("hostile/submission/压缩包"),
                &["zip", "7z"],
                1 << 20,
            );
            v.extend(files_under(&corpus.join("archive"), &[], 1 << 20));
            v.iter().filter_map(read).collect()
        }
        "docx_xml" => {
            let mut v = files_under(&fx.join("ooxml"), &["docx"], 4 << 20);
            v.extend(files_under(&corpus.join("docx"), &["docx"], 4 << 20));
            v.iter()
                .filter_map(|p| {
                    let mut doc = part(p, "word/document.xml")?;
                    if let Some(notes) = part(p, "word/footnotes.xml") {
                        doc.push(0);
                        doc.extend(notes);
                    }
                    Some(doc)
                })
                .collect()
        }
        "pptx_xml" => {
            let mut v = files_under(&fx.join("ooxml"), &["pptx"], 4 << 20);
            v.extend(files_under(&corpus.join("pptx"), &["pptx"], 4 << 20));
            v.iter()
                .filter_map(|p| {
                    let mut pres = part(p, "ppt/presentation.xml")?;
                    pres.push(0);
                    pres.extend(part(p, "ppt/slides/slide1.xml").unwrap_or_default());
                    Some(pres)
                })
                .collect()
        }
        "mp4" => {
            let mut v = files_under(&fx.join("media"), &["mp4", "mov"], 1 << 20);
            v.extend(files_under(&corpus.join("video"), &["mp4", "mov"], 1 << 20));
            v.iter().filter_map(read).collect()
        }
        "text" => files_under(&fx.join("text"), &["txt", "html"], 1 << 20)
            .iter()
            .filter_map(read)
            .collect(),
        "image" => {
            let mut v = files_under(&fx.join("media"), &["jpg", "png"], 1 << 20);
            v.extend(files_under(&corpus.join("image"), &["jpg", "png"], 1 << 20));
            v.iter().filter_map(read).collect()
        }
        "rules" => files_under(&root().join("checks"), &["toml"], 1 << 20)
            .iter()
            .filter_map(read)
            .collect(),
        "identify" | "any_file" => {
            let mut v = files_under(&fx.join("hostile/submission"), &[], 1 << 20);
            v.extend(files_under(&fx.join("text"), &[], 1 << 20));
            v.extend(files_under(&fx.join("media"), &["jpg", "mp4"], 1 << 20));
            v.iter().filter_map(read).collect()
        }
        _ => Vec::new(),
    };
    // Crash inputs found by fuzzing, kept as regression fixtures.
    for p in files_under(&fx.join("hostile/fuzz").join(target), &[], 16 << 20) {
        if let Some(b) = read(&p) {
            out.push(b);
        }
    }
    if !corpus.is_dir() {
        eprintln!("note: ../shared/corpus absent: {target} seeded from fixtures only");
    }
    out
}

fn run_guarded(name: &str, f: fn(&[u8]), data: &[u8], what: &str) {
    let result = std::panic::catch_unwind(|| f(data));
    if result.is_err() {
        let out = root().join("target/fuzz-regress-failure.bin");
        let _ = std::fs::write(&out, data);
        panic!(
            "fuzz target {name} panicked on {what} (input saved to {})",
            out.display()
        );
    }
}

#[test]
fn every_target_survives_its_seeds_crash_inputs_and_mutations() {
    // Rounds per seed: small by default so the test stays a few seconds; set
    // YANSHOU_FUZZ_ROUNDS for a long run on stable (no coverage guidance, fixed seed).
    let rounds: usize = std::env::var("YANSHOU_FUZZ_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48);
    yanshou::fuzzing::init();
    for (name, f) in TARGETS {
        let seeds = seeds(name);
        assert!(!seeds.is_empty(), "{name}: no seeds");
        let mut rng = Rng::new(0x5EED_0000 + name.len() as u64);
        for (i, seed) in seeds.iter().enumerate() {
            run_guarded(name, *f, seed, &format!("seed {i}"));
            let mut data = seed.clone();
            for round in 0..rounds {
                // Start again from the seed now and then, so mutations stay near valid input.
                if round % 8 == 0 {
                    data = seed.clone();
                }
                for _ in 0..1 + rng.below(4) {
                    mutate(&mut data, &mut rng);
                }
                run_guarded(name, *f, &data, &format!("seed {i} round {round}"));
            }
        }
    }
}

/// Writes every target's seeds to `$YANSHOU_FUZZ_CORPUS/<target>/` for cargo-fuzz
/// (`fuzz/seed.sh` runs this). Ignored by default: it writes files.
#[test]
#[ignore]
fn write_fuzz_corpus() {
    let Some(dir) = std::env::var_os("YANSHOU_FUZZ_CORPUS") else {
        eprintln!("set YANSHOU_FUZZ_CORPUS to the corpus folder");
        return;
    };
    for (name, _) in TARGETS {
        let d = Path::new(&dir).join(name);
        std::fs::create_dir_all(&d).unwrap();
        for (i, seed) in seeds(name).iter().enumerate() {
            std::fs::write(d.join(format!("seed-{i:03}")), seed).unwrap();
        }
    }
}
