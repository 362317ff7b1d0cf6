//! An article page from a full-text host, copied from the browser: the title, labels glued to
//! their values ("Published date09 May 2016", "DOIhttps://doi.org/...", "AuthorA,B,C"), then
//! the text extracted from the PDF: title again, byline with affiliations, the structured
//! abstract with its lines broken, Keywords, Paper type, body text, the journal footer ("VOL. 20
//! NO. 2 2016, pp. 126-134, © ..., ISSN ... DOI ...") and site boilerplate.

use super::results_page::{is_heading, parse_date, split_abstract_label, split_names};
use super::{Format, Parsed};
use crate::diagnostic::Diagnostic;
use crate::library::source;
use crate::record::{bare_doi, clean_text, normalize_pages, Author, Kind, Record, Section};
use std::collections::HashMap;

/// Labels glued to their values in the page header, longest first where one starts another.
const HEADER_LABELS: [&str; 14] = [
    "Published date",
    "Subject Matter",
    "Publisher",
    "Pages",
    "Date",
    "DOI",
    "Authors",
    "Author",
    "Keywords",
    "ISSN",
    "Volume",
    "Issue",
    "Journal",
    "Paper type",
];

/// Lines of the hosting site, not of the article.
const BOILERPLATE: [&str; 9] = [
    "to continue reading",
    "request your trial",
    "login cookies",
    "cookie policy",
    "accept cookies",
    "we use cookies",
    "sign in to continue",
    "log in to continue",
    "subscribe to read",
];

pub fn is_boilerplate(line: &str) -> bool {
    let l = line.to_lowercase();
    BOILERPLATE.iter().any(|b| l.contains(b))
}

/// "Published date09 May 2016" -> ("Published date", "09 May 2016").
fn header_field(line: &str) -> Option<(&'static str, &str)> {
    for label in HEADER_LABELS {
        let Some(rest) = line.strip_prefix(label) else {
            continue;
        };
        let rest = rest.trim_start_matches(':').trim_start();
        let first = rest.chars().next()?;
        let fits = match label {
            "Pages" | "Volume" | "Issue" => first.is_ascii_digit(),
            "Published date" | "Date" => first.is_ascii_digit() || first.is_uppercase(),
            "DOI" => first.is_ascii_digit() || rest.starts_with("http") || rest.starts_with("doi"),
            _ => !first.is_lowercase(),
        };
        if fits {
            return Some((label, rest));
        }
    }
    None
}

/// What the journal footer of a PDF page says.
#[derive(Default)]
struct Footer {
    container: Option<String>,
    volume: Option<String>,
    issue: Option<String>,
    year: Option<i32>,
    pages: Option<String>,
    publisher: Option<String>,
    issn: Vec<String>,
    doi: Option<String>,
}

/// "VOL. 20 NO. 2 2016, pp. 126-134, © Publisher, ISSN 2042-8308 DOI 10..." (case-insensitive).
fn parse_footer(line: &str) -> Option<Footer> {
    let lower = line.to_ascii_lowercase();
    let vol = lower.find("vol. ")?;
    let no = lower[vol..].find(" no. ").map(|i| i + vol)?;
    let mut f = Footer {
        volume: first_word(&line[vol + 5..]),
        ..Footer::default()
    };
    let after_no = &line[no + 5..];
    let mut words = after_no.split_whitespace();
    f.issue = words.next().map(|w| w.trim_end_matches(',').to_string());
    f.year = words
        .next()
        .map(|w| w.trim_end_matches(','))
        .filter(|w| w.len() == 4)
        .and_then(|w| w.parse().ok());
    if let Some(i) = lower.find("pp. ") {
        f.pages = line[i + 4..]
            .split(',')
            .next()
            .and_then(normalize_pages)
            .filter(|p| p.chars().any(|c| c.is_ascii_digit()));
    }
    if let Some(i) = line.find('©') {
        let rest = &line[i + '©'.len_utf8()..];
        let end = rest
            .find(", ISSN")
            .or_else(|| rest.find(','))
            .unwrap_or(rest.len());
        let p =
            clean_text(rest[..end].trim_start_matches(|c: char| c.is_ascii_digit() || c == ' '));
        f.publisher = (!p.is_empty()).then_some(p);
    }
    if let Some(i) = lower.find("issn ") {
        f.issn = line[i + 5..]
            .split_whitespace()
            .take_while(|w| w.len() == 9 && w.as_bytes().get(4) == Some(&b'-'))
            .map(|w| w.to_string())
            .collect();
    }
    if let Some(i) = lower.find("doi ") {
        f.doi = bare_doi(&line[i + 4..]);
    }
    // "PAGE 126 j JOURNAL NAME j VOL. ..." on one line: the name is the part before VOL.
    f.container = line[..vol]
        .split([' ', '|'])
        .collect::<Vec<_>>()
        .join(" ")
        .split(" j ")
        .map(str::trim)
        .filter(|s| s.len() > 2 && !is_page_marker(s))
        .last()
        .map(str::to_string);
    Some(f)
}

