//! The cached form of a chunk of records, in two streams: `shape` (every length, count and
//! number as a LEB128 varint) and `text` (the bytes of every string, back to back). The text is
//! checked as UTF-8 once per chunk rather than once per string, and nothing goes through
//! serde's visitors: postcard spent most of a warm start doing both for 43 strings a record.
//!
//! Every field is written and read by destructuring, so a field added to `Record`, `Author`,
//! `Section` or `Source` fails to compile here until it is cached too. Reading never panics: a
//! damaged chunk gives None (and the file is parsed again).

use crate::record::{Author, Kind, Record, Section, Source};

thread_local! {
    static SCRATCH: std::cell::RefCell<Writer> = std::cell::RefCell::default();
}

/// Records as a block: their text back to back, and their shape, each in a buffer of its
/// exact size. The encoding grows a per-thread buffer that is reused: grown in place, a
/// block's buffers were up to twice their size, and the buffers they grew out of stayed
/// resident (the allocator keeps freed memory, `keep_freed_memory`), 365 MB resident for
/// 100k records against 250 MB exact.
pub fn encode_block(records: &[Record]) -> (String, Vec<u8>) {
    encode_block_placed(records, |_, _, _| {})
}

/// `encode_block`, telling `each` where every record starts (in the shape, in the text) and
/// its year, as `walk` over the block would: the encoder knows, so a block just written need
/// not be walked (the walk was 5% of parsing 100k records, perf; test
/// `places_while_encoding_are_the_walks`).
pub fn encode_block_placed(
    records: &[Record],
    mut each: impl FnMut(usize, usize, Option<i32>),
) -> (String, Vec<u8>) {
    SCRATCH.with(|w| {
        let mut w = w.borrow_mut();
        w.text.clear();
        w.shape.clear();
        for r in records {
            each(w.shape.len(), w.text.len(), r.year);
            w.record(r);
        }
        (w.text.as_str().to_owned(), w.shape.clone())
    })
}

/// A block as one blob for the cache file: text, shape, then the shape's length and the
/// record count as 8 bytes each (`frame_parts` finds them again: a block read from the parse
/// cache keeps its place in the entry's bytes, and no record's text is copied).
pub fn frame(text: &[u8], shape: &[u8], count: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + shape.len() + 16);
    out.extend_from_slice(text);
    out.extend_from_slice(shape);
    out.extend_from_slice(&(shape.len() as u64).to_le_bytes());
    out.extend_from_slice(&(count as u64).to_le_bytes());
    out
}

/// Where the text and the shape of a blob written by `frame` are, and its record count; None
/// when it is not one (the records themselves are checked by `walk`).
pub fn frame_parts(blob: &[u8]) -> Option<(std::ops::Range<usize>, std::ops::Range<usize>, usize)> {
    let n = blob.len().checked_sub(16)?;
    let word = |at: usize| -> Option<usize> {
        usize::try_from(u64::from_le_bytes(blob.get(at..at + 8)?.try_into().ok()?)).ok()
    };
    let shape_len = word(n)?;
    let count = word(n + 8)?;
    let text_len = n.checked_sub(shape_len)?;
    Some((0..text_len, text_len..n, count))
}

/// A chunk of records as one blob (`frame` of `encode_block`).
pub fn encode(records: &[Record]) -> Vec<u8> {
    let (text, shape) = encode_block(records);
    frame(text.as_bytes(), &shape, records.len())
}

/// The records of a blob written by `encode`; None when it is not one.
pub fn decode(blob: &[u8]) -> Option<Vec<Record>> {
    let (text, shape, count) = frame_parts(blob)?;
    let (text, shape) = (
        Text::Str(std::str::from_utf8(&blob[text]).ok()?),
        &blob[shape],
    );
    let mut at = Vec::new();
    walk(text, shape, count, |s, t, _| at.push((s, t)))?;
    at.into_iter()
        .map(|(s, t)| record_at(text, shape, s, t))
        .collect()
}

