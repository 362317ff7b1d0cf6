//! Matching on a thread of its own, so the browser never waits for it.

use super::{Hit, Index, Narrow};
use crate::query::Query;
use rayon::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A search request for the worker.
#[derive(Debug, Clone)]
pub struct Request {
    /// Increases with every request; a pass whose generation is no longer the latest is
    /// abandoned.
    pub generation: u64,
    pub query: Query,
    pub within: Option<Arc<Vec<u32>>>,
}

impl Request {
    /// The request for `query` typed after `previous` (a query and its published hits): within
    /// those hits when `query` narrows it.
    pub fn after(
        generation: u64,
        query: Query,
        previous: Option<(&Query, &Arc<Vec<u32>>)>,
    ) -> Request {
        let within = previous
            .filter(|(old, _)| query.narrows(old))
            .map(|(_, hits)| hits.clone());
        Request {
            generation,
            query,
            within,
        }
    }
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
const RECENT: usize = 64;

/// The bytes the remembered results may hold together, beyond the newest one, at least; a
/// library of more than half a million records may keep 64 bytes a record (64 MB at a
/// million: 16 ranked hits a record), as the prefixes of one long query held more than 4M
/// hits there and deleting back to the first ones ran full passes again.
const RECENT_BYTES: usize = 32 << 20;
const RECENT_BYTES_PER_RECORD: usize = 64;

/// How many of the newest results keep their hits in record order with their scores, to
/// narrow within (typing on from one of them). An older one keeps only its ranked list: the
/// hits in record order cost four times as much, and memory the process has not used before
/// is slow to touch on a virtual machine (about 6 ms per 2 MB page on the benchmark's VM:
/// touching 200 MB took 691 ms, `examples/passes.rs` with `WORKER=1 PRETOUCH_MB=200`). At a
/// million records, keeping every result's hits in record order made each hit-heavy keystroke
/// touch new memory (`pe`, `pee`, `co`: 104-118 ms through the worker with 7-10 page faults
/// each, against 45-60 ms for the same passes run alone); with two kept, 50-90 ms with 0-2
/// faults once the first results are freed (one run each, on a noisy machine). Narrowing from
/// an older result sorts its ranked list and scores every term again.
const ORDERED: usize = 2;

/// A result the worker remembers.
struct Recent {
    query: Query,
    ranked: Arc<Vec<u32>>,
    /// The same in record order with their scores: the newest `ORDERED` results only.
    ordered: Option<Arc<Vec<Hit>>>,
}

impl Recent {
    fn bytes(&self) -> usize {
        self.ranked.len() * std::mem::size_of::<u32>()
            + self
                .ordered
                .as_ref()
                .map_or(0, |o| o.len() * std::mem::size_of::<Hit>())
    }
}

/// Matching on a thread of its own, so the UI never waits for it.
pub struct Worker {
    tx: mpsc::Sender<Request>,
    latest: Arc<AtomicU64>,
}

impl Worker {
    /// Starts the worker; `publish` is called with every completed (not abandoned) pass.
    pub fn spawn(index: Arc<Index>, publish: impl Fn(Outcome) + Send + 'static) -> Worker {
        Worker::spawn_prepared(index, Box::new(Index::prepare_all), publish)
    }

    /// `spawn`, with the indexes made by `prepare` (e.g. read from the search cache) instead
    /// of `Index::prepare_all`.
    pub fn spawn_prepared(
        index: Arc<Index>,
        prepare: Box<dyn FnOnce(&Index) + Send>,
        publish: impl Fn(Outcome) + Send + 'static,
    ) -> Worker {
        // The first frame does not wait for the search index: it is built here, in the
        // background (a first search waits for it), then the abstracts' one.
        {
            let index = index.clone();
            std::thread::Builder::new()
                .name("litbrowse-index".into())
                .spawn(move || prepare(&index))
                .ok();
        }
        let (tx, rx) = mpsc::channel::<Request>();
        let latest = Arc::new(AtomicU64::new(0));
        let seen = latest.clone();
        std::thread::Builder::new()
            .name("litbrowse-search".into())
            .spawn(move || {
                // Recent results, so deleting back to an earlier query costs nothing: the
                // published (ranked) hits, and the same in record order to narrow within.
                let mut recent: std::collections::VecDeque<Recent> =
                    std::collections::VecDeque::new();
                while let Ok(mut req) = rx.recv() {
                    // Only the newest queued request matters.
                    while let Ok(newer) = rx.try_recv() {
                        req = newer;
                    }
                    let started = Instant::now();
                    let generation = req.generation;
                    if let Some(r) = recent.iter().find(|r| r.query == req.query) {
                        publish(Outcome {
                            generation,
                            query: req.query,
                            hits: r.ranked.clone(),
                            elapsed: started.elapsed(),
                        });
                        continue;
                    }
                    let cancelled = || seen.load(Ordering::Relaxed) != generation;
                    // Narrowing: within the earlier result's hits in record order, with their
                    // scores, when the worker still has it; else within the records given.
                    let earlier = req.within.as_ref().and_then(|w| {
                        let found = recent.iter().find(|r| Arc::ptr_eq(&r.ranked, w));
                        match found.and_then(|r| Some((r.ordered.clone()?, r.query.clone()))) {
                            Some((ordered, query)) => Some((ordered, Some(query))),
                            // Without the scores, looking within most of the library is a
                            // whole pass with a sort first: a whole pass it is (`au` after `a`
                            // at a million records: 118-144 ms within, against about 60).
                            None if w.len() * 2 > index.len() => None,
                            None => {
                                let mut v = w.to_vec();
                                v.par_sort_unstable();
                                let hits = v
                                    .into_iter()
                                    .map(|record| Hit {
                                        record,
                                        score: 0,
                                        rest: 0,
                                        from: 0,
                                    })
                                    .collect();
                                Some((Arc::new(hits), None))
                            }
                        }
                    });
                    let narrow = earlier.as_ref().map(|(hits, old)| match old {
                        Some(old) => Narrow::between(hits, old, &req.query),
                        None => Narrow {
                            hits,
                            known_terms: 0,
                            total: false,
                            resume: false,
                        },
                    });
                    // The older results' hits in record order go before the pass (which may be
                    // narrowing within one of them: `earlier` holds it), so the pass's buffer
                    // can take their memory, not new memory.
                    for r in recent.iter_mut().skip(ORDERED.saturating_sub(1)) {
                        r.ordered = None;
                    }
                    let Some(pass) = index.pass(&req.query, narrow, &cancelled) else {
                        continue;
                    };
                    // Ranked, and closed up into a vector of their own size: the pass's
                    // buffer (room for every record it looked at) goes.
                    let (ranked, hits) = pass.ranked_and_hits(|h| h.record);
                    let ranked = Arc::new(ranked);
                    // Then the oldest results go while over the budget.
                    let mut held: usize = recent.iter().map(Recent::bytes).sum();
                    let budget = RECENT_BYTES.max(RECENT_BYTES_PER_RECORD * index.len());
                    while recent.len() >= RECENT || (held > budget && !recent.is_empty()) {
                        held -= recent.pop_back().map_or(0, |r| r.bytes());
                    }
                    recent.push_front(Recent {
                        query: req.query.clone(),
                        ranked: ranked.clone(),
                        ordered: Some(Arc::new(hits)),
                    });
                    publish(Outcome {
                        generation,
                        query: req.query,
                        hits: ranked,
                        elapsed: started.elapsed(),
                    });
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
