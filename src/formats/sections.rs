//! Splits a structured abstract that arrives as labelled text into sections.
//! PLACEHOLDER: being written; until then the whole text is one unlabelled section.

use crate::record::{clean_text, Section};

pub fn split(text: &str) -> Vec<Section> {
    let text = clean_text(text);
    if text.is_empty() {
        return Vec::new();
    }
    vec![Section { label: None, text }]
}
