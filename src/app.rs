//! The browser's state machine: `State`, `Mode`, `Action` and one `update`. No I/O and no
//! terminal here: side effects (a search on the worker, a copy, opening a link, writing an
//! export, quitting) are returned as `Effect`s for the run loop to perform.

use crate::export::ExportFormat;
use crate::query::{self, Query, QueryError};
use crate::record::Record;
use crate::search::{Index, Outcome, Request};
use crate::store::Records;
use crate::ui;
use std::collections::BTreeSet;
use std::sync::Arc;

/// Libraries smaller than this are matched inside `update`; larger ones on the worker.
pub const SYNC_LIMIT: usize = 20_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Browse,
    Filter,
    Help,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Detail,
}

pub use crate::library::SortKey;

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Quit,
    Suspend,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Left,
    Right,
    FocusNext,
    FocusPrev,
    Open,
    Escape,
    Back,
    StartFilter,
    Accept,
    Insert(char),
    DeleteBack,
    DeleteForward,
    DeleteWord,
    ClearInput,
    CursorLeft,
    CursorRight,
    CursorHome,
    CursorEnd,
    CycleSort,
    Reverse,
    CopyDoi,
    CopyCitation,
    OpenLink,
    ToggleMark,
    Export,
    CycleExportFormat,
    Help,
    WheelUp {
        col: u16,
        row: u16,
    },
    WheelDown {
        col: u16,
        row: u16,
    },
    Click {
        col: u16,
        row: u16,
    },
    Resize(u16, u16),
    Paste(String),
    /// A pass finished on the search worker.
    SearchDone(Done),
    /// A message from the run loop (an effect's result).
    Status(String),
}

/// A finished search pass; two are equal when they answer the same request.
#[derive(Debug, Clone)]
pub struct Done(pub Outcome);

impl PartialEq for Done {
    fn eq(&self, other: &Done) -> bool {
        self.0.generation == other.0.generation
    }
}

#[derive(Debug, Clone)]
pub enum Effect {
    Quit,
    Suspend,
    /// Match on the worker; the outcome comes back as `Action::SearchDone`.
    Search(Request),
    /// The records changed (a paste): the worker needs the new index.
    IndexChanged,
    /// Put text on the clipboard (OSC 52); `what` names it in the status line.
    Copy {
        text: String,
        what: String,
    },
    /// Open a URL in the browser, without waiting for it.
    OpenUrl(String),
    /// Write a file; the status line reports the result.
    Write {
        path: String,
        contents: String,
        summary: String,
    },
}

pub struct State {
    pub records: Arc<Records>,
    pub index: Arc<Index>,
    /// Record index by id, for related papers.
    pub by_id: IdTable,
    /// The visible records, in display order.
    pub view: Vec<u32>,
    /// Position in `view`; None when nothing is visible.
    pub selected: Option<usize>,
    /// First visible row of the list.
    pub list_offset: usize,
    pub detail_scroll: usize,
    /// Which related paper (index into the detail's links) is selected.
    pub related: Option<usize>,
    pub help_scroll: usize,
    pub focus: Focus,
    pub mode: Mode,
    pub filter: String,
    /// Cursor position in `filter`, in characters.
    pub cursor: usize,
    pub query_error: Option<QueryError>,
    /// The query whose hits are shown, and those hits (best first).
    pub query: Query,
    pub hits: Option<Arc<Vec<u32>>>,
    pub sort: SortKey,
    pub reverse: bool,
    /// True when the user sorted after the query was set: the sort then beats the score order.
    pub sorted_hits: bool,
    pub marks: BTreeSet<u32>,
    pub export_format: ExportFormat,
    pub status: Option<String>,
    /// The newest search request and the one whose result is shown.
    pub generation: u64,
    pub shown_generation: u64,
    pub width: u16,
    pub height: u16,
    /// Match inside `update` instead of on the worker.
    pub sync_search: bool,
    /// Records jumped away from, for `Back`.
    pub history: Vec<u32>,
}

