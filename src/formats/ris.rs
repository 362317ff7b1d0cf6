//! RIS (`TY  - JOUR` ... `ER  - `), as written by Zotero, EndNote, Ovid, Embase, ProQuest,
//! Scopus, Rayyan and others.
//!
//! Hand-written rather than the `biblib` crate: on the real corpus biblib reads 12 records from
//! the 6 in ovid_psycinfo.ris (fields after `ER` start new records), merges multi-line KW values
//! into one keyword (ris_issue_992.txt), drops a malformed year without a word, loses the
//! line breaks that carry abstract headings, and gives no line numbers; see the tests
//! `biblib_failure_fields_after_er`, `biblib_failure_multi_line_keywords`,
//! `biblib_failure_faulty_year` and `biblib_failure_line_labels` below.
//!
//! The parser works line by line over `&str` and keeps each field as a slice of the input, so
//! it allocates only for the values it keeps. Large inputs are cut after `ER  -` lines and the
//! pieces parsed in parallel ([`parse_parallel`]); the result is the same as [`parse_range`]
//! over the whole text.

use super::{sections, Format, Parsed};
use crate::diagnostic::Diagnostic;
use crate::library;
use crate::record::{bare_doi, clean_text, clean_text_cow, month_number, Author, Kind, Record};
use rayon::prelude::*;

/// Inputs larger than this are parsed in parallel pieces.
const PARALLEL_THRESHOLD: usize = 4 << 20;
/// Target size of one piece.
const CHUNK_SIZE: usize = 2 << 20;

pub fn parse(text: &str, path: &str) -> Parsed {
    if text.len() >= PARALLEL_THRESHOLD {
        parse_parallel(text, path)
    } else {
        parse_range(text, path, 0)
    }
}

/// Parses in pieces cut after `ER  -` lines, in parallel; same output as a sequential parse.
pub fn parse_parallel(text: &str, path: &str) -> Parsed {
    parse_in_pieces(text, path, CHUNK_SIZE)
}

fn parse_in_pieces(text: &str, path: &str, size: usize) -> Parsed {
    let pieces = split_pieces(text, size);
    let lines: Vec<usize> = pieces
        .par_iter()
        .map(|p| memchr::memchr_iter(b'\n', p.as_bytes()).count())
        .collect();
    let mut offsets = Vec::with_capacity(pieces.len());
    let mut total = 0;
    for n in &lines {
        offsets.push(total);
        total += n;
    }
    let parts: Vec<Parsed> = pieces
        .par_iter()
        .zip(offsets.par_iter())
        .map(|(p, &off)| parse_piece(p, path, off))
        .collect();
    let mut out = Parsed {
        records: Vec::with_capacity(parts.iter().map(|p| p.records.len()).sum()),
        diagnostics: Vec::new(),
    };
    for mut p in parts {
        out.records.append(&mut p.records);
        out.diagnostics.append(&mut p.diagnostics);
    }
    if out.records.is_empty() && out.diagnostics.is_empty() {
        out.diagnostics.push(no_records(path));
    }
    out
}

/// Cuts `text` into pieces of about `size` bytes, each ending just after an `ER  -` line, so
/// every piece starts outside a record.
pub fn split_pieces(text: &str, size: usize) -> Vec<&str> {
    let finder = memchr::memmem::Finder::new(b"\nER  -");
    let bytes = text.as_bytes();
    let mut pieces = Vec::new();
    let mut start = 0;
    while start < bytes.len() {
        let want = start + size.max(1);
        if want >= bytes.len() {
            pieces.push(&text[start..]);
            break;
        }
        let Some(found) = finder.find(&bytes[want..]) else {
            pieces.push(&text[start..]);
            break;
        };
        let tag_line = want + found + 1;
        let end =
            memchr::memchr(b'\n', &bytes[tag_line..]).map_or(bytes.len(), |n| tag_line + n + 1);
        pieces.push(&text[start..end]);
        start = end;
    }
    pieces
}

/// One tag's value: a slice of the input, continuation lines included (with their line breaks).
#[derive(Debug, Clone, Copy)]
struct Field<'a> {
    tag: [u8; 2],
    value: &'a str,
    line: usize,
}

/// Parses `text` whose first line is line `line_offset + 1` of the file (a byte range of a
/// larger file that starts outside a record, as [`split_pieces`] cuts it).
pub fn parse_range(text: &str, path: &str, line_offset: usize) -> Parsed {
    let mut out = parse_piece(text, path, line_offset);
    if out.records.is_empty() && out.diagnostics.is_empty() {
        out.diagnostics.push(no_records(path));
    }
    out
}

