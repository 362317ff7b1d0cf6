//! A publisher's search-results page as copied from the browser: a "1 – 10 of over 67000" line,
//! then one block per result: its type ("Article", "Book part"), "Publication date: 15 June
//! 2012", the authors, a teaser, a view count, the abstract, "Details" (container, Type, ISSN or
//! ISBN) and "Keywords". Results carry no titles; `title` stays empty.

use super::{Format, Parsed};
use crate::diagnostic::Diagnostic;
use crate::library::source;
use crate::record::{clean_text, month_number, Author, Kind, Record, Section};

const DATE_LABEL: &str = "Publication date:";

/// Labels of a structured abstract, as publishers print them (compared case-insensitively).
pub(crate) const ABSTRACT_LABELS: [&str; 30] = [
    "Purpose",
    "Design/methodology/approach",
    "Methodology/approach",
    "Design/approach",
    "Approach",
    "Findings",
    "Research limitations/implications",
    "Research implications",
    "Limitations",
    "Practical implications",
    "Social implications",
    "Implications",
    "Originality/value",
    "Originality",
    "Value",
    "Background",
    "Aim",
    "Aims",
    "Objective",
    "Objectives",
    "Methods",
    "Method",
    "Results",
    "Conclusion",
    "Conclusions",
    "Introduction",
    "Context",
    "Case description",
    "Discussion",
    "Policy implications",
];

/// The known abstract label `text` starts with (longest first), and the rest of the line.
pub(crate) fn split_abstract_label(text: &str) -> Option<(&'static str, &str)> {
    let mut best: Option<(&'static str, &str)> = None;
    for label in ABSTRACT_LABELS {
        let Some(head) = text.get(..label.len()) else {
            continue;
        };
        if !head.eq_ignore_ascii_case(label) {
            continue;
        }
        let rest = &text[label.len()..];
        // "Purpose The purpose ..." or the label alone; never "Purposeful" or "Results show".
        let ok = rest.is_empty()
            || rest.starts_with([':', '.'])
            || (rest.starts_with(' ')
                && rest
                    .trim_start()
                    .chars()
                    .next()
                    .is_some_and(|c| !c.is_lowercase()));
        if ok && best.is_none_or(|(b, _)| label.len() > b.len()) {
            best = Some((label, rest.trim_start_matches([':', '.']).trim_start()));
        }
    }
    best
}

/// "15 June 2012", "June 2012", "2012", "June 15, 2012" -> "2012-06-15", "2012-06", "2012".
pub(crate) fn parse_date(text: &str) -> Option<String> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let year = |w: &str| -> Option<i32> {
        (w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))
            .then(|| w.parse().ok())
            .flatten()
    };
    let day = |w: &str| -> Option<u32> {
        let d: u32 = w
            .trim_end_matches(|c: char| c.is_ascii_alphabetic())
            .parse()
            .ok()?;
        (1..=31).contains(&d).then_some(d)
    };
    match words.as_slice() {
        [y] => year(y).map(|y| format!("{y:04}")),
        [m, y] => Some(format!("{:04}-{:02}", year(y)?, month_number(m)?)),
        [d, m, y] if d.starts_with(|c: char| c.is_ascii_digit()) => Some(format!(
            "{:04}-{:02}-{:02}",
            year(y)?,
            month_number(m)?,
            day(d)?
        )),
        [m, d, y] => Some(format!(
            "{:04}-{:02}-{:02}",
            year(y)?,
            month_number(m)?,
            day(d)?
        )),
        _ => None,
    }
}

/// Splits "A B, C D and E F" (also "A, B & C") into names.
pub(crate) fn split_names(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in text.split([',', ';']) {
        let mut rest = part.trim();
        loop {
            let cut = [" and ", " & "]
                .iter()
                .filter_map(|sep| rest.find(sep).map(|i| (i, sep.len())))
                .min();
            match cut {
                Some((i, n)) => {
                    push_name(&mut out, &rest[..i]);
                    rest = &rest[i + n..];
                }
                None => {
                    push_name(&mut out, rest);
                    break;
                }
            }
        }
    }
    out
}

fn push_name(out: &mut Vec<String>, name: &str) {
    let name = clean_text(name.trim_start_matches("and "));
    if !name.is_empty() {
        out.push(name);
    }
}

