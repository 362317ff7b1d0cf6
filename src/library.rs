//! Loading many sources into one library: reading files, folders and stdin, detecting formats,
//! collecting diagnostics, assigning ids and de-duplicating.

use crate::diagnostic::{Diagnostic, Severity};
use crate::formats::{self, Format, Parsed};
use crate::record::{Record, Source};
use crate::store::{Records, View};
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
    /// Checked (see [`distinct`]): no two of the source's prepared records are the same paper
    /// or share an id, so a library of this source alone needs no de-duplication. False when
    /// unchecked; the parse cache keeps it, so a second start skips that work.
    pub distinct: bool,
}

#[derive(Debug, Default)]
pub struct Library {
    pub records: Records,
    pub reports: Vec<SourceReport>,
    pub diagnostics: Vec<Diagnostic>,
    /// Records merged into another because they were the same paper.
    pub merged: usize,
    /// Parse cache entries not written yet (`load_deferring_cache`).
    pub pending: Vec<crate::cache::Pending>,
}

impl Library {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        (0..self.records.len()).position(|i| self.records.id(i) == Some(id))
    }
}

/// A source's records, prepared and stored, with what was said while reading them.
#[derive(Debug, Default)]
pub struct Loaded {
    pub records: Records,
    pub diagnostics: Vec<Diagnostic>,
}

/// Prepares parsed records (`prepare`) and stores them.
pub fn stored((rep, mut parsed): (SourceReport, Parsed)) -> (SourceReport, Loaded) {
    prepare(&mut parsed.records);
    let loaded = Loaded {
        records: Records::from_records(&parsed.records),
        diagnostics: parsed.diagnostics,
    };
    (rep, loaded)
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
/// Large files come from the parse cache when it is current (see `cache`); the entries of
/// files that were parsed are written before it returns.
pub fn load_with_progress(
    inputs: &[String],
    progress: &(dyn Fn(crate::cache::Progress) + Sync),
) -> Library {
    let mut lib = load_deferring_cache(inputs, progress);
    for p in std::mem::take(&mut lib.pending) {
        // A cache that cannot be written costs the next start a parse, nothing more.
        let _ = p.write();
    }
    lib
}

/// `load_with_progress`, leaving the parse cache entries in `Library::pending` for the caller
/// to write: the browser writes them in the background after its first frame (before it, they
/// cost the first frame 1.7-4.5 s more at a million records: BENCHMARKS.md, "parse and write
/// the parse cache" against "parse", in three runs).
pub fn load_deferring_cache(
    inputs: &[String],
    progress: &(dyn Fn(crate::cache::Progress) + Sync),
) -> Library {
    let tracker = crate::cache::Tracker::new(progress);
    if inputs.is_empty() {
        return builtin();
    }
    let mut parsed = Vec::new();
    let mut early = Vec::new();
    let mut pending = Vec::new();
    for input in inputs {
        if input == "-" {
            let mut bytes = Vec::new();
            match std::io::stdin().read_to_end(&mut bytes) {
                Ok(_) => parsed.push(stored(parse_bytes("<stdin>", &bytes))),
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
        let loaded: Vec<(SourceReport, Loaded)> = {
            use rayon::prelude::*;
            let loaded: Vec<_> = files
                .par_iter()
                .map(|f| crate::cache::load_or_parse(f, &f.display().to_string(), &tracker))
                .collect();
            loaded
                .into_iter()
                .map(|(rep, parsed, p)| {
                    pending.extend(p);
                    (rep, parsed)
                })
                .collect()
        };
        if Path::new(input).is_dir() {
            parsed.extend(loaded.into_iter().map(skip_unrecognised));
        } else {
            parsed.extend(loaded);
        }
    }
    let mut lib = assemble_loaded(parsed);
    early.append(&mut lib.diagnostics);
    lib.diagnostics = early;
    lib.pending = pending;
    lib
}

/// In a folder, a file that is not bibliographic (a README, say) is skipped with a warning;
/// named on the command line, it stays an error.
fn skip_unrecognised((mut rep, mut parsed): (SourceReport, Loaded)) -> (SourceReport, Loaded) {
    if rep.format.is_none() {
        for d in &mut parsed.diagnostics {
            if d.severity == Severity::Error && d.message.starts_with("unrecognised format") {
                d.severity = Severity::Warning;
                d.message = format!("skipped: {}", d.message);
                rep.errors = rep.errors.saturating_sub(1);
                rep.warnings += 1;
            }
        }
    }
    (rep, parsed)
}

/// The files `inputs` resolve to, in load order; None for no inputs (the built-in library),
/// standard input, or a path that cannot be read (for the search cache's key).
pub fn input_files(inputs: &[String]) -> Option<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for input in inputs {
        if input == "-" {
            return None;
        }
        collect_files(Path::new(input), &mut files, &mut problems);
    }
    (!inputs.is_empty() && problems.is_empty()).then_some(files)
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
        distinct: false,
    }
}

/// Reads one source's bytes: rejects empty and binary input, repairs invalid UTF-8 (with a
/// diagnostic), strips a BOM, detects the format and parses.
pub fn parse_bytes(path: &str, bytes: &[u8]) -> (SourceReport, Parsed) {
    let (mut rep, parsed) = parse_bytes_uncounted(path, bytes);
    rep.records = parsed.records.len();
    rep.errors = parsed
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    rep.warnings = parsed.diagnostics.len() - rep.errors;
    (rep, parsed)
}

fn parse_bytes_uncounted(path: &str, bytes: &[u8]) -> (SourceReport, Parsed) {
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
    let text = &*unify_line_ends(text);
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
    (report(path, Some(format)), parsed)
}

/// Text whose lines end in a lone carriage return (classic Mac exports, and what terminals send
/// for a paste) with its lines ending in line feeds, as every parser expects; "\r\n" stays.
pub fn unify_line_ends(text: &str) -> std::borrow::Cow<'_, str> {
    if !has_lone_cr(text.as_bytes()) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\r') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        // "\r\n" is kept as it is; a lone "\r" becomes "\n".
        out.push_str(if rest.starts_with('\n') { "\r" } else { "\n" });
    }
    out.push_str(rest);
    out.into()
}

