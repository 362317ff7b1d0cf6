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

/// `mi_option_purge_delay` in mimalloc.h (v2 and v3); not among libmimalloc-sys' names.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Tells mimalloc (the binary's allocator) to keep memory it has freed instead of returning it
/// to the system 10 ms later. On a virtual machine the first touch of memory the guest has not
/// used costs more than the work done in it: a keystroke at a million records allocates tens of
/// megabytes (scores, hits, rankings) and frees them, and returned they came back as fresh pages
/// (`ab:r` 250 ms the first time, 45 ms with the memory reused; `examples/passes.rs`); parsing
/// 100k records took 0.85-1.2 s keeping its passing buffers against 1.0-1.7 s returning them.
/// Harmless when mimalloc is not the allocator (tests): it only sets an option.
pub fn keep_freed_memory() {
    // SAFETY: mi_option_set stores an integer option; it has no pointer arguments, and -1
    // ("never purge") is a documented value.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) }
}

/// Undoes `keep_freed_memory` and returns what is held now: the browser calls it before
/// building its search indexes, so that the load's passing buffers and the builds' own do not
/// add up in the peak (a million records: 2.58 GB against 2.93 GB kept, `examples/memory.rs`),
/// and `keep_freed_memory` again once they are built.
pub fn return_freed_memory() {
    // SAFETY: as above (10 ms is mimalloc's default); mi_collect takes a flag.
    unsafe {
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 10);
        libmimalloc_sys::mi_collect(true);
    }
}
