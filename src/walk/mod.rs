//! Walk: a submission folder, a submission archive, or a single file as one list of inputs,
//! in a stable order.
//!
//! Symlinks are followed only while they stay inside the submission, and loops are detected
//! (walkdir keeps the ancestor chain); both become findings, never a hang. System clutter
//! (`~$` lock files, `.DS_Store`, `Thumbs.db`, `__MACOSX/`) is listed as ignored with the reason,
//! so nothing is dropped silently. File names that are not UTF-8 are shown lossily (with a
//! finding) and still read. Files are only opened read-only, later, by the extractors.
//!
//! Archives (`.zip`, `.7z`) — the submission itself or found inside it — are walked like
//! folders by [`archive`]: their entries become inputs read lazily from the archive, with the
//! archive listed as a file of its own so nothing is lost. Walking one archive runs isolated
//! (panic → finding, deadline) because archive headers are hostile input too.

pub(crate) mod archive;
/// Name decoding lives below the walker ([`crate::names`]): the archive reader uses it too.
pub(crate) use crate::names;

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::facts::Problem;
use crate::input::{Input, Limits};
use crate::isolate::thread::on_thread;
use archive::{ArchiveKind, Job, archive_kind, expand, extension, head_of};

/// One thing found in the submission.
#[derive(Debug, Clone)]
pub(crate) enum Found {
    /// A file to identify and read.
    File(Input),
    /// A file deliberately not read, with why.
    Ignored { display: String, reason: Problem },
    /// Something that could not be walked (loop, link leaving the submission, permission,
    /// an archive entry over a limit).
    Broken { display: String, problem: Problem },
}

impl Found {
    pub(crate) fn display(&self) -> &str {
        match self {
            Found::File(input) => &input.display,
            Found::Ignored { display, .. } | Found::Broken { display, .. } => display,
        }
    }
}

/// A walked submission.
#[derive(Debug)]
pub(crate) struct Walked {
    /// The project's name: the folder's name; for a submission archive the single top-level
    /// folder inside it, else the archive's name without extension; for a file its name.
    pub name: String,
    pub found: Vec<Found>,
    /// When the submission is an archive (or a file named like one: `.zip`, `.7z`, `.rar`),
    /// the display path of its own row in `found`: the container, not a file of the
    /// submission.
    pub archive: Option<String>,
}

/// Walks `root` (a folder, an archive, or one file) with the default limits.
#[cfg(test)]
fn walk(root: &Path) -> std::io::Result<Vec<Found>> {
    walk_with(root, &Limits::default()).map(|w| w.found)
}

