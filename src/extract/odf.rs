//! ODF (LibreOffice/OpenOffice/WPS: .odt, .odp, .ods): text by part, slides, tables, and the
//! statistics the producer recorded in `meta.xml`, shown beside ours.
//!
//! Why it exists: societies that work in LibreOffice deliver ODF, and a report in .odt must be
//! counted like the same report in .docx (body, tables, notes and text boxes counted; headers,
//! footers, comments and tracked deletions not), with labels found wherever a reader sees them.
//!
//! How: the zip container and the streaming XML walker are shared with OOXML
//! ([`super::ooxml::Package`] for per-part and package-wide decompression limits,
//! [`super::ooxml::walk_xml`] with the ODF namespaces added to its `Ns` list). One pass over
//! `content.xml` collects the automatic styles (which come before the body) and then the text;
//! `styles.xml` gives the master pages; `meta.xml` the metadata and statistics.
//!
//! Decisions and trade-offs:
//! - Text comes from paragraphs (`text:p`, `text:h`) only, with ODF's whitespace rule (runs of
//!   XML whitespace collapse to one space; `text:s text:c="n"` is n spaces, `text:tab` a tab,
//!   `text:line-break` a line break). Each paragraph ends with `\n`.
//! - Not text: tracked deletions (`text:tracked-changes` holds them; insertions are inline and
//!   read), note citations (the footnote number, as Word does not count reference marks),
//!   cached list labels (`text:number`, as for DOCX list labels), ruby text, index templates
//!   (`text:*-source`), shape titles and descriptions (`svg:title`/`svg:desc`: alt text), form
//!   controls, spreadsheet validations and named ranges.
//! - Hidden text: a paragraph, span or section whose automatic style (or own attribute) has
//!   `text:display="none"`. Hidden text from common styles in styles.xml is not detected (the
//!   same limit as DOCX).
//! - Parts: `office:annotation` → comments; `text:note` bodies → notes; text in shapes and
//!   frames (`draw:frame`/`draw:text-box`, custom shapes) → text boxes; text in tables →
//!   tables; else body. In a presentation everything on a `draw:page` is slide text except the
//!   speaker notes (`presentation:notes`); the header/footer/date texts declared in
//!   `office:presentation` and used by a page are headers/footers; master pages in styles.xml are
//!   `Masters`. In a text document or spreadsheet, master pages are headers/footers.
//! - Slides: `facts.slides` counts `draw:page` in `office:presentation`; a page is hidden when its
//!   drawing-page style has `presentation:visibility="hidden"` (what LibreOffice writes for
//!   "Hide Slide"). Hidden slides' text is still slide text (as for PPTX).
//! - Tables are also kept as rows of cells (`facts.tables`, for the expert list). Repeated
//!   cells/rows (`table:number-columns-repeated`, which spreadsheets use for millions of empty
//!   cells) are expanded only when they hold text, and runs of empty rows collapse to one;
//!   materialised cells are bounded (`MAX_CELLS`, `MAX_COLUMNS`), beyond which a warning says
//!   the table was cut. A spreadsheet's counted text is [`sheets_to_text`] of its sheets.
//! - Encryption: an encrypted ODF is a normal zip whose `META-INF/manifest.xml` gives
//!   `manifest:encryption-data` for `content.xml`; that is reported as encrypted before any
//!   (unreadable) part is parsed.
//! - `facts.pages` of a text document is `meta:page-count` (LibreOffice's layout at the last
//!   save); `facts.recorded` carries meta.xml's statistics and `meta:generator`. LibreOffice's
//!   statistics count headers/footers and footnote citation marks but not text frames, so they
//!   differ from Word's 字数 by exactly those parts (measured in `tests/odf_fixtures.rs`).

use std::collections::{HashMap, HashSet};

use quick_xml::events::BytesStart;

use crate::extract::Extractor;
use crate::extract::ooxml::{self, Flow, Node, Ns, Package, attr};
use crate::extract::table::{MAX_COLUMNS, Sheet, TableBudget, sheets_to_text, table_limit_problem};
use crate::facts::{Facts, Format, PartKind, Problem, RecordedStats};
use crate::input::{Input, Limits};

pub(crate) struct OdfExtractor;

