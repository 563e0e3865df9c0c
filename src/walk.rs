//! Walk: a submission folder (or a single file) as one list of inputs, in a stable order.
//!
//! Symlinks are followed only while they stay inside the submission, and loops are detected
//! (walkdir keeps the ancestor chain); both become findings, never a hang. System clutter
//! (`~$` lock files, `.DS_Store`, `Thumbs.db`, `__MACOSX/`) is listed as ignored with the reason,
//! so nothing is dropped silently. Files are only opened read-only, later, by the extractors.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::extract::Input;
use crate::facts::Problem;

/// One thing found in the submission.
#[derive(Debug, Clone)]
pub enum Found {
    /// A file to identify and read.
    File(Input),
    /// A file deliberately not read, with why.
    Ignored { display: String, reason: Problem },
    /// Something that could not be walked (loop, link leaving the submission, permission).
    Broken { display: String, problem: Problem },
}

impl Found {
    pub fn display(&self) -> &str {
        match self {
            Found::File(input) => &input.display,
            Found::Ignored { display, .. } | Found::Broken { display, .. } => display,
        }
    }
}

/// Walks `root` (a folder, or one file) and returns what it holds, sorted by path.
pub fn walk(root: &Path) -> std::io::Result<Vec<Found>> {
    let meta = std::fs::metadata(root)?;
    if meta.is_file() {
        let name = root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        return Ok(vec![Found::File(Input::from_path(root, name)?)]);
    }
    let canonical_root = root.canonicalize()?;
    let mut found = Vec::new();
    let walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    let mut walker = walker;
    while let Some(item) = walker.next() {
        let entry = match item {
            Ok(entry) => entry,
            Err(err) => {
                let display = err
                    .path()
                    .map(|p| display_path(root, p))
                    .unwrap_or_else(|| "?".to_string());
                let problem = if err.loop_ancestor().is_some() {
                    Problem::new("walk.symlink_loop", "符号链接形成循环，未跟随")
                } else {
                    Problem::new("walk.error", format!("无法访问：{err}"))
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
                    problem: Problem::new("walk.link_outside", "符号链接指向提交材料之外，未跟随"),
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
                reason: Problem::new("ignored.clutter", reason),
            });
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if entry.file_type().is_file() {
            match Input::from_path(entry.path(), display.clone()) {
                Ok(input) => found.push(Found::File(input)),
                Err(e) => found.push(Found::Broken {
                    display,
                    problem: Problem::new("walk.error", format!("无法访问：{e}")),
                }),
            }
        }
    }
    found.sort_by(|a, b| a.display().cmp(b.display()));
    Ok(found)
}

/// Path relative to the root, `/`-separated, lossy where the name is not UTF-8.
pub fn display_path(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Why a name is system clutter, if it is.
pub fn clutter(name: &str, is_dir: bool) -> Option<&'static str> {
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
