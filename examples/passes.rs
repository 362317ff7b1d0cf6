// Dev-only: time single passes over a cached library (min of runs).
use litbrowse::cache::{Cache, Tracker};
use litbrowse::search::{Index, Narrow};
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::sync::Arc;
use std::time::Instant;
/// Field `i` (counted after the command name) of /proc/self/stat.
fn stat_field(i: usize) -> f64 {
    let s = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    s.rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .nth(i)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0)
}
/// User + system CPU time, ms (clock ticks of 10 ms).
fn cpu_ms() -> f64 {
    (stat_field(11) + stat_field(12)) * 10.0
}
fn minflt() -> u64 {
    stat_field(7) as u64
}
/// The timed pass, ranked as the search worker ranks it (`PassHits::ranked_and_hits`): a
/// function of its own so that callgrind can collect it alone
/// (`--toggle-collect='*timed_pass*'`). Returns the ranked records.
#[inline(never)]
fn timed_pass(index: &Index, q: &litbrowse::query::Query, within: Option<Narrow<'_>>) -> Vec<u32> {
    let pass = index.pass(q, within, &|| false).unwrap();
    pass.ranked_and_hits(|h| h.record).0
}
fn main() {
    // As the app does (src/main.rs).
    litbrowse::keep_freed_memory();
    let args: Vec<String> = std::env::args().collect();
    let ris = std::path::PathBuf::from(&args[1]);
    let cache = Cache {
        dir: std::path::PathBuf::from(&args[2]),
        min_bytes: 0,
    };
    let silent = |_| {};
    let (_, rep, parsed) = cache.load(&ris, "x", &Tracker::new(&silent));
    let lib = litbrowse::library::assemble_loaded(vec![(rep, parsed)]);
    let records = Arc::new(lib.records);
    let t = Instant::now();
    let index = Index::new(records.clone());
    // STORED=1: the indexes read from the search cache in the cache dir (keyed by the file).
    let stored = std::env::var_os("STORED").map(|_| litbrowse::index_cache::Stored {
        cache: Cache {
            dir: cache.dir.clone(),
            min_bytes: 0,
        },
        key: litbrowse::index_cache::Key::of(std::slice::from_ref(&args[1])).unwrap(),
        errors: String::new(),
    });
    match &stored {
        Some(s) => litbrowse::index_cache::prepare(&index, s),
        None => index.prepare(),
    }
    if std::env::var_os("ABSTRACTS").is_some() {
        index.index_abstracts();
    }
    let huge = std::fs::read_to_string("/proc/self/smaps_rollup").unwrap_or_default();
    eprintln!(
        "{}",
        huge.lines()
            .filter(|l| l.starts_with("AnonHugePages") || l.starts_with("Rss"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    eprintln!("index {:?} vocab {}", t.elapsed(), index.vocabulary());
    let never = || false;
    if let Some(ms) = std::env::var("SLEEP_MS").ok().and_then(|v| v.parse().ok()) {
        eprintln!("queries in {ms} ms");
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
    // WORKER=1: the arguments are typed, a character at a time, through the search worker (as
    // the TUI and the scale bench feed it), each keystroke timed from submit to published.
    if std::env::var_os("WORKER").is_some() {
        let index = Arc::new(index);
        let (tx, rx) = std::sync::mpsc::channel();
        let worker =
            litbrowse::search::Worker::spawn_prepared(index.clone(), Box::new(|_| {}), move |o| {
                let _ = tx.send(o);
            });
        if let Some(mb) = std::env::var("PRETOUCH_MB")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
        {
            let f0 = minflt();
            let t = Instant::now();
            let blocks: Vec<Vec<u8>> = (0..mb / 8).map(|_| vec![1u8; 8 << 20]).collect();
            drop(blocks);
            eprintln!(
                "pretouched {mb} MB in {:?}, {} faults",
                t.elapsed(),
                minflt() - f0
            );
        }
        let mut generation = 0;
        for text in args[3..].iter() {
            let chars: Vec<char> = text.chars().collect();
            let mut prev: Option<(litbrowse::query::Query, Arc<Vec<u32>>)> = None;
            for k in 1..=chars.len() {
                let p: String = chars[..k].iter().collect();
                let q = litbrowse::query::parse(&p).unwrap_or_default();
                if q.is_empty() {
                    prev = None;
                    continue;
                }
                generation += 1;
                let f0 = minflt();
                let t = Instant::now();
                worker.submit(litbrowse::search::Request::after(
                    generation,
                    q.clone(),
                    prev.as_ref().map(|(pq, h)| (pq, h)),
                ));
                let out = rx.recv().unwrap();
                eprintln!(
                    "{p:>24}: {:8.1} ms  hits {}  faults {}",
                    t.elapsed().as_secs_f64() * 1000.0,
                    out.hits.len(),
                    minflt() - f0
                );
                prev = Some((q, out.hits.clone()));
            }
        }
        std::process::exit(0);
    }
    for pair in args[3..].iter() {
        let (prev, q) = pair.split_once('>').unwrap_or(("", pair));
        let pq = litbrowse::query::parse(prev).unwrap();
        let within = if prev.is_empty() {
            None
        } else {
            Some(index.matches(&pq, None, &never).unwrap())
        };
        let qq = litbrowse::query::parse(q).unwrap();
        let mut best = f64::MAX;
        let mut first = None;
        let c0 = cpu_ms();
        let mut reps = 0;
        let mut n = 0;
        for _ in 0..std::env::var("REPS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(5)
        {
            reps += 1;
            let t = Instant::now();
            let f0 = minflt();
            // On a pool thread, so that with one thread the whole pass runs under
            // `timed_pass` (callgrind's toggle follows a thread's calls).
            let mut h = Vec::new();
            let narrow = within.as_deref().map(|w| Narrow::between(w, &pq, &qq));
            rayon::scope(|s| s.spawn(|_| h = timed_pass(&index, &qq, narrow)));
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            if first.is_none() {
                eprintln!("  first run: {ms:.1} ms, {} minor faults", minflt() - f0);
            }
            first.get_or_insert(ms);
            best = best.min(ms);
            n = h.len();
        }
        let cpu = (cpu_ms() - c0) / reps as f64;
        eprintln!(
            "{pair:>24}: {best:8.1} ms (first {:6.1})  cpu {cpu:6.1} ms  within {:>8}  hits {n}",
            first.unwrap_or(0.0),
            within.as_ref().map_or(0, |w| w.len())
        );
    }
    // Freeing a million records would only delay the exit (and blur a profile).
    std::process::exit(0);
}
