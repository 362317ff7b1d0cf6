//! PubMed MEDLINE text (.nbib): "PMID- 12230038", a four-character tag column, "- ", the value;
//! continuation lines indented by six spaces; records separated by blank lines.
//!
//! Hand-written rather than the `biblib` crate: biblib keeps "(Print)" inside ISSNs, drops
//! AD affiliations and gives no line numbers; see `biblib_failure_issn_and_affiliations`.

use super::{sections, Format, Parsed};
use crate::diagnostic::Diagnostic;
use crate::library;
use crate::record::{bare_doi, clean_text, month_number, Author, Kind, Record};

use std::borrow::Cow;

use super::ris::{add_identifiers, expand_pages, format_date, parse_name};

/// One tag and its value with continuation lines joined by a space; borrowed from the input
/// unless it continues on more lines.
struct Field<'a> {
    tag: &'a str,
    value: Cow<'a, str>,
}

pub fn parse(text: &str, path: &str) -> Parsed {
    let mut out = Parsed::default();
    let mut fields: Vec<Field> = Vec::new();
    let mut start = 0usize;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.strip_prefix('\u{feff}').unwrap_or(raw);
        if line.trim().is_empty() {
            if !fields.is_empty() {
                finish(&fields, path, start, &mut out);
                fields.clear();
            }
            continue;
        }
        if let Some((tag, value)) = tag_line(line) {
            if tag == "PMID" && !fields.is_empty() {
                finish(&fields, path, start, &mut out);
                fields.clear();
            }
            if fields.is_empty() {
                start = line_no;
            }
            fields.push(Field {
                tag,
                value: Cow::Borrowed(value.trim()),
            });
        } else if line.starts_with(' ') {
            match fields.last_mut() {
                Some(f) => {
                    let value = f.value.to_mut();
                    value.push(' ');
                    value.push_str(line.trim());
                }
                None => out.diagnostics.push(Diagnostic::warning(
                    path,
                    line_no,
                    "an indented line outside any record was skipped",
                )),
            }
        } else {
            let shown: String = clean_text(line).chars().take(40).collect();
            out.diagnostics.push(Diagnostic::warning(
                path,
                line_no,
                format!("not a MEDLINE line (expected \"TAG - value\"), skipped: \"{shown}\""),
            ));
        }
    }
    if !fields.is_empty() {
        finish(&fields, path, start, &mut out);
    }
    if out.records.is_empty() {
        out.diagnostics.push(Diagnostic::error(
            path,
            0,
            "no MEDLINE records found (a record begins with a line \"PMID- \")",
        ));
    }
    out
}

/// "PMID- 123", "AU  - Name", "FAU - Name": up to four tag characters, padding, "- ".
fn tag_line(line: &str) -> Option<(&str, &str)> {
    let head = line.get(..4)?;
    let tag = head.trim_end();
    let b = line.as_bytes();
    if tag.is_empty()
        || !tag
            .bytes()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        || b.get(4) != Some(&b'-')
    {
        return None;
    }
    match b.get(5) {
        None => Some((tag, "")),
        Some(b' ') => Some((tag, line.get(6..).unwrap_or(""))),
        Some(_) => None,
    }
}

