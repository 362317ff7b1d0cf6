//! Matching records against a query. The metadata is cut into vocabulary words once (in the
//! background after the first frame), the abstracts get an inverted index
//! (`crate::abstract_index`); a pass runs in parallel chunks, can be abandoned, and can be
//! confined to a previous pass's hits. `gate` holds the character-at-a-time rule (plain text,
//! highlighting), `worker` the search thread. Highlight positions are computed only for the
//! rows on screen.

mod gate;
mod lists;
mod pairs;
mod stored;
mod worker;

use gate::{find_exact, WordGate};
pub(crate) use gate::{for_each_word, is_cjk, is_word_start};
pub use gate::{highlight, may_contain_subsequence};
pub use worker::{Outcome, Request, Worker};

use crate::abstract_index::AbstractIndex;
use crate::query::{Field, Pattern, Query, Term};
use crate::store::Records;
use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::sync::atomic::{AtomicU32, AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

/// One record that matched, with its score (higher is better).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub record: u32,
    pub score: i32,
    /// The score of every term but the last, so a pass that only changes the last term need
    /// not score the others again.
    pub rest: i32,
    /// The first token of the last term's field (counted from the field's start, at most 255)
    /// that enters its needle with two characters or more (`TokenPlan::find`): no match of a
    /// needle that begins with those characters starts before it, so a pass that only grows
    /// the last term looks from there (`Narrow::resume`). 0 when not known.
    pub from: u8,
}

/// Earlier hits to narrow within: the records (in record order), and how many of the query's
/// leading terms their scores already cover: all of the old query's terms (`total`: the old
/// score), or all but its last (the old `rest`).
#[derive(Clone, Copy)]
pub struct Narrow<'a> {
    pub hits: &'a [Hit],
    pub known_terms: usize,
    pub total: bool,
    /// The last term grew from the old last term, keeping its field and first two characters:
    /// it is looked for from each hit's `from` on.
    pub resume: bool,
}

impl<'a> Narrow<'a> {
    /// Narrowing from `old`'s hits to `new`: the leading terms the two share.
    pub fn between(hits: &'a [Hit], old: &Query, new: &Query) -> Narrow<'a> {
        debug_assert!(new.narrows(old), "{old:?} -> {new:?} does not narrow");
        let same = old
            .terms
            .iter()
            .zip(&new.terms)
            .take_while(|(a, b)| a == b)
            .count();
        if same == old.terms.len() {
            Narrow {
                hits,
                known_terms: same,
                total: true,
                resume: false,
            }
        } else if same + 1 == old.terms.len() {
            Narrow {
                hits,
                known_terms: same,
                total: false,
                resume: new.terms.len() == old.terms.len()
                    && resumes(&old.terms[same], &new.terms[same]),
            }
        } else {
            Narrow {
                hits,
                known_terms: 0,
                total: false,
                resume: false,
            }
        }
    }
}

/// Whether every match of `new`, the grown last term, starts at or after the token
/// `TokenPlan::find` gave as `old`'s `from`. A fuzzy needle narrows only by growing at its end
/// (`Query::narrows`), so `new` begins with `old`'s first two characters (its one, when it has
/// one); `new`'s first word holds at least those two (one, when the first is CJK), so it
/// enters `old` with two characters or more too, and `from` is the first word that does.
fn resumes(old: &Term, new: &Term) -> bool {
    matches!(
        (&old.pattern, &new.pattern),
        (Pattern::Fuzzy(_), Pattern::Fuzzy(_))
    )
}

/// The scorer: fuzzy-matcher's `SkimMatcherV2` with smart case, one for the whole program.
/// It is the patched 0.3.7 of vendor/fuzzy-matcher, whose calls do not leak into each other
/// (PATCHED.md there; test `scores_do_not_depend_on_earlier_calls`).
pub(crate) fn matcher() -> &'static SkimMatcherV2 {
    static M: OnceLock<SkimMatcherV2> = OnceLock::new();
    M.get_or_init(|| SkimMatcherV2::default().smart_case())
}

/// Number of searchable metadata fields kept per record: title, authors, keywords, container
/// and year.
const FIELDS: usize = 5;

/// The search text of a library, prepared once at load: every record's metadata cut into words
/// by the word-start rule (`is_word_start`), each word an id into a vocabulary. The word gate
/// then steps a word at a time instead of a character at a time, most words are turned away
/// by their first character alone, and skim scores each distinct word once per pass.
pub struct Index {
    /// Empty for an index read from the search cache (`stored`), which answers only the
    /// queries `answers_without_records` accepts.
    records: Arc<Records>,
    len: usize,
    /// The metadata's words, built on first use or by `prepare_in_background` (a first frame
    /// does not wait for it).
    meta: OnceLock<Meta>,
    /// The abstracts' words and the records holding each, once built (in the background, as
    /// it takes seconds at a million records); until then `ab:` and `fi:` scan the text.
    abstracts: OnceLock<AbstractIndex>,
}

/// Every record's metadata cut into words, as ids into a vocabulary.
struct Meta {
    /// Every record's metadata words (whitespace left out), record after record.
    /// Each is the word's first byte (`Vocab::first`) in the top 8 bits and its vocabulary id
    /// in the low 24, so the gate turns most words away reading this one array in order (a
    /// look-up of each word cost a cache miss a record at a million records).
    tokens: Vec<u32>,
    /// Per record: where each field's words start in `tokens`, and where the record's end.
    spans: Vec<[u32; FIELDS + 1]>,
    /// Per record: which characters (`sig_bit`) start one of its words, and which occur in it,
    /// so that a term turns most non-matching records away with two tests.
    starts: Vec<u64>,
    present: Vec<u64>,
    /// Per record: its year, or `NO_YEAR`.
    years: Vec<i32>,
    vocab: Vocab,
    /// Per record: its tokens grouped by their first character (made from `tokens` at load,
    /// not stored).
    lists: lists::Lists,
    /// Per record and class of first character: the characters its words hold after their
    /// first (made from `tokens` at load, not stored).
    pairs: pairs::Pairs,
}

impl Meta {
    /// The index of these fields, with the ones made from them at load (built or read from
    /// the search cache): the lists and the pairs.
    fn with_lists(
        tokens: Vec<u32>,
        spans: Vec<[u32; FIELDS + 1]>,
        starts: Vec<u64>,
        present: Vec<u64>,
        years: Vec<i32>,
        vocab: Vocab,
    ) -> Meta {
        let lists = lists::Lists::build(&tokens, &spans);
        let later: Vec<u32> = (0..vocab.len() as u32)
            .into_par_iter()
            .map(|w| pairs::word_later(vocab.word(w)))
            .collect();
        let pairs = pairs::Pairs::build(&tokens, &spans, lists.classes(), &later);
        Meta {
            tokens,
            spans,
            starts,
            present,
            years,
            vocab,
            lists,
            pairs,
        }
    }
}

const NO_YEAR: i32 = i32::MIN;

/// The distinct metadata words of a library.
#[derive(Default)]
struct Vocab {
    text: String,
    /// Word `w` is `text[ends[w]..ends[w + 1]]`.
    ends: Vec<u32>,
    /// The word's first byte when ASCII, else `NON_ASCII` or `CJK`.
    first: Vec<u8>,
}

const NON_ASCII: u8 = 0x80;
/// The vocabulary id bits of a token.
const WORD_ID: u32 = (1 << 24) - 1;
const CJK: u8 = 0x81;

impl Vocab {
    fn word(&self, w: u32) -> &str {
        let w = w as usize;
        &self.text[self.ends[w] as usize..self.ends[w + 1] as usize]
    }

    fn len(&self) -> usize {
        self.first.len()
    }

    /// The words but the empty one `Meta::build` puts last, by their first bytes: grouped by
    /// the first byte case-folded (`group_by_first`; `grouped`).
    fn firsts(&self) -> &[u8] {
        match self.len().checked_sub(1) {
            Some(last) if self.word(last as u32).is_empty() => &self.first[..last],
            _ => &self.first,
        }
    }

    /// Whether the words are grouped by their first byte case-folded, as `Meta` keeps them
    /// (a vocabulary read from the search cache is checked).
    fn grouped(&self) -> bool {
        let group = |f: &u8| f.to_ascii_lowercase();
        self.firsts()
            .windows(2)
            .all(|f| group(&f[0]) <= group(&f[1]))
    }

    /// The words whose first byte, case-folded, is `g`.
    fn group(&self, g: u8) -> std::ops::Range<usize> {
        let firsts = self.firsts();
        let at = |g: usize| firsts.partition_point(|f| (f.to_ascii_lowercase() as usize) < g);
        at(g as usize)..at(g as usize + 1)
    }

    fn truncate(&mut self, words: usize) {
        self.first.truncate(words);
        self.ends.truncate(words + 1);
        self.text.truncate(self.ends[words] as usize);
    }

    fn push(&mut self, word: &str) {
        if self.ends.is_empty() {
            self.ends.push(0);
        }
        self.text.push_str(word);
        self.ends.push(self.text.len() as u32);
        let c = word.chars().next().unwrap_or(' ');
        self.first.push(if c.is_ascii() {
            c as u8
        } else if is_cjk(c) {
            CJK
        } else {
            NON_ASCII
        });
    }
}

/// A character's bit in the per-record signatures (case-folded; every non-ASCII character
/// shares one bit).
fn sig_bit(c: char) -> u64 {
    let c = c.to_ascii_lowercase();
    1 << match c {
        'a'..='z' => c as u32 - 'a' as u32,
        '0'..='9' => 26 + c as u32 - '0' as u32,
        c if c.is_ascii() => 36 + c as u32 % 27,
        _ => 63,
    }
}

/// Calls `each` with every word of `text` that is not whitespace, as the word gate cuts them.
pub(crate) fn words<'t>(text: &'t str, mut each: impl FnMut(&'t str)) {
    for_each_word(text, |from, to| {
        let word = &text[from..to];
        if !word.starts_with(char::is_whitespace) {
            each(word);
        }
    });
}

/// One slice of the library's records cut into words, with word ids local to the slice.
struct Part<'a> {
    tokens: Vec<u32>,
    spans: Vec<[u32; FIELDS + 1]>,
    starts: Vec<u64>,
    present: Vec<u64>,
    words: Vec<Cow<'a, str>>,
}

/// `sig_bit` of a word's first character, and of all its characters.
fn word_sigs(w: &str) -> (u64, u64) {
    let mut chars = w.chars();
    let first = chars.next().map_or(0, sig_bit);
    (first, chars.fold(first, |a, c| a | sig_bit(c)))
}

fn cut<'a>(records: &'a Records, range: std::ops::Range<usize>) -> Part<'a> {
    let mut ids: FxHashMap<&str, u32> = FxHashMap::default();
    // Per local word id: its signatures.
    let mut sigs: Vec<(u64, u64)> = Vec::new();
    let mut years: FxHashMap<i32, Vec<u32>> = FxHashMap::default();
    let n = range.len();
    let mut part = Part {
        tokens: Vec::with_capacity(n * 32),
        spans: Vec::with_capacity(n),
        starts: Vec::with_capacity(n),
        present: Vec::with_capacity(n),
        words: Vec::new(),
    };
    for r in records.views_in(range) {
        let mut span = [0u32; FIELDS + 1];
        let (mut starts, mut present) = (0u64, 0u64);
        let mut add = |text: &'a str, part: &mut Part<'a>| {
            words(text, |w| {
                let id = *ids.entry(w).or_insert_with(|| {
                    part.words.push(Cow::Borrowed(w));
                    sigs.push(word_sigs(w));
                    part.words.len() as u32 - 1
                });
                part.tokens.push(id);
                let (first, all) = sigs[id as usize];
                starts |= first;
                present |= all;
            })
        };
        span[0] = part.tokens.len() as u32;
        if let Some(t) = r.title {
            add(t, &mut part);
        }
        span[1] = part.tokens.len() as u32;
        for a in r.authors() {
            for text in a.name_parts() {
                add(text, &mut part);
            }
        }
        span[2] = part.tokens.len() as u32;
        for k in r.keywords() {
            add(k, &mut part);
        }
        span[3] = part.tokens.len() as u32;
        if let Some(c) = r.container {
            add(c, &mut part);
        }
        span[4] = part.tokens.len() as u32;
        if let Some(y) = r.year {
            // A year's words (digits, and a sign) are not in the record as text.
            let ids = years.entry(y).or_insert_with(|| {
                let mut ids = Vec::new();
                words(&y.to_string(), |w| {
                    part.words.push(Cow::Owned(w.to_string()));
                    sigs.push(word_sigs(w));
                    ids.push(part.words.len() as u32 - 1);
                });
                ids
            });
            for &id in ids.iter() {
                part.tokens.push(id);
                let (first, all) = sigs[id as usize];
                starts |= first;
                present |= all;
            }
        }
        span[5] = part.tokens.len() as u32;
        part.spans.push(span);
        part.starts.push(starts);
        part.present.push(present);
    }
    part
}

/// The vocabulary renumbered so that words starting with the same character (case-folded)
/// have neighbouring ids, in their order before within each group, and `tokens` rewritten
/// to the new ids. A pass looks up the words a needle position may go on from (`Start::entry`,
/// the `reach` memo), which all start with that position's character: grouped, those
/// look-ups fall in one stretch of each table instead of across all of it. Two threads, a
/// million records, both orders built in one process and their passes alternating (a
/// temporary build of `examples/passes.rs`, not kept; min of 15, two runs, ms first-seen
/// order against grouped): `pee>peer` 70.9/78.3 against 59.8/62.4, `cog>cogn` 52.5/66.4
/// against 47.7/54.5, `de>dep` 56.1/54.6 against 47.4/44.1, `c>co` 45.3/47.7 against
/// 48.3/43.7. The vocabulary's `ends` always start with 0 afterwards, even when it is empty.
fn group_by_first(vocab: Vocab, tokens: &mut [u32]) -> Vocab {
    let n = vocab.len();
    let group = |w: usize| vocab.first[w].to_ascii_lowercase() as usize;
    // A counting sort on the group: where each group's next word goes.
    let mut next = [0u32; 257];
    for w in 0..n {
        next[group(w) + 1] += 1;
    }
    for g in 0..256 {
        next[g + 1] += next[g];
    }
    // Old id to new, and new to old.
    let mut new_id = vec![0u32; n];
    let mut order = vec![0u32; n];
    for (w, id) in new_id.iter_mut().enumerate() {
        let g = group(w);
        *id = next[g];
        order[next[g] as usize] = w as u32;
        next[g] += 1;
    }
    let mut grouped = Vocab {
        text: String::with_capacity(vocab.text.len()),
        ends: Vec::with_capacity(n + 2),
        first: Vec::with_capacity(n + 1),
    };
    grouped.ends.push(0);
    for &w in &order {
        grouped.text.push_str(vocab.word(w));
        grouped.ends.push(grouped.text.len() as u32);
        grouped.first.push(vocab.first[w as usize]);
    }
    tokens.par_chunks_mut(1 << 16).for_each(|chunk| {
        for t in chunk {
            let w = *t & WORD_ID;
            if (w as usize) < n {
                *t = (*t & !WORD_ID) | new_id[w as usize];
            }
        }
    });
    grouped
}

