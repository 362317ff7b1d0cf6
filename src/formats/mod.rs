//! One module per input format: `parse(text, path) -> Parsed`. Parsers are pure: they never
//! print, panic or exit, and one bad record never loses the others.

use crate::diagnostic::Diagnostic;
use crate::record::Record;

pub mod article_page;
pub mod bibtex;
pub mod csl_json;
pub mod endnote_xml;
pub mod medline;
pub mod pubmed_xml;
pub mod record_page;
pub mod results_page;
pub mod ris;
pub mod sections;
pub mod wos;

#[derive(Debug, Default)]
pub struct Parsed {
    pub records: Vec<Record>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    ArticlePage,
    ResultsPage,
    RecordPage,
    Ris,
    Bibtex,
    Medline,
    PubmedXml,
    Wos,
    CslJson,
    EndnoteXml,
}

impl Format {
    pub const ALL: [Format; 10] = [
        Format::ArticlePage,
        Format::ResultsPage,
        Format::RecordPage,
        Format::Ris,
        Format::Bibtex,
        Format::Medline,
        Format::PubmedXml,
        Format::Wos,
        Format::CslJson,
        Format::EndnoteXml,
    ];

    /// The name used in `source.format` and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::ArticlePage => "article-page",
            Format::ResultsPage => "results-page",
            Format::RecordPage => "record-page",
            Format::Ris => "ris",
            Format::Bibtex => "bibtex",
            Format::Medline => "medline",
            Format::PubmedXml => "pubmed-xml",
            Format::Wos => "wos",
            Format::CslJson => "csl-json",
            Format::EndnoteXml => "endnote-xml",
        }
    }

    pub fn parse(self, text: &str, path: &str) -> Parsed {
        match self {
            Format::ArticlePage => article_page::parse(text, path),
            Format::ResultsPage => results_page::parse(text, path),
            Format::RecordPage => record_page::parse(text, path),
            Format::Ris => ris::parse(text, path),
            Format::Bibtex => bibtex::parse(text, path),
            Format::Medline => medline::parse(text, path),
            Format::PubmedXml => pubmed_xml::parse(text, path),
            Format::Wos => wos::parse(text, path),
            Format::CslJson => csl_json::parse(text, path),
            Format::EndnoteXml => endnote_xml::parse(text, path),
        }
    }
}

/// Detects the format from the content (never the file name). `text` has no BOM.
pub fn detect(text: &str) -> Option<Format> {
    let head: String = text.chars().take(4000).collect();
    let trimmed = head.trim_start();
    if trimmed.starts_with('[') || trimmed.starts_with('{') {
        return Some(Format::CslJson);
    }
    if trimmed.starts_with('<') {
        if head.contains("<PubmedArticle") || head.contains("<!DOCTYPE PubmedArticleSet") {
            return Some(Format::PubmedXml);
        }
        if head.contains("<xml>") || head.contains("<records>") || head.contains("<record>") {
            return Some(Format::EndnoteXml);
        }
        return None;
    }
    let lines: Vec<&str> = head.lines().take(80).collect();
    // WoS: the "FN" header, or (when it was cut off) a "PT J" line among two-letter tags; the
    // first record's UT may lie beyond the head, as the cited references come before it.
    let wos_pt = |l: &&str| matches!(l.trim_end(), "PT J" | "PT B" | "PT S" | "PT P");
    let wos_tag = |l: &&str| {
        ["AU ", "AF ", "TI ", "SO ", "UT "]
            .iter()
            .any(|t| l.starts_with(t))
    };
    if lines
        .iter()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| l.starts_with("FN "))
        || lines.iter().any(wos_pt) && lines.iter().any(wos_tag)
    {
        return Some(Format::Wos);
    }
    if lines.iter().any(|l| is_ris_line(l, "TY")) {
        return Some(Format::Ris);
    }
    if lines.iter().any(|l| l.starts_with("PMID-")) {
        return Some(Format::Medline);
    }
    if trimmed.starts_with('@') || looks_like_bibtex(text) {
        return Some(Format::Bibtex);
    }
    if head.contains("相关论文")
        || head.contains("关键词")
        || head.contains("被引:")
        || head.contains("被引：")
        || head.contains("作者\n")
    {
        return Some(Format::RecordPage);
    }
    if lines.iter().any(|l| l.starts_with("Publication date: ")) {
        return Some(Format::ResultsPage);
    }
    // Article pages glue labels to values: "Published date09 May 2016", "DOIhttps://...".
    if lines.iter().any(|l| {
        l.strip_prefix("Published date").is_some_and(|v| {
            v.trim_start_matches([':', ' '])
                .starts_with(|c: char| c.is_ascii_alphanumeric())
        }) || l.starts_with("DOIhttp")
            || l.starts_with("DOI10.")
    }) {
        return Some(Format::ArticlePage);
    }
    None
}

/// A line "@type{" or "@type(" within the first 64 KiB: BibTeX files often open with a long
/// '%' comment header (typeset.bib's is 160 lines).
fn looks_like_bibtex(text: &str) -> bool {
    let mut end = text.len().min(64 * 1024);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].lines().any(|l| {
        let Some(rest) = l.trim_start().strip_prefix('@') else {
            return false;
        };
        let name_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        name_len > 0 && rest[name_len..].trim_start().starts_with(['{', '('])
    })
}

/// "TY  - JOUR" and the vendor variants ("1. TY  - ", missing spaces before the dash).
fn is_ris_line(line: &str, tag: &str) -> bool {
    let l = line.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ');
    l.starts_with(tag) && l[tag.len()..].trim_start().starts_with('-')
}
