//! The character-at-a-time word gate: the rule that decides what a fuzzy term matches, run
//! over plain text (abstracts until their index is built, exact terms, highlighting).

use super::matcher;
use crate::query::{Field, Pattern, Query};
use fuzzy_matcher::FuzzyMatcher;

/// Where a word starts: after a non-alphanumeric character, at a lower-to-upper case change
/// or a letter/digit change, at any CJK character (those scripts have no spaces), and at
/// punctuation itself (so a needle's `-` or `.` can match).
pub(crate) fn is_word_start(prev: Option<char>, c: char) -> bool {
    let Some(p) = prev else { return true };
    !p.is_alphanumeric()
        || !c.is_alphanumeric()
        || (p.is_lowercase() && c.is_uppercase())
        || (p.is_alphabetic() != c.is_alphabetic())
        || is_cjk(c)
}

pub(super) const CLASS_OTHER: u8 = 0;
const CLASS_LOWER: u8 = 1;
const CLASS_UPPER: u8 = 2;
const CLASS_DIGIT: u8 = 3;
const CLASS_LETTER: u8 = 4;

/// Character classes for the word-start rule, as `is_word_start` defines it.
pub(super) fn class_of(c: char) -> u8 {
    if !c.is_alphanumeric() {
        CLASS_OTHER
    } else if !c.is_alphabetic() {
        CLASS_DIGIT
    } else if c.is_lowercase() {
        CLASS_LOWER
    } else if c.is_uppercase() {
        CLASS_UPPER
    } else {
        CLASS_LETTER
    }
}

pub(super) const ASCII_CLASS: [u8; 128] = {
    let mut t = [CLASS_OTHER; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_lowercase() {
            CLASS_LOWER
        } else if c.is_ascii_uppercase() {
            CLASS_UPPER
        } else if c.is_ascii_digit() {
            CLASS_DIGIT
        } else {
            CLASS_OTHER
        };
        b += 1;
    }
    t
};

/// The class of the character that ends just before byte `at`.
fn class_before(hay: &str, at: usize) -> u8 {
    hay[..at].chars().next_back().map_or(CLASS_OTHER, |c| {
        if c.is_ascii() {
            ASCII_CLASS[c as usize]
        } else {
            class_of(c)
        }
    })
}

/// `is_word_start` on classes (CJK is handled by the caller).
pub(super) const fn starts_word(prev: u8, c: u8) -> bool {
    prev == CLASS_OTHER
        || c == CLASS_OTHER
        || (prev == CLASS_LOWER && c == CLASS_UPPER)
        || ((prev == CLASS_DIGIT) != (c == CLASS_DIGIT))
}

pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Whether a word starts at a character of class `c` after one of class `prev`.
const BOUNDARY: [[bool; 5]; 5] = {
    let mut t = [[false; 5]; 5];
    let mut p = 0;
    while p < 5 {
        let mut c = 0;
        while c < 5 {
            t[p][c] = starts_word(p as u8, c as u8);
            c += 1;
        }
        p += 1;
    }
    t
};

/// Calls `f` with the byte range of each word of `text`, in order, as `is_word_start` cuts
/// them (each whitespace or punctuation character is a word of its own). The one splitter of
/// the metadata index and the abstract index.
pub(crate) fn for_each_word(text: &str, mut f: impl FnMut(usize, usize)) {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut prev = CLASS_OTHER;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (class, cjk, len) = if b < 0x80 {
            (ASCII_CLASS[b as usize], false, 1)
        } else {
            let c = text[i..].chars().next().unwrap_or('\u{fffd}');
            (class_of(c), is_cjk(c), c.len_utf8())
        };
        if i > 0 && (BOUNDARY[prev as usize][class as usize] || cjk) {
            f(start, i);
            start = i;
        }
        i += len;
        // A run of ASCII lower-case letters continues any word of letters (most of prose).
        prev = class;
        if matches!(class, CLASS_LOWER | CLASS_UPPER | CLASS_LETTER) {
            while i < bytes.len() && bytes[i].is_ascii_lowercase() {
                i += 1;
                prev = CLASS_LOWER;
            }
        }
    }
    if start < bytes.len() {
        f(start, bytes.len());
    }
}

/// The rule that keeps fuzzy matching useful on bibliographic text: the needle's characters
/// appear in order in chunks, each chunk inside one word and entered at the word's start, and
/// every chunk but the last at least two characters long. So `repper` finds "Repper", `pesu`
/// finds "PEer SUpport" and `reper` still finds "Repper"; but `repper` no longer finds a
/// title with r…e…p…p…e…r scattered over it, nor `ley` the middle of "Dunkley" (unit test
/// `word_gate`; tests/cli.rs and the TUI key tests on the seeds). In long prose (abstracts)
/// the needle must fall inside a single word, or a short needle would match every abstract
/// through the initials of unrelated words. Bit-parallel: one pass over the text, a few
/// operations a character. What it accepts only shrinks as the needle grows, so narrowing
/// within the previous hits stays exact.
#[derive(Debug, Clone)]
pub(super) struct WordGate {
    ascii: [u64; 128],
    /// The needle's first character as bytes to search for, when it is ASCII.
    first: Option<(u8, u8)>,
    other: Vec<(char, u64)>,
    len: usize,
    case_sensitive: bool,
    single_word: bool,
}