fn first_word(s: &str) -> Option<String> {
    s.split_whitespace()
        .next()
        .map(|w| w.trim_end_matches(',').to_string())
}

/// "PAGE126", "PAGE 126", "126": page furniture of the PDF.
fn is_page_marker(line: &str) -> bool {
    let l = line.trim();
    let l = l.strip_prefix("PAGE").unwrap_or(l).trim();
    !l.is_empty() && l.chars().all(|c| c.is_ascii_digit())
}

/// Lowercase words of a text's prose and how often each occurs. Words in capitals are left
/// out: running heads like "MENTALHEALTH" are where the PDF glues words.
pub(crate) fn vocabulary(text: &str) -> HashMap<String, usize> {
    let mut words = HashMap::new();
    for w in text.split(|c: char| !c.is_alphabetic()) {
        let shouting = w.chars().count() > 1 && w.chars().all(char::is_uppercase);
        if !w.is_empty() && !shouting {
            *words.entry(w.to_lowercase()).or_insert(0) += 1;
        }
    }
    words
}

/// Short words that stand on their own, so "word + common" is never taken for a split word.
const COMMON: [&str; 60] = [
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "body",
    "but", "by", "can", "come", "day", "do", "each", "for", "from", "had", "has", "have", "he",
    "her", "his", "in", "into", "is", "it", "its", "less", "may", "me", "more", "most", "no",
    "not", "of", "off", "on", "one", "or", "our", "out", "over", "self", "she", "so", "some",
    "than", "that", "the", "thing", "time", "to", "up", "way",
];

/// Endings that never stand alone as words: "Facul ty" is one word split by the PDF.
const FRAGMENTS: [&str; 22] = [
    "ty", "ties", "tion", "tions", "sion", "sions", "ment", "ments", "ness", "ity", "ities",
    "ally", "ical", "ance", "ence", "ture", "tures", "tive", "tives", "ible", "ing", "ings",
];

/// Repairs PDF text layout: a missing space after a comma ("Bristol,UK"), words split by a
/// space ("Facul ty", "par ticipants") and a small word glued on ("Westof"). `vocab` holds the
/// words of the whole page, which tell a real word from a fragment.
pub(crate) fn repair_words(text: &str, vocab: &HashMap<String, usize>) -> String {
    let mut spaced = String::with_capacity(text.len() + 8);
    let mut prev = ' ';
    for c in text.chars() {
        if prev == ',' && c.is_alphabetic() {
            spaced.push(' ');
        }
        spaced.push(c);
        prev = c;
    }
    let words: Vec<&str> = spaced.split_whitespace().collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let a = words[i];
        if let Some(b) = words.get(i + 1) {
            let b_core = b.trim_end_matches(|c: char| !c.is_alphabetic());
            let a_ok = a.chars().count() >= 2 && a.chars().all(char::is_alphabetic);
            let b_ok = !b_core.is_empty() && b_core.chars().all(|c| c.is_lowercase());
            let common = |w: &str| COMMON.contains(&w.to_lowercase().as_str());
            if a_ok && b_ok && !common(a) && !common(b_core) {
                let joined = format!("{a}{b_core}").to_lowercase();
                if vocab.contains_key(&joined) || FRAGMENTS.contains(&b_core) {
                    out.push(format!("{a}{b}"));
                    i += 2;
                    continue;
                }
            }
        }
        out.push(unglue(a, vocab));
        i += 1;
    }
    out.join(" ")
}

