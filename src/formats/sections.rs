//! Splits a structured abstract that arrives as labelled text into sections.
//!
//! Three shapes are recognised:
//! - inline labels with a colon at a sentence start: "BACKGROUND: ... METHODS: ..." (PubMed) or
//!   "Objective: ... Results: ...";
//! - Emerald labels with a dash: "Purpose - ... Design/methodology/approach - ... Findings - ...";
//! - a label alone on its line, the text on the lines below (RIS exports of Elsevier/PLOS).
//!
//! A label must come from the vocabulary below, or be written in capitals at a sentence start
//! (then only when the same abstract has a known label too), so ordinary sentences with a colon
//! ("ratio: 2.3") are never split.

use crate::record::{clean_text, Section};

/// Labels seen in structured abstracts (lower case).
const VOCABULARY: &[&str] = &[
    "abstract",
    "aim",
    "aims",
    "aim(s)",
    "aims and objectives",
    "analysis",
    "approach",
    "areas covered",
    "authors' conclusions",
    "availability",
    "availability and implementation",
    "background",
    "background and aims",
    "background and objectives",
    "background and purpose",
    "case description",
    "case presentation",
    "case report",
    "case summary",
    "clinical implications",
    "clinical relevance",
    "conclusion",
    "conclusions",
    "conclusion and relevance",
    "conclusions and relevance",
    "conclusions and implications",
    "conclusions/significance",
    "contact",
    "context",
    "data collection",
    "data collection and analysis",
    "data extraction",
    "data sources",
    "data synthesis",
    "design",
    "design/methodology/approach",
    "design, setting, and participants",
    "design, setting and participants",
    "discussion",
    "eligibility criteria",
    "evidence acquisition",
    "evidence synthesis",
    "expert opinion",
    "exposure",
    "exposures",
    "findings",
    "funding",
    "goal",
    "goals",
    "highlights",
    "hypothesis",
    "implications",
    "importance",
    "interpretation",
    "intervention",
    "interventions",
    "introduction",
    "key findings",
    "key points",
    "key results",
    "level of evidence",
    "limitations",
    "main outcome measures",
    "main outcomes and measures",
    "main results",
    "material and methods",
    "materials and methods",
    "measurements",
    "method",
    "methods",
    "methods and materials",
    "methods/design",
    "methodology",
    "methodology/principal findings",
    "motivation",
    "objective",
    "objectives",
    "originality/value",
    "outcome measures",
    "outcomes",
    "participants",
    "patients",
    "patients and methods",
    "perspective",
    "population",
    "practical implications",
    "principal findings",
    "problem",
    "purpose",
    "purpose of review",
    "rationale",
    "recent findings",
    "registration",
    "relevance",
    "research limitations/implications",
    "result",
    "results",
    "review methods",
    "search methods",
    "search strategy",
    "selection criteria",
    "setting",
    "settings",
    "significance",
    "social implications",
    "sources",
    "study design",
    "study selection",
    "subjects",
    "subjects and methods",
    "summary",
    "supplementary information",
    "synthesis",
    "systematic review registration",
    "trial registration",
    "value",
    "what is known",
    "what is new",
];

/// Whether a label (any case) is in the vocabulary.
pub fn is_known_label(label: &str) -> bool {
    let label = label.trim();
    if label.is_ascii() {
        let mut buf = [0u8; LONGEST_LABEL];
        let Some(lower) = buf.get_mut(..label.len()) else {
            return false;
        };
        lower.copy_from_slice(label.as_bytes());
        lower.make_ascii_lowercase();
        vocabulary().labels.contains(&*lower)
    } else {
        VOCABULARY.contains(&label.to_lowercase().as_str())
    }
}

