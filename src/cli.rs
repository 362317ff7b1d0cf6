//! The command line: `litbrowse [PATHS]` opens the browser; `list`, `show`, `check` and
//! `export` work on the same library without a terminal UI.

use crate::export::ExportFormat;
use crate::library::{self, Library, SortKey};
use crate::record::{sanitize, Record};
use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use std::io::Write;
use unicode_width::UnicodeWidthChar;

#[derive(Debug, Parser)]
#[command(
    name = "litbrowse",
    version,
    about = "Read, filter and export research literature offline, in the terminal",
    long_about = "Read, filter and export research literature offline, in the terminal.\n\n\
        PATHS are files, folders (read recursively) or - for standard input, in any of: RIS, \
        BibTeX/BibLaTeX, PubMed MEDLINE, PubMed XML, Web of Science, CSL-JSON, EndNote XML, or \
        pages copied from literature databases. The format is detected from the content. With \
        no PATHS, the built-in library (the seed documents) is used.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Files, folders or - (stdin) to open in the browser
    pub paths: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// One line per record (year, first author, title, container), or JSON
    List {
        /// Filter, e.g. "au:repper kw:peer yr:2010..2016" (same language as the browser)
        #[arg(short, long)]
        query: Option<String>,
        /// Order when no query is given (with a query: best match first)
        #[arg(short, long, value_enum, default_value_t = SortKey::Year)]
        sort: SortKey,
        /// Reverse the order
        #[arg(short, long)]
        reverse: bool,
        /// Print the records as a JSON array
        #[arg(long)]
        json: bool,
        paths: Vec<String>,
    },
    /// One record in full: by id (as `list --json` shows), DOI, or a unique id prefix
    Show {
        id: String,
        #[arg(long)]
        json: bool,
        paths: Vec<String>,
    },
    /// What was loaded from each source, and every problem found; exit code 1 on errors
    Check { paths: Vec<String> },
    /// Write records as RIS, BibTeX, CSL-JSON or Markdown
    Export {
        #[arg(short, long, value_enum)]
        format: ExportFormat,
        /// Only records matching this filter
        #[arg(short, long)]
        query: Option<String>,
        /// Output file (default: standard output)
        #[arg(short, long)]
        output: Option<std::path::PathBuf>,
        paths: Vec<String>,
    },
}

/// Exit status for the caller: 0 fine, 1 a problem was reported.
pub type Status = i32;

pub fn run(cli: Cli) -> Result<Status> {
    match cli.command {
        None => {
            // Progress goes to the terminal before the browser takes the screen; problems
            // are shown in the browser's status line.
            let progress = crate::cache::StderrProgress::default();
            // Keyed before loading: a file that changes meanwhile is not stored under it.
            let key = crate::index_cache::Key::of(&cli.paths);
            // The parse cache is written after the first frame (`tui::run`).
            let lib = library::load_deferring_cache(&cli.paths, &|p| progress.report(p));
            progress.finish();
            let stored = crate::cache::Cache::from_env()
                .zip(key)
                .map(|(cache, key)| crate::index_cache::Stored {
                    cache,
                    key,
                    errors: error_lines(&lib),
                });
            crate::run_browser(lib, stored)?;
            Ok(0)
        }
        Some(Command::List {
            query,
            sort,
            reverse,
            json,
            paths,
        }) => {
            let q = crate::query::parse(query.as_deref().unwrap_or(""))
                .map_err(|e| anyhow::anyhow!("bad query: {e}"))?;
            if json || q.is_empty() {
                let mut lib = load_reporting(&paths);
                let order = select(&mut lib, query.as_deref(), sort, reverse)?;
                let mut out = std::io::BufWriter::new(std::io::stdout().lock());
                if json {
                    // Decoded one at a time as they are written: a million records are
                    // never all decoded at once.
                    serde_json::to_writer_pretty(&mut out, &Decoded(&lib.records, &order))?;
                    writeln!(out)?;
                } else {
                    for r in order.iter().filter_map(|&i| lib.records.get(i as usize)) {
                        writeln!(out, "{}", list_line(&r))?;
                    }
                }
                out.flush().or_else(ignore_broken_pipe)?;
                return Ok(0);
            }
            list_query(&paths, &q, reverse)?;
            Ok(0)
        }
        Some(Command::Show { id, json, paths }) => {
            let lib = load_reporting(&paths);
            let Some(record) = find(&lib, &id) else {
                bail!(
                    "no record with id \"{}\" among {} records (ids are shown by `litbrowse list --json`)",
                    sanitize(&id),
                    lib.records.len()
                );
            };
            let mut out = std::io::stdout().lock();
            if json {
                serde_json::to_writer_pretty(&mut out, &record)?;
                writeln!(out)?;
            } else {
                write!(out, "{}", show_text(&record, &lib, terminal_width()))?;
            }
            Ok(0)
        }
        Some(Command::Check { paths }) => {
            let lib = library::load(&paths);
            let mut out = std::io::stdout().lock();
            write!(out, "{}", check_text(&lib))?;
            Ok(if lib.has_errors() { 1 } else { 0 })
        }
        Some(Command::Export {
            format,
            query,
            output,
            paths,
        }) => {
            let mut lib = load_reporting(&paths);
            let order = select(&mut lib, query.as_deref(), SortKey::Year, false)?;
            let records: Vec<Record> = order
                .iter()
                .filter_map(|&i| lib.records.get(i as usize))
                .collect();
            let text = crate::export::export(format, &records.iter().collect::<Vec<_>>());
            match output {
                Some(path) => {
                    std::fs::write(&path, text)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    eprintln!("wrote {} records to {}", records.len(), path.display());
                }
                None => {
                    let mut out = std::io::stdout().lock();
                    out.write_all(text.as_bytes()).or_else(ignore_broken_pipe)?;
                }
            }
            Ok(0)
        }
    }
}

