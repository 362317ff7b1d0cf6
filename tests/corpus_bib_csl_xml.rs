//! The BibTeX, CSL-JSON, PubMed XML and EndNote XML files of the real corpus: record counts
//! from SOURCES.md, and real values read from the files, field by field.

use litbrowse::diagnostic::Severity;
use litbrowse::formats::{self, Format, Parsed};
use litbrowse::record::{Kind, Record};

mod corpus_dir;
use corpus_dir::corpus;

fn read(dir: &std::path::Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).expect("corpus file is readable")
}

/// Detects and parses; a good file gives no diagnostics at all.
fn load_clean(dir: &std::path::Path, file: &str, expected: Format) -> Vec<Record> {
    let text = read(dir, file);
    assert_eq!(formats::detect(&text), Some(expected), "{file}");
    let Parsed {
        records,
        diagnostics,
    } = expected.parse(&text, file);
    assert!(
        diagnostics.iter().all(|d| d.severity != Severity::Error),
        "{file}: {diagnostics:?}"
    );
    assert!(diagnostics.is_empty(), "{file}: {diagnostics:?}");
    records
}

fn at_line(records: &[Record], line: usize) -> &Record {
    records
        .iter()
        .find(|r| r.source.line == line)
        .unwrap_or_else(|| panic!("no record starts at line {line}"))
}

fn names(r: &Record) -> Vec<&str> {
    r.authors.iter().map(|a| a.name.as_str()).collect()
}

#[test]
fn biblatex_examples_bib() {
    let Some(dir) = corpus() else { return };
    let records = load_clean(&dir, "bibtex/biblatex-examples.bib", Format::Bibtex);
    // 100 '@' items minus 8 @string macros; the two @set entries count (they have no title).
    assert_eq!(records.len(), 92);
    assert_eq!(records.iter().filter(|r| r.title.is_none()).count(), 2);

    let aksin = at_line(&records, 37);
    assert_eq!(aksin.kind, Kind::Article);
    assert_eq!(
        aksin.title.as_deref(),
        Some("Effect of immobilization on catalytic characteristics of saturated Pd-N-heterocyclic carbenes in Mizoroki-Heck reactions")
    );
    assert_eq!(
        names(aksin),
        vec![
            "Özge Aksın",
            "Hayati Türkmen",
            "Levent Artok",
            "Bekir Çetinkaya",
            "Chaoying Ni",
            "Orhan Büyükgüngör",
            "Erhan Özkal"
        ]
    );
    // journaltitle = jomch, an @string macro
    assert_eq!(aksin.container.as_deref(), Some("J. Organomet. Chem."));
    assert_eq!(aksin.year, Some(2006));
    assert_eq!(aksin.volume.as_deref(), Some("691"));
    assert_eq!(aksin.issue.as_deref(), Some("13"));
    assert_eq!(aksin.pages.as_deref(), Some("3027-3036"));

    let kastenholz = at_line(&records, 172);
    assert_eq!(kastenholz.doi.as_deref(), Some("10.1063/1.2172593"));
    assert_eq!(
        kastenholz.title.as_deref(),
        Some("Computation of methodology-independent ionic solvation free energies from molecular simulations: I. The electrostatic potential in molecular liquids")
    );
    assert_eq!(
        names(kastenholz),
        vec!["M. A. Kastenholz", "Philippe H. Hünenberger"]
    );
    assert!(kastenholz.abstract_text().starts_with(
        "The computation of ionic solvation free energies from atomistic simulations is a surprisingly difficult problem"
    ));
    assert!(kastenholz
        .abstract_text()
        .ends_with("(and inside cavities within them)."));

    let sigfridsson = at_line(&records, 282);
    assert_eq!(
        sigfridsson.doi.as_deref(),
        Some("10.1002/(SICI)1096-987X(199803)19:4<377::AID-JCC1>3.0.CO;2-P")
    );

    // crossref = westfahl:frontier: booktitle, publisher and year come from the collection.
    let westfahl = at_line(&records, 10);
    assert_eq!(westfahl.kind, Kind::Chapter);
    assert_eq!(westfahl.container.as_deref(), Some("Space and Beyond"));
    assert_eq!(westfahl.publisher.as_deref(), Some("Greenwood"));
    assert_eq!(westfahl.year, Some(2000));
    assert_eq!(westfahl.pages.as_deref(), Some("55-65"));

    let anima = at_line(&records, 370);
    assert_eq!(anima.keywords, vec!["primary"]);
    assert_eq!(
        anima.publisher.as_deref(),
        Some("Cambridge University Press")
    );
    assert_eq!(names(at_line(&records, 825)), vec!["Bronisław Malinowski"]);
}

