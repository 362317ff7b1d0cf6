//! The filter language shared by the TUI's filter bar and `litbrowse list --query`:
//!
//! - bare words: fuzzy over title, authors, keywords, container and year; all must match;
//! - `au:` author, `kw:` keyword, `ti:` title, `jo:` container, `ab:` abstract, `fi:` findings;
//! - `yr:2012`, `yr:2010..2016`, `yr:>2015`, `yr:<=2000`;
//! - `!term` negates, `'term` is an exact substring, `"two words"` a phrase;
//! - smart case: a term with an upper-case letter is matched case-sensitively.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// Title, authors, keywords, container and year.
    Any,
    Author,
    Keyword,
    Title,
    Container,
    Abstract,
    Findings,
    Year,
}

impl Field {
    fn from_prefix(p: &str) -> Option<Field> {
        Some(match p {
            "au" => Field::Author,
            "kw" => Field::Keyword,
            "ti" => Field::Title,
            "jo" => Field::Container,
            "ab" => Field::Abstract,
            "fi" => Field::Findings,
            "yr" => Field::Year,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pattern {
    /// Scored by fuzzy-matcher's skim algorithm.
    Fuzzy(String),
    /// A plain substring: `'term` or `"a phrase"`.
    Exact(String),
    /// An inclusive year range; None is open.
    Years(Option<i32>, Option<i32>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub field: Field,
    pub negated: bool,
    pub pattern: Pattern,
    /// Smart case: true when the pattern has an upper-case letter.
    pub case_sensitive: bool,
}

impl Term {
    /// The text this term looks for (empty for year ranges).
    pub fn needle(&self) -> &str {
        match &self.pattern {
            Pattern::Fuzzy(s) | Pattern::Exact(s) => s,
            Pattern::Years(..) => "",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    pub terms: Vec<Term>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub message: String,
    /// Character offset in the query where the problem starts.
    pub at: usize,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at column {})", self.message, self.at + 1)
    }
}

impl std::error::Error for QueryError {}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// True when every record matching `self` also matches `previous`, so a search may be
    /// run within the previous hits only.
    pub fn narrows(&self, previous: &Query) -> bool {
        if previous.terms.is_empty() || self.terms.len() < previous.terms.len() {
            return previous.terms.is_empty() && !self.terms.is_empty();
        }
        let last = previous.terms.len() - 1;
        previous.terms.iter().enumerate().all(|(i, old)| {
            let new = &self.terms[i];
            if new == old {
                return true;
            }
            i == last
                && !old.negated
                && !new.negated
                && old.field == new.field
                && match (&old.pattern, &new.pattern) {
                    // Case-sensitive matches are a subset of case-insensitive ones, not the reverse.
                    // A fuzzy needle narrows only when it grows at its end: the word gate's
                    // chunks start at word starts, so a character typed inside can let a
                    // record match that the shorter needle did not ("ac" -> "abc" in
                    // "ab cd": `search::tests::a_character_typed_inside_does_not_narrow`).
                    (Pattern::Fuzzy(a), Pattern::Fuzzy(b)) => {
                        (!old.case_sensitive || new.case_sensitive)
                            && b.to_lowercase().starts_with(&a.to_lowercase())
                            && (!old.case_sensitive || b.starts_with(a.as_str()))
                    }
                    (Pattern::Exact(a), Pattern::Exact(b)) => {
                        (!old.case_sensitive || new.case_sensitive)
                            && b.to_lowercase().contains(&a.to_lowercase())
                            && (!old.case_sensitive || b.contains(a.as_str()))
                    }
                    _ => false,
                }
        })
    }
}

/// Parses a query. Incomplete terms met while typing (`au:`, a lone `!`, an unclosed quote)
/// are accepted quietly, so the list does not flicker with errors mid-word.
pub fn parse(input: &str) -> Result<Query, QueryError> {
    let chars: Vec<char> = input.chars().collect();
    let mut terms = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let mut negated = false;
        if chars[i] == '!' {
            negated = true;
            i += 1;
        }
        // A field prefix is two letters and a colon.
        let mut field = Field::Any;
        if chars.get(i + 2) == Some(&':') {
            let p: String = chars[i..i + 2].iter().collect();
            if let Some(f) = Field::from_prefix(&p.to_ascii_lowercase()) {
                field = f;
                i += 3;
            }
        }
        let (value, exact, next) = read_value(&chars, i);
        i = next;
        if value.is_empty() {
            continue;
        }
        let pattern = if field == Field::Year {
            parse_years(&value).ok_or_else(|| QueryError {
                message: format!(
                    "yr: expects a year such as 2012, 2010..2016, >2015 or <=2000, not \"{value}\""
                ),
                at: start,
            })?
        } else if exact {
            Pattern::Exact(value.clone())
        } else {
            Pattern::Fuzzy(value.clone())
        };
        terms.push(Term {
            field,
            negated,
            case_sensitive: value.chars().any(char::is_uppercase),
            pattern,
        });
    }
    Ok(Query { terms })
}

/// Reads a term's value at `i`: `'exact`, `"a phrase"` or a plain word.
fn read_value(chars: &[char], mut i: usize) -> (String, bool, usize) {
    match chars.get(i) {
        Some('"') => {
            i += 1;
            let mut v = String::new();
            while i < chars.len() && chars[i] != '"' {
                v.push(chars[i]);
                i += 1;
            }
            (v.trim().to_string(), true, i + 1)
        }
        Some('\'') => {
            let mut v = String::new();
            i += 1;
            while i < chars.len() && !chars[i].is_whitespace() {
                v.push(chars[i]);
                i += 1;
            }
            (v, true, i)
        }
        _ => {
            let mut v = String::new();
            while i < chars.len() && !chars[i].is_whitespace() {
                v.push(chars[i]);
                i += 1;
            }
            (v, false, i)
        }
    }
}

fn parse_years(v: &str) -> Option<Pattern> {
    let year = |s: &str| -> Option<i32> {
        let s = s.trim();
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    if let Some((a, b)) = v.split_once("..") {
        let lo = if a.is_empty() { None } else { Some(year(a)?) };
        let hi = if b.is_empty() { None } else { Some(year(b)?) };
        if lo.is_none() && hi.is_none() {
            return None;
        }
        return Some(Pattern::Years(lo, hi));
    }
    if let Some(r) = v.strip_prefix(">=") {
        return Some(Pattern::Years(Some(year(r)?), None));
    }
    if let Some(r) = v.strip_prefix("<=") {
        return Some(Pattern::Years(None, Some(year(r)?)));
    }
    if let Some(r) = v.strip_prefix('>') {
        return Some(Pattern::Years(Some(year(r)? + 1), None));
    }
    if let Some(r) = v.strip_prefix('<') {
        return Some(Pattern::Years(None, Some(year(r)? - 1)));
    }
    let y = year(v)?;
    Some(Pattern::Years(Some(y), Some(y)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fuzzy(field: Field, s: &str) -> Term {
        Term {
            field,
            negated: false,
            pattern: Pattern::Fuzzy(s.into()),
            case_sensitive: s.chars().any(char::is_uppercase),
        }
    }

    #[test]
    fn words_prefixes_and_negation() {
        let q = parse("au:repper kw:peer !2012").unwrap();
        assert_eq!(q.terms[0], fuzzy(Field::Author, "repper"));
        assert_eq!(q.terms[1], fuzzy(Field::Keyword, "peer"));
        assert!(q.terms[2].negated);
        assert_eq!(q.terms[2].pattern, Pattern::Fuzzy("2012".into()));
    }

    #[test]
    fn phrases_exact_and_years() {
        let q = parse("kw:\"peer support\" 'Repper yr:2010..2016 yr:>2015").unwrap();
        assert_eq!(q.terms[0].pattern, Pattern::Exact("peer support".into()));
        assert_eq!(q.terms[0].field, Field::Keyword);
        assert_eq!(q.terms[1].pattern, Pattern::Exact("Repper".into()));
        assert!(q.terms[1].case_sensitive);
        assert_eq!(q.terms[2].pattern, Pattern::Years(Some(2010), Some(2016)));
        assert_eq!(q.terms[3].pattern, Pattern::Years(Some(2016), None));
    }

    #[test]
    fn bad_year_is_an_error_with_position() {
        let e = parse("peer yr:soon").unwrap_err();
        assert_eq!(e.at, 5);
        assert!(e.message.starts_with("yr: expects a year"));
    }

    #[test]
    fn incomplete_terms_are_quiet() {
        assert!(parse("au:").unwrap().is_empty());
        assert!(parse("!").unwrap().is_empty());
        assert_eq!(parse("\"peer sup").unwrap().terms.len(), 1);
    }

    #[test]
    fn narrowing_rules() {
        let p = |s| parse(s).unwrap();
        assert!(p("rep").narrows(&p("re")));
        assert!(p("rep wat").narrows(&p("rep")));
        assert!(p("rep !x").narrows(&p("rep")));
        assert!(!p("!rep").narrows(&p("!re")));
        assert!(!p("re").narrows(&p("rep")));
        assert!(!p("au:rep").narrows(&p("rep")));
        assert!(p("x").narrows(&p("")));
        assert!(!p("abc").narrows(&p("ac")));
    }
}