impl Meta {
    fn build<'r>(records: &'r Records) -> Meta {
        const SLICE: usize = 16 * 1024;
        let n = records.len();
        let slices = n.div_ceil(SLICE);
        // Slices are cut a wave at a time (one per core), and each wave is put into the one
        // vocabulary and the final arrays while the next is cut. Cutting every slice first
        // held all their tokens beside the final array: 390 MB on top of a 250 MB index at
        // a million records, the peak of the whole load (examples/memory.rs).
        let wave = rayon::current_num_threads().max(1);
        let cut_wave = |k: usize| -> Vec<Part<'r>> {
            (k * wave..((k + 1) * wave).min(slices))
                .into_par_iter()
                .map(|s| cut(records, s * SLICE..((s + 1) * SLICE).min(n)))
                .collect()
        };
        let mut vocab = Vocab::default();
        let mut global: FxHashMap<Cow<'r, str>, u32> = FxHashMap::default();
        let mut tokens: Vec<u32> = Vec::new();
        let mut spans = Vec::with_capacity(n);
        let mut starts = Vec::with_capacity(n);
        let mut present = Vec::with_capacity(n);
        let mut put = |parts: Vec<Part<'r>>| {
            for p in parts {
                // Each local id mapped to its global one, packed with the word's first byte.
                // Vocabularies past 2^24 words (far beyond ten million records) keep their
                // first 2^24 words searchable; the rest share an empty word that matches
                // nothing (put at WORD_ID below).
                let map: Vec<u32> = p
                    .words
                    .iter()
                    .map(|w| {
                        let g = *global.entry(w.clone()).or_insert_with(|| {
                            vocab.push(w);
                            vocab.len() as u32 - 1
                        });
                        if g < WORD_ID {
                            (vocab.first[g as usize] as u32) << 24 | g
                        } else {
                            (b' ' as u32) << 24 | WORD_ID
                        }
                    })
                    .collect();
                if tokens.capacity() == 0 {
                    // Room for the whole library, estimated from the first slice: growing by
                    // doubling would copy the array and leave the old one behind.
                    let per = p.tokens.len() as f64 / p.spans.len().max(1) as f64;
                    tokens.reserve((per * n as f64 * 1.05) as usize + 64);
                }
                let base = tokens.len() as u32;
                tokens.extend(p.tokens.iter().map(|&t| map[t as usize]));
                spans.extend(p.spans.iter().map(|s| s.map(|x| x + base)));
                starts.extend_from_slice(&p.starts);
                present.extend_from_slice(&p.present);
            }
        };
        let mut current = cut_wave(0);
        let mut k = 0;
        while !current.is_empty() {
            k += 1;
            let (next, ()) = rayon::join(|| cut_wave(k), || put(std::mem::take(&mut current)));
            current = next;
        }
        drop(global);
        if vocab.len() > WORD_ID as usize {
            vocab.truncate(WORD_ID as usize);
        }
        let mut vocab = group_by_first(vocab, &mut tokens);
        vocab.push("");
        let years = (0..n)
            .into_par_iter()
            .map(|i| records.year(i).unwrap_or(NO_YEAR))
            .collect();
        vocab.text.shrink_to_fit();
        Meta::with_lists(tokens, spans, starts, present, years, vocab)
    }

    fn heap_bytes(&self) -> usize {
        self.tokens.capacity() * 4
            + self.spans.capacity() * std::mem::size_of::<[u32; FIELDS + 1]>()
            + (self.starts.capacity() + self.present.capacity()) * 8
            + self.years.capacity() * 4
            + self.vocab.text.capacity()
            + self.vocab.ends.capacity() * 4
            + self.vocab.first.capacity()
            + self.lists.heap_bytes()
            + self.pairs.heap_bytes()
    }
}

impl Index {
    /// An index of `records`; its metadata words are cut on first use (`prepare`).
    pub fn new(records: Arc<Records>) -> Index {
        Index {
            len: records.len(),
            records,
            meta: OnceLock::new(),
            abstracts: OnceLock::new(),
        }
    }

    /// The metadata words, cut now if nobody has yet (a caller racing a build waits for it).
    fn meta(&self) -> &Meta {
        self.meta.get_or_init(|| Meta::build(&self.records))
    }

    /// Cuts the metadata into words now (a first search would otherwise do it).
    pub fn prepare(&self) {
        self.meta();
    }

    /// Both indexes: the metadata's, then the abstracts'.
    pub fn prepare_all(&self) {
        self.prepare();
        self.index_abstracts();
    }

    /// Builds the abstract index now (a caller racing a build waits for it); until it is
    /// built, `ab:` and `fi:` scan the text.
    pub fn index_abstracts(&self) {
        self.abstracts
            .get_or_init(|| AbstractIndex::new(&self.records));
    }

    /// Whether `ab:` and `fi:` use the abstract index yet.
    pub fn abstracts_indexed(&self) -> bool {
        self.abstracts.get().is_some()
    }

