//! RIS, MEDLINE and Web of Science import on the real exports in ../shared/corpus: record
//! counts from SOURCES.md, and field values read by hand from the files.

use litbrowse::diagnostic::Severity;
use litbrowse::formats::{self, Format, Parsed};
use litbrowse::library;
use litbrowse::record::{Kind, Record};

mod corpus_dir;
use corpus_dir::corpus;

/// The file read as `litbrowse` reads it (BOM, detection), with the detected format.
fn load(rel: &str) -> Option<(Option<&'static str>, Parsed)> {
    let path = corpus()?.join(rel);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (report, parsed) = library::parse_bytes(rel, &bytes);
    Some((report.format, parsed))
}

fn errors(p: &Parsed) -> Vec<String> {
    p.diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.to_string())
        .collect()
}

fn names(r: &Record) -> Vec<&str> {
    r.authors.iter().map(|a| a.name.as_str()).collect()
}

fn labels(r: &Record) -> Vec<Option<&str>> {
    r.abstract_sections
        .iter()
        .map(|s| s.label.as_deref())
        .collect()
}

/// (file, format, records per SOURCES.md, warnings expected)
const FILES: [(&str, &str, usize, usize); 13] = [
    ("ris/_baseline.ris", "ris", 100, 0),
    ("ris/baseline_zotero.ris", "ris", 100, 0),
    ("ris/embase.ris", "ris", 6, 0),
    ("ris/ovid_psycinfo.ris", "ris", 6, 0),
    ("ris/proquest.ris", "ris", 6, 0),
    ("ris/pubmed_zotero.ris", "ris", 6, 0),
    ("ris/ris_issue_992.txt", "ris", 19, 0),
    ("ris/ris_issue_1099.txt", "ris", 7, 0),
    // The malformed "PY  - 10 15" is reported; the record is kept without a year.
    ("ris/faulty_year.ris", "ris", 1, 1),
    // Empty TI/N2 values are not a fault: the records keep what they have.
    ("ris/baseline_empty_values.ris", "ris", 4, 0),
    ("wos/bit-pattern-savedrecs.txt", "wos", 500, 0),
    ("medline/pubmed_result1.txt", "medline", 1, 0),
    ("medline/pubmed_result2.txt", "medline", 4, 0),
];

#[test]
fn counts_formats_and_diagnostics_match_sources_md() {
    for (file, format, count, warnings) in FILES {
        let Some((detected, p)) = load(file) else {
            return;
        };
        assert_eq!(detected, Some(format), "{file}: detected format");
        assert_eq!(p.records.len(), count, "{file}: record count");
        assert_eq!(errors(&p), Vec::<String>::new(), "{file}: errors");
        assert_eq!(p.diagnostics.len(), warnings, "{file}: {:?}", p.diagnostics);
        for r in &p.records {
            assert_eq!(r.source.format, format);
            assert!(r.source.line >= 1, "{file}: line of {:?}", r.title);
        }
    }
}

#[test]
fn every_good_record_has_a_title_and_every_dated_one_a_plain_year() {
    for (file, _, _, _) in FILES {
        let Some((_, p)) = load(file) else { return };
        for r in &p.records {
            if file != "ris/baseline_empty_values.ris" {
                assert!(r.title.is_some(), "{file}:{} has no title", r.source.line);
            }
            if let Some(d) = &r.date {
                assert!(d.len() == 4 || d.len() == 7 || d.len() == 10, "{file}: {d}");
                assert_eq!(d.get(..4), r.year.map(|y| y.to_string()).as_deref());
            }
            if let Some(p) = &r.pages {
                assert!(!p.contains(' '), "{file}: pages {p}");
            }
            for s in &r.abstract_sections {
                assert!(!s.text.is_empty(), "{file}:{} empty section", r.source.line);
                assert!(!s.text.contains('\n'));
            }
        }
    }
}

