//! CSL-JSON (Zotero, Mendeley, pandoc): an array of items or a single item.
//!
//! serde_json gives no positions, so the items' starting lines come from our own scan of the
//! top level. When the file is not valid JSON, each item is read on its own, so one broken
//! item costs only itself.

use super::{bibtex::split_keywords, sections, Format, Parsed};
use crate::diagnostic::Diagnostic;
use crate::library;
use crate::record::{bare_doi, clean_text, normalize_pages, Author, Kind, Record};
use serde_json::Value;

pub fn parse(text: &str, path: &str) -> Parsed {
    let mut parsed = Parsed::default();
    match serde_json::from_str::<Value>(text) {
        Ok(value) => {
            let spans = item_spans(text);
            let items: Vec<Value> = match value {
                Value::Array(items) => items,
                Value::Object(_) => vec![value],
                _ => {
                    parsed.diagnostics.push(Diagnostic::error(
                        path,
                        1,
                        "CSL-JSON must be an array of items or one item (an object)",
                    ));
                    return parsed;
                }
            };
            for (n, item) in items.iter().enumerate() {
                let line = spans.get(n).map_or(1, |s| s.line);
                item_to_record(item, path, line, &mut parsed);
            }
        }
        Err(e) => {
            parsed.diagnostics.push(Diagnostic::error(
                path,
                e.line(),
                format!(
                    "invalid JSON at line {}, column {}: {}; the items that can be read on their own are kept",
                    e.line(),
                    e.column(),
                    short_error(&e)
                ),
            ));
            for span in item_spans(text) {
                let Some(slice) = span.end.and_then(|end| text.get(span.start..end)) else {
                    parsed.diagnostics.push(Diagnostic::error(
                        path,
                        span.line,
                        "this item is never closed (the file ends inside it); skipped",
                    ));
                    continue;
                };
                match serde_json::from_str::<Value>(slice) {
                    Ok(item) => item_to_record(&item, path, span.line, &mut parsed),
                    Err(e) => {
                        let line = span.line + e.line() - 1;
                        parsed.diagnostics.push(Diagnostic::error(
                            path,
                            line,
                            format!(
                                "this item (starting at line {}) is not valid JSON: {}; skipped",
                                span.line,
                                short_error(&e)
                            ),
                        ));
                    }
                }
            }
        }
    }
    parsed
}

/// serde_json's message without its own " at line L column C" suffix.
fn short_error(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// Where one top-level item starts (byte offset, 1-based line) and ends (one past its '}').
#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    end: Option<usize>,
    line: usize,
}

/// The objects at the top level: the items of the top-level array, or the one object.
fn item_spans(text: &str) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    let mut depth = 0usize;
    let mut line = 1;
    let mut in_string = false;
    let mut escaped = false;
    let mut in_array = false;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            line += 1;
        }
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                if depth == 0 && b == b'[' {
                    in_array = true;
                }
                let item_depth = if in_array { 1 } else { 0 };
                if b == b'{' && depth == item_depth {
                    spans.push(Span {
                        start: i,
                        end: None,
                        line,
                    });
                }
                depth += 1;
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                let item_depth = if in_array { 1 } else { 0 };
                if b == b'}' && depth == item_depth {
                    if let Some(s) = spans.last_mut().filter(|s| s.end.is_none()) {
                        s.end = Some(i + 1);
                    }
                }
            }
            _ => {}
        }
    }
    spans
}

fn kind_of(csl_type: &str) -> Kind {
    match csl_type {
        "article-journal" | "article" | "article-magazine" | "article-newspaper" | "review"
        | "review-book" => Kind::Article,
        "chapter" | "entry-encyclopedia" | "entry-dictionary" | "entry" => Kind::Chapter,
        "book" => Kind::Book,
        "paper-conference" => Kind::Conference,
        "report" => Kind::Report,
        "thesis" => Kind::Thesis,
        _ => Kind::Other,
    }
}

