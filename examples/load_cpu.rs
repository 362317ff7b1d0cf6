//! CPU time (user + system, all threads) and wall time of each step to the browser's first
//! frame, for one large file; on a shared machine CPU time is the steadier figure.
//!
//! `cargo run --release --example load_cpu -- FILE CACHE_DIR parse|store|hit [--digest]`:
//! `parse` times a fresh parse, `store` parses and writes the cache entry, `hit` reads it.
//! `--digest` prints a hash of the library's records as JSON, to compare two builds.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use litbrowse::cache::{Cache, Tracker};
use litbrowse::library;
use std::path::PathBuf;
use std::time::Instant;

/// User + system time of the process so far, in ms (clock ticks of 10 ms).
fn cpu_ms() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<u64> = after
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|v| v.parse().ok())
        .collect();
    f.iter().sum::<u64>() as f64 * 10.0
}

fn main() {
    // As the app does (src/main.rs).
    litbrowse::keep_freed_memory();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let file = PathBuf::from(&args[0]);
    let cache = Cache {
        dir: PathBuf::from(&args[1]),
        min_bytes: 0,
    };
    let mode = args[2].as_str();
    let digest = args.iter().any(|a| a == "--digest");
    let shown = file.display().to_string();
    let silent = |_| {};
    let tracker = Tracker::new(&silent);
    let (c0, w0) = (cpu_ms(), Instant::now());
    let (rep, parsed) = match mode {
        "parse" => litbrowse::cache::read_and_parse(&file, &shown, &tracker),
        _ => {
            let (outcome, rep, parsed) = cache.load(&file, &shown, &tracker);
            eprintln!("outcome {outcome:?}");
            (rep, parsed)
        }
    };
    let (c1, w1) = (cpu_ms(), w0.elapsed());
    let lib = library::assemble_loaded(vec![(rep, parsed)]);
    let (c2, w2) = (cpu_ms(), w0.elapsed());
    let n = lib.records.len();
    eprintln!("store {:.1} MB", lib.records.heap_bytes() as f64 / 1e6);
    let sum = digest.then(|| {
        let mut h = litbrowse::record::Fnv::default();
        for r in lib.records.iter() {
            h.write(serde_json::to_string(&r).unwrap_or_default().as_bytes());
        }
        (h.0, lib.merged, lib.diagnostics.len())
    });
    let (c2, w2) = if digest {
        (cpu_ms(), w0.elapsed())
    } else {
        (c2, w2)
    };
    let state = litbrowse::app::State::new(lib.records, 120, 35);
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 35)).unwrap();
    term.draw(|f| litbrowse::ui::render(&state, f)).unwrap();
    let (c3, w3) = (cpu_ms(), w0.elapsed());
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{mode} {n} records: load cpu {:.0} wall {:.0} | assemble cpu {:.0} wall {:.0} | frame cpu {:.0} wall {:.0} | total cpu {:.0} wall {:.0}",
        c1 - c0,
        ms(w1),
        c2 - c1,
        ms(w2 - w1),
        c3 - c2,
        ms(w3 - w2),
        c3 - c0,
        ms(w3)
    );
    if let Some((h, merged, diags)) = sum {
        println!("digest {h:016x} merged {merged} diagnostics {diags}");
    }
    // Like the app, which exits without freeing the library: process figures stay the load's.
    std::mem::forget(state);
}
