//! A library's records, stored compactly: blocks of records in the parse cache's own form
//! (every string back to back in one text, every length and number in one shape; see
//! `cache::codec`), with where each record starts. A record is decoded when it is asked for
//! (the detail pane, the list's visible rows, an export), and readers of many records (the
//! search index, sorting, de-duplication, ids) borrow the fields they need through a [`View`].
//!
//! As `Vec<Record>` a record took about 3.2 KB for 1.8 KB of RIS (37 allocations, a 640-byte
//! struct, lists of 24-byte strings) and a million records 2.3 times the file's size; stored,
//! it takes 1.74 KB (1.79 KB read from the parse cache, whose blocks keep the blob's capacity;
//! `examples/memory.rs` at 100k records), and the browser's peak is 1.4 times the file
//! (BENCHMARKS.md). A block read from the parse cache is kept as read: a second start decodes
//! no record.

use crate::cache::codec;
pub use crate::cache::codec::{AuthorView, View};
use crate::record::Record;

/// Records per block when records are stored from a list.
const BLOCK_RECORDS: usize = 1024;

/// The records of a library, in order. Blocks are shared, so a copy (a paste builds the next
/// library from the current one) costs only the table of places.
#[derive(Default, Clone)]
pub struct Records {
    blocks: Vec<std::sync::Arc<Block>>,
    locs: Vec<Loc>,
}

/// A library's blocks, shared with its [`Records`] (`Records::share_blocks`).
pub struct Blocks {
    blocks: Vec<std::sync::Arc<Block>>,
    records: usize,
}

impl std::fmt::Debug for Blocks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Blocks({} blocks, {} records)",
            self.blocks.len(),
            self.records
        )
    }
}

impl Blocks {
    /// Each block's text, shape and record count, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &[u8], usize)> + '_ {
        self.blocks
            .iter()
            .map(|b| (b.text().as_bytes(), b.shape(), b.count))
    }

    /// The records the blocks hold.
    pub fn records(&self) -> usize {
        self.records
    }
}

struct Block {
    data: Data,
    count: usize,
}

/// A parse cache entry's bytes (mapped into memory, or read whole), shared by the blocks read
/// from it.
pub type SharedBytes = std::sync::Arc<dyn AsRef<[u8]> + Send + Sync>;

/// A block's text and shape: its own, or parts of a parse cache entry's bytes, mapped into
/// memory or read whole, which the entry's blocks share (`Records::push_shared_block`).
enum Data {
    Owned {
        text: String,
        shape: Box<[u8]>,
    },
    Shared {
        bytes: SharedBytes,
        text: std::ops::Range<usize>,
        shape: std::ops::Range<usize>,
    },
}

impl Block {
    fn text(&self) -> codec::Text<'_> {
        match &self.data {
            Data::Owned { text, .. } => codec::Text::Str(text),
            Data::Shared { bytes, text, .. } => {
                codec::Text::Bytes((**bytes).as_ref().get(text.clone()).unwrap_or_default())
            }
        }
    }

    fn shape(&self) -> &[u8] {
        match &self.data {
            Data::Owned { shape, .. } => shape,
            Data::Shared { bytes, shape, .. } => {
                (**bytes).as_ref().get(shape.clone()).unwrap_or_default()
            }
        }
    }

    /// The bytes the block's records take (a shared block's part of its entry's bytes, which
    /// are the file's pages when mapped).
    fn heap_bytes(&self) -> usize {
        std::mem::size_of::<Block>()
            + match &self.data {
                Data::Owned { text, shape } => text.capacity() + shape.len(),
                Data::Shared { text, shape, .. } => text.len() + shape.len(),
            }
    }
}

/// Where a record starts: its block, and its places in the block's shape and text; and its
/// year, which the list's default order sorts every record by (read from the block, a sort of
/// a million records took 0.3 s more, each time the filter was cleared).
#[derive(Clone, Copy)]
struct Loc {
    block: u32,
    shape_at: u32,
    text_at: u32,
    year: Option<i32>,
}

impl Records {
    pub fn new() -> Records {
        Records::default()
    }

