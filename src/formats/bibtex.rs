//! BibTeX and BibLaTeX: `@string` macros (any name BibTeX accepts, ':' included), `#`
//! concatenation, crossref inheritance, LaTeX accents and markup turned into clean Unicode.
//!
//! Our own parser, not the `biblatex` crate: that crate rejects the whole of the real
//! typeset.bib (its `@Preamble` and its undefined `ack-bnb` macro), and one bad entry loses
//! every other one; the test `biblatex_crate_rejects_typeset_bib` in
//! tests/corpus_bib_csl_xml.rs shows both cases.

use super::{sections, Format, Parsed};
use crate::diagnostic::Diagnostic;
use crate::library;
use crate::record::{bare_doi, clean_text, month_number, normalize_pages, Author, Kind, Record};
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

pub fn parse(text: &str, path: &str) -> Parsed {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        lines: line_starts(text),
        macros: month_macros(),
    };
    let mut entries: Vec<Entry> = Vec::new();
    let mut diagnostics = Vec::new();
    while let Some(at) = parser.next_at() {
        parser.pos = at;
        match parser.item() {
            Ok(Some(entry)) => entries.push(entry),
            Ok(None) => {}
            Err(e) => {
                let line = parser.line_of(at);
                let what = match parser.key_at(at) {
                    Some(k) => format!("entry \"{k}\""),
                    None => "the entry".to_string(),
                };
                diagnostics.push(Diagnostic::error(
                    path,
                    line,
                    format!(
                        "{what} is malformed ({} at line {}); it was skipped and reading resumed at the next line starting with '@'",
                        e.message,
                        parser.line_of(e.at)
                    ),
                ));
                parser.pos = parser.next_line_starting_with_at(at);
            }
        }
    }
    inherit_crossrefs(&mut entries, path, &mut diagnostics);
    let records = entries
        .iter()
        .map(|e| to_record(e, path, &mut diagnostics))
        .collect();
    Parsed {
        records,
        diagnostics,
    }
}

/// One entry as read: type and fields (names lower-cased) with raw LaTeX values.
#[derive(Debug, Clone)]
struct Entry {
    kind: String,
    key: String,
    line: usize,
    fields: Vec<Field>,
}

#[derive(Debug, Clone)]
struct Field {
    name: String,
    raw: String,
    line: usize,
    /// `@string` names used in the value that were never defined.
    undefined: Vec<String>,
}

impl Entry {
    fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.raw.as_str())
    }
}

struct SyntaxError {
    message: String,
    at: usize,
}

fn err<T>(message: impl Into<String>, at: usize) -> Result<T, SyntaxError> {
    Err(SyntaxError {
        message: message.into(),
        at,
    })
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    lines: Vec<usize>,
    macros: HashMap<String, String>,
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
        .collect()
}

fn month_macros() -> HashMap<String, String> {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES
        .iter()
        .map(|n| (n[..3].to_ascii_lowercase(), n.to_string()))
        .collect()
}

/// Characters BibTeX accepts in macro, field and type names.
fn is_name_byte(b: u8) -> bool {
    b.is_ascii_graphic()
        && !matches!(b, b'"' | b'#' | b'%' | b'\'' | b'(' | b')' | b',' | b'=')
        && !matches!(b, b'{' | b'}')
}

impl<'a> Parser<'a> {
    fn line_of(&self, pos: usize) -> usize {
        match self.lines.binary_search(&pos) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    /// The next '@' that can start an entry, skipping '%' comment lines and free text.
    fn next_at(&mut self) -> Option<usize> {
        loop {
            let rel = memchr::memchr2(b'@', b'%', self.bytes.get(self.pos..)?)?;
            let at = self.pos + rel;
            if self.bytes.get(at) == Some(&b'%') {
                // A '%' line comment outside entries: jump to the end of the line.
                self.pos = memchr::memchr(b'\n', &self.bytes[at..])
                    .map_or(self.bytes.len(), |n| at + n + 1);
                continue;
            }
            // Free text such as an e-mail address is not an entry: '@' must be followed by a
            // name and an opening delimiter.
            let mut p = at + 1;
            while self.bytes.get(p).is_some_and(|b| b.is_ascii_whitespace()) {
                p += 1;
            }
            let name_start = p;
            while self
                .bytes
                .get(p)
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
            {
                p += 1;
            }
            while self.bytes.get(p).is_some_and(|b| b.is_ascii_whitespace()) {
                p += 1;
            }
            if p > name_start && matches!(self.bytes.get(p), Some(b'{') | Some(b'(')) {
                return Some(at);
            }
            self.pos = at + 1;
        }
    }

    /// Where reading resumes after a malformed entry: the next line starting with '@'.
    fn next_line_starting_with_at(&self, at: usize) -> usize {
        let mut p = at + 1;
        while let Some(n) = memchr::memchr(b'\n', self.bytes.get(p..).unwrap_or(&[])) {
            p += n + 1;
            if self.bytes.get(p) == Some(&b'@') {
                return p;
            }
        }
        self.bytes.len()
    }

    /// The citation key of the entry at `at`, for messages, when it can be read.
    fn key_at(&self, at: usize) -> Option<String> {
        let rest = self.text.get(at..)?;
        let open = rest.find(['{', '('])?;
        let after = rest.get(open + 1..)?;
        let end = after.find([',', '\n', '}', ')'])?;
        let key = after[..end].trim();
        (!key.is_empty()).then(|| crate::record::sanitize(key).chars().take(80).collect())
    }

    fn name(&mut self) -> &'a str {
        let start = self.pos;
        while self.peek().is_some_and(is_name_byte) {
            self.pos += 1;
        }
        &self.text[start..self.pos]
    }

