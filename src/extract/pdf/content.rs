//! The text layer: runs a page's content stream (and the form XObjects it draws) and turns
//! shown glyphs into lines of text.
//!
//! lopdf parses the operators (`Content::decode_iter`); this module keeps the graphics and text
//! state (CTM, text and line matrices, `Tc`/`Tw`/`Tz`/`TL`/`Ts`, `q`/`Q`), places every glyph in
//! page space (with its advance, so word gaps can be measured) and hands it to
//! [`super::layout`]. Pagination artifacts (`/Artifact <</Type /Pagination>> BDC`) are tracked
//! so tagged headers/footers can be told apart, and visible annotations' appearance streams
//! (form fields, stamps) are run after the page, as pdftotext does.
//!
//! Work is bounded: nested forms to depth 12, no form re-entered while it is drawn, and a
//! per-document budget of operators and decoded bytes.

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

use super::font::{Font, Glyph, deref, dict_get, num};
use super::layout::{Builder, Line};

type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn mul(m1: &Matrix, m2: &Matrix) -> Matrix {
    [
        m1[0] * m2[0] + m1[1] * m2[2],
        m1[0] * m2[1] + m1[1] * m2[3],
        m1[2] * m2[0] + m1[3] * m2[2],
        m1[2] * m2[1] + m1[3] * m2[3],
        m1[4] * m2[0] + m1[5] * m2[2] + m2[4],
        m1[4] * m2[1] + m1[5] * m2[3] + m2[5],
    ]
}

fn apply(m: &Matrix, x: f32, y: f32) -> (f32, f32) {
    (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5])
}

/// What one page's content gave.
#[derive(Debug, Default)]
pub(super) struct PageText {
    pub lines: Vec<Line>,
    /// Text-showing operators run (`Tj`, `TJ`, `'`, `"`).
    pub text_ops: usize,
    /// Non-space characters kept.
    pub chars: usize,
    /// Glyphs whose code maps to no text.
    pub undecodable: usize,
    /// Of those, glyphs of composite (CID) fonts: text, not symbols.
    pub undecodable_cid: usize,
    /// Glyphs read through a Latin table that may be another code page.
    pub suspect: usize,
    pub images: usize,
    /// Path-painting operators (vector drawings, outlined text).
    pub paths: usize,
}

/// Per-document state: the font cache and the work budget.
pub(super) struct Texter<'a> {
    doc: &'a Document,
    fonts: HashMap<ObjectId, Rc<Font>>,
    /// Fonts written inline in a resource dictionary, by address (the document outlives us).
    inline_fonts: HashMap<usize, Rc<Font>>,
    /// Map entries the document's fonts may still load.
    budget: super::font::Budget,
    /// Largest decoded size of one stream.
    stream_limit: usize,
    /// Operators left to run in this document.
    pub ops_left: u64,
    /// Decoded content bytes left.
    pub bytes_left: u64,
    /// Set when the budget ran out.
    pub exhausted: bool,
    /// Open marked-content sequences: whether each is a pagination artifact.
    marked: Vec<bool>,
}

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    size: f32,
    tc: f32,
    tw: f32,
    th: f32,
    tl: f32,
    rise: f32,
}

const MAX_FORM_DEPTH: usize = 12;
/// Map entries (ToUnicode, widths, CMaps, glyph cmaps) per document: ~200 MB at worst.
const MAX_FONT_ENTRIES: u64 = 4_000_000;
const MAX_GSTATE_DEPTH: usize = 256;

impl<'a> Texter<'a> {
    pub(super) fn new(doc: &'a Document, stream_limit: usize, ops: u64, bytes: u64) -> Self {
        Texter {
            doc,
            fonts: HashMap::new(),
            inline_fonts: HashMap::new(),
            budget: std::rc::Rc::new(std::cell::Cell::new(MAX_FONT_ENTRIES)),
            stream_limit,
            ops_left: ops,
            bytes_left: bytes,
            exhausted: false,
            marked: Vec::new(),
        }
    }