/// "Westof" -> "West of" when "West" occurs on its own elsewhere on the page.
fn unglue(word: &str, vocab: &HashMap<String, usize>) -> String {
    const REAL: [&str; 3] = ["thereof", "whereof", "hereof"];
    for small in ["of", "and", "the"] {
        let Some(head) = word.strip_suffix(small) else {
            continue;
        };
        if head.chars().count() >= 4
            && head.chars().next().is_some_and(char::is_uppercase)
            && head.chars().all(char::is_alphabetic)
            && vocab.contains_key(&head.to_lowercase())
            && !REAL.contains(&word.to_lowercase().as_str())
        {
            return format!("{head} {small}");
        }
    }
    word.to_string()
}

/// Splits a glued word ("MENTALHEALTH") into words the page uses elsewhere.
fn split_glued(word: &str, vocab: &HashMap<String, usize>, depth: usize) -> Option<Vec<String>> {
    let lower = word.to_lowercase();
    if vocab.contains_key(&lower) {
        return Some(vec![word.to_string()]);
    }
    if depth == 0 {
        return None;
    }
    let cuts: Vec<usize> = word.char_indices().map(|(i, _)| i).skip(3).collect();
    for &cut in cuts.iter().rev() {
        let (head, tail) = word.split_at(cut);
        if tail.chars().count() < 3 || !vocab.contains_key(&head.to_lowercase()) {
            continue;
        }
        if let Some(mut rest) = split_glued(tail, vocab, depth - 1) {
            rest.insert(0, head.to_string());
            return Some(rest);
        }
    }
    None
}

/// "MENTALHEALTH AND SOCIAL INCLUSION" -> "Mental Health and Social Inclusion".
fn container_name(raw: &str, vocab: &HashMap<String, usize>) -> String {
    const SMALL: [&str; 12] = [
        "and", "of", "the", "in", "for", "on", "to", "a", "an", "at", "by", "with",
    ];
    let mut words = Vec::new();
    for w in raw.split_whitespace() {
        match split_glued(w, vocab, 3) {
            Some(parts) => words.extend(parts),
            None => words.push(w.to_string()),
        }
    }
    let shouting = raw
        .chars()
        .filter(|c| c.is_alphabetic())
        .all(char::is_uppercase);
    if !shouting {
        return clean_text(&words.join(" "));
    }
    let titled: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let lower = w.to_lowercase();
            if i > 0 && SMALL.contains(&lower.as_str()) {
                return lower;
            }
            let mut cs = lower.chars();
            cs.next()
                .map(|c| c.to_uppercase().chain(cs).collect())
                .unwrap_or_default()
        })
        .collect();
    clean_text(&titled.join(" "))
}

/// Joins lines broken by the PDF; a line ending in "-" keeps its hyphen ("semi-" "structured").
fn join_lines(lines: &[&str]) -> String {
    let mut out = String::new();
    for l in lines {
        let l = l.trim();
        if !out.is_empty() && !out.ends_with('-') {
            out.push(' ');
        }
        out.push_str(l);
    }
    clean_text(&out)
}

fn starts_with_word(line: &str, word: &str) -> Option<String> {
    let head = line.get(..word.len())?;
    let rest = &line[word.len()..];
    (head.eq_ignore_ascii_case(word) && (rest.is_empty() || rest.starts_with([' ', ':'])))
        .then(|| clean_text(rest.trim_start_matches(':')))
}

/// Where the abstract and its companions stop: the next part of the page.
/// In an unstructured abstract a lone label-like line ("Introduction") is the body's first
/// heading; in a structured one it starts the next section.
fn ends_abstract(entries: &[(usize, &str)], i: usize, structured: bool) -> bool {
    let Some(&(_, line)) = entries.get(i) else {
        return true;
    };
    if starts_with_word(line, "Keywords").is_some()
        || starts_with_word(line, "Key words").is_some()
        || starts_with_word(line, "Paper type").is_some()
        || starts_with_word(line, "Article type").is_some()
        || is_page_marker(line)
        || parse_footer(line).is_some()
    {
        return true;
    }
    // A body heading ("Overall project aim") after a finished sentence.
    let prev_done = i
        .checked_sub(1)
        .and_then(|p| entries.get(p))
        .is_some_and(|(_, p)| p.ends_with(['.', '?', '!']));
    prev_done && is_heading(line) && !(structured && split_abstract_label(line).is_some())
}