    /// Reads one `@...` item at `self.pos`: an entry, or None for @string/@comment/@preamble.
    fn item(&mut self) -> Result<Option<Entry>, SyntaxError> {
        let at = self.pos;
        self.pos += 1;
        self.skip_ws();
        let kind = self.name().to_ascii_lowercase();
        self.skip_ws();
        let close = match self.peek() {
            Some(b'{') => b'}',
            Some(b'(') => b')',
            _ => return err("expected '{' after the entry type", self.pos),
        };
        let open_at = self.pos;
        self.pos += 1;
        match kind.as_str() {
            "comment" => {
                self.pos = open_at;
                self.skip_group(close)?;
                Ok(None)
            }
            "preamble" => {
                self.skip_ws();
                self.value(None)?;
                self.skip_ws();
                self.expect_close(close)?;
                Ok(None)
            }
            "string" => {
                self.skip_ws();
                let name = self.name().to_ascii_lowercase();
                if name.is_empty() {
                    return err("expected a macro name in @string", self.pos);
                }
                self.skip_ws();
                if self.peek() != Some(b'=') {
                    return err(
                        format!("expected '=' after @string name \"{name}\""),
                        self.pos,
                    );
                }
                self.pos += 1;
                self.skip_ws();
                let (value, _) = self.value(None)?;
                self.skip_ws();
                self.expect_close(close)?;
                self.macros.insert(name, value);
                Ok(None)
            }
            _ => {
                self.skip_ws();
                let key_start = self.pos;
                while self
                    .peek()
                    .is_some_and(|b| !b.is_ascii_whitespace() && b != b',' && b != close)
                {
                    self.pos += 1;
                }
                let key = self.text[key_start..self.pos].to_string();
                let mut entry = Entry {
                    kind,
                    key,
                    line: self.line_of(at),
                    fields: Vec::new(),
                };
                loop {
                    self.skip_ws();
                    match self.peek() {
                        Some(b) if b == close => {
                            self.pos += 1;
                            return Ok(Some(entry));
                        }
                        Some(b',') => {
                            self.pos += 1;
                            self.skip_ws();
                            if self.peek() == Some(close) {
                                self.pos += 1;
                                return Ok(Some(entry));
                            }
                        }
                        None => return err("the file ends before the entry is closed", self.pos),
                        Some(b'@') => {
                            return err("the entry is not closed (unbalanced braces)", self.pos)
                        }
                        Some(_) => {
                            let after = entry
                                .fields
                                .last()
                                .map_or("the key".to_string(), |f| format!("field \"{}\"", f.name));
                            return err(
                                format!("expected ',' or '{}' after {after}", close as char),
                                self.pos,
                            );
                        }
                    }
                    let field_at = self.pos;
                    let name = self.name().to_ascii_lowercase();
                    if name.is_empty() {
                        return err(
                            match self.peek() {
                                Some(b'@') => {
                                    "the entry is not closed (unbalanced braces)".to_string()
                                }
                                Some(b) => format!("expected a field name, found '{}'", b as char),
                                None => "the file ends before the entry is closed".to_string(),
                            },
                            self.pos,
                        );
                    }
                    self.skip_ws();
                    if self.peek() != Some(b'=') {
                        return err(
                            format!("expected '=' after field name \"{name}\""),
                            self.pos,
                        );
                    }
                    self.pos += 1;
                    self.skip_ws();
                    let (raw, undefined) = self.value(Some(close))?;
                    if entry.fields.iter().all(|f| f.name != name) {
                        entry.fields.push(Field {
                            name,
                            raw,
                            line: self.line_of(field_at),
                            undefined,
                        });
                    }
                }
            }
        }
    }

    fn expect_close(&mut self, close: u8) -> Result<(), SyntaxError> {
        if self.peek() == Some(close) {
            self.pos += 1;
            Ok(())
        } else {
            err(format!("expected '{}'", close as char), self.pos)
        }
    }

    /// Skips a balanced `{...}` or `(...)` group (for @comment).
    fn skip_group(&mut self, close: u8) -> Result<(), SyntaxError> {
        let start = self.pos;
        let open = self.bytes[start];
        let mut depth = 0usize;
        while let Some(b) = self.peek() {
            self.pos += 1;
            if b == open {
                depth += 1;
            } else if b == close {
                depth -= 1;
                if depth == 0 {
                    return Ok(());
                }
            }
        }
        err("the file ends inside @comment", start)
    }