fn ignore_broken_pipe(e: std::io::Error) -> std::io::Result<()> {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(e)
    }
}

/// `list --query`: from the search cache when it holds this library and can answer the query
/// (no record is decoded then), else by loading the library, which then fills the cache.
fn list_query(paths: &[String], q: &crate::query::Query, reverse: bool) -> Result<()> {
    use crate::index_cache;
    use crate::query::Field;
    let never = || false;
    let print = |lines: &mut dyn Iterator<Item = std::borrow::Cow<'_, str>>| -> Result<()> {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        for line in lines {
            out.write_all(line.as_bytes())?;
            out.write_all(b"\n")?;
        }
        out.flush().or_else(ignore_broken_pipe)?;
        Ok(())
    };
    let order = |index: &crate::search::Index| -> Vec<u32> {
        let hits = index.run(q, None, &never).unwrap_or_default();
        let mut order: Vec<u32> = hits.into_iter().map(|h| h.record).collect();
        if reverse {
            order.reverse();
        }
        order
    };
    let abstracts = q
        .terms
        .iter()
        .any(|t| matches!(t.field, Field::Abstract | Field::Findings));
    let stored = crate::cache::Cache::from_env().zip(index_cache::Key::of(paths));
    if let Some((cache, key)) = &stored {
        if let Some(mut entry) =
            index_cache::open(cache, key, abstracts).filter(|e| e.index.answers_without_records(q))
        {
            let order = order(&entry.index);
            // Only the hits' lines are read; a damaged one sends the query the long way.
            if entry.read_lines(&order).is_some() {
                // The cache is a file like any other: what it holds reaches the terminal
                // sanitised.
                for line in entry.errors.lines() {
                    eprintln!("{}", sanitize(line));
                }
                print(&mut order.iter().map(|&i| {
                    sanitize(&entry.line(i).unwrap_or_default())
                        .into_owned()
                        .into()
                }))?;
                // Freeing the index would only delay the exit.
                std::mem::forget(entry);
                return Ok(());
            }
        }
    }
    let mut lib = load_reporting(paths);
    let records = std::sync::Arc::new(std::mem::take(&mut lib.records));
    let index = crate::search::Index::new(records.clone());
    let order = order(&index);
    print(
        &mut order
            .iter()
            .map(|&i| list_line(&records.get(i as usize).unwrap_or_default()).into()),
    )?;
    if let Some((cache, key)) = &stored {
        // What the browser builds for a library this size, stored for the next start.
        index.prepare_all();
        // A cache that cannot be written costs the next start time, not this one's output.
        let _ = index_cache::store(cache, key, &error_lines(&lib), &records, &index);
    }
    std::mem::forget((index, records));
    Ok(())
}

