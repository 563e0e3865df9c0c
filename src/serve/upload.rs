//! Receiving one upload: a multipart body streamed straight to disk, into a private temp dir.
//!
//! Why stream: a submission with its recordings is gigabytes, so nothing is buffered beyond one
//! multipart chunk, and the limits (bytes, file count) are enforced *while* the body arrives, so
//! a too-big upload is refused after `max_bytes`, not after filling the disk. Each upload gets
//! its own `tempfile::TempDir` (mode 0700, random name) under the server's own temp root: two
//! uploads never share a directory, and the directory goes away when the `TempDir` is dropped
//! (upload refused, check finished, or the job gone).
//!
//! Two shapes, chosen by the page: an `archive` field (one `.zip`/`.7z`, checked as the
//! submission itself, exactly as `yanshou check X.zip` would — the archive is never unpacked)
//! or a folder sent as `path` + `file` field pairs (`<input webkitdirectory>` gives each file's
//! relative path; the page sends it in its own text field rather than trusting how a browser
//! and the multipart parser treat slashes in a `filename`). Every path is checked with
//! [`crate::names::sanitize`]: `..`, absolute paths, drive letters and control characters
//! refuse the whole upload (a browser never produces them, so they mean a crafted request),
//! and the tree is rebuilt component by component with `create_new`, so nothing is written
//! outside the temp dir or over another uploaded file. Every refusal is an [`UploadError`] with
//! a Chinese message for the page.

use std::path::{Path, PathBuf};

use axum::extract::multipart::{Field, Multipart};
use axum::http::StatusCode;
use tempfile::TempDir;
use tokio::io::AsyncWriteExt;

use crate::names::{PathIssue, sanitize};
use crate::walk::archive::{ArchiveKind, archive_kind, declared_entries};

/// Name of the folder a folder upload is rebuilt in when its files do not share one top folder.
pub(crate) const LOOSE_FOLDER: &str = "提交材料";

/// The limits of one upload.
#[derive(Debug, Clone, Copy)]
pub(crate) struct UploadLimits {
    /// Largest total of file bytes (archive or all files of a folder).
    pub max_bytes: u64,
    /// Most files in a folder upload, or entries declared by an uploaded zip.
    pub max_entries: usize,
}

/// An upload the server refused, with the message the page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UploadError {
    pub status: StatusCode,
    /// Stable id, like the `Problem` codes: `upload.too_big`, `upload.not_archive` …
    pub code: &'static str,
    /// Chinese, says what to do.
    pub message: String,
}

impl UploadError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        UploadError {
            status,
            code,
            message: message.into(),
        }
    }

    /// The body was cut or malformed (client gone, not multipart).
    fn broken(e: impl std::fmt::Display) -> Self {
        UploadError::new(
            StatusCode::BAD_REQUEST,
            "upload.broken",
            format!("上传中断或数据格式有误（{e}），请重新上传"),
        )
    }

    fn disk(e: std::io::Error) -> Self {
        UploadError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "upload.disk",
            format!("服务器无法保存上传的文件（{e}），请检查临时目录所在磁盘的剩余空间后重试"),
        )
    }

    /// The upload is larger than allowed.
    pub(crate) fn too_big(max_bytes: u64) -> Self {
        UploadError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "upload.too_big",
            format!(
                "上传内容超过上限 {}，已停止接收。请删去与验收无关的大文件后重试，或由管理员用 --max-upload-mb 调高上限",
                crate::walk::archive::bytes_zh(max_bytes)
            ),
        )
    }

    fn too_many(max: usize) -> Self {
        UploadError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "upload.too_many_files",
            format!(
                "文件数超过上限 {max} 个，已停止接收。请只上传本项目的验收材料，或由管理员用 --max-entries 调高上限"
            ),
        )
    }
}

/// A received upload, ready to check.
#[derive(Debug)]
pub struct Received {
    /// The private directory holding it; removed when dropped.
    pub dir: TempDir,
    /// What to check: the archive file, or the rebuilt folder.
    pub target: PathBuf,
    /// What the user uploaded (archive or folder name), for the page.
    pub name: String,
    /// Rule-set id chosen on the page (`None` = automatic).
    pub category: Option<String>,
    pub files: usize,
    pub bytes: u64,
}

