//! Draws the app on the built-in library into ratatui's TestBackend and prints the screen as
//! SVG, for the README. Run by `scripts/screenshot.sh`; the keys pressed are the arguments.

use litbrowse::app::State;
use ratatui::backend::TestBackend;
use ratatui::buffer::Cell;
use ratatui::style::{Color, Modifier};
use ratatui::Terminal;
use std::fmt::Write;
use unicode_width::UnicodeWidthStr;

const W: u16 = 120;
const H: u16 = 35;
const CELL_W: f32 = 8.4;
const CELL_H: f32 = 18.0;

fn rgb(c: Color, fg: bool) -> String {
    let s = match c {
        Color::Reset => {
            if fg {
                "#d4d4d4"
            } else {
                "#1e1e2e"
            }
        }
        Color::Black => "#1e1e2e",
        Color::Red => "#f38ba8",
        Color::Green => "#a6e3a1",
        Color::Yellow => "#f9e2af",
        Color::Blue => "#3d59a1",
        Color::Magenta => "#cba6f7",
        Color::Cyan => "#89dceb",
        Color::Gray => "#bac2de",
        Color::DarkGray => "#7f849c",
        Color::White => "#ffffff",
        Color::Rgb(r, g, b) => return format!("#{r:02x}{g:02x}{b:02x}"),
        _ => "#d4d4d4",
    };
    s.to_string()
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Foreground and background after REVERSED is applied.
fn colours(c: &Cell) -> (String, String) {
    let (fg, bg) = (rgb(c.fg, true), rgb(c.bg, false));
    if c.modifier.contains(Modifier::REVERSED) {
        (rgb(c.bg, false), rgb(c.fg, true))
    } else {
        (fg, bg)
    }
}

fn main() {
    let keys: String = std::env::args().skip(1).collect::<Vec<_>>().join("");
    let mut state = State::new(litbrowse::library::builtin().records, W, H);
    for k in litbrowse::keys::parse_keys(&keys).unwrap_or_default() {
        if let Some(a) = litbrowse::keys::map(k, state.mode) {
            litbrowse::app::update(&mut state, a);
        }
    }
    let mut term = match Terminal::new(TestBackend::new(W, H)) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("screenshot: {e}");
            std::process::exit(1);
        }
    };
    let _ = term.draw(|f| litbrowse::ui::render(&state, f));
    let buf = term.backend().buffer();
    let (width, height) = (f32::from(W) * CELL_W, f32::from(H) * CELL_H);
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">"#
    );
    let _ = writeln!(
        svg,
        r#"<rect width="100%" height="100%" fill="{}"/>"#,
        rgb(Color::Reset, false)
    );
    let _ = writeln!(
        svg,
        r#"<g font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="14px" xml:space="preserve">"#
    );
    for y in 0..H {
        let mut x = 0;
        while x < W {
            // A run of cells with the same look becomes one <text>.
            let first = &buf[(x, y)];
            let mut run = String::new();
            let mut cols = 0u16;
            let start = x;
            while x < W {
                let c = &buf[(x, y)];
                if c.fg != first.fg || c.bg != first.bg || c.modifier != first.modifier {
                    break;
                }
                let w = UnicodeWidthStr::width(c.symbol()).max(1) as u16;
                run.push_str(c.symbol());
                cols += w;
                x += w;
            }
            let (fg, bg) = colours(first);
            let px = f32::from(start) * CELL_W;
            let py = f32::from(y) * CELL_H;
            if bg != rgb(Color::Reset, false) {
                let _ = writeln!(
                    svg,
                    r#"<rect x="{px}" y="{py}" width="{}" height="{CELL_H}" fill="{bg}"/>"#,
                    f32::from(cols) * CELL_W
                );
            }
            if run.trim().is_empty() {
                continue;
            }
            let mut attrs = String::new();
            if first.modifier.contains(Modifier::BOLD) {
                attrs.push_str(r#" font-weight="bold""#);
            }
            if first.modifier.contains(Modifier::ITALIC) {
                attrs.push_str(r#" font-style="italic""#);
            }
            if first.modifier.contains(Modifier::UNDERLINED) {
                attrs.push_str(r#" text-decoration="underline""#);
            }
            let _ = writeln!(
                svg,
                r#"<text x="{px}" y="{}" fill="{fg}" textLength="{}" lengthAdjust="spacingAndGlyphs"{attrs}>{}</text>"#,
                py + CELL_H * 0.75,
                f32::from(cols) * CELL_W,
                esc(&run)
            );
        }
    }
    svg.push_str("</g>\n</svg>\n");
    print!("{svg}");
}