    /// A field value: parts joined by '#'. Returns the raw LaTeX text and undefined macros.
    fn value(&mut self, close: Option<u8>) -> Result<(String, Vec<String>), SyntaxError> {
        let mut out = String::new();
        let mut undefined = Vec::new();
        loop {
            match self.peek() {
                Some(b'{') => {
                    let s = self.delimited(b'}')?;
                    out.push_str(s);
                }
                Some(b'"') => {
                    let s = self.delimited(b'"')?;
                    out.push_str(s);
                }
                Some(b) if b.is_ascii_digit() => {
                    let start = self.pos;
                    while self.peek().is_some_and(|b| b.is_ascii_alphanumeric()) {
                        self.pos += 1;
                    }
                    out.push_str(&self.text[start..self.pos]);
                }
                Some(b) if is_name_byte(b) => {
                    let name = self.name().to_ascii_lowercase();
                    match self.macros.get(&name) {
                        Some(v) => out.push_str(v),
                        None => undefined.push(name),
                    }
                }
                Some(b) if Some(b) == close => return err("a field has no value", self.pos),
                Some(b) => {
                    return err(
                        format!("unexpected '{}' in a field value", b as char),
                        self.pos,
                    )
                }
                None => return err("the file ends inside a field value", self.pos),
            }
            self.skip_ws();
            if self.peek() == Some(b'#') {
                self.pos += 1;
                self.skip_ws();
            } else {
                return Ok((out, undefined));
            }
        }
    }

    /// The text between `{`...`}` (balanced) or `"`...`"` (the quote counts only outside
    /// braces). A line starting with '@' inside means the braces never closed.
    fn delimited(&mut self, end: u8) -> Result<&'a str, SyntaxError> {
        let open_at = self.pos;
        self.pos += 1;
        let start = self.pos;
        let mut depth = 0usize;
        while let Some(b) = self.peek() {
            match b {
                b'{' => depth += 1,
                b'}' if depth == 0 && end == b'}' => {
                    self.pos += 1;
                    return Ok(&self.text[start..self.pos - 1]);
                }
                b'}' if depth == 0 => return err("unbalanced '}' in a quoted value", self.pos),
                b'}' => depth -= 1,
                b'"' if depth == 0 && end == b'"' => {
                    self.pos += 1;
                    return Ok(&self.text[start..self.pos - 1]);
                }
                b'\\' => self.pos += 1,
                b'\n' if self.bytes.get(self.pos + 1) == Some(&b'@') => {
                    return err(
                        format!(
                            "the value opened at line {} is not closed (unbalanced braces)",
                            self.line_of(open_at)
                        ),
                        self.pos + 1,
                    )
                }
                _ => {}
            }
            self.pos += 1;
        }
        err(
            format!(
                "the value opened at line {} is never closed",
                self.line_of(open_at)
            ),
            open_at,
        )
    }
}

/// Fields a child entry takes from the entry it cross-references (BibLaTeX's defaults:
/// the parent's title becomes the child's booktitle).
fn inherit_crossrefs(
    entries: &mut [Entry],
    path: &str,
    diagnostics: &mut Vec<crate::diagnostic::Diagnostic>,
) {
    let index: HashMap<String, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.key.to_lowercase(), i))
        .collect();
    for i in 0..entries.len() {
        let Some(parent_key) = entries[i]
            .get("crossref")
            .map(|k| clean_text(k).to_lowercase())
        else {
            continue;
        };
        let Some(&p) = index.get(&parent_key) else {
            diagnostics.push(Diagnostic::warning(
                path,
                entries[i].line,
                format!(
                    "entry \"{}\" cross-references \"{parent_key}\", which is not in this file",
                    entries[i].key
                ),
            ));
            continue;
        };
        if p == i {
            continue;
        }
        let parent = entries[p].fields.clone();
        let child = &mut entries[i];
        for f in parent {
            let name = match f.name.as_str() {
                "title" => "booktitle".to_string(),
                "subtitle" => "booksubtitle".to_string(),
                "crossref" | "ids" | "shorttitle" | "sorttitle" | "indextitle"
                | "indexsorttitle" | "entryset" | "related" => continue,
                _ => f.name.clone(),
            };
            if child.fields.iter().all(|c| c.name != name) {
                child.fields.push(Field { name, ..f });
            }
        }
    }
}

const USED_FIELDS: &[&str] = &[
    "title",
    "series",
    "subtitle",
    "author",
    "editor",
    "journal",
    "journaltitle",
    "booktitle",
    "year",
    "date",
    "month",
    "day",
    "volume",
    "number",
    "pages",
    "doi",
    "issn",
    "isbn",
    "keywords",
    "abstract",
    "publisher",
    "institution",
    "school",
    "url",
    "langid",
    "language",
    "pmid",
    "organization",
];

fn kind_of(entry_type: &str) -> Kind {
    match entry_type {
        "article" => Kind::Article,
        "inbook" | "incollection" | "bookinbook" | "suppbook" | "suppcollection" => Kind::Chapter,
        "book" | "mvbook" | "collection" | "mvcollection" | "proceedings" | "mvproceedings" => {
            Kind::Book
        }
        "inproceedings" | "conference" => Kind::Conference,
        "techreport" | "report" => Kind::Report,
        "phdthesis" | "mastersthesis" | "thesis" => Kind::Thesis,
        _ => Kind::Other,
    }
}

