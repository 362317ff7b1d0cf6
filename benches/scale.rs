//! Scale benchmark: load time, per-keystroke filter latency, peak memory, and the same queries
//! through `fzf --filter`, on one synthetic data set. Run by `scripts/bench.sh`, which makes
//! the data with `litgen` and assembles BENCHMARKS.md from the Markdown this prints.
//!
//! `cargo bench --bench scale -- --ris F --lines F --abstracts F --litbrowse BIN --out F.md`

// The same allocator as the litbrowse binary (src/main.rs), so in-process figures match it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use litbrowse::cache::{Cache, Tracker};
use litbrowse::library::{self, Library};
use litbrowse::query::{self, Query};
use litbrowse::search::{Request, Worker};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

struct Args {
    ris: PathBuf,
    lines: PathBuf,
    abstracts: PathBuf,
    litbrowse: PathBuf,
    out: PathBuf,
    cache_dir: PathBuf,
    /// Which parts to run (`--phases load,keys,fzf`, the default all three), for quicker
    /// reruns while working on one of them.
    phases: String,
}

fn args() -> Args {
    let mut it = std::env::args().skip(1);
    let mut get = std::collections::HashMap::new();
    while let Some(a) = it.next() {
        if let Some(k) = a.strip_prefix("--") {
            if let Some(v) = it.next() {
                get.insert(k.to_string(), v);
            }
        }
    }
    let path = |k: &str| {
        PathBuf::from(
            get.get(k)
                .unwrap_or_else(|| panic!("missing --{k} (see scripts/bench.sh)")),
        )
    };
    Args {
        ris: path("ris"),
        lines: path("lines"),
        abstracts: path("abstracts"),
        litbrowse: path("litbrowse"),
        out: path("out"),
        cache_dir: path("cache-dir"),
        phases: get
            .get("phases")
            .cloned()
            .unwrap_or_else(|| "load,keys,fzf".into()),
    }
}

/// How many times the benchmark types the whole of `TYPED`.
const KEY_ROUNDS: usize = 3;

/// What a person types: each query is typed one character at a time, then deleted again.
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

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// The CPU time this process has used, all its threads, in ms (0 where not known).
fn process_cpu_ms() -> f64 {
    #[cfg(target_os = "linux")]
    {
        let mut t = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: clock_gettime writes one timespec, which `t` is.
        if unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) } == 0 {
            return t.tv_sec as f64 * 1000.0 + t.tv_nsec as f64 / 1e6;
        }
    }
    0.0
}

/// The machine's CPU time so far and the part of it stolen by the hypervisor, in clock ticks
/// (/proc/stat's first line; zeros where not known).
fn machine_ticks() -> (u64, u64) {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let fields: Vec<u64> = stat
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .skip(1)
        .filter_map(|v| v.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal (guest time is counted in user).
    let total = fields.iter().take(8).sum();
    (total, fields.get(7).copied().unwrap_or(0))
}

/// A figure in kB from one of the process's /proc files (`key` with its colon, e.g. "VmHWM:").
fn proc_kb(file: &str, key: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/self/{file}"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// The process's anonymous memory in 2 MB pages, kB.
fn huge_pages_kb() -> u64 {
    proc_kb("smaps_rollup", "AnonHugePages:")
}

fn vm_rss_kb() -> u64 {
    proc_kb("status", "VmRSS:")
}

fn vm_hwm_kb() -> u64 {
    proc_kb("status", "VmHWM:")
}

fn size_mb(p: &Path) -> f64 {
    std::fs::metadata(p).map(|m| m.len()).unwrap_or(0) as f64 / 1e6
}

/// Wall time of a shell command, best of `runs`, and its peak RSS in KB (GNU time).
fn timed(shell: &str, runs: usize) -> (f64, u64) {
    let mut best = f64::INFINITY;
    let mut rss = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let out = Command::new("/usr/bin/time")
            .args(["-f", "%M", "bash", "-c", shell])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .expect("run /usr/bin/time");
        best = best.min(ms(t.elapsed()));
        rss = String::from_utf8_lossy(&out.stderr)
            .lines()
            .last()
            .and_then(|l| l.trim().parse().ok())
            .unwrap_or(0);
    }
    (best, rss)
}

/// One line of a load table.
fn row(md: &mut String, label: &str, took: Duration) {
    let _ = writeln!(md, "| {label} | {:.0} |", ms(took));
}

/// A load table's headline line.
fn bold_row(md: &mut String, label: &str, took: Duration) {
    let _ = writeln!(md, "| **{label}** | **{:.0}** |", ms(took));
}

fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// What the browser does before its first frame: its state (which takes the records), and one
/// frame drawn at 120 x 35.
fn first_frame(records: litbrowse::store::Records) -> litbrowse::app::State {
    let state = litbrowse::app::State::new(records, 120, 35);
    let mut term =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 35)).expect("test terminal");
    term.draw(|f| litbrowse::ui::render(&state, f))
        .expect("draw");
    state
}

