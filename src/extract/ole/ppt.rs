//! PowerPoint 97–2003 `.ppt` (and WPS 演示 `.dps`, the same format): slides in presentation
//! order, hidden slides, slide text, master text and speaker notes, from the records of the
//! `PowerPoint Document` stream.
//!
//! Why hand-written: no maintained crate reads PowerPoint binary records into slides (undoc and
//! office_oxide give one text with no slide count and no master/notes split). The structure we
//! need is small: `Current User` points at the newest `UserEditAtom`; the chain of user edits
//! gives the persist directory (object id → stream offset, newest edit wins, so text of deleted
//! slides left in the stream by incremental saves is not read); the `DocumentContainer` lists the
//! slides, masters and notes in `SlideListWithTextContainer`s (one `SlidePersistAtom` per
//! slide, in presentation order). A slide's text is in two places: placeholder text stays in the
//! list after its `SlidePersistAtom` (the slide's drawing holds only an `OutlineTextRefAtom`),
//! other text boxes keep their `TextCharsAtom`/`TextBytesAtom` inside the slide's drawing. Both
//! are read, so nothing is counted twice. A slide is hidden when its `SSSlideInfoAtom` has
//! `fHidden`. Slide footers (date, header, footer strings of the document's or the slide's
//! `HeadersFootersContainer`) go to `HeadersFooters` only when their show flags are on — a
//! society's label is often in the footer. Masters' text goes to `Masters`, the design names
//! ("Office 主题") to metadata.
//!
//! Trade-off: if the edit chain or persist directory is broken, every text atom of the stream is
//! read as slide text and top-level slide containers are counted, with an `extract.partial`
//! warning: old versions of edited slides may then be counted too.

use std::collections::{HashMap, HashSet};

use crate::facts::{PartKind, Problem};

const RT_DOCUMENT: u16 = 0x03E8;
const RT_SLIDE: u16 = 0x03EE;
const RT_SLIDE_PERSIST_ATOM: u16 = 0x03F3;
const RT_MAIN_MASTER: u16 = 0x03F8;
const RT_SS_SLIDE_INFO_ATOM: u16 = 0x03F9;
const RT_SLIDE_LIST_WITH_TEXT: u16 = 0x0FF0;
const RT_TEXT_CHARS_ATOM: u16 = 0x0FA0;
const RT_CSTRING: u16 = 0x0FBA;
const RT_HEADERS_FOOTERS: u16 = 0x0FD9;
const RT_HEADERS_FOOTERS_ATOM: u16 = 0x0FDA;
const RT_TEXT_BYTES_ATOM: u16 = 0x0FA8;
const RT_USER_EDIT_ATOM: u16 = 0x0FF5;
const RT_PERSIST_DIRECTORY_ATOM: u16 = 0x1772;

/// `CurrentUserAtom.headerToken` of an encrypted presentation.
const ENCRYPTED_TOKEN: u32 = 0xF3D1_C4DF;

fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    b.get(i..i.checked_add(2)?)
        .map(|s| u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    b.get(i..i.checked_add(4)?)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// A record header and where its body is.
#[derive(Debug, Clone, Copy)]
struct Rec {
    ver: u16,
    instance: u16,
    typ: u16,
    body: usize,
    end: usize,
}

impl Rec {
    fn container(&self) -> bool {
        self.ver == 0xF
    }
}

/// The record at `pos`, if its header and body fit in `data`.
fn rec_at(data: &[u8], pos: usize) -> Option<Rec> {
    let vi = u16_at(data, pos)?;
    let typ = u16_at(data, pos + 2)?;
    let len = u32_at(data, pos + 4)? as usize;
    let body = pos.checked_add(8)?;
    let end = body.checked_add(len)?;
    if end > data.len() {
        return None;
    }
    Some(Rec {
        ver: vi & 0x0F,
        instance: vi >> 4,
        typ,
        body,
        end,
    })
}

/// The child records of a container (stops at the first malformed one).
fn children(data: &[u8], parent: &Rec) -> Vec<Rec> {
    let mut out = Vec::new();
    let mut pos = parent.body;
    while pos + 8 <= parent.end {
        let Some(r) = rec_at(data, pos).filter(|r| r.end <= parent.end) else {
            break;
        };
        out.push(r);
        pos = r.end;
    }
    out
}

/// Text of one text atom: paragraph and line breaks become newlines.
fn atom_text(data: &[u8], r: &Rec) -> Option<String> {
    let body = data.get(r.body..r.end)?;
    let raw: String = match r.typ {
        RT_TEXT_CHARS_ATOM => super::props::decode_utf16_all(body),
        // TextBytesAtom: the low bytes of UTF-16 code units (Latin-1), per [MS-PPT].
        RT_TEXT_BYTES_ATOM => body.iter().map(|&b| char::from(b)).collect(),
        _ => return None,
    };
    let mut out: String = raw
        .chars()
        .filter_map(|c| match c {
            '\r' | '\u{0B}' | '\n' => Some('\n'),
            '\t' => Some('\t'),
            c if (c as u32) < 0x20 => None,
            c => Some(c),
        })
        .collect();
    if out.trim().is_empty() {
        return None;
    }
    out.push('\n');
    Some(out)
}

/// What a walk over one slide, master or notes page collects.
#[derive(Default)]
struct Collected {
    text: String,
    /// Header/footer text the page shows (date, header, footer CStrings whose flag is on).
    footers: String,
    hidden: bool,
}

/// Collects the text atoms under `rec` (depth-first, in order), the shown header/footer
/// strings, and whether a `SSSlideInfoAtom` marks the page hidden.
fn walk(data: &[u8], rec: &Rec, depth: usize, out: &mut Collected) {
    if depth > 32 {
        return;
    }
    for child in children(data, rec) {
        if child.typ == RT_HEADERS_FOOTERS {
            out.footers.push_str(&headers_footers(data, &child));
        } else if child.container() {
            walk(data, &child, depth + 1, out);
        } else if child.typ == RT_SS_SLIDE_INFO_ATOM {
            out.hidden |= data.get(child.body + 10).is_some_and(|f| f & 0x04 != 0);
        } else if let Some(t) = atom_text(data, &child) {
            out.text.push_str(&t);
        }
    }
}

/// The strings of a `HeadersFootersContainer` that its atom's flags say are shown: the user
/// date (instance 0: fHasDate and fHasUserDate), the header (1: fHasHeader), the footer
/// (2: fHasFooter).
fn headers_footers(data: &[u8], rec: &Rec) -> String {
    let kids = children(data, rec);
    let flags = kids
        .iter()
        .find(|r| r.typ == RT_HEADERS_FOOTERS_ATOM)
        .and_then(|r| u16_at(data, r.body + 2))
        .unwrap_or(0);
    let mut out = String::new();
    for r in kids.iter().filter(|r| r.typ == RT_CSTRING) {
        let shown = match r.instance {
            0 => flags & 0x01 != 0 && flags & 0x04 != 0,
            1 => flags & 0x10 != 0,
            2 => flags & 0x20 != 0,
            _ => false,
        };
        if shown && let Some(body) = data.get(r.body..r.end) {
            out.push_str(super::props::decode_utf16_all(body).trim());
            out.push('\n');
        }
    }
    out
}

/// The names of the designs (main masters' CString, instance 2): "Office 主题", "默认设计模板".
/// Shown in PowerPoint's design list, not on slides: kept as metadata.
fn master_name(data: &[u8], master: &Rec) -> Option<String> {
    children(data, master)
        .iter()
        .find(|r| r.typ == RT_CSTRING && r.instance == 2)
        .and_then(|r| data.get(r.body..r.end))
        .map(|b| super::props::decode_utf16_all(b).trim().to_string())
        .filter(|n| !n.is_empty())
}

/// What a presentation holds.
#[derive(Debug, Default)]
pub(crate) struct Deck {
    pub slides: u32,
    pub hidden: u32,
    pub parts: Vec<(PartKind, String)>,
    /// Design (main master) names, for metadata.
    pub designs: Vec<String>,
    pub warnings: Vec<Problem>,
}

/// Why a presentation could not be read.
#[derive(Debug, PartialEq)]
pub(crate) enum DeckError {
    Encrypted,
}

/// Reads `PowerPoint Document` given the `Current User` stream (if any).
pub(crate) fn read(doc: &[u8], current_user: Option<&[u8]>) -> Result<Deck, DeckError> {
    let cu = current_user.and_then(|cu| {
        // CurrentUserAtom: header (8), size, headerToken, offsetToCurrentEdit.
        Some((u32_at(cu, 12)?, u32_at(cu, 16)?))
    });
    if matches!(cu, Some((ENCRYPTED_TOKEN, _))) {
        return Err(DeckError::Encrypted);
    }
    let start = cu.map(|(_, off)| off as usize);
    match start.and_then(|s| persist_directory(doc, s)) {
        Some(Ok((persist, doc_ref))) => match structured(doc, &persist, doc_ref) {
            Some(deck) => Ok(deck),
            None => Ok(scan(doc)),
        },
        Some(Err(e)) => Err(e),
        None => Ok(scan(doc)),
    }
}

/// Follows the user-edit chain from the newest edit: persist id → offset, and the document's
/// persist id. `None` when the chain is broken.
#[allow(clippy::type_complexity)]
fn persist_directory(
    doc: &[u8],
    newest: usize,
) -> Option<Result<(HashMap<u32, usize>, u32), DeckError>> {
    let mut persist: HashMap<u32, usize> = HashMap::new();
    let mut seen = HashSet::new();
    let mut at = newest;
    let mut doc_ref = None;
    let mut work = doc.len().saturating_mul(4);
    loop {
        if !seen.insert(at) || seen.len() > 10_000 {
            break;
        }
        let edit = rec_at(doc, at).filter(|r| r.typ == RT_USER_EDIT_ATOM)?;
        let body = doc.get(edit.body..edit.end)?;
        if doc_ref.is_none() {
            // encryptSessionPersistIdRef follows persistIdSeed/lastView when encrypted.
            if body.len() >= 32 {
                return Some(Err(DeckError::Encrypted));
            }
            doc_ref = Some(u32_at(body, 16)?);
        }
        let last = u32_at(body, 8)? as usize;
        let dir_at = u32_at(body, 12)? as usize;
        let dir = rec_at(doc, dir_at).filter(|r| r.typ == RT_PERSIST_DIRECTORY_ATOM)?;
        let entries = doc.get(dir.body..dir.end)?;
        // Overlapping directories could make this quadratic: bound the bytes read.
        work = work.checked_sub(entries.len())?;
        let mut i = 0usize;
        while let Some(head) = u32_at(entries, i) {
            let first = head & 0x000F_FFFF;
            let count = (head >> 20) as usize;
            for k in 0..count {
                let Some(off) = u32_at(entries, i + 4 + k * 4) else {
                    break;
                };
                // Newer edits come first in the walk: keep what they said.
                persist
                    .entry(first.saturating_add(k as u32))
                    .or_insert(off as usize);
            }
            i = i + 4 + count * 4;
        }
        if last == 0 {
            break;
        }
        at = last;
    }
    Some(Ok((persist, doc_ref?)))
}

/// Reads the deck through the persist directory. `None` when the document container is
/// missing (the caller falls back to a scan).
fn structured(doc: &[u8], persist: &HashMap<u32, usize>, doc_ref: u32) -> Option<Deck> {
    let document = rec_at(doc, *persist.get(&doc_ref)?).filter(|r| r.typ == RT_DOCUMENT)?;
    let mut deck = Deck::default();
    let mut slides_text = String::new();
    let mut masters_text = String::new();
    let mut notes_text = String::new();
    let mut footers = String::new();
    let mut lost = 0u32;
    let mut masters_seen: HashSet<usize> = HashSet::new();
    let mut budget = doc.len().saturating_mul(4);
    let mut over_budget = false;
    for child in children(doc, &document) {
        // The document-wide slide footers (instance 3); notes footers (4) are not on slides.
        if child.typ == RT_HEADERS_FOOTERS && child.instance == 3 {
            footers.push_str(&headers_footers(doc, &child));
        }
        if child.typ != RT_SLIDE_LIST_WITH_TEXT {
            continue;
        }
        // One entry per SlidePersistAtom: its persist id and the text atoms that follow it.
        let mut entries: Vec<(Option<u32>, String)> = Vec::new();
        for r in children(doc, &child) {
            if r.typ == RT_SLIDE_PERSIST_ATOM {
                entries.push((u32_at(doc, r.body), String::new()));
            } else if let (Some(t), Some(last)) = (atom_text(doc, &r), entries.last_mut()) {
                last.1.push_str(&t);
            }
        }
        for (persist_id, list_text) in entries {
            let target = persist_id
                .and_then(|id| persist.get(&id))
                .and_then(|&off| rec_at(doc, off).map(|r| (off, r)));
            let mut got = Collected {
                text: list_text,
                ..Collected::default()
            };
            if let Some((_, t)) = target {
                // Many list entries may name one huge container: bound the bytes walked.
                match budget.checked_sub(t.end - t.body) {
                    Some(left) => {
                        budget = left;
                        walk(doc, &t, 0, &mut got);
                    }
                    None => over_budget = true,
                }
            }
            match child.instance {
                0 => {
                    deck.slides += 1;
                    match target {
                        Some((_, t)) if t.typ == RT_SLIDE => deck.hidden += u32::from(got.hidden),
                        _ => lost += 1,
                    }
                    slides_text.push_str(&got.text);
                    footers.push_str(&got.footers);
                }
                1 => {
                    if let Some((off, t)) = target {
                        masters_seen.insert(off);
                        deck.designs.extend(master_name(doc, &t));
                    }
                    masters_text.push_str(&got.text);
                }
                2 => notes_text.push_str(&got.text),
                _ => {}
            }
        }
    }
    // Main masters the master list did not name (older writers list none): every one the
    // persist directory knows.
    let mut offsets: Vec<usize> = persist.values().copied().collect();
    offsets.sort_unstable();
    offsets.dedup();
    for off in offsets.into_iter().filter(|o| !masters_seen.contains(o)) {
        if let Some(r) = rec_at(doc, off).filter(|r| r.typ == RT_MAIN_MASTER) {
            let Some(left) = budget.checked_sub(r.end - r.body) else {
                over_budget = true;
                break;
            };
            budget = left;
            let mut got = Collected::default();
            walk(doc, &r, 0, &mut got);
            masters_text.push_str(&got.text);
            deck.designs.extend(master_name(doc, &r));
        }
    }
    if over_budget {
        deck.warnings.push(Problem::new(
            crate::codes::LIMIT_TEXT,
            "演示文稿的记录结构异常（同一内容被反复引用），部分文字未读取",
        ));
    }
    if lost > 0 {
        deck.warnings.push(Problem::new(
            crate::codes::EXTRACT_PARTIAL,
            format!("演示文稿中有 {lost} 张幻灯片的内容无法定位，其中的文字未读到"),
        ));
    }
    deck.parts.push((PartKind::Slides, slides_text));
    deck.parts.push((PartKind::SpeakerNotes, notes_text));
    deck.parts.push((PartKind::HeadersFooters, footers));
    deck.parts.push((PartKind::Masters, masters_text));
    Some(deck)
}

/// Fallback: every text atom of the stream, and the top-level slide containers as slides.
fn scan(doc: &[u8]) -> Deck {
    let mut deck = Deck::default();
    let mut got = Collected::default();
    let mut pos = 0usize;
    while let Some(r) = rec_at(doc, pos) {
        let before = got.hidden;
        got.hidden = false;
        if r.container() {
            walk(doc, &r, 0, &mut got);
        } else if let Some(t) = atom_text(doc, &r) {
            got.text.push_str(&t);
        }
        if r.typ == RT_SLIDE {
            deck.slides += 1;
            deck.hidden += u32::from(got.hidden);
        }
        got.hidden = before;
        pos = r.end;
    }
    deck.parts.push((PartKind::Slides, got.text));
    deck.parts.push((PartKind::HeadersFooters, got.footers));
    deck.warnings.push(Problem::new(
        crate::codes::EXTRACT_PARTIAL,
        "演示文稿的目录结构（Current User / UserEditAtom）无法读取，已逐条扫描记录：幻灯片数与文字可能包含旧版本内容",
    ));
    deck
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn rec(ver: u16, instance: u16, typ: u16, body: &[u8]) -> Vec<u8> {
        let mut v = (ver | (instance << 4)).to_le_bytes().to_vec();
        v.extend_from_slice(&typ.to_le_bytes());
        v.extend_from_slice(&(body.len() as u32).to_le_bytes());
        v.extend_from_slice(body);
        v
    }

    fn chars(s: &str) -> Vec<u8> {
        rec(
            0,
            0,
            RT_TEXT_CHARS_ATOM,
            &s.encode_utf16()
                .flat_map(|u| u.to_le_bytes())
                .collect::<Vec<_>>(),
        )
    }

    fn slide_persist(id: u32) -> Vec<u8> {
        let mut b = id.to_le_bytes().to_vec();
        b.extend_from_slice(&[0; 16]);
        rec(0, 0, RT_SLIDE_PERSIST_ATOM, &b)
    }

    fn slide(text: &str, hidden: bool) -> Vec<u8> {
        let mut info = vec![0u8; 16];
        if hidden {
            info[10] = 0x04;
        }
        let mut body = rec(0, 0, RT_SS_SLIDE_INFO_ATOM, &info);
        // A drawing with a client text box holding the text.
        let textbox = rec(0xF, 0, 0xF00D, &chars(text));
        body.extend(rec(0xF, 0, 0xF002, &rec(0xF, 0, 0xF004, &textbox)));
        rec(0xF, 0, RT_SLIDE, &body)
    }

    /// A presentation: slides (text in the list, text in the drawing, hidden), persist ids
    /// from 2, the document at persist id 1. Returns (stream, Current User).
    pub(crate) fn deck(slides: &[(&str, &str, bool)]) -> (Vec<u8>, Vec<u8>) {
        let mut stream = Vec::new();
        let mut offsets = Vec::new();
        for (_, drawing_text, hidden) in slides {
            offsets.push(stream.len() as u32);
            stream.extend(slide(drawing_text, *hidden));
        }
        let mut list = Vec::new();
        for (i, (list_text, _, _)) in slides.iter().enumerate() {
            list.extend(slide_persist(2 + i as u32));
            if !list_text.is_empty() {
                list.extend(chars(list_text));
            }
        }
        let mut master_list = slide_persist(99); // a master whose persist id is missing
        master_list.extend(chars("母版标题"));
        let mut doc_body = rec(0xF, 0, RT_SLIDE_LIST_WITH_TEXT, &list);
        doc_body.extend(rec(0xF, 1, RT_SLIDE_LIST_WITH_TEXT, &master_list));
        let doc_at = stream.len() as u32;
        stream.extend(rec(0xF, 0, RT_DOCUMENT, &doc_body));
        let dir_at = stream.len() as u32;
        let mut dir = (1u32 | ((1 + slides.len() as u32) << 20))
            .to_le_bytes()
            .to_vec();
        dir.extend_from_slice(&doc_at.to_le_bytes());
        for o in &offsets {
            dir.extend_from_slice(&o.to_le_bytes());
        }
        stream.extend(rec(0, 0, RT_PERSIST_DIRECTORY_ATOM, &dir));
        let edit_at = stream.len() as u32;
        let mut edit = vec![0u8; 8];
        edit.extend_from_slice(&0u32.to_le_bytes()); // offsetLastEdit
        edit.extend_from_slice(&dir_at.to_le_bytes());
        edit.extend_from_slice(&1u32.to_le_bytes()); // docPersistIdRef
        edit.extend_from_slice(&[0; 8]);
        stream.extend(rec(0, 0, RT_USER_EDIT_ATOM, &edit));
        let mut cu_body = 20u32.to_le_bytes().to_vec();
        cu_body.extend_from_slice(&0xE391_C05Fu32.to_le_bytes());
        cu_body.extend_from_slice(&edit_at.to_le_bytes());
        let cu = rec(0, 0, 0x0FF6, &cu_body);
        (stream, cu)
    }

    fn part(deck: &Deck, kind: PartKind) -> String {
        deck.parts
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, t)| t.as_str())
            .collect()
    }

    #[test]
    fn slides_in_order_with_hidden_and_masters() {
        let (stream, cu) = deck(&[
            ("标题一", "", false),
            ("标题二", "文本框\r第二行", true),
            ("", "三", false),
        ]);
        let d = read(&stream, Some(&cu)).expect("deck");
        assert_eq!((d.slides, d.hidden), (3, 1));
        assert_eq!(
            part(&d, PartKind::Slides),
            "标题一\n标题二\n文本框\n第二行\n三\n"
        );
        assert_eq!(part(&d, PartKind::Masters), "母版标题\n");
        assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    }

    #[test]
    fn footers_follow_their_show_flags() {
        let cstring = |instance: u16, s: &str| {
            rec(
                0,
                instance,
                RT_CSTRING,
                &s.encode_utf16()
                    .flat_map(|u| u.to_le_bytes())
                    .collect::<Vec<_>>(),
            )
        };
        let container = |flags: u16| {
            let mut body = rec(
                0,
                0,
                RT_HEADERS_FOOTERS_ATOM,
                &[0, 0, flags as u8, (flags >> 8) as u8],
            );
            body.extend(cstring(0, "2025年9月"));
            body.extend(cstring(2, "自治区科协2025年度学会重点资助项目"));
            rec(0xF, 3, RT_HEADERS_FOOTERS, &body)
        };
        let cases = [
            (0x0000, ""),
            (0x0020, "自治区科协2025年度学会重点资助项目\n"),
            (0x0001, ""), // a date, but today's date rather than the user's
            (0x0025, "2025年9月\n自治区科协2025年度学会重点资助项目\n"),
        ];
        for (flags, want) in cases {
            let data = container(flags);
            let r = rec_at(&data, 0).expect("record");
            assert_eq!(headers_footers(&data, &r), want, "flags {flags:#x}");
        }
    }

    #[test]
    fn broken_structures_fall_back_or_fail() {
        let (stream, cu) = deck(&[("甲", "乙", false)]);
        // No Current User: scan.
        let d = read(&stream, None).expect("scan");
        assert_eq!(d.slides, 1);
        assert!(part(&d, PartKind::Slides).contains('甲'));
        assert_eq!(d.warnings.len(), 1);
        // Encrypted token.
        let mut enc = cu.clone();
        enc[12..16].copy_from_slice(&ENCRYPTED_TOKEN.to_le_bytes());
        assert_eq!(read(&stream, Some(&enc)).err(), Some(DeckError::Encrypted));
        // Every truncation of the stream reads without panicking.
        for n in 0..stream.len() {
            let _ = read(&stream[..n], Some(&cu));
        }
    }
}
