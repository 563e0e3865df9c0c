//! The documented fact vocabulary: what an extractor may say about one file.
//!
//! Every extractor returns the same `Facts` so that the rules (data in `checks/`) can name
//! facts without knowing formats. Text is kept by *part* (body, tables, notes, text boxes,
//! headers/footers, slides, masters, metadata …) because the guide counts some parts and not
//! others, while a label counts wherever a reader sees it. Counts are derived from the parts by
//! [`crate::count`], never by the extractor, so every format counts the same way.

use serde::{Deserialize, Serialize};

use crate::count::Counts;

/// The container or document format, identified by content (see [`crate::identify`]).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    PartialOrd,
    Ord,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Docx,
    Pptx,
    Xlsx,
    Odt,
    Odp,
    Ods,
    Ofd,
    Pdf,
    /// OLE2 compound file (legacy .doc/.ppt/.xls/.wps/.et/.dps).
    Ole,
    Mp4,
    Mkv,
    Avi,
    Flv,
    Asf,
    Mpegts,
    /// MPEG program stream (.mpg/.mpeg/.vob): pack header 00 00 01 BA.
    Mpegps,
    /// RealMedia (.rm/.rmvb): `.RMF` header.
    Rmvb,
    Jpeg,
    Png,
    Gif,
    Bmp,
    Tiff,
    Webp,
    Heic,
    Txt,
    Html,
    Zip,
    SevenZ,
    Rar,
    Empty,
    Unknown,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Pptx => "pptx",
            Format::Xlsx => "xlsx",
            Format::Odt => "odt",
            Format::Odp => "odp",
            Format::Ods => "ods",
            Format::Ofd => "ofd",
            Format::Pdf => "pdf",
            Format::Ole => "ole",
            Format::Mp4 => "mp4",
            Format::Mkv => "mkv",
            Format::Avi => "avi",
            Format::Flv => "flv",
            Format::Asf => "asf",
            Format::Mpegts => "mpegts",
            Format::Mpegps => "mpegps",
            Format::Rmvb => "rmvb",
            Format::Jpeg => "jpeg",
            Format::Png => "png",
            Format::Gif => "gif",
            Format::Bmp => "bmp",
            Format::Tiff => "tiff",
            Format::Webp => "webp",
            Format::Heic => "heic",
            Format::Txt => "txt",
            Format::Html => "html",
            Format::Zip => "zip",
            Format::SevenZ => "7z",
            Format::Rar => "rar",
            Format::Empty => "empty",
            Format::Unknown => "unknown",
        }
    }

    /// The broad kind of resource, which is what roles and the label rule care about.
    pub fn kind(self) -> Kind {
        use Format::*;
        match self {
            Docx | Odt | Ofd | Pdf | Txt | Html => Kind::Document,
            Ole => Kind::Document,
            Pptx | Odp => Kind::Deck,
            Xlsx | Ods => Kind::Sheet,
            Mp4 | Mkv | Avi | Flv | Asf | Mpegts | Mpegps | Rmvb => Kind::Video,
            Jpeg | Png | Gif | Bmp | Tiff | Webp | Heic => Kind::Image,
            Zip | SevenZ | Rar => Kind::Archive,
            Empty | Unknown => Kind::Other,
        }
    }
}

/// The broad kind of a resource.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    PartialOrd,
    Ord,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Document,
    Deck,
    Sheet,
    Video,
    Image,
    Archive,
    Other,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Document => "document",
            Kind::Deck => "deck",
            Kind::Sheet => "sheet",
            Kind::Video => "video",
            Kind::Image => "image",
            Kind::Archive => "archive",
            Kind::Other => "other",
        }
    }
}

/// Where a piece of text sits in the file. `counted()` says which parts make 字数.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    PartialOrd,
    Ord,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PartKind {
    Body,
    Tables,
    Notes,
    TextBoxes,
    HeadersFooters,
    Comments,
    Slides,
    SpeakerNotes,
    Masters,
    Metadata,
    /// Text recognised by OCR in the pixels (scanned PDF pages, photos): searched for labels
    /// ("OCR 识别"), never counted in `words` — its counts are estimates, kept in [`OcrInfo`].
    Ocr,
}

impl PartKind {
    /// Word counts body, tables, footnotes/endnotes and text boxes; a deck's words are its
    /// slides. Headers, footers, comments, masters and metadata are searched, not counted.
    pub fn counted(self) -> bool {
        matches!(
            self,
            PartKind::Body
                | PartKind::Tables
                | PartKind::Notes
                | PartKind::TextBoxes
                | PartKind::Slides
        )
    }