/// Whether a line reads as a list of personal names rather than prose.
fn looks_like_names(line: &str) -> bool {
    const PARTICLES: [&str; 10] = [
        "van", "von", "de", "der", "den", "da", "del", "la", "le", "bin",
    ];
    if line.is_empty() || line.chars().count() > 400 || line.ends_with(['.', '…', ':', '?']) {
        return false;
    }
    let names = split_names(line);
    !names.is_empty()
        && names.iter().all(|n| {
            let words: Vec<&str> = n.split_whitespace().collect();
            (1..=6).contains(&words.len())
                && words.iter().all(|w| {
                    PARTICLES.contains(w)
                        || w.chars().next().is_some_and(char::is_uppercase)
                            && !w.chars().any(|c| c.is_ascii_digit())
                })
        })
}

/// "1 – 10 of over 67000" -> (1, 10).
fn results_range(line: &str) -> Option<(u64, u64)> {
    let (span, rest) = line.split_once(" of ")?;
    if rest.trim().is_empty() {
        return None;
    }
    let (a, b) = span.split_once(['–', '-', '—'])?;
    Some((a.trim().parse().ok()?, b.trim().parse().ok()?))
}

fn is_count(line: &str) -> bool {
    !line.is_empty() && line.chars().all(|c| c.is_ascii_digit() || c == ',') && line.len() < 12
}

/// The result type line ("Article", "Book part") as a kind.
fn kind_of(type_line: &str) -> Kind {
    let t = type_line.to_ascii_lowercase();
    match t.as_str() {
        "article" | "case study" | "journal article" | "research article" => Kind::Article,
        "book part" | "chapter" | "book chapter" => Kind::Chapter,
        "book" => Kind::Book,
        "report" => Kind::Report,
        "thesis" | "dissertation" => Kind::Thesis,
        _ if t.starts_with("conference") => Kind::Conference,
        _ => Kind::Other,
    }
}

/// "Journal, vol. 7 no. 2" -> (container, volume, issue); "ahead-of-print" is no number.
fn split_container(line: &str) -> (Option<String>, Option<String>, Option<String>) {
    let lower = line.to_ascii_lowercase();
    let Some(at) = lower.rfind(", vol.") else {
        let c = clean_text(line);
        return ((!c.is_empty()).then_some(c), None, None);
    };
    let container = clean_text(&line[..at]);
    let numbers = &line[at + ", vol.".len()..];
    let lower_numbers = numbers.to_ascii_lowercase();
    let (vol, iss) = match lower_numbers.find(" no.") {
        Some(i) => (&numbers[..i], Some(&numbers[i + " no.".len()..])),
        None => (numbers, None),
    };
    let number = |s: &str| {
        let s = clean_text(s.split(',').next().unwrap_or(""));
        (!s.is_empty() && !s.eq_ignore_ascii_case("ahead-of-print")).then_some(s)
    };
    (
        (!container.is_empty()).then_some(container),
        number(vol),
        iss.and_then(number),
    )
}

#[derive(PartialEq)]
enum Part {
    Head,
    Abstract,
    Details,
    Keywords,
}

pub fn parse(text: &str, path: &str) -> Parsed {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let mut parsed = Parsed::default();
    let date_lines: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].starts_with(DATE_LABEL))
        .collect();
    if date_lines.is_empty() {
        parsed.diagnostics.push(Diagnostic::error(
            path,
            1,
            "no results on this search-results page (no \"Publication date:\" line)",
        ));
        return parsed;
    }
    // A result starts at its type line, the non-empty line just above its date.
    let starts: Vec<usize> = date_lines
        .iter()
        .map(|&d| match d.checked_sub(1) {
            Some(p) if !lines[p].is_empty() && !lines[p].starts_with(DATE_LABEL) => p,
            _ => d,
        })
        .collect();
    let header = lines
        .get(..starts[0])
        .unwrap_or_default()
        .iter()
        .enumerate()
        .find_map(|(i, l)| results_range(l).map(|r| (i, r)));
    let mut end_of_page = lines.len();
    let mut footer = false;
    if let Some(&last) = starts.last() {
        if let Some(i) = (last..lines.len()).find(|&i| results_range(lines[i]).is_some()) {
            end_of_page = i;
            footer = true;
        }
    }
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(end_of_page);
        let block = lines.get(start..end).unwrap_or_default();
        if let Some(r) = parse_result(block, start, path, &mut parsed.diagnostics) {
            parsed.records.push(r);
        }
    }
    if let Some((line, (first, last))) = header {
        let expected = (last + 1).saturating_sub(first);
        let found = starts.len() as u64;
        if found < expected {
            parsed.diagnostics.push(Diagnostic::warning(
                path,
                line + 1,
                format!("the page lists results {first}–{last} but only {found} were found; the page may be cut short"),
            ));
        }
        if !footer {
            let last_start = starts.last().copied().unwrap_or(0);
            parsed.diagnostics.push(Diagnostic::warning(
                path,
                last_start + 1,
                format!("the page ends before its closing \"{first} – {last} of …\" line; this result may be incomplete"),
            ));
        }
    }
    parsed
}

