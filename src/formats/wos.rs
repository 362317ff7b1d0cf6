//! Web of Science plain text ("FN Thomson Reuters Web of Science", "VR 1.0", then records of
//! two-letter tags, continuation lines indented by three spaces, "ER" after each record and "EF"
//! at the end of the file).

use super::{sections, Format, Parsed};
use crate::diagnostic::Diagnostic;
use crate::library;
use crate::record::{bare_doi, clean_text, month_number, Author, Kind, Record};

use super::ris::{add_identifiers, expand_pages, format_date};

/// One tag with its lines (the first line and each continuation line, trimmed).
struct Field<'a> {
    tag: &'a str,
    lines: Vec<&'a str>,
    line: usize,
}

impl Field<'_> {
    fn joined(&self) -> String {
        clean_text(&self.lines.join(" "))
    }
}

pub fn parse(text: &str, path: &str) -> Parsed {
    let mut out = Parsed::default();
    let mut fields: Vec<Field> = Vec::new();
    let mut start = 0usize;
    let mut ended = false;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.strip_prefix('\u{feff}').unwrap_or(raw);
        if line.trim().is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix("   ") {
            match fields.last_mut() {
                Some(f) => f.lines.push(rest.trim()),
                None => out.diagnostics.push(Diagnostic::warning(
                    path,
                    line_no,
                    "an indented line outside any record was skipped",
                )),
            }
            continue;
        }
        let Some((tag, value)) = tag_line(line) else {
            let shown: String = clean_text(line).chars().take(40).collect();
            out.diagnostics.push(Diagnostic::warning(
                path,
                line_no,
                format!(
                    "not a Web of Science line (expected a two-letter tag), skipped: \"{shown}\""
                ),
            ));
            continue;
        };
        match tag {
            "FN" | "VR" if fields.is_empty() => {}
            "ER" => {
                if !fields.is_empty() {
                    finish(&fields, path, start, &mut out);
                    fields.clear();
                }
            }
            "EF" => {
                ended = true;
                break;
            }
            _ => {
                if fields.is_empty() {
                    start = line_no;
                } else if tag == "PT" {
                    out.diagnostics.push(Diagnostic::warning(
                        path,
                        start,
                        format!(
                            "the record starting here has no end line (ER); it was read up to line {}",
                            line_no - 1
                        ),
                    ));
                    finish(&fields, path, start, &mut out);
                    fields.clear();
                    start = line_no;
                }
                fields.push(Field {
                    tag,
                    lines: vec![value.trim()],
                    line: line_no,
                });
            }
        }
    }
    if !fields.is_empty() {
        out.diagnostics.push(Diagnostic::warning(
            path,
            start,
            "the record starting here has no end line (ER): the file may be cut short; the record was kept",
        ));
        finish(&fields, path, start, &mut out);
    } else if !ended && !out.records.is_empty() {
        out.diagnostics.push(Diagnostic::warning(
            path,
            0,
            "the file has no end line (EF): it may be cut short",
        ));
    }
    if out.records.is_empty() {
        out.diagnostics.push(Diagnostic::error(
            path,
            0,
            "no Web of Science records found (a record begins with a line \"PT J\")",
        ));
    }
    out
}

/// "TI Title", "ER", "EF": two capitals or a capital and a digit, then a space or the end.
fn tag_line(line: &str) -> Option<(&str, &str)> {
    let b = line.as_bytes();
    if b.len() < 2
        || !b[0].is_ascii_uppercase()
        || !(b[1].is_ascii_uppercase() || b[1].is_ascii_digit())
    {
        return None;
    }
    match b.get(2) {
        None => Some((&line[..2], "")),
        Some(b' ') => Some((&line[..2], &line[3..])),
        Some(_) => None,
    }
}

