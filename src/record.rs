//! The one record model every parser produces. Its JSON form is a contract
//! (`litbrowse list --json`), so field names here are stable.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Article,
    Chapter,
    Book,
    Conference,
    Report,
    Thesis,
    #[default]
    Other,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Article => "article",
            Kind::Chapter => "chapter",
            Kind::Book => "book",
            Kind::Conference => "conference",
            Kind::Report => "report",
            Kind::Thesis => "thesis",
            Kind::Other => "other",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Author {
    /// "Given Family", or the name as written when it cannot be split.
    pub name: String,
    pub family: Option<String>,
    pub given: Option<String>,
    #[serde(default)]
    pub affiliations: Vec<String>,
}

impl Author {
    /// Builds an author from family and given names; `name` becomes "Given Family".
    pub fn from_parts(family: &str, given: &str) -> Author {
        Author::from_clean_parts(&clean_text_cow(family), &clean_text_cow(given))
    }

    /// `from_parts` for names already as `clean_text` gives them (not cleaned again: cleaning
    /// each part of every author was 2% of a 10k-record RIS load, callgrind).
    pub(crate) fn from_clean_parts(family: &str, given: &str) -> Author {
        let (family, given) = (family.to_string(), given.to_string());
        let name = match (given.is_empty(), family.is_empty()) {
            (true, _) => family.clone(),
            (false, true) => given.clone(),
            (false, false) => {
                // Built by hand: `format!` was a measurable share of parsing a million records.
                let mut name = String::with_capacity(given.len() + 1 + family.len());
                name.push_str(&given);
                name.push(' ');
                name.push_str(&family);
                name
            }
        };
        Author {
            name,
            family: (!family.is_empty()).then_some(family),
            given: (!given.is_empty()).then_some(given),
            affiliations: Vec::new(),
        }
    }

    /// Parses "Family, Given" or "Given Family" (the last word is taken as the family name).
    pub fn parse(text: &str) -> Author {
        let text = clean_text(text);
        if let Some((family, given)) = text.split_once(',') {
            return Author::from_parts(family.trim(), given.trim());
        }
        match text.rsplit_once(' ') {
            Some((given, family)) => Author::from_parts(family, given),
            None => Author::from_parts(&text, ""),
        }
    }

