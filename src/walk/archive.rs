//! Archives as folders: the entries of a .zip or .7z (and of archives inside them) become
//! inputs like files on disk, read lazily and never extracted.
//!
//! Why it exists: most submissions arrive as one zip, often with zips inside. Walking an
//! archive lists its entries (central directory for zip, header for 7z) and turns each into an
//! [`Input`] whose bytes are a [`Source`]: a window onto the container (stored entries), an
//! inflater (deflated ones), or — for 7z, whose solid blocks cannot be read at random — bytes
//! decoded once at walk time into memory (small entries) or an anonymous temp file (large
//! ones; `tempfile::tempfile()` is unlinked at creation, so it is private and disappears with
//! the process).
//!
//! Every limit is checked on the *declared* sizes before anything is read, and the readers
//! never produce more than the declared size, so a lying header cannot grow an entry:
//! per-entry size, compression ratio (zip bombs), total size of the submission, number of
//! entries, nesting depth. Each breach is a finding naming the entry (or the archive).
//! Encrypted entries, links inside archives, overlapping and duplicate entries are findings too.
//!
//! Trade-offs: the CRC of a zip entry read through a window or the streaming inflater is not
//! verified; a 7z solid block is abandoned as a whole when one of its entries breaks a limit
//! (its other entries are listed as not read, with the reason).

use std::collections::BTreeSet;
use std::io::{Read, Seek, SeekFrom};
use std::sync::Arc;

pub(crate) use crate::container::{
    ArchiveKind, archive_kind, declared_entries, head_of, open_7z, open_zip, zip_problem,
};
use crate::container::{list_zip, seven_problem};
use crate::facts::Problem;
use crate::input::source::SourceReader;
use crate::input::{Input, Limits, Source};
use crate::names::{
    NameEncoding, SafePath, encoding_problem, path_problem, repair_cp437_gbk, repaired_problem,
    sanitize,
};
use crate::walk::{Found, clutter};

/// The lower-cased extension of a display name.
pub(crate) fn extension(display: &str) -> String {
    let name = display.rsplit('/').next().unwrap_or(display);
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}

/// What walking one archive gave.
#[derive(Debug, Default)]
pub(crate) struct Expansion {
    /// Its entries (and those of archives inside it).
    pub found: Vec<Found>,
    /// Findings about the archive as a whole (they go on its own row).
    pub notes: Vec<Problem>,
    /// The single top-level folder that was stripped from the displayed paths, if asked for.
    pub top_folder: Option<String>,
}

/// One archive to walk.
pub(crate) struct Job<'a> {
    pub source: Source,
    pub kind: ArchiveKind,
    /// Prefix of every displayed path (`材料/照片.zip/`, or `""` for the submission itself).
    pub prefix: String,
    /// Nesting depth of this archive: 0 for the submission archive, 1 for an archive in a
    /// folder (or in the submission archive), 2 inside that …
    pub depth: usize,
    /// Strip a single top-level folder from displayed paths (the submission zip).
    pub strip_top: bool,
    pub limits: &'a Limits,
}

/// Walks one archive. `budget` is the uncompressed size the submission may still admit.
/// `Err` means the archive itself cannot be opened; the caller lists it as a file, whose
/// extractor then reports why.
pub(crate) fn expand(job: Job<'_>, budget: &mut u64) -> Result<Expansion, Problem> {
    match job.kind {
        ArchiveKind::Zip => expand_zip(job, budget),
        ArchiveKind::SevenZ => expand_7z(job, budget),
    }
}

/// The single top-level folder all real entries share, if any (clutter such as `__MACOSX/`
/// does not count).
fn single_top(entries: &[(Vec<String>, bool)]) -> Option<String> {
    let mut top: Option<&str> = None;
    let mut any_file = false;
    for (components, is_dir) in entries {
        let first = components.first()?;
        if clutter(first, true).is_some() || clutter(first, false).is_some() {
            continue;
        }
        if !is_dir && components.len() < 2 {
            return None;
        }
        match top {
            None => top = Some(first),
            Some(t) if t == first => {}
            Some(_) => return None,
        }
        any_file |= !is_dir;
    }
    top.filter(|_| any_file).map(str::to_string)
}

/// Records entry `display` as ignored or broken, or checks the limits and returns the
/// admitted entry's declared size.
struct Admit<'a> {
    limits: &'a Limits,
    found: Vec<Found>,
    displays: BTreeSet<String>,
    clutter_seen: BTreeSet<String>,
}