    pub fn records(&self) -> &Arc<Records> {
        &self.records
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Heap bytes held by the search structures (not the records).
    pub fn heap_bytes(&self) -> usize {
        self.meta.get().map_or(0, Meta::heap_bytes)
            + self.abstracts.get().map_or(0, AbstractIndex::heap_bytes)
    }

    /// Number of distinct metadata words.
    pub fn vocabulary(&self) -> usize {
        self.meta().vocab.len()
    }

    /// Runs a query over every record, or only over `within` (record indices, e.g. the hits of
    /// a query this one narrows). Hits come best first, ties in record order. Returns None when
    /// `cancelled` turned true during the pass.
    pub fn run(
        &self,
        query: &Query,
        within: Option<&[u32]>,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Option<Vec<Hit>> {
        // Ties keep the order they are found in, so look in record order.
        let sorted;
        let within = match within {
            Some(w) if !w.is_sorted() => {
                let mut w = w.to_vec();
                w.par_sort_unstable();
                sorted = w;
                Some(&sorted[..])
            }
            w => w,
        };
        let earlier: Option<Vec<Hit>> = within.map(|w| {
            w.iter()
                .map(|&record| Hit {
                    record,
                    score: 0,
                    rest: 0,
                    from: 0,
                })
                .collect()
        });
        let narrow = earlier.as_deref().map(|hits| Narrow {
            hits,
            known_terms: 0,
            total: false,
            resume: false,
        });
        Some(self.pass(query, narrow, cancelled)?.ranked(|h| *h))
    }

    /// The records that match, with their scores, in the order of `within` (record order when
    /// None).
    pub fn matches(
        &self,
        query: &Query,
        within: Option<Narrow<'_>>,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Option<Vec<Hit>> {
        self.pass(query, within, cancelled).map(PassHits::into_hits)
    }

    /// `matches`, its hits left where the pass's chunks wrote them, with the counts of their
    /// scores (`PassHits::ranked_and_hits` ranks them and closes them up in one go).
    pub fn pass(
        &self,
        query: &Query,
        within: Option<Narrow<'_>>,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Option<PassHits> {
        let mut prepared: Vec<Prepared> = query.terms.iter().map(Prepared::new).collect();
        let known = within.map_or(0, |w| w.known_terms);
        for p in prepared.iter().skip(known) {
            if let Some(plan) = &p.plan {
                plan.prepare(&self.meta().vocab);
            }
        }
        if let Some(abstracts) = self.abstracts.get() {
            // The records to look within, made only when an abstract term needs them.
            let mut records: Option<Option<Vec<u32>>> = None;
            for p in prepared.iter_mut().skip(known) {
                let findings = match (p.term.field, &p.term.pattern) {
                    (Field::Abstract, Pattern::Fuzzy(_)) => false,
                    (Field::Findings, Pattern::Fuzzy(_)) => true,
                    _ => continue,
                };
                let records = records.get_or_insert_with(|| {
                    within.map(|w| w.hits.iter().map(|h| h.record).collect())
                });
                let found = abstracts.search(
                    p.term.needle(),
                    p.term.case_sensitive,
                    findings,
                    records.as_deref(),
                    cancelled,
                )?;
                let mut scores = vec![NO_MATCH; self.len()];
                for (r, s) in found {
                    scores[r as usize] = s.clamp(NO_MATCH as i64 + 1, i32::MAX as i64) as i32;
                }
                p.abstract_scores = Some(scores);
            }
        }
        let pass = Pass {
            index: self,
            meta: self.meta(),
            terms: &prepared,
        };
        let n = within.map_or(self.len(), |w| w.hits.len());
        // Whether the terms to test read the records' words: not when each is answered by
        // `Lists::first_of` (a needle of one letter or digit).
        let reads_words = prepared.iter().skip(known).any(|p| {
            p.plan.as_ref().is_none_or(|plan| plan.one_class.is_none())
                || p.term.field != Field::Any
        });
        // The common case (`Pass::score_last`): one term left to test, a fuzzy one over the
        // metadata's words, not negated and not answered by `Lists::first_of`.
        let lean = match prepared.get(known..).unwrap_or_default() {
            [p] if !p.term.negated && p.abstract_scores.is_none() => {
                let plan = p.plan.as_ref();
                let one_letter = plan.is_some_and(|plan| plan.one_class.is_some());
                plan.zip(field_words(p.term.field))
                    .filter(|_| !(one_letter && p.term.field == Field::Any))
            }
            _ => None,
        };
        // Each job of records writes its hits at the start of its own part of `hits`' spare
        // room (a job has no more hits than records): one buffer a pass, reused by the
        // allocator from pass to pass, instead of a vector per job (at a million records, new
        // memory to touch at most keystrokes: `search::worker`'s `ORDERED`). `matches` closes
        // the parts up in place; the worker copies them, ranked and closed up, into vectors of
        // their own size and frees the buffer (`PassHits::ranked_and_hits`). Typing at a
        // million records through the worker, the page faults per keystroke were the same
        // either way (0-1, and 10-11 on a word's first letter: `examples/passes.rs`,
        // `WORKER=1`).
        let mut hits: Vec<Hit> = Vec::with_capacity(n);
        let chunks: Vec<Option<ChunkHits>> = hits.spare_capacity_mut()[..n]
            .par_chunks_mut(PASS_CHUNK)
            .enumerate()
            .map_init(Scratch::default, |local, (c, slots)| {
                if cancelled() {
                    return None;
                }
                let range = c * PASS_CHUNK..((c + 1) * PASS_CHUNK).min(n);
                let mut count = 0;
                let mut out = |hit: Option<Hit>| {
                    if let Some(hit) = hit {
                        slots[count].write(hit);
                        count += 1;
                    }
                };
                let meta = pass.meta;
                let ahead = |r: usize| {
                    if let Some(span) = meta.spans.get(r) {
                        prefetch(&meta.starts[r]);
                        prefetch(&meta.present[r]);
                        if reads_words {
                            // A record's words take a few cache lines (16 words a line).
                            let words = span[0] as usize..span[FIELDS] as usize;
                            for t in meta.tokens[words].iter().step_by(16).take(4) {
                                prefetch(t);
                            }
                        } else {
                            meta.lists.prefetch(r);
                        }
                    }
                };
                match within {
                    Some(w) => {
                        let (from, to) = (range.start, range.end);
                        for (k, h) in w.hits[range].iter().enumerate() {
                            // Two steps ahead: the span, then (once it is in) the words.
                            if let Some(h) = w.hits[..to].get(from + k + 2 * AHEAD) {
                                prefetch(&meta.spans[h.record as usize]);
                            }
                            if let Some(h) = w.hits[..to].get(from + k + AHEAD) {
                                ahead(h.record as usize);
                            }
                            let known = if w.known_terms == 0 {
                                0
                            } else if w.total {
                                h.score
                            } else {
                                h.rest
                            };
                            let from = if w.resume { h.from } else { 0 };
                            out(match lean {
                                Some((plan, words)) => {
                                    pass.score_last(h.record, plan, words, known, from, local)
                                }
                                None => pass.score(h.record, w.known_terms, known, from, local),
                            });
                        }
                    }
                    None => {
                        let end = range.end;
                        for i in range {
                            if i + AHEAD < end {
                                ahead(i + AHEAD);
                            }
                            out(match lean {
                                Some((plan, words)) => {
                                    pass.score_last(i as u32, plan, words, 0, 0, local)
                                }
                                None => pass.score(i as u32, 0, 0, 0, local),
                            });
                        }
                    }
                }
                // SAFETY: the loop above wrote slots 0..count, each before counting it.
                let written = unsafe { slots[..count].assume_init_ref() };
                Some(ChunkHits::of(written))
            })
            .collect();
        let chunks = chunks.into_iter().collect::<Option<Vec<ChunkHits>>>()?;
        if cancelled() {
            return None;
        }
        Some(PassHits { buf: hits, chunks })
    }
}

/// Records a pass's parallel job takes at a time.
const PASS_CHUNK: usize = 4096;

/// What ranking needs of one chunk of a pass's hits: how many there are, and how many have
/// each score from `lo` on (empty when they have none, or when their scores spread too wide
/// for a counting sort: `wide`).
struct ChunkHits {
    count: usize,
    lo: i64,
    counts: Vec<u32>,
    wide: bool,
}

impl ChunkHits {
    /// Counted while the chunk's hits are still in the processor's cache: ranking them after
    /// read every hit twice more, for the scores' range and for their counts.
    fn of(hits: &[Hit]) -> ChunkHits {
        let (lo, hi) = hits.iter().fold((i64::MAX, i64::MIN), |(lo, hi), h| {
            (lo.min(h.score as i64), hi.max(h.score as i64))
        });
        // A chunk's counts take at most 4 KB more than its hits.
        let wide = !hits.is_empty() && (hi - lo >= 1 << 16 || hi - lo > hits.len() as i64 + 1024);
        let mut counts = Vec::new();
        if !hits.is_empty() && !wide {
            counts = vec![0u32; (hi - lo) as usize + 1];
            for h in hits {
                counts[(h.score as i64 - lo) as usize] += 1;
            }
        }
        ChunkHits {
            count: hits.len(),
            lo,
            counts,
            wide,
        }
    }

    /// The highest score (below `lo` when there are no hits).
    fn hi(&self) -> i64 {
        self.lo + self.counts.len() as i64 - 1
    }
}

/// Whether hits whose scores span lo..=hi rank by a counting sort (they nearly always do: a
/// few hundred values) rather than a comparison sort.
fn counting_sorts(lo: i64, hi: i64, hits: usize) -> bool {
    hi - lo < 1 << 16 && (hi - lo) as usize <= hits * 4 + 64
}

/// A pass's hits as its parallel jobs left them: job c's at `c * PASS_CHUNK` in `buf`'s spare
/// room, `chunks[c].count` of them, in record order (the order of `within`).
pub struct PassHits {
    buf: Vec<Hit>,
    chunks: Vec<ChunkHits>,
}

impl PassHits {
    pub fn len(&self) -> usize {
        self.chunks.iter().map(|c| c.count).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Job c's hits.
    fn chunk(&self, c: usize) -> &[Hit] {
        let count = self.chunks[c].count;
        // SAFETY: job c wrote `count` hits from slot c * PASS_CHUNK on (`Index::pass`), within
        // `buf`'s capacity, and nothing has written there since.
        unsafe {
            let at = self.buf.as_ptr().add(c * PASS_CHUNK);
            std::slice::from_raw_parts(at, count)
        }
    }

    /// Each job's hits, with its counts.
    fn jobs(&self) -> Vec<(&[Hit], &ChunkHits)> {
        (0..self.chunks.len())
            .map(|c| (self.chunk(c), &self.chunks[c]))
            .collect()
    }

    /// `ranked_and_hits`' ranking alone (`Index::run`).
    pub fn ranked<T: Copy + Send + Sync>(self, pick: impl Fn(&Hit) -> T + Sync) -> Vec<T> {
        match count_ranked(&self.jobs(), &pick, false) {
            Some((out, _)) => out,
            None => sorted_by_score(&self.into_hits(), pick),
        }
    }

    /// The hits closed up, in record order (the order of `within`).
    pub fn into_hits(self) -> Vec<Hit> {
        let PassHits { mut buf, chunks } = self;
        let slots = buf.spare_capacity_mut();
        let mut len = 0;
        for (c, chunk) in chunks.iter().enumerate() {
            slots.copy_within(c * PASS_CHUNK..c * PASS_CHUNK + chunk.count, len);
            len += chunk.count;
        }
        // SAFETY: job c wrote its `count` hits to slots c * PASS_CHUNK.., and those were
        // copied, in job order, to 0..len (each to a place at or before its own); `Hit` is
        // `Copy`.
        unsafe { buf.set_len(len) };
        buf
    }

    /// `ranked(&hits, pick)` and the hits closed up (`into_hits`), in one parallel pass over
    /// the jobs' hits, with the counts their jobs took (`ChunkHits`). Ranking the closed-up
    /// hits read them twice more, and closing them up was a copy on one thread: `peer` after
    /// `pee` at a million records, 1.2 ms to close up and 2.3 to rank.
    pub fn ranked_and_hits<T: Copy + Send + Sync>(
        self,
        pick: impl Fn(&Hit) -> T + Sync,
    ) -> (Vec<T>, Vec<Hit>) {
        if let Some(both) = count_ranked(&self.jobs(), &pick, true) {
            return both;
        }
        let mut hits = self.into_hits();
        // The pass's buffer has room for every record it looked at.
        if hits.len() * 2 < hits.capacity() {
            hits.shrink_to_fit();
        }
        (sorted_by_score(&hits, pick), hits)
    }
}

/// The counting sort both rankings use (`ranked`, `PassHits::ranked_and_hits`): `jobs` are
/// runs of hits in the order given, each with its `ChunkHits`. Returns what `pick` takes of
/// each hit, best first and ties in the order given, and with `close_up` the hits laid end to
/// end; None when the scores spread too wide to count (`counting_sorts`). Each job puts its
/// hits at the places its counts give it, in parallel.
fn count_ranked<T: Copy + Send + Sync>(
    jobs: &[(&[Hit], &ChunkHits)],
    pick: &(impl Fn(&Hit) -> T + Sync),
    close_up: bool,
) -> Option<(Vec<T>, Vec<Hit>)> {
    let len: usize = jobs.iter().map(|(_, c)| c.count).sum();
    let (lo, hi) = jobs
        .iter()
        .filter(|(_, c)| c.count > 0)
        .fold((i64::MAX, i64::MIN), |(lo, hi), (_, c)| {
            (lo.min(c.lo), hi.max(c.hi()))
        });
    if len == 0 {
        return Some((Vec::new(), Vec::new()));
    }
    if jobs.iter().any(|(_, c)| c.wide) || !counting_sorts(lo, hi, len) {
        return None;
    }
    // Slot s holds score hi - s. Where each job's hits of each score go: after every hit of a
    // better score, and after the earlier jobs' hits of the same score (ties stay in the order
    // given). First the hits of each slot, then where its first hit goes, then each job's
    // place within it, job after job.
    let mut next = vec![0usize; (hi - lo) as usize + 1];
    for (_, chunk) in jobs {
        for (k, &count) in chunk.counts.iter().enumerate() {
            next[(hi - chunk.lo) as usize - k] += count as usize;
        }
    }
    let mut place = 0;
    for n in next.iter_mut() {
        (*n, place) = (place, place + *n);
    }
    // Per job: its places by score, and where its hits go closed up.
    let mut base = 0;
    let places: Vec<(Vec<usize>, usize)> = jobs
        .iter()
        .map(|(_, chunk)| {
            let first = (hi - chunk.lo) as usize;
            let at = (0..chunk.counts.len())
                .map(|k| {
                    let at = next[first - k];
                    next[first - k] += chunk.counts[k] as usize;
                    at
                })
                .collect();
            base += chunk.count;
            (at, base - chunk.count)
        })
        .collect();
    let mut out: Vec<T> = Vec::with_capacity(len);
    let mut hits: Vec<Hit> = Vec::with_capacity(if close_up { len } else { 0 });
    let (ranks, closed) = (Places(out.as_mut_ptr()), Places(hits.as_mut_ptr()));
    places
        .into_par_iter()
        .zip(jobs)
        .for_each(|((mut at, base), (job, chunk))| {
            let (ranks, closed) = (&ranks, &closed);
            for (k, h) in job.iter().enumerate() {
                let slot = &mut at[(h.score as i64 - chunk.lo) as usize];
                debug_assert!(*slot < len && base + k < len);
                // SAFETY: the ranked places are a partition of 0..len (the counts of every
                // job and score laid end to end), and the closed-up ones too (each job's count
                // from its base), so each is below both outputs' capacity (len, when closing
                // up) and is written by exactly one job, once.
                unsafe {
                    ranks.0.add(*slot).write(pick(h));
                    if close_up {
                        closed.0.add(base + k).write(*h);
                    }
                }
                *slot += 1;
            }
        });
    // SAFETY: every place below len of `out`, and of `hits` when closing up, was written above.
    unsafe {
        out.set_len(len);
        if close_up {
            hits.set_len(len);
        }
    }
    Some((out, hits))
}

/// `ranked` by a comparison sort, for scores spread too wide to count.
fn sorted_by_score<T>(hits: &[Hit], pick: impl Fn(&Hit) -> T) -> Vec<T> {
    let mut order: Vec<&Hit> = hits.iter().collect();
    // Stable: ties stay in the order given.
    order.par_sort_by(|a, b| b.score.cmp(&a.score));
    order.into_iter().map(pick).collect()
}

/// How many records ahead of the one being matched a pass asks for the next records' words:
/// each record's words start at a place the processor cannot foresee, and waiting for each in
/// turn cost a cache miss a record.
const AHEAD: usize = 8;

/// Asks the processor to bring `at` into the cache (a hint: it reads nothing and cannot fail).
#[inline(always)]
fn prefetch<T>(at: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint; it does not access memory architecturally and cannot fault.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>((at as *const T).cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = at;
}

/// Best first, ties in the order given (record order for a pass): a counting sort on the score
/// when the scores span a modest range (they nearly always do: a few hundred values), else a
/// comparison sort.
pub fn rank(hits: &mut Vec<Hit>) {
    *hits = ranked(hits, |h| *h);
}

/// `rank`'s order, as what `pick` takes from each hit. The counting sort runs in parallel
/// chunks of the hits: each counts its scores, then puts its hits in the places the counts
/// give it (a million hits took 7 to 10 ms on one thread, a tenth of a keystroke at a million
/// records). The worker ranks a pass's hits with the counts the pass took
/// (`PassHits::ranked_and_hits`).
pub fn ranked<T: Copy + Send + Sync>(hits: &[Hit], pick: impl Fn(&Hit) -> T + Sync) -> Vec<T> {
    let counted: Vec<(&[Hit], ChunkHits)> = hits
        .par_chunks(1 << 16)
        .map(|c| (c, ChunkHits::of(c)))
        .collect();
    let jobs: Vec<(&[Hit], &ChunkHits)> = counted.iter().map(|(h, c)| (*h, c)).collect();
    match count_ranked(&jobs, &pick, false) {
        Some((out, _)) => out,
        None => sorted_by_score(hits, pick),
    }
}

/// `count_ranked`'s outputs, written by its jobs at places no two share.
struct Places<T>(*mut T);
// SAFETY: `count_ranked` writes through it only at disjoint places, from one thread each.
unsafe impl<T: Send> Sync for Places<T> {}

/// What one term's pass learns about the vocabulary, computed at most once and shared by the
/// threads (0 in a slot: not yet known).
struct Memo {
    /// What each word does entered at the needle's start, for the whole vocabulary at once
    /// (`TokenPlan::prepare`).
    start: OnceLock<Start>,
    /// Per needle position past the first, per word: how many needle characters from there on
    /// the word holds, plus one. A table is made when a match first reaches its position.
    reach: Vec<OnceLock<Box<[AtomicU8]>>>,
    /// Per chunk of the needle (from, to), per word: skim's score of the chunk in the word plus
    /// `SCORE_BIAS` (0: not yet known). Shared by the threads, as a memo per thread scored the
    /// same chunk words again in every job: skim and a hash map were a quarter of a short
    /// needle's pass at a million records (`examples/passes.rs`, `co>cog`). A table is made
    /// when a chunk is first scored, while `tables` allows (a long needle spread over many
    /// words could otherwise ask for hundreds of them); past that, chunks are remembered per
    /// thread (`Scratch::chunk_scores`).
    chunks: Vec<OnceLock<Box<[AtomicU32]>>>,
    /// The bytes more chunk tables may take.
    table_bytes: AtomicUsize,
    /// Per needle position, per first byte (ASCII): the score of a chunk of one character
    /// from there, in any word starting with that byte.
    by_first: Vec<[AtomicU32; 128]>,
}

const SCORE_BIAS: i64 = 1 << 30;

/// The vocabulary words a match can be entered by, a bit per word, and what is known of them
/// numbered densely among the set words, so the look-ups stay in cache (most words that share
/// the needle's first character hold no more of it, and do nothing).
struct Start {
    /// The words that hold the whole needle.
    whole: Ranked,
    /// Per word in `whole`: skim's score plus `SCORE_BIAS` (0: not yet known).
    scores: Box<[AtomicU32]>,
    /// Per word: how many needle characters it holds entered at the needle's start, when that
    /// is the whole needle or a chunk a next word may go on from (two characters or more, one
    /// CJK); else 0. One byte a word: a look-up in this table (which stays in the processor's
    /// second-level cache at half a million words) cost less than two in bit sets.
    entry: Box<[u8]>,
}

/// A set of words as bits, with each word's number among the set ones.
struct Ranked {
    bits: Vec<u64>,
    /// Set bits before each block of 64.
    before: Vec<u32>,
}

impl Ranked {
    fn new(bits: Vec<u64>) -> Ranked {
        let mut n = 0;
        let before = bits
            .iter()
            .map(|b| {
                let at = n;
                n += b.count_ones();
                at
            })
            .collect();
        Ranked { bits, before }
    }

    fn len(&self) -> usize {
        self.before.last().map_or(0, |&b| b as usize)
            + self.bits.last().map_or(0, |b| b.count_ones() as usize)
    }

    /// The word's number among the set ones, when it is set.
    fn rank(&self, w: u32) -> Option<usize> {
        let block = self.bits[w as usize / 64];
        let bit = 1u64 << (w % 64);
        (block & bit != 0).then(|| {
            self.before[w as usize / 64] as usize + (block & (bit - 1)).count_ones() as usize
        })
    }
}

impl Memo {
    /// Chunk table `k` (made now when the budget allows), or None.
    fn chunk_table(&self, k: usize, words: usize) -> Option<&[AtomicU32]> {
        let slot = &self.chunks[k];
        if let Some(t) = slot.get() {
            return Some(t);
        }
        let granted = self
            .table_bytes
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(words * std::mem::size_of::<AtomicU32>())
            })
            .is_ok();
        // Two threads may both be granted one for the same chunk; one table is made.
        granted.then(|| &**slot.get_or_init(|| zeroed(words)))
    }
}

fn zeroed<T: Default>(len: usize) -> Box<[T]> {
    (0..len).map(|_| T::default()).collect()
}

/// What the chunk tables of one term's pass may take together, in bytes.
const CHUNK_TABLES_BYTES: usize = 32 << 20;

impl Memo {
    /// The memo of a needle of `positions` characters.
    fn new(positions: usize) -> Memo {
        Memo {
            start: OnceLock::new(),
            reach: (0..positions).map(|_| OnceLock::new()).collect(),
            chunks: (0..positions * positions)
                .map(|_| OnceLock::new())
                .collect(),
            table_bytes: AtomicUsize::new(CHUNK_TABLES_BYTES),
            by_first: (0..positions)
                .map(|_| std::array::from_fn(|_| AtomicU32::new(0)))
                .collect(),
        }
    }
}

/// One pass of a query over the index.
struct Pass<'a> {
    index: &'a Index,
    meta: &'a Meta,
    terms: &'a [Prepared<'a>],
}