impl Extractor for OdfExtractor {
    fn name(&self) -> &'static str {
        "odf"
    }
    fn formats(&self) -> &'static [Format] {
        &[Format::Odt, Format::Odp, Format::Ods]
    }
    fn extract(
        &self,
        input: &Input,
        limits: &Limits,
        warnings: &mut Vec<Problem>,
    ) -> Result<Facts, Problem> {
        let mut pkg = Package::open(input, limits)?;
        if let Some(manifest) = pkg.read_optional("META-INF/manifest.xml", warnings) {
            match encrypted_parts(&manifest) {
                Ok(parts) if parts.iter().any(|p| p == "content.xml") => {
                    return Err(encrypted_problem());
                }
                Ok(_) => {}
                Err(p) => warnings.push(p),
            }
        }
        let Some(content) = pkg.read("content.xml")? else {
            return Err(Problem::new(
                crate::codes::UNREADABLE_CORRUPT,
                "文件已损坏：缺少正文部件 content.xml，请重新导出",
            ));
        };
        let mut facts = Facts::default();
        let mut reader = OdfText::new(PartKind::Body);
        ooxml::walk_xml(&content, "content.xml", &mut |node| reader.on(node))?;
        drop(content);
        let doc = reader.doc;
        reader.finish(&mut facts, warnings);

        if let Some(styles) = pkg.read_optional("styles.xml", warnings) {
            let kind = match doc {
                Doc::Presentation => PartKind::Masters,
                _ => PartKind::HeadersFooters,
            };
            let mut masters = OdfText::new(kind);
            match ooxml::walk_xml(&styles, "styles.xml", &mut |node| masters.on(node)) {
                Ok(()) => masters.finish(&mut facts, warnings),
                Err(p) => warnings.push(p),
            }
        }
        if let Some(meta) = pkg.read_optional("meta.xml", warnings)
            && let Err(p) = read_meta(&meta, &mut facts)
        {
            warnings.push(p);
        }
        if doc == Doc::Text {
            facts.pages = facts
                .recorded
                .as_ref()
                .and_then(|r| r.pages)
                .and_then(|p| u32::try_from(p).ok())
                .filter(|&p| p > 0);
        }
        Ok(facts)
    }
}

/// The problem for a password-protected ODF file.
pub(crate) fn encrypted_problem() -> Problem {
    Problem::new(
        crate::codes::UNREADABLE_ENCRYPTED,
        "文件已加密（ODF 密码保护），请提供未加密版本",
    )
}

/// The parts that `META-INF/manifest.xml` declares encrypted (`manifest:encryption-data`).
pub(crate) fn encrypted_parts(manifest: &[u8]) -> Result<Vec<String>, Problem> {
    let mut current: Option<String> = None;
    let mut out = Vec::new();
    ooxml::walk_xml(manifest, "META-INF/manifest.xml", &mut |node| {
        match node {
            Node::Open {
                ns: Ns::Manifest,
                local: "file-entry",
                start,
            } => current = attr(start, "full-path"),
            Node::Open {
                ns: Ns::Manifest,
                local: "encryption-data",
                ..
            } => {
                if let Some(path) = current.as_ref() {
                    out.push(path.trim_start_matches('/').to_string());
                }
            }
            Node::Close {
                ns: Ns::Manifest,
                local: "file-entry",
            } => current = None,
            _ => {}
        }
        Flow::Continue
    })?;
    Ok(out)
}

/// Reads `meta.xml`: metadata fields (searched for labels) and the recorded statistics.
fn read_meta(bytes: &[u8], facts: &mut Facts) -> Result<(), Problem> {
    let mut stats = RecordedStats {
        source: "meta.xml".into(),
        ..RecordedStats::default()
    };
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut text = String::new();
    let mut user_defined: Option<String> = None;
    let mut title: Option<String> = None;
    let mut modified: Option<String> = None;
    let mut created: Option<String> = None;
    ooxml::walk_xml(bytes, "meta.xml", &mut |node| {
        match node {
            Node::Open { ns, local, start } => {
                text.clear();
                match (ns, local) {
                    (Ns::Meta, "document-statistic") => {
                        let num =
                            |name: &str| attr(start, name).and_then(|v| v.trim().parse().ok());
                        stats.words = num("word-count");
                        stats.characters = num("character-count");
                        stats.characters_no_space = num("non-whitespace-character-count");
                        stats.pages = num("page-count");
                    }
                    (Ns::Meta, "user-defined") => user_defined = attr(start, "name"),
                    _ => {}
                }
            }
            Node::Text(t) => text.push_str(t),
            Node::Close { ns, local } => {
                let name = match (ns, local) {
                    (Ns::Meta, "generator") => {
                        let g = text.trim();
                        if !g.is_empty() {
                            stats.application = Some(g.to_string());
                        }
                        None
                    }
                    (Ns::Dc, "title") => {
                        title = Some(text.trim().to_string());
                        Some("title".to_string())
                    }
                    (Ns::Dc, "date") => {
                        modified = crate::facts::normalize_date(&text);
                        None
                    }
                    (Ns::Meta, "creation-date") => {
                        created = crate::facts::normalize_date(&text);
                        None
                    }
                    (Ns::Dc, "subject") => Some("subject".into()),
                    (Ns::Dc, "description") => Some("description".into()),
                    (Ns::Dc, "creator") => Some("creator".into()),
                    (Ns::Meta, "initial-creator") => Some("initial-creator".into()),
                    (Ns::Meta, "keyword") => Some("keywords".into()),
                    (Ns::Meta, "user-defined") => {
                        user_defined.take().map(|n| format!("custom:{n}"))
                    }
                    _ => None,
                };
                if let Some(name) = name {
                    fields.push((name, std::mem::take(&mut text)));
                }
                text.clear();
            }
        }
        Flow::Continue
    })?;
    for (name, value) in fields {
        facts.add_meta(&name, &value);
    }
    if let Some(t) = title.filter(|t| !t.is_empty()) {
        facts.title = Some(t.chars().take(200).collect());
    }
    if modified.is_some() {
        facts.modified = modified;
    }
    if created.is_some() {
        facts.created = created;
    }
    // A generator alone is no statistic (LibreOffice Impress records only object counts).
    let has_stats = stats.words.is_some() || stats.characters.is_some() || stats.pages.is_some();
    if has_stats {
        facts.recorded = Some(stats);
    }
    Ok(())
}

