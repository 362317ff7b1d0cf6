//! litbrowse: read, filter and export research literature offline, in the terminal.

pub mod abstract_index;
pub mod app;
pub mod cache;
pub mod cli;
pub mod diagnostic;
pub mod export;
pub mod formats;
pub mod index_cache;
pub mod keys;
pub mod library;
pub mod query;
pub mod record;
pub mod search;
pub mod synth;
pub mod terminal;
pub mod tui;
pub mod ui;

/// Opens the terminal browser on a library.
pub fn run_browser(
    lib: library::Library,
    stored: Option<index_cache::Stored>,
) -> anyhow::Result<()> {
    tui::run(lib, stored)
}