#[test]
fn baseline_crlf_bom() {
    let Some((_, p)) = load("ris/_baseline.ris") else {
        return;
    };
    let r = &p.records[0];
    assert_eq!(r.source.line, 1);
    assert_eq!(r.kind, Kind::Article);
    assert_eq!(
        r.title.as_deref(),
        Some("The Value of Radiologic Interventions and 18 F-DOPA PET in Diagnosing and Localizing Focal Congenital Hyperinsulinism: Systematic Review and Meta-Analysis")
    );
    assert_eq!(
        names(r),
        [
            "Björn A. Blomberg",
            "Mateen Moghbel",
            "Babak Saboury",
            "Charles A. Stanley",
            "Abass Alavi"
        ]
    );
    assert_eq!(r.authors[0].family.as_deref(), Some("Blomberg"));
    assert_eq!(r.date.as_deref(), Some("2012-07-03"));
    assert_eq!(
        r.container.as_deref(),
        Some("Molecular imaging and biology")
    );
    assert_eq!(r.volume.as_deref(), Some("15"));
    assert_eq!(r.issue.as_deref(), Some("1"));
    assert_eq!(r.pages.as_deref(), Some("97-105"));
    assert_eq!(r.doi.as_deref(), Some("10.1007/s11307-012-0572-0"));
    assert_eq!(r.issn, ["1860-2002", "1536-1632"]);
    assert_eq!(r.publisher.as_deref(), Some("Springer New York"));
    assert!(r.abstract_sections[0]
        .text
        .starts_with("This systematic review and meta-analysis aimed to quantify"));
    // Headings on their own lines (CRLF, blank lines between parts).
    let r = &p.records[10];
    assert_eq!(
        labels(r),
        [
            Some("Background"),
            Some("Methods"),
            Some("Results"),
            Some("Conclusions")
        ]
    );
    assert!(r.abstract_sections[2]
        .text
        .starts_with("Our searches yielded a total of 5932 potentially eligible studies"));
    assert_eq!(
        r.keywords,
        [
            "Allergen immunotherapy",
            "Allergic rhinitis",
            "Allergic rhinoconjuctivitis",
            "Allergy",
            "Hay fever",
            "Rhinitis"
        ]
    );
    let r = &p.records[17];
    assert_eq!(r.source.line, 632);
    assert_eq!(
        labels(r).last().copied().flatten(),
        Some("Systematic review registration")
    );
    assert_eq!(
        r.abstract_sections.last().map(|s| s.text.as_str()),
        Some("PROSPERO (CRD42015025246)")
    );
    // "AU  - van den Hoven, null": no given name rather than "null".
    let r = &p.records[99];
    assert_eq!(r.authors[0].name, "van den Hoven");
    assert_eq!(r.pages.as_deref(), Some("S105"));
}

#[test]
fn zotero_export() {
    let Some((_, p)) = load("ris/baseline_zotero.ris") else {
        return;
    };
    let r = &p.records[0];
    assert_eq!(
        r.title.as_deref(),
        Some("An open source machine learning framework for efficient and transparent systematic reviews")
    );
    assert_eq!(r.authors.len(), 17);
    assert_eq!(r.authors[0].family.as_deref(), Some("van de Schoot"));
    assert_eq!(r.authors[0].given.as_deref(), Some("Rens"));
    assert_eq!(r.container.as_deref(), Some("Nature Machine Intelligence"));
    assert_eq!(r.date.as_deref(), Some("2021-02-01"));
    assert_eq!(r.pages.as_deref(), Some("125-133"));
    assert_eq!(r.doi.as_deref(), Some("10.1038/s42256-020-00287-7"));
    // Capital headings without colons: "BACKGROUND Long-term treatment ... OBJECTIVE To ...".
    let r = &p.records[99];
    assert_eq!(
        labels(r),
        [
            Some("Background"),
            Some("Objective"),
            Some("Methods"),
            Some("Results"),
            Some("Conclusion")
        ]
    );
    assert!(r.abstract_sections[0]
        .text
        .starts_with("Long-term treatment with glucocorticoids (GCs)"));
    assert_eq!(r.pages.as_deref(), Some("e0188810"));
}

