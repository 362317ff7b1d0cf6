//! Key-string scenarios against the state machine: keys in, state out.

mod common;

use common::{press, shown_authors, state};
use litbrowse::app::{update, Action, Effect, Focus, Mode, SortKey, State};
use litbrowse::query;
use std::sync::Arc;

fn doi_of(s: &State) -> Option<String> {
    s.selected_record().and_then(|(_, r)| r.doi.clone())
}

#[test]
fn repper_leaves_two_records_by_repper_and_watson() {
    let mut s = state(120, 35);
    press(&mut s, "/repper<enter>");
    assert_eq!(s.mode, Mode::Browse);
    assert_eq!(s.filter, "repper");
    assert_eq!(
        shown_authors(&s),
        ["Repper and Watson", "Repper and Watson"]
    );
    assert_eq!(s.selected, Some(0));
    press(&mut s, "j");
    assert_eq!(s.selected, Some(1));
    press(&mut s, "j");
    assert_eq!(s.selected, Some(1), "selection stops at the last row");
}

#[test]
fn au_ley_leaves_the_record_page_record() {
    let mut s = state(120, 35);
    press(&mut s, "/au:ley<enter>");
    assert_eq!(s.view.len(), 1);
    assert_eq!(doi_of(&s).as_deref(), Some("10.5042/jpmh.2010.0160"));
}

#[test]
fn keyword_phrase_and_year_range() {
    let mut s = state(120, 35);
    press(&mut s, "/kw:\"peer support\" yr:2010..2016<enter>");
    let mut dois: Vec<String> = s
        .view
        .iter()
        .filter_map(|&i| s.records.get(i as usize).unwrap().doi.clone())
        .collect();
    dois.sort();
    assert_eq!(
        dois,
        ["10.1108/MHSI-10-2015-0038", "10.5042/jpmh.2010.0160"]
    );
    assert_eq!(s.view.len(), 2);
}

#[test]
fn filter_mode_takes_every_letter_and_esc_clears() {
    let mut s = state(120, 35);
    press(&mut s, "/qjks");
    assert_eq!(s.mode, Mode::Filter);
    assert_eq!(s.filter, "qjks");
    assert!(s.view.is_empty());
    assert_eq!(s.selected, None);
    press(&mut s, "<esc>");
    assert_eq!(s.mode, Mode::Browse);
    assert_eq!(s.filter, "");
    assert_eq!(s.view.len(), 7);
}

#[test]
fn editing_the_filter() {
    let mut s = state(120, 35);
    press(&mut s, "/au:reper<left><left>p<end> x<bs><bs>");
    assert_eq!(s.filter, "au:repper");
    assert_eq!(s.view.len(), 2);
    press(&mut s, "<c-w>");
    assert_eq!(s.filter, "");
    assert_eq!(s.view.len(), 7);
    // Enter keeps the filter; Esc in the list clears it.
    press(&mut s, "au:ley<enter>");
    assert_eq!(s.view.len(), 1);
    press(&mut s, "<esc>");
    assert_eq!(s.view.len(), 7);
}

#[test]
fn a_query_error_is_shown_and_the_last_result_kept() {
    let mut s = state(120, 35);
    press(&mut s, "/au:repper yr:soon");
    let e = s.query_error.clone().expect("an error");
    assert!(e.message.contains("yr: expects a year"), "{}", e.message);
    assert_eq!(s.view.len(), 2);
    press(&mut s, "<bs><bs><bs><bs>2012");
    assert!(s.query_error.is_none());
    assert_eq!(s.view.len(), 2);
}

#[test]
fn narrowing_matches_within_previous_hits_and_gives_the_same_set() {
    let mut s = state(120, 35);
    press(&mut s, "/pe");
    let wide = s.view.len();
    press(&mut s, "er");
    let narrow: Vec<u32> = s.view.clone();
    assert!(narrow.len() <= wide);
    let never = || false;
    let full: Vec<u32> = s
        .index
        .run(&query::parse("peer").unwrap(), None, &never)
        .unwrap()
        .iter()
        .map(|h| h.record)
        .collect();
    assert_eq!(narrow, full);
}