    /// The records stored (blocks of `BLOCK_RECORDS`, encoded in parallel).
    pub fn from_records(records: &[Record]) -> Records {
        use rayon::prelude::*;
        let blocks: Vec<(String, Vec<u8>, usize)> = records
            .par_chunks(BLOCK_RECORDS)
            .map(|c| {
                let (text, shape) = codec::encode_block(c);
                (text, shape, c.len())
            })
            .collect();
        let mut out = Records::new();
        for (text, shape, count) in blocks {
            // Text and shape just written by the encoder always walk.
            let _ = out.push_block(text, shape.into_boxed_slice(), count);
        }
        out
    }

    /// Stores these records as one block (a parsed piece of a file, say).
    pub fn push(&mut self, records: &[Record]) {
        if records.is_empty() {
            return;
        }
        let Ok(block) = u32::try_from(self.blocks.len()) else {
            return;
        };
        let mut places = Vec::with_capacity(records.len());
        let (text, shape) = codec::encode_block_placed(records, |s, t, year| {
            places.push((s, t, year));
        });
        // A block's places are 32-bit: a block of more than 4 GB of text is split.
        if text.len() > u32::MAX as usize || shape.len() > u32::MAX as usize {
            if records.len() > 1 {
                let (a, b) = records.split_at(records.len() / 2);
                self.push(a);
                self.push(b);
            }
            return;
        }
        // The encoder's own places: what `push_block`'s walk would find.
        self.locs.extend(places.into_iter().map(|(s, t, year)| Loc {
            block,
            shape_at: s as u32,
            text_at: t as u32,
            year,
        }));
        self.blocks.push(std::sync::Arc::new(Block {
            data: Data::Owned {
                text,
                shape: shape.into_boxed_slice(),
            },
            count: records.len(),
        }));
    }

    /// Adds a block of `count` records in the codec's form (read from the parse cache, say)
    /// after checking it; None, and nothing added, when it does not hold `count` records.
    pub fn push_block(&mut self, text: String, shape: Box<[u8]>, count: usize) -> Option<()> {
        self.push_data(Data::Owned { text, shape }, count)
    }

    /// `push_block` for a block in a parse cache entry's bytes (mapped into memory, or read
    /// whole), shared with the entry's other blocks: its text and shape are the `text` and
    /// `shape` bytes of `bytes`. The text is checked here (UTF-8 as a whole, then walked like
    /// an owned block's), and each string again as it is read, as a mapped file could change.
    pub fn push_shared_block(
        &mut self,
        bytes: SharedBytes,
        text: std::ops::Range<usize>,
        shape: std::ops::Range<usize>,
        count: usize,
    ) -> Option<()> {
        (*bytes).as_ref().get(text.clone())?;
        (*bytes).as_ref().get(shape.clone())?;
        self.push_data(Data::Shared { bytes, text, shape }, count)
    }

    fn push_data(&mut self, data: Data, count: usize) -> Option<()> {
        let block = u32::try_from(self.blocks.len()).ok()?;
        let candidate = Block { data, count };
        let (text, shape) = (candidate.text(), candidate.shape());
        // Shared text checked whole (quicker than string by string), then walked as a string.
        let text = match text {
            codec::Text::Bytes(b) => codec::Text::Str(std::str::from_utf8(b).ok()?),
            text => text,
        };
        if text.len() > u32::MAX as usize || shape.len() > u32::MAX as usize {
            return None;
        }
        let before = self.locs.len();
        self.locs.reserve(count.min(shape.len()));
        let ok = codec::walk(text, shape, count, |s, t, year| {
            self.locs.push(Loc {
                block,
                shape_at: s as u32,
                text_at: t as u32,
                year,
            })
        });
        if ok.is_none() {
            self.locs.truncate(before);
            return None;
        }
        self.blocks.push(std::sync::Arc::new(candidate));
        Some(())
    }

