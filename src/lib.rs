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

/// Held while files are read into a library: the memory they take is faulted in 4 KB pages,
/// not 2 MB ones. mimalloc asks for transparent huge pages, and on the virtual machines we
/// measure on a huge page the guest has not used before cost several milliseconds: parsing
/// 100k records (179 MB of RIS) spent 1.25-1.37 s in the kernel with them against 0.36-0.40 s
/// without, 1.46-1.71 s against 0.97-1.17 s in all (`examples/load_cpu.rs`, 5 s apart so that
/// each run had fresh memory); a 100k second start from the parse cache, 786-804 ms against
/// 174-244 ms. Searching is faster with huge pages (fewer TLB misses: a million-record
/// `pee>peer` pass, min of 10, took 85.5 and 82.3 ms with THP off for the whole process
/// against 73.5 and 72.4 with it on, `MIMALLOC_ALLOW_THP=0`/`1` and `examples/passes.rs`, two
/// processes each), so they are turned back on when the last holder is dropped, before the
/// search indexes are built or read. Nothing happens when the process already had them turned
/// off (its parent's choice, which `prctl` children inherit), or on other systems.
pub struct SmallPages(());

/// Holders of `SmallPages`, and whether huge pages were off before the first.
static SMALL_PAGES: std::sync::Mutex<(usize, bool)> = std::sync::Mutex::new((0, false));

impl SmallPages {
    pub fn hold() -> SmallPages {
        let mut held = SMALL_PAGES.lock().unwrap_or_else(|e| e.into_inner());
        if held.0 == 0 {
            held.1 = huge_pages_off();
            if !held.1 {
                set_huge_pages_off(true);
            }
        }
        held.0 += 1;
        SmallPages(())
    }
}

impl Drop for SmallPages {
    fn drop(&mut self) {
        let mut held = SMALL_PAGES.lock().unwrap_or_else(|e| e.into_inner());
        held.0 = held.0.saturating_sub(1);
        if held.0 == 0 && !held.1 {
            set_huge_pages_off(false);
        }
    }
}

#[cfg(target_os = "linux")]
fn huge_pages_off() -> bool {
    // SAFETY: PR_GET_THP_DISABLE takes no pointer; the other arguments must be zero.
    unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) == 1 }
}

#[cfg(target_os = "linux")]
fn set_huge_pages_off(off: bool) {
    // SAFETY: PR_SET_THP_DISABLE takes a flag and no pointer; the rest must be zero. A failure
    // (an old kernel) leaves the pages as they were, which is only slower.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, libc::c_ulong::from(off), 0, 0, 0);
    }
}

#[cfg(not(target_os = "linux"))]
fn huge_pages_off() -> bool {
    true
}

#[cfg(not(target_os = "linux"))]
fn set_huge_pages_off(_: bool) {}

/// Asks the kernel, once per process, to back the process's anonymous memory with 2 MB pages
/// now (`MADV_COLLAPSE`, Linux 6.1 and later; elsewhere, or with huge pages turned off for the
/// process, nothing happens). The browser calls it once its search indexes are ready, from
/// its background thread.
///
/// Which pages the indexes and the passes' buffers land in depends on the process's history:
/// memory the allocator kept from the load was faulted in 4 KB pages (`SmallPages`), and a
/// pass over 4 KB pages misses the TLB far more (see `SmallPages`: 85.5 and 82.3 ms against
/// 73.5 and 72.4). In the scale benchmark's process (a first start, then a second one), 0.83
/// GB of its 4.4 GB were in 2 MB pages when the keystrokes began, against 1.38 GB of 3.1 GB
/// in a process that only read the caches. Collapsed there first (1 GB in 2.4 s), 2.75 GB
/// were, and the 1M metadata keystrokes' p99 CPU time was 95.7, 84.7 and 93.1 ms against
/// 104.5, 98.1 and 99.3 without (three runs each, `--phases load,keys`, alternating). Contents
/// are unchanged: a collapse copies pages into huge ones, and a range it cannot collapse stays
/// as it was.
pub fn collapse_into_huge_pages() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(collapse_anonymous_memory);
}

/// `collapse_into_huge_pages`' work, every time it is called. What it achieved shows in
/// /proc/self/smaps_rollup's AnonHugePages (the scale benchmark prints it before and after).
#[cfg(target_os = "linux")]
fn collapse_anonymous_memory() {
    /// `MADV_COLLAPSE` in the Linux uapi (not in every libc target's constants).
    const MADV_COLLAPSE: libc::c_int = 25;
    const HUGE: usize = 2 << 20;
    if huge_pages_off() {
        return;
    }
    let Ok(maps) = std::fs::read_to_string("/proc/self/maps") else {
        return;
    };
    for line in maps.lines() {
        // start-end perms offset device inode [path]: anonymous, writable, unnamed ones only.
        let f: Vec<&str> = line.split_ascii_whitespace().collect();
        let [range, perms, _, _, inode] = f[..] else {
            continue;
        };
        if inode != "0" || !perms.starts_with("rw") {
            continue;
        }
        let Some((a, b)) = range.split_once('-') else {
            continue;
        };
        let (Ok(a), Ok(b)) = (usize::from_str_radix(a, 16), usize::from_str_radix(b, 16)) else {
            continue;
        };
        let (from, to) = (a.next_multiple_of(HUGE), b / HUGE * HUGE);
        if to <= from {
            continue;
        }
        // SAFETY: the range lies within one of this process's own mappings (as /proc listed
        // it); MADV_COLLAPSE changes how it is backed, never what it holds, and fails (left
        // as it was, which is all a failure means here) for anything it cannot collapse.
        unsafe { libc::madvise(from as *mut libc::c_void, to - from, MADV_COLLAPSE) };
    }
}

#[cfg(not(target_os = "linux"))]
fn collapse_anonymous_memory() {}

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

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// Huge pages stay off while any holder lives (other tests load files meanwhile, so only
    /// what holds while this test holds one is checked).
    #[test]
    fn small_pages_hold_while_any_holder_lives() {
        let a = SmallPages::hold();
        assert!(huge_pages_off());
        let b = SmallPages::hold();
        drop(a);
        assert!(huge_pages_off(), "one holder left");
        drop(b);
    }

    /// Collapsing the process's memory into huge pages leaves what it holds as it was (the
    /// whole process's: other tests' data too, which their own assertions check).
    #[test]
    fn collapsing_into_huge_pages_keeps_the_contents() {
        let data: Vec<u64> = (0..(8 << 20) / 8)
            .map(|i: u64| i.wrapping_mul(0x9e37_79b9_7f4a_7c15))
            .collect();
        // Nothing happens when another test holds huge pages off or the kernel has no
        // MADV_COLLAPSE; on this project's machines it collapses this data among the rest.
        collapse_anonymous_memory();
        assert!(data
            .iter()
            .enumerate()
            .all(|(i, &v)| v == (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)));
    }
}
