//! The help overlay: every key, from `assets/help.txt` (a heading line, then "keys<TAB>what").

use super::{fit, text_width, theme, wrap};
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
        .min(text(w.saturating_sub(2)).len() as u16 + 2);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// The help text laid out for `width` columns: keys on the left, what they do wrapped beside.
pub fn text(width: u16) -> Vec<Line<'static>> {
    let all = lines();
    let width = usize::from(width);
    let longest = all
        .iter()
        .filter(|(_, w)| !w.is_empty())
        .map(|(k, _)| text_width(k))
        .max()
        .unwrap_or(0);
    let keys_w = (longest + 2).min(width / 2);
    let rest = width.saturating_sub(keys_w);
    let key_style = Style::new().fg(theme::ACCENT).add_modifier(Modifier::BOLD);
    let mut out = Vec::new();
    for (k, what) in all {
        if what.is_empty() {
            out.push(Line::from(Span::styled(
                k.to_string(),
                Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            )));
            continue;
        }
        let mut key = fit(k, keys_w, &[], key_style, key_style);
        for (n, mut l) in wrap(&[(what.to_string(), Style::new())], rest, None)
            .into_iter()
            .enumerate()
        {
            let lead = if n == 0 {
                std::mem::take(&mut key)
            } else {
                vec![Span::raw(" ".repeat(keys_w))]
            };
            l.spans.splice(0..0, lead);
            out.push(l);
        }
    }
    out
}

/// Help lines visible at once.
pub fn rows(state: &State) -> usize {
    let a = area(Rect::new(0, 0, state.width, state.height));
    usize::from(a.height.saturating_sub(2))
}

/// Lines of help at the current size, for clamping its scroll.
pub fn len(state: &State) -> usize {
    let a = area(Rect::new(0, 0, state.width, state.height));
    text(a.width.saturating_sub(2)).len()
}

pub fn render(state: &State, frame: &mut Frame, window: Rect) {
    let a = area(window);
    let all = text(a.width.saturating_sub(2));
    let more = all.len() > rows(state);
    let hint = if more {
        " j/k scroll · Esc close "
    } else {
        " Esc close "
    };
    let block = Block::bordered()
        .border_style(theme::border(true))
        .title(" Keys ")
        .title(Line::from(Span::styled(hint, theme::dim())).right_aligned());
    let inner = block.inner(a);
    frame.render_widget(Clear, a);
    frame.render_widget(block, a);
    let shown: Vec<Line<'static>> = all
        .into_iter()
        .skip(state.help_scroll)
        .take(usize::from(inner.height))
        .collect();
    frame.render_widget(Paragraph::new(shown), inner);
}
