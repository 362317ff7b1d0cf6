//! PLACEHOLDER: being written; until then the file is reported as unsupported.

use super::Parsed;
use crate::diagnostic::Diagnostic;

pub fn parse(_text: &str, path: &str) -> Parsed {
    Parsed {
        records: Vec::new(),
        diagnostics: vec![Diagnostic::error(
            path,
            0,
            "this format is not supported yet (endnote_xml)",
        )],
    }
}