/// Walks `root` and returns what it holds, sorted by path.
pub(crate) fn walk_with(root: &Path, limits: &Limits) -> std::io::Result<Walked> {
    let meta = std::fs::metadata(root)?;
    let root_name = root
        .file_name()
        .map(|n| names::disk_name(n).0)
        .unwrap_or_else(|| root.display().to_string());
    let mut budget = limits.max_total_bytes;
    if meta.is_file() {
        let mut input = Input::from_path(root, root_name.clone())?;
        if let Some(n) = root.file_name()
            && let (_, Some(p)) = names::disk_name(n)
        {
            input.notes.push(p);
        }
        let mut found = Vec::new();
        let mut name = root_name.clone();
        let archive = matches!(extension(&root_name).as_str(), "zip" | "7z" | "rar")
            .then(|| root_name.clone());
        if archive.is_some() {
            name = root_name
                .rsplit_once('.')
                .map(|(s, _)| s.to_string())
                .unwrap_or(root_name.clone());
        }
        if let Some(kind) = submission_archive(&input) {
            // The archive is the submission: its entries are shown relative to it, exactly
            // as they would be in the unpacked folder, and it is listed too (how it was read).
            let stem = root_name
                .rsplit_once('.')
                .map(|(s, _)| s.to_string())
                .unwrap_or(root_name.clone());
            name = stem;
            let (top, mut entries) =
                walk_archive(&mut input, kind, String::new(), 0, limits, &mut budget);
            if let Some(top) = top {
                name = top;
            }
            found.append(&mut entries);
        }
        found.push(Found::File(input));
        found.sort_by(|a, b| a.display().cmp(b.display()));
        return Ok(Walked {
            name,
            found,
            archive,
        });
    }
    let canonical_root = root.canonicalize()?;
    let mut found = Vec::new();
    let mut walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(item) = walker.next() {
        let entry = match item {
            Ok(entry) => entry,
            Err(err) => {
                let display = err
                    .path()
                    .map(|p| display_path(root, p))
                    .unwrap_or_else(|| "?".to_string());
                let problem = if err.loop_ancestor().is_some() {
                    Problem::new(
                        crate::codes::WALK_SYMLINK_LOOP,
                        "符号链接形成循环，未跟随；请删除该链接，改为放入实际文件",
                    )
                } else {
                    Problem::new(
                        crate::codes::WALK_ERROR,
                        format!(
                            "无法访问（{}）；请检查文件权限后重试",
                            err.io_error()
                                .map(crate::os_error::zh)
                                .unwrap_or_else(|| err.to_string())
                        ),
                    )
                };
                found.push(Found::Broken { display, problem });
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let display = display_path(root, entry.path());
        let name = entry.file_name().to_string_lossy();
        if entry.path_is_symlink() {
            let inside = entry
                .path()
                .canonicalize()
                .map(|target| target.starts_with(&canonical_root))
                .unwrap_or(false);
            if !inside {
                found.push(Found::Broken {
                    display,
                    problem: Problem::new(
                        crate::codes::WALK_LINK_OUTSIDE,
                        "符号链接指向提交材料之外，未跟随；请放入实际文件而不是链接",
                    ),
                });
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
        }
        if let Some(reason) = clutter(&name, entry.file_type().is_dir()) {
            found.push(Found::Ignored {
                display,
                reason: Problem::new(crate::codes::IGNORED_CLUTTER, reason),
            });
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if entry.file_type().is_file() {
            match Input::from_path(entry.path(), display.clone()) {
                Ok(mut input) => {
                    if let (_, Some(p)) = names::disk_name(entry.file_name()) {
                        input.notes.push(p);
                    }
                    if let Some(kind) = nested_archive(&input) {
                        let prefix = format!("{display}/");
                        let (_, mut entries) =
                            walk_archive(&mut input, kind, prefix, 1, limits, &mut budget);
                        found.append(&mut entries);
                    }
                    found.push(Found::File(input));
                }
                Err(e) => found.push(Found::Broken {
                    display,
                    problem: Problem::new(
                        crate::codes::WALK_ERROR,
                        format!(
                            "无法访问（{}）；请检查文件权限后重试",
                            crate::os_error::zh(&e)
                        ),
                    ),
                }),
            }
        } else if !entry.file_type().is_dir() {
            // Never opened: reading a FIFO blocks until someone writes, a device never ends.
            found.push(Found::Broken {
                display,
                problem: special_file_problem(entry.file_type()),
            });
        }
    }
    found.sort_by(|a, b| a.display().cmp(b.display()));
    Ok(Walked {
        name: root_name,
        found,
        archive: None,
    })
}

/// The finding for something in the submission that is neither a file nor a folder.
fn special_file_problem(kind: std::fs::FileType) -> Problem {
    #[cfg(unix)]
    let what = {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            "命名管道（FIFO）"
        } else if kind.is_socket() {
            "套接字（socket）"
        } else if kind.is_block_device() || kind.is_char_device() {
            "设备文件"
        } else {
            "特殊文件"
        }
    };
    #[cfg(not(unix))]
    let what = {
        let _ = kind;
        "特殊文件"
    };
    Problem::new(
        crate::codes::WALK_SPECIAL_FILE,
        format!("这是{what}，不是普通文件，未读取；提交材料中只应有文件和文件夹，请删除它"),
    )
}

/// Which archive the submission file is, if it is one (by extension and magic).
fn submission_archive(input: &Input) -> Option<ArchiveKind> {
    nested_archive(input)
}

fn nested_archive(input: &Input) -> Option<ArchiveKind> {
    let ext = extension(&input.display);
    if !matches!(ext.as_str(), "zip" | "7z") {
        return None;
    }
    let source = input.source().ok()?;
    archive_kind(&ext, &head_of(&source))
}

/// Walks one archive on its own thread with a deadline (four times the per-file one: it
/// lists, and for 7z decodes, many files). `depth` 0 is the submission archive (it stands for
/// the folder, so its top-level folder is stripped and the archives in it are depth 1, as in
/// the unpacked folder); 1 is an archive found in a folder. Findings about the archive go on `input`. Returns
/// the stripped top-level folder, if any, and the entries.
fn walk_archive(
    input: &mut Input,
    kind: ArchiveKind,
    prefix: String,
    depth: usize,
    limits: &Limits,
    budget: &mut u64,
) -> (Option<String>, Vec<Found>) {
    let source = match input.source() {
        Ok(s) => s,
        Err(_) => return (None, Vec::new()), // the extractor reports it on the archive's row
    };
    let owned_limits = limits.clone();
    let start_budget = *budget;
    let timeout = limits.timeout.map(|t| t.saturating_mul(4));
    let result = on_thread(timeout, move || {
        let mut budget = start_budget;
        let job = Job {
            source,
            kind,
            prefix,
            depth,
            strip_top: depth == 0,
            limits: &owned_limits,
        };
        (expand(job, &mut budget), budget)
    });
    match result {
        Ok((Ok(expansion), left)) => {
            *budget = left;
            input.notes.extend(expansion.notes);
            (expansion.top_folder, expansion.found)
        }
        // Not openable: listed as a file, whose extractor says why.
        Ok((Err(_), _)) => (None, Vec::new()),
        Err(e) => {
            input.notes.push(e.problem("archive"));
            (None, Vec::new())
        }
    }
}

/// Path relative to the root, `/`-separated, lossy where the name is not UTF-8.
pub(crate) fn display_path(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    rel.components()
        .map(|c| names::disk_name(c.as_os_str()).0)
        .collect::<Vec<_>>()
        .join("/")
}

/// Why a name is system clutter, if it is.
pub(crate) fn clutter(name: &str, is_dir: bool) -> Option<&'static str> {
    if is_dir {
        return match name {
            "__MACOSX" => Some("macOS 压缩时附带的资源目录，已忽略"),
            ".git" | ".svn" => Some("版本库目录，已忽略"),
            _ => None,
        };
    }
    if name.starts_with("~$") {
        return Some("Office 临时锁定文件，已忽略");
    }
    if name.starts_with("._") {
        return Some("macOS 资源分支文件，已忽略");
    }
    match name {
        ".DS_Store" => Some("macOS 目录信息文件，已忽略"),
        "Thumbs.db" | "desktop.ini" => Some("Windows 缩略图/目录配置文件，已忽略"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clutter_table() {
        assert!(clutter("~$总结报告.docx", false).is_some());
        assert!(clutter(".DS_Store", false).is_some());
        assert!(clutter("Thumbs.db", false).is_some());
        assert!(clutter("__MACOSX", true).is_some());
        assert!(clutter("总结报告.docx", false).is_none());
        assert!(clutter("__MACOSX", false).is_none());
    }

    #[cfg(unix)]
    #[test]
    fn fifos_and_sockets_are_findings_never_opened() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("总结报告.txt"), "x").unwrap();
        let fifo = dir.path().join("管道");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: mkfifo with a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let _socket = std::os::unix::net::UnixListener::bind(dir.path().join("sock")).unwrap();
        // A FIFO opened for reading would block this test forever: walking must not open it.
        let found = walk(dir.path()).unwrap();
        let broken: Vec<(&str, &str)> = found
            .iter()
            .filter_map(|f| match f {
                Found::Broken { display, problem } => {
                    Some((display.as_str(), problem.code.as_str()))
                }
                _ => None,
            })
            .collect();
        assert_eq!(
            broken,
            [("sock", "walk.special_file"), ("管道", "walk.special_file")]
        );
        assert!(found.iter().any(|f| f.display() == "总结报告.txt"));
    }

    #[test]
    fn symlink_loop_is_a_finding_not_a_hang() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("a")).unwrap();
        std::fs::write(dir.path().join("a/报告.txt"), "文字").unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("a/loop")).unwrap();
        std::os::unix::fs::symlink("/etc", dir.path().join("out")).unwrap();
        let found = walk(dir.path()).unwrap();
        let codes: Vec<String> = found
            .iter()
            .filter_map(|f| match f {
                Found::Broken { problem, .. } => Some(problem.code.clone()),
                _ => None,
            })
            .collect();
        assert!(
            codes.contains(&"walk.symlink_loop".to_string()),
            "{codes:?}"
        );
        assert!(
            codes.contains(&"walk.link_outside".to_string()),
            "{codes:?}"
        );
        assert!(found.iter().any(|f| f.display() == "a/报告.txt"));
    }
}
