//! Random key, mouse, resize and paste sequences never panic, and the selection always points
//! at a visible record (or is None exactly when nothing is visible).

mod common;

use litbrowse::app::{update, Action, Done, Effect, State};
use litbrowse::keys;
use litbrowse::search::Outcome;
use proptest::prelude::*;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::sync::Arc;

const KEYS: &[&str] = &[
    "j", "k", "g", "G", "<pgdn>", "<pgup>", "<home>", "<end>", "<tab>", "<s-tab>", "<enter>",
    "<esc>", "/", "s", "r", "m", "E", "?", "b", "<left>", "<right>", "<bs>", "<del>", "y", "Y",
    "o", "e", "a", "p", "e", "r", "l", "y", " ", ":", "\"", "'", "!", "1", "2", ".", "<c-w>",
    "<c-u>", "<c-d>", "<up>", "<down>", "中", "<c-a>", "<c-e>",
];

#[derive(Debug, Clone)]
enum Step {
    Key(usize),
    Click(u16, u16),
    Wheel(bool, u16, u16),
    Resize(u16, u16),
    Paste(String),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        12 => (0..KEYS.len()).prop_map(Step::Key),
        2 => (0u16..130, 0u16..40).prop_map(|(c, r)| Step::Click(c, r)),
        2 => (any::<bool>(), 0u16..130, 0u16..40).prop_map(|(d, c, r)| Step::Wheel(d, c, r)),
        1 => (0u16..160, 0u16..50).prop_map(|(w, h)| Step::Resize(w, h)),
        1 => "[a-z \\n]{0,20}".prop_map(Step::Paste),
    ]
}

fn check(s: &State) {
    match s.selected {
        None => assert!(
            s.view.is_empty(),
            "nothing selected but {} visible",
            s.view.len()
        ),
        Some(p) => {
            assert!(p < s.view.len(), "selection {p} outside {}", s.view.len());
            assert!(s.selected_record().is_some());
        }
    }
    assert!(s.view.iter().all(|&i| (i as usize) < s.records.len()));
    assert!(s.list_offset <= s.selected.unwrap_or(0));
}

fn run(s: &mut State, action: Action, deliver: bool) {
    for e in update(s, action) {
        if let Effect::Search(req) = e {
            if deliver {
                let never = || false;
                let hits = s
                    .index
                    .run(&req.query, req.within.as_deref().map(Vec::as_slice), &never)
                    .unwrap_or_default();
                let o = Outcome {
                    generation: req.generation,
                    query: req.query,
                    hits: Arc::new(hits.iter().map(|h| h.record).collect()),
                    elapsed: Default::default(),
                };
                update(s, Action::SearchDone(Done(o)));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn random_sequences_keep_the_selection_valid(
        steps in prop::collection::vec(step(), 1..40),
        sync in any::<bool>(),
        deliver in any::<bool>(),
    ) {
        let mut s = common::state(120, 35);
        s.sync_search = sync;
        let mut term = Terminal::new(TestBackend::new(120, 35)).unwrap();
        for (n, st) in steps.into_iter().enumerate() {
            match st {
                Step::Key(k) => {
                    for key in keys::parse_keys(KEYS[k]).unwrap() {
                        if let Some(a) = keys::map(key, s.mode) {
                            run(&mut s, a, deliver);
                        }
                    }
                }
                Step::Click(col, row) => run(&mut s, Action::Click { col, row }, deliver),
                Step::Wheel(down, col, row) => {
                    let a = if down { Action::WheelDown { col, row } } else { Action::WheelUp { col, row } };
                    run(&mut s, a, deliver);
                }
                Step::Resize(w, h) => {
                    run(&mut s, Action::Resize(w, h), deliver);
                    term.backend_mut().resize(w, h);
                }
                Step::Paste(text) => run(&mut s, Action::Paste(text), deliver),
            }
            check(&s);
            if n % 3 == 0 {
                term.draw(|f| litbrowse::ui::render(&s, f)).unwrap();
            }
        }
        term.draw(|f| litbrowse::ui::render(&s, f)).unwrap();
    }
}