/// Whether a carriage return in `bytes` is not followed by a line feed.
pub fn has_lone_cr(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1).is_some_and(|&b| b != b'\n'))
}

fn bytecount_newlines(b: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', b).count()
}

/// Puts parsed sources together: ids, source lists, de-duplication.
pub fn assemble(parsed: Vec<(SourceReport, Parsed)>) -> Library {
    assemble_loaded(parsed.into_iter().map(stored).collect())
}

/// `assemble` for sources already stored.
pub fn assemble_loaded(parsed: Vec<(SourceReport, Loaded)>) -> Library {
    let mut lib = Library::default();
    let mut holding = parsed.iter().filter(|(_, p)| !p.records.is_empty());
    let lone = match (holding.next(), holding.next()) {
        (Some((rep, _)), None) => rep.distinct,
        _ => false,
    };
    for (rep, p) in parsed {
        lib.reports.push(rep);
        lib.diagnostics.extend(p.diagnostics);
        lib.records.append(p.records);
    }
    // One checked source holding every record, or records no two of which share a key or
    // an id: merging and renaming would change nothing, and the stored records stay as they
    // are. Otherwise they are decoded, merged and stored again.
    if !lone && !distinct_stored(&lib.records) {
        let mut records = lib.records.to_vec();
        lib.merged = deduplicate(&mut records);
        make_ids_unique(&mut records);
        lib.records = Records::from_records(&records);
    }
    lib
}

/// Adds records parsed later (a paste, say) to a library, with the same treatment.
pub fn extend(lib: &mut Library, (rep, parsed): (SourceReport, Parsed)) {
    lib.reports.push(rep);
    lib.diagnostics.extend(parsed.diagnostics);
    let mut fresh = parsed.records;
    prepare(&mut fresh);
    // New papers under new ids are only stored; the library is decoded, merged and stored
    // again only when a pasted record is one it holds (a million records: 0.2 s against
    // several seconds and every record decoded at once).
    let held = stored_keys(&lib.records);
    let mut check = Distinct::default();
    check.add(&held);
    check.add(&Distinct::keys(&fresh));
    if check.holds() {
        lib.records.push(&fresh);
        return;
    }
    if let Some(merged) = merge_in_place(&mut lib.records, &held, &mut fresh) {
        lib.merged += merged;
        return;
    }
    let mut records = lib.records.to_vec();
    records.append(&mut fresh);
    lib.merged += deduplicate(&mut records);
    make_ids_unique(&mut records);
    lib.records = Records::from_records(&records);
}