#[test]
fn embase_initials_and_addresses() {
    let Some((_, p)) = load("ris/embase.ris") else {
        return;
    };
    let r = &p.records[0];
    assert_eq!(names(r), ["R. Liu", "D.G. Adler"]);
    assert_eq!(r.authors[1].family.as_deref(), Some("Adler"));
    assert_eq!(r.year, Some(2014));
    assert_eq!(r.container.as_deref(), Some("Endoscopic Ultrasound"));
    assert_eq!(r.issn, ["2226-7190"]);
    assert_eq!(r.doi.as_deref(), Some("10.4103/2303-9027.138783"));
    assert_eq!(r.language.as_deref(), Some("English"));
    assert_eq!(r.keywords.len(), 22);
    assert_eq!(r.keywords[1], "bronchogenic duplication cyst");
    // "AD  - D.G. Adler, Department of ..." names the second author.
    assert!(r.authors[0].affiliations.is_empty());
    assert!(r.authors[1].affiliations[0].contains("University of Utah School of Medicine"));
    let r = &p.records[5];
    assert_eq!(
        labels(r),
        [
            Some("Background"),
            Some("Case presentation"),
            Some("Conclusion")
        ]
    );
    assert_eq!(r.pages.as_deref(), Some("31-33"));
}

#[test]
fn ovid_numbered_records() {
    let Some((_, p)) = load("ris/ovid_psycinfo.ris") else {
        return;
    };
    // "1." on the line above TY; NL and link lines after ER belong to no record.
    let lines: Vec<usize> = p.records.iter().map(|r| r.source.line).collect();
    assert_eq!(lines[0], 2);
    let r = &p.records[0];
    assert_eq!(
        r.title.as_deref(),
        Some("The influence of self-criticism on depression symptoms among ambulatory patients with inflammatory bowel disease.")
    );
    assert_eq!(r.authors[0].family.as_deref(), Some("Trindade"));
    assert_eq!(r.authors[0].given.as_deref(), Some("Ines A"));
    assert_eq!(r.date.as_deref(), Some("2019"));
    // "DO  - http://dx.doi.org/10.1002/cpp.2398"
    assert_eq!(r.doi.as_deref(), Some("10.1002/cpp.2398"));
    // "SP  - No", "EP  - Specified": no pagination.
    assert_eq!(r.pages, None);
    assert!(r.abstract_sections[0]
        .text
        .starts_with("Considering that self-criticism is an important process"));
    let r = &p.records[1];
    assert_eq!(r.pages.as_deref(), Some("847-856"));
    assert_eq!(r.keywords[0], "*Body Image");
    assert_eq!(r.keywords.len(), 6);
    // A2 lists cited names here; with A1 authors present they are not authors.
    assert_eq!(r.authors.len(), 4);
}

#[test]
fn proquest_structured_abstract_and_doubled_issn() {
    let Some((_, p)) = load("ris/proquest.ris") else {
        return;
    };
    let r = &p.records[0];
    assert_eq!(r.issn, ["0894-9867"]);
    assert_eq!(r.keywords.len(), 18);
    assert_eq!(r.keywords[8], "Christchurch Earthquake (2011)");
    let r = &p.records[1];
    assert_eq!(
        labels(r),
        [
            Some("Background"),
            Some("Objective"),
            Some("Methods"),
            Some("Results"),
            Some("Conclusion")
        ]
    );
    assert!(r.abstract_sections[0]
        .text
        .starts_with("Previous research has demonstrated heterogeneous patterns"));
    assert_eq!(r.doi.as_deref(), Some("10.1080/20008198.2019.1586266"));
}

#[test]
fn pubmed_via_zotero() {
    let Some((_, p)) = load("ris/pubmed_zotero.ris") else {
        return;
    };
    let r = &p.records[0];
    assert_eq!(
        labels(r),
        [
            Some("Introduction"),
            Some("Aim"),
            Some("Material and methods"),
            Some("Results"),
            Some("Conclusions")
        ]
    );
    assert_eq!(
        r.container.as_deref(),
        Some("Przeglad gastroenterologiczny")
    );
    assert_eq!(r.keywords[1], "Crohn's disease");
    assert_eq!(r.authors[2].given.as_deref(), Some("Malgorzata A."));
    // "DA  - 2019/10//undefined"
    assert_eq!(p.records[1].date.as_deref(), Some("2019-10"));
    let r = &p.records[5];
    // "SN  - 1536-5964 0025-7974": two ISSNs in one value.
    assert_eq!(r.issn, ["1536-5964", "0025-7974"]);
    assert_eq!(r.date.as_deref(), Some("2019-06"));
}

