//! CSL-JSON: an array of items, as Zotero, pandoc and citeproc read them.

use crate::record::{Author, Kind, Record};
use serde_json::{json, Map, Value};

pub fn write(records: &[&Record]) -> String {
    let keys = super::bibtex::keys(records);
    let items: Vec<Value> = records
        .iter()
        .zip(keys)
        .map(|(r, key)| item(r, &key))
        .collect();
    let mut out = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_string());
    out.push('\n');
    out
}

fn csl_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Article => "article-journal",
        Kind::Chapter => "chapter",
        Kind::Book => "book",
        Kind::Conference => "paper-conference",
        Kind::Report => "report",
        Kind::Thesis => "thesis",
        Kind::Other => "document",
    }
}

fn name(a: &Author) -> Value {
    match (&a.family, &a.given) {
        (Some(family), Some(given)) => {
            // "Fontaine, Jr" as read from BibTeX: CSL keeps the suffix apart.
            match family.split_once(", ") {
                Some((f, suffix)) => json!({"family": f, "given": given, "suffix": suffix}),
                None => json!({"family": family, "given": given}),
            }
        }
        _ => json!({"literal": a.name}),
    }
}

/// "2019-03-05" -> [[2019, 3, 5]].
fn date_parts(date: &str) -> Option<Value> {
    let parts: Vec<u32> = date.split('-').map_while(|p| p.parse().ok()).collect();
    (!parts.is_empty()).then(|| json!({ "date-parts": [parts] }))
}

fn item(r: &Record, key: &str) -> Value {
    let mut m = Map::new();
    let id = if r.id.is_empty() { key } else { &r.id };
    m.insert("id".into(), json!(id));
    m.insert("type".into(), json!(csl_type(r.kind)));
    let mut text = |name: &str, v: &Option<String>| {
        if let Some(v) = v {
            m.insert(name.into(), json!(v));
        }
    };
    text("title", &r.title);
    text("container-title", &r.container);
    text("volume", &r.volume);
    text("issue", &r.issue);
    text("page", &r.pages);
    text("DOI", &r.doi);
    text("publisher", &r.publisher);
    text("URL", &r.url);
    text("language", &r.language);
    text("PMID", &r.pmid);
    if !r.authors.is_empty() {
        m.insert("author".into(), r.authors.iter().map(name).collect());
    }
    let issued = r
        .date
        .as_deref()
        .and_then(date_parts)
        .or_else(|| r.year.map(|y| json!({ "date-parts": [[y]] })));
    if let Some(d) = issued {
        m.insert("issued".into(), d);
    }
    if !r.issn.is_empty() {
        m.insert("ISSN".into(), json!(r.issn.join(", ")));
    }
    if !r.isbn.is_empty() {
        m.insert("ISBN".into(), json!(r.isbn.join(", ")));
    }
    if !r.keywords.is_empty() {
        let sep = if r.keywords.iter().any(|k| k.contains(',')) {
            "; "
        } else {
            ", "
        };
        m.insert("keyword".into(), json!(r.keywords.join(sep)));
    }
    let abstract_text = r.abstract_text();
    if !abstract_text.is_empty() {
        m.insert("abstract".into(), json!(abstract_text));
    }
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_fields() {
        let r = Record {
            kind: Kind::Article,
            title: Some("T".into()),
            authors: vec![
                Author::from_parts("de la Fontaine, Jr", "Jean"),
                Author::from_parts("WHO", ""),
            ],
            date: Some("2019-03-05".into()),
            year: Some(2019),
            keywords: vec!["a, b".into(), "c".into()],
            ..Record::default()
        };
        let v: Value = serde_json::from_str(&write(&[&r])).unwrap_or_default();
        let item = &v[0];
        assert_eq!(item["type"], "article-journal");
        assert_eq!(item["author"][0]["family"], "de la Fontaine");
        assert_eq!(item["author"][0]["suffix"], "Jr");
        assert_eq!(item["author"][1]["literal"], "WHO");
        assert_eq!(item["issued"]["date-parts"][0], json!([2019, 3, 5]));
        assert_eq!(item["keyword"], "a, b; c");
        assert_eq!(item["id"], "delaFontaine2019T");
    }
}