/// Which kind of ODF document the body holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Doc {
    Unknown,
    Text,
    Presentation,
    Spreadsheet,
}

/// The open elements that decide where text goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Table,
    Cell,
    Shape,
    Note,
    Annotation,
    SpeakerNotes,
    Page,
    Decl,
}

/// Builds one ODF table's rows, expanding repeated cells and rows within the budget.
#[derive(Debug, Default)]
struct TableBuilder {
    name: String,
    rows: Vec<Vec<String>>,
    row: Vec<String>,
    row_repeat: u64,
    /// Empty cells seen since the last non-empty one in this row.
    pending_cells: u64,
    /// Empty rows seen since the last non-empty one (collapsed to one when text follows).
    pending_rows: bool,
    cell: Option<String>,
    cell_repeat: u64,
    /// `office:value` & co., used when a cell has no paragraph.
    cell_value: Option<String>,
}

fn repeat_attr(start: &BytesStart<'_>, name: &str) -> u64 {
    attr(start, name)
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|&n| n > 0)
        .unwrap_or(1)
}

impl TableBuilder {
    fn start_row(&mut self, start: &BytesStart<'_>) {
        self.row.clear();
        self.pending_cells = 0;
        self.row_repeat = repeat_attr(start, "number-rows-repeated");
    }

    fn start_cell(&mut self, start: &BytesStart<'_>) {
        self.cell = Some(String::new());
        self.cell_repeat = repeat_attr(start, "number-columns-repeated");
        self.cell_value = [
            "string-value",
            "value",
            "date-value",
            "time-value",
            "boolean-value",
        ]
        .iter()
        .find_map(|name| attr(start, name))
        .filter(|v| !v.trim().is_empty());
    }

    fn end_cell(&mut self, budget: &mut TableBudget) {
        let Some(mut text) = self.cell.take() else {
            return;
        };
        let trimmed = text.trim_end().len();
        text.truncate(trimmed);
        if text.trim().is_empty() {
            text = self.cell_value.take().unwrap_or_default();
        }
        if text.trim().is_empty() {
            self.pending_cells = self.pending_cells.saturating_add(self.cell_repeat);
            return;
        }
        let room = MAX_COLUMNS.saturating_sub(self.row.len()) as u64;
        let pad = self.pending_cells.min(room);
        if !budget.take(pad, 0) {
            return;
        }
        for _ in 0..pad {
            self.row.push(String::new());
        }
        self.pending_cells = 0;
        let room = MAX_COLUMNS.saturating_sub(self.row.len()) as u64;
        for _ in 0..self.cell_repeat.min(room) {
            if !budget.take(1, text.len() as u64) {
                break;
            }
            self.row.push(text.clone());
        }
    }

    fn end_row(&mut self, budget: &mut TableBudget) {
        let row = std::mem::take(&mut self.row);
        if row.is_empty() {
            if !self.rows.is_empty() {
                self.pending_rows = true;
            }
            return;
        }
        if self.pending_rows {
            self.rows.push(Vec::new());
            self.pending_rows = false;
        }
        let bytes: u64 = row.iter().map(|c| c.len() as u64).sum();
        for _ in 1..self.row_repeat {
            if !budget.take(row.len() as u64, bytes) {
                break;
            }
            self.rows.push(row.clone());
        }
        self.rows.push(row);
    }
}

/// The streaming reader of one ODF part (content.xml, or styles.xml for master pages).
struct OdfText {
    /// `Body` for content.xml; `HeadersFooters`/`Masters` for styles.xml's master pages.
    base: PartKind,
    doc: Doc,
    /// Inside `office:body` (content.xml) or `office:master-styles` (styles.xml).
    in_scope: bool,
    ctx: Vec<Ctx>,
    /// Depth of open paragraphs (a note's paragraphs sit inside the citing paragraph).
    paragraphs: u32,
    /// The last character emitted was collapsible whitespace (ODF whitespace rule).
    last_space: bool,
    /// Automatic text/paragraph/section styles with `text:display="none"`.
    hidden_styles: HashSet<String>,
    /// Drawing-page styles with `presentation:visibility="hidden"`.
    hidden_pages: HashSet<String>,
    /// The `style:style` being read: (name, family).
    style: Option<(String, String)>,
    out: Vec<(PartKind, String)>,
    slides: u32,
    hidden_slides: u32,
    /// Presentation header/footer/date declarations: name → text.
    decls: HashMap<String, String>,
    decl: Option<String>,
    used_decls: Vec<String>,
    tables: Vec<TableBuilder>,
    sheets: Vec<Sheet>,
    table_count: usize,
    budget: TableBudget,
}

const SHAPES: &[&str] = &[
    "frame",
    "custom-shape",
    "rect",
    "ellipse",
    "circle",
    "polygon",
    "polyline",
    "regular-polygon",
    "path",
    "line",
    "connector",
    "caption",
    "measure",
];