fn parse_piece(text: &str, path: &str, line_offset: usize) -> Parsed {
    let mut out = Parsed::default();
    // Room for a record per "TY" line, so that the records are not moved as the vector grows
    // (growing it was 2% of parsing 10k records, callgrind); at most one per 256 bytes, so
    // that text full of "TY  -" cannot ask for more than a few times its size.
    let ty = memchr::memmem::find_iter(text.as_bytes(), b"TY  -").count();
    out.records.reserve(ty.min(text.len() / 256));
    let mut fields: Vec<Field> = Vec::with_capacity(64);
    // Start line of the open record, if any.
    let mut open: Option<usize> = None;
    // Byte range of the last field's value, to extend with continuation lines.
    let mut last: Option<(usize, usize)> = None;
    let mut stray_title: Option<usize> = None;
    let bytes = text.as_bytes();
    let mut pos = 0;
    let mut line_no = line_offset;
    while pos < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |n| pos + n);
        let line_start = pos;
        pos = end + 1;
        line_no += 1;
        let mut line = &text[line_start..end];
        line = line.strip_suffix('\r').unwrap_or(line);
        let line_trim_start = line.strip_prefix('\u{feff}').unwrap_or(line);
        match tag_line(line_trim_start) {
            Some((tag, value)) => {
                let value_start = value.as_ptr() as usize - text.as_ptr() as usize;
                match &tag {
                    b"TY" => {
                        if let Some(start) = open.take() {
                            out.diagnostics.push(Diagnostic::warning(
                                path,
                                start,
                                format!(
                                    "the record starting here has no end line (ER  - ); it was read up to line {} where the next record begins",
                                    line_no - 1
                                ),
                            ));
                            finish(&fields, path, start, &mut out);
                        }
                        fields.clear();
                        open = Some(line_no);
                        fields.push(Field {
                            tag,
                            value,
                            line: line_no,
                        });
                        last = Some((fields.len() - 1, value_start + value.len()));
                    }
                    b"ER" => {
                        if let Some(start) = open.take() {
                            finish(&fields, path, start, &mut out);
                        }
                        fields.clear();
                        last = None;
                    }
                    _ if open.is_some() => {
                        fields.push(Field {
                            tag,
                            value,
                            line: line_no,
                        });
                        last = Some((fields.len() - 1, value_start + value.len()));
                    }
                    _ => {
                        // Ovid writes NL and link lines after ER; only a lost title is worth a word.
                        if matches!(&tag, b"TI" | b"T1") && stray_title.is_none() {
                            stray_title = Some(line_no);
                        }
                        last = None;
                    }
                }
            }
            None => {
                // A continuation line (or a blank one) belongs to the field above it.
                if let (Some(_), Some((i, _))) = (open, last) {
                    let new_end = line_start + line.len();
                    if let Some(f) = fields.get_mut(i) {
                        let start = f.value.as_ptr() as usize - text.as_ptr() as usize;
                        f.value = &text[start..new_end];
                        last = Some((i, new_end));
                    }
                }
            }
        }
    }
    if let Some(start) = open {
        out.diagnostics.push(Diagnostic::warning(
            path,
            start,
            "the record starting here has no end line (ER  - ): the file may be cut short; the record was kept",
        ));
        finish(&fields, path, start, &mut out);
    }
    if let Some(line) = stray_title {
        out.diagnostics.push(Diagnostic::warning(
            path,
            line,
            "a title outside any record (no TY  - line before it) was skipped",
        ));
    }
    out
}

fn no_records(path: &str) -> Diagnostic {
    Diagnostic::error(
        path,
        0,
        "no RIS records found (a record begins with a line \"TY  - \")",
    )
}

const KNOWN_TAGS: [[u8; 2]; 33] = [
    *b"TY", *b"ER", *b"TI", *b"T1", *b"T2", *b"CT", *b"BT", *b"JF", *b"JO", *b"JA", *b"J2", *b"AU",
    *b"A1", *b"A2", *b"PY", *b"Y1", *b"DA", *b"VL", *b"IS", *b"SP", *b"EP", *b"SN", *b"DO", *b"UR",
    *b"PB", *b"LA", *b"KW", *b"AB", *b"N2", *b"AD", *b"N1", *b"U3", *b"ID",
];

/// "TY  - JOUR" -> (TY, "JOUR"); also "1. TY  - JOUR" (Ovid numbering) and "ER  -".
fn tag_line(line: &str) -> Option<([u8; 2], &str)> {
    let b = line.as_bytes();
    if b.len() >= 5 && b[0].is_ascii_digit() {
        // "12. TY  - JOUR": numbered records.
        let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
        if b.get(digits) == Some(&b'.') {
            let rest = line.get(digits + 1..)?.trim_start();
            return tag_line(rest).filter(|(t, _)| t == b"TY");
        }
        return None;
    }
    if b.len() < 3
        || !b[0].is_ascii_uppercase()
        || !(b[1].is_ascii_uppercase() || b[1].is_ascii_digit())
    {
        return None;
    }
    let tag = [b[0], b[1]];
    let spaces = b[2..].iter().take_while(|&&c| c == b' ').count();
    let dash = 2 + spaces;
    if b.get(dash) != Some(&b'-') || spaces > 3 {
        return None;
    }
    // The standard "TI  - " takes any tag; other spacing ("TI - ") only tags we read, so a
    // continuation line such as "UK - based study" stays text.
    if spaces != 2 && !KNOWN_TAGS.contains(&tag) {
        return None;
    }
    let value = match b.get(dash + 1) {
        None => line.get(dash + 1..)?,
        Some(b' ') | Some(b'\t') => line.get(dash + 2..)?,
        Some(_) => return None,
    };
    Some(([b[0], b[1]], value))
}

