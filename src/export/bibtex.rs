//! BibTeX: one `@type{key, ...}` per record, read back by BibTeX, biber, bibutils and our own
//! parser. Keys are Family + Year + first title word, with a/b/... when they collide.

use crate::record::{Kind, Record};
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

pub fn write(records: &[&Record]) -> String {
    let keys = keys(records);
    let mut out = String::new();
    for (r, key) in records.iter().zip(keys) {
        write_entry(&mut out, r, &key);
    }
    out
}

fn entry_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Article => "article",
        Kind::Chapter => "incollection",
        Kind::Book => "book",
        Kind::Conference => "inproceedings",
        Kind::Report => "techreport",
        Kind::Thesis => "phdthesis",
        Kind::Other => "misc",
    }
}

/// ASCII letters and digits only, accents folded ("Aksın" -> "Aksn", "Özge" -> "Ozge").
fn ascii_word(s: &str) -> String {
    s.nfd().filter(char::is_ascii_alphanumeric).collect()
}

const ARTICLES: [&str; 3] = ["a", "an", "the"];

fn base_key(r: &Record) -> String {
    let family = r
        .authors
        .first()
        .map(|a| ascii_word(a.family_or_name().split(',').next().unwrap_or("")))
        .filter(|f| !f.is_empty())
        .unwrap_or_else(|| "Anon".to_string());
    let year = r.year.map_or("nd".to_string(), |y| y.to_string());
    // The first word that says something: leading articles are skipped.
    let word = r
        .title
        .as_deref()
        .unwrap_or("")
        .split_whitespace()
        .map(ascii_word)
        .filter(|w| !w.is_empty())
        .find(|w| !ARTICLES.contains(&w.to_ascii_lowercase().as_str()))
        .unwrap_or_default();
    let mut word: Vec<char> = word.chars().collect();
    if let Some(c) = word.first_mut() {
        *c = c.to_ascii_uppercase();
    }
    format!("{family}{year}{}", word.iter().collect::<String>())
}

/// Citation keys for the records, unique among them and the same for the same input.
pub(crate) fn keys(records: &[&Record]) -> Vec<String> {
    let bases: Vec<String> = records.iter().map(|r| base_key(r)).collect();
    let mut total: HashMap<&str, usize> = HashMap::new();
    for b in &bases {
        *total.entry(b.as_str()).or_insert(0) += 1;
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut used: std::collections::HashSet<String> = bases
        .iter()
        .filter(|b| total[b.as_str()] == 1)
        .cloned()
        .collect();
    bases
        .iter()
        .map(|b| {
            if total[b.as_str()] == 1 {
                return b.clone();
            }
            let n = seen.entry(b.as_str()).or_insert(0);
            loop {
                let key = format!("{b}{}", suffix(*n));
                *n += 1;
                // "Smith2000Xa" could itself be another record's plain key.
                if used.insert(key.clone()) {
                    return key;
                }
            }
        })
        .collect()
}

/// a, b, ..., z, aa, ab, ...
fn suffix(mut n: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'a' + (n % 26) as u8);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Escapes BibTeX/LaTeX special characters; dashes and quotes that TeX would merge are
/// kept apart with "{}".
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut prev = '\0';
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '-' | '`' | '\'' if prev == c => {
                out.push_str("{}");
                out.push(c);
            }
            _ => out.push(c),
        }
        prev = c;
    }
    out
}