    /// Chinese name used in messages ("页眉页脚").
    pub fn zh(self) -> &'static str {
        match self {
            PartKind::Body => "正文",
            PartKind::Tables => "表格",
            PartKind::Notes => "脚注尾注",
            PartKind::TextBoxes => "文本框",
            PartKind::HeadersFooters => "页眉页脚",
            PartKind::Comments => "批注",
            PartKind::Slides => "幻灯片",
            PartKind::SpeakerNotes => "备注",
            PartKind::Masters => "母版版式",
            PartKind::Metadata => "元数据",
            PartKind::Ocr => "OCR 识别",
        }
    }
}

/// One part's text with its counts. `text` is kept in memory for labels, titles and figures
/// but left out of JSON unless asked for (it can be long).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct Part {
    pub kind: PartKind,
    pub counts: Counts,
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub text: String,
}

/// How a duration was obtained, so a reviewer can weigh it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DurationMethod {
    /// A header field (mvhd, mehd, Segment Info …) that agrees with the index where checked.
    Header,
    /// Sum of sample/fragment durations from the index (trak/stts, moof/trun).
    Index,
    /// First/last timestamps of the stream.
    Timestamps,
    /// Estimated (bitrate × size): never enough for a pass on its own.
    Estimated,
}

/// How far a duration can be trusted for a verdict.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    Default,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Two independent sources agree within a second (header and index/timestamps), or the
    /// one source is the one players use and nothing contradicts it.
    #[default]
    High,
    /// One source only, not cross-checked (a header without an index, timestamps of a stream
    /// without a header), or sources disagreed and the trustworthy one was taken.
    Medium,
    /// An estimate (bitrate × size, a truncated scan): never enough for a pass on its own.
    Low,
}

impl Confidence {
    /// 高 / 中 / 低.
    pub fn zh(self) -> &'static str {
        match self {
            Confidence::High => "高",
            Confidence::Medium => "中",
            Confidence::Low => "低",
        }
    }
}

/// A file's measured duration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Duration {
    pub seconds: f64,
    pub method: DurationMethod,
    /// How far the number can be trusted (see [`Confidence`]).
    #[serde(default)]
    pub confidence: Confidence,
    /// Free text on how it was read ("mvhd", "sum of 8 moof/trun", …).
    pub detail: String,
}

impl Duration {
    /// Whether this duration may decide a pass by itself: not an estimate, not low confidence.
    pub fn decisive(&self) -> bool {
        self.method != DurationMethod::Estimated && self.confidence != Confidence::Low
    }
}

/// The counts a producer recorded in the file itself (Word's `docProps/app.xml`,
/// LibreOffice's `meta.xml`). Information only: often stale.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RecordedStats {
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub words: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub characters: Option<u64>,
    /// Characters without whitespace (LibreOffice's `meta:non-whitespace-character-count`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub characters_no_space: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slides: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub hidden_slides: Option<u64>,
}

/// One metadata field (document property, PDF Info, EXIF tag, MP4 tag …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MetaField {
    pub name: String,
    pub value: String,
}

/// How a label was found.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum LabelMatch {
    /// The label text itself, after normalisation.
    Exact,
    /// Within a small edit distance: reported, but a fail.
    NearMiss,
}

/// A label occurrence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LabelHit {
    /// The label that was looked for.
    pub text: String,
    /// Which part it was seen in (`body`, `headers_footers`, `metadata` …).
    #[serde(rename = "where")]
    pub location: PartKind,
    #[serde(rename = "match")]
    pub matched: LabelMatch,
    /// The text as found (differs from `text` for a near miss).
    pub found: String,
    /// Edit distance for near misses (0 for exact).
    pub distance: usize,
}

/// What went wrong with a file: a stable code (`unreadable.encrypted`; every code is listed in
/// src/codes.rs with its English sentence) and a Chinese message with the details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Problem {
    pub code: String,
    pub message: String,
    /// Set only in an English JSON dossier, where `message` is the English sentence of the
    /// code and this keeps the Chinese message with its details (see [`crate::report::lang`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_zh: Option<String>,
}

impl Problem {
    /// A problem with a code from the registry ([`crate::codes`]) and its Chinese message.
    pub fn new(code: crate::codes::Code, message: impl Into<String>) -> Self {
        Problem {
            code: code.as_str().to_string(),
            message: message.into(),
            message_zh: None,
        }
    }
}

/// What OCR read from a file's pixels (see [`crate::ocr`]). Its counts are estimates
/// (`basis: "ocr"`): they may support a `review`, never a pass on their own.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OcrInfo {
    /// Always `"ocr"`: the counts below come from recognised pixels, not from a text layer.
    pub basis: String,
    /// The engine, its version and model ("tesseract 5.3.0 chi_sim").
    pub engine: String,
    /// PDF pages whose images were recognised (1-based); empty for a photo.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub pages: Vec<u32>,
    /// Scanned pages that were not recognised (unsupported image encoding, limits, failures).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub skipped_pages: Vec<u32>,
    /// Images handed to the engine.
    pub images: u32,
    /// Frames of a recording that were recognised, with what each read (video only).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub frames: Vec<OcrFrame>,
    /// Counts of the recognised text (the `Ocr` part), by the same rule as every other count.
    pub counts: Counts,
}