/// Which shape the upload has (decided by its first file field).
enum Shape {
    None,
    Archive(PathBuf),
    Folder,
}

/// Streams a multipart upload into a new private directory under `temp_root`.
pub(crate) async fn receive(
    multipart: &mut Multipart,
    temp_root: &Path,
    limits: UploadLimits,
) -> Result<Received, UploadError> {
    let dir = tempfile::Builder::new()
        .prefix("upload-")
        .tempdir_in(temp_root)
        .map_err(UploadError::disk)?;
    // A folder upload is rebuilt under `tree/` (made with the first file).
    let tree = dir.path().join("tree");

    let mut shape = Shape::None;
    let mut category = None;
    let mut pending_path: Option<String> = None;
    let mut files = 0usize;
    let mut bytes = 0u64;
    let mut tops: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut nested_everywhere = true;

    while let Some(field) = multipart.next_field().await.map_err(UploadError::broken)? {
        let field_name = field.name().unwrap_or_default().to_string();
        match field_name.as_str() {
            "category" => {
                let text = small_text(field, 200).await?;
                let text = text.trim();
                category = (!text.is_empty() && text != "auto").then(|| text.to_string());
            }
            "path" => pending_path = Some(small_text(field, 8192).await?),
            "archive" => {
                if !matches!(shape, Shape::None) {
                    return Err(mixed());
                }
                let original = field.file_name().unwrap_or_default().to_string();
                let name = archive_name(&original)?;
                let path = dir.path().join(&name);
                files = 1;
                let head = write_field(field, &path, &mut bytes, limits.max_bytes).await?;
                let kind = archive_kind(&crate::walk::archive::extension(&name), &head)
                    .ok_or_else(|| not_archive(&name))?;
                if kind == ArchiveKind::Zip {
                    let declared = crate::input::Source::file(&path)
                        .ok()
                        .and_then(|s| declared_entries(&s));
                    if declared.is_some_and(|n| n > limits.max_entries as u64) {
                        return Err(UploadError::too_many(limits.max_entries));
                    }
                }
                shape = Shape::Archive(path);
            }
            "file" => {
                match shape {
                    Shape::Archive(_) => return Err(mixed()),
                    Shape::None => tokio::fs::create_dir(&tree)
                        .await
                        .map_err(UploadError::disk)?,
                    Shape::Folder => {}
                }
                shape = Shape::Folder;
                files += 1;
                if files > limits.max_entries {
                    return Err(UploadError::too_many(limits.max_entries));
                }
                let rel = pending_path
                    .take()
                    .or_else(|| field.file_name().map(str::to_string))
                    .unwrap_or_default();
                let components = safe_components(&rel)?;
                if components.len() < 2 {
                    nested_everywhere = false;
                }
                if let Some(top) = components.first()
                    && !tops.contains(top)
                {
                    tops.insert(top.clone());
                }
                let mut path = tree.clone();
                for (i, c) in components.iter().enumerate() {
                    path.push(c);
                    if i + 1 < components.len() {
                        match tokio::fs::create_dir(&path).await {
                            Ok(()) => {}
                            Err(_)
                                if tokio::fs::metadata(&path).await.is_ok_and(|m| m.is_dir()) => {}
                            Err(_) => return Err(conflict(&rel)),
                        }
                    }
                }
                // `create_new` in `write_field` guarantees no overwrite; this only gives the
                // duplicate its own message.
                if tokio::fs::symlink_metadata(&path).await.is_ok() {
                    return Err(conflict(&rel));
                }
                write_field(field, &path, &mut bytes, limits.max_bytes).await?;
            }
            _ => {
                // Unknown fields are read and dropped (bounded like the rest).
                let mut field = field;
                while let Some(chunk) = field.chunk().await.map_err(UploadError::broken)? {
                    bytes = bytes.saturating_add(chunk.len() as u64);
                    if bytes > limits.max_bytes {
                        return Err(UploadError::too_big(limits.max_bytes));
                    }
                }
            }
        }
    }

    let (target, name) = match shape {
        Shape::None => {
            return Err(UploadError::new(
                StatusCode::BAD_REQUEST,
                "upload.empty",
                "没有收到文件：请选择一个 .zip/.7z 压缩包或一个文件夹后再点“开始核查”",
            ));
        }
        Shape::Archive(path) => {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (path, name)
        }
        Shape::Folder => match tops.first() {
            Some(top) if tops.len() == 1 && nested_everywhere => (tree.join(top), top.clone()),
            _ => {
                // Loose files: put them under a named folder so the project has a name.
                let loose = dir.path().join(LOOSE_FOLDER);
                tokio::fs::rename(&tree, &loose)
                    .await
                    .map_err(UploadError::disk)?;
                (loose, LOOSE_FOLDER.to_string())
            }
        },
    };
    Ok(Received {
        dir,
        target,
        name,
        category,
        files,
        bytes,
    })
}