fn to_record(e: &Entry, path: &str, diagnostics: &mut Vec<Diagnostic>) -> Record {
    for f in &e.fields {
        if USED_FIELDS.contains(&f.name.as_str()) {
            for m in &f.undefined {
                diagnostics.push(Diagnostic::warning(
                    path,
                    f.line,
                    format!(
                        "entry \"{}\": field \"{}\" uses the undefined @string macro \"{m}\", read as empty",
                        e.key, f.name
                    ),
                ));
            }
        }
    }
    let text = |name: &str| e.get(name).map(latex_to_text).filter(|s| !s.is_empty());
    let mut r = Record::new(library::source(path, Format::Bibtex, e.line));
    r.kind = kind_of(&e.kind);
    r.title = match (text("title"), text("subtitle")) {
        (Some(t), Some(s)) => Some(format!("{}: {s}", t.trim_end_matches([':', '.']))),
        (t, _) => t,
    };
    r.authors = e
        .get("author")
        .or_else(|| e.get("editor"))
        .map(parse_names)
        .unwrap_or_default();
    // A @proceedings entry repeats its title as booktitle: that is no container. A book's
    // series is where the book appears.
    r.container = text("journaltitle")
        .or_else(|| text("journal"))
        .or_else(|| text("booktitle").filter(|b| Some(b) != r.title.as_ref()))
        .or_else(|| {
            matches!(
                r.kind,
                Kind::Book | Kind::Report | Kind::Thesis | Kind::Other
            )
            .then(|| text("series"))
            .flatten()
        });
    let (date, year) = date_of(e);
    r.date = date;
    r.year = year;
    r.volume = text("volume");
    r.issue = text("number").or_else(|| text("issue"));
    r.pages = text("pages").and_then(|p| normalize_pages(&p));
    r.doi = e.get("doi").map(verbatim).and_then(|d| bare_doi(&d));
    r.issn = e.get("issn").map(identifiers).unwrap_or_default();
    r.isbn = e.get("isbn").map(identifiers).unwrap_or_default();
    r.keywords = text("keywords")
        .map(|k| split_keywords(&k))
        .unwrap_or_default();
    r.abstract_sections = text("abstract")
        .map(|a| sections::split(&a))
        .unwrap_or_default();
    r.publisher = text("publisher")
        .or_else(|| text("institution"))
        .or_else(|| text("school"))
        .or_else(|| text("organization"));
    r.url = e.get("url").map(verbatim).filter(|u| !u.is_empty());
    r.language = text("langid").or_else(|| text("language"));
    r.pmid = text("pmid");
    r
}

/// `date` (BibLaTeX, first end of a range) or `year` + `month` + `day`.
fn date_of(e: &Entry) -> (Option<String>, Option<i32>) {
    if let Some(d) = e.get("date").map(clean_text) {
        let first = d.split('/').next().unwrap_or("").trim();
        let parts: Vec<&str> = first.split('-').collect();
        let ok = parts
            .first()
            .is_some_and(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
            && parts
                .iter()
                .skip(1)
                .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()))
            && parts.len() <= 3;
        if ok {
            return (Some(first.to_string()), parts[0].parse().ok());
        }
    }
    let year_text = e.get("year").map(latex_to_text).unwrap_or_default();
    let digits: String = year_text
        .chars()
        .filter(char::is_ascii_digit)
        .take(4)
        .collect();
    let year: Option<i32> = (digits.len() == 4
        && year_text
            .trim_start()
            .starts_with(|c: char| c.is_ascii_digit()))
    .then(|| digits.parse().ok())
    .flatten();
    let Some(y) = year else {
        return (None, None);
    };
    let month = e.get("month").map(latex_to_text).and_then(|m| {
        m.trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=12).contains(n))
            .or_else(|| month_number(&m))
    });
    let day = e
        .get("day")
        .and_then(|d| clean_text(d).parse::<u32>().ok())
        .filter(|d| (1..=31).contains(d));
    let date = match (month, day) {
        (Some(m), Some(d)) => format!("{y:04}-{m:02}-{d:02}"),
        (Some(m), None) => format!("{y:04}-{m:02}"),
        _ => format!("{y:04}"),
    };
    (Some(date), Some(y))
}

/// ISSN/ISBN lists such as "0003-049X (print), 2326-9243 (electronic)".
fn identifiers(raw: &str) -> Vec<String> {
    let text = unescape(raw);
    let mut out: Vec<String> = Vec::new();
    for part in text.split([',', ';']) {
        if let Some(id) = part.split_whitespace().next() {
            let id = id.trim_matches(|c: char| !c.is_ascii_alphanumeric());
            if id.chars().any(|c| c.is_ascii_digit()) && !out.iter().any(|o| o == id) {
                out.push(id.to_string());
            }
        }
    }
    out
}

