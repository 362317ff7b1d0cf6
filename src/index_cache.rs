//! The search cache: a library's search indexes and list lines, stored beside the parse cache
//! so that a second `litbrowse list --query` of the same files answers without decoding a
//! single record (decoding a million records from the parse cache takes seconds; reading the
//! indexes, a fraction of one).
//!
//! An entry is keyed by the inputs as given and by every file they resolve to (path, size,
//! modification time): any change to any file, or a file added to a folder, misses. Two files
//! per library: `.lbi` (list lines, load errors, metadata index) and `.lba` (abstract index).
//! Each section carries a checksum, and what is read is checked for consistency before use;
//! anything wrong is a miss, and the command falls back to loading the library.

use crate::cache::Cache;
use crate::record::Fnv;
use crate::search::Index;
use crate::store::Records;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::hash::BuildHasher;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;
use std::time::UNIX_EPOCH;

/// 3: the vocabulary's words grouped by first character (`search::group_by_first`); an entry
/// of an older build still answers, but without the grouping's speed, so it is made anew.
const MAGIC: &[u8; 8] = b"LBINDEX3";
/// The `list` lines are checked a block of this many bytes at a time, so that a query with a
/// few hits reads a few blocks, not every line (355 MB at a million records).
const LINE_BLOCK: usize = 64 * 1024;
const MAGIC_ABSTRACTS: &[u8; 8] = b"LBABSTR1";

/// What an entry must match to be used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Key {
    version: String,
    little_endian: bool,
    inputs: Vec<String>,
    /// canonical path, size, modification time (ns)
    files: Vec<(String, u64, u128)>,
}

impl Key {
    /// The key of `inputs` as they are now; None for standard input, the built-in library,
    /// or a path that cannot be read (those libraries are not cached).
    pub fn of(inputs: &[String]) -> Option<Key> {
        let files = crate::library::input_files(inputs)?;
        let mut stats = Vec::with_capacity(files.len());
        for f in files {
            let meta = std::fs::metadata(&f).ok()?;
            let mtime = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
            let canonical = std::fs::canonicalize(&f).ok()?;
            stats.push((
                canonical.to_string_lossy().into_owned(),
                meta.len(),
                mtime.as_nanos(),
            ));
        }
        Some(Key {
            version: env!("CARGO_PKG_VERSION").to_string(),
            little_endian: cfg!(target_endian = "little"),
            inputs: inputs.to_vec(),
            files: stats,
        })
    }

    fn bytes(&self) -> u64 {
        self.files.iter().map(|f| f.1).sum()
    }

    /// The entry's file name without extension: one per set of inputs, so that a changed file
    /// overwrites its library's entry instead of adding one.
    fn stem(&self) -> String {
        let mut h = Fnv::default();
        for i in &self.inputs {
            h.write(i.as_bytes());
        }
        h.write(b"files");
        for f in &self.files {
            h.write(f.0.as_bytes());
        }
        format!("{:016x}", h.0)
    }
}

/// A library as the search cache holds it: enough to run most queries and print `list` lines.
pub struct Entry {
    /// The load errors, one per line, as `list` reports them on stderr.
    pub errors: String,
    /// Line `i` is `lines[ends[i]..ends[i + 1]]`, read by `read_lines`.
    ends: Vec<u64>,
    lines: Lines,
    /// The search index, without records.
    pub index: Index,
}

/// The `list` lines' section of an entry: where it lies in the file and each block's checksum;
/// blocks are read when asked for.
struct Lines {
    file: File,
    at: u64,
    len: u64,
    sums: Vec<u64>,
    /// Blocks read so far, by number.
    blocks: std::collections::HashMap<usize, Box<[u8]>>,
}

