//! Loading many sources into one library: reading files, folders and stdin, detecting formats,
//! collecting diagnostics, assigning ids and de-duplicating.

use crate::diagnostic::{Diagnostic, Severity};
use crate::formats::{self, Format, Parsed};
use crate::record::{Record, Source};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The seed documents, compiled in: the library shown when no paths are given.
pub const SEEDS: [(&str, &str); 3] = [
    (
        "seeds/000_da0fbdc0900e8b78.txt",
        include_str!("../seeds/000_da0fbdc0900e8b78.txt"),
    ),
    (
        "seeds/001_795947a0cff24da2.txt",
        include_str!("../seeds/001_795947a0cff24da2.txt"),
    ),
    (
        "seeds/002_02aa39a10304d0e6.txt",
        include_str!("../seeds/002_02aa39a10304d0e6.txt"),
    ),
];

/// What was read from one source, for `litbrowse check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceReport {
    pub path: String,
    pub format: Option<&'static str>,
    pub records: usize,
    pub errors: usize,
    pub warnings: usize,
}

#[derive(Debug, Default)]
pub struct Library {
    pub records: Vec<Record>,
    pub reports: Vec<SourceReport>,
    pub diagnostics: Vec<Diagnostic>,
    /// Records merged into another because they were the same paper.
    pub merged: usize,
}

impl Library {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.records.iter().position(|r| r.id == id)
    }
}

/// Loads the built-in seed library.
pub fn builtin() -> Library {
    let parsed: Vec<(SourceReport, Parsed)> = SEEDS
        .iter()
        .map(|(path, text)| parse_bytes(path, text.as_bytes()))
        .collect();
    assemble(parsed)
}

/// Loads files, folders (recursively, in name order) and `-` (stdin). No inputs: the built-in
/// library. A path that cannot be read becomes a diagnostic; the rest still loads.
pub fn load(inputs: &[String]) -> Library {
    load_with_progress(inputs, &|_| {})
}

/// `load`, calling `progress` as files are read (from parser threads, so it must be quick).
/// Large files come from the parse cache when it is current (see `cache`).
pub fn load_with_progress(
    inputs: &[String],
    progress: &(dyn Fn(crate::cache::Progress) + Sync),
) -> Library {
    let tracker = crate::cache::Tracker::new(progress);
    if inputs.is_empty() {
        return builtin();
    }
    let mut parsed = Vec::new();
    let mut early = Vec::new();
    for input in inputs {
        if input == "-" {
            let mut bytes = Vec::new();
            match std::io::stdin().read_to_end(&mut bytes) {
                Ok(_) => parsed.push(parse_bytes("<stdin>", &bytes)),
                Err(e) => early.push(Diagnostic::error("<stdin>", 0, format!("cannot read: {e}"))),
            }
            continue;
        }
        let mut files = Vec::new();
        collect_files(Path::new(input), &mut files, &mut early);
        let bytes = files
            .iter()
            .filter_map(|f| std::fs::metadata(f).ok())
            .map(|m| m.len())
            .sum();
        tracker.add_total(files.len(), bytes);
        let loaded: Vec<(SourceReport, Parsed)> = {
            use rayon::prelude::*;
            files
                .par_iter()
                .map(|f| crate::cache::load_or_parse(f, &f.display().to_string(), &tracker))
                .collect()
        };
        parsed.extend(loaded);
    }
    let mut lib = assemble(parsed);
    early.append(&mut lib.diagnostics);
    lib.diagnostics = early;
    lib
}

fn collect_files(path: &Path, out: &mut Vec<PathBuf>, diags: &mut Vec<Diagnostic>) {
    let shown = path.display().to_string();
    match std::fs::metadata(path) {
        Err(e) => diags.push(Diagnostic::error(&shown, 0, format!("cannot open: {e}"))),
        Ok(m) if m.is_dir() => match std::fs::read_dir(path) {
            Err(e) => diags.push(Diagnostic::error(
                &shown,
                0,
                format!("cannot list folder: {e}"),
            )),
            Ok(entries) => {
                let mut children: Vec<PathBuf> =
                    entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
                children.sort();
                for c in children {
                    let hidden = c
                        .file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with('.'));
                    if !hidden {
                        collect_files(&c, out, diags);
                    }
                }
            }
        },
        Ok(_) => out.push(path.to_path_buf()),
    }
}

