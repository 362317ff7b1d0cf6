//! The command line as a user runs it, on the built-in library and on files.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn litbrowse(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_litbrowse"))
        .args(args)
        .env("LITBROWSE_NO_CACHE", "1")
        .output()
        .expect("run litbrowse")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn list_json_on_the_builtin_library_has_22_records() {
    let o = litbrowse(&["list", "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let records = v.as_array().unwrap();
    assert_eq!(records.len(), 22);
    // The JSON contract: every field is present on every record.
    for r in records {
        for key in [
            "id",
            "kind",
            "title",
            "authors",
            "date",
            "year",
            "container",
            "volume",
            "issue",
            "pages",
            "page_count",
            "doi",
            "issn",
            "isbn",
            "keywords",
            "subjects",
            "abstract",
            "paper_type",
            "citations",
            "views",
            "related",
            "source",
        ] {
            assert!(r.get(key).is_some(), "record {} lacks {key}", r["id"]);
        }
        assert!(!r["id"].as_str().unwrap().is_empty());
    }
    let ids: std::collections::HashSet<&str> =
        records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 22, "ids are unique");
}

#[test]
fn ids_are_stable_across_runs() {
    let a = stdout(&litbrowse(&["list", "--json"]));
    let b = stdout(&litbrowse(&["list", "--json"]));
    assert_eq!(a, b);
}

#[test]
fn list_query_and_sort() {
    let o = litbrowse(&["list", "--query", "au:repper"]);
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with("2012  Repper and Watson")),
        "{text}"
    );

    let o = litbrowse(&["list", "--sort", "year"]);
    let years: Vec<String> = stdout(&o).lines().map(|l| l[..4].to_string()).collect();
    let mut sorted = years.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(years, sorted, "newest first");
}

#[test]
fn show_by_doi_prints_the_record_in_full() {
    let o = litbrowse(&["show", "10.1108/MHSI-10-2015-0038"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = stdout(&o);
    assert!(
        text.starts_with("What helps successful community groups"),
        "{text}"
    );
    assert!(text.contains("Findings ◆"));
    assert!(text.contains("Mental Health and Social Inclusion, vol. 20, no. 2, pp. 126-134"));

    let o = litbrowse(&["show", "nonexistent"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no record with id \"nonexistent\""));
}

#[test]
fn check_reports_sources_and_exit_code() {
    let o = litbrowse(&["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let text = stdout(&o);
    assert!(
        text.contains("seeds/001_795947a0cff24da2.txt: 10 records (results-page)"),
        "{text}"
    );
    assert!(
        text.ends_with("22 records from 3 sources (0 duplicates merged); 0 errors, 0 warnings\n"),
        "{text}"
    );

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("empty.ris");
    std::fs::write(&bad, "").unwrap();
    let o = litbrowse(&["check", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("empty.ris: error: the file is empty"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn stdin_is_read_with_dash() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_litbrowse"))
        .args(["list", "--json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let seed = include_str!("../seeds/002_02aa39a10304d0e6.txt");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(seed.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 11);
    assert!(v[0]["source"]["path"] == "<stdin>");
}

#[test]
fn a_missing_path_is_reported_and_the_rest_loads() {
    let o = litbrowse(&[
        "list",
        "--json",
        "/nonexistent/x.ris",
        "seeds/000_da0fbdc0900e8b78.txt",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("/nonexistent/x.ris: error: cannot open"),
        "{err}"
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
}

/// `list --query` answers from the search cache on a second start, with the same lines in the
/// same order as a start without any cache, and falls back to loading for what the cache
/// cannot answer (an exact term) or when the file changed.
#[test]
fn list_query_from_the_search_cache_prints_what_loading_prints() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.ris");
    let mut text = String::new();
    // Past the cache's 1 MB floor, with a bad record in the middle.
    for i in 0..900 {
        litbrowse::synth::write_ris(&litbrowse::synth::record(3, i), &mut text);
        if i == 450 {
            text.push_str("TY  - JOUR\nTI  - unterminated\n\nnot a tag line\n");
        }
    }
    std::fs::write(&file, &text).unwrap();
    // A file that is no bibliography, named on the command line: an error on every run.
    let junk = dir.path().join("notes.txt");
    std::fs::write(&junk, "shopping: milk, eggs\n").unwrap();
    let cache = dir.path().join("cache");
    let run = |q: &str, cached: bool| -> Output {
        let mut c = Command::new(env!("CARGO_BIN_EXE_litbrowse"));
        c.args(["list", "--query", q]);
        c.args([&file, &junk]);
        if cached {
            c.env("LITBROWSE_CACHE_DIR", &cache)
                .env_remove("LITBROWSE_NO_CACHE");
        } else {
            c.env("LITBROWSE_NO_CACHE", "1");
        }
        c.output().expect("run litbrowse")
    };
    let queries = [
        "dep",
        "au:smith yr:2000..2015",
        "peer support !2010",
        "zzxq",
        "'the",
    ];
    for q in queries {
        let plain = run(q, false);
        let first = run(q, true);
        let second = run(q, true);
        assert!(plain.status.success(), "{q}");
        for o in [&first, &second] {
            assert_eq!(stdout(o), stdout(&plain), "{q}");
            assert_eq!(o.stderr, plain.stderr, "{q}");
        }
        assert!(
            String::from_utf8_lossy(&plain.stderr).contains("notes.txt"),
            "{q}: {plain:?}"
        );
    }
    assert!(stdout(&run("dep", true)).lines().count() > 50);
    let entries: Vec<String> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(entries.iter().any(|e| e.ends_with(".lbi")), "{entries:?}");
    // The file changes: the cached lines must not be printed.
    text.push_str("TY  - JOUR\nTI  - Depression zzxq appended\nER  - \n");
    std::fs::write(&file, &text).unwrap();
    let after = stdout(&run("zzxq", true));
    assert!(after.contains("Depression zzxq appended"), "{after}");
    assert_eq!(after, stdout(&run("zzxq", false)));
}

/// What the search cache holds reaches the terminal sanitised, as everything from a file does.
#[test]
fn text_from_the_search_cache_is_sanitised() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.ris");
    let mut text = String::new();
    for i in 0..700 {
        litbrowse::synth::write_ris(&litbrowse::synth::record(5, i), &mut text);
    }
    std::fs::write(&file, &text).unwrap();
    let inputs = vec![file.display().to_string()];
    let cache = litbrowse::cache::Cache {
        dir: dir.path().join("cache"),
        min_bytes: 0,
    };
    let lib = litbrowse::library::load(&inputs);
    let records = std::sync::Arc::new(lib.records);
    let index = litbrowse::search::Index::new(records.clone());
    let key = litbrowse::index_cache::Key::of(&inputs).unwrap();
    litbrowse::index_cache::store(
        &cache,
        &key,
        "big.ris:1: error: \u{1b}[2J\u{1b}]0;title\u{7}\n",
        &records,
        &index,
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_litbrowse"))
        .args(["list", "--query", "dep"])
        .arg(&file)
        .env("LITBROWSE_CACHE_DIR", &cache.dir)
        .env_remove("LITBROWSE_NO_CACHE")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("big.ris:1: error:"), "{err}");
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(stdout(&o).lines().count() > 10);
}
