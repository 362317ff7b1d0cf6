//! Matching on a thread of its own, so the browser never waits for it.

use super::{ranked, Hit, Index, Narrow};
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
/// library of more than half a million records may keep 128 bytes a record (128 MB at a
/// million, six hits a record at 20 bytes each: `Hit` and its place in the ranked list), as
/// the prefixes of one long query held more than 4M hits there and deleting back to the first
/// ones ran full passes again.
const RECENT_BYTES: usize = 64 << 20;
const RECENT_BYTES_PER_RECORD: usize = 128;
/// What a remembered hit costs: in record order with its scores, and in the ranked list.
const HIT_BYTES: usize = std::mem::size_of::<Hit>() + std::mem::size_of::<u32>();

/// A result the worker remembers.
struct Recent {
    query: Query,
    ranked: Arc<Vec<u32>>,
    ordered: Arc<Vec<Hit>>,
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
                    let earlier = req.within.as_ref().map(|w| {
                        match recent.iter().find(|r| Arc::ptr_eq(&r.ranked, w)) {
                            Some(r) => (r.ordered.clone(), Some(r.query.clone())),
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
                                (Arc::new(hits), None)
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
                    let Some(hits) = index.matches(&req.query, narrow, &cancelled) else {
                        continue;
                    };
                    let ranked: Arc<Vec<u32>> = Arc::new(ranked(&hits, |h| h.record));
                    let ordered = Arc::new(hits);
                    let mut held: usize = recent.iter().map(|r| r.ranked.len() * HIT_BYTES).sum();
                    let budget = RECENT_BYTES.max(RECENT_BYTES_PER_RECORD * index.len());
                    while recent.len() >= RECENT || (held > budget && !recent.is_empty()) {
                        held -= recent.pop_back().map_or(0, |r| r.ranked.len() * HIT_BYTES);
                    }
                    recent.push_front(Recent {
                        query: req.query.clone(),
                        ranked: ranked.clone(),
                        ordered,
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
