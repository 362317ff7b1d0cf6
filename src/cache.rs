//! Reading one file, fast: large RIS and MEDLINE files are parsed in pieces split at record
//! boundaries (in parallel, without holding the whole file and all records at once), and the
//! parsed result of every large file is cached so a second start is near-instant.
//!
//! The cache lives in `$LITBROWSE_CACHE_DIR`, else `$XDG_CACHE_HOME/litbrowse`, else
//! `~/.cache/litbrowse`; `LITBROWSE_NO_CACHE=1` turns it off. An entry is keyed by the file's
//! canonical path, the path as shown, its size and modification time, and the crate version;
//! anything that does not match, or cannot be read, means the file is parsed again. A cache
//! problem is never an error for the user.

pub mod codec;

use crate::diagnostic::{Diagnostic, Severity};
use crate::formats::{self, Format, Parsed};
use crate::library::{self, Loaded, SourceReport};
use crate::record::Fnv;
use crate::store::{Records, SharedBytes};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant, UNIX_EPOCH};

/// Files smaller than this parse faster than a cache entry can be checked and read.
pub const MIN_BYTES: u64 = 1 << 20;
/// Changed whenever a cached entry would read back differently: the chunk layout (`codec`),
/// or what `prepare` and `library::distinct` compute (ids, de-duplication keys).
const MAGIC: &[u8; 8] = b"LBCACHE5";
/// Size of one piece of a large file handed to a parser thread (two per thread being parsed,
/// as many being read). Parsing 100k records (179 MB of RIS, fresh memory, 4 KB pages) took
/// 664-867 ms with 1 MB pieces against 1023-1033 ms with 4 MB and 841-960 ms with 512 KB, at
/// a peak of 214-220 MB against 268-273 and 203-205 (`examples/load_cpu.rs`, two rounds); a
/// million, 10.9 s against 14.0 s with 4 MB.
const PIECE_BYTES: usize = 1 << 20;

/// How far loading has got; passed to a progress callback.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub files_done: usize,
    pub files_total: usize,
    pub records: usize,
    pub bytes_done: u64,
    pub bytes_total: u64,
}

/// Collects progress from parser threads and hands each update to a callback.
pub struct Tracker<'a> {
    state: Mutex<Progress>,
    report: &'a (dyn Fn(Progress) + Sync),
}

impl<'a> Tracker<'a> {
    pub fn new(report: &'a (dyn Fn(Progress) + Sync)) -> Tracker<'a> {
        Tracker {
            state: Mutex::new(Progress::default()),
            report,
        }
    }

    /// Announces more work: files and their total size.
    pub fn add_total(&self, files: usize, bytes: u64) {
        self.update(|p| {
            p.files_total += files;
            p.bytes_total += bytes;
        });
    }

    fn advance(&self, bytes: u64, records: usize) {
        self.update(|p| {
            p.bytes_done += bytes;
            p.records += records;
        });
    }

    fn file_done(&self) {
        self.update(|p| p.files_done += 1);
    }

    fn update(&self, f: impl FnOnce(&mut Progress)) {
        let now = {
            let mut p = self.state.lock().unwrap_or_else(|e| e.into_inner());
            f(&mut p);
            *p
        };
        (self.report)(now);
    }

    pub fn current(&self) -> Progress {
        *self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Shows loading progress on stderr, only when stderr is a terminal and loading has taken
/// more than a moment; `finish` clears the line.
pub struct StderrProgress {
    start: Instant,
    last: Mutex<Option<Instant>>,
    enabled: bool,
}

impl Default for StderrProgress {
    fn default() -> Self {
        use std::io::IsTerminal;
        StderrProgress {
            start: Instant::now(),
            last: Mutex::new(None),
            enabled: std::io::stderr().is_terminal(),
        }
    }
}

impl StderrProgress {
    pub fn report(&self, p: Progress) {
        if !self.enabled || self.start.elapsed() < Duration::from_millis(300) {
            return;
        }
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if last.is_some_and(|t| t.elapsed() < Duration::from_millis(100)) {
            return;
        }
        *last = Some(Instant::now());
        eprint!("\r\x1b[K{}", describe(&p));
    }

    pub fn finish(&self) {
        let last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if last.is_some() {
            eprint!("\r\x1b[K");
        }
    }
}

/// "reading 1/3 files: 412,000 records, 48%".
pub fn describe(p: &Progress) -> String {
    let pct = (p.bytes_done * 100).checked_div(p.bytes_total).unwrap_or(0);
    format!(
        "reading {}/{} files: {} records, {pct}%",
        p.files_done,
        p.files_total,
        thousands(p.records)
    )
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Where a result came from; for tests and the benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Read from the cache.
    Hit,
    /// Parsed, and the cache entry written.
    Stored,
    /// Parsed; not cached (small file, cache off, or the entry could not be written).
    Parsed,
}

pub struct Cache {
    pub dir: PathBuf,
    pub min_bytes: u64,
}

/// What an entry must match to be used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Key {
    version: String,
    canonical: String,
    shown: String,
    size: u64,
    mtime_ns: u128,
}

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    key: Key,
    format: Option<String>,
    records: usize,
    /// path, line, is error, message
    diagnostics: Vec<(String, usize, bool, String)>,
    chunks: usize,
    /// `SourceReport::distinct`.
    distinct: bool,
}

impl Cache {
    /// The cache configured by the environment, or None when it is turned off.
    pub fn from_env() -> Option<Cache> {
        if std::env::var_os("LITBROWSE_NO_CACHE").is_some_and(|v| !v.is_empty() && v != "0") {
            return None;
        }
        let dir = if let Some(d) = std::env::var_os("LITBROWSE_CACHE_DIR") {
            PathBuf::from(d)
        } else if let Some(d) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
            PathBuf::from(d).join("litbrowse")
        } else {
            PathBuf::from(std::env::var_os("HOME")?)
                .join(".cache")
                .join("litbrowse")
        };
        Some(Cache {
            dir,
            min_bytes: MIN_BYTES,
        })
    }