pub fn parse(text: &str, path: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let entries: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !is_boilerplate(l))
        .collect();
    let Some(&(title_line, first)) = entries.first() else {
        parsed
            .diagnostics
            .push(Diagnostic::error(path, 1, "the article page has no text"));
        return parsed;
    };
    let mut r = Record::new(source(path, Format::ArticlePage, title_line + 1));
    let mut at = 0;
    if header_field(first).is_none() {
        r.title = Some(clean_text(first)).filter(|t| !t.is_empty());
        at = 1;
    }
    let mut header: Vec<(&'static str, &str)> = Vec::new();
    while let Some((label, value)) = entries.get(at).and_then(|(_, l)| header_field(l)) {
        header.push((label, value));
        at += 1;
    }
    if header.is_empty() {
        parsed.diagnostics.push(Diagnostic::error(
            path,
            title_line + 1,
            "no article fields (\"Published date…\", \"DOI…\", \"Author…\") below the title; nothing read",
        ));
        return parsed;
    }
    let footer_at = (at..entries.len()).find(|&i| parse_footer(entries[i].1).is_some());
    let footer = footer_at.and_then(|i| parse_footer(entries[i].1));
    // Words of the page outside the footer, to repair the PDF's layout.
    let vocab = vocabulary(
        &entries
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != footer_at)
            .map(|(_, (_, l))| *l)
            .collect::<Vec<_>>()
            .join("\n"),
    );
    for (label, value) in &header {
        let value = clean_text(value);
        match *label {
            "Published date" => r.date = parse_date(&value).or(r.date.take()),
            "Date" if r.date.is_none() => r.date = parse_date(&value),
            "Pages" => r.pages = normalize_pages(&value),
            "DOI" => r.doi = bare_doi(&value),
            "Author" | "Authors" => {
                r.authors = split_names(&value)
                    .iter()
                    .map(|n| Author::parse(n))
                    .collect()
            }
            "Subject Matter" => r.subjects = split_list(&value),
            "Keywords" => r.keywords = split_list(&value),
            "Publisher" => r.publisher = Some(value),
            "ISSN" => r.issn = split_list(&value),
            "Volume" => r.volume = Some(value),
            "Issue" => r.issue = Some(value),
            "Journal" => r.container = Some(value),
            "Paper type" => r.paper_type = Some(value),
            _ => {}
        }
    }
    let body_end = footer_at.unwrap_or(entries.len());
    let pdf = entries.get(at..body_end).unwrap_or_default();
    let abstract_at = pdf
        .iter()
        .position(|(_, l)| l.eq_ignore_ascii_case("abstract"))
        .or_else(|| {
            pdf.iter().position(|(_, l)| {
                split_abstract_label(l).is_some_and(|(_, rest)| !rest.is_empty())
            })
        });
    let byline_end = abstract_at.unwrap_or(pdf.len());
    let byline: Vec<&str> = pdf
        .get(..byline_end)
        .unwrap_or_default()
        .iter()
        .map(|(_, l)| *l)
        .collect();
    if r.authors.is_empty() {
        if let Some(names) = byline
            .iter()
            .find(|l| split_names(l).len() > 1 && !l.ends_with(['.', '?']))
        {
            r.authors = split_names(names)
                .iter()
                .map(|n| Author::parse(n))
                .collect();
        }
    }
    assign_affiliations(&mut r.authors, &repair_words(&join_lines(&byline), &vocab));
    if let Some(start) = abstract_at {
        let mut i = start;
        if pdf
            .get(i)
            .is_some_and(|(_, l)| l.eq_ignore_ascii_case("abstract"))
        {
            i += 1;
        }
        let mut sections: Vec<(Option<String>, Vec<&str>)> = Vec::new();
        while !ends_abstract(pdf, i, sections.iter().any(|(l, _)| l.is_some())) {
            let line = pdf.get(i).map_or("", |(_, l)| *l);
            match split_abstract_label(line) {
                Some((label, rest)) => sections.push((Some(label.to_string()), vec![rest])),
                None => match sections.last_mut() {
                    Some((_, lines)) => lines.push(line),
                    None => sections.push((None, vec![line])),
                },
            }
            i += 1;
        }
        if i >= pdf.len() && footer.is_none() {
            let last = sections.last().and_then(|(l, _)| l.clone());
            let line = pdf.last().map_or(0, |(n, _)| n + 1);
            parsed.diagnostics.push(Diagnostic::warning(
                path,
                line,
                match last {
                    Some(l) => format!("the page ends inside the abstract (section \"{l}\"); the abstract may be cut short"),
                    None => "the page ends inside the abstract; the abstract may be cut short".to_string(),
                },
            ));
        }
        r.abstract_sections = sections
            .into_iter()
            .map(|(label, lines)| Section {
                label,
                text: repair_words(&join_lines(&lines), &vocab),
            })
            .filter(|s| !s.text.is_empty())
            .collect();
        // Keywords and paper type follow the abstract, each possibly over several lines.
        while i < pdf.len() {
            let line = pdf.get(i).map_or("", |(_, l)| *l);
            let kw =
                starts_with_word(line, "Keywords").or_else(|| starts_with_word(line, "Key words"));
            if let Some(first) = kw {
                let mut lines = vec![first];
                // A keyword list goes on while a line ends mid-list or the next starts lowercase.
                while let Some((_, next)) = pdf.get(i + 1) {
                    let open = lines.last().is_some_and(|l| l.ends_with([',', ';', '-']));
                    let lower = next.chars().next().is_some_and(char::is_lowercase);
                    if ends_abstract(pdf, i + 1, false) || !(open || lower) {
                        break;
                    }
                    i += 1;
                    lines.push(next.to_string());
                }
                if r.keywords.is_empty() {
                    r.keywords = split_list(&lines.join(" "));
                }
            } else if let Some(t) = starts_with_word(line, "Paper type")
                .or_else(|| starts_with_word(line, "Article type"))
            {
                if r.paper_type.is_none() && !t.is_empty() {
                    r.paper_type = Some(t);
                }
            } else {
                break;
            }
            i += 1;
        }
    }
    if let Some(f) = footer {
        let raw = f.container.clone().or_else(|| {
            // The journal name sits above the footer, between page furniture ("PAGE126", "j").
            let fi = footer_at?;
            entries
                .get(..fi)?
                .iter()
                .rev()
                .map(|(_, l)| *l)
                .take(4)
                .find(|l| l.chars().count() > 2 && !is_page_marker(l) && is_upper(l))
                .map(str::to_string)
        });
        if r.container.is_none() {
            r.container = raw.map(|c| container_name(&c, &vocab));
        }
        r.volume = r.volume.take().or(f.volume);
        r.issue = r.issue.take().or(f.issue);
        r.pages = r.pages.take().or(f.pages);
        r.doi = r.doi.take().or(f.doi);
        r.publisher = r.publisher.take().or(f.publisher);
        if r.issn.is_empty() {
            r.issn = f.issn;
        }
        r.year = r.year.or(f.year);
    }
    r.fill_year_from_date();
    if r.container.is_some() || r.volume.is_some() {
        r.kind = Kind::Article;
    }
    parsed.records.push(r);
    parsed
}

