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