impl State {
    pub fn new(records: impl Into<Records>, width: u16, height: u16) -> State {
        let records: Records = records.into();
        let sync = records.len() < SYNC_LIMIT;
        let records = Arc::new(records);
        let index = Arc::new(Index::new(records.clone()));
        let mut s = State {
            by_id: by_id(&records),
            records,
            index,
            view: Vec::new(),
            selected: None,
            list_offset: 0,
            detail_scroll: 0,
            related: None,
            help_scroll: 0,
            focus: Focus::List,
            mode: Mode::Browse,
            filter: String::new(),
            cursor: 0,
            query_error: None,
            query: Query::default(),
            hits: None,
            sort: SortKey::Year,
            reverse: false,
            sorted_hits: false,
            marks: BTreeSet::new(),
            export_format: ExportFormat::Bibtex,
            status: None,
            generation: 0,
            shown_generation: 0,
            width,
            height,
            sync_search: sync,
            history: Vec::new(),
        };
        s.rebuild_view(None);
        s
    }

    /// The selected record's index in `records` and the record.
    pub fn selected_record(&self) -> Option<(u32, Record)> {
        let i = *self.view.get(self.selected?)?;
        Some((i, self.records.get(i as usize)?))
    }

    /// True while a search pass is running on the worker.
    pub fn matching(&self) -> bool {
        self.generation != self.shown_generation
    }

    pub fn panes(&self) -> ui::Panes {
        ui::layout(self.width, self.height)
    }

    fn list_rows(&self) -> usize {
        ui::list::rows(self.panes().list)
    }

    fn detail_rows(&self) -> usize {
        usize::from(ui::detail::inner(self.panes().detail).height)
    }

    /// Rebuilds `view` from the hits (or all records) and the sort, keeping `keep` (a record)
    /// selected when it is still visible, else selecting the first row.
    fn rebuild_view(&mut self, keep: Option<u32>) {
        let query_active = !self.query.is_empty() && self.hits.is_some();
        let mut view: Vec<u32> = match (&self.hits, query_active) {
            (Some(h), true) => h.as_ref().clone(),
            _ => (0..self.records.len() as u32).collect(),
        };
        if !query_active || self.sorted_hits {
            self.sort_view(&mut view);
        }
        self.view = view;
        let pos = keep.and_then(|k| self.view.iter().position(|&v| v == k));
        let changed = pos.is_none();
        self.selected = pos.or((!self.view.is_empty()).then_some(0));
        if changed {
            self.detail_scroll = 0;
            self.related = None;
        }
        self.clamp();
    }

    fn sort_view(&self, view: &mut [u32]) {
        crate::library::sort_view(&self.records, view, self.sort, self.reverse);
    }

    /// Keeps selection, list offset and scroll positions inside their bounds.
    fn clamp(&mut self) {
        let n = self.view.len();
        self.selected = match (self.selected, n) {
            (_, 0) => None,
            (Some(s), _) => Some(s.min(n - 1)),
            (None, _) => Some(0),
        };
        let rows = self.list_rows().max(1);
        let sel = self.selected.unwrap_or(0);
        if sel < self.list_offset {
            self.list_offset = sel;
        } else if sel >= self.list_offset + rows {
            self.list_offset = sel + 1 - rows;
        }
        self.list_offset = self.list_offset.min(n.saturating_sub(rows));
        // Laying out the detail or help costs something; only do it when there is a bound to keep.
        if let Some(r) = self.related {
            let links = self.detail_links();
            if r >= links {
                self.related = links.checked_sub(1);
            }
        }
        if self.detail_scroll > 0 {
            let max = self.detail_height().saturating_sub(self.detail_rows());
            self.detail_scroll = self.detail_scroll.min(max);
        }
        if self.help_scroll > 0 {
            let max = ui::help::len(self).saturating_sub(ui::help::rows(self));
            self.help_scroll = self.help_scroll.min(max);
        }
    }