impl Admit<'_> {
    /// Makes `display` unique (a second `a.txt` becomes `a (2).txt`), with a note.
    fn unique(&mut self, display: String, notes: &mut Vec<Problem>) -> String {
        if self.displays.insert(display.clone()) {
            return display;
        }
        let (stem, ext) = match display.rsplit_once('.') {
            Some((s, e)) if !s.ends_with('/') && !e.contains('/') => {
                (s.to_string(), format!(".{e}"))
            }
            _ => (display.clone(), String::new()),
        };
        let mut n = 2;
        let unique = loop {
            let candidate = format!("{stem} ({n}){ext}");
            if self.displays.insert(candidate.clone()) {
                break candidate;
            }
            n += 1;
        };
        notes.push(Problem::new(
            crate::codes::ARCHIVE_DUPLICATE_NAME,
            format!(
                "压缩包内有同名条目 “{display}”，此条目显示为 “{unique}”；请删除重复文件后重新打包"
            ),
        ));
        unique
    }

    /// Clutter in an entry's path: lists the clutter folder or file once, as ignored.
    fn clutter(&mut self, prefix: &str, components: &[String], is_dir: bool) -> bool {
        for (i, c) in components.iter().enumerate() {
            let last = i + 1 == components.len();
            let as_dir = !last || is_dir;
            if let Some(reason) = clutter(c, as_dir) {
                let display = format!("{prefix}{}", components[..=i].join("/"));
                if self.clutter_seen.insert(display.clone()) {
                    self.found.push(Found::Ignored {
                        display,
                        reason: Problem::new(crate::codes::IGNORED_CLUTTER, reason),
                    });
                }
                return true;
            }
        }
        false
    }

    fn broken(&mut self, display: String, problem: Problem) {
        self.found.push(Found::Broken { display, problem });
    }

    /// Checks size, ratio and budget. `None` when admitted.
    fn limit(&self, size: u64, compressed: Option<u64>, budget: &mut u64) -> Option<Problem> {
        let l = self.limits;
        if size > l.max_entry_bytes {
            return Some(Problem::new(
                crate::codes::LIMIT_ENTRY_SIZE,
                format!(
                    "压缩包内文件解压后 {} ，超过单个文件上限 {}，未读取；如确为正常文件，请解压后直接提交",
                    bytes_zh(size),
                    bytes_zh(l.max_entry_bytes)
                ),
            ));
        }
        if let Some(c) = compressed
            && size > l.ratio_floor_bytes
            && size / c.max(1) > l.max_ratio
        {
            return Some(Problem::new(
                crate::codes::LIMIT_RATIO,
                format!(
                    "压缩比异常（{} 压缩为 {}，约 {}:1，上限 {}:1），疑似压缩炸弹，未读取；如确为正常文件，请解压后直接提交",
                    bytes_zh(size),
                    bytes_zh(c),
                    size / c.max(1),
                    l.max_ratio
                ),
            ));
        }
        if size > *budget {
            return Some(Problem::new(
                crate::codes::LIMIT_TOTAL_SIZE,
                format!(
                    "提交材料中压缩包解压后的总大小超过上限 {}，此文件未读取；请拆分或删除无关的大文件",
                    bytes_zh(l.max_total_bytes)
                ),
            ));
        }
        *budget -= size;
        None
    }
}

/// Human size: "10.0 MB".
pub(crate) fn bytes_zh(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} 字节")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

