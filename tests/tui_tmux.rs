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

#[test]
fn filter_open_detail_export_quit_in_tmux() {
    if !tmux_available() {
        eprintln!("skipping: tmux is not installed (apt-get install -y tmux)");
        return;
    }
    let bin = env!("CARGO_BIN_EXE_litbrowse");
    let dir = tempfile::tempdir().unwrap();
    let name = format!("litbrowse-test-{}", std::process::id());
    // After the app exits the pane stays open, showing the exit status and the tty modes.
    let script = format!("'{bin}'; echo EXITED $?; stty -a; sleep 60");
    let ok = Command::new("tmux")
        .args([
            "new-session",
            "-d",
            "-s",
            &name,
            "-x",
            "120",
            "-y",
            "35",
            "-c",
        ])
        .arg(dir.path())
        .arg(&script)
        .status()
        .unwrap();
    assert!(ok.success());
    let s = Session(name);

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