    /// Reads a file from the cache when its entry is current, else parses and stores it.
    pub fn load(
        &self,
        path: &Path,
        shown: &str,
        tracker: &Tracker,
    ) -> (Outcome, SourceReport, Loaded) {
        let (outcome, rep, parsed, pending) = self.load_leaving(path, shown, tracker);
        match pending.map(|p| p.write()) {
            Some(Ok(())) => (Outcome::Stored, rep, parsed),
            Some(Err(_)) => (Outcome::Parsed, rep, parsed),
            None => (outcome, rep, parsed),
        }
    }

    /// `load`, leaving the entry of a file it parsed to be written later (`Pending::write`):
    /// the browser shows its first frame first, and writes the entry in the background.
    pub fn load_deferred(
        &self,
        path: &Path,
        shown: &str,
        tracker: &Tracker,
    ) -> (SourceReport, Loaded, Option<Pending>) {
        let (_, rep, parsed, pending) = self.load_leaving(path, shown, tracker);
        (rep, parsed, pending)
    }

    /// Read from the entry (Hit), or parsed (Parsed) with the entry to write when the file is
    /// large enough to cache.
    fn load_leaving(
        &self,
        path: &Path,
        shown: &str,
        tracker: &Tracker,
    ) -> (Outcome, SourceReport, Loaded, Option<Pending>) {
        let Some(key) = key_of(path, shown).filter(|k| k.size >= self.min_bytes) else {
            let (rep, parsed) = read_and_parse(path, shown, tracker);
            return (Outcome::Parsed, rep, parsed, None);
        };
        let entry = self.entry_path(&key);
        if let Some((rep, parsed)) = read_entry(&entry, &key, tracker) {
            return (Outcome::Hit, rep, parsed, None);
        }
        let (rep, parsed) = read_and_parse(path, shown, tracker);
        let pending = self.pending(path, shown, key, entry, &rep, &parsed);
        (Outcome::Parsed, rep, parsed, pending)
    }

    /// What writing the entry of a parsed file needs; None when the file changed while it was
    /// read (it must not be cached under the old key).
    fn pending(
        &self,
        path: &Path,
        shown: &str,
        key: Key,
        entry: PathBuf,
        rep: &SourceReport,
        parsed: &Loaded,
    ) -> Option<Pending> {
        if key_of(path, shown).as_ref() != Some(&key) {
            return None;
        }
        Some(Pending {
            dir: self.dir.clone(),
            entry,
            key,
            format: rep.format,
            distinct: rep.distinct,
            diagnostics: parsed.diagnostics.clone(),
            blocks: parsed.records.share_blocks(),
        })
    }

    fn entry_path(&self, key: &Key) -> PathBuf {
        let mut h = Fnv::default();
        h.write(key.canonical.as_bytes());
        h.write(key.shown.as_bytes());
        self.dir.join(format!("{:016x}.lbc", h.0))
    }
}

/// The per-file step of `library::load`: from the cache when possible, else parsed, with the
/// entry still to write for a file that was parsed.
pub fn load_or_parse(
    path: &Path,
    shown: &str,
    tracker: &Tracker,
) -> (SourceReport, Loaded, Option<Pending>) {
    let result = match Cache::from_env() {
        Some(cache) => cache.load_deferred(path, shown, tracker),
        None => {
            let (rep, parsed) = read_and_parse(path, shown, tracker);
            (rep, parsed, None)
        }
    };
    tracker.file_done();
    result
}

/// A cache entry still to be written: a parsed file's records (their blocks, shared with the
/// library) and what its header says.
#[derive(Debug)]
pub struct Pending {
    dir: PathBuf,
    entry: PathBuf,
    key: Key,
    format: Option<&'static str>,
    distinct: bool,
    diagnostics: Vec<Diagnostic>,
    blocks: crate::store::Blocks,
}

impl Pending {
    /// Writes the entry (to a temporary file, then renamed over the old one).
    pub fn write(&self) -> std::io::Result<()> {
        write_entry(self, &mut |_| {})
    }

    /// `write`, telling `progress` the share of the entry written so far (0.0 to 1.0) as it
    /// goes.
    pub fn write_with(&self, progress: &mut dyn FnMut(f64)) -> std::io::Result<()> {
        write_entry(self, progress)
    }
}

fn key_of(path: &Path, shown: &str) -> Option<Key> {
    let meta = std::fs::metadata(path).ok()?;
    let mtime = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some(Key {
        version: env!("CARGO_PKG_VERSION").to_string(),
        canonical: std::fs::canonicalize(path)
            .ok()?
            .to_string_lossy()
            .into_owned(),
        shown: shown.to_string(),
        size: meta.len(),
        mtime_ns: mtime.as_nanos(),
    })
}

fn write_blob(w: &mut impl Write, bytes: &[u8]) -> std::io::Result<()> {
    w.write_all(&(bytes.len() as u64).to_le_bytes())?;
    w.write_all(&checksum(bytes).to_le_bytes())?;
    w.write_all(bytes)
}

