//! Bounded at any scale (issue #12), through the real binary and its real worker pool:
//! thousands of files in a folder or a zip, hundreds of submissions in an audit, and workers
//! that hang, spin, abort, overflow their stack or exhaust their memory (the worker's
//! test-only `YANSHOU_WORKER_FAULT`), each costing one file a finding while the rest of the
//! submission is checked — and nothing of ours left running afterwards.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;

const LABEL: &str = "自治区科协2025年度学会重点资助项目";
const PROJECT: &str = "XXJL-2025-09-测试学会-全疆论坛";

fn yanshou() -> Command {
    Command::cargo_bin("yanshou").unwrap()
}

/// A folder named like a submission with `n` small news texts.
fn many_files(root: &Path, n: usize) -> PathBuf {
    let dir = root.join(PROJECT);
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..n {
        std::fs::write(
            dir.join(format!("新闻{i:04}.txt")),
            format!("{LABEL}\n全疆论坛新闻 第{i}篇"),
        )
        .unwrap();
    }
    dir
}

fn dossier(out: &Path) -> Value {
    let text = std::fs::read_to_string(out.join("dossier.json")).expect("dossier.json written");
    serde_json::from_str(&text).unwrap()
}

/// `check PATH --out OUT` on two workers without OCR; the submission lacks most deliverables,
/// so the exit code is 1 (fail), never 134 (abort); its dossier.
fn check_to_dossier(path: &Path, out: &Path) -> Value {
    let run = yanshou()
        .arg("check")
        .arg(path)
        .arg("--out")
        .arg(out)
        .args(["--ocr", "off", "--jobs", "2"])
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    dossier(out)
}

fn statuses(d: &Value) -> std::collections::BTreeMap<String, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for f in d["files"].as_array().unwrap() {
        *counts
            .entry(f["status"].as_str().unwrap().to_string())
            .or_insert(0) += 1;
    }
    counts
}

#[test]
fn a_check_of_2000_files_in_a_folder_finishes_with_a_dossier() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = many_files(tmp.path(), 2000);
    let d = check_to_dossier(&dir, &tmp.path().join("out"));
    assert_eq!(d["files"].as_array().unwrap().len(), 2000);
    assert_eq!(statuses(&d).get("read"), Some(&2000));
}

#[test]
fn a_check_of_a_2000_entry_zip_finishes_with_a_dossier() {
    let tmp = tempfile::tempdir().unwrap();
    let zip_path = tmp.path().join(format!("{PROJECT}.zip"));
    {
        let mut w = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
        let opts = zip::write::SimpleFileOptions::default();
        for i in 0..2000 {
            w.start_file(format!("{PROJECT}/新闻/新闻{i:04}.txt"), opts)
                .unwrap();
            write!(w, "{LABEL}\n全疆论坛新闻 第{i}篇").unwrap();
        }
        w.finish().unwrap();
    }
    let d = check_to_dossier(&zip_path, &tmp.path().join("out"));
    // The 2,000 entries, read through the archive walker in the workers; the zip itself is
    // the container, recorded apart.
    assert_eq!(d["files"].as_array().unwrap().len(), 2000);
    assert_eq!(statuses(&d).get("read"), Some(&2000));
    assert_eq!(d["archive"]["status"], "read");
}

#[test]
fn an_audit_of_300_submissions_completes() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("2025");
    for s in 0..300 {
        let dir = root.join(format!("XXJL-2025-{s:03}-第{s}学会-全疆论坛"));
        std::fs::create_dir_all(dir.join("新闻")).unwrap();
        std::fs::write(
            dir.join("新闻/新闻.txt"),
            format!("{LABEL}\n来源：自治区科协官网"),
        )
        .unwrap();
        std::fs::write(
            dir.join("会议通知.txt"),
            format!("{LABEL}\n全疆性学术会议通知"),
        )
        .unwrap();
        std::fs::write(
            dir.join("总结报告.txt"),
            format!("{LABEL}\n{}", "总结".repeat(300)),
        )
        .unwrap();
    }
    let out = tmp.path().join("out");
    let run = yanshou()
        .arg("audit")
        .arg(&root)
        .arg("--out")
        .arg(&out)
        .args(["--ocr", "off", "--quiet", "--jobs", "2"])
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let projects = summary["projects"].as_array().unwrap();
    assert_eq!(projects.len(), 300);
    assert!(
        projects.iter().all(|p| p["error"].is_null()),
        "every project checked"
    );
    assert_eq!(summary["files"].as_u64(), Some(900));
}