#[test]
fn typeset_bib() {
    let Some(dir) = corpus() else { return };
    let records = load_clean(&dir, "bibtex/typeset.bib", Format::Bibtex);
    // SOURCES.md: 899 entries. Of its "246 @string macros", 245 are @String entries; the
    // 246th "String{" is "<at>String{} abbreviations" inside the '%' header comment.
    assert_eq!(records.len(), 899);
    assert_eq!(
        records[0].title.as_deref().map(|t| &t[..20]),
        Some("How books are made: ")
    );

    let hart = at_line(&records, 696);
    assert_eq!(hart.kind, Kind::Book);
    assert_eq!(hart.title.as_deref(), Some("The amateur printer; or, typesetting at home. A complete instructor for the amateur in all the details of the printer's art. With explanatory engravings"));
    assert_eq!(hart.publisher.as_deref(), Some("Dick & Fitzgerald"));
    assert_eq!(hart.keywords, vec!["Printing, Practical", "Type-setting."]);
    assert_eq!(hart.pages.as_deref(), Some("4 + ii + 5-44 + 28"));

    // publisher = pub-INT-TEXTBOOK and address = pub-INT-TEXTBOOK:adr (':' in the name)
    let ics = at_line(&records, 765);
    assert_eq!(ics.publisher.as_deref(), Some("International Textbook Co."));
    assert_eq!(names(ics), vec!["International Correspondence Schools"]);

    let goudsmit = at_line(&records, 1334);
    assert_eq!(goudsmit.title.as_deref(), Some("Editorial"));
    assert_eq!(
        names(goudsmit),
        vec![
            "S. A. Goudsmit",
            "E. der Mateosian",
            "M. McKeown",
            "S. Pasternack"
        ]
    );
    assert_eq!(goudsmit.authors[1].family.as_deref(), Some("der Mateosian"));
    assert_eq!(
        goudsmit.container.as_deref(),
        Some("Physical Review Letters")
    );
    assert_eq!(goudsmit.date.as_deref(), Some("1958-09-15"));
    assert_eq!(goudsmit.doi.as_deref(), Some("10.1103/physrevlett.1.197"));
    assert_eq!(goudsmit.issn, vec!["0031-9007", "1079-7114", "1092-0145"]);

    let zapf = at_line(&records, 2805);
    assert_eq!(names(zapf), vec!["Hermann Zapf", "Gertraude Benöhr"]);
    assert!(zapf.title.as_deref().unwrap_or("").starts_with(
        "Manuale typographicum: 100 typographische Gestaltungen mit Aussagen über die Schrift, über Typographie"
    ));

    // crossref to a @Proceedings entry 20,000 lines further down
    let kernighan = at_line(&records, 5590);
    assert_eq!(kernighan.kind, Kind::Conference);
    assert_eq!(
        kernighan.title.as_deref(),
        Some("PIC: a language for typesetting graphics")
    );
    assert_eq!(kernighan.container.as_deref(), Some("Proceedings of the ACM SIGPLAN SIGOA Symposium on Text Manipulation, Portland, Oregon, June 8–10, 1981"));
    assert_eq!(kernighan.publisher.as_deref(), Some("ACM Press"));
    assert_eq!(kernighan.date.as_deref(), Some("1981-06"));

    let vacha = at_line(&records, 17793);
    assert_eq!(
        vacha.title.as_deref(),
        Some("TeX for typesetting in a publishing house")
    );
    assert_eq!(vacha.authors[0].family.as_deref(), Some("Vácha"));

    let runoff = at_line(&records, 1491);
    assert_eq!(runoff.kind, Kind::Report);
    assert_eq!(
        runoff.title.as_deref(),
        Some("RUNOFF: A Program for the Preparation of Documents")
    );
    assert!(runoff.abstract_text().starts_with(
        "The command TYPSET is used to create and edit 12-bit BCD line-marked files."
    ));

    let normung = at_line(&records, 20198);
    assert_eq!(names(normung), vec!["Deutsches Institut für Normung"]);

    // No LaTeX left in titles, names or containers.
    for r in &records {
        let mut texts: Vec<&str> = r.authors.iter().map(|a| a.name.as_str()).collect();
        texts.extend(r.title.as_deref());
        texts.extend(r.container.as_deref());
        for t in texts {
            assert!(!t.contains(['\\', '{', '}']), "line {}: {t}", r.source.line);
        }
    }
    // 5 entries have "19xx"/"20xx" years (the header's own tally); all others have a year.
    assert_eq!(records.iter().filter(|r| r.year.is_none()).count(), 5);
}

