//! Where a loaded library's memory goes: resident memory after loading from the parse cache,
//! after the metadata index and after the abstract index, and the records' own heap per
//! record, stored and (for comparison, the first 10000 decoded) as `Vec<Record>`.
//! `cargo run --release --example memory -- FILE CACHE_DIR`.

use litbrowse::cache::{Cache, Tracker};
use litbrowse::record::Record;
use litbrowse::store::Records;
fn rss() -> String {
    let s = std::fs::read_to_string("/proc/self/status").unwrap();
    s.lines()
        .filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM"))
        .collect::<Vec<_>>()
        .join(" ")
}
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let cache = Cache {
        dir: a[2].clone().into(),
        min_bytes: 0,
    };
    let silent = |_| {};
    let (_, rep, parsed) = cache.load(std::path::Path::new(&a[1]), &a[1], &Tracker::new(&silent));
    println!("loaded: {}", rss());
    let lib = litbrowse::library::assemble_loaded(vec![(rep, parsed)]);
    println!("assembled: {}", rss());
    account(&lib.records);
    let n = lib.records.len();
    let records = std::sync::Arc::new(lib.records);
    let ix = litbrowse::search::Index::new(records.clone());
    ix.prepare();
    println!(
        "meta: {} ({} records, index {} MB)",
        rss(),
        n,
        ix.heap_bytes() / 1_000_000
    );
    ix.index_abstracts();
    println!(
        "abstracts: {} (index {} MB)",
        rss(),
        ix.heap_bytes() / 1_000_000
    );
}
/// The stored records' heap per record; then the first 10000 decoded into a `Vec<Record>`,
/// accounted as the records were before they were stored, and the same records stored.
fn account(rs: &Records) {
    let n = rs.len();
    println!(
        "stored: {} B per record ({} records, {} MB)",
        rs.heap_bytes() / n.max(1),
        n,
        rs.heap_bytes() / 1_000_000
    );
    let sample: Vec<Record> = (0..n.min(10_000))
        .map(|i| rs.get(i).expect("a stored record decodes"))
        .collect();
    if sample.is_empty() {
        return;
    }
    println!(
        "first {} stored: {} B per record",
        sample.len(),
        Records::from_records(&sample).heap_bytes() / sample.len()
    );
    print!("first {} as Vec<Record>: ", sample.len());
    account_vec(&sample);
}

/// A `Vec<Record>`'s heap per record: its strings, the buffers of its lists, the struct.
fn account_vec(rs: &[Record]) {
    let (mut bytes, mut allocs) = (0usize, 0usize);
    let mut s = |x: &String| {
        if x.capacity() > 0 {
            bytes += x.capacity();
            allocs += 1;
        }
    };
    let mut vecs = 0usize;
    for r in rs {
        s(&r.id);
        for o in [
            &r.title,
            &r.date,
            &r.container,
            &r.volume,
            &r.issue,
            &r.pages,
            &r.doi,
            &r.paper_type,
            &r.publisher,
            &r.url,
            &r.pmid,
            &r.language,
            &r.teaser,
        ]
        .into_iter()
        .flatten()
        {
            s(o);
        }
        for a in &r.authors {
            s(&a.name);
            if let Some(x) = &a.family {
                s(x)
            }
            if let Some(x) = &a.given {
                s(x)
            }
            for x in &a.affiliations {
                s(x)
            }
            vecs += a.affiliations.capacity() * 24;
        }
        vecs += r.authors.capacity() * std::mem::size_of::<litbrowse::record::Author>();
        for v in [&r.issn, &r.isbn, &r.keywords, &r.subjects, &r.related] {
            for x in v {
                s(x)
            }
            vecs += v.capacity() * 24;
        }
        for x in &r.abstract_sections {
            s(&x.text);
            if let Some(l) = &x.label {
                s(l)
            }
        }
        vecs += r.abstract_sections.capacity() * std::mem::size_of::<litbrowse::record::Section>();
        s(&r.source.path);
        s(&r.source.format);
        for x in &r.sources {
            s(&x.path);
            s(&x.format);
        }
        vecs += r.sources.capacity() * std::mem::size_of::<litbrowse::record::Source>();
    }
    let n = rs.len();
    println!(
        "per record: strings {} B in {} allocs, vec buffers {} B, struct {} B",
        bytes / n,
        allocs / n,
        vecs / n,
        std::mem::size_of::<litbrowse::record::Record>()
    );
}