/// `deduplicate` and `make_ids_unique` of the stored records followed by `fresh`, done by
/// decoding only the records that pasted ones merge into: stored records that are already
/// distinct (`held`, their keys, says so) cannot merge among themselves, so only the fresh
/// records are looked up. None, and nothing changed, when the stored records are not distinct
/// or a merge would rename a record (links to it would need rewriting everywhere): the caller
/// then does it all.
fn merge_in_place(
    records: &mut Records,
    held: &[DistinctKeys],
    fresh: &mut Vec<Record>,
) -> Option<usize> {
    let n = records.len();
    let mut seen: FastMap<u64, usize> = FastMap::default();
    let mut ids: FastMap<u64, usize> = FastMap::default();
    for (i, (keys, id)) in held.iter().enumerate() {
        if ids.insert(*id, 1).is_some() {
            return None;
        }
        for k in keys.iter().flatten() {
            if *seen.entry(*k).or_insert(i) != i {
                return None;
            }
        }
    }
    let mut slots = Pasted {
        stored: records,
        merged_into: FastMap::default(),
        kept: Vec::new(),
    };
    let mut merged = 0;
    // `fresh` is left as it is until nothing can fail: the caller's fallback needs it.
    for mut r in fresh.iter().cloned() {
        let at = n + slots.kept.len();
        match place(&mut seen, &mut slots, at, &dedup_keys(&r), &mut r) {
            Placed::Merged { into, id } => {
                if slots.slot(into).is_none_or(|t| t.id != id) {
                    return None;
                }
                merged += 1;
            }
            Placed::Kept => slots.kept.push(r),
        }
    }
    let Pasted {
        merged_into,
        mut kept,
        ..
    } = slots;
    number_repeated_ids(ids, &mut kept);
    for (j, r) in merged_into {
        records.replace(j, &r);
    }
    records.push(&kept);
    fresh.clear();
    Some(merged)
}

/// Where `place` finds the records before the one it places: a library's own records (an
/// already de-duplicated store, decoded only when a pasted one shares a key with it; such a
/// record is stored again, unchanged when their DOIs conflicted), then the pasted records
/// kept so far.
struct Pasted<'a> {
    stored: &'a Records,
    merged_into: FastMap<usize, Record>,
    kept: Vec<Record>,
}

/// The records `place` may merge into, by position.
trait Slots {
    fn slot(&mut self, j: usize) -> Option<&mut Record>;
}

impl Slots for [Record] {
    fn slot(&mut self, j: usize) -> Option<&mut Record> {
        self.get_mut(j)
    }
}

impl Slots for Pasted<'_> {
    fn slot(&mut self, j: usize) -> Option<&mut Record> {
        let n = self.stored.len();
        if j >= n {
            return self.kept.get_mut(j - n);
        }
        match self.merged_into.entry(j) {
            std::collections::hash_map::Entry::Occupied(e) => Some(e.into_mut()),
            std::collections::hash_map::Entry::Vacant(e) => Some(e.insert(self.stored.get(j)?)),
        }
    }
}

/// What `place` did with a record.
enum Placed {
    /// Merged into the record at `into`; `id` was the merged record's own.
    Merged { into: usize, id: String },
    /// Left where it is, known from now on under position `at`.
    Kept,
}

/// De-duplication's one step: `r` (with its `keys`, at position `at`) is merged into the
/// first earlier record sharing a key with it unless their DOIs or PMIDs differ; `seen` maps
/// every key met so far to the record holding it. A merged record is taken out of `r`.
fn place(
    seen: &mut FastMap<u64, usize>,
    slots: &mut (impl Slots + ?Sized),
    at: usize,
    keys: &[Option<u64>; 3],
    r: &mut Record,
) -> Placed {
    let into = keys.iter().flatten().find_map(|k| seen.get(k).copied());
    if let Some(j) = into {
        if let Some(t) = slots.slot(j).filter(|t| !conflicts(t, r)) {
            let r = std::mem::take(r);
            let id = r.id.clone();
            merge_into(t, r);
            for k in dedup_keys(t).into_iter().flatten() {
                seen.entry(k).or_insert(j);
            }
            return Placed::Merged { into: j, id };
        }
    }
    for k in keys.iter().flatten() {
        seen.entry(*k).or_insert(at);
    }
    Placed::Kept
}