/// "BACKGROUND" / "Main Outcome Measures" -> "Background" / "Main outcome measures".
pub fn normalize_label(label: &str) -> String {
    let clean = crate::record::clean_text_cow(label);
    if clean.is_ascii() {
        // One string, not three (`normalize_label` was 2.5% of a 10k-record load, callgrind);
        // for ASCII, what the general way below gives (test `ascii_labels_normalise_alike`).
        let mut bytes = clean.as_bytes().to_ascii_lowercase();
        if let Some(first) = bytes.first_mut() {
            first.make_ascii_uppercase();
        }
        return String::from_utf8(bytes).unwrap_or_default();
    }
    let lower = clean.to_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A label found in the text: where it starts, where its text starts, and its name.
struct Mark {
    start: usize,
    text_start: usize,
    label: String,
    known: bool,
    /// No separator after the label ("Results A total of ..."): kept only beside others.
    weak: bool,
}

/// Splits an abstract into sections; unstructured text is one section with label None.
pub fn split(text: &str) -> Vec<Section> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    let mut marks = line_labels(text);
    inline_labels(text, &mut marks);
    // Capitalised and unseparated labels count only beside a known, separated one, or when
    // several known labels in capitals head the parts ("BACKGROUND Long-term ... METHODS We").
    let separated = marks.iter().any(|m| m.known && !m.weak);
    let capital_headings = marks
        .iter()
        .filter(|m| m.weak && is_capitals(&text[m.start..m.text_start]))
        .count();
    if !separated && capital_headings < 2 {
        marks.clear();
    }
    if marks.is_empty() {
        let text = clean_text(text);
        return if text.is_empty() {
            Vec::new()
        } else {
            vec![Section { label: None, text }]
        };
    }
    marks.sort_by_key(|m| m.start);
    let mut sections = Vec::with_capacity(marks.len() + 1);
    let lead = clean_text(text.get(..marks[0].start).unwrap_or(""));
    if !lead.is_empty() {
        sections.push(Section {
            label: None,
            text: lead,
        });
    }
    for (i, m) in marks.iter().enumerate() {
        let end = marks.get(i + 1).map_or(text.len(), |n| n.start);
        let body = clean_text(text.get(m.text_start..end.max(m.text_start)).unwrap_or(""));
        sections.push(Section {
            label: Some(m.label.clone()),
            text: body,
        });
    }
    sections
}

/// Labels standing alone on a line ("Results" or "RESULTS:"), followed by a line of text.
fn line_labels(text: &str) -> Vec<Mark> {
    let mut marks = Vec::new();
    // memchr's search: `str::contains` went a word at a time, 2% of a 10k-record load with
    // most abstracts on one line (callgrind).
    if memchr::memchr(b'\n', text.as_bytes()).is_none() {
        return marks;
    }
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut pos = 0;
    for raw in text.split('\n') {
        lines.push((pos, raw.trim_end_matches('\r')));
        pos += raw.len() + 1;
    }
    let mut prev_blank = true;
    for (i, &(start, line)) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            prev_blank = true;
            continue;
        }
        let was_blank = prev_blank;
        prev_blank = false;
        let next_text = lines[i + 1..]
            .iter()
            .map(|(_, l)| l.trim())
            .find(|l| !l.is_empty());
        let Some(next_text) = next_text else { continue };
        let name = trimmed.strip_suffix(':').unwrap_or(trimmed).trim_end();
        let known = is_known_label(name);
        // A short heading outside the vocabulary needs a blank line before it and prose after.
        let heading = was_blank
            && looks_like_heading(name)
            && !is_known_label(next_text.trim_end_matches(':'))
            && next_text.split_whitespace().count() > 3;
        if known || heading {
            let offset = line.len() - line.trim_start().len();
            marks.push(Mark {
                start: start + offset,
                text_start: (start + line.len()).min(text.len()),
                label: normalize_label(name),
                known,
                weak: false,
            });
        }
    }
    marks
}

fn looks_like_heading(name: &str) -> bool {
    let words = name.split_whitespace().count();
    (1..=5).contains(&words)
        && name.len() <= 50
        && name.chars().next().is_some_and(char::is_uppercase)
        && !name.ends_with(['.', '?', '!', ',', ';', ')'])
        && name
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '/' | '&' | '-' | '\''))
}