/// Turns one record's fields into a Record.
fn finish(fields: &[Field], path: &str, start: usize, out: &mut Parsed) {
    let mut r = Record::new(library::source(path, Format::Ris, start));
    let mut title_alt: Option<String> = None;
    let mut containers: [Option<&str>; 6] = [None; 6];
    let mut primary: Vec<Author> = Vec::new();
    let mut secondary: Vec<Author> = Vec::new();
    let mut addresses: Vec<String> = Vec::new();
    let mut sp: Option<String> = None;
    let mut ep: Option<String> = None;
    let mut year_field: Option<Field> = None;
    let mut da_field: Option<Field> = None;
    let mut abstract_raw: Option<&str> = None;
    for f in fields {
        let v = f.value;
        match &f.tag {
            b"TY" => r.kind = kind_of(v.trim()),
            b"TI" | b"T1" => set_once(&mut r.title, v),
            b"CT" | b"BT" => set_once(&mut title_alt, v),
            b"JF" => set_first(&mut containers[0], v),
            b"T2" => set_first(&mut containers[1], v),
            b"JO" => set_first(&mut containers[2], v),
            b"JA" => set_first(&mut containers[3], v),
            b"J2" => set_first(&mut containers[4], v),
            b"AU" | b"A1" => primary.extend(crate::record::lines(v).filter_map(author)),
            b"A2" => secondary.extend(crate::record::lines(v).filter_map(author)),
            b"PY" | b"Y1" if year_field.is_none() && !v.trim().is_empty() => {
                year_field = Some(*f);
            }
            b"DA" if da_field.is_none() && !v.trim().is_empty() => da_field = Some(*f),
            b"VL" => set_once(&mut r.volume, v),
            b"IS" => set_once(&mut r.issue, v),
            b"SP" => set_once(&mut sp, v),
            b"EP" => set_once(&mut ep, v),
            b"SN" => add_identifiers(v, &mut r.issn, &mut r.isbn),
            b"DO" if r.doi.is_none() => r.doi = bare_doi(v),
            b"UR" if r.url.is_none() => {
                let u = clean_text(crate::record::lines(v).next().unwrap_or(""));
                if is_url(&u) {
                    r.url = Some(u);
                }
            }
            b"PB" => set_once(&mut r.publisher, v),
            b"LA" => set_once(&mut r.language, v),
            b"KW" => {
                for k in crate::record::lines(v) {
                    let k = clean_text(k);
                    if !k.is_empty() && !r.keywords.contains(&k) {
                        r.keywords.push(k);
                    }
                }
            }
            b"AB" | b"N2" if abstract_raw.is_none() && !v.trim().is_empty() => {
                abstract_raw = Some(v);
            }
            b"AD" => {
                for a in crate::record::lines(v) {
                    let a = clean_text(a);
                    if !a.is_empty() && !addresses.contains(&a) {
                        addresses.push(a);
                    }
                }
            }
            b"N1" | b"U3" if r.citations.is_none() => r.citations = cited_by(v),
            _ => {}
        }
    }
    if r.title.is_none() && matches!(r.kind, Kind::Book | Kind::Other) {
        r.title = title_alt;
    }
    r.container = containers
        .iter()
        .flatten()
        .map(|c| clean_text(c))
        .find(|c| !c.is_empty());
    // Editors (A2) stand in only when a record names no authors at all.
    r.authors = if primary.is_empty() {
        secondary
    } else {
        primary
    };
    attach_addresses(&mut r.authors, addresses);
    r.pages = pages(sp.as_deref(), ep.as_deref());
    if let Some(raw) = abstract_raw {
        r.abstract_sections = sections::split(raw);
    }
    dates(&mut r, year_field, da_field, path, &mut out.diagnostics);
    out.records.push(r);
}

fn set_once(slot: &mut Option<String>, v: &str) {
    if slot.is_none() {
        let v = clean_text(v);
        if !v.is_empty() {
            *slot = Some(v);
        }
    }
}

fn set_first<'a>(slot: &mut Option<&'a str>, v: &'a str) {
    if slot.is_none() && !v.trim().is_empty() {
        *slot = Some(v);
    }
}

fn author(line: &str) -> Option<Author> {
    let line = line.trim();
    (!line.is_empty()).then(|| parse_name(line))
}

/// "Family, Given", "Family Initials" ("Liu R.", "Adler D.G.", "Mangalam H") or "Given Family".
pub(crate) fn parse_name(text: &str) -> Author {
    // Cleaned once here; `Author::parse` would clean the clean text again, so its steps are
    // taken directly below, with the same result.
    let text = clean_text_cow(text);
    if let Some((family, given)) = crate::record::split_once_byte(&text, b',') {
        // Lens.org writes "van den Hoven, null" when the given name is unknown.
        if matches!(given.trim(), "null" | "undefined" | "nan" | "NaN") {
            return Author::from_parts(family, "");
        }
        // Parts of clean text, trimmed, are clean (test `names_from_clean_parts_are_the_same`).
        return Author::from_clean_parts(family.trim(), given.trim());
    }
    match crate::record::rsplit_once_byte(&text, b' ') {
        Some((family, initials)) if is_initials(initials) => {
            Author::from_clean_parts(family, initials)
        }
        Some((given, family)) => Author::from_clean_parts(family, given),
        None => Author::from_clean_parts(&text, ""),
    }
}

/// "R.", "D.G.", "JA", "A.-M.": capitals, dots and hyphens, at most four letters.
fn is_initials(s: &str) -> bool {
    let letters = s.chars().filter(|c| c.is_alphabetic()).count();
    (1..=4).contains(&letters)
        && s.chars().all(|c| c.is_uppercase() || c == '.' || c == '-')
        && (letters <= 3 || s.contains('.'))
}

