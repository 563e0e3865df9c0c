//! PDF extractor: pages, text per page (body vs running headers/footers), scanned pages,
//! undecodable text, Info/XMP metadata.
//!
//! **Choice: lopdf + our own text layer, not pdf_oxide.** DESIGN.md measured lopdf 0.47's
//! `extract_text` failing on GBK-EUC-H without ToUnicode, on form XObjects and on fonts whose
//! `/Encoding` it reads before `/ToUnicode`, while pdf_oxide 0.3 got every case right but builds
//! in ~250 s (release) and ships a new 0.3.x every few days (0.3.78 when this was written).
//! All those failures are in lopdf's *text* layer, not in its parser: objects, streams, filters,
//! encryption (RC4, AES-128, AES-256, empty user password) and content-operator parsing are
//! sound and bounded (decompression limit). So lopdf (already a dependency) loads the file, and
//! a small text layer sits on top (about 2,000 lines plus tests, split by concern):
//! `content` runs content streams, forms and annotation appearances; `layout` turns placed
//! glyphs into lines and word gaps; `font` decodes codes (ToUnicode first), with `cmap`
//! (CMap streams), `charset` (predefined CJK CMaps and GBK-under-WinAnsi decoded by
//! `encoding_rs`, no CID tables), `embedded` (Type 1 built-in encodings; TrueType `cmap` via
//! ttf-parser for Identity-H without ToUnicode) and `encoding` (simple-font tables).
//!
//! Verified on the corpus before committing to it (tests/pdf_corpus.rs, benches/corpus_text.rs):
//! the Han count equals pdftotext's on every file where pdftotext reads the text right (Test.pdf
//! 4931, issue-914 579, xbrl-001 206, issue12823 86 …), non-CJK words within 0.2%, and the GBK
//! files pdftotext turns into mojibake come out as Chinese (XiaoBiaoSong 207, SimFang 10). It
//! runs faster than a pdftotext subprocess, and the whole layer costs seconds of build time
//! instead of pdf_oxide's minutes. The price is owning a text layer; it is table-tested with
//! synthetic PDFs (`tests`) so a regression shows up without the corpus.
//!
//! Running headers/footers are found by repetition and by tagged pagination artifacts
//! (`running`); Info/XMP in `meta`. Encrypted files are opened with the empty user password
//! (owner-restricted PDFs are read); otherwise the file is `unreadable.encrypted`.

mod charset;
pub(crate) mod cid_unicode;
mod cmap;
mod content;
mod embedded;
mod encoding;
mod font;
mod layout;
mod meta;
mod objects;
mod running;
#[cfg(test)]
mod tests;

use lopdf::{Document, LoadOptions};

use crate::extract::Extractor;
use crate::facts::{Facts, Format, PartKind, Problem};
use crate::input::{Input, Limits};

pub(crate) struct PdfExtractor;

/// Operators one document may run (a hostile file can nest forms to multiply work).
const MAX_OPS: u64 = 200_000_000;

impl Extractor for PdfExtractor {
    fn name(&self) -> &'static str {
        "pdf"
    }

    fn formats(&self) -> &'static [Format] {
        &[Format::Pdf]
    }

    fn extract(
        &self,
        input: &Input,
        limits: &Limits,
        warnings: &mut Vec<Problem>,
    ) -> Result<Facts, Problem> {
        let bytes = input.read_all(limits.max_document_bytes)?;
        let stream_limit = usize::try_from(limits.max_xml_bytes).unwrap_or(usize::MAX);
        let doc = load(&bytes, stream_limit)?;
        drop(bytes);
        extract_doc(&doc, limits, warnings)
    }
}

/// Loads a PDF, opening it with the empty user password if it is encrypted.
pub(crate) fn load(bytes: &[u8], stream_limit: usize) -> Result<Document, Problem> {
    let options = LoadOptions {
        max_decompressed_size: Some(stream_limit),
        ..LoadOptions::default()
    };
    match Document::load_mem_with_options(bytes, options) {
        Ok(doc) => {
            if doc.trailer.has(b"Encrypt") && doc.encryption_state.is_none() {
                return Err(encrypted(&doc));
            }
            Ok(doc)
        }
        Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { limit })) => {
            Err(Problem::new(
                crate::codes::LIMIT_DECOMPRESSED,
                format!("PDF 中的数据流解压后超过上限（{limit} 字节，疑似压缩炸弹），未读取"),
            ))
        }
        Err(e) => {
            if has_encrypt_entry(bytes) {
                return Err(encrypted_unloaded(&e));
            }
            Err(corrupt(&e))
        }
    }
}