/// A string, or a number written as text ("volume": 12).
fn text_of(v: &Value) -> Option<String> {
    let s = match v {
        Value::String(s) => clean_text(s),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

fn field(item: &Value, name: &str) -> Option<String> {
    item.get(name).and_then(text_of)
}

/// ISSN/ISBN: a string (possibly several, separated by commas or spaces) or an array.
fn identifiers(v: Option<&Value>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |s: &str| {
        for part in s.split([',', ';', ' ']) {
            let part = part.trim();
            if !part.is_empty() && !out.iter().any(|o| o == part) {
                out.push(part.to_string());
            }
        }
    };
    match v {
        Some(Value::String(s)) => add(s),
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).for_each(add),
        _ => {}
    }
    out
}

fn names(v: Option<&Value>) -> Vec<Author> {
    let Some(Value::Array(list)) = v else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|n| {
            if let Some(literal) = n.get("literal").and_then(text_of) {
                return Some(Author {
                    name: literal.clone(),
                    family: Some(literal),
                    given: None,
                    affiliations: Vec::new(),
                });
            }
            let family = n.get("family").and_then(text_of).unwrap_or_default();
            let given = n.get("given").and_then(text_of).unwrap_or_default();
            let particle = n
                .get("non-dropping-particle")
                .and_then(text_of)
                .map(|p| format!("{p} "))
                .unwrap_or_default();
            let suffix = n
                .get("suffix")
                .and_then(text_of)
                .map(|s| format!(", {s}"))
                .unwrap_or_default();
            let family = format!("{particle}{family}{suffix}");
            let a = Author::from_parts(&family, &given);
            (!a.name.is_empty()).then_some(a)
        })
        .collect()
}

/// `issued`: {"date-parts": [[2018, 7, 16]]} (numbers or strings), else {"raw": "2018-07"}.
fn date_of(v: Option<&Value>) -> Option<String> {
    let v = v?;
    if let Some(first) = v
        .get("date-parts")
        .and_then(|d| d.get(0))
        .and_then(Value::as_array)
    {
        let nums: Vec<u32> = first
            .iter()
            .map_while(|p| match p {
                Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
                Value::String(s) => s.trim().parse().ok(),
                _ => None,
            })
            .collect();
        return match nums.as_slice() {
            [y, m, d, ..] if (1..=12).contains(m) && (1..=31).contains(d) => {
                Some(format!("{y:04}-{m:02}-{d:02}"))
            }
            [y, m, ..] if (1..=12).contains(m) => Some(format!("{y:04}-{m:02}")),
            [y, ..] => Some(format!("{y:04}")),
            [] => None,
        };
    }
    let raw = v
        .get("raw")
        .or_else(|| v.get("literal"))
        .and_then(text_of)?;
    let digits: String = raw.chars().take(10).collect();
    let parts: Vec<&str> = digits.split(['-', '/']).collect();
    match parts.as_slice() {
        [y, m, d, ..] if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
            Some(format!("{y}-{m}-{d}"))
        }
        [y, m, ..] if y.len() == 4 && m.len() == 2 => Some(format!("{y}-{m}")),
        _ => {
            let year: String = raw
                .split(|c: char| !c.is_ascii_digit())
                .find(|p| p.len() == 4)?
                .to_string();
            Some(year)
        }
    }
    .filter(|d| d.bytes().all(|b| b.is_ascii_digit() || b == b'-'))
}