#[test]
fn sort_cycles_and_reverses_keeping_the_selection() {
    let mut s = state(120, 35);
    assert_eq!(s.sort, SortKey::Year);
    let years: Vec<_> = s
        .view
        .iter()
        .map(|&i| s.records.get(i as usize).unwrap().year)
        .collect();
    assert_eq!(years.first(), Some(&Some(2023)), "newest first");
    press(&mut s, "j");
    let chosen = s.selected_record().map(|(i, _)| i);
    press(&mut s, "s");
    assert_eq!(s.sort, SortKey::Title);
    assert_eq!(s.selected_record().map(|(i, _)| i), chosen);
    // Titled records A to Z, then the untitled ones (in load order).
    let titles: Vec<Option<String>> = s
        .view
        .iter()
        .map(|&i| {
            s.records
                .get(i as usize)
                .unwrap()
                .title
                .as_ref()
                .map(|t| t.to_lowercase())
        })
        .collect();
    let mut sorted = titles.clone();
    sorted.sort_by_key(|t| (t.is_none(), t.clone()));
    assert_eq!(titles, sorted);
    assert!(titles.last().is_some_and(Option::is_none));
    press(&mut s, "ss");
    assert_eq!(s.sort, SortKey::Citations);
    let top = s.records.get(s.view[0] as usize).unwrap();
    assert_eq!(
        top.views,
        Some(540),
        "views count when no citations are known"
    );
    press(&mut s, "r");
    assert!(s.reverse);
    let last = s.records.get(*s.view.last().unwrap() as usize).unwrap();
    assert_eq!(last.views, Some(540));
}

#[test]
fn navigation_keys() {
    let mut s = state(120, 35);
    press(&mut s, "G");
    assert_eq!(s.selected, Some(6));
    press(&mut s, "g");
    assert_eq!(s.selected, Some(0));
    press(&mut s, "<pgdn>");
    assert_eq!(s.selected, Some(6));
    press(&mut s, "<up><up>k");
    assert_eq!(s.selected, Some(3));
}

#[test]
fn detail_focus_scrolls_and_is_clamped() {
    let mut s = state(60, 20);
    press(&mut s, "/au:deering<enter><enter>");
    assert_eq!(s.focus, Focus::Detail);
    press(&mut s, "jjj");
    assert_eq!(s.detail_scroll, 3);
    press(&mut s, "G");
    let max = s.detail_scroll;
    assert!(max > 3);
    press(&mut s, "jjjj<pgdn>");
    assert_eq!(s.detail_scroll, max, "scrolling stops at the end");
    press(&mut s, "g");
    assert_eq!(s.detail_scroll, 0);
    press(&mut s, "<esc>");
    assert_eq!(s.focus, Focus::List);
}

#[test]
fn related_papers_are_selectable_and_jump() {
    let mut s = state(120, 35);
    press(&mut s, "/au:ley<enter><enter>");
    assert_eq!(s.focus, Focus::Detail);
    press(&mut s, "<tab>");
    assert_eq!(s.related, Some(0));
    press(&mut s, "<tab>");
    assert_eq!(s.related, Some(1));
    press(&mut s, "<enter>");
    let (_, r) = s.selected_record().unwrap();
    assert_eq!(r.id, "r:clayton2013");
    assert_eq!(s.filter, "", "the filter that hid it was cleared");
    press(&mut s, "b");
    assert_eq!(doi_of(&s).as_deref(), Some("10.5042/jpmh.2010.0160"));
    // Tab past the last related paper returns to the list.
    press(&mut s, "<enter><tab><tab><tab>");
    assert_eq!(s.focus, Focus::List);
}