/// Checks that `text` and `shape` hold exactly `count` records, calling `each` with where each
/// one starts (in the shape, in the text) and its year. A block that passes decodes: `record_at` and
/// `view_at` at those places check no less than this does.
pub fn walk(
    text: Text<'_>,
    shape: &[u8],
    count: usize,
    mut each: impl FnMut(usize, usize, Option<i32>),
) -> Option<()> {
    let mut r = Reader {
        shape,
        at: 0,
        text,
        text_at: 0,
    };
    // Every record takes several bytes of shape: a damaged count cannot promise much.
    if count > shape.len() {
        return None;
    }
    for _ in 0..count {
        let (at, text_at) = (r.at, r.text_at);
        let year = r.view()?.year;
        each(at, text_at, year);
    }
    (r.at == shape.len() && r.text_at == text.len()).then_some(())
}

/// The record that starts at these places in a block.
pub fn record_at(text: Text<'_>, shape: &[u8], at: usize, text_at: usize) -> Option<Record> {
    Reader {
        shape,
        at,
        text,
        text_at,
    }
    .record()
}

/// The id of the record that starts at these places (its first field: nothing else is read).
pub fn id_at<'a>(text: Text<'a>, shape: &'a [u8], at: usize, text_at: usize) -> Option<&'a str> {
    Reader {
        shape,
        at,
        text,
        text_at,
    }
    .bs()
}

/// A view of the record that starts at these places in a block.
pub fn view_at<'a>(text: Text<'a>, shape: &'a [u8], at: usize, text_at: usize) -> Option<View<'a>> {
    Reader {
        shape,
        at,
        text,
        text_at,
    }
    .view()
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn kind_code(k: Kind) -> u64 {
    match k {
        Kind::Article => 0,
        Kind::Chapter => 1,
        Kind::Book => 2,
        Kind::Conference => 3,
        Kind::Report => 4,
        Kind::Thesis => 5,
        Kind::Other => 6,
    }
}

fn kind_of(code: u64) -> Option<Kind> {
    Some(match code {
        0 => Kind::Article,
        1 => Kind::Chapter,
        2 => Kind::Book,
        3 => Kind::Conference,
        4 => Kind::Report,
        5 => Kind::Thesis,
        6 => Kind::Other,
        _ => return None,
    })
}

#[derive(Default)]
struct Writer {
    shape: Vec<u8>,
    text: String,
}

impl Writer {
    fn n(&mut self, v: u64) {
        varint(&mut self.shape, v);
    }

    fn s(&mut self, s: &str) {
        self.n(s.len() as u64);
        self.text.push_str(s);
    }

    /// None as 0, a string as its length + 1.
    fn os(&mut self, s: &Option<String>) {
        match s {
            None => self.n(0),
            Some(s) => {
                self.n(s.len() as u64 + 1);
                self.text.push_str(s);
            }
        }
    }

    /// None as 0, a number as 1 and the number.
    fn on(&mut self, v: Option<u64>) {
        match v {
            None => self.n(0),
            Some(v) => {
                self.n(1);
                self.n(v);
            }
        }
    }

    fn strings(&mut self, v: &[String]) {
        self.n(v.len() as u64);
        for s in v {
            self.s(s);
        }
    }

    fn source(&mut self, s: &Source) {
        let Source { path, format, line } = s;
        self.s(path);
        self.s(format);
        self.n(*line as u64);
    }

    fn record(&mut self, r: &Record) {
        let Record {
            id,
            kind,
            title,
            authors,
            date,
            year,
            container,
            volume,
            issue,
            pages,
            page_count,
            doi,
            issn,
            isbn,
            keywords,
            subjects,
            abstract_sections,
            paper_type,
            citations,
            views,
            related,
            source,
            publisher,
            url,
            pmid,
            language,
            teaser,
            sources,
        } = r;
        self.s(id);
        self.n(kind_code(*kind));
        self.os(title);
        self.n(authors.len() as u64);
        for a in authors {
            let Author {
                name,
                family,
                given,
                affiliations,
            } = a;
            // "Given Family" is not written again: 0 for a name made of the two.
            match derived_name(name, family.as_deref(), given.as_deref()) {
                true => self.n(0),
                false => {
                    self.n(name.len() as u64 + 1);
                    self.text.push_str(name);
                }
            }
            self.os(family);
            self.os(given);
            self.strings(affiliations);
        }
        self.os(date);
        // Zigzag, so a negative year stays short.
        self.on(year.map(|y| ((y << 1) ^ (y >> 31)) as u32 as u64));
        self.os(container);
        self.os(volume);
        self.os(issue);
        self.os(pages);
        self.on(page_count.map(u64::from));
        self.os(doi);
        self.strings(issn);
        self.strings(isbn);
        self.strings(keywords);
        self.strings(subjects);
        self.n(abstract_sections.len() as u64);
        for s in abstract_sections {
            let Section { label, text } = s;
            self.os(label);
            self.s(text);
        }
        self.os(paper_type);
        self.on(*citations);
        self.on(*views);
        self.strings(related);
        self.source(source);
        self.os(publisher);
        self.os(url);
        self.os(pmid);
        self.os(language);
        self.os(teaser);
        // The usual list of sources, the record's own source alone, as 0; else length + 1.
        if sources.len() == 1 && sources[0] == *source {
            self.n(0);
        } else {
            self.n(sources.len() as u64 + 1);
            for s in sources {
                self.source(s);
            }
        }
    }
}

/// Whether `name` is "Given Family" made of the two (both non-empty), so need not be stored.
fn derived_name(name: &str, family: Option<&str>, given: Option<&str>) -> bool {
    match (family, given) {
        (Some(f), Some(g)) if !f.is_empty() && !g.is_empty() => {
            name.len() == g.len() + 1 + f.len()
                && name.starts_with(g)
                && name.ends_with(f)
                && name.as_bytes()[g.len()] == b' '
        }
        _ => false,
    }
}

/// The fields of a stored record that readers of many records use (the search index,
/// sorting, de-duplication keys, ids), borrowed from its block: no string is copied.
#[derive(Clone, Copy, Debug)]
pub struct View<'a> {
    pub id: &'a str,
    pub kind: Kind,
    pub title: Option<&'a str>,
    pub date: Option<&'a str>,
    pub year: Option<i32>,
    pub container: Option<&'a str>,
    pub volume: Option<&'a str>,
    pub issue: Option<&'a str>,
    pub pages: Option<&'a str>,
    pub doi: Option<&'a str>,
    pub citations: Option<u64>,
    pub views: Option<u64>,
    pub pmid: Option<&'a str>,
    authors: Seq<'a>,
    keywords: Seq<'a>,
    sections: Seq<'a>,
}