/// Labels inside running text: "RESULTS: ..." or "Findings - ..." at a sentence start, and a
/// capitalised known label after any word ("... data RESULTS: ...").
///
/// Only a capital letter starting a word can start a label, so the scan jumps from one such
/// letter (or label line) to the next and works out afterwards whether a sentence starts there.
fn inline_labels(text: &str, marks: &mut Vec<Mark>) {
    let bytes = text.as_bytes();
    // Label lines found by `line_labels`, in order of position.
    let line_marks: Vec<(usize, usize)> = marks.iter().map(|m| (m.start, m.text_start)).collect();
    let mut next_line_mark = 0;
    let mut i = 0;
    // Whether a sentence starts at `i`, given the bytes before it.
    let mut sentence_start = true;
    while i < bytes.len() {
        while line_marks.get(next_line_mark).is_some_and(|&(s, _)| s < i) {
            next_line_mark += 1;
        }
        let line_mark = line_marks.get(next_line_mark).copied();
        let limit = line_mark.map_or(bytes.len(), |(s, _)| s);
        let word = next_capital_word(bytes, i, limit);
        let at = word.unwrap_or(limit);
        sentence_start = sentence_state(bytes, i, at, sentence_start);
        if word.is_none() {
            let Some((_, text_start)) = line_mark else {
                break;
            };
            // A label already found on its own line: go on after it.
            i = text_start.max(at + 1);
            sentence_start = true;
            continue;
        }
        if let Some(m) = label_at(text, at, sentence_start) {
            i = m.text_start;
            marks.push(m);
            sentence_start = false;
            continue;
        }
        // A capital letter is not the end of a sentence.
        sentence_start = false;
        i = at + 1;
    }
}

/// The first position in `from..limit` of an ASCII capital that starts a word.
fn next_capital_word(bytes: &[u8], from: usize, limit: usize) -> Option<usize> {
    let starts_word = |p: usize| p == 0 || bytes.get(p - 1).is_some_and(u8::is_ascii_whitespace);
    let mut i = from;
    // 32 bytes at a time: a mask of the capitals, built without branches so it vectorises.
    while let Some(block) = bytes
        .get(i..i + 32)
        .filter(|_| i + 32 <= limit)
        .and_then(|s| <&[u8; 32]>::try_from(s).ok())
    {
        let mut capitals = capitals_mask(block);
        while capitals != 0 {
            let p = i + capitals.trailing_zeros() as usize;
            if starts_word(p) {
                return Some(p);
            }
            capitals &= capitals - 1;
        }
        i += 32;
    }
    (i..limit).find(|&p| bytes.get(p).is_some_and(u8::is_ascii_uppercase) && starts_word(p))
}

/// Bit k: `block[k]` is an ASCII capital. Two SSE2 compares a block (the byte loop, which the
/// compiler left at a few instructions a byte, was 5% of a 10k-record load, callgrind).
#[cfg(target_arch = "x86_64")]
fn capitals_mask(block: &[u8; 32]) -> u32 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_set1_epi8,
        _mm_sub_epi8,
    };
    // SAFETY: SSE2 is part of x86_64; the loads read 16 bytes at offsets 0 and 16 of the 32
    // that `block` holds, unaligned loads being allowed.
    unsafe {
        let half = |v: __m128i| {
            // c - 'A' (wrapping) is at most 25 exactly for 'A'..='Z'.
            let x = _mm_sub_epi8(v, _mm_set1_epi8(b'A' as i8));
            _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(25)), x)) as u32
        };
        let lo = _mm_loadu_si128(block.as_ptr().cast());
        let hi = _mm_loadu_si128(block.as_ptr().add(16).cast());
        half(lo) | half(hi) << 16
    }
}

/// Bit k: `block[k]` is an ASCII capital.
#[cfg(not(target_arch = "x86_64"))]
fn capitals_mask(block: &[u8; 32]) -> u32 {
    capitals_mask_bytes(block)
}

/// `capitals_mask` a byte at a time.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn capitals_mask_bytes(block: &[u8; 32]) -> u32 {
    let mut capitals = 0u32;
    for (k, c) in block.iter().enumerate() {
        capitals |= u32::from(c.wrapping_sub(b'A') < 26) << k;
    }
    capitals
}

/// Whether a sentence starts at `at`, knowing whether one started at `from`: the last line
/// break or non-blank byte in between decides (a line break, or ".", "?", "!" before a blank).
fn sentence_state(bytes: &[u8], from: usize, at: usize, before: bool) -> bool {
    let Some(between) = bytes.get(from..at) else {
        return before;
    };
    let last = between
        .iter()
        .rposition(|&b| b == b'\n' || !b.is_ascii_whitespace());
    match last.and_then(|k| Some((k, *between.get(k)?))) {
        None => before,
        Some((_, b'\n')) => true,
        Some((k, b)) => {
            matches!(b, b'.' | b'?' | b'!')
                && bytes.get(from + k + 1).is_none_or(u8::is_ascii_whitespace)
        }
    }
}

