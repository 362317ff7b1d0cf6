//! The three seed documents, read through the built-in library, checked field by field; and
//! made-up pages of the same kinds (other journals, other sizes) through `parse_bytes`.

use litbrowse::formats::Parsed;
use litbrowse::library::{self, Library};
use litbrowse::record::{Kind, Record};

const ARTICLE: &str = "seeds/000_da0fbdc0900e8b78.txt";
const RESULTS: &str = "seeds/001_795947a0cff24da2.txt";
const RECORD: &str = "seeds/002_02aa39a10304d0e6.txt";

fn from(lib: &Library, path: &str) -> Vec<Record> {
    lib.records
        .iter()
        .filter(|r| r.source.path == path)
        .collect()
}

fn names(r: &Record) -> Vec<&str> {
    r.authors.iter().map(|a| a.name.as_str()).collect()
}

fn labels(r: &Record) -> Vec<Option<&str>> {
    r.abstract_sections
        .iter()
        .map(|s| s.label.as_deref())
        .collect()
}

fn parse(path: &str, text: &str) -> Parsed {
    library::parse_bytes(path, text.as_bytes()).1
}

#[test]
fn builtin_library_has_22_records_and_no_diagnostics() {
    let lib = library::builtin();
    assert_eq!(lib.records.len(), 22);
    assert_eq!(from(&lib, ARTICLE).len(), 1);
    assert_eq!(from(&lib, RESULTS).len(), 10);
    assert_eq!(from(&lib, RECORD).len(), 11);
    let diags: Vec<String> = lib.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(diags.is_empty(), "{diags:?}");
    let formats: Vec<Option<&str>> = lib.reports.iter().map(|r| r.format).collect();
    assert_eq!(
        formats,
        [
            Some("article-page"),
            Some("results-page"),
            Some("record-page")
        ]
    );
    let records = lib.records.to_vec();
    let mut ids: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 22, "ids are unique");
}

#[test]
fn article_page_fields() {
    let lib = library::builtin();
    let r = &from(&lib, ARTICLE)[0];
    assert_eq!(r.kind, Kind::Article);
    assert_eq!(
        r.title.as_deref(),
        Some(
            "What helps successful community groups (involving peers support workers) to develop?"
        )
    );
    assert_eq!(
        names(r),
        ["Kris Deering", "Jon Fieldhouse", "Vanessa Parmenter"]
    );
    assert_eq!(r.authors[2].family.as_deref(), Some("Parmenter"));
    assert_eq!(r.authors[2].given.as_deref(), Some("Vanessa"));
    for a in &r.authors {
        assert_eq!(
            a.affiliations,
            ["Faculty of Health and Applied Sciences, University of the West of England, Bristol, UK"]
        );
    }
    assert_eq!(r.date.as_deref(), Some("2016-05-09"));
    assert_eq!(r.year, Some(2016));
    assert_eq!(
        r.container.as_deref(),
        Some("Mental Health and Social Inclusion")
    );
    assert_eq!(r.volume.as_deref(), Some("20"));
    assert_eq!(r.issue.as_deref(), Some("2"));
    assert_eq!(r.pages.as_deref(), Some("126-134"));
    assert_eq!(r.doi.as_deref(), Some("10.1108/MHSI-10-2015-0038"));
    assert_eq!(r.id, "doi:10.1108/mhsi-10-2015-0038");
    assert_eq!(r.issn, ["2042-8308"]);
    assert!(r.isbn.is_empty());
    assert_eq!(
        r.keywords,
        [
            "Social inclusion",
            "Peer support",
            "Community groups",
            "Organizational learning culture"
        ]
    );
    assert_eq!(
        r.subjects,
        ["Health & social care", "Mental health", "Social inclusion"]
    );
    assert_eq!(
        labels(r),
        [
            Some("Purpose"),
            Some("Design/methodology/approach"),
            Some("Findings"),
            Some("Research limitations/implications"),
            Some("Originality/value")
        ]
    );
    let s = &r.abstract_sections;
    assert_eq!(
        s[0].text,
        "The purpose of this paper is to explore features of successful peer supported community support groups hosted by St Mungos and partners."
    );
    assert_eq!(s[1].text, "Literature review and theme construction.");
    assert!(s[2]
        .text
        .starts_with("Overall the review confirmed existing findings"));
    assert!(s[2]
        .text
        .ends_with("clear communication, and engagement with the wider community."));
    assert!(s[3]
        .text
        .contains("growth in members self-esteem, empowerment"));
    assert_eq!(
        s[4].text,
        "Developing understanding of a rapidly growing phenomenon in community-based mental health care and presenting this in terms of a particular organisational culture."
    );
    assert_eq!(r.findings().map(|f| f.len() > 100), Some(true));
    assert_eq!(r.paper_type.as_deref(), Some("Literature review"));
    assert_eq!(
        r.publisher.as_deref(),
        Some("Emerald Group Publishing Limited")
    );
    assert_eq!((r.citations, r.views, r.page_count), (None, None, None));
    assert_eq!(r.teaser, None);
    assert_eq!(r.source.line, 1);
    assert_eq!(r.source.format, "article-page");
}