fn expand_zip(job: Job<'_>, budget: &mut u64) -> Result<Expansion, Problem> {
    let limits = job.limits;
    let zip = open_zip(&job.source, limits.max_entries)?;
    let mut notes = Vec::new();
    if zip.has_duplicate_names() {
        notes.push(Problem::new(
            crate::codes::ARCHIVE_DUPLICATE_ENTRIES,
            "压缩包目录中有完全同名的条目，只能读取其中一个；请删除重复文件后重新打包",
        ));
    }
    if zip.clone().has_overlapping_files().unwrap_or(false) {
        notes.push(Problem::new(
            crate::codes::ARCHIVE_OVERLAPPING,
            "压缩包内多个条目共用同一段数据（压缩炸弹的典型构造）；异常条目按压缩比上限处理",
        ));
    }
    if zip.len() > limits.max_entries {
        notes.push(Problem::new(
            crate::codes::LIMIT_ENTRY_COUNT,
            format!(
                "压缩包有 {} 个条目，超过上限 {}，只检查了前 {} 个；请拆分后提交",
                zip.len(),
                limits.max_entries,
                limits.max_entries
            ),
        ));
    }
    let listed = list_zip(&zip, limits.max_entries);
    let top = if job.strip_top {
        single_top(
            &listed
                .iter()
                .map(|l| (l.safe.components.clone(), l.is_dir))
                .collect::<Vec<_>>(),
        )
    } else {
        None
    };
    let container = Arc::new(job.source.clone());
    let shared = Arc::new(zip);
    let mut admit = Admit {
        limits,
        found: Vec::new(),
        displays: BTreeSet::new(),
        clutter_seen: BTreeSet::new(),
    };
    for l in listed {
        let mut components = l.safe.components.clone();
        if let Some(t) = &top
            && components.first() == Some(t)
        {
            if components.len() == 1 {
                continue; // the top folder itself
            }
            components.remove(0);
        }
        if admit.clutter(&job.prefix, &components, l.is_dir) || l.is_dir {
            continue;
        }
        let mut entry_notes = Vec::new();
        if let Some(p) = path_problem(&l.name, &l.safe) {
            entry_notes.push(p);
        }
        let display = admit.unique(
            format!("{}{}", job.prefix, components.join("/")),
            &mut entry_notes,
        );
        let mut reader = (*shared).clone();
        let (encoding, data_start, method, size, csize, encrypted, link) =
            match reader.by_index_raw(l.index) {
                Ok(f) => {
                    let unicode_extra = f
                        .extra_data_fields()
                        .any(|x| matches!(x, zip::ExtraField::UnicodePath(_)));
                    let encoding = if unicode_extra && l.encoding == NameEncoding::Utf8Flag {
                        NameEncoding::UnicodeExtra
                    } else {
                        l.encoding
                    };
                    let link = f.unix_mode().is_some_and(|m| m & 0o170000 == 0o120000);
                    (
                        encoding,
                        f.data_start(),
                        f.compression(),
                        f.size(),
                        f.compressed_size(),
                        f.encrypted(),
                        link,
                    )
                }
                Err(e) => {
                    admit.broken(display, entry_problem(e));
                    continue;
                }
            };
        if encoding == NameEncoding::Cp437 {
            entry_notes.push(encoding_problem(&l.raw));
        }
        if link {
            admit.found.push(Found::Ignored {
                display,
                reason: Problem::new(
                    crate::codes::IGNORED_ARCHIVE_LINK,
                    "压缩包内的符号链接，未跟随（链接不是文件内容）",
                ),
            });
            continue;
        }
        if encrypted {
            admit.broken(
                display,
                Problem::new(
                    crate::codes::UNREADABLE_ENCRYPTED,
                    "压缩包内的此文件已加密，请提供未加密的压缩包",
                ),
            );
            continue;
        }
        if let Some(p) = admit.limit(size, Some(csize), budget) {
            admit.broken(display, p);
            continue;
        }
        let Some(start) = data_start else {
            admit.broken(
                display,
                Problem::new(
                    crate::codes::UNREADABLE_CORRUPT,
                    "压缩包内此文件的位置信息无效，无法读取；请重新打包",
                ),
            );
            continue;
        };
        let source = match method {
            zip::CompressionMethod::Stored => Source::Window {
                parent: container.clone(),
                start,
                len: size.min(csize),
            },
            zip::CompressionMethod::Deflated => Source::Inflate {
                compressed: Arc::new(Source::Window {
                    parent: container.clone(),
                    start,
                    len: csize,
                }),
                len: size,
                in_memory: size <= limits.max_entry_memory,
                ratio: Some(crate::input::RatioLimit {
                    max: limits.max_ratio,
                    floor: limits.ratio_floor_bytes,
                }),
            },
            _ if size <= limits.max_entry_memory => Source::ZipEntry {
                archive: shared.clone(),
                index: l.index,
                len: size,
            },
            other => {
                admit.broken(
                    display,
                    Problem::new(
                        crate::codes::LIMIT_ENTRY_MEMORY,
                        format!(
                            "压缩包内此文件使用 {other} 压缩且解压后 {}，超过内存读取上限 {}；请用常见的 Deflate（“标准”）压缩方式重新打包",
                            bytes_zh(size),
                            bytes_zh(limits.max_entry_memory)
                        ),
                    ),
                );
                continue;
            }
        };
        let mut input = Input::from_source(source, display);
        input.notes = entry_notes;
        admit_input(&mut admit, input, &job, budget);
    }
    Ok(Expansion {
        found: admit.found,
        notes,
        top_folder: top,
    })
}