/// Per-thread scratch of a pass: the chunks of the match at hand, and skim's scores of chunks
/// the shared memo has no table for.
struct Scratch {
    chunks: Vec<(u32, u8, u8)>,
    chunk_scores: FxHashMap<(u32, u8, u8), i64>,
    /// For each needle position a match opened: the token and position its chunk started at
    /// (kept between records: `find` reads only the entries it wrote).
    via: [(u32, u8); 64],
    /// The `from` of the term `term_eval` matched last (`Hit::from`).
    from: u8,
    /// Per term (the first few): the records this thread tried it on, and how many failed it.
    failures: [(u32, u32); 8],
    /// Per term (the first few): the records this thread put to its chunk test, and how many
    /// the test turned away (`TokenPlan::chunk_test`).
    chunk_tests: [(u32, u32); 8],
}

impl Default for Scratch {
    fn default() -> Scratch {
        Scratch {
            chunks: Vec::new(),
            chunk_scores: FxHashMap::default(),
            via: [(0, 0); 64],
            from: 0,
            failures: [(0, 0); 8],
            chunk_tests: [(0, 0); 8],
        }
    }
}

impl Pass<'_> {
    /// The sum of the terms' scores when every term holds. Scoring a word costs about what
    /// testing it does (a memo look-up), so each term is tested and scored in one go.
    fn score(
        &self,
        record: u32,
        known_terms: usize,
        known: i32,
        from: u8,
        local: &mut Scratch,
    ) -> Option<Hit> {
        // The last term first: it is the one being typed, and when a pass narrows the
        // previous hits, the only one that can fail.
        let i = record as usize;
        let mut total = known as i64;
        let mut last = 0;
        let mut last_from = 0;
        let n = self.terms.len();
        for (t, p) in self.terms.iter().enumerate().skip(known_terms).rev() {
            let is_last = t + 1 == n;
            local.from = 0;
            let s = self.term_eval(
                i,
                t,
                p,
                !p.term.negated,
                is_last as usize * from as usize,
                local,
            );
            if is_last {
                last_from = local.from;
            }
            if s.is_some() == p.term.negated {
                return None;
            }
            let s = s.unwrap_or(0);
            total += s;
            if t + 1 == n {
                last = s;
            }
        }
        let clamp = |s: i64| s.clamp(i32::MIN as i64, i32::MAX as i64) as i32;
        Some(Hit {
            record,
            score: clamp(total),
            rest: clamp(total - last),
            from: last_from,
        })
    }

    /// `score` when only the last term is left to test (the others' score is `known`), and
    /// it is a fuzzy one over the words of the fields `words` (`field_words`), not negated and
    /// not answered by `Lists::first_of`: the keystrokes of a word being typed, with nothing
    /// of `score`'s and `term_eval`'s other cases on the way (c>co at 100k, one thread: 386
    /// instructions a record through `score`, callgrind).
    #[inline(always)]
    fn score_last(
        &self,
        record: u32,
        plan: &TokenPlan,
        words: (usize, usize),
        known: i32,
        from: u8,
        local: &mut Scratch,
    ) -> Option<Hit> {
        let i = record as usize;
        let ix = self.meta;
        // The pass tests one term only: its counts are the first slot's.
        if !plan.may_match(ix, i) || !plan.chunk_test(ix, i, Some(&mut local.chunk_tests[0])) {
            return None;
        }
        let span = &ix.spans[i];
        let tokens = &ix.tokens[span[words.0] as usize..span[words.1] as usize];
        // As `term_eval`: listed once most of the records tried failed.
        let (tried, failed) = local.failures[0];
        let found = if tried >= 64 && failed * 2 > tried && ix.lists.listed(i) {
            let listed = Some((&ix.lists, i, span[words.0] as usize - span[0] as usize));
            plan.find_in::<true>(
                tokens,
                &ix.vocab,
                &mut local.chunks,
                &mut local.via,
                listed,
                from as usize,
            )
        } else {
            plan.find_in::<false>(
                tokens,
                &ix.vocab,
                &mut local.chunks,
                &mut local.via,
                None,
                from as usize,
            )
        };
        local.failures[0] = (tried + 1, failed + found.is_none() as u32);
        let (found, entered) = found?;
        let s = self.found_score(plan, &found, local);
        let total = known as i64 + s;
        Some(Hit {
            record,
            score: total.clamp(i32::MIN as i64, i32::MAX as i64) as i32,
            rest: known,
            from: entered.min(u8::MAX as usize) as u8,
        })
    }

    /// Whether the term matches record `i` (Some), with its score when `scoring`.
    fn term_eval(
        &self,
        i: usize,
        t: usize,
        p: &Prepared,
        scoring: bool,
        from: usize,
        local: &mut Scratch,
    ) -> Option<i64> {
        if let Some(scores) = &p.abstract_scores {
            let s = scores[i];
            return (s != NO_MATCH).then_some(s as i64);
        }
        let ix = self.meta;
        let span = &ix.spans[i];
        let range = field_words(p.term.field).map(|(f, to)| span[f] as usize..span[to] as usize);
        if let (Some(tokens), Some(plan)) = (range, &p.plan) {
            if !plan.may_match(ix, i) || !plan.chunk_test(ix, i, local.chunk_tests.get_mut(t)) {
                return None;
            }
            if let (Some(c), Field::Any) = (plan.one_class, p.term.field) {
                // One letter or digit, case-folded, over the whole record: the first word
                // starting with it decides, by its first character (as `find` would give it).
                let (upper, at) = ix.lists.first_of(i, c)?;
                local.from = at.unwrap_or(0);
                if !scoring {
                    return Some(0);
                }
                let first = plan.needle[0] as u8;
                let first = if upper {
                    first.to_ascii_uppercase()
                } else {
                    first
                };
                return Some(self.found_score(plan, &Found::ByFirst(first), local));
            }
            // Listed once most of the records this thread tried the term on failed it: a
            // failing record is read to its end, and the lists skip the tokens no open position
            // takes (`a>au`: 68 ms to 48, two threads); a matching one stops at its match,
            // mostly within the first few tokens, and reads its lists for little (`de>dep`,
            // 50 ms scanned, 55 listed).
            let (tried, failed) = local.failures.get(t).copied().unwrap_or((0, 0));
            let listed = (tried >= 64 && failed * 2 > tried && ix.lists.listed(i))
                .then(|| (&ix.lists, i, tokens.start - span[0] as usize));
            let found = plan.find(
                &ix.tokens[tokens],
                &ix.vocab,
                &mut local.chunks,
                &mut local.via,
                listed,
                from,
            );
            if let Some(f) = local.failures.get_mut(t) {
                *f = (f.0 + 1, f.1 + found.is_none() as u32);
            }
            let (found, entered) = found?;
            local.from = entered.min(u8::MAX as usize) as u8;
            if !scoring {
                return Some(0);
            }
            return Some(self.found_score(plan, &found, local));
        }
        if let (Field::Year, Pattern::Years(lo, hi)) = (p.term.field, &p.term.pattern) {
            let y = ix.years[i];
            return (y != NO_YEAR && lo.is_none_or(|lo| y >= lo) && hi.is_none_or(|hi| y <= hi))
                .then_some(0);
        }
        // An index read from the search cache has no records; `answers_without_records`
        // keeps the queries that would need them away from it.
        let record = self.index.records.view(i)?;
        let text_eval = |hay: &str| text_eval(hay, p, scoring);
        match p.term.field {
            Field::Year => record.year.and_then(|y| text_eval(&y.to_string())),
            Field::Abstract | Field::Findings => {
                let findings = p.term.field == Field::Findings;
                let mut sections = record.sections().filter(|(label, _)| {
                    !findings || label.is_some_and(crate::record::is_findings_label)
                });
                if scoring {
                    sections.filter_map(|(_, text)| text_eval(text)).max()
                } else {
                    sections.find_map(|(_, text)| text_eval(text))
                }
            }
            // Exact terms (and fuzzy needles the word gate cannot take) look at each field
            // item's own text.
            field => {
                let year = record.year.map(|y| y.to_string());
                let names: Vec<Cow<str>> = record.authors().map(|a| a.name()).collect();
                let title = record.title.into_iter();
                let authors = names.iter().map(|n| n.as_ref());
                let keywords = record.keywords();
                let container = record.container.into_iter();
                let items: Vec<&str> = match field {
                    Field::Title => title.collect(),
                    Field::Author => authors.collect(),
                    Field::Keyword => keywords.collect(),
                    Field::Container => container.collect(),
                    _ => title
                        .chain(authors)
                        .chain(keywords)
                        .chain(container)
                        .chain(year.as_deref())
                        .collect(),
                };
                let mut scores = items.into_iter().filter_map(text_eval);
                if scoring {
                    scores.max()
                } else {
                    scores.next()
                }
            }
        }
    }

    /// Skim's score of a gate match: of the word that holds the whole needle, or, for a needle
    /// spread over several words, the sum of skim's scores of each word's chunk less what the
    /// later chunks gain by each starting afresh (so a match inside one word ranks first).
    fn found_score(&self, plan: &TokenPlan, found: &Found, local: &mut Scratch) -> i64 {
        let vocab = &self.meta.vocab;
        let Scratch {
            chunks,
            chunk_scores,
            ..
        } = local;
        let chunks = match found {
            Found::Chunks => &chunks[..],
            &Found::ByFirst(first) => {
                // A one-character needle scores by the word's first character alone (test
                // `one_character_scores_by_the_first`): one slot per first byte.
                return remembered(&plan.memo.by_first[0][first as usize & 0x7f], || {
                    skim_score(&(first as char).to_string(), &plan.original)
                });
            }
            &Found::Word(w) => {
                let start = plan.start(vocab);
                return match start.whole.rank(w) {
                    Some(r) => remembered(&start.scores[r], || {
                        skim_score(vocab.word(w), &plan.original)
                    }),
                    None => skim_score(vocab.word(w), &plan.original),
                };
            }
        };
        let mut total = 0;
        let n = plan.needle.len();
        for &(w, from, to) in chunks {
            let (from, to) = (from as usize, to as usize);
            let chunk = || -> String { plan.original_chars[from..to].iter().collect() };
            let first = vocab.first[w as usize];
            total += if to == from + 1 && first < NON_ASCII {
                // A chunk of one character, like a needle of one: by the first byte.
                remembered(&plan.memo.by_first[from][first as usize], || {
                    skim_score(&(first as char).to_string(), &chunk())
                })
            } else {
                // `to` is at least `from + 1`, so (from, to - 1) numbers the chunk below n * n.
                match plan.memo.chunk_table(from * n + to - 1, vocab.len()) {
                    Some(table) => {
                        remembered(&table[w as usize], || skim_score(vocab.word(w), &chunk()))
                    }
                    None => *chunk_scores
                        .entry((w, from as u8, to as u8))
                        .or_insert_with(|| skim_score(vocab.word(w), &chunk())),
                }
            };
        }
        total - CHUNK_PENALTY * (chunks.len() as i64 - 1)
    }
}

/// The fields whose words a term over `field` looks at, as `Meta::spans` indices (from, to).
fn field_words(field: Field) -> Option<(usize, usize)> {
    match field {
        Field::Any => Some((0, FIELDS)),
        Field::Title => Some((0, 1)),
        Field::Author => Some((1, 2)),
        Field::Keyword => Some((2, 3)),
        Field::Container => Some((3, 4)),
        Field::Year | Field::Abstract | Field::Findings => None,
    }
}

/// What a later chunk of a needle spread over words gains by starting a word of its own: the
/// first-character bonus (skim's bonus 8 for a word start, doubled) and the gap it skips (3).
const CHUNK_PENALTY: i64 = 8 + 3;

/// A score from its slot in a memo shared by a pass's threads (biased by `SCORE_BIAS`, 0 while
/// not yet known), computed and stored when not yet known.
fn remembered(slot: &AtomicU32, score: impl FnOnce() -> i64) -> i64 {
    match slot.load(Ordering::Relaxed) {
        0 => {
            let s = score();
            slot.store(
                (s + SCORE_BIAS).clamp(1, u32::MAX as i64) as u32,
                Ordering::Relaxed,
            );
            s
        }
        known => known as i64 - SCORE_BIAS,
    }
}

fn skim_score(word: &str, needle: &str) -> i64 {
    matcher().fuzzy_match(word, needle).unwrap_or(0)
}

/// A fuzzy term's needle ready for the word gate over vocabulary words.
struct TokenPlan {
    /// The needle as typed, for skim.
    original: String,
    original_chars: Vec<char>,
    /// The needle, case-folded unless the term is case-sensitive.
    needle: Vec<char>,
    ascii: bool,
    /// Per first byte of a word: the needle positions whose character it is (for non-ASCII
    /// first bytes, every non-ASCII position: checked exactly afterwards).
    by_first: [u64; 256],
    case_sensitive: bool,
    /// Per needle position: its character's class in `lists` (a bit).
    class: Vec<u64>,
    /// For a needle of one ASCII letter or digit, case-folded: its class (`sig_bit`'s bit
    /// number), which `Lists::first_of` answers it by.
    one_class: Option<u32>,
    /// `sig_bit` of the needle's first character, and of all of them.
    first_sig: u64,
    sig: u64,
    /// Per needle position: its character's class (`lists::class_of_first`) and
    /// `pairs::later_bit`; empty when a character is CJK (`chunks_possible` does not apply).
    spots: Vec<(u32, u32)>,
    memo: Memo,
}

/// A gate match: the word that holds the whole needle (nearly always), or each chunk as
/// (word, needle from, needle to), in needle order.
#[derive(Clone, Copy)]
enum Found {
    Word(u32),
    /// A one-character needle on an ASCII word's first character: its score depends on that
    /// character alone.
    ByFirst(u8),
    /// The chunks are in the scratch `find` was given, last first.
    Chunks,
}

