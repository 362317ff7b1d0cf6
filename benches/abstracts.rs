//! The abstract index at scale: build time, memory, and per-keystroke latency of `ab:` needles
//! typed one character at a time, over all records and within the previous keystroke's hits.
//!
//! `cargo bench --bench abstracts -- [--sizes 100000,1000000] [--seed 1] [--repeat 5]`
//! Records come from `litbrowse::synth` (the generator behind `litgen` and scripts/bench.sh).

// The same allocator as the litbrowse binary (src/main.rs), so the figures match it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use litbrowse::abstract_index::AbstractIndex;
use litbrowse::record::{is_findings_label, Record};
use litbrowse::store::Records;
use litbrowse::synth;
use rayon::prelude::*;
use std::time::{Duration, Instant};

const NEEDLES: &[&str] = &["loneliness", "randomised", "qzxv"];

fn arg(name: &str) -> Option<String> {
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        if a == format!("--{name}") {
            return it.next();
        }
    }
    None
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// CPU time this process has used (user + system), from /proc/self/stat, in ms.
fn cpu_ms() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')').map_or("", |r| r.1);
    let f: Vec<f64> = rest
        .split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect();
    // utime and stime (fields 14 and 15, in 1/100 s) are 10 and 11 once the state is skipped.
    let ticks = f.get(10).copied().unwrap_or(0.0) + f.get(11).copied().unwrap_or(0.0);
    ticks * 10.0
}

fn load_avg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

/// p50, p99 and max of a set of timings, in ms.
fn spread(times: &mut [f64]) -> (f64, f64, f64) {
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.99), at(1.0))
}

fn never() -> bool {
    false
}

fn main() {
    let sizes: Vec<usize> = arg("sizes")
        .unwrap_or_else(|| "100000,1000000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let seed: u64 = arg("seed").and_then(|s| s.parse().ok()).unwrap_or(1);
    let repeat: usize = arg("repeat").and_then(|s| s.parse().ok()).unwrap_or(5);
    println!(
        "# Abstract index ({} threads, seed {seed}, {repeat} repeats)\n",
        rayon::current_num_threads()
    );
    for n in sizes {
        let t = Instant::now();
        let records: Vec<Record> = (0..n as u64)
            .into_par_iter()
            .map(|i| synth::record(seed, i))
            .collect();
        let text: usize = records
            .iter()
            .flat_map(|r| &r.abstract_sections)
            .map(|s| s.text.len())
            .sum();
        let findings = records
            .iter()
            .filter(|r| {
                r.abstract_sections
                    .iter()
                    .any(|s| s.label.as_deref().is_some_and(is_findings_label))
            })
            .count();
        println!(
            "## {n} records\n\nGenerated in {:.0} ms: {:.0} MB of abstract text, {findings} \
             records with a findings section. Load average before the build: {}\n",
            ms(t.elapsed()),
            text as f64 / 1e6,
            load_avg()
        );
        // Stored as the library keeps them; the generated list is freed before the build.
        let records = {
            let generated = records;
            Records::from_records(&generated)
        };
        let t = Instant::now();
        let cpu = cpu_ms();
        let ix = AbstractIndex::new(&records);
        let build = t.elapsed();
        let build_cpu = cpu_ms() - cpu;
        println!(
            "Build: {:.0} ms ({:.0} ms of CPU). Vocabulary: {} words. Heap: {:.1} MB ({:.1} bytes a record), \
             postings {:.1} MB ({:.1} bytes a record).\n",
            ms(build),
            build_cpu,
            ix.vocabulary(),
            ix.heap_bytes() as f64 / 1e6,
            ix.heap_bytes() as f64 / n as f64,
            ix.posting_bytes() as f64 / 1e6,
            ix.posting_bytes() as f64 / n as f64,
        );
        println!(
            "| needle | keystroke | hits | all: ms (best of {repeat}) | within previous: ms |"
        );
        println!("|---|---|---|---|---|");
        let mut all_times = Vec::new();
        let mut within_times = Vec::new();
        for needle in NEEDLES {
            let mut previous: Option<Vec<u32>> = None;
            for end in needle.char_indices().map(|(i, c)| i + c.len_utf8()) {
                let prefix = &needle[..end];
                let mut best_all = f64::MAX;
                let mut best_within = f64::MAX;
                let mut hits = Vec::new();
                for _ in 0..repeat {
                    let t = Instant::now();
                    let all = ix
                        .search(prefix, false, false, None, &never)
                        .unwrap_or_default();
                    let d = ms(t.elapsed());
                    all_times.push(d);
                    best_all = best_all.min(d);
                    let t = Instant::now();
                    let within = ix
                        .search(prefix, false, false, previous.as_deref(), &never)
                        .unwrap_or_default();
                    let d = ms(t.elapsed());
                    within_times.push(d);
                    best_within = best_within.min(d);
                    assert_eq!(all, within.clone(), "narrowing changed the answer");
                    hits = within;
                }
                println!(
                    "| {needle} | {prefix} | {} | {best_all:.2} | {best_within:.2} |",
                    hits.len()
                );
                previous = Some(hits.iter().map(|h| h.0).collect());
            }
        }
        if repeat == 0 {
            continue;
        }
        let (p50, p99, max) = spread(&mut all_times);
        println!("\nAll records, every keystroke and repeat: p50 {p50:.2} ms, p99 {p99:.2} ms, max {max:.2} ms.");
        let (p50, p99, max) = spread(&mut within_times);
        println!("Within the previous hits: p50 {p50:.2} ms, p99 {p99:.2} ms, max {max:.2} ms.");
        println!("Load average after: {}\n", load_avg());
    }
}