impl Entry {
    pub fn len(&self) -> usize {
        self.ends.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Reads and checks the blocks that hold these records' lines (all of them when the
    /// records are many). None when a block is damaged or a line is not text: the entry is
    /// then not to be used.
    pub fn read_lines(&mut self, records: &[u32]) -> Option<()> {
        let l = &mut self.lines;
        let count = l.sums.len();
        let mut wanted: Vec<usize> = Vec::new();
        let mut all = false;
        for &i in records {
            let (a, b) = (*self.ends.get(i as usize)?, *self.ends.get(i as usize + 1)?);
            wanted.extend(a as usize / LINE_BLOCK..=(b as usize).saturating_sub(1) / LINE_BLOCK);
            if wanted.len() > count {
                all = true;
                break;
            }
        }
        if all {
            wanted = (0..count).collect();
        } else {
            wanted.sort_unstable();
            wanted.dedup();
        }
        for k in wanted {
            if k >= count || l.blocks.contains_key(&k) {
                continue;
            }
            let from = (k * LINE_BLOCK) as u64;
            let size = (l.len - from).min(LINE_BLOCK as u64) as usize;
            let mut block = vec![0u8; size].into_boxed_slice();
            use std::os::unix::fs::FileExt;
            l.file.read_exact_at(&mut block, l.at + from).ok()?;
            if checksum(&block) != l.sums[k] {
                return None;
            }
            l.blocks.insert(k, block);
        }
        records
            .iter()
            .all(|&i| self.line(i).is_some())
            .then_some(())
    }

    /// Record `i`'s `list` line (`cli::list_line`), once `read_lines` has read it.
    pub fn line(&self, i: u32) -> Option<std::borrow::Cow<'_, str>> {
        let i = i as usize;
        let (a, b) = (*self.ends.get(i)? as usize, *self.ends.get(i + 1)? as usize);
        let (first, last) = (a / LINE_BLOCK, b.saturating_sub(1) / LINE_BLOCK);
        if a == b {
            return Some("".into());
        }
        let part = |k: usize| -> Option<&[u8]> {
            let block = self.lines.blocks.get(&k)?;
            let from = (k * LINE_BLOCK).max(a) - k * LINE_BLOCK;
            let to = ((k + 1) * LINE_BLOCK).min(b) - k * LINE_BLOCK;
            block.get(from..to)
        };
        if first == last {
            return std::str::from_utf8(part(first)?).ok().map(Into::into);
        }
        let mut bytes = Vec::with_capacity(b - a);
        for k in first..=last {
            bytes.extend_from_slice(part(k)?);
        }
        String::from_utf8(bytes).ok().map(Into::into)
    }
}

/// Reads the entry for `key`; with `abstracts`, only when the abstract index is stored too.
/// The `list` lines are left in the file until `read_lines`.
pub fn open(cache: &Cache, key: &Key, abstracts: bool) -> Option<Entry> {
    let stem = key.stem();
    let path = cache.dir.join(format!("{stem}.lbi"));
    let mut r = Reader::open(&path, MAGIC, key)?;
    let errors = r.get_str()?;
    let ends: Vec<u64> = r.get()?;
    let sums: Vec<u64> = r.get()?;
    let (at, len) = r.skip()?;
    let n = ends.len().checked_sub(1)?;
    let sound = ends.first() == Some(&0)
        && ends.last() == Some(&len)
        && ends.windows(2).all(|w| w[0] <= w[1])
        && sums.len() == (len as usize).div_ceil(LINE_BLOCK);
    if !sound {
        return None;
    }
    let index = Index::read_stored(n, &mut r)?;
    if abstracts {
        let mut a = Reader::open(&cache.dir.join(format!("{stem}.lba")), MAGIC_ABSTRACTS, key)?;
        index.read_stored_abstracts(&mut a)?;
    }
    Some(Entry {
        errors,
        ends,
        lines: Lines {
            file: File::open(&path).ok()?,
            at,
            len,
            sums,
            blocks: Default::default(),
        },
        index,
    })
}

/// Stores `records`' list lines and `index` (built over them) for `key`, when the library is
/// large enough to be worth it and its files are still as `key` describes them. The abstract
/// index is stored too when it is built.
pub fn store(
    cache: &Cache,
    key: &Key,
    errors: &str,
    records: &Records,
    index: &Index,
) -> std::io::Result<()> {
    if key.bytes() < cache.min_bytes || Key::of(&key.inputs).as_ref() != Some(key) {
        return Ok(());
    }
    let stem = key.stem();
    // Records decoded and their lines written a slice at a time on every core.
    const SLICE: usize = 8192;
    let n = records.len();
    let parts: Vec<(String, Vec<u64>)> = (0..n.div_ceil(SLICE))
        .into_par_iter()
        .map(|k| {
            let (mut text, mut lens) = (String::new(), Vec::new());
            for i in k * SLICE..((k + 1) * SLICE).min(n) {
                text.push_str(&crate::cli::list_line(&records.get(i).unwrap_or_default()));
                lens.push(text.len() as u64);
            }
            (text, lens)
        })
        .collect();
    let mut lines = String::with_capacity(parts.iter().map(|p| p.0.len()).sum());
    let mut ends = Vec::with_capacity(n + 1);
    ends.push(0u64);
    for (text, lens) in parts {
        let base = lines.len() as u64;
        ends.extend(lens.iter().map(|l| base + l));
        lines.push_str(&text);
    }
    let sums: Vec<u64> = lines.as_bytes().chunks(LINE_BLOCK).map(checksum).collect();
    write_atomically(&cache.dir, &format!("{stem}.lbi"), MAGIC, key, |w| {
        w.put_str(errors)?;
        w.put(&ends)?;
        w.put(&sums)?;
        w.put_str(&lines)?;
        index.write_stored(w)
    })?;
    if index.abstracts_indexed() {
        write_atomically(
            &cache.dir,
            &format!("{stem}.lba"),
            MAGIC_ABSTRACTS,
            key,
            |w| index.write_stored_abstracts(w),
        )?;
    }
    Ok(())
}

