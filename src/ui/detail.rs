//! The detail pane: title, authors with affiliations, container, identifiers, keywords, the
//! abstract section by section (Findings emphasised), then related papers, each selectable.
//! Lines are wrapped here, at word boundaries, so `update` knows the height to clamp scrolling.

use super::{clean, theme, wrap};
use crate::app::{Focus, State};
use crate::record::{is_findings_label, Record};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Padding, Paragraph};
use ratatui::Frame;

pub struct DetailText {
    pub lines: Vec<Line<'static>>,
    /// Per related paper that resolves to a record: its first line and the record.
    pub links: Vec<(usize, u32)>,
}

/// Related papers of record `i` that are in the library, in order.
pub fn links(state: &State, i: u32) -> Vec<u32> {
    match state.records.get(i as usize) {
        Some(r) => links_of(state, i, &r),
        None => Vec::new(),
    }
}

/// `links` of record `i`, already decoded as `r` (the detail pane draws it: decoding it again
/// every frame was work done twice).
fn links_of(state: &State, i: u32, r: &Record) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::new();
    for id in &r.related {
        if let Some(j) = state.by_id.get(&state.records, id) {
            if j != i && !out.contains(&j) {
                out.push(j);
            }
        }
    }
    out
}

fn label(text: &str) -> Span<'static> {
    Span::styled(format!("{text:<9} "), theme::dim())
}

/// "Journal, vol. 7, no. 2, pp. 126-134, 2012-06-15"
fn container_line(r: &Record) -> Option<String> {
    let mut parts = r.place();
    match (&r.date, r.year) {
        (Some(d), _) => parts.push(d.clone()),
        (None, Some(y)) => parts.push(y.to_string()),
        _ => {}
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// The wrapped text of record `i`'s detail at `width` columns; `selected` is the related
/// paper to draw as selected.
pub fn build(state: &State, i: u32, width: u16, selected: Option<usize>) -> DetailText {
    let width = usize::from(width).max(1);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut link_lines = Vec::new();
    let Some(r) = state.records.get(i as usize) else {
        return DetailText {
            lines,
            links: link_lines,
        };
    };
    let para = |lines: &mut Vec<Line<'static>>, segs: Vec<(String, Style)>| {
        lines.extend(wrap(&segs, width, None));
    };
    let field = |lines: &mut Vec<Line<'static>>, name: &str, value: String, style: Style| {
        let prefix = label(name);
        let mut wrapped = wrap(&[(clean(&value), style)], width.saturating_sub(10), None);
        for (n, l) in wrapped.iter_mut().enumerate() {
            let p = if n == 0 {
                prefix.clone()
            } else {
                Span::raw(" ".repeat(10))
            };
            l.spans.insert(0, p);
        }
        lines.extend(wrapped);
    };

    let (title, fallback) = r.title_or_fallback();
    let title_style = Style::new().add_modifier(Modifier::BOLD);
    if fallback {
        para(
            &mut lines,
            vec![
                (
                    super::list::NO_TITLE.to_string(),
                    theme::dim().add_modifier(Modifier::ITALIC),
                ),
                (clean(&title), title_style.add_modifier(Modifier::ITALIC)),
            ],
        );
    } else {
        para(&mut lines, vec![(clean(&title), title_style)]);
    }
    let mut kind = r.kind.as_str().to_string();
    if let Some(t) = &r.paper_type {
        kind.push_str(" · ");
        kind.push_str(t);
    }
    lines.push(Line::from(Span::styled(clean(&kind), theme::dim())));
    lines.push(Line::default());

    let with_affiliations = r.authors.iter().any(|a| !a.affiliations.is_empty());
    if with_affiliations {
        for a in &r.authors {
            let mut segs = vec![(clean(&a.name), Style::new().fg(Color::Green))];
            if !a.affiliations.is_empty() {
                segs.push((
                    format!(" — {}", clean(&a.affiliations.join("; "))),
                    theme::dim(),
                ));
            }
            lines.extend(wrap(&segs, width, None));
        }
    } else if !r.authors.is_empty() {
        let names: Vec<String> = r.authors.iter().map(|a| clean(&a.name)).collect();
        para(
            &mut lines,
            vec![(names.join(", "), Style::new().fg(Color::Green))],
        );
    }
    if let Some(c) = container_line(&r) {
        para(
            &mut lines,
            vec![(clean(&c), Style::new().add_modifier(Modifier::ITALIC))],
        );
    }
    if let Some(p) = &r.publisher {
        field(&mut lines, "Publisher", p.clone(), Style::new());
    }
    if let Some(d) = &r.doi {
        field(&mut lines, "DOI", d.clone(), Style::new().fg(theme::ACCENT));
    }
    if !r.issn.is_empty() {
        field(&mut lines, "ISSN", r.issn.join(", "), Style::new());
    }
    if !r.isbn.is_empty() {
        field(&mut lines, "ISBN", r.isbn.join(", "), Style::new());
    }
    if let Some(p) = &r.pmid {
        field(&mut lines, "PMID", p.clone(), Style::new());
    }
    if r.doi.is_none() {
        if let Some(u) = &r.url {
            field(&mut lines, "URL", u.clone(), Style::new());
        }
    }
    if !r.keywords.is_empty() {
        field(&mut lines, "Keywords", r.keywords.join(" · "), Style::new());
    }
    if !r.subjects.is_empty() {
        field(&mut lines, "Subjects", r.subjects.join(" · "), theme::dim());
    }
    let mut counts = Vec::new();
    if let Some(c) = r.citations {
        counts.push(format!("cited {c} times"));
    }
    if let Some(v) = r.views {
        counts.push(format!("{v} views"));
    }
    if !counts.is_empty() {
        field(&mut lines, "Impact", counts.join(", "), Style::new());
    }

    if !r.abstract_sections.is_empty() {
        lines.push(Line::default());
        let heading = Style::new().add_modifier(Modifier::BOLD).fg(theme::ACCENT);
        lines.push(Line::from(Span::styled("Abstract", heading)));
        for s in &r.abstract_sections {
            let findings = s.label.as_deref().is_some_and(is_findings_label);
            if findings {
                let bar = Span::styled("▌ ", theme::findings());
                let head = clean(s.label.as_deref().unwrap_or("Findings")).to_uppercase();
                lines.push(Line::default());
                lines.push(Line::from(vec![
                    bar.clone(),
                    Span::styled(
                        head,
                        theme::findings().add_modifier(Modifier::BOLD | Modifier::REVERSED),
                    ),
                ]));
                lines.extend(wrap(
                    &[(clean(&s.text), Style::new().add_modifier(Modifier::BOLD))],
                    width,
                    Some(&bar),
                ));
            } else {
                if let Some(l) = &s.label {
                    lines.push(Line::default());
                    lines.push(Line::from(Span::styled(
                        clean(l),
                        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                    )));
                }
                para(&mut lines, vec![(clean(&s.text), Style::new())]);
            }
        }
    } else if let Some(t) = &r.teaser {
        lines.push(Line::default());
        para(
            &mut lines,
            vec![(clean(t), Style::new().add_modifier(Modifier::ITALIC))],
        );
    }

    let related = links_of(state, i, &r);
    let unresolved = r.related.len().saturating_sub(related.len());
    if !r.related.is_empty() {
        lines.push(Line::default());
        let heading = Style::new().add_modifier(Modifier::BOLD).fg(theme::ACCENT);
        lines.push(Line::from(Span::styled(
            format!("Related papers ({})", r.related.len()),
            heading,
        )));
        for (n, &j) in related.iter().enumerate() {
            let Some(rel) = state.records.get(j as usize) else {
                continue;
            };
            let chosen = selected == Some(n);
            let style = if chosen {
                theme::selected().add_modifier(Modifier::BOLD)
            } else {
                Style::new().fg(theme::ACCENT)
            };
            let (t, _) = rel.title_or_fallback();
            let mut tail = String::new();
            if let Some(y) = rel.year {
                tail.push_str(&format!(" ({y})"));
            }
            let who = rel.first_author_label();
            if !who.is_empty() {
                tail.push_str(&format!(" — {who}"));
            }
            link_lines.push((lines.len(), j));
            // A hanging indent: the marker on the first line only.
            let mut entry = wrap(
                &[(clean(&t), style), (clean(&tail), theme::dim())],
                width,
                Some(&Span::raw("  ")),
            );
            if let Some(first) = entry.first_mut() {
                first.spans[0] = Span::styled(if chosen { "▶ " } else { "→ " }, style);
            }
            lines.extend(entry);
        }
        if unresolved > 0 {
            lines.push(Line::from(Span::styled(
                format!("and {unresolved} not in this library"),
                theme::dim(),
            )));
        }
    }
    lines.push(Line::default());
    let src = &r.source;
    let mut from = format!("{}:{} ({})", src.path, src.line, src.format);
    if r.sources.len() > 1 {
        from.push_str(&format!(" and {} more", r.sources.len() - 1));
    }
    field(&mut lines, "Source", from, theme::dim());
    DetailText {
        lines,
        links: link_lines,
    }
}

