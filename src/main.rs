use clap::Parser;

fn main() {
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