    /// Family name when known, else the whole name.
    pub fn family_or_name(&self) -> &str {
        self.family.as_deref().unwrap_or(&self.name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Section {
    /// "Purpose", "Findings", ...; None for an unstructured abstract.
    pub label: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Source {
    pub path: String,
    pub format: String,
    /// 1-based line where the record starts.
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Record {
    pub id: String,
    pub kind: Kind,
    pub title: Option<String>,
    pub authors: Vec<Author>,
    pub date: Option<String>,
    pub year: Option<i32>,
    pub container: Option<String>,
    pub volume: Option<String>,
    pub issue: Option<String>,
    pub pages: Option<String>,
    pub page_count: Option<u32>,
    pub doi: Option<String>,
    pub issn: Vec<String>,
    pub isbn: Vec<String>,
    pub keywords: Vec<String>,
    pub subjects: Vec<String>,
    #[serde(rename = "abstract")]
    pub abstract_sections: Vec<Section>,
    pub paper_type: Option<String>,
    pub citations: Option<u64>,
    pub views: Option<u64>,
    pub related: Vec<String>,
    pub source: Source,
    // Fields beyond the contract; always present in JSON, null or empty when unknown.
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub pmid: Option<String>,
    pub language: Option<String>,
    /// Short text shown by a results page in place of the abstract.
    pub teaser: Option<String>,
    /// Every source this record was read from; more than one after de-duplication.
    #[serde(default)]
    pub sources: Vec<Source>,
}

impl Record {
    pub fn new(source: Source) -> Record {
        Record {
            source,
            ..Record::default()
        }
    }

    /// The abstract's Findings (or Results) section, which a reviewer reads first.
    pub fn findings(&self) -> Option<&str> {
        self.abstract_sections
            .iter()
            .find(|s| s.label.as_deref().is_some_and(is_findings_label))
            .map(|s| s.text.as_str())
    }

    /// The whole abstract as one paragraph of text.
    pub fn abstract_text(&self) -> String {
        let mut out = String::new();
        for s in &self.abstract_sections {
            if !out.is_empty() {
                out.push(' ');
            }
            if let Some(l) = &s.label {
                out.push_str(l);
                out.push_str(": ");
            }
            out.push_str(&s.text);
        }
        out
    }

    /// Title, or a fallback for display when the source has none.
    pub fn title_or_fallback(&self) -> (String, bool) {
        if let Some(t) = &self.title {
            return (t.clone(), false);
        }
        let text = self
            .teaser
            .clone()
            .or_else(|| self.abstract_sections.first().map(|s| s.text.clone()))
            .unwrap_or_else(|| "(untitled)".to_string());
        (first_sentence(&text), true)
    }

    /// "Family", "Family and Family" or "Family et al." for the list.
    pub fn first_author_label(&self) -> String {
        match self.authors.as_slice() {
            [] => String::new(),
            [a] => a.family_or_name().to_string(),
            [a, b] => format!("{} and {}", a.family_or_name(), b.family_or_name()),
            [a, ..] => format!("{} et al.", a.family_or_name()),
        }
    }

    /// Where the work appeared: "Journal, vol. 7, no. 2, pp. 126-134", from what is known.
    pub fn place(&self) -> Vec<String> {
        let mut parts = Vec::new();
        if let Some(c) = &self.container {
            parts.push(c.clone());
        }
        if let Some(v) = &self.volume {
            parts.push(format!("vol. {v}"));
        }
        if let Some(i) = &self.issue {
            parts.push(format!("no. {i}"));
        }
        if let Some(p) = &self.pages {
            parts.push(if p.contains('-') {
                format!("pp. {p}")
            } else {
                format!("p. {p}")
            });
        }
        if let Some(n) = self.page_count {
            parts.push(format!("{n} pages"));
        }
        parts
    }

    /// Sets `year` from `date` when only the date is known.
    pub fn fill_year_from_date(&mut self) {
        if self.year.is_none() {
            self.year = self
                .date
                .as_deref()
                .and_then(|d| d.get(..4))
                .and_then(|y| y.parse().ok());
        }
    }

    /// A stable id: the DOI when there is one, else a hash of what identifies the work.
    pub fn compute_id(&self) -> String {
        if let Some(doi) = &self.doi {
            let mut id = String::with_capacity(4 + doi.len());
            id.push_str("doi:");
            push_lowercase(&mut id, doi);
            return id;
        }
        if let Some(pmid) = &self.pmid {
            return format!("pmid:{pmid}");
        }
        let mut h = Fnv::default();
        h.write_lowercase(self.title.as_deref().unwrap_or(""));
        for a in &self.authors {
            h.write_lowercase(&a.name);
        }
        h.write(self.date.as_deref().unwrap_or("").as_bytes());
        h.write(&self.year.unwrap_or(0).to_le_bytes());
        h.write(self.container.as_deref().unwrap_or("").as_bytes());
        h.write(self.pages.as_deref().unwrap_or("").as_bytes());
        if self.title.is_none() {
            // Untitled records (results pages) are told apart by their text.
            h.write(self.abstract_text().as_bytes());
            h.write(self.teaser.as_deref().unwrap_or("").as_bytes());
        }
        format!("r:{:016x}", h.0)
    }
}

/// `out.push_str(&s.to_lowercase())` without the temporary string for ASCII text.
fn push_lowercase(out: &mut String, s: &str) {
    if s.is_ascii() {
        out.extend(s.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        out.push_str(&s.to_lowercase());
    }
}

pub fn is_findings_label(label: &str) -> bool {
    let l = label.to_ascii_lowercase();
    l.starts_with("finding") || l.starts_with("result") || l == "main results"
}

/// FNV-1a, for ids that must not change between runs or builds.
#[derive(Debug, Clone, Copy)]
pub struct Fnv(pub u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    /// Adds bytes with no separator after them.
    pub fn write_raw(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    /// `write(s.to_lowercase().as_bytes())`, without the temporary string for ASCII text.
    pub fn write_lowercase(&mut self, s: &str) {
        if s.is_ascii() {
            for b in s.bytes() {
                self.write_raw(&[b.to_ascii_lowercase()]);
            }
            self.write(&[]);
        } else {
            self.write(s.to_lowercase().as_bytes());
        }
    }

    pub fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        // A separator so ("ab","c") and ("a","bc") differ.
        self.0 ^= 0xff;
        self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
    }
}

/// `str::lines` by memchr's search: `lines` and `split_once` with a `char` set up a searcher
/// that cost more than reading the short values of a record's tags (they were 3% of a
/// 10k-record RIS load, callgrind; test `fast_lines_and_splits_are_the_standard_ones`).
pub(crate) fn lines(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(s).filter(|s| !s.is_empty());
    std::iter::from_fn(move || {
        let r = rest?;
        match memchr::memchr(b'\n', r.as_bytes()) {
            Some(i) => {
                let line = &r[..i];
                rest = Some(&r[i + 1..]).filter(|n| !n.is_empty());
                Some(line.strip_suffix('\r').unwrap_or(line))
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// `s.split(b as char)` for an ASCII byte (which never falls inside a character).
pub(crate) fn split_byte(s: &str, b: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.bytes().position(|c| c == b) {
            Some(i) => {
                rest = Some(&r[i + 1..]);
                Some(&r[..i])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// `s.split_once(b as char)` for an ASCII byte (which never falls inside a character).
pub(crate) fn split_once_byte(s: &str, b: u8) -> Option<(&str, &str)> {
    let i = s.bytes().position(|c| c == b)?;
    Some((&s[..i], &s[i + 1..]))
}

/// `s.rsplit_once(b as char)` for an ASCII byte.
pub(crate) fn rsplit_once_byte(s: &str, b: u8) -> Option<(&str, &str)> {
    let i = s.bytes().rposition(|c| c == b)?;
    Some((&s[..i], &s[i + 1..]))
}

/// Clean prose: control characters dropped, whitespace runs collapsed to one space, trimmed.
pub fn clean_text(s: &str) -> String {
    clean_text_cow(s).into_owned()
}

/// `clean_text`, borrowing the input (without its blank ends) when it is already clean.
pub fn clean_text_cow(s: &str) -> std::borrow::Cow<'_, str> {
    // Blanks at the ends go anyway; without them most values are already clean.
    let s = s.trim_ascii();
    if is_clean(s.as_bytes()) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(clean_text_bytes(s))
}

/// `clean_text_careful`, taking ASCII a byte at a time and decoding only other characters.
fn clean_text_bytes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let c = if b.is_ascii() {
            i += 1;
            char::from(b)
        } else {
            let Some(c) = s.get(i..).and_then(|rest| rest.chars().next()) else {
                break;
            };
            i += c.len_utf8();
            c
        };
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if is_unsafe_char(c) {
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

/// `clean_text` character by character: the reference the fast paths are tested against.
#[cfg(test)]
fn clean_text_careful(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if is_unsafe_char(c) {
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

/// Already clean: no control or whitespace character other than single inner spaces, and
/// none of the characters `is_unsafe_char` rejects. A byte-level fast path for importers that
/// read millions of fields; anything doubtful takes the careful loop.
fn is_clean(b: &[u8]) -> bool {
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
        return false;
    }
    let mut i = 0;
    // 32 bytes at a time (and the one after, for double spaces): a test without branches that
    // the compiler vectorises; only a block with anything but printable ASCII is looked at
    // byte by byte.
    while let Some(block) = b.get(i..i + 33).and_then(|s| <&[u8; 33]>::try_from(s).ok()) {
        let mut odd = 0u8;
        for k in 0..32 {
            let (c, next) = (block[k], block[k + 1]);
            odd |= u8::from(c.wrapping_sub(0x20) >= 0x5f) | u8::from((c == b' ') & (next == b' '));
        }
        if odd != 0 && !(i..i + 32).all(|j| byte_is_clean(b, j)) {
            return false;
        }
        i += 32;
    }
    // The rest (all of a name or a short title) 8 bytes at a time, the last word padded with
    // a letter: a byte at a time cost hundreds of instructions per author name.
    while i < b.len() {
        let end = b.len().min(i + 8);
        let mut word = [b'a'; 8];
        word[..end - i].copy_from_slice(&b[i..end]);
        let next = b.get(end).copied().unwrap_or(b'a');
        if !plain_word(u64::from_le_bytes(word), next) && !(i..end).all(|j| byte_is_clean(b, j)) {
            return false;
        }
        i = end;
    }
    true
}

/// Whether 8 bytes (and the one after them) are printable ASCII with no two spaces in a row;
/// each test is the exact "some byte is zero" or "some byte is below n" word trick.
fn plain_word(w: u64, next: u8) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    let control = w.wrapping_sub(ONES * 0x20) & !w & HIGHS;
    let del = has_zero(w ^ (ONES * 0x7f));
    let spaces = w ^ (ONES * 0x20);
    // Byte k is zero when bytes k and k + 1 are both spaces.
    let pairs = spaces | (spaces >> 8) | (u64::from(next ^ 0x20) << 56);
    (control | del | (w & HIGHS) | has_zero(pairs)) == 0
}

/// Whether the byte at `i` (with the two after it, for UTF-8 sequences) is fine as it is.
fn byte_is_clean(b: &[u8], i: usize) -> bool {
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let c = at(i);
    if (0x21..0x7f).contains(&c) || c >= 0xe4 || (0xc3..0xd8).contains(&c) {
        return true;
    }
    let (n1, n2) = (at(i + 1), at(i + 2));
    let doubtful = match c {
        b' ' => n1 == b' ',
        0..=0x1f | 0x7f => true,
        // U+0080..U+00A0: C1 controls, NEL, no-break space.
        0xc2 => n1 <= 0xa0,
        // U+061C arabic letter mark.
        0xd8 => n1 == 0x9c,
        // U+1680 ogham space.
        0xe1 => n1 == 0x9a && n2 == 0x80,
        // U+2000..U+200F spaces and marks, U+2028..U+202F separators and bidi embeddings,
        // U+205F, U+2066..U+2069 bidi isolates.
        0xe2 => {
            (n1 == 0x80 && (n2 <= 0x8f || (0xa8..=0xaf).contains(&n2)))
                || (n1 == 0x81 && (n2 == 0x9f || (0xa6..=0xa9).contains(&n2)))
        }
        // U+3000 ideographic space.
        0xe3 => n1 == 0x80 && n2 == 0x80,
        _ => false,
    };
    !doubtful
}

/// Characters that must never reach a terminal raw: C0/C1 controls, bidi controls.
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}')
}

/// Text safe to draw: every unsafe character replaced, escape sequences included (the ESC
/// that starts one is removed, so the rest is shown as plain text).
pub fn sanitize(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_unsafe_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| if c == '\t' || c == '\n' { ' ' } else { c })
            .filter(|c| !is_unsafe_char(*c))
            .collect(),
    )
}

/// A DOI without any URL or "doi:" prefix.
pub fn bare_doi(s: &str) -> Option<String> {
    let s = s.trim();
    // "10." has no letters, so it is found alike in any case.
    let start = s.find("10.")?;
    let doi: String = s[start..]
        .trim_end_matches(['.', ',', ';'])
        .split_whitespace()
        .next()?
        .to_string();
    doi.contains('/').then_some(doi)
}

/// "126 - 134", "126–134", "126--134" -> "126-134".
pub fn normalize_pages(s: &str) -> Option<String> {
    let s = clean_text(s);
    if s.is_empty() {
        return None;
    }
    let s = s.replace(['–', '—'], "-").replace("--", "-");
    let parts: Vec<&str> = s
        .split('-')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    Some(parts.join("-"))
}

/// First sentence of a text, for a display fallback; at most about 120 characters.
pub fn first_sentence(text: &str) -> String {
    let text = text.trim_end_matches('…').trim();
    let end = text
        .char_indices()
        .find(|&(i, c)| {
            matches!(c, '.' | '?' | '!') && text[i + c.len_utf8()..].starts_with(' ') && i > 20
        })
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(text.len());
    let s = &text[..end];
    if s.chars().count() > 120 {
        let cut: String = s.chars().take(117).collect();
        format!("{}…", cut.trim_end())
    } else {
        s.to_string()
    }
}

/// Month names (English) to their number.
pub fn month_number(name: &str) -> Option<u32> {
    let n = name.trim().trim_end_matches('.').to_ascii_lowercase();
    const M: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    if n.len() < 3 {
        return None;
    }
    M.iter()
        .position(|m| n.starts_with(m))
        .map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn author_forms() {
        let a = Author::parse("Ley, Ann");
        assert_eq!(a.name, "Ann Ley");
        assert_eq!(a.family.as_deref(), Some("Ley"));
        let b = Author::parse("Kris Deering");
        assert_eq!(b.family.as_deref(), Some("Deering"));
        assert_eq!(b.given.as_deref(), Some("Kris"));
    }

    #[test]
    fn doi_and_pages() {
        assert_eq!(
            bare_doi("https://doi.org/10.1108/MHSI-10-2015-0038").as_deref(),
            Some("10.1108/MHSI-10-2015-0038")
        );
        assert_eq!(normalize_pages("111 - 118").as_deref(), Some("111-118"));
        assert_eq!(normalize_pages("126–134").as_deref(), Some("126-134"));
    }

    fn careful_clean(s: &str) -> String {
        let mut v = s
            .split(|c: char| c.is_whitespace())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        v.retain(|c| !is_unsafe_char(c));
        v
    }

    proptest::proptest! {
        #[test]
        fn fast_lines_and_splits_are_the_standard_ones(s in "[ab,\r\n é]{0,12}") {
            proptest::prop_assert_eq!(lines(&s).collect::<Vec<_>>(), s.lines().collect::<Vec<_>>());
            proptest::prop_assert_eq!(split_once_byte(&s, b','), s.split_once(','));
            proptest::prop_assert_eq!(rsplit_once_byte(&s, b' '), s.rsplit_once(' '));
            proptest::prop_assert_eq!(split_once_byte(&s, b'\n'), s.split_once('\n'));
            proptest::prop_assert_eq!(split_byte(&s, b',').collect::<Vec<_>>(), s.split(',').collect::<Vec<_>>());
        }

        // Long strings, so the 32-byte blocks of `is_clean` meet every kind of byte at every
        // position in a block and at block edges.
        #[test]
        fn clean_text_blocks_agree_with_the_careful_one(
            clean in proptest::collection::vec(0usize..7, 0..100),
            odd in proptest::collection::vec((0usize..100, 0usize..14), 0..3),
        ) {
            const CLEAN: [&str; 7] =
                ["abc", "Word", " x", "é", "–", "(ü)", "0123456789012345678901234567890"];
            const ODD: [&str; 14] = [
                " ", "  ", "\t", "\n", "\r\n", "\u{a0}", "\u{200f}", "\u{85}", "\u{3000}",
                "\u{7f}", "\u{2066}", "\u{b}", "\u{1f}", "\u{c}",
            ];
            let mut pieces: Vec<&str> = clean.iter().map(|&i| CLEAN[i]).collect();
            for &(at, i) in &odd {
                pieces.insert(at.min(pieces.len()), ODD[i]);
            }
            let s: String = pieces.concat();
            let clean = clean_text(&s);
            proptest::prop_assert_eq!(&clean, &clean_text_careful(&s));
            // Importers clean a value once and rely on the result staying as it is.
            proptest::prop_assert_eq!(clean_text(&clean), clean.clone());
            proptest::prop_assert!(matches!(clean_text_cow(&clean), std::borrow::Cow::Borrowed(_)));
        }
    }

    #[test]
    fn clean_text_fast_path_agrees_with_the_careful_one() {
        for s in [
            "plain words",
            "é ü",
            " lead",
            "trail ",
            "a  b",
            "a\u{a0}b",
            "a\u{200f}b",
            "x\u{85}y",
            "tab\tx",
            "–dash",
        ] {
            assert_eq!(clean_text(s), careful_clean(s), "{s:?}");
        }
        assert_eq!(clean_text("a\u{200f}b"), "ab");
    }

    #[test]
    fn lowercase_hashing_matches_hashing_the_lowercased_text() {
        for s in ["Peer Support", "ΣΟΦΙΑ Müller", "", "ABC-123", "Ödön ÅSA"] {
            let mut a = Fnv::default();
            a.write_lowercase(s);
            let mut b = Fnv::default();
            b.write(s.to_lowercase().as_bytes());
            assert_eq!(a.0, b.0, "{s:?}");
        }
        let mut r = Record {
            doi: Some("10.1108/MHSI-10-2015-0038".into()),
            ..Record::default()
        };
        assert_eq!(r.compute_id(), "doi:10.1108/mhsi-10-2015-0038");
        r.doi = Some("10.1/ÄB".into());
        assert_eq!(r.compute_id(), "doi:10.1/äb");
    }

    #[test]
    fn sanitize_strips_escapes_and_bidi() {
        let s = sanitize("a\u{1b}[31mred\u{9b}x\u{202e}y");
        assert!(!s.chars().any(is_unsafe_char));
        assert_eq!(s, "a[31mredxy");
    }
}
