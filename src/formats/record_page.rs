//! A bibliographic record page with Chinese labels, copied from the browser: the title, 被引:N
//! (times cited), then label lines each followed by their values: 作者 (authors, "Family, Given
//! [1 ]" with institution markers), 机构 (institutions "[1] ..."), 关键词 (keywords), D O I,
//! 中图分类号 and 学科分类号 (classification codes), 摘要 (abstract), 页码:16 / + (pages), 页数
//! (page count) and 相关论文 (related papers, each "• [n] title", authors, "[J]. JOURNAL, 2005,
//! 1 (02): : 111 - 118"). Each related paper becomes a record of its own; the main record's
//! `related` lists their ids.
//!
//! Pages: "16 / +" means the article starts on page 16 and goes on over pages that are not
//! consecutive (the "+"); the last page is unknown, so `pages` is "16" and `page_count` (页数)
//! keeps the length.

use super::article_page::{repair_words, vocabulary};
use super::{Format, Parsed};
use crate::diagnostic::Diagnostic;
use crate::library::source;
use crate::record::{bare_doi, clean_text, normalize_pages, Author, Kind, Record, Section};

/// A label line and what its block holds.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Block {
    Authors,
    Institutions,
    Keywords,
    Doi,
    Clc,
    Subjects,
    Abstract,
    Funding,
    Source,
    Related,
    /// Buttons of the page (引用 "cite", 收藏 "save"): nothing to read.
    Ignored,
}

fn block_of(line: &str) -> Option<Block> {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    Some(match compact.as_str() {
        "作者" => Block::Authors,
        "机构" | "作者单位" | "单位" => Block::Institutions,
        "关键词" | "关键字" => Block::Keywords,
        "DOI" => Block::Doi,
        "中图分类号" => Block::Clc,
        "学科分类号" => Block::Subjects,
        "摘要" => Block::Abstract,
        "基金" | "基金项目" => Block::Funding,
        "来源" | "出版物" | "期刊" | "刊名" => Block::Source,
        "相关论文" | "相关文献" => Block::Related,
        "引用" | "收藏" | "分享" | "|" => Block::Ignored,
        _ => return None,
    })
}

/// Labels written on one line with their value.
const INLINE_LABELS: [&str; 9] = [
    "被引",
    "被引次数",
    "页码",
    "页数",
    "年",
    "年份",
    "出版年",
    "卷",
    "期",
];

/// "页数:11" or "页数：11" -> ("页数", "11").
fn inline_field(line: &str) -> Option<(&str, &str)> {
    let (label, value) = line.split_once([':', '：'])?;
    let label = label.trim();
    INLINE_LABELS
        .contains(&label)
        .then(|| (label, value.trim()))
}

/// "Ley, Ann [1 ]", "Ley, Ann [1, 2 ]" -> ("Ley, Ann", [1]).
fn author_with_marks(line: &str) -> (String, Vec<u32>) {
    let Some(open) = line.find('[') else {
        return (clean_text(line), Vec::new());
    };
    let marks = line[open + 1..]
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    (clean_text(&line[..open]), marks)
}

/// "[1] Devon Partnership NHS Trust, ..." -> (1, "Devon Partnership NHS Trust, ...").
fn numbered(line: &str) -> Option<(u32, String)> {
    let rest = line.trim().strip_prefix('[')?;
    let (n, text) = rest.split_once(']')?;
    Some((n.trim().parse().ok()?, clean_text(text)))
}

/// "[J]" -> kind of the related paper.
fn kind_of_tag(tag: &str) -> Kind {
    match tag {
        "J" => Kind::Article,
        "C" | "A" => Kind::Conference,
        "M" => Kind::Book,
        "D" => Kind::Thesis,
        "R" => Kind::Report,
        _ => Kind::Other,
    }
}

/// The parts of "[J]. JOURNAL, 2005, 1 (02): : 111 - 118".
#[derive(Debug, Default, PartialEq)]
struct Citation {
    kind: Kind,
    container: Option<String>,
    year: Option<i32>,
    volume: Option<String>,
    issue: Option<String>,
    pages: Option<String>,
}

