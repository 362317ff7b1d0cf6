//! An inverted index over the words of every abstract, so `ab:` and `fi:` filters look up a
//! vocabulary instead of scanning a gigabyte of prose on each keystroke.
//!
//! The matching rule is the word gate's single-word mode (see `search.rs`): a text splits into
//! words where `is_word_start` says so (every whitespace or punctuation character is a word of
//! its own, every CJK character starts one); a needle matches a word when their first
//! characters are equal and the rest of the needle is a subsequence of the rest of the word,
//! ignoring case unless `case_sensitive`. A record's score is the best skim score of its
//! matching words. Since a match depends on one word only, each distinct word is tested and
//! scored once per search, and its records come from a posting list.
//!
//! Every word is kept, punctuation and whitespace too (single ASCII characters are interned
//! through a table, so they cost no hashing), hence no needle needs a scan of the text.
//! Posting lists are delta + varint encoded, one value per record: `(gap << 1) | findings`,
//! where `gap` is the distance from the previous record minus one and `findings` says the word
//! occurs in a findings section of that record.

use crate::record::is_findings_label;
use crate::search::{for_each_word, is_word_start, matcher};
use crate::store::Records;
use fuzzy_matcher::FuzzyMatcher;
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};

/// Records indexed by one parallel job; the job's vocabulary is merged into the global one.
const CHUNK_RECORDS: usize = 16384;
/// How many postings are decoded between two looks at `cancelled()`.
const CANCEL_EVERY: usize = 4096;

/// The words of every abstract, each with the records it occurs in.
pub struct AbstractIndex {
    records: u32,
    /// Every distinct word, one after another, sorted by folded first character.
    words: String,
    /// Where word `w` starts in `words`; `word_start[w + 1]` is where it ends.
    word_start: Vec<u32>,
    /// Where word `w`'s postings start in `postings`; `post_start[w + 1]` is where they end.
    post_start: Vec<u64>,
    postings: Vec<u8>,
    /// Folded first character and the range of word ids that start with it, sorted.
    groups: Vec<(char, u32, u32)>,
}

/// The case folding of the word gate (case-insensitive).
fn fold(c: char) -> char {
    crate::search::fold_char(c, false)
}

/// The word `text[from..to]` of at most 16 bytes as an integer, zero-padded (no word of two
/// or more bytes holds a zero byte: NUL is a word of its own).
fn pack(text: &[u8], from: usize, to: usize) -> u128 {
    let len = to - from;
    // Most words have 16 bytes of text after their start: one unaligned load and a mask.
    let mut a = [0u8; 16];
    if let Some(b) = text.get(from..from + 16) {
        a.copy_from_slice(b);
        let mask = if len >= 16 {
            u128::MAX
        } else {
            (1u128 << (8 * len)) - 1
        };
        return u128::from_le_bytes(a) & mask;
    }
    a[..len].copy_from_slice(&text[from..to]);
    u128::from_le_bytes(a)
}

/// FxHash: the vocabulary is hashed once per word of text, so SipHash would dominate the build.
type FxMap<K, V> = rustc_hash::FxHashMap<K, V>;

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn varint_len(mut v: u64) -> usize {
    let mut n = 1;
    while v >= 0x80 {
        v >>= 7;
        n += 1;
    }
    n
}

/// Reads a varint at `*at`, moving `*at` past it. Only our own encoder writes these bytes.
fn get_varint(bytes: &[u8], at: &mut usize) -> u64 {
    let mut v = 0u64;
    let mut shift = 0;
    while let Some(&b) = bytes.get(*at) {
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            break;
        }
        shift += 7;
    }
    v
}

/// One parallel job's share: its words and their postings, encoded as if the chunk's records
/// were the whole library (the first value of each list is the absolute record id).
struct Chunk<'a> {
    words: Vec<&'a str>,
    /// Per local word: where its postings lie in `bytes`, and its last record.
    spans: Vec<(u32, u32, u32)>,
    bytes: Vec<u8>,
}

/// Buffers a worker thread reuses from chunk to chunk, so fresh pages are not faulted in and
/// zeroed for every chunk (that cost as much as the tokenizing).
#[derive(Default)]
struct Scratch {
    /// Per local word: the last record (1-based within the chunk) that had it, and where that
    /// record's posting sits in `occ`, so a later findings occurrence can set its flag.
    seen: Vec<(u32, u32)>,
    /// (local word, record << 1 | findings), in record order.
    occ: Vec<(u32, u32)>,
    start: Vec<u32>,
    fill: Vec<u32>,
    sorted: Vec<u32>,
    bytes: Vec<u8>,
    /// The previous chunk's vocabulary size, to size the next chunk's map at once.
    words_hint: usize,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

fn index_chunk(records: &Records, range: std::ops::Range<usize>) -> Chunk<'_> {
    SCRATCH.with(|s| index_chunk_with(records, range, &mut s.borrow_mut()))
}