    /// The text of one page.
    pub(super) fn page(&mut self, page_id: ObjectId) -> PageText {
        let doc = self.doc;
        let mut out = PageText::default();
        let Ok(page) = doc.get_dictionary(page_id) else {
            return out;
        };
        let resources = inherited(doc, page, b"Resources").and_then(|o| o.as_dict().ok());
        let bounds = inherited(doc, page, b"MediaBox").and_then(rect);
        let mut builder = Builder::new(bounds);
        let content = match doc.get_page_content_with_limit(page_id, self.stream_limit) {
            Ok(c) => c,
            Err(_) => {
                self.exhausted = true;
                return out;
            }
        };
        let mut gs = GState {
            ctm: IDENTITY,
            font: None,
            size: 0.0,
            tc: 0.0,
            tw: 0.0,
            th: 1.0,
            tl: 0.0,
            rise: 0.0,
        };
        let mut stack = Vec::new();
        let base = gs.clone();
        self.run(
            &content,
            resources,
            &mut gs,
            &mut stack,
            &mut out,
            &mut builder,
        );
        self.annotations(page, resources, &base, &mut out, &mut builder);
        builder.flush();
        out.lines = builder.lines;
        out.chars = builder.chars;
        out
    }

    fn font(&mut self, resources: Option<&Dictionary>, name: &[u8]) -> Option<Rc<Font>> {
        let doc = self.doc;
        let fonts = resources
            .and_then(|r| dict_get(doc, r, b"Font"))?
            .as_dict()
            .ok()?;
        let entry = fonts.get(name).ok()?;
        match entry {
            Object::Reference(id) => {
                if let Some(f) = self.fonts.get(id) {
                    return Some(f.clone());
                }
                let dict = deref(doc, entry).as_dict().ok()?;
                let font = Rc::new(Font::load(doc, dict, self.stream_limit, &self.budget));
                self.fonts.insert(*id, font.clone());
                self.check_budget();
                Some(font)
            }
            Object::Dictionary(d) => {
                let key = d as *const Dictionary as usize;
                if let Some(f) = self.inline_fonts.get(&key) {
                    return Some(f.clone());
                }
                let font = Rc::new(Font::load(doc, d, self.stream_limit, &self.budget));
                self.inline_fonts.insert(key, font.clone());
                self.check_budget();
                Some(font)
            }
            _ => None,
        }
    }

    fn check_budget(&mut self) {
        if self.budget.get() == 0 {
            self.exhausted = true;
        }
    }

    fn spend(&mut self, ops: u64, bytes: u64) -> bool {
        if self.ops_left < ops || self.bytes_left < bytes {
            self.exhausted = true;
            return false;
        }
        self.ops_left -= ops;
        self.bytes_left -= bytes;
        true
    }