/// Records by index, decoded as they are serialized (a JSON array).
struct Decoded<'a>(&'a crate::store::Records, &'a [u32]);

impl serde::Serialize for Decoded<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.1.iter().filter_map(|&i| self.0.get(i as usize)))
    }
}

/// The load errors, a line each, as `list` and the other commands report them on stderr.
fn error_lines(lib: &Library) -> String {
    lib.diagnostics
        .iter()
        .filter(|d| d.severity == crate::diagnostic::Severity::Error)
        .map(|d| format!("{d}\n"))
        .collect()
}

/// Loads and tells stderr, in one line, when there were problems. The library is never
/// dropped: a command ends with the process, and freeing a million records one string at a
/// time would take the better part of a second.
fn load_reporting(paths: &[String]) -> std::mem::ManuallyDrop<Library> {
    let progress = crate::cache::StderrProgress::default();
    let lib = library::load_with_progress(paths, &|p| progress.report(p));
    progress.finish();
    eprint!("{}", error_lines(&lib));
    std::mem::ManuallyDrop::new(lib)
}

/// Record indices to print: filtered by the query (best first) or sorted. Borrows the
/// library's records for the index rather than copying them (a large library would need
/// twice the memory).
pub fn select(
    lib: &mut Library,
    query: Option<&str>,
    sort: SortKey,
    reverse: bool,
) -> Result<Vec<u32>> {
    let q =
        crate::query::parse(query.unwrap_or("")).map_err(|e| anyhow::anyhow!("bad query: {e}"))?;
    if q.is_empty() {
        return Ok(library::sorted(&lib.records, sort, reverse));
    }
    let records = std::sync::Arc::new(std::mem::take(&mut lib.records));
    let index = crate::search::Index::new(records.clone());
    let never = || false;
    let hits = index.run(&q, None, &never).unwrap_or_default();
    let mut order: Vec<u32> = hits.into_iter().map(|h| h.record).collect();
    drop(index);
    lib.records = std::sync::Arc::try_unwrap(records).unwrap_or_else(|shared| (*shared).clone());
    if reverse {
        order.reverse();
    }
    Ok(order)
}

fn find(lib: &Library, id: &str) -> Option<Record> {
    let lower = id.to_lowercase();
    let bare = crate::record::bare_doi(id).map(|d| format!("doi:{}", d.to_lowercase()));
    let at = lib
        .records
        .views()
        .position(|r| r.id == id || Some(r.id) == bare.as_deref() || r.id == lower)
        .or_else(|| {
            let mut m = lib
                .records
                .views()
                .enumerate()
                .filter(|(_, r)| r.id.starts_with(id));
            match (m.next(), m.next()) {
                (Some((i, _)), None) => Some(i),
                _ => None,
            }
        })?;
    lib.records.get(at)
}

fn terminal_width() -> usize {
    crossterm::terminal::size()
        .map(|(w, _)| w as usize)
        .unwrap_or(100)
        .clamp(40, 120)
}

/// "2012  Repper and Watson      Title or [no title] first sentence…  · Container"
pub fn list_line(r: &Record) -> String {
    let year = r
        .year
        .map(|y| y.to_string())
        .unwrap_or_else(|| "----".into());
    let author = pad(&sanitize(&r.first_author_label()), 24);
    let (title, fallback) = r.title_or_fallback();
    let title = if fallback {
        format!("[no title] {}", sanitize(&title))
    } else {
        sanitize(&title).into_owned()
    };
    let container = r
        .container
        .as_deref()
        .map(|c| format!("  · {}", sanitize(c)))
        .unwrap_or_default();
    format!("{year}  {author}  {title}{container}")
}

/// Pads or cuts to a display width.
fn pad(s: &str, width: usize) -> String {
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw > width {
            if let Some(last) = out.pop() {
                w -= last.width().unwrap_or(0);
            }
            out.push('…');
            w += 1;
            break;
        }
        out.push(c);
        w += cw;
    }
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    out
}