fn index_chunk_with<'a>(
    records: &'a Records,
    range: std::ops::Range<usize>,
    s: &mut Scratch,
) -> Chunk<'a> {
    let base = range.start as u32;
    // Words of up to 16 bytes are keyed by their bytes as one integer: no string compares.
    let mut tiny: FxMap<u64, u32> =
        FxMap::with_capacity_and_hasher(s.words_hint, Default::default());
    let mut short: FxMap<u128, u32> =
        FxMap::with_capacity_and_hasher(s.words_hint / 2, Default::default());
    let mut map: FxMap<&str, u32> = FxMap::default();
    let mut single = [u32::MAX; 128];
    let mut words: Vec<&str> = Vec::with_capacity(s.words_hint);
    let seen = &mut s.seen;
    let occ = &mut s.occ;
    seen.clear();
    occ.clear();
    for (ri, r) in records.views_in(range).enumerate() {
        let rec = ri as u32 + 1;
        for (label, sec_text) in r.sections() {
            let findings = u32::from(label.is_some_and(is_findings_label));
            let text = sec_text.as_bytes();
            for_each_word(sec_text, |from, to| {
                let b = text[from];
                let id = if to - from == 1 && b < 0x80 {
                    let slot = &mut single[b as usize];
                    if *slot == u32::MAX {
                        *slot = words.len() as u32;
                        words.push(&sec_text[from..to]);
                        seen.push((0, 0));
                    }
                    *slot
                } else {
                    let next = words.len() as u32;
                    let id = if to - from <= 8 {
                        // Half the entry size of `short`: fewer cache misses on the commonest.
                        *tiny.entry(pack(text, from, to) as u64).or_insert(next)
                    } else if to - from <= 16 {
                        *short.entry(pack(text, from, to)).or_insert(next)
                    } else {
                        *map.entry(&sec_text[from..to]).or_insert(next)
                    };
                    if id == next {
                        words.push(&sec_text[from..to]);
                        seen.push((0, 0));
                    }
                    id
                };
                let e = &mut seen[id as usize];
                if e.0 == rec {
                    occ[e.1 as usize].1 |= findings;
                } else {
                    *e = (rec, occ.len() as u32);
                    occ.push((id, ((base + ri as u32) << 1) | findings));
                }
            });
        }
    }
    drop((map, short, tiny));
    s.words_hint = words.len();
    // Group the postings by word (a counting sort keeps record order within a word).
    let start = &mut s.start;
    start.clear();
    start.resize(words.len() + 1, 0);
    for &(w, _) in occ.iter() {
        start[w as usize + 1] += 1;
    }
    for i in 0..words.len() {
        start[i + 1] += start[i];
    }
    s.fill.clear();
    s.fill.extend_from_slice(&start[..words.len()]);
    s.sorted.clear();
    s.sorted.resize(occ.len(), 0);
    for &(w, v) in occ.iter() {
        let f = &mut s.fill[w as usize];
        s.sorted[*f as usize] = v;
        *f += 1;
    }
    let bytes = &mut s.bytes;
    bytes.clear();
    let mut spans = Vec::with_capacity(words.len());
    for w in 0..words.len() {
        let from = bytes.len() as u32;
        let mut next = 0u32;
        let mut last = 0;
        for &v in &s.sorted[start[w] as usize..start[w + 1] as usize] {
            let rec = v >> 1;
            put_varint(bytes, (u64::from(rec - next) << 1) | u64::from(v & 1));
            next = rec + 1;
            last = rec;
        }
        spans.push((from, bytes.len() as u32 - from, last));
    }
    Chunk {
        words,
        spans,
        bytes: bytes.clone(),
    }
}