/// Title with every word that has a capital after the title's first letter in braces, so
/// that styles which lower-case titles keep "DNA" and "Goethe".
fn protect_title(title: &str) -> String {
    title
        .split(' ')
        .enumerate()
        .map(|(i, w)| {
            let skip = if i == 0 { 1 } else { 0 };
            let escaped = escape(w);
            if w.chars().skip(skip).any(char::is_uppercase) {
                format!("{{{escaped}}}")
            } else {
                escaped
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn name(a: &crate::record::Author) -> String {
    let family = a.family.as_deref().unwrap_or(&a.name);
    match a.given.as_deref() {
        // A name without a given part is one unit ("{Barnes and Noble}", "{WHO}").
        None => format!("{{{}}}", escape(family)),
        Some(given) => {
            let family_part = if family.contains(" and ") {
                format!("{{{}}}", escape(family))
            } else {
                escape(family)
            };
            format!("{family_part}, {}", escape(given))
        }
    }
}

/// DOIs and URLs: written as they are, without braces that would unbalance the entry.
fn verbatim(s: &str) -> String {
    s.chars().filter(|c| !matches!(c, '{' | '}')).collect()
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn push_text(fields: &mut Vec<(&'static str, String)>, name: &'static str, v: &Option<String>) {
    if let Some(v) = v {
        fields.push((name, format!("{{{}}}", escape(v))));
    }
}

fn write_entry(out: &mut String, r: &Record, key: &str) {
    let mut fields: Vec<(&'static str, String)> = Vec::new();
    if !r.authors.is_empty() {
        let names: Vec<String> = r.authors.iter().map(name).collect();
        fields.push(("author", format!("{{{}}}", names.join(" and "))));
    }
    if let Some(t) = &r.title {
        fields.push(("title", format!("{{{}}}", protect_title(t))));
    }
    if let Some(c) = &r.container {
        let name = match r.kind {
            Kind::Article => "journal",
            Kind::Chapter | Kind::Conference => "booktitle",
            Kind::Book | Kind::Report | Kind::Thesis | Kind::Other => "series",
        };
        fields.push((name, format!("{{{}}}", escape(c))));
    }
    if let Some(y) = r.year {
        fields.push(("year", format!("{{{y}}}")));
    }
    let month = r
        .date
        .as_deref()
        .and_then(|d| d.get(5..7))
        .and_then(|m| m.parse::<usize>().ok())
        .and_then(|m| MONTHS.get(m.wrapping_sub(1)));
    if let Some(m) = month {
        fields.push(("month", m.to_string()));
    }
    push_text(&mut fields, "volume", &r.volume);
    push_text(&mut fields, "number", &r.issue);
    if let Some(p) = &r.pages {
        fields.push(("pages", format!("{{{}}}", escape(p).replace('-', "--"))));
    }
    if let Some(d) = &r.doi {
        fields.push(("doi", format!("{{{}}}", verbatim(d))));
    }
    if !r.issn.is_empty() {
        fields.push(("issn", format!("{{{}}}", escape(&r.issn.join(", ")))));
    }
    if !r.isbn.is_empty() {
        fields.push(("isbn", format!("{{{}}}", escape(&r.isbn.join(", ")))));
    }
    push_text(&mut fields, "publisher", &r.publisher);
    if let Some(u) = &r.url {
        fields.push(("url", format!("{{{}}}", verbatim(u))));
    }
    if !r.keywords.is_empty() {
        let sep = if r.keywords.iter().any(|k| k.contains(',')) {
            "; "
        } else {
            ", "
        };
        fields.push(("keywords", format!("{{{}}}", escape(&r.keywords.join(sep)))));
    }
    let abstract_text = r.abstract_text();
    if !abstract_text.is_empty() {
        fields.push(("abstract", format!("{{{}}}", escape(&abstract_text))));
    }
    push_text(&mut fields, "language", &r.language);
    push_text(&mut fields, "pmid", &r.pmid);
    out.push('@');
    out.push_str(entry_type(r.kind));
    out.push('{');
    out.push_str(key);
    out.push_str(",\n");
    for (name, value) in fields {
        let value = crate::record::sanitize(&value).into_owned();
        out.push_str(&format!("  {name} = {value},\n"));
    }
    out.push_str("}\n\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Author, Section};

    fn record() -> Record {
        Record {
            kind: Kind::Article,
            title: Some("DNA & the 50% rule_of #1 {x}".into()),
            authors: vec![
                Author::from_parts("Türkmen", "Hayati"),
                Author::from_parts("Barnes and Noble", ""),
            ],
            year: Some(2006),
            date: Some("2006-03".into()),
            pages: Some("126-134".into()),
            abstract_sections: vec![Section {
                label: Some("Results".into()),
                text: "It works.".into(),
            }],
            ..Record::default()
        }
    }

    #[test]
    fn entry_layout_and_escapes() {
        let r = record();
        let out = write(&[&r]);
        assert!(out.starts_with("@article{Turkmen2006DNA,\n"), "{out}");
        assert!(out.contains("  author = {Türkmen, Hayati and {Barnes and Noble}},\n"));
        assert!(
            out.contains(r"  title = {{DNA} \& the 50\% rule\_of \#1 \{x\}},"),
            "{out}"
        );
        assert!(out.contains("  month = mar,\n"));
        assert!(out.contains("  pages = {126--134},\n"));
        assert!(out.contains("  abstract = {Results: It works.},\n"));
    }

    #[test]
    fn keys_are_unique_and_stable() {
        let a = record();
        let mut b = record();
        b.title = Some("DNA again".into());
        let mut c = record();
        c.authors.clear();
        c.year = None;
        c.title = Some("The Ünïcode Title".into());
        assert_eq!(
            keys(&[&a, &b, &c]),
            vec!["Turkmen2006DNAa", "Turkmen2006DNAb", "Anonnd\u{55}nicode"]
        );
        assert_eq!(keys(&[&a, &b, &c]), keys(&[&a, &b, &c]));
    }
}
