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
    let lower = label.trim().to_lowercase();
    VOCABULARY.contains(&lower.as_str())
}

/// "BACKGROUND" / "Main Outcome Measures" -> "Background" / "Main outcome measures".
pub fn normalize_label(label: &str) -> String {
    let lower = clean_text(label).to_lowercase();
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
    // Capitalised and unseparated labels count only beside a known, separated one.
    if !marks.iter().any(|m| m.known && !m.weak) {
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
    if !text.contains('\n') {
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
fn inline_labels(text: &str, marks: &mut Vec<Mark>) {
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
        sentence_start =
            matches!(b, b'.' | b'?' | b'!') && bytes.get(i + 1).is_none_or(u8::is_ascii_whitespace);
        i += 1;
    }
}

fn label_at(text: &str, at: usize, sentence_start: bool) -> Option<Mark> {
    let rest = text.get(at..)?;
    let mut end = rest.len().min(64);
    while !rest.is_char_boundary(end) {
        end -= 1;
    }
    let window = &rest[..end];
    // Colon form.
    if let Some(colon) = window.find(':') {
        let name = &window[..colon];
        let after = rest.get(colon + 1..)?;
        if label_chars(name) && after.starts_with([' ', '\n', '\r', '\t']) {
            let known = is_known_label(name);
            let caps = is_capitals(name);
            let accept = (sentence_start && (known || caps)) || (caps && known);
            if accept {
                let text_start = at + colon + 1;
                return Some(Mark {
                    start: at,
                    text_start,
                    label: normalize_label(name),
                    known,
                    weak: false,
                });
            }
        }
    }
    if !sentence_start {
        return None;
    }
    // Embase: "BACKGROUND. The management ...".
    if let Some(dot) = window.find(". ") {
        let name = &window[..dot];
        if label_chars(name) && is_capitals(name) && is_known_label(name) {
            return Some(Mark {
                start: at,
                text_start: at + dot + 1,
                label: normalize_label(name),
                known: true,
                weak: false,
            });
        }
    }
    // Emerald dash form: only known labels.
    for dash in [" - ", " – ", " — "] {
        if let Some(d) = window.find(dash) {
            let name = &window[..d];
            if label_chars(name) && is_known_label(name) {
                return Some(Mark {
                    start: at,
                    text_start: at + d + dash.len(),
                    label: normalize_label(name),
                    known: true,
                    weak: false,
                });
            }
        }
    }
    // Separators lost: "Results A total of ...": the longest known label before a capital.
    let mut best = None;
    let mut end = 0;
    for (n, word) in window.split(' ').enumerate() {
        if n >= 4 || word.is_empty() {
            break;
        }
        end += word.len();
        let next = window[end..].strip_prefix(' ');
        if let Some(next) = next {
            if next.starts_with(|c: char| c.is_uppercase()) && is_known_label(&window[..end]) {
                best = Some(end);
            }
        }
        end += 1;
    }
    best.map(|end| Mark {
        start: at,
        text_start: at + end + 1,
        label: normalize_label(&window[..end]),
        known: true,
        weak: true,
    })
}

/// Letters, spaces and the joiners used in labels ("Design/methodology/approach", "Authors'").
fn label_chars(name: &str) -> bool {
    !name.is_empty()
        && name.split_whitespace().count() <= 6
        && name.chars().all(|c| {
            c.is_alphabetic() || matches!(c, ' ' | '/' | '&' | '-' | '\'' | ',' | '(' | ')')
        })
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
}