/// Per-record preparation before de-duplication: year from the date, id, the record's own
/// source in `sources`. (Lists are not trimmed to size: every record is stored encoded
/// (`store::Records`) and these are dropped.) Doing it twice changes nothing, so the loader
/// runs it on each piece as it is parsed (while the records are hot) and the cache stores
/// prepared records.
pub fn prepare(records: &mut [Record]) {
    use rayon::prelude::*;
    records.par_iter_mut().for_each(|r| {
        r.fill_year_from_date();
        if r.id.is_empty() {
            r.id = r.compute_id();
        }
        if r.sources.is_empty() {
            r.sources = vec![r.source.clone()];
        }
    });
}

/// Hash maps keyed by ids and key hashes: the default SipHash was most of de-duplication's
/// time at 100k records.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

/// Each ASCII letter or digit lower-cased; 0 for anything else.
static ASCII_NORMALISED: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        if (b as u8).is_ascii_alphanumeric() {
            table[b] = (b as u8).to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

/// Appends the letters and digits of a text, lower-cased: "Peer support: a study!" and
/// "PEER SUPPORT - a study" come out alike. Returns how many characters went in.
fn push_normalised(out: &mut Vec<u8>, t: &str) -> usize {
    if t.is_ascii() {
        // Every byte written, only letters and digits kept: no branch per byte.
        let start = out.len();
        out.resize(start + t.len(), 0);
        let mut end = start;
        for &b in t.as_bytes() {
            let v = ASCII_NORMALISED[usize::from(b & 0x7f)];
            if let Some(slot) = out.get_mut(end) {
                *slot = v;
            }
            end += usize::from(v != 0);
        }
        out.truncate(end);
        return end - start;
    }
    let mut n = 0;
    let mut buf = [0u8; 4];
    for c in t.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase() as u8);
                n += 1;
            }
        } else if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                out.extend_from_slice(l.encode_utf8(&mut buf).as_bytes());
                n += 1;
            }
        }
    }
    n
}

/// What de-duplication compares, from a record or a stored record's view.
struct KeyFields<'a> {
    doi: Option<&'a str>,
    pmid: Option<&'a str>,
    title: Option<&'a str>,
    year: Option<i32>,
    first_author: Option<&'a str>,
}

impl<'a> From<&'a Record> for KeyFields<'a> {
    fn from(r: &'a Record) -> KeyFields<'a> {
        KeyFields {
            doi: r.doi.as_deref(),
            pmid: r.pmid.as_deref(),
            title: r.title.as_deref(),
            year: r.year,
            first_author: r.authors.first().map(|a| a.family_or_name()),
        }
    }
}

impl<'a> From<&View<'a>> for KeyFields<'a> {
    fn from(r: &View<'a>) -> KeyFields<'a> {
        KeyFields {
            doi: r.doi,
            pmid: r.pmid,
            title: r.title,
            year: r.year,
            first_author: r.authors().next().map(|a| a.family_or_name()),
        }
    }
}

fn dedup_keys(r: &Record) -> [Option<u64>; 3] {
    keys_of(&KeyFields::from(r))
}