/// Lists an admitted input, walking into it when it is itself an archive.
fn admit_input(admit: &mut Admit<'_>, mut input: Input, job: &Job<'_>, budget: &mut u64) {
    let ext = extension(&input.display);
    if !matches!(ext.as_str(), "zip" | "7z") {
        admit.found.push(Found::File(input));
        return;
    }
    let Ok(source) = input.source() else {
        admit.found.push(Found::File(input));
        return;
    };
    let Some(kind) = archive_kind(&ext, &head_of(&source)) else {
        admit.found.push(Found::File(input));
        return;
    };
    let depth = job.depth + 1;
    if depth > job.limits.max_archive_depth {
        input
            .notes
            .push(depth_problem(job.limits.max_archive_depth));
        admit.found.push(Found::File(input));
        return;
    }
    let container = match materialize(&source, job.limits) {
        Ok(c) => c,
        Err(p) => {
            input.notes.push(p);
            admit.found.push(Found::File(input));
            return;
        }
    };
    let inner = Job {
        source: container,
        kind,
        prefix: format!("{}/", input.display),
        depth,
        strip_top: false,
        limits: job.limits,
    };
    if let Ok(expansion) = expand(inner, budget) {
        input.notes.extend(expansion.notes);
        admit.found.extend(expansion.found);
    }
    admit.found.push(Found::File(input));
}

/// The finding for an archive nested deeper than the limit.
pub(crate) fn depth_problem(max: usize) -> Problem {
    Problem::new(
        crate::codes::LIMIT_ARCHIVE_DEPTH,
        format!("压缩包嵌套超过 {max} 层，未展开其中的文件；请解压内层压缩包后提交"),
    )
}

/// A nested archive as a random-access container: windows and memory as they are, small
/// compressed ones inflated into memory, large ones spilled to a private temp file.
pub(crate) fn materialize(source: &Source, limits: &Limits) -> Result<Source, Problem> {
    match source {
        Source::File { .. } | Source::Memory(_) | Source::Window { .. } => Ok(source.clone()),
        _ if source.len() <= limits.max_entry_memory => source
            .read_all(limits.max_entry_memory)
            .map(|b| Source::Memory(Arc::new(b)))
            .map_err(|e| {
                Problem::new(
                    crate::codes::UNREADABLE_CORRUPT,
                    format!("内层压缩包无法解压：{e}"),
                )
            }),
        _ => spill(&mut SourceReader::new(source.clone()), source.len()),
    }
}

/// Copies `len` bytes to an anonymous temp file (already unlinked: private, gone at exit).
fn spill(reader: &mut dyn Read, len: u64) -> Result<Source, Problem> {
    let fail = |e: std::io::Error| {
        Problem::new(
            crate::codes::UNREADABLE_IO,
            format!("无法为大文件创建临时文件（{e}）；请检查临时目录的可用空间"),
        )
    };
    let mut file = tempfile::tempfile().map_err(fail)?;
    let copied = std::io::copy(&mut reader.take(len), &mut file).map_err(fail)?;
    file.seek(SeekFrom::Start(0)).map_err(fail)?;
    Ok(Source::File {
        file: Arc::new(file),
        len: copied,
    })
}

fn entry_problem(e: zip::result::ZipError) -> Problem {
    match zip_problem(e) {
        p if p.code == crate::codes::UNREADABLE_CORRUPT => Problem::new(
            crate::codes::UNREADABLE_CORRUPT,
            format!(
                "压缩包内此文件的数据已损坏（{}），无法读取；请重新打包",
                p.message
            ),
        ),
        p => p,
    }
}