fn label_at(text: &str, at: usize, sentence_start: bool) -> Option<Mark> {
    let rest = text.get(at..)?;
    // Inside a sentence only a label in capitals counts: give up early on "The", "We", ...
    if !sentence_start && !rest.as_bytes().get(1).is_some_and(u8::is_ascii_uppercase) {
        return None;
    }
    // At a sentence start, a first word with a small letter ("The", "Patients") can only begin
    // a known label: every form below needs the label known or in capitals, and a known one
    // begins with a first word of the vocabulary (`may_start_label`). Deciding that on the
    // first word spares the label span's scan at most sentence starts (the span was a tenth of
    // parsing 100k records, perf). An ASCII word only; others go the long way.
    let word_len = rest
        .bytes()
        .position(|b| b == b' ' || !ASCII_LABEL_BYTE[usize::from(b)])
        .unwrap_or(rest.len());
    let word = &rest[..word_len];
    if rest.as_bytes().get(word_len).is_none_or(u8::is_ascii)
        && word.bytes().any(|b| b.is_ascii_lowercase())
        && !may_start_label(word)
    {
        return None;
    }
    let mut end = rest.len().min(64);
    while !rest.is_char_boundary(end) {
        end -= 1;
    }
    let window = &rest[..end];
    // The run of characters a label can hold; what follows it decides the form.
    let span = label_span(window);
    let head = &window[..span];
    let after = &window[span..];
    let mark = |name: &str, text_start: usize, known: bool, weak: bool| Mark {
        start: at,
        text_start: at + text_start,
        label: normalize_label(name),
        known,
        weak,
    };
    // Colon form.
    if after.starts_with(':') && label_words(head) {
        let spaced = rest
            .get(span + 1..)
            .is_some_and(|a| a.starts_with([' ', '\n', '\r', '\t']));
        let known = is_known_label(head);
        let caps = is_capitals(head);
        if spaced && ((sentence_start && (known || caps)) || (caps && known)) {
            return Some(mark(head, span + 1, known, false));
        }
    }
    if !sentence_start {
        return None;
    }
    // Embase: "BACKGROUND. The management ...".
    if after.starts_with(". ") && label_words(head) && is_capitals(head) && is_known_label(head) {
        return Some(mark(head, span + 1, true, false));
    }
    // Emerald dash form: only known labels.
    if let Some(d) = find_spaced_dash(head) {
        let name = &head[..d];
        if label_words(name) && is_known_label(name) {
            return Some(mark(name, d + 3, true, false));
        }
    }
    if (after.starts_with("– ") || after.starts_with("— ")) && head.ends_with(' ') {
        let name = head.trim_end();
        if label_words(name) && is_known_label(name) {
            return Some(mark(name, span + 4, true, false));
        }
    }
    // Separators lost: "Results A total of ...": the longest known label before a capital.
    if !may_start_label(head) {
        return None;
    }
    // The first four words of `head` (as `head.split(' ')` gives them, up to an empty one),
    // found by a loop over bytes: `str::split`'s searcher was 2% of a 10k-record load.
    let bytes = head.as_bytes();
    let mut best = None;
    let mut start = 0;
    for _ in 0..4 {
        let rest = bytes.get(start..).unwrap_or_default();
        let len = rest.iter().position(|&b| b == b' ').unwrap_or(rest.len());
        if len == 0 {
            break;
        }
        let end = start + len;
        let next = window[end..].strip_prefix(' ');
        if next.is_some_and(|n| n.starts_with(char::is_uppercase)) && is_known_label(&window[..end])
        {
            best = Some(end);
        }
        start = end + 1;
    }
    best.map(|end| mark(&window[..end], end + 1, true, true))
}

/// Where " - " first occurs; `str::find` sets up a searcher per call, too slow per sentence.
fn find_spaced_dash(head: &str) -> Option<usize> {
    let b = head.as_bytes();
    memchr::memchr_iter(b'-', b)
        .find(|&p| p > 0 && b.get(p - 1) == Some(&b' ') && b.get(p + 1) == Some(&b' '))
        .map(|p| p - 1)
}

/// The length of the run of label characters `window` starts with.
fn label_span(window: &str) -> usize {
    let bytes = window.as_bytes();
    let mut i = 0;
    loop {
        // ASCII by table; the rare other character decoded.
        i += bytes
            .get(i..)
            .unwrap_or_default()
            .iter()
            .position(|&b| !ASCII_LABEL_BYTE[usize::from(b)])
            .unwrap_or(bytes.len() - i);
        match window.get(i..).and_then(|rest| rest.chars().next()) {
            Some(c) if !c.is_ascii() && is_label_char(c) => i += c.len_utf8(),
            _ => return i,
        }
    }
}

