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
                            self.score(i as usize, query)
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
        let mut total = 0;
        for t in &query.terms {
            match (self.term_score(i, t), t.negated) {
                (Some(s), false) => total += s,
                (None, true) => {}
                _ => return None,
            }
        }
        Some(total)
    }

    fn term_score(&self, i: usize, t: &Term) -> Option<i64> {
        let record = &self.records[i];
        match t.field {
            Field::Year => match t.pattern {
                Pattern::Years(lo, hi) => {
                    let y = record.year?;
                    (lo.is_none_or(|lo| y >= lo) && hi.is_none_or(|hi| y <= hi)).then_some(0)
                }
                _ => None,
            },
            Field::Any => text_score(self.all_fields(i), t),
            Field::Title => text_score(self.field(i, 0), t),
            Field::Author => text_score(self.field(i, 1), t),
            Field::Keyword => text_score(self.field(i, 2), t),
            Field::Container => text_score(self.field(i, 3), t),
            Field::Abstract => record
                .abstract_sections
                .iter()
                .filter_map(|s| long_text_score(&s.text, t))
                .max(),
            Field::Findings => record
                .abstract_sections
                .iter()
                .filter(|s| {
                    s.label
                        .as_deref()
                        .is_some_and(crate::record::is_findings_label)
                })
                .filter_map(|s| long_text_score(&s.text, t))
                .max(),
        }
    }
}

/// A term's score against one text: fuzzy (skim) or exact, smart case.
fn text_score(hay: &str, t: &Term) -> Option<i64> {
    score_with(matcher(), hay, t)
}

fn long_text_score(hay: &str, t: &Term) -> Option<i64> {
    score_with(long_text_matcher(), hay, t)
}

fn score_with(m: &SkimMatcherV2, hay: &str, t: &Term) -> Option<i64> {
    match &t.pattern {
        Pattern::Fuzzy(needle) => {
            if !may_contain_subsequence(hay.as_bytes(), needle.as_bytes(), t.case_sensitive) {
                return None;
            }
            m.fuzzy_match(hay, needle)
        }
        Pattern::Exact(needle) => {
            find_exact(hay, needle, t.case_sensitive).map(|_| 2 * needle.len() as i64 * 16)
        }
        Pattern::Years(..) => None,
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
                if let Some((_, idx)) = matcher().fuzzy_indices(text, n) {
                    out.extend(idx);
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
                while let Ok(mut req) = rx.recv() {
                    // Only the newest queued request matters.
                    while let Ok(newer) = rx.try_recv() {
                        req = newer;
                    }
                    let started = Instant::now();
                    let generation = req.generation;
                    let cancelled = || seen.load(Ordering::Relaxed) != generation;
                    if let Some(hits) = index.run(
                        &req.query,
                        req.within.as_deref().map(|v| v.as_slice()),
                        &cancelled,
                    ) {
                        publish(Outcome {
                            generation,
                            query: req.query,
                            hits: Arc::new(hits.into_iter().map(|h| h.record).collect()),
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
        // Fuzzy: "peer" also matches scattered across "grouPs ... dEEring", but ranks last.
        assert_eq!(ids(&ix, "peer").last(), Some(&1));
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
    fn highlight_positions_are_chars() {
        let q = parse("rep").unwrap();
        let pos = highlight(&q, Field::Author, "Émile Repper");
        assert_eq!(pos, vec![6, 7, 8]);
    }
}