/// Keywords split on ';' when there is one (then commas belong to the keyword, as in
/// "Printing, Practical; Type-setting"), else on ','.
pub fn split_keywords(text: &str) -> Vec<String> {
    let sep = if text.contains(';') { ';' } else { ',' };
    let mut out: Vec<String> = Vec::new();
    for k in text.split(sep) {
        let k = clean_text(k);
        if !k.is_empty() && !out.contains(&k) {
            out.push(k);
        }
    }
    out
}

/// A name list "A and B and others": split at " and " outside braces; "others" dropped.
fn parse_names(raw: &str) -> Vec<Author> {
    split_top_level_words(raw, |w| w.eq_ignore_ascii_case("and"))
        .into_iter()
        .filter(|n| !n.trim().is_empty() && !n.trim().eq_ignore_ascii_case("others"))
        .map(|n| parse_name(&n))
        .filter(|a| !a.name.is_empty())
        .collect()
}

/// Splits at whitespace-separated words (outside braces) for which `is_sep` holds.
fn split_top_level_words(raw: &str, is_sep: impl Fn(&str) -> bool) -> Vec<String> {
    let words = top_level_words(raw);
    let mut out = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for w in words {
        if is_sep(w) {
            out.push(cur.join(" "));
            cur.clear();
        } else {
            cur.push(w);
        }
    }
    out.push(cur.join(" "));
    out
}

/// Words separated by whitespace (or '~') at brace depth 0.
fn top_level_words(raw: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut depth = 0i32;
    let mut start: Option<usize> = None;
    let mut prev_backslash = false;
    for (i, c) in raw.char_indices() {
        let sep = depth == 0 && (c.is_whitespace() || (c == '~' && !prev_backslash));
        if sep {
            if let Some(s) = start.take() {
                words.push(&raw[s..i]);
            }
        } else if start.is_none() {
            start = Some(i);
        }
        match c {
            '{' if !prev_backslash => depth += 1,
            '}' if !prev_backslash => depth = (depth - 1).max(0),
            _ => {}
        }
        prev_backslash = c == '\\' && !prev_backslash;
    }
    if let Some(s) = start {
        words.push(&raw[s..]);
    }
    words
}

/// Splits at commas outside braces.
fn split_top_level_commas(raw: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in raw.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&raw[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&raw[start..]);
    parts
}

/// A "von" word starts with a lower-case letter outside braces.
fn is_von(word: &str) -> bool {
    if word.starts_with('{') && !word.starts_with("{\\") {
        return false;
    }
    latex_to_text(word)
        .chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(char::is_lowercase)
}

/// One BibTeX name: "First von Last", "von Last, First" or "von Last, Jr, First". A "Jr"
/// part stays with the family name ("Last, Jr"), so that writing "Family, Given" reads back
/// the same.
fn parse_name(raw: &str) -> Author {
    let parts: Vec<&str> = split_top_level_commas(raw)
        .into_iter()
        .map(str::trim)
        .collect();
    let (family, given) = match parts.as_slice() {
        [whole] => {
            let words = top_level_words(whole);
            match words.len() {
                0 => (String::new(), String::new()),
                1 => (words[0].to_string(), String::new()),
                n => {
                    let von = words[..n - 1].iter().position(|w| is_von(w));
                    let split = von.unwrap_or(n - 1);
                    (words[split..].join(" "), words[..split].join(" "))
                }
            }
        }
        [last, first] => (last.to_string(), first.to_string()),
        [last, jr, first, ..] => (format!("{last}, {jr}"), first.to_string()),
        [] => (String::new(), String::new()),
    };
    Author::from_parts(&latex_to_text(&family), &latex_to_text(&given))
}

/// DOIs and URLs: braces, escapes and spaces removed, nothing else touched ('~' and "--" stay).
fn verbatim(raw: &str) -> String {
    unescape(raw).replace(' ', "")
}

/// Braces and escapes removed.
fn unescape(raw: &str) -> String {
    let raw = raw.trim();
    let raw = raw
        .strip_prefix("\\url{")
        .or_else(|| raw.strip_prefix("\\href{"))
        .map_or(raw, |r| r.split('}').next().unwrap_or(r));
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' | '}' => {}
            '\\' => {
                if let Some(&n) = chars.peek() {
                    if !n.is_ascii_alphabetic() {
                        out.push(n);
                        chars.next();
                    }
                }
            }
            _ => out.push(c),
        }
    }
    clean_text(&out)
}

fn combining(accent: &str) -> Option<char> {
    Some(match accent {
        "'" => '\u{301}',
        "`" => '\u{300}',
        "^" => '\u{302}',
        "\"" => '\u{308}',
        "~" => '\u{303}',
        "=" => '\u{304}',
        "." => '\u{307}',
        "u" => '\u{306}',
        "v" => '\u{30c}',
        "H" => '\u{30b}',
        "c" => '\u{327}',
        "k" => '\u{328}',
        "r" => '\u{30a}',
        "d" => '\u{323}',
        "b" => '\u{331}',
        "t" => '\u{361}',
        _ => return None,
    })
}