/// What the browser needs to read its indexes from the search cache, or to store them there
/// once built.
pub struct Stored {
    pub cache: Cache,
    pub key: Key,
    /// The load errors (see `Entry::errors`).
    pub errors: String,
}

/// The browser's `Index::prepare_all`: the indexes read from the search cache when it holds
/// them for this library, else built and then stored.
pub fn prepare(index: &Index, stored: &Stored) {
    let (cache, key) = (&stored.cache, &stored.key);
    let meta_read = index.prepare_from(meta_reader(stored, index.len()).as_mut());
    let abstracts_read = index.index_abstracts_from(abstracts_reader(stored).as_mut());
    if !(meta_read && abstracts_read) {
        let _ = store(cache, key, &stored.errors, index.records(), index);
    }
}

/// The stored metadata index of a library of `records` records, ready to read
/// (`Index::prepare_from`).
pub fn meta_reader(stored: &Stored, records: usize) -> Option<Reader> {
    let path = stored.cache.dir.join(format!("{}.lbi", stored.key.stem()));
    let mut r = Reader::open(&path, MAGIC, &stored.key)?;
    r.skip()?; // errors
    let ends: Vec<u64> = r.get()?;
    r.get::<u64>()?; // the lines' block checksums
    r.skip()?; // the lines
    (ends.len() == records + 1).then_some(r)
}

/// The stored abstract index, ready to read (`Index::index_abstracts_from`).
pub fn abstracts_reader(stored: &Stored) -> Option<Reader> {
    let path = stored.cache.dir.join(format!("{}.lba", stored.key.stem()));
    Reader::open(&path, MAGIC_ABSTRACTS, &stored.key)
}

fn write_atomically(
    dir: &Path,
    name: &str,
    magic: &[u8; 8],
    key: &Key,
    body: impl FnOnce(&mut Writer) -> std::io::Result<()>,
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let target = dir.join(name);
    let temporary = crate::cache::Temporary::new(dir, &target);
    let result = (|| {
        let mut w = Writer {
            w: BufWriter::with_capacity(1 << 20, File::create(&temporary.path)?),
        };
        w.w.write_all(magic)?;
        let key = postcard::to_stdvec(key).map_err(std::io::Error::other)?;
        w.put(&key)?;
        body(&mut w)?;
        w.w.into_inner().map_err(|e| e.into_error())?.sync_all()
    })();
    result.and_then(|()| temporary.finish(&target))
}

fn checksum(bytes: &[u8]) -> u64 {
    foldhash::fast::FixedState::with_seed(0x6c69_7462_726f_7773).hash_one(bytes)
}

/// Writes sections: a length (in items), a checksum, the items' bytes.
pub struct Writer {
    w: BufWriter<File>,
}

impl Writer {
    pub fn put<T: bytemuck::Pod>(&mut self, items: &[T]) -> std::io::Result<()> {
        let bytes: &[u8] = bytemuck::cast_slice(items);
        self.w.write_all(&(items.len() as u64).to_le_bytes())?;
        self.w.write_all(&checksum(bytes).to_le_bytes())?;
        self.w.write_all(bytes)
    }

    pub fn put_str(&mut self, s: &str) -> std::io::Result<()> {
        self.put(s.as_bytes())
    }
}

/// Reads what `Writer` wrote; None on anything unexpected.
pub struct Reader {
    r: BufReader<File>,
    /// Bytes not read yet: no section may claim more.
    left: u64,
    /// The file's length.
    total: u64,
}

impl Reader {
    fn open(path: &Path, magic: &[u8; 8], key: &Key) -> Option<Reader> {
        let file = File::open(path).ok()?;
        let left = file.metadata().ok()?.len();
        let mut r = Reader {
            r: BufReader::with_capacity(1 << 16, file),
            left,
            total: left,
        };
        let mut m = [0u8; 8];
        r.read_exact(&mut m)?;
        if &m != magic {
            return None;
        }
        let stored: Vec<u8> = r.get()?;
        let stored: Key = postcard::from_bytes(&stored).ok()?;
        (&stored == key).then_some(r)
    }

