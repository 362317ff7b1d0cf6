//! Record text with escape sequences, C1 controls and bidi overrides goes through the real
//! drawing path (TestBackend, and CrosstermBackend writing into memory) and none of it reaches
//! the bytes written.

mod common;

use litbrowse::app::State;
use litbrowse::record::{Author, Record, Section};
use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::io::Write;
use std::sync::{Arc, Mutex};

const EVIL: &str =
    "A\u{1b}[2J\u{1b}]0;pwned\u{7}B\u{9b}31mC\u{202e}D\u{1b}[?1049lE\u{85}F\u{200f}G";

fn hostile() -> Record {
    let mut r = common::article();
    r.title = Some(format!("Title {EVIL}"));
    r.authors = vec![Author::parse(&format!("Eve {EVIL}"))];
    r.authors[0].affiliations.push(format!("Lab {EVIL}"));
    r.container = Some(format!("Journal {EVIL}"));
    r.doi = Some(format!("10.1/{EVIL}"));
    r.keywords = vec![format!("kw {EVIL}")];
    r.abstract_sections = vec![
        Section {
            label: Some(format!("Purpose {EVIL}")),
            text: format!("purpose {EVIL}"),
        },
        Section {
            label: Some("Findings".into()),
            text: format!("findings {EVIL}"),
        },
    ];
    r.related = vec!["r:evil-untitled".into()];
    r
}

fn untitled_hostile() -> Record {
    Record {
        id: "r:evil-untitled".into(),
        title: None,
        teaser: Some(format!("Teaser {EVIL} more words here.")),
        authors: vec![Author::parse(&format!("Mallory {EVIL}"))],
        ..Record::default()
    }
}

fn states() -> Vec<State> {
    let mut out = Vec::new();
    for keys in ["", "<enter>", "<enter><tab>", "/eve<enter>", "j"] {
        let mut s = State::new(vec![hostile(), untitled_hostile()], 120, 35);
        common::press(&mut s, keys);
        out.push(s);
    }
    // A filter typed with the same characters (pasted into the bar).
    let mut s = State::new(vec![hostile(), untitled_hostile()], 60, 20);
    common::press(&mut s, "/");
    for c in EVIL.chars() {
        litbrowse::app::update(&mut s, litbrowse::app::Action::Insert(c));
    }
    out.push(s);
    out
}

fn is_forbidden(c: char) -> bool {
    litbrowse::record::is_unsafe_char(c)
}

#[test]
fn test_backend_cells_hold_no_control_or_bidi_characters() {
    for s in states() {
        let mut t = Terminal::new(TestBackend::new(s.width, s.height)).unwrap();
        t.draw(|f| litbrowse::ui::render(&s, f)).unwrap();
        let buf = t.backend().buffer();
        let mut text = String::new();
        for cell in buf.content() {
            assert!(
                !cell.symbol().chars().any(is_forbidden),
                "unsafe character in cell {:?}",
                cell.symbol()
            );
            text.push_str(cell.symbol());
        }
        assert!(
            text.contains("pwned"),
            "the text around the sequences is still shown"
        );
    }
}

#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every escape sequence in `bytes` is a CSI that ratatui's crossterm backend emits itself
/// (cursor moves, colours, cursor show/hide); anything else is reported.
fn foreign_sequences(bytes: &[u8]) -> Vec<String> {
    let mut bad = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == 0x1b {
            if bytes.get(i + 1) != Some(&b'[') {
                bad.push(format!("ESC not followed by [ at {i}"));
                i += 1;
                continue;
            }
            let mut j = i + 2;
            while j < bytes.len() && (0x30..=0x3f).contains(&bytes[j]) {
                j += 1;
            }
            let params = String::from_utf8_lossy(&bytes[i + 2..j]).to_string();
            let fin = bytes.get(j).copied().unwrap_or(0);
            let ok = matches!(fin, b'H' | b'm' | b'J' | b'K') && !(fin == b'J' && params == "2")
                || (matches!(fin, b'h' | b'l') && params == "?25");
            if !ok {
                bad.push(format!("ESC[{params}{}", fin as char));
            }
            i = j + 1;
        } else {
            if bytes[i] < 0x20 && bytes[i] != b'\n' && bytes[i] != b'\r' {
                bad.push(format!("C0 control {:#04x} at {i}", bytes[i]));
            }
            i += 1;
        }
    }
    bad
}

#[test]
fn crossterm_backend_writes_only_its_own_sequences() {
    for s in states() {
        let out = Shared::default();
        let backend = CrosstermBackend::new(out.clone());
        let mut t = Terminal::with_options(
            backend,
            TerminalOptions {
                viewport: Viewport::Fixed(Rect::new(0, 0, s.width, s.height)),
            },
        )
        .unwrap();
        t.draw(|f| litbrowse::ui::render(&s, f)).unwrap();
        drop(t);
        let bytes = out.0.lock().unwrap().clone();
        assert!(bytes.len() > 1000, "something was drawn");
        let text = String::from_utf8(bytes.clone()).expect("UTF-8 output");
        assert!(!text
            .chars()
            .any(|c| c != '\u{1b}' && is_forbidden(c) && c != '\n' && c != '\r'));
        for needle in [
            "\u{9b}",
            "\u{202e}",
            "\u{200f}",
            "\u{85}",
            "\u{7}",
            "\u{1b}]",
            "\u{1b}[2J",
            "\u{1b}[?1049",
        ] {
            assert!(!text.contains(needle), "{needle:?} reached the terminal");
        }
        assert_eq!(foreign_sequences(&bytes), Vec::<String>::new());
        assert!(text.contains("pwned"));
    }
}

// ratatui also drops control characters when it fills cells, so this checks our own layer
// on its own: the lines the detail pane hands to ratatui are already clean.
#[test]
fn detail_lines_are_clean_before_ratatui_sees_them() {
    let s = State::new(vec![hostile(), untitled_hostile()], 120, 35);
    for i in 0..2 {
        let d = litbrowse::ui::detail::build(&s, i, 50, Some(0));
        let text: String = d
            .lines
            .iter()
            .flat_map(|l| l.spans.iter().map(|s| s.content.to_string()))
            .collect();
        assert!(text.contains("pwned"));
        assert!(!text.chars().any(is_forbidden), "{text:?}");
    }
}