/// The keys under which two records are the same paper, as 64-bit hashes (1M records must
/// not cost 3M formatted strings).
fn keys_of(r: &KeyFields) -> [Option<u64>; 3] {
    let mut keys = [None; 3];
    if let Some(d) = r.doi {
        let mut h = crate::record::Fnv::default();
        h.write(b"doi");
        // `to_ascii_lowercase` byte by byte: no string per record.
        for b in d.bytes() {
            h.write_raw(&[b.to_ascii_lowercase()]);
        }
        h.write(&[]);
        keys[0] = Some(h.0);
    }
    if let Some(p) = r.pmid {
        let mut h = crate::record::Fnv::default();
        h.write(b"pmid");
        h.write(p.as_bytes());
        keys[1] = Some(h.0);
    }
    if let (Some(t), Some(y), Some(a)) = (r.title, r.year, r.first_author) {
        // Normalised into one buffer and hashed at once: FNV a byte at a time was most of the
        // cost of the keys. 0xff (never in UTF-8) ends the title.
        let mut text = Vec::with_capacity(t.len() + 32);
        text.extend_from_slice(b"title:");
        if push_normalised(&mut text, t) >= 8 {
            text.push(0xff);
            text.extend_from_slice(&y.to_le_bytes());
            push_normalised(&mut text, a);
            use std::hash::BuildHasher;
            keys[2] = Some(foldhash::fast::FixedState::default().hash_one(&text));
        }
    }
    keys
}

/// Whether `deduplicate` and `make_ids_unique` would leave these prepared records as they
/// are: no de-duplication key is shared by two records and no id repeats. Keys are compared
/// as the 64-bit hashes `deduplicate` itself uses, ids by a hash (a collision only makes the
/// answer a cautious false).
pub fn distinct(records: &[Record]) -> bool {
    use rayon::prelude::*;
    let keys: Vec<DistinctKeys> = records.par_iter().map(distinct_keys).collect();
    let mut check = Distinct::default();
    check.add(&keys);
    check.holds()
}

/// What `distinct` compares for one record: its de-duplication keys and its id's hash.
pub type DistinctKeys = ([Option<u64>; 3], u64);

type FastSet = std::collections::HashSet<u64, foldhash::fast::FixedState>;

/// `distinct`, a part of a source at a time and in order: the keys are taken on the threads
/// that parse (`Distinct::keys`), and compared here while later parts are parsed.
#[derive(Default)]
pub struct Distinct {
    seen: FastSet,
    ids: FastSet,
    clash: bool,
}

impl Distinct {
    pub fn keys(records: &[Record]) -> Vec<DistinctKeys> {
        records.iter().map(distinct_keys).collect()
    }

    pub fn add(&mut self, keys: &[DistinctKeys]) {
        if self.clash {
            return;
        }
        self.seen.reserve(keys.len() * 3);
        self.ids.reserve(keys.len());
        for (k, id) in keys {
            // A record's own keys may repeat among themselves; only another record's count.
            let fresh = k.iter().flatten().all(|k| !self.seen.contains(k));
            for k in k.iter().flatten() {
                self.seen.insert(*k);
            }
            if !(fresh && self.ids.insert(*id)) {
                self.clash = true;
                return;
            }
        }
    }

    pub fn holds(&self) -> bool {
        !self.clash
    }
}

fn distinct_keys(r: &Record) -> DistinctKeys {
    use std::hash::BuildHasher;
    let id = foldhash::fast::FixedState::default().hash_one(r.id.as_str());
    (dedup_keys(r), id)
}

/// `distinct` for stored records, through their views.
pub fn distinct_stored(records: &Records) -> bool {
    let mut check = Distinct::default();
    check.add(&stored_keys(records));
    check.holds()
}

/// `Distinct::keys` of stored records, through their views.
fn stored_keys(records: &Records) -> Vec<DistinctKeys> {
    use rayon::prelude::*;
    use std::hash::BuildHasher;
    (0..records.len())
        .into_par_iter()
        .filter_map(|i| records.view(i))
        .map(|v| {
            let id = foldhash::fast::FixedState::default().hash_one(v.id);
            (keys_of(&KeyFields::from(&v)), id)
        })
        .collect()
}

