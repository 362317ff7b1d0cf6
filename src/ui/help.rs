//! The help overlay: every key, from `assets/help.txt` (a heading line, then "keys<TAB>what").

use super::{fit, theme};
use crate::app::State;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

pub const TEXT: &str = include_str!("../../assets/help.txt");

/// (keys, what) per line; a heading has no tab and an empty `what`.
pub fn lines() -> Vec<(&'static str, &'static str)> {
    TEXT.lines()
        .map(|l| l.split_once('\t').unwrap_or((l, "")))
        .collect()
}

/// The overlay's area inside a window of `area`.
pub fn area(area: Rect) -> Rect {
    let w = area.width.saturating_sub(4).min(76);
    let h = area
        .height
        .saturating_sub(2)
        .min(lines().len() as u16 + 2);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Help lines visible at once.
pub fn rows(state: &State) -> usize {
    let a = area(Rect::new(0, 0, state.width, state.height));
    usize::from(a.height.saturating_sub(2))
}

pub fn render(state: &State, frame: &mut Frame, window: Rect) {
    let a = area(window);
    let all = lines();
    let more = all.len() > rows(state);
    let mut block = Block::bordered()
        .border_style(theme::border(true))
        .title(" Keys ");
    if more {
        block = block.title(
            Line::from(Span::styled(" j/k scroll · Esc close ", theme::dim())).right_aligned(),
        );
    } else {
        block = block.title(Line::from(Span::styled(" Esc close ", theme::dim())).right_aligned());
    }
    let inner = block.inner(a);
    frame.render_widget(Clear, a);
    frame.render_widget(block, a);
    let keys_w = 26.min(usize::from(inner.width) / 2);
    let rest = usize::from(inner.width).saturating_sub(keys_w);
    let key_style = Style::new().fg(theme::ACCENT).add_modifier(Modifier::BOLD);
    let shown: Vec<Line<'static>> = all
        .iter()
        .skip(state.help_scroll)
        .take(usize::from(inner.height))
        .map(|(k, what)| {
            if what.is_empty() {
                Line::from(Span::styled(
                    k.to_string(),
                    Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                ))
            } else {
                let mut spans = fit(k, keys_w, &[], key_style, key_style);
                spans.extend(fit(what, rest, &[], Style::new(), Style::new()));
                Line::from(spans)
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(shown), inner);
}