fn parse_citation(line: &str) -> Option<Citation> {
    let rest = line.trim().strip_prefix('[')?;
    let (tag, rest) = rest.split_once(']')?;
    let rest = rest.trim_start_matches(['.', ' ']);
    let mut c = Citation {
        kind: kind_of_tag(tag.trim()),
        ..Citation::default()
    };
    // The year is the last ", dddd" followed by a comma or the end: the journal may hold commas.
    let year_at = rest.rmatch_indices(", ").map(|(i, _)| i).find(|&i| {
        let after = &rest[i + 2..];
        after.len() >= 4
            && after.as_bytes().iter().take(4).all(u8::is_ascii_digit)
            && (after.len() == 4 || after[4..].starts_with(','))
    })?;
    let container = clean_text(&rest[..year_at]);
    c.container = (!container.is_empty()).then_some(container);
    c.year = rest
        .get(year_at + 2..year_at + 6)
        .and_then(|y| y.parse().ok());
    let numbers = rest
        .get(year_at + 6..)
        .unwrap_or("")
        .trim_start_matches([',', ' ']);
    // "1 (02): : 111 - 118", "79 : S45 - S45", "56 (1_SUPPL): : 40 - 41", "176 (18) : I - II".
    let (head, pages) = match numbers.split_once(':') {
        Some((h, p)) => (h, p.trim_start_matches([':', ' '])),
        None => (numbers, ""),
    };
    let (volume, issue) = match head.split_once('(') {
        Some((v, i)) => (v, Some(i.split(')').next().unwrap_or(""))),
        None => (head, None),
    };
    let volume = clean_text(volume);
    c.volume = (!volume.is_empty()).then_some(volume);
    c.issue = issue.map(clean_text).filter(|i| !i.is_empty());
    c.pages = normalize_pages(pages).map(|p| match p.split_once('-') {
        // "S45 - S45" is one page.
        Some((a, b)) if a == b => a.to_string(),
        _ => p,
    });
    Some(c)
}

pub fn parse(text: &str, path: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let lines: Vec<&str> = text.lines().collect();
    let Some(title_at) = lines.iter().position(|l| !l.trim().is_empty()) else {
        parsed
            .diagnostics
            .push(Diagnostic::error(path, 1, "the record page has no text"));
        return parsed;
    };
    let mut r = Record::new(source(path, Format::RecordPage, title_at + 1));
    let first = lines[title_at].trim();
    if block_of(first).is_none() && inline_field(first).is_none() {
        r.title = Some(clean_text(first)).filter(|t| !t.is_empty());
    } else {
        parsed.diagnostics.push(Diagnostic::warning(
            path,
            title_at + 1,
            "the record page does not start with a title; the title is left empty",
        ));
    }
    let vocab = vocabulary(text);
    let mut block: Option<Block> = None;
    let mut authors: Vec<(Author, Vec<u32>, usize)> = Vec::new();
    let mut institutions: Vec<(u32, String)> = Vec::new();
    let mut abstract_lines: Vec<&str> = Vec::new();
    let mut related: Vec<(usize, Record, bool)> = Vec::new();
    for (i, raw) in lines.iter().enumerate().skip(title_at + 1) {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(b) = block_of(line) {
            block = Some(b);
            continue;
        }
        if block != Some(Block::Related) {
            if let Some((label, value)) = inline_field(line) {
                read_inline(&mut r, label, value, path, i, &mut parsed.diagnostics);
                block = None;
                continue;
            }
        }
        match block {
            Some(Block::Authors) => {
                let (name, marks) = author_with_marks(line);
                if !name.is_empty() {
                    authors.push((Author::parse(&name), marks, i));
                }
            }
            Some(Block::Institutions) => match numbered(line) {
                Some(n) => institutions.push(n),
                None => {
                    if let Some((_, text)) = institutions.last_mut() {
                        text.push(' ');
                        text.push_str(&clean_text(line));
                    }
                }
            },
            Some(Block::Keywords) => r.keywords.extend(split_list(line)),
            Some(Block::Doi) => r.doi = r.doi.take().or_else(|| bare_doi(line)),
            Some(Block::Clc) | Some(Block::Subjects) => r.subjects.extend(split_list(line)),
            Some(Block::Abstract) => abstract_lines.push(line),
            Some(Block::Source) => {
                let c = clean_text(line);
                r.container = r.container.take().or((!c.is_empty()).then_some(c));
            }
            Some(Block::Related) => read_related(line, i, path, &mut related),
            Some(Block::Funding) | Some(Block::Ignored) | None => {}
        }
    }
    for (mut a, marks, line) in authors {
        for m in marks {
            match institutions.iter().find(|(n, _)| *n == m) {
                Some((_, text)) => a.affiliations.push(text.clone()),
                None => parsed.diagnostics.push(Diagnostic::warning(
                    path,
                    line + 1,
                    format!(
                        "author {} refers to institution [{m}], which the page does not list",
                        a.name
                    ),
                )),
            }
        }
        r.authors.push(a);
    }
    let abstract_text = repair_words(&clean_text(&abstract_lines.join(" ")), &vocab);
    if !abstract_text.is_empty() {
        r.abstract_sections.push(Section {
            label: None,
            text: abstract_text,
        });
    }
    for (line, rec, cited) in &related {
        if !cited {
            parsed.diagnostics.push(Diagnostic::warning(
                path,
                line + 1,
                format!(
                    "related paper \"{}\" has no citation line (\"[J]. JOURNAL, year, volume (issue): pages\"); only its title and authors are kept",
                    rec.title.as_deref().unwrap_or("")
                ),
            ));
        }
    }
    for (_, mut rec, _) in related {
        rec.fill_year_from_date();
        rec.id = rec.compute_id();
        r.related.push(rec.id.clone());
        parsed.records.push(rec);
    }
    parsed.records.insert(0, r);
    parsed
}

