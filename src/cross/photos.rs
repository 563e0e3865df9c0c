//! The same picture twice: perceptual hashes within `photos.max_distance` bits.
//!
//! A BK-tree (Burkhard & Keller 1973) over the 256-bit hashes finds, for each photo, the
//! photos within the distance without comparing every pair: the triangle inequality of the
//! Hamming distance prunes whole subtrees. Hand-written: thirty lines over `u64`, where the
//! crates that offer one want a metric trait object per node.
//!
//! A picture that many submissions share (the programme's logo, a QR code of the official
//! account, a standard banner) is not reuse: a photo whose matches span
//! [`CrossConfig::common_threshold`] submissions is left out, as boilerplate text is.

use std::collections::BTreeSet;

use super::config::CrossConfig;
use super::{Item, ProjectPrints, Side, What};

/// A 256-bit perceptual hash (see `extract::prints`).
pub(crate) type Hash = [u64; 4];

/// Bits in which two hashes differ.
pub(crate) fn distance(a: &Hash, b: &Hash) -> u32 {
    a.iter().zip(b).map(|(x, y)| (x ^ y).count_ones()).sum()
}

/// A hash from its 64 hex digits.
pub(crate) fn parse(hex: &str) -> Option<Hash> {
    if hex.len() != 64 || !hex.is_ascii() {
        return None;
    }
    let mut h = [0u64; 4];
    for (i, w) in h.iter_mut().enumerate() {
        *w = u64::from_str_radix(&hex[i * 16..i * 16 + 16], 16).ok()?;
    }
    Some(h)
}

struct Node {
    hash: Hash,
    id: usize,
    children: Vec<(u32, usize)>,
}

/// A BK-tree of hashes under the Hamming distance.
#[derive(Default)]
pub(crate) struct BkTree {
    nodes: Vec<Node>,
}

impl BkTree {
    pub(crate) fn insert(&mut self, hash: Hash, id: usize) {
        if self.nodes.is_empty() {
            self.nodes.push(Node {
                hash,
                id,
                children: Vec::new(),
            });
            return;
        }
        let mut at = 0;
        loop {
            let d = distance(&self.nodes[at].hash, &hash);
            match self.nodes[at].children.iter().find(|(k, _)| *k == d) {
                Some(&(_, next)) => at = next,
                None => {
                    let new = self.nodes.len();
                    self.nodes.push(Node {
                        hash,
                        id,
                        children: Vec::new(),
                    });
                    self.nodes[at].children.push((d, new));
                    return;
                }
            }
        }
    }

    /// The ids within `max` bits of `hash`, with their distance.
    pub(crate) fn within(&self, hash: &Hash, max: u32) -> Vec<(usize, u32)> {
        let mut out = Vec::new();
        if self.nodes.is_empty() {
            return out;
        }
        let mut stack = vec![0usize];
        while let Some(at) = stack.pop() {
            let n = &self.nodes[at];
            let d = distance(&n.hash, hash);
            if d <= max {
                out.push((n.id, d));
            }
            for &(k, child) in &n.children {
                if k + max >= d && k <= d + max {
                    stack.push(child);
                }
            }
        }
        out
    }
}

/// The photo-reuse findings among `all` (projects below `n` are this year's).
pub(crate) fn find(all: &[ProjectPrints], n: usize, cfg: &CrossConfig) -> Vec<Item> {
    let mut photos: Vec<(usize, &str, Hash)> = Vec::new();
    for (p, pr) in all.iter().enumerate() {
        for ph in &pr.photos {
            if let Some(h) = parse(&ph.phash) {
                photos.push((p, &ph.path, h));
            }
        }
    }
    let mut tree = BkTree::default();
    for (id, (_, _, h)) in photos.iter().enumerate() {
        tree.insert(*h, id);
    }
    let with_photos = all.iter().filter(|p| !p.photos.is_empty()).count();
    let threshold = cfg.common_threshold(with_photos);
    let max = cfg.photos.max_distance;
    let mut out = Vec::new();
    for (id, (p, path, h)) in photos.iter().enumerate() {
        let near = tree.within(h, max);
        let projects: BTreeSet<usize> = near.iter().map(|(j, _)| photos[*j].0).collect();
        if projects.len() >= threshold {
            continue;
        }
        for (j, d) in near {
            let (q, qpath, _) = photos[j];
            // Each pair once, with at least one side of this year.
            if j <= id || (*p >= n && q >= n) {
                continue;
            }
            let neighbours_of_other: BTreeSet<usize> = tree
                .within(&photos[j].2, max)
                .iter()
                .map(|(k, _)| photos[*k].0)
                .collect();
            if neighbours_of_other.len() >= threshold {
                continue;
            }
            let (a, b) = if *p < n || q >= n {
                ((*p, path.to_string()), (q, qpath.to_string()))
            } else {
                ((q, qpath.to_string()), (*p, path.to_string()))
            };
            out.push(Item {
                what: What::PhotoReuse { distance: d, max },
                a: Side {
                    project: a.0,
                    path: a.1,
                },
                b: Some(Side {
                    project: b.0,
                    path: b.1,
                }),
                quotes: Vec::new(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bk_tree_finds_exactly_the_near_ones() {
        let mut x: u64 = 7;
        let mut next = || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            x
        };
        let mut hashes: Vec<Hash> = (0..500).map(|_| [next(), next(), next(), next()]).collect();
        // Near copies of the first ten.
        for i in 0..10 {
            let mut h = hashes[i];
            h[i % 4] ^= 0b1011 << (i * 3);
            hashes.push(h);
        }
        let mut tree = BkTree::default();
        for (i, h) in hashes.iter().enumerate() {
            tree.insert(*h, i);
        }
        for max in [0, 3, 40, 110] {
            for (i, h) in hashes.iter().enumerate().step_by(37) {
                let mut got: Vec<usize> = tree.within(h, max).into_iter().map(|(j, _)| j).collect();
                got.sort_unstable();
                let want: Vec<usize> = (0..hashes.len())
                    .filter(|j| distance(&hashes[*j], h) <= max)
                    .collect();
                assert_eq!(got, want, "hash {i}, max {max}");
            }
        }
        assert_eq!(parse(&"0f".repeat(32)), Some([0x0f0f_0f0f_0f0f_0f0f; 4]));
        assert_eq!(parse("0f"), None);
    }
}