impl TokenPlan {
    fn new(needle: &str, case_sensitive: bool) -> Option<TokenPlan> {
        let original_chars: Vec<char> = needle.chars().collect();
        if original_chars.is_empty()
            || original_chars.len() > 63
            || original_chars.iter().any(|c| c.is_whitespace())
        {
            return None;
        }
        let fold = |c: char| fold_char(c, case_sensitive);
        let folded: Vec<char> = original_chars.iter().map(|&c| fold(c)).collect();
        let mut by_first = [0u64; 256];
        for (i, &c) in folded.iter().enumerate() {
            let bit = 1u64 << i;
            if c.is_ascii() {
                by_first[c as usize] |= bit;
                if !case_sensitive {
                    by_first[c.to_ascii_uppercase() as usize] |= bit;
                }
            } else {
                by_first[NON_ASCII as usize] |= bit;
                by_first[CJK as usize] |= bit;
            }
        }
        Some(TokenPlan {
            one_class: match folded[..] {
                [c] if c.is_ascii_alphanumeric() && !case_sensitive => {
                    Some(sig_bit(c).trailing_zeros())
                }
                _ => None,
            },
            class: folded
                .iter()
                .map(|&c| if c.is_ascii() { sig_bit(c) } else { 1 << 63 })
                .collect(),
            original: needle.to_string(),
            spots: if folded.iter().any(|&c| is_cjk(c)) {
                Vec::new()
            } else {
                folded
                    .iter()
                    .map(|&c| {
                        let class = if c.is_ascii() {
                            sig_bit(c).trailing_zeros()
                        } else {
                            lists::class_of_first(NON_ASCII)
                        };
                        (class, pairs::later_bit(c))
                    })
                    .collect()
            },
            first_sig: sig_bit(original_chars[0]),
            sig: original_chars
                .iter()
                .map(|&c| sig_bit(c))
                .fold(0, |a, b| a | b),
            original_chars,
            ascii: folded.iter().all(char::is_ascii),
            memo: Memo::new(folded.len()),
            needle: folded,
            by_first,
            case_sensitive,
        })
    }

    /// The word gate (`WordGate::match_end`'s rule) a word at a time: the earliest match, with
    /// the chunks that make it up, and the first token that enters the needle with two
    /// characters or more (one: a needle of one, or a CJK first character), at or after
    /// `from` (`Hit::from`). No match starts before `from`, which the caller knows.
    #[inline]
    fn find(
        &self,
        tokens: &[u32],
        vocab: &Vocab,
        chunks: &mut Vec<(u32, u8, u8)>,
        via: &mut [(u32, u8); 64],
        listed: Option<(&lists::Lists, usize, usize)>,
        from: usize,
    ) -> Option<(Found, usize)> {
        match listed {
            Some(_) => self.find_in::<true>(tokens, vocab, chunks, via, listed, from),
            None => self.find_in::<false>(tokens, vocab, chunks, via, None, from),
        }
    }

    /// `find`, made once for listed records and once for scanned ones (`LISTED`: `listed` is
    /// Some), so the scan loop carries nothing of the lists. One `find` deciding at run time
    /// took 7-14% more instructions (callgrind at 100k, one thread: `c>co` 56.3M against 49.3M,
    /// `pee>peer` 73.7M against 68.1M).
    #[inline(always)]
    fn find_in<const LISTED: bool>(
        &self,
        tokens: &[u32],
        vocab: &Vocab,
        chunks: &mut Vec<(u32, u8, u8)>,
        via: &mut [(u32, u8); 64],
        listed: Option<(&lists::Lists, usize, usize)>,
        from: usize,
    ) -> Option<(Found, usize)> {
        let listed = if LISTED { listed } else { None };
        let n = self.needle.len();
        let start = self.start(vocab);
        let mut open = 1u64;
        // Listed (`lists`): the positions of the tokens in the classes of the open needle
        // positions' characters, still to look at, as bits (bit j: `tokens[j]`); else the
        // tokens are scanned one by one from `next`.
        let mut classes = self.class[0];
        let field = |m: u128, offset: usize| -> u128 {
            // Both shifts may be by 128 (an empty field at the end of a record of 128
            // tokens), which `>>` does not allow.
            m.checked_shr(offset as u32).unwrap_or(0)
                & u128::MAX
                    .checked_shr(128u32.saturating_sub(tokens.len() as u32))
                    .unwrap_or(0)
        };
        let mut candidates = match listed {
            Some((l, r, offset)) => {
                field(l.positions(r, classes), offset)
                    & u128::MAX.checked_shl(from as u32).unwrap_or(0)
            }
            None => 0,
        };
        let mut next = from;
        let mut at;
        let mut entered = usize::MAX;
        loop {
            // The next token whose first byte an open needle position may go on from. (Testing
            // four tokens with one branch was slower: `examples/passes.rs`, one thread.)
            let (token, mut m) = if LISTED {
                loop {
                    if candidates == 0 {
                        return None;
                    }
                    at = candidates.trailing_zeros() as usize;
                    candidates &= candidates - 1;
                    let t = tokens[at];
                    let m = self.by_first[(t >> 24) as usize] & open;
                    if m != 0 {
                        break (t, m);
                    }
                }
            } else {
                at = next;
                loop {
                    let &t = tokens.get(at)?;
                    let m = self.by_first[(t >> 24) as usize] & open;
                    if m != 0 {
                        break (t, m);
                    }
                    at += 1;
                }
            };
            let first = (token >> 24) as u8;
            if n == 1 && first < NON_ASCII {
                return Some((Found::ByFirst(first), at));
            }
            let w = token & WORD_ID;
            // What the word does entered at the needle's start (0: nothing).
            let entry = if m & 1 != 0 {
                start.entry[w as usize] as usize
            } else {
                0
            };
            if entry != 0 {
                entered = entered.min(at);
            }
            if entry == n {
                return Some((Found::Word(w), entered));
            }
            if entry == 0 {
                m &= !1;
            }
            if first >= NON_ASCII && m > 1 {
                let c = fold_char(
                    vocab.word(w).chars().next().unwrap_or(' '),
                    self.case_sensitive,
                );
                // Position 0 (when still in `m`) is known to match already.
                m &= self
                    .needle
                    .iter()
                    .enumerate()
                    .filter(|(_, &d)| d == c)
                    .fold(1, |a, (i, _)| a | 1 << i);
            }
            let mut opened = 0u64;
            while m != 0 {
                let i = m.trailing_zeros() as usize;
                m &= m - 1;
                let k = if i == 0 {
                    entry
                } else {
                    self.reach_at(i, w, vocab)
                };
                if i + k == n {
                    if i == 0 {
                        return Some((Found::Word(w), entered));
                    }
                    // Walk the chunks back from the last one.
                    chunks.clear();
                    chunks.push((w, i as u8, n as u8));
                    let mut j = i;
                    while j > 0 {
                        let (at, from) = via[j];
                        chunks.push((tokens[at as usize] & WORD_ID, from, j as u8));
                        j = from as usize;
                    }
                    return Some((Found::Chunks, entered));
                }
                // A chunk of two or more characters (or one CJK character) lets the next word
                // start a new chunk: positions lo..=i + k (below n, so below 64) open, and
                // each newly open one remembers where its chunk started.
                let lo = if first == CJK { i + 1 } else { i + 2 };
                let upto = i + k;
                if upto >= lo {
                    let span = ((1u64 << upto << 1).wrapping_sub(1)) & !((1u64 << lo) - 1);
                    let mut new = span & !(open | opened);
                    opened |= new;
                    while new != 0 {
                        via[new.trailing_zeros() as usize] = (at as u32, i as u8);
                        new &= new - 1;
                    }
                }
            }
            if let Some((l, r, offset)) = listed {
                // The classes of newly opened positions join, for the tokens after this one.
                let mut grew = opened & !open;
                let mut more = 0;
                while grew != 0 {
                    more |= self.class[grew.trailing_zeros() as usize];
                    grew &= grew - 1;
                }
                more &= !classes;
                if more != 0 {
                    classes |= more;
                    candidates |= field(l.positions(r, more), offset)
                        & u128::MAX.checked_shl(at as u32 + 1).unwrap_or(0);
                }
            }
            open |= opened;
            next = at + 1;
        }
    }

    /// Whether record `i` has the characters the needle starts with and holds
    /// (`Meta::starts`, `Meta::present`): two tests that turn most records without a match
    /// away.
    #[inline(always)]
    fn may_match(&self, ix: &Meta, i: usize) -> bool {
        ix.starts[i] & self.first_sig != 0 && ix.present[i] & self.sig == self.sig
    }

    /// `chunks_possible` for record `i`, for a needle of two characters or more without CJK
    /// (for one, `Meta::starts` already answered it); true when not tested. With `counts`
    /// (the records this thread tested, and how many the test turned away), it is tested while
    /// it turns away at least a quarter of them: it costs a look-up a needle character, and
    /// saves only what `find` would spend reading a record that fails. Narrowing within a
    /// needle's hits, the test of its first two characters has already passed: `co>cog` at
    /// 100k, one thread, took 63.5M instructions without the test and 70.0M with it on every
    /// record (callgrind).
    #[inline(always)]
    fn chunk_test(&self, ix: &Meta, i: usize, counts: Option<&mut (u32, u32)>) -> bool {
        if self.spots.len() < 2 {
            return true;
        }
        let possible = || self.chunks_possible(&ix.pairs, i, ix.lists.classes()[i]);
        match counts {
            Some((tested, rejected)) if *tested < 64 || *rejected * 4 > *tested => {
                let p = possible();
                *tested += 1;
                *rejected += !p as u32;
                p
            }
            Some(_) => true,
            None => possible(),
        }
    }

    /// Whether record `r` (whose classes are `have`) has words the needle could be cut into
    /// chunks over (`find`'s rule, in any order and any field): a chunk starts at a word of
    /// its first character's class, its other characters are among what that class's words
    /// of the record hold after their first (`Pairs::later`), and every chunk but the last
    /// has two characters or more. True when it does not apply (`spots` empty). A needle of
    /// n characters costs about n look-ups.
    #[inline]
    fn chunks_possible(&self, pairs: &pairs::Pairs, r: usize, have: u64) -> bool {
        let n = self.spots.len();
        if n == 2 {
            // One chunk: a word of the first's class holding the second.
            let (class, _) = self.spots[0];
            return pairs
                .later(r, have, class)
                .is_some_and(|holds| holds & self.spots[1].1 != 0);
        }
        if n == 0 || n > 62 {
            return true;
        }
        // Bit j: the needle from position j on can be covered (bit n: nothing is left).
        let mut covered = 1u64 << n;
        for i in (0..n).rev() {
            let Some(holds) = pairs.later(r, have, self.spots[i].0) else {
                continue;
            };
            let mut len = 0;
            while i + 1 + len < n && holds & self.spots[i + 1 + len].1 != 0 {
                len += 1;
            }
            // A chunk from i to j (the next starts at j): j - i >= 2, or j = n (the last).
            let (lo, hi) = (i + 2, i + 1 + len);
            if hi == n || (hi >= lo && (covered >> lo) & ((1u64 << (hi - lo + 1)) - 1) != 0) {
                covered |= 1 << i;
            }
        }
        covered & 1 != 0
    }

    /// `reach` of word `w` from needle position `i`, remembered for the pass.
    fn reach_at(&self, i: usize, w: u32, vocab: &Vocab) -> usize {
        if i + 1 == self.needle.len() {
            // The last character: the word's first one, known to match.
            return 1;
        }
        let table = self.memo.reach[i].get_or_init(|| zeroed(vocab.len()));
        let slot = &table[w as usize];
        match slot.load(Ordering::Relaxed) {
            0 => {
                let k = self.reach(vocab.word(w), i);
                slot.store(k as u8 + 1, Ordering::Relaxed);
                k
            }
            r => r as usize - 1,
        }
    }

    /// The words a match can be entered by (`Start`), found now if `prepare` has not run.
    fn start(&self, vocab: &Vocab) -> &Start {
        self.memo.start.get_or_init(|| self.sweep(vocab))
    }

    /// Finds the words a match can be entered by, in parallel, before a pass (a pass over
    /// many records looks most words sharing the needle's first character up anyway).
    fn prepare(&self, vocab: &Vocab) {
        self.start(vocab);
    }

    /// `sweep_words` over the groups of words whose first byte may enter the needle
    /// (`Vocab::group`): every word outside them fails its first-byte test anyway (test
    /// `sweep_over_the_needles_groups_equals_a_sweep_over_every_word`). callgrind, one thread,
    /// whole pass: `pee>peer` at 100k 68.3M instructions against 66.9M, at 1M 611.2M against
    /// 606.1M.
    fn sweep(&self, vocab: &Vocab) -> Start {
        let (lo, hi) = (0..=255u8)
            .filter(|&b| self.by_first[b as usize] & 1 != 0)
            .map(|b| vocab.group(b.to_ascii_lowercase()))
            .filter(|g| !g.is_empty())
            .fold((usize::MAX, 0), |(lo, hi), g| {
                (lo.min(g.start), hi.max(g.end))
            });
        self.sweep_words(vocab, if lo < hi { lo..hi } else { 0..0 })
    }

    /// `Start` of the needle, looking at the words in `words` (and the others in the same
    /// parallel jobs); the rest take nothing.
    fn sweep_words(&self, vocab: &Vocab, words: std::ops::Range<usize>) -> Start {
        let blocks = vocab.len().div_ceil(64);
        let mut whole = vec![0u64; blocks];
        let mut entry = vec![0u8; vocab.len()];
        // Bit blocks per parallel job.
        const JOB: usize = 64;
        let n = self.needle.len();
        let jobs = words.start / (JOB * 64)..words.end.div_ceil(JOB * 64);
        whole
            .par_chunks_mut(JOB)
            .zip(entry.par_chunks_mut(JOB * 64))
            .enumerate()
            .skip(jobs.start)
            .take(jobs.len())
            .for_each(|(job, (whole, entry))| {
                let base = job * JOB * 64;
                for (j, e) in entry.iter_mut().enumerate() {
                    let w = base + j;
                    let first = vocab.first[w];
                    if self.by_first[first as usize] & 1 == 0 {
                        continue;
                    }
                    let word = vocab.word(w as u32);
                    if first >= NON_ASCII {
                        let c = word.chars().next().unwrap_or(' ');
                        if fold_char(c, self.case_sensitive) != self.needle[0] {
                            continue;
                        }
                    }
                    let k = self.reach(word, 0);
                    let lo = if first == CJK { 1 } else { 2 };
                    if k == n {
                        whole[j / 64] |= 1u64 << (j % 64);
                    }
                    if k == n || k >= lo {
                        *e = k as u8;
                    }
                }
            });
        let whole = Ranked::new(whole);
        Start {
            scores: zeroed(whole.len()),
            whole,
            entry: entry.into_boxed_slice(),
        }
    }

