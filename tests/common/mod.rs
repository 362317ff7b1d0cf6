//! Hand-built records shaped like the three seed pages (an article page, a results page, a
//! record page with Chinese labels and related papers), and helpers to drive the app.
#![allow(dead_code)]

use litbrowse::app::{update, Effect, State};
use litbrowse::keys;
use litbrowse::record::{Author, Kind, Record, Section, Source};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn src(path: &str, format: &str, line: usize) -> Source {
    Source {
        path: path.into(),
        format: format.into(),
        line,
    }
}

fn section(label: Option<&str>, text: &str) -> Section {
    Section {
        label: label.map(str::to_string),
        text: text.into(),
    }
}

fn with_aff(mut a: Author, aff: &str) -> Author {
    a.affiliations.push(aff.into());
    a
}

pub fn article() -> Record {
    let uwe =
        "Faculty of Health and Applied Sciences, University of the West of England, Bristol, UK";
    Record {
        id: "doi:10.1108/mhsi-10-2015-0038".into(),
        kind: Kind::Article,
        title: Some(
            "What helps successful community groups (involving peers support workers) to develop?"
                .into(),
        ),
        authors: vec![
            with_aff(Author::parse("Kris Deering"), uwe),
            with_aff(Author::parse("Jon Fieldhouse"), uwe),
            with_aff(Author::parse("Vanessa Parmenter"), uwe),
        ],
        date: Some("2016-05-09".into()),
        year: Some(2016),
        container: Some("Mental Health and Social Inclusion".into()),
        volume: Some("20".into()),
        issue: Some("2".into()),
        pages: Some("126-134".into()),
        doi: Some("10.1108/MHSI-10-2015-0038".into()),
        issn: vec!["2042-8308".into()],
        keywords: vec![
            "Social inclusion".into(),
            "Peer support".into(),
            "Community groups".into(),
            "Organizational learning culture".into(),
        ],
        abstract_sections: vec![
            section(Some("Purpose"), "The purpose of this paper is to explore features of successful peer supported community support groups hosted by St Mungos and partners."),
            section(Some("Design/methodology/approach"), "Literature review and theme construction."),
            section(Some("Findings"), "Overall the review confirmed existing findings that successful support groups foster mutually supportive, reciprocal relationships capable of inspiring hope among group members."),
            section(Some("Originality/value"), "Developing understanding of a rapidly growing phenomenon in community-based mental health care."),
        ],
        paper_type: Some("Literature review".into()),
        publisher: Some("Emerald Group Publishing Limited".into()),
        source: src("seeds/000_da0fbdc0900e8b78.txt", "article-page", 1),
        ..Record::default()
    }
}

fn untitled(
    id: &str,
    authors: &[&str],
    date: &str,
    teaser: &str,
    views: Option<u64>,
    line: usize,
) -> Record {
    Record {
        id: id.into(),
        kind: Kind::Article,
        title: None,
        authors: authors.iter().map(|a| Author::parse(a)).collect(),
        date: Some(date.into()),
        year: date.get(..4).and_then(|y| y.parse().ok()),
        container: Some("The Journal of Mental Health Training, Education and Practice".into()),
        volume: Some("7".into()),
        issue: Some("2".into()),
        issn: vec!["1755-6228".into()],
        teaser: Some(teaser.into()),
        abstract_sections: vec![
            section(Some("Purpose"), teaser),
            section(
                Some("Findings"),
                "The six peers worked with 83 clients over the six month period.",
            ),
        ],
        views,
        source: src("seeds/001_795947a0cff24da2.txt", "results-page", line),
        ..Record::default()
    }
}