/// The `biblatex` crate was the first choice; it cannot read the real typeset.bib, which is
/// why src/formats/bibtex.rs has its own parser.
#[test]
fn biblatex_crate_rejects_typeset_bib() {
    let Some(dir) = corpus() else { return };
    let text = read(&dir, "bibtex/typeset.bib");
    // 1. The @Preamble (TeX code with '#' inside a quoted string) stops it at line 168.
    let err = biblatex::Bibliography::parse(&text).expect_err("the crate fails here");
    let line = 1 + text[..err.span.start].matches('\n').count();
    assert_eq!(line, 168);
    // 2. Without the preamble, the undefined macro "ack-bnb" (in an acknowledgement field,
    //    which BibTeX only warns about) rejects the whole file, so no entry loads at all.
    let start = text.find("@Preamble").expect("preamble");
    let end = text.find("%%% Acknowledgement").expect("after preamble");
    let without = format!("{}{}", &text[..start], &text[end..]);
    let err = biblatex::Bibliography::parse(&without).expect_err("the crate fails here too");
    assert!(
        format!("{:?}", err.kind).contains("ack-bnb"),
        "{:?}",
        err.kind
    );
    // Ours reads every entry of the same file.
    assert_eq!(
        Format::Bibtex.parse(&text, "typeset.bib").records.len(),
        899
    );
}

#[test]
fn zotero_csl_json() {
    let Some(dir) = corpus() else { return };
    let records = load_clean(&dir, "csl-json/zotero-export.json", Format::CslJson);
    assert_eq!(records.len(), 3);
    assert_eq!(
        records.iter().map(|r| r.source.line).collect::<Vec<_>>(),
        vec![2, 36, 82]
    );

    let blog = &records[0];
    assert_eq!(blog.kind, Kind::Other); // "post-weblog"
    assert_eq!(
        blog.title.as_deref(),
        Some("New optical device could help solar arrays focus light, even under clouds")
    );
    assert_eq!(blog.date.as_deref(), Some("2022-06-27"));
    assert_eq!(blog.container.as_deref(), Some("Stanford News"));

    let optics = &records[1];
    assert_eq!(optics.kind, Kind::Article);
    assert_eq!(
        optics.title.as_deref(),
        Some("3D printed optics with nanometer scale surface roughness")
    );
    assert_eq!(names(optics), vec!["Nina Vaidya", "Olav Solgaard"]);
    assert_eq!(optics.date.as_deref(), Some("2018-07-16"));
    assert_eq!(optics.year, Some(2018));
    assert_eq!(
        optics.container.as_deref(),
        Some("Microsystems & Nanoengineering")
    );
    assert_eq!(optics.volume.as_deref(), Some("4"));
    assert_eq!(optics.issue.as_deref(), Some("1"));
    assert_eq!(optics.pages.as_deref(), Some("1-8"));
    assert_eq!(optics.doi.as_deref(), Some("10.1038/s41378-018-0015-4"));
    assert_eq!(optics.issn, vec!["2055-7434"]);
    assert_eq!(optics.language.as_deref(), Some("en"));
    assert!(optics
        .abstract_text()
        .starts_with("Complex optical devices including aspherical focusing mirrors"));

    // Only "accessed" is given: that is not a publication date.
    let pdf = &records[2];
    assert_eq!(
        pdf.title.as_deref(),
        Some("ee412_finalreport-gradedindex.pdf")
    );
    assert_eq!(pdf.year, None);
}

