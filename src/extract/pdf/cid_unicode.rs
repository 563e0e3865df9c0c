//! Adobe's CID → Unicode tables, for CID fonts that carry no `/ToUnicode` map but name a
//! registered character collection (`/CIDSystemInfo` Adobe-GB1, Adobe-Japan1, Adobe-CNS1,
//! Adobe-Korea1): PDFs from older Chinese typesetting systems, ghostscript and LaTeX CJK.
//!
//! Why a crate: the tables are Adobe's `Adobe-*-UCS2` CMaps from the BSD-licensed
//! cmap-resources, megabytes as text; `hayro-cmap` (the CMap layer of the hayro PDF renderer)
//! embeds them brotli-packed with a parser, so we ship Adobe's data, not a copy we maintain.
//! pdftotext reads the same tables from poppler-data and mutool has them built in. Each
//! collection's table is unpacked and parsed once per process, on first use.

use std::sync::OnceLock;

use hayro_cmap::{BfString, CMap, CidFamily, load_embedded};

/// A registered character collection with a CID → Unicode table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Collection {
    Gb1,
    Japan1,
    Cns1,
    Korea1,
}

impl Collection {
    /// From `/CIDSystemInfo`'s `/Registry` and `/Ordering`.
    pub(crate) fn from_system_info(registry: &[u8], ordering: &[u8]) -> Option<Collection> {
        match CidFamily::from_registry_ordering(registry, ordering) {
            CidFamily::AdobeGB1 => Some(Collection::Gb1),
            CidFamily::AdobeJapan1 => Some(Collection::Japan1),
            CidFamily::AdobeCNS1 => Some(Collection::Cns1),
            CidFamily::AdobeKorea1 => Some(Collection::Korea1),
            _ => None,
        }
    }

    fn family(self) -> CidFamily {
        match self {
            Collection::Gb1 => CidFamily::AdobeGB1,
            Collection::Japan1 => CidFamily::AdobeJapan1,
            Collection::Cns1 => CidFamily::AdobeCNS1,
            Collection::Korea1 => CidFamily::AdobeKorea1,
        }
    }

    fn table(self) -> Option<&'static CMap> {
        static TABLES: [OnceLock<Option<CMap>>; 4] = [
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
        ];
        TABLES[self as usize]
            .get_or_init(|| {
                let data = load_embedded(self.family().ucs2_cmap()?)?;
                CMap::parse(data, load_embedded)
            })
            .as_ref()
    }

    /// The text of CID `cid` in this collection, if Adobe's table maps it.
    pub(crate) fn text(self, cid: u32) -> Option<String> {
        match self.table()?.lookup_bf_string(cid)? {
            BfString::Char(c) => Some(c.to_string()),
            BfString::String(s) => Some(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adobe_tables_map_cids() {
        // CIDs from Adobe's UniGB-UCS2-H / UniJIS-UCS2-H / UniCNS-UCS2-H / UniKS-UCS2-H (the
        // inverse direction, shipped with ghostscript and poppler-data).
        let table: &[(Collection, u32, &str)] = &[
            (Collection::Gb1, 34, "A"),
            (Collection::Gb1, 4657, "自"),
            (Collection::Gb1, 4557, "治"),
            (Collection::Japan1, 34, "A"),
            (Collection::Cns1, 34, "A"),
            (Collection::Korea1, 34, "A"),
        ];
        for &(c, cid, want) in table {
            assert_eq!(c.text(cid).as_deref(), Some(want), "{c:?} {cid}");
        }
        assert_eq!(
            Collection::from_system_info(b"Adobe", b"GB1"),
            Some(Collection::Gb1)
        );
        assert_eq!(Collection::from_system_info(b"Adobe", b"Identity"), None);
        assert_eq!(Collection::from_system_info(b"Foo", b"GB1"), None);
    }
}