#[test]
fn article_page_keeps_no_boilerplate_or_body_text() {
    let lib = library::builtin();
    let r = &from(&lib, ARTICLE)[0];
    let json = serde_json::to_string(r).unwrap().to_lowercase();
    for junk in [
        "continue reading",
        "request your trial",
        "cookie",
        "vlex",
        "accept",
        "overall project aim",
        "search terms",
        "page126",
        "mentalhealth",
        "facul ty",
        "westof",
    ] {
        assert!(!json.contains(junk), "{junk:?} leaked into the record");
    }
}

#[test]
fn results_page_fields() {
    let lib = library::builtin();
    let rs = from(&lib, RESULTS);
    assert_eq!(rs.len(), 10);
    assert!(
        rs.iter().all(|r| r.title.is_none()),
        "results have no titles"
    );
    let dates: Vec<&str> = rs.iter().filter_map(|r| r.date.as_deref()).collect();
    assert_eq!(
        dates,
        [
            "2012-06-15",
            "2023-02-03",
            "2015-11-02",
            "2017-06-12",
            "2022-04-28",
            "2012-06-15",
            "2024-04-11",
            "2013-09-16",
            "2010-08-18",
            "2020-12-04"
        ]
    );
    let kinds: Vec<Kind> = rs.iter().map(|r| r.kind).collect();
    assert_eq!(kinds[4], Kind::Chapter);
    assert_eq!(kinds.iter().filter(|k| **k == Kind::Article).count(), 9);
    let views: Vec<Option<u64>> = rs.iter().map(|r| r.views).collect();
    assert_eq!(
        views,
        [
            Some(499),
            None,
            None,
            None,
            None,
            Some(540),
            None,
            Some(1520),
            None,
            None
        ]
    );
    let line: Vec<usize> = rs.iter().map(|r| r.source.line).collect();
    assert_eq!(line, [4, 39, 76, 113, 142, 161, 200, 233, 268, 287]);

    let (a, b) = (&rs[0], &rs[5]);
    assert_eq!(names(a), ["Julie Repper", "Emma Watson"]);
    assert_eq!(names(b), ["Julie Repper", "Emma Watson"]);
    assert_ne!(a.id, b.id, "two Repper/Watson papers stay two records");
    assert_eq!(a.teaser, b.teaser);
    assert!(a.abstract_sections[0]
        .text
        .ends_with("what the peers did with clients and what difference this made."));
    assert!(b.abstract_sections[0]
        .text
        .ends_with("a foundation for other services to build upon."));
    assert_eq!(
        labels(a),
        [
            Some("Purpose"),
            Some("Design/methodology/approach"),
            Some("Findings"),
            Some("Originality/value")
        ]
    );
    assert_eq!(labels(b).len(), 5);
    assert!(a.teaser.as_deref().unwrap().starts_with(
        "In April 2010, Nottinghamshire Healthcare NHS trust won Regional Innovation Funding"
    ));
    assert!(a.teaser.as_deref().unwrap().ends_with("At the…"));
    assert_eq!(
        a.container.as_deref(),
        Some("The Journal of Mental Health Training, Education and Practice")
    );
    assert_eq!(
        (a.volume.as_deref(), a.issue.as_deref()),
        (Some("7"), Some("2"))
    );
    assert_eq!(a.issn, ["1755-6228"]);
    assert_eq!(a.paper_type.as_deref(), Some("Research Article"));
    assert!(a.keywords.is_empty());

    // Ahead of print: no volume or issue, not a volume called "ahead-of-print".
    let m = &rs[1];
    assert_eq!(names(m), ["Daryl Mahon", "Danika Sharek"]);
    assert_eq!(
        m.container.as_deref(),
        Some("Mental Health and Social Inclusion")
    );
    assert_eq!((m.volume.as_deref(), m.issue.as_deref()), (None, None));
    assert_eq!(m.issn, ["2042-8308"]);
    assert_eq!(
        labels(m),
        [
            Some("Purpose"),
            Some("Design/methodology/approach"),
            Some("Findings"),
            Some("Research limitations/implications"),
            Some("Originality/value")
        ]
    );
    assert_eq!(rs[6].volume, None);

    assert_eq!(labels(&rs[2])[3], Some("Social implications"));
    assert_eq!(names(&rs[2]), ["Petra Elias", "Karen Upton-Davis"]);
    assert_eq!(rs[2].authors[1].family.as_deref(), Some("Upton-Davis"));

    // A result whose Details block is missing on the page.
    let j = &rs[3];
    assert_eq!(names(j), ["Fay Jackson", "Tim Fong"]);
    assert_eq!(
        (j.container.as_deref(), j.paper_type.as_deref()),
        (None, None)
    );
    assert!(j.issn.is_empty());

    // The book chapter: plain abstract, book title as container, ISBN.
    let c = &rs[4];
    assert_eq!(c.kind, Kind::Chapter);
    assert_eq!(names(c), ["Daryl Mahon", "Martha Griffin"]);
    assert_eq!(
        c.container.as_deref(),
        Some("Trauma-Responsive Organisations: The Trauma Ecology Model")
    );
    assert_eq!(c.volume, None);
    assert_eq!(c.paper_type.as_deref(), Some("Book"));
    assert_eq!(c.isbn, ["978-1-80382-429-1"]);
    assert!(c.issn.is_empty());
    assert_eq!(labels(c), [None]);
    assert!(c.abstract_sections[0]
        .text
        .starts_with("In the previous chapters, I set out a conceptual model"));
    assert!(c.teaser.as_deref().unwrap().ends_with("compassion"));

    let g = &rs[6];
    assert_eq!(g.authors[0].given.as_deref(), Some("Benjamin Thomas"));
    assert_eq!(g.authors[0].family.as_deref(), Some("Gray"));

    let l = &rs[7];
    assert_eq!(names(l), ["Simon Lawton-Smith"]);
    assert_eq!(l.views, Some(1520));
    assert_eq!(
        (l.volume.as_deref(), l.issue.as_deref()),
        (Some("8"), Some("3"))
    );

    let p = &rs[8];
    assert_eq!(labels(p), [None]);
    assert_eq!(
        (p.volume.as_deref(), p.issue.as_deref()),
        (Some("14"), Some("3"))
    );

    let h = &rs[9];
    assert_eq!(
        names(h),
        [
            "Liza Hopkins",
            "Glenda Pedwell",
            "Katie Wilson",
            "Prunella Howell-Jay"
        ]
    );
    assert_eq!(
        (h.volume.as_deref(), h.issue.as_deref()),
        (Some("16"), Some("2"))
    );
    assert_eq!(h.year, Some(2020));
}