/// One sampled frame of a recording and the text OCR read in it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OcrFrame {
    /// Seconds from the start.
    pub at: f64,
    pub text: String,
}

/// Compact fingerprints of a photo or a recording, computed in the worker that read the file
/// (see `extract::prints`), so that the audit compares a year's files without reading them
/// again.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Prints {
    /// A photo's perceptual hash (256 bits as 64 hex digits).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub phash: Option<String>,
    /// A photo's small preview (JPEG, longer side 96 px) as a `data:` URI, for the index page.
    /// Left out of the JSON dossier.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub thumb: Option<String>,
    /// A recording's sample sketch: the smallest hashes of 32-byte windows of four slices of
    /// its data, in hex (not a hash of the whole file).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub sketch: Vec<String>,
}

/// Everything read from one file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Facts {
    /// Counts over the counted parts (the 字数 a reviewer compares with Word).
    #[serde(flatten)]
    pub counts: Counts,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slides: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hidden_slides: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_s: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<Duration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// The document's title: metadata title or first non-empty line of the body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// When a photo was taken (EXIF DateTimeOriginal, else XMP), as `YYYY-MM-DD HH:MM:SS`
    /// (local camera time, no zone), so a reviewer can see it falls in the project period.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub taken_at: Option<String>,
    /// When the document itself says it was last modified (DOCX/ODT properties, PDF ModDate),
    /// as `YYYY-MM-DDTHH:MM:SS`, in UTC when the source gave a zone: orders versions of one
    /// deliverable when their names do not (DESIGN.md, policy rule 8).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub modified: Option<String>,
    /// When the file says it was made (DOCX/ODF `created`, PDF CreationDate, the creation
    /// time of an MP4/MOV movie header or an MKV segment), as [`Facts::modified`]: the audit
    /// compares it with the project period (issue #16).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub created: Option<String>,
    /// What the audit's cross-submission pass compares (see [`Prints`]); only when asked
    /// for (`Limits::prints`, set by `yanshou audit`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub prints: Option<Prints>,
    /// Page numbers (1-based) that carry no text layer (scans).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub scanned_pages: Vec<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded: Option<RecordedStats>,
    pub parts: Vec<Part>,
    /// Tables as rows of cells (spreadsheets, DOCX/ODT tables), for measures that need columns
    /// (the expert list's names and titles). Their text is also in the `Tables` part.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub tables: Vec<Sheet>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub metadata: Vec<MetaField>,
    /// The resource kind when the container format does not tell it (an OLE file is a
    /// document, a deck or a sheet depending on its streams). `None`: the format's kind.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub kind_override: Option<Kind>,
    pub labels: Vec<LabelHit>,
    /// What OCR read, when it ran (`--ocr`): estimates, never counted in `counts`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub ocr: Option<OcrInfo>,
}

impl Facts {
    /// Appends text to the part of that kind (creating it), so extractors can stream text in.
    pub fn push_text(&mut self, kind: PartKind, text: &str) {
        if text.is_empty() {
            return;
        }
        match self.parts.iter_mut().find(|p| p.kind == kind) {
            Some(part) => part.text.push_str(text),
            None => self.parts.push(Part {
                kind,
                counts: Counts::default(),
                text: text.to_string(),
            }),
        }
    }

    pub fn add_meta(&mut self, name: &str, value: &str) {
        let value = value.trim();
        if !value.is_empty() {
            self.metadata.push(MetaField {
                name: name.to_string(),
                value: value.to_string(),
            });
        }
    }

    /// Text of the counted parts, in part order.
    pub fn counted_text(&self) -> String {
        let mut out = String::new();
        for part in self.parts.iter().filter(|p| p.kind.counted()) {
            out.push_str(&part.text);
            out.push('\n');
        }
        out
    }

    /// All text a reader could see, including headers, masters and metadata values.
    pub fn all_text(&self) -> String {
        let mut out = self.counted_text();
        for part in self.parts.iter().filter(|p| !p.kind.counted()) {
            out.push_str(&part.text);
            out.push('\n');
        }
        out
    }

    /// Computes per-part and total counts from the text. Called once after extraction.
    pub fn finish_counts(&mut self) {
        self.parts.sort_by_key(|p| p.kind);
        let mut total = Counts::default();
        for part in &mut self.parts {
            part.counts = crate::count::count(&part.text);
            if part.kind.counted() {
                total.add(&part.counts);
            }
        }
        self.counts = total;
        if self.duration_s.is_none() {
            self.duration_s = self.duration.as_ref().map(|d| d.seconds);
        }
        if self.title.is_none() {
            self.title = first_line(&self.counted_text());
        }
    }
}

