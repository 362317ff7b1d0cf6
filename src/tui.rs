//! The run loop: one channel carries terminal events (from an input thread), finished search
//! passes (from the worker) and signals; each batch is turned into actions, applied with
//! `update`, the effects performed, then the screen drawn once.

use crate::app::{self, Action, Effect, State};
use crate::library::Library;
use crate::search::{Outcome, Worker};
use crate::{keys, terminal, ui};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;
use std::sync::mpsc;

/// Parse cache entries still to write, shared by the background that writes them and the quit
/// that finishes them (`finish_pending`).
type Unwritten = std::sync::Arc<std::sync::Mutex<Vec<crate::cache::Pending>>>;

enum Msg {
    Event(crossterm::event::Event),
    Search(Outcome),
    /// SIGTERM or SIGHUP: restore the terminal and leave.
    Signal(i32),
    Status(String),
}

/// Runs the browser on `library`; `stored` lets the first search index come from the search
/// cache (and be stored there once built).
pub fn run(library: Library, stored: Option<crate::index_cache::Stored>) -> anyhow::Result<()> {
    // Caches still being written in the background when the browser leaves are cut off with
    // the process: their unfinished files go, however it leaves.
    struct RemoveUnfinished;
    impl Drop for RemoveUnfinished {
        fn drop(&mut self) {
            crate::cache::remove_unfinished();
        }
    }
    let _unfinished = RemoveUnfinished;
    let (tx, rx) = mpsc::channel::<Msg>();
    let guard = terminal::enter()?;
    let mut term = Terminal::new(CrosstermBackend::new(std::io::stdout()))?;
    let size = term.size()?;
    // Parse cache entries still to write: the background writes them once the indexes are
    // built; what is left when the browser quits is written then (`finish_pending`).
    let pending: Unwritten = std::sync::Arc::new(std::sync::Mutex::new(library.pending));
    let mut state = State::new(library.records, size.width, size.height);
    if let Some(d) = library.diagnostics.first() {
        let more = library.diagnostics.len() - 1;
        let msg = if more > 0 {
            format!("{d} (and {more} more; see litbrowse check)")
        } else {
            d.to_string()
        };
        app::update(&mut state, Action::Status(msg));
    }

    let spawn_worker =
        |state: &State, stored: Option<crate::index_cache::Stored>, pending: Unwritten| {
            let tx = tx.clone();
            // The indexes are built returning freed memory, and kept once they are ready
            // (`return_freed_memory`). Then the parse cache entries of files this start parsed are
            // written: after the first frame, and not competing with the indexes for the cores.
            let prepare: Box<dyn FnOnce(&crate::search::Index) + Send> = Box::new(move |index| {
                crate::return_freed_memory();
                match stored {
                    Some(s) => crate::index_cache::prepare(index, &s),
                    None => index.prepare_all(),
                }
                crate::keep_freed_memory();
                // Held while writing, so a quit waits for the entry being written.
                {
                    let mut pending = pending.lock().unwrap_or_else(|e| e.into_inner());
                    for p in pending.drain(..) {
                        // Unwritten, the next start parses the file again; nothing else is
                        // lost.
                        let _ = p.write();
                    }
                }
                // The indexes and the passes' buffers in 2 MB pages, whatever the load left.
                crate::collapse_into_huge_pages();
            });
            Worker::spawn_prepared(state.index.clone(), prepare, move |o| {
                let _ = tx.send(Msg::Search(o));
            })
        };
    // The library as loaded is the one the search cache describes; after a paste it is not.
    let mut worker = spawn_worker(&state, stored, pending.clone());

    {
        let tx = tx.clone();
        std::thread::Builder::new()
            .name("litbrowse-input".into())
            .spawn(move || {
                while let Ok(ev) = crossterm::event::read() {
                    if tx.send(Msg::Event(ev)).is_err() {
                        break;
                    }
                }
            })?;
    }
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGTERM};
        let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP])?;
        let tx = tx.clone();
        std::thread::Builder::new()
            .name("litbrowse-signals".into())
            .spawn(move || {
                if let Some(sig) = signals.forever().next() {
                    let _ = tx.send(Msg::Signal(sig));
                }
            })?;
    }

    term.draw(|f| ui::render(&state, f))?;
    'outer: while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        batch.extend(rx.try_iter());
        for msg in batch {
            let action = match msg {
                Msg::Event(ev) => keys::from_event(ev, state.mode),
                Msg::Search(o) => Some(Action::SearchDone(app::Done(o))),
                Msg::Status(s) => Some(Action::Status(s)),
                Msg::Signal(sig) => {
                    drop(guard);
                    anyhow::bail!("stopped by signal {sig}");
                }
            };
            let Some(action) = action else { continue };
            for effect in app::update(&mut state, action) {
                match effect {
                    Effect::Quit => break 'outer,
                    Effect::Suspend => {
                        terminal::suspend()?;
                        // A fresh terminal redraws every cell; `clear()` would ask for the
                        // cursor position and wait on the input thread's lock.
                        term = Terminal::new(CrosstermBackend::new(std::io::stdout()))?;
                    }
                    Effect::Search(req) => worker.submit(req),
                    Effect::IndexChanged => {
                        worker = spawn_worker(&state, None, Default::default());
                    }
                    Effect::Copy { text, what } => {
                        let msg = match terminal::copy(&text) {
                            Ok(()) => format!("copied {what} (OSC 52)"),
                            Err(e) => format!("could not copy: {e}"),
                        };
                        app::update(&mut state, Action::Status(msg));
                    }
                    Effect::OpenUrl(url) => open(&url, tx.clone()),
                    Effect::Write {
                        path,
                        contents,
                        summary,
                    } => {
                        let msg = match std::fs::write(&path, contents) {
                            Ok(()) => format!("wrote {summary} to {path}"),
                            Err(e) => format!("could not write {path}: {e}"),
                        };
                        app::update(&mut state, Action::Status(msg));
                    }
                }
            }
        }
        term.draw(|f| ui::render(&state, f))?;
    }
    drop(guard);
    finish_pending(&pending);
    Ok(())
}

