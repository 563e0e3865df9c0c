//! A small W3C WebDriver client for the browser test: JSON over HTTP/1.1 on a loopback socket
//! to chromedriver, blocking, std only.
//!
//! Why by hand: the WebDriver crates (fantoccini, thirtyfour) pull a second HTTP stack (http
//! 0.2, cookie, webdriver's ICU 1.5 segmenter…) into every `cargo test` build for the dozen
//! commands one test file uses (issue #14: a newcomer's first build). Each command is one
//! request with a JSON body and a JSON answer `{"value": …}`; an error answer carries
//! `value.error` and `value.message`, which are returned as `Err`.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};

/// The W3C key of an element reference in JSON.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A WebDriver session.
pub struct Client {
    port: u16,
    session: String,
}

/// An element of the page (valid in the frame it was found in).
#[derive(Clone)]
pub struct Element {
    port: u16,
    session: String,
    id: String,
}

/// One HTTP/1.1 request to chromedriver; the answer's `value`.
fn call(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(300)))
        .map_err(|e| e.to_string())?;
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream
        .write_all(head.as_bytes())
        .and_then(|_| stream.write_all(body.as_bytes()))
        .map_err(|e| format!("{method} {path}: {e}"))?;
    let mut reader = BufReader::new(stream);
    let mut status = String::new();
    reader.read_line(&mut status).map_err(|e| e.to_string())?;
    let mut length = None;
    let mut chunked = false;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).map_err(|e| e.to_string())?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            let k = k.trim().to_ascii_lowercase();
            if k == "content-length" {
                length = v.trim().parse::<usize>().ok();
            } else if k == "transfer-encoding" && v.to_ascii_lowercase().contains("chunked") {
                chunked = true;
            }
        }
    }
    let mut raw = Vec::new();
    if chunked {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).map_err(|e| e.to_string())?;
            let n = usize::from_str_radix(size.trim(), 16).map_err(|e| e.to_string())?;
            if n == 0 {
                break;
            }
            let mut chunk = vec![0; n + 2];
            reader.read_exact(&mut chunk).map_err(|e| e.to_string())?;
            raw.extend_from_slice(&chunk[..n]);
        }
    } else if let Some(n) = length {
        raw.resize(n, 0);
        reader.read_exact(&mut raw).map_err(|e| e.to_string())?;
    } else {
        reader.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    }
    let answer: Value = serde_json::from_slice(&raw)
        .map_err(|e| format!("{method} {path}: {e}: {}", String::from_utf8_lossy(&raw)))?;
    let value = answer.get("value").cloned().unwrap_or(Value::Null);
    if let Some(error) = value.get("error").and_then(Value::as_str) {
        let message = value.get("message").and_then(Value::as_str).unwrap_or("");
        return Err(format!("{method} {path}: {error}: {message}"));
    }
    Ok(value)
}

impl Client {
    /// Opens a session with these capabilities (`alwaysMatch`).
    pub fn connect(port: u16, capabilities: Value) -> Result<Client, String> {
        let value = call(
            port,
            "POST",
            "/session",
            Some(&json!({ "capabilities": { "alwaysMatch": capabilities } })),
        )?;
        let session = value["sessionId"]
            .as_str()
            .ok_or_else(|| format!("no sessionId in {value}"))?
            .to_string();
        Ok(Client { port, session })
    }

    fn cmd(&self, method: &str, tail: &str, body: Option<Value>) -> Result<Value, String> {
        let path = format!("/session/{}{tail}", self.session);
        let body = match (method, body) {
            ("POST", None) => Some(json!({})),
            (_, b) => b,
        };
        call(self.port, method, &path, body.as_ref())
    }

    fn element(&self, value: &Value) -> Result<Element, String> {
        let id = value[ELEMENT]
            .as_str()
            .ok_or_else(|| format!("not an element: {value}"))?;
        Ok(Element {
            port: self.port,
            session: self.session.clone(),
            id: id.to_string(),
        })
    }

    pub fn goto(&self, url: &str) -> Result<(), String> {
        self.cmd("POST", "/url", Some(json!({ "url": url })))
            .map(drop)
    }

