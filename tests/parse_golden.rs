//! The RIS and MEDLINE importers give, record for record, the output saved in
//! `tests/data/parse_golden.tsv` before they were rewritten for speed.
//!
//! Each line is `file<TAB>record index (or "diagnostics")<TAB>FNV hash of its JSON`, so a change
//! names the record that moved. After a deliberate change of output, regenerate with
//! `LITBROWSE_BLESS=1 cargo test --test parse_golden` and review the diff.

use litbrowse::formats::{medline, ris, Parsed};
use litbrowse::record::Fnv;
use std::path::PathBuf;

mod corpus_dir;
use corpus_dir::corpus;

fn hash(json: &str) -> String {
    let mut h = Fnv::default();
    h.write(json.as_bytes());
    format!("{:016x}", h.0)
}

fn lines_for(name: &str, p: &Parsed) -> Vec<String> {
    let mut out: Vec<String> = p
        .records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let json = serde_json::to_string(r).unwrap_or_default();
            format!("{name}\t{i}\t{}", hash(&json))
        })
        .collect();
    let diags = serde_json::to_string(&p.diagnostics).unwrap_or_default();
    out.push(format!("{name}\tdiagnostics\t{}", hash(&diags)));
    out
}

#[test]
fn ris_and_medline_output_unchanged() {
    let Some(dir) = corpus() else { return };
    let mut got = Vec::new();
    for (sub, medline_format) in [("ris", false), ("medline", true)] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir.join(sub))
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let name = format!(
                "{sub}/{}",
                path.file_name().unwrap_or_default().to_string_lossy()
            );
            let parsed = if medline_format {
                medline::parse(&text, &name)
            } else {
                ris::parse(&text, &name)
            };
            assert!(!parsed.records.is_empty(), "{name}: no records");
            got.extend(lines_for(&name, &parsed));
        }
    }
    let saved = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/parse_golden.tsv");
    let got = got.join("\n") + "\n";
    if std::env::var_os("LITBROWSE_BLESS").is_some() {
        std::fs::write(&saved, &got).unwrap_or_else(|e| panic!("write {}: {e}", saved.display()));
        return;
    }
    let want = std::fs::read_to_string(&saved).unwrap_or_default();
    let differ: Vec<(&str, &str)> = want
        .lines()
        .zip(got.lines())
        .filter(|(w, g)| w != g)
        .take(10)
        .collect();
    assert!(
        differ.is_empty() && want.lines().count() == got.lines().count(),
        "output changed (saved, now): {differ:#?}; {} saved lines, {} now",
        want.lines().count(),
        got.lines().count()
    );
}
