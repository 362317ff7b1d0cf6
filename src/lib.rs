//! litbrowse: read, filter and export research literature offline, in the terminal.

pub mod cache;
pub mod cli;
pub mod diagnostic;
pub mod export;
pub mod formats;
pub mod library;
pub mod query;
pub mod record;
pub mod search;
pub mod synth;

/// Opens the terminal browser on a library.
pub fn run_browser(lib: library::Library) -> anyhow::Result<()> {
    eprintln!(
        "litbrowse: the terminal browser is not built yet; {} records loaded. Try `litbrowse list`.",
        lib.records.len()
    );
    Ok(())
}