/// Word-wraps text to a display width, measuring wide characters as two columns.
pub fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    let mut w = 0;
    let avail = width.saturating_sub(indent.chars().count()).max(10);
    for word in text.split_whitespace() {
        let ww: usize = word.chars().map(|c| c.width().unwrap_or(0)).sum();
        if w > 0 && w + 1 + ww > avail {
            out.push_str(indent);
            out.push_str(&line);
            out.push('\n');
            line.clear();
            w = 0;
        }
        if w > 0 {
            line.push(' ');
            w += 1;
        }
        // A word wider than the line (CJK prose has no spaces) is broken by characters.
        for c in word.chars() {
            let cw = c.width().unwrap_or(0);
            if w + cw > avail {
                out.push_str(indent);
                out.push_str(&line);
                out.push('\n');
                line.clear();
                w = 0;
            }
            line.push(c);
            w += cw;
        }
    }
    if !line.is_empty() {
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// A record in full, for `litbrowse show`.
pub fn show_text(r: &Record, lib: &Library, width: usize) -> String {
    let mut o = String::new();
    let (title, fallback) = r.title_or_fallback();
    let title = if fallback {
        format!("[no title] {title}")
    } else {
        title
    };
    o.push_str(&wrap(&sanitize(&title), width, ""));
    o.push('\n');
    for a in &r.authors {
        o.push_str(&format!("  {}\n", sanitize(&a.name)));
        for aff in &a.affiliations {
            o.push_str(&wrap(&sanitize(aff), width, "      "));
        }
    }
    let mut field = |label: &str, value: String| {
        if !value.is_empty() {
            o.push_str(&format!("{label:<11}{}\n", sanitize(&value)));
        }
    };
    field("Kind", r.kind.as_str().to_string());
    field("In", r.place().join(", "));
    field(
        "Date",
        r.date
            .clone()
            .or(r.year.map(|y| y.to_string()))
            .unwrap_or_default(),
    );
    field("DOI", r.doi.clone().unwrap_or_default());
    field("PMID", r.pmid.clone().unwrap_or_default());
    field("ISSN", r.issn.join(", "));
    field("ISBN", r.isbn.join(", "));
    field("Type", r.paper_type.clone().unwrap_or_default());
    field("Keywords", r.keywords.join("; "));
    field("Subjects", r.subjects.join("; "));
    field(
        "Cited",
        r.citations.map(|c| c.to_string()).unwrap_or_default(),
    );
    field("Views", r.views.map(|c| c.to_string()).unwrap_or_default());
    field("URL", r.url.clone().unwrap_or_default());
    field("Id", r.id.clone());
    for s in &r.sources {
        field("Source", format!("{}:{} ({})", s.path, s.line, s.format));
    }
    if !r.abstract_sections.is_empty() {
        o.push_str("\nAbstract\n");
        for s in &r.abstract_sections {
            if let Some(l) = &s.label {
                let mark = if crate::record::is_findings_label(l) {
                    " ◆"
                } else {
                    ""
                };
                o.push_str(&format!("\n  {}{mark}\n", sanitize(l)));
            }
            o.push_str(&wrap(&sanitize(&s.text), width, "    "));
        }
    }
    if !r.related.is_empty() {
        o.push_str("\nRelated papers\n");
        for (n, id) in r.related.iter().enumerate() {
            match lib.index_of(id).and_then(|j| lib.records.get(j)) {
                Some(x) => o.push_str(&wrap(
                    &format!("[{}] {}  ({})", n + 1, sanitize(&list_line(&x)), x.id),
                    width,
                    "  ",
                )),
                None => o.push_str(&format!("  [{}] {}\n", n + 1, sanitize(id))),
            }
        }
    }
    o
}

/// The report of `litbrowse check`.
pub fn check_text(lib: &Library) -> String {
    let mut o = String::new();
    for rep in &lib.reports {
        o.push_str(&format!(
            "{}: {} ({}){}\n",
            sanitize(&rep.path),
            count(rep.records, "record"),
            rep.format.unwrap_or("unknown format"),
            match (rep.errors, rep.warnings) {
                (0, 0) => String::new(),
                (e, w) => format!(", {}, {}", count(e, "error"), count(w, "warning")),
            }
        ));
    }
    for d in &lib.diagnostics {
        o.push_str(&format!("{d}\n"));
    }
    let errors = lib
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::diagnostic::Severity::Error)
        .count();
    o.push_str(&format!(
        "{} from {} ({} merged); {}, {}\n",
        count(lib.records.len(), "record"),
        count(lib.reports.len(), "source"),
        count(lib.merged, "duplicate"),
        count(errors, "error"),
        count(lib.diagnostics.len() - errors, "warning")
    ));
    o
}

/// "1 record", "2 records".
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