    /// Runs one content stream.
    fn run(
        &mut self,
        content: &[u8],
        resources: Option<&'a Dictionary>,
        gs: &mut GState,
        forms: &mut Vec<ObjectId>,
        out: &mut PageText,
        b: &mut Builder,
    ) {
        if !self.spend(0, content.len() as u64) {
            return;
        }
        let marked_base = self.marked.len();
        let mut saved: Vec<GState> = Vec::new();
        let mut tm = IDENTITY;
        let mut tlm = IDENTITY;
        let mut glyphs: Vec<Glyph> = Vec::new();
        for op in Content::decode_iter(content) {
            let Ok(op) = op else { break };
            if !self.spend(1, 0) {
                return;
            }
            let ops = &op.operands;
            let n = |i: usize| ops.get(i).and_then(num).unwrap_or(0.0);
            match op.operator.as_str() {
                "q" if saved.len() < MAX_GSTATE_DEPTH => saved.push(gs.clone()),
                "Q" => {
                    if let Some(s) = saved.pop() {
                        *gs = s;
                    }
                }
                "cm" if ops.len() == 6 => {
                    let m = [n(0), n(1), n(2), n(3), n(4), n(5)];
                    gs.ctm = mul(&m, &gs.ctm);
                }
                "BT" => {
                    tm = IDENTITY;
                    tlm = IDENTITY;
                }
                "Tf" => {
                    if let Some(Object::Name(name)) = ops.first() {
                        gs.font = self.font(resources, name);
                    }
                    gs.size = n(1);
                }
                "Tc" => gs.tc = n(0),
                "Tw" => gs.tw = n(0),
                "Tz" => gs.th = n(0) / 100.0,
                "TL" => gs.tl = n(0),
                "Ts" => gs.rise = n(0),
                "Td" => {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, n(0), n(1)], &tlm);
                    tm = tlm;
                }
                "TD" => {
                    gs.tl = -n(1);
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, n(0), n(1)], &tlm);
                    tm = tlm;
                }
                "Tm" if ops.len() == 6 => {
                    tlm = [n(0), n(1), n(2), n(3), n(4), n(5)];
                    tm = tlm;
                }
                "T*" => {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.tl], &tlm);
                    tm = tlm;
                }
                "Tj" | "'" | "\"" => {
                    if op.operator == "\"" {
                        gs.tw = n(0);
                        gs.tc = n(1);
                    }
                    if op.operator != "Tj" {
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.tl], &tlm);
                        tm = tlm;
                    }
                    out.text_ops += 1;
                    if let Some(Object::String(s, _)) = ops.last() {
                        self.show(s, gs, &mut tm, &mut glyphs, out, b);
                    }
                }
                "TJ" => {
                    out.text_ops += 1;
                    if let Some(Object::Array(items)) = ops.first() {
                        for item in items {
                            match item {
                                Object::String(s, _) => {
                                    self.show(s, gs, &mut tm, &mut glyphs, out, b)
                                }
                                other => {
                                    let adj = num(other).unwrap_or(0.0) / 1000.0 * gs.size;
                                    let vertical = gs.font.as_ref().is_some_and(|f| f.vertical);
                                    let (tx, ty) = if vertical {
                                        (0.0, -adj)
                                    } else {
                                        (-adj * gs.th, 0.0)
                                    };
                                    tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, ty], &tm);
                                }
                            }
                        }
                    }
                }
                "Do" => {
                    if let Some(Object::Name(name)) = ops.first() {
                        self.xobject(name, resources, gs, forms, out, b);
                    }
                }
                "BI" => out.images += 1,
                "BMC" | "BDC" => {
                    let pagination = is_pagination(self.doc, resources, ops);
                    if self.marked.len() < 1024 {
                        self.marked.push(pagination);
                    }
                    b.artifact = self.marked.iter().any(|m| *m);
                }
                "EMC" => {
                    if self.marked.len() > marked_base {
                        self.marked.pop();
                    }
                    b.artifact = self.marked.iter().any(|m| *m);
                }
                "f" | "F" | "f*" | "S" | "s" | "B" | "B*" | "b" | "b*" | "sh" => out.paths += 1,
                _ => {}
            }
        }
        self.marked.truncate(marked_base);
        b.artifact = self.marked.iter().any(|m| *m);
    }

    /// Draws a named XObject: counts images, runs forms.
    fn xobject(
        &mut self,
        name: &[u8],
        resources: Option<&'a Dictionary>,
        gs: &mut GState,
        forms: &mut Vec<ObjectId>,
        out: &mut PageText,
        b: &mut Builder,
    ) {
        let doc = self.doc;
        let Some(xobjects) = resources
            .and_then(|r| dict_get(doc, r, b"XObject"))
            .and_then(|o| o.as_dict().ok())
        else {
            return;
        };
        let Ok(entry) = xobjects.get(name) else {
            return;
        };
        let id = match entry {
            Object::Reference(id) => Some(*id),
            _ => None,
        };
        let Ok(stream) = deref(doc, entry).as_stream() else {
            return;
        };
        match dict_get(doc, &stream.dict, b"Subtype").and_then(|o| o.as_name().ok()) {
            Some(b"Image") => out.images += 1,
            Some(b"Form") => self.form(stream, id, IDENTITY, resources, gs, forms, out, b),
            _ => {}
        }
    }

    /// Runs a form XObject; `extra` maps form space to the current space (annotations).
    #[allow(clippy::too_many_arguments)]
    fn form(
        &mut self,
        stream: &'a lopdf::Stream,
        id: Option<ObjectId>,
        extra: Matrix,
        resources: Option<&'a Dictionary>,
        gs: &GState,
        forms: &mut Vec<ObjectId>,
        out: &mut PageText,
        b: &mut Builder,
    ) {
        let doc = self.doc;
        if forms.len() >= MAX_FORM_DEPTH || id.is_some_and(|id| forms.contains(&id)) {
            return;
        }
        let Ok(content) = stream.get_plain_content_with_limit(self.stream_limit) else {
            return;
        };
        let matrix = form_matrix(doc, &stream.dict);
        let form_res = dict_get(doc, &stream.dict, b"Resources")
            .and_then(|o| o.as_dict().ok())
            .or(resources);
        let mut inner = gs.clone();
        inner.ctm = mul(&matrix, &mul(&extra, &gs.ctm));
        forms.push(id.unwrap_or((0, 0)));
        self.run(&content, form_res, &mut inner, forms, out, b);
        forms.pop();
    }

    /// Runs the normal appearance streams of a page's visible annotations (form fields,
    /// stamps, free text), as pdftotext does.
    fn annotations(
        &mut self,
        page: &'a Dictionary,
        resources: Option<&'a Dictionary>,
        gs: &GState,
        out: &mut PageText,
        b: &mut Builder,
    ) {
        let doc = self.doc;
        let Some(Object::Array(annots)) = dict_get(doc, page, b"Annots") else {
            return;
        };
        for annot in annots.iter().take(10_000) {
            let Ok(annot) = deref(doc, annot).as_dict() else {
                continue;
            };
            let flags = dict_get(doc, annot, b"F").and_then(num).unwrap_or(0.0) as i64;
            if flags & (2 | 32) != 0 {
                continue;
            }
            let Some(normal) = dict_get(doc, annot, b"AP")
                .and_then(|o| o.as_dict().ok())
                .and_then(|ap| ap.get(b"N").ok())
            else {
                continue;
            };
            // The appearance is a stream, or a dictionary of states chosen by /AS.
            let mut entry = normal;
            if let Object::Dictionary(states) = deref(doc, normal) {
                let Some(state) = dict_get(doc, annot, b"AS").and_then(|o| o.as_name().ok()) else {
                    continue;
                };
                let Ok(e) = states.get(state) else { continue };
                entry = e;
            }
            let id = match entry {
                Object::Reference(id) => Some(*id),
                _ => None,
            };
            let Ok(stream) = deref(doc, entry).as_stream() else {
                continue;
            };
            let (Some(r), Some(bbox)) = (
                dict_get(doc, annot, b"Rect").and_then(rect),
                dict_get(doc, &stream.dict, b"BBox").and_then(rect),
            ) else {
                continue;
            };
            // Map the transformed BBox onto Rect (PDF 32000-1, 12.5.5).
            let m = form_matrix(doc, &stream.dict);
            let corners = [
                apply(&m, bbox[0], bbox[1]),
                apply(&m, bbox[2], bbox[1]),
                apply(&m, bbox[0], bbox[3]),
                apply(&m, bbox[2], bbox[3]),
            ];
            let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
            for (x, y) in corners {
                x0 = x0.min(x);
                y0 = y0.min(y);
                x1 = x1.max(x);
                y1 = y1.max(y);
            }
            let sx = if x1 - x0 > 1e-3 {
                (r[2] - r[0]) / (x1 - x0)
            } else {
                1.0
            };
            let sy = if y1 - y0 > 1e-3 {
                (r[3] - r[1]) / (y1 - y0)
            } else {
                1.0
            };
            let a = [sx, 0.0, 0.0, sy, r[0] - x0 * sx, r[1] - y0 * sy];
            let mut forms = Vec::new();
            self.form(stream, id, a, resources, gs, &mut forms, out, b);
        }
    }

    /// Shows one string: places its glyphs and advances the text matrix.
    fn show(
        &mut self,
        bytes: &[u8],
        gs: &GState,
        tm: &mut Matrix,
        glyphs: &mut Vec<Glyph>,
        out: &mut PageText,
        b: &mut Builder,
    ) {
        let Some(font) = gs.font.clone() else {
            return;
        };
        glyphs.clear();
        font.decode(self.doc, bytes, glyphs);
        if !self.spend(glyphs.len() as u64 / 8, 0) {
            return;
        }
        for g in glyphs.iter() {
            let trm = mul(
                &[gs.size * gs.th, 0.0, 0.0, gs.size, 0.0, gs.rise],
                &mul(tm, &gs.ctm),
            );
            let spacing = gs.tc + if g.word_space { gs.tw } else { 0.0 };
            let (tx, ty) = if font.vertical {
                (0.0, -(gs.size) + spacing)
            } else {
                ((g.width * gs.size + spacing) * gs.th, 0.0)
            };
            let origin = (trm[4], trm[5]);
            let end_m = mul(&[1.0, 0.0, 0.0, 1.0, tx, ty], tm);
            let end = apply(&mul(&end_m, &gs.ctm), 0.0, gs.rise);
            let size = (trm[2] * trm[2] + trm[3] * trm[3]).sqrt();
            let dir = if font.vertical {
                (0.0, -1.0)
            } else {
                let len = (trm[0] * trm[0] + trm[1] * trm[1]).sqrt();
                if len > 0.0 {
                    (trm[0] / len, trm[1] / len)
                } else {
                    (1.0, 0.0)
                }
            };
            match &g.text {
                Some(text) => {
                    if g.suspect {
                        out.suspect += 1;
                    }
                    b.add(text, origin, end, size, dir, font.widths_known);
                }
                None => {
                    out.undecodable += 1;
                    if font.composite() {
                        out.undecodable_cid += 1;
                    }
                }
            }
            *tm = end_m;
        }
    }
}