/// An author's names, borrowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuthorView<'a> {
    /// None when the name is "Given Family" (`name`, `name_parts`).
    stored_name: Option<&'a str>,
    pub family: Option<&'a str>,
    pub given: Option<&'a str>,
}

impl<'a> AuthorView<'a> {
    pub fn new(name: &'a str, family: Option<&'a str>, given: Option<&'a str>) -> AuthorView<'a> {
        let stored_name = (!derived_name(name, family, given)).then_some(name);
        AuthorView {
            stored_name,
            family,
            given,
        }
    }

    /// The name as shown ("Given Family", or as written).
    pub fn name(&self) -> std::borrow::Cow<'a, str> {
        match (self.stored_name, self.given, self.family) {
            (Some(n), _, _) => n.into(),
            (None, Some(g), Some(f)) => format!("{g} {f}").into(),
            _ => "".into(),
        }
    }

    /// The name's text in pieces: the name, or the given and family names. Cut into words,
    /// the pieces give the name's words (a space always ends a word).
    pub fn name_parts(&self) -> impl Iterator<Item = &'a str> + 'a {
        let parts = match self.stored_name {
            Some(n) => [Some(n), None],
            None => [self.given, self.family],
        };
        parts.into_iter().flatten()
    }

    pub fn family_or_name(&self) -> &'a str {
        self.family.or(self.stored_name).unwrap_or("")
    }
}