impl AbstractIndex {
    pub fn new(records: &Records) -> AbstractIndex {
        let n = records.len();
        let chunks: Vec<Chunk> = (0..n.div_ceil(CHUNK_RECORDS))
            .into_par_iter()
            .map(|k| index_chunk(records, k * CHUNK_RECORDS..((k + 1) * CHUNK_RECORDS).min(n)))
            .collect();

        // The global vocabulary, and each chunk's words in it.
        let mut global: FxMap<&str, u32> = FxMap::default();
        let mut global_short: FxMap<u128, u32> = FxMap::default();
        let mut vocab: Vec<&str> = Vec::new();
        let local_to_global: Vec<Vec<u32>> = chunks
            .iter()
            .map(|c| {
                c.words
                    .iter()
                    .map(|w| {
                        let next = vocab.len() as u32;
                        let id = if w.len() <= 16 {
                            *global_short
                                .entry(pack(w.as_bytes(), 0, w.len()))
                                .or_insert(next)
                        } else {
                            *global.entry(w).or_insert(next)
                        };
                        if id == next {
                            vocab.push(w);
                        }
                        id
                    })
                    .collect()
            })
            .collect();
        drop((global, global_short));
        // Word ids sorted by folded first character, so a needle's candidates are one range.
        let keys: Vec<char> = vocab
            .iter()
            .map(|w| fold(w.chars().next().unwrap_or(' ')))
            .collect();
        let mut order: Vec<u32> = (0..vocab.len() as u32).collect();
        order.par_sort_unstable_by(|&a, &b| {
            keys[a as usize]
                .cmp(&keys[b as usize])
                .then_with(|| vocab[a as usize].cmp(vocab[b as usize]))
        });
        let mut rank = vec![0u32; vocab.len()];
        for (r, &g) in order.iter().enumerate() {
            rank[g as usize] = r as u32;
        }
        let mut words = String::with_capacity(vocab.iter().map(|w| w.len()).sum());
        let mut word_start = Vec::with_capacity(vocab.len() + 1);
        let mut groups: Vec<(char, u32, u32)> = Vec::new();
        for (r, &g) in order.iter().enumerate() {
            word_start.push(words.len() as u32);
            words.push_str(vocab[g as usize]);
            let key = keys[g as usize];
            match groups.last_mut() {
                Some(last) if last.0 == key => last.2 = r as u32 + 1,
                _ => groups.push((key, r as u32, r as u32 + 1)),
            }
        }
        word_start.push(words.len() as u32);
        drop(vocab);
        // Sizes: each chunk's list is copied as is, but for its first value, which becomes a
        // gap from the word's last record in the chunks before.
        let n = order.len();
        let mut size = vec![0u64; n];
        let mut last: Vec<Option<u32>> = vec![None; n];
        for (c, map) in chunks.iter().zip(&local_to_global) {
            for (&(from, len, end), &g) in c.spans.iter().zip(map) {
                let w = rank[g as usize] as usize;
                let mut p = from as usize;
                let first = get_varint(&c.bytes, &mut p);
                let rebased = rebase(first, last[w]);
                size[w] += (len as usize - (p - from as usize) + varint_len(rebased)) as u64;
                last[w] = Some(end);
            }
        }
        let mut post_start = Vec::with_capacity(n + 1);
        let mut total = 0u64;
        for &s in &size {
            post_start.push(total);
            total += s;
        }
        post_start.push(total);
        drop(size);
        let mut postings = vec![0u8; total as usize];
        let mut cursor: Vec<u64> = post_start[..n].to_vec();
        last.iter_mut().for_each(|l| *l = None);
        let mut scratch = Vec::with_capacity(10);
        for (c, map) in chunks.into_iter().zip(&local_to_global) {
            for (&(from, len, end), &g) in c.spans.iter().zip(map) {
                let w = rank[g as usize] as usize;
                let mut p = from as usize;
                let first = get_varint(&c.bytes, &mut p);
                scratch.clear();
                put_varint(&mut scratch, rebase(first, last[w]));
                let rest = &c.bytes[p..(from + len) as usize];
                let at = cursor[w] as usize;
                postings[at..at + scratch.len()].copy_from_slice(&scratch);
                postings[at + scratch.len()..at + scratch.len() + rest.len()].copy_from_slice(rest);
                cursor[w] += (scratch.len() + rest.len()) as u64;
                last[w] = Some(end);
            }
        }
        // The workers' buffers would otherwise stay allocated for the life of the pool.
        rayon::broadcast(|_| SCRATCH.with(|s| s.take()));
        AbstractIndex {
            records: records.len() as u32,
            words,
            word_start,
            post_start,
            postings,
            groups,
        }
    }

    fn word(&self, w: usize) -> &str {
        &self.words[self.word_start[w] as usize..self.word_start[w + 1] as usize]
    }

    /// Number of distinct words.
    pub fn vocabulary(&self) -> usize {
        self.word_start.len() - 1
    }

