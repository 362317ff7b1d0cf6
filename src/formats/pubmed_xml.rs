//! PubMed XML (PubmedArticleSet/PubmedArticle/MedlineCitation), read with quick-xml.
//!
//! Also home of the small element tree both XML readers use (EndNote XML too): each record
//! element is collected as a tree, and after an XML error reading resumes at the next record.

use super::{sections, Format, Parsed};
use crate::diagnostic::Diagnostic;
use crate::library;
use crate::record::{
    bare_doi, clean_text, month_number, normalize_pages, Author, Kind, Record, Section,
};
use quick_xml::events::Event;
use quick_xml::Reader;

pub fn parse(text: &str, path: &str) -> Parsed {
    let (elements, diagnostics) = read_records(text, "PubmedArticle", path);
    let records = elements.iter().map(|e| to_record(e, path)).collect();
    Parsed {
        records,
        diagnostics,
    }
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
    /// 1-based line of the start tag.
    pub line: usize,
}

#[derive(Debug, Clone)]
pub(crate) enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn elements(&self) -> impl Iterator<Item = &Element> + '_ {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    pub fn children_named<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Element> + 's {
        self.elements().filter(move |e| e.name == name)
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// The element at a path of child names.
    pub fn at(&self, path: &[&str]) -> Option<&Element> {
        path.iter().try_fold(self, |e, name| e.child(name))
    }

    /// All text inside, markup dropped, as clean prose.
    pub fn text(&self) -> String {
        let mut s = String::new();
        self.collect_text(&mut s);
        clean_text(&s)
    }

    fn collect_text(&self, out: &mut String) {
        for n in &self.children {
            match n {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => e.collect_text(out),
            }
        }
    }

    /// Text at a path, None when absent or empty.
    pub fn text_at(&self, path: &[&str]) -> Option<String> {
        self.at(path).map(Element::text).filter(|t| !t.is_empty())
    }

    fn push_text(&mut self, t: &str) {
        if let Some(Node::Text(last)) = self.children.last_mut() {
            last.push_str(t);
        } else {
            self.children.push(Node::Text(t.to_string()));
        }
    }

    /// Whitespace with a line break just before an end tag is layout, not text
    /// ("<i>BRCA2\n</i>)" reads "BRCA2)").
    fn trim_layout_end(&mut self) {
        if let Some(Node::Text(last)) = self.children.last_mut() {
            let trimmed = last.trim_end();
            if last[trimmed.len()..].contains('\n') {
                let keep = trimmed.len();
                last.truncate(keep);
            }
        }
    }
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
        .collect()
}

fn line_of(lines: &[usize], pos: usize) -> usize {
    match lines.binary_search(&pos) {
        Ok(i) => i + 1,
        Err(i) => i,
    }
}

/// The next `<tag>` or `<tag ...>` at or after `from`.
fn find_start_tag(text: &str, tag: &str, from: usize) -> Option<usize> {
    let open = format!("<{tag}");
    let mut p = from;
    while let Some(i) = text.get(p..)?.find(&open) {
        let at = p + i;
        let next = text.as_bytes().get(at + open.len()).copied();
        if matches!(next, Some(b'>') | Some(b'/')) || next.is_some_and(|b| b.is_ascii_whitespace())
        {
            return Some(at);
        }
        p = at + open.len();
    }
    None
}

fn element_from(e: &quick_xml::events::BytesStart<'_>, line: usize) -> Element {
    let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
    let attrs = e
        .attributes()
        .flatten()
        .map(|a| {
            let key = String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned();
            let value = a
                .unescape_value()
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| String::from_utf8_lossy(&a.value).into_owned());
            (key, value)
        })
        .collect();
    Element {
        name,
        attrs,
        children: Vec::new(),
        line,
    }
}