impl WordGate {
    /// None for needles longer than 63 characters (skim alone decides those).
    pub(super) fn new(needle: &str, case_sensitive: bool, single_word: bool) -> Option<WordGate> {
        let chars: Vec<char> = needle.chars().collect();
        if chars.is_empty() || chars.len() > 63 {
            return None;
        }
        let first = chars[0].is_ascii().then(|| {
            let b = chars[0] as u8;
            if case_sensitive {
                (b, b)
            } else {
                (b.to_ascii_lowercase(), b.to_ascii_uppercase())
            }
        });
        let mut g = WordGate {
            ascii: [0; 128],
            first,
            other: Vec::new(),
            len: chars.len(),
            case_sensitive,
            single_word,
        };
        for (i, &c) in chars.iter().enumerate() {
            let c = g.fold(c);
            let bit = 1u64 << i;
            if (c as u32) < 128 {
                g.ascii[c as usize] |= bit;
            } else if let Some(e) = g.other.iter_mut().find(|e| e.0 == c) {
                e.1 |= bit;
            } else {
                g.other.push((c, bit));
            }
        }
        Some(g)
    }

    fn fold(&self, c: char) -> char {
        if self.case_sensitive {
            c
        } else if c.is_ascii() {
            c.to_ascii_lowercase()
        } else {
            c.to_lowercase().next().unwrap_or(c)
        }
    }

    fn mask(&self, c: char) -> u64 {
        let c = self.fold(c);
        if (c as u32) < 128 {
            self.ascii[c as usize]
        } else {
            self.other.iter().find(|e| e.0 == c).map_or(0, |e| e.1)
        }
    }

    #[cfg(test)]
    pub(super) fn accepts(&self, hay: &str) -> bool {
        self.match_end(hay).is_some()
    }

    /// Where the earliest match that obeys the rule ends (a byte offset), if there is one.
    pub(super) fn match_end(&self, hay: &str) -> Option<usize> {
        let goal = 1u64 << self.len;
        // Bit i: the needle's first i characters are matched, the last of them in the current
        // word as a chunk of one character (`one`) or of two or more (`more`); `open`: matched
        // before here in a way that lets a new chunk start at the next word.
        let mut open = 1u64;
        let mut one = 0u64;
        let mut more = 0u64;
        let mut prev = CLASS_OTHER;
        let bytes = hay.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            // Nothing matched yet: jump (memchr) to the next place the needle's first
            // character occurs; what lies between cannot change the state.
            if open == 1 && (one | more) == 0 {
                if let Some((lower, upper)) = self.first {
                    let at = i + memchr::memchr2(lower, upper, &bytes[i..])?;
                    if at > i {
                        prev = class_before(hay, at);
                        i = at;
                    }
                }
            }
            let b = bytes[i];
            // ASCII, nearly all bibliographic text, goes through tables; the rest decodes.
            let (m, class, cjk) = if b < 0x80 {
                i += 1;
                let folded = if self.case_sensitive {
                    b
                } else {
                    b.to_ascii_lowercase()
                };
                (self.ascii[folded as usize], ASCII_CLASS[b as usize], false)
            } else {
                let c = hay[i..].chars().next().unwrap_or('\u{fffd}');
                i += c.len_utf8();
                (self.mask(c), class_of(c), is_cjk(c))
            };
            if starts_word(prev, class) || cjk {
                one = (open & m) << 1;
                // A CJK character is a word of its own, and a whole one.
                more = if cjk { one } else { 0 };
            } else {
                more |= ((one | more) & m) << 1;
            }
            if (one | more) & goal != 0 {
                return Some(i);
            }
            if !self.single_word {
                open |= more;
            }
            prev = class;
        }
        None
    }

    /// Character positions of one alignment that obeys the rule (for highlighting).
    pub(super) fn positions(&self, hay: &str, needle: &str) -> Option<Vec<usize>> {
        let hay: Vec<char> = hay.chars().collect();
        let needle: Vec<char> = needle.chars().map(|c| self.fold(c)).collect();
        let (n, m) = (needle.len(), hay.len());
        let starts: Vec<bool> = (0..m)
            .map(|p| is_word_start(p.checked_sub(1).map(|q| hay[q]), hay[p]))
            .collect();
        let mut w = 0;
        let word_of: Vec<usize> = starts
            .iter()
            .map(|&s| {
                w += usize::from(s);
                w
            })
            .collect();
        // one[i][p] / more[i][p]: needle[..=i] matched with needle[i] at p, as the first
        // character of its chunk / a later one.
        let mut one = vec![vec![false; m]; n];
        let mut more = vec![vec![false; m]; n];
        for i in 0..n {
            for p in 0..m {
                if self.fold(hay[p]) != needle[i] {
                    continue;
                }
                one[i][p] =
                    starts[p] && (i == 0 || (!self.single_word && (0..p).any(|q| more[i - 1][q])));
                more[i][p] = (one[i][p] && is_cjk(hay[p]))
                    || (i > 0
                        && (0..p)
                            .rev()
                            .take_while(|&q| word_of[q] == word_of[p])
                            .any(|q| one[i - 1][q] || more[i - 1][q]));
            }
        }
        let mut p = (0..m).find(|&p| one[n - 1][p] || more[n - 1][p])?;
        let mut out = vec![p];
        for i in (0..n - 1).rev() {
            let chunk_start = one[i + 1][p];
            let q = (0..p)
                .rev()
                .find(|&q| chunk_start && more[i][q])
                .or_else(|| {
                    (0..p)
                        .rev()
                        .find(|&q| word_of[q] == word_of[p] && (one[i][q] || more[i][q]))
                })?;
            out.push(q);
            p = q;
        }
        out.reverse();
        Some(out)
    }
}

