//! litgen: writes a deterministic synthetic library for benchmarks.
//!
//! `litgen --format ris|medline --count N --seed S -o FILE [--fzf-lines FILE]
//! [--fzf-abstracts FILE]`. Records are generated in parallel batches and streamed to disk, so
//! a million records never sit in memory at once.

use anyhow::{Context, Result};
use clap::{Parser, ValueEnum};
use litbrowse::synth;
use rayon::prelude::*;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

#[derive(Clone, Copy, ValueEnum)]
enum OutFormat {
    Ris,
    Medline,
}

#[derive(Parser)]
#[command(about = "Generate a deterministic synthetic literature library")]
struct Args {
    #[arg(long, value_enum, default_value = "ris")]
    format: OutFormat,
    #[arg(long, default_value_t = 10_000)]
    count: u64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[arg(short, long)]
    output: PathBuf,
    /// One line per record (title | authors | keywords | journal | year) for `fzf --filter`.
    #[arg(long)]
    fzf_lines: Option<PathBuf>,
    /// The abstract of each record on one line, for `fzf --filter` against `ab:` queries.
    #[arg(long)]
    fzf_abstracts: Option<PathBuf>,
}

fn create(path: &PathBuf) -> Result<BufWriter<File>> {
    let f = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    Ok(BufWriter::with_capacity(1 << 20, f))
}

fn main() -> Result<()> {
    let args = Args::parse();
    let mut out = create(&args.output)?;
    let mut lines = args.fzf_lines.as_ref().map(create).transpose()?;
    let mut abstracts = args.fzf_abstracts.as_ref().map(create).transpose()?;
    let want_lines = lines.is_some();
    let want_abstracts = abstracts.is_some();
    const BATCH: u64 = 20_000;
    let mut start = 0;
    while start < args.count {
        let end = (start + BATCH).min(args.count);
        const PIECE: u64 = 1000;
        let pieces = (end - start).div_ceil(PIECE) as usize;
        let chunks: Vec<(String, String, String)> = (0..pieces)
            .into_par_iter()
            .map(|k| {
                let (mut text, mut line, mut ab) = (String::new(), String::new(), String::new());
                let from = start + k as u64 * PIECE;
                for i in from..(from + PIECE).min(end) {
                    let r = synth::record(args.seed, i);
                    match args.format {
                        OutFormat::Ris => synth::write_ris(&r, &mut text),
                        OutFormat::Medline => synth::write_medline(&r, &mut text),
                    }
                    if want_lines {
                        synth::write_fzf_line(&r, &mut line);
                    }
                    if want_abstracts {
                        synth::write_fzf_abstract(&r, &mut ab);
                    }
                }
                (text, line, ab)
            })
            .collect();
        for (text, line, ab) in chunks {
            out.write_all(text.as_bytes())?;
            if let Some(w) = lines.as_mut() {
                w.write_all(line.as_bytes())?;
            }
            if let Some(w) = abstracts.as_mut() {
                w.write_all(ab.as_bytes())?;
            }
        }
        start = end;
    }
    out.flush()?;
    if let Some(mut w) = lines {
        w.flush()?;
    }
    if let Some(mut w) = abstracts {
        w.flush()?;
    }
    Ok(())
}
