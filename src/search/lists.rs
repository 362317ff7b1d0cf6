//! Per record, where its words start with each character: the tokens a needle position may go
//! on from, found without reading the record's other tokens.
//!
//! A pass over a million records used to read every token of every record to find the few
//! whose first character an open needle position takes (about 49 tokens a record, 3 to 5 of
//! them candidates for a two-character needle): a branch per token, mispredicted at each
//! candidate. Here a record's token positions are grouped by the `sig_bit` class of their
//! first character, so `find` takes the candidates of the classes it needs as a bit mask, in
//! order. A pass uses them once most records fail the term (`Pass::term_eval`): two threads,
//! a million records, `a>au` 68 ms scanned and 48 listed, `a>ab` 67 and 47
//! (`examples/passes.rs`, min of 20). A record that matches stops scanning at its match,
//! mostly within its first tokens, and the lists gain it nothing (`de>dep` 54 ms either way).
//! They take about 78 bytes a record (90 MB at a million), made from the tokens at load.
//!
//! A needle of one letter or digit is answered from them alone (`Lists::first_of`): the first
//! word of its class decides the match and its score, by its first character. Two threads, a
//! million records, the whole library: `p` 31-39 ms read from the words, 26-29 from the lists;
//! `peer>peer s` 21-23 and 15-17 (`examples/passes.rs`, min of 12, two alternating runs).

use super::{sig_bit, FIELDS, NON_ASCII};
use rayon::prelude::*;

/// Records with more tokens than this are not listed (a position is a bit of a `u128`); `find`
/// scans their tokens instead.
pub(super) const MAX_TOKENS: usize = 128;

const UNLISTED: u32 = u32::MAX;

/// The class (`sig_bit`'s bit number) of a token's first byte (`Vocab::first`).
#[inline]
pub(super) fn class_of_first(first: u8) -> u32 {
    if first >= NON_ASCII {
        63
    } else {
        sig_bit(first as char).trailing_zeros()
    }
}

#[derive(Default)]
pub(super) struct Lists {
    /// Per record: the classes its tokens' first characters fall in, a bit each.
    classes: Vec<u64>,
    /// Per record: the classes whose first token starts with an ASCII capital, a bit each. A
    /// needle of one letter or digit matches a record whose words start with it and scores by
    /// that first word's first character alone (`Found::ByFirst`), so this answers it without
    /// the record's tokens (`Pass::term_eval`).
    upper: Vec<u64>,
    /// Per record: where its bytes start, or `UNLISTED`.
    at: Vec<u32>,
    /// Per listed record: for each of its classes in bit order, where the class's positions
    /// end (one byte each); then the positions (of the token in the record, one byte each),
    /// class after class, each class's in order.
    bytes: Vec<u8>,
}

impl Lists {
    /// The lists of every record of `tokens` (as `Meta` holds them).
    pub(super) fn build(tokens: &[u32], spans: &[[u32; FIELDS + 1]]) -> Lists {
        const JOB: usize = 16 * 1024;
        let parts: Vec<Lists> = spans
            .par_chunks(JOB)
            .map(|spans| {
                let mut classes = Vec::with_capacity(spans.len());
                let mut upper = Vec::with_capacity(spans.len());
                let mut at = Vec::with_capacity(spans.len());
                let mut bytes = Vec::with_capacity(spans.len() * 64);
                let mut count = [0u8; 64];
                for s in spans {
                    let record = &tokens[s[0] as usize..s[FIELDS] as usize];
                    let (mut have, mut up) = (0u64, 0u64);
                    for &t in record {
                        let first = (t >> 24) as u8;
                        let bit = 1 << class_of_first(first);
                        if have & bit == 0 && first.is_ascii_uppercase() {
                            up |= bit;
                        }
                        have |= bit;
                    }
                    classes.push(have);
                    upper.push(up);
                    if record.len() > MAX_TOKENS {
                        at.push(UNLISTED);
                        continue;
                    }
                    at.push(bytes.len() as u32);
                    // Counting sort by class: the ends, then each position in its place.
                    count.fill(0);
                    for &t in record {
                        count[class_of_first((t >> 24) as u8) as usize] += 1;
                    }
                    let dir = bytes.len();
                    let mut end = 0u8;
                    let mut bits = have;
                    while bits != 0 {
                        let c = bits.trailing_zeros() as usize;
                        bits &= bits - 1;
                        end += count[c];
                        // From now on, where the class's next position goes.
                        count[c] = end - count[c];
                        bytes.push(end);
                    }
                    let positions = bytes.len();
                    bytes.resize(positions + record.len(), 0);
                    for (p, &t) in record.iter().enumerate() {
                        let c = class_of_first((t >> 24) as u8) as usize;
                        bytes[positions + count[c] as usize] = p as u8;
                        count[c] += 1;
                    }
                    debug_assert_eq!(bytes.len() - dir, have.count_ones() as usize + record.len());
                }
                Lists {
                    classes,
                    upper,
                    at,
                    bytes,
                }
            })
            .collect();
        let total: usize = parts.iter().map(|p| p.bytes.len()).sum();
        let mut lists = Lists {
            classes: Vec::with_capacity(spans.len()),
            upper: Vec::with_capacity(spans.len()),
            at: Vec::with_capacity(spans.len()),
            bytes: Vec::with_capacity(total),
        };
        for Lists {
            classes,
            upper,
            at,
            bytes,
        } in parts
        {
            let base = lists.bytes.len() as u32;
            lists.classes.extend_from_slice(&classes);
            lists.upper.extend_from_slice(&upper);
            lists
                .at
                .extend(at.iter().map(|&a| if a == UNLISTED { a } else { a + base }));
            lists.bytes.extend_from_slice(&bytes);
        }
        lists
    }