/// Where a list starts in a block, and its length: read again by `View`'s iterators.
#[derive(Clone, Copy, Debug)]
struct Seq<'a> {
    r: Reader<'a>,
    n: usize,
}

impl<'a> View<'a> {
    pub fn authors(&self) -> impl Iterator<Item = AuthorView<'a>> + 'a {
        let mut r = self.authors.r;
        (0..self.authors.n).map_while(move |_| r.author_view())
    }

    pub fn keywords(&self) -> impl Iterator<Item = &'a str> + 'a {
        let mut r = self.keywords.r;
        (0..self.keywords.n).map_while(move |_| r.bs())
    }

    /// The abstract's sections: label and text.
    pub fn sections(&self) -> impl Iterator<Item = (Option<&'a str>, &'a str)> + 'a {
        let mut r = self.sections.r;
        (0..self.sections.n).map_while(move |_| r.section_view())
    }

    pub fn has_abstract(&self) -> bool {
        self.sections.n > 0
    }
}

/// A block's text: a string (checked when it was made), or bytes mapped from the parse cache,
/// whose strings are checked as they are read (so a cache file changed under the mapping gives
/// records that do not decode, never text that is not UTF-8).
#[derive(Clone, Copy, Debug)]
pub enum Text<'a> {
    Str(&'a str),
    Bytes(&'a [u8]),
}

impl<'a> Text<'a> {
    pub fn len(&self) -> usize {
        match self {
            Text::Str(s) => s.len(),
            Text::Bytes(b) => b.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn as_bytes(&self) -> &'a [u8] {
        match *self {
            Text::Str(s) => s.as_bytes(),
            Text::Bytes(b) => b,
        }
    }

    /// The string at `from..to`: None unless both ends fall on character boundaries (and,
    /// for bytes, the range is UTF-8).
    #[inline]
    fn get(&self, from: usize, to: usize) -> Option<&'a str> {
        match *self {
            Text::Str(s) => s.get(from..to),
            Text::Bytes(b) => std::str::from_utf8(b.get(from..to)?).ok(),
        }
    }
}

impl<'a> From<&'a str> for Text<'a> {
    fn from(s: &'a str) -> Text<'a> {
        Text::Str(s)
    }
}

#[derive(Clone, Copy, Debug)]
struct Reader<'a> {
    shape: &'a [u8],
    at: usize,
    text: Text<'a>,
    text_at: usize,
}

impl<'a> Reader<'a> {
    fn n(&mut self) -> Option<u64> {
        // Most lengths and counts fit in one byte.
        let first = *self.shape.get(self.at)?;
        if first < 0x80 {
            self.at += 1;
            return Some(u64::from(first));
        }
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = *self.shape.get(self.at)?;
            self.at += 1;
            v |= u64::from(b & 0x7f).checked_shl(shift)?;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }

    fn len(&mut self) -> Option<usize> {
        usize::try_from(self.n()?).ok()
    }

    /// A count of items that each take at least one more byte of shape.
    fn count(&mut self) -> Option<usize> {
        let n = self.len()?;
        (n <= self.shape.len() - self.at.min(self.shape.len())).then_some(n)
    }

    fn str(&mut self, len: usize) -> Option<String> {
        let end = self.text_at.checked_add(len)?;
        // `get` is None unless both ends fall on character boundaries.
        let s = self.text.get(self.text_at, end)?;
        self.text_at = end;
        Some(s.to_owned())
    }