/// One result; `block` holds its lines from the type line, `start` is its 0-based line.
fn parse_result(
    block: &[&str],
    start: usize,
    path: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Record> {
    let mut r = Record::new(source(path, Format::ResultsPage, start + 1));
    let mut part = Part::Head;
    let mut seen_authors = false;
    let mut teaser = Vec::new();
    let mut sections: Vec<Section> = Vec::new();
    let mut container_seen = false;
    for (i, &line) in block.iter().enumerate() {
        if line.is_empty() {
            continue;
        }
        if i == 0 && !line.starts_with(DATE_LABEL) {
            r.kind = kind_of(line);
            continue;
        }
        if let Some(value) = line.strip_prefix(DATE_LABEL) {
            r.date = parse_date(value);
            if r.date.is_none() {
                diags.push(Diagnostic::warning(
                    path,
                    start + i + 1,
                    format!(
                        "cannot read the publication date \"{}\"; the date is left empty",
                        clean_text(value)
                    ),
                ));
            }
            continue;
        }
        match line {
            "Abstract" => {
                part = Part::Abstract;
                continue;
            }
            "Details" => {
                part = Part::Details;
                continue;
            }
            "Keywords" => {
                part = Part::Keywords;
                continue;
            }
            _ => {}
        }
        match part {
            // An abstract printed without its "Abstract" heading starts at its first label.
            Part::Head if matches!(split_abstract_label(line), Some((_, ""))) => {
                part = Part::Abstract;
                add_paragraph(&mut sections, line, block.get(i + 1..));
            }
            Part::Head => {
                if is_count(line) {
                    r.views = line.replace(',', "").parse().ok();
                } else if !seen_authors && teaser.is_empty() && looks_like_names(line) {
                    seen_authors = true;
                    r.authors = split_names(line).iter().map(|n| Author::parse(n)).collect();
                } else {
                    teaser.push(line);
                }
            }
            Part::Abstract => add_paragraph(&mut sections, line, block.get(i + 1..)),
            Part::Details => {
                if let Some((key, value)) = line.split_once(':') {
                    let value = clean_text(value);
                    match key.trim().to_ascii_lowercase().as_str() {
                        "type" => r.paper_type = (!value.is_empty()).then_some(value),
                        "issn" | "eissn" | "print issn" | "online issn" => {
                            r.issn.extend(split_codes(&value))
                        }
                        "isbn" | "eisbn" => r.isbn.extend(split_codes(&value)),
                        "doi" => r.doi = crate::record::bare_doi(&value),
                        "publisher" => r.publisher = (!value.is_empty()).then_some(value),
                        _ if !container_seen => {
                            container_seen = true;
                            (r.container, r.volume, r.issue) = split_container(line);
                        }
                        _ => {}
                    }
                } else if !container_seen {
                    container_seen = true;
                    (r.container, r.volume, r.issue) = split_container(line);
                }
            }
            Part::Keywords => r.keywords.extend(
                line.split([',', ';'])
                    .map(clean_text)
                    .filter(|k| !k.is_empty()),
            ),
        }
    }
    let teaser = clean_text(&teaser.join(" "));
    r.teaser = (!teaser.is_empty()).then_some(teaser);
    sections.retain(|s| !s.text.is_empty());
    r.abstract_sections = sections;
    if r.kind == Kind::Other && r.volume.is_some() {
        r.kind = Kind::Article;
    }
    if r.authors.is_empty()
        && r.teaser.is_none()
        && r.abstract_sections.is_empty()
        && r.container.is_none()
    {
        diags.push(Diagnostic::warning(
            path,
            start + 1,
            "this result has no authors, text or details; skipped",
        ));
        return None;
    }
    Some(r)
}

/// Adds one paragraph of an abstract: a label line starts a section, text fills the last one.
fn add_paragraph(sections: &mut Vec<Section>, line: &str, after: Option<&[&str]>) {
    let next_is_text = after
        .and_then(|a| a.iter().find(|l| !l.is_empty()))
        .is_some_and(|l| {
            !matches!(*l, "Details" | "Keywords")
                && split_abstract_label(l).is_none_or(|(_, rest)| !rest.is_empty())
        });
    let label = match split_abstract_label(line) {
        Some((label, "")) => Some(label.to_string()),
        // An unfamiliar heading inside an abstract that is already structured.
        _ if sections.iter().any(|s| s.label.is_some()) && next_is_text && is_heading(line) => {
            Some(clean_text(line))
        }
        _ => None,
    };
    match label {
        Some(label) => sections.push(Section {
            label: Some(label),
            text: String::new(),
        }),
        None => match sections.last_mut() {
            Some(s) => {
                if !s.text.is_empty() {
                    s.text.push(' ');
                }
                s.text.push_str(&clean_text(line));
            }
            None => sections.push(Section {
                label: None,
                text: clean_text(line),
            }),
        },
    }
    // A label with no text after it yet stays until text arrives; empty ones are dropped here.
    if sections.len() >= 2 {
        let prev = sections.len() - 2;
        if sections[prev].text.is_empty() {
            sections.remove(prev);
        }
    }
}

/// A short line without closing punctuation, starting with a capital: a heading.
pub(crate) fn is_heading(line: &str) -> bool {
    let words = line.split_whitespace().count();
    (1..=5).contains(&words)
        && line.chars().count() <= 50
        && !line.ends_with(['.', ',', ';', ':', '…', '?', '!'])
        && line.chars().next().is_some_and(char::is_uppercase)
}

fn split_codes(value: &str) -> Vec<String> {
    value
        .split([',', ';', ' '])
        .map(str::trim)
        .filter(|v| v.chars().any(|c| c.is_ascii_digit()))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date(" 15 June 2012").as_deref(), Some("2012-06-15"));
        assert_eq!(parse_date("3 February 2023").as_deref(), Some("2023-02-03"));
        assert_eq!(parse_date("June 2012").as_deref(), Some("2012-06"));
        assert_eq!(parse_date("June 15, 2012").as_deref(), Some("2012-06-15"));
        assert_eq!(parse_date("31 Foo 2012"), None);
        assert_eq!(parse_date("45 June 2012"), None);
    }

    #[test]
    fn names() {
        assert_eq!(
            split_names("Liza Hopkins, Glenda Pedwell, Katie Wilson and Prunella Howell-Jay"),
            [
                "Liza Hopkins",
                "Glenda Pedwell",
                "Katie Wilson",
                "Prunella Howell-Jay"
            ]
        );
        assert!(looks_like_names("Simon Lawton-Smith"));
        assert!(looks_like_names("Ludwig van Beethoven and Ann Ley"));
        assert!(!looks_like_names("In April 2010, the trust won funding…"));
        assert!(!looks_like_names(
            "Peer support work is increasingly common."
        ));
    }

    #[test]
    fn containers() {
        let (c, v, i) = split_container("Mental Health and Social Inclusion, vol. 14 no. 3");
        assert_eq!(c.as_deref(), Some("Mental Health and Social Inclusion"));
        assert_eq!((v.as_deref(), i.as_deref()), (Some("14"), Some("3")));
        let (_, v, i) = split_container("X, vol. ahead-of-print no. ahead-of-print");
        assert_eq!((v, i), (None, None));
        let (c, v, _) = split_container("Trauma-Responsive Organisations: The Model");
        assert_eq!(
            c.as_deref(),
            Some("Trauma-Responsive Organisations: The Model")
        );
        assert_eq!(v, None);
    }

    #[test]
    fn labels() {
        assert_eq!(
            split_abstract_label("Research limitations/implications A groups"),
            Some(("Research limitations/implications", "A groups"))
        );
        assert_eq!(split_abstract_label("Results show that"), None);
        assert_eq!(split_abstract_label("Purposeful"), None);
        assert_eq!(split_abstract_label("Findings"), Some(("Findings", "")));
    }
}
