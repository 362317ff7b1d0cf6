//! RIS export of the real corpus: import -> export -> import gives the same records, and
//! bibutils' ris2xml (another tool's reader) accepts the export.

use litbrowse::export::{self, ExportFormat};
use litbrowse::formats::ris;
use litbrowse::library;
use litbrowse::record::Record;

mod corpus_dir;
use corpus_dir::corpus;

const FILES: [&str; 13] = [
    "ris/_baseline.ris",
    "ris/baseline_zotero.ris",
    "ris/embase.ris",
    "ris/ovid_psycinfo.ris",
    "ris/proquest.ris",
    "ris/pubmed_zotero.ris",
    "ris/ris_issue_992.txt",
    "ris/ris_issue_1099.txt",
    "ris/faulty_year.ris",
    "ris/baseline_empty_values.ris",
    "wos/bit-pattern-savedrecs.txt",
    "medline/pubmed_result1.txt",
    "medline/pubmed_result2.txt",
];

fn load(dir: &std::path::Path, rel: &str) -> Vec<Record> {
    let bytes = std::fs::read(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    library::parse_bytes(rel, &bytes).1.records
}

/// Everything the export is meant to carry, as comparable values.
fn carried(r: &Record) -> String {
    // RIS links addresses to a record, so only the record's set of addresses is carried.
    let mut addresses: Vec<&str> = r
        .authors
        .iter()
        .flat_map(|a| a.affiliations.iter().map(String::as_str))
        .collect();
    addresses.sort_unstable();
    addresses.dedup();
    let authors: Vec<String> = r
        .authors
        .iter()
        .map(|a| format!("{} [{:?}]", a.name, a.family))
        .collect();
    format!(
        "kind={:?}\ntitle={:?}\nauthors={authors:?}\nyear={:?} date={:?}\ncontainer={:?} volume={:?} issue={:?} pages={:?}\ndoi={:?} issn={:?} isbn={:?}\nkeywords={:?}\nabstract={:?}\nurl={:?} publisher={:?} language={:?} citations={:?}\naddresses={addresses:?}",
        r.kind,
        r.title,
        r.year,
        r.date,
        r.container,
        r.volume,
        r.issue,
        r.pages,
        r.doi,
        r.issn,
        r.isbn,
        r.keywords,
        r.abstract_sections,
        r.url,
        r.publisher,
        r.language,
        r.citations
    )
}

#[test]
fn round_trip_every_corpus_file() {
    let Some(dir) = corpus() else { return };
    let mut total = 0;
    for rel in FILES {
        let records = load(&dir, rel);
        assert!(!records.is_empty(), "{rel}");
        let refs: Vec<&Record> = records.iter().collect();
        let text = export::export(ExportFormat::Ris, &refs);
        for line in text.lines() {
            assert!(
                line.is_empty() || line.as_bytes().get(2..6) == Some(b"  - "),
                "{rel}: not a tag line: {line:?}"
            );
        }
        let back = ris::parse(&text, "export.ris");
        assert!(back.diagnostics.is_empty(), "{rel}: {:?}", back.diagnostics);
        assert_eq!(back.records.len(), records.len(), "{rel}");
        for (a, b) in records.iter().zip(&back.records) {
            assert_eq!(
                carried(a),
                carried(b),
                "{rel}: record at line {}",
                a.source.line
            );
        }
        // Exporting the re-imported records gives the same text: the export is stable.
        let again: Vec<&Record> = back.records.iter().collect();
        assert_eq!(export::export(ExportFormat::Ris, &again), text, "{rel}");
        total += records.len();
    }
    assert_eq!(total, 760);
}

/// What ris2xml wrote for one record: its own title (not a host's) and DOIs.
#[derive(Debug, Default)]
struct Mods {
    title: String,
    dois: Vec<String>,
}

fn read_mods(xml: &str) -> Result<Vec<Mods>, String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out: Vec<Mods> = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut doi_open = false;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                if name == "mods" {
                    out.push(Mods::default());
                }
                doi_open = name == "identifier"
                    && e.attributes()
                        .flatten()
                        .any(|a| a.key.as_ref() == b"type" && a.value.as_ref() == b"doi");
                path.push(name);
            }
            Event::End(_) => {
                path.pop();
                doi_open = false;
            }
            Event::Text(t) => {
                let text = t.xml_content().map_err(|e| e.to_string())?.into_owned();
                let own = path.iter().filter(|p| *p == "relatedItem").count() == 0;
                let Some(m) = out.last_mut() else { continue };
                match path.last().map(String::as_str) {
                    Some("title") if own => m.title.push_str(&text),
                    Some("subTitle") if own => {
                        m.title.push_str(": ");
                        m.title.push_str(&text);
                    }
                    Some("identifier") if doi_open && own => m.dois.push(text),
                    _ => {}
                }
            }
            Event::GeneralRef(r) => {
                // Entities such as &amp; arrive apart from the text around them.
                let own = !path.iter().any(|p| p == "relatedItem");
                if let (Some(m), Some("title" | "subTitle"), true) =
                    (out.last_mut(), path.last().map(String::as_str), own)
                {
                    let name = String::from_utf8_lossy(r.as_ref()).into_owned();
                    let ch = match name.as_str() {
                        "amp" => "&".to_string(),
                        "lt" => "<".to_string(),
                        "gt" => ">".to_string(),
                        "quot" => "\"".to_string(),
                        "apos" => "'".to_string(),
                        n => n
                            .strip_prefix("#x")
                            .and_then(|h| u32::from_str_radix(h, 16).ok())
                            .or_else(|| n.strip_prefix('#').and_then(|d| d.parse().ok()))
                            .and_then(char::from_u32)
                            .map(String::from)
                            .unwrap_or_default(),
                    };
                    m.title.push_str(&ch);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn words(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[test]
fn ris2xml_reads_our_export() {
    let Some(dir) = corpus() else { return };
    let probe = std::process::Command::new("ris2xml")
        .arg("--version")
        .output();
    if probe.is_err() {
        eprintln!("skipping: ris2xml not installed (apt-get install bibutils)");
        return;
    }
    let records: Vec<Record> = FILES.iter().flat_map(|f| load(&dir, f)).collect();
    let refs: Vec<&Record> = records.iter().collect();
    let tmp = tempfile::tempdir().expect("temporary folder");
    let path = tmp.path().join("corpus.ris");
    std::fs::write(&path, export::export(ExportFormat::Ris, &refs)).expect("write export");
    let out = std::process::Command::new("ris2xml")
        .arg(&path)
        .output()
        .expect("run ris2xml");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "ris2xml failed: {stderr}");
    // ris2xml reports on stderr: a closing count, and a notice per record with tags it did not
    // use, followed by indented details. It keeps one AD per record, so the only tag it may
    // leave unused is a second author address; anything else is a problem.
    let mut summary = Vec::new();
    for line in stderr.lines() {
        let msg = line.strip_prefix("ris2xml:").unwrap_or(line);
        if msg.starts_with("    ") {
            if msg.trim_start().starts_with('\'') {
                assert!(msg.trim_start().starts_with("'ADDRESS:AUTHOR'"), "{line}");
            }
            continue;
        }
        let msg = msg.trim();
        if !(msg.starts_with("Reference ") && msg.ends_with(" has unused tags.")) {
            summary.push(msg.to_string());
        }
    }
    assert_eq!(
        summary,
        [format!("Processed {} references.", records.len())]
    );
    let five_digit = records
        .iter()
        .filter(|r| r.doi.as_deref().is_some_and(|d| d.find('/') == Some(8)))
        .count();
    assert_eq!(five_digit, 5);
    let xml = String::from_utf8_lossy(&out.stdout);
    let mods = read_mods(&xml).expect("MODS is well-formed XML");
    assert_eq!(mods.len(), records.len());
    for (r, m) in records.iter().zip(&mods) {
        if let Some(t) = &r.title {
            assert_eq!(
                words(&m.title),
                words(t),
                "title of {}:{}",
                r.source.path,
                r.source.line
            );
        }
        // bibutils takes a DOI only with a four-digit registrant ("10.1002/..."); the corpus
        // has five with five digits ("10.18632/oncotarget.13328"), which it leaves out.
        let dois: Vec<&str> = r
            .doi
            .iter()
            .map(String::as_str)
            .filter(|d| d.find('/') == Some(7))
            .collect();
        let got: Vec<&str> = m.dois.iter().map(String::as_str).collect();
        assert_eq!(got, dois, "DOI of {}:{}", r.source.path, r.source.line);
    }
}