#[test]
fn copy_open_mark_export_are_effects() {
    let mut s = state(120, 35);
    press(&mut s, "/au:deering<enter>");
    match press(&mut s, "y").as_slice() {
        [Effect::Copy { text, .. }] => assert_eq!(text, "10.1108/MHSI-10-2015-0038"),
        other => panic!("expected a copy, got {other:?}"),
    }
    match press(&mut s, "Y").as_slice() {
        [Effect::Copy { text, .. }] => {
            assert!(
                text.starts_with("Deering, K., Fieldhouse, J., Parmenter, V. (2016). What helps"),
                "{text}"
            );
            assert!(
                text.contains("Mental Health and Social Inclusion, 20(2), 126-134."),
                "{text}"
            );
        }
        other => panic!("expected a copy, got {other:?}"),
    }
    match press(&mut s, "o").as_slice() {
        [Effect::OpenUrl(u)] => assert_eq!(u, "https://doi.org/10.1108/MHSI-10-2015-0038"),
        other => panic!("expected an open, got {other:?}"),
    }
    // Marks decide what is exported; without marks, the filtered set.
    press(&mut s, "<esc>");
    press(&mut s, "m");
    assert_eq!(s.marks.len(), 1);
    match press(&mut s, "e").as_slice() {
        [Effect::Write { path, summary, .. }] => {
            assert_eq!(path, "litbrowse-export.bib");
            assert_eq!(summary, "1 marked record(s) as BibTeX");
        }
        other => panic!("expected a write, got {other:?}"),
    }
    press(&mut s, "kmE/au:repper<enter>");
    assert!(s.marks.is_empty());
    match press(&mut s, "e").as_slice() {
        [Effect::Write { path, summary, .. }] => {
            assert_eq!(path, "litbrowse-export.ris");
            assert_eq!(summary, "2 shown record(s) as RIS");
        }
        other => panic!("expected a write, got {other:?}"),
    }
}

#[test]
fn untitled_records_have_no_doi_to_copy() {
    let mut s = state(120, 35);
    press(&mut s, "/repper<enter>");
    assert!(press(&mut s, "y").is_empty());
    assert_eq!(
        s.status.as_deref(),
        Some("this record has no DOI; Y copies a citation")
    );
}

#[test]
fn help_opens_and_closes() {
    let mut s = state(60, 20);
    press(&mut s, "?");
    assert_eq!(s.mode, Mode::Help);
    press(
        &mut s,
        "jjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjj",
    );
    let bottom = s.help_scroll;
    assert!(bottom > 0);
    press(&mut s, "j");
    assert_eq!(s.help_scroll, bottom, "help scroll is clamped");
    press(&mut s, "q");
    assert_eq!(s.mode, Mode::Browse);
    assert!(matches!(press(&mut s, "q").as_slice(), [Effect::Quit]));
}

#[test]
fn quit_and_suspend() {
    let mut s = state(120, 35);
    assert!(matches!(press(&mut s, "/<c-c>").as_slice(), [Effect::Quit]));
    assert!(matches!(
        press(&mut s, "<c-z>").as_slice(),
        [Effect::Suspend]
    ));
}

#[test]
fn mouse_wheel_and_click() {
    let mut s = state(120, 35);
    // List pane is on the left from row 0; records start at row 2 (border, header).
    update(&mut s, Action::Click { col: 5, row: 4 });
    assert_eq!(s.selected, Some(2));
    update(&mut s, Action::WheelDown { col: 5, row: 4 });
    assert_eq!(s.selected, Some(5));
    update(&mut s, Action::Click { col: 110, row: 10 });
    assert_eq!(s.focus, Focus::Detail);
    update(&mut s, Action::WheelDown { col: 110, row: 10 });
    update(&mut s, Action::Click { col: 5, row: 30 });
    assert_eq!(
        s.selected,
        Some(5),
        "a click below the last row selects nothing new"
    );
}

#[test]
fn worker_path_submits_narrowing_requests_and_shows_the_newest_result() {
    let mut s = state(120, 35);
    s.sync_search = false;
    let req = match press(&mut s, "/re").as_slice() {
        [.., Effect::Search(r)] => r.clone(),
        other => panic!("expected a search, got {other:?}"),
    };
    assert!(s.matching());
    // Deliver the pass the worker would make.
    let never = || false;
    let hits: Vec<u32> = s
        .index
        .run(&req.query, None, &never)
        .unwrap()
        .iter()
        .map(|h| h.record)
        .collect();
    update(
        &mut s,
        Action::SearchDone(litbrowse::app::Done(litbrowse::search::Outcome {
            generation: req.generation,
            query: req.query.clone(),
            hits: Arc::new(hits.clone()),
            elapsed: Default::default(),
        })),
    );
    assert!(!s.matching());
    assert_eq!(s.view, hits);
    let next = match press(&mut s, "p").as_slice() {
        [Effect::Search(r)] => r.clone(),
        other => panic!("expected a search, got {other:?}"),
    };
    assert_eq!(next.within.as_deref(), Some(&hits), "rep narrows re");
    // A stale pass arriving late does not replace a newer one.
    let stale = litbrowse::search::Outcome {
        generation: req.generation - 1,
        query: query::parse("x").unwrap(),
        hits: Arc::new(vec![]),
        elapsed: Default::default(),
    };
    update(&mut s, Action::SearchDone(litbrowse::app::Done(stale)));
    assert_eq!(s.view, hits);
}

