//! Per record, for each class of its words' first characters (`lists::class_of_first`), the
//! characters its words of that class hold after their first one. From these a pass asks
//! whether a needle could be cut into chunks over the record's words at all
//! (`TokenPlan::chunks_possible`): a needle of two characters needs a word starting with its
//! first that holds its second later (its first chunk is at least two characters long,
//! `TokenPlan::find`). A record that fails a term is otherwise read to its end, every token of
//! it, so narrowing to a needle most records fail cost as much as one they match.
//!
//! At a million records, two threads (`examples/passes.rs`, min of 10, three alternating runs,
//! ms, before against after): `a>au` (727k of 1M records fail) 55-84 against 35-40, `a>ab`
//! (980k fail) 55-65 against 20-24, `an>anx` 60-67 against 40-42, `cog>cogn` 61-70 against
//! 34-66. Tests: `later_characters_by_first_class` here, and `pass_agrees_with_the_reference`
//! in `search`, whose fresh passes put every record to this test.
//!
//! About 80 bytes a record (a `u32` for each of about 20 classes): 80 MB at a million, built
//! into the one array (per-job arrays copied after raised the load's resident memory by about
//! 140 MB at a million).

use super::{fold_char, lists, FIELDS, WORD_ID};
use rayon::prelude::*;

/// The bit of a character (case-folded) in a word's later characters: one per ASCII letter,
/// one for all digits, one for the other ASCII characters, one for everything else.
pub(super) fn later_bit(c: char) -> u32 {
    let c = fold_char(c, false);
    match c {
        'a'..='z' => 1 << (c as u32 - 'a' as u32),
        '0'..='9' => 1 << 26,
        c if c.is_ascii() => 1 << 27,
        _ => 1 << 28,
    }
}

/// `later_bit` of every character of `word` after its first.
pub(super) fn word_later(word: &str) -> u32 {
    word.chars().skip(1).fold(0, |m, c| m | later_bit(c))
}

#[derive(Default)]
pub(super) struct Pairs {
    /// Per record: where its masks start in `masks`; it has one for each class set in its
    /// `Lists::classes` entry, in bit order.
    at: Vec<u32>,
    masks: Vec<u32>,
}

impl Pairs {
    /// The masks of every record of `tokens` (as `Meta` holds them), from each vocabulary
    /// word's `word_later` and the records' classes.
    pub(super) fn build(
        tokens: &[u32],
        spans: &[[u32; FIELDS + 1]],
        classes: &[u64],
        later: &[u32],
    ) -> Pairs {
        const JOB: usize = 16 * 1024;
        // Where each record's masks start (one per class it has), then each job of records
        // fills its own stretch of the one array (no per-job arrays copied after: they were
        // the array's size again at the peak of the load).
        let mut at = Vec::with_capacity(spans.len());
        let mut total = 0u32;
        for &have in classes {
            at.push(total);
            total += have.count_ones();
        }
        let mut masks = vec![0u32; total as usize];
        let mut slices = Vec::with_capacity(spans.len().div_ceil(JOB));
        let mut rest = &mut masks[..];
        for (k, job) in at.chunks(JOB).enumerate() {
            let to = at.get((k + 1) * JOB).map_or(total, |&a| a) - job[0];
            let (this, after) = std::mem::take(&mut rest).split_at_mut(to as usize);
            slices.push(this);
            rest = after;
        }
        spans
            .par_chunks(JOB)
            .zip(classes.par_chunks(JOB))
            .zip(slices)
            .for_each(|((spans, classes), out)| {
                let mut by_class = [0u32; 64];
                let mut next = 0;
                for (s, &have) in spans.iter().zip(classes) {
                    for &t in &tokens[s[0] as usize..s[FIELDS] as usize] {
                        let c = lists::class_of_first((t >> 24) as u8) as usize;
                        by_class[c] |= later.get((t & WORD_ID) as usize).copied().unwrap_or(0);
                    }
                    let mut bits = have;
                    while bits != 0 {
                        let c = bits.trailing_zeros() as usize;
                        bits &= bits - 1;
                        out[next] = std::mem::take(&mut by_class[c]);
                        next += 1;
                    }
                    // Classes a record does not have were never set (`have` holds every class
                    // of its tokens), so `by_class` is all zero again.
                }
            });
        Pairs { at, masks }
    }

    pub(super) fn heap_bytes(&self) -> usize {
        (self.at.capacity() + self.masks.capacity()) * 4
    }

    /// What record `r`'s words of class `class` hold after their first characters (None: it
    /// has no word of that class; every bit when the record is unknown).
    #[inline]
    pub(super) fn later(&self, r: usize, have: u64, class: u32) -> Option<u32> {
        if have & (1u64 << class) == 0 {
            return None;
        }
        let below = (have & ((1u64 << class) - 1)).count_ones() as usize;
        Some(
            self.at
                .get(r)
                .and_then(|&at| self.masks.get(at as usize + below))
                .copied()
                .unwrap_or(u32::MAX),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_characters_by_first_class() {
        // Record 0: "Aub" (class a, later u b), "x1" (class x, later digit); record 1: "ba".
        let later = [word_later("Aub"), word_later("x1"), word_later("ba")];
        let token = |first: u8, w: u32| (first as u32) << 24 | w;
        let tokens = [token(b'A', 0), token(b'x', 1), token(b'b', 2)];
        let spans = [[0, 1, 2, 2, 2, 2], [2, 3, 3, 3, 3, 3]];
        let class = |b: u8| lists::class_of_first(b);
        let classes = [1u64 << class(b'a') | 1 << class(b'x'), 1 << class(b'b')];
        let p = Pairs::build(&tokens, &spans, &classes, &later);
        let a = p.later(0, classes[0], class(b'a')).unwrap();
        assert_eq!(a, later_bit('U') | later_bit('b'));
        assert_eq!(p.later(0, classes[0], class(b'x')), Some(later_bit('7')));
        assert_eq!(p.later(0, classes[0], class(b'b')), None);
        assert_eq!(p.later(1, classes[1], class(b'b')), Some(later_bit('A')));
        assert_eq!(p.later(1, classes[1], class(b'a')), None);
        assert_eq!(later_bit('é'), later_bit('同'));
    }
}