/// Live processes whose environment holds `marker` (our workers inherit it).
fn processes_with(marker: &str) -> Vec<String> {
    let mut found = Vec::new();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return found;
    };
    let needle = format!("YANSHOU_TEST_MARK={marker}");
    for e in dir.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        if let Ok(env) = std::fs::read(e.path().join("environ"))
            && env.split(|b| *b == 0).any(|kv| kv == needle.as_bytes())
        {
            found.push(name);
        }
    }
    found
}

#[test]
fn workers_that_hang_spin_crash_or_exhaust_memory_cost_one_file_each() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(PROJECT);
    std::fs::create_dir_all(&dir).unwrap();
    let names = ["挂起", "空转", "崩溃", "溢出", "内存", "退出", "恐慌"];
    for n in names.iter().chain(["正常1", "正常2", "正常3"].iter()) {
        std::fs::write(dir.join(format!("{n}.txt")), format!("{LABEL} {n}")).unwrap();
    }
    let out = tmp.path().join("out");
    let marker = format!("{}-{}", std::process::id(), line!());
    let started = Instant::now();
    let run = yanshou()
        .arg("check")
        .arg(&dir)
        .arg("--out")
        .arg(&out)
        .args(["--ocr", "off", "--jobs", "2", "--timeout", "4"])
        .args(["--max-memory-mb", "512"])
        .env(
            "YANSHOU_WORKER_FAULT",
            "hang:挂起;spin:空转;abort:崩溃;overflow:溢出;oom:内存;exit:退出;panic:恐慌",
        )
        .env("YANSHOU_TEST_MARK", &marker)
        .output()
        .unwrap();
    let took = started.elapsed();
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let d = dossier(&out);
    let problem = |name: &str| -> (String, String) {
        let f = d["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == format!("{name}.txt"))
            .unwrap_or_else(|| panic!("{name}.txt listed"));
        let p = &f["problems"][0];
        (
            f["status"].as_str().unwrap().to_string(),
            format!(
                "{} {}",
                p["code"].as_str().unwrap_or(""),
                p["message"].as_str().unwrap_or("")
            ),
        )
    };
    let want = [
        ("挂起", "limit.timeout"),
        ("空转", "limit.timeout"),
        ("崩溃", "extract.crashed"),
        ("溢出", "extract.crashed"),
        ("内存", "limit.memory"),
        ("退出", "extract.crashed"),
        ("恐慌", "extract.panic"),
    ];
    for (name, code) in want {
        let (status, problem) = problem(name);
        assert_eq!(status, "unreadable", "{name}: {problem}");
        assert!(problem.starts_with(code), "{name}: {problem}");
    }
    assert!(
        problem("溢出").1.contains("栈溢出"),
        "{}",
        problem("溢出").1
    );
    assert!(problem("崩溃").1.contains("解析器异常终止"));
    for n in ["正常1", "正常2", "正常3"] {
        assert_eq!(problem_free(&d, &format!("{n}.txt")), "read", "{n}");
    }
    // Two files hang for their 4 s deadline each; nothing waits on them longer.
    assert!(took < Duration::from_secs(60), "took {took:?}");
    // Killed means gone: no worker (or anything it started) of this run is still alive.
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(processes_with(&marker), Vec::<String>::new());
}