pub fn record_page() -> Record {
    Record {
        id: "doi:10.5042/jpmh.2010.0160".into(),
        kind: Kind::Article,
        title: Some("How to support peer support: evaluating the first steps in a healthcare community".into()),
        authors: vec![
            with_aff(Author::parse("Ley, Ann"), "Devon Partnership NHS Trust, Exeter EX2 5AF, Devon, England"),
            with_aff(Author::parse("Roberts, Glenn"), "Devon Partnership NHS Trust, Exeter EX2 5AF, Devon, England"),
            with_aff(Author::parse("Willis, Dawn"), "Plymouth Local Involvement Network & Rethink Reg, Stewardship Grp, Plymouth, Devon, England"),
        ],
        year: Some(2010),
        pages: Some("16".into()),
        page_count: Some(11),
        doi: Some("10.5042/jpmh.2010.0160".into()),
        keywords: vec!["Peer support".into(), "self-help".into(), "recovery".into(), "mental health".into(), "evaluation".into()],
        subjects: vec!["R1 [预防医学、卫生学]".into(), "中图分类号 1004 ; 120402".into()],
        abstract_sections: vec![section(None, "Although limited, there is emerging evidence of the value of peer support for people with mental health issues. 摘要：同伴支持对心理健康问题人群的价值正在显现，本文评估了一项有意识同伴支持培训。")],
        citations: Some(10),
        related: vec!["r:ingram2005".into(), "r:clayton2013".into(), "r:not-loaded".into()],
        source: src("seeds/002_02aa39a10304d0e6.txt", "record-page", 1),
        ..Record::default()
    }
}

fn related(id: &str, title: &str, authors: &[&str], year: i32, container: &str) -> Record {
    Record {
        id: id.into(),
        kind: Kind::Article,
        title: Some(title.into()),
        authors: authors.iter().map(|a| Author::parse(a)).collect(),
        year: Some(year),
        container: Some(container.into()),
        source: src("seeds/002_02aa39a10304d0e6.txt", "record-page", 30),
        ..Record::default()
    }
}

/// Seven records: article page, three results-page entries (two the same paper, by Repper and
/// Watson, seen twice with different view counts), the record page and two of its related papers.
pub fn records() -> Vec<Record> {
    vec![
        article(),
        untitled("r:repper1", &["Julie Repper", "Emma Watson"], "2012-06-15", "In April 2010, Nottinghamshire Healthcare NHS trust won Regional Innovation Funding to recruit, train and employ six peer support workers in community mental health teams.", Some(499), 4),
        untitled("r:mahon", &["Daryl Mahon", "Danika Sharek"], "2023-02-03", "Peer support work is increasingly becoming part of the delivery of health and social care services.", None, 39),
        untitled("r:repper2", &["Julie Repper", "Emma Watson"], "2012-06-15", "In April 2010, Nottinghamshire Healthcare NHS trust won Regional Innovation Funding to recruit peer support workers.", Some(540), 161),
        record_page(),
        related("r:ingram2005", "Breastfeeding peer supporters and a community support group: evaluating their effectiveness", &["Ingram, Jenny", "Rosser, Jilly", "Jackson, Dawn"], 2005, "MATERNAL AND CHILD NUTRITION"),
        related("r:clayton2013", "Evaluating peer support in lung cancer support group", &["Clayton, K."], 2013, "LUNG CANCER"),
    ]
}

pub fn state(w: u16, h: u16) -> State {
    State::new(records(), w, h)
}

/// Presses a key string (`"/repper<enter>j"`) and returns every effect.
pub fn press(s: &mut State, keys_str: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for k in keys::parse_keys(keys_str).expect("valid key string") {
        if let Some(a) = keys::map(k, s.mode) {
            effects.extend(update(s, a));
        }
    }
    effects
}

/// The records shown, by first author label.
pub fn shown_authors(s: &State) -> Vec<String> {
    s.view
        .iter()
        .map(|&i| s.records.get(i as usize).unwrap().first_author_label())
        .collect()
}

/// The screen as text, drawn through the real render path.
pub fn screen(s: &State) -> String {
    let mut t = Terminal::new(TestBackend::new(s.width, s.height)).expect("test terminal");
    t.draw(|f| litbrowse::ui::render(s, f)).expect("draw");
    let buf = t.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
            line.push_str(sym);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
