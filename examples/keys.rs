// Dev-only: the benchmark's keystroke phase (benches/scale.rs, step 3) over a library read from
// the caches in CACHE (written by an earlier run of `passes` or the browser), to iterate on
// keystroke latency without the load phases. Prints every keystroke and the p99s.
//   target/release/examples/keys FILE CACHE [ROUNDS]
use litbrowse::cache::{Cache, Tracker};
use litbrowse::query::{self, Query};
use litbrowse::search::{Index, Request, Worker};
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::sync::{mpsc, Arc};
use std::time::Instant;

const TYPED: &[(&str, &str)] = &[
    ("short", "dep"),
    ("short", "anx"),
    ("long", "peer support recovery"),
    ("long", "cognitive behavioural therapy"),
    ("no match", "zzxq"),
    ("no match", "peer xylophone"),
    ("au:", "au:müller"),
    ("au:", "au:garcia"),
    ("ab:", "ab:loneliness"),
    ("ab:", "ab:randomised"),
    ("ab:", "ab:qzxv"),
];

fn main() {
    litbrowse::keep_freed_memory();
    let args: Vec<String> = std::env::args().collect();
    let file = std::path::PathBuf::from(&args[1]);
    let cache = Cache {
        dir: std::path::PathBuf::from(&args[2]),
        min_bytes: 0,
    };
    let rounds: usize = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(1);
    let silent = |_| {};
    let (_, rep, parsed) = cache.load(&file, "x", &Tracker::new(&silent));
    let lib = litbrowse::library::assemble_loaded(vec![(rep, parsed)]);
    let index = Arc::new(Index::new(Arc::new(lib.records)));
    let stored = litbrowse::index_cache::Stored {
        cache: Cache {
            dir: cache.dir.clone(),
            min_bytes: 0,
        },
        key: litbrowse::index_cache::Key::of(std::slice::from_ref(&args[1])).unwrap(),
        errors: String::new(),
    };
    litbrowse::index_cache::prepare(&index, &stored);
    index.index_abstracts();
    let (tx, rx) = mpsc::channel();
    let worker = Worker::spawn_prepared(index.clone(), Box::new(|_| {}), move |o| {
        let _ = tx.send(o);
    });
    let mut generation = 0;
    for round in 0..rounds {
        let mut meta = Vec::new();
        let mut all = Vec::new();
        for (_, text) in TYPED {
            let chars: Vec<char> = text.chars().collect();
            let mut prefixes: Vec<String> = (1..=chars.len())
                .map(|k| chars[..k].iter().collect())
                .collect();
            let back: Vec<String> = prefixes.iter().rev().skip(1).cloned().collect();
            prefixes.extend(back);
            let mut prev: Option<(Query, Arc<Vec<u32>>)> = None;
            for p in &prefixes {
                let q = query::parse(p).unwrap_or_default();
                if q.is_empty() {
                    prev = None;
                    continue;
                }
                generation += 1;
                let within = prev
                    .as_ref()
                    .filter(|(pq, _)| q.narrows(pq))
                    .map(|(_, h)| h.clone());
                let t = Instant::now();
                worker.submit(Request {
                    generation,
                    query: q.clone(),
                    within,
                });
                let out = rx.recv().expect("worker answers");
                let took = t.elapsed().as_secs_f64() * 1000.0;
                let ab = q
                    .terms
                    .iter()
                    .any(|t| matches!(t.field, query::Field::Abstract | query::Field::Findings));
                if !ab {
                    meta.push(took);
                }
                all.push((took, p.clone(), out.elapsed.as_secs_f64() * 1000.0));
                prev = Some((q, out.hits.clone()));
            }
        }
        meta.sort_by(f64::total_cmp);
        let p99 = meta[((meta.len() as f64 * 0.99).ceil() as usize).saturating_sub(1)];
        all.sort_by(|a, b| b.0.total_cmp(&a.0));
        let slow: Vec<String> = all
            .iter()
            .take(12)
            .map(|(t, p, w)| format!("{p:?} {t:.0}({w:.0})"))
            .collect();
        println!(
            "round {round}: metadata p99 {p99:.1} ms over {}; slowest (worker's own): {}",
            meta.len(),
            slow.join(", ")
        );
        // A new round must not find this round's results remembered.
        generation += 1;
        worker.submit(Request {
            generation,
            query: query::parse(&format!("zz{round}qq")).unwrap_or_default(),
            within: None,
        });
        let _ = rx.recv();
    }
    std::process::exit(0);
}
