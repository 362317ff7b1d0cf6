fn main() {
    let lib = litbrowse::library::load(&std::env::args().skip(1).collect::<Vec<_>>());
    println!("{}", lib.records.len());
}