fn is_upper(line: &str) -> bool {
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 3 && letters.iter().all(|c| c.is_uppercase())
}

fn split_list(value: &str) -> Vec<String> {
    value
        .split([',', ';'])
        .map(clean_text)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Reads "A, B and C are all based at X." / "A is a Lecturer at X." from the byline.
fn assign_affiliations(authors: &mut [Author], byline: &str) {
    for sentence in split_sentences(byline) {
        let Some((verb_at, verb)) = [" is ", " are "]
            .iter()
            .filter_map(|v| sentence.find(v).map(|i| (i, v.len())))
            .min()
        else {
            continue;
        };
        let predicate = &sentence[verb_at + verb..];
        let place = ["based at ", "based in ", " at "]
            .iter()
            .find_map(|p| predicate.find(p).map(|i| &predicate[i + p.len()..]));
        let Some(place) = place else {
            continue;
        };
        let place = clean_text(place.strip_prefix("the ").unwrap_or(place));
        let place = place.trim_end_matches('.').to_string();
        if place.is_empty() {
            continue;
        }
        for k in subject_authors(authors, &sentence[..verb_at]) {
            if let Some(a) = authors.get_mut(k) {
                if !a.affiliations.contains(&place) {
                    a.affiliations.push(place.clone());
                }
            }
        }
    }
}

/// Sentences of a byline; a full stop inside "St. Mungo" does not end one when a capital
/// does not follow.
fn split_sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        if c == '.'
            && bytes.get(i + 1) == Some(&b' ')
            && bytes.get(i + 2).is_some_and(u8::is_ascii_uppercase)
        {
            out.push(&text[start..=i]);
            start = i + 2;
        }
    }
    out.push(&text[start..]);
    out
}

