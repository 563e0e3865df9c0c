//! Shared reading of OOXML packages (DOCX, PPTX, XLSX): the zip container, part names,
//! relationships, document properties, and one streaming XML walker. The ODF and OFD readers
//! use the same container (`Package`: limits, case-insensitive names) and walker; for them the
//! namespace list (`Ns`) also names the ODF namespaces.
//!
//! Why it exists: DOCX and PPTX are the same container with different XML inside, and the
//! hostile-input work (zip errors → precise problems, per-part decompression limits, case-
//! insensitive part names, relative relationship targets, `mc:AlternateContent` dedupe) must be
//! done once and done right. Text is read with quick-xml's streaming `NsReader`, never a DOM:
//! DESIGN.md measured zip + quick-xml 7–10× faster than docx-rs's reader with exact text.
//!
//! Trade-offs:
//! - A part is read into memory whole (bounded by `Limits::max_xml_bytes`, checked by reading
//!   `limit + 1` bytes) and then streamed through the XML reader. Parts are read once each.
//! - Element names are resolved by namespace URI, not by prefix, so a producer that writes
//!   `<document xmlns="…/wordprocessingml/2006/main">` without `w:` reads the same. Attributes
//!   are matched by local name (their element fixes their meaning), which is simpler and never
//!   ambiguous for the attributes we read.
//! - `mc:AlternateContent` is resolved here, for every part: the first `mc:Choice` is read and
//!   the other choices and `mc:Fallback` are skipped (a Fallback is read only when there is no
//!   Choice). Word writes every modern text box twice (DrawingML choice + VML fallback), so
//!   reading both would count text boxes twice.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{Read, Seek};

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use crate::facts::{Facts, Problem, RecordedStats};
use crate::input::{Input, Limits, ReadSeek};

/// The namespaces whose elements the extractors look at. Everything else is `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ns {
    /// WordprocessingML (`w:`), transitional and strict.
    W,
    /// DrawingML main (`a:`).
    A,
    /// PresentationML (`p:`).
    P,
    /// VML (`v:`).
    V,
    /// Markup compatibility (`mc:`).
    Mc,
    /// SpreadsheetML (`x:`, usually the default namespace of `xl/` parts).
    S,
    /// ODF `office:` (the walker is shared with the ODF reader, see `odf.rs`).
    Office,
    /// ODF `text:`.
    Text,
    /// ODF `table:`.
    Table,
    /// ODF `draw:`.
    Draw,
    /// ODF `presentation:`.
    Presentation,
    /// ODF `style:`.
    Style,
    /// ODF `svg:` (shape titles and descriptions).
    Svg,
    /// ODF `meta:`.
    Meta,
    /// Dublin Core `dc:` (ODF metadata, OOXML core properties).
    Dc,
    /// ODF `manifest:`.
    Manifest,
    /// Any other namespace, or none.
    Other,
}

fn ns_of(uri: &str) -> Ns {
    match uri {
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        | "http://purl.oclc.org/ooxml/wordprocessingml/main" => Ns::W,
        "http://schemas.openxmlformats.org/drawingml/2006/main"
        | "http://purl.oclc.org/ooxml/drawingml/main" => Ns::A,
        "http://schemas.openxmlformats.org/presentationml/2006/main"
        | "http://purl.oclc.org/ooxml/presentationml/main" => Ns::P,
        "urn:schemas-microsoft-com:vml" => Ns::V,
        "http://schemas.openxmlformats.org/markup-compatibility/2006" => Ns::Mc,
        "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        | "http://purl.oclc.org/ooxml/spreadsheetml/main" => Ns::S,
        "urn:oasis:names:tc:opendocument:xmlns:office:1.0" => Ns::Office,
        "urn:oasis:names:tc:opendocument:xmlns:text:1.0" => Ns::Text,
        "urn:oasis:names:tc:opendocument:xmlns:table:1.0" => Ns::Table,
        "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" => Ns::Draw,
        "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" => Ns::Presentation,
        "urn:oasis:names:tc:opendocument:xmlns:style:1.0" => Ns::Style,
        "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" => Ns::Svg,
        "urn:oasis:names:tc:opendocument:xmlns:meta:1.0" => Ns::Meta,
        "http://purl.org/dc/elements/1.1/" => Ns::Dc,
        "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" => Ns::Manifest,
        _ => Ns::Other,
    }
}