/// Commands that stand for text.
fn command_text(name: &str) -> Option<&'static str> {
    Some(match name {
        "i" => "ı",
        "j" => "ȷ",
        "l" => "ł",
        "L" => "Ł",
        "o" => "ø",
        "O" => "Ø",
        "ss" => "ß",
        "SS" => "SS",
        "ae" => "æ",
        "AE" => "Æ",
        "oe" => "œ",
        "OE" => "Œ",
        "aa" => "å",
        "AA" => "Å",
        "dh" => "ð",
        "DH" => "Ð",
        "th" => "þ",
        "TH" => "Þ",
        "ng" => "ŋ",
        "NG" => "Ŋ",
        "dj" => "đ",
        "DJ" => "Đ",
        "textendash" | "endash" => "–",
        "textemdash" | "emdash" => "—",
        "hyphen" | "textendashhyphen" => "-",
        "textbackslash" => "\\",
        "textasciitilde" => "~",
        "textasciicircum" => "^",
        "textunderscore" => "_",
        "textbar" => "|",
        "textless" => "<",
        "textgreater" => ">",
        "textquoteleft" => "‘",
        "textquoteright" => "’",
        "textquotedblleft" => "“",
        "textquotedblright" => "”",
        "dots" | "ldots" | "textellipsis" => "…",
        "copyright" | "textcopyright" => "©",
        "textregistered" => "®",
        "texttrademark" => "™",
        "textdegree" => "°",
        "S" | "textsection" => "§",
        "P" | "textparagraph" => "¶",
        "pounds" | "textsterling" => "£",
        "euro" | "texteuro" => "€",
        "guillemotleft" | "guillemetleft" => "«",
        "guillemotright" | "guillemetright" => "»",
        "slash" => "/",
        "TeX" => "TeX",
        "LaTeX" => "LaTeX",
        "LaTeXe" => "LaTeX2e",
        "BibTeX" => "BibTeX",
        "AmSTeX" => "AmSTeX",
        "METAFONT" => "METAFONT",
        "nobreakspace" | "space" | "quad" | "qquad" | "enspace" | "thinspace" => " ",
        "alpha" => "α",
        "beta" => "β",
        "gamma" => "γ",
        "delta" => "δ",
        "epsilon" | "varepsilon" => "ε",
        "lambda" => "λ",
        "mu" => "μ",
        "pi" => "π",
        "sigma" => "σ",
        "tau" => "τ",
        "phi" | "varphi" => "φ",
        "omega" => "ω",
        "Delta" => "Δ",
        "Omega" => "Ω",
        "times" => "×",
        "pm" => "±",
        "le" | "leq" => "≤",
        "ge" | "geq" => "≥",
        "infty" => "∞",
        "cdot" => "·",
        "to" | "rightarrow" => "→",
        _ => return None,
    })
}

/// Commands whose argument is not text to show (sort keys, citations).
fn drops_argument(name: &str) -> bool {
    matches!(
        name,
        "noopsort"
            | "SortNoop"
            | "sortnoop"
            | "cite"
            | "citeauthor"
            | "nocite"
            | "label"
            | "index"
            | "hyphenation"
            | "ignore"
            | "footnote"
    )
}

/// Quotation commands whose argument is shown in quotation marks.
fn quotes_argument(name: &str) -> bool {
    matches!(name, "mkbibquote" | "enquote" | "textquote")
}

/// LaTeX markup to clean Unicode text: accents composed, braces dropped, commands with a
/// text argument replaced by the argument, "--" an en dash, '~' a space.
pub fn latex_to_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let chars: Vec<char> = raw.chars().collect();
    decode_into(&chars, &mut 0, &mut out, false);
    // Only accents written as commands add combining marks; plain text skips composition.
    if out.chars().any(|c| ('\u{300}'..='\u{36f}').contains(&c)) {
        out = out.nfc().collect();
    }
    clean_text(&out)
}

/// Decodes from `*i` to the end (or, with `group`, to the '}' closing the current group).
fn decode_into(c: &[char], i: &mut usize, out: &mut String, group: bool) {
    let mut math = false;
    while let Some(&ch) = c.get(*i) {
        *i += 1;
        match ch {
            '{' => decode_into(c, i, out, true),
            '}' if group => return,
            '}' => {}
            '$' => math = !math,
            '^' | '_' if math => {}
            '~' => out.push(' '),
            '-' if !math && c.get(*i) == Some(&'-') => {
                if c.get(*i + 1) == Some(&'-') {
                    *i += 2;
                    out.push('—');
                } else {
                    *i += 1;
                    out.push('–');
                }
            }
            '`' if c.get(*i) == Some(&'`') => {
                *i += 1;
                out.push('“');
            }
            '\'' if c.get(*i) == Some(&'\'') => {
                *i += 1;
                out.push('”');
            }
            '`' => out.push('‘'),
            '\\' => command(c, i, out),
            _ => out.push(ch),
        }
    }
}