fn corrupt(e: &lopdf::Error) -> Problem {
    Problem::new(
        crate::codes::UNREADABLE_CORRUPT,
        format!("PDF 文件已损坏，无法解析（{e}），请重新导出或提供完好的文件"),
    )
}

const ENCRYPTED: &str = "PDF 已加密（需要打开密码），请提供未加密版本";

/// A document that loaded but could not be decrypted with the empty password.
fn encrypted(doc: &Document) -> Problem {
    match doc.authenticate_password("") {
        Err(e) => encrypted_unloaded(&e),
        Ok(()) => Problem::new(crate::codes::UNREADABLE_ENCRYPTED, ENCRYPTED),
    }
}

/// The encryption problem for a load or authentication error: a wrong (empty) password is
/// the plain message; a cipher lopdf cannot decrypt says so.
fn encrypted_unloaded(e: &lopdf::Error) -> Problem {
    use lopdf::encryption::DecryptionError as D;
    match e {
        // `NotEncrypted`: lopdf's own loader already gave up on the empty password and left the
        // document as it was; saying "not encrypted" next to "encrypted" would only confuse.
        lopdf::Error::InvalidPassword
        | lopdf::Error::NotEncrypted
        | lopdf::Error::Decryption(D::IncorrectPassword) => {
            Problem::new(crate::codes::UNREADABLE_ENCRYPTED, ENCRYPTED)
        }
        lopdf::Error::Decryption(
            d @ (D::UnsupportedEncryption | D::UnsupportedVersion | D::UnsupportedRevision),
        ) => {
            let what = match d {
                D::UnsupportedVersion => "加密版本 /V 不受支持",
                D::UnsupportedRevision => "加密修订号 /R 不受支持",
                _ => "加密方案不受支持",
            };
            Problem::new(
                crate::codes::UNREADABLE_ENCRYPTED,
                format!("PDF 已加密，且使用了本工具无法解密的加密方式（{what}），请提供未加密版本"),
            )
        }
        other => Problem::new(
            crate::codes::UNREADABLE_ENCRYPTED,
            format!("{ENCRYPTED}（无法解密：{other}）"),
        ),
    }
}

/// Whether the trailer area names an `/Encrypt` dictionary (for files lopdf could not load).
fn has_encrypt_entry(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(64 * 1024)..];
    tail.windows(8).any(|w| w == b"/Encrypt")
}