/// AD lines may name their author: "Trindade, Ines A.: address" (Ovid, and our export) or
/// "D.G. Adler, Department ..." (Embase). The rest go to the first author, whom RIS exports
/// treat as the corresponding one.
fn attach_addresses(authors: &mut [Author], addresses: Vec<String>) {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    for address in addresses {
        let named = address
            .split_once(": ")
            .filter(|(name, rest)| name.len() < 60 && !rest.trim().is_empty())
            .and_then(|(name, rest)| {
                let who = parse_name(name);
                let given = who.given.as_deref().map(squash);
                let same_family = |a: &Author| a.family.is_some() && a.family == who.family;
                authors
                    .iter()
                    .position(|a| same_family(a) && a.given.as_deref().map(squash) == given)
                    .or_else(|| authors.iter().position(same_family))
                    // A family name alone: "van den Berg: Delft".
                    .or_else(|| {
                        let name = squash(name);
                        authors.iter().position(|a| {
                            a.family.as_deref().map(squash) == Some(name.clone())
                                || squash(&a.name) == name
                        })
                    })
                    .map(|i| (i, rest.trim().to_string()))
            });
        let (index, text) = named.unwrap_or_else(|| {
            let head = address.split([':', ',']).next().unwrap_or("");
            let found = authors.iter().position(|a| {
                a.family
                    .as_deref()
                    .is_some_and(|f| head.len() < 60 && has_words(head, f))
            });
            (found.unwrap_or(0), address.clone())
        });
        if let Some(a) = authors.get_mut(index) {
            if !a.affiliations.contains(&text) {
                a.affiliations.push(text);
            }
        }
    }
}