    /// Records matching `needle` (fuzzy, rule above) with their scores, in record order.
    /// `findings_only` for fi:. `within`: only these record indices (sorted ascending) may be
    /// returned. None when `cancelled()` turned true.
    pub fn search(
        &self,
        needle: &str,
        case_sensitive: bool,
        findings_only: bool,
        within: Option<&[u32]>,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Option<Vec<(u32, i64)>> {
        let pattern = pattern(needle, case_sensitive);
        let Some(&first) = pattern.first() else {
            return Some(Vec::new());
        };
        let key = fold(first);
        let Ok(g) = self.groups.binary_search_by(|e| e.0.cmp(&key)) else {
            return Some(Vec::new());
        };
        let (_, lo, hi) = self.groups[g];
        let stop = AtomicBool::new(false);
        let is_stopped = || {
            if stop.load(Ordering::Relaxed) {
                return true;
            }
            if cancelled() {
                stop.store(true, Ordering::Relaxed);
                return true;
            }
            false
        };
        let ascii = needle.is_ascii();
        let matched: Vec<(usize, i64)> = (lo as usize..hi as usize)
            .into_par_iter()
            .with_min_len(CANCEL_EVERY)
            .filter_map(|w| {
                if w % CANCEL_EVERY == 0 && is_stopped() {
                    return None;
                }
                let word = self.word(w);
                let hit = if ascii && word.is_ascii() {
                    ascii_word_matches(word.as_bytes(), &pattern, case_sensitive)
                } else {
                    word_matches(word, &pattern, case_sensitive)
                };
                hit.then(|| (w, matcher().fuzzy_match(word, needle).unwrap_or(0)))
            })
            .collect();
        if is_stopped() {
            return None;
        }
        if matched.is_empty() {
            return Some(Vec::new());
        }
        let n = self.records as usize;
        let allowed: Option<Vec<u64>> = within.map(|ids| {
            let mut bits = vec![0u64; n.div_ceil(64)];
            for &r in ids {
                if let Some(b) = bits.get_mut(r as usize / 64) {
                    *b |= 1 << (r % 64);
                }
            }
            bits
        });
        let allowed = allowed.as_deref();
        // Split the lists over the threads by size; each thread keeps the best score per record.
        let bytes: u64 = matched.iter().map(|&(w, _)| self.list_len(w)).sum();
        let parts = if bytes < 1 << 18 {
            1
        } else {
            rayon::current_num_threads().max(1)
        };
        let mut groups: Vec<Vec<(usize, i64)>> = vec![Vec::new(); parts];
        let mut load = vec![0u64; parts];
        let mut by_size = matched;
        by_size.sort_unstable_by_key(|&(w, _)| std::cmp::Reverse(self.list_len(w)));
        for m in by_size {
            let i = (0..parts).min_by_key(|&i| load[i]).unwrap_or(0);
            load[i] += self.list_len(m.0);
            groups[i].push(m);
        }
        let best: Vec<Vec<i64>> = groups
            .par_iter()
            .map(|ws| {
                let mut best = vec![i64::MIN; n];
                let mut budget = CANCEL_EVERY;
                for &(w, score) in ws {
                    let list = &self.postings
                        [self.post_start[w] as usize..self.post_start[w + 1] as usize];
                    let mut p = 0;
                    let mut next = 0u64;
                    while p < list.len() {
                        let v = get_varint(list, &mut p);
                        let rec = next + (v >> 1);
                        next = rec + 1;
                        budget -= 1;
                        if budget == 0 {
                            budget = CANCEL_EVERY;
                            if is_stopped() {
                                return best;
                            }
                        }
                        if findings_only && v & 1 == 0 {
                            continue;
                        }
                        let r = rec as usize;
                        if allowed
                            .is_some_and(|a| a.get(r / 64).is_none_or(|b| b & (1 << (r % 64)) == 0))
                        {
                            continue;
                        }
                        if let Some(b) = best.get_mut(r) {
                            *b = (*b).max(score);
                        }
                    }
                }
                best
            })
            .collect();
        if is_stopped() {
            return None;
        }
        let mut out = Vec::new();
        match best.as_slice() {
            [one] => out.extend(
                one.iter()
                    .enumerate()
                    .filter(|e| *e.1 != i64::MIN)
                    .map(|(r, &s)| (r as u32, s)),
            ),
            _ => {
                for r in 0..n {
                    let s = best.iter().map(|b| b[r]).max().unwrap_or(i64::MIN);
                    if s != i64::MIN {
                        out.push((r as u32, s));
                    }
                }
            }
        }
        Some(out)
    }

    /// Writes the index to the search cache (`index_cache`).
    pub(crate) fn write(&self, w: &mut crate::index_cache::Writer) -> std::io::Result<()> {
        w.put(&[self.records])?;
        w.put_str(&self.words)?;
        w.put(&self.word_start)?;
        w.put(&self.post_start)?;
        w.put(&self.postings)?;
        let firsts: Vec<u32> = self.groups.iter().map(|g| g.0 as u32).collect();
        let los: Vec<u32> = self.groups.iter().map(|g| g.1).collect();
        let his: Vec<u32> = self.groups.iter().map(|g| g.2).collect();
        w.put(&firsts)?;
        w.put(&los)?;
        w.put(&his)
    }

    /// Reads what `write` wrote for a library of `records` records, checked so that no
    /// look-up can fall outside it (a record id in a list beyond `records` is skipped).
    pub(crate) fn read(
        r: &mut crate::index_cache::Reader,
        records: usize,
    ) -> Option<AbstractIndex> {
        let stored: Vec<u32> = r.get()?;
        let words = r.get_str()?;
        let word_start: Vec<u32> = r.get()?;
        let post_start: Vec<u64> = r.get()?;
        let postings: Vec<u8> = r.get()?;
        let (firsts, los, his): (Vec<u32>, Vec<u32>, Vec<u32>) = (r.get()?, r.get()?, r.get()?);
        let n = word_start.len().checked_sub(1)?;
        let mut groups = Vec::with_capacity(firsts.len());
        for ((f, lo), hi) in firsts.into_iter().zip(los).zip(his) {
            if lo > hi || hi as usize > n {
                return None;
            }
            groups.push((char::from_u32(f)?, lo, hi));
        }
        let sound = stored == [records as u32]
            && groups.windows(2).all(|g| g[0].0 < g[1].0)
            && word_start.first() == Some(&0)
            && word_start.last() == Some(&(words.len() as u32))
            && word_start.windows(2).all(|w| w[0] <= w[1])
            && word_start
                .iter()
                .all(|&s| words.is_char_boundary(s as usize))
            && post_start.len() == n + 1
            && post_start.first() == Some(&0)
            && post_start.last() == Some(&(postings.len() as u64))
            && post_start.windows(2).all(|w| w[0] <= w[1]);
        sound.then_some(AbstractIndex {
            records: records as u32,
            words,
            word_start,
            post_start,
            postings,
            groups,
        })
    }

    fn list_len(&self, w: usize) -> u64 {
        self.post_start[w + 1] - self.post_start[w]
    }

    /// Bytes held on the heap: vocabulary, postings and their offsets.
    pub fn heap_bytes(&self) -> usize {
        self.words.capacity()
            + self.word_start.capacity() * 4
            + self.post_start.capacity() * 8
            + self.postings.capacity()
            + self.groups.capacity() * std::mem::size_of::<(char, u32, u32)>()
    }

    /// Bytes of the posting lists alone.
    pub fn posting_bytes(&self) -> usize {
        self.postings.len()
    }
}

/// A chunk's first value (an absolute record id) as a gap from the word's previous record.
fn rebase(first: u64, last: Option<u32>) -> u64 {
    let rec = first >> 1;
    let next = last.map_or(0, |l| u64::from(l) + 1);
    ((rec - next) << 1) | (first & 1)
}

/// The rule on one word: same first character, the rest of the needle a subsequence of the
/// rest of the word. `pattern` is already folded unless `case_sensitive`.
/// The needle as the rule compares it: folded unless the term is case-sensitive.
pub(crate) fn pattern(needle: &str, case_sensitive: bool) -> Vec<char> {
    needle
        .chars()
        .map(|c| if case_sensitive { c } else { fold(c) })
        .collect()
}

/// What `search` finds in one text, without the index: skim's best score over the words of
/// `text` that match `pattern` (from `pattern(needle, ..)`), or None. Scanning `ab:` and `fi:`
/// (small libraries, or before the index is built) calls this, so that both rank alike; with
/// `scoring` false the first matching word answers.
pub(crate) fn best_word_score(
    text: &str,
    needle: &str,
    pattern: &[char],
    case_sensitive: bool,
    scoring: bool,
) -> Option<i64> {
    let &first = pattern.first()?;
    let ascii = needle.is_ascii();
    let mut best: Option<i64> = None;
    // Skim's score of the word starting at `from`, if one starts there and matches the rule.
    let score_at = |from: usize| -> Option<i64> {
        let mut chars = text[from..].chars();
        let c = chars.next()?;
        if !is_word_start(text[..from].chars().next_back(), c) {
            return None;
        }
        let mut end = text.len();
        let mut last = c;
        let mut at = from + c.len_utf8();
        for ch in chars {
            if is_word_start(Some(last), ch) {
                end = at;
                break;
            }
            last = ch;
            at += ch.len_utf8();
        }
        let word = &text[from..end];
        let hit = if ascii && word.is_ascii() {
            ascii_word_matches(word.as_bytes(), pattern, case_sensitive)
        } else {
            word_matches(word, pattern, case_sensitive)
        };
        hit.then(|| matcher().fuzzy_match(word, needle).unwrap_or(0))
    };
    let mut consider = |from: usize| {
        if let Some(score) = score_at(from) {
            best = Some(best.map_or(score, |b| b.max(score)));
        }
        best.is_some() && !scoring
    };
    // Only places holding the needle's first character can start a matching word: an ASCII
    // text is searched for them with memchr (the word splitter would visit every word).
    if first.is_ascii() && text.is_ascii() {
        let lower = first as u8;
        let upper = if case_sensitive {
            lower
        } else {
            lower.to_ascii_uppercase()
        };
        for from in memchr::memchr2_iter(lower, upper, text.as_bytes()) {
            if consider(from) {
                break;
            }
        }
    } else {
        for (from, c) in text.char_indices() {
            if (if case_sensitive { c } else { fold(c) }) == first && consider(from) {
                break;
            }
        }
    }
    best
}

fn word_matches(word: &str, pattern: &[char], case_sensitive: bool) -> bool {
    let f = |c: char| if case_sensitive { c } else { fold(c) };
    let mut chars = word.chars().map(f);
    if chars.next() != pattern.first().copied() {
        return false;
    }
    let mut rest = pattern[1..].iter().peekable();
    for c in chars {
        match rest.peek() {
            None => break,
            Some(&&p) if p == c => {
                rest.next();
            }
            _ => {}
        }
    }
    rest.peek().is_none()
}

/// `word_matches` for an ASCII word and needle.
fn ascii_word_matches(word: &[u8], pattern: &[char], case_sensitive: bool) -> bool {
    let f = |b: u8| {
        if case_sensitive {
            b
        } else {
            b.to_ascii_lowercase()
        }
    };
    let Some((&w0, wrest)) = word.split_first() else {
        return false;
    };
    if pattern.len() > word.len() || char::from(f(w0)) != pattern[0] {
        return false;
    }
    let mut k = 1;
    for &b in wrest {
        if k == pattern.len() {
            break;
        }
        if char::from(f(b)) == pattern[k] {
            k += 1;
        }
    }
    k == pattern.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Record;
    use crate::record::{Section, Source};
    use crate::search::is_word_start;

    fn record(sections: &[(Option<&str>, &str)]) -> Record {
        let mut r = Record::new(Source::default());
        r.abstract_sections = sections
            .iter()
            .map(|(l, t)| Section {
                label: l.map(str::to_string),
                text: t.to_string(),
            })
            .collect();
        r
    }

    fn never() -> bool {
        false
    }

    /// The rule as the brief states it, on chars, with no index: the reference for the tests.
    fn naive(
        records: &[Record],
        needle: &str,
        case_sensitive: bool,
        findings_only: bool,
        within: Option<&[u32]>,
    ) -> Vec<(u32, i64)> {
        let f = |c: char| if case_sensitive { c } else { fold(c) };
        let pattern: Vec<char> = needle.chars().map(f).collect();
        let mut out = Vec::new();
        for (i, r) in records.iter().enumerate() {
            if within.is_some_and(|w| !w.contains(&(i as u32))) {
                continue;
            }
            let mut best: Option<i64> = None;
            for s in &r.abstract_sections {
                if findings_only && !s.label.as_deref().is_some_and(is_findings_label) {
                    continue;
                }
                let chars: Vec<char> = s.text.chars().collect();
                let mut starts: Vec<usize> = (0..chars.len())
                    .filter(|&p| is_word_start(p.checked_sub(1).map(|q| chars[q]), chars[p]))
                    .collect();
                starts.push(chars.len());
                for win in starts.windows(2) {
                    let word: Vec<char> = chars[win[0]..win[1]].iter().copied().map(f).collect();
                    if pattern.is_empty() || word[0] != pattern[0] {
                        continue;
                    }
                    let mut it = word[1..].iter();
                    if pattern[1..].iter().all(|p| it.any(|c| c == p)) {
                        let text: String = chars[win[0]..win[1]].iter().collect();
                        let score = matcher().fuzzy_match(&text, needle).unwrap_or(0);
                        best = Some(best.map_or(score, |b| b.max(score)));
                    }
                }
            }
            if let Some(b) = best {
                out.push((i as u32, b));
            }
        }
        out
    }

    fn ids(hits: &[(u32, i64)]) -> Vec<u32> {
        hits.iter().map(|h| h.0).collect()
    }

    fn find(ix: &AbstractIndex, needle: &str) -> Vec<u32> {
        let cs = needle.chars().any(char::is_uppercase);
        ids(&ix.search(needle, cs, false, None, &never).unwrap())
    }

    #[test]
    fn words_follow_is_word_start() {
        let mut got = Vec::new();
        let text = "Peer-support, hopeful 2012a 评估同伴 同a iPhone  x";
        for_each_word(text, |a, b| got.push(&text[a..b]));
        assert_eq!(
            got,
            [
                "Peer", "-", "support", ",", " ", "hopeful", " ", "2012", "a", " ", "评", "估",
                "同", "伴", " ", "同a", " ", "i", "Phone", " ", " ", "x"
            ]
        );
    }

    #[test]
    fn rule_on_hand_written_cases() {
        let rs = vec![
            record(&[(None, "We felt hopeful about it.")]),
            record(&[(None, "They asked how peer workers cope.")]),
            record(&[(None, "Repper and colleagues (2012) found")]),
            record(&[(None, "评估同伴支持的效果")]),
            record(&[(None, "co-production; x-ray")]),
        ];
        let ix = AbstractIndex::new(&Records::from_records(&rs));
        assert_eq!(find(&ix, "hope"), [0]);
        assert_eq!(find(&ix, "reper"), [2]);
        assert_eq!(find(&ix, "repper"), [2]);
        // Smart case: an upper-case needle must meet the same case.
        assert_eq!(find(&ix, "Rep"), [2]);
        assert!(ix.search("Rep", true, false, None, &never).unwrap()[0].1 > 0);
        let lower = vec![record(&[(None, "repper")])];
        let lix = AbstractIndex::new(&Records::from_records(&lower));
        assert_eq!(find(&lix, "Rep"), Vec::<u32>::new());
        assert_eq!(find(&lix, "rep"), [0]);
        // Initials of separate words do not match: "how peer" is two words.
        assert_eq!(find(&ix, "hwp"), Vec::<u32>::new());
        assert_eq!(find(&ix, "hpe"), [0]);
        // Each CJK character is a word, so a two-character needle cannot match inside
        // "评估同伴支持", while each character alone does.
        assert_eq!(find(&ix, "同伴"), Vec::<u32>::new());
        assert_eq!(find(&ix, "同"), [3]);
        assert_eq!(find(&ix, "伴"), [3]);
        // Punctuation is a word of its own: "-" matches, "co-" cannot.
        assert_eq!(find(&ix, "-"), [4]);
        assert_eq!(find(&ix, "co-"), Vec::<u32>::new());
        assert_eq!(find(&ix, "(2012"), Vec::<u32>::new());
        assert_eq!(find(&ix, "2012"), [2]);
        assert_eq!(find(&ix, "zzz"), Vec::<u32>::new());
        assert_eq!(find(&ix, ""), Vec::<u32>::new());
        // Scores are skim's on the matching word.
        let hits = ix.search("hope", false, false, None, &never).unwrap();
        assert_eq!(
            hits,
            [(0, matcher().fuzzy_match("hopeful", "hope").unwrap())]
        );
        for needle in ["hope", "reper", "Rep", "同", "-", "co-", "a", "e"] {
            let cs = needle.chars().any(char::is_uppercase);
            assert_eq!(
                ix.search(needle, cs, false, None, &never).unwrap(),
                naive(&rs, needle, cs, false, None),
                "{needle}"
            );
        }
    }

    #[test]
    fn best_word_scores_the_record() {
        let rs = vec![record(&[
            (None, "hxoxpxe hope"),
            (Some("Results"), "hopeless"),
        ])];
        let ix = AbstractIndex::new(&Records::from_records(&rs));
        let m = matcher();
        let best = [
            m.fuzzy_match("hxoxpxe", "hope").unwrap(),
            m.fuzzy_match("hope", "hope").unwrap(),
            m.fuzzy_match("hopeless", "hope").unwrap(),
        ]
        .into_iter()
        .max()
        .unwrap();
        assert_eq!(
            ix.search("hope", false, false, None, &never).unwrap(),
            [(0, best)]
        );
        assert_eq!(
            ix.search("hope", false, true, None, &never).unwrap(),
            [(0, m.fuzzy_match("hopeless", "hope").unwrap())]
        );
    }

    #[test]
    fn findings_only_reads_findings_sections() {
        let rs = vec![
            record(&[
                (Some("Background"), "loneliness"),
                (Some("Results"), "none"),
            ]),
            record(&[(Some("Findings"), "Loneliness fell")]),
            record(&[(None, "loneliness unstructured")]),
            record(&[
                (Some("Main results"), "lonely"),
                (Some("Methods"), "lonely"),
            ]),
            // The same word in both kinds of section of one record.
            record(&[(Some("Methods"), "lonely"), (Some("Results"), "lonely")]),
        ];
        let ix = AbstractIndex::new(&Records::from_records(&rs));
        let fi = ix.search("lone", false, true, None, &never).unwrap();
        assert_eq!(ids(&fi), [1, 3, 4]);
        assert_eq!(fi, naive(&rs, "lone", false, true, None));
        let ab = ix.search("lone", false, false, None, &never).unwrap();
        assert_eq!(ids(&ab), [0, 1, 2, 3, 4]);
        assert_eq!(
            ids(&ix.search("none", false, true, None, &never).unwrap()),
            [0]
        );
    }

    #[test]
    fn within_confines_the_answer() {
        let rs: Vec<Record> = (0..300)
            .map(|i| {
                record(&[(
                    None,
                    if i % 3 == 0 {
                        "randomised trial"
                    } else {
                        "cohort"
                    },
                )])
            })
            .collect();
        let ix = AbstractIndex::new(&Records::from_records(&rs));
        let all = ix.search("rand", false, false, None, &never).unwrap();
        assert_eq!(all.len(), 100);
        let within: Vec<u32> = (0..300).filter(|i| i % 2 == 0).collect();
        let got = ix
            .search("rand", false, false, Some(&within), &never)
            .unwrap();
        assert_eq!(
            ids(&got),
            (0..300).filter(|i| i % 6 == 0).collect::<Vec<u32>>()
        );
        assert_eq!(got, naive(&rs, "rand", false, false, Some(&within)));
        assert_eq!(
            ix.search("rand", false, false, Some(&[]), &never).unwrap(),
            []
        );
    }

    #[test]
    fn records_in_many_chunks_keep_their_ids() {
        // More than one chunk, so the rebased first values of later chunks are exercised.
        let n = CHUNK_RECORDS * 2 + 77;
        let rs: Vec<Record> = (0..n)
            .map(|i| {
                let text = match i % 5 {
                    0 => "support groups",
                    1 => "peer support",
                    2 => "a",
                    _ => "x",
                };
                let label = (i % 7 == 0).then_some("Results");
                record(&[(label, text)])
            })
            .collect();
        let ix = AbstractIndex::new(&Records::from_records(&rs));
        for (needle, fi) in [("sup", false), ("sup", true), ("peer", false), ("a", false)] {
            assert_eq!(
                ix.search(needle, false, fi, None, &never).unwrap(),
                naive(&rs, needle, false, fi, None),
                "{needle} {fi}"
            );
        }
    }

    #[test]
    fn cancellation_gives_none() {
        let rs: Vec<Record> = (0..20_000)
            .map(|i| record(&[(None, &format!("word{i} wording"))]))
            .collect();
        let ix = AbstractIndex::new(&Records::from_records(&rs));
        assert!(ix.search("wo", false, false, None, &|| true).is_none());
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let later = || calls.fetch_add(1, Ordering::Relaxed) > 3;
        assert!(ix.search("wo", false, false, None, &later).is_none());
        assert_eq!(
            ix.search("wo", false, false, None, &never).unwrap().len(),
            20_000
        );
    }

    #[test]
    fn heap_bytes_counts_the_postings() {
        let rs: Vec<Record> = (0..1000)
            .map(|i| record(&[(None, &format!("alpha beta {i}"))]))
            .collect();
        let ix = AbstractIndex::new(&Records::from_records(&rs));
        assert!(ix.heap_bytes() >= ix.posting_bytes());
        // "alpha", "beta" and " " are in every record: one byte a posting.
        assert!(ix.posting_bytes() >= 3000 && ix.posting_bytes() < 3000 + 2000 * 2);
        assert_eq!(ix.vocabulary(), 3 + 1000);
    }

    proptest::proptest! {
        #[test]
        fn search_equals_the_naive_rule(
            texts in proptest::collection::vec(
                proptest::collection::vec(("[abAB 同伴É-]{0,12}", 0u8..3), 0..3), 0..12),
            needle in "[abAB同é-]{1,4}",
            case_sensitive: bool,
            findings_only: bool,
            within_mask: u16,
        ) {
            let rs: Vec<Record> = texts
                .iter()
                .map(|secs| {
                    let secs: Vec<(Option<&str>, &str)> = secs
                        .iter()
                        .map(|(t, l)| (match l { 0 => None, 1 => Some("Results"), _ => Some("Methods") }, t.as_str()))
                        .collect();
                    record(&secs)
                })
                .collect();
            let ix = AbstractIndex::new(&Records::from_records(&rs));
            let within: Vec<u32> = (0..rs.len() as u32).filter(|i| within_mask & (1 << i) != 0).collect();
            for w in [None, Some(within.as_slice())] {
                proptest::prop_assert_eq!(
                    ix.search(&needle, case_sensitive, findings_only, w, &never).unwrap(),
                    naive(&rs, &needle, case_sensitive, findings_only, w)
                );
            }
            // The scan's helper applies the same rule and score, section by section.
            let p = pattern(&needle, case_sensitive);
            let scanned: Vec<(u32, i64)> = rs
                .iter()
                .enumerate()
                .filter_map(|(i, r)| {
                    r.abstract_sections
                        .iter()
                        .filter(|s| !findings_only || s.label.as_deref().is_some_and(is_findings_label))
                        .filter_map(|s| best_word_score(&s.text, &needle, &p, case_sensitive, true))
                        .max()
                        .map(|b| (i as u32, b))
                })
                .collect();
            proptest::prop_assert_eq!(scanned, naive(&rs, &needle, case_sensitive, findings_only, None));
        }

        #[test]
        fn words_split_like_is_word_start(text in "[a-zA-Z0-9 .é同ǅ٣-]{0,24}") {
            let mut got = Vec::new();
            for_each_word(&text, |a, b| got.push(text[a..b].to_string()));
            let chars: Vec<char> = text.chars().collect();
            let mut want: Vec<String> = Vec::new();
            for (p, &c) in chars.iter().enumerate() {
                if p == 0 || is_word_start(Some(chars[p - 1]), c) {
                    want.push(String::new());
                }
                if let Some(w) = want.last_mut() {
                    w.push(c);
                }
            }
            proptest::prop_assert_eq!(got, want);
        }
    }
}