/// Merges records that are the same paper (same DOI, PMID, or normalised title + year +
/// first author). Returns how many were merged away. Works in place: a large library is not
/// copied.
pub fn deduplicate(records: &mut Vec<Record>) -> usize {
    use rayon::prelude::*;
    let keys: Vec<[Option<u64>; 3]> = records.par_iter().map(dedup_keys).collect();
    let mut seen: FastMap<u64, usize> =
        FastMap::with_capacity_and_hasher(records.len() * 2, Default::default());
    let mut removed = vec![false; records.len()];
    let mut merged = 0;
    let mut renamed: HashMap<String, String> = HashMap::new();
    for i in 0..records.len() {
        let (before, rest) = records.split_at_mut(i);
        if let Placed::Merged { into, id } = place(&mut seen, before, i, &keys[i], &mut rest[0]) {
            if id != before[into].id {
                renamed.insert(id, before[into].id.clone());
            }
            removed[i] = true;
            merged += 1;
        }
    }
    if merged > 0 {
        let mut at = 0;
        records.retain(|_| {
            at += 1;
            !removed[at - 1]
        });
    }
    // Links to a merged-away record now point at the record it was merged into.
    if !renamed.is_empty() {
        for r in records.iter_mut() {
            for id in &mut r.related {
                if let Some(to) = renamed.get(id) {
                    id.clone_from(to);
                }
            }
        }
    }
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
    number_repeated_ids(FastMap::default(), records);
}

