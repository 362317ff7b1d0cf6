//! Matching records against a query. Search text is prepared once (`Index::new`); a pass
//! runs in parallel chunks, can be abandoned, and can be confined to a previous pass's hits.
//! Highlight positions are computed separately, only for the rows on screen.

use crate::query::{Field, Pattern, Query, Term};
use crate::record::Record;
use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use rayon::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// One record that matched, with its score (higher is better).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub record: u32,
    pub score: i64,
}

fn matcher() -> &'static SkimMatcherV2 {
    static M: OnceLock<SkimMatcherV2> = OnceLock::new();
    M.get_or_init(|| SkimMatcherV2::default().smart_case())
}

/// For long texts (abstracts) skim's full score matrix costs 20-70 µs a record; past this many
/// cells skim scores with its own linear `simple_match` instead (4 µs; measured on synthetic
/// 1.2 KB abstracts). Metadata (about 2 x 250 cells) stays on the full algorithm.
fn long_text_matcher() -> &'static SkimMatcherV2 {
    static M: OnceLock<SkimMatcherV2> = OnceLock::new();
    M.get_or_init(|| SkimMatcherV2::default().smart_case().element_limit(1024))
}

/// Number of searchable metadata fields kept per record.
const FIELDS: usize = 5;

/// The search text of a library, prepared once at load.
pub struct Index {
    records: Arc<Vec<Record>>,
    /// Title, authors, keywords, container and year of every record, one after another.
    text: String,
    /// Per record: where each field starts in `text`, and where the record ends.
    spans: Vec<[usize; FIELDS + 1]>,
}

impl Index {
    pub fn new(records: Arc<Vec<Record>>) -> Index {
        let mut text = String::with_capacity(records.len() * 160);
        let mut spans = Vec::with_capacity(records.len());
        for r in records.iter() {
            let mut span = [0; FIELDS + 1];
            span[0] = text.len();
            if let Some(t) = &r.title {
                text.push_str(t);
            }
            text.push(' ');
            span[1] = text.len();
            for (i, a) in r.authors.iter().enumerate() {
                if i > 0 {
                    text.push_str("; ");
                }
                text.push_str(&a.name);
            }
            text.push(' ');
            span[2] = text.len();
            for (i, k) in r.keywords.iter().enumerate() {
                if i > 0 {
                    text.push_str("; ");
                }
                text.push_str(k);
            }
            text.push(' ');
            span[3] = text.len();
            if let Some(c) = &r.container {
                text.push_str(c);
            }
            text.push(' ');
            span[4] = text.len();
            if let Some(y) = r.year {
                text.push_str(&y.to_string());
            }
            span[5] = text.len();
            spans.push(span);
        }
        Index {
            records,
            text,
            spans,
        }
    }