    fn detail_width(&self) -> u16 {
        ui::detail::inner(self.panes().detail).width
    }

    fn detail_height(&self) -> usize {
        match self.selected_record() {
            Some((i, _)) => ui::detail::build(self, i, self.detail_width(), None)
                .lines
                .len(),
            None => 0,
        }
    }

    fn detail_links(&self) -> usize {
        match self.selected_record() {
            Some((i, _)) => ui::detail::links(self, i).len(),
            None => 0,
        }
    }

    /// Scrolls the detail so the selected related paper is on screen.
    fn reveal_related(&mut self) {
        let (Some((i, _)), Some(r)) = (self.selected_record(), self.related) else {
            return;
        };
        let d = ui::detail::build(self, i, self.detail_width(), Some(r));
        if let Some(&(line, _)) = d.links.get(r) {
            let rows = self.detail_rows().max(1);
            if line < self.detail_scroll {
                self.detail_scroll = line;
            } else if line >= self.detail_scroll + rows {
                self.detail_scroll = line + 1 - rows;
            }
        }
    }

    fn move_selection(&mut self, delta: isize) {
        if let Some(s) = self.selected {
            let n = self.view.len() as isize;
            let to = (s as isize + delta).clamp(0, (n - 1).max(0)) as usize;
            if to != s {
                self.selected = Some(to);
                self.detail_scroll = 0;
                self.related = None;
            }
        }
        self.clamp();
    }

    fn scroll_detail(&mut self, delta: isize) {
        self.detail_scroll = (self.detail_scroll as isize + delta).max(0) as usize;
        self.clamp();
    }

    /// The effect of moving "down by `delta`" in whatever has focus.
    fn step(&mut self, delta: isize) {
        match (self.mode, self.focus) {
            (Mode::Help, _) => {
                self.help_scroll = (self.help_scroll as isize + delta).max(0) as usize;
                self.clamp();
            }
            (Mode::Filter, _) | (_, Focus::List) => self.move_selection(delta),
            (_, Focus::Detail) => self.scroll_detail(delta),
        }
    }

    fn page(&self) -> isize {
        let rows = match (self.mode, self.focus) {
            (Mode::Help, _) => ui::help::rows(self),
            (Mode::Filter, _) | (_, Focus::List) => self.list_rows(),
            (_, Focus::Detail) => self.detail_rows(),
        };
        rows.saturating_sub(1).max(1) as isize
    }

    fn filter_changed(&mut self) -> Vec<Effect> {
        match query::parse(&self.filter) {
            Err(e) => {
                self.query_error = Some(e);
                Vec::new()
            }
            Ok(q) => {
                self.query_error = None;
                self.set_query(q)
            }
        }
    }

    fn set_query(&mut self, q: Query) -> Vec<Effect> {
        if q == self.query && (self.hits.is_some() || q.is_empty()) {
            return Vec::new();
        }
        self.generation += 1;
        if q.is_empty() {
            self.query = q;
            self.hits = None;
            self.shown_generation = self.generation;
            self.sorted_hits = false;
            let keep = self.selected_record().map(|(i, _)| i);
            self.rebuild_view(keep);
            return Vec::new();
        }
        let request = Request::after(
            self.generation,
            q,
            self.hits.as_ref().map(|h| (&self.query, h)),
        );
        if self.sync_search {
            let never = || false;
            let hits = self
                .index
                .run(
                    &request.query,
                    request.within.as_deref().map(Vec::as_slice),
                    &never,
                )
                .unwrap_or_default();
            self.apply(Outcome {
                generation: request.generation,
                query: request.query,
                hits: Arc::new(hits.into_iter().map(|h| h.record).collect()),
                elapsed: std::time::Duration::ZERO,
            });
            Vec::new()
        } else {
            vec![Effect::Search(request)]
        }
    }

