use clap::Parser;

// Loading a large library makes millions of small allocations from several threads; glibc's
// arenas spent a third of a warm 100k-record start in page faults and mprotect (perf, see
// BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    litbrowse::keep_freed_memory();
    let cli = litbrowse::cli::Cli::parse();
    match litbrowse::cli::run(cli) {
        Ok(status) => std::process::exit(status),
        Err(e) => {
            eprintln!(
                "litbrowse: error: {}",
                litbrowse::record::sanitize(&format!("{e:#}"))
            );
            std::process::exit(1);
        }
    }
}