    /// How many needle characters from position `i` on fall in `word` as a chunk: the first
    /// on the word's first character (known to match), the rest anywhere after it in order.
    fn reach(&self, word: &str, i: usize) -> usize {
        let n = self.needle.len();
        let mut j = i + 1;
        if self.ascii && word.is_ascii() {
            for &b in &word.as_bytes()[1..] {
                if j == n {
                    break;
                }
                let b = if self.case_sensitive {
                    b
                } else {
                    b.to_ascii_lowercase()
                };
                if b as u32 == self.needle[j] as u32 {
                    j += 1;
                }
            }
        } else {
            for c in word.chars().skip(1) {
                if j == n {
                    break;
                }
                if fold_char(c, self.case_sensitive) == self.needle[j] {
                    j += 1;
                }
            }
        }
        j - i
    }
}

pub(crate) fn fold_char(c: char, case_sensitive: bool) -> char {
    if case_sensitive {
        c
    } else if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        c.to_lowercase().next().unwrap_or(c)
    }
}

const NO_MATCH: i32 = i32::MIN;

/// A term ready to run: the query's term with what matching needs precomputed once per pass.
pub struct Prepared<'q> {
    pub term: &'q Term,
    /// For fuzzy terms over metadata: the word gate over vocabulary words.
    plan: Option<TokenPlan>,
    /// For fuzzy `ab:`/`fi:` terms once the abstract index is built: every record's score
    /// (`NO_MATCH` when it does not match), looked up before the pass.
    abstract_scores: Option<Vec<i32>>,
    gate: Option<WordGate>,
    /// The same needle inside a single word, to find a short span for skim to score.
    in_one_word: Option<WordGate>,
    /// For fuzzy `ab:`/`fi:` terms scanned without the abstract index: the needle as the
    /// index's rule compares it (`abstract_index::best_word_score`).
    abstract_pattern: Vec<char>,
}