fn finish(fields: &[Field], path: &str, start: usize, out: &mut Parsed) {
    let mut r = Record::new(library::source(path, Format::Medline, start));
    r.kind = Kind::Article;
    let mut title_book: Option<String> = None;
    let mut ta: Option<String> = None;
    let mut jt: Option<String> = None;
    let mut doi_lid: Option<String> = None;
    let mut paper_types: Vec<String> = Vec::new();
    // FAU then AU describe one author; an AU alone is an author too.
    let mut after_fau = false;
    let mut pending_affiliations: Vec<String> = Vec::new();
    for f in fields {
        let v = &*f.value;
        match f.tag {
            "PMID" => set(&mut r.pmid, v),
            "TI" => set(&mut r.title, v),
            "BTI" => set(&mut title_book, v),
            "AB" if r.abstract_sections.is_empty() => r.abstract_sections = sections::split(v),
            "FAU" => {
                push_author(&mut r.authors, parse_name(v), &mut pending_affiliations);
                after_fau = true;
            }
            "AU" => {
                if !after_fau && !v.trim().is_empty() {
                    push_author(&mut r.authors, parse_name(v), &mut pending_affiliations);
                }
                after_fau = false;
            }
            "CN" => {
                let name = clean_text(v);
                if !name.is_empty() {
                    let a = Author {
                        name,
                        ..Author::default()
                    };
                    push_author(&mut r.authors, a, &mut pending_affiliations);
                }
                after_fau = false;
            }
            "AD" => {
                let a = clean_text(v);
                if a.is_empty() {
                    continue;
                }
                match r.authors.last_mut() {
                    Some(author) if !author.affiliations.contains(&a) => {
                        author.affiliations.push(a)
                    }
                    Some(_) => {}
                    // Older records give the first author's address before the authors.
                    None => pending_affiliations.push(a),
                }
            }
            "DP" => {
                if let Some((y, m, d)) = parse_dp(v) {
                    r.year = Some(y);
                    r.date = Some(format_date(y, m, d));
                } else if !v.trim().is_empty() {
                    out.diagnostics.push(Diagnostic::warning(
                        path,
                        start,
                        format!(
                            "cannot read the publication date \"DP  - {}\"; the year is left empty",
                            clean_text(v).chars().take(40).collect::<String>()
                        ),
                    ));
                }
            }
            "TA" => set(&mut ta, v),
            "JT" => set(&mut jt, v),
            "VI" => set(&mut r.volume, v),
            "IP" => set(&mut r.issue, v),
            "PG" if r.pages.is_none() => {
                r.pages = crate::record::normalize_pages(v).map(|p| expand_pages(&p));
            }
            "AID" | "LID" => {
                if let Some(doi) = v.strip_suffix("[doi]").and_then(bare_doi) {
                    if f.tag == "AID" {
                        r.doi.get_or_insert(doi);
                    } else {
                        doi_lid.get_or_insert(doi);
                    }
                }
            }
            "IS" => add_identifiers(v, &mut r.issn, &mut r.isbn),
            "ISBN" => add_identifiers(v, &mut r.issn, &mut r.isbn),
            "MH" | "OT" => {
                let k = clean_text(&v.replace('*', ""));
                if !k.is_empty() && !r.keywords.contains(&k) {
                    r.keywords.push(k);
                }
            }
            "PT" => {
                let t = clean_text(v);
                if !t.is_empty() && !paper_types.contains(&t) {
                    paper_types.push(t);
                }
            }
            "LA" => set(&mut r.language, v),
            "PB" => set(&mut r.publisher, v),
            _ => {}
        }
        // Only the AU right after its FAU (and its AD/AUID lines) repeats it.
        if !matches!(f.tag, "FAU" | "AU" | "AD" | "AUID") {
            after_fau = false;
        }
    }
    if r.title.is_none() && title_book.is_some() {
        r.title = title_book;
        r.kind = Kind::Book;
    }
    if paper_types
        .iter()
        .any(|t| t.eq_ignore_ascii_case("Book Chapter"))
    {
        r.kind = Kind::Chapter;
    }
    r.doi = r.doi.or(doi_lid);
    r.container = jt.or(ta);
    if !paper_types.is_empty() {
        r.paper_type = Some(paper_types.join("; "));
    }
    if let (Some(a), false) = (r.authors.first_mut(), pending_affiliations.is_empty()) {
        a.affiliations.append(&mut pending_affiliations);
    }
    out.records.push(r);
}

fn push_author(authors: &mut Vec<Author>, mut a: Author, pending: &mut Vec<String>) {
    if authors.is_empty() {
        a.affiliations.append(pending);
    }
    authors.push(a);
}

fn set(slot: &mut Option<String>, v: &str) {
    if slot.is_none() {
        let v = clean_text(v);
        if !v.is_empty() {
            *slot = Some(v);
        }
    }
}