    pub fn records(&self) -> &Arc<Vec<Record>> {
        &self.records
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    fn field(&self, i: usize, f: usize) -> &str {
        let s = &self.spans[i];
        &self.text[s[f]..s[f + 1]]
    }

    fn all_fields(&self, i: usize) -> &str {
        let s = &self.spans[i];
        &self.text[s[0]..s[FIELDS]]
    }

    /// Runs a query over every record, or only over `within` (record indices, e.g. the hits of
    /// a query this one narrows). Hits come best first. Returns None when `cancelled` turned
    /// true during the pass.
    pub fn run(
        &self,
        query: &Query,
        within: Option<&[u32]>,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Option<Vec<Hit>> {
        const CHUNK: usize = 2048;
        let all: Vec<u32>;
        let candidates: &[u32] = match within {
            Some(w) => w,
            None => {
                all = (0..self.len() as u32).collect();
                &all
            }
        };
        let prepared: Vec<Prepared> = query.terms.iter().map(Prepared::new).collect();
        let parts: Vec<Option<Vec<Hit>>> = candidates
            .par_chunks(CHUNK)
            .map(|chunk| {
                if cancelled() {
                    return None;
                }
                Some(
                    chunk
                        .iter()
                        .filter_map(|&i| {
                            self.score_prepared(i as usize, &prepared)
                                .map(|score| Hit { record: i, score })
                        })
                        .collect(),
                )
            })
            .collect();
        let mut hits = Vec::new();
        for p in parts {
            hits.extend(p?);
        }
        if cancelled() {
            return None;
        }
        hits.par_sort_unstable_by(|a, b| b.score.cmp(&a.score).then(a.record.cmp(&b.record)));
        Some(hits)
    }

    /// The record's score when every term holds, else None.
    pub fn score(&self, i: usize, query: &Query) -> Option<i64> {
        let prepared: Vec<Prepared> = query.terms.iter().map(Prepared::new).collect();
        self.score_prepared(i, &prepared)
    }

    /// Two phases: every term's cheap test first (prefilter, word gate, exact, year), and
    /// only when the record passes them all, skim's scores. A query whose last word matches
    /// nothing costs no scoring at all.
    fn score_prepared(&self, i: usize, terms: &[Prepared]) -> Option<i64> {
        if let [p] = terms {
            if !p.term.negated {
                return self.term_eval(i, p, true);
            }
        }
        for p in terms {
            if self.term_eval(i, p, false).is_some() == p.term.negated {
                return None;
            }
        }
        let mut total = 0;
        for p in terms.iter().filter(|p| !p.term.negated) {
            total += self.term_eval(i, p, true).unwrap_or(0);
        }
        Some(total)
    }

    /// Whether the term matches record `i` (Some), with its score when `scoring`.
    fn term_eval(&self, i: usize, p: &Prepared, scoring: bool) -> Option<i64> {
        let t = p.term;
        let record = &self.records[i];
        let eval = |hay: &str| text_eval(hay, p, scoring);
        match t.field {
            Field::Year => match t.pattern {
                Pattern::Years(lo, hi) => {
                    let y = record.year?;
                    (lo.is_none_or(|lo| y >= lo) && hi.is_none_or(|hi| y <= hi)).then_some(0)
                }
                _ => None,
            },
            Field::Any => eval(self.all_fields(i)),
            Field::Title => eval(self.field(i, 0)),
            Field::Author => eval(self.field(i, 1)),
            Field::Keyword => eval(self.field(i, 2)),
            Field::Container => eval(self.field(i, 3)),
            Field::Abstract => {
                let mut sections = record.abstract_sections.iter();
                if scoring {
                    sections.filter_map(|s| eval(&s.text)).max()
                } else {
                    sections.find_map(|s| eval(&s.text))
                }
            }
            Field::Findings => {
                let mut sections = record.abstract_sections.iter().filter(|s| {
                    s.label
                        .as_deref()
                        .is_some_and(crate::record::is_findings_label)
                });
                if scoring {
                    sections.filter_map(|s| eval(&s.text)).max()
                } else {
                    sections.find_map(|s| eval(&s.text))
                }
            }
        }
    }
}

/// A term ready to run: the query's term with what matching needs precomputed once per pass.
pub struct Prepared<'q> {
    pub term: &'q Term,
    gate: Option<WordGate>,
    /// The same needle inside a single word, to find a short span for skim to score.
    in_one_word: Option<WordGate>,
}

impl<'q> Prepared<'q> {
    pub fn new(term: &'q Term) -> Prepared<'q> {
        let gate = match &term.pattern {
            Pattern::Fuzzy(n) => WordGate::new(
                n,
                term.case_sensitive,
                matches!(term.field, Field::Abstract | Field::Findings),
            ),
            _ => None,
        };
        let in_one_word = match &term.pattern {
            Pattern::Fuzzy(n) => WordGate::new(n, term.case_sensitive, true),
            _ => None,
        };
        Prepared {
            term,
            gate,
            in_one_word,
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
            let m = if matches!(t.field, Field::Abstract | Field::Findings) {
                long_text_matcher()
            } else {
                matcher()
            };
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

/// Where a word starts: after a non-alphanumeric character, at a lower-to-upper case change
/// or a letter/digit change, at any CJK character (those scripts have no spaces), and at
/// punctuation itself (so a needle's `-` or `.` can match).
pub(crate) fn is_word_start(prev: Option<char>, c: char) -> bool {
    let Some(p) = prev else { return true };
    !p.is_alphanumeric()
        || !c.is_alphanumeric()
        || (p.is_lowercase() && c.is_uppercase())
        || (p.is_alphabetic() != c.is_alphabetic())
        || is_cjk(c)
}

const CLASS_OTHER: u8 = 0;
const CLASS_LOWER: u8 = 1;
const CLASS_UPPER: u8 = 2;
const CLASS_DIGIT: u8 = 3;
const CLASS_LETTER: u8 = 4;

/// Character classes for the word-start rule, as `is_word_start` defines it.
fn class_of(c: char) -> u8 {
    if !c.is_alphanumeric() {
        CLASS_OTHER
    } else if !c.is_alphabetic() {
        CLASS_DIGIT
    } else if c.is_lowercase() {
        CLASS_LOWER
    } else if c.is_uppercase() {
        CLASS_UPPER
    } else {
        CLASS_LETTER
    }
}

const ASCII_CLASS: [u8; 128] = {
    let mut t = [CLASS_OTHER; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_lowercase() {
            CLASS_LOWER
        } else if c.is_ascii_uppercase() {
            CLASS_UPPER
        } else if c.is_ascii_digit() {
            CLASS_DIGIT
        } else {
            CLASS_OTHER
        };
        b += 1;
    }
    t
};

/// The class of the character that ends just before byte `at`.
fn class_before(hay: &str, at: usize) -> u8 {
    hay[..at].chars().next_back().map_or(CLASS_OTHER, |c| {
        if c.is_ascii() {
            ASCII_CLASS[c as usize]
        } else {
            class_of(c)
        }
    })
}

/// `is_word_start` on classes (CJK is handled by the caller).
fn starts_word(prev: u8, c: u8) -> bool {
    prev == CLASS_OTHER
        || c == CLASS_OTHER
        || (prev == CLASS_LOWER && c == CLASS_UPPER)
        || ((prev == CLASS_DIGIT) != (c == CLASS_DIGIT))
}

pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// The rule that keeps fuzzy matching useful on bibliographic text: the needle's characters
/// appear in order in chunks, each chunk inside one word and entered at the word's start, and
/// every chunk but the last at least two characters long. So `repper` finds "Repper", `pesu`
/// finds "PEer SUpport" and `reper` still finds "Repper"; but `repper` no longer finds a
/// title with r…e…p…p…e…r scattered over it, nor `ley` the middle of "Dunkley" (unit test
/// `word_gate`; tests/cli.rs and the TUI key tests on the seeds). In long prose (abstracts)
/// the needle must fall inside a single word, or a short needle would match every abstract
/// through the initials of unrelated words. Bit-parallel: one pass over the text, a few
/// operations a character. What it accepts only shrinks as the needle grows, so narrowing
/// within the previous hits stays exact.
#[derive(Debug, Clone)]
struct WordGate {
    ascii: [u64; 128],
    /// The needle's first character as bytes to search for, when it is ASCII.
    first: Option<(u8, u8)>,
    other: Vec<(char, u64)>,
    len: usize,
    case_sensitive: bool,
    single_word: bool,
}

impl WordGate {
    /// None for needles longer than 63 characters (skim alone decides those).
    fn new(needle: &str, case_sensitive: bool, single_word: bool) -> Option<WordGate> {
        let chars: Vec<char> = needle.chars().collect();
        if chars.is_empty() || chars.len() > 63 {
            return None;
        }
        let first = chars[0].is_ascii().then(|| {
            let b = chars[0] as u8;
            if case_sensitive {
                (b, b)
            } else {
                (b.to_ascii_lowercase(), b.to_ascii_uppercase())
            }
        });
        let mut g = WordGate {
            ascii: [0; 128],
            first,
            other: Vec::new(),
            len: chars.len(),
            case_sensitive,
            single_word,
        };
        for (i, &c) in chars.iter().enumerate() {
            let c = g.fold(c);
            let bit = 1u64 << i;
            if (c as u32) < 128 {
                g.ascii[c as usize] |= bit;
            } else if let Some(e) = g.other.iter_mut().find(|e| e.0 == c) {
                e.1 |= bit;
            } else {
                g.other.push((c, bit));
            }
        }
        Some(g)
    }

    fn fold(&self, c: char) -> char {
        if self.case_sensitive {
            c
        } else if c.is_ascii() {
            c.to_ascii_lowercase()
        } else {
            c.to_lowercase().next().unwrap_or(c)
        }
    }

    fn mask(&self, c: char) -> u64 {
        let c = self.fold(c);
        if (c as u32) < 128 {
            self.ascii[c as usize]
        } else {
            self.other.iter().find(|e| e.0 == c).map_or(0, |e| e.1)
        }
    }

    #[cfg(test)]
    fn accepts(&self, hay: &str) -> bool {
        self.match_end(hay).is_some()
    }

    /// Where the earliest match that obeys the rule ends (a byte offset), if there is one.
    fn match_end(&self, hay: &str) -> Option<usize> {
        let goal = 1u64 << self.len;
        // Bit i: the needle's first i characters are matched, the last of them in the current
        // word as a chunk of one character (`one`) or of two or more (`more`); `open`: matched
        // before here in a way that lets a new chunk start at the next word.
        let mut open = 1u64;
        let mut one = 0u64;
        let mut more = 0u64;
        let mut prev = CLASS_OTHER;
        let bytes = hay.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            // Nothing matched yet: jump (memchr) to the next place the needle's first
            // character occurs; what lies between cannot change the state.
            if open == 1 && (one | more) == 0 {
                if let Some((lower, upper)) = self.first {
                    let at = i + memchr::memchr2(lower, upper, &bytes[i..])?;
                    if at > i {
                        prev = class_before(hay, at);
                        i = at;
                    }
                }
            }
            let b = bytes[i];
            // ASCII, nearly all bibliographic text, goes through tables; the rest decodes.
            let (m, class, cjk) = if b < 0x80 {
                i += 1;
                let folded = if self.case_sensitive {
                    b
                } else {
                    b.to_ascii_lowercase()
                };
                (self.ascii[folded as usize], ASCII_CLASS[b as usize], false)
            } else {
                let c = hay[i..].chars().next().unwrap_or('\u{fffd}');
                i += c.len_utf8();
                (self.mask(c), class_of(c), is_cjk(c))
            };
            if starts_word(prev, class) || cjk {
                one = (open & m) << 1;
                // A CJK character is a word of its own, and a whole one.
                more = if cjk { one } else { 0 };
            } else {
                more |= ((one | more) & m) << 1;
            }
            if (one | more) & goal != 0 {
                return Some(i);
            }
            if !self.single_word {
                open |= more;
            }
            prev = class;
        }
        None
    }

    /// Character positions of one alignment that obeys the rule (for highlighting).
    fn positions(&self, hay: &str, needle: &str) -> Option<Vec<usize>> {
        let hay: Vec<char> = hay.chars().collect();
        let needle: Vec<char> = needle.chars().map(|c| self.fold(c)).collect();
        let (n, m) = (needle.len(), hay.len());
        let starts: Vec<bool> = (0..m)
            .map(|p| is_word_start(p.checked_sub(1).map(|q| hay[q]), hay[p]))
            .collect();
        let mut w = 0;
        let word_of: Vec<usize> = starts
            .iter()
            .map(|&s| {
                w += usize::from(s);
                w
            })
            .collect();
        // one[i][p] / more[i][p]: needle[..=i] matched with needle[i] at p, as the first
        // character of its chunk / a later one.
        let mut one = vec![vec![false; m]; n];
        let mut more = vec![vec![false; m]; n];
        for i in 0..n {
            for p in 0..m {
                if self.fold(hay[p]) != needle[i] {
                    continue;
                }
                one[i][p] =
                    starts[p] && (i == 0 || (!self.single_word && (0..p).any(|q| more[i - 1][q])));
                more[i][p] = (one[i][p] && is_cjk(hay[p]))
                    || (i > 0
                        && (0..p)
                            .rev()
                            .take_while(|&q| word_of[q] == word_of[p])
                            .any(|q| one[i - 1][q] || more[i - 1][q]));
            }
        }
        let mut p = (0..m).find(|&p| one[n - 1][p] || more[n - 1][p])?;
        let mut out = vec![p];
        for i in (0..n - 1).rev() {
            let chunk_start = one[i + 1][p];
            let q = (0..p)
                .rev()
                .find(|&q| chunk_start && more[i][q])
                .or_else(|| {
                    (0..p)
                        .rev()
                        .find(|&q| word_of[q] == word_of[p] && (one[i][q] || more[i][q]))
                })?;
            out.push(q);
            p = q;
        }
        out.reverse();
        Some(out)
    }
}

/// Byte-level prefilter: can `needle`'s ASCII bytes occur in `hay` in order? Non-ASCII needle
/// bytes are skipped (they may match case-folded), so this never rejects a true match.
pub fn may_contain_subsequence(hay: &[u8], needle: &[u8], case_sensitive: bool) -> bool {
    let mut pos = 0;
    for &n in needle {
        if !n.is_ascii() || n == b' ' {
            continue;
        }
        let rest = &hay[pos..];
        let found = if case_sensitive || !n.is_ascii_alphabetic() {
            memchr::memchr(n, rest)
        } else {
            memchr::memchr2(n.to_ascii_lowercase(), n.to_ascii_uppercase(), rest)
        };
        match found {
            Some(p) => pos += p + 1,
            None => return false,
        }
    }
    true
}

/// Byte offset of `needle` in `hay`; case-insensitive unless `case_sensitive`.
fn find_exact(hay: &str, needle: &str, case_sensitive: bool) -> Option<usize> {
    if case_sensitive {
        return hay.find(needle);
    }
    if needle.is_ascii() {
        let n = needle.as_bytes();
        let h = hay.as_bytes();
        let first = *n.first()?;
        let mut start = 0;
        while let Some(p) = memchr::memchr2(
            first.to_ascii_lowercase(),
            first.to_ascii_uppercase(),
            &h[start..],
        ) {
            let at = start + p;
            if h.len() - at >= n.len() && h[at..at + n.len()].eq_ignore_ascii_case(n) {
                return Some(at);
            }
            start = at + 1;
        }
        return None;
    }
    hay.to_lowercase().find(&needle.to_lowercase())
}

/// Character positions in `text` (shown as `field`) that the query's terms match, for
/// highlighting. Called for visible rows only.
pub fn highlight(query: &Query, field: Field, text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    for t in &query.terms {
        let applies = t.field == field
            || (t.field == Field::Any
                && matches!(
                    field,
                    Field::Title | Field::Author | Field::Keyword | Field::Container | Field::Year
                ));
        if t.negated || !applies {
            continue;
        }
        match &t.pattern {
            Pattern::Fuzzy(n) => {
                let gate = WordGate::new(
                    n,
                    t.case_sensitive,
                    matches!(t.field, Field::Abstract | Field::Findings),
                );
                let skim = matcher().fuzzy_indices(text, n).map(|(_, idx)| idx);
                let chars: Vec<char> = text.chars().collect();
                let obeys = |idx: &[usize]| {
                    idx.iter().enumerate().all(|(k, &p)| {
                        let start = is_word_start(p.checked_sub(1).map(|q| chars[q]), chars[p]);
                        start
                            || (k > 0
                                && !(idx[k - 1] + 1..=p).any(|q| {
                                    is_word_start(q.checked_sub(1).map(|r| chars[r]), chars[q])
                                }))
                    })
                };
                match (skim, &gate) {
                    (Some(idx), None) => out.extend(idx),
                    (Some(idx), Some(_)) if obeys(&idx) => out.extend(idx),
                    (_, Some(g)) => out.extend(g.positions(text, n).unwrap_or_default()),
                    (None, None) => {}
                }
            }
            Pattern::Exact(n) => {
                let (h, nn) = if t.case_sensitive {
                    (text.to_string(), n.clone())
                } else {
                    (text.to_lowercase(), n.to_lowercase())
                };
                // Lower-casing can change byte lengths; only map when it did not.
                if h.len() == text.len() && !nn.is_empty() {
                    for (b, _) in h.match_indices(nn.as_str()) {
                        let c0 = text[..b].chars().count();
                        out.extend(c0..c0 + n.chars().count());
                    }
                }
            }
            Pattern::Years(..) => {}
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// A search request for the worker.
#[derive(Debug, Clone)]
pub struct Request {
    /// Increases with every request; a pass whose generation is no longer the latest is
    /// abandoned.
    pub generation: u64,
    pub query: Query,
    pub within: Option<Arc<Vec<u32>>>,
}

/// The result of a finished pass.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub generation: u64,
    pub query: Query,
    pub hits: Arc<Vec<u32>>,
    pub elapsed: Duration,
}

/// How many recent results the worker keeps (typing a word and deleting it again revisits
/// each of its prefixes).
const RECENT: usize = 24;

/// Matching on a thread of its own, so the UI never waits for it.
pub struct Worker {
    tx: mpsc::Sender<Request>,
    latest: Arc<AtomicU64>,
}

impl Worker {
    /// Starts the worker; `publish` is called with every completed (not abandoned) pass.
    pub fn spawn(index: Arc<Index>, publish: impl Fn(Outcome) + Send + 'static) -> Worker {
        let (tx, rx) = mpsc::channel::<Request>();
        let latest = Arc::new(AtomicU64::new(0));
        let seen = latest.clone();
        std::thread::Builder::new()
            .name("litbrowse-search".into())
            .spawn(move || {
                // Recent results, so deleting back to an earlier query costs nothing.
                let mut recent: std::collections::VecDeque<(Query, Arc<Vec<u32>>)> =
                    std::collections::VecDeque::new();
                while let Ok(mut req) = rx.recv() {
                    // Only the newest queued request matters.
                    while let Ok(newer) = rx.try_recv() {
                        req = newer;
                    }
                    let started = Instant::now();
                    let generation = req.generation;
                    if let Some((_, hits)) = recent.iter().find(|(q, _)| *q == req.query) {
                        publish(Outcome {
                            generation,
                            query: req.query,
                            hits: hits.clone(),
                            elapsed: started.elapsed(),
                        });
                        continue;
                    }
                    let cancelled = || seen.load(Ordering::Relaxed) != generation;
                    if let Some(hits) = index.run(
                        &req.query,
                        req.within.as_deref().map(|v| v.as_slice()),
                        &cancelled,
                    ) {
                        let hits: Arc<Vec<u32>> =
                            Arc::new(hits.into_iter().map(|h| h.record).collect());
                        if recent.len() == RECENT {
                            recent.pop_back();
                        }
                        recent.push_front((req.query.clone(), hits.clone()));
                        publish(Outcome {
                            generation,
                            query: req.query,
                            hits,
                            elapsed: started.elapsed(),
                        });
                    }
                }
            })
            .ok();
        Worker { tx, latest }
    }

    pub fn submit(&self, req: Request) {
        self.latest.store(req.generation, Ordering::Relaxed);
        // A send fails only when the worker is gone; the UI then keeps its last result.
        let _ = self.tx.send(req);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse;
    use crate::record::{Author, Section};

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
        Index::new(Arc::new(vec![
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
        ]))
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
        assert_eq!(ids(&ix, "pesu"), vec![0, 2]);
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