/// Reads and discards what is left of a refused body (at most `cap` bytes), so the browser
/// reads the refusal instead of a reset connection.
pub(crate) async fn drain(multipart: &mut Multipart, cap: u64) {
    let mut seen = 0u64;
    while let Ok(Some(mut field)) = multipart.next_field().await {
        while let Ok(Some(chunk)) = field.chunk().await {
            seen = seen.saturating_add(chunk.len() as u64);
            if seen > cap {
                return;
            }
        }
    }
}

/// A short text field, bounded.
async fn small_text(mut field: Field<'_>, max: usize) -> Result<String, UploadError> {
    let mut buf = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(UploadError::broken)? {
        buf.extend_from_slice(&chunk);
        if buf.len() > max {
            return Err(UploadError::new(
                StatusCode::BAD_REQUEST,
                "upload.field_too_long",
                "上传数据中的路径或选项过长，请缩短文件夹和文件名后重试",
            ));
        }
    }
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// Streams one file field to a new file at `path`, counting toward `bytes`; returns the
/// first 8 bytes (for the archive check).
async fn write_field(
    mut field: Field<'_>,
    path: &Path,
    bytes: &mut u64,
    max_bytes: u64,
) -> Result<Vec<u8>, UploadError> {
    let file = tokio::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .await
        .map_err(UploadError::disk)?;
    let mut out = tokio::io::BufWriter::with_capacity(256 << 10, file);
    let mut head = Vec::with_capacity(8);
    while let Some(chunk) = field.chunk().await.map_err(UploadError::broken)? {
        *bytes = bytes.saturating_add(chunk.len() as u64);
        if *bytes > max_bytes {
            return Err(UploadError::too_big(max_bytes));
        }
        if head.len() < 8 {
            let want = 8 - head.len();
            head.extend_from_slice(chunk.get(..want.min(chunk.len())).unwrap_or_default());
        }
        out.write_all(&chunk).await.map_err(UploadError::disk)?;
    }
    out.flush().await.map_err(UploadError::disk)?;
    out.into_inner()
        .sync_data()
        .await
        .map_err(UploadError::disk)?;
    Ok(head)
}

/// Longest file or folder name most file systems accept, in bytes.
const MAX_COMPONENT_BYTES: usize = 255;

/// The components of a folder upload's relative path, or why the path is refused.
pub(crate) fn safe_components(rel: &str) -> Result<Vec<String>, UploadError> {
    let safe = sanitize(rel);
    let refused = safe.issues.iter().any(|i| {
        matches!(
            i,
            PathIssue::Traversal
                | PathIssue::Absolute
                | PathIssue::Drive
                | PathIssue::Control
                | PathIssue::Empty
        )
    });
    if refused {
        let shown: String = rel
            .chars()
            .take(200)
            .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
            .collect();
        return Err(UploadError::new(
            StatusCode::BAD_REQUEST,
            "upload.unsafe_path",
            format!(
                "文件路径 “{shown}” 不安全（含 “..”、绝对路径、盘符或控制字符），已拒绝整个上传。请直接选择项目文件夹上传，或打包成 .zip 后上传"
            ),
        ));
    }
    if let Some(long) = safe
        .components
        .iter()
        .find(|c| c.len() > MAX_COMPONENT_BYTES)
    {
        let shown: String = long.chars().take(40).collect();
        return Err(UploadError::new(
            StatusCode::BAD_REQUEST,
            "upload.name_too_long",
            format!("文件名 “{shown}…” 过长，请改短后重新上传"),
        ));
    }
    Ok(safe.components)
}

/// The file name an uploaded archive is saved under: its own last path component, which
/// must end in `.zip` or `.7z` (the walker decides by extension and content, like the CLI).
fn archive_name(original: &str) -> Result<String, UploadError> {
    let safe = sanitize(original);
    let name = safe.components.last().cloned().unwrap_or_default();
    let ext = crate::walk::archive::extension(&name);
    if !(ext == "zip" || ext == "7z") || safe.issues.contains(&PathIssue::Empty) {
        return Err(not_archive(&name));
    }
    if name.len() > MAX_COMPONENT_BYTES || name.chars().any(char::is_control) {
        return Err(UploadError::new(
            StatusCode::BAD_REQUEST,
            "upload.name_too_long",
            "压缩包文件名过长或含控制字符，请改名后重新上传",
        ));
    }
    Ok(name)
}

fn not_archive(name: &str) -> UploadError {
    let shown: String = name.chars().take(80).collect();
    UploadError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "upload.not_archive",
        format!(
            "“{shown}” 不是 .zip 或 .7z 压缩包（按内容判断）。请上传项目材料的压缩包，或选择“上传文件夹”"
        ),
    )
}

