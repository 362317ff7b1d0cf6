//! Parse speed of the RIS and MEDLINE importers, in MB/s.
//!
//! `cargo bench --bench parse -- [--ris FILE] [--medline FILE] [--digest] [--sequential]`. Without files, the
//! corpus files (`../shared/corpus/ris`, `.../medline`) are concatenated and repeated to about
//! 100 MB and 50 MB. `--digest` prints a hash of the parsed records and diagnostics (as JSON),
//! to check that a faster parser gives the same output.

use litbrowse::formats::{medline, ris, Parsed};
use litbrowse::record::Fnv;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map(PathBuf::from)
    };
    let digest = args.iter().any(|a| a == "--digest");
    let parallel = !args.iter().any(|a| a == "--sequential");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let ris_text = input(value("--ris"), &corpus.join("ris"), 100_000_000);
    let medline_text = input(value("--medline"), &corpus.join("medline"), 50_000_000);
    if let Some(text) = ris_text {
        bench("RIS sequential", &text, digest, |t| {
            ris::parse_range(t, "bench.ris", 0)
        });
        if parallel {
            bench("RIS parallel", &text, digest, |t| {
                ris::parse_parallel(t, "bench.ris")
            });
        }
    }
    if let Some(text) = medline_text {
        bench("MEDLINE", &text, digest, |t| {
            medline::parse(t, "bench.nbib")
        });
    }
}

/// The given file, or every corpus file in `dir` concatenated and repeated to about `size` bytes.
fn input(file: Option<PathBuf>, dir: &Path, size: usize) -> Option<String> {
    if let Some(f) = file {
        return match std::fs::read_to_string(&f) {
            Ok(t) => Some(t),
            Err(e) => {
                eprintln!("cannot read {}: {e}", f.display());
                None
            }
        };
    }
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    let mut one = String::new();
    for p in paths {
        if let Ok(t) = std::fs::read_to_string(&p) {
            one.push_str(t.strip_prefix('\u{feff}').unwrap_or(&t));
            one.push_str("\n\n");
        }
    }
    if one.is_empty() {
        eprintln!("skipping: {} not found", dir.display());
        return None;
    }
    Some(one.repeat(size / one.len() + 1))
}

fn bench(name: &str, text: &str, digest: bool, parse: impl Fn(&str) -> Parsed) {
    let mb = text.len() as f64 / 1e6;
    let mut best = f64::MAX;
    let mut last = Parsed::default();
    for _ in 0..3 {
        // Freeing the previous result is not part of parsing.
        drop(std::mem::take(&mut last));
        let t = Instant::now();
        last = parse(text);
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "{name}: {mb:.0} MB, {} records, {} diagnostics, best of 3 {best:.3} s = {:.0} MB/s",
        last.records.len(),
        last.diagnostics.len(),
        mb / best
    );
    if digest {
        let mut h = Fnv::default();
        for r in &last.records {
            h.write(serde_json::to_string(r).unwrap_or_default().as_bytes());
        }
        for d in &last.diagnostics {
            h.write(serde_json::to_string(d).unwrap_or_default().as_bytes());
        }
        println!("{name}: digest {:016x}", h.0);
    }
}