/// Every `record_tag` element in the document, as trees. An XML error skips the record it
/// is in (with a diagnostic naming the line) and reading resumes at the next record.
pub(crate) fn read_records(
    text: &str,
    record_tag: &str,
    path: &str,
) -> (Vec<Element>, Vec<Diagnostic>) {
    let lines = line_starts(text);
    let mut records = Vec::new();
    let mut diagnostics = Vec::new();
    let mut base = 0usize;
    'outer: while let Some(slice) = text.get(base..) {
        let mut reader = Reader::from_str(slice);
        // After a resync the enclosing start tags were not seen; their end tags are fine.
        reader.config_mut().allow_unmatched_ends = true;
        let mut stack: Vec<Element> = Vec::new();
        loop {
            let at = base + reader.buffer_position() as usize;
            let event = match reader.read_event() {
                Ok(ev) => ev,
                Err(e) => {
                    let err_at = base + reader.error_position() as usize;
                    let err_line = line_of(&lines, err_at);
                    let (line, what) = match stack.first() {
                        Some(r) => (
                            r.line,
                            format!(
                                "the <{record_tag}> record starting at line {} is skipped",
                                r.line
                            ),
                        ),
                        None => (err_line, "reading resumes at the next record".to_string()),
                    };
                    diagnostics.push(Diagnostic::error(
                        path,
                        line,
                        format!("XML error at line {err_line}: {e}; {what}"),
                    ));
                    match find_start_tag(text, record_tag, err_at.max(at) + 1) {
                        Some(next) => {
                            base = next;
                            continue 'outer;
                        }
                        None => break 'outer,
                    }
                }
            };
            match event {
                Event::Start(e) => {
                    let el = element_from(&e, line_of(&lines, at));
                    if el.name == record_tag {
                        if let Some(open) = stack.first() {
                            diagnostics.push(Diagnostic::error(
                                path,
                                open.line,
                                format!(
                                    "the <{record_tag}> record starting at line {} is not closed before the next one (line {}); skipped",
                                    open.line, el.line
                                ),
                            ));
                            // A fresh reader from here: quick-xml's nesting check would
                            // otherwise fail at the end of the document.
                            base = at;
                            continue 'outer;
                        }
                        stack.push(el);
                    } else if !stack.is_empty() {
                        stack.push(el);
                    }
                }
                Event::Empty(e) => {
                    let el = element_from(&e, line_of(&lines, at));
                    if let Some(top) = stack.last_mut() {
                        top.children.push(Node::Element(el));
                    } else if el.name == record_tag {
                        records.push(el);
                    }
                }
                Event::End(_) => {
                    if let Some(mut el) = stack.pop() {
                        el.trim_layout_end();
                        match stack.last_mut() {
                            Some(parent) => parent.children.push(Node::Element(el)),
                            None => records.push(el),
                        }
                    }
                }
                Event::Text(t) => {
                    if let Some(top) = stack.last_mut() {
                        let s = t.decode().map(|c| c.into_owned()).unwrap_or_default();
                        top.push_text(&s);
                    }
                }
                Event::CData(t) => {
                    if let Some(top) = stack.last_mut() {
                        top.push_text(&String::from_utf8_lossy(&t));
                    }
                }
                Event::GeneralRef(r) => {
                    if let Some(top) = stack.last_mut() {
                        let name = String::from_utf8_lossy(&r).into_owned();
                        let resolved = match r.resolve_char_ref() {
                            Ok(Some(c)) => c.to_string(),
                            _ => quick_xml::escape::resolve_predefined_entity(&name)
                                .map_or_else(|| format!("&{name};"), str::to_string),
                        };
                        top.push_text(&resolved);
                    }
                }
                Event::Eof => {
                    if let Some(open) = stack.first() {
                        diagnostics.push(Diagnostic::error(
                            path,
                            open.line,
                            format!(
                                "the file ends inside the <{record_tag}> record starting at line {}; it is skipped",
                                open.line
                            ),
                        ));
                    }
                    break 'outer;
                }
                _ => {}
            }
        }
    }
    (records, diagnostics)
}

/// "1751-7" (MEDLINE's abbreviated range) -> "1751-1757".
fn expand_pages(p: &str) -> String {
    if let Some((a, b)) = p.split_once('-') {
        if b.len() < a.len()
            && !b.is_empty()
            && a.bytes().all(|c| c.is_ascii_digit())
            && b.bytes().all(|c| c.is_ascii_digit())
        {
            return format!("{a}-{}{b}", &a[..a.len() - b.len()]);
        }
    }
    p.to_string()
}

