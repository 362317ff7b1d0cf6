//! Bad input through `library::parse_bytes`: each case asserts the exact diagnostic a person
//! sees, that nothing panics, and that whatever can be read is still loaded.

use litbrowse::formats::Parsed;
use litbrowse::library::{self, SourceReport, SEEDS};

const ARTICLE: &str = SEEDS[0].1;
const RESULTS: &str = SEEDS[1].1;
const RECORD: &str = SEEDS[2].1;

fn read(path: &str, bytes: &[u8]) -> (SourceReport, Parsed, Vec<String>) {
    let (rep, parsed) = library::parse_bytes(path, bytes);
    let diags = parsed.diagnostics.iter().map(|d| d.to_string()).collect();
    (rep, parsed, diags)
}

/// The first `n` lines of a text, each with its line end.
fn first_lines(text: &str, n: usize) -> String {
    text.split_inclusive('\n').take(n).collect()
}

#[test]
fn unknown_format() {
    let (rep, p, diags) = read(
        "notes.txt",
        b"Dear colleague,\nplease find the papers below.\n",
    );
    assert_eq!(
        diags,
        ["notes.txt:1: error: unrecognised format (not RIS, BibTeX, MEDLINE, PubMed XML, Web of Science, CSL-JSON, EndNote XML or a known page); it begins \"Dear colleague,\""]
    );
    assert_eq!((rep.format, rep.records, p.records.len()), (None, 0, 0));
}

#[test]
fn empty_file() {
    for bytes in [&b""[..], b"  \n\n\t \r\n"] {
        let (rep, p, diags) = read("empty.txt", bytes);
        assert_eq!(
            diags,
            ["empty.txt: error: the file is empty: no records to read"]
        );
        assert_eq!((rep.format, p.records.len()), (None, 0));
    }
}

#[test]
fn binary_file() {
    let mut bytes = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    bytes.extend_from_slice(&[0, 1, 2, 3, 0xff, 0]);
    let (rep, p, diags) = read("paper.pdf", &bytes);
    assert_eq!(
        diags,
        ["paper.pdf:3: error: this looks like a binary file (NUL byte at offset 15), not a text export; skipped"]
    );
    assert_eq!((rep.format, p.records.len()), (None, 0));
}

#[test]
fn a_nul_after_the_first_8000_bytes_is_not_binary() {
    let mut bytes = RESULTS.as_bytes().to_vec();
    bytes.push(0);
    let (rep, p, _) = read("results.txt", &bytes);
    assert_eq!(rep.format, Some("results-page"));
    assert_eq!(p.records.len(), 10);
}

#[test]
fn invalid_utf8_in_a_results_page_is_repaired_and_read() {
    // A Latin-1 "é" (0xE9) in the first author's name, on line 7.
    let text = RESULTS.replacen("Julie Repper", "Julie R\u{1}pper", 1);
    let bytes: Vec<u8> = text
        .bytes()
        .map(|b| if b == 1 { 0xe9 } else { b })
        .collect();
    let (rep, p, diags) = read("latin1.txt", &bytes);
    assert_eq!(
        diags,
        ["latin1.txt:7: warning: invalid UTF-8 at byte offset 86; the bad bytes are shown as \u{FFFD} and the rest is read"]
    );
    assert_eq!(
        (rep.format, rep.warnings, rep.errors),
        (Some("results-page"), 1, 0)
    );
    assert_eq!(p.records.len(), 10);
    assert_eq!(p.records[0].authors[0].name, "Julie R\u{FFFD}pper");
    assert_eq!(p.records[0].views, Some(499));
}