/// A fast word-at-a-time hash: catches a damaged entry, which postcard alone might decode
/// into different but valid records.
fn checksum(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0x243f_6a88_85a3_08d3 ^ bytes.len() as u64;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let mut a = [0u8; 8];
        a.copy_from_slice(w);
        h = (h ^ u64::from_le_bytes(a))
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(29);
    }
    for &b in words.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn read_entry(entry: &Path, key: &Key, tracker: &Tracker) -> Option<(SourceReport, Loaded)> {
    let mut file = File::open(entry).ok()?;
    let bytes: SharedBytes = match map_entry(&file) {
        Some(map) => map,
        None => {
            // Read whole where it cannot be mapped, into 4 KB pages (`SmallPages`).
            let _small = crate::SmallPages::hold();
            let mut all = Vec::new();
            file.read_to_end(&mut all).ok()?;
            std::sync::Arc::new(all)
        }
    };
    read_entry_bytes(bytes, key, tracker)
}

/// The entry mapped into memory (Unix): its blocks' bytes are then the page cache's own pages,
/// not a copy in memory the process must be given (a 100k-record second start faulted in
/// 45k pages of 4 KB for the copy, and on the benchmark's virtual machine those cost
/// 0.16-1.0 s of system time from one run to the next; `/usr/bin/time` on
/// `--fresh-start`).
#[cfg(unix)]
fn map_entry(file: &File) -> Option<SharedBytes> {
    // SAFETY: the map is read-only (memmap2 maps it shared: another process's writes to the
    // file would show through), and the parse cache's entries are never written in place: an
    // entry is written to a temporary file and renamed over the old one (`Pending`), which
    // leaves the mapped file as it was. Were another program to change it
    // anyway, the blocks' strings are checked as they are read (`codec::Text::Bytes`): a
    // changed record fails to decode, it never yields text that is not UTF-8.
    let map = unsafe { memmap2::Mmap::map(file) }.ok()?;
    Some(std::sync::Arc::new(map))
}

#[cfg(not(unix))]
fn map_entry(_: &File) -> Option<SharedBytes> {
    // Elsewhere a mapped file cannot be replaced while mapped: the entry is read instead.
    None
}

/// The entry in `entry` when it is whole and sound (magic, checksums, key, each block's walk)
/// and made for `key`; its blocks keep their place in `entry`, no record is decoded.
fn read_entry_bytes(
    entry: SharedBytes,
    key: &Key,
    tracker: &Tracker,
) -> Option<(SourceReport, Loaded)> {
    let bytes: &[u8] = (*entry).as_ref();
    let total = bytes.len() as u64;
    if bytes.get(..8)? != MAGIC {
        return None;
    }
    // Each blob: its length, its checksum, its bytes (`write_blob`).
    let mut at = 8usize;
    let mut next_blob = || -> Option<(u64, std::ops::Range<usize>)> {
        let word = |i: usize| -> Option<u64> {
            Some(u64::from_le_bytes(bytes.get(i..i + 8)?.try_into().ok()?))
        };
        let len = usize::try_from(word(at)?).ok()?;
        let sum = word(at + 8)?;
        let start = at.checked_add(16)?;
        let end = start.checked_add(len)?;
        bytes.get(start..end)?;
        at = end;
        Some((sum, start..end))
    };
    let (sum, head) = next_blob()?;
    if sum != checksum(&bytes[head.clone()]) {
        return None;
    }
    let header: Header = postcard::from_bytes(&bytes[head]).ok()?;
    if &header.key != key {
        return None;
    }
    let blobs: Vec<(u64, std::ops::Range<usize>)> = (0..header.chunks)
        .map(|_| next_blob())
        .collect::<Option<_>>()?;
    let mut records = Records::new();
    // Checked a few at a time in parallel, in order, with progress after each few.
    let batch = rayon::current_num_threads().max(1) * 2;
    for few in blobs.chunks(batch) {
        let checked = few
            .par_iter()
            .map(|(sum, range)| {
                let blob = &bytes[range.clone()];
                if *sum != checksum(blob) {
                    return None;
                }
                let (text, shape, count) = codec::frame_parts(blob)?;
                let shift = |r: std::ops::Range<usize>| r.start + range.start..r.end + range.start;
                let mut block = Records::new();
                block.push_shared_block(entry.clone(), shift(text), shift(shape), count)?;
                Some(block)
            })
            .collect::<Option<Vec<Records>>>()?;
        let read: u64 = few.iter().map(|(_, r)| r.len() as u64 + 16).sum();
        let n: usize = checked.iter().map(Records::len).sum();
        for c in checked {
            records.append(c);
        }
        tracker.advance(
            (u128::from(read) * u128::from(key.size) / u128::from(total.max(1))) as u64,
            n,
        );
    }
    if records.len() != header.records {
        return None;
    }
    Some(finish_entry(header, records))
}

/// The source report and the loaded library of an entry whose records were all read.
fn finish_entry(header: Header, records: Records) -> (SourceReport, Loaded) {
    let diagnostics: Vec<Diagnostic> = header
        .diagnostics
        .into_iter()
        .map(|(path, line, error, message)| Diagnostic {
            path,
            line,
            severity: if error {
                Severity::Error
            } else {
                Severity::Warning
            },
            message,
        })
        .collect();
    let format = header
        .format
        .and_then(|name| Format::ALL.into_iter().find(|f| f.name() == name));
    let loaded = Loaded {
        records,
        diagnostics,
    };
    let mut rep = report(&header.key.shown, format, &loaded);
    rep.distinct = header.distinct;
    (rep, loaded)
}