/// Whether `words` occurs in `text` as whole words ("van den Hoven" in "A. van den Hoven").
fn has_words(text: &str, words: &str) -> bool {
    text.match_indices(words).any(|(i, m)| {
        let before = text[..i].chars().next_back();
        let after = text[i + m.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

fn kind_of(ty: &str) -> Kind {
    // Upper case on the stack: every record has a type, an allocation each adds up.
    let mut buf = [0u8; 8];
    let Some(upper) = buf.get_mut(..ty.len()) else {
        return Kind::Other;
    };
    upper.copy_from_slice(ty.as_bytes());
    upper.make_ascii_uppercase();
    match &*upper {
        b"JOUR" | b"JFULL" | b"EJOUR" | b"INPR" | b"MGZN" => Kind::Article,
        b"CHAP" | b"ECHAP" => Kind::Chapter,
        b"BOOK" | b"EBOOK" | b"EDBOOK" => Kind::Book,
        b"CONF" | b"CPAPER" => Kind::Conference,
        b"RPRT" => Kind::Report,
        b"THES" => Kind::Thesis,
        _ => Kind::Other,
    }
}

/// "Cited By :9" (Scopus) -> 9.
fn cited_by(v: &str) -> Option<u64> {
    let first = crate::record::lines(v).next()?.trim();
    let rest = first
        .get(..8)
        .filter(|p| p.eq_ignore_ascii_case("cited by"))
        .and_then(|_| first.get(8..))?;
    rest.trim_start_matches([' ', ':']).trim().parse().ok()
}

fn is_url(u: &str) -> bool {
    let l = u.to_ascii_lowercase();
    (l.starts_with("http://") || l.starts_with("https://") || l.starts_with("ftp://"))
        && !u.contains(' ')
}

/// SN/IS values: ISSNs (8 characters, shown as "1234-567X") and ISBNs (10 or 13) told apart;
/// "(Print)" notes, repeats and anything else are dropped.
pub(crate) fn add_identifiers(v: &str, issn: &mut Vec<String>, isbn: &mut Vec<String>) {
    let v = strip_parentheses(v);
    for token in v.split(|c: char| c == ',' || c == ';' || c.is_whitespace()) {
        // Letters and digits of the token, upper case; longer than any ISSN or ISBN is neither.
        let mut buf = [0u8; 13];
        let mut n = 0;
        for b in token.bytes().filter(u8::is_ascii_alphanumeric) {
            let Some(slot) = buf.get_mut(n) else {
                n += 1;
                break;
            };
            *slot = b.to_ascii_uppercase();
            n += 1;
        }
        let Some(core) = buf.get(..n) else { continue };
        let digits_ok = core
            .iter()
            .enumerate()
            .all(|(i, &c)| c.is_ascii_digit() || (c == b'X' && i == n - 1));
        if !digits_ok {
            continue;
        }
        let core = String::from_utf8_lossy(core);
        match n {
            8 => {
                // By hand: `format!` was 1.5% of a 10k-record load (callgrind).
                let mut f = String::with_capacity(9);
                f.push_str(&core[..4]);
                f.push('-');
                f.push_str(&core[4..]);
                if !issn.contains(&f) {
                    issn.push(f);
                }
            }
            10 | 13 if !isbn.iter().any(|i| *i == core) => isbn.push(core.into_owned()),
            _ => {}
        }
    }
}

fn strip_parentheses(v: &str) -> std::borrow::Cow<'_, str> {
    if !v.contains(['(', ')']) {
        return std::borrow::Cow::Borrowed(v);
    }
    let mut out = String::with_capacity(v.len());
    let mut depth = 0usize;
    for c in v.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => out.push(' '),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// SP/EP to "start-end"; "No"/"Specified" (Ovid's "No Pagination Specified") are not pages.
fn pages(sp: Option<&str>, ep: Option<&str>) -> Option<String> {
    if let Some(p) = digit_pages(sp, ep) {
        return Some(p);
    }
    slow_pages(sp, ep)
}

/// `pages` when each of SP and EP is absent or plain digits (nearly every record), without
/// `normalize_pages`' and `expand_pages`' strings (they were 3% of parsing 100k records,
/// perf; test `digit_pages_are_the_general_ones`). None when that is not so.
fn digit_pages(sp: Option<&str>, ep: Option<&str>) -> Option<String> {
    let digits = |s: &str| !s.is_empty() && s.len() <= 18 && s.bytes().all(|c| c.is_ascii_digit());
    match (sp, ep) {
        (Some(s), None) | (None, Some(s)) if digits(s) => Some(s.to_string()),
        (Some(a), Some(b)) if digits(a) && digits(b) => {
            if a == b {
                return Some(a.to_string());
            }
            let mut out = String::with_capacity(a.len() + 1 + a.len().max(b.len()));
            out.push_str(a);
            out.push('-');
            // "349-56" -> "349-356", when that does not go backwards.
            let start = out.len();
            if b.len() < a.len() {
                out.push_str(&a[..a.len() - b.len()]);
            }
            out.push_str(b);
            if b.len() < a.len() && out[start..].parse::<u64>().ok() < a.parse::<u64>().ok() {
                out.truncate(start);
                out.push_str(b);
            }
            Some(out)
        }
        _ => None,
    }
}

/// `pages` for any SP and EP.
fn slow_pages(sp: Option<&str>, ep: Option<&str>) -> Option<String> {
    let is_page = |s: &&str| {
        s.chars().any(|c| c.is_ascii_digit())
            || (!s.is_empty() && s.chars().all(|c| "ivxlcdmIVXLCDM".contains(c)))
    };
    let sp = sp.filter(is_page);
    let ep = ep.filter(is_page);
    let joined = match (sp, ep) {
        (Some(s), _) if s.contains(['-', '–', '—']) => s.to_string(),
        (Some(s), Some(e)) => format!("{s}-{e}"),
        (Some(s), None) => s.to_string(),
        (None, Some(e)) => e.to_string(),
        (None, None) => return None,
    };
    crate::record::normalize_pages(&joined).map(|p| expand_pages(&p))
}

/// "349-56" -> "349-356"; "145-145" -> "145". Other forms are returned as they are.
pub(crate) fn expand_pages(p: &str) -> String {
    let Some((a, b)) = p.split_once('-') else {
        return p.to_string();
    };
    if a == b {
        return a.to_string();
    }
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    if all_digits(a) && all_digits(b) && b.len() < a.len() {
        let full = format!("{}{}", &a[..a.len() - b.len()], b);
        if full.parse::<u64>().ok() >= a.parse::<u64>().ok() {
            return format!("{a}-{full}");
        }
    }
    p.to_string()
}

/// A date as written in RIS: "2012", "2012///", "2012/06/15/", "2019/10//undefined", "Jan",
/// "Apr 15". Ok(None) when empty; Err when it cannot be read.
type DateParts = (Option<i32>, Option<u32>, Option<u32>);

pub(crate) fn parse_date(s: &str) -> Result<Option<DateParts>, ()> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let mut parts = crate::record::split_byte(s, b'/').map(str::trim);
    let first = parts.next().unwrap_or("");
    let is_year = |p: &str| p.len() == 4 && p.bytes().all(|b| b.is_ascii_digit());
    if is_year(first) {
        let year = first.parse().ok();
        let month = parts.next().and_then(month_of);
        let day = month.and_then(|_| parts.next().and_then(day_of));
        return Ok(Some((year, month, day)));
    }
    // "2019 Jan 15", "Jan 2019", "Apr 15" (month and day, the year in PY).
    let words: Vec<&str> = first.split_whitespace().collect();
    let year = words
        .iter()
        .find(|w| is_year(w))
        .and_then(|w| w.parse().ok());
    let month = words.iter().find_map(|w| month_number(w));
    let day = month.and_then(|_| words.iter().find(|w| w.len() <= 2).and_then(|w| day_of(w)));
    if year.is_none() && month.is_none() {
        return Err(());
    }
    Ok(Some((year, month, day)))
}

fn month_of(p: &str) -> Option<u32> {
    match p.parse::<u32>() {
        Ok(m) if (1..=12).contains(&m) => Some(m),
        Ok(_) => None,
        Err(_) => month_number(p),
    }
}

fn day_of(p: &str) -> Option<u32> {
    p.parse::<u32>().ok().filter(|d| (1..=31).contains(d))
}

/// "YYYY", "YYYY-MM" or "YYYY-MM-DD".
pub(crate) fn format_date(year: i32, month: Option<u32>, day: Option<u32>) -> String {
    // Written digit by digit: `format!` costs more than the rest of a record's date.
    let fits = |n: Option<u32>| n.is_none_or(|n| n < 100);
    if let (Ok(y @ 0..=9999), true, true) = (u32::try_from(year), fits(month), fits(day)) {
        let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
        let mut out = String::with_capacity(10);
        out.extend([digit(y / 1000), digit(y / 100), digit(y / 10), digit(y)]);
        if let Some(m) = month {
            out.extend(['-', digit(m / 10), digit(m)]);
            if let Some(d) = day {
                out.extend(['-', digit(d / 10), digit(d)]);
            }
        }
        return out;
    }
    match (month, day) {
        (Some(m), Some(d)) => format!("{year:04}-{m:02}-{d:02}"),
        (Some(m), None) => format!("{year:04}-{m:02}"),
        _ => format!("{year:04}"),
    }
}

fn dates(
    r: &mut Record,
    py: Option<Field>,
    da: Option<Field>,
    path: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let mut read = |f: Option<Field>| -> Option<DateParts> {
        let f = f?;
        match parse_date(f.value) {
            Ok(d) => d,
            Err(()) => {
                let tag = String::from_utf8_lossy(&f.tag).into_owned();
                let shown: String = clean_text(f.value).chars().take(40).collect();
                diags.push(Diagnostic::warning(
                    path,
                    f.line,
                    format!("cannot read the date \"{tag}  - {shown}\" (expected a year like 2012 or 2012/06/15); the year is left empty"),
                ));
                None
            }
        }
    };
    let py = read(py);
    let da = read(da);
    let year = py.and_then(|d| d.0).or(da.and_then(|d| d.0));
    let Some(year) = year else { return };
    // Month and day from DA when it agrees with the year (or names none), else from PY.
    let (month, day) = match (da, py) {
        (Some((y, m @ Some(_), d)), _) if y.is_none_or(|y| y == year) => (m, d),
        (_, Some((_, m, d))) => (m, d),
        _ => (None, None),
    };
    r.year = Some(year);
    r.date = Some(format_date(year, month, day));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    fn one(text: &str) -> Parsed {
        parse(text, "t.ris")
    }

    /// `parse_name` building from clean parts gives what cleaning each part again gives.
    #[test]
    fn names_from_clean_parts_are_the_same() {
        let reference = |text: &str| -> Author {
            let text = clean_text(text);
            if let Some((family, given)) = text.split_once(',') {
                if matches!(given.trim(), "null" | "undefined" | "nan" | "NaN") {
                    return Author::from_parts(family, "");
                }
                return Author::from_parts(family.trim(), given.trim());
            }
            match text.rsplit_once(' ') {
                Some((family, initials)) if is_initials(initials) => {
                    Author::from_parts(family, initials)
                }
                Some((given, family)) => Author::from_parts(family, given),
                None => Author::from_parts(&text, ""),
            }
        };
        for name in [
            "Liu R.",
            "Adler D.G.",
            "  Smith ,  John  ",
            "van den Hoven, null",
            "Hoven , null",
            "Ann\tLey",
            "Müller,Jörg",
            "Plato",
            "",
            " , ",
            "a,b,c",
            "Given Middle Family",
            "O'Brien, M.-J.",
            "X\u{7}Y Z",
            "\u{a0}Nbsp Name\u{a0}",
        ] {
            assert_eq!(parse_name(name), reference(name), "{name:?}");
        }
    }

    /// `digit_pages` gives what the general way gives, for digits of any length and order.
    #[test]
    fn digit_pages_are_the_general_ones() {
        let numbers = [
            "1",
            "7",
            "9",
            "10",
            "56",
            "99",
            "100",
            "145",
            "349",
            "356",
            "0",
            "00",
            "0349",
            "1000",
            "999999999999999999",
            "123456789012345678",
            "18446744073709551615",
        ];
        let mut tried = 0;
        for a in numbers.iter().map(Some).chain([None]) {
            for b in numbers.iter().map(Some).chain([None]) {
                let (a, b) = (a.copied(), b.copied());
                if let Some(fast) = digit_pages(a, b) {
                    assert_eq!(Some(fast), slow_pages(a, b), "{a:?} {b:?}");
                    tried += 1;
                }
            }
        }
        assert!(tried > 200);
        assert_eq!(digit_pages(Some("12a"), None), None);
        assert_eq!(digit_pages(None, None), None);
    }

    #[test]
    fn basic_record_and_fields() {
        let p = one("TY  - JOUR\r\nTI  - A title\r\nAU  - Ley, Ann\r\nAU  - Liu R.\r\nAU  - van den Hoven, null\r\nPY  - 2012///\r\nDA  - 2012/06/15\r\nJO  - J Abbr\r\nJF  - Journal Full\r\nVL  - 3\r\nIS  - 2\r\nSP  - 349\r\nEP  - 56\r\nSN  - 1747938x\r\nSN  - 978-3-030-58167-1\r\nDO  - https://doi.org/10.1/ABC\r\nUR  - https://x.org/a\r\nPB  - Pub\r\nLA  - English\r\nKW  - one\r\nKW  - two\r\nAB  - BACKGROUND: Why. RESULTS: What.\r\nER  - \r\n");
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let r = &p.records[0];
        assert_eq!(r.kind, Kind::Article);
        assert_eq!(r.title.as_deref(), Some("A title"));
        assert_eq!(r.authors[0].name, "Ann Ley");
        assert_eq!(r.authors[1].family.as_deref(), Some("Liu"));
        assert_eq!(r.authors[1].given.as_deref(), Some("R."));
        assert_eq!(r.authors[2].name, "van den Hoven");
        assert_eq!(r.authors[2].given, None);
        assert_eq!(r.year, Some(2012));
        assert_eq!(r.date.as_deref(), Some("2012-06-15"));
        assert_eq!(r.container.as_deref(), Some("Journal Full"));
        assert_eq!(r.pages.as_deref(), Some("349-356"));
        assert_eq!(r.issn, ["1747-938X"]);
        assert_eq!(r.isbn, ["9783030581671"]);
        assert_eq!(r.doi.as_deref(), Some("10.1/ABC"));
        assert_eq!(r.url.as_deref(), Some("https://x.org/a"));
        assert_eq!(r.publisher.as_deref(), Some("Pub"));
        assert_eq!(r.language.as_deref(), Some("English"));
        assert_eq!(r.keywords, ["one", "two"]);
        assert_eq!(r.abstract_sections.len(), 2);
        assert_eq!(r.abstract_sections[1].label.as_deref(), Some("Results"));
        assert_eq!(r.source.line, 1);
    }

    /// `parse_name` as it was written before it took `Author::parse`'s steps itself.
    fn parse_name_reference(text: &str) -> Author {
        let text = clean_text(text);
        if let Some((family, given)) = text.split_once(',') {
            if matches!(given.trim(), "null" | "undefined" | "nan" | "NaN") {
                return Author::from_parts(family, "");
            }
            return Author::parse(&text);
        }
        if let Some((family, initials)) = text.rsplit_once(' ') {
            if is_initials(initials) {
                return Author::from_parts(family, initials);
            }
        }
        Author::parse(&text)
    }

    #[test]
    fn names_as_author_parse_reads_them() {
        for name in [
            "Ley, Ann",
            " Ley ,  Ann ",
            "Liu R.",
            "Adler D.G.",
            "van den Hoven, null",
            "Kris Deering",
            "Plato",
            "",
            "  ",
            "A,B,C",
            "Ley,\tAnn\u{a0}Marie",
            "Müller, Jürgen",
            "Ann\u{200f} Ley",
            ",",
            "Ley, ",
        ] {
            assert_eq!(parse_name(name), parse_name_reference(name), "{name:?}");
        }
    }

    #[test]
    fn biblib_failure_fields_after_er() {
        // Ovid: a number line before TY and NL/link lines after ER belong to no record.
        let p = one("1.\nTY  - JOUR\nT1  - First\nER  - \nNL  - Clin Psychol\n\nLink to the Ovid Full Text: https://x\n\n2.\nTY  - JOUR\nT1  - Second\nER  - \n");
        assert_eq!(p.records.len(), 2);
        assert!(p.diagnostics.is_empty());
        assert_eq!(p.records[1].title.as_deref(), Some("Second"));
        assert_eq!(p.records[1].source.line, 10);
    }

    #[test]
    fn other_spacing_only_for_known_tags() {
        let p = one("TY - JOUR\nTI - Spaced\nAB - Text\nUK - based study\nER -\n");
        assert_eq!(p.records.len(), 1);
        assert_eq!(p.records[0].title.as_deref(), Some("Spaced"));
        assert_eq!(
            p.records[0].abstract_sections[0].text,
            "Text UK - based study"
        );
    }

    #[test]
    fn numbered_tag_lines() {
        let p = one("1. TY  - JOUR\nTI  - Numbered\nER  -\n");
        assert_eq!(p.records.len(), 1);
        assert_eq!(p.records[0].title.as_deref(), Some("Numbered"));
    }

    #[test]
    fn biblib_failure_multi_line_keywords() {
        let p = one("TY  - JOUR\nKW  - Health Facility Administration\nJoint Commission\nStandards\nTI  - T\nER  - \n");
        assert_eq!(
            p.records[0].keywords,
            [
                "Health Facility Administration",
                "Joint Commission",
                "Standards"
            ]
        );
    }

    #[test]
    fn biblib_failure_faulty_year() {
        let p = one("TY  - JOUR\nTI  - T\nPY  - 10 15\nER  - \n");
        assert_eq!(p.records.len(), 1);
        assert_eq!(p.records[0].year, None);
        assert_eq!(p.diagnostics.len(), 1);
        assert_eq!(p.diagnostics[0].severity, Severity::Warning);
        assert_eq!(p.diagnostics[0].line, 3);
        assert!(p.diagnostics[0].message.contains("10 15"));
    }

    #[test]
    fn biblib_failure_line_labels() {
        let p =
            one("TY  - JOUR\nAB  - Purpose\nWe test.\nMethods\nWe measured.\nTI  - T\nER  - \n");
        let s = &p.records[0].abstract_sections;
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].label.as_deref(), Some("Purpose"));
        assert_eq!(s[1].text, "We measured.");
    }

    #[test]
    fn continuation_lines_join_title() {
        let p = one("TY  - JOUR\nTI  - A long\n  title here\nER  - \n");
        assert_eq!(p.records[0].title.as_deref(), Some("A long title here"));
    }

    #[test]
    fn empty_values_and_missing_title() {
        let p = one("TY  - GEN\nTI  -\nN2  - Text only.\nER  -\n");
        assert!(p.diagnostics.is_empty());
        assert_eq!(p.records[0].title, None);
        assert_eq!(p.records[0].kind, Kind::Other);
        assert_eq!(p.records[0].abstract_sections[0].text, "Text only.");
    }

    #[test]
    fn truncated_record_is_kept_with_warning() {
        let p = one("TY  - JOUR\nTI  - Whole\nER  - \n\nTY  - JOUR\nTI  - Cut\nAU  - Ley, A");
        assert_eq!(p.records.len(), 2);
        assert_eq!(p.records[1].title.as_deref(), Some("Cut"));
        assert_eq!(p.diagnostics.len(), 1);
        assert_eq!(p.diagnostics[0].line, 5);
        assert_eq!(p.diagnostics[0].severity, Severity::Warning);
    }

    #[test]
    fn missing_er_before_next_record() {
        let p = one("TY  - JOUR\nTI  - A\nTY  - BOOK\nTI  - B\nER  - \n");
        assert_eq!(p.records.len(), 2);
        assert_eq!(p.records[1].kind, Kind::Book);
        assert_eq!(p.diagnostics[0].line, 1);
    }

    #[test]
    fn dates_in_vendor_forms() {
        assert_eq!(
            parse_date("2019/10//undefined"),
            Ok(Some((Some(2019), Some(10), None)))
        );
        assert_eq!(
            parse_date("2020/07/10/"),
            Ok(Some((Some(2020), Some(7), Some(10))))
        );
        assert_eq!(parse_date("Jan"), Ok(Some((None, Some(1), None))));
        assert_eq!(parse_date("Apr 15"), Ok(Some((None, Some(4), Some(15)))));
        assert_eq!(parse_date("2019///nan"), Ok(Some((Some(2019), None, None))));
        assert_eq!(parse_date("10 15"), Err(()));
        let p = one("TY  - JOUR\nPY  - 2011\nDA  - Nov\nER  - \n");
        assert_eq!(p.records[0].date.as_deref(), Some("2011-11"));
    }

    #[test]
    fn kinds_in_any_case() {
        assert_eq!(kind_of("jour"), Kind::Article);
        assert_eq!(kind_of("EDBOOK"), Kind::Book);
        assert_eq!(kind_of("Cpaper"), Kind::Conference);
        assert_eq!(kind_of("JOURNALS"), Kind::Other);
        assert_eq!(kind_of("ÉBOOK"), Kind::Other);
        assert_eq!(kind_of(""), Kind::Other);
    }

    #[test]
    fn dates_written_like_format() {
        for (y, m, d) in [
            (2012, Some(6), Some(15)),
            (2012, Some(11), None),
            (7, None, None),
            (1999, None, Some(3)),
            (-5, Some(1), None),
            (12345, None, None),
            (2001, Some(123), Some(4)),
            (2001, Some(1), Some(100)),
        ] {
            let slow = match (m, d) {
                (Some(m), Some(d)) => format!("{y:04}-{m:02}-{d:02}"),
                (Some(m), None) => format!("{y:04}-{m:02}"),
                _ => format!("{y:04}"),
            };
            assert_eq!(format_date(y, m, d), slow);
        }
    }

    #[test]
    fn ovid_no_pagination() {
        let p = one("TY  - JOUR\nSP  - No\nEP  - Specified\nER  - \n");
        assert_eq!(p.records[0].pages, None);
        assert_eq!(pages(Some("e90-e95"), None).as_deref(), Some("e90-e95"));
        assert_eq!(pages(Some("22-22"), None).as_deref(), Some("22"));
    }

    #[test]
    fn identifiers() {
        let (mut i, mut b) = (Vec::new(), Vec::new());
        add_identifiers("0894-9867, 0894-9867", &mut i, &mut b);
        add_identifiers("1536-5964 0025-7974", &mut i, &mut b);
        add_identifiers("1467-5463 (Print)", &mut i, &mut b);
        add_identifiers("0-19-852663-6", &mut i, &mut b);
        add_identifiers("74", &mut i, &mut b);
        assert_eq!(i, ["0894-9867", "1536-5964", "0025-7974", "1467-5463"]);
        assert_eq!(b, ["0198526636"]);
    }

    #[test]
    fn addresses_go_to_named_author_else_first() {
        let p = one("TY  - JOUR\nA1  - Liu R.\nA1  - Adler D.G.\nA1  - van den Berg, Ann\nA1  - Liu, Q.\nAD  - D.G. Adler, Dept, Utah\nAD  - Somewhere\nAD  - Liu, Q: Beijing\nAD  - A. van den Berg, Delft\nER  - \n");
        let a = &p.records[0].authors;
        assert_eq!(a[1].affiliations, ["D.G. Adler, Dept, Utah"]);
        assert_eq!(a[0].affiliations, ["Somewhere"]);
        assert_eq!(a[3].affiliations, ["Beijing"]);
        assert_eq!(a[2].affiliations, ["A. van den Berg, Delft"]);
    }

    #[test]
    fn scopus_cited_by() {
        let p = one("TY  - JOUR\nU3  - Cited By :9\n\nExport Date: 12 May 2022\nER  - \n");
        assert_eq!(p.records[0].citations, Some(9));
    }

    #[test]
    fn no_records_is_an_error() {
        let p = one("hello\nworld\n");
        assert_eq!(p.diagnostics[0].severity, Severity::Error);
    }

    #[test]
    fn parallel_equals_sequential() {
        let mut text = String::from("\u{feff}");
        for i in 0..500 {
            text.push_str(&format!(
                "TY  - JOUR\r\nTI  - Title {i}\r\nAU  - Ley, Ann\r\nPY  - {}\r\nAB  - Line one\r\nline two\r\nER  - \r\n\r\n",
                if i % 97 == 0 { "bad" } else { "2001" }
            ));
        }
        text.push_str("TY  - JOUR\nTI  - Truncated\n");
        let seq = parse_range(&text, "t", 0);
        for size in [1, 100, 4096, 1 << 20] {
            assert_eq!(split_pieces(&text, size).concat(), text);
            let par = parse_in_pieces(&text, "t", size);
            assert_eq!(par.records, seq.records);
            assert_eq!(par.diagnostics, seq.diagnostics);
        }
        assert!(split_pieces(&text, 4096).len() > 5);
        let par = parse_parallel(&text, "t");
        assert_eq!(par.records, seq.records);
        assert_eq!(seq.records.len(), 501);
        assert_eq!(seq.records[500].source.line, 4001);
        assert_eq!(seq.diagnostics.len(), 7);
    }
}