/// A document date (`2025-08-20T09:00:00Z`, `2025-08-20T17:00:00+08:00`, PDF's
/// `D:20250820170000+08'00'`) as `YYYY-MM-DDTHH:MM:SS`, moved to UTC when a zone is given, so
/// dates written by different programs compare as strings. `None` when it is no date.
pub fn normalize_date(s: &str) -> Option<String> {
    let s = s.trim();
    let s = s.strip_prefix("D:").unwrap_or(s);
    let digits: String = s
        .chars()
        .take_while(|c| c.is_ascii_digit() || "-:T ".contains(*c))
        .collect();
    let d: Vec<u32> = {
        let only: String = digits.chars().filter(char::is_ascii_digit).collect();
        let take = |a: usize, b: usize| only.get(a..b).and_then(|x| x.parse().ok());
        let year = take(0, 4)?;
        vec![
            year,
            take(4, 6).unwrap_or(1),
            take(6, 8).unwrap_or(1),
            take(8, 10).unwrap_or(0),
            take(10, 12).unwrap_or(0),
            take(12, 14).unwrap_or(0),
        ]
    };
    if !(1900..=2200).contains(&d[0]) || !(1..=12).contains(&d[1]) || !(1..=31).contains(&d[2]) {
        return None;
    }
    let rest = &s[digits.len().min(s.len())..];
    // Zone: Z, +hh:mm, +hh'mm', -hhmm.
    let offset_min: i64 = match rest.chars().next() {
        Some(sign @ ('+' | '-')) => {
            let n: String = rest
                .chars()
                .skip(1)
                .filter(char::is_ascii_digit)
                .take(4)
                .collect();
            let h: i64 = n.get(0..2).and_then(|x| x.parse().ok()).unwrap_or(0);
            let m: i64 = n.get(2..4).and_then(|x| x.parse().ok()).unwrap_or(0);
            let o = h * 60 + m;
            if sign == '-' { -o } else { o }
        }
        _ => 0,
    };
    // Days since 1970 (civil from days, Howard Hinnant's algorithm), then shift by the zone.
    let days = |y: i64, m: i64, d: i64| -> i64 {
        let y = if m <= 2 { y - 1 } else { y };
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    };
    let minutes = days(i64::from(d[0]), i64::from(d[1]), i64::from(d[2])) * 1440
        + i64::from(d[3]) * 60
        + i64::from(d[4])
        - offset_min;
    let (day, min) = (minutes.div_euclid(1440), minutes.rem_euclid(1440));
    let (yy, mm, dd) = crate::units::Day(day).ymd();
    Some(format!(
        "{yy:04}-{mm:02}-{dd:02}T{:02}:{:02}:{:02}",
        min / 60,
        min % 60,
        d[5]
    ))
}

/// Unix seconds as `YYYY-MM-DDTHH:MM:SS` (UTC), the form of [`normalize_date`]; `None`
/// outside the years a document can have been made.
pub fn unix_date(secs: i64) -> Option<String> {
    let (day, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = crate::units::Day(day).ymd();
    (1990..=2200).contains(&y).then(|| {
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
            rem / 3600,
            (rem / 60) % 60,
            rem % 60
        )
    })
}

/// First line with some letters, trimmed and capped, used as a title when metadata has none.
pub fn first_line(text: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .find(|l| l.chars().any(|c| c.is_alphanumeric()))
        .map(|l| l.chars().take(80).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let table: &[(&str, Option<&str>)] = &[
            ("2025-08-20T09:00:00Z", Some("2025-08-20T09:00:00")),
            ("2025-08-20T17:00:00+08:00", Some("2025-08-20T09:00:00")),
            ("D:20250820170000+08'00'", Some("2025-08-20T09:00:00")),
            ("D:20250101030000+08'00'", Some("2024-12-31T19:00:00")),
            ("2025-08-20", Some("2025-08-20T00:00:00")),
            ("D:20250820090000Z", Some("2025-08-20T09:00:00")),
            ("not a date", None),
        ];
        for (s, want) in table {
            assert_eq!(normalize_date(s).as_deref(), *want, "{s}");
        }
        let unix: &[(i64, Option<&str>)] = &[
            (1_752_832_800, Some("2025-07-18T10:00:00")),
            (0, None),
            (978_307_200, Some("2001-01-01T00:00:00")),
        ];
        for (secs, want) in unix {
            assert_eq!(unix_date(*secs).as_deref(), *want, "{secs}");
        }
    }
}

/// One table: a worksheet, or a table in a document (named `表1`, `表2` … when it has no name).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<String>>,
}