fn finish(fields: &[Field], path: &str, start: usize, out: &mut Parsed) {
    let mut r = Record::new(library::source(path, Format::Wos, start));
    let mut short_names: Vec<&str> = Vec::new();
    let mut full_names: Vec<&str> = Vec::new();
    let mut addresses: Vec<&str> = Vec::new();
    let mut pt = "";
    let mut dt: Option<String> = None;
    let mut bp: Option<String> = None;
    let mut ep: Option<String> = None;
    let mut ar: Option<String> = None;
    let mut pd: Option<String> = None;
    let mut author_keywords: Vec<String> = Vec::new();
    let mut keywords_plus: Vec<String> = Vec::new();
    for f in fields {
        match f.tag {
            "PT" => pt = f.lines.first().copied().unwrap_or(""),
            "AU" => short_names.extend(f.lines.iter().filter(|l| !l.is_empty())),
            "AF" => full_names.extend(f.lines.iter().filter(|l| !l.is_empty())),
            "TI" => set(&mut r.title, f),
            "SO" => set(&mut r.container, f),
            "PY" => {
                let y = f.joined();
                match y.parse::<i32>() {
                    Ok(y) if (1000..=2999).contains(&y) => r.year = Some(y),
                    _ => out.diagnostics.push(Diagnostic::warning(
                        path,
                        f.line,
                        format!("cannot read the year \"PY {y}\"; the year is left empty"),
                    )),
                }
            }
            "PD" => set(&mut pd, f),
            "VL" => set(&mut r.volume, f),
            "IS" => set(&mut r.issue, f),
            "BP" => set(&mut bp, f),
            "EP" => set(&mut ep, f),
            "AR" => set(&mut ar, f),
            "PG" => r.page_count = f.joined().parse().ok(),
            "DI" if r.doi.is_none() => r.doi = bare_doi(&f.joined()),
            "SN" | "EI" | "BN" => add_identifiers(&f.joined(), &mut r.issn, &mut r.isbn),
            "DE" => author_keywords = split_list(&f.joined()),
            "ID" => keywords_plus = split_list(&f.joined()),
            "WC" | "SC" => {
                for s in split_list(&f.joined()) {
                    if !r.subjects.contains(&s) {
                        r.subjects.push(s);
                    }
                }
            }
            "AB" if r.abstract_sections.is_empty() => {
                r.abstract_sections = sections::split(&f.lines.join(" "));
            }
            "C1" => addresses.extend(f.lines.iter().filter(|l| !l.is_empty())),
            "TC" => r.citations = f.joined().parse().ok(),
            "PM" => set(&mut r.pmid, f),
            "PU" => set(&mut r.publisher, f),
            "LA" => set(&mut r.language, f),
            "DT" => set(&mut dt, f),
            _ => {}
        }
    }
    let names = if full_names.is_empty() {
        &short_names
    } else {
        &full_names
    };
    r.authors = names.iter().map(|n| Author::parse(n)).collect();
    attach_addresses(&mut r.authors, &short_names, &full_names, &addresses);
    for k in author_keywords.into_iter().chain(keywords_plus) {
        if !r.keywords.iter().any(|x| x.eq_ignore_ascii_case(&k)) {
            r.keywords.push(k);
        }
    }
    // "EP +" stands for an unknown last page.
    let ep = ep.filter(|e| e.chars().any(|c| c.is_ascii_digit()));
    r.pages = match (bp, ep, ar) {
        (Some(b), Some(e), _) => {
            crate::record::normalize_pages(&format!("{b}-{e}")).map(|p| expand_pages(&p))
        }
        (Some(b), None, _) => Some(b),
        // An article number stands in for pages, as reference managers do.
        // "AR UNSP 086201": WoS marks some article numbers as unspecified.
        (None, _, Some(a)) => Some(a.trim_start_matches("UNSP ").to_string()),
        _ => None,
    };
    if let Some(y) = r.year {
        let (m, d) = pd.as_deref().map(month_day).unwrap_or((None, None));
        r.date = Some(format_date(y, m, d));
    }
    r.kind = kind_of(pt, dt.as_deref());
    r.paper_type = dt;
    out.records.push(r);
}

fn set(slot: &mut Option<String>, f: &Field) {
    if slot.is_none() {
        let v = f.joined();
        if !v.is_empty() {
            *slot = Some(v);
        }
    }
}

fn split_list(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for k in s.split(';').map(clean_text).filter(|k| !k.is_empty()) {
        if !out.contains(&k) {
            out.push(k);
        }
    }
    out
}

/// "JUL 1" -> (7, 1); "JUN" -> (6, None); "SPR" and the like -> nothing.
fn month_day(pd: &str) -> (Option<u32>, Option<u32>) {
    let mut words = pd.split_whitespace();
    let month = words
        .next()
        .and_then(|m| month_number(m.split('-').next().unwrap_or(m)));
    let day = month.and_then(|_| {
        words
            .next()
            .and_then(|d| d.parse::<u32>().ok())
            .filter(|d| (1..=31).contains(d))
    });
    (month, day)
}

/// DT (document type) first, PT (publication type: J journal, B book, S series, P patent) next.
fn kind_of(pt: &str, dt: Option<&str>) -> Kind {
    let first = dt
        .and_then(|d| d.split(';').next())
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match first.as_str() {
        "book chapter" => return Kind::Chapter,
        "book" => return Kind::Book,
        "proceedings paper" | "meeting abstract" => return Kind::Conference,
        _ => {}
    }
    match pt.trim() {
        "J" => Kind::Article,
        "B" => Kind::Book,
        "S" if first.is_empty() || first == "article" => Kind::Book,
        _ if matches!(
            first.as_str(),
            "article" | "review" | "letter" | "editorial material" | "note"
        ) =>
        {
            Kind::Article
        }
        _ => Kind::Other,
    }
}