impl OdfText {
    fn new(base: PartKind) -> Self {
        OdfText {
            base,
            doc: Doc::Unknown,
            in_scope: false,
            ctx: Vec::new(),
            paragraphs: 0,
            last_space: true,
            hidden_styles: HashSet::new(),
            hidden_pages: HashSet::new(),
            style: None,
            out: Vec::new(),
            slides: 0,
            hidden_slides: 0,
            decls: HashMap::new(),
            decl: None,
            used_decls: Vec::new(),
            tables: Vec::new(),
            sheets: Vec::new(),
            table_count: 0,
            budget: TableBudget::default(),
        }
    }

    fn has(&self, c: Ctx) -> bool {
        self.ctx.contains(&c)
    }

    fn kind(&self) -> PartKind {
        if self.has(Ctx::Annotation) {
            PartKind::Comments
        } else if self.has(Ctx::SpeakerNotes) {
            PartKind::SpeakerNotes
        } else if self.base != PartKind::Body {
            self.base
        } else if self.has(Ctx::Page) {
            PartKind::Slides
        } else if self.has(Ctx::Note) {
            PartKind::Notes
        } else if self.has(Ctx::Shape) {
            PartKind::TextBoxes
        } else if self.has(Ctx::Table) {
            PartKind::Tables
        } else {
            PartKind::Body
        }
    }

    /// Text goes into a table cell when the innermost container is a cell (not a note, a
    /// shape or a comment inside it).
    fn in_cell(&self) -> bool {
        self.base == PartKind::Body
            && self
                .ctx
                .iter()
                .rev()
                .find(|c| {
                    matches!(
                        c,
                        Ctx::Cell | Ctx::Table | Ctx::Shape | Ctx::Note | Ctx::Annotation
                    )
                })
                .is_some_and(|c| *c == Ctx::Cell)
    }

    fn buffer(&mut self, kind: PartKind) -> &mut String {
        let at = match self.out.iter().position(|(k, _)| *k == kind) {
            Some(i) => i,
            None => {
                self.out.push((kind, String::new()));
                self.out.len() - 1
            }
        };
        &mut self.out[at].1
    }

