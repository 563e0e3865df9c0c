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
        "mkv" | "avi" | "flv" | "asf" | "mpegts" | "mpegps" | "rm" => {
            let exts: &[&str] = match target {
                "mkv" => &["mkv", "webm"],
                "avi" => &["avi"],
                "flv" => &["flv"],
                "asf" => &["wmv", "asf"],
                "mpegts" => &["ts", "m2ts"],
                "mpegps" => &["mpg", "vob"],
                _ => &["rm", "rmvb"],
            };
            let mut v = files_under(&fx.join("video"), exts, 256 << 10);
            v.extend(files_under(&fx.join("media"), exts, 256 << 10));
            v.extend(files_under(&corpus.join("video"), exts, 256 << 10));
            v.iter().filter_map(read).collect()
        }
        "odf_xml" | "ofd_xml" | "xlsx_xml" => {
            let exts: &[&str] = match target {
                "odf_xml" => &["odt", "ods", "odp"],
                "ofd_xml" => &["ofd"],
                _ => &["xlsx"],
            };
            let mut v = files_under(&fx.join("odf"), exts, 1 << 20);
            v.extend(files_under(&fx.join("legacy"), exts, 1 << 20));
            v.extend(files_under(&fx.join("ooxml"), exts, 1 << 20));
            for dir in ["odt", "odp", "ods", "ofd", "xlsx"] {
                v.extend(files_under(&corpus.join(dir), exts, 1 << 20));
            }
            let mut seeds: Vec<Vec<u8>> = v
                .iter()
                .filter_map(read)
                .filter_map(|b| yanshou::fuzzing::package_seed(&b))
                .collect();
            if target == "ofd_xml" {
                // No OFD among the fixtures: a small one in the flat encoding (entry, document
                // with a template and annotations, one page), so a clone without the shared
                // corpus still has a seed.
                seeds.push(OFD_SEED.replace('|', "\0").into_bytes());
            }
            seeds
        }
        "doc_pieces" => {
            let mut v = files_under(&fx.join("legacy"), &["doc", "wps"], 1 << 20);
            v.extend(files_under(&corpus.join("doc"), &["doc", "wps"], 1 << 20));
            v.iter()
                .filter_map(read)
                .filter_map(|b| yanshou::fuzzing::doc_seed(&b))
                .collect()
        }
        "pdf_text" => {
            let mut v = files_under(&fx.join("pdf"), &["pdf"], 1 << 20);
            v.extend(files_under(&fx.join("legacy"), &["pdf"], 1 << 20));
            v.extend(files_under(&corpus.join("pdf"), &["pdf"], 1 << 20));
            v.iter()
                .filter_map(read)
                .filter_map(|b| yanshou::fuzzing::pdf_text_seed(&b))
                .filter(|b| b.len() <= 256 << 10)
                .collect()
        }
        "pdf" => {
            let max = yanshou::fuzzing::PDF_MAX as u64;
            let mut v = files_under(&fx.join("pdf"), &["pdf"], max);
            v.extend(files_under(&fx.join("demo"), &["pdf"], max));
            v.extend(files_under(&fx.join("submissions"), &["pdf"], max));
            v.extend(files_under(&corpus.join("pdf"), &["pdf"], max));
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

const OFD_SEED: &str = concat!(
    "OFD.xml|",
    r#"<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" DocType="OFD" Version="1.0"><ofd:DocBody><ofd:DocInfo><ofd:DocID>x</ofd:DocID><ofd:Title>专家名单</ofd:Title><ofd:CustomDatas><ofd:CustomData Name="项目">学会</ofd:CustomData></ofd:CustomDatas></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"#,
    "|Doc_0/Document.xml|",
    r#"<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:CommonData><ofd:TemplatePage ID="9" BaseLoc="Tpls/Tpl_0/Content.xml"/></ofd:CommonData><ofd:Pages><ofd:Page ID="10" BaseLoc="Pages/Page_0/Content.xml"/><ofd:Page ID="11" BaseLoc="/Doc_0/Pages/Page_0/Content.xml"/></ofd:Pages><ofd:Annotations>Annots/Annotations.xml</ofd:Annotations></ofd:Document>"#,
    "|Doc_0/Pages/Page_0/Content.xml|",
    r#"<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Area><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:Area><ofd:Template TemplateID="9" ZOrder="Background"/><ofd:Content><ofd:Layer ID="1"><ofd:TextObject ID="5" Boundary="0 0 10 10" Font="1" Size="3"><ofd:TextCode X="0" Y="3">自治区科协</ofd:TextCode><ofd:TextCode X="0" Y="8">第二行</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>"#,
    "|Doc_0/Tpls/Tpl_0/Content.xml|",
    r#"<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer ID="1"><ofd:TextObject ID="6" Boundary="0 0 10 10" Font="1" Size="3"><ofd:TextCode X="0" Y="3">电子发票</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>"#,
    "|Doc_0/Annots/Annotations.xml|",
    r#"<ofd:Annotations xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Page PageID="10"><ofd:FileLoc>Page_0/Annotation.xml</ofd:FileLoc></ofd:Page></ofd:Annotations>"#,
    "|Doc_0/Annots/Page_0/Annotation.xml|",
    r#"<ofd:PageAnnot xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Annot Type="Watermark"><ofd:Appearance Boundary="0 0 1 1"><ofd:TextObject ID="7" Boundary="0 0 10 10" Font="1" Size="3"><ofd:TextCode X="0" Y="2">下载次数：1</ofd:TextCode></ofd:TextObject></ofd:Appearance></ofd:Annot></ofd:PageAnnot>"#,
);

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
    // Rounds per seed: small by default so the test stays short; set
    // YANSHOU_FUZZ_ROUNDS for a long run on stable (no coverage guidance, fixed seed).
    let rounds: usize = std::env::var("YANSHOU_FUZZ_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48);
    // YANSHOU_FUZZ_ONLY=mkv,pdf runs just those targets.
    let only: Option<Vec<String>> = std::env::var("YANSHOU_FUZZ_ONLY")
        .ok()
        .map(|v| v.split(',').map(|s| s.trim().to_string()).collect());
    yanshou::fuzzing::init();
    for (name, f) in TARGETS {
        if only.as_ref().is_some_and(|o| !o.iter().any(|t| t == name)) {
            continue;
        }
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

/// Every kept crash input of a whole-file target, read the way `yanshou check` reads a file
/// (identify by content, then the extractor, with default limits and panics caught): it must
/// come out as facts or a specific finding, never `extract.panic`. Inputs of the targets with a
/// flat encoding (`odf_xml`, `doc_pieces`, `pdf_text` …) run through their extractor in the
/// harness itself, above.
#[test]
fn kept_crash_inputs_read_through_the_extractor() {
    use yanshou::extract::{Extraction, Input, Limits, extract};
    use yanshou::facts::Format;
    let whole_file = [
        "archive", "identify", "mp4", "image", "any_file", "mkv", "avi", "flv", "asf", "mpegts",
        "mpegps", "rm", "pdf",
    ];
    let dir = root().join("fixtures/hostile/fuzz");
    let mut n = 0;
    for target in whole_file {
        for p in files_under(&dir.join(target), &[], 16 << 20) {
            let bytes = std::fs::read(&p).unwrap();
            // The target's own format when the content does not identify (a cut header).
            let own = match target {
                "mkv" => Format::Mkv,
                "avi" => Format::Avi,
                "flv" => Format::Flv,
                "asf" => Format::Asf,
                "mpegts" => Format::Mpegts,
                "mpegps" => Format::Mpegps,
                "rm" => Format::Rmvb,
                "mp4" => Format::Mp4,
                "pdf" => Format::Pdf,
                _ => Format::Unknown,
            };
            let format = match yanshou::identify::identify(&mut std::io::Cursor::new(&bytes)) {
                Ok(Format::Unknown) | Err(_) => own,
                Ok(f) => f,
            };
            let input = Input::from_bytes(bytes, p.display().to_string());
            let mut warnings = Vec::new();
            if let Extraction::Unreadable(problem) =
                extract(&input, format, &Limits::default(), &mut warnings)
            {
                assert_ne!(
                    problem.code,
                    "extract.panic",
                    "{}: {problem:?}",
                    p.display()
                );
            }
            n += 1;
        }
    }
    eprintln!("{n} kept crash inputs read through the extractor");
}