fn read_inline(
    r: &mut Record,
    label: &str,
    value: &str,
    path: &str,
    i: usize,
    diags: &mut Vec<Diagnostic>,
) {
    let number = || value.trim().parse::<u64>().ok();
    match label {
        "被引" | "被引次数" => r.citations = number(),
        "页数" => r.page_count = number().and_then(|n| u32::try_from(n).ok()),
        "页码" => {
            // "16 / +": first page, then a mark that the pages go on non-consecutively.
            let pages: Vec<&str> = value
                .split(['/', '+'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect();
            r.pages = match pages.as_slice() {
                [] => None,
                [first] => normalize_pages(first),
                [first, last, ..] => normalize_pages(&format!("{first}-{last}")),
            };
        }
        "年" | "年份" | "出版年" => r.year = value.get(..4).and_then(|y| y.parse().ok()),
        "卷" => r.volume = Some(clean_text(value)).filter(|v| !v.is_empty()),
        "期" => r.issue = Some(clean_text(value)).filter(|v| !v.is_empty()),
        _ => {}
    }
    if matches!(label, "被引" | "页数") && number().is_none() && !value.is_empty() {
        diags.push(Diagnostic::warning(
            path,
            i + 1,
            format!("{label}: \"{value}\" is not a number; ignored"),
        ));
    }
}

/// One line of the related-papers list: a "• [n] title" line starts a paper, then authors,
/// then its "[J]. ..." citation line.
fn read_related(line: &str, i: usize, path: &str, related: &mut Vec<(usize, Record, bool)>) {
    let bare = line.trim_start_matches(['•', '·', '*', '-', ' ']);
    let bullet = bare.len() != line.len();
    if bullet || (numbered(bare).is_some() && parse_citation(bare).is_none()) {
        let title = numbered(bare).map_or_else(|| clean_text(bare), |(_, t)| t);
        let mut rec = Record::new(source(path, Format::RecordPage, i + 1));
        rec.title = (!title.is_empty()).then_some(title);
        related.push((i, rec, false));
        return;
    }
    let Some((_, rec, cited)) = related.last_mut() else {
        return; // "共 50 条": the count of related papers.
    };
    if *cited {
        return;
    }
    if let Some(c) = parse_citation(line) {
        *cited = true;
        rec.kind = c.kind;
        rec.container = c.container;
        rec.year = c.year;
        rec.date = c.year.map(|y| format!("{y:04}"));
        rec.volume = c.volume;
        rec.issue = c.issue;
        rec.pages = c.pages;
    } else {
        rec.authors.push(Author::parse(line));
    }
}

fn split_list(line: &str) -> Vec<String> {
    line.split([';', '；'])
        .map(clean_text)
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citations() {
        let c =
            parse_citation("[J]. MATERNAL AND CHILD NUTRITION, 2005, 1 (02): : 111 - 118").unwrap();
        assert_eq!(c.container.as_deref(), Some("MATERNAL AND CHILD NUTRITION"));
        assert_eq!(c.year, Some(2005));
        assert_eq!(c.volume.as_deref(), Some("1"));
        assert_eq!(c.issue.as_deref(), Some("02"));
        assert_eq!(c.pages.as_deref(), Some("111-118"));
        let c = parse_citation("[J]. LUNG CANCER, 2013, 79 : S45 - S45").unwrap();
        assert_eq!(
            (c.volume.as_deref(), c.issue, c.pages.as_deref()),
            (Some("79"), None, Some("S45"))
        );
        let c = parse_citation("[J]. A, B AND C, 2022, 56 (1_SUPPL): : 40 - 41").unwrap();
        assert_eq!(c.container.as_deref(), Some("A, B AND C"));
        assert_eq!(c.issue.as_deref(), Some("1_SUPPL"));
        assert_eq!(c.pages.as_deref(), Some("40-41"));
        let c = parse_citation("[J]. VETERINARY RECORD, 2015, 176 (18) : I - II").unwrap();
        assert_eq!(
            (c.issue.as_deref(), c.pages.as_deref()),
            (Some("18"), Some("I-II"))
        );
        let c = parse_citation("[C]. PROC X, 2001").unwrap();
        assert_eq!(
            (c.kind, c.year, c.volume),
            (Kind::Conference, Some(2001), None)
        );
        assert_eq!(parse_citation("[J]. NO YEAR HERE"), None);
    }

    #[test]
    fn marks() {
        assert_eq!(
            author_with_marks("Ley, Ann [1 ]"),
            ("Ley, Ann".to_string(), vec![1])
        );
        assert_eq!(author_with_marks("Ley, Ann [1, 3 ]").1, vec![1, 3]);
        assert_eq!(inline_field("页码:16 / +"), Some(("页码", "16 / +")));
        assert_eq!(inline_field("Note: x"), None);
    }
}