#[test]
fn record_page_fields() {
    let lib = library::builtin();
    let records = lib.records.to_vec();
    let rs = from(&lib, RECORD);
    let r = &rs[0];
    assert_eq!(
        r.title.as_deref(),
        Some("How to support peer support: evaluating the first steps in a healthcare community")
    );
    assert_eq!(r.citations, Some(10));
    assert_eq!(names(r), ["Ann Ley", "Glenn Roberts", "Dawn Willis"]);
    let fam: Vec<_> = r.authors.iter().map(|a| a.family.as_deref()).collect();
    let giv: Vec<_> = r.authors.iter().map(|a| a.given.as_deref()).collect();
    assert_eq!(fam, [Some("Ley"), Some("Roberts"), Some("Willis")]);
    assert_eq!(giv, [Some("Ann"), Some("Glenn"), Some("Dawn")]);
    let devon = "Devon Partnership NHS Trust, Exeter EX2 5AF, Devon, England";
    assert_eq!(r.authors[0].affiliations, [devon]);
    assert_eq!(r.authors[1].affiliations, [devon]);
    assert_eq!(
        r.authors[2].affiliations,
        ["Plymouth Local Involvement Network & Rethink Reg, Stewardship Grp, Plymouth, Devon, England"]
    );
    assert_eq!(
        r.keywords,
        [
            "Peer support",
            "self-help",
            "recovery",
            "mental health",
            "evaluation"
        ]
    );
    assert_eq!(r.doi.as_deref(), Some("10.5042/jpmh.2010.0160"));
    assert_eq!(r.subjects, ["R1 [预防医学、卫生学]", "1004", "120402"]);
    assert_eq!(labels(r), [None]);
    let text = &r.abstract_sections[0].text;
    assert!(text.starts_with("Although limited, there is emerging evidence"));
    assert!(text.ends_with("post-course development and practice of IPS."));
    assert!(text.contains("explore participants' initial understandings"));
    assert!(!text.contains("引用") && !text.contains("收藏"));
    assert_eq!(r.pages.as_deref(), Some("16"));
    assert_eq!(r.page_count, Some(11));
    assert_eq!(r.related.len(), 10);
    for id in &r.related {
        let i = lib.index_of(id).expect("related id resolves");
        assert_eq!(records[i].source.path, RECORD);
    }

    let p = &records[lib.index_of(&r.related[0]).unwrap()];
    assert_eq!(
        p.title.as_deref(),
        Some("Breastfeeding peer supporters and a community support group: evaluating their effectiveness")
    );
    assert_eq!(p.kind, Kind::Article);
    assert_eq!(names(p), ["Jenny Ingram", "Jilly Rosser", "Dawn Jackson"]);
    assert_eq!(p.authors[0].family.as_deref(), Some("Ingram"));
    assert_eq!(p.container.as_deref(), Some("MATERNAL AND CHILD NUTRITION"));
    assert_eq!(p.year, Some(2005));
    assert_eq!(p.volume.as_deref(), Some("1"));
    assert_eq!(p.issue.as_deref(), Some("02"));
    assert_eq!(p.pages.as_deref(), Some("111-118"));
    assert_eq!(p.source.line, 28);

    let rel: Vec<&Record> = r
        .related
        .iter()
        .map(|id| &records[lib.index_of(id).unwrap()])
        .collect();
    // "79 : S45 - S45": no issue, one page.
    assert_eq!(names(rel[1]), ["K. Clayton"]);
    assert_eq!(
        (
            rel[1].volume.as_deref(),
            rel[1].issue.as_deref(),
            rel[1].pages.as_deref()
        ),
        (Some("79"), None, Some("S45"))
    );
    assert_eq!(rel[2].authors.len(), 5);
    assert_eq!(rel[3].issue.as_deref(), Some("SUPPL 1"));
    assert_eq!(rel[3].pages.as_deref(), Some("S154"));
    assert_eq!(rel[4].authors[2].name, "Susan J. Henry");
    assert_eq!(
        rel[4].container.as_deref(),
        Some("JOURNAL OF PSYCHOSOCIAL NURSING AND MENTAL HEALTH SERVICES")
    );
    assert_eq!(rel[6].authors[0].family.as_deref(), Some("GARMSTON"));
    // "56 (1_SUPPL): : 40 - 41".
    assert_eq!(rel[7].authors.len(), 8);
    assert_eq!(
        (
            rel[7].volume.as_deref(),
            rel[7].issue.as_deref(),
            rel[7].pages.as_deref()
        ),
        (Some("56"), Some("1_SUPPL"), Some("40-41"))
    );
    assert_eq!(rel[7].year, Some(2022));
    assert!(rel[8]
        .title
        .as_deref()
        .unwrap()
        .starts_with("\"IMPLEMENTATION OF AN OSTOMY"));
    assert_eq!(rel[8].pages.as_deref(), Some("S31-S32"));
    // "176 (18) : I - II".
    assert_eq!(
        (
            rel[9].volume.as_deref(),
            rel[9].issue.as_deref(),
            rel[9].pages.as_deref()
        ),
        (Some("176"), Some("18"), Some("I-II"))
    );
    assert_eq!(rel[9].container.as_deref(), Some("VETERINARY RECORD"));
    assert!(rel
        .iter()
        .all(|p| p.kind == Kind::Article && p.related.is_empty()));
}