/// Reads a `{...}` argument (or a single character) after a command, decoded.
fn argument(c: &[char], i: &mut usize) -> String {
    while c.get(*i).is_some_and(|ch| *ch == ' ') {
        *i += 1;
    }
    let mut s = String::new();
    match c.get(*i) {
        Some('{') => {
            *i += 1;
            decode_into(c, i, &mut s, true);
        }
        Some('\\') => {
            *i += 1;
            command(c, i, &mut s);
        }
        Some(&ch) => {
            *i += 1;
            s.push(ch);
        }
        None => {}
    }
    s
}

fn command(c: &[char], i: &mut usize, out: &mut String) {
    let Some(&first) = c.get(*i) else {
        return;
    };
    let name: String = if first.is_ascii_alphabetic() {
        let start = *i;
        while c.get(*i).is_some_and(char::is_ascii_alphabetic) {
            *i += 1;
        }
        c[start..*i].iter().collect()
    } else {
        *i += 1;
        first.to_string()
    };
    let accent = combining(&name);
    let letter_command = first.is_ascii_alphabetic();
    if let Some(mark) = accent.filter(|_| {
        // \u, \v, ... are accents only when followed by an argument, not as words.
        !letter_command || matches!(c.get(*i), Some('{') | Some(' ') | Some('\\'))
    }) {
        let arg = argument(c, i);
        let mut chars = arg.chars();
        match chars.next() {
            Some(base) => {
                out.push(match base {
                    'ı' => 'i',
                    'ȷ' => 'j',
                    b => b,
                });
                out.push(mark);
                out.extend(chars);
            }
            None => out.push(mark),
        }
        return;
    }
    if letter_command {
        // TeX swallows the spaces after a command name.
        while c.get(*i).is_some_and(|ch| *ch == ' ' || *ch == '\n') {
            *i += 1;
        }
    }
    match name.as_str() {
        "\\" | " " | "," | ";" | ":" => out.push(' '),
        "-" | "/" | "@" | "!" => {}
        "path" | "verb" => {
            if let Some(&delim) = c.get(*i) {
                *i += 1;
                let close = if delim == '{' { '}' } else { delim };
                while let Some(&ch) = c.get(*i) {
                    *i += 1;
                    if ch == close {
                        break;
                    }
                    out.push(ch);
                }
            }
        }
        n if command_text(n).is_some() => out.push_str(command_text(n).unwrap_or_default()),
        n if drops_argument(n) => {
            argument(c, i);
        }
        n if quotes_argument(n) => {
            let arg = argument(c, i);
            out.push('“');
            out.push_str(&arg);
            out.push('”');
        }
        n if !letter_command => out.push_str(n),
        // Any other command (\emph, \textbf, \url, \protect ...) is dropped; its argument
        // is read as ordinary text.
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Record {
        let p = parse(text, "t.bib");
        assert_eq!(p.records.len(), 1, "{:?}", p.diagnostics);
        p.records.into_iter().next().unwrap_or_default()
    }

    #[test]
    fn latex_accents_and_markup() {
        assert_eq!(latex_to_text(r#"{\"o}zge T{\"u}rkmen"#), "özge Türkmen");
        assert_eq!(
            latex_to_text(r"Caf\'e \'{e} \`a \^o \~n \c{c} \v{s} \H{o}"),
            "Café é à ô ñ ç š ő"
        );
        assert_eq!(
            latex_to_text(r"Stra{\ss}e Aks{\i}n \'\i{} {\o} {\aa} Bronis{\l}aw"),
            "Straße Aksın í ø å Bronisław"
        );
        assert_eq!(
            latex_to_text(r"Dick \& Fitzgerald, 50\%"),
            "Dick & Fitzgerald, 50%"
        );
        assert_eq!(
            latex_to_text(r"{Title Case Protection} \emph{x} \textbf{bold}"),
            "Title Case Protection x bold"
        );
        assert_eq!(latex_to_text("1736--1739 and---so"), "1736–1739 and—so");
        assert_eq!(latex_to_text(r"J.~Chem. Phys."), "J. Chem. Phys.");
        assert_eq!(
            latex_to_text(r"\mkbibquote{Intention} und"),
            "“Intention” und"
        );
        assert_eq!(latex_to_text(r"{\noopsort{1973b}}1973"), "1973");
        assert_eq!(
            latex_to_text(r"Font Comparisons for $5\times7$ Dot"),
            "Font Comparisons for 5×7 Dot"
        );
        assert_eq!(latex_to_text(r"The {\TeX book}"), "The TeXbook");
        assert_eq!(latex_to_text(r"Com{\-}pu{\-}ter"), "Computer");
    }

    #[test]
    fn names_in_every_form() {
        let r = one(
            r#"@book{k, author = "Aks{\i}n, {\"O}zge and Ludwig van Beethoven and {Barnes and Noble} and de la Fontaine, Jr, Jean and others", title={T}}"#,
        );
        let names: Vec<(&str, Option<&str>, Option<&str>)> = r
            .authors
            .iter()
            .map(|a| (a.name.as_str(), a.family.as_deref(), a.given.as_deref()))
            .collect();
        assert_eq!(
            names,
            vec![
                ("Özge Aksın", Some("Aksın"), Some("Özge")),
                (
                    "Ludwig van Beethoven",
                    Some("van Beethoven"),
                    Some("Ludwig")
                ),
                ("Barnes and Noble", Some("Barnes and Noble"), None),
                (
                    "Jean de la Fontaine, Jr",
                    Some("de la Fontaine, Jr"),
                    Some("Jean")
                ),
            ]
        );
    }

    #[test]
    fn macros_concatenation_and_fields() {
        let r = one(r#"@String{j-X:adr = "Rochester"}
@string{jn = {Journal of } # "Tests"}
% a comment with me@example.org
@comment{ignored @article{no, title={No}} }
@preamble{ "\hyphenation{a-b}" }
@Article{Key:2001:X,
  author = "Smith, John",
  title = "A {DNA} study",
  journal = jn # " and " # j-X:adr,
  year = 2001, month = mar,
  volume = "12", number = "3", pages = "126--134",
  doi = "https://doi.org/10.1000/ab--c_d",
  keywords = "Printing, Practical; Type-setting",
  issn = "0003-049X (print), 2326-9243 (electronic)",
  note = "ignored",
}"#);
        assert_eq!(r.kind, Kind::Article);
        assert_eq!(r.title.as_deref(), Some("A DNA study"));
        assert_eq!(
            r.container.as_deref(),
            Some("Journal of Tests and Rochester")
        );
        assert_eq!(r.date.as_deref(), Some("2001-03"));
        assert_eq!(r.year, Some(2001));
        assert_eq!(r.issue.as_deref(), Some("3"));
        assert_eq!(r.pages.as_deref(), Some("126-134"));
        assert_eq!(r.doi.as_deref(), Some("10.1000/ab--c_d"));
        assert_eq!(r.keywords, vec!["Printing, Practical", "Type-setting"]);
        assert_eq!(r.issn, vec!["0003-049X", "2326-9243"]);
        assert_eq!(r.source.line, 6);
    }

    #[test]
    fn crossref_inherits_from_parent() {
        let p = parse(
            "@incollection{child, author={A, B}, title={Part}, crossref={parent}, pages={1--2}}\n\
             @collection{parent, editor={E, F}, title={The Book}, year=1999, publisher={Pub}}",
            "t.bib",
        );
        let c = &p.records[0];
        assert_eq!(c.kind, Kind::Chapter);
        assert_eq!(c.title.as_deref(), Some("Part"));
        assert_eq!(c.container.as_deref(), Some("The Book"));
        assert_eq!(c.year, Some(1999));
        assert_eq!(c.publisher.as_deref(), Some("Pub"));
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    }

    #[test]
    fn truncated_entry_is_an_error_and_the_rest_loads() {
        let p = parse(
            "@article{good1, title={One}, year=2000}\n\n@article{bad, title={Two, year=2001,\n  author={X, Y}\n@article{good2, title={Three}, year=2002}\n",
            "t.bib",
        );
        let titles: Vec<_> = p
            .records
            .iter()
            .map(|r| r.title.clone().unwrap_or_default())
            .collect();
        assert_eq!(titles, vec!["One", "Three"]);
        assert_eq!(p.records[1].source.line, 5);
        assert_eq!(p.diagnostics.len(), 1);
        let d = &p.diagnostics[0];
        assert_eq!(d.severity, crate::diagnostic::Severity::Error);
        assert_eq!(d.line, 3);
        assert!(
            d.message.contains("\"bad\"") && d.message.contains("unbalanced"),
            "{}",
            d.message
        );
    }

    #[test]
    fn file_ending_inside_an_entry() {
        let p = parse(
            "@article{a, title={One}}\n@article{b, title = {Two",
            "t.bib",
        );
        assert_eq!(p.records.len(), 1);
        assert_eq!(p.diagnostics.len(), 1);
        assert_eq!(p.diagnostics[0].line, 2);
    }

    #[test]
    fn unknown_macro_is_a_warning_with_its_line() {
        let p = parse(
            "@article{a,\n  title = {T},\n  journal = j-NOWHERE,\n  acknowledgement = ack-x,\n}\n",
            "t.bib",
        );
        assert_eq!(p.records.len(), 1);
        assert_eq!(p.records[0].container, None);
        assert_eq!(
            p.diagnostics.len(),
            1,
            "only used fields are reported: {:?}",
            p.diagnostics
        );
        assert_eq!(p.diagnostics[0].line, 3);
        assert_eq!(
            p.diagnostics[0].severity,
            crate::diagnostic::Severity::Warning
        );
        assert!(p.diagnostics[0].message.contains("j-nowhere"));
    }

    #[test]
    fn biblatex_date_and_subtitle() {
        let r = one(
            "@book{k, title={Twice-Born}, subtitle={Meaning}, date={1984/1986}, keywords={a, b}}",
        );
        assert_eq!(r.title.as_deref(), Some("Twice-Born: Meaning"));
        assert_eq!(r.date.as_deref(), Some("1984"));
        assert_eq!(r.kind, Kind::Book);
        assert_eq!(r.keywords, vec!["a", "b"]);
    }
}