fn mixed() -> UploadError {
    UploadError::new(
        StatusCode::BAD_REQUEST,
        "upload.mixed",
        "一次只能上传一个压缩包，或一个文件夹，请分开上传",
    )
}

fn conflict(rel: &str) -> UploadError {
    let shown: String = rel.chars().take(200).collect();
    UploadError::new(
        StatusCode::BAD_REQUEST,
        "upload.path_conflict",
        format!("文件 “{shown}” 与已上传的文件或文件夹同名冲突，请检查后重新上传"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_refused_or_kept() {
        let cases: &[(&str, Option<&[&str]>)] = &[
            (
                "项目/01-会议/通知.docx",
                Some(&["项目", "01-会议", "通知.docx"]),
            ),
            ("a/./b.txt", Some(&["a", "b.txt"])),
            ("a\\b.txt", Some(&["a", "b.txt"])),
            ("../etc/passwd", None),
            ("a/../../b", None),
            ("/etc/passwd", None),
            ("C:/Windows/x", None),
            ("C:\\Windows\\x", None),
            ("//server/share/x", None),
            ("a/b\nc", None),
            ("", None),
            ("/", None),
        ];
        for (input, want) in cases {
            let got = safe_components(input).ok();
            let want = want.map(|w| w.iter().map(|s| s.to_string()).collect::<Vec<_>>());
            assert_eq!(got, want, "{input:?}");
        }
        let long = format!("a/{}", "汉".repeat(90));
        assert_eq!(
            safe_components(&long).map_err(|e| e.code),
            Err("upload.name_too_long")
        );
    }

    #[test]
    fn archive_names() {
        let cases: &[(&str, Result<&str, &str>)] = &[
            ("XXJL-2025-01.zip", Ok("XXJL-2025-01.zip")),
            ("C:\\Users\\x\\材料.ZIP", Ok("材料.ZIP")),
            ("../../a.7z", Ok("a.7z")),
            ("材料.rar", Err("upload.not_archive")),
            ("report.docx", Err("upload.not_archive")),
            ("", Err("upload.not_archive")),
        ];
        for (input, want) in cases {
            let got = archive_name(input).map_err(|e| e.code);
            assert_eq!(got, want.map(str::to_string), "{input:?}");
        }
    }
}
