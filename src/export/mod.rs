//! Writing records out: RIS, BibTeX, CSL-JSON and Markdown, each accepted by other tools.

use crate::record::Record;

pub mod bibtex;
pub mod csl_json;
pub mod markdown;
pub mod ris;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Ris,
    Bibtex,
    CslJson,
    Markdown,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Ris => "ris",
            ExportFormat::Bibtex => "bib",
            ExportFormat::CslJson => "json",
            ExportFormat::Markdown => "md",
        }
    }
}

/// The records in the given format, as one string ready to write.
pub fn export(format: ExportFormat, records: &[&Record]) -> String {
    match format {
        ExportFormat::Ris => ris::write(records),
        ExportFormat::Bibtex => bibtex::write(records),
        ExportFormat::CslJson => csl_json::write(records),
        ExportFormat::Markdown => markdown::write(records),
    }
}
