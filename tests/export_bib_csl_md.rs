//! Exports of the real corpus: import -> export -> import gives the same records (BibTeX and
//! CSL-JSON), bibutils' bib2xml accepts our BibTeX, and the Markdown reads as a list.

use litbrowse::export::{export, ExportFormat};
use litbrowse::formats::{self, Format};
use litbrowse::record::Record;

mod corpus_dir;
use corpus_dir::corpus;

const FILES: [&str; 5] = [
    "bibtex/biblatex-examples.bib",
    "bibtex/typeset.bib",
    "csl-json/zotero-export.json",
    "pubmed-xml/easyPubMedvig.xml",
    "endnote-xml/endnote.xml",
];

fn load(dir: &std::path::Path, file: &str) -> Vec<Record> {
    let text = std::fs::read_to_string(dir.join(file)).expect("corpus file is readable");
    let format = formats::detect(&text).expect("corpus file format is detected");
    let parsed = format.parse(&text, file);
    assert!(!parsed.records.is_empty(), "{file}: no records");
    parsed.records
}

/// What must survive a round trip, field by field.
#[derive(Debug, PartialEq)]
struct Essentials {
    title: Option<String>,
    authors: Vec<(Option<String>, Option<String>)>,
    year: Option<i32>,
    doi: Option<String>,
    pages: Option<String>,
    keywords: Vec<String>,
    abstract_text: String,
}

fn essentials(r: &Record) -> Essentials {
    Essentials {
        title: r.title.clone(),
        authors: r
            .authors
            .iter()
            .map(|a| (a.family.clone(), a.given.clone()))
            .collect(),
        year: r.year,
        doi: r.doi.clone(),
        pages: r.pages.clone(),
        keywords: r.keywords.clone(),
        abstract_text: r.abstract_text(),
    }
}

fn round_trip(export_as: ExportFormat, read_as: Format) {
    let Some(dir) = corpus() else { return };
    for file in FILES {
        let records = load(&dir, file);
        let refs: Vec<&Record> = records.iter().collect();
        let text = export(export_as, &refs);
        let again = read_as.parse(&text, "export");
        assert!(
            again.diagnostics.is_empty(),
            "{file}: {:?}",
            &again.diagnostics[..again.diagnostics.len().min(5)]
        );
        assert_eq!(again.records.len(), records.len(), "{file}");
        for (a, b) in records.iter().zip(&again.records) {
            assert_eq!(
                essentials(a),
                essentials(b),
                "{file} line {}",
                a.source.line
            );
            assert_eq!(a.kind, b.kind, "{file} line {}", a.source.line);
            assert_eq!(a.container, b.container, "{file} line {}", a.source.line);
        }
    }
}

#[test]
fn bibtex_round_trip_on_the_corpus() {
    round_trip(ExportFormat::Bibtex, Format::Bibtex);
}

#[test]
fn csl_json_round_trip_on_the_corpus() {
    round_trip(ExportFormat::CslJson, Format::CslJson);
}

#[test]
fn csl_json_export_is_a_valid_array_with_ids() {
    let Some(dir) = corpus() else { return };
    let records = load(&dir, "pubmed-xml/easyPubMedvig.xml");
    let refs: Vec<&Record> = records.iter().collect();
    let v: serde_json::Value =
        serde_json::from_str(&export(ExportFormat::CslJson, &refs)).expect("valid JSON");
    let items = v.as_array().expect("an array");
    assert_eq!(items.len(), 6);
    assert_eq!(items[0]["type"], "article-journal");
    assert_eq!(items[0]["DOI"], "10.1016/j.urolonc.2018.09.017");
    assert_eq!(items[0]["author"][0]["family"], "Fantini");
    assert_eq!(items[0]["issued"]["date-parts"][0][0], 2019);
    assert_eq!(items[0]["container-title"], "Urologic oncology");
}

#[test]
fn bibtex_keys_are_unique_on_typeset_bib() {
    let Some(dir) = corpus() else { return };
    let records = load(&dir, "bibtex/typeset.bib");
    let refs: Vec<&Record> = records.iter().collect();
    let out = export(ExportFormat::Bibtex, &refs);
    let keys: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with('@'))
        .filter_map(|l| l.split_once('{').map(|(_, k)| k.trim_end_matches(',')))
        .collect();
    assert_eq!(keys.len(), 899);
    let unique: std::collections::HashSet<&&str> = keys.iter().collect();
    assert_eq!(unique.len(), 899);
    assert_eq!(keys[0], "Foster1881How");
    assert_eq!(keys[1], "Hart1883Amateur");
    // Stable: the same input gives the same keys.
    assert_eq!(out, export(ExportFormat::Bibtex, &refs));
}