fn expand_7z(job: Job<'_>, budget: &mut u64) -> Result<Expansion, Problem> {
    let limits = job.limits;
    let mut sz = open_7z(&job.source, limits)?;
    let mut notes = Vec::new();
    let files = sz.archive().files.clone();
    if files.len() > limits.max_entries {
        notes.push(Problem::new(
            crate::codes::LIMIT_ENTRY_COUNT,
            format!(
                "压缩包有 {} 个条目，超过上限 {}，未展开；请拆分后提交",
                files.len(),
                limits.max_entries
            ),
        ));
        return Ok(Expansion {
            notes,
            ..Expansion::default()
        });
    }
    let total: u64 = files.iter().map(|f| f.size()).fold(0, u64::saturating_add);
    let packed = job.source.len().max(1);
    if total > limits.ratio_floor_bytes && total / packed > limits.max_ratio {
        notes.push(Problem::new(
            crate::codes::LIMIT_RATIO,
            format!(
                "压缩比异常（{} 压缩为 {}，约 {}:1，上限 {}:1），疑似压缩炸弹，未展开；如确为正常文件，请解压后直接提交",
                bytes_zh(total),
                bytes_zh(packed),
                total / packed,
                limits.max_ratio
            ),
        ));
        return Ok(Expansion {
            notes,
            ..Expansion::default()
        });
    }
    // 7z names are UTF-16, but a Chinese zip re-packed by 7-Zip on a Western Windows stores
    // the CP437 reading of GBK bytes: repair those (each with a finding).
    let listed: Vec<(String, SafePath, bool, Option<Problem>)> = files
        .iter()
        .map(|f| {
            let (name, note) = match repair_cp437_gbk(f.name()) {
                Some(fixed) => {
                    let note = repaired_problem(f.name(), &fixed);
                    (fixed, Some(note))
                }
                None => (f.name().to_string(), None),
            };
            let safe = sanitize(&name);
            (name, safe, f.is_directory(), note)
        })
        .collect();
    let top = if job.strip_top {
        single_top(
            &listed
                .iter()
                .map(|(_, s, d, _)| (s.components.clone(), *d))
                .collect::<Vec<_>>(),
        )
    } else {
        None
    };
    let mut admit = Admit {
        limits,
        found: Vec::new(),
        displays: BTreeSet::new(),
        clutter_seen: BTreeSet::new(),
    };
    // Decide each entry's display (and whether it is read) before decoding.
    let mut plan: Vec<Option<(String, Vec<Problem>)>> = Vec::with_capacity(files.len());
    for ((name, safe, is_dir, repaired), file) in listed.iter().zip(&files) {
        let mut components = safe.components.clone();
        if let Some(t) = &top
            && components.first() == Some(t)
        {
            if components.len() == 1 {
                plan.push(None);
                continue; // the top folder itself
            }
            components.remove(0);
        }
        if admit.clutter(&job.prefix, &components, *is_dir) || *is_dir || file.is_anti_item() {
            plan.push(None);
            continue;
        }
        let mut entry_notes: Vec<Problem> = repaired.iter().cloned().collect();
        if let Some(p) = path_problem(name, safe) {
            entry_notes.push(p);
        }
        let display = admit.unique(
            format!("{}{}", job.prefix, components.join("/")),
            &mut entry_notes,
        );
        plan.push(Some((display, entry_notes)));
    }
    let mut done = vec![false; files.len()];
    let mut inputs: Vec<Input> = Vec::new();
    // Empty files have no stream: list them directly.
    for (i, file) in files.iter().enumerate() {
        if !file.has_stream()
            && let Some(Some((display, notes))) = plan.get(i)
        {
            let mut input = Input::from_bytes(Vec::new(), display.clone());
            input.notes = notes.clone();
            inputs.push(input);
            done[i] = true;
        }
    }
    let mut failures: Vec<(String, Problem)> = Vec::new();
    let mut index_of: std::collections::HashMap<String, Vec<usize>> = Default::default();
    for (i, f) in files.iter().enumerate() {
        if f.has_stream() {
            index_of.entry(f.name().to_string()).or_default().push(i);
        }
    }
    let result = sz.for_each_entries_with_decision(|entry, reader| {
        use sevenz_rust2::EntryDecision;
        if !entry.has_stream() {
            return Ok(EntryDecision::Continue);
        }
        let Some(i) = index_of
            .get_mut(entry.name())
            .and_then(|v| (!v.is_empty()).then(|| v.remove(0)))
        else {
            return Ok(EntryDecision::Continue);
        };
        done[i] = true;
        let Some(Some((display, notes))) = plan.get(i) else {
            return Ok(EntryDecision::Continue);
        };
        if let Some(p) = admit.limit(entry.size(), None, budget) {
            failures.push((display.clone(), p));
            return Ok(EntryDecision::SkipBlock);
        }
        let source = if entry.size() <= limits.max_entry_memory {
            let mut bytes = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0));
            reader.take(entry.size()).read_to_end(&mut bytes)?;
            Source::Memory(Arc::new(bytes))
        } else {
            match spill(reader, entry.size()) {
                Ok(s) => s,
                Err(p) => {
                    failures.push((display.clone(), p));
                    return Ok(EntryDecision::SkipBlock);
                }
            }
        };
        let mut input = Input::from_source(source, display.clone());
        input.notes = notes.clone();
        inputs.push(input);
        Ok(EntryDecision::Continue)
    });
    if let Err(e) = result {
        notes.push(seven_problem(e));
    }
    for (display, p) in failures {
        admit.broken(display, p);
    }
    for (i, plan) in plan.iter().enumerate() {
        if let Some((display, _)) = plan
            && !done.get(i).copied().unwrap_or(true)
        {
            admit.broken(
                display.clone(),
                Problem::new(
                    crate::codes::LIMIT_SOLID_BLOCK,
                    "与超限或损坏的文件同在一个 7z 固实压缩块中，未读取；请改用 zip 或非固实 7z 重新打包",
                ),
            );
        }
    }
    for input in inputs {
        admit_input(&mut admit, input, &job, budget);
    }
    Ok(Expansion {
        found: admit.found,
        notes,
        top_folder: top,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(entries: &[(&str, &[u8], bool)]) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut out);
            for (name, data, stored) in entries {
                let method = if *stored {
                    zip::CompressionMethod::Stored
                } else {
                    zip::CompressionMethod::Deflated
                };
                let opts = zip::write::SimpleFileOptions::default()
                    .compression_method(method)
                    .large_file(false);
                zip.start_file(*name, opts).unwrap();
                zip.write_all(data).unwrap();
            }
            zip.finish().unwrap();
        }
        out.into_inner()
    }

    fn walk_bytes(bytes: Vec<u8>, strip: bool, limits: &Limits) -> Expansion {
        let mut budget = limits.max_total_bytes;
        expand(
            Job {
                source: Source::Memory(Arc::new(bytes)),
                kind: ArchiveKind::Zip,
                prefix: String::new(),
                depth: 1,
                strip_top: strip,
                limits,
            },
            &mut budget,
        )
        .unwrap()
    }

    fn displays(e: &Expansion) -> Vec<String> {
        let mut d: Vec<String> = e.found.iter().map(|f| f.display().to_string()).collect();
        d.sort();
        d
    }

    #[test]
    fn entries_read_lazily_stored_and_deflated() {
        let text = "自治区科协2025年度学会重点资助项目".repeat(100);
        let bytes = zip_of(&[
            ("a/stored.txt", text.as_bytes(), true),
            ("a/deflated.txt", text.as_bytes(), false),
        ]);
        let e = walk_bytes(bytes, false, &Limits::default());
        assert_eq!(displays(&e), ["a/deflated.txt", "a/stored.txt"]);
        for f in &e.found {
            let Found::File(input) = f else {
                panic!("{f:?}")
            };
            assert_eq!(input.read_all(1 << 20).unwrap(), text.as_bytes());
        }
    }

    #[test]
    fn single_top_folder_is_stripped_for_the_submission() {
        let bytes = zip_of(&[
            ("XXJL-2025-01/总结报告.txt", b"x", false),
            ("XXJL-2025-01/会议/通知.txt", b"y", false),
            ("__MACOSX/XXJL-2025-01/._总结报告.txt", b"z", false),
        ]);
        let e = walk_bytes(bytes.clone(), true, &Limits::default());
        assert_eq!(e.top_folder.as_deref(), Some("XXJL-2025-01"));
        assert_eq!(displays(&e), ["__MACOSX", "会议/通知.txt", "总结报告.txt"]);
        let e = walk_bytes(bytes, false, &Limits::default());
        assert_eq!(e.top_folder, None);
    }

    #[test]
    fn limits_name_the_entry() {
        let zeros = vec![0u8; 4 << 20];
        let bytes = zip_of(&[("bomb.bin", &zeros, false), ("ok.txt", b"fine", false)]);
        let e = walk_bytes(bytes.clone(), false, &Limits::default());
        let broken: Vec<(&str, &str)> = e
            .found
            .iter()
            .filter_map(|f| match f {
                Found::Broken { display, problem } => {
                    Some((display.as_str(), problem.code.as_str()))
                }
                _ => None,
            })
            .collect();
        assert_eq!(broken, [("bomb.bin", "limit.ratio")]);
        let small = Limits {
            max_entry_bytes: 1000,
            ..Limits::default()
        };
        let e = walk_bytes(bytes.clone(), false, &small);
        assert!(
            matches!(&e.found[0], Found::Broken { problem, .. } if problem.code == "limit.entry_size")
        );
        let tight = Limits {
            max_total_bytes: 5 << 20,
            max_ratio: u64::MAX,
            ..Limits::default()
        };
        let mut budget = 3;
        let e = expand(
            Job {
                source: Source::Memory(Arc::new(bytes)),
                kind: ArchiveKind::Zip,
                prefix: String::new(),
                depth: 1,
                strip_top: false,
                limits: &tight,
            },
            &mut budget,
        )
        .unwrap();
        assert!(e.found.iter().all(
            |f| matches!(f, Found::Broken { problem, .. } if problem.code == "limit.total_size")
        ));
    }

    #[test]
    fn too_many_entries_is_refused_before_parsing() {
        let names: Vec<String> = (0..50).map(|i| format!("f{i}.txt")).collect();
        let entries: Vec<(&str, &[u8], bool)> = names
            .iter()
            .map(|n| (n.as_str(), &b"x"[..], true))
            .collect();
        let bytes = zip_of(&entries);
        let source = Source::Memory(Arc::new(bytes));
        assert_eq!(declared_entries(&source), Some(50));
        let err = open_zip(&source, 10).err().unwrap();
        assert_eq!(err.code, "limit.entry_count");
        assert!(open_zip(&source, 50).is_ok());
    }

    #[test]
    fn nested_zips_walk_to_the_depth_limit() {
        let inner = zip_of(&[("深/报告.txt", b"inner", false)]);
        let middle = zip_of(&[("inner.zip", &inner, false), ("m.txt", b"m", true)]);
        let outer = zip_of(&[("middle.zip", &middle, true)]);
        let e = walk_bytes(outer.clone(), false, &Limits::default());
        assert_eq!(
            displays(&e),
            [
                "middle.zip",
                "middle.zip/inner.zip",
                "middle.zip/inner.zip/深/报告.txt",
                "middle.zip/m.txt"
            ]
        );
        let shallow = Limits {
            max_archive_depth: 2,
            ..Limits::default()
        };
        let e = walk_bytes(outer, false, &shallow);
        assert_eq!(
            displays(&e),
            ["middle.zip", "middle.zip/inner.zip", "middle.zip/m.txt"]
        );
        let inner_row = e
            .found
            .iter()
            .find_map(|f| match f {
                Found::File(i) if i.display == "middle.zip/inner.zip" => Some(i),
                _ => None,
            })
            .unwrap();
        assert_eq!(inner_row.notes[0].code, "limit.archive_depth");
    }

    #[test]
    fn hostile_names_are_shown_clean_with_a_finding() {
        let bytes = zip_of(&[
            ("../../evil.txt", b"x", false),
            ("ok.txt", b"y", false),
            ("sub/../ok.txt", b"z", false),
        ]);
        let e = walk_bytes(bytes, false, &Limits::default());
        assert_eq!(displays(&e), ["evil.txt", "ok.txt", "sub/ok.txt"]);
        let codes: Vec<Vec<&str>> = e
            .found
            .iter()
            .map(|f| match f {
                Found::File(i) => i.notes.iter().map(|p| p.code.as_str()).collect(),
                _ => vec![],
            })
            .collect();
        assert_eq!(codes[0], ["archive.path_traversal"]);
        assert!(codes[1].is_empty());
        assert_eq!(codes[2], ["archive.path_traversal"]);
        // Two entries that show the same: the second is renamed, with a finding.
        let bytes = zip_of(&[("a/b.txt", b"1", false), ("a\\b.txt", b"2", false)]);
        let e = walk_bytes(bytes, false, &Limits::default());
        assert_eq!(displays(&e), ["a/b (2).txt", "a/b.txt"]);
    }
}