/// Idle time before each fresh start: on the virtual machine we measure on, memory a process
/// frees goes back to the host within 2-3 s, and a start after that touches memory the guest
/// has not used, as a person's start usually does. Started at once after another large process
/// the same 100k second start took 96 ms; after 3 s, 759 ms (`examples/load_cpu.rs`).
const FRESH_PAUSE: Duration = Duration::from_secs(5);
const FRESH_RUNS: usize = 3;

/// A start in a process of its own, as the browser makes it: the library loaded by
/// `load_deferring_cache` with the cache in `LITBROWSE_CACHE_DIR`, and its first frame drawn.
/// Prints the milliseconds.
fn fresh_start_child(file: &str) {
    litbrowse::keep_freed_memory();
    let t = Instant::now();
    let lib = library::load_deferring_cache(&[file.to_string()], &|_| {});
    let state = first_frame(lib.records);
    println!("{:.1}", ms(t.elapsed()));
    // Like the app, which leaves without freeing the library.
    std::mem::forget(state);
}

/// `FRESH_RUNS` fresh starts, each after `FRESH_PAUSE`, with the cache in `cache_dir`; sorted.
fn fresh_starts(ris: &Path, cache_dir: &Path) -> Vec<f64> {
    let exe = std::env::current_exe().expect("the benchmark's own path");
    let mut runs: Vec<f64> = (0..FRESH_RUNS)
        .filter_map(|_| {
            std::thread::sleep(FRESH_PAUSE);
            let out = Command::new(&exe)
                .arg("--fresh-start")
                .arg(ris)
                .env("LITBROWSE_CACHE_DIR", cache_dir)
                .stderr(Stdio::inherit())
                .output()
                .ok()?;
            String::from_utf8_lossy(&out.stdout).trim().parse().ok()
        })
        .collect();
    runs.sort_by(f64::total_cmp);
    runs
}

/// The load table's rows for both first frames in fresh processes (none without the load
/// phase): from the RIS file (an empty cache), then a second start (the cache written earlier).
fn fresh_rows(a: &Args, load: bool) -> String {
    let mut md = String::new();
    if load {
        let empty = a.cache_dir.join("fresh-empty");
        let _ = std::fs::remove_dir_all(&empty);
        let runs = fresh_starts(&a.ris, &empty);
        fresh_row(&mut md, "first frame, from the RIS file", &runs);
        let _ = std::fs::remove_dir_all(&empty);
        let runs = fresh_starts(&a.ris, &a.cache_dir);
        fresh_row(
            &mut md,
            "first frame, second start from the parse cache",
            &runs,
        );
    }
    md
}

/// A table row for fresh starts: the median in bold, and every run.
fn fresh_row(md: &mut String, label: &str, runs: &[f64]) {
    let all: Vec<String> = runs.iter().map(|r| format!("{r:.0}")).collect();
    let median = runs.get(runs.len() / 2).copied().unwrap_or(f64::NAN);
    let _ = writeln!(
        md,
        "| **{label}, a fresh process after {} s idle (median; runs: {})** | **{median:.0}** |",
        FRESH_PAUSE.as_secs(),
        all.join(", ")
    );
}

