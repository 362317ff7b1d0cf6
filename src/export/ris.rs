//! RIS export: every field RIS can carry, one value per line, read back by our importer and by
//! reference managers (Zotero, EndNote, bibutils' ris2xml).

use crate::record::{clean_text, Kind, Record};
use std::fmt::Write;

pub fn write(records: &[&Record]) -> String {
    let mut out = String::with_capacity(records.len() * 1500);
    for r in records {
        write_record(&mut out, r);
    }
    out
}

fn write_record(out: &mut String, r: &Record) {
    tag(out, "TY", ris_type(r.kind));
    if let Some(t) = &r.title {
        tag(out, "TI", t);
    }
    for a in &r.authors {
        match (&a.family, &a.given) {
            (Some(f), Some(g)) => tag(out, "AU", &format!("{f}, {g}")),
            // The trailing comma keeps "van den Hoven" a family name when read back.
            (Some(f), None) => tag(out, "AU", &format!("{f},")),
            _ => tag(out, "AU", &a.name),
        }
    }
    if let Some(y) = r.year {
        tag(out, "PY", &y.to_string());
    }
    if let Some(d) = r.date.as_deref().filter(|d| d.len() > 4) {
        tag(out, "DA", &d.replace('-', "/"));
    }
    if let Some(c) = &r.container {
        // JO is what ris2xml and EndNote read as the journal; T2 is the book or proceedings.
        tag(out, if r.kind == Kind::Article { "JO" } else { "T2" }, c);
    }
    if let Some(v) = &r.volume {
        tag(out, "VL", v);
    }
    if let Some(i) = &r.issue {
        tag(out, "IS", i);
    }
    if let Some(p) = &r.pages {
        match p.split_once('-') {
            Some((sp, ep)) => {
                tag(out, "SP", sp);
                tag(out, "EP", ep);
            }
            None => tag(out, "SP", p),
        }
    }
    if let Some(d) = &r.doi {
        tag(out, "DO", d);
    }
    for s in r.issn.iter().chain(&r.isbn) {
        tag(out, "SN", s);
    }
    for k in &r.keywords {
        tag(out, "KW", k);
    }
    if !r.abstract_sections.is_empty() {
        tag(out, "AB", &abstract_text(r));
    }
    // AD belongs to the record in RIS; an address of an author other than the first is
    // written "Family, Given: address" (as Ovid does), which our importer reads back.
    let mut addresses: Vec<&str> = Vec::new();
    for (i, a) in r.authors.iter().enumerate() {
        for address in &a.affiliations {
            if addresses.contains(&address.as_str()) {
                continue;
            }
            addresses.push(address);
            match (&a.family, &a.given) {
                _ if i == 0 => tag(out, "AD", address),
                (Some(f), Some(g)) => tag(out, "AD", &format!("{f}, {g}: {address}")),
                (Some(f), None) => tag(out, "AD", &format!("{f}: {address}")),
                _ => tag(out, "AD", &format!("{}: {address}", a.name)),
            }
        }
    }
    if let Some(u) = &r.url {
        tag(out, "UR", u);
    }
    if let Some(p) = &r.publisher {
        tag(out, "PB", p);
    }
    if let Some(l) = &r.language {
        tag(out, "LA", l);
    }
    if let Some(c) = r.citations {
        tag(out, "N1", &format!("Cited By: {c}"));
    }
    out.push_str("ER  - \n\n");
}

/// One "XX  - value" line; the value on a single line, without control characters.
fn tag(out: &mut String, name: &str, value: &str) {
    let value = clean_text(value);
    if value.is_empty() {
        return;
    }
    let _ = writeln!(out, "{name}  - {value}");
}

fn ris_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Article => "JOUR",
        Kind::Chapter => "CHAP",
        Kind::Book => "BOOK",
        Kind::Conference => "CPAPER",
        Kind::Report => "RPRT",
        Kind::Thesis => "THES",
        Kind::Other => "GEN",
    }
}