/// PubDate: Year/Month/Day, or MedlineDate such as "1998 Dec-1999 Jan".
fn pub_date(d: &Element) -> Option<String> {
    let (year, month, day) = match d.text_at(&["Year"]) {
        Some(y) => (y, d.text_at(&["Month"]), d.text_at(&["Day"])),
        None => {
            let m = d.text_at(&["MedlineDate"])?;
            let mut words = m.split([' ', '-']);
            let y = words.next()?.to_string();
            (y, words.next().map(str::to_string), None)
        }
    };
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let month = month.and_then(|m| {
        m.parse::<u32>()
            .ok()
            .filter(|n| (1..=12).contains(n))
            .or_else(|| month_number(&m))
    });
    let day = day
        .and_then(|d| d.parse::<u32>().ok())
        .filter(|d| (1..=31).contains(d));
    Some(match (month, day) {
        (Some(m), Some(d)) => format!("{year}-{m:02}-{d:02}"),
        (Some(m), None) => format!("{year}-{m:02}"),
        _ => year,
    })
}

fn author(a: &Element) -> Option<Author> {
    let mut author = if let Some(c) = a.text_at(&["CollectiveName"]) {
        Author {
            name: c.clone(),
            family: Some(c),
            given: None,
            affiliations: Vec::new(),
        }
    } else {
        let last = a.text_at(&["LastName"]).unwrap_or_default();
        let given = a
            .text_at(&["ForeName"])
            .or_else(|| a.text_at(&["Initials"]))
            .unwrap_or_default();
        Author::from_parts(&last, &given)
    };
    author.affiliations = a
        .children_named("AffiliationInfo")
        .filter_map(|i| i.text_at(&["Affiliation"]))
        .collect();
    (!author.name.is_empty()).then_some(author)
}

