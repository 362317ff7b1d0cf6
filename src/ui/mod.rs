//! Drawing: `render(&State, &mut Frame)` borrows the state and never changes it. One file per
//! pane. Geometry (`layout`) and text layout (`wrap`, `fit`) are pure so `update` can use them
//! to clamp scroll offsets.

pub mod detail;
pub mod filter;
pub mod help;
pub mod list;

use crate::app::State;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use unicode_width::UnicodeWidthChar;

/// Below this the app shows only "window too small".
pub const MIN_WIDTH: u16 = 20;
pub const MIN_HEIGHT: u16 = 5;
/// From this width on, list and detail sit side by side.
pub const SIDE_BY_SIDE: u16 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Panes {
    pub list: Rect,
    pub detail: Rect,
    pub bar: Rect,
    pub too_small: bool,
}

pub fn layout(width: u16, height: u16) -> Panes {
    if width < MIN_WIDTH || height < MIN_HEIGHT {
        return Panes {
            too_small: true,
            ..Panes::default()
        };
    }
    let body = height - 1;
    let bar = Rect::new(0, body, width, 1);
    let (list, detail) = if width >= SIDE_BY_SIDE {
        let lw = width * 3 / 5;
        (
            Rect::new(0, 0, lw, body),
            Rect::new(lw, 0, width - lw, body),
        )
    } else {
        let lh = (body * 9 / 20).max(3);
        (
            Rect::new(0, 0, width, lh),
            Rect::new(0, lh, width, body - lh),
        )
    };
    Panes {
        list,
        detail,
        bar,
        too_small: false,
    }
}

pub mod theme {
    use super::*;
    pub const ACCENT: Color = Color::Cyan;
    pub fn border(focused: bool) -> Style {
        if focused {
            Style::new().fg(ACCENT)
        } else {
            Style::new().fg(Color::DarkGray)
        }
    }
    pub fn matched() -> Style {
        Style::new()
            .fg(Color::Yellow)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
    pub fn selected() -> Style {
        Style::new().bg(Color::Blue).fg(Color::White)
    }
    pub fn dim() -> Style {
        Style::new().fg(Color::DarkGray)
    }
    pub fn findings() -> Style {
        Style::new().fg(Color::Yellow)
    }
}

pub fn render(state: &State, frame: &mut Frame) {
    let area = frame.area();
    let panes = layout(area.width, area.height);
    if panes.too_small {
        let msg = if area.width >= 16 {
            "window too small"
        } else {
            "too small"
        };
        frame.render_widget(Paragraph::new(msg), area);
        return;
    }
    list::render(state, frame, panes.list);
    detail::render(state, frame, panes.detail);
    filter::render(state, frame, panes.bar);
    if state.mode == crate::app::Mode::Help {
        help::render(state, frame, area);
    }
}

/// Record text made safe for the screen.
pub fn clean(s: &str) -> String {
    crate::record::sanitize(s).into_owned()
}

fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

pub fn text_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// `text` in exactly `width` columns: cut with "…" or padded; characters at `marks` (char
/// positions) drawn with `hl`.
pub fn fit(
    text: &str,
    width: usize,
    marks: &[usize],
    base: Style,
    hl: Style,
) -> Vec<Span<'static>> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    if width == 0 {
        return spans;
    }
    let total = text_width(text);
    let room = if total > width { width - 1 } else { width };
    let mut used = 0;
    let mut run = String::new();
    let mut run_hl = false;
    for (i, c) in text.chars().enumerate() {
        let w = char_width(c);
        if used + w > room {
            break;
        }
        let is_hl = marks.binary_search(&i).is_ok();
        if is_hl != run_hl && !run.is_empty() {
            spans.push(Span::styled(
                std::mem::take(&mut run),
                if run_hl { base.patch(hl) } else { base },
            ));
        }
        run_hl = is_hl;
        run.push(c);
        used += w;
    }
    if !run.is_empty() {
        spans.push(Span::styled(
            run,
            if run_hl { base.patch(hl) } else { base },
        ));
    }
    if total > width {
        spans.push(Span::styled("…", base));
        used += 1;
    }
    if used < width {
        spans.push(Span::styled(" ".repeat(width - used), base));
    }
    spans
}