/// A cache file being written, under a temporary name until it is complete. The browser
/// writes its caches in the background, so a person can quit (or the process be killed) in the
/// middle: `remove_unfinished` takes those away as the browser leaves, and a writer first
/// removes what one that died left in its folder (as large as the entry: 1.7 GB at a million
/// records).
pub(crate) struct Temporary {
    pub path: PathBuf,
}

/// Temporary files being written now (`Temporary`).
static UNFINISHED: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// A temporary file untouched for this long belongs to a writer that is gone.
const STALE: std::time::Duration = std::time::Duration::from_secs(600);

impl Temporary {
    /// Names the temporary file for `target`, after clearing stale ones from its folder.
    pub fn new(dir: &Path, target: &Path) -> Temporary {
        sweep_stale(dir);
        let mut name = target.file_name().unwrap_or_default().to_os_string();
        name.push(format!(".{}.tmp", std::process::id()));
        let path = dir.join(name);
        UNFINISHED
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(path.clone());
        Temporary { path }
    }

    /// Renames the finished file to `target`.
    pub fn finish(self, target: &Path) -> std::io::Result<()> {
        std::fs::rename(&self.path, target)
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        // Finished, this finds nothing to remove; unfinished, the file goes.
        let _ = std::fs::remove_file(&self.path);
        UNFINISHED
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|p| p != &self.path);
    }
}

/// Removes the cache files still being written (the browser calls it as it leaves; their
/// writers are cut off with the process).
pub fn remove_unfinished() {
    for p in UNFINISHED.lock().unwrap_or_else(|e| e.into_inner()).iter() {
        let _ = std::fs::remove_file(p);
    }
}

fn sweep_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = std::time::SystemTime::now();
    for e in entries.flatten() {
        if !e.file_name().to_string_lossy().contains(".tmp") {
            continue;
        }
        let age = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok());
        if age.is_some_and(|a| a > STALE) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

fn write_entry(p: &Pending, progress: &mut dyn FnMut(f64)) -> std::io::Result<()> {
    std::fs::create_dir_all(&p.dir)?;
    let entry = &p.entry;
    let temporary = Temporary::new(&p.dir, entry);
    let tmp = &temporary.path;
    let result = (|| {
        let mut w = BufWriter::with_capacity(1 << 20, File::create(tmp)?);
        let blocks: Vec<(&[u8], &[u8], usize)> = p.blocks.iter().collect();
        let header = Header {
            key: p.key.clone(),
            format: p.format.map(str::to_string),
            records: p.blocks.records(),
            diagnostics: p
                .diagnostics
                .iter()
                .map(|d| {
                    (
                        d.path.clone(),
                        d.line,
                        d.severity == Severity::Error,
                        d.message.clone(),
                    )
                })
                .collect(),
            chunks: blocks.len(),
            distinct: p.distinct,
        };
        let bad = |e: postcard::Error| std::io::Error::other(e.to_string());
        w.write_all(MAGIC)?;
        let head = postcard::to_allocvec(&header).map_err(bad)?;
        write_blob(&mut w, &head)?;
        let batch = rayon::current_num_threads().max(1) * 2;
        for (k, group) in blocks.chunks(batch).enumerate() {
            let blobs: Vec<Vec<u8>> = group
                .par_iter()
                .map(|&(text, shape, count)| codec::frame(text, shape, count))
                .collect();
            for b in blobs {
                write_blob(&mut w, &b)?;
            }
            progress(((k + 1) * batch).min(blocks.len()) as f64 / blocks.len() as f64);
        }
        // No fsync: waiting for 1.7 GB to reach the disk would double a cold start, and an
        // entry torn by a crash fails its checksums and is parsed again.
        w.into_inner().map_err(|e| e.into_error())?;
        Ok(())
    })();
    result.and_then(|()| temporary.finish(entry))
}

fn report(path: &str, format: Option<Format>, parsed: &Loaded) -> SourceReport {
    let errors = parsed
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    SourceReport {
        path: path.to_string(),
        format: format.map(Format::name),
        records: parsed.records.len(),
        errors,
        warnings: parsed.diagnostics.len() - errors,
        distinct: false,
    }
}

fn cannot_read(shown: &str, e: std::io::Error) -> (SourceReport, Loaded) {
    let parsed = Loaded {
        records: Records::new(),
        diagnostics: vec![Diagnostic::error(shown, 0, format!("cannot read: {e}"))],
    };
    (report(shown, None, &parsed), parsed)
}

/// Reads and parses one file. A large RIS or MEDLINE file is read in pieces that end at a
/// record boundary and parsed in parallel; anything else is read whole and parsed at once.
pub fn read_and_parse(path: &Path, shown: &str, tracker: &Tracker) -> (SourceReport, Loaded) {
    let _small = crate::SmallPages::hold();
    read_in_pieces(path, shown, tracker, PIECE_BYTES)
}

