//! Whole-screen snapshots (insta + ratatui's TestBackend) after key presses, at a wide and a
//! narrow size.

mod common;

use common::{press, screen, state};

const SIZES: [(u16, u16); 2] = [(120, 35), (60, 20)];

fn snap(name: &str, keys: &str) {
    for (w, h) in SIZES {
        let mut s = state(w, h);
        press(&mut s, keys);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen(&s));
    }
}

#[test]
fn main_screen() {
    snap("main", "");
}

#[test]
fn article_detail() {
    snap("article_detail", "/au:deering<enter><enter>");
}

#[test]
fn filter_mid_query() {
    snap("filter_mid_query", "/kw:\"peer sup");
}

#[test]
fn help_overlay() {
    snap("help", "?");
}

#[test]
fn record_page_with_chinese_text() {
    snap("record_page_chinese", "/au:ley<enter><enter>jjjjjjjjjjjjjj");
}