    /// A string borrowed from the text.
    fn bstr(&mut self, len: usize) -> Option<&'a str> {
        let end = self.text_at.checked_add(len)?;
        let s = self.text.get(self.text_at, end)?;
        self.text_at = end;
        Some(s)
    }

    fn bs(&mut self) -> Option<&'a str> {
        let len = self.len()?;
        self.bstr(len)
    }

    fn bos(&mut self) -> Option<Option<&'a str>> {
        match self.len()? {
            0 => Some(None),
            n => self.bstr(n - 1).map(Some),
        }
    }

    fn skip_strings(&mut self) -> Option<()> {
        let n = self.count()?;
        for _ in 0..n {
            self.bs()?;
        }
        Some(())
    }

    fn skip_source(&mut self) -> Option<()> {
        self.bs()?;
        self.bs()?;
        self.len().map(drop)
    }

    fn year(&mut self) -> Option<Option<i32>> {
        Some(match self.on()? {
            None => None,
            Some(z) => {
                let z = u32::try_from(z).ok()?;
                Some(((z >> 1) as i32) ^ -((z & 1) as i32))
            }
        })
    }

    fn page_count(&mut self) -> Option<Option<u32>> {
        Some(match self.on()? {
            None => None,
            Some(p) => Some(u32::try_from(p).ok()?),
        })
    }

    /// A list whose items `item` reads; the list is kept to be read again (`View`'s iterators).
    fn seq(&mut self, item: impl Fn(&mut Self) -> Option<()>) -> Option<Seq<'a>> {
        let n = self.count()?;
        let start = Seq { r: *self, n };
        for _ in 0..n {
            item(self)?;
        }
        Some(start)
    }

    fn author_view(&mut self) -> Option<AuthorView<'a>> {
        let stored_name = self.bos()?;
        let family = self.bos()?;
        let given = self.bos()?;
        self.skip_strings()?;
        // A derived name needs both parts (`derived_name`); a damaged block may lack them.
        if stored_name.is_none()
            && !matches!((family, given), (Some(f), Some(g)) if !f.is_empty() && !g.is_empty())
        {
            return None;
        }
        Some(AuthorView {
            stored_name,
            family,
            given,
        })
    }

    /// The record's sources: 0 for its own source alone, else the count + 1 and each.
    fn skip_sources(&mut self) -> Option<()> {
        for _ in 0..self.sources_count()?.unwrap_or(0) {
            self.skip_source()?;
        }
        Some(())
    }

    /// None for the record's own source alone, else how many sources are listed.
    fn sources_count(&mut self) -> Option<Option<usize>> {
        match self.len()? {
            0 => Some(None),
            n => {
                let n = n - 1;
                (n <= self.shape.len().saturating_sub(self.at)).then_some(Some(n))
            }
        }
    }

    fn section_view(&mut self) -> Option<(Option<&'a str>, &'a str)> {
        let label = self.bos()?;
        Some((label, self.bs()?))
    }

    /// The fields of a record that readers of many records use, borrowed; the record is
    /// read to its end and checked as `record` checks it (`walk` relies on that).
    fn view(&mut self) -> Option<View<'a>> {
        let id = self.bs()?;
        let kind = kind_of(self.n()?)?;
        let title = self.bos()?;
        let authors = self.seq(|r| r.author_view().map(drop))?;
        let date = self.bos()?;
        let year = self.year()?;
        let container = self.bos()?;
        let volume = self.bos()?;
        let issue = self.bos()?;
        let pages = self.bos()?;
        self.page_count()?;
        let doi = self.bos()?;
        self.skip_strings()?; // issn
        self.skip_strings()?; // isbn
        let keywords = self.seq(|r| r.bs().map(drop))?;
        self.skip_strings()?; // subjects
        let sections = self.seq(|r| r.section_view().map(drop))?;
        self.bos()?; // paper_type
        let citations = self.on()?;
        let views = self.on()?;
        self.skip_strings()?; // related
        self.skip_source()?;
        self.bos()?; // publisher
        self.bos()?; // url
        let pmid = self.bos()?;
        self.bos()?; // language
        self.bos()?; // teaser
        self.skip_sources()?;
        Some(View {
            id,
            kind,
            title,
            date,
            year,
            container,
            volume,
            issue,
            pages,
            doi,
            citations,
            views,
            pmid,
            authors,
            keywords,
            sections,
        })
    }

    fn s(&mut self) -> Option<String> {
        let len = self.len()?;
        self.str(len)
    }

    fn os(&mut self) -> Option<Option<String>> {
        match self.len()? {
            0 => Some(None),
            n => self.str(n - 1).map(Some),
        }
    }

    fn on(&mut self) -> Option<Option<u64>> {
        match self.n()? {
            0 => Some(None),
            1 => self.n().map(Some),
            _ => None,
        }
    }

    fn strings(&mut self) -> Option<Vec<String>> {
        let n = self.count()?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(self.s()?);
        }
        Some(v)
    }

    fn source(&mut self) -> Option<Source> {
        Some(Source {
            path: self.s()?,
            format: self.s()?,
            line: self.len()?,
        })
    }

    fn record(&mut self) -> Option<Record> {
        let id = self.s()?;
        let kind = kind_of(self.n()?)?;
        let title = self.os()?;
        let n = self.count()?;
        let mut authors = Vec::with_capacity(n);
        for _ in 0..n {
            let mut ahead = *self;
            let v = ahead.author_view()?;
            let name = self.os()?;
            let family = self.os()?;
            let given = self.os()?;
            authors.push(Author {
                name: name.unwrap_or_else(|| v.name().into_owned()),
                family,
                given,
                affiliations: self.strings()?,
            });
        }
        let date = self.os()?;
        let year = self.year()?;
        let container = self.os()?;
        let volume = self.os()?;
        let issue = self.os()?;
        let pages = self.os()?;
        let page_count = self.page_count()?;
        let doi = self.os()?;
        let issn = self.strings()?;
        let isbn = self.strings()?;
        let keywords = self.strings()?;
        let subjects = self.strings()?;
        let n = self.count()?;
        let mut abstract_sections = Vec::with_capacity(n);
        for _ in 0..n {
            abstract_sections.push(Section {
                label: self.os()?,
                text: self.s()?,
            });
        }
        let paper_type = self.os()?;
        let citations = self.on()?;
        let views = self.on()?;
        let related = self.strings()?;
        let source = self.source()?;
        let publisher = self.os()?;
        let url = self.os()?;
        let pmid = self.os()?;
        let language = self.os()?;
        let teaser = self.os()?;
        let sources = match self.sources_count()? {
            None => vec![source.clone()],
            Some(n) => {
                let mut sources = Vec::with_capacity(n);
                for _ in 0..n {
                    sources.push(self.source()?);
                }
                sources
            }
        };
        Some(Record {
            id,
            kind,
            title,
            authors,
            date,
            year,
            container,
            volume,
            issue,
            pages,
            page_count,
            doi,
            issn,
            isbn,
            keywords,
            subjects,
            abstract_sections,
            paper_type,
            citations,
            views,
            related,
            source,
            publisher,
            url,
            pmid,
            language,
            teaser,
            sources,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field set, with text that is not ASCII, empty strings beside None, and numbers
    /// at their limits.
    fn full(i: u64) -> Record {
        let source = Source {
            path: "bibliothèque/lib.ris".into(),
            format: "ris".into(),
            line: usize::MAX - i as usize,
        };
        Record {
            id: format!("doi:10.1/ä{i}"),
            kind: kind_of(i % 7).unwrap(),
            title: Some("Ünïcödé — title 漢字".into()),
            authors: vec![
                Author {
                    name: "Ann Ley".into(),
                    family: Some("Ley".into()),
                    given: Some(String::new()),
                    affiliations: vec!["Leeds".into(), "Łódź".into()],
                },
                Author {
                    name: "Plato".into(),
                    family: None,
                    given: None,
                    affiliations: Vec::new(),
                },
            ],
            date: Some("2012-06-15".into()),
            year: Some(if i.is_multiple_of(2) { -44 } else { i32::MAX }),
            container: Some("J".into()),
            volume: Some("7".into()),
            issue: Some(String::new()),
            pages: Some("126-134".into()),
            page_count: Some(u32::MAX),
            doi: Some("10.1/x".into()),
            issn: vec!["1234-567X".into()],
            isbn: vec!["9783030581671".into(), "0198526636".into()],
            keywords: vec!["peer".into(), "".into()],
            subjects: vec!["psychiatry".into()],
            abstract_sections: vec![
                Section {
                    label: None,
                    text: "Lead.".into(),
                },
                Section {
                    label: Some("Results".into()),
                    text: "Öl 😀.".into(),
                },
            ],
            paper_type: Some("Research paper".into()),
            citations: Some(u64::MAX),
            views: Some(0),
            related: vec!["r:00ff".into()],
            source: source.clone(),
            publisher: Some("Emerald".into()),
            url: Some("https://x.org/a".into()),
            pmid: Some("123".into()),
            language: Some("eng".into()),
            teaser: Some("tease".into()),
            sources: vec![source.clone(), Source { line: 1, ..source }],
        }
    }

    /// The places `encode_block_placed` gives are the ones `walk` finds in what it wrote:
    /// years at their limits and missing, empty records, and text that is not ASCII.
    #[test]
    fn places_while_encoding_are_the_walks() {
        let mut records: Vec<Record> = (0..40).map(full).collect();
        records.insert(3, Record::default());
        records.push(Record::default());
        records[7].year = None;
        records[8].year = Some(i32::MIN);
        let mut placed = Vec::new();
        let (text, shape) = encode_block_placed(&records, |s, t, y| placed.push((s, t, y)));
        let mut walked = Vec::new();
        walk(Text::Str(&text), &shape, records.len(), |s, t, y| {
            walked.push((s, t, y))
        })
        .unwrap();
        assert_eq!(placed, walked);
        assert_eq!(placed.len(), records.len());
    }

    #[test]
    fn every_field_round_trips() {
        let records: Vec<Record> = (0..20)
            .map(full)
            .chain([Record::default()])
            .chain((0..50).map(|i| crate::synth::record(4, i)))
            .collect();
        assert_eq!(decode(&encode(&records)), Some(records));
        assert_eq!(decode(&encode(&[])), Some(Vec::new()));
    }

    /// A name made of "Given Family" is not stored but rebuilt; any other is kept as written.
    /// A record's sources are stored once when they are its own source alone.
    #[test]
    fn derived_names_and_own_sources_round_trip() {
        let author = |name: &str, family: Option<&str>, given: Option<&str>| Author {
            name: name.into(),
            family: family.map(Into::into),
            given: given.map(Into::into),
            affiliations: Vec::new(),
        };
        let mut r = full(1);
        r.authors = vec![
            author("A. Ley", Some("Ley"), Some("A.")),
            author("Ley, A.", Some("Ley"), Some("A.")),
            author("A.  Ley", Some("Ley"), Some("A.")),
            author("Ley", Some("Ley"), Some("")),
            author("", Some("Ley"), Some("A.")),
            author("Émile van der Berg", Some("van der Berg"), Some("Émile")),
        ];
        let own = r.source.clone();
        for sources in [vec![], vec![own.clone()], vec![own.clone(), own.clone()]] {
            r.sources = sources;
            assert_eq!(
                decode(&encode(std::slice::from_ref(&r))),
                Some(vec![r.clone()])
            );
        }
        let (text, _) = encode_block(std::slice::from_ref(&r));
        assert_eq!(
            text.matches("Émile van der Berg").count(),
            0,
            "derived, not stored"
        );
        assert_eq!(text.matches("Ley, A.").count(), 1);
    }

    #[test]
    fn damaged_chunks_decode_to_none_without_panicking() {
        let records: Vec<Record> = (0..6).map(full).collect();
        let blob = encode(&records);
        for cut in 0..blob.len() {
            assert_eq!(decode(&blob[..cut]), None, "cut at {cut}");
        }
        // Every byte changed in turn: never a panic or a huge allocation; a change that still
        // decodes (a digit in a text, say) gives as many records.
        for at in 0..blob.len() {
            for flip in [0x01, 0x80, 0xff] {
                let mut bad = blob.clone();
                bad[at] ^= flip;
                if let Some(back) = decode(&bad) {
                    assert_eq!(back.len(), records.len());
                }
            }
        }
        let mut long = blob.clone();
        long.push(b'x');
        assert_eq!(decode(&long), None, "unread text");
    }
}
