fn main() -> anyhow::Result<()> {
    let lib = litbrowse::library::load(&std::env::args().skip(1).collect::<Vec<_>>());
    litbrowse::tui::run(lib)
}