/// Byte-level prefilter: can `needle`'s ASCII bytes occur in `hay` in order? Non-ASCII needle
/// bytes are skipped (they may match case-folded), so this never rejects a true match.
pub fn may_contain_subsequence(hay: &[u8], needle: &[u8], case_sensitive: bool) -> bool {
    let mut pos = 0;
    for &n in needle {
        if !n.is_ascii() || n == b' ' {
            continue;
        }
        let rest = &hay[pos..];
        let found = if case_sensitive || !n.is_ascii_alphabetic() {
            memchr::memchr(n, rest)
        } else {
            memchr::memchr2(n.to_ascii_lowercase(), n.to_ascii_uppercase(), rest)
        };
        match found {
            Some(p) => pos += p + 1,
            None => return false,
        }
    }
    true
}

/// Byte offset of `needle` in `hay`; case-insensitive unless `case_sensitive`.
pub(super) fn find_exact(hay: &str, needle: &str, case_sensitive: bool) -> Option<usize> {
    if case_sensitive {
        return hay.find(needle);
    }
    if needle.is_ascii() {
        let n = needle.as_bytes();
        let h = hay.as_bytes();
        let first = *n.first()?;
        let mut start = 0;
        while let Some(p) = memchr::memchr2(
            first.to_ascii_lowercase(),
            first.to_ascii_uppercase(),
            &h[start..],
        ) {
            let at = start + p;
            if h.len() - at >= n.len() && h[at..at + n.len()].eq_ignore_ascii_case(n) {
                return Some(at);
            }
            start = at + 1;
        }
        return None;
    }
    hay.to_lowercase().find(&needle.to_lowercase())
}

/// Character positions in `text` (shown as `field`) that the query's terms match, for
/// highlighting. Called for visible rows only.
pub fn highlight(query: &Query, field: Field, text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    for t in &query.terms {
        let applies = t.field == field
            || (t.field == Field::Any
                && matches!(
                    field,
                    Field::Title | Field::Author | Field::Keyword | Field::Container | Field::Year
                ));
        if t.negated || !applies {
            continue;
        }
        match &t.pattern {
            Pattern::Fuzzy(n) => {
                let gate = WordGate::new(
                    n,
                    t.case_sensitive,
                    matches!(t.field, Field::Abstract | Field::Findings),
                );
                let skim = matcher().fuzzy_indices(text, n).map(|(_, idx)| idx);
                let chars: Vec<char> = text.chars().collect();
                let obeys = |idx: &[usize]| {
                    idx.iter().enumerate().all(|(k, &p)| {
                        let start = is_word_start(p.checked_sub(1).map(|q| chars[q]), chars[p]);
                        start
                            || (k > 0
                                && !(idx[k - 1] + 1..=p).any(|q| {
                                    is_word_start(q.checked_sub(1).map(|r| chars[r]), chars[q])
                                }))
                    })
                };
                match (skim, &gate) {
                    (Some(idx), None) => out.extend(idx),
                    (Some(idx), Some(_)) if obeys(&idx) => out.extend(idx),
                    (_, Some(g)) => out.extend(g.positions(text, n).unwrap_or_default()),
                    (None, None) => {}
                }
            }
            Pattern::Exact(n) => {
                let (h, nn) = if t.case_sensitive {
                    (text.to_string(), n.clone())
                } else {
                    (text.to_lowercase(), n.to_lowercase())
                };
                // Lower-casing can change byte lengths; only map when it did not.
                if h.len() == text.len() && !nn.is_empty() {
                    for (b, _) in h.match_indices(nn.as_str()) {
                        let c0 = text[..b].chars().count();
                        out.extend(c0..c0 + n.chars().count());
                    }
                }
            }
            Pattern::Years(..) => {}
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}