    fn read_exact(&mut self, buf: &mut [u8]) -> Option<()> {
        self.left = self.left.checked_sub(buf.len() as u64)?;
        self.r.read_exact(buf).ok()
    }

    fn u64(&mut self) -> Option<u64> {
        let mut b = [0u8; 8];
        self.read_exact(&mut b)?;
        Some(u64::from_le_bytes(b))
    }

    pub fn get<T: bytemuck::Pod>(&mut self) -> Option<Vec<T>> {
        let n = usize::try_from(self.u64()?).ok()?;
        let sum = self.u64()?;
        let size = n.checked_mul(std::mem::size_of::<T>())?;
        if size as u64 > self.left {
            return None;
        }
        let mut items = vec![T::zeroed(); n];
        let bytes: &mut [u8] = bytemuck::cast_slice_mut(&mut items);
        self.read_exact(bytes)?;
        (checksum(bytes) == sum).then_some(items)
    }

    /// Passes over a section of bytes (not of wider items) unread and unchecked; where its
    /// bytes start in the file, and how many there are.
    fn skip(&mut self) -> Option<(u64, u64)> {
        let n = self.u64()?;
        self.u64()?;
        let at = self.total - self.left;
        self.left = self.left.checked_sub(n)?;
        self.r.seek_relative(i64::try_from(n).ok()?).ok()?;
        Some((at, n))
    }

