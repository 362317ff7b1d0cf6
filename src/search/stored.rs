//! The search index written to and read from the search cache (`index_cache`), and the
//! queries such an index (which has no records) can answer.

use super::{Index, Meta, Prepared, Vocab, FIELDS, WORD_ID};
use crate::abstract_index::AbstractIndex;
use crate::index_cache::{Reader, Writer};
use crate::query::{Field, Pattern, Query};
use std::io;
use std::sync::{Arc, OnceLock};

impl Meta {
    fn write(&self, w: &mut Writer) -> io::Result<()> {
        w.put(&self.tokens)?;
        w.put(&self.spans)?;
        w.put(&self.starts)?;
        w.put(&self.present)?;
        w.put(&self.years)?;
        w.put_str(&self.vocab.text)?;
        w.put(&self.vocab.ends)?;
        w.put(&self.vocab.first)
    }

    /// Reads a `Meta` of `records` records, checked so that no later look-up can fall outside
    /// what was read.
    fn read(r: &mut Reader, records: usize) -> Option<Meta> {
        let tokens: Vec<u32> = r.get()?;
        let spans: Vec<[u32; FIELDS + 1]> = r.get()?;
        let starts: Vec<u64> = r.get()?;
        let present: Vec<u64> = r.get()?;
        let years: Vec<i32> = r.get()?;
        let vocab = Vocab {
            text: r.get_str()?,
            ends: r.get()?,
            first: r.get()?,
        };
        let per_record = [spans.len(), starts.len(), present.len(), years.len()];
        if per_record.iter().any(|&n| n != records) {
            return None;
        }
        let spans_sound = spans
            .iter()
            .all(|s| s.windows(2).all(|w| w[0] <= w[1]) && s[FIELDS] as usize <= tokens.len());
        let words = vocab.first.len();
        let vocab_sound = vocab.ends.len() == words + 1
            && vocab.ends.first() == Some(&0)
            && vocab.ends.last() == Some(&(vocab.text.len() as u32))
            && vocab.ends.windows(2).all(|w| w[0] <= w[1])
            && vocab
                .ends
                .iter()
                .all(|&e| vocab.text.is_char_boundary(e as usize));
        let tokens_sound = tokens.iter().all(|&t| ((t & WORD_ID) as usize) < words);
        // `TokenPlan::sweep` looks words up by group.
        let vocab_sound = vocab_sound && vocab.grouped();
        (spans_sound && vocab_sound && tokens_sound)
            .then(|| Meta::with_lists(tokens, spans, starts, present, years, vocab))
    }
}

impl Index {
    /// Writes the metadata index (built now if it is not yet).
    pub fn write_stored(&self, w: &mut Writer) -> io::Result<()> {
        self.meta().write(w)
    }

    /// Writes the abstract index; call only when `abstracts_indexed()`.
    pub fn write_stored_abstracts(&self, w: &mut Writer) -> io::Result<()> {
        match self.abstracts.get() {
            Some(a) => a.write(w),
            None => Err(io::Error::other("the abstract index is not built")),
        }
    }

    /// An index of `records` records read from the search cache, without the records.
    pub fn read_stored(records: usize, r: &mut Reader) -> Option<Index> {
        let meta = Meta::read(r, records)?;
        Some(Index {
            records: Arc::new(crate::store::Records::new()),
            len: records,
            meta: OnceLock::from(meta),
            abstracts: OnceLock::new(),
        })
    }

    /// The metadata index read from `stored` when it holds one for this index's records,
    /// else built (a search racing this waits for it). Whether it was read.
    pub fn prepare_from(&self, stored: Option<&mut Reader>) -> bool {
        let mut read = false;
        self.meta
            .get_or_init(|| match stored.and_then(|r| Meta::read(r, self.len)) {
                Some(m) => {
                    read = true;
                    m
                }
                None => Meta::build(&self.records),
            });
        read
    }

    /// `prepare_from` for the abstract index.
    pub fn index_abstracts_from(&self, stored: Option<&mut Reader>) -> bool {
        let mut read = false;
        self.abstracts.get_or_init(|| {
            match stored.and_then(|r| AbstractIndex::read(r, self.len)) {
                Some(a) => {
                    read = true;
                    a
                }
                None => AbstractIndex::new(&self.records),
            }
        });
        read
    }

    /// Reads the abstract index of this index's records into it.
    pub fn read_stored_abstracts(&self, r: &mut Reader) -> Option<()> {
        let a = AbstractIndex::read(r, self.len)?;
        self.abstracts.set(a).ok()
    }

    /// Whether `query` can run on this index alone, without the records: fuzzy terms over the
    /// metadata the word gate takes, year ranges, and (once the abstract index is there)
    /// fuzzy `ab:` and `fi:` terms. Exact terms look at the records' text.
    pub fn answers_without_records(&self, query: &Query) -> bool {
        query.terms.iter().all(|t| match (&t.pattern, t.field) {
            (Pattern::Years(..), Field::Year) => true,
            (Pattern::Fuzzy(_), Field::Abstract | Field::Findings) => self.abstracts_indexed(),
            (Pattern::Fuzzy(_), Field::Year) => false,
            (Pattern::Fuzzy(_), _) => Prepared::new(t).plan.is_some(),
            _ => false,
        })
    }
}