#[test]
fn a_results_page_cut_mid_record() {
    // Cut inside the fifth result's (the book chapter's) teaser.
    let cut = first_lines(RESULTS, 147);
    let (rep, p, diags) = read("cut.txt", cut.as_bytes());
    assert_eq!(
        diags,
        [
            "cut.txt:3: warning: the page lists results 1–10 but only 5 were found; the page may be cut short",
            "cut.txt:142: warning: the page ends before its closing \"1 – 10 of …\" line; this result may be incomplete"
        ]
    );
    assert_eq!((rep.records, rep.warnings, rep.errors), (5, 2, 0));
    let views: Vec<Option<u64>> = p.records.iter().map(|r| r.views).collect();
    assert_eq!(views, [Some(499), None, None, None, None]);
    let last = &p.records[4];
    assert_eq!(last.date.as_deref(), Some("2022-04-28"));
    assert_eq!(last.authors.len(), 2);
    assert!(last.teaser.is_some());
    assert!(last.abstract_sections.is_empty());
    assert_eq!(last.container, None);
    assert_eq!(
        p.records[3].container, None,
        "the fourth result really has no Details"
    );
    assert_eq!(p.records[2].volume.as_deref(), Some("10"));
}

#[test]
fn a_results_page_cut_right_after_a_type_and_date() {
    let cut = first_lines(RESULTS, 40);
    let (_, p, diags) = read("cut.txt", cut.as_bytes());
    assert_eq!(
        diags,
        [
            "cut.txt:39: warning: this result has no authors, text or details; skipped",
            "cut.txt:3: warning: the page lists results 1–10 but only 2 were found; the page may be cut short",
            "cut.txt:39: warning: the page ends before its closing \"1 – 10 of …\" line; this result may be incomplete"
        ]
    );
    assert_eq!(p.records.len(), 1);
    assert_eq!(p.records[0].issn, ["1755-6228"]);
}

#[test]
fn a_results_page_with_a_bad_date() {
    let text = RESULTS.replacen(
        "Publication date: 3 February 2023",
        "Publication date: 31 Febtember",
        1,
    );
    let (_, p, diags) = read("dates.txt", text.as_bytes());
    assert_eq!(
        diags,
        ["dates.txt:40: warning: cannot read the publication date \"31 Febtember\"; the date is left empty"]
    );
    assert_eq!(p.records.len(), 10);
    assert_eq!(p.records[1].date, None);
    assert_eq!(p.records[1].year, None);
}

#[test]
fn an_article_page_cut_inside_the_abstract() {
    let cut = first_lines(ARTICLE, 26);
    let (rep, p, diags) = read("article.txt", cut.as_bytes());
    assert_eq!(
        diags,
        ["article.txt:26: warning: the page ends inside the abstract (section \"Research limitations/implications\"); the abstract may be cut short"]
    );
    assert_eq!((rep.records, rep.warnings), (1, 1));
    let r = &p.records[0];
    assert_eq!(
        r.title.as_deref(),
        Some(
            "What helps successful community groups (involving peers support workers) to develop?"
        )
    );
    assert_eq!(r.doi.as_deref(), Some("10.1108/MHSI-10-2015-0038"));
    assert_eq!(r.pages.as_deref(), Some("126-134"));
    assert_eq!(r.authors.len(), 3);
    assert_eq!(r.abstract_sections.len(), 4);
    assert_eq!(
        r.abstract_sections[3].text,
        "A groups success was seen in terms of growth in members"
    );
    // Without the footer the journal, volume and ISSN are unknown, not guessed.
    assert_eq!((r.container.as_deref(), r.volume.as_deref()), (None, None));
    assert!(r.issn.is_empty());
}

#[test]
fn an_article_page_with_only_a_title() {
    // A bare "Published date" label with no value is not an article page.
    let text = "What helps successful community groups?\nPublished date\nsome words\n";
    let (rep, _, diags) = read("title.txt", text.as_bytes());
    assert_eq!(rep.format, None);
    assert_eq!(
        diags,
        ["title.txt:1: error: unrecognised format (not RIS, BibTeX, MEDLINE, PubMed XML, Web of Science, CSL-JSON, EndNote XML or a known page); it begins \"What helps successful community groups?\""]
    );
}