fn read_in_pieces(
    path: &Path,
    shown: &str,
    tracker: &Tracker,
    piece_bytes: usize,
) -> (SourceReport, Loaded) {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) => return cannot_read(shown, e),
    };
    let mut head = Vec::new();
    if let Err(e) = (&mut file)
        .take(2 * piece_bytes as u64)
        .read_to_end(&mut head)
    {
        return cannot_read(shown, e);
    }
    // Lines ending in a lone carriage return are unified by `parse_bytes`, read whole.
    let format = (head.len() == 2 * piece_bytes && !library::has_lone_cr(&head))
        .then(|| detect_prefix(&head))
        .flatten()
        .filter(|f| matches!(f, Format::Ris | Format::Medline));
    let Some(format) = format else {
        if let Err(e) = file.read_to_end(&mut head) {
            return cannot_read(shown, e);
        }
        let mut result = library::parse_bytes(shown, &head);
        library::prepare(&mut result.1.records);
        result.0.distinct = library::distinct(&result.1.records);
        tracker.advance(head.len() as u64, result.1.records.len());
        return library::stored(result);
    };
    let threads = rayon::current_num_threads().max(1);
    let mut pieces = Pieces {
        file,
        format,
        piece_bytes,
        carry: head,
        eof: false,
        lines_before: 0,
        first: true,
        pool: Vec::new(),
    };
    let mut out = Loaded::default();
    let mut check = library::Distinct::default();
    let mut batch = match pieces.next(threads * 2) {
        Ok(b) => b,
        Err(e) => return cannot_read(shown, e),
    };
    let mut parsed: Vec<ParsedPiece> = Vec::new();
    // While one batch is parsed, the next is read and the last one's records are put in
    // place and checked for duplicates: no core waits for the reading or the checking.
    while !batch.is_empty() {
        let (next, now) = rayon::join(
            || {
                gather(&mut out, &mut check, &mut parsed);
                pieces.next(threads * 2)
            },
            || {
                batch
                    .par_iter()
                    .map(|piece| {
                        let p = parse_piece(
                            format,
                            &piece.bytes,
                            shown,
                            piece.lines_before,
                            piece.first,
                        );
                        tracker.advance(piece.bytes.len() as u64, p.records.len());
                        // Stored here, on the parsing thread: the piece's records are freed
                        // while hot, and a library never holds its records twice.
                        let mut records = Records::new();
                        records.push(&p.records);
                        ParsedPiece {
                            keys: library::Distinct::keys(&p.records),
                            records,
                            diagnostics: p.diagnostics,
                        }
                    })
                    .collect::<Vec<_>>()
            },
        );
        parsed = now;
        pieces.pool.extend(batch.drain(..).map(|p| p.bytes));
        batch = match next {
            Ok(b) => b,
            Err(e) => return cannot_read(shown, e),
        };
    }
    gather(&mut out, &mut check, &mut parsed);
    let mut rep = report(shown, Some(format), &out);
    rep.distinct = check.holds();
    (rep, out)
}

/// A piece of a large file, cut at a record boundary.
struct Piece {
    bytes: Vec<u8>,
    lines_before: usize,
    first: bool,
}

struct ParsedPiece {
    records: Records,
    diagnostics: Vec<Diagnostic>,
    keys: Vec<library::DistinctKeys>,
}

/// Moves parsed pieces' records and diagnostics into `out`, in order.
fn gather(out: &mut Loaded, check: &mut library::Distinct, parsed: &mut Vec<ParsedPiece>) {
    for p in parsed.drain(..) {
        check.add(&p.keys);
        out.records.append(p.records);
        for d in p.diagnostics {
            // A whole-file message from every piece is said once.
            if d.line > 0 || !out.diagnostics.contains(&d) {
                out.diagnostics.push(d);
            }
        }
    }
}

/// Reads a large file a piece at a time; piece buffers are reused (a fresh 8 MB buffer per
/// piece meant page faults on as many bytes as the file has, and growing it by doubling
/// copied it several times).
struct Pieces {
    file: File,
    format: Format,
    piece_bytes: usize,
    /// Bytes read past the end of the last piece: the start of its next record.
    carry: Vec<u8>,
    eof: bool,
    lines_before: usize,
    first: bool,
    pool: Vec<Vec<u8>>,
}

impl Pieces {
    /// Up to `n` pieces, each ending where a record starts (the last at the end of the file).
    fn next(&mut self, n: usize) -> std::io::Result<Vec<Piece>> {
        let mut batch = Vec::new();
        while batch.len() < n && !(self.eof && self.carry.is_empty()) {
            let mut piece = self.pool.pop().unwrap_or_default();
            piece.clear();
            if piece.capacity() < self.carry.len() {
                std::mem::swap(&mut piece, &mut self.carry);
            } else {
                piece.extend_from_slice(&self.carry);
                self.carry.clear();
            }
            loop {
                if piece.len() < self.piece_bytes && !self.eof {
                    let want = self.piece_bytes - piece.len();
                    piece.reserve(want);
                    if (&mut self.file).take(want as u64).read_to_end(&mut piece)? == 0 {
                        self.eof = true;
                    }
                    continue;
                }
                if self.eof {
                    break;
                }
                match last_record_start(&piece, self.format) {
                    Some(at) => {
                        self.carry.extend_from_slice(&piece[at..]);
                        piece.truncate(at);
                        break;
                    }
                    // One record larger than a piece: read on.
                    None => {
                        piece.reserve(self.piece_bytes);
                        let more = (&mut self.file)
                            .take(self.piece_bytes as u64)
                            .read_to_end(&mut piece)?;
                        if more == 0 {
                            self.eof = true;
                        }
                    }
                }
            }
            let lines = memchr::memchr_iter(b'\n', &piece).count();
            batch.push(Piece {
                bytes: piece,
                lines_before: self.lines_before,
                first: self.first,
            });
            self.lines_before += lines;
            self.first = false;
        }
        Ok(batch)
    }
}

