//! Synthetic PDFs built with lopdf's writer, one per text-layer feature: each case is a font
//! set-up and a content stream, and the text we must read back. They run without the corpus
//! and without any external tool.

use lopdf::{Dictionary, Document, Object, Stream, dictionary};

use crate::extract::{Extraction, extract};
use crate::facts::{Facts, Format, PartKind, Problem};
use crate::input::{Input, Limits};

/// A font set-up for a case.
enum F {
    /// Helvetica, WinAnsi, with real widths (600 for every code).
    Latin,
    /// Type1 with `/Differences` naming `uni4E2D` at 65 and `eacute` at 66.
    Differences,
    /// Type0 Identity-H with a ToUnicode map <0001>→中 <0002>→文 <0003>→space.
    IdentityToUnicode,
    /// Type0 Identity-H without ToUnicode, ordering Adobe-Identity.
    IdentityBare,
    /// Type0 with a predefined CMap and no ToUnicode.
    Predefined(&'static str),
}

fn font(doc: &mut Document, f: &F) -> Object {
    // The bare Identity font names no registered collection (Adobe-Identity), so nothing
    // maps its CIDs; under Adobe-GB1 they would decode through Adobe's table.
    let ordering = if matches!(f, F::IdentityBare) {
        "Identity"
    } else {
        "GB1"
    };
    let cid_font = |doc: &mut Document| {
        doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "SimSun",
            "CIDSystemInfo" => dictionary! {
                "Registry" => Object::string_literal("Adobe"),
                "Ordering" => Object::string_literal(ordering), "Supplement" => 2 },
            "DW" => 1000,
        })
    };
    let id = match f {
        F::Latin => doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding", "FirstChar" => 32, "LastChar" => 126,
            "Widths" => vec![Object::Integer(600); 95],
        }),
        F::Differences => doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "ABCDEF+Custom",
            "Encoding" => dictionary! { "Type" => "Encoding", "BaseEncoding" => "WinAnsiEncoding",
                "Differences" => vec![65.into(), Object::Name(b"uni4E2D".to_vec()), Object::Name(b"eacute".to_vec())] },
            "FirstChar" => 32, "LastChar" => 126,
            "Widths" => vec![Object::Integer(1000); 95],
        }),
        F::IdentityToUnicode | F::IdentityBare => {
            let desc = cid_font(doc);
            let mut d = dictionary! {
                "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "SimSun",
                "Encoding" => "Identity-H", "DescendantFonts" => vec![desc.into()],
            };
            if matches!(f, F::IdentityToUnicode) {
                let cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
                    1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
                    3 beginbfchar <0001> <4E2D> <0002> <6587> <0003> <0020> endbfchar\n\
                    endcmap end end";
                let tu = doc.add_object(Stream::new(Dictionary::new(), cmap.to_vec()));
                d.set("ToUnicode", tu);
            }
            doc.add_object(d)
        }
        F::Predefined(name) => {
            let desc = cid_font(doc);
            doc.add_object(dictionary! {
                "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "SimSun",
                "Encoding" => Object::Name(name.as_bytes().to_vec()),
                "DescendantFonts" => vec![desc.into()],
            })
        }
    };
    id.into()
}

/// Builds a PDF: every page gets the same fonts (`/F1` …) and XObjects.
fn build(fonts: &[F], forms: &[&[u8]], pages: &[&[u8]]) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut font_dict = Dictionary::new();
    for (i, f) in fonts.iter().enumerate() {
        let obj = font(&mut doc, f);
        font_dict.set(format!("F{}", i + 1), obj);
    }
    let mut xobjects = Dictionary::new();
    // Forms get ids first so a form can draw another (or itself) by name.
    let form_ids: Vec<_> = forms.iter().map(|_| doc.new_object_id()).collect();
    for (i, id) in form_ids.iter().enumerate() {
        xobjects.set(format!("X{}", i + 1), *id);
    }
    let resources = doc.add_object(dictionary! {
        "Font" => font_dict,
        "XObject" => xobjects,
    });
    for (content, id) in forms.iter().zip(&form_ids) {
        let dict = dictionary! {
            "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 600.into(), 800.into()],
            "Resources" => resources,
        };
        doc.objects
            .insert(*id, Object::Stream(Stream::new(dict, content.to_vec())));
    }
    let mut kids = Vec::new();
    for content in pages {
        let c = doc.add_object(Stream::new(Dictionary::new(), content.to_vec()));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => c,
            "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        kids.push(page.into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save");
    out
}

fn read(bytes: Vec<u8>) -> (Facts, Vec<Problem>) {
    let input = Input::from_bytes(bytes, "t.pdf");
    let mut w = Vec::new();
    match extract(&input, Format::Pdf, &Limits::default(), &mut w) {
        Extraction::Read(f) => (f, w),
        other => panic!("{other:?}"),
    }
}