fn to_record(article: &Element, path: &str) -> Record {
    let mut r = Record::new(library::source(path, Format::PubmedXml, article.line));
    r.kind = Kind::Article;
    let empty = Element::default();
    let citation = article.child("MedlineCitation").unwrap_or(&empty);
    let art = citation.child("Article").unwrap_or(&empty);
    r.pmid = citation.text_at(&["PMID"]);
    r.title = art
        .text_at(&["ArticleTitle"])
        .or_else(|| art.text_at(&["VernacularTitle"]));
    r.authors = art
        .child("AuthorList")
        .map(|l| l.children_named("Author").filter_map(author).collect())
        .unwrap_or_default();
    let journal = art.child("Journal").unwrap_or(&empty);
    r.container = journal
        .text_at(&["Title"])
        .or_else(|| journal.text_at(&["ISOAbbreviation"]));
    r.volume = journal.text_at(&["JournalIssue", "Volume"]);
    r.issue = journal.text_at(&["JournalIssue", "Issue"]);
    r.date = journal.at(&["JournalIssue", "PubDate"]).and_then(pub_date);
    r.fill_year_from_date();
    r.issn = journal
        .children_named("ISSN")
        .map(Element::text)
        .chain(citation.text_at(&["MedlineJournalInfo", "ISSNLinking"]))
        .filter(|s| !s.is_empty())
        .fold(Vec::new(), |mut v, s| {
            if !v.contains(&s) {
                v.push(s);
            }
            v
        });
    r.pages = art
        .text_at(&["Pagination", "MedlinePgn"])
        .and_then(|p| normalize_pages(&p))
        .map(|p| expand_pages(&p));
    r.doi = art
        .children_named("ELocationID")
        .find(|e| e.attr("EIdType") == Some("doi"))
        .map(Element::text)
        .or_else(|| {
            article
                .at(&["PubmedData", "ArticleIdList"])?
                .children_named("ArticleId")
                .find(|e| e.attr("IdType") == Some("doi"))
                .map(Element::text)
        })
        .and_then(|d| bare_doi(&d));
    if let Some(abs) = art.child("Abstract") {
        let parts: Vec<&Element> = abs.children_named("AbstractText").collect();
        if parts.iter().any(|p| p.attr("Label").is_some()) {
            r.abstract_sections = parts
                .iter()
                .map(|p| Section {
                    // "RESULTS" -> "Results", as every importer names sections.
                    label: p
                        .attr("Label")
                        .map(sections::normalize_label)
                        .filter(|l| !l.is_empty()),
                    text: p.text(),
                })
                .filter(|s| !s.text.is_empty())
                .collect();
        } else {
            let joined: Vec<String> = parts.iter().map(|p| p.text()).collect();
            r.abstract_sections = sections::split(&joined.join(" "));
        }
    }
    r.keywords = citation
        .children_named("KeywordList")
        .flat_map(|l| l.children_named("Keyword"))
        .map(Element::text)
        .filter(|k| !k.is_empty())
        .collect();
    r.subjects = citation
        .child("MeshHeadingList")
        .map(|l| {
            l.children_named("MeshHeading")
                .filter_map(|h| h.text_at(&["DescriptorName"]))
                .collect()
        })
        .unwrap_or_default();
    let types: Vec<String> = art
        .child("PublicationTypeList")
        .map(|l| {
            l.children_named("PublicationType")
                .map(Element::text)
                .collect()
        })
        .unwrap_or_default();
    r.paper_type = (!types.is_empty()).then(|| types.join("; "));
    r.language = art.text_at(&["Language"]);
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = r#"<PubmedArticle><MedlineCitation><PMID>1</PMID><Article>
<Journal><ISSN>1234-5678</ISSN><JournalIssue><Volume>5</Volume><PubDate><MedlineDate>1998 Dec-1999 Jan</MedlineDate></PubDate></JournalIssue><Title>J</Title></Journal>
<ArticleTitle>The <i>BRCA2</i> gene &amp; you</ArticleTitle><Pagination><MedlinePgn>1751-7</MedlinePgn></Pagination>
<Abstract><AbstractText Label="BACKGROUND">Why.</AbstractText><AbstractText Label="RESULTS">What.</AbstractText></Abstract>
<AuthorList><Author><CollectiveName>The Group</CollectiveName></Author><Author><LastName>Ng</LastName><Initials>AB</Initials></Author></AuthorList>
</Article></MedlineCitation></PubmedArticle>"#;

    #[test]
    fn fields_from_one_article() {
        let p = parse(
            &format!("<PubmedArticleSet>\n{ONE}\n</PubmedArticleSet>"),
            "t.xml",
        );
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let r = &p.records[0];
        assert_eq!(r.source.line, 2);
        assert_eq!(r.title.as_deref(), Some("The BRCA2 gene & you"));
        assert_eq!(r.date.as_deref(), Some("1998-12"));
        assert_eq!(r.pages.as_deref(), Some("1751-1757"));
        assert_eq!(r.authors[0].name, "The Group");
        assert_eq!(r.authors[1].name, "AB Ng");
        assert_eq!(r.abstract_sections[1].label.as_deref(), Some("Results"));
        assert_eq!(r.findings(), Some("What."));
    }

    #[test]
    fn broken_xml_skips_one_record_and_the_rest_loads() {
        let broken = ONE.replace(
            "<ArticleTitle>The <i>BRCA2</i>",
            "<ArticleTitle>The <i>BRCA2",
        );
        let text = format!("<PubmedArticleSet>\n{ONE}\n{broken}\n{ONE}\n</PubmedArticleSet>\n");
        let p = parse(&text, "t.xml");
        assert_eq!(p.records.len(), 2, "{:?}", p.diagnostics);
        assert_eq!(p.records[1].source.line, 14);
        assert_eq!(p.diagnostics.len(), 1, "{:?}", p.diagnostics);
        assert_eq!(p.diagnostics[0].line, 8);
        assert!(
            p.diagnostics[0].message.contains("line 10"),
            "{}",
            p.diagnostics[0].message
        );
    }

    #[test]
    fn truncated_file() {
        let text =
            format!("<PubmedArticleSet>\n{ONE}\n<PubmedArticle><MedlineCitation><PMID>2</PMID>");
        let p = parse(&text, "t.xml");
        assert_eq!(p.records.len(), 1);
        assert_eq!(p.diagnostics.len(), 1);
        assert_eq!(p.diagnostics[0].line, 8);
    }
}