fn detect_prefix(bytes: &[u8]) -> Option<Format> {
    let probe = &bytes[..bytes.len().min(64 * 1024)];
    if memchr::memchr(0, probe).is_some() {
        return None;
    }
    let text = String::from_utf8_lossy(probe);
    formats::detect(text.strip_prefix('\u{feff}').unwrap_or(&text))
}

/// Start of the last record in `bytes` (never 0, so a piece always makes progress).
fn last_record_start(bytes: &[u8], format: Format) -> Option<usize> {
    let needle: &[u8] = match format {
        Format::Medline => b"\nPMID-",
        _ => b"\nTY  -",
    };
    memchr::memmem::rfind(bytes, needle)
        .map(|i| i + 1)
        .filter(|&i| i > 0)
}

/// Parses one piece of a file; its lines are numbered from `lines_before + 1`.
fn parse_piece(
    format: Format,
    bytes: &[u8],
    shown: &str,
    lines_before: usize,
    first: bool,
) -> Parsed {
    let mut diagnostics = Vec::new();
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(e) => {
            let at = e.valid_up_to();
            let line = 1 + memchr::memchr_iter(b'\n', &bytes[..at]).count();
            diagnostics.push(Diagnostic::warning(
                shown,
                line,
                "invalid UTF-8; the bad bytes are shown as \u{FFFD} and the rest is read",
            ));
            String::from_utf8_lossy(bytes)
        }
    };
    let text = if first {
        text.strip_prefix('\u{feff}').unwrap_or(&text)
    } else {
        &text
    };
    let mut parsed = format.parse(text, shown);
    diagnostics.append(&mut parsed.diagnostics);
    for d in &mut diagnostics {
        if d.line > 0 {
            d.line += lines_before;
        }
    }
    for r in &mut parsed.records {
        r.source.line += lines_before;
    }
    library::prepare(&mut parsed.records);
    parsed.diagnostics = diagnostics;
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Record;
    use crate::synth;

    fn silent() -> Tracker<'static> {
        Tracker::new(&|_| {})
    }

    fn ris(from: u64, to: u64) -> String {
        let mut s = String::new();
        for i in from..to {
            synth::write_ris(&synth::record(5, i), &mut s);
        }
        s
    }

    fn medline(n: u64) -> String {
        let mut s = String::new();
        for i in 0..n {
            synth::write_medline(&synth::record(6, i), &mut s);
        }
        s
    }

    fn cache_in(dir: &Path) -> Cache {
        Cache {
            dir: dir.join("cache"),
            min_bytes: 0,
        }
    }

    #[test]
    fn entry_round_trip_keeps_every_field() {
        let dir = tempfile::tempdir().unwrap();
        let records: Vec<Record> = (0..40_000).map(|i| synth::record(9, i)).collect();
        let parsed = Loaded {
            records: Records::from_records(&records),
            diagnostics: vec![
                Diagnostic::warning("lib.ris", 12, "a warning"),
                Diagnostic::error("lib.ris", 0, "an error"),
            ],
        };
        let key = Key {
            version: "0.1.0".into(),
            canonical: "/x/lib.ris".into(),
            shown: "lib.ris".into(),
            size: 1234,
            mtime_ns: 99,
        };
        let rep = report("lib.ris", Some(Format::Ris), &parsed);
        let entry = dir.path().join("e.lbc");
        Pending {
            dir: dir.path().to_path_buf(),
            entry: entry.clone(),
            key: key.clone(),
            format: rep.format,
            distinct: rep.distinct,
            diagnostics: parsed.diagnostics.clone(),
            blocks: parsed.records.share_blocks(),
        }
        .write()
        .unwrap();
        let (rep2, back) = read_entry(&entry, &key, &silent()).unwrap();
        // Mapped (Unix) and read whole (elsewhere), the same.
        let whole: SharedBytes = std::sync::Arc::new(std::fs::read(&entry).unwrap());
        let (rep3, read) = read_entry_bytes(whole, &key, &silent()).unwrap();
        assert_eq!(rep3, rep);
        assert_eq!(read.records, parsed.records);
        assert_eq!(rep2, rep);
        assert_eq!(rep2.records, 40_000);
        assert_eq!(rep2.format, Some("ris"));
        assert_eq!(back.records, parsed.records);
        assert_eq!(back.diagnostics, parsed.diagnostics);
        let stale = Key {
            mtime_ns: 100,
            ..key.clone()
        };
        assert!(read_entry(&entry, &stale, &silent()).is_none());
        let other_version = Key {
            version: "0.0.9".into(),
            ..key
        };
        assert!(read_entry(&entry, &other_version, &silent()).is_none());
    }

    #[test]
    fn second_load_is_a_hit_and_a_changed_file_is_parsed_again() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("lib.ris");
        std::fs::write(&file, ris(0, 50)).unwrap();
        let cache = cache_in(dir.path());
        let (o1, rep1, p1) = cache.load(&file, "lib.ris", &silent());
        assert_eq!(o1, Outcome::Stored);
        let (o2, rep2, p2) = cache.load(&file, "lib.ris", &silent());
        assert_eq!(o2, Outcome::Hit);
        assert_eq!(rep2, rep1);
        assert_eq!(p2.records, p1.records);
        assert_eq!(p2.diagnostics, p1.diagnostics);
        // The same file shown under another name is its own entry.
        let (o3, _, _) = cache.load(&file, "./lib.ris", &silent());
        assert_eq!(o3, Outcome::Stored);

        std::fs::write(&file, ris(0, 51)).unwrap();
        let (o4, rep4, p4) = cache.load(&file, "lib.ris", &silent());
        assert_eq!(o4, Outcome::Stored, "a changed file must be parsed again");
        let mut fresh = library::parse_bytes("lib.ris", &std::fs::read(&file).unwrap());
        library::prepare(&mut fresh.1.records);
        fresh.0.distinct = library::distinct(&fresh.1.records);
        assert!(rep4.distinct);
        assert_eq!(rep4, fresh.0);
        assert_eq!(p4.records, fresh.1.records);
        assert_eq!(cache.load(&file, "lib.ris", &silent()).0, Outcome::Hit);
    }

    /// A writer that stopped half way leaves no file behind, and one a dead writer left is
    /// removed by the next writer once stale; a fresh one (a writer at work) is not.
    #[test]
    fn unfinished_temporaries_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("e.lbc");
        let t = Temporary::new(dir.path(), &target);
        std::fs::write(&t.path, b"half").unwrap();
        let path = t.path.clone();
        drop(t);
        assert!(
            !path.exists(),
            "an unfinished temporary goes with its writer"
        );

        let stale = dir.path().join("x.lbc.999999.tmp");
        let busy = dir.path().join("y.lbi.999998.tmp");
        for p in [&stale, &busy] {
            std::fs::write(p, b"left").unwrap();
        }
        let long_ago = std::time::SystemTime::now() - STALE - std::time::Duration::from_secs(60);
        std::fs::File::options()
            .write(true)
            .open(&stale)
            .unwrap()
            .set_modified(long_ago)
            .unwrap();
        let t = Temporary::new(dir.path(), &target);
        std::fs::write(&t.path, b"whole").unwrap();
        t.finish(&target).unwrap();
        assert!(!stale.exists(), "stale: removed");
        assert!(busy.exists(), "recent: another writer's, kept");
        assert_eq!(std::fs::read(&target).unwrap(), b"whole");
    }

    /// The browser's first start leaves the entry to write after its first frame; written
    /// then, the next start reads it.
    #[test]
    fn a_deferred_entry_is_written_later_and_then_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("lib.ris");
        std::fs::write(&file, ris(0, 50)).unwrap();
        let cache = cache_in(dir.path());
        let (rep1, p1, pending) = cache.load_deferred(&file, "lib.ris", &silent());
        let pending = pending.expect("a parsed file leaves its entry to write");
        assert!(
            !cache.entry_path(&pending.key).exists(),
            "nothing is written before `write`"
        );
        pending.write().unwrap();
        let (rep2, p2, again) = cache.load_deferred(&file, "lib.ris", &silent());
        assert!(again.is_none(), "read from the entry, so nothing to write");
        assert_eq!(rep2, rep1);
        assert_eq!(p2.records, p1.records);
        assert_eq!(p2.diagnostics, p1.diagnostics);
        assert_eq!(cache.load(&file, "lib.ris", &silent()).0, Outcome::Hit);
    }

    /// The library a second start builds from the cache is the one a first start builds from
    /// the file, field by field, whether or not the file holds duplicates (with none, the
    /// cached `distinct` lets `assemble` skip de-duplication).
    #[test]
    fn library_from_a_hit_equals_the_library_from_parsing() {
        let dir = tempfile::tempdir().unwrap();
        let mut with_copies = ris(0, 400);
        // The same papers again (same DOIs), and one sharing only a title, year and author.
        with_copies.push_str(&ris(100, 140));
        let mut twin = synth::record(5, 7);
        twin.doi = None;
        twin.pmid = None;
        synth::write_ris(&twin, &mut with_copies);
        for (name, text, distinct) in [
            ("plain.ris", ris(0, 400), true),
            ("copies.ris", with_copies, false),
        ] {
            let file = dir.path().join(name);
            std::fs::write(&file, &text).unwrap();
            let fresh = {
                let (mut rep, mut parsed) = library::parse_bytes(name, text.as_bytes());
                rep.distinct = false;
                library::prepare(&mut parsed.records);
                library::assemble(vec![(rep, parsed)])
            };
            let cache = cache_in(dir.path());
            assert_eq!(cache.load(&file, name, &silent()).0, Outcome::Stored);
            let (outcome, rep, parsed) = cache.load(&file, name, &silent());
            assert_eq!(outcome, Outcome::Hit);
            assert_eq!(rep.distinct, distinct, "{name}");
            let hit = library::assemble_loaded(vec![(rep, parsed)]);
            assert_eq!(hit.records, fresh.records, "{name}");
            assert_eq!(hit.merged, fresh.merged, "{name}");
            assert_eq!(hit.reports.len(), 1);
            assert_eq!(hit.diagnostics, fresh.diagnostics, "{name}");
            if !distinct {
                assert_eq!(fresh.merged, 41, "{name}");
            }
        }
    }

    #[test]
    fn same_size_but_newer_file_is_parsed_again() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("lib.ris");
        let text = ris(0, 20);
        std::fs::write(&file, &text).unwrap();
        let cache = cache_in(dir.path());
        assert_eq!(cache.load(&file, "lib.ris", &silent()).0, Outcome::Stored);
        let later = std::time::SystemTime::now() + Duration::from_secs(5);
        File::options()
            .write(true)
            .open(&file)
            .unwrap()
            .set_modified(later)
            .unwrap();
        assert_eq!(cache.load(&file, "lib.ris", &silent()).0, Outcome::Stored);
    }

    /// A mapped block whose text is not UTF-8 (a file changed under the map, say) is refused
    /// whole, as an owned one is; unchanged, it reads back its records.
    #[test]
    fn a_mapped_block_is_checked_like_an_owned_one() {
        let dir = tempfile::tempdir().unwrap();
        let records: Vec<Record> = (0..50).map(|i| synth::record(4, i)).collect();
        let (text, shape) = codec::encode_block(&records);
        let blob = codec::frame(text.as_bytes(), &shape, records.len());
        let good = dir.path().join("good");
        std::fs::write(&good, &blob).unwrap();
        let mut bad_blob = blob.clone();
        let at = text.find("a").unwrap();
        bad_blob[at] = 0xff;
        let bad = dir.path().join("bad");
        std::fs::write(&bad, &bad_blob).unwrap();
        for (path, ok) in [(good, true), (bad, false)] {
            let Some(map) = map_entry(&File::open(&path).unwrap()) else {
                return; // not Unix: entries are read, not mapped
            };
            let (t, sh, count) = codec::frame_parts((*map).as_ref()).unwrap();
            let mut stored = Records::new();
            let pushed = stored.push_shared_block(map.clone(), t, sh, count);
            assert_eq!(pushed.is_some(), ok);
            if ok {
                assert_eq!(stored, records);
            }
        }
    }

    #[test]
    fn corrupt_or_truncated_entry_falls_back_to_parsing() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("lib.ris");
        std::fs::write(&file, ris(0, 30)).unwrap();
        let cache = cache_in(dir.path());
        let (_, rep, good) = cache.load(&file, "lib.ris", &silent());
        let entry = std::fs::read_dir(&cache.dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "lbc"))
            .unwrap();
        let bytes = std::fs::read(&entry).unwrap();
        let corruptions: Vec<Vec<u8>> = vec![
            bytes[..bytes.len() / 2].to_vec(),
            b"garbage".to_vec(),
            Vec::new(),
            {
                let mut b = bytes.clone();
                let n = b.len();
                for x in &mut b[n.saturating_sub(300)..] {
                    *x ^= 0x5a;
                }
                b
            },
        ];
        for bad in corruptions {
            std::fs::write(&entry, bad).unwrap();
            let (outcome, rep2, again) = cache.load(&file, "lib.ris", &silent());
            assert_eq!(outcome, Outcome::Stored);
            assert_eq!(rep2, rep);
            assert_eq!(again.records, good.records);
        }
        assert_eq!(cache.load(&file, "lib.ris", &silent()).0, Outcome::Hit);
    }

    #[test]
    fn small_files_are_not_cached() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("lib.ris");
        std::fs::write(&file, ris(0, 3)).unwrap();
        let cache = Cache {
            dir: dir.path().join("cache"),
            min_bytes: MIN_BYTES,
        };
        assert_eq!(cache.load(&file, "lib.ris", &silent()).0, Outcome::Parsed);
        assert!(!cache.dir.exists());
    }

    /// A large file whose lines end in lone carriage returns is read whole (pieces are cut at
    /// line feeds) and gives the records its line-feed twin gives.
    #[test]
    fn a_large_file_with_carriage_returns_reads_like_one_with_line_feeds() {
        let (lf, cr) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let text = ris(0, 300);
        std::fs::write(lf.path().join("lib.ris"), &text).unwrap();
        std::fs::write(cr.path().join("lib.ris"), text.replace('\n', "\r")).unwrap();
        let read = |d: &Path| read_in_pieces(&d.join("lib.ris"), "lib.ris", &silent(), 1024).1;
        let (a, b) = (read(lf.path()), read(cr.path()));
        assert_eq!(a.records.len(), 300);
        assert_eq!(a.records, b.records);
        assert_eq!(a.diagnostics, b.diagnostics);
    }

    #[test]
    fn pieces_parse_like_the_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut copies = ris(0, 300);
        copies.push_str(&ris(200, 210));
        // Pieces of 32 KB hold several records; pieces of 1 KB are smaller than one.
        for (name, text, piece) in [
            ("lib.ris", ris(0, 300), 32 * 1024),
            ("lib.med", medline(300), 32 * 1024),
            ("small.ris", ris(0, 60), 1024),
            ("copies.ris", copies, 32 * 1024),
        ] {
            let file = dir.path().join(name);
            std::fs::write(&file, &text).unwrap();
            let mut whole = library::parse_bytes(name, text.as_bytes());
            library::prepare(&mut whole.1.records);
            whole.0.distinct = library::distinct(&whole.1.records);
            assert_eq!(whole.0.distinct, name != "copies.ris");
            let seen = Mutex::new(Vec::new());
            let record = |p: Progress| seen.lock().unwrap().push(p);
            let tracker = Tracker::new(&record);
            tracker.add_total(1, text.len() as u64);
            let (rep, pieces) = read_in_pieces(&file, name, &tracker, piece);
            assert_eq!(rep, whole.0, "{name}");
            assert_eq!(pieces.records, whole.1.records, "{name}");
            assert_eq!(pieces.diagnostics, whole.1.diagnostics, "{name}");
            let last = *seen.lock().unwrap().last().unwrap();
            assert_eq!(last.bytes_done, text.len() as u64);
            assert_eq!(last.records, whole.1.records.len());
            assert!(
                seen.lock().unwrap().len() > 10,
                "progress reported per piece"
            );
        }
    }

    #[test]
    fn progress_reads_as_words() {
        let p = Progress {
            files_done: 1,
            files_total: 3,
            records: 412_000,
            bytes_done: 48,
            bytes_total: 100,
        };
        assert_eq!(describe(&p), "reading 1/3 files: 412,000 records, 48%");
    }
}