#[test]
fn rayyan_multi_line_keywords() {
    let Some((_, p)) = load("ris/ris_issue_992.txt") else {
        return;
    };
    let r = &p.records[0];
    assert_eq!(
        r.title.as_deref(),
        Some("Overcoming Medication Reconciliation Challenges")
    );
    assert_eq!(r.keywords.len(), 13);
    assert_eq!(
        &r.keywords[..4],
        [
            "Health Facility Administration",
            "Joint Commission",
            "Standards",
            "Medication Errors"
        ]
    );
    assert_eq!(r.keywords[12], "Patient Education");
    assert_eq!(r.pages.as_deref(), Some("1-5"));
    assert!(r.authors.is_empty());
    // "PY  - 2012" with "DA  - Jan".
    let r = &p.records[4];
    assert_eq!(r.date.as_deref(), Some("2012-01"));
    assert_eq!(r.doi.as_deref(), Some("10.4168/aair.2012.4.1.1"));
    let r = &p.records[18];
    assert_eq!(labels(r), [Some("Objective")]);
    assert_eq!(r.authors[0].family.as_deref(), Some("Abraham"));
    assert_eq!(r.date.as_deref(), Some("2021-02"));
}

#[test]
fn scopus_citavi_export() {
    let Some((_, p)) = load("ris/ris_issue_1099.txt") else {
        return;
    };
    let r = &p.records[0];
    assert_eq!(r.issn, ["1336-1376"]);
    assert_eq!(names(r)[0], "T. Vaimann");
    assert_eq!(r.pages.as_deref(), Some("271-278"));
    // "U3  - Cited By :9" with the export notes on the lines below.
    assert_eq!(r.citations, Some(9));
    assert_eq!(r.language.as_deref(), Some("English"));
    let r = &p.records[1];
    assert_eq!(r.kind, Kind::Book);
    assert_eq!(r.doi.as_deref(), Some("10.1007/978-3-030-58167-1_7"));
    assert_eq!(r.volume.as_deref(), Some("1262 CCIS"));
    let r = &p.records[6];
    // AD with blank lines between three addresses.
    assert_eq!(r.authors[0].affiliations.len(), 3);
    assert_eq!(r.language.as_deref(), Some("Spanish"));
}

#[test]
fn faulty_year_warns_and_keeps_the_record() {
    let Some((_, p)) = load("ris/faulty_year.ris") else {
        return;
    };
    let d = &p.diagnostics[0];
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(d.line, 3);
    assert!(d.message.contains("PY  - 10 15"), "{}", d.message);
    let r = &p.records[0];
    assert_eq!(r.year, None);
    assert!(r
        .title
        .as_deref()
        .unwrap_or("")
        .starts_with("The Value of Radiologic"));
}

#[test]
fn empty_values_keep_what_there_is() {
    let Some((_, p)) = load("ris/baseline_empty_values.ris") else {
        return;
    };
    let titles: Vec<Option<&str>> = p.records.iter().map(|r| r.title.as_deref()).collect();
    assert_eq!(
        titles,
        [
            Some("Title of reference"),
            None,
            Some("Title of reference"),
            None
        ]
    );
    assert!(p.records[0].abstract_sections.is_empty());
    assert_eq!(
        p.records[1].abstract_sections[0].text,
        "Lorem ipsum dolor sit amet, consectetuer adipiscing elit."
    );
    assert!(p.records.iter().all(|r| r.kind == Kind::Other));
}

