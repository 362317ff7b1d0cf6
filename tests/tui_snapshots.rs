//! Whole-screen snapshots (insta + ratatui's TestBackend) of the built-in library after key
//! presses, at a wide (side by side) and a narrow (stacked) size.

mod common;

use common::{press, screen};
use litbrowse::app::State;

fn builtin(w: u16, h: u16) -> State {
    State::new(litbrowse::library::builtin().records, w, h)
}

/// Snapshots the screen after `keys` at 120x35 and `narrow_keys` at 60x20.
fn snap(name: &str, keys: &str, narrow_keys: &str) {
    for (w, h, k) in [(120, 35, keys), (60, 20, narrow_keys)] {
        let mut s = builtin(w, h);
        press(&mut s, k);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen(&s));
    }
}

#[test]
fn main_screen() {
    snap("main", "", "");
}

#[test]
fn article_page_record_detail() {
    // The detail scrolled to the abstract's Findings in the narrow window.
    snap(
        "article_detail",
        "/au:deering<enter><enter>",
        "/au:deering<enter><enter>jjjjjjjjjjjjjjjjjjjjjjjjjj",
    );
}

#[test]
fn filter_bar_mid_query() {
    snap("filter_mid_query", "/kw:\"peer sup", "/kw:\"peer sup");
}

#[test]
fn help_overlay() {
    snap("help", "?", "?");
}

#[test]
fn record_page_with_chinese_text() {
    snap(
        "record_page_chinese",
        "/au:ley<enter><enter>",
        "/au:ley<enter><enter>jjjjjjjjj",
    );
}

/// CJK text in an abstract wraps by display width (two columns a character).
#[test]
fn chinese_abstract_wraps_by_width() {
    let mut s = State::new(vec![common::record_page()], 60, 20);
    press(&mut s, "<enter>jjjjjjjjjjjjjj");
    insta::assert_snapshot!("fixture_chinese_abstract_60x20", screen(&s));
}

/// What text snapshots cannot show: matched characters, Findings and the selected row styled.
#[test]
fn styles_mark_matches_findings_and_the_selection() {
    use ratatui::backend::TestBackend;
    use ratatui::style::{Color, Modifier};
    let mut s = builtin(120, 35);
    press(
        &mut s,
        "/au:deering<enter><enter>jjjjjjjjjjjjjjjjjjjjjjjjjj",
    );
    let mut t = ratatui::Terminal::new(TestBackend::new(120, 35)).unwrap();
    t.draw(|f| litbrowse::ui::render(&s, f)).unwrap();
    let buf = t.backend().buffer();
    let row = |y: u16| -> String { (0..120).map(|x| buf[(x, y)].symbol().to_string()).collect() };
    // Row 2 is the selected record: "Deering" matched, the row on a blue background.
    let line = row(2);
    let at = line
        .find("Deering")
        .map(|b| line[..b].chars().count() as u16)
        .unwrap();
    for x in at..at + 7 {
        let c = &buf[(x, 2)];
        assert_eq!(c.fg, Color::Yellow, "matched character {x}");
        assert!(c.modifier.contains(Modifier::BOLD));
    }
    assert_eq!(buf[(3, 2)].bg, Color::Blue);
    // The Findings heading and text are bold, behind a yellow bar.
    let y = (0..35)
        .find(|&y| row(y).contains("FINDINGS"))
        .expect("Findings on screen");
    let bar_x = row(y).chars().position(|c| c == '▌').unwrap() as u16;
    assert_eq!(buf[(bar_x, y)].fg, Color::Yellow);
    assert_eq!(buf[(bar_x, y + 1)].fg, Color::Yellow);
    assert!(buf[(bar_x + 2, y + 1)].modifier.contains(Modifier::BOLD));
}