    /// Stores `record` as record `i` (in a block of its own; the old bytes stay in theirs).
    pub fn replace(&mut self, i: usize, record: &Record) {
        if i >= self.len() {
            return;
        }
        let (text, shape) = codec::encode_block(std::slice::from_ref(record));
        let mut one = Records::new();
        if one.push_block(text, shape.into_boxed_slice(), 1).is_none() {
            return;
        }
        let block = self.blocks.len() as u32;
        self.blocks.append(&mut one.blocks);
        self.locs[i] = Loc {
            block,
            ..one.locs[0]
        };
    }

    /// Moves `other`'s records after these.
    pub fn append(&mut self, other: Records) {
        let base = self.blocks.len() as u32;
        self.locs.extend(other.locs.into_iter().map(|l| Loc {
            block: l.block + base,
            ..l
        }));
        self.blocks.extend(other.blocks);
    }

    pub fn len(&self) -> usize {
        self.locs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.locs.is_empty()
    }

    /// Record `i`, decoded.
    pub fn get(&self, i: usize) -> Option<Record> {
        let (b, l) = self.at(i)?;
        codec::record_at(b.text(), b.shape(), l.shape_at as usize, l.text_at as usize)
    }

    /// Record `i`'s most read fields, borrowed.
    pub fn view(&self, i: usize) -> Option<View<'_>> {
        let (b, l) = self.at(i)?;
        codec::view_at(b.text(), b.shape(), l.shape_at as usize, l.text_at as usize)
    }

    /// Record `i`'s id (quicker than its view: only the id is read).
    pub fn id(&self, i: usize) -> Option<&str> {
        let (b, l) = self.at(i)?;
        codec::id_at(b.text(), b.shape(), l.shape_at as usize, l.text_at as usize)
    }

    /// Record `i`'s year, kept beside its place.
    pub fn year(&self, i: usize) -> Option<i32> {
        self.locs.get(i)?.year
    }

    fn at(&self, i: usize) -> Option<(&Block, Loc)> {
        let l = *self.locs.get(i)?;
        Some((&**self.blocks.get(l.block as usize)?, l))
    }

    /// Every record, decoded one at a time.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Record> + '_ {
        (0..self.len()).map(|i| self.get(i).unwrap_or_default())
    }

    /// Every record's view, in order.
    pub fn views(&self) -> impl ExactSizeIterator<Item = View<'_>> + '_ {
        self.views_in(0..self.len())
    }

    /// The views of records `range`, one per record (an empty view for an index past the
    /// end, so positions stay aligned: the indexes count records by position).
    pub fn views_in(
        &self,
        range: std::ops::Range<usize>,
    ) -> impl ExactSizeIterator<Item = View<'_>> + '_ {
        #[allow(clippy::redundant_closure)] // View<'static> shortened to the store's lifetime
        range.map(|i| self.view(i).unwrap_or_else(|| empty_view()))
    }

    /// Every record, decoded (for code that changes records: de-duplication, a paste).
    pub fn to_vec(&self) -> Vec<Record> {
        use rayon::prelude::*;
        (0..self.len())
            .into_par_iter()
            .map(|i| self.get(i).unwrap_or_default())
            .collect()
    }

    /// The blocks as the parse cache writes them: text, shape and record count.
    pub fn blocks(&self) -> impl Iterator<Item = (&[u8], &[u8], usize)> + '_ {
        self.blocks
            .iter()
            .map(|b| (b.text().as_bytes(), b.shape(), b.count))
    }

    /// The blocks alone, shared: what writing them to the parse cache needs, without the
    /// table of places (16 MB at a million records).
    pub fn share_blocks(&self) -> Blocks {
        Blocks {
            blocks: self.blocks.clone(),
            records: self.len(),
        }
    }

    /// Memory the records take, in bytes.
    pub fn heap_bytes(&self) -> usize {
        self.locs.capacity() * std::mem::size_of::<Loc>()
            + self.blocks.iter().map(|b| b.heap_bytes()).sum::<usize>()
    }
}

/// The view of a record with nothing in it (never returned for a stored record: blocks are
/// checked when added).
fn empty_view() -> View<'static> {
    static EMPTY: std::sync::OnceLock<(String, Vec<u8>)> = std::sync::OnceLock::new();
    let (text, shape) = EMPTY.get_or_init(|| codec::encode_block(&[Record::default()]));
    codec::view_at(codec::Text::Str(text), shape, 0, 0)
        .expect("an encoded default record reads back")
}