#[test]
fn medline_single_record() {
    let Some((_, p)) = load("medline/pubmed_result1.txt") else {
        return;
    };
    let r = &p.records[0];
    assert_eq!(r.source.line, 2);
    assert_eq!(r.pmid.as_deref(), Some("12230038"));
    assert_eq!(
        r.title.as_deref(),
        Some("The Bio* toolkits--a brief overview.")
    );
    assert_eq!(names(r), ["Harry Mangalam"]);
    assert_eq!(
        r.authors[0].affiliations,
        ["tacg Informatics, Irvine, CA 92612, USA. hjm@tacgi.com"]
    );
    assert_eq!(r.date.as_deref(), Some("2002-09"));
    assert_eq!(r.container.as_deref(), Some("Briefings in bioinformatics"));
    assert_eq!(r.issn, ["1467-5463"]);
    assert_eq!(r.pages.as_deref(), Some("296-302"));
    assert_eq!(r.keywords.len(), 7);
    assert_eq!(r.keywords[0], "Computational Biology");
    assert_eq!(r.paper_type.as_deref(), Some("Journal Article"));
    assert_eq!(r.language.as_deref(), Some("eng"));
    // Continuation lines joined into one paragraph.
    assert!(r.abstract_sections[0].text.contains(
        "The Open Source BioPerl, BioPython and Biojava projects provide toolkits with multiple functionality"
    ));
}

#[test]
fn medline_several_records() {
    let Some((_, p)) = load("medline/pubmed_result2.txt") else {
        return;
    };
    let pmids: Vec<&str> = p.records.iter().filter_map(|r| r.pmid.as_deref()).collect();
    assert_eq!(pmids, ["16403221", "16377612", "14871861", "14630660"]);
    let r = &p.records[0];
    assert_eq!(
        names(r),
        ["James A Casbon", "Gavin E Crooks", "Mansoor A S Saqi"]
    );
    assert_eq!(r.doi.as_deref(), Some("10.1186/1471-2105-7-10"));
    assert_eq!(r.pages.as_deref(), Some("10"));
    assert_eq!(
        labels(r),
        [Some("Background"), Some("Results"), Some("Conclusion")]
    );
    assert_eq!(
        r.paper_type.as_deref(),
        Some("Evaluation Studies; Journal Article")
    );
    let r = &p.records[1];
    assert_eq!(
        r.title.as_deref(),
        Some("GenomeDiagram: a python package for the visualization of large-scale genomic data.")
    );
    // "PG  - 616-7"
    assert_eq!(r.pages.as_deref(), Some("616-617"));
    assert_eq!(r.date.as_deref(), Some("2006-03-01"));
    assert_eq!(
        r.container.as_deref(),
        Some("Bioinformatics (Oxford, England)")
    );
    assert_eq!(
        labels(r),
        [
            Some("Summary"),
            Some("Availability"),
            Some("Supplementary information")
        ]
    );
    assert_eq!(p.records[2].pages.as_deref(), Some("1453-1454"));
    assert_eq!(p.records[2].authors[0].family.as_deref(), Some("de Hoon"));
}