    /// Shows a finished pass unless a newer one is already shown.
    fn apply(&mut self, o: Outcome) {
        if o.generation < self.shown_generation {
            return;
        }
        self.shown_generation = o.generation;
        self.query = o.query;
        self.hits = Some(o.hits);
        self.sorted_hits = false;
        // The best match leads, as in fzf.
        self.selected = None;
        self.rebuild_view(None);
        self.list_offset = 0;
        self.clamp();
    }

    fn insert(&mut self, c: char) -> Vec<Effect> {
        let at = byte_at(&self.filter, self.cursor);
        self.filter.insert(at, c);
        self.cursor += 1;
        self.filter_changed()
    }

    fn clear_filter(&mut self) -> Vec<Effect> {
        self.filter.clear();
        self.cursor = 0;
        self.filter_changed()
    }

    /// Selects record `target`, clearing the filter when it hides it.
    fn jump_to(&mut self, target: u32) -> Vec<Effect> {
        let mut effects = Vec::new();
        if !self.view.contains(&target) {
            effects = self.clear_filter();
            self.status = Some("filter cleared to show the related paper".into());
        }
        if let Some(pos) = self.view.iter().position(|&v| v == target) {
            self.selected = Some(pos);
            self.detail_scroll = 0;
            self.related = None;
        }
        self.clamp();
        effects
    }

    /// Records an export or copy acts on: the marked ones, or the filtered set.
    fn chosen(&self) -> Vec<Record> {
        let ids: Vec<u32> = if self.marks.is_empty() {
            self.view.clone()
        } else {
            self.marks.iter().copied().collect()
        };
        ids.iter()
            .filter_map(|&i| self.records.get(i as usize))
            .collect()
    }

    /// Which pane (if any) holds the cell.
    fn pane_at(&self, col: u16, row: u16) -> Option<Focus> {
        let p = self.panes();
        let inside = |r: ratatui::layout::Rect| {
            col >= r.x && col < r.x + r.width && row >= r.y && row < r.y + r.height
        };
        if inside(p.list) {
            Some(Focus::List)
        } else if inside(p.detail) {
            Some(Focus::Detail)
        } else {
            None
        }
    }

    fn paste(&mut self, text: &str) -> Vec<Effect> {
        let (report, parsed) = crate::library::parse_bytes("<paste>", text.as_bytes());
        let problem = parsed.diagnostics.first().map(|d| d.to_string());
        let before = self.records.len();
        let mut lib = crate::library::Library {
            records: self.records.as_ref().clone(),
            ..Default::default()
        };
        crate::library::extend(&mut lib, (report, parsed));
        let added = lib.records.len() - before;
        // A pasted record that is already here is merged into it (its fields fill the gaps).
        let merged = lib.merged;
        let what = match (added, merged) {
            (n, 0) => format!("pasted {n} record(s)"),
            (n, m) => format!("pasted {n} new record(s), {m} merged into records already here"),
        };
        self.status = Some(match (added + merged, problem) {
            (0, Some(p)) => format!("paste not added: {p}"),
            (_, Some(p)) => format!("{what}; {p}"),
            (_, None) => what,
        });
        if added == 0 && merged == 0 {
            return Vec::new();
        }
        let keep = self.selected_record().map(|(i, _)| i);
        self.records = Arc::new(lib.records);
        self.by_id = by_id(&self.records);
        self.index = Arc::new(Index::new(self.records.clone()));
        self.sync_search = self.sync_search && self.records.len() < SYNC_LIMIT;
        self.hits = None;
        let mut effects = vec![Effect::IndexChanged];
        let q = std::mem::take(&mut self.query);
        if q.is_empty() {
            self.rebuild_view(keep);
        } else {
            effects.extend(self.set_query(q));
        }
        effects
    }
}

fn by_id(records: &Records) -> IdTable {
    IdTable::new(records)
}

/// Record index by id: the ids' hashes sorted, each with its record (no copy of the ids: at a
/// million records a map of owned ids cost a few hundred milliseconds of the first frame).
#[derive(Debug, Default)]
pub struct IdTable {
    entries: Vec<(u64, u32)>,
}