fn problem_free(d: &Value, path: &str) -> String {
    d["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path)
        .map(|f| f["status"].as_str().unwrap().to_string())
        .unwrap_or_default()
}

/// CPU seconds (user + system) used so far by `pid` and every descendant still alive.
fn cpu_of_tree(pid: u32) -> f64 {
    let ticks = 100.0; // USER_HZ on Linux
    let mut total = 0u64;
    let mut stack = vec![pid.to_string()];
    while let Some(p) = stack.pop() {
        if let Ok(stat) = std::fs::read_to_string(format!("/proc/{p}/stat")) {
            // Fields after the command name's closing parenthesis: utime is the 12th, stime
            // the 13th of what follows.
            if let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) {
                let f: Vec<&str> = rest.split_whitespace().collect();
                total += f.get(11).and_then(|x| x.parse::<u64>().ok()).unwrap_or(0);
                total += f.get(12).and_then(|x| x.parse::<u64>().ok()).unwrap_or(0);
            }
        }
        if let Ok(tasks) = std::fs::read_dir(format!("/proc/{p}/task")) {
            for t in tasks.flatten() {
                if let Ok(children) = std::fs::read_to_string(t.path().join("children")) {
                    stack.extend(children.split_whitespace().map(str::to_string));
                }
            }
        }
    }
    total as f64 / ticks
}

/// A plain HTTP/1.1 exchange over a fresh connection (the server under test is the binary).
fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, Vec<u8>) {
    use std::io::Read;
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut resp = Vec::new();
    s.read_to_end(&mut resp).unwrap();
    let head_end = resp.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let head = String::from_utf8_lossy(&resp[..head_end]).into_owned();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    let mut body = resp[head_end..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    (status, body)
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = data.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&data[..eol]).trim(), 16).unwrap_or(0);
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[eol + 2..eol + 2 + size]);
        data = &data[eol + 2 + size + 2..];
    }
}

struct Server {
    child: std::process::Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server(extra_env: &[(&str, &str)]) -> Server {
    use std::io::BufRead;
    let bin = assert_cmd::cargo::cargo_bin("yanshou");
    let mut cmd = std::process::Command::new(bin);
    cmd.args(["serve", "--port", "0", "--ocr", "off", "--timeout", "2"])
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null());
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = std::io::BufReader::new(stderr).lines();
    let first = lines.next().unwrap().unwrap();
    let port = first
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {first:?}"));
    // Keep draining stderr so the server never blocks on it.
    std::thread::spawn(move || for _ in lines {});
    Server { child, port }
}

