//! Page furniture: page numbers and the headers and footers repeated on every page.
//!
//! Page numbers are recognised by `patterns/headings.toml` (`- 3 -`, `第 3 页`; a bare
//! number only at a page's edge). Repeated headers and footers are found by
//! repetition: the same line (digits aside) at the top or bottom of most pages,
//! unless it is the title of a form printed one per page (`项目支出绩效自评表`).

use std::collections::HashMap;

use super::lines::{content, has_sentence_punct, is_table_like};
use crate::model::LineRole;
use crate::normalize::NormDoc;
use crate::patterns::PatternSet;

/// Lines at each end of a page that may be a running header or footer.
const EDGE_LINES: usize = 2;

pub fn mark(norm: &NormDoc, pats: &PatternSet, roles: &mut [LineRole]) {
    let pages = page_edges(norm, roles);
    let paged = pages.len() >= 2;
    let mut edge = vec![false; roles.len()];
    for (first, last) in &pages {
        edge[*first] = true;
        edge[*last] = true;
    }
    for (i, role) in roles.iter_mut().enumerate() {
        if *role != LineRole::Text {
            continue;
        }
        let t = content(norm.line(i));
        let hit = pats
            .headings
            .furniture
            .iter()
            .any(|r| (!r.edge_only || (paged && edge[i])) && r.re.is_match(t));
        if hit {
            *role = LineRole::PageFurniture;
        }
    }
    if pages.len() >= 3 {
        repeated(norm, pats, roles, &pages);
    }
}

/// `(first, last)` non-blank line of every page that has one.
fn page_edges(norm: &NormDoc, roles: &[LineRole]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = vec![];
    let mut cur: Option<(u32, usize, usize)> = None;
    for (i, role) in roles.iter().enumerate() {
        if *role == LineRole::Blank {
            continue;
        }
        let page = norm.lines[i].page;
        match cur {
            Some((p, f, _)) if p == page => cur = Some((p, f, i)),
            Some((_, f, l)) => {
                out.push((f, l));
                cur = Some((page, i, i));
            }
            None => cur = Some((page, i, i)),
        }
    }
    if let Some((_, f, l)) = cur {
        out.push((f, l));
    }
    out
}

/// Lines repeated at the same end of at least half the pages (and three).
fn repeated(norm: &NormDoc, pats: &PatternSet, roles: &mut [LineRole], pages: &[(usize, usize)]) {
    // A form's title and the line right under it (its `（2023年度）`) open a form.
    let form_title = |i: usize| pats.tables.is_form_title(norm.line(i));
    let under_form_title = |i: usize| {
        (0..i)
            .rev()
            .find(|&j| roles[j] != LineRole::Blank)
            .is_some_and(form_title)
    };
    let key = |i: usize| -> Option<String> {
        let line = norm.line(i);
        if is_table_like(line, 0) || has_sentence_punct(line) {
            return None;
        }
        let k: String = content(line)
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| if c.is_ascii_digit() { '#' } else { c })
            .collect();
        (!k.is_empty() && k.chars().count() <= 60).then_some(k)
    };
    let nonblank = |from: usize, to: usize| -> Vec<usize> {
        (from..=to)
            .filter(|&i| roles[i] != LineRole::Blank)
            .collect()
    };
    let mut seen: HashMap<(bool, String), Seen> = HashMap::new();
    for (pi, (f, l)) in pages.iter().enumerate() {
        let lines = nonblank(*f, *l);
        let heads = lines.iter().take(EDGE_LINES);
        let feet = lines.iter().rev().take(EDGE_LINES);
        for (bottom, i) in heads.map(|i| (false, i)).chain(feet.map(|i| (true, i))) {
            // Never counted, so no copy of it is furniture either.
            if form_title(*i) || under_form_title(*i) {
                continue;
            }
            if let Some(k) = key(*i) {
                let v = seen.entry((bottom, k)).or_default();
                if v.last().map(|&(p, _)| p) != Some(pi) {
                    v.push((pi, *i));
                }
            }
        }
    }
    let need = (pages.len() / 2).max(3);
    let repeated: std::collections::HashSet<&String> = seen
        .iter()
        .filter(|(_, v)| v.len() >= need)
        .map(|((_, k), _)| k)
        .collect();
    if repeated.is_empty() {
        return;
    }
    // Every copy is furniture (also one pushed down by a cover page), except the
    // document's first line, which is its title.
    let first = roles.iter().position(|&r| r != LineRole::Blank);
    let copies: Vec<usize> = (0..roles.len())
        .filter(|&i| roles[i] == LineRole::Text && Some(i) != first)
        .filter(|&i| key(i).is_some_and(|k| repeated.contains(&k)))
        .collect();
    for i in copies {
        roles[i] = LineRole::PageFurniture;
    }
}

type Seen = Vec<(usize, usize)>;

#[cfg(test)]
mod tests {
    use super::*;

    fn roles_of(text: &str) -> Vec<LineRole> {
        let norm = NormDoc::new(text.to_string());
        let pats = crate::segment::test_pats();
        let mut roles: Vec<LineRole> = (0..norm.line_count())
            .map(|i| {
                if norm.line(i).trim().is_empty() {
                    LineRole::Blank
                } else {
                    LineRole::Text
                }
            })
            .collect();
        mark(&norm, pats, &mut roles);
        roles
    }

    #[test]
    fn page_numbers() {
        let r = roles_of("正文一。\n- 3 -\n\u{c}第 4 页\n正文二。\n4\n\u{c}正文三。\n5");
        assert_eq!(r[1], LineRole::PageFurniture);
        assert_eq!(r[2], LineRole::PageFurniture);
        assert_eq!(r[4], LineRole::PageFurniture);
        assert_eq!(r[6], LineRole::PageFurniture);
        assert_eq!(r[0], LineRole::Text);
    }

    #[test]
    fn bare_numbers_only_at_page_edges() {
        let r = roles_of("序号 单位\n2\n正文。");
        assert_eq!(r[1], LineRole::Text);
    }

    #[test]
    fn repeated_headers() {
        let mut s = String::new();
        for p in 1..=4 {
            if p > 1 {
                s.push('\u{c}');
            }
            s.push_str(&format!("某某局2024年度部门决算\n第{p}段正文。\n"));
        }
        let r = roles_of(&s);
        assert_eq!(r[0], LineRole::Text, "the first line is the title");
        assert_eq!(r[2], LineRole::PageFurniture);
        assert_eq!(r[4], LineRole::PageFurniture);
        assert_eq!(r[1], LineRole::Text);
    }
}