impl IdTable {
    fn new(records: &Records) -> IdTable {
        use rayon::prelude::*;
        let mut entries: Vec<(u64, u32)> = (0..records.len())
            .into_par_iter()
            .filter_map(|i| Some((id_hash(records.id(i)?), i as u32)))
            .collect();
        entries.par_sort_unstable();
        IdTable { entries }
    }

    /// The record with this id.
    pub fn get(&self, records: &Records, id: &str) -> Option<u32> {
        let h = id_hash(id);
        let from = self.entries.partition_point(|e| e.0 < h);
        self.entries[from..]
            .iter()
            .take_while(|e| e.0 == h)
            .map(|e| e.1)
            .find(|&i| records.id(i as usize) == Some(id))
    }
}

fn id_hash(id: &str) -> u64 {
    let mut h = crate::record::Fnv::default();
    h.write(id.as_bytes());
    h.0
}

fn byte_at(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(b, _)| b)
}

/// "Family, G., Family, G. (2012). Title. Container, 7(2), 126-134. https://doi.org/…"
pub fn citation(r: &Record) -> String {
    let names: Vec<String> = r
        .authors
        .iter()
        .map(|a| match (&a.family, &a.given) {
            (Some(f), Some(g)) => {
                let initials: Vec<String> = g
                    .split([' ', '-'])
                    .filter_map(|p| p.chars().next())
                    .map(|c| format!("{c}."))
                    .collect();
                format!("{f}, {}", initials.join(" "))
            }
            _ => a.name.clone(),
        })
        .collect();
    let mut out = names.join(", ");
    let year = r.year.map_or("n.d.".to_string(), |y| y.to_string());
    out.push_str(&format!(" ({year}). "));
    out.push_str(&r.title_or_fallback().0);
    out.push('.');
    if let Some(c) = &r.container {
        out.push_str(&format!(" {c}"));
        if let Some(v) = &r.volume {
            out.push_str(&format!(", {v}"));
            if let Some(i) = &r.issue {
                out.push_str(&format!("({i})"));
            }
        }
        if let Some(p) = &r.pages {
            out.push_str(&format!(", {p}"));
        }
        out.push('.');
    }
    if let Some(d) = &r.doi {
        out.push_str(&format!(" https://doi.org/{d}"));
    }
    crate::record::sanitize(&out).into_owned()
}

fn next_format(f: ExportFormat) -> ExportFormat {
    match f {
        ExportFormat::Bibtex => ExportFormat::Ris,
        ExportFormat::Ris => ExportFormat::CslJson,
        ExportFormat::CslJson => ExportFormat::Markdown,
        ExportFormat::Markdown => ExportFormat::Bibtex,
    }
}

pub fn format_name(f: ExportFormat) -> &'static str {
    match f {
        ExportFormat::Bibtex => "BibTeX",
        ExportFormat::Ris => "RIS",
        ExportFormat::CslJson => "CSL-JSON",
        ExportFormat::Markdown => "Markdown",
    }
}