    pub fn get_str(&mut self) -> Option<String> {
        String::from_utf8(self.get::<u8>()?).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse;
    use crate::record::Record;
    use std::sync::Arc;

    /// A library of synthetic records (with the seeds' records, for non-ASCII and CJK text)
    /// written to a file, so that the key has something to describe.
    fn library(dir: &Path) -> (Vec<String>, Records) {
        let records: Vec<Record> = (0..3000).map(|i| crate::synth::record(7, i)).collect();
        let mut records = Records::from_records(&records);
        records.append(crate::library::builtin().records);
        let file = dir.join("lib.ris");
        std::fs::write(&file, "TY  - JOUR\nER  - \n").unwrap();
        (vec![file.display().to_string()], records)
    }

    fn cache(dir: &Path) -> Cache {
        Cache {
            dir: dir.join("cache"),
            min_bytes: 0,
        }
    }

    /// `index`'s answer to `q`: records and scores, best first.
    fn ranked(index: &Index, q: &crate::query::Query) -> Vec<(u32, i32)> {
        index
            .run(q, None, &|| false)
            .unwrap()
            .iter()
            .map(|h| (h.record, h.score))
            .collect()
    }

    const QUERIES: [&str; 16] = [
        "dep",
        "d",
        "peer support recovery",
        "au:smith",
        "au:müller",
        "kw:depr ti:trial",
        "jo:psych !2016",
        "yr:2000..2010 anx",
        "yr:>2015",
        "Peer",
        "ab:loneliness",
        "fi:signif dep",
        "ab:qzxv",
        "zzxq",
        "同伴",
        "!a",
    ];

    #[test]
    fn a_stored_index_answers_as_the_index_it_was_stored_from() {
        let tmp = tempfile::tempdir().unwrap();
        let (inputs, records) = library(tmp.path());
        let records = Arc::new(records);
        let fresh = Index::new(records.clone());
        fresh.index_abstracts();
        let key = Key::of(&inputs).unwrap();
        let c = cache(tmp.path());
        store(&c, &key, "one error\n", &records, &fresh).unwrap();
        let mut entry = open(&c, &key, true).expect("the entry just stored");
        assert_eq!(entry.len(), records.len());
        assert_eq!(entry.errors, "one error\n");
        // A few records' lines: only their blocks are read.
        let n = records.len() as u32;
        entry.read_lines(&[0, n / 2, n - 1]).unwrap();
        assert_eq!(
            entry.line(n / 2).as_deref(),
            Some(crate::cli::list_line(&records.get(n as usize / 2).unwrap()).as_str())
        );
        assert!(
            entry.line(n / 4).is_none(),
            "a block nobody asked for is not read"
        );
        entry.read_lines(&(0..n).collect::<Vec<_>>()).unwrap();
        for (i, r) in records.iter().enumerate() {
            assert_eq!(
                entry.line(i as u32).as_deref(),
                Some(crate::cli::list_line(&r).as_str())
            );
        }
        let mut found = 0;
        for q in QUERIES {
            let q = parse(q).unwrap();
            assert!(entry.index.answers_without_records(&q), "{q:?}");
            let want = ranked(&fresh, &q);
            let got = ranked(&entry.index, &q);
            assert_eq!(got, want, "{q:?}");
            found += usize::from(!got.is_empty());
        }
        assert!(found >= 12, "only {found} queries found records");
        // Exact terms need the records' text; `ab:` needs the abstract index.
        assert!(!entry
            .index
            .answers_without_records(&parse("'peer").unwrap()));
        let without = open(&c, &key, false).unwrap();
        assert!(!without
            .index
            .answers_without_records(&parse("ab:x").unwrap()));
        assert!(without
            .index
            .answers_without_records(&parse("x yr:2001").unwrap()));
    }

    #[test]
    fn a_changed_file_or_a_damaged_entry_is_a_miss() {
        let tmp = tempfile::tempdir().unwrap();
        let (inputs, records) = library(tmp.path());
        let index = Index::new(Arc::new(records.clone()));
        let key = Key::of(&inputs).unwrap();
        let c = cache(tmp.path());
        store(&c, &key, "", &records, &index).unwrap();
        assert!(open(&c, &key, false).is_some());
        // Not stored without an abstract index, so an `ab:` query cannot be answered.
        assert!(open(&c, &key, true).is_none());

        // Every damaged byte in a section's data is caught (sample every 997th), by `open` or,
        // in the list lines, by reading them.
        let all: Vec<u32> = (0..records.len() as u32).collect();
        let read = |c: &Cache, k: &Key| {
            open(c, k, false).and_then(|mut e| {
                e.read_lines(&all)?;
                Some(e)
            })
        };
        let lbi = c.dir.join(format!("{}.lbi", key.stem()));
        let good = std::fs::read(&lbi).unwrap();
        for at in (0..good.len()).step_by(997) {
            let mut bad = good.clone();
            bad[at] ^= 0x20;
            std::fs::write(&lbi, &bad).unwrap();
            assert!(read(&c, &key).is_none(), "byte {at} damaged");
        }
        std::fs::write(&lbi, &good[..good.len() - 1]).unwrap();
        assert!(open(&c, &key, false).is_none(), "truncated");
        std::fs::write(&lbi, &good).unwrap();
        assert!(read(&c, &key).is_some());

        // A file that changed has another key; a folder given instead of the file too.
        std::fs::write(&inputs[0], "TY  - JOUR\nTI  - changed\nER  - \n").unwrap();
        let changed = Key::of(&inputs).unwrap();
        assert_ne!(changed, key);
        assert!(open(&c, &changed, false).is_none());
        assert!(Key::of(&[tmp.path().display().to_string()]).unwrap() != changed);
        // Standard input and missing files are never cached.
        assert!(Key::of(&["-".to_string()]).is_none());
        assert!(Key::of(&[tmp.path().join("nope").display().to_string()]).is_none());
        assert!(Key::of(&[]).is_none());
    }

    #[test]
    fn a_library_below_the_size_floor_or_changed_meanwhile_is_not_stored() {
        let tmp = tempfile::tempdir().unwrap();
        let (inputs, records) = library(tmp.path());
        let index = Index::new(Arc::new(records.clone()));
        let key = Key::of(&inputs).unwrap();
        let mut c = cache(tmp.path());
        c.min_bytes = 1 << 20;
        store(&c, &key, "", &records, &index).unwrap();
        assert!(!c.dir.exists());
        c.min_bytes = 0;
        std::fs::write(&inputs[0], "TY  - BOOK\nER  - \n").unwrap();
        store(&c, &key, "", &records, &index).unwrap();
        assert!(!c.dir.exists());
    }

    #[test]
    fn the_browser_builds_and_stores_its_indexes_once_then_reads_them() {
        let tmp = tempfile::tempdir().unwrap();
        let (inputs, records) = library(tmp.path());
        let stored = Stored {
            cache: cache(tmp.path()),
            key: Key::of(&inputs).unwrap(),
            errors: String::new(),
        };
        let records = Arc::new(records);
        let first = Index::new(records.clone());
        prepare(&first, &stored);
        let second = Index::new(records.clone());
        assert!(second.prepare_from(meta_reader(&stored, records.len()).as_mut()));
        // One record fewer: not this library's index.
        assert!(meta_reader(&stored, records.len() - 1).is_none());
        for q in QUERIES {
            let q = parse(q).unwrap();
            let (a, b) = (ranked(&first, &q), ranked(&second, &q));
            assert_eq!(a, b, "{q:?}");
        }
    }
}