/// Sections as "LABEL: text": capitals, which our splitter (and PubMed's readers) take as a
/// heading wherever it stands, so the sections survive a round trip.
fn abstract_text(r: &Record) -> String {
    let mut out = String::new();
    for s in &r.abstract_sections {
        if !out.is_empty() {
            out.push(' ');
        }
        if let Some(l) = &s.label {
            out.push_str(&l.to_uppercase());
            out.push_str(": ");
        }
        out.push_str(&s.text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::ris;
    use crate::record::{Author, Section, Source};

    fn sample() -> Record {
        let mut r = Record::new(Source::default());
        r.kind = Kind::Article;
        r.title = Some("A title\nacross lines".into());
        r.authors = vec![
            Author::from_parts("Ley", "Ann"),
            Author {
                name: "WHO Group".into(),
                ..Author::default()
            },
        ];
        r.authors[0].affiliations = vec!["Univ X".into()];
        r.authors.push(Author::from_parts("van den Berg", ""));
        r.authors[2].affiliations = vec!["Univ X".into(), "Delft".into()];
        r.year = Some(2012);
        r.date = Some("2012-06-15".into());
        r.container = Some("Journal".into());
        r.volume = Some("3".into());
        r.issue = Some("2".into());
        r.pages = Some("349-356".into());
        r.doi = Some("10.1/abc".into());
        r.issn = vec!["1747-938X".into()];
        r.isbn = vec!["9783030581671".into()];
        r.keywords = vec!["one".into(), "two; three".into()];
        r.abstract_sections = vec![
            Section {
                label: None,
                text: "Lead text without a stop".into(),
            },
            Section {
                label: Some("Background".into()),
                text: "Why.".into(),
            },
            Section {
                label: Some("Design/methodology/approach".into()),
                text: "How".into(),
            },
            Section {
                label: Some("Results".into()),
                text: "What.".into(),
            },
        ];
        r.url = Some("https://x.org".into());
        r.publisher = Some("Pub".into());
        r.language = Some("eng".into());
        r.citations = Some(4);
        r
    }

    #[test]
    fn writes_every_field_on_single_lines() {
        let text = write(&[&sample()]);
        let expected = "TY  - JOUR\nTI  - A title across lines\nAU  - Ley, Ann\nAU  - WHO Group\nAU  - van den Berg,\nPY  - 2012\nDA  - 2012/06/15\nJO  - Journal\nVL  - 3\nIS  - 2\nSP  - 349\nEP  - 356\nDO  - 10.1/abc\nSN  - 1747-938X\nSN  - 9783030581671\nKW  - one\nKW  - two; three\nAB  - Lead text without a stop BACKGROUND: Why. DESIGN/METHODOLOGY/APPROACH: How RESULTS: What.\nAD  - Univ X\nAD  - van den Berg: Delft\nUR  - https://x.org\nPB  - Pub\nLA  - eng\nN1  - Cited By: 4\nER  - \n\n";
        assert_eq!(text, expected);
    }

    #[test]
    fn round_trip_through_the_importer() {
        let r = sample();
        let back = ris::parse(&write(&[&r]), "t.ris");
        assert!(back.diagnostics.is_empty(), "{:?}", back.diagnostics);
        let b = &back.records[0];
        assert_eq!(b.title.as_deref(), Some("A title across lines"));
        assert_eq!(b.authors[0], r.authors[0]);
        assert_eq!(b.authors[1].name, "WHO Group");
        assert_eq!(b.authors[2].family.as_deref(), Some("van den Berg"));
        assert_eq!(b.authors[2].affiliations, ["Delft"]);
        assert_eq!(b.date, r.date);
        assert_eq!(b.year, r.year);
        assert_eq!(b.container, r.container);
        assert_eq!(b.pages, r.pages);
        assert_eq!(b.doi, r.doi);
        assert_eq!(b.issn, r.issn);
        assert_eq!(b.isbn, r.isbn);
        assert_eq!(b.keywords, r.keywords);
        assert_eq!(b.abstract_sections, r.abstract_sections);
        assert_eq!(b.citations, r.citations);
        assert_eq!(b.kind, r.kind);
    }
}