    pub(super) fn heap_bytes(&self) -> usize {
        (self.classes.capacity() + self.upper.capacity()) * 8
            + self.at.capacity() * 4
            + self.bytes.capacity()
    }

    /// Every record's classes (a bit each).
    pub(super) fn classes(&self) -> &[u64] {
        &self.classes
    }

    /// Asks the processor for what `first_of` will read of record `r` (a hint).
    #[inline]
    pub(super) fn prefetch(&self, r: usize) {
        if let (Some(c), Some(u), Some(&at)) =
            (self.classes.get(r), self.upper.get(r), self.at.get(r))
        {
            super::prefetch(c);
            super::prefetch(u);
            if let Some(b) = self.bytes.get(at as usize) {
                super::prefetch(b);
            }
        }
    }

    /// Record `r`'s first token of class `c` (a `sig_bit` bit number), when it has one:
    /// whether it starts with an ASCII capital, and its position when the record is listed.
    #[inline]
    pub(super) fn first_of(&self, r: usize, c: u32) -> Option<(bool, Option<u8>)> {
        let have = *self.classes.get(r)?;
        let bit = 1u64 << c;
        if have & bit == 0 {
            return None;
        }
        let upper = self.upper.get(r).is_some_and(|u| u & bit != 0);
        let first = self
            .directory(r, have)
            .and_then(|(dir, positions)| class_positions(dir, positions, have, c).first().copied());
        Some((upper, first))
    }

    /// Record `r`'s directory (where each of `have`'s classes ends) and positions; None when
    /// the record is not listed.
    #[inline]
    fn directory(&self, r: usize, have: u64) -> Option<(&[u8], &[u8])> {
        let at = *self.at.get(r)?;
        if at == UNLISTED {
            return None;
        }
        let (at, k) = (at as usize, have.count_ones() as usize);
        Some((self.bytes.get(at..at + k)?, self.bytes.get(at + k..)?))
    }

    /// Whether record `r`'s tokens are listed.
    #[inline]
    pub(super) fn listed(&self, r: usize) -> bool {
        self.at.get(r).is_some_and(|&a| a != UNLISTED)
    }

    /// The positions of record `r`'s tokens (bit p: its token p) whose first character falls
    /// in one of the classes `want`; 0 when the record is not listed.
    #[inline]
    pub(super) fn positions(&self, r: usize, want: u64) -> u128 {
        let (Some(&have), Some(&at)) = (self.classes.get(r), self.at.get(r)) else {
            return 0;
        };
        let mut w = want & have;
        if w == 0 || at == UNLISTED {
            return 0;
        }
        let Some((dir, positions)) = self.directory(r, have) else {
            return 0;
        };
        let mut mask = 0u128;
        while w != 0 {
            let c = w.trailing_zeros();
            w &= w - 1;
            for &p in class_positions(dir, positions, have, c) {
                mask |= 1u128 << (p as u32 % 128);
            }
        }
        mask
    }
}

/// The positions of class `c` (one of `have`, the record's classes) in a record's
/// `directory`, in order.
#[inline]
fn class_positions<'b>(dir: &[u8], positions: &'b [u8], have: u64, c: u32) -> &'b [u8] {
    let j = (have & ((1u64 << c) - 1)).count_ones() as usize;
    let from = if j == 0 { 0 } else { dir[j - 1] as usize };
    let to = dir.get(j).map_or(from, |&t| t as usize);
    positions.get(from..to).unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A token of first byte `b` and word id `w`, as `Meta` packs them.
    fn token(b: u8, w: u32) -> u32 {
        (b as u32) << 24 | w
    }

    #[test]
    fn positions_by_class_and_long_records_unlisted() {
        // Record 0: "a", "B", "a", "9", "é"-word (non-ASCII), "b".
        let mut tokens = vec![
            token(b'a', 0),
            token(b'B', 1),
            token(b'a', 2),
            token(b'9', 3),
            token(NON_ASCII, 4),
            token(b'b', 5),
        ];
        let first = [0, 0, 0, 0, 0, tokens.len() as u32];
        // Record 1: more tokens than a list holds.
        tokens.extend((0..MAX_TOKENS as u32 + 1).map(|w| token(b'x', w)));
        let second = [6, 6, 6, 6, 6, tokens.len() as u32];
        let lists = Lists::build(&tokens, &[first, second]);
        let class = |c: char| sig_bit(c);
        assert!(lists.listed(0));
        assert_eq!(lists.positions(0, class('a')), 0b101);
        assert_eq!(lists.positions(0, class('b')), 0b100010);
        assert_eq!(lists.positions(0, class('a') | class('9')), 0b1101);
        assert_eq!(lists.positions(0, 1 << 63), 0b10000);
        assert_eq!(lists.positions(0, class('z')), 0);
        let bit = |c: char| sig_bit(c).trailing_zeros();
        assert_eq!(lists.first_of(0, bit('a')), Some((false, Some(0))));
        assert_eq!(lists.first_of(0, bit('b')), Some((true, Some(1))));
        assert_eq!(lists.first_of(0, bit('9')), Some((false, Some(3))));
        assert_eq!(lists.first_of(0, bit('z')), None);
        assert_eq!(lists.first_of(1, bit('x')), Some((false, None)));
        assert!(!lists.listed(1));
        assert_eq!(lists.positions(1, class('x')), 0);
        // Out of range: nothing.
        assert!(!lists.listed(2));
        assert_eq!(lists.positions(2, u64::MAX), 0);
    }
}