#[test]
fn web_of_science_records() {
    let Some((_, p)) = load("wos/bit-pattern-savedrecs.txt") else {
        return;
    };
    let r = &p.records[0];
    assert_eq!(r.source.line, 3);
    assert_eq!(
        r.title.as_deref(),
        Some("In situ grazing incidence small-angle X-ray scattering study of solvent vapor annealing in lamellae-forming block copolymer thin films: Trade-off of defects in deswelling")
    );
    assert_eq!(names(r), ["Zhiwei Sun", "Thomas P. Russell"]);
    // C1 "[Sun, Zhiwei; Russell, Thomas P.] ..." plus two more for Russell.
    assert_eq!(r.authors[0].affiliations.len(), 1);
    assert_eq!(r.authors[1].affiliations.len(), 3);
    assert_eq!(
        r.container.as_deref(),
        Some("JOURNAL OF POLYMER SCIENCE PART B-POLYMER PHYSICS")
    );
    assert_eq!(r.date.as_deref(), Some("2017-07-01"));
    assert_eq!(r.volume.as_deref(), Some("55"));
    assert_eq!(r.issue.as_deref(), Some("13"));
    assert_eq!(r.pages.as_deref(), Some("980-989"));
    assert_eq!(r.page_count, Some(10));
    assert_eq!(r.doi.as_deref(), Some("10.1002/polb.24346"));
    assert_eq!(r.issn, ["0887-6266", "1099-0488"]);
    assert_eq!(r.keywords.len(), 15);
    assert_eq!(&r.keywords[..2], ["annealing", "block copolymers"]);
    // Keywords Plus wrapped over two lines.
    assert!(r.keywords.contains(&"NANOWIRES".to_string()));
    assert_eq!(r.citations, Some(0));
    assert_eq!(r.publisher.as_deref(), Some("WILEY"));
    assert_eq!(r.subjects, ["Polymer Science"]);
    assert_eq!(r.kind, Kind::Article);
    assert!(r.abstract_sections[0]
        .text
        .starts_with("Solvent vapor annealing (SVA) is one route"));
    let r = &p.records[1];
    assert_eq!(r.source.line, 101);
    assert_eq!(r.date.as_deref(), Some("2017-05-15"));
    assert_eq!(
        r.authors[1].affiliations,
        ["Akita Univ, Dept Mat Sci, Akita 0108502, Japan."]
    );
    // "BP 5755", "EP +": the last page is unknown.
    let r = p
        .records
        .iter()
        .find(|r| r.doi.as_deref() == Some("10.1002/adma.201102964"))
        .expect("record 10.1002/adma.201102964");
    assert_eq!(r.pages.as_deref(), Some("5755"));
    let r = &p.records[499];
    assert_eq!(r.source.line, 41021);
    // An article number where there are no pages.
    assert_eq!(r.pages.as_deref(), Some("011011"));
    assert_eq!(r.date.as_deref(), Some("2010-01"));
    assert_eq!(r.doi.as_deref(), Some("10.1117/1.3272597"));
    let reviews = p
        .records
        .iter()
        .filter(|r| r.paper_type.as_deref() == Some("Review"))
        .count();
    assert_eq!(reviews, 4);
    assert_eq!(p.records.iter().filter(|r| r.doi.is_some()).count(), 486);
}

#[test]
fn detection_of_header_less_wos_and_ris_variants() {
    let Some(dir) = corpus() else { return };
    let wos =
        std::fs::read_to_string(dir.join("wos/bit-pattern-savedrecs.txt")).unwrap_or_default();
    let body = wos.trim_start_matches('\u{feff}');
    let without_header: String = body.lines().skip(2).collect::<Vec<_>>().join("\n");
    assert_eq!(formats::detect(&without_header), Some(Format::Wos));
    let ovid = std::fs::read_to_string(dir.join("ris/ovid_psycinfo.ris")).unwrap_or_default();
    assert_eq!(formats::detect(&ovid), Some(Format::Ris));
}

/// Speed on about 100 MB of RIS (_baseline.ris repeated, BOM and CRLF included). Run with
/// `cargo test --release --test corpus_ris_medline_wos -- --ignored --nocapture ris_parse_speed`.
#[test]
#[ignore = "benchmark: run in release with --ignored"]
fn ris_parse_speed() {
    let Some(dir) = corpus() else { return };
    let one = std::fs::read_to_string(dir.join("ris/_baseline.ris")).unwrap_or_default();
    let copies = 100_000_000 / one.len().max(1) + 1;
    let text = one.repeat(copies);
    let mb = text.len() as f64 / 1e6;
    let t = std::time::Instant::now();
    let seq = litbrowse::formats::ris::parse_range(&text, "big.ris", 0);
    let seq_s = t.elapsed().as_secs_f64();
    let t = std::time::Instant::now();
    let par = litbrowse::formats::ris::parse_parallel(&text, "big.ris");
    let par_s = t.elapsed().as_secs_f64();
    eprintln!(
        "{mb:.0} MB, {} records: sequential {seq_s:.2} s ({:.0} MB/s), parallel on {} threads {par_s:.2} s ({:.0} MB/s)",
        seq.records.len(),
        mb / seq_s,
        rayon::current_num_threads(),
        mb / par_s
    );
    assert_eq!(seq.records.len(), 100 * copies);
    assert_eq!(par.records.len(), seq.records.len());
    assert_eq!(par.records.last(), seq.records.last());
    assert!(seq.diagnostics.is_empty() && par.diagnostics.is_empty());
}