// ---- Made-up pages of the same kinds ----

const SMALL_RESULTS: &str = "\
Search results

11 – 13 of 13
Conference paper
Publication date: 1 March 2019

Ann Smith, Bo Li & Carla de Souza

A short teaser about peer networks…

12,345

Abstract

Background

Networks matter.

Methods

We asked people.

Conclusions

They help.

Details

Journal of Peer Work, vol. 3 no. 1, pp. 10-20
Type: Conference Paper
ISSN: 1234-5678, 8765-4321

Keywords

Peer work, Networks; Support

Article
Publication date: March 2020

Editorial text without any authors, shown as a teaser…

Details

Health Matters, vol. 12 no. ahead-of-print
Type: Editorial
ISSN: 2222-3333

Keywords

Book
Publication date: 2001

Pat Jones

Abstract

One plain paragraph of abstract.

Details

Peer Support in Practice
Type: Book
ISBN: 978-0-00-000000-2

11 – 13 of 13
";

#[test]
fn a_results_page_with_three_results_of_other_kinds() {
    let p = parse("small.txt", SMALL_RESULTS);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let rs = &p.records;
    assert_eq!(rs.len(), 3);
    let a = &rs[0];
    assert_eq!(a.kind, Kind::Conference);
    assert_eq!(a.title, None);
    assert_eq!(a.date.as_deref(), Some("2019-03-01"));
    assert_eq!(names(a), ["Ann Smith", "Bo Li", "Carla de Souza"]);
    assert_eq!(a.views, Some(12345));
    assert_eq!(
        a.teaser.as_deref(),
        Some("A short teaser about peer networks…")
    );
    assert_eq!(
        labels(a),
        [Some("Background"), Some("Methods"), Some("Conclusions")]
    );
    assert_eq!(a.abstract_sections[2].text, "They help.");
    assert_eq!(a.container.as_deref(), Some("Journal of Peer Work"));
    assert_eq!(
        (a.volume.as_deref(), a.issue.as_deref()),
        (Some("3"), Some("1"))
    );
    assert_eq!(a.issn, ["1234-5678", "8765-4321"]);
    assert_eq!(a.keywords, ["Peer work", "Networks", "Support"]);
    assert_eq!(a.source.line, 4);

    let e = &rs[1];
    assert_eq!(e.kind, Kind::Article);
    assert!(e.authors.is_empty());
    assert_eq!(e.date.as_deref(), Some("2020-03"));
    assert_eq!(
        e.teaser.as_deref(),
        Some("Editorial text without any authors, shown as a teaser…")
    );
    assert!(e.abstract_sections.is_empty());
    assert_eq!(
        (e.volume.as_deref(), e.issue.as_deref()),
        (Some("12"), None)
    );
    assert_eq!(e.paper_type.as_deref(), Some("Editorial"));

    let b = &rs[2];
    assert_eq!(b.kind, Kind::Book);
    assert_eq!(b.date.as_deref(), Some("2001"));
    assert_eq!(names(b), ["Pat Jones"]);
    assert_eq!(b.teaser, None);
    assert_eq!(labels(b), [None]);
    assert_eq!(b.container.as_deref(), Some("Peer Support in Practice"));
    assert_eq!(b.isbn, ["978-0-00-000000-2"]);
}