fn main() {
    let argv: Vec<String> = std::env::args().collect();
    if let Some(i) = argv.iter().position(|a| a == "--fresh-start") {
        fresh_start_child(argv.get(i + 1).map_or("", String::as_str));
        return;
    }
    // As the app does (src/main.rs, src/tui.rs).
    litbrowse::keep_freed_memory();
    let a = args();
    let mut md = String::new();
    let load_avg = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let _ = writeln!(
        md,
        "Input: `{}` ({:.0} MB), load average at start: {}\n",
        a.ris.display(),
        size_mb(&a.ris),
        load_avg
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );

    let phase = |p: &str| a.phases.split(',').any(|x| x == p);
    // 1. Load to first usable frame: parse (no cache) + index.
    let shown = a.ris.display().to_string();
    let silent = |_| {};
    let mut hwm_cold = 0;
    if phase("load") {
        let t = Instant::now();
        let (rep, parsed) =
            litbrowse::cache::read_and_parse(&a.ris, &shown, &Tracker::new(&silent));
        let t_parse = t.elapsed();
        let lib = library::assemble_loaded(vec![(rep, parsed)]);
        let t_assemble = t.elapsed();
        let n = lib.records.len();
        let state = first_frame(lib.records);
        let t_first = t.elapsed();
        litbrowse::return_freed_memory();
        state.index.prepare();
        let t_search = t.elapsed();
        // The browser's worker builds the abstract index next; the peak is taken after both.
        state.index.index_abstracts();
        hwm_cold = vm_hwm_kb();
        let _ = writeln!(md, "| load step | ms |\n|---|---:|");
        row(&mut md, &format!("parse ({n} records)"), t_parse);
        row(&mut md, "ids and de-duplication", t_assemble - t_parse);
        row(
            &mut md,
            "browser state and one frame drawn",
            t_first - t_assemble,
        );
        bold_row(&mut md, "first frame, from the RIS file", t_first);
        row(
            &mut md,
            "search index (built in the background after the first frame)",
            t_search - t_first,
        );
        row(&mut md, "filtering ready, from the RIS file", t_search);
        drop(state);
    }
    // As the browser does once its indexes are ready (src/tui.rs).
    litbrowse::keep_freed_memory();

    // 2. The same from the cache (written by a first load, read by a second).
    let cache = Cache {
        dir: a.cache_dir.clone(),
        min_bytes: 0,
    };
    // A first start with the caches on: parsed, the parse cache written; then the browser's
    // background step builds the search indexes and writes the search cache.
    let stored = |cache: &Cache| litbrowse::index_cache::Stored {
        cache: Cache {
            dir: cache.dir.clone(),
            min_bytes: cache.min_bytes,
        },
        key: litbrowse::index_cache::Key::of(std::slice::from_ref(&shown)).expect("input file"),
        errors: String::new(),
    };
    let t = Instant::now();
    let (outcome, rep, parsed) = cache.load(&a.ris, &shown, &Tracker::new(&silent));
    let t_store = t.elapsed();
    let first = first_frame(library::assemble_loaded(vec![(rep, parsed)]).records);
    let t = Instant::now();
    first.index.prepare();
    let t_meta_build = t.elapsed();
    first.index.index_abstracts();
    let t_abstracts_build = t.elapsed() - t_meta_build;
    litbrowse::index_cache::prepare(&first.index, &stored(&cache));
    let t_search_store = t.elapsed() - t_meta_build - t_abstracts_build;
    drop(first);
    // What the first start wrote is flushed before the second is timed (the kernel writing
    // gigabytes back meanwhile would compete for the cores).
    let _ = Command::new("sync").status();
    // The second start: records from the parse cache, indexes from the search cache.
    let t = Instant::now();
    let (hit, rep, parsed) = cache.load(&a.ris, &shown, &Tracker::new(&silent));
    let lib: Library = library::assemble_loaded(vec![(rep, parsed)]);
    let state = first_frame(lib.records);
    let t_warm = t.elapsed();
    let index = state.index.clone();
    let meta_stored = index
        .prepare_from(litbrowse::index_cache::meta_reader(&stored(&cache), index.len()).as_mut());
    let t_warm_search = t.elapsed();
    let abstracts_stored = index
        .index_abstracts_from(litbrowse::index_cache::abstracts_reader(&stored(&cache)).as_mut());
    let t_warm_abstracts = t.elapsed() - t_warm_search;
    row(
        &mut md,
        &format!(
            "parse and write the parse cache ({outcome:?}; the browser writes it after its \
             first frame)"
        ),
        t_store,
    );
    row(&mut md, "then write the search cache", t_search_store);
    bold_row(
        &mut md,
        &format!("first frame, second start from the parse cache ({hit:?})"),
        t_warm,
    );
    row(
        &mut md,
        &format!(
            "filtering ready, second start (metadata index {})",
            if meta_stored {
                "read from the search cache"
            } else {
                "built"
            }
        ),
        t_warm_search,
    );
    // The same two starts, each in a process of its own after an idle pause, go here; they run
    // last, so that the keystrokes are not timed while a million-record child process exits.
    let fresh_at = md.len();
    md.push('\n');
    let _ = writeln!(
        md,
        "Search indexes, built in the background after a first start's first frame: \
         metadata {:.0} ms, abstracts {:.0} ms. On a second start, read from the search \
         cache: abstracts {:.0} ms ({}).\n",
        ms(t_meta_build),
        ms(t_abstracts_build),
        ms(t_warm_abstracts),
        if abstracts_stored {
            "read"
        } else {
            "built: not in the cache"
        }
    );
    let _ = writeln!(
        md,
        "Search index: {} distinct metadata words, {:.0} MB (with the abstract index).\n",
        index.vocabulary(),
        index.heap_bytes() as f64 / 1e6
    );

    // As the browser does once its indexes are ready (src/tui.rs), here before the keystrokes
    // rather than beside the first ones.
    let huge_before = huge_pages_kb();
    let t = Instant::now();
    litbrowse::collapse_into_huge_pages();
    let took = t.elapsed();
    let (huge_after, resident) = (huge_pages_kb(), vm_rss_kb());
    let _ = writeln!(
        md,
        "Before the keystrokes, the process's memory was put into 2 MB pages \
         (`collapse_into_huge_pages`, as the browser does in the background once its indexes \
         are ready): {:.0} MB of it in 2 MB pages before, {:.0} MB after, of {:.0} MB \
         resident; {:.0} ms.\n",
        huge_before as f64 / 1e3,
        huge_after as f64 / 1e3,
        resident as f64 / 1e3,
        ms(took)
    );
    // 3. Keystrokes, through the search worker as the TUI feeds it: every keystroke a new
    // request, within the previous hits when the query only grew. The whole set is typed
    // `KEY_ROUNDS` times, each round with a search worker of its own (nothing remembered from
    // the round before), so that one burst of a noisy machine does not decide the figures.
    // Per kind: each keystroke's wall-clock time, and the CPU time the process used meanwhile
    // (all threads: the pass runs on two), which time stolen by the hypervisor does not
    // inflate (a host busy elsewhere still slows the work itself: scripts/bench.sh).
    let mut by_kind: Vec<(&str, Vec<f64>, Vec<f64>)> = Vec::new();
    let mut full: Vec<(String, f64, usize)> = Vec::new();
    let mut every: Vec<(f64, String)> = Vec::new();
    // Per round: the metadata and all keystrokes' p99, and the share of the machine's time
    // stolen by the hypervisor meanwhile.
    let mut rounds: Vec<(f64, f64, f64)> = Vec::new();
    let mut worker = None;
    for round in 0..KEY_ROUNDS {
        let (tx, rx) = mpsc::channel();
        // The round before's worker goes first (its thread ends and frees its results).
        drop(worker.take());
        let w = worker.insert(Worker::spawn(index.clone(), move |o| {
            let _ = tx.send(o);
        }));
        let mut generation = 0;
        let (mut round_meta, mut round_all) = (Vec::new(), Vec::new());
        let ticks = machine_ticks();
        for (kind, text) in TYPED {
            let chars: Vec<char> = text.chars().collect();
            let mut prefixes: Vec<String> = (1..=chars.len())
                .map(|k| chars[..k].iter().collect())
                .collect();
            let back: Vec<String> = prefixes.iter().rev().skip(1).cloned().collect();
            prefixes.extend(back);
            let mut prev: Option<(Query, Arc<Vec<u32>>)> = None;
            // Each keystroke counts under its sequence's kind, except that one whose query has no
            // `ab:`/`fi:` term (the "a" and "ab" of typing "ab:...") is a metadata keystroke.
            let mut samples: Vec<(&str, f64, f64)> = Vec::new();
            for p in &prefixes {
                let q = query::parse(p).unwrap_or_default();
                if q.is_empty() {
                    // An empty filter shows the whole library: no pass runs.
                    prev = None;
                    continue;
                }
                generation += 1;
                let cpu = process_cpu_ms();
                let t = Instant::now();
                w.submit(Request::after(
                    generation,
                    q.clone(),
                    prev.as_ref().map(|(pq, h)| (pq, h)),
                ));
                let out = rx.recv().expect("worker answers");
                let (wall, cpu) = (ms(t.elapsed()), process_cpu_ms() - cpu);
                let abstract_term = q
                    .terms
                    .iter()
                    .any(|t| matches!(t.field, query::Field::Abstract | query::Field::Findings));
                let counted = if *kind == "ab:" && !abstract_term {
                    "metadata in ab: sequences"
                } else {
                    kind
                };
                samples.push((counted, wall, cpu));
                every.push((wall, p.clone()));
                prev = Some((q, out.hits.clone()));
            }
            // The whole query at once (no narrowing), to set against fzf: in the first round.
            if round == 0 {
                let q = query::parse(text).unwrap_or_default();
                let never = || false;
                let t = Instant::now();
                let hits = index.run(&q, None, &never).unwrap_or_default();
                full.push((text.to_string(), ms(t.elapsed()), hits.len()));
            }
            for (kind, wall, cpu) in samples {
                if kind != "ab:" {
                    round_meta.push(wall);
                }
                round_all.push(wall);
                match by_kind.iter_mut().find(|(k, _, _)| *k == kind) {
                    Some((_, v, c)) => {
                        v.push(wall);
                        c.push(cpu);
                    }
                    None => by_kind.push((kind, vec![wall], vec![cpu])),
                }
            }
        }
        for v in [&mut round_meta, &mut round_all] {
            v.sort_by(f64::total_cmp);
        }
        // A round shorter than about a second (a few hundred ticks) says little of the stolen
        // share: NaN, printed as such.
        let now = machine_ticks();
        let elapsed = now.0.saturating_sub(ticks.0);
        let stolen = if elapsed >= 200 {
            now.1.saturating_sub(ticks.1) as f64 * 100.0 / elapsed as f64
        } else {
            f64::NAN
        };
        rounds.push((
            percentile(&round_meta, 0.99),
            percentile(&round_all, 0.99),
            stolen,
        ));
    }
    let worker = worker.expect("a round ran");
    let _ = writeln!(
        md,
        "| keystrokes | count | p50 ms | p99 ms | max ms | p99 CPU ms (both cores) |\n\
         |---|---:|---:|---:|---:|---:|"
    );
    let (mut meta, mut meta_cpu) = (Vec::new(), Vec::new());
    let (mut all, mut all_cpu) = (Vec::new(), Vec::new());
    for (kind, v, c) in &mut by_kind {
        v.sort_by(f64::total_cmp);
        c.sort_by(f64::total_cmp);
        if *kind != "ab:" {
            meta.extend(v.iter().copied());
            meta_cpu.extend(c.iter().copied());
        }
        all.extend(v.iter().copied());
        all_cpu.extend(c.iter().copied());
        let _ = writeln!(
            md,
            "| {kind} | {} | {:.1} | {:.1} | {:.1} | {:.1} |",
            v.len(),
            percentile(v, 0.5),
            percentile(v, 0.99),
            v.last().copied().unwrap_or(f64::NAN),
            percentile(c, 0.99)
        );
    }
    for (name, v, c) in [
        ("**metadata (all but ab:)**", &mut meta, &mut meta_cpu),
        ("**all**", &mut all, &mut all_cpu),
    ] {
        v.sort_by(f64::total_cmp);
        c.sort_by(f64::total_cmp);
        let _ = writeln!(
            md,
            "| {name} | {} | {:.1} | **{:.1}** | {:.1} | {:.1} |",
            v.len(),
            percentile(v, 0.5),
            percentile(v, 0.99),
            v.last().copied().unwrap_or(f64::NAN),
            percentile(c, 0.99)
        );
    }
    if let Ok(path) = std::env::var("BENCH_SAMPLES") {
        let lines: Vec<String> = every.iter().map(|(t, q)| format!("{t:.2}\t{q}")).collect();
        let _ = std::fs::write(path, lines.join("\n"));
    }
    every.sort_by(|a, b| b.0.total_cmp(&a.0));
    let slowest: Vec<String> = every
        .iter()
        .take(5)
        .map(|(t, q)| format!("`{q}` {t:.1}"))
        .collect();
    let _ = writeln!(md, "\nSlowest keystrokes (ms): {}", slowest.join(", "));
    let per_round = |pick: fn(&(f64, f64, f64)) -> f64| {
        rounds
            .iter()
            .map(|r| format!("{:.1}", pick(r)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(
        md,
        "\nThe keystrokes above are {} rounds of the whole set, each with a search worker of its \
         own. p99 ms per round: metadata {}; all {}. Time stolen by the hypervisor during each \
         round, % of the machine's (NaN: a round too short to tell): {}.",
        rounds.len(),
        per_round(|r| r.0),
        per_round(|r| r.1),
        per_round(|r| r.2)
    );
    let hwm_search = vm_hwm_kb();
    if !phase("fzf") {
        md.insert_str(fresh_at, &fresh_rows(&a, phase("load")));
        std::fs::write(&a.out, &md).expect("write the results");
        print!("{md}");
        return;
    }
    let n = index.len();
    drop(worker);
    drop(index);
    drop(state);

    // 4. Against fzf: the whole query, in process (one pass over the index) and end to end
    // (a warm `litbrowse list --query` against `fzf --filter` reading the lines file).
    let runs = if n > 300_000 { 1 } else { 3 };
    let lb = a.litbrowse.display().to_string();
    let env = format!(
        "LITBROWSE_CACHE_DIR={}",
        sh_quote(&a.cache_dir.display().to_string())
    );
    // Warm the cache for the command line.
    let _ = timed(
        &format!(
            "{env} {} list --query zzzz {}",
            sh_quote(&lb),
            sh_quote(&shown)
        ),
        1,
    );
    let _ = writeln!(
        md,
        "\n| query | hits | litbrowse pass ms (in process) | `litbrowse list --query` ms (warm, end to end) | `fzf --filter` ms (end to end) |\n|---|---:|---:|---:|---:|"
    );
    let mut rss_warm = 0;
    for (text, pass_ms, hits) in &full {
        let (fzf_q, fzf_file) = match text.strip_prefix("ab:") {
            Some(rest) => (rest.to_string(), &a.abstracts),
            None => (
                text.strip_prefix("au:").unwrap_or(text).to_string(),
                &a.lines,
            ),
        };
        let fzf_cmd = format!(
            "fzf --filter {} < {}",
            sh_quote(&fzf_q),
            sh_quote(&fzf_file.display().to_string())
        );
        let (fzf_ms, _) = timed(&fzf_cmd, runs);
        let lb_cmd = format!(
            "{env} {} list --query {} {}",
            sh_quote(&lb),
            sh_quote(text),
            sh_quote(&shown)
        );
        let (lb_ms, rss) = timed(&lb_cmd, runs);
        rss_warm = rss_warm.max(rss);
        let _ = writeln!(
            md,
            "| `{text}` | {hits} | {pass_ms:.0} | {lb_ms:.0} | {fzf_ms:.0} |"
        );
    }
    // Peak memory of a cold command-line start (no cache).
    let (_, rss_cold) = timed(
        &format!(
            "LITBROWSE_NO_CACHE=1 {} list --query zzzz {}",
            sh_quote(&lb),
            sh_quote(&shown)
        ),
        1,
    );
    let input_mb = size_mb(&a.ris);
    let _ = writeln!(
        md,
        "\n| peak memory (RSS) | MB | × input |\n|---|---:|---:|"
    );
    for (what, kb) in [
        (
            "benchmark process after parse + both indexes (the browser's peak)",
            hwm_cold,
        ),
        ("benchmark process, all phases", hwm_search),
        ("`litbrowse list`, cold (no cache)", rss_cold),
        ("`litbrowse list`, warm (from the cache)", rss_warm),
    ] {
        let mb = kb as f64 / 1024.0;
        let _ = writeln!(md, "| {what} | {mb:.0} | {:.2} |", mb / input_mb);
    }
    md.insert_str(fresh_at, &fresh_rows(&a, phase("load")));
    std::fs::write(&a.out, &md).expect("write the results");
    print!("{md}");
}
