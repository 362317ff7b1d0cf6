//! The one-line bar at the bottom: the filter being typed (with its cursor, the match count and
//! any query error), or in browse mode the status message, the filter in use and key hints.

use super::{clean, text_width, theme};
use crate::app::{Mode, State};
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

fn count(state: &State) -> String {
    let mut s = format!("{} of {}", state.view.len(), state.records.len());
    if state.matching() {
        s.push_str(" · matching…");
    }
    s
}

pub fn render(state: &State, frame: &mut Frame, area: Rect) {
    let width = usize::from(area.width);
    let mut right: Vec<Span<'static>> = Vec::new();
    let mut left: Vec<Span<'static>> = Vec::new();
    if let Some(e) = &state.query_error {
        let full = format!("{} ", clean(&e.to_string()));
        // A narrow bar keeps room for the filter text itself.
        let msg = if text_width(&full) * 2 > width {
            format!("bad query at column {} ", e.at + 1)
        } else {
            full
        };
        right.push(Span::styled(msg, Style::new().fg(Color::Red)));
    }
    right.push(Span::styled(count(state), theme::dim()));
    let right_w: usize = right.iter().map(|s| text_width(&s.content)).sum();
    if state.mode == Mode::Filter {
        let prompt = Span::styled(
            "/ ",
            Style::new().fg(theme::ACCENT).add_modifier(Modifier::BOLD),
        );
        // Keep the cursor on screen: show the tail of a long filter.
        let room = width.saturating_sub(right_w + 3).max(1);
        let text: Vec<char> = clean(&state.filter).chars().collect();
        let cursor = state.cursor.min(text.len());
        let mut start = 0;
        while text_width(&text[start..cursor].iter().collect::<String>()) >= room {
            start += 1;
        }
        let mut shown = String::new();
        let mut used = 0;
        for &c in &text[start..] {
            let w = text_width(&c.to_string());
            if used + w > room {
                break;
            }
            shown.push(c);
            used += w;
        }
        let before: String = text[start..cursor].iter().collect();
        let x = area.x + 2 + text_width(&before) as u16;
        left.push(prompt);
        left.push(Span::raw(shown));
        frame.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
    } else if let Some(msg) = &state.status {
        left.push(Span::styled(
            clean(msg),
            Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
        ));
    } else {
        if !state.filter.is_empty() {
            left.push(Span::styled("filter: ", theme::dim()));
            left.push(Span::styled(
                clean(&state.filter),
                Style::new().fg(theme::ACCENT),
            ));
            left.push(Span::raw("  "));
        }
        if !state.marks.is_empty() {
            left.push(Span::styled(
                format!("{} marked  ", state.marks.len()),
                Style::new().fg(Color::Magenta),
            ));
        }
        left.push(Span::styled("/ filter  ? help  q quit", theme::dim()));
    }
    let left_w: usize = left.iter().map(|s| text_width(&s.content)).sum();
    let mut spans = left;
    if left_w + right_w < width {
        spans.push(Span::raw(" ".repeat(width - left_w - right_w)));
        spans.extend(right);
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
