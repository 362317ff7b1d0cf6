//! Markdown: a reading list to print or paste, one section per record.

use crate::record::{is_findings_label, sanitize, Record};

pub fn write(records: &[&Record]) -> String {
    let mut out = String::from("# Reading list\n");
    for (n, r) in records.iter().enumerate() {
        out.push('\n');
        write_record(&mut out, n + 1, r);
    }
    out
}

/// Text as Markdown shows it literally: markup characters escaped, controls removed.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in sanitize(s).chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// "BACKGROUND" -> "Background"; labels already in mixed case stay as written.
fn label_text(label: &str) -> String {
    if label.chars().any(char::is_lowercase) {
        return label.to_string();
    }
    let lower = label.to_lowercase();
    let mut chars = lower.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn write_record(out: &mut String, n: usize, r: &Record) {
    let (title, fallback) = r.title_or_fallback();
    if fallback {
        out.push_str(&format!("## {n}. *[no title]* {}\n\n", md(&title)));
    } else {
        out.push_str(&format!("## {n}. {}\n\n", md(&title)));
    }
    let mut lines: Vec<String> = Vec::new();
    if !r.authors.is_empty() {
        let names: Vec<String> = r.authors.iter().map(|a| md(&a.name)).collect();
        lines.push(format!("**Authors:** {}", names.join(", ")));
    }
    let mut published = String::new();
    if let Some(c) = &r.container {
        published.push_str(&format!("*{}*", md(c)));
    }
    if let Some(v) = &r.volume {
        published.push_str(&format!(" {}", md(v)));
    }
    if let Some(i) = &r.issue {
        published.push_str(&format!("({})", md(i)));
    }
    if let Some(p) = &r.pages {
        let sep = if r.volume.is_some() || r.issue.is_some() {
            ": "
        } else {
            ", pp. "
        };
        published.push_str(&format!("{sep}{}", md(p)));
    }
    let year = r.date.clone().or_else(|| r.year.map(|y| y.to_string()));
    if let Some(y) = year {
        published.push_str(&format!(" ({y})"));
    }
    let published = published.trim();
    if !published.is_empty() {
        lines.push(format!("**Published:** {published}"));
    }
    if let Some(d) = &r.doi {
        lines.push(format!(
            "**DOI:** [{}](https://doi.org/{})",
            md(d),
            sanitize(d)
                .replace(' ', "%20")
                .replace(')', "%29")
                .replace('(', "%28")
        ));
    }
    if !r.keywords.is_empty() {
        let k: Vec<String> = r.keywords.iter().map(|k| md(k)).collect();
        lines.push(format!("**Keywords:** {}", k.join("; ")));
    }
    // Two trailing spaces: a line break inside one paragraph.
    out.push_str(&lines.join("  \n"));
    if !lines.is_empty() {
        out.push_str("\n\n");
    }
    for s in &r.abstract_sections {
        let text = md(&s.text);
        match s.label.as_deref() {
            Some(l) if is_findings_label(l) => {
                out.push_str(&format!("**{}:** *{}*\n\n", md(&label_text(l)), text))
            }
            Some(l) => out.push_str(&format!("**{}:** {}\n\n", md(&label_text(l)), text)),
            None => out.push_str(&format!("{text}\n\n")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Author, Section};

    #[test]
    fn record_as_markdown() {
        let r = Record {
            title: Some("A *bold* claim".into()),
            authors: vec![Author::from_parts("Ley", "Ann")],
            container: Some("J".into()),
            volume: Some("37".into()),
            issue: Some("11".into()),
            pages: Some("818-825".into()),
            year: Some(2019),
            doi: Some("10.1/x(1)".into()),
            abstract_sections: vec![
                Section {
                    label: Some("BACKGROUND".into()),
                    text: "Why.".into(),
                },
                Section {
                    label: Some("RESULTS".into()),
                    text: "What.".into(),
                },
            ],
            ..Record::default()
        };
        let untitled = Record {
            abstract_sections: vec![Section {
                label: None,
                text: "Only an abstract here. More.".into(),
            }],
            ..Record::default()
        };
        let out = write(&[&r, &untitled]);
        assert!(out.contains("## 1. A \\*bold\\* claim\n"), "{out}");
        assert!(out.contains("**Authors:** Ann Ley  \n"));
        assert!(out.contains("**Published:** *J* 37(11): 818-825 (2019)"));
        assert!(out.contains("[10.1/x(1)](https://doi.org/10.1/x%281%29)"));
        assert!(out.contains("**Background:** Why.\n"));
        assert!(out.contains("**Results:** *What.*\n"));
        assert!(
            out.contains("## 2. *[no title]* Only an abstract here.\n"),
            "{out}"
        );
    }
}