/// One step of the streaming walk, as the handlers see it.
pub(crate) enum Node<'a, 'b> {
    /// An element opens. `Empty` elements (`<w:tab/>`) come as `Open` then `Close`.
    Open {
        ns: Ns,
        local: &'a str,
        start: &'a BytesStart<'b>,
    },
    /// An element closes.
    Close { ns: Ns, local: &'a str },
    /// Character data (entities already resolved, line ends normalised).
    Text(&'a str),
}

/// What a handler wants after an `Open`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flow {
    Continue,
    /// Skip the element's content; no `Close` is delivered for it.
    Skip,
}

/// Markup-compatibility frame: has a `mc:Choice` of this `mc:AlternateContent` been taken?
struct AltFrame {
    depth: usize,
    taken: bool,
}

/// Streams one XML part through `handler`. `part` names the part in error messages.
/// Resolves `mc:AlternateContent` (first Choice wins, Fallback only without a Choice) and
/// reports a part that ends before its root element closes as corrupt. Element nesting deeper
/// than `Limits::max_xml_depth` (read from [`crate::extract::max_xml_depth`], set for the
/// running extractor) is a `limit.xml_depth` finding: the handlers keep per-level state.
pub(crate) fn walk_xml(
    bytes: &[u8],
    part: &str,
    handler: &mut dyn FnMut(Node<'_, '_>) -> Flow,
) -> Result<(), Problem> {
    let max_depth = crate::extract::max_xml_depth();
    let utf8 = to_utf8(bytes);
    let mut reader = NsReader::from_reader(utf8.as_ref());
    reader.config_mut().allow_dangling_amp = true;
    let mut buf = Vec::new();
    let mut depth: usize = 0;
    // Depth at which a skipped element opened: everything until its end is ignored.
    let mut skip_at: Option<usize> = None;
    let mut alts: Vec<AltFrame> = Vec::new();
    let mut root_seen = false;
    loop {
        buf.clear();
        let (resolved, event) = match reader.read_resolved_event_into(&mut buf) {
            Ok(pair) => pair,
            Err(e) => return Err(xml_problem(part, &e.to_string())),
        };
        let ns = match resolved {
            ResolveResult::Bound(n) => ns_of(n.0),
            _ => Ns::Other,
        };
        match event {
            Event::Start(ref start) | Event::Empty(ref start) => {
                let empty = matches!(event, Event::Empty(_));
                root_seen = true;
                if !empty {
                    depth += 1;
                    if depth > max_depth {
                        return Err(Problem::new(
                            crate::codes::LIMIT_XML_DEPTH,
                            format!(
                                "文件异常：部件 {part} 的 XML 嵌套超过 {max_depth} 层（正常文档不超过几十层），未读取；请用原软件打开后另存一份再提交"
                            ),
                        ));
                    }
                }
                if skip_at.is_some() {
                    continue;
                }
                let local_name = start.local_name();
                let local = local_name.as_ref();
                let mut flow = Flow::Continue;
                if ns == Ns::Mc {
                    match local {
                        "AlternateContent" if !empty => alts.push(AltFrame {
                            depth,
                            taken: false,
                        }),
                        "Choice" | "Fallback" => {
                            // A Choice/Fallback belongs to the AlternateContent one level up.
                            if let Some(frame) = alts.last_mut().filter(|f| f.depth + 1 == depth) {
                                if frame.taken {
                                    flow = Flow::Skip;
                                } else {
                                    frame.taken = true;
                                }
                            }
                        }
                        _ => {}
                    }
                }
                if flow == Flow::Continue {
                    flow = handler(Node::Open { ns, local, start });
                }
                if flow == Flow::Skip {
                    if !empty {
                        skip_at = Some(depth);
                    }
                    continue;
                }
                if empty {
                    handler(Node::Close { ns, local });
                }
            }
            Event::End(ref end) => {
                if let Some(at) = skip_at {
                    if at == depth {
                        skip_at = None;
                    }
                    depth = depth.saturating_sub(1);
                    continue;
                }
                let local_name = end.local_name();
                let local = local_name.as_ref();
                handler(Node::Close { ns, local });
                if ns == Ns::Mc
                    && local == "AlternateContent"
                    && alts.last().is_some_and(|f| f.depth == depth)
                {
                    alts.pop();
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(ref t) if skip_at.is_none() && depth > 0 => {
                handler(Node::Text(&t.xml10_content()));
            }
            Event::CData(ref t) if skip_at.is_none() && depth > 0 => {
                handler(Node::Text(&t.xml10_content()));
            }
            Event::GeneralRef(ref r) => {
                if skip_at.is_none()
                    && depth > 0
                    && let Some(ch) = resolve_entity(r)
                {
                    let mut tmp = [0u8; 4];
                    handler(Node::Text(ch.encode_utf8(&mut tmp)));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if depth != 0 || !root_seen {
        return Err(xml_problem(part, "XML 在根元素结束前中断"));
    }
    Ok(())
}

/// `&amp;` and friends, and numeric character references.
fn resolve_entity(r: &quick_xml::events::BytesRef<'_>) -> Option<char> {
    if let Ok(Some(ch)) = r.resolve_char_ref() {
        return Some(ch);
    }
    match r.as_ref() {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => None,
    }
}

/// OOXML parts are UTF-8 in practice, but UTF-16 is allowed by the spec: transcode it.
/// quick-xml 0.42 parses UTF-8 only (its events hold `str`); its `encoding` feature, on in this
/// build because calamine asks for it, only detects and reports an encoding, it does not decode.
fn to_utf8(bytes: &[u8]) -> Cow<'_, [u8]> {
    let utf16 = if bytes.starts_with(&[0xFF, 0xFE]) {
        Some(encoding_rs::UTF_16LE)
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    };
    match utf16 {
        Some(enc) => {
            let (text, _, _) = enc.decode(bytes);
            // The declaration still says UTF-16: quick-xml notes it (`Reader::encoding`) and
            // reads on as UTF-8, which is what the bytes now are.
            Cow::Owned(text.into_owned().into_bytes())
        }
        None => Cow::Borrowed(bytes),
    }
}

fn xml_problem(part: &str, detail: &str) -> Problem {
    Problem::new(
        crate::codes::UNREADABLE_CORRUPT,
        format!("文件已损坏：部件 {part} 的 XML 不完整或无效（{detail}），请重新导出"),
    )
}

/// The value of the attribute with this local name (any prefix), with entities resolved.
pub(crate) fn attr(start: &BytesStart<'_>, local: &str) -> Option<String> {
    attr_where(start, local, |_| true)
}

/// Like [`attr`] but only a prefixed attribute (`r:id`, not `id`): unprefixed attributes are
/// in no namespace, so `p:sldId`'s `id` and `r:id` stay apart.
pub(crate) fn attr_prefixed(start: &BytesStart<'_>, local: &str) -> Option<String> {
    attr_where(start, local, |prefixed| prefixed)
}

fn attr_where(start: &BytesStart<'_>, local: &str, want: impl Fn(bool) -> bool) -> Option<String> {
    start
        .attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local && want(a.key.prefix().is_some()))
        .map(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(Cow::into_owned)
                .unwrap_or_else(|_| a.value.into_owned())
        })
}

/// An OOXML on/off value (`w:val="0"`, `false`, `off` are off; absent is on).
pub(crate) fn on_off(start: &BytesStart<'_>) -> bool {
    !matches!(
        attr(start, "val").as_deref(),
        Some("0") | Some("false") | Some("off")
    )
}

/// One relationship of a part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rel {
    pub id: String,
    /// The full type URI; compare with [`Rel::is`].
    pub rel_type: String,
    /// The target part name, resolved against the source part (no leading `/`).
    pub target: String,
}

impl Rel {
    /// Whether the relationship type ends with `/kind` (`officeDocument`, `header`, `slide` …),
    /// which covers both the transitional and the strict type URIs.
    pub(crate) fn is(&self, kind: &str) -> bool {
        self.rel_type
            .rsplit('/')
            .next()
            .is_some_and(|last| last == kind)
    }
}

/// An opened OOXML package.
pub(crate) struct Package {
    zip: zip::ZipArchive<Box<dyn ReadSeek>>,
    /// Lower-cased part name → entry index (OPC part names are case-insensitive).
    index: HashMap<String, usize>,
    max_part: u64,
    /// Decompressed bytes the whole package may still produce (`Limits::max_document_bytes`):
    /// one part is bounded by `max_part`, and this bounds many parts (a bomb of small parts).
    budget: u64,
    /// The package relationships, read once.
    root_rels: Option<Vec<Rel>>,
}

impl Package {
    /// Opens the zip container, mapping zip errors to specific problems.
    pub(crate) fn open(input: &Input, limits: &Limits) -> Result<Package, Problem> {
        let mut reader = input.open().map_err(crate::input::io_problem)?;
        let mut magic = [0u8; 8];
        let got = read_up_to(&mut reader, &mut magic);
        if magic.get(..got).is_some_and(|m| m.starts_with(&OLE_MAGIC)) {
            // An Office file saved with a password is an OLE container whatever its name, and
            // a .doc renamed .docx is one too: the OLE reader says which.
            return Err(crate::extract::ole::ole_problem(input));
        }
        reader
            .seek(std::io::SeekFrom::Start(0))
            .map_err(crate::input::io_problem)?;
        let zip = zip::ZipArchive::new(reader).map_err(|e| {
            if magic.starts_with(b"PK\x03\x04") {
                // A local header but no readable central directory: cut short in transfer.
                Problem::new(
                    crate::codes::UNREADABLE_TRUNCATED,
                    format!(
                        "文件不完整或已损坏（ZIP 包的目录缺失，可能下载或复制时被截断：{e}），请重新导出"
                    ),
                )
            } else {
                Problem::new(
                    crate::codes::UNREADABLE_CORRUPT,
                    format!("文件不完整或已损坏（无法打开 ZIP 包：{e}），请重新导出"),
                )
            }
        })?;
        let mut index = HashMap::new();
        for i in 0..zip.len() {
            if let Some(Ok(name)) = zip.name_for_index(i) {
                let name = name.trim_start_matches('/').to_lowercase();
                index.entry(name).or_insert(i);
            }
        }
        Ok(Package {
            zip,
            index,
            max_part: limits.max_xml_bytes,
            budget: limits.max_document_bytes,
            root_rels: None,
        })
    }

    /// The part names, lower-cased as the index keeps them, for formats whose entry point is
    /// found by name rather than by a relationship (OFD's `OFD.xml` may sit in a folder).
    pub(crate) fn part_names(&self) -> impl Iterator<Item = &str> {
        self.index.keys().map(String::as_str)
    }

    /// Whether the package has this part.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.index.contains_key(&name.to_lowercase())
    }

    /// Reads a part whole, bounded by the part limit. `Ok(None)` if there is no such part.
    pub(crate) fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, Problem> {
        let Some(&i) = self.index.get(&name.to_lowercase()) else {
            return Ok(None);
        };
        let package_problem = || {
            Problem::new(
                crate::codes::LIMIT_PACKAGE_SIZE,
                format!("文件解压后的总大小超过上限，部件 {name} 未读取（文件异常或为压缩炸弹）"),
            )
        };
        if self.budget == 0 {
            return Err(package_problem());
        }
        let limit = self.max_part.min(self.budget);
        let file = self.zip.by_index(i).map_err(|e| entry_problem(name, e))?;
        let hint = file.size().min(limit).min(64 << 20);
        let mut out = Vec::with_capacity(usize::try_from(hint).unwrap_or(0));
        file.take(limit.saturating_add(1))
            .read_to_end(&mut out)
            .map_err(|e| entry_problem(name, zip::result::ZipError::Io(e)))?;
        self.budget = self.budget.saturating_sub(out.len() as u64);
        if out.len() as u64 > limit {
            if limit < self.max_part {
                return Err(package_problem());
            }
            return Err(Problem::new(
                crate::codes::LIMIT_PART_SIZE,
                format!(
                    "部件 {name} 解压后超过 {limit} 字节的上限，未读取（文件异常或为压缩炸弹）"
                ),
            ));
        }
        Ok(Some(out))
    }

    /// The relationships of `part` (`""` for the package itself). Missing rels → empty.
    /// External targets (hyperlinks) are left out.
    pub(crate) fn rels(&mut self, part: &str) -> Result<Vec<Rel>, Problem> {
        if part.is_empty()
            && let Some(rels) = &self.root_rels
        {
            return Ok(rels.clone());
        }
        let rels_name = rels_part_name(part);
        let Some(bytes) = self.read(&rels_name)? else {
            return Ok(Vec::new());
        };
        let mut rels = Vec::new();
        walk_xml(&bytes, &rels_name, &mut |node| {
            if let Node::Open { local, start, .. } = node
                && local == "Relationship"
                && attr(start, "TargetMode").as_deref() != Some("External")
                && let (Some(id), Some(rel_type), Some(target)) = (
                    attr(start, "Id"),
                    attr(start, "Type"),
                    attr(start, "Target"),
                )
            {
                rels.push(Rel {
                    id,
                    rel_type,
                    target: resolve_target(part, &target),
                });
            }
            Flow::Continue
        })?;
        if part.is_empty() {
            self.root_rels = Some(rels.clone());
        }
        Ok(rels)
    }

    /// The main part named by the package relationship `officeDocument`, or `fallback`.
    pub(crate) fn main_part(&mut self, fallback: &str) -> Result<String, Problem> {
        let rels = self.rels("")?;
        Ok(rels
            .iter()
            .find(|r| r.is("officeDocument") && self.has(&r.target))
            .map(|r| r.target.clone())
            .unwrap_or_else(|| fallback.to_string()))
    }

    /// Reads a secondary part (header, notes, master …): a problem becomes a warning and the
    /// part is treated as absent, so one bad header does not lose the body.
    pub(crate) fn read_optional(
        &mut self,
        name: &str,
        warnings: &mut Vec<Problem>,
    ) -> Option<Vec<u8>> {
        match self.read(name) {
            Ok(bytes) => bytes,
            Err(p) => {
                warnings.push(p);
                None
            }
        }
    }
}

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

pub(crate) use crate::extract::ole::encrypted_problem;

fn read_up_to(reader: &mut dyn ReadSeek, buf: &mut [u8]) -> usize {
    let mut got = 0;
    while got < buf.len() {
        match reader.read(buf.get_mut(got..).unwrap_or_default()) {
            Ok(0) | Err(_) => break,
            Ok(n) => got += n,
        }
    }
    got
}

fn entry_problem(name: &str, e: zip::result::ZipError) -> Problem {
    use zip::result::ZipError;
    match e {
        ZipError::UnsupportedArchive(what) if what.contains("assword") => encrypted_problem(),
        ZipError::InvalidPassword => encrypted_problem(),
        ZipError::Io(ref io) if io.kind() == std::io::ErrorKind::UnexpectedEof => Problem::new(
            crate::codes::UNREADABLE_TRUNCATED,
            format!("文件不完整或已损坏（部件 {name} 的数据被截断），请重新导出"),
        ),
        other => Problem::new(
            crate::codes::UNREADABLE_CORRUPT,
            format!("文件不完整或已损坏（部件 {name} 无法解压：{other}），请重新导出"),
        ),
    }
}

/// `word/document.xml` → `word/_rels/document.xml.rels`; `""` → `_rels/.rels`.
pub(crate) fn rels_part_name(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None if part.is_empty() => "_rels/.rels".to_string(),
        None => format!("_rels/{part}.rels"),
    }
}

/// Resolves a relationship target against its source part: absolute (`/word/x.xml`) or
/// relative to the source's folder, with `.`/`..` segments and `%XX` escapes resolved.
pub(crate) fn resolve_target(source_part: &str, target: &str) -> String {
    let target = target.split('#').next().unwrap_or("");
    let target = percent_decode(target);
    let mut segments: Vec<&str> = Vec::new();
    let rest = if let Some(abs) = target.strip_prefix('/') {
        abs
    } else {
        if let Some((dir, _)) = source_part.rsplit_once('/') {
            segments.extend(dir.split('/').filter(|s| !s.is_empty()));
        }
        target.as_str()
    };
    for seg in rest.split(['/', '\\']) {
        match seg {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    segments.join("/")
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%'
            && let Some(hex) = bytes.get(i + 1..i + 3)
            && let Ok(hex) = std::str::from_utf8(hex)
            && let Ok(v) = u8::from_str_radix(hex, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Reads `docProps/core.xml`, `app.xml` and `custom.xml` into `facts`: core and custom values
/// become metadata (searched for labels), app.xml counts become `facts.recorded`, and a core
/// title becomes `facts.title`. Problems here are warnings: properties are never essential.
pub(crate) fn read_doc_props(pkg: &mut Package, facts: &mut Facts, warnings: &mut Vec<Problem>) {
    let rels = pkg.rels("").unwrap_or_default();
    let find = |kind: &str, fallback: &str| {
        rels.iter()
            .find(|r| r.is(kind))
            .map(|r| r.target.clone())
            .unwrap_or_else(|| fallback.to_string())
    };
    let core = find("core-properties", "docProps/core.xml");
    let app = find("extended-properties", "docProps/app.xml");
    let custom = find("custom-properties", "docProps/custom.xml");

    if let Some(bytes) = pkg.read_optional(&core, warnings) {
        let mut fields: Vec<(String, String)> = Vec::new();
        let mut modified = None;
        let mut created = None;
        let r = collect_leaf_text(&bytes, &core, &mut |local, value| {
            if matches!(
                local,
                "title" | "subject" | "creator" | "description" | "keywords"
            ) {
                fields.push((local.to_string(), value.to_string()));
            } else if local == "modified" {
                modified = crate::facts::normalize_date(value);
            } else if local == "created" {
                created = crate::facts::normalize_date(value);
            }
        });
        if let Err(p) = r {
            warnings.push(p);
        }
        for (name, value) in fields {
            if name == "title" && !value.trim().is_empty() && facts.title.is_none() {
                facts.title = Some(value.trim().chars().take(200).collect());
            }
            facts.add_meta(&name, &value);
        }
        if modified.is_some() {
            facts.modified = modified;
        }
        if created.is_some() {
            facts.created = created;
        }
    }

    if let Some(bytes) = pkg.read_optional(&app, warnings) {
        let mut stats = RecordedStats {
            source: app.clone(),
            ..RecordedStats::default()
        };
        let (mut application, mut version) = (None, None);
        let r = collect_leaf_text(&bytes, &app, &mut |local, value| {
            let value = value.trim();
            let num = || value.parse::<u64>().ok();
            match local {
                "Application" => application = Some(value.to_string()),
                "AppVersion" => version = Some(value.to_string()),
                "Words" => stats.words = num(),
                "Characters" => stats.characters = num(),
                "Pages" => stats.pages = num(),
                "Slides" => stats.slides = num(),
                "HiddenSlides" => stats.hidden_slides = num(),
                _ => {}
            }
        });
        if let Err(p) = r {
            warnings.push(p);
        }
        stats.application = match (application, version) {
            (Some(a), Some(v)) if !a.is_empty() => Some(format!("{a} {v}")),
            (Some(a), _) if !a.is_empty() => Some(a),
            _ => None,
        };
        facts.recorded = Some(stats);
    }

    if let Some(bytes) = pkg.read_optional(&custom, warnings) {
        let mut fields: Vec<(String, String)> = Vec::new();
        let mut name: Option<String> = None;
        let mut value = String::new();
        let r = walk_xml(&bytes, &custom, &mut |node| {
            match node {
                Node::Open {
                    local: "property",
                    start,
                    ..
                } => {
                    name = attr(start, "name");
                    value.clear();
                }
                Node::Text(t) if name.is_some() => value.push_str(t),
                Node::Close {
                    local: "property", ..
                } => {
                    if let Some(n) = name.take() {
                        fields.push((format!("custom:{n}"), std::mem::take(&mut value)));
                    }
                }
                _ => {}
            }
            Flow::Continue
        });
        if let Err(p) = r {
            warnings.push(p);
        }
        for (n, v) in fields {
            facts.add_meta(&n, &v);
        }
    }
}

/// Calls `each(local_name, text)` for every element of a flat property part that directly
/// holds text.
fn collect_leaf_text(
    bytes: &[u8],
    part: &str,
    each: &mut dyn FnMut(&str, &str),
) -> Result<(), Problem> {
    let mut open: Option<String> = None;
    let mut text = String::new();
    walk_xml(bytes, part, &mut |node| {
        match node {
            Node::Open { local, .. } => {
                open = Some(local.to_string());
                text.clear();
            }
            Node::Text(t) => text.push_str(t),
            Node::Close { local, .. } => {
                if open.as_deref() == Some(local) {
                    each(local, &text);
                }
                open = None;
                text.clear();
            }
        }
        Flow::Continue
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Write;

    /// Builds a zip package in memory from (name, content) pairs.
    pub(crate) fn package(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut out);
            let opts = zip::write::SimpleFileOptions::default();
            for (name, content) in parts {
                zip.start_file(*name, opts).expect("start file");
                zip.write_all(content.as_bytes()).expect("write");
            }
            zip.finish().expect("finish");
        }
        out.into_inner()
    }

    #[test]
    fn deep_nesting_is_a_limit_finding() {
        let deep = format!("<r>{}{}</r>", "<a>".repeat(600), "</a>".repeat(600));
        let err = walk_xml(deep.as_bytes(), "word/document.xml", &mut |_| {
            Flow::Continue
        })
        .expect_err("too deep");
        assert_eq!(err.code, "limit.xml_depth");
        assert!(err.message.contains("word/document.xml"));
        let ok = format!("<r>{}{}</r>", "<a>".repeat(100), "</a>".repeat(100));
        walk_xml(ok.as_bytes(), "t.xml", &mut |_| Flow::Continue).expect("100 levels are fine");
        // Through an extractor, the configured limit applies.
        let doc = format!(
            r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{}<w:p><w:r><w:t>深</w:t></w:r></w:p>{}</w:body></w:document>"#,
            "<w:tbl><w:tr><w:tc>".repeat(20),
            "</w:tc></w:tr></w:tbl>".repeat(20)
        );
        let bytes = package(&[
            ("[Content_Types].xml", "<Types/>"),
            ("word/document.xml", &doc),
        ]);
        let input = Input::from_bytes(bytes, "deep.docx");
        let tight = Limits {
            max_xml_depth: 30,
            ..Limits::default()
        };
        let got =
            crate::extract::extract(&input, crate::facts::Format::Docx, &tight, &mut Vec::new());
        assert!(
            matches!(&got, crate::extract::Extraction::Unreadable(p) if p.code == "limit.xml_depth"),
            "{got:?}"
        );
        let got = crate::extract::extract(
            &input,
            crate::facts::Format::Docx,
            &Limits::default(),
            &mut Vec::new(),
        );
        assert!(
            matches!(got, crate::extract::Extraction::Read(_)),
            "{got:?}"
        );
    }

    #[test]
    fn resolves_targets() {
        let cases = [
            ("word/document.xml", "header1.xml", "word/header1.xml"),
            ("word/document.xml", "/word/footer1.xml", "word/footer1.xml"),
            (
                "ppt/slides/slide1.xml",
                "../slideLayouts/slideLayout2.xml",
                "ppt/slideLayouts/slideLayout2.xml",
            ),
            ("", "word/document.xml", "word/document.xml"),
            ("", "/ppt/presentation.xml", "ppt/presentation.xml"),
            (
                "word/document.xml",
                "media/image%201.png",
                "word/media/image 1.png",
            ),
            ("word/document.xml", "./a/../b.xml#frag", "word/b.xml"),
            ("word/document.xml", "../../../x.xml", "x.xml"),
        ];
        for (source, target, want) in cases {
            assert_eq!(resolve_target(source, target), want, "{source} + {target}");
        }
    }

    #[test]
    fn rels_part_names() {
        assert_eq!(rels_part_name(""), "_rels/.rels");
        assert_eq!(
            rels_part_name("word/document.xml"),
            "word/_rels/document.xml.rels"
        );
        assert_eq!(
            rels_part_name("ppt/slides/slide3.xml"),
            "ppt/slides/_rels/slide3.xml.rels"
        );
    }

    fn walk_text(xml: &str) -> Result<String, Problem> {
        let mut out = String::new();
        walk_xml(xml.as_bytes(), "test.xml", &mut |node| {
            match node {
                Node::Text(t) => out.push_str(t),
                Node::Open { local, .. } => out.push_str(&format!("<{local}>")),
                Node::Close { .. } => {}
            }
            Flow::Continue
        })?;
        Ok(out)
    }

    #[test]
    fn walker_cases() {
        let mc = r#"xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#;
        let cases: Vec<(String, Result<&str, &str>)> = vec![
            ("<r>a&amp;b&#x4E2D;&#25991;</r>".into(), Ok("<r>a&b中文")),
            (
                format!(
                    "<r {mc}><mc:AlternateContent><mc:Choice>x</mc:Choice><mc:Fallback>y</mc:Fallback></mc:AlternateContent></r>"
                ),
                Ok("<r><AlternateContent><Choice>x"),
            ),
            (
                format!(
                    "<r {mc}><mc:AlternateContent><mc:Fallback>y</mc:Fallback></mc:AlternateContent></r>"
                ),
                Ok("<r><AlternateContent><Fallback>y"),
            ),
            (
                format!(
                    "<r {mc}><mc:AlternateContent><mc:Choice>1<mc:AlternateContent><mc:Choice>2</mc:Choice><mc:Fallback>3</mc:Fallback></mc:AlternateContent></mc:Choice><mc:Choice>4</mc:Choice><mc:Fallback>5</mc:Fallback></mc:AlternateContent>6</r>"
                ),
                Ok("<r><AlternateContent><Choice>1<AlternateContent><Choice>26"),
            ),
            ("<r><a>text".into(), Err("unreadable.corrupt")),
            ("<r><a>te<b".into(), Err("unreadable.corrupt")),
            ("".into(), Err("unreadable.corrupt")),
            ("<r></x>".into(), Err("unreadable.corrupt")),
        ];
        for (xml, want) in cases {
            let got = walk_text(&xml);
            match want {
                Ok(text) => assert_eq!(got.as_deref().ok(), Some(text), "{xml}"),
                Err(code) => assert_eq!(got.err().map(|p| p.code), Some(code.to_string()), "{xml}"),
            }
        }
    }

    #[test]
    fn utf16_part_reads() {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><r>中文</r>";
        let mut bytes = vec![0xFF, 0xFE];
        for u in xml.encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let mut out = String::new();
        walk_xml(&bytes, "t.xml", &mut |n| {
            if let Node::Text(t) = n {
                out.push_str(t);
            }
            Flow::Continue
        })
        .expect("utf-16 part");
        assert_eq!(out, "中文");
    }

    #[test]
    fn part_limit_is_enforced() {
        let bytes = package(&[("a.xml", "<r>0123456789</r>")]);
        let input = Input::from_bytes(bytes, "t.zip");
        let limits = Limits {
            max_xml_bytes: 10,
            ..Limits::default()
        };
        let mut pkg = Package::open(&input, &limits).expect("open");
        let err = pkg.read("A.XML").expect_err("over limit");
        assert_eq!(err.code, "limit.part_size");
        assert_eq!(pkg.read("missing.xml").ok(), Some(None));

        // Many parts under the per-part limit still exhaust the package budget.
        let bytes = package(&[
            ("a.xml", "0123456789"),
            ("b.xml", "0123456789"),
            ("c.xml", "x"),
        ]);
        let limits = Limits {
            max_xml_bytes: 100,
            max_document_bytes: 15,
            ..Limits::default()
        };
        let mut pkg = Package::open(&Input::from_bytes(bytes, "t.zip"), &limits).expect("open");
        assert!(pkg.read("a.xml").is_ok());
        assert_eq!(
            pkg.read("b.xml").err().map(|p| p.code),
            Some("limit.package_size".into())
        );
        assert_eq!(
            pkg.read("c.xml").err().map(|p| p.code),
            Some("limit.package_size".into())
        );
    }

    #[test]
    fn doc_props() {
        let bytes = package(&[
            (
                "_rels/.rels",
                r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#,
            ),
            (
                "docProps/core.xml",
                r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>总结报告</dc:title><dc:creator>学会</dc:creator><cp:keywords>自治区科协2025年度学会重点资助项目</cp:keywords><cp:revision>3</cp:revision></cp:coreProperties>"#,
            ),
            (
                "docProps/app.xml",
                r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Office Word</Application><AppVersion>16.0000</AppVersion><Pages>3</Pages><Words>120</Words><Characters>700</Characters><HeadingPairs><vt:vector xmlns:vt="x" size="2"><vt:variant><vt:lpstr>标题</vt:lpstr></vt:variant></vt:vector></HeadingPairs></Properties>"#,
            ),
            (
                "docProps/custom.xml",
                r#"<Properties xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="项目"><vt:lpwstr>重点资助</vt:lpwstr></property></Properties>"#,
            ),
        ]);
        let input = Input::from_bytes(bytes, "t.docx");
        let mut pkg = Package::open(&input, &Limits::default()).expect("open");
        let mut facts = Facts::default();
        let mut warnings = Vec::new();
        read_doc_props(&mut pkg, &mut facts, &mut warnings);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(facts.title.as_deref(), Some("总结报告"));
        let meta: Vec<(&str, &str)> = facts
            .metadata
            .iter()
            .map(|m| (m.name.as_str(), m.value.as_str()))
            .collect();
        assert_eq!(
            meta,
            vec![
                ("title", "总结报告"),
                ("creator", "学会"),
                ("keywords", "自治区科协2025年度学会重点资助项目"),
                ("custom:项目", "重点资助"),
            ]
        );
        let rec = facts.recorded.expect("app.xml");
        assert_eq!(
            rec.application.as_deref(),
            Some("Microsoft Office Word 16.0000")
        );
        assert_eq!(
            (rec.words, rec.characters, rec.pages),
            (Some(120), Some(700), Some(3))
        );
    }

    #[test]
    fn open_errors() {
        let mut truncated = package(&[
            ("[Content_Types].xml", "<Types/>"),
            ("word/document.xml", "<w/>"),
        ]);
        truncated.truncate(60);
        let ole = {
            let mut v = OLE_MAGIC.to_vec();
            v.resize(1024, 0);
            v
        };
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (truncated, "unreadable.truncated"),
            (b"not a zip at all".to_vec(), "unreadable.corrupt"),
            (ole, "unreadable.corrupt"),
        ];
        for (bytes, code) in cases {
            let input = Input::from_bytes(bytes, "t.docx");
            let err = Package::open(&input, &Limits::default())
                .err()
                .map(|p| p.code);
            assert_eq!(err.as_deref(), Some(code));
        }
    }
}
