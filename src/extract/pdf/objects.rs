//! Small helpers over lopdf objects that every font reader uses: references resolved with a
//! bound, dictionary lookups, bounded stream contents, numbers, subset tags, and the per-document
//! budget of map entries. Below the font, charset and embedded-font modules so none of them
//! needs another for these.

use lopdf::{Dictionary, Document, Object};

/// Map entries (ToUnicode, widths, CMaps, glyph cmaps) one document may still load: fonts are
/// small when compressed and large when parsed, so memory is bounded per document, not per font.
pub(super) type Budget = std::rc::Rc<std::cell::Cell<u64>>;

/// Takes `n` entries from the budget; false (and the budget emptied) if there are not enough.
pub(super) fn charge(budget: &Budget, n: u64) -> bool {
    match budget.get().checked_sub(n) {
        Some(left) => {
            budget.set(left);
            true
        }
        None => {
            budget.set(0);
            false
        }
    }
}

/// Resolves references (bounded).
pub(super) fn deref<'a>(doc: &'a Document, mut obj: &'a Object) -> &'a Object {
    for _ in 0..16 {
        match obj {
            Object::Reference(id) => match doc.get_object(*id) {
                Ok(o) => obj = o,
                Err(_) => return &Object::Null,
            },
            _ => return obj,
        }
    }
    &Object::Null
}

pub(super) fn dict_get<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    d.get(key).ok().map(|o| deref(doc, o))
}

pub(super) fn num(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r).filter(|r| r.is_finite()),
        _ => None,
    }
}

/// The decoded content of a stream object, bounded.
pub(super) fn stream_bytes(doc: &Document, obj: &Object, limit: usize) -> Option<Vec<u8>> {
    let s = deref(doc, obj).as_stream().ok()?;
    s.get_plain_content_with_limit(limit).ok()
}

/// A font name without its subset tag (`ABCDEF+SimSun` → `SimSun`).
pub(super) fn strip_subset(name: &[u8]) -> &[u8] {
    match name.iter().position(|b| *b == b'+') {
        Some(6) => &name[7..],
        _ => name,
    }
}