#[test]
fn serve_stops_a_timed_out_file_and_refuses_cross_site_uploads() {
    let marker = format!("{}-{}", std::process::id(), line!());
    let server = start_server(&[
        ("YANSHOU_WORKER_FAULT", "spin:空转"),
        ("YANSHOU_TEST_MARK", marker.as_str()),
    ]);
    let boundary = "----yanshou-isolation-test";
    let mut body = Vec::new();
    let field = |body: &mut Vec<u8>, name: &str, extra: &str, value: &[u8]| {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"{extra}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(value);
        body.extend_from_slice(b"\r\n");
    };
    field(&mut body, "category", "", b"XXJL-2025");
    for name in ["空转.txt", "正常.txt"] {
        let path = format!("{PROJECT}/{name}");
        field(&mut body, "path", "", path.as_bytes());
        field(
            &mut body,
            "file",
            &format!("; filename=\"{name}\""),
            format!("{LABEL} {name}").as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let content_type = format!("multipart/form-data; boundary={boundary}");

    // Another site's page posting in the background is refused before anything is stored.
    let (status, reply) = http(
        server.port,
        "POST",
        "/api/jobs",
        &[
            ("Content-Type", &content_type),
            ("Origin", "https://evil.example"),
            ("Sec-Fetch-Site", "cross-site"),
        ],
        &body,
    );
    assert_eq!(status, 403, "{}", String::from_utf8_lossy(&reply));

    // Our own page's upload is accepted and checked; the spinning file is stopped at 2 s.
    let (status, reply) = http(
        server.port,
        "POST",
        "/api/jobs",
        &[
            ("Content-Type", &content_type),
            ("Sec-Fetch-Site", "same-origin"),
        ],
        &body,
    );
    assert_eq!(status, 202, "{}", String::from_utf8_lossy(&reply));
    let job: Value = serde_json::from_slice(&reply).unwrap();
    let id = job["id"].as_str().unwrap().to_string();
    let deadline = Instant::now() + Duration::from_secs(120);
    let result = loop {
        let (_, reply) = http(server.port, "GET", &format!("/api/jobs/{id}"), &[], b"");
        let status: Value = serde_json::from_slice(&reply).unwrap();
        if status["stage"] == "done" || status["stage"] == "failed" {
            break status;
        }
        assert!(Instant::now() < deadline, "job never finished: {status}");
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(result["stage"], "done", "{result}");
    let (_, json) = http(
        server.port,
        "GET",
        &format!("/jobs/{id}/dossier.json"),
        &[],
        b"",
    );
    let d: Value = serde_json::from_slice(&json).unwrap();
    let spun = d["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "空转.txt")
        .unwrap();
    assert_eq!(spun["problems"][0]["code"], "limit.timeout", "{spun}");
    assert_eq!(problem_free(&d, "正常.txt"), "read");

    // The timed-out work really stopped: the server and its remaining workers are idle.
    std::thread::sleep(Duration::from_millis(500));
    let before = cpu_of_tree(server.child.id());
    std::thread::sleep(Duration::from_secs(2));
    let burnt = cpu_of_tree(server.child.id()) - before;
    assert!(burnt < 0.5, "{burnt} CPU seconds in 2 s after the timeout");
    drop(server);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(processes_with(&marker), Vec::<String>::new());
}

#[test]
fn ctrl_c_stops_an_audit_and_keeps_what_was_finished() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("2025");
    for s in 0..12 {
        let dir = root.join(format!("XXJL-2025-{s:03}-第{s}学会-全疆论坛"));
        std::fs::create_dir_all(&dir).unwrap();
        // The eighth submission holds a file whose reader hangs for the whole deadline.
        let name = if s == 7 { "挂起.txt" } else { "新闻.txt" };
        std::fs::write(dir.join(name), format!("{LABEL}\n来源：自治区科协官网 {s}")).unwrap();
    }
    let out = tmp.path().join("out");
    let marker = format!("{}-{}", std::process::id(), line!());
    let bin = assert_cmd::cargo::cargo_bin("yanshou");
    let mut child = std::process::Command::new(bin)
        .arg("audit")
        .arg(&root)
        .arg("--out")
        .arg(&out)
        .args([
            "--ocr",
            "off",
            "--quiet",
            "--jobs",
            "1",
            "--timeout",
            "600",
            "--no-cache",
        ])
        .env("YANSHOU_WORKER_FAULT", "hang:挂起")
        .env("YANSHOU_TEST_MARK", &marker)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the hanging file is being read (its worker holds the only slot).
    let deadline = Instant::now() + Duration::from_secs(120);
    while !out.join("XXJL-2025-006").exists() {
        assert!(
            Instant::now() < deadline,
            "the audit never reached the 7th project"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(500));
    // SAFETY: kill(2) on the child we started.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let stopped = Instant::now();
    let status = child.wait().unwrap();
    assert!(
        stopped.elapsed() < Duration::from_secs(30),
        "Ctrl+C took {:?}",
        stopped.elapsed()
    );
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("已中断"), "{stderr}");
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let projects = summary["projects"].as_array().unwrap();
    // Every project has its row: the finished ones with a verdict, the rest saying why not.
    assert_eq!(projects.len(), 12);
    let finished = projects.iter().filter(|p| p["error"].is_null()).count();
    let interrupted = projects
        .iter()
        .filter(|p| p["error"].as_str().is_some_and(|e| e.contains("中断")))
        .count();
    assert!(finished >= 7, "{finished} finished");
    assert_eq!(finished + interrupted, 12);
    assert_eq!(summary["interrupted"], true);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(processes_with(&marker), Vec::<String>::new());
}