/// "2001 Jan 15", "2002 Sep", "2006", "2000 Jan-Feb", "1999 Winter" -> year, month, day.
fn parse_dp(v: &str) -> Option<(i32, Option<u32>, Option<u32>)> {
    let mut words = v.split_whitespace();
    let first = words.next()?;
    let year: i32 = first
        .get(..4)
        .filter(|y| y.bytes().all(|b| b.is_ascii_digit()))?
        .parse()
        .ok()?;
    let month = words.next().and_then(|m| {
        let m = m.split('-').next().unwrap_or(m);
        month_number(m)
    });
    let day = month.and_then(|_| {
        words
            .next()
            .and_then(|d| d.split('-').next())
            .and_then(|d| d.parse::<u32>().ok())
            .filter(|d| (1..=31).contains(d))
    });
    Some((year, month, day))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\nPMID- 12230038\nOWN - NLM\nIS  - 1467-5463 (Print)\nVI  - 3\nIP  - 3\nDP  - 2002 Sep\nTI  - The Bio* toolkits--a brief\n      overview.\nPG  - 349-56\nAB  - BACKGROUND: Why it matters. RESULTS: What we\n      found.\nAD  - tacg Informatics, Irvine, CA 92612, USA.\nFAU - Mangalam, Harry\nAU  - Mangalam H\nFAU - Crooks, Gavin E\nAU  - Crooks GE\nAD  - Berkeley, USA.\nAU  - Solo AB\nLA  - eng\nPT  - Journal Article\nPT  - Review\nTA  - Brief Bioinform\nJT  - Briefings in bioinformatics\nMH  - *Computational Biology\nOT  - python\nLID - 10.1/x [doi]\nAID - 10.1/abc [doi]\nAID - S123 [pii]\n\nPMID- 2\nTI  - Second\nDP  - 2006 Mar 1\n";

    #[test]
    fn fields_of_a_record() {
        let p = parse(SAMPLE, "t.nbib");
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        assert_eq!(p.records.len(), 2);
        let r = &p.records[0];
        assert_eq!(r.source.line, 2);
        assert_eq!(r.pmid.as_deref(), Some("12230038"));
        assert_eq!(
            r.title.as_deref(),
            Some("The Bio* toolkits--a brief overview.")
        );
        assert_eq!(r.date.as_deref(), Some("2002-09"));
        assert_eq!(r.pages.as_deref(), Some("349-356"));
        assert_eq!(r.container.as_deref(), Some("Briefings in bioinformatics"));
        assert_eq!(r.doi.as_deref(), Some("10.1/abc"));
        assert_eq!(r.keywords, ["Computational Biology", "python"]);
        assert_eq!(r.paper_type.as_deref(), Some("Journal Article; Review"));
        assert_eq!(r.language.as_deref(), Some("eng"));
        let names: Vec<&str> = r.authors.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["Harry Mangalam", "Gavin E Crooks", "AB Solo"]);
        assert_eq!(
            r.authors[0].affiliations,
            ["tacg Informatics, Irvine, CA 92612, USA."]
        );
        assert_eq!(r.authors[1].affiliations, ["Berkeley, USA."]);
        assert_eq!(r.abstract_sections[1].text, "What we found.");
        assert_eq!(p.records[1].date.as_deref(), Some("2006-03-01"));
        assert_eq!(p.records[1].source.line, 31);
    }

    #[test]
    fn biblib_failure_issn_and_affiliations() {
        let p = parse(SAMPLE, "t.nbib");
        assert_eq!(p.records[0].issn, ["1467-5463"]);
        assert!(!p.records[0].authors[0].affiliations.is_empty());
    }

    #[test]
    fn dates() {
        assert_eq!(parse_dp("2001 Jan 15"), Some((2001, Some(1), Some(15))));
        assert_eq!(parse_dp("2000 Jan-Feb"), Some((2000, Some(1), None)));
        assert_eq!(parse_dp("1999 Winter"), Some((1999, None, None)));
        assert_eq!(parse_dp("Spring"), None);
    }

    #[test]
    fn junk_lines_warn_and_records_survive() {
        let p = parse(
            "PMID- 1\nTI  - One\nthis is junk\n\nPMID- 2\nDP  - sometime\n",
            "t",
        );
        assert_eq!(p.records.len(), 2);
        assert_eq!(p.diagnostics.len(), 2);
        assert_eq!(p.diagnostics[0].line, 3);
        assert_eq!(p.diagnostics[1].line, 5);
    }

    #[test]
    fn no_records_is_an_error() {
        let p = parse("hello", "t");
        assert!(p.records.is_empty());
        assert_eq!(
            p.diagnostics.last().map(|d| d.severity),
            Some(crate::diagnostic::Severity::Error)
        );
    }
}