/// The facts of a loaded document.
fn extract_doc(
    doc: &Document,
    limits: &Limits,
    warnings: &mut Vec<Problem>,
) -> Result<Facts, Problem> {
    let stream_limit = usize::try_from(limits.max_xml_bytes).unwrap_or(usize::MAX);
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(Problem::new(
            crate::codes::UNREADABLE_CORRUPT,
            "PDF 文件已损坏：找不到任何页面，请重新导出或提供完好的文件",
        ));
    }
    let mut facts = Facts {
        pages: u32::try_from(pages.len()).ok(),
        ..Facts::default()
    };
    meta::read(doc, &mut facts, stream_limit);
    if doc.xref_recovery == Some(lopdf::xref::XrefRecovery::Reconstructed) {
        warnings.push(Problem::new(
            crate::codes::PDF_REPAIRED,
            "PDF 文件结构已损坏（交叉引用表缺失或错误，文件可能被截断），已尽量修复读取，页数和字数可能不完整，需人工复核",
        ));
    }

    let mut texter = content::Texter::new(
        doc,
        stream_limit,
        MAX_OPS,
        limits.max_xml_bytes.saturating_mul(4),
    );
    let texts: Vec<content::PageText> = pages.values().map(|id| texter.page(*id)).collect();
    if texter.exhausted {
        warnings.push(Problem::new(
            crate::codes::LIMIT_PDF_CONTENT,
            "PDF 内容超出处理上限（内容流过大或嵌套过深），只读取了部分文字，字数可能偏低，需人工复核",
        ));
    }

    // Scanned pages: no text layer where something is drawn.
    let scanned: Vec<u32> = texts
        .iter()
        .enumerate()
        .filter(|(_, t)| is_scanned(t))
        .filter_map(|(i, _)| u32::try_from(i + 1).ok())
        .collect();
    if !scanned.is_empty() {
        let list: Vec<String> = scanned.iter().map(|p| p.to_string()).collect();
        warnings.push(Problem::new(
            crate::codes::SCANNED_PAGES,
            format!(
                "第 {} 页没有文字层（疑似扫描件），字数需人工复核",
                list.join("、")
            ),
        ));
    }
    facts.scanned_pages = scanned;

    // Undecodable text: codes no map covers, or Latin-1 readings of what is likely GBK. CID
    // glyphs are text (a few are enough to warn); simple-font glyphs without a name we know
    // are often bullets and symbols, so they must be 1% of the text (CID ones 0.1%).
    let glyphs: usize = texts.iter().map(|t| t.chars + t.undecodable).sum();
    let undecodable: usize = texts.iter().map(|t| t.undecodable).sum();
    let undecodable_cid: usize = texts.iter().map(|t| t.undecodable_cid).sum();
    let suspect_page = texts
        .iter()
        .any(|t| t.suspect >= 10 && t.suspect * 2 > t.chars);
    if (undecodable_cid >= 2 && undecodable_cid * 1000 >= glyphs)
        || (undecodable >= 5 && undecodable * 100 >= glyphs)
        || (undecodable >= 2 && undecodable * 10 > glyphs)
        || suspect_page
    {
        warnings.push(Problem::new(
            crate::codes::TEXT_UNDECODABLE,
            "部分文字无法解码（字体缺少 ToUnicode），字数可能偏低，需人工复核",
        ));
    }

    // Body vs running headers/footers.
    let lines: Vec<Vec<layout::Line>> = texts.into_iter().map(|t| t.lines).collect();
    let marks = running::mark(&lines);
    let mut body = String::new();
    let mut hf = String::new();
    for (page, page_marks) in lines.iter().zip(&marks) {
        let mut hyphenated = false;
        for (line, &is_hf) in page.iter().zip(page_marks) {
            if is_hf {
                hf.push_str(&line.text);
                hf.push('\n');
                continue;
            }
            // A Latin word broken at the line end ("manip-" / "ulation") is one word, as in
            // the source document and in pdftotext's output.
            if hyphenated && line.text.starts_with(|c: char| c.is_ascii_lowercase()) {
                body.pop(); // the newline
                body.pop(); // the hyphen
            }
            body.push_str(&line.text);
            body.push('\n');
            hyphenated = ends_with_broken_word(&line.text);
        }
    }
    facts.push_text(PartKind::Body, &body);
    facts.push_text(PartKind::HeadersFooters, &hf);
    if facts.title.is_none()
        && let (Some(page), Some(page_marks)) = (lines.first(), marks.first())
    {
        facts.title = display_title(page, page_marks);
    }
    Ok(facts)
}

/// The title as a reader sees it: the first run of lines on page 1 set in the largest type,
/// when that type stands out (≥ 1.15 × the page's usual size, or ≥ 16 pt). A vertical title set one
/// character per line ("竞/争/性…") reads as one string. `None` leaves the first body line.
fn display_title(page: &[layout::Line], marks: &[bool]) -> Option<String> {
    let body: Vec<&layout::Line> = page
        .iter()
        .zip(marks)
        .filter(|(_, hf)| !**hf)
        .map(|(l, _)| l)
        .collect();
    let max = body.iter().map(|l| l.size).fold(0.0f32, f32::max);
    // The usual size: the median over characters.
    let mut sizes: Vec<(f32, usize)> = body
        .iter()
        .map(|l| (l.size, l.text.chars().count()))
        .collect();
    sizes.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: usize = sizes.iter().map(|s| s.1).sum();
    let mut seen = 0;
    let median = sizes
        .iter()
        .find(|s| {
            seen += s.1;
            seen * 2 >= total
        })
        .map(|s| s.0)?;
    // A cover page set all in display type (≥ 16 pt) counts too.
    if max < median * 1.15 && max < 16.0 {
        return None;
    }
    let mut title = String::new();
    let mut started = false;
    for line in &body {
        let big = line.size >= max * 0.95;
        if big {
            let joins_cjk = title
                .chars()
                .last()
                .is_some_and(crate::count::is_east_asian)
                && line
                    .text
                    .chars()
                    .next()
                    .is_some_and(crate::count::is_east_asian);
            if started && !joins_cjk {
                title.push(' ');
            }
            title.push_str(line.text.trim());
            started = true;
        } else if started {
            break;
        }
    }
    let title: String = title.chars().take(80).collect();
    (title.chars().filter(|c| !c.is_whitespace()).count() >= 2).then_some(title)
}