/// Whether `BDC` operands open a pagination artifact (header, footer, watermark, page number).
fn is_pagination(doc: &Document, resources: Option<&Dictionary>, ops: &[Object]) -> bool {
    if !matches!(ops.first(), Some(Object::Name(tag)) if tag == b"Artifact") {
        return false;
    }
    let props = match ops.get(1) {
        Some(Object::Dictionary(d)) => Some(d),
        Some(Object::Name(name)) => resources
            .and_then(|r| dict_get(doc, r, b"Properties"))
            .and_then(|o| o.as_dict().ok())
            .and_then(|p| dict_get(doc, p, name))
            .and_then(|o| o.as_dict().ok()),
        _ => None,
    };
    let Some(props) = props else { return false };
    let name = |key: &[u8]| dict_get(doc, props, key).and_then(|o| o.as_name().ok());
    name(b"Type") == Some(b"Pagination")
        || matches!(name(b"Subtype"), Some(b"Header" | b"Footer" | b"Watermark"))
}

/// A form's `/Matrix` (identity if absent or malformed).
fn form_matrix(doc: &Document, dict: &Dictionary) -> Matrix {
    match dict_get(doc, dict, b"Matrix") {
        Some(Object::Array(m)) if m.len() == 6 => {
            let mut out = IDENTITY;
            for (slot, o) in out.iter_mut().zip(m) {
                *slot = num(deref(doc, o)).unwrap_or(0.0);
            }
            out
        }
        _ => IDENTITY,
    }
}

/// A page attribute, inherited from the page tree (bounded walk up `/Parent`).
fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..32 {
        if let Some(v) = dict_get(doc, node, key) {
            return Some(v);
        }
        node = dict_get(doc, node, b"Parent")?.as_dict().ok()?;
    }
    None
}

pub(super) fn rect(o: &Object) -> Option<[f32; 4]> {
    let Object::Array(a) = o else { return None };
    let v: Vec<f32> = a.iter().filter_map(num).collect();
    let [x0, y0, x1, y1] = v.as_slice() else {
        return None;
    };
    Some([x0.min(*x1), y0.min(*y1), x0.max(*x1), y0.max(*y1)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrices() {
        let m = mul(
            &[2.0, 0.0, 0.0, 2.0, 10.0, 20.0],
            &[1.0, 0.0, 0.0, 1.0, 5.0, 5.0],
        );
        assert_eq!(apply(&m, 1.0, 1.0), (17.0, 27.0));
    }
}