#[test]
fn paste_of_unreadable_text_reports_and_keeps_the_library() {
    let mut s = state(120, 35);
    let effects = update(&mut s, Action::Paste("just some words".into()));
    assert!(effects.is_empty());
    assert_eq!(s.records.len(), 7);
    let status = s.status.clone().unwrap_or_default();
    assert!(
        status.starts_with("paste not added: <paste>:1: error: unrecognised format"),
        "{status}"
    );
}

#[test]
fn tiny_and_odd_sizes_keep_state_valid() {
    let mut s = state(1, 1);
    press(&mut s, "jjG<tab>jj<enter>/peer<enter>");
    assert!(s.selected.is_some_and(|p| p < s.view.len()));
    update(&mut s, Action::Resize(0, 0));
    press(&mut s, "k<pgdn>");
    let _ = common::screen(&s);
}

#[test]
fn bracketed_paste_adds_records_and_they_can_be_filtered() {
    let mut s = State::new(Vec::new(), 120, 35);
    assert_eq!(s.selected, None);
    let page = include_str!("../seeds/000_da0fbdc0900e8b78.txt");
    let effects = update(&mut s, Action::Paste(page.into()));
    assert!(matches!(effects.as_slice(), [Effect::IndexChanged]));
    assert_eq!(s.records.len(), 1);
    assert_eq!(s.status.as_deref(), Some("pasted 1 record(s)"));
    assert_eq!(doi_of(&s).as_deref(), Some("10.1108/MHSI-10-2015-0038"));
    press(&mut s, "/au:deering<enter>");
    assert_eq!(s.view.len(), 1);
    // The same page again is the same paper: merged, not added.
    update(&mut s, Action::Paste(page.into()));
    assert_eq!(s.records.len(), 1);
    assert_eq!(
        s.status.as_deref(),
        Some("pasted 0 new record(s), 1 merged into records already here")
    );
}

/// Terminals send a paste's line breaks as carriage returns: the records are read as from a
/// file with line feeds, and the same paste again is merged.
#[test]
fn a_paste_with_carriage_returns_reads_as_lines() {
    let mut s = State::new(Vec::new(), 120, 35);
    let ris = "TY  - JOUR\rTI  - Pasted zebrafish paper\rAU  - Quux, Alice\rPY  - 2020\rER  - \r";
    update(&mut s, Action::Paste(ris.into()));
    assert_eq!(s.status.as_deref(), Some("pasted 1 record(s)"));
    let r = s.records.get(0).unwrap();
    assert_eq!(r.title.as_deref(), Some("Pasted zebrafish paper"));
    assert_eq!(r.year, Some(2020));
    update(&mut s, Action::Paste(ris.into()));
    assert_eq!(s.records.len(), 1);
    assert_eq!(
        s.status.as_deref(),
        Some("pasted 0 new record(s), 1 merged into records already here")
    );
}

#[test]
fn a_pasted_duplicate_fills_the_gaps_of_the_record_already_here() {
    let mut s = State::new(Vec::new(), 120, 35);
    let bare = "TY  - JOUR\nTI  - Peer support at work\nAU  - Repper, Julie\nPY  - 2012\nDO  - 10.1/x\nER  - \n";
    update(&mut s, Action::Paste(bare.into()));
    assert_eq!(s.records.get(0).unwrap().volume, None);
    let fuller = "TY  - JOUR\nTI  - Peer support at work\nAU  - Repper, Julie\nPY  - 2012\nDO  - 10.1/x\nVL  - 7\nKW  - peer support\nER  - \n";
    update(&mut s, Action::Paste(fuller.into()));
    assert_eq!(s.records.len(), 1);
    assert_eq!(s.records.get(0).unwrap().volume.as_deref(), Some("7"));
    assert_eq!(s.records.get(0).unwrap().keywords, ["peer support"]);
}