/// Whether a line ends with a letter and a hyphen (a word broken across lines).
fn ends_with_broken_word(line: &str) -> bool {
    let mut rev = line.chars().rev();
    rev.next() == Some('-') && rev.next().is_some_and(|c| c.is_ascii_alphabetic())
}

/// A page with no text layer: fewer than 5 characters (and not because they could not be
/// decoded) while it draws an image or many paths (outlined text). A blank page is not a scan.
fn is_scanned(t: &content::PageText) -> bool {
    t.chars < 5 && t.undecodable < 5 && (t.images > 0 || t.paths >= 50)
}

/// For the `pdf_text` fuzz target ([`crate::fuzzing::pdf_text`]): runs the text layer on a
/// document built in memory (no serialising, so lopdf's parser is not what gets fuzzed) from
/// a content stream, a ToUnicode CMap, an encoding CMap and a form's content stream. Two
/// pages show the same content, so running-header detection runs too.
#[cfg(feature = "fuzzing")]
pub(crate) fn fuzz_text_layer(
    content: &[u8],
    to_unicode: &[u8],
    encoding: &[u8],
    form: &[u8],
    limits: &Limits,
) {
    use lopdf::{Dictionary, Object, Stream, dictionary};
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let tu = doc.add_object(Stream::new(Dictionary::new(), to_unicode.to_vec()));
    let cid_font = |doc: &mut Document| {
        doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "SimSun",
            "CIDSystemInfo" => dictionary! {
                "Registry" => Object::string_literal("Adobe"),
                "Ordering" => Object::string_literal("GB1"), "Supplement" => 2 },
            "DW" => 1000,
            "W" => vec![1.into(), vec![500.into(), 1000.into()].into()],
        })
    };
    let desc = cid_font(&mut doc);
    let enc: Object = if encoding.is_empty() {
        Object::Name(b"Identity-H".to_vec())
    } else {
        doc.add_object(Stream::new(
            dictionary! { "Type" => "CMap", "CMapName" => "Fuzz-H" },
            encoding.to_vec(),
        ))
        .into()
    };
    let f1 = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "SimSun",
        "Encoding" => enc, "DescendantFonts" => vec![desc.into()], "ToUnicode" => tu,
    });
    let f2 = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "ABCDEF+Custom",
        "Encoding" => dictionary! { "Type" => "Encoding", "BaseEncoding" => "WinAnsiEncoding",
            "Differences" => vec![65.into(), Object::Name(b"uni4E2D".to_vec()), Object::Name(b"eacute".to_vec())] },
        "FirstChar" => 32, "LastChar" => 126,
        "Widths" => vec![Object::Integer(600); 95], "ToUnicode" => tu,
    });
    let f3 = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "TrueType", "BaseFont" => "SimSun",
    });
    let desc4 = cid_font(&mut doc);
    let f4 = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "SimSun",
        "Encoding" => "GBK-EUC-H", "DescendantFonts" => vec![desc4.into()],
    });
    let form_id = doc.new_object_id();
    let resources = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => f1, "F2" => f2, "F3" => f3, "F4" => f4 },
        "XObject" => dictionary! { "Fm1" => form_id },
    });
    doc.objects.insert(
        form_id,
        Object::Stream(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Form",
                "BBox" => vec![0.into(), 0.into(), 600.into(), 800.into()],
                "Resources" => resources,
            },
            form.to_vec(),
        )),
    );
    let mut kids = Vec::new();
    for _ in 0..2 {
        let c = doc.add_object(Stream::new(Dictionary::new(), content.to_vec()));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => c, "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        kids.push(page.into());
    }
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => 2 }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let _ = extract_doc(&doc, limits, &mut Vec::new());
}