/// `is_label_char` for each ASCII byte; false for the bytes of other characters.
static ASCII_LABEL_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = (b as u8).is_ascii_alphabetic()
            || matches!(
                b as u8,
                b' ' | b'/' | b'&' | b'-' | b'\'' | b',' | b'(' | b')'
            );
        b += 1;
    }
    table
};

/// Whether the first word of `head` (up to a space) is the first word of a known label, a
/// quick test before trying its longer prefixes one by one. Words other than ASCII are let
/// through, for `is_known_label` to judge.
fn may_start_label(head: &str) -> bool {
    // The first word is a few bytes: a loop over them, not `str::split`'s searcher (2% of a
    // 10k-record load, callgrind).
    let word = &head[..head.bytes().position(|b| b == b' ').unwrap_or(head.len())];
    if !word.is_ascii() {
        return true;
    }
    let vocabulary = vocabulary();
    // Most sentences start with a word of a length and first letter no label's first word
    // has ("The", "We", "In"): turned away before the hash (`may_start_label` was 5% of a
    // 10k-record load, callgrind).
    let shape = word.as_bytes().first().map_or(0, |&b| first_letter_bit(b));
    if vocabulary
        .first_shapes
        .get(word.len())
        .is_none_or(|&shapes| shapes & shape == 0)
    {
        return false;
    }
    let mut buf = [0u8; LONGEST_LABEL];
    let Some(lower) = buf.get_mut(..word.len()) else {
        return false;
    };
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    vocabulary.first_words.contains(&*lower)
}

/// A bit for a word's first byte, either case: one per ASCII letter, one for anything else.
fn first_letter_bit(b: u8) -> u32 {
    let b = b.to_ascii_lowercase();
    if b.is_ascii_lowercase() {
        1 << (b - b'a')
    } else {
        1 << 31
    }
}

/// Longer than any label in the vocabulary, in bytes.
const LONGEST_LABEL: usize = 48;

/// The vocabulary's labels, their first words, and the shapes of those first words, for quick
/// look-ups (`is_known_label`, `may_start_label`).
struct Vocabulary {
    /// Hashed, as `first_words` (a binary search was 1.4% of a 10k-record load, callgrind).
    labels: std::collections::HashSet<&'static [u8], foldhash::fast::FixedState>,
    /// Hashed: a binary search here (a memcmp a step) was 5% of parsing abstracts, as every
    /// capitalised word that starts a sentence is looked up (`may_start_label`).
    first_words: std::collections::HashSet<&'static [u8], foldhash::fast::FixedState>,
    /// Per length of a first word (below `LONGEST_LABEL`): the `first_letter_bit`s of the
    /// first words of that length.
    first_shapes: [u32; LONGEST_LABEL],
}

fn vocabulary() -> &'static Vocabulary {
    static VOCABULARY_SETS: std::sync::OnceLock<Vocabulary> = std::sync::OnceLock::new();
    VOCABULARY_SETS.get_or_init(|| {
        let labels = VOCABULARY.iter().map(|v| v.as_bytes()).collect();
        let first_words: std::collections::HashSet<_, _> = VOCABULARY
            .iter()
            .map(|v| v.split(' ').next().unwrap_or(v).as_bytes())
            .collect();
        let mut first_shapes = [0u32; LONGEST_LABEL];
        for w in &first_words {
            if let (Some(shapes), Some(&b)) = (first_shapes.get_mut(w.len()), w.first()) {
                *shapes |= first_letter_bit(b);
            }
        }
        Vocabulary {
            labels,
            first_words,
            first_shapes,
        }
    })
}

fn is_label_char(c: char) -> bool {
    c.is_alphabetic() || matches!(c, ' ' | '/' | '&' | '-' | '\'' | ',' | '(' | ')')
}

/// A label has one to six words.
fn label_words(name: &str) -> bool {
    !name.trim().is_empty() && name.split_whitespace().count() <= 6
}