fn item_to_record(item: &Value, path: &str, line: usize, parsed: &mut Parsed) {
    if !item.is_object() {
        parsed.diagnostics.push(Diagnostic::error(
            path,
            line,
            "a CSL-JSON item must be an object; skipped",
        ));
        return;
    }
    let mut r = Record::new(library::source(path, Format::CslJson, line));
    r.kind = field(item, "type").map_or(Kind::Other, |t| kind_of(&t));
    r.title = field(item, "title");
    r.authors = names(item.get("author"));
    if r.authors.is_empty() {
        r.authors = names(item.get("editor"));
    }
    r.date = date_of(item.get("issued"));
    r.fill_year_from_date();
    r.container = field(item, "container-title");
    r.volume = field(item, "volume");
    r.issue = field(item, "issue").or_else(|| field(item, "number"));
    r.pages = field(item, "page").and_then(|p| normalize_pages(&p));
    r.doi = field(item, "DOI").and_then(|d| bare_doi(&d));
    r.issn = identifiers(item.get("ISSN"));
    r.isbn = identifiers(item.get("ISBN"));
    r.keywords = field(item, "keyword")
        .map(|k| split_keywords(&k))
        .unwrap_or_default();
    r.abstract_sections = item
        .get("abstract")
        .and_then(Value::as_str)
        .map(sections::split)
        .unwrap_or_default();
    r.publisher = field(item, "publisher");
    r.url = field(item, "URL");
    r.language = field(item, "language");
    r.pmid = field(item, "PMID");
    parsed.records.push(r);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_with_lines_and_fields() {
        let text = r#"[
  {"type": "article-journal", "title": "A", "author": [{"family": "Vaidya", "given": "Nina"}, {"literal": "WHO"}],
   "issued": {"date-parts": [["2018", 7, 16]]}, "page": "1–8", "DOI": "https://doi.org/10.1/x",
   "ISSN": ["1234-5678", "8765-4321"], "keyword": "a; b, c", "volume": 4},
  {"type": "book", "title": "B", "issued": {"raw": "1999-03"}, "ISBN": "978-3 0-1"}
]"#;
        let p = parse(text, "t.json");
        assert!(p.diagnostics.is_empty());
        let a = &p.records[0];
        assert_eq!(a.source.line, 2);
        assert_eq!(a.kind, Kind::Article);
        assert_eq!(a.authors[0].name, "Nina Vaidya");
        assert_eq!(a.authors[1].name, "WHO");
        assert_eq!(a.date.as_deref(), Some("2018-07-16"));
        assert_eq!(a.year, Some(2018));
        assert_eq!(a.pages.as_deref(), Some("1-8"));
        assert_eq!(a.doi.as_deref(), Some("10.1/x"));
        assert_eq!(a.issn, vec!["1234-5678", "8765-4321"]);
        assert_eq!(a.keywords, vec!["a", "b, c"]);
        assert_eq!(a.volume.as_deref(), Some("4"));
        let b = &p.records[1];
        assert_eq!(b.source.line, 5);
        assert_eq!(b.date.as_deref(), Some("1999-03"));
        assert_eq!(b.isbn, vec!["978-3", "0-1"]);
    }

    #[test]
    fn single_object() {
        let p = parse(r#"{"title": "Only", "type": "thesis"}"#, "t.json");
        assert_eq!(p.records.len(), 1);
        assert_eq!(p.records[0].kind, Kind::Thesis);
        assert_eq!(p.records[0].source.line, 1);
    }

    #[test]
    fn broken_item_gives_line_and_column_and_the_rest_loads() {
        let text = "[\n  {\"title\": \"One\"},\n  {\"title\": \"Two\" \"volume\": 3},\n  {\"title\": \"Three\"}\n]\n";
        let p = parse(text, "t.json");
        let titles: Vec<_> = p.records.iter().filter_map(|r| r.title.clone()).collect();
        assert_eq!(titles, vec!["One", "Three"]);
        assert_eq!(p.records[1].source.line, 4);
        assert_eq!(p.diagnostics[0].line, 3);
        assert!(
            p.diagnostics[0].message.contains("line 3, column 19"),
            "{}",
            p.diagnostics[0].message
        );
        assert!(p.diagnostics.iter().skip(1).all(|d| d.line == 3));
    }

    #[test]
    fn truncated_file_keeps_complete_items() {
        let p = parse("[\n {\"title\": \"One\"},\n {\"title\": \"Tw", "t.json");
        assert_eq!(p.records.len(), 1);
        assert!(p.diagnostics.iter().any(|d| d.line == 3));
    }
}