#[test]
fn a_results_page_whose_abstract_has_no_heading() {
    let page = "Article\nPublication date: 2 May 2003\n\nAnn Ley\n\nPurpose\n\nTo look.\n\nFindings\n\nWe saw.\n";
    let p = parse("nohead.txt", page);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let r = &p.records[0];
    assert_eq!(r.teaser, None);
    assert_eq!(labels(r), [Some("Purpose"), Some("Findings")]);
    assert_eq!(r.findings(), Some("We saw."));
}

#[test]
fn a_results_page_with_thirty_results() {
    let mut page = String::from("1 – 30 of 30\n");
    for n in 1..=30 {
        page.push_str(&format!(
            "Article\nPublication date: {n} May 2021\n\nAuthor Ex{}{}\n\nTeaser {n}…\n\n{n}0\n\nAbstract\n\nPurpose\n\nPaper {n} purpose.\n\nFindings\n\nPaper {n} findings.\n\nDetails\n\nJournal {n}, vol. {n} no. 1\nType: Research Article\nISSN: 0000-000{}\n\nKeywords\n\n",
            char::from(b'a' + (n / 26) as u8),
            char::from(b'a' + (n % 26) as u8),
            n % 10
        ));
    }
    page.push_str("1 – 30 of 30\n");
    let p = parse("thirty.txt", &page);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(p.records.len(), 30);
    for (i, r) in p.records.iter().enumerate() {
        let n = i + 1;
        assert_eq!(r.date.as_deref(), Some(format!("2021-05-{n:02}").as_str()));
        assert_eq!(r.views, Some(n as u64 * 10));
        assert_eq!(r.volume.as_deref(), Some(n.to_string().as_str()));
        assert_eq!(
            r.container.as_deref(),
            Some(format!("Journal {n}").as_str())
        );
        assert_eq!(r.findings(), Some(format!("Paper {n} findings.").as_str()));
        let family = format!(
            "Ex{}{}",
            char::from(b'a' + (n / 26) as u8),
            char::from(b'a' + (n % 26) as u8)
        );
        assert_eq!(r.authors[0].family.as_deref(), Some(family.as_str()));
    }
}