/// C1 lines "[Sun, Zhiwei; Russell, Thomas P.] Univ ..., USA." go to the named authors; a line
/// without names (older records) is the address of every author, as WoS gives no link.
fn attach_addresses(authors: &mut [Author], short: &[&str], full: &[&str], addresses: &[&str]) {
    for line in addresses {
        let line = line.trim();
        let (names, address) = match line.strip_prefix('[').and_then(|r| r.split_once(']')) {
            Some((names, address)) => (Some(names), address),
            None => (None, line),
        };
        let address = clean_text(address);
        if address.is_empty() {
            continue;
        }
        let targets: Vec<usize> = match names {
            Some(names) => names
                .split(';')
                .map(str::trim)
                .filter_map(|n| {
                    full.iter()
                        .position(|f| f.trim().eq_ignore_ascii_case(n))
                        .or_else(|| short.iter().position(|s| s.trim().eq_ignore_ascii_case(n)))
                })
                .collect(),
            None => (0..authors.len()).collect(),
        };
        for i in targets {
            if let Some(a) = authors.get_mut(i) {
                if !a.affiliations.contains(&address) {
                    a.affiliations.push(address.clone());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\u{feff}FN Thomson Reuters Web of Science\nVR 1.0\nPT J\nAU Sun, ZW\n   Russell, TP\nAF Sun, Zhiwei\n   Russell, Thomas P.\nTI In situ study of solvent\n   vapor annealing\nSO JOURNAL OF POLYMER SCIENCE\nLA English\nDT Article; Proceedings Paper\nDE annealing; block copolymers\nID LITHOGRAPHY; GRAPHENE;\n   NANOWIRES; block copolymers\nAB Solvent vapor annealing is a route.\nC1 [Sun, Zhiwei; Russell, Thomas P.] Univ Massachusetts, Amherst, MA USA.\n   [Russell, Thomas P.] Lawrence Berkeley Natl Lab, Berkeley, CA USA.\nTC 7\nSN 0887-6266\nEI 1099-0488\nPD JUL 1\nPY 2017\nVL 55\nIS 13\nBP 980\nEP 92\nPG 13\nDI 10.1002/polb.24346\nWC Polymer Science\nUT WOS:000401245300003\nER\n\nPT J\nAU Solo, A\nC1 Waseda Univ, Tokyo, Japan.\nTI Second\nPY 2016\nBP 5755\nEP +\nAR UNSP 086201\nER\n\nEF\n";

    #[test]
    fn fields_of_a_record() {
        let p = parse(SAMPLE, "t.txt");
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        assert_eq!(p.records.len(), 2);
        let r = &p.records[0];
        assert_eq!(r.source.line, 3);
        assert_eq!(
            r.title.as_deref(),
            Some("In situ study of solvent vapor annealing")
        );
        assert_eq!(r.authors[1].name, "Thomas P. Russell");
        assert_eq!(
            r.authors[0].affiliations,
            ["Univ Massachusetts, Amherst, MA USA."]
        );
        assert_eq!(r.authors[1].affiliations.len(), 2);
        assert_eq!(r.container.as_deref(), Some("JOURNAL OF POLYMER SCIENCE"));
        assert_eq!(r.date.as_deref(), Some("2017-07-01"));
        assert_eq!(r.pages.as_deref(), Some("980-992"));
        assert_eq!(r.page_count, Some(13));
        assert_eq!(r.doi.as_deref(), Some("10.1002/polb.24346"));
        assert_eq!(r.issn, ["0887-6266", "1099-0488"]);
        assert_eq!(
            r.keywords,
            [
                "annealing",
                "block copolymers",
                "LITHOGRAPHY",
                "GRAPHENE",
                "NANOWIRES"
            ]
        );
        assert_eq!(r.subjects, ["Polymer Science"]);
        assert_eq!(r.citations, Some(7));
        assert_eq!(r.kind, Kind::Article);
        assert_eq!(r.paper_type.as_deref(), Some("Article; Proceedings Paper"));
        let s = &p.records[1];
        assert_eq!(s.source.line, 34);
        assert_eq!(s.pages.as_deref(), Some("5755"));
        assert_eq!(s.authors[0].affiliations, ["Waseda Univ, Tokyo, Japan."]);
    }

    #[test]
    fn truncated_file_keeps_the_record() {
        let p = parse(
            "FN x\nVR 1.0\nPT J\nTI One\nER\nPT J\nTI Two\nPY 20x5\n",
            "t",
        );
        assert_eq!(p.records.len(), 2);
        let lines: Vec<usize> = p.diagnostics.iter().map(|d| d.line).collect();
        assert_eq!(lines, [6, 8]);
        assert_eq!(p.records[1].year, None);
    }

    #[test]
    fn unspecified_article_number() {
        let p = parse("PT J\nTI One\nAR UNSP 09LD11\nER\nEF\n", "t");
        assert_eq!(p.records[0].pages.as_deref(), Some("09LD11"));
    }

    #[test]
    fn kinds() {
        assert_eq!(kind_of("J", Some("Review")), Kind::Article);
        assert_eq!(kind_of("S", Some("Proceedings Paper")), Kind::Conference);
        assert_eq!(kind_of("B", Some("Book Chapter")), Kind::Chapter);
        assert_eq!(kind_of("P", Some("Patent")), Kind::Other);
    }

    #[test]
    fn no_records_is_an_error() {
        let p = parse("FN x\nVR 1.0\nEF\n", "t");
        assert_eq!(p.diagnostics.len(), 1);
        assert_eq!(
            p.diagnostics[0].severity,
            crate::diagnostic::Severity::Error
        );
    }
}