/// "RESULTS", "MAIN OUTCOME MEASURES": at least four capital letters and no small ones.
fn is_capitals(name: &str) -> bool {
    name.chars().filter(|c| c.is_uppercase()).count() >= 4 && !name.chars().any(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(s: &[Section]) -> Vec<Option<&str>> {
        s.iter().map(|x| x.label.as_deref()).collect()
    }

    #[test]
    fn pubmed_capitals() {
        let s = split(
            "BACKGROUND: Benchmarking is hard. RESULTS: We built modules. CONCLUSION: It works.",
        );
        assert_eq!(
            labels(&s),
            [Some("Background"), Some("Results"), Some("Conclusion")]
        );
        assert_eq!(s[0].text, "Benchmarking is hard.");
        assert_eq!(s[2].text, "It works.");
    }

    #[test]
    fn unknown_capitals_beside_known_label() {
        let s = split(
            "SUMMARY: We present X. AVAILABILITY: Free. SUPPLEMENTARY INFORMATION: A manual.",
        );
        assert_eq!(
            labels(&s),
            [
                Some("Summary"),
                Some("Availability"),
                Some("Supplementary information")
            ]
        );
        // Capitals alone, with no known label, do not make a structure.
        let s = split("WHO DATA: collected in 2001. It was fine.");
        assert_eq!(labels(&s), [None]);
    }

    #[test]
    fn emerald_dashes() {
        let s = split("Purpose - This paper studies X. Design/methodology/approach - A survey. Findings - It helps. Originality/value - First study.");
        assert_eq!(
            labels(&s),
            [
                Some("Purpose"),
                Some("Design/methodology/approach"),
                Some("Findings"),
                Some("Originality/value")
            ]
        );
        assert_eq!(s[1].text, "A survey.");
        assert_eq!(find_spaced_dash("a-b - c - d"), Some(3));
        assert_eq!(find_spaced_dash("- a -"), None);
    }

    #[test]
    fn sentence_case_labels() {
        let s = split("Objective: To test. Material and methods: 33 adults. Results: None.");
        assert_eq!(
            labels(&s),
            [
                Some("Objective"),
                Some("Material and methods"),
                Some("Results")
            ]
        );
    }

    #[test]
    fn colon_in_a_sentence_is_not_a_label() {
        let s = split("The odds ratio: 2.3 was high. Another finding: none. Mean: 4.");
        assert_eq!(labels(&s), [None]);
        assert_eq!(
            s[0].text,
            "The odds ratio: 2.3 was high. Another finding: none. Mean: 4."
        );
    }

    #[test]
    fn labels_on_their_own_lines() {
        let s = split("Background\r\nMI is common.\r\n\r\n\r\nMethod\r\nWe searched.\r\n\r\nSystematic review registration\r\nPROSPERO (CRD42015025246)");
        assert_eq!(
            labels(&s),
            [
                Some("Background"),
                Some("Method"),
                Some("Systematic review registration")
            ]
        );
        assert_eq!(s[2].text, "PROSPERO (CRD42015025246)");
    }

    #[test]
    fn unknown_heading_line_beside_known_ones() {
        let s = split("Purpose\nWe test.\n\nStudy Outline\nThree phases were run here.");
        assert_eq!(labels(&s), [Some("Purpose"), Some("Study outline")]);
    }

    #[test]
    fn embase_capitals_with_full_stop() {
        let s = split("BACKGROUND. The management is hard. METHODS. We looked.");
        assert_eq!(labels(&s), [Some("Background"), Some("Methods")]);
        assert_eq!(s[1].text, "We looked.");
    }

    #[test]
    fn lost_separators_only_beside_real_labels() {
        let s = split("Background Congenital CMV is common. Type of review Systematic review SEARCH STRATEGY: PubMed was searched. Results A total of 5280. Conclusions The evidence is weak.");
        assert_eq!(
            labels(&s),
            [
                Some("Background"),
                Some("Search strategy"),
                Some("Results"),
                Some("Conclusions")
            ]
        );
        assert_eq!(
            s[0].text,
            "Congenital CMV is common. Type of review Systematic review"
        );
        // Alone, such words are ordinary prose.
        let s = split("Results A and B differ. Methods The usual.");
        assert_eq!(labels(&s), [None]);
        // Known labels in capitals head the parts even without separators.
        let s = split("BACKGROUND Long-term use harms. OBJECTIVE To compare. RESULTS We found it.");
        assert_eq!(
            labels(&s),
            [Some("Background"), Some("Objective"), Some("Results")]
        );
        assert_eq!(s[1].text, "To compare.");
    }

    #[test]
    fn lead_text_before_first_label() {
        let s = split("A short lead. RESULTS: Good.");
        assert_eq!(labels(&s), [None, Some("Results")]);
    }

    #[test]
    fn capital_known_label_after_unpunctuated_text() {
        let s = split("BACKGROUND: registered as PROSPERO (CRD42015025246) RESULTS: fine");
        assert_eq!(labels(&s), [Some("Background"), Some("Results")]);
    }

    #[test]
    fn empty_and_plain() {
        assert!(split("  \n ").is_empty());
        let s = split("Plain text\nacross lines.");
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].text, "Plain text across lines.");
    }

    #[test]
    fn multibyte_text_near_labels_does_not_panic() {
        let s = split("Ünïcödé — ñ: x. RESULTS: ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü ü");
        assert_eq!(labels(&s), [None, Some("Results")]);
    }

    /// The byte-by-byte scan `inline_labels` replaced, kept to check that the jumps agree.
    fn inline_labels_reference(text: &str, marks: &mut Vec<Mark>) {
        let bytes = text.as_bytes();
        let mut i = 0;
        let mut sentence_start = true;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_whitespace() {
                if b == b'\n' {
                    sentence_start = true;
                }
                i += 1;
                continue;
            }
            if let Some(m) = marks.iter().find(|m| m.start == i) {
                // A label already found on its own line: go on after it.
                i = m.text_start.max(i + 1);
                sentence_start = true;
                continue;
            }
            let word_start = i == 0 || bytes[i - 1].is_ascii_whitespace();
            if word_start && b.is_ascii_uppercase() {
                if let Some(m) = label_at(text, i, sentence_start) {
                    i = m.text_start;
                    marks.push(m);
                    sentence_start = false;
                    continue;
                }
            }
            sentence_start = matches!(b, b'.' | b'?' | b'!')
                && bytes.get(i + 1).is_none_or(u8::is_ascii_whitespace);
            i += 1;
        }
    }

    fn marks_of(
        text: &str,
        inline: fn(&str, &mut Vec<Mark>),
    ) -> Vec<(usize, usize, String, bool, bool)> {
        let mut marks = line_labels(text);
        inline(text, &mut marks);
        marks
            .into_iter()
            .map(|m| (m.start, m.text_start, m.label, m.known, m.weak))
            .collect()
    }

    const PIECES: &[&str] = &[
        "RESULTS",
        "Results",
        "METHODS",
        "Methods",
        "Background",
        "BACKGROUND",
        "Design",
        "Main outcome measures",
        "AIM(S)",
        "Purpose",
        "Findings",
        "We",
        "the",
        "A",
        "AB",
        "HIV",
        "x",
        "ü",
        "\u{212a}EY FINDINGS",
        ":",
        ": ",
        ".",
        ". ",
        "?",
        "!",
        " ",
        " ",
        " ",
        "  ",
        "\n",
        "\r\n",
        "\n\n",
        " - ",
        "– ",
        "— ",
        "-",
        "(",
        ")",
        "2.3",
        ",",
    ];

    proptest::proptest! {
        #[test]
        fn jumping_scan_agrees_with_byte_scan(
            picks in proptest::collection::vec(0..PIECES.len(), 0..40)
        ) {
            let text: String = picks.iter().map(|&i| PIECES[i]).collect();
            proptest::prop_assert_eq!(
                marks_of(&text, inline_labels),
                marks_of(&text, inline_labels_reference)
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn capitals_mask_is_the_byte_loops(block in proptest::array::uniform32(proptest::num::u8::ANY)) {
            proptest::prop_assert_eq!(capitals_mask(&block), capitals_mask_bytes(&block));
        }
    }

    #[test]
    fn capitals_mask_at_the_edges() {
        let mut block = [0u8; 32];
        for b in 0..=255u8 {
            block[0] = b;
            block[31] = b;
            let want = if b.is_ascii_uppercase() {
                1 | 1 << 31
            } else {
                0
            };
            assert_eq!(capitals_mask(&block), want, "{b}");
        }
    }

    #[test]
    fn ascii_labels_normalise_alike() {
        let general = |label: &str| -> String {
            let lower = clean_text(label).to_lowercase();
            let mut chars = lower.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        };
        for label in [
            "BACKGROUND",
            "Main Outcome Measures",
            "  methods\t",
            "",
            " ",
            "A",
            "z",
            "RESULTS:",
            "Aim/Purpose",
            "x\u{7}y",
            "Design, setting",
        ] {
            assert_eq!(normalize_label(label), general(label), "{label:?}");
        }
        assert_eq!(normalize_label("ÉTUDE"), "Étude");
    }

    #[test]
    fn vocabulary_lookup() {
        assert!(VOCABULARY.iter().all(|v| v.len() < LONGEST_LABEL));
        assert!(VOCABULARY.iter().all(|v| is_known_label(v)));
        assert!(is_known_label(" MAIN OUTCOME MEASURES "));
        assert!(is_known_label("Aim(s)"));
        assert!(!is_known_label("Aim(s"));
        assert!(!is_known_label(&"a".repeat(100)));
        // U+212A KELVIN SIGN lowercases to an ASCII "k".
        assert!(is_known_label("\u{212a}ey findings"));
        assert!(may_start_label("Design, setting"));
        assert!(may_start_label("KEY Points"));
        assert!(!may_start_label("We found"));
        assert_eq!(label_span("Results: x"), 7);
        assert_eq!(label_span("Über uns 2"), 10);
        assert_eq!(label_span("ab–c"), 2);
        assert_eq!(label_span("ab"), 2);
        assert_eq!(label_span(""), 0);
        for b in 0..128u8 {
            assert_eq!(
                ASCII_LABEL_BYTE[usize::from(b)],
                is_label_char(char::from(b))
            );
        }
        assert_eq!(next_capital_word(b"a b Cd E", 0, 8), Some(4));
        assert_eq!(next_capital_word(b"a b Cd E", 5, 8), Some(7));
        assert_eq!(next_capital_word(b"a b Cd E", 5, 7), None);
        let long = format!("{}X {} Yes", "x".repeat(40), "y".repeat(40));
        assert_eq!(next_capital_word(long.as_bytes(), 0, long.len()), Some(83));
    }

    /// The length-and-letter test before the hash turns away no first word of a label.
    #[test]
    fn first_shapes_keep_every_first_word() {
        let reference = |head: &str| {
            let word = head.split(' ').next().unwrap_or("");
            !word.is_ascii()
                || vocabulary()
                    .first_words
                    .contains(word.to_ascii_lowercase().as_bytes())
        };
        let mut words: Vec<String> = VOCABULARY
            .iter()
            .flat_map(|v| {
                let w = v.split(' ').next().unwrap_or(v);
                [
                    w.to_string(),
                    w.to_ascii_uppercase(),
                    format!("{w} more"),
                    format!("{w}x"),
                ]
            })
            .collect();
        words.extend(
            [
                "The", "We", "In", "A", "", " ", "Patients", "Résumé", "9 cases", "Aim:",
            ]
            .map(String::from),
        );
        for w in &words {
            assert_eq!(may_start_label(w), reference(w), "{w:?}");
        }
        assert!(may_start_label("RESULTS") && may_start_label("Patients and"));
        assert!(!may_start_label("The") && !may_start_label("We"));
    }

    /// The first-word shortcut at a sentence start: a known label whose first word has small
    /// letters still counts, in every form; a sentence opening with any other such word is not
    /// a label, even before a colon.
    #[test]
    fn a_first_word_with_small_letters_must_begin_a_known_label() {
        let s = split("Intro text here. Patients and methods: We enrolled 40. The results: good.");
        assert_eq!(labels(&s), [None, Some("Patients and methods")]);
        assert!(s[1].text.ends_with("The results: good."));
        let s = split("Objective - To test. Results A total of 12 were seen.");
        assert_eq!(labels(&s), [Some("Objective"), Some("Results")]);
        let s = split("Résumé: fine. Background: more.");
        assert_eq!(labels(&s).last(), Some(&Some("Background")));
    }

    #[test]
    fn jumping_scan_agrees_on_the_test_abstracts() {
        for text in [
            "BACKGROUND: Benchmarking is hard. RESULTS: We built modules. CONCLUSION: It works.",
            "Background\r\nMI is common.\r\n\r\n\r\nMethod\r\nWe searched.\r\n\r\nSystematic review registration\r\nPROSPERO (CRD42015025246)",
            "Background Congenital CMV is common. Type of review Systematic review SEARCH STRATEGY: PubMed was searched. Results A total of 5280. Conclusions The evidence is weak.",
            "Purpose\nWe test.\n\nStudy Outline\nThree phases were run here.",
            "BACKGROUND: registered as PROSPERO (CRD42015025246) RESULTS: fine",
        ] {
            assert_eq!(
                marks_of(text, inline_labels),
                marks_of(text, inline_labels_reference)
            );
        }
    }
}