const OTHER_ARTICLE: &str = "\
Peer mentoring in public mental health: a review

Published date14 January 2019
Pages3-15
DOIhttps://doi.org/10.1108/JPMH-01-2018-0001
AuthorAnn Ley,Bo Chen
Subject MatterPublic health,Peer support
Peer mentoring in public mental health:
a review
Ann Ley and Bo Chen
Ann Ley is a Senior Lecturer at the School of Public Health, Univer sity of Exeter,
Exeter, UK. Bo Chen is based at Devon Partnership NHS Trust, Exeter,UK.
Abstract
This review asks how peer mentoring works in public mental health services and what
helps it to last. Mentors and services both change.
Introduction
Peer mentoring has a long history in public services, and many university and
public programmes describe it.
PAGE 3
j
JOURNAL OF PUBLICMENTAL HEALTH
j
VOL. 18 NO. 1 2019, pp. 3-15, © Emerald Publishing Limited, ISSN 1746-5729 DOI 10.1108/JPMH-01-2018-0001

To continue reading

Request your trial

We use cookies to give you a better experience. ACCEPT
";

#[test]
fn an_article_page_from_another_journal_with_a_plain_abstract() {
    let p = parse("other.txt", OTHER_ARTICLE);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let r = &p.records[0];
    assert_eq!(
        r.title.as_deref(),
        Some("Peer mentoring in public mental health: a review")
    );
    assert_eq!(r.date.as_deref(), Some("2019-01-14"));
    assert_eq!(r.pages.as_deref(), Some("3-15"));
    assert_eq!(r.doi.as_deref(), Some("10.1108/JPMH-01-2018-0001"));
    assert_eq!(names(r), ["Ann Ley", "Bo Chen"]);
    assert_eq!(
        r.authors[0].affiliations,
        ["School of Public Health, University of Exeter, Exeter, UK"]
    );
    assert_eq!(
        r.authors[1].affiliations,
        ["Devon Partnership NHS Trust, Exeter, UK"]
    );
    assert_eq!(r.subjects, ["Public health", "Peer support"]);
    assert_eq!(labels(r), [None]);
    assert_eq!(
        r.abstract_sections[0].text,
        "This review asks how peer mentoring works in public mental health services and what helps it to last. Mentors and services both change."
    );
    assert!(r.keywords.is_empty());
    assert_eq!(r.paper_type, None);
    assert_eq!(
        r.container.as_deref(),
        Some("Journal of Public Mental Health")
    );
    assert_eq!(
        (r.volume.as_deref(), r.issue.as_deref()),
        (Some("18"), Some("1"))
    );
    assert_eq!(r.issn, ["1746-5729"]);
    assert_eq!(r.publisher.as_deref(), Some("Emerald Publishing Limited"));
    let json = serde_json::to_string(r).unwrap().to_lowercase();
    assert!(!json.contains("cookie") && !json.contains("continue reading"));
    assert!(!json.contains("long history"), "body text is not abstract");
}