fn block(focused: bool) -> Block<'static> {
    Block::bordered()
        .border_style(theme::border(focused))
        .padding(Padding::horizontal(1))
}

/// Where the text goes inside the detail pane `area`.
pub fn inner(area: Rect) -> Rect {
    block(false).inner(area)
}

pub fn render(state: &State, frame: &mut Frame, area: Rect) {
    let focused = state.focus == Focus::Detail && state.mode != crate::app::Mode::Filter;
    let mut block = block(focused);
    let inner = block.inner(area);
    let Some((i, _)) = state.selected_record() else {
        frame.render_widget(block.title(" Detail "), area);
        return;
    };
    let selected = if focused { state.related } else { None };
    let text = build(state, i, inner.width, selected);
    let rows = usize::from(inner.height);
    let total = text.lines.len();
    let top = state.detail_scroll.min(total.saturating_sub(rows));
    let title = if total > rows {
        format!(
            " Detail {}% ",
            ((top + rows).min(total) * 100)
                .checked_div(total)
                .unwrap_or(100)
        )
    } else {
        " Detail ".to_string()
    };
    block = block.title(title);
    if focused {
        block = block.title(
            Line::from(Span::styled(" Tab: related · Esc: list ", theme::dim())).right_aligned(),
        );
    }
    frame.render_widget(block, area);
    let shown: Vec<Line<'static>> = text.lines.into_iter().skip(top).take(rows).collect();
    frame.render_widget(Paragraph::new(shown), inner);
}