impl<'q> Prepared<'q> {
    pub fn new(term: &'q Term) -> Prepared<'q> {
        let abstracts = matches!(term.field, Field::Abstract | Field::Findings);
        let (gate, in_one_word, abstract_pattern) = match &term.pattern {
            Pattern::Fuzzy(n) if abstracts => (
                None,
                None,
                crate::abstract_index::pattern(n, term.case_sensitive),
            ),
            Pattern::Fuzzy(n) => (
                WordGate::new(n, term.case_sensitive, false),
                WordGate::new(n, term.case_sensitive, true),
                Vec::new(),
            ),
            _ => (None, None, Vec::new()),
        };
        let plan = match (&term.pattern, term.field) {
            (Pattern::Fuzzy(_), Field::Abstract | Field::Findings | Field::Year) => None,
            (Pattern::Fuzzy(n), _) => TokenPlan::new(n, term.case_sensitive),
            _ => None,
        };
        Prepared {
            term,
            plan,
            abstract_scores: None,
            gate,
            in_one_word,
            abstract_pattern,
        }
    }
}

/// Whether a term matches one text (Some), with its score when `scoring`: fuzzy (the word
/// gate decides, skim scores) or exact, smart case.
fn text_eval(hay: &str, p: &Prepared, scoring: bool) -> Option<i64> {
    let t = p.term;
    match &t.pattern {
        Pattern::Fuzzy(needle) => {
            if !may_contain_subsequence(hay.as_bytes(), needle.as_bytes(), t.case_sensitive) {
                return None;
            }
            if matches!(t.field, Field::Abstract | Field::Findings) {
                return crate::abstract_index::best_word_score(
                    hay,
                    needle,
                    &p.abstract_pattern,
                    t.case_sensitive,
                    scoring,
                );
            }
            let m = matcher();
            let Some(g) = &p.gate else {
                return m.fuzzy_match(hay, needle);
            };
            let end = g.match_end(hay)?;
            if !scoring {
                return Some(0);
            }
            // Skim's cost grows with the text, so it scores the neighbourhood of the match;
            // the whole text only when the match reaches further back than that.
            let bytes = hay.as_bytes();
            // A match inside one word (the common case) is scored on that word alone.
            let (from, end) = match p.in_one_word.as_ref().and_then(|g| g.match_end(hay)) {
                Some(e) => {
                    let mut f = e.saturating_sub(needle.len());
                    while f > 0
                        && (!hay.is_char_boundary(f) || bytes[f - 1].is_ascii_alphanumeric())
                    {
                        f -= 1;
                    }
                    (f, e)
                }
                None => {
                    let mut f = end.saturating_sub(64 + 4 * needle.len());
                    while !hay.is_char_boundary(f) {
                        f -= 1;
                    }
                    (f, end)
                }
            };
            let mut to = end;
            while to < bytes.len() && to < end + 16 && bytes[to].is_ascii_alphanumeric() {
                to += 1;
            }
            m.fuzzy_match(&hay[from..to], needle)
                .or_else(|| m.fuzzy_match(hay, needle))
        }
        Pattern::Exact(needle) => {
            find_exact(hay, needle, t.case_sensitive).map(|_| 2 * needle.len() as i64 * 16)
        }
        Pattern::Years(..) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::gate::{class_of, starts_word};
    use super::*;
    use crate::query::parse;
    use crate::record::Record;
    use crate::record::{Author, Section};

    #[test]
    fn sweep_over_the_needles_groups_equals_a_sweep_over_every_word() {
        // Enough words (about 21,000) for several of the sweep's jobs of 4,096, upper and
        // lower case, digits, non-ASCII and CJK first characters.
        let letters: Vec<char> = "abcdefghijklmnopqrstuvwxyzPQRS09éÉ同".chars().collect();
        let titles: Vec<String> = (0..420)
            .map(|r| {
                (0..50)
                    .map(|k| {
                        let i = r * 50 + k;
                        // The first character, then `i` in letters: a word of its own.
                        let tail: String = (0..4)
                            .map(|d| (b'a' + (i / 26usize.pow(d) % 26) as u8) as char)
                            .collect();
                        format!("{}{tail}", letters[i % letters.len()])
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let records: Vec<Record> = titles.iter().map(|t| rec(t, &[], 2000, "")).collect();
        let ix = Index::new(Arc::new(crate::store::Records::from(records)));
        let v = &ix.meta().vocab;
        assert!(v.len() > 5 * 4096, "{}", v.len());
        assert!(v.grouped());
        for needle in [
            "p", "pb", "Pc", "ab", "zzzz", "9", "é", "Éa", "同", "同b", "ñ",
        ] {
            let case_sensitive = needle.chars().any(char::is_uppercase);
            let plan = TokenPlan::new(needle, case_sensitive).unwrap();
            let (grouped, all) = (plan.sweep(v), plan.sweep_words(v, 0..v.len()));
            assert!(grouped.entry == all.entry, "{needle}");
            assert!(grouped.whole.bits == all.whole.bits, "{needle}");
            assert!(
                all.entry.iter().any(|&e| e > 0) || ["zzzz", "ñ"].contains(&needle),
                "{needle}"
            );
        }
    }

    #[test]
    fn scores_do_not_depend_on_earlier_calls() {
        // The case proptest found: registry fuzzy-matcher 0.3.7 gave 83 for the second call,
        // its matrix holding a bonus from the first (vendor/fuzzy-matcher/PATCHED.md).
        let m = matcher();
        assert_eq!(m.fuzzy_match("éééé", "ééé"), Some(71));
        m.fuzzy_match("aéééaa", "a");
        assert_eq!(m.fuzzy_match("éééé", "ééé"), Some(71));
        m.fuzzy_indices("aéééaa", "a");
        assert_eq!(m.fuzzy_indices("éééé", "ééé").map(|(s, _)| s), Some(71));
        // And the same on a matcher no call has used: the score a first call gets.
        let new = || SkimMatcherV2::default().smart_case();
        for (word, needle) in [("éééé", "ééé"), ("peer", "pee"), ("committee", "tee")] {
            m.fuzzy_match("aéééaa", "a");
            m.fuzzy_match("bookkeeper", "oke");
            assert_eq!(
                m.fuzzy_match(word, needle),
                new().fuzzy_match(word, needle),
                "{word} {needle}"
            );
        }
    }

    fn rec(title: &str, authors: &[&str], year: i32, abs: &str) -> Record {
        Record {
            title: Some(title.into()),
            authors: authors.iter().map(|a| Author::parse(a)).collect(),
            year: Some(year),
            abstract_sections: vec![Section {
                label: Some("Findings".into()),
                text: abs.into(),
            }],
            ..Record::default()
        }
    }

    fn index() -> Index {
        Index::new(Arc::new(crate::store::Records::from(vec![
            rec(
                "Peer support in teams",
                &["Julie Repper", "Emma Watson"],
                2012,
                "six peers worked",
            ),
            rec(
                "Community groups",
                &["Kris Deering"],
                2016,
                "co-production mattered",
            ),
            rec(
                "How to support peer support",
                &["Ann Ley"],
                2010,
                "training helped",
            ),
        ])))
    }

    fn ids(ix: &Index, q: &str) -> Vec<u32> {
        let never = || false;
        ix.run(&parse(q).unwrap(), None, &never)
            .unwrap()
            .into_iter()
            .map(|h| h.record)
            .collect()
    }

    #[test]
    fn words_are_grouped_by_first_character_and_tokens_follow() {
        let ix = index();
        let meta = ix.meta();
        let v = &meta.vocab;
        // Every word but the empty one at the end, by its case-folded first byte.
        let groups: Vec<u8> = v.first[..v.len() - 1]
            .iter()
            .map(u8::to_ascii_lowercase)
            .collect();
        assert!(groups.windows(2).all(|g| g[0] <= g[1]), "{groups:?}");
        // Each token still names its word, with its first byte beside it.
        let r = ix.records().view(2).unwrap();
        let mut expected = Vec::new();
        words(r.title.unwrap(), |w| expected.push(w.to_string()));
        let span = meta.spans[2];
        let title: Vec<String> = meta.tokens[span[0] as usize..span[1] as usize]
            .iter()
            .map(|&t| {
                let w = t & WORD_ID;
                assert_eq!((t >> 24) as u8, v.first[w as usize]);
                v.word(w).to_string()
            })
            .collect();
        assert_eq!(title, expected);
        let mut peer = ids(&ix, "peer");
        peer.sort();
        assert_eq!(peer, vec![0, 2]);
        // A library without words (and one without records) still has the empty word.
        for records in [vec![Record::default()], vec![]] {
            let ix = Index::new(Arc::new(crate::store::Records::from(records)));
            assert_eq!(ix.vocabulary(), 1);
            assert!(ids(&ix, "peer").is_empty());
        }
    }

    #[test]
    fn fields_negation_years() {
        let ix = index();
        assert_eq!(ids(&ix, "au:repper"), vec![0]);
        assert_eq!(ids(&ix, "au:ley"), vec![2]);
        let mut peer = ids(&ix, "ti:peer");
        peer.sort();
        assert_eq!(peer, vec![0, 2]);
        assert_eq!(ids(&ix, "ti:peer !2012"), vec![2]);
        // Not r…e…p scattered over "gRoups ... dEering ... Peer": words are entered at their start.
        let mut peer = ids(&ix, "peer");
        peer.sort();
        assert_eq!(peer, vec![0, 2]);
        let mut pesu = ids(&ix, "pesu");
        pesu.sort();
        assert_eq!(pesu, vec![0, 2]);
        assert!(ids(&ix, "ering").is_empty());
        assert_eq!(ids(&ix, "yr:2011..2016"), vec![0, 1]);
        assert_eq!(ids(&ix, "fi:'co-production"), vec![1]);
        assert_eq!(ids(&ix, "ab:training"), vec![2]);
        assert!(ids(&ix, "zzzz").is_empty());
    }

    #[test]
    fn narrowing_gives_the_same_hits() {
        let ix = index();
        let never = || false;
        let q1 = parse("pe").unwrap();
        let h1: Vec<u32> = ix
            .run(&q1, None, &never)
            .unwrap()
            .iter()
            .map(|h| h.record)
            .collect();
        let q2 = parse("peer").unwrap();
        assert!(q2.narrows(&q1));
        let within = ix.run(&q2, Some(&h1), &never).unwrap();
        let full = ix.run(&q2, None, &never).unwrap();
        assert_eq!(within, full);
    }

    /// A character typed inside a needle can let a record match that the shorter needle did
    /// not (the chunks of a match start at word starts), so it does not narrow: "abc" matches
    /// "ab cd" ("ab", then "c"), "ac" does not ("a" alone opens no chunk).
    #[test]
    fn a_character_typed_inside_does_not_narrow() {
        let ix = Index::new(Arc::new(crate::store::Records::from(vec![rec(
            "ab cd",
            &[],
            2000,
            "",
        )])));
        let never = || false;
        let (ac, abc) = (parse("ac").unwrap(), parse("abc").unwrap());
        assert!(ix.run(&ac, None, &never).unwrap().is_empty());
        assert_eq!(ix.run(&abc, None, &never).unwrap().len(), 1);
        assert!(!abc.narrows(&ac));
    }

    #[test]
    fn cancelled_pass_returns_none() {
        let ix = index();
        let always = || true;
        assert!(ix.run(&parse("peer").unwrap(), None, &always).is_none());
    }

    #[test]
    fn prefilter_never_rejects_a_match() {
        assert!(may_contain_subsequence(b"Julie Repper", b"rpr", false));
        assert!(!may_contain_subsequence(b"Julie Repper", b"rpr", true));
        assert!(!may_contain_subsequence(b"abc", b"abd", false));
        assert!(may_contain_subsequence(
            "Müller".as_bytes(),
            "mü".as_bytes(),
            false
        ));
    }

    #[test]
    fn word_gate() {
        let g = WordGate::new("repper", false, false).unwrap();
        assert!(g.accepts("Julie Repper; Emma Watson"));
        assert!(!g.accepts("What helps successful community groups (involving peers support"));
        let g = WordGate::new("ley", false, false).unwrap();
        assert!(g.accepts("Ann Ley"));
        assert!(!g.accepts("Theresa Rolley; Kate Dunkley"));
        // Entering a later word at its start, after a false start in an earlier one.
        let g = WordGate::new("xyz", false, false).unwrap();
        assert!(g.accepts("Xy Xyz"));
        let g = WordGate::new("abc", false, false).unwrap();
        assert!(!g.accepts("Abx Bc"));
        assert!(g.accepts("Abx Cd"));
        assert_eq!(g.positions("Xa Abx Cd", "abc"), Some(vec![3, 4, 7]));
        // Every chunk but the last has two characters or more: no initials of unrelated words.
        let g = WordGate::new("hope", false, false).unwrap();
        assert!(!g.accepts("health of peer workers"));
        assert!(g.accepts("how peer"));
        let g = WordGate::new("reper", false, false).unwrap();
        assert!(g.accepts("Repper"));
        // In prose, one word only.
        let g = WordGate::new("hope", false, true).unwrap();
        assert!(!g.accepts("how peer"));
        assert!(g.accepts("inspiring hopeful"));
        let g = WordGate::new("同伴", false, false).unwrap();
        assert!(g.accepts("评估同伴支持"));
        assert_eq!(g.positions("评估同伴支持", "同伴"), Some(vec![2, 3]));
    }

    proptest::proptest! {
        #[test]
        fn gate_and_its_positions_agree(hay in "[abAB 同-]{0,24}", needle in "[ab同-]{1,5}", single in proptest::bool::ANY) {
            let g = WordGate::new(&needle, false, single).unwrap();
            let pos = g.positions(&hay, &needle);
            proptest::prop_assert_eq!(g.accepts(&hay), pos.is_some(), "{:?} in {:?}", needle, hay);
            if let Some(pos) = pos {
                let chars: Vec<char> = hay.chars().collect();
                let got: String = pos.iter().map(|&p| chars[p].to_lowercase().next().unwrap()).collect();
                proptest::prop_assert_eq!(got, needle);
            }
        }

        #[test]
        fn a_longer_needle_never_accepts_more(hay in "[abAB -]{0,24}", needle in "[ab-]{1,5}", extra in "[ab]") {
            let short = WordGate::new(&needle, false, false).unwrap();
            let long = WordGate::new(&format!("{needle}{extra}"), false, false).unwrap();
            proptest::prop_assert!(!long.accepts(&hay) || short.accepts(&hay));
        }
    }

    proptest::proptest! {
        #[test]
        fn class_rule_matches_char_rule(a in proptest::char::any(), b in proptest::char::any()) {
            let by_class = starts_word(class_of(a), class_of(b)) || is_cjk(b);
            proptest::prop_assert_eq!(by_class, is_word_start(Some(a), b));
        }
    }

    #[test]
    fn highlight_positions_are_chars() {
        let q = parse("rep").unwrap();
        let pos = highlight(&q, Field::Author, "Émile Repper");
        assert_eq!(pos, vec![6, 7, 8]);
    }
}

#[cfg(test)]
mod token_gate_tests {
    use super::*;
    use crate::record::Author;
    use crate::record::Record;

    #[test]
    fn listed_find_on_an_empty_field_at_the_end_of_a_full_record() {
        // 128 tokens (as many as a list holds), then empty fields: the field's offset is 128.
        let title: Vec<&str> = (0..lists::MAX_TOKENS)
            .map(|k| if k == 1 { "peer" } else { "word" })
            .collect();
        let r = record(&title.join(" "), &[], &[], None);
        let ix = Index::new(Arc::new(crate::store::Records::from(vec![r])));
        let meta = ix.meta();
        assert!(meta.lists.listed(0));
        let span = meta.spans[0];
        assert_eq!(span[1] - span[0], lists::MAX_TOKENS as u32);
        let plan = TokenPlan::new("pe", false).unwrap();
        let empty = &meta.tokens[span[4] as usize..span[4] as usize];
        let listed = Some((&meta.lists, 0, lists::MAX_TOKENS));
        let mut chunks = Vec::new();
        let mut via = [(0, 0); 64];
        assert!(plan
            .find(empty, &meta.vocab, &mut chunks, &mut via, listed, 0)
            .is_none());
        let title = &meta.tokens[span[0] as usize..span[1] as usize];
        let found = plan.find(
            title,
            &meta.vocab,
            &mut chunks,
            &mut via,
            Some((&meta.lists, 0, 0)),
            0,
        );
        assert!(found.is_some());
    }

    fn record(title: &str, authors: &[String], keywords: &[String], year: Option<i32>) -> Record {
        Record {
            title: (!title.is_empty()).then(|| title.to_string()),
            authors: authors
                .iter()
                .map(|a| Author {
                    name: a.clone(),
                    ..Author::default()
                })
                .collect(),
            keywords: keywords.to_vec(),
            year,
            ..Record::default()
        }
    }

    /// The metadata as one text, the way the character-at-a-time gate saw it.
    fn joined(r: &Record) -> String {
        let names: Vec<&str> = r.authors.iter().map(|a| a.name.as_str()).collect();
        format!(
            "{} {} {} {} {}",
            r.title.as_deref().unwrap_or(""),
            names.join("; "),
            r.keywords.join("; "),
            r.container.as_deref().unwrap_or(""),
            r.year.map(|y| y.to_string()).unwrap_or_default()
        )
    }

    proptest::proptest! {
        /// The word-at-a-time gate accepts exactly what the character-at-a-time gate accepts
        /// on the joined text, and the chunks it reports spell the needle.
        #[test]
        fn words_gate_agrees_with_characters_gate(
            title in "[abAB 同-]{0,16}",
            authors in proptest::collection::vec("[abAB 同]{1,8}", 0..3),
            keywords in proptest::collection::vec("[ab -]{1,6}", 0..3),
            year in proptest::option::of(1990i32..2030),
            needle in "[ab同-]{1,5}",
            upper in proptest::bool::ANY,
        ) {
            let needle = if upper { needle.replacen('a', "A", 1) } else { needle };
            let case_sensitive = needle.chars().any(char::is_uppercase);
            let r = record(&title, &authors, &keywords, year);
            let text = joined(&r);
            let ix = Index::new(Arc::new(crate::store::Records::from(vec![r])));
            let ix = ix.meta();
            let plan = TokenPlan::new(&needle, case_sensitive).unwrap();
            let mut scratch = Vec::new();
            // Listed (the record has at most 128 tokens) and scanned, the same match.
            let listed = ix.lists.listed(0).then_some((&ix.lists, 0, 0));
            let by_list = plan.find(&ix.tokens, &ix.vocab, &mut scratch, &mut [(0, 0); 64], listed, 0);
            let by_list = by_list.map(|(f, _)| super::reference_tests::spelled(f, &scratch, plan.needle.len()));
            let found = plan.find(&ix.tokens, &ix.vocab, &mut scratch, &mut [(0, 0); 64], None, 0);
            proptest::prop_assert_eq!(
                &found.as_ref().map(|&(f, _)| super::reference_tests::spelled(f, &scratch, plan.needle.len())),
                &by_list
            );
            let gate = WordGate::new(&needle, case_sensitive, false).unwrap();
            proptest::prop_assert_eq!(found.is_some(), gate.accepts(&text), "{:?} in {:?}", needle, text);
            if let Some((f, _)) = found {
                let chunks = match f {
                    Found::ByFirst(_) => vec![(0, 0, 1)],
                    Found::Word(w) => vec![(w, 0, plan.needle.len() as u8)],
                    Found::Chunks => scratch.iter().rev().copied().collect(),
                };
                let spelled: String = chunks.iter().map(|&(_, from, to)| {
                    plan.needle[from as usize..to as usize].iter().collect::<String>()
                }).collect();
                proptest::prop_assert_eq!(spelled, plan.needle.iter().collect::<String>());
                let sig_ok = ix.starts[0] & plan.first_sig != 0 && ix.present[0] & plan.sig == plan.sig;
                proptest::prop_assert!(sig_ok);
            }
        }
    }

    proptest::proptest! {
        /// Skim's score of a one-character needle in a word depends on the word's first
        /// character only (the memo keyed by it, for a needle or a chunk of one character, relies
        /// on this).
        #[test]
        fn one_character_scores_by_the_first(text in "[a-zA-Z0-9 .-]{1,40}", c in "[a-zA-Z0-9.-]") {
            words(&text, |w| {
                if w.starts_with(|f: char| f.eq_ignore_ascii_case(&c.chars().next().unwrap())) {
                    assert_eq!(skim_score(w, &c), skim_score(&w[..1], &c), "{c:?} in {w:?}");
                }
            });
        }
    }

    #[test]
    fn ranked_in_parallel_chunks_is_a_stable_sort() {
        // Several chunks, scores in a modest range (counting sort) and a wide one (comparison),
        // and scores that rise and fall with the record, so each chunk of 65,536 hits spans a
        // range of its own (counting sort, chunks counting from different highest scores).
        let scattered = |spread: u64| move |r: u32| ((r as u64 * 2_654_435_761) % spread) as i32;
        let rising = |r: u32| (r / 1000) as i32 + (r % 7) as i32;
        let falling = |r: u32| 500 - (r / 700) as i32;
        let scores: [&dyn Fn(u32) -> i32; 4] =
            [&scattered(300), &scattered(1 << 20), &rising, &falling];
        for score in scores {
            let hits: Vec<Hit> = (0..200_000u32)
                .map(|record| Hit {
                    record,
                    score: score(record) - 100,
                    rest: 0,
                    from: 0,
                })
                .collect();
            let mut want = hits.clone();
            want.sort_by_key(|h| std::cmp::Reverse(h.score));
            let want: Vec<u32> = want.iter().map(|h| h.record).collect();
            assert_eq!(ranked(&hits, |h| h.record), want);
        }
    }

    /// Ranking a pass's hits from its jobs' counts, closing them up on the way
    /// (`PassHits::ranked_and_hits`) or not (`PassHits::ranked`), gives what ranking the
    /// closed-up hits gives: over a
    /// library of many jobs, for passes whole and narrowing, and for jobs left empty.
    #[test]
    fn ranking_from_the_jobs_counts_is_ranking_the_hits() {
        let records: Vec<crate::record::Record> =
            (0..20_000).map(|i| crate::synth::record(11, i)).collect();
        let ix = Index::new(Arc::new(crate::store::Records::from(records)));
        let never = || false;
        let mut passes = 0;
        for (old, new) in [
            ("", "p"),
            ("", "peer"),
            ("pe", "pee"),
            ("co", "cog"),
            ("", "au:smith"),
            ("", "zzqx"),
            ("c", "cog 2019"),
        ] {
            let new = crate::query::parse(new).unwrap();
            let earlier = (!old.is_empty()).then(|| {
                let old = crate::query::parse(old).unwrap();
                (ix.matches(&old, None, &never).unwrap(), old)
            });
            let narrow = earlier
                .as_ref()
                .map(|(hits, old)| Narrow::between(hits, old, &new));
            let pass = ix.pass(&new, narrow, &never).unwrap();
            let hits = ix.matches(&new, narrow, &never).unwrap();
            assert_eq!(pass.len(), hits.len());
            passes += (pass.chunks.len() > 1) as usize;
            let (order, closed) = pass.ranked_and_hits(|h| (h.record, h.score));
            assert_eq!(closed, hits, "{new:?}");
            assert_eq!(order, ranked(&hits, |h| (h.record, h.score)), "{new:?}");
            let alone = ix.pass(&new, narrow, &never).unwrap();
            assert_eq!(alone.ranked(|h| (h.record, h.score)), order, "{new:?}");
        }
        assert!(passes >= 5, "only {passes} passes of more than one job");
    }

    /// The same, for scores made up: jobs whose scores spread too wide to count (the whole
    /// pass falls back to sorting), jobs without hits, and jobs whose scores do not overlap.
    #[test]
    fn ranking_from_counts_with_made_up_scores() {
        let job = |scores: &[i32], first: u32| -> Vec<Hit> {
            scores
                .iter()
                .enumerate()
                .map(|(k, &score)| Hit {
                    record: first + k as u32,
                    score,
                    rest: 0,
                    from: 0,
                })
                .collect()
        };
        let cases: Vec<Vec<Vec<Hit>>> = vec![
            vec![job(&[3, 1, 3, 2], 0), job(&[], 4096), job(&[5, 3, 3], 8192)],
            vec![job(&[-7, 900, 4], 0), job(&[1, 1, 1], 4096)],
            vec![job(&[0, 1_000_000], 0), job(&[2, 2], 4096)],
            vec![job(&[], 0), job(&[], 4096)],
            vec![job(&(0..4096).map(|k| k % 97).collect::<Vec<_>>(), 0)],
        ];
        for jobs in cases {
            let mut buf: Vec<Hit> = Vec::with_capacity(jobs.len() * PASS_CHUNK);
            for (c, hits) in jobs.iter().enumerate() {
                buf.spare_capacity_mut()[c * PASS_CHUNK..c * PASS_CHUNK + hits.len()]
                    .iter_mut()
                    .zip(hits)
                    .for_each(|(slot, h)| {
                        slot.write(*h);
                    });
            }
            let chunks = jobs.iter().map(|h| ChunkHits::of(h)).collect();
            let pass = PassHits { buf, chunks };
            let all: Vec<Hit> = jobs.concat();
            let (order, closed) = pass.ranked_and_hits(|h| h.record);
            assert_eq!(closed, all);
            assert_eq!(order, ranked(&all, |h| h.record));
        }
    }

    #[test]
    fn ranking_is_best_first_then_record_order() {
        let mut hits: Vec<Hit> = [(0, 5), (1, 9), (2, 5), (3, 9), (4, -2)]
            .iter()
            .map(|&(record, score)| Hit {
                record,
                score,
                rest: 0,
                from: 0,
            })
            .collect();
        rank(&mut hits);
        let order: Vec<u32> = hits.iter().map(|h| h.record).collect();
        assert_eq!(order, vec![1, 3, 0, 2, 4]);
    }

    /// Narrowing with the earlier scores kept gives what a fresh pass gives, for a query that
    /// grows a term, changes its last term, or adds a negated one.
    #[test]
    fn narrowing_with_known_scores_is_exact() {
        let ix = Index::new(Arc::new(crate::store::Records::from(vec![
            record(
                "Peer support in teams",
                &["Julie Repper".into()],
                &[],
                Some(2012),
            ),
            record(
                "Supported peer work",
                &["Sue Pearl".into()],
                &[],
                Some(2016),
            ),
            record("Peers", &["Ann Super".into()], &["support".into()], None),
            record("Community", &["Kris Deering".into()], &[], Some(2010)),
        ])));
        let never = || false;
        for (old, new) in [
            ("pe", "pe su"),
            ("pe su", "pe sup"),
            ("peer s", "peer su !2016"),
            ("su", "sup pe"),
        ] {
            let (old, new) = (
                crate::query::parse(old).unwrap(),
                crate::query::parse(new).unwrap(),
            );
            let earlier = ix.matches(&old, None, &never).unwrap();
            let narrow = Narrow::between(&earlier, &old, &new);
            let mut narrowed = ix.matches(&new, Some(narrow), &never).unwrap();
            rank(&mut narrowed);
            let fresh = ix.run(&new, None, &never).unwrap();
            assert_eq!(narrowed, fresh, "{old:?} -> {new:?}");
        }
    }

    /// `ab:` and `fi:` find the same records through the abstract index as by scanning.
    #[test]
    fn abstract_index_ranks_as_the_scan_does() {
        let mut records = Vec::new();
        for (i, text) in [
            "Six peers worked with hopeful staff.",
            "Loneliness fell; co-production mattered.",
            "How peer support helps: randomised trial.",
            "Randomized, not randomised.",
        ]
        .iter()
        .enumerate()
        {
            let mut r = record(&format!("Record {i}"), &[], &[], None);
            r.abstract_sections = vec![crate::record::Section {
                label: Some(if i % 2 == 0 { "Findings" } else { "Methods" }.into()),
                text: text.to_string(),
            }];
            records.push(r);
        }
        let ix = Index::new(Arc::new(crate::store::Records::from(records)));
        let never = || false;
        let queries = [
            "ab:hope",
            "ab:rand",
            "ab:Rand",
            "fi:rand",
            "ab:lon",
            "ab:co-",
            "fi:peer",
            "ab:zz",
            "ab:rand !ab:trial",
            "peer ab:sup",
        ];
        // Ranked, with scores: the scan and the index rank alike.
        let ranked = |ix: &Index| -> Vec<Vec<(u32, i32)>> {
            queries
                .iter()
                .map(|q| {
                    ix.run(&crate::query::parse(q).unwrap(), None, &never)
                        .unwrap()
                        .iter()
                        .map(|h| (h.record, h.score))
                        .collect()
                })
                .collect()
        };
        let scanned = ranked(&ix);
        ix.index_abstracts();
        assert!(ix.abstracts.get().is_some());
        assert_eq!(ranked(&ix), scanned);
        let rand: Vec<u32> = scanned[1].iter().map(|h| h.0).collect();
        assert_eq!(rand, vec![2, 3], "{scanned:?}");
    }

    #[test]
    fn one_word_match_outranks_a_spread_one() {
        let ix = Index::new(Arc::new(crate::store::Records::from(vec![
            record("Development of peer work", &[], &[], None),
            record("Depression care", &[], &[], None),
        ])));
        let never = || false;
        let q = crate::query::parse("dep").unwrap();
        let hits = ix.run(&q, None, &never).unwrap();
        assert_eq!(hits.len(), 2);
        assert_eq!(hits[0].record, 1, "{hits:?}");
        assert!(hits[0].score > hits[1].score);
    }
}

/// The word gate and its scores as they were before the per-pass word tables (`Start`, the
/// reach tables, the score table): every word looked at afresh, chunk scores memoised by
/// nothing. The pass must find and score exactly what this finds and scores.
#[cfg(test)]
mod reference_tests {
    use super::*;
    use crate::record::Author;
    use crate::record::Record;

    /// A gate match as the chunks that make it up, in needle order; a one-character needle
    /// on an ASCII word's first character as that character alone.
    #[derive(Debug, PartialEq)]
    pub(super) enum Spelled {
        ByFirst(u8),
        Chunks(Vec<(u32, u8, u8)>),
    }

    fn reference_find(plan: &TokenPlan, tokens: &[u32], vocab: &Vocab) -> Option<Spelled> {
        let n = plan.needle.len();
        let mut via = [(0u32, 0u8); 64];
        let mut open = 1u64;
        for (at, &token) in tokens.iter().enumerate() {
            let first = (token >> 24) as u8;
            let mut m = plan.by_first[first as usize] & open;
            if m == 0 {
                continue;
            }
            let w = token & WORD_ID;
            if n == 1 && first < NON_ASCII {
                return Some(Spelled::ByFirst(first));
            }
            let word = vocab.word(w);
            if first >= NON_ASCII {
                let c = fold_char(word.chars().next().unwrap_or(' '), plan.case_sensitive);
                m &= plan
                    .needle
                    .iter()
                    .enumerate()
                    .filter(|(_, &d)| d == c)
                    .fold(0, |a, (i, _)| a | 1 << i);
            }
            let mut opened = 0u64;
            while m != 0 {
                let i = m.trailing_zeros() as usize;
                m &= m - 1;
                let k = plan.reach(word, i);
                if i + k == n {
                    let mut chunks = vec![(w, i as u8, n as u8)];
                    let mut j = i;
                    while j > 0 {
                        let (at, from) = via[j];
                        chunks.push((tokens[at as usize] & WORD_ID, from, j as u8));
                        j = from as usize;
                    }
                    chunks.reverse();
                    return Some(Spelled::Chunks(chunks));
                }
                let lo = if first == CJK { i + 1 } else { i + 2 };
                for (j, slot) in via.iter_mut().enumerate().take(i + k + 1).skip(lo) {
                    if (open | opened) & (1 << j) == 0 {
                        opened |= 1 << j;
                        *slot = (at as u32, i as u8);
                    }
                }
            }
            open |= opened;
        }
        None
    }

    fn reference_score(plan: &TokenPlan, spelled: &Spelled, vocab: &Vocab) -> i64 {
        match spelled {
            Spelled::ByFirst(b) => skim_score(&(*b as char).to_string(), &plan.original),
            Spelled::Chunks(chunks) if chunks.len() == 1 => {
                skim_score(vocab.word(chunks[0].0), &plan.original)
            }
            Spelled::Chunks(chunks) => {
                let sum: i64 = chunks
                    .iter()
                    .map(|&(w, from, to)| {
                        let chunk: String = plan.original_chars[from as usize..to as usize]
                            .iter()
                            .collect();
                        skim_score(vocab.word(w), &chunk)
                    })
                    .sum();
                sum - CHUNK_PENALTY * (chunks.len() as i64 - 1)
            }
        }
    }

    pub(super) fn spelled(found: Found, scratch: &[(u32, u8, u8)], n: usize) -> Spelled {
        match found {
            Found::ByFirst(b) => Spelled::ByFirst(b),
            Found::Word(w) => Spelled::Chunks(vec![(w, 0, n as u8)]),
            Found::Chunks => Spelled::Chunks(scratch.iter().rev().copied().collect()),
        }
    }

    fn record(title: &str, authors: &[String], keywords: &[String]) -> Record {
        Record {
            title: (!title.is_empty()).then(|| title.to_string()),
            authors: authors
                .iter()
                .map(|a| Author {
                    name: a.clone(),
                    ..Author::default()
                })
                .collect(),
            keywords: keywords.to_vec(),
            ..Record::default()
        }
    }

    fn records() -> impl proptest::strategy::Strategy<Value = Vec<Record>> {
        use proptest::collection::vec;
        vec(
            (
                "[abcAB 同é-]{0,24}",
                vec("[abcAB 同]{1,10}", 0..3),
                vec("[abc -]{1,8}", 0..3),
            )
                .prop_map(|(t, a, k)| record(&t, &a, &k)),
            1..8,
        )
    }

    use proptest::strategy::Strategy;

    proptest::proptest! {
        /// `find` with the pass's word tables (shared by every record of the pass, filled as
        /// records need them or all at once beforehand) gives the match the reference gives,
        /// and `found_score` its score, with chunk scores in shared tables or (the tables'
        /// budget spent) remembered per thread.
        #[test]
        fn find_and_score_agree_with_the_reference(
            records in records(),
            needle in "[abcAé同-]{1,6}",
            prepared in proptest::bool::ANY,
            tables in proptest::bool::ANY,
        ) {
            let case_sensitive = needle.chars().any(char::is_uppercase);
            let ix = Index::new(Arc::new(crate::store::Records::from(records)));
            let meta = ix.meta();
            let plan = TokenPlan::new(&needle, case_sensitive).unwrap();
            if prepared {
                plan.prepare(&meta.vocab);
            }
            if !tables {
                plan.memo.table_bytes.store(0, Ordering::Relaxed);
            }
            let term = crate::query::Term {
                field: Field::Any,
                pattern: Pattern::Fuzzy(needle.clone()),
                case_sensitive,
                negated: false,
            };
            let prepared_terms = [Prepared::new(&term)];
            let pass = Pass { index: &ix, meta, terms: &prepared_terms };
            let mut scratch = Scratch::default();
            // Twice over, so the second round reads what the first remembered.
            for _ in 0..2 {
                for r in 0..ix.len() {
                    let span = meta.spans[r];
                    let tokens = &meta.tokens[span[0] as usize..span[FIELDS] as usize];
                    let want = reference_find(&plan, tokens, &meta.vocab);
                    // Scanned, and listed (whole record and each field), the same match.
                    let got = plan.find(tokens, &meta.vocab, &mut scratch.chunks, &mut scratch.via, None, 0);
                    let scanned = got.map(|(f, _)| spelled(f, &scratch.chunks, plan.needle.len()));
                    for f in 0..FIELDS {
                        let (from, to) = (span[f] as usize, span[f + 1] as usize);
                        let field = &meta.tokens[from..to];
                        let listed = meta.lists.listed(r).then_some((&meta.lists, r, from - span[0] as usize));
                        let scan = plan.find(field, &meta.vocab, &mut scratch.chunks, &mut scratch.via, None, 0)
                            .map(|(f, _)| spelled(f, &scratch.chunks, plan.needle.len()));
                        let list = plan.find(field, &meta.vocab, &mut scratch.chunks, &mut scratch.via, listed, 0)
                            .map(|(f, _)| spelled(f, &scratch.chunks, plan.needle.len()));
                        proptest::prop_assert_eq!(scan, list);
                    }
                    let listed = meta.lists.listed(r).then_some((&meta.lists, r, 0));
                    let by_list = plan.find(tokens, &meta.vocab, &mut scratch.chunks, &mut scratch.via, listed, 0)
                        .map(|(f, _)| spelled(f, &scratch.chunks, plan.needle.len()));
                    proptest::prop_assert_eq!(&scanned, &by_list);
                    let got = plan.find(tokens, &meta.vocab, &mut scratch.chunks, &mut scratch.via, None, 0);
                    let got = got.map(|(f, _)| {
                        let s = pass.found_score(&plan, &f, &mut scratch);
                        (spelled(f, &scratch.chunks, plan.needle.len()), s)
                    });
                    let want = want.map(|w| {
                        let s = reference_score(&plan, &w, &meta.vocab);
                        (w, s)
                    });
                    proptest::prop_assert_eq!(&got, &want, "{:?} in record {}", needle, r);
                }
            }
        }

        /// Narrowing to a grown last term, looking for it from each old hit's `from`
        /// (`Narrow::resume`), gives what a fresh pass gives: the needle grown at its end, with
        /// or without a field, after another term, made case-sensitive by a capital.
        #[test]
        fn resumed_narrowing_equals_a_fresh_pass(
            records in records(),
            old in "[abcAé同]{1,4}",
            extra in "[abcAé同]{1,3}",
            field in proptest::sample::select(vec!["", "ti:", "au:", "kw:"]),
            before in proptest::option::of("[abc]{1,2}"),
        ) {
            let ix = Index::new(Arc::new(crate::store::Records::from(records)));
            let never = || false;
            let grown = format!("{old}{extra}");
            let lead = before.map(|b| format!("{b} ")).unwrap_or_default();
            let (old_q, new_q) = (
                crate::query::parse(&format!("{lead}{field}{old}")).unwrap(),
                crate::query::parse(&format!("{lead}{field}{grown}")).unwrap(),
            );
            if !new_q.narrows(&old_q) {
                return Ok(());
            }
            let earlier = ix.matches(&old_q, None, &never).unwrap();
            let narrow = Narrow::between(&earlier, &old_q, &new_q);
            let mut narrowed = ix.matches(&new_q, Some(narrow), &never).unwrap();
            rank(&mut narrowed);
            let fresh = ix.run(&new_q, None, &never).unwrap();
            proptest::prop_assert_eq!(narrowed, fresh, "{:?} -> {:?}", old_q, new_q);
        }

        /// A whole pass (parallel chunks, narrowing, ranking) ranks what the reference finds,
        /// by the reference's scores, best first and ties in record order.
        #[test]
        fn pass_agrees_with_the_reference(
            records in records(),
            needles in proptest::collection::vec("[abcé同]{1,5}", 1..3),
        ) {
            let ix = Index::new(Arc::new(crate::store::Records::from(records)));
            let never = || false;
            let text = needles.join(" ");
            let query = crate::query::parse(&text).unwrap();
            let got: Vec<(u32, i32)> = ix
                .run(&query, None, &never)
                .unwrap()
                .iter()
                .map(|h| (h.record, h.score))
                .collect();
            let meta = ix.meta();
            let plans: Vec<TokenPlan> =
                needles.iter().map(|n| TokenPlan::new(n, false).unwrap()).collect();
            let mut want: Vec<(u32, i32)> = Vec::new();
            'records: for r in 0..ix.len() {
                let span = meta.spans[r];
                let tokens = &meta.tokens[span[0] as usize..span[FIELDS] as usize];
                let mut total = 0;
                for plan in &plans {
                    match reference_find(plan, tokens, &meta.vocab) {
                        Some(s) => total += reference_score(plan, &s, &meta.vocab),
                        None => continue 'records,
                    }
                }
                want.push((r as u32, total as i32));
            }
            want.sort_by_key(|&(_, s)| std::cmp::Reverse(s));
            proptest::prop_assert_eq!(got, want, "{:?}", text);
        }
    }
}
