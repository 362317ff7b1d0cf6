//! End to end in a real terminal (tmux): start the binary on the built-in library, type a
//! filter, open a detail, export, quit; check the screen and that the terminal is back in
//! cooked mode. Skipped, with the reason printed, where tmux is absent.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

struct Session(String);

impl Drop for Session {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.0])
            .output();
    }
}

impl Session {
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.0];
        args.extend_from_slice(keys);
        let ok = Command::new("tmux").args(&args).status().unwrap();
        assert!(ok.success());
    }

    fn literal(&self, text: &str) {
        let ok = Command::new("tmux")
            .args(["send-keys", "-t", &self.0, "-l", text])
            .status()
            .unwrap();
        assert!(ok.success());
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.0])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Polls the screen until `pred` holds (the app draws after each batch of input).
    fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if pred(&s) {
                return s;
            }
            if start.elapsed() > Duration::from_secs(20) {
                panic!("timed out waiting for {what}; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Whether tmux is missing, saying that the test is skipped for it.
fn no_tmux() -> bool {
    let missing = !tmux_available();
    if missing {
        eprintln!("skipping: tmux is not installed (apt-get install -y tmux)");
    }
    missing
}

#[test]
fn filter_open_detail_export_quit_in_tmux() {
    if no_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // After the app exits the pane stays open, showing the exit status and the tty modes.
    let s = start(
        &format!("litbrowse-test-{}", std::process::id()),
        dir.path(),
    );

    s.wait_for("the list", |t| {
        t.contains("Records 1/22") && t.contains("/ filter  ? help  q quit")
    });

    s.keys(&["/"]);
    s.literal("au:ley");
    s.wait_for("the filtered list", |t| {
        t.contains("1/1 of 22") && t.contains("/ au:ley") && t.contains("Ley et al.")
    });

    s.keys(&["Enter"]);
    s.keys(&["Enter"]);
    // A capture can catch a frame half written, so wait until all of it is on screen (the
    // wait fails with the screen shown if it never is).
    let expected = [
        "Tab: related",
        "How to support peer support: evaluating the",
        "Ann Ley — Devon Partnership NHS Trust,",
        "10.5042/jpmh.2010.0160",
        "R1 [预防医学、卫生学]",
        "Abstract",
    ];
    s.wait_for("the whole detail", |t| {
        expected.iter().all(|e| t.contains(e))
    });

    s.keys(&["e"]);
    s.wait_for("the export message", |t| {
        t.contains("wrote 1 shown record(s)") && t.contains("litbrowse-export.bib")
    });
    assert!(Path::new(&dir.path().join("litbrowse-export.bib")).exists());

    s.keys(&["q"]);
    let after = s.wait_for("the shell after exit", |t| {
        t.contains("EXITED 0") && t.contains("icanon")
    });
    let modes: Vec<&str> = after.split_whitespace().collect();
    assert!(
        modes.contains(&"icanon"),
        "canonical mode restored:\n{after}"
    );
    assert!(modes.contains(&"echo"), "echo restored:\n{after}");
    assert!(!modes.contains(&"-icanon") && !modes.contains(&"-echo"));
    // The alternate screen was left: the app's frame is gone.
    assert!(!after.contains("Records 1/"), "{after}");
}

/// A 120x35 tmux session running `command` in `dir`.
fn session(name: &str, dir: &Path, command: &str) -> Session {
    let ok = Command::new("tmux")
        .args([
            "new-session",
            "-d",
            "-s",
            name,
            "-x",
            "120",
            "-y",
            "35",
            "-c",
        ])
        .arg(dir)
        .arg(command)
        .status()
        .unwrap();
    assert!(ok.success());
    Session(name.to_string())
}

/// A session running the binary from a shell that, once it exits, prints its status and the
/// terminal's modes.
fn start(name: &str, dir: &Path) -> Session {
    let bin = env!("CARGO_BIN_EXE_litbrowse");
    session(
        name,
        dir,
        &format!("'{bin}'; echo EXITED $?; stty -a; sleep 60"),
    )
}

impl Session {
    fn display(&self, format: &str) -> String {
        let out = Command::new("tmux")
            .args(["display-message", "-p", "-t", &self.0, format])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// The litbrowse process: the pane's shell's child.
    fn app_pid(&self) -> String {
        let shell = self.display("#{pane_pid}");
        for e in std::fs::read_dir("/proc").unwrap().flatten() {
            let stat = std::fs::read_to_string(e.path().join("stat")).unwrap_or_default();
            // pid (comm) state ppid ...
            let fields: Vec<&str> = stat
                .rsplit_once(')')
                .map_or(vec![], |(_, r)| r.split_whitespace().collect());
            if fields.get(1) == Some(&shell.as_str()) && stat.contains("(litbrowse)") {
                return e.file_name().to_string_lossy().into_owned();
            }
        }
        panic!("no litbrowse process under the shell {shell}");
    }

    /// The pane's terminal modes, as `stty -a` prints them, split into words.
    fn tty_modes(&self) -> Vec<String> {
        let tty = self.display("#{pane_tty}");
        let out = Command::new("stty")
            .args(["-a", "-F", &tty])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .map(str::to_string)
            .collect()
    }
}

fn assert_cooked(modes: &[String]) {
    assert!(
        modes.iter().any(|m| m == "icanon") && modes.iter().any(|m| m == "echo"),
        "canonical mode and echo restored: {modes:?}"
    );
}

#[test]
fn sigterm_gives_the_terminal_back() {
    if no_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let s = start(
        &format!("litbrowse-term-{}", std::process::id()),
        dir.path(),
    );
    s.wait_for("the list", |t| t.contains("Records 1/22"));
    assert!(s.tty_modes().iter().any(|m| m == "-icanon"), "raw mode");
    let ok = Command::new("kill")
        .args(["-TERM", &s.app_pid()])
        .status()
        .unwrap();
    assert!(ok.success());
    let after = s.wait_for("the shell after the signal", |t| {
        t.contains("EXITED") && t.contains("icanon")
    });
    assert!(
        !after.contains("Records 1/"),
        "alternate screen left:\n{after}"
    );
    assert_cooked(&s.tty_modes());
}

/// Ctrl-Z under an interactive shell (a job-control shell is what makes stopping possible:
/// without one the kernel discards the stop signal).
#[test]
fn ctrl_z_suspends_with_the_screen_given_back_and_fg_resumes() {
    if !tmux_available() || Command::new("bash").arg("--version").output().is_err() {
        eprintln!("skipping: tmux or bash is not installed");
        return;
    }
    let bin = env!("CARGO_BIN_EXE_litbrowse");
    let dir = tempfile::tempdir().unwrap();
    let s = session(
        &format!("litbrowse-tstp-{}", std::process::id()),
        dir.path(),
        "env PS1='$ ' bash --norc --noprofile -i",
    );
    s.wait_for("the prompt", |t| t.trim_end().ends_with('$'));
    s.literal(&format!("'{bin}'"));
    s.keys(&["Enter"]);
    s.wait_for("the list", |t| t.contains("Records 1/22"));
    s.keys(&["/"]);
    s.literal("repper");
    s.wait_for("the filter", |t| t.contains("2 of 22"));
    let pid = s.app_pid();
    s.keys(&["C-z"]);
    let stopped = s.wait_for("the shell's job message", |t| t.contains("Stopped"));
    assert!(
        !stopped.contains("Records "),
        "alternate screen left:\n{stopped}"
    );
    let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    assert!(
        state
            .rsplit_once(')')
            .is_some_and(|(_, r)| r.trim_start().starts_with('T')),
        "stopped: {state}"
    );
    s.literal("fg");
    s.keys(&["Enter"]);
    s.wait_for("the list again, filter kept", |t| {
        t.contains("2 of 22") && t.contains("/ repper")
    });
    assert!(
        s.tty_modes().iter().any(|m| m == "-icanon"),
        "raw mode again"
    );
    s.keys(&["Enter"]);
    s.keys(&["q"]);
    s.wait_for("the list gone", |t| !t.contains("Records "));
    s.literal("echo EXITED $?; stty -a");
    s.keys(&["Enter"]);
    let after = s.wait_for("the status and modes", |t| {
        t.contains("EXITED 0") && t.contains("icanon")
    });
    let modes: Vec<String> = after.split_whitespace().map(str::to_string).collect();
    assert_cooked(&modes);
    assert!(!after.contains("Records 1/"), "{after}");
}

/// A quit right after the first frame, before the background has built the search indexes
/// and written the parse cache after them: the entry is written on the way out (with a word
/// on standard error), so the next start of the file reads the cache. Before, nothing was
/// written and the next start parsed the file again.
#[test]
fn a_quick_quit_still_writes_the_parse_cache() {
    if no_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    // Enough records that the indexes take a while in a test build.
    let mut ris = String::new();
    for i in 0..4000 {
        litbrowse::synth::write_ris(&litbrowse::synth::record(7, i), &mut ris);
    }
    std::fs::write(dir.path().join("big.ris"), ris).unwrap();
    let bin = env!("CARGO_BIN_EXE_litbrowse");
    let s = session(
        &format!("litbrowse-quick-{}", std::process::id()),
        dir.path(),
        &format!(
            "LITBROWSE_CACHE_DIR='{}' '{bin}' big.ris; echo EXITED $?; sleep 60",
            cache.display()
        ),
    );
    s.wait_for("the list", |t| t.contains("Records 1/4000"));
    s.keys(&["q"]);
    s.wait_for("the shell after exit", |t| t.contains("EXITED 0"));
    let entries: Vec<_> = std::fs::read_dir(&cache)
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(
        entries
            .iter()
            .any(|n| n.to_string_lossy().ends_with(".lbc")),
        "a parse cache entry: {entries:?}"
    );
    assert!(
        !entries.iter().any(|n| n.to_string_lossy().contains(".tmp")),
        "no unfinished file: {entries:?}"
    );
}