/// Gives each id met again (after `counts`, how often each id hash was met before) its count
/// as a suffix: the second "x" becomes "x-2".
fn number_repeated_ids(mut counts: FastMap<u64, usize>, records: &mut [Record]) {
    use std::hash::BuildHasher;
    let hash = |id: &str| foldhash::fast::FixedState::default().hash_one(id);
    for r in records.iter_mut() {
        let n = counts.entry(hash(&r.id)).or_insert(0);
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

/// Orders for the list when no query is active.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum SortKey {
    /// Newest first
    #[default]
    Year,
    /// A to Z
    Title,
    /// First author's family name, A to Z
    Author,
    /// Most cited first
    Citations,
}

impl SortKey {
    pub fn next(self) -> SortKey {
        match self {
            SortKey::Year => SortKey::Title,
            SortKey::Title => SortKey::Author,
            SortKey::Author => SortKey::Citations,
            SortKey::Citations => SortKey::Year,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortKey::Year => "year",
            SortKey::Title => "title",
            SortKey::Author => "first author",
            SortKey::Citations => "times cited",
        }
    }
}

/// Record indices in the given order; unknown values sort last, ties keep load order.
pub fn sorted(records: &Records, key: SortKey, reverse: bool) -> Vec<u32> {
    let mut order: Vec<u32> = (0..records.len() as u32).collect();
    sort_view(records, &mut order, key, reverse);
    order
}

/// Sorts record indices (all, or a filtered view) for the list and `litbrowse list`: newest
/// and most cited first, names and titles A to Z, unknown values last; `reverse` flips it.
/// Ties keep their order.
pub fn sort_view(records: &Records, view: &mut [u32], key: SortKey, reverse: bool) {
    use std::cmp::Reverse;
    let fold = |s: &str| s.to_lowercase();
    let at = |i: u32| records.view(i as usize);
    match key {
        SortKey::Year => {
            view.sort_by_cached_key(|&i| Reverse(records.year(i as usize).unwrap_or(i32::MIN)))
        }
        SortKey::Title => view.sort_by_cached_key(|&i| match at(i).and_then(|r| r.title) {
            Some(t) => (
                false,
                fold(t.trim_start_matches(|c: char| !c.is_alphanumeric())),
            ),
            None => (true, String::new()),
        }),
        SortKey::Author => {
            view.sort_by_cached_key(|&i| match at(i).and_then(|r| r.authors().next()) {
                Some(a) => (false, fold(a.family_or_name())),
                None => (true, String::new()),
            })
        }
        SortKey::Citations => view.sort_by_cached_key(|&i| {
            let c = at(i).and_then(|r| r.citations.or(r.views));
            Reverse(c.map_or(-1, |c| c as i64))
        }),
    }
    if reverse {
        view.reverse();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Author, Section};

    fn rec(path: &str, title: Option<&str>, doi: Option<&str>, abs: &str) -> Record {
        Record {
            title: title.map(str::to_string),
            doi: doi.map(str::to_string),
            year: Some(2012),
            authors: vec![
                Author::parse("Repper, Julie"),
                Author::parse("Watson, Emma"),
            ],
            abstract_sections: vec![Section {
                label: None,
                text: abs.into(),
            }],
            source: Source {
                path: path.into(),
                format: "ris".into(),
                line: 1,
            },
            ..Record::default()
        }
    }

    fn lib_of(records: Vec<Record>) -> Library {
        assemble(vec![(
            report("x", None),
            Parsed {
                records,
                diagnostics: Vec::new(),
            },
        )])
    }

    #[test]
    fn same_doi_from_two_files_is_one_record_with_both_sources() {
        let mut a = rec("a.ris", Some("Peer support"), Some("10.1/X"), "one");
        a.keywords = vec!["peer".into()];
        let mut b = rec("b.bib", None, Some("10.1/x"), "one");
        b.keywords = vec!["support".into()];
        b.volume = Some("7".into());
        let lib = lib_of(vec![a, b]);
        assert_eq!(lib.records.len(), 1);
        assert_eq!(lib.merged, 1);
        let r = &lib.records.get(0).unwrap();
        assert_eq!(r.keywords, vec!["peer", "support"]);
        assert_eq!(r.volume.as_deref(), Some("7"));
        assert_eq!(r.sources.len(), 2);
        assert_eq!(r.sources[1].path, "b.bib");
    }

    /// A paste of new papers is stored after the library as it is; a paste of one the library
    /// holds is merged into it. Either way the library is the one assembling all would give.
    #[test]
    fn extend_stores_new_papers_and_merges_known_ones() {
        let a = rec("a.ris", Some("Peer support"), Some("10.1/X"), "one");
        let b = rec("a.ris", Some("Other paper title"), Some("10.1/y"), "two");
        let new = rec("p", Some("A third paper"), None, "three");
        let mut known = rec("p", None, Some("10.1/x"), "one");
        known.volume = Some("7".into());
        // Same title, year and first author as `b` but no DOI: merged under b's id, so the
        // pasted id is renamed (the whole library is done again).
        let same_title = rec("p", Some("Other paper title"), None, "two");
        // Another paper under an id the library holds: renamed with a suffix.
        let mut same_id = rec("p", Some("Yet another paper"), None, "four");
        same_id.id = "doi:10.1/x".into();
        // Two pasted copies of one new paper, and a pasted copy of a held one.
        let twice = vec![new.clone(), known.clone(), new.clone()];
        for paste in [
            vec![new],
            vec![known],
            vec![same_title],
            vec![same_id],
            twice,
        ] {
            let mut lib = lib_of(vec![a.clone(), b.clone()]);
            let blocks = lib.records.blocks().count();
            extend(
                &mut lib,
                (
                    report("p", None),
                    Parsed {
                        records: paste.clone(),
                        diagnostics: Vec::new(),
                    },
                ),
            );
            let mut everything = vec![a.clone(), b.clone()];
            everything.extend(paste.clone());
            let all = lib_of(everything);
            assert_eq!(lib.records, all.records, "{paste:?}");
            assert_eq!(lib.merged, all.merged);
            // Only stored: the library's blocks are kept and one is added.
            if all.merged == 0 {
                assert_eq!(lib.records.blocks().count(), blocks + 1);
            }
        }
    }

    #[test]
    fn lone_carriage_returns_end_lines() {
        assert_eq!(unify_line_ends("a\rb\r"), "a\nb\n");
        assert_eq!(unify_line_ends("a\r\nb"), "a\r\nb");
        assert_eq!(unify_line_ends("a\r\r\nb\n"), "a\n\r\nb\n");
        assert!(matches!(
            unify_line_ends("a\nb"),
            std::borrow::Cow::Borrowed(_)
        ));
        let lf = "TY  - JOUR\nTI  - Peer support\nAU  - Repper, Julie\nPY  - 2012\nER  - \n";
        let (_, a) = parse_bytes("x.ris", lf.as_bytes());
        let (_, b) = parse_bytes("x.ris", lf.replace('\n', "\r").as_bytes());
        assert_eq!(a.records, b.records);
        assert!(b.diagnostics.is_empty());
    }

    #[test]
    fn same_title_year_first_author_merges() {
        let a = rec("a.ris", Some("Peer support: a study!"), None, "one");
        let b = rec("b.ris", Some("PEER SUPPORT - a study"), None, "two");
        assert_eq!(lib_of(vec![a, b]).records.len(), 1);
    }

    #[test]
    fn untitled_records_with_the_same_authors_and_date_stay_apart() {
        let a = rec("p", None, None, "The six peers worked with 83 clients.");
        let b = rec("p", None, None, "The employment process was broken down.");
        let lib = lib_of(vec![a, b]);
        assert_eq!(lib.records.len(), 2);
        assert_ne!(
            lib.records.get(0).unwrap().id,
            lib.records.get(1).unwrap().id
        );
    }

    #[test]
    fn different_dois_never_merge_even_with_the_same_title() {
        let a = rec("a", Some("Editorial note"), Some("10.1/a"), "x");
        let b = rec("b", Some("Editorial note"), Some("10.1/b"), "x");
        assert_eq!(lib_of(vec![a, b]).records.len(), 2);
    }

    #[test]
    fn related_links_follow_a_merge() {
        let mut parent = rec("p", Some("Parent paper here"), None, "x");
        let child = rec("p", Some("Child paper title"), None, "y");
        let child_id = child.compute_id();
        parent.related = vec![child_id];
        parent.year = Some(2001);
        let mut same = rec("q.ris", Some("Child paper title"), Some("10.9/c"), "y");
        same.source.line = 9;
        // The copy with a DOI comes first, so the parent's link must be rewritten to it.
        let lib = lib_of(vec![same, parent, child]);
        assert_eq!(lib.records.len(), 2);
        assert_eq!(
            lib.records.get(1).unwrap().related,
            vec!["doi:10.9/c".to_string()]
        );
    }

    #[test]
    fn distinct_is_false_for_a_shared_key_or_id() {
        let mut a = rec("a.ris", Some("Peer support"), Some("10.1/X"), "one");
        let mut b = rec("a.ris", Some("Other paper title"), Some("10.1/y"), "two");
        prepare(std::slice::from_mut(&mut a));
        prepare(std::slice::from_mut(&mut b));
        assert!(distinct(&[a.clone(), b.clone()]));
        // Same DOI in another case: one paper.
        let mut c = b.clone();
        c.doi = Some("10.1/x".into());
        assert!(!distinct(&[a.clone(), c]));
        // Same id but no shared key: renamed by `make_ids_unique`.
        let mut d = b.clone();
        d.doi = None;
        d.title = Some("A third title".into());
        d.id = a.id.clone();
        assert!(!distinct(&[a.clone(), d]));
        // Same title, year and first author.
        let mut e = a.clone();
        e.doi = None;
        e.id = "r:1".into();
        assert!(!distinct(&[a, e]));
    }

    #[test]
    fn a_distinct_source_assembles_like_an_unchecked_one() {
        let records: Vec<Record> = (0..300).map(|i| crate::synth::record(3, i)).collect();
        let mut prepared = records.clone();
        prepare(&mut prepared);
        let mut checked = report("x", None);
        checked.distinct = distinct(&prepared);
        assert!(checked.distinct);
        let parsed = |records| Parsed {
            records,
            diagnostics: Vec::new(),
        };
        let fast = assemble(vec![(checked.clone(), parsed(prepared))]);
        let full = assemble(vec![(report("x", None), parsed(records.clone()))]);
        assert_eq!(fast.records, full.records);
        assert_eq!(fast.merged, 0);
        // With a second source holding records the check no longer covers them all.
        let two = assemble(vec![
            (checked, parsed(records.clone())),
            (report("y", None), parsed(records[..5].to_vec())),
        ]);
        assert_eq!(two.merged, 5);
        assert_eq!(two.records.len(), 300);
    }

    #[test]
    fn sort_orders() {
        let mut a = rec("a", Some("Beta"), None, "x");
        a.year = Some(2001);
        a.citations = Some(5);
        let mut b = rec("b", Some("alpha"), None, "y");
        b.year = Some(2010);
        b.authors = vec![Author::parse("Zeta, A")];
        let c = rec("c", None, None, "z");
        let rs = Records::from(vec![a, b, c]);
        assert_eq!(sorted(&rs, SortKey::Year, false), vec![2, 1, 0]);
        assert_eq!(sorted(&rs, SortKey::Title, false), vec![1, 0, 2]);
        assert_eq!(sorted(&rs, SortKey::Author, false), vec![0, 2, 1]);
        assert_eq!(sorted(&rs, SortKey::Citations, false)[0], 0);
        assert_eq!(sorted(&rs, SortKey::Title, true), vec![2, 0, 1]);
    }
}