    pub fn title(&self) -> Result<String, String> {
        Ok(self
            .cmd("GET", "/title", None)?
            .as_str()
            .unwrap_or("")
            .to_string())
    }

    /// The first element matching the CSS selector.
    pub fn find(&self, css: &str) -> Result<Element, String> {
        let v = self.cmd(
            "POST",
            "/element",
            Some(json!({ "using": "css selector", "value": css })),
        )?;
        self.element(&v)
    }

    /// Every element matching the CSS selector.
    pub fn find_all(&self, css: &str) -> Result<Vec<Element>, String> {
        let v = self.cmd(
            "POST",
            "/elements",
            Some(json!({ "using": "css selector", "value": css })),
        )?;
        v.as_array()
            .ok_or_else(|| format!("not a list: {v}"))?
            .iter()
            .map(|e| self.element(e))
            .collect()
    }

    /// Waits until an element matches the CSS selector.
    pub fn wait_for(&self, css: &str, at_most: Duration) -> Result<Element, String> {
        let start = Instant::now();
        loop {
            match self.find(css) {
                Ok(e) => return Ok(e),
                Err(e) if start.elapsed() > at_most => {
                    return Err(format!("waited {at_most:?} for {css}: {e}"));
                }
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        }
    }

    /// Enters the frame `frame` (an `<iframe>` element).
    pub fn enter_frame(&self, frame: &Element) -> Result<(), String> {
        self.cmd(
            "POST",
            "/frame",
            Some(json!({ "id": { ELEMENT: frame.id } })),
        )
        .map(drop)
    }

    pub fn enter_parent_frame(&self) -> Result<(), String> {
        self.cmd("POST", "/frame/parent", None).map(drop)
    }

    /// Runs a script in the page; its return value.
    pub fn execute(&self, script: &str, args: Vec<Value>) -> Result<Value, String> {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// Moves the mouse over the element's centre (hover).
    pub fn hover(&self, element: &Element) -> Result<(), String> {
        let actions = json!({ "actions": [{
            "type": "pointer", "id": "mouse", "parameters": { "pointerType": "mouse" },
            "actions": [{ "type": "pointerMove", "duration": 0, "x": 0, "y": 0,
                          "origin": { ELEMENT: element.id } }]
        }]});
        self.cmd("POST", "/actions", Some(actions)).map(drop)
    }

    /// A PNG of the viewport.
    pub fn screenshot(&self) -> Result<Vec<u8>, String> {
        let v = self.cmd("GET", "/screenshot", None)?;
        base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap_or(""))
            .map_err(|e| e.to_string())
    }

    /// Ends the session (closes the browser).
    pub fn close(&self) -> Result<(), String> {
        self.cmd("DELETE", "", None).map(drop)
    }
}

impl Element {
    fn cmd(&self, method: &str, tail: &str, body: Option<Value>) -> Result<Value, String> {
        let path = format!("/session/{}/element/{}{tail}", self.session, self.id);
        let body = match (method, body) {
            ("POST", None) => Some(json!({})),
            (_, b) => b,
        };
        call(self.port, method, &path, body.as_ref())
    }

    /// The rendered text.
    pub fn text(&self) -> Result<String, String> {
        Ok(self
            .cmd("GET", "/text", None)?
            .as_str()
            .unwrap_or("")
            .to_string())
    }

    /// An attribute; `None` when it is not set.
    pub fn attr(&self, name: &str) -> Result<Option<String>, String> {
        let v = self.cmd("GET", &format!("/attribute/{name}"), None)?;
        Ok(v.as_str().map(str::to_string))
    }

    /// A computed CSS property (`color`, `background-color`).
    pub fn css(&self, property: &str) -> Result<String, String> {
        Ok(self
            .cmd("GET", &format!("/css/{property}"), None)?
            .as_str()
            .unwrap_or("")
            .to_string())
    }

    pub fn click(&self) -> Result<(), String> {
        self.cmd("POST", "/click", None).map(drop)
    }

    /// Types `text`; on an `<input type=file>` this chooses the file at that path.
    pub fn send_keys(&self, text: &str) -> Result<(), String> {
        self.cmd("POST", "/value", Some(json!({ "text": text })))
            .map(drop)
    }
}