#[test]
fn pubmed_xml() {
    let Some(dir) = corpus() else { return };
    let records = load_clean(&dir, "pubmed-xml/easyPubMedvig.xml", Format::PubmedXml);
    assert_eq!(records.len(), 6);

    let first = &records[0];
    assert_eq!(first.source.line, 3);
    assert_eq!(first.pmid.as_deref(), Some("30446446"));
    assert_eq!(
        first.title.as_deref(),
        Some("Molecular footprints of muscle-invasive bladder cancer in smoking and nonsmoking patients.")
    );
    assert_eq!(
        names(first),
        vec!["Damiano Fantini", "Roland Seiler", "Joshua J Meeks"]
    );
    assert_eq!(
        first.authors[1].affiliations,
        vec!["Department of Urology, University Hospital Bern, Bern, Switzerland."]
    );
    assert_eq!(first.container.as_deref(), Some("Urologic oncology"));
    assert_eq!(first.volume.as_deref(), Some("37"));
    assert_eq!(first.issue.as_deref(), Some("11"));
    assert_eq!(first.date.as_deref(), Some("2019-11"));
    assert_eq!(first.pages.as_deref(), Some("818-825"));
    assert_eq!(first.doi.as_deref(), Some("10.1016/j.urolonc.2018.09.017"));
    assert_eq!(first.issn, vec!["1873-2496", "1078-1439"]);
    let labels: Vec<_> = first
        .abstract_sections
        .iter()
        .map(|s| s.label.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(
        labels,
        vec!["Background", "Methods", "Results", "Conclusion"]
    );
    assert!(first
        .findings()
        .unwrap_or("")
        .starts_with("We detected a limited set of gene expression and gene mutation differences"));
    assert_eq!(first.keywords[0], "APOBEC mutagenesis");
    assert_eq!(first.keywords.len(), 6);
    assert_eq!(first.subjects[0], "APOBEC Deaminases");
    assert!(first
        .subjects
        .contains(&"Urinary Bladder Neoplasms".to_string()));
    assert_eq!(first.paper_type.as_deref(), Some("Journal Article"));
    assert_eq!(first.language.as_deref(), Some("eng"));

    let second = &records[1];
    assert_eq!(second.date.as_deref(), Some("2019-09")); // <Month>Sep</Month>
    assert_eq!(
        second.paper_type.as_deref(),
        Some("Journal Article; Review")
    );
    assert_eq!(second.abstract_sections.len(), 1);
    assert_eq!(second.abstract_sections[0].label, None);

    // Inline <i> markup kept as text; entities decoded.
    let apobec = records
        .iter()
        .find(|r| r.abstract_text().contains("TCW>T/G"))
        .expect("the APOBEC abstract");
    let text = apobec.abstract_text();
    assert!(text.contains("The Cancer Genome Atlas (n = 395), Beijing Genomics Institute (n = 99)"));
    assert!(text.contains("(TP53, ATR, BRCA2)"));
    assert!(text.contains("\"APOBEC-high\""));
}

#[test]
fn endnote_xml() {
    let Some(dir) = corpus() else { return };
    let records = load_clean(&dir, "endnote-xml/endnote.xml", Format::EndnoteXml);
    assert_eq!(records.len(), 2);
    let r = &records[0];
    assert_eq!(r.kind, Kind::Article);
    assert_eq!(r.source.line, 1);
    assert_eq!(
        r.title.as_deref(),
        Some("An ecological basis for reforestation of submariginal lands in the Central Hardwood Region")
    );
    assert_eq!(names(r), vec!["A. G. Chapman"]);
    assert_eq!(
        r.authors[0].affiliations,
        vec!["Cent States Forest Expt Stn, Columbus, OH USA"]
    );
    assert_eq!(r.container.as_deref(), Some("Ecology"));
    assert_eq!(r.volume.as_deref(), Some("18"));
    assert_eq!(r.issue.as_deref(), Some("1"));
    assert_eq!(r.pages.as_deref(), Some("93-105"));
    assert_eq!(r.date.as_deref(), Some("1937-01"));
    assert_eq!(r.issn, vec!["0012-9658"]);
    assert_eq!(r.language.as_deref(), Some("English"));
    // "<Go to ISI>://000200148800007" is no web address.
    assert_eq!(r.url, None);

    let s = &records[1];
    assert_eq!(s.source.line, 32);
    assert_eq!(
        s.title.as_deref(),
        Some("A survey of soil temperatures in the Chicago area")
    );
    assert_eq!(names(s), vec!["H. F. Strohecker"]);
    assert_eq!(s.pages.as_deref(), Some("162-168"));
}

#[test]
fn typeset_bib_parse_speed() {
    let Some(dir) = corpus() else { return };
    let text = read(&dir, "bibtex/typeset.bib");
    let start = std::time::Instant::now();
    let parsed = Format::Bibtex.parse(&text, "typeset.bib");
    let took = start.elapsed();
    eprintln!(
        "typeset.bib: {} entries, {} bytes in {took:?}",
        parsed.records.len(),
        text.len()
    );
    assert_eq!(parsed.records.len(), 899);
}

/// Every file cut at many points: the parsers never panic, keep the records before the cut,
/// and report the cut record with a line number.
#[test]
fn truncated_corpus_files_never_panic() {
    let Some(dir) = corpus() else { return };
    let files = [
        ("bibtex/biblatex-examples.bib", Format::Bibtex, 40),
        ("bibtex/typeset.bib", Format::Bibtex, 12),
        ("csl-json/zotero-export.json", Format::CslJson, 40),
        ("pubmed-xml/easyPubMedvig.xml", Format::PubmedXml, 40),
        ("endnote-xml/endnote.xml", Format::EndnoteXml, 40),
    ];
    for (file, format, cuts) in files {
        let text = read(&dir, file);
        let full = format.parse(&text, file).records.len();
        for n in 1..cuts {
            let mut at = text.len() * n / cuts;
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let parsed = format.parse(&text[..at], file);
            assert!(parsed.records.len() <= full, "{file} cut at {at}");
            let lines = text[..at].matches('\n').count() + 1;
            for d in &parsed.diagnostics {
                assert!(d.line >= 1 && d.line <= lines, "{file} cut at {at}: {d}");
            }
        }
    }
}