    fn emit(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        let in_cell = self.in_cell();
        if in_cell && let Some(cell) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
            cell.push_str(text);
        }
        // A spreadsheet's cells are counted from the finished sheets (tab-separated rows).
        if !(in_cell && self.doc == Doc::Spreadsheet) {
            let kind = self.kind();
            self.buffer(kind).push_str(text);
        }
    }

    /// Character data inside a paragraph, with ODF's whitespace collapsing.
    fn emit_collapsed(&mut self, text: &str) {
        let mut s = String::with_capacity(text.len());
        for c in text.chars() {
            if matches!(c, ' ' | '\t' | '\n' | '\r') {
                if !self.last_space {
                    s.push(' ');
                    self.last_space = true;
                }
            } else {
                s.push(c);
                self.last_space = false;
            }
        }
        self.emit(&s);
    }

    fn on(&mut self, node: Node<'_, '_>) -> Flow {
        match node {
            Node::Open { ns, local, start } => self.open(ns, local, start),
            Node::Close { ns, local } => {
                self.close(ns, local);
                Flow::Continue
            }
            Node::Text(t) => {
                if self.ctx.last() == Some(&Ctx::Decl) {
                    if let Some(name) = self.decl.clone() {
                        self.decls.entry(name).or_default().push_str(t);
                    }
                } else if self.in_scope && self.paragraphs > 0 {
                    self.emit_collapsed(t);
                }
                Flow::Continue
            }
        }
    }

    fn style_hidden(&self, start: &BytesStart<'_>) -> bool {
        attr(start, "style-name").is_some_and(|s| self.hidden_styles.contains(&s))
            || attr(start, "display").as_deref() == Some("none")
    }

    fn open(&mut self, ns: Ns, local: &str, start: &BytesStart<'_>) -> Flow {
        // Styles (before the body): hidden text and hidden slides.
        match (ns, local) {
            (Ns::Style, "style") => {
                self.style =
                    attr(start, "name").map(|n| (n, attr(start, "family").unwrap_or_default()));
                return Flow::Continue;
            }
            (Ns::Style, "text-properties" | "section-properties") => {
                if attr(start, "display").as_deref() == Some("none")
                    && let Some((name, _)) = &self.style
                {
                    self.hidden_styles.insert(name.clone());
                }
                return Flow::Continue;
            }
            (Ns::Style, "drawing-page-properties") => {
                if attr(start, "visibility").as_deref() == Some("hidden")
                    && let Some((name, family)) = &self.style
                    && family == "drawing-page"
                {
                    self.hidden_pages.insert(name.clone());
                }
                return Flow::Continue;
            }
            (Ns::Office, "body") if self.base == PartKind::Body => {
                self.in_scope = true;
                return Flow::Continue;
            }
            (Ns::Office, "master-styles") if self.base != PartKind::Body => {
                self.in_scope = true;
                return Flow::Continue;
            }
            _ => {}
        }
        if !self.in_scope {
            return Flow::Continue;
        }
        match (ns, local) {
            (Ns::Office, "text") if self.doc == Doc::Unknown => self.doc = Doc::Text,
            (Ns::Office, "presentation" | "drawing") if self.doc == Doc::Unknown => {
                self.doc = Doc::Presentation
            }
            (Ns::Office, "spreadsheet") if self.doc == Doc::Unknown => self.doc = Doc::Spreadsheet,
            (
                Ns::Text,
                "tracked-changes"
                | "note-citation"
                | "number"
                | "ruby-text"
                | "sequence-decls"
                | "variable-decls"
                | "user-field-decls"
                | "dde-connection-decls",
            )
            | (Ns::Svg, "title" | "desc")
            | (Ns::Office, "forms" | "event-listeners" | "scripts" | "change-info")
            | (
                Ns::Table,
                "tracked-changes"
                | "content-validations"
                | "named-expressions"
                | "database-ranges"
                | "data-pilot-tables"
                | "dde-links"
                | "table-source"
                | "calculation-settings",
            ) => return Flow::Skip,
            (Ns::Text, l) if l.ends_with("-source") => return Flow::Skip,
            // The notes master of a presentation's master page: layout, not a reader's text.
            (Ns::Presentation, "notes") if self.base != PartKind::Body => return Flow::Skip,
            // A comment's author and date.
            (Ns::Dc, _) | (Ns::Meta, _) if self.has(Ctx::Annotation) => return Flow::Skip,
            (
                Ns::Style,
                "header" | "footer" | "header-left" | "footer-left" | "header-first"
                | "footer-first",
            ) if attr(start, "display").as_deref() == Some("false") => {
                return Flow::Skip;
            }
            (Ns::Text, "p" | "h") => {
                if self.style_hidden(start) {
                    return Flow::Skip;
                }
                self.paragraphs += 1;
                self.last_space = true;
            }
            (Ns::Text, "span" | "section") if self.style_hidden(start) => return Flow::Skip,
            (Ns::Text, "s") if self.paragraphs > 0 => {
                let n = attr(start, "c")
                    .and_then(|c| c.trim().parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, 1024);
                self.emit(&" ".repeat(n));
                self.last_space = false;
            }
            (Ns::Text, "tab") if self.paragraphs > 0 => {
                self.emit("\t");
                self.last_space = false;
            }
            (Ns::Text, "line-break") if self.paragraphs > 0 => {
                self.emit("\n");
                self.last_space = true;
            }
            (Ns::Text, "note") => self.ctx.push(Ctx::Note),
            (Ns::Office, "annotation") => self.ctx.push(Ctx::Annotation),
            (Ns::Draw, l) if SHAPES.contains(&l) => self.ctx.push(Ctx::Shape),
            (Ns::Draw, "page") => {
                if self.doc == Doc::Presentation && self.base == PartKind::Body {
                    self.slides += 1;
                    if attr(start, "style-name").is_some_and(|s| self.hidden_pages.contains(&s)) {
                        self.hidden_slides += 1;
                    }
                    for name in ["use-header-name", "use-footer-name", "use-date-time-name"] {
                        if let Some(n) = attr(start, name)
                            && !self.used_decls.contains(&n)
                        {
                            self.used_decls.push(n);
                        }
                    }
                }
                self.ctx.push(Ctx::Page);
            }
            (Ns::Presentation, "notes") => self.ctx.push(Ctx::SpeakerNotes),
            (Ns::Presentation, "header-decl" | "footer-decl" | "date-time-decl") => {
                self.decl = attr(start, "name");
                self.ctx.push(Ctx::Decl);
            }
            (Ns::Table, "table") => {
                self.table_count += 1;
                let name = attr(start, "name")
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or_else(|| format!("表{}", self.table_count));
                self.tables.push(TableBuilder {
                    name,
                    ..TableBuilder::default()
                });
                self.ctx.push(Ctx::Table);
            }
            (Ns::Table, "table-row") => {
                if let Some(t) = self.tables.last_mut() {
                    t.start_row(start);
                }
            }
            (Ns::Table, "table-cell" | "covered-table-cell") => {
                if let Some(t) = self.tables.last_mut() {
                    t.start_cell(start);
                }
                self.ctx.push(Ctx::Cell);
            }
            _ => {}
        }
        Flow::Continue
    }

    fn pop(&mut self, want: Ctx) {
        if let Some(i) = self.ctx.iter().rposition(|c| *c == want) {
            self.ctx.truncate(i);
        }
    }

    fn close(&mut self, ns: Ns, local: &str) {
        match (ns, local) {
            (Ns::Style, "style") => self.style = None,
            (Ns::Office, "body" | "master-styles") => self.in_scope = false,
            _ if !self.in_scope => {}
            (Ns::Text, "p" | "h") => {
                self.paragraphs = self.paragraphs.saturating_sub(1);
                // The paragraph mark: also separates paragraphs inside one table cell.
                self.emit("\n");
                self.last_space = true;
            }
            (Ns::Text, "note") => self.pop(Ctx::Note),
            (Ns::Office, "annotation") => self.pop(Ctx::Annotation),
            (Ns::Draw, l) if SHAPES.contains(&l) => self.pop(Ctx::Shape),
            (Ns::Draw, "page") => self.pop(Ctx::Page),
            (Ns::Presentation, "notes") => self.pop(Ctx::SpeakerNotes),
            (Ns::Presentation, "header-decl" | "footer-decl" | "date-time-decl") => {
                self.pop(Ctx::Decl);
                self.decl = None;
            }
            (Ns::Table, "table-cell" | "covered-table-cell") => {
                if let Some(t) = self.tables.last_mut() {
                    t.end_cell(&mut self.budget);
                }
                self.pop(Ctx::Cell);
            }
            (Ns::Table, "table-row") => {
                if let Some(t) = self.tables.last_mut() {
                    t.end_row(&mut self.budget);
                }
            }
            (Ns::Table, "table") => {
                if let Some(t) = self.tables.pop()
                    && !t.rows.is_empty()
                {
                    self.sheets.push(Sheet {
                        name: t.name,
                        rows: t.rows,
                    });
                }
                self.pop(Ctx::Table);
            }
            _ => {}
        }
    }

    /// Moves the collected text, slides and tables into `facts`.
    fn finish(mut self, facts: &mut Facts, warnings: &mut Vec<Problem>) {
        for name in std::mem::take(&mut self.used_decls) {
            if let Some(text) = self.decls.get(&name).filter(|t| !t.trim().is_empty()) {
                let text = format!("{}\n", text.trim());
                self.buffer(PartKind::HeadersFooters).push_str(&text);
            }
        }
        for (kind, text) in &self.out {
            // Empty paragraphs (an unused header) leave only line breaks: no part for them.
            if !text.trim().is_empty() {
                facts.push_text(*kind, text);
            }
        }
        if self.base != PartKind::Body {
            return;
        }
        if self.doc == Doc::Presentation {
            facts.slides = Some(self.slides);
            facts.hidden_slides = Some(self.hidden_slides);
        }
        if self.doc == Doc::Spreadsheet {
            facts.push_text(PartKind::Tables, &sheets_to_text(&self.sheets));
        }
        if self.budget.exceeded {
            warnings.push(table_limit_problem());
        }
        facts.tables.extend(self.sheets);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::ooxml::tests::package;
    use crate::extract::table::MAX_CELLS;

    const NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0""#;

    fn content(styles: &str, body: &str) -> String {
        format!(
            "<office:document-content {NS}><office:automatic-styles>{styles}</office:automatic-styles><office:body>{body}</office:body></office:document-content>"
        )
    }

    fn odf(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut all = vec![("mimetype", "application/vnd.oasis.opendocument.text")];
        all.extend_from_slice(parts);
        package(&all)
    }

    fn extract(bytes: Vec<u8>) -> (Result<Facts, Problem>, Vec<Problem>) {
        let input = Input::from_bytes(bytes, "t.odt");
        let mut warnings = Vec::new();
        let r = OdfExtractor.extract(&input, &Limits::default(), &mut warnings);
        (r, warnings)
    }

    fn text_of(facts: &Facts, kind: PartKind) -> String {
        facts
            .parts
            .iter()
            .filter(|p| p.kind == kind)
            .map(|p| p.text.clone())
            .collect()
    }

    /// Expected text by part.
    type Want = Vec<(PartKind, &'static str)>;

    /// (case, automatic styles, office:text content, [(part, expected text)])
    #[test]
    fn text_document_rules() {
        let hidden = r#"<style:style style:name="T1" style:family="text"><style:text-properties text:display="none"/></style:style>"#;
        let cases: Vec<(&str, &str, &str, Want)> = vec![
            (
                "spans, spaces, tabs, breaks",
                "",
                r#"<text:h>标题</text:h><text:p>自治区<text:span>科协</text:span>2025<text:s text:c="3"/>a<text:tab/>b<text:line-break/>c  d
                 e</text:p>"#,
                vec![(PartKind::Body, "标题\n自治区科协2025   a\tb\nc d e\n")],
            ),
            (
                "tracked deletion, note, annotation, list label",
                "",
                r#"<text:tracked-changes><text:changed-region><text:deletion><office:change-info><dc:creator>审</dc:creator></office:change-info><text:p>删去</text:p></text:deletion></text:changed-region></text:tracked-changes><text:p>正文<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>脚注</text:p></text:note-body></text:note>续<office:annotation><dc:creator>甲</dc:creator><dc:date>2025</dc:date><text:p>批注</text:p></office:annotation></text:p><text:list><text:list-item><text:p><text:number>1.</text:number>条目</text:p></text:list-item></text:list>"#,
                vec![
                    (PartKind::Body, "正文续\n条目\n"),
                    (PartKind::Notes, "脚注\n"),
                    (PartKind::Comments, "批注\n"),
                ],
            ),
            (
                "table, text box, alt text, hidden span",
                hidden,
                r#"<text:p>前<text:span text:style-name="T1">藏</text:span></text:p><table:table table:name="名单"><table:table-row><table:table-cell><text:p>姓名</text:p></table:table-cell><table:table-cell><text:p>职称</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell><text:p>张三</text:p></table:table-cell><table:table-cell><text:p>院士</text:p><text:p>教授</text:p></table:table-cell></table:table-row></table:table><text:p><draw:frame><svg:title>替代文字</svg:title><draw:text-box><text:p>框内</text:p></draw:text-box></draw:frame>后</text:p>"#,
                vec![
                    (PartKind::Body, "前\n后\n"),
                    (PartKind::Tables, "姓名\n职称\n张三\n院士\n教授\n"),
                    (PartKind::TextBoxes, "框内\n"),
                ],
            ),
            (
                "index template skipped, index body read",
                "",
                r#"<text:table-of-content><text:table-of-content-source><text:index-title-template>目录模板</text:index-title-template></text:table-of-content-source><text:index-body><text:p>第一章<text:tab/>1</text:p></text:index-body></text:table-of-content>"#,
                vec![(PartKind::Body, "第一章\t1\n")],
            ),
        ];
        for (name, styles, body, want) in cases {
            let xml = content(styles, &format!("<office:text>{body}</office:text>"));
            let (r, warnings) = extract(odf(&[("content.xml", &xml)]));
            let facts = r.unwrap_or_else(|p| panic!("{name}: {p:?}"));
            assert!(warnings.is_empty(), "{name}: {warnings:?}");
            for (kind, text) in want {
                assert_eq!(text_of(&facts, kind), text, "{name}: {kind:?}");
            }
        }
    }

    #[test]
    fn table_rows_are_structured() {
        let body = r#"<office:text><table:table table:name="专家"><table:table-row><table:table-cell><text:p>姓名</text:p></table:table-cell><table:table-cell><text:p>职称</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell><text:p>张三</text:p></table:table-cell><table:table-cell><text:p>院士</text:p><text:p>教授</text:p></table:table-cell></table:table-row></table:table></office:text>"#;
        let (r, _) = extract(odf(&[("content.xml", &content("", body))]));
        let facts = r.expect("odt");
        assert_eq!(
            facts.tables,
            vec![Sheet {
                name: "专家".into(),
                rows: vec![
                    vec!["姓名".into(), "职称".into()],
                    vec!["张三".into(), "院士\n教授".into()]
                ],
            }]
        );
    }

    #[test]
    fn spreadsheet_repeats_are_bounded() {
        let body = r#"<office:spreadsheet><table:table table:name="Sheet1"><table:table-row><table:table-cell office:value-type="string"><text:p>姓名</text:p></table:table-cell><table:table-cell table:number-columns-repeated="2"/><table:table-cell><text:p>职称</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16380"/></table:table-row><table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row><table:table-row table:number-rows-repeated="2"><table:table-cell office:value-type="float" office:value="3"><text:p>3</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="42"/><table:table-cell table:number-columns-repeated="3"><text:p>x</text:p></table:table-cell><table:table-cell><text:p>注</text:p><office:annotation><text:p>单元格批注</text:p></office:annotation></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table></office:spreadsheet>"#;
        let (r, warnings) = extract(odf(&[("content.xml", &content("", body))]));
        let facts = r.expect("ods");
        assert!(warnings.is_empty(), "{warnings:?}");
        let row = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            facts.tables[0].rows,
            vec![
                row(&["姓名", "", "", "职称"]),
                vec![],
                row(&["3", "42", "x", "x", "x", "注"]),
                row(&["3", "42", "x", "x", "x", "注"]),
            ]
        );
        assert_eq!(
            text_of(&facts, PartKind::Tables),
            "姓名\t\t\t职称\n\n3\t42\tx\tx\tx\t注\n3\t42\tx\tx\tx\t注\n"
        );
        assert_eq!(text_of(&facts, PartKind::Comments), "单元格批注\n");

        // A non-empty cell repeated past every bound is cut, with a warning.
        let bomb = r#"<office:spreadsheet><table:table><table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384"><text:p>字</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>"#;
        let (r, warnings) = extract(odf(&[("content.xml", &content("", bomb))]));
        let facts = r.expect("ods");
        let cells: usize = facts
            .tables
            .iter()
            .map(|s| s.rows.iter().map(Vec::len).sum::<usize>())
            .sum();
        assert!(cells as u64 <= MAX_CELLS + MAX_COLUMNS as u64, "{cells}");
        assert_eq!(
            warnings.iter().map(|w| w.code.as_str()).collect::<Vec<_>>(),
            vec!["limit.table_size"]
        );
    }

    #[test]
    fn presentation_slides_notes_masters() {
        let styles = r#"<style:style style:name="dp1" style:family="drawing-page"><style:drawing-page-properties presentation:visibility="visible"/></style:style><style:style style:name="dp2" style:family="drawing-page"><style:drawing-page-properties presentation:visibility="hidden"/></style:style>"#;
        let body = r#"<office:presentation><presentation:footer-decl presentation:name="ftr1">自治区科协2025年度学会重点资助项目</presentation:footer-decl><presentation:footer-decl presentation:name="ftr2">未用</presentation:footer-decl><draw:page draw:style-name="dp1" presentation:use-footer-name="ftr1"><draw:frame><draw:text-box><text:p>第一页</text:p></draw:text-box></draw:frame><presentation:notes><draw:page-thumbnail/><draw:frame><draw:text-box><text:p>讲稿</text:p></draw:text-box></draw:frame></presentation:notes></draw:page><draw:page draw:style-name="dp2"><draw:frame><table:table><table:table-row><table:table-cell><text:p>表中</text:p></table:table-cell></table:table-row></table:table></draw:frame></draw:page><draw:page/></office:presentation>"#;
        let styles_xml = format!(
            r#"<office:document-styles {NS}><office:master-styles><style:master-page style:name="M"><draw:frame><draw:text-box><text:p>母版文字</text:p></draw:text-box></draw:frame><presentation:notes><draw:frame><draw:text-box><text:p>备注母版</text:p></draw:text-box></draw:frame></presentation:notes></style:master-page></office:master-styles></office:document-styles>"#
        );
        let (r, warnings) = extract(odf(&[
            ("content.xml", &content(styles, body)),
            ("styles.xml", &styles_xml),
        ]));
        let facts = r.expect("odp");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!((facts.slides, facts.hidden_slides), (Some(3), Some(1)));
        assert_eq!(text_of(&facts, PartKind::Slides), "第一页\n表中\n");
        assert_eq!(text_of(&facts, PartKind::SpeakerNotes), "讲稿\n");
        assert_eq!(
            text_of(&facts, PartKind::HeadersFooters),
            "自治区科协2025年度学会重点资助项目\n"
        );
        assert_eq!(text_of(&facts, PartKind::Masters), "母版文字\n");
        assert_eq!(facts.tables.len(), 1);
    }

    #[test]
    fn headers_footers_and_meta() {
        let styles_xml = format!(
            r#"<office:document-styles {NS}><office:styles><style:style style:name="Standard"/></office:styles><office:master-styles><style:master-page style:name="Standard"><style:header><text:p>自治区科协2025年度学会重点资助项目</text:p></style:header><style:footer><text:p>第<text:page-number>1</text:page-number>页</text:p></style:footer><style:header-left style:display="false"><text:p>不显示</text:p></style:header-left></style:master-page></office:master-styles></office:document-styles>"#
        );
        let meta = format!(
            r#"<office:document-meta {NS}><office:meta><meta:generator>LibreOffice/7.4.7.2$Linux_X86_64</meta:generator><dc:title>总结报告</dc:title><meta:keyword>验收</meta:keyword><meta:keyword>科协</meta:keyword><meta:initial-creator>学会</meta:initial-creator><meta:user-defined meta:name="项目">重点资助</meta:user-defined><meta:document-statistic meta:page-count="3" meta:word-count="120" meta:character-count="150" meta:non-whitespace-character-count="140"/></office:meta></office:document-meta>"#
        );
        let xml = content("", "<office:text><text:p>正文</text:p></office:text>");
        let (r, warnings) = extract(odf(&[
            ("content.xml", &xml),
            ("styles.xml", &styles_xml),
            ("meta.xml", &meta),
        ]));
        let facts = r.expect("odt");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            text_of(&facts, PartKind::HeadersFooters),
            "自治区科协2025年度学会重点资助项目\n第1页\n"
        );
        assert_eq!(facts.title.as_deref(), Some("总结报告"));
        assert_eq!(facts.pages, Some(3));
        let rec = facts.recorded.expect("stats");
        assert_eq!(rec.source, "meta.xml");
        assert_eq!(
            rec.application.as_deref(),
            Some("LibreOffice/7.4.7.2$Linux_X86_64")
        );
        assert_eq!(
            (
                rec.words,
                rec.characters,
                rec.characters_no_space,
                rec.pages
            ),
            (Some(120), Some(150), Some(140), Some(3))
        );
        let meta: Vec<(&str, &str)> = facts
            .metadata
            .iter()
            .map(|m| (m.name.as_str(), m.value.as_str()))
            .collect();
        assert_eq!(
            meta,
            vec![
                ("title", "总结报告"),
                ("keywords", "验收"),
                ("keywords", "科协"),
                ("initial-creator", "学会"),
                ("custom:项目", "重点资助"),
            ]
        );
    }

    #[test]
    fn broken_and_encrypted() {
        let manifest = r#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"><manifest:encryption-data manifest:checksum-type="SHA1/1K"><manifest:algorithm manifest:algorithm-name="Blowfish CFB"/></manifest:encryption-data></manifest:file-entry></manifest:manifest>"#;
        let cut = content("", "<office:text><text:p>正文</text:p><text:p>断");
        let cases: Vec<(Vec<u8>, &str, &str)> = vec![
            (
                odf(&[
                    ("META-INF/manifest.xml", manifest),
                    ("content.xml", "\u{1}\u{2}binary"),
                ]),
                "unreadable.encrypted",
                "ODF 密码保护",
            ),
            (
                odf(&[("content.xml", &cut)]),
                "unreadable.corrupt",
                "content.xml",
            ),
            (
                odf(&[("styles.xml", "<x/>")]),
                "unreadable.corrupt",
                "content.xml",
            ),
            (
                b"This is not a zip file!".to_vec(),
                "unreadable.corrupt",
                "ZIP",
            ),
        ];
        for (bytes, code, mentions) in cases {
            let (r, _) = extract(bytes);
            let err = r.expect_err("broken");
            assert_eq!(err.code, code, "{}", err.message);
            assert!(err.message.contains(mentions), "{}", err.message);
        }
    }
}