const OTHER_RECORD: &str = "\
Peer work in three hospitals

被引：3
作者
Chen, Bo [1, 2 ]
Ley, Ann [2 ]
机构
[1] Univ Exeter, Exeter, England
[2] Devon Partnership NHS Trust,
Exeter, England
关键词
peer work；hospitals；
D O I
https://doi.org/10.1000/xyz.123
摘要
A short abstract.
页码:45-52
页数:8
相关论文
共 3 条
  • [1] First related paper
    Smith, A
    [J]. JOURNAL OF THINGS, STUFF AND MORE, 2010, 4 (3) : 1 - 9
  • [2] A book
    Doe, J
    [M]. BIG PUBLISHER, 1999
  • [3] A proceedings paper
    [C]. PROC OF X, 2003, : 5 - 6
";

#[test]
fn a_record_page_with_other_fields_and_three_related_papers() {
    let p = parse("other-record.txt", OTHER_RECORD);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(p.records.len(), 4);
    let r = &p.records[0];
    assert_eq!(r.title.as_deref(), Some("Peer work in three hospitals"));
    assert_eq!(r.citations, Some(3));
    assert_eq!(names(r), ["Bo Chen", "Ann Ley"]);
    assert_eq!(
        r.authors[0].affiliations,
        [
            "Univ Exeter, Exeter, England",
            "Devon Partnership NHS Trust, Exeter, England"
        ]
    );
    assert_eq!(r.keywords, ["peer work", "hospitals"]);
    assert_eq!(r.doi.as_deref(), Some("10.1000/xyz.123"));
    assert_eq!(r.pages.as_deref(), Some("45-52"));
    assert_eq!(r.page_count, Some(8));
    let ids: Vec<String> = p.records[1..].iter().map(Record::compute_id).collect();
    assert_eq!(r.related, ids);
    let j = &p.records[1];
    assert_eq!(
        j.container.as_deref(),
        Some("JOURNAL OF THINGS, STUFF AND MORE")
    );
    assert_eq!(
        (j.year, j.volume.as_deref(), j.issue.as_deref()),
        (Some(2010), Some("4"), Some("3"))
    );
    assert_eq!(j.pages.as_deref(), Some("1-9"));
    let b = &p.records[2];
    assert_eq!(
        (b.kind, b.container.as_deref(), b.year),
        (Kind::Book, Some("BIG PUBLISHER"), Some(1999))
    );
    assert_eq!(b.volume, None);
    let c = &p.records[3];
    assert_eq!(c.kind, Kind::Conference);
    assert!(c.authors.is_empty());
    assert_eq!(
        (c.volume.as_deref(), c.pages.as_deref()),
        (None, Some("5-6"))
    );
}

#[test]
fn detection_reads_content_not_file_names() {
    for (path, text) in library::SEEDS {
        let renamed = parse("renamed.ris", text);
        let original = parse(path, text);
        assert_eq!(renamed.records.len(), original.records.len());
    }
    let (rep, _) = library::parse_bytes("x.bib", SMALL_RESULTS.as_bytes());
    assert_eq!(rep.format, Some("results-page"));
    let (rep, _) = library::parse_bytes("x.txt", OTHER_ARTICLE.as_bytes());
    assert_eq!(rep.format, Some("article-page"));
    let (rep, _) = library::parse_bytes("x.txt", OTHER_RECORD.as_bytes());
    assert_eq!(rep.format, Some("record-page"));
}