/// The only place state changes.
pub fn update(s: &mut State, action: Action) -> Vec<Effect> {
    // A status message lasts until the next key.
    if !matches!(
        action,
        Action::SearchDone(_) | Action::Status(_) | Action::Resize(..)
    ) {
        s.status = None;
    }
    match action {
        Action::Quit => return vec![Effect::Quit],
        Action::Suspend => return vec![Effect::Suspend],
        Action::Up => s.step(-1),
        Action::Down => s.step(1),
        Action::PageUp => s.step(-s.page()),
        Action::PageDown => s.step(s.page()),
        Action::Top => s.step(isize::MIN / 2),
        Action::Bottom => s.step(isize::MAX / 2),
        Action::Left | Action::Right if s.focus == Focus::Detail => {
            let n = s.detail_links();
            if n > 0 {
                s.related = Some(match (s.related, action == Action::Right) {
                    (None, true) => 0,
                    (None, false) => n - 1,
                    (Some(r), true) => (r + 1) % n,
                    (Some(r), false) => (r + n - 1) % n,
                });
                s.reveal_related();
            }
        }
        Action::Left | Action::Right => {}
        Action::FocusNext | Action::FocusPrev => {
            let forward = action == Action::FocusNext;
            let n = s.detail_links();
            match (s.focus, s.related) {
                (Focus::List, _) => {
                    s.focus = Focus::Detail;
                    s.related = None;
                }
                // In the detail, Tab walks the related papers, then returns to the list.
                (Focus::Detail, None) if n > 0 => {
                    s.related = Some(if forward { 0 } else { n - 1 });
                    s.reveal_related();
                }
                (Focus::Detail, Some(r)) if forward && r + 1 < n => {
                    s.related = Some(r + 1);
                    s.reveal_related();
                }
                (Focus::Detail, Some(r)) if !forward && r > 0 => {
                    s.related = Some(r - 1);
                    s.reveal_related();
                }
                (Focus::Detail, _) => {
                    s.focus = Focus::List;
                    s.related = None;
                }
            }
        }
        Action::Open => match (s.focus, s.related) {
            (Focus::Detail, Some(r)) => {
                let target = s
                    .selected_record()
                    .and_then(|(i, _)| ui::detail::links(s, i).get(r).copied());
                if let (Some(t), Some((from, _))) = (target, s.selected_record()) {
                    s.history.push(from);
                    let effects = s.jump_to(t);
                    s.focus = Focus::Detail;
                    return effects;
                }
            }
            _ if s.selected.is_some() => s.focus = Focus::Detail,
            _ => {}
        },
        Action::Back => {
            if let Some(t) = s.history.pop() {
                return s.jump_to(t);
            }
            s.status = Some("no earlier record to go back to".into());
        }
        Action::Escape => match (s.mode, s.focus) {
            (Mode::Help, _) => s.mode = Mode::Browse,
            (Mode::Filter, _) => {
                s.mode = Mode::Browse;
                return s.clear_filter();
            }
            (Mode::Browse, Focus::Detail) => {
                s.focus = Focus::List;
                s.related = None;
            }
            (Mode::Browse, Focus::List) => return s.clear_filter(),
        },
        Action::StartFilter => {
            s.mode = Mode::Filter;
            s.cursor = s.filter.chars().count();
        }
        Action::Accept => s.mode = Mode::Browse,
        Action::Insert(c) if s.mode == Mode::Filter && !c.is_control() => return s.insert(c),
        Action::Insert(_) => {}
        Action::DeleteBack if s.cursor > 0 => {
            s.cursor -= 1;
            let at = byte_at(&s.filter, s.cursor);
            s.filter.remove(at);
            return s.filter_changed();
        }
        Action::DeleteForward if s.cursor < s.filter.chars().count() => {
            let at = byte_at(&s.filter, s.cursor);
            s.filter.remove(at);
            return s.filter_changed();
        }
        Action::DeleteBack | Action::DeleteForward => {}
        Action::DeleteWord => {
            let chars: Vec<char> = s.filter.chars().collect();
            let mut start = s.cursor.min(chars.len());
            while start > 0 && chars[start - 1].is_whitespace() {
                start -= 1;
            }
            while start > 0 && !chars[start - 1].is_whitespace() {
                start -= 1;
            }
            s.filter = chars[..start].iter().chain(&chars[s.cursor..]).collect();
            s.cursor = start;
            return s.filter_changed();
        }
        Action::ClearInput if s.mode == Mode::Filter => return s.clear_filter(),
        Action::ClearInput => {}
        Action::CursorLeft => s.cursor = s.cursor.saturating_sub(1),
        Action::CursorRight => s.cursor = (s.cursor + 1).min(s.filter.chars().count()),
        Action::CursorHome => s.cursor = 0,
        Action::CursorEnd => s.cursor = s.filter.chars().count(),
        Action::CycleSort | Action::Reverse => {
            if action == Action::CycleSort {
                s.sort = s.sort.next();
                s.reverse = false;
            } else {
                s.reverse = !s.reverse;
            }
            s.sorted_hits = !s.query.is_empty();
            let keep = s.selected_record().map(|(i, _)| i);
            s.rebuild_view(keep);
        }
        Action::CopyDoi => match s.selected_record() {
            Some((_, r)) => match &r.doi {
                Some(doi) => {
                    let doi = crate::record::sanitize(doi).into_owned();
                    return vec![Effect::Copy {
                        what: format!("DOI {doi}"),
                        text: doi,
                    }];
                }
                None => s.status = Some("this record has no DOI; Y copies a citation".into()),
            },
            None => s.status = Some("nothing selected".into()),
        },
        Action::CopyCitation => match s.selected_record() {
            Some((_, r)) => {
                return vec![Effect::Copy {
                    text: citation(&r),
                    what: "citation".into(),
                }]
            }
            None => s.status = Some("nothing selected".into()),
        },
        Action::OpenLink => match s.selected_record() {
            Some((_, r)) => {
                let url = r
                    .doi
                    .as_ref()
                    .map(|d| format!("https://doi.org/{d}"))
                    .or_else(|| r.url.clone());
                match url {
                    Some(u) => return vec![Effect::OpenUrl(u)],
                    None => s.status = Some("this record has no DOI or link to open".into()),
                }
            }
            None => s.status = Some("nothing selected".into()),
        },
        Action::ToggleMark => {
            if let Some((i, _)) = s.selected_record() {
                if !s.marks.remove(&i) {
                    s.marks.insert(i);
                }
                s.status = Some(format!("{} marked", s.marks.len()));
                s.move_selection(1);
            }
        }
        Action::Export => {
            let chosen = s.chosen();
            if chosen.is_empty() {
                s.status = Some("nothing to export".into());
            } else {
                let f = s.export_format;
                let what = if s.marks.is_empty() {
                    "shown"
                } else {
                    "marked"
                };
                return vec![Effect::Write {
                    path: format!("litbrowse-export.{}", f.extension()),
                    summary: format!("{} {what} record(s) as {}", chosen.len(), format_name(f)),
                    contents: crate::export::export(f, &chosen.iter().collect::<Vec<_>>()),
                }];
            }
        }
        Action::CycleExportFormat => {
            s.export_format = next_format(s.export_format);
            s.status = Some(format!(
                "e now exports {} to litbrowse-export.{}",
                format_name(s.export_format),
                s.export_format.extension()
            ));
        }
        Action::Help => {
            s.mode = Mode::Help;
            s.help_scroll = 0;
        }
        Action::WheelUp { col, row } | Action::WheelDown { col, row } => {
            let delta = if matches!(action, Action::WheelUp { .. }) {
                -3
            } else {
                3
            };
            match (s.mode, s.pane_at(col, row)) {
                (Mode::Help, _) => s.step(delta),
                (_, Some(Focus::List)) => s.move_selection(delta),
                (_, Some(Focus::Detail)) => s.scroll_detail(delta),
                (_, None) => {}
            }
        }
        Action::Click { col, row } => {
            if s.mode == Mode::Help {
                s.mode = Mode::Browse;
                return Vec::new();
            }
            match s.pane_at(col, row) {
                Some(Focus::List) => {
                    s.focus = Focus::List;
                    if let Some(pos) = ui::list::row_at(s, row) {
                        if s.selected != Some(pos) {
                            s.selected = Some(pos);
                            s.detail_scroll = 0;
                            s.related = None;
                        }
                    }
                    s.clamp();
                }
                Some(Focus::Detail) => s.focus = Focus::Detail,
                None => {}
            }
        }
        Action::Resize(w, h) => {
            s.width = w;
            s.height = h;
            s.clamp();
        }
        Action::Paste(text) => return s.paste(&text),
        Action::SearchDone(Done(o)) => s.apply(o),
        Action::Status(m) => s.status = Some(crate::record::sanitize(&m).into_owned()),
    }
    Vec::new()
}
