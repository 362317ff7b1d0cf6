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
pub mod store;
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

/// Tells mimalloc (the binary's allocator) to keep memory it has freed instead of returning it
/// to the system 10 ms later. A keystroke at a million records allocates tens of megabytes
/// (scores, hits, rankings) and frees them; returned, they came back as fresh pages, and on a
/// virtual machine the first touch of fresh memory cost more than the pass itself (`ab:r`
/// 250 ms the first time, 45 ms with the memory reused; `examples/passes.rs`). Harmless when
/// mimalloc is not the allocator (tests): it only sets an option. The browser calls it once its
/// indexes are built: before, returning memory keeps the load's passing buffers out of the
/// peak.
pub fn keep_freed_memory() {
    /// `mi_option_purge_delay` in mimalloc.h (v2 and v3); not among libmimalloc-sys' names.
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: mi_option_set stores an integer option; it has no pointer arguments, and -1
    // ("never purge") is a documented value.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) }
}