/// The authors named just before the verb: "A, B and C" read backwards from the end of
/// `subject`, stopping where the list stops (an earlier byline line repeats the names).
fn subject_authors(authors: &[Author], subject: &str) -> Vec<usize> {
    let mut found = Vec::new();
    let mut end = subject.trim_end().len();
    loop {
        let head = &subject[..end];
        let hit = authors
            .iter()
            .enumerate()
            .filter(|(k, _)| !found.contains(k))
            .filter_map(|(k, a)| {
                let needle = if head.ends_with(a.name.as_str()) {
                    a.name.as_str()
                } else {
                    a.family.as_deref().filter(|f| head.ends_with(f))?
                };
                Some((k, needle.len()))
            })
            .max_by_key(|&(_, n)| n);
        let Some((k, n)) = hit else {
            break;
        };
        found.push(k);
        let before = &head[..end - n];
        let trimmed = before.trim_end();
        let sep = if let Some(t) = trimmed.strip_suffix(',') {
            t
        } else if let Some(t) = trimmed.strip_suffix(" and").or(trimmed.strip_suffix(" &")) {
            t.strip_suffix(',').unwrap_or(t)
        } else {
            break;
        };
        end = sep.trim_end().len();
        if end == 0 {
            break;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_fields() {
        assert_eq!(header_field("Pages126-134"), Some(("Pages", "126-134")));
        assert_eq!(
            header_field("Published date09 May 2016"),
            Some(("Published date", "09 May 2016"))
        );
        assert_eq!(header_field("Authority and peers"), None);
        assert_eq!(header_field("Pages of history"), None);
    }

    #[test]
    fn repairs() {
        let vocab = vocabulary("the West of England; participants; mental health");
        assert_eq!(
            repair_words(
                "Facul ty of Health, the Westof England, Bristol,UK.",
                &vocab
            ),
            "Faculty of Health, the West of England, Bristol, UK."
        );
        let below = vocabulary("below the line");
        assert_eq!(repair_words("it may be low", &below), "it may be low");
        assert_eq!(
            repair_words("explore par ticipants' views; 1,520 over all", &vocab),
            "explore participants' views; 1,520 over all"
        );
        assert_eq!(
            container_name(
                "MENTALHEALTH AND SOCIAL INCLUSION",
                &vocabulary("mental health social inclusion")
            ),
            "Mental Health and Social Inclusion"
        );
    }

    #[test]
    fn footer() {
        let f = parse_footer("VOL. 20 NO. 2 2016, pp. 126-134, © Emerald Group Publishing Limited, ISSN 2042-8308 DOI 10.1108/MHSI-10-2015-0038").unwrap();
        assert_eq!(f.volume.as_deref(), Some("20"));
        assert_eq!(f.issue.as_deref(), Some("2"));
        assert_eq!(f.year, Some(2016));
        assert_eq!(f.pages.as_deref(), Some("126-134"));
        assert_eq!(
            f.publisher.as_deref(),
            Some("Emerald Group Publishing Limited")
        );
        assert_eq!(f.issn, ["2042-8308"]);
        assert_eq!(f.doi.as_deref(), Some("10.1108/MHSI-10-2015-0038"));
        assert_eq!(f.container, None);
        let g = parse_footer("PAGE 12 j JOURNAL OF THINGS j VOL. 3 NO. 1 2020, pp. 12-20").unwrap();
        assert_eq!(g.container.as_deref(), Some("JOURNAL OF THINGS"));
    }
}
