//! The result list: one line per record (year, first author, title or a marked fallback,
//! container, times cited or views), matched characters highlighted, a position indicator.

use super::{clean, fit, theme};
use crate::app::{Focus, Mode, State};
use crate::query::Field;
use crate::search::highlight;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

/// Shown before a title the source did not give.
pub const NO_TITLE: &str = "⟨no title⟩ ";

/// Record rows that fit in the list pane (borders and the header row taken off).
pub fn rows(list: Rect) -> usize {
    usize::from(list.height.saturating_sub(3))
}

/// The view position drawn at screen row `row`, if any.
pub fn row_at(state: &State, row: u16) -> Option<usize> {
    let top = state.panes().list.y + 2;
    let r = usize::from(row.checked_sub(top)?);
    let pos = state.list_offset + r;
    (r < rows(state.panes().list) && pos < state.view.len()).then_some(pos)
}

/// Column widths for an inner width: (year, author, title, container, count).
fn columns(width: usize) -> [usize; 5] {
    let mark = 2;
    let year = 5;
    let count = if width >= 50 { 7 } else { 0 };
    // The title is what people scan; author and container get a sixth each.
    let author = (width / 6).clamp(8, 20);
    let container = if width >= 60 { (width / 6).min(28) } else { 0 };
    let title = width.saturating_sub(mark + year + author + container + count);
    [year, author, title, container, count]
}

/// "7/22", or "7/22 of 100" while a filter hides records.
pub fn position(state: &State) -> String {
    let n = state.view.len();
    let at = state.selected.map_or(0, |s| s + 1);
    if n == state.records.len() {
        format!("{at}/{n}")
    } else {
        format!("{at}/{n} of {}", state.records.len())
    }
}

pub fn render(state: &State, frame: &mut Frame, area: Rect) {
    let focused = state.focus == Focus::List || state.mode == Mode::Filter;
    let sort = format!(
        " {}{} ",
        if !state.query.is_empty() && !state.sorted_hits {
            "best match"
        } else {
            state.sort.label()
        },
        match (state.query.is_empty() || state.sorted_hits, state.reverse) {
            (false, _) => "",
            (true, false) => " ↓",
            (true, true) => " ↑",
        }
    );
    let block = Block::bordered()
        .border_style(theme::border(focused))
        .title(Line::from(format!(" Records {} ", position(state))).bold_if(focused))
        .title(Line::from(Span::styled(sort, theme::dim())).right_aligned());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let [yw, aw, tw, cw, nw] = columns(width);
    let header_style = Style::new()
        .add_modifier(Modifier::BOLD)
        .fg(Color::DarkGray);
    let mut header = vec![Span::styled("  ", header_style)];
    for (text, w) in [
        ("Year", yw),
        ("Author", aw),
        ("Title", tw),
        ("Container", cw),
        ("Cited", nw),
    ] {
        if w > 0 {
            header.extend(fit(text, w, &[], header_style, header_style));
        }
    }
    let mut lines = vec![Line::from(header)];
    let q = &state.query;
    for pos in state.list_offset.min(state.view.len())
        ..(state.list_offset + rows(area)).min(state.view.len())
    {
        let i = state.view[pos];
        let Some(r) = state.records.get(i as usize) else {
            continue;
        };
        let selected = state.selected == Some(pos);
        let base = if selected {
            theme::selected()
        } else {
            Style::new()
        };
        let hl = theme::matched();
        let mut spans = Vec::new();
        let mark = if state.marks.contains(&i) {
            Span::styled("● ", base.fg(Color::Magenta))
        } else {
            Span::styled("  ", base)
        };
        spans.push(mark);
        let year = r.year.map(|y| y.to_string()).unwrap_or_default();
        spans.extend(fit(&year, yw, &highlight(q, Field::Year, &year), base, hl));
        let author = clean(&r.first_author_label());
        let marks = highlight(q, Field::Author, &author);
        spans.extend(fit(&author, aw - 1, &marks, base, hl));
        spans.push(Span::styled(" ", base));
        let (title, fallback) = r.title_or_fallback();
        let title = clean(&title);
        if fallback {
            let style = base.add_modifier(Modifier::ITALIC).fg(if selected {
                Color::White
            } else {
                Color::Gray
            });
            let shown = format!("{NO_TITLE}{title}");
            let offset = NO_TITLE.chars().count();
            let marks: Vec<usize> = highlight(q, Field::Title, &title)
                .into_iter()
                .map(|p| p + offset)
                .collect();
            spans.extend(fit(&shown, tw.saturating_sub(1), &marks, style, hl));
        } else {
            let marks = highlight(q, Field::Title, &title);
            spans.extend(fit(&title, tw.saturating_sub(1), &marks, base, hl));
        }
        spans.push(Span::styled(" ", base));
        if cw > 0 {
            let c = clean(r.container.as_deref().unwrap_or(""));
            let style = if selected { base } else { theme::dim() };
            spans.extend(fit(
                &c,
                cw - 1,
                &highlight(q, Field::Container, &c),
                style,
                hl,
            ));
            spans.push(Span::styled(" ", base));
        }
        if nw > 0 {
            let count = match (r.citations, r.views) {
                (Some(c), _) => format!("{c:>6}"),
                (None, Some(v)) => format!("{v:>5}v"),
                _ => String::new(),
            };
            spans.extend(fit(&count, nw, &[], base, hl));
        }
        lines.push(Line::from(spans));
    }
    if state.view.is_empty() {
        let msg = if state.records.is_empty() {
            "no records loaded"
        } else {
            "no records match the filter"
        };
        lines.push(Line::from(Span::styled(msg, theme::dim())));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

trait BoldIf {
    fn bold_if(self, on: bool) -> Self;
}

impl BoldIf for Line<'static> {
    fn bold_if(self, on: bool) -> Self {
        if on {
            self.style(Style::new().add_modifier(Modifier::BOLD))
        } else {
            self
        }
    }
}