#[test]
fn an_article_page_whose_fields_are_not_below_the_title() {
    let text = "What helps?\nSome text first\nDOIhttps://doi.org/10.1108/X-1\n";
    let (rep, p, diags) = read("late.txt", text.as_bytes());
    assert_eq!(rep.format, Some("article-page"));
    assert_eq!(
        diags,
        ["late.txt:1: error: no article fields (\"Published date…\", \"DOI…\", \"Author…\") below the title; nothing read"]
    );
    assert!(p.records.is_empty());
}

#[test]
fn a_record_page_cut_inside_the_related_papers() {
    // Cut after related paper [7]'s title line, before its authors and citation.
    let cut = first_lines(RECORD, 60);
    let (rep, p, diags) = read("record.txt", cut.as_bytes());
    assert_eq!(
        diags,
        ["record.txt:60: warning: related paper \"HOW ADMINISTRATORS SUPPORT PEER COACHING\" has no citation line (\"[J]. JOURNAL, year, volume (issue): pages\"); only its title and authors are kept"]
    );
    assert_eq!((rep.records, rep.warnings), (8, 1));
    let main = &p.records[0];
    assert_eq!(main.related.len(), 7);
    assert_eq!(main.citations, Some(10));
    assert_eq!(main.page_count, Some(11));
    let seventh = &p.records[7];
    assert_eq!(
        seventh.title.as_deref(),
        Some("HOW ADMINISTRATORS SUPPORT PEER COACHING")
    );
    assert_eq!((seventh.container.as_deref(), seventh.year), (None, None));
    assert_eq!(p.records[6].pages.as_deref(), Some("489"));
}

#[test]
fn a_record_page_cut_before_the_institutions() {
    let cut = first_lines(RECORD, 10);
    let (_, p, diags) = read("record.txt", cut.as_bytes());
    assert_eq!(
        diags,
        ["record.txt:8: warning: author Dawn Willis refers to institution [2], which the page does not list"]
    );
    let r = &p.records[0];
    assert_eq!(r.authors.len(), 3);
    assert_eq!(r.authors[0].affiliations.len(), 1);
    assert!(r.authors[2].affiliations.is_empty());
    assert!(r.related.is_empty());
}

#[test]
fn a_record_page_with_a_count_that_is_not_a_number() {
    let text = RECORD.replacen("被引:10", "被引:ten", 1);
    let (_, p, diags) = read("record.txt", text.as_bytes());
    assert_eq!(
        diags,
        ["record.txt:3: warning: 被引: \"ten\" is not a number; ignored"]
    );
    assert_eq!(p.records[0].citations, None);
    assert_eq!(p.records.len(), 11);
}

#[test]
fn hostile_text_never_reaches_a_message_raw() {
    let text = RESULTS.replacen(
        "Publication date: 3 February 2023",
        "Publication date: \u{1b}[31m\u{202e}evil",
        1,
    );
    let (_, _, diags) = read("evil.txt", text.as_bytes());
    assert_eq!(
        diags,
        ["evil.txt:40: warning: cannot read the publication date \"[31mevil\"; the date is left empty"]
    );
}

/// Every prefix of each seed, cut at each 50th byte that is a char boundary: no panic, and the
/// records read never exceed those of the whole page.
#[test]
fn every_truncation_of_the_seeds_parses_without_panic() {
    for (path, text) in SEEDS {
        let whole = library::parse_bytes(path, text.as_bytes()).1.records.len();
        let mut cuts = 0;
        for end in (0..=text.len()).step_by(50) {
            if !text.is_char_boundary(end) {
                continue;
            }
            let (_, p) = library::parse_bytes(path, &text.as_bytes()[..end]);
            assert!(p.records.len() <= whole, "{path} cut at {end}");
            for d in &p.diagnostics {
                assert!(!d.message.is_empty());
            }
            cuts += 1;
        }
        // Byte cuts through multi-byte characters too: invalid UTF-8 is repaired, not fatal.
        for end in (0..text.len()).step_by(50).map(|e| e + 1) {
            let end = end.min(text.len());
            let _ = library::parse_bytes(path, &text.as_bytes()[..end]);
        }
        assert!(cuts > 10, "{path}: {cuts} cuts");
    }
}
