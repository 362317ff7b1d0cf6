//! The key-string scenarios on the built-in library (the three seed pages).

mod common;

use common::{press, shown_authors};
use litbrowse::app::{Focus, State};
use litbrowse::library;

fn builtin(w: u16, h: u16) -> State {
    State::new(library::builtin().records, w, h)
}

#[test]
fn repper_leaves_two_records_both_by_repper_and_watson() {
    let mut s = builtin(120, 35);
    assert_eq!(s.view.len(), 22);
    press(&mut s, "/repper<enter>");
    assert_eq!(
        shown_authors(&s),
        ["Repper and Watson", "Repper and Watson"]
    );
    for &i in &s.view {
        let r = s.records.get(i as usize).unwrap();
        let families: Vec<&str> = r.authors.iter().map(|a| a.family_or_name()).collect();
        assert_eq!(families, ["Repper", "Watson"]);
        assert_eq!(r.year, Some(2012));
        assert!(r.title.is_none(), "the results page gives no title");
    }
    press(&mut s, "j");
    assert_eq!(s.selected, Some(1));
}

#[test]
fn au_ley_leaves_the_record_page_record() {
    let mut s = builtin(120, 35);
    press(&mut s, "/au:ley<enter>");
    assert_eq!(s.view.len(), 1);
    let (_, r) = s.selected_record().unwrap();
    assert_eq!(r.source.format, "record-page");
    assert_eq!(r.doi.as_deref(), Some("10.5042/jpmh.2010.0160"));
    assert_eq!(
        r.title.as_deref(),
        Some("How to support peer support: evaluating the first steps in a healthcare community")
    );
}

#[test]
fn peer_support_keyword_in_2010_to_2016() {
    let mut s = builtin(120, 35);
    press(&mut s, "/kw:\"peer support\" yr:2010..2016<enter>");
    // Worked out from the records, not the matcher: a keyword containing "peer support"
    // (any case) and a known year from 2010 to 2016. The record page has the keyword but no
    // year; the results page lists no keywords.
    let mut expected: Vec<u32> = (0..s.records.len() as u32)
        .filter(|&i| {
            let r = s.records.get(i as usize).unwrap();
            r.keywords
                .iter()
                .any(|k| k.to_lowercase().contains("peer support"))
                && r.year.is_some_and(|y| (2010..=2016).contains(&y))
        })
        .collect();
    let mut got = s.view.clone();
    expected.sort();
    got.sort();
    assert_eq!(got, expected);
    assert_eq!(got.len(), 1);
    let (_, r) = s.selected_record().unwrap();
    assert_eq!(r.source.format, "article-page");
    assert_eq!(r.doi.as_deref(), Some("10.1108/MHSI-10-2015-0038"));
}

#[test]
fn record_page_related_papers_jump_and_come_back() {
    let mut s = builtin(120, 35);
    press(&mut s, "/au:ley<enter><enter>");
    assert_eq!(s.focus, Focus::Detail);
    let links = litbrowse::ui::detail::links(&s, s.selected_record().unwrap().0);
    assert_eq!(links.len(), 10, "all ten related papers are in the library");
    press(&mut s, "<tab><tab><enter>");
    let (_, r) = s.selected_record().unwrap();
    assert_eq!(
        r.title.as_deref(),
        Some("Evaluating peer support in lung cancer support group")
    );
    assert_eq!(s.filter, "");
    press(&mut s, "b");
    assert_eq!(
        s.selected_record().unwrap().1.doi.as_deref(),
        Some("10.5042/jpmh.2010.0160")
    );
}

#[test]
fn position_indicator_counts_filtered_and_total() {
    let mut s = builtin(120, 35);
    press(&mut s, "jjjjjj");
    assert_eq!(litbrowse::ui::list::position(&s), "7/22");
    press(&mut s, "/repper<enter>j");
    assert_eq!(litbrowse::ui::list::position(&s), "2/2 of 22");
}