/// Titles as bibutils writes them: "title" + "subTitle", put back together.
fn mods_titles(mods: &str) -> Vec<String> {
    let mut titles = Vec::new();
    for block in mods.split("<mods ID=").skip(1) {
        let info = block.split("</titleInfo>").next().unwrap_or("");
        let get = |tag: &str| {
            info.split(&format!("<{tag}>"))
                .nth(1)
                .and_then(|s| s.split(&format!("</{tag}>")).next())
                .map(str::to_string)
        };
        let mut t = get("title").unwrap_or_default();
        // bibutils splits after "?" as well as at ":"; the "?" stays in the title.
        if let Some(sub) = get("subTitle") {
            let sep = if t.ends_with('?') { " " } else { ": " };
            t = format!("{t}{sep}{sub}");
        }
        titles.push(unxml(&t));
    }
    titles
}

fn unxml(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Compared without the differences bibutils makes on purpose: typographic apostrophes and
/// quotes, and the spacing around the ':' where it splits title and subtitle.
fn comparable(s: &str) -> String {
    s.replace(['’', '‘'], "'")
        .replace(['“', '”'], "\"")
        .replace(" :", ":")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn bib2xml_accepts_our_bibtex() {
    let Some(dir) = corpus() else { return };
    if std::process::Command::new("bib2xml")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipping: bib2xml (Debian package bibutils) is not installed");
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    for file in FILES {
        let records = load(&dir, file);
        let refs: Vec<&Record> = records.iter().collect();
        let path = tmp.path().join("export.bib");
        std::fs::write(&path, export(ExportFormat::Bibtex, &refs)).expect("write");
        let out = std::process::Command::new("bib2xml")
            .arg(&path)
            .output()
            .expect("bib2xml runs");
        assert!(out.status.success(), "{file}: bib2xml failed");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let problems: Vec<&str> = stderr
            .lines()
            .filter(|l| !l.starts_with("bib2xml: Processed "))
            .collect();
        assert!(problems.is_empty(), "{file}: {problems:?}");
        assert!(
            stderr.contains(&format!("Processed {} references", records.len())),
            "{file}: {stderr}"
        );
        let mods = String::from_utf8_lossy(&out.stdout);
        let titles = mods_titles(&mods);
        assert_eq!(titles.len(), records.len(), "{file}");
        for (r, t) in records.iter().zip(&titles) {
            let expected = r.title.as_deref().unwrap_or("");
            assert_eq!(
                comparable(t),
                comparable(expected),
                "{file} line {}",
                r.source.line
            );
        }
    }
}

#[test]
fn markdown_reading_list_of_pubmed_records() {
    let Some(dir) = corpus() else { return };
    let records = load(&dir, "pubmed-xml/easyPubMedvig.xml");
    let refs: Vec<&Record> = records.iter().collect();
    let md = export(ExportFormat::Markdown, &refs);
    assert!(md.starts_with("# Reading list\n"));
    assert_eq!(md.matches("\n## ").count(), 6);
    assert!(md.contains("## 1. Molecular footprints of muscle-invasive bladder cancer in smoking and nonsmoking patients.\n"));
    assert!(md.contains("**Authors:** Damiano Fantini, Roland Seiler, Joshua J Meeks"));
    assert!(md.contains("**Published:** *Urologic oncology* 37(11): 818-825 (2019-11)"));
    assert!(md.contains(
        "**DOI:** [10.1016/j.urolonc.2018.09.017](https://doi.org/10.1016/j.urolonc.2018.09.017)"
    ));
    assert!(md.contains("**Background:** Bladder cancer is the fifth most common cancer"));
    assert!(md.contains("**Results:** *We detected a limited set of gene expression"));
    assert!(md.contains("**Keywords:** APOBEC mutagenesis; BBN mouse model;"));
}

#[test]
fn markdown_marks_a_record_without_title() {
    let Some(dir) = corpus() else { return };
    let records = load(&dir, "bibtex/biblatex-examples.bib");
    let sets: Vec<&Record> = records.iter().filter(|r| r.title.is_none()).collect();
    // The two @set entries ("set", "stdmodel") have no title of their own.
    assert_eq!(sets.len(), 2);
    let md = export(ExportFormat::Markdown, &sets);
    assert!(md.contains("## 1. *[no title]* (untitled)\n"), "{md}");
}