fn body(f: &Facts) -> String {
    f.parts
        .iter()
        .filter(|p| p.kind != PartKind::Metadata)
        .map(|p| p.text.trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn text_layer_cases() {
    let cases: &[(&str, F, &[u8], &str)] = &[
        (
            "Tj",
            F::Latin,
            b"BT /F1 10 Tf 72 700 Td (Hello World) Tj ET",
            "Hello World",
        ),
        (
            "TJ kerning joins, a big adjustment separates",
            F::Latin,
            b"BT /F1 10 Tf 72 700 Td [(Hel) 20 (lo) -400 (World)] TJ ET",
            "Hello World",
        ),
        (
            "separate Td on one baseline with a gap",
            F::Latin,
            b"BT /F1 10 Tf 72 700 Td (abc) Tj 30 0 Td (def) Tj ET",
            "abc def",
        ),
        (
            "adjacent Td without a gap",
            F::Latin,
            b"BT /F1 10 Tf 72 700 Td (ab) Tj 12 0 Td (cd) Tj ET",
            "abcd",
        ),
        (
            "moving down starts a line; T* and '",
            F::Latin,
            b"BT /F1 10 Tf 14 TL 72 700 Td (one) Tj T* (two) Tj (three) ' ET",
            "one\ntwo\nthree",
        ),
        (
            "Tm and cm scale",
            F::Latin,
            b"q 2 0 0 2 0 0 cm BT /F1 5 Tf 1 0 0 1 36 350 Tm (Scaled text) Tj ET Q",
            "Scaled text",
        ),
        (
            "Differences with glyph names",
            F::Differences,
            b"BT /F1 10 Tf 72 700 Td (AB) Tj ET",
            "中é",
        ),
        (
            "Identity-H with ToUnicode",
            F::IdentityToUnicode,
            b"BT /F1 10 Tf 72 700 Td <000100020003000100020001> Tj ET",
            "中文 中文中",
        ),
        (
            "GBK-EUC-H without ToUnicode",
            F::Predefined("GBK-EUC-H"),
            b"BT /F1 10 Tf 72 700 Td <D6D0CEC4> Tj ET",
            "中文",
        ),
        (
            "GBK-EUC-H mixed single-byte",
            F::Predefined("GBKp-EUC-H"),
            b"BT /F1 10 Tf 72 700 Td <41D6D0> Tj ET",
            "A中",
        ),
        (
            "UniGB-UCS2-H",
            F::Predefined("UniGB-UCS2-H"),
            b"BT /F1 10 Tf 72 700 Td <4E2D6587> Tj ET",
            "中文",
        ),
        (
            "vertical writing (-V CMap): a column reads as one line",
            F::Predefined("UniGB-UCS2-V"),
            b"BT /F1 10 Tf 300 700 Td <4E2D6587> Tj ET BT /F1 10 Tf 280 700 Td <5B57> Tj ET",
            "中文\n字",
        ),
        (
            "fake bold: the same string drawn twice",
            F::IdentityToUnicode,
            b"BT /F1 10 Tf 72 700 Td <00010002> Tj ET BT /F1 10 Tf 72.3 700 Td <00010002> Tj ET",
            "中文",
        ),
        (
            "text outside the page is dropped",
            F::Latin,
            b"BT /F1 10 Tf 72 700 Td (in) Tj ET BT /F1 10 Tf 2000 700 Td (out) Tj ET",
            "in",
        ),
    ];
    for (name, f, content, want) in cases {
        let bytes = build(std::slice::from_ref(f), &[], &[content]);
        let (facts, w) = read(bytes);
        assert_eq!(body(&facts), *want, "{name}");
        assert!(w.is_empty(), "{name}: {w:?}");
    }
}

#[test]
fn pagination_artifacts_are_headers_footers() {
    // One page (no repetition to go by): the tagged header and footer still leave the body.
    let bytes = build(
        &[F::Latin],
        &[],
        &[b"/Artifact <</Type /Pagination /Subtype /Header>> BDC BT /F1 10 Tf 72 800 Td (Running head) Tj ET EMC \
            /P <</MCID 0>> BDC BT /F1 10 Tf 72 700 Td (Body text) Tj ET EMC \
            /Artifact <</Type /Pagination /Subtype /Footer>> BDC BT /F1 10 Tf 72 40 Td (Footer words) Tj ET EMC \
            /Artifact <</Type /Layout>> BDC BT /F1 10 Tf 72 600 Td (Layout artifact) Tj ET EMC"],
    );
    let (facts, _) = read(bytes);
    let text = |k: PartKind| {
        facts
            .parts
            .iter()
            .find(|p| p.kind == k)
            .map(|p| p.text.clone())
            .unwrap_or_default()
    };
    assert_eq!(text(PartKind::Body), "Body text\nLayout artifact\n");
    assert_eq!(
        text(PartKind::HeadersFooters),
        "Running head\nFooter words\n"
    );
}

#[test]
fn form_xobjects() {
    // Page draws X1, which draws X2 (and itself: the cycle is cut).
    let bytes = build(
        &[F::IdentityToUnicode],
        &[
            b"BT /F1 10 Tf 72 700 Td <0001> Tj ET /X2 Do /X1 Do",
            b"BT /F1 10 Tf 72 600 Td <0002> Tj ET",
        ],
        &[b"q 1 0 0 1 0 0 cm /X1 Do Q"],
    );
    let (facts, _) = read(bytes);
    assert_eq!(body(&facts), "中\n文");
}

#[test]
fn undecodable_warns() {
    let bytes = build(
        &[F::IdentityBare],
        &[],
        &[b"BT /F1 10 Tf 72 700 Td <0001000200030004000500060007> Tj ET"],
    );
    let (facts, w) = read(bytes);
    assert_eq!(facts.counts.words, 0);
    assert!(w.iter().any(|p| p.code == "text.undecodable"), "{w:?}");
    // Not a scan: the page has a text layer we cannot read.
    assert!(facts.scanned_pages.is_empty());
}

#[test]
fn scanned_and_blank_pages() {
    let image = b"q 100 0 0 100 0 0 cm BI /W 1 /H 1 /CS /G /BPC 8 ID \x80 EI Q";
    let text = b"BT /F1 10 Tf 72 700 Td (Some text on this page) Tj ET";
    let bytes = build(&[F::Latin], &[], &[image, text, b"", image]);
    let (facts, w) = read(bytes);
    assert_eq!(facts.pages, Some(4));
    // The blank page 3 is not a scan.
    assert_eq!(facts.scanned_pages, vec![1, 4]);
    let msg = &w
        .iter()
        .find(|p| p.code == "scanned.pages")
        .expect("warning")
        .message;
    assert_eq!(msg, "第 1、4 页没有文字层（疑似扫描件），字数需人工复核");
}

#[test]
fn broken_content_streams_do_not_fail() {
    let cases: &[&[u8]] = &[
        b"BT /F1 10 Tf 72 700 Td (unterminated",
        b"BT /F9 10 Tf 72 700 Td (no such font) Tj ET",
        b"BT (no font set) Tj ET",
        b"BT /F1 10 Tf 1 0 0 Tm (short Tm) Tj ET",
        b"q q q Q Q Q Q Q Q cm cm Td TJ Tj ' \" Do",
        b"BT /F1 1e38 Tf 1e38 0 0 1e38 1e38 1e38 Tm (huge) Tj ET",
        b"/X9 Do",
    ];
    for content in cases {
        let bytes = build(&[F::Latin], &[], &[content]);
        let _ = read(bytes);
    }
}

#[test]
fn unknown_cipher_says_so() {
    let mut bytes = build(
        &[F::Latin],
        &[],
        &[b"BT /F1 10 Tf 72 700 Td (secret) Tj ET"],
    );
    // Re-save with an /Encrypt dictionary of a revision no reader implements.
    let mut doc = Document::load_mem(&bytes).expect("load");
    let enc = doc.add_object(dictionary! {
        "Filter" => "Standard", "V" => 9, "R" => 9, "Length" => 256,
        "O" => Object::string_literal(vec![0u8; 48]), "U" => Object::string_literal(vec![0u8; 48]),
        "P" => -4,
    });
    doc.trailer.set("Encrypt", enc);
    doc.trailer.set(
        "ID",
        vec![
            Object::string_literal(vec![1u8; 16]),
            Object::string_literal(vec![1u8; 16]),
        ],
    );
    bytes.clear();
    doc.save_to(&mut bytes).expect("save");
    let input = Input::from_bytes(bytes, "enc.pdf");
    let mut w = Vec::new();
    match extract(&input, Format::Pdf, &Limits::default(), &mut w) {
        Extraction::Unreadable(p) => {
            assert_eq!(p.code, "unreadable.encrypted");
            assert_eq!(
                p.message,
                "PDF 已加密，且使用了本工具无法解密的加密方式（加密版本 /V 不受支持），请提供未加密版本"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn font_budget_bounds_many_fonts() {
    // 20,000 font switches over 20 distinct fonts stay cheap (cached); the page still reads.
    let mut content = Vec::new();
    for i in 0..20_000 {
        content.extend_from_slice(
            format!("BT /F{} 10 Tf 72 700 Td (x) Tj ET\n", i % 20 + 1).as_bytes(),
        );
    }
    let fonts: Vec<F> = (0..20).map(|_| F::IdentityToUnicode).collect();
    let bytes = build(&fonts, &[], &[&content]);
    let (facts, w) = read(bytes);
    assert!(w.iter().all(|p| p.code != "limit.pdf_content"), "{w:?}");
    assert!(facts.pages == Some(1));
}