fn report(path: &str, format: Option<Format>) -> SourceReport {
    SourceReport {
        path: path.to_string(),
        format: format.map(Format::name),
        records: 0,
        errors: 0,
        warnings: 0,
    }
}

/// Reads one source's bytes: rejects empty and binary input, repairs invalid UTF-8 (with a
/// diagnostic), strips a BOM, detects the format and parses.
pub fn parse_bytes(path: &str, bytes: &[u8]) -> (SourceReport, Parsed) {
    let mut diagnostics = Vec::new();
    let fail = |d: Diagnostic| {
        (
            report(path, None),
            Parsed {
                records: Vec::new(),
                diagnostics: vec![d],
            },
        )
    };
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return fail(Diagnostic::error(
            path,
            0,
            "the file is empty: no records to read",
        ));
    }
    let probe = &bytes[..bytes.len().min(8000)];
    if let Some(pos) = memchr::memchr(0, probe) {
        let line = 1 + bytecount_newlines(&bytes[..pos]);
        return fail(Diagnostic::error(
            path,
            line,
            format!("this looks like a binary file (NUL byte at offset {pos}), not a text export; skipped"),
        ));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(e) => {
            let at = e.valid_up_to();
            let line = 1 + bytecount_newlines(&bytes[..at]);
            diagnostics.push(Diagnostic::warning(
                path,
                line,
                format!(
                    "invalid UTF-8 at byte offset {at}; the bad bytes are shown as \u{FFFD} and the rest is read"
                ),
            ));
            String::from_utf8_lossy(bytes)
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let Some(format) = formats::detect(text) else {
        let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        let first: String = crate::record::sanitize(first).chars().take(60).collect();
        diagnostics.push(Diagnostic::error(
            path,
            1,
            format!(
                "unrecognised format (not RIS, BibTeX, MEDLINE, PubMed XML, Web of Science, CSL-JSON, EndNote XML or a known page); it begins \"{first}\""
            ),
        ));
        return (
            report(path, None),
            Parsed {
                records: Vec::new(),
                diagnostics,
            },
        );
    };
    let mut parsed = format.parse(text, path);
    diagnostics.append(&mut parsed.diagnostics);
    parsed.diagnostics = diagnostics;
    let mut rep = report(path, Some(format));
    rep.records = parsed.records.len();
    rep.errors = parsed
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    rep.warnings = parsed.diagnostics.len() - rep.errors;
    (rep, parsed)
}

fn bytecount_newlines(b: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', b).count()
}

/// Puts parsed sources together: ids, source lists, de-duplication.
pub fn assemble(parsed: Vec<(SourceReport, Parsed)>) -> Library {
    let mut lib = Library::default();
    for (rep, p) in parsed {
        lib.reports.push(rep);
        lib.diagnostics.extend(p.diagnostics);
        lib.records.extend(p.records);
    }
    prepare(&mut lib.records);
    lib.merged = deduplicate(&mut lib.records);
    make_ids_unique(&mut lib.records);
    lib
}

/// Adds records parsed later (a paste, say) to a library, with the same treatment.
pub fn extend(lib: &mut Library, (rep, parsed): (SourceReport, Parsed)) {
    lib.reports.push(rep);
    lib.diagnostics.extend(parsed.diagnostics);
    let mut fresh = parsed.records;
    prepare(&mut fresh);
    lib.records.append(&mut fresh);
    lib.merged += deduplicate(&mut lib.records);
    make_ids_unique(&mut lib.records);
}

fn prepare(records: &mut [Record]) {
    for r in records {
        r.fill_year_from_date();
        if r.id.is_empty() {
            r.id = r.compute_id();
        }
        if r.sources.is_empty() {
            r.sources.push(r.source.clone());
        }
    }
}

fn norm_title(t: &str) -> String {
    t.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The keys under which two records are the same paper.
fn dedup_keys(r: &Record) -> Vec<String> {
    let mut keys = Vec::new();
    if let Some(d) = &r.doi {
        keys.push(format!("doi:{}", d.to_lowercase()));
    }
    if let Some(p) = &r.pmid {
        keys.push(format!("pmid:{p}"));
    }
    if let (Some(t), Some(y), Some(a)) = (&r.title, r.year, r.authors.first()) {
        let t = norm_title(t);
        if t.len() >= 8 {
            let fam = norm_title(a.family_or_name());
            keys.push(format!("t:{t}|{y}|{fam}"));
        }
    }
    keys
}

/// Merges records that are the same paper (same DOI, PMID, or normalised title + year +
/// first author). Returns how many were merged away.
pub fn deduplicate(records: &mut Vec<Record>) -> usize {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<Record> = Vec::with_capacity(records.len());
    let mut merged = 0;
    for r in records.drain(..) {
        let keys = dedup_keys(&r);
        let into = keys.iter().find_map(|k| seen.get(k).copied());
        match into {
            Some(i) if !conflicts(&out[i], &r) => {
                merge_into(&mut out[i], r);
                for k in dedup_keys(&out[i]) {
                    seen.entry(k).or_insert(i);
                }
                merged += 1;
            }
            _ => {
                let i = out.len();
                for k in keys {
                    seen.entry(k).or_insert(i);
                }
                out.push(r);
            }
        }
    }
    *records = out;
    merged
}

/// Two records that share a key but plainly differ (different DOIs) are not merged.
fn conflicts(a: &Record, b: &Record) -> bool {
    matches!((&a.doi, &b.doi), (Some(x), Some(y)) if !x.eq_ignore_ascii_case(y))
        || matches!((&a.pmid, &b.pmid), (Some(x), Some(y)) if x != y)
}

fn merge_into(a: &mut Record, b: Record) {
    macro_rules! fill {
        ($($f:ident),*) => { $( if a.$f.is_none() { a.$f = b.$f; } )* };
    }
    fill!(
        title, date, year, container, volume, issue, pages, page_count, doi, paper_type, citations,
        views, publisher, url, pmid, language, teaser
    );
    macro_rules! union {
        ($($f:ident),*) => { $( for v in b.$f { if !a.$f.contains(&v) { a.$f.push(v); } } )* };
    }
    union!(issn, isbn, keywords, subjects, related);
    if a.authors.is_empty() {
        a.authors = b.authors;
    } else {
        for (x, y) in a.authors.iter_mut().zip(b.authors) {
            if x.affiliations.is_empty() {
                x.affiliations = y.affiliations;
            }
            if x.given.as_ref().map_or(0, String::len) < y.given.as_ref().map_or(0, String::len) {
                x.given = y.given;
                x.name = y.name;
            }
        }
    }
    let labelled = |s: &[crate::record::Section]| s.iter().filter(|x| x.label.is_some()).count();
    if a.abstract_sections.is_empty()
        || labelled(&b.abstract_sections) > labelled(&a.abstract_sections)
    {
        a.abstract_sections = b.abstract_sections;
    }
    if a.kind == crate::record::Kind::Other {
        a.kind = b.kind;
    }
    for s in b.sources {
        if !a.sources.contains(&s) {
            a.sources.push(s);
        }
    }
}

fn make_ids_unique(records: &mut [Record]) {
    let mut count: HashMap<String, usize> = HashMap::new();
    for r in records.iter_mut() {
        let n = count.entry(r.id.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            r.id = format!("{}-{}", r.id, n);
        }
    }
}

/// A record's `source` for parsers.
pub fn source(path: &str, format: Format, line: usize) -> Source {
    Source {
        path: path.to_string(),
        format: format.name().to_string(),
        line,
    }
}