impl From<Vec<Record>> for Records {
    fn from(records: Vec<Record>) -> Records {
        Records::from_records(&records)
    }
}

impl std::fmt::Debug for Records {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for Records {
    fn eq(&self, other: &Records) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl PartialEq<Vec<Record>> for Records {
    fn eq(&self, other: &Vec<Record>) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter().cloned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth;

    fn sample() -> Vec<Record> {
        (0..3000).map(|i| synth::record(3, i)).collect()
    }

    #[test]
    fn stored_records_read_back_as_they_were() {
        let rs = sample();
        let st = Records::from_records(&rs);
        assert_eq!(st.len(), rs.len());
        assert_eq!(st.to_vec(), rs);
        let mut two = Records::new();
        two.push(&rs[..10]);
        two.append(Records::from_records(&rs[10..]));
        assert_eq!(two, rs);
        assert!(st.get(rs.len()).is_none() && st.view(rs.len()).is_none());
    }

    #[test]
    fn views_agree_with_the_records() {
        let rs = sample();
        let st = Records::from_records(&rs);
        for (k, (r, v)) in rs.iter().zip(st.views()).enumerate() {
            assert_eq!(v.id, r.id);
            assert_eq!(st.id(k), Some(r.id.as_str()));
            assert_eq!(st.year(k), r.year);
            assert_eq!(v.kind, r.kind);
            assert_eq!(v.title, r.title.as_deref());
            assert_eq!(v.date, r.date.as_deref());
            assert_eq!(v.year, r.year);
            assert_eq!(v.container, r.container.as_deref());
            assert_eq!(v.volume, r.volume.as_deref());
            assert_eq!(v.issue, r.issue.as_deref());
            assert_eq!(v.pages, r.pages.as_deref());
            assert_eq!(v.doi, r.doi.as_deref());
            assert_eq!(v.citations, r.citations);
            assert_eq!(v.views, r.views);
            assert_eq!(v.pmid, r.pmid.as_deref());
            let authors: Vec<AuthorView> = r
                .authors
                .iter()
                .map(|a| AuthorView::new(&a.name, a.family.as_deref(), a.given.as_deref()))
                .collect();
            assert_eq!(v.authors().collect::<Vec<_>>(), authors);
            for (a, w) in r.authors.iter().zip(v.authors()) {
                assert_eq!(w.name(), a.name.as_str());
                // The pieces cut into the same words as the whole name.
                let mut whole = Vec::new();
                crate::search::words(&a.name, |x| whole.push(x.to_string()));
                let mut parts = Vec::new();
                for p in w.name_parts() {
                    crate::search::words(p, |x| parts.push(x.to_string()));
                }
                assert_eq!(parts, whole, "{}", a.name);
            }
            assert!(v.keywords().eq(r.keywords.iter().map(String::as_str)));
            assert!(v.sections().eq(r
                .abstract_sections
                .iter()
                .map(|s| (s.label.as_deref(), s.text.as_str()))));
            assert_eq!(v.has_abstract(), !r.abstract_sections.is_empty());
        }
    }

    #[test]
    fn a_damaged_block_is_refused_whole() {
        let rs = sample();
        let (text, shape) = codec::encode_block(&rs[..5]);
        let mut st = Records::from_records(&rs[5..8]);
        assert!(st
            .push_block(text.clone(), shape[..shape.len() - 1].into(), 5)
            .is_none());
        assert!(st
            .push_block(text.clone(), shape.clone().into(), 6)
            .is_none());
        assert!(st
            .push_block(text[..text.len() - 1].into(), shape.clone().into(), 5)
            .is_none());
        assert_eq!(st.len(), 3);
        assert!(st.push_block(text, shape.into(), 5).is_some());
        assert_eq!(st.len(), 8);
        assert_eq!(st.get(4), Some(rs[1].clone()));
    }
}
