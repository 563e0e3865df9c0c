//! Helpers shared by the `serve` tests: zipping a fixture submission into a temp dir, and a
//! hand-built multipart body (what the page's script sends), so no HTTP client is needed.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub const SUBMISSIONS: &str = "fixtures/submissions";

/// Zips `fixtures/submissions/<name>` as `<dest>/<name>.zip`, with the folder itself as the
/// zip's single top-level entry (as Windows' “发送到 → 压缩文件夹” makes it).
pub fn zip_submission(name: &str, dest: &Path) -> PathBuf {
    let src = Path::new(SUBMISSIONS).join(name);
    let out = dest.join(format!("{name}.zip"));
    let file = std::fs::File::create(&out).unwrap();
    let mut w = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default();
    for (rel, path) in files_of(&src) {
        w.start_file(format!("{name}/{rel}"), opts).unwrap();
        std::io::Write::write_all(&mut w, &std::fs::read(path).unwrap()).unwrap();
    }
    w.finish().unwrap();
    out
}

/// Every file under `dir` as (`/`-separated relative path, path), sorted.
pub fn files_of(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(dir).unwrap();
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push((rel.join("/"), e.path().to_path_buf()));
        }
    }
    out
}

/// One multipart field.
pub enum Part<'a> {
    Text(&'a str, &'a str),
    File {
        field: &'a str,
        filename: &'a str,
        bytes: Vec<u8>,
    },
}

pub const BOUNDARY: &str = "----yanshou-test-boundary-7d1f";

/// The body and content type of a multipart/form-data request.
pub fn multipart(parts: &[Part<'_>]) -> (String, Vec<u8>) {
    let mut body = Vec::new();
    for p in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match p {
            Part::Text(name, value) => {
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                        .as_bytes(),
                );
            }
            Part::File {
                field,
                filename,
                bytes,
            } => {
                body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                    )
                    .as_bytes(),
                );
                body.extend_from_slice(bytes);
                body.extend_from_slice(b"\r\n");
            }
        }
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

/// The fields a folder upload sends for `fixtures/submissions/<name>`: `path` + `file` pairs.
pub fn folder_parts(name: &str) -> Vec<(String, Vec<u8>)> {
    files_of(&Path::new(SUBMISSIONS).join(name))
        .into_iter()
        .map(|(rel, p)| (format!("{name}/{rel}"), std::fs::read(p).unwrap()))
        .collect()
}

/// Whether a DOCX download is a zip package with the main document part.
pub fn is_docx(bytes: &[u8]) -> bool {
    let Ok(mut z) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return false;
    };
    bytes.starts_with(b"PK\x03\x04") && z.by_name("word/document.xml").is_ok()
}