/// After a quit, with the terminal given back: the parse cache entries the background has not
/// written yet (it writes them once the search indexes are built, which takes seconds at a
/// million records), written now, so that the next start of the same files reads the cache
/// instead of parsing again. Says so on standard error when it takes a while; Ctrl-C (or SIGTERM,
/// SIGHUP) skips it, removing the unfinished file.
fn finish_pending(pending: &std::sync::Mutex<Vec<crate::cache::Pending>>) {
    use std::sync::TryLockError;
    // None: the background holds them, writing.
    let left = match pending.try_lock() {
        Ok(left) => Some(left),
        Err(TryLockError::Poisoned(e)) => Some(e.into_inner()),
        Err(TryLockError::WouldBlock) => None,
    };
    if left.as_ref().is_some_and(|left| left.is_empty()) {
        return;
    }
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        if let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) {
            std::thread::spawn(move || {
                if let Some(sig) = signals.forever().next() {
                    crate::cache::remove_unfinished();
                    eprintln!("litbrowse: parse cache skipped");
                    std::process::exit(128 + sig);
                }
            });
        }
    }
    let say =
        || eprintln!("litbrowse: writing the parse cache for a faster next start (Ctrl-C skips)");
    let Some(mut left) = left else {
        // Wait for the background to finish.
        say();
        drop(pending.lock());
        return;
    };
    // Said only when it takes a while (a small file's entry is written in milliseconds); a
    // million records make a 1.7 GB entry: the share written, on the same line, as it goes.
    let start = std::time::Instant::now();
    let files = left.len();
    let mut shown = None;
    for (i, p) in left.drain(..).enumerate() {
        let _ = p.write_with(&mut |done| {
            let percent = ((i as f64 + done) / files as f64 * 100.0) as u32;
            match shown {
                None if start.elapsed() > std::time::Duration::from_millis(300) => say(),
                Some(s) if percent >= s + 5 => {}
                _ => return,
            }
            shown = Some(percent);
            eprint!("\rlitbrowse: {percent}% written");
        });
    }
    if shown.is_some() {
        eprintln!("\rlitbrowse: parse cache written");
    }
}

/// Starts the browser without waiting; a failure comes back as a status message.
fn open(url: &str, tx: mpsc::Sender<Msg>) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let child = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match child {
        Err(e) => {
            let _ = tx.send(Msg::Status(format!("could not run {opener}: {e}")));
        }
        Ok(mut child) => {
            let url = url.to_string();
            let _ = tx.send(Msg::Status(format!("opening {url}")));
            std::thread::spawn(move || {
                if let Ok(status) = child.wait() {
                    if !status.success() {
                        let _ =
                            tx.send(Msg::Status(format!("{opener} failed ({status}) for {url}")));
                    }
                }
            });
        }
    }
}
