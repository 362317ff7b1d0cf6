//! EndNote XML (xml/records/record). Values are often wrapped in `<style>` elements; the
//! element tree's text ignores that markup.

use super::pubmed_xml::{read_records, Element};
use super::{bibtex::split_keywords, sections, Format, Parsed};
use crate::library;
use crate::record::{bare_doi, month_number, normalize_pages, Author, Kind, Record};

pub fn parse(text: &str, path: &str) -> Parsed {
    let (elements, diagnostics) = read_records(text, "record", path);
    let records = elements.iter().map(|e| to_record(e, path)).collect();
    Parsed {
        records,
        diagnostics,
    }
}

fn kind_of(ref_type: &str) -> Kind {
    match ref_type.to_ascii_lowercase().as_str() {
        "journal article" | "magazine article" | "newspaper article" | "electronic article" => {
            Kind::Article
        }
        "book section" | "electronic book section" | "encyclopedia" | "dictionary" => Kind::Chapter,
        "book" | "edited book" | "electronic book" => Kind::Book,
        "conference proceedings" | "conference paper" => Kind::Conference,
        "report" | "government document" => Kind::Report,
        "thesis" => Kind::Thesis,
        _ => Kind::Other,
    }
}

fn to_record(rec: &Element, path: &str) -> Record {
    let mut r = Record::new(library::source(path, Format::EndnoteXml, rec.line));
    let kind_name = rec
        .child("ref-type")
        .and_then(|t| t.attr("name"))
        .unwrap_or("");
    r.kind = kind_of(kind_name);
    r.title = rec.text_at(&["titles", "title"]);
    let people = |role: &str| -> Vec<Author> {
        rec.at(&["contributors", role])
            .map(|l| {
                l.children_named("author")
                    .map(|a| Author::parse(&a.text()))
                    .filter(|a| !a.name.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    };
    r.authors = people("authors");
    if r.authors.is_empty() {
        r.authors = people("secondary-authors");
    }
    // The auth-address list belongs to the first author when there is one address only.
    let addresses: Vec<String> = rec
        .children_named("auth-address")
        .map(Element::text)
        .filter(|a| !a.is_empty())
        .collect();
    if let (Some(first), [addr]) = (r.authors.first_mut(), addresses.as_slice()) {
        first.affiliations.push(addr.clone());
    }
    r.container = rec
        .text_at(&["titles", "secondary-title"])
        .or_else(|| rec.text_at(&["periodical", "full-title"]))
        .or_else(|| rec.text_at(&["periodical", "abbr-1"]));
    r.volume = rec.text_at(&["volume"]);
    r.issue = rec.text_at(&["number"]).or_else(|| rec.text_at(&["issue"]));
    r.pages = rec.text_at(&["pages"]).and_then(|p| normalize_pages(&p));
    let year = rec
        .text_at(&["dates", "year"])
        .filter(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()));
    let month = rec
        .text_at(&["dates", "pub-dates", "date"])
        .and_then(|d| month_number(&d));
    r.date = match (year, month) {
        (Some(y), Some(m)) => Some(format!("{y}-{m:02}")),
        (Some(y), None) => Some(y),
        _ => None,
    };
    r.fill_year_from_date();
    r.doi = rec
        .text_at(&["electronic-resource-num"])
        .and_then(|d| bare_doi(&d));
    // EndNote keeps both ISSN and ISBN in <isbn>; an 8-character value is an ISSN.
    for id in rec
        .text_at(&["isbn"])
        .unwrap_or_default()
        .split([',', ';', ' ', '\r'])
        .filter(|s| !s.is_empty())
    {
        let digits = id.chars().filter(char::is_ascii_alphanumeric).count();
        if digits == 8 {
            r.issn.push(id.to_string());
        } else {
            r.isbn.push(id.to_string());
        }
    }
    r.keywords = rec
        .child("keywords")
        .map(|k| {
            k.children_named("keyword")
                .flat_map(|w| split_keywords(&w.text()))
                .collect()
        })
        .unwrap_or_default();
    r.abstract_sections = rec
        .text_at(&["abstract"])
        .map(|a| sections::split(&a))
        .unwrap_or_default();
    r.publisher = rec.text_at(&["publisher"]);
    r.url = rec
        .at(&["urls", "related-urls"])
        .and_then(|u| u.child("url"))
        .map(Element::text)
        // "<Go to ISI>://..." (Web of Science links) is not an address a browser opens.
        .filter(|u| u.starts_with("http://") || u.starts_with("https://") || u.starts_with("www."));
    r.language = rec.text_at(&["language"]);
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styled_fields_and_kinds() {
        let text = r#"<?xml version="1.0"?><xml><records>
<record><ref-type name="Book Section">5</ref-type><contributors><authors><author><style face="normal">Doe,
J.</style></author><author>Roe, R.</author></authors></contributors>
<titles><title><style>A <style face="italic">styled</style> title</style></title><secondary-title>The Book</secondary-title></titles>
<pages>5-9</pages><dates><year>2001</year><pub-dates><date>Mar</date></pub-dates></dates>
<electronic-resource-num>10.1/x</electronic-resource-num><isbn>0012-9658</isbn>
<keywords><keyword>one</keyword><keyword>two</keyword></keywords><abstract>Text.</abstract></record>
</records></xml>"#;
        let p = parse(text, "t.xml");
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let r = &p.records[0];
        assert_eq!(r.source.line, 2);
        assert_eq!(r.kind, Kind::Chapter);
        assert_eq!(r.authors[0].name, "J. Doe");
        assert_eq!(r.title.as_deref(), Some("A styled title"));
        assert_eq!(r.container.as_deref(), Some("The Book"));
        assert_eq!(r.date.as_deref(), Some("2001-03"));
        assert_eq!(r.doi.as_deref(), Some("10.1/x"));
        assert_eq!(r.issn, vec!["0012-9658"]);
        assert_eq!(r.keywords, vec!["one", "two"]);
    }

    #[test]
    fn broken_record_is_reported_and_the_next_loads() {
        let text = "<xml><records>\n<record><titles><title>One</titles></record>\n<record><titles><title>Two</title></titles></record>\n</records></xml>";
        let p = parse(text, "t.xml");
        assert_eq!(p.records.len(), 1);
        assert_eq!(p.records[0].title.as_deref(), Some("Two"));
        assert_eq!(p.records[0].source.line, 3);
        assert_eq!(p.diagnostics.len(), 1, "{:?}", p.diagnostics);
        assert_eq!(p.diagnostics[0].line, 2);
    }
}