/// Word-wraps styled text to `width` columns. Wide (CJK) characters may break anywhere and are
/// measured as two columns; a word longer than a line is split. `prefix` starts every line.
pub fn wrap(
    segments: &[(String, Style)],
    width: usize,
    prefix: Option<&Span<'static>>,
) -> Vec<Line<'static>> {
    let pw = prefix.map_or(0, |p| text_width(&p.content));
    let mut w = Wrapper {
        avail: width.saturating_sub(pw).max(1),
        lines: Vec::new(),
        cur: Vec::new(),
        cur_w: 0,
        space: None,
    };
    for (text, style) in segments {
        let mut word = String::new();
        let mut word_w = 0;
        for c in text.chars() {
            if c.is_whitespace() {
                w.word(std::mem::take(&mut word), word_w, *style);
                word_w = 0;
                if w.cur_w > 0 {
                    w.space = Some(*style);
                }
            } else if char_width(c) > 1 {
                w.word(std::mem::take(&mut word), word_w, *style);
                w.word(c.to_string(), char_width(c), *style);
                word_w = 0;
            } else {
                word.push(c);
                word_w += char_width(c);
            }
        }
        w.word(word, word_w, *style);
    }
    if !w.cur.is_empty() || w.lines.is_empty() {
        w.newline();
    }
    w.lines
        .into_iter()
        .map(|mut spans| {
            if let Some(p) = prefix {
                spans.insert(0, p.clone());
            }
            Line::from(spans)
        })
        .collect()
}

struct Wrapper {
    avail: usize,
    lines: Vec<Vec<Span<'static>>>,
    cur: Vec<Span<'static>>,
    cur_w: usize,
    /// A space is owed before the next word, in this style.
    space: Option<Style>,
}

impl Wrapper {
    fn newline(&mut self) {
        self.lines.push(std::mem::take(&mut self.cur));
        self.cur_w = 0;
    }

    fn word(&mut self, word: String, width: usize, style: Style) {
        if word.is_empty() {
            return;
        }
        match self.space.take() {
            Some(sp) if self.cur_w > 0 && self.cur_w + 1 + width <= self.avail => {
                self.cur.push(Span::styled(" ", sp));
                self.cur_w += 1;
            }
            _ if self.cur_w > 0 && self.cur_w + width > self.avail => self.newline(),
            Some(_) if self.cur_w > 0 => self.newline(),
            _ => {}
        }
        if self.cur_w + width <= self.avail {
            self.cur.push(Span::styled(word, style));
            self.cur_w += width;
            return;
        }
        // Longer than a line: split by characters.
        let mut part = String::new();
        for c in word.chars() {
            let cw = char_width(c);
            if self.cur_w + cw > self.avail && self.cur_w > 0 {
                if !part.is_empty() {
                    self.cur
                        .push(Span::styled(std::mem::take(&mut part), style));
                }
                self.newline();
            }
            part.push(c);
            self.cur_w += cw;
        }
        if !part.is_empty() {
            self.cur.push(Span::styled(part, style));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn wraps_at_words_and_splits_cjk() {
        let seg = [("peer support workers in teams".to_string(), Style::new())];
        assert_eq!(
            plain(&wrap(&seg, 12, None)),
            ["peer support", "workers in", "teams"]
        );
        let seg = [("同伴支持的评估研究".to_string(), Style::new())];
        let out = plain(&wrap(&seg, 7, None));
        assert_eq!(out, ["同伴支", "持的评", "估研究"]);
        assert!(out.iter().all(|l| text_width(l) <= 7));
    }

    #[test]
    fn long_words_are_split() {
        let seg = [("abcdefghij".to_string(), Style::new())];
        assert_eq!(plain(&wrap(&seg, 4, None)), ["abcd", "efgh", "ij"]);
    }

    #[test]
    fn fit_cuts_and_pads() {
        let s: String = fit("Repper and Watson", 8, &[], Style::new(), Style::new())
            .iter()
            .map(|s| s.content.to_string())
            .collect();
        assert_eq!(s, "Repper …");
        let s: String = fit("中文标题", 5, &[], Style::new(), Style::new())
            .iter()
            .map(|s| s.content.to_string())
            .collect();
        assert_eq!(text_width(&s), 5);
    }
}
