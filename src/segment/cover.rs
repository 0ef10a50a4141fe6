//! Cover pages and the title block in front of a table of contents.
//!
//! A cover is found two ways. A cover marker (`（此页为封面）`) ends one: the cover
//! runs back to the top of its page — a page break, the start of the file, or the
//! heading that introduces it (`附件四` followed by its report's cover). At the very
//! start of a file there is nothing to introduce, so a marker such as `附件2`
//! stamped on the cover belongs to the cover. Without a marker, a short first page
//! of title lines, or the title lines in front of a 目录, are the cover.

use super::lines::{content, has_sentence_punct, is_table_like};
use super::marker;
use crate::model::LineRole;
use crate::normalize::NormDoc;
use crate::patterns::headings::TocKind;
use crate::patterns::PatternSet;

/// A cover line is short: a title, a label, a date.
const COVER_LINE_CHARS: usize = 40;
/// A title page holds few lines.
const MAX_TITLE_PAGE_LINES: usize = 8;

pub fn mark(norm: &NormDoc, pats: &PatternSet, roles: &mut [LineRole]) {
    let h = &pats.headings;
    for i in 0..roles.len() {
        if roles[i] == LineRole::Text
            && h.cover.iter().any(|r| r.re.is_match(content(norm.line(i))))
        {
            back_from_marker(norm, pats, roles, i);
        }
    }
    title_page(norm, pats, roles);
    before_toc(norm, pats, roles);
}

fn cover_like(norm: &NormDoc, i: usize) -> bool {
    let line = norm.line(i);
    let t = content(line);
    t.chars().count() <= COVER_LINE_CHARS && !has_sentence_punct(t) && !is_table_like(line, 0)
}

fn back_from_marker(norm: &NormDoc, pats: &PatternSet, roles: &mut [LineRole], end: usize) {
    roles[end] = LineRole::Cover;
    if norm.lines[end].page_start {
        return;
    }
    let mut k = end;
    while k > 0 {
        k -= 1;
        match roles[k] {
            LineRole::Blank => continue,
            LineRole::Text => {}
            _ => return,
        }
        let (a, _) = norm.line_bounds(k);
        if marker::find(norm.line(k), a, &pats.headings).is_some() {
            // Introduces the cover, unless nothing stands before it.
            if roles[..k].iter().all(|&r| r == LineRole::Blank) {
                roles[k] = LineRole::Cover;
            }
            return;
        }
        if !cover_like(norm, k) {
            return;
        }
        roles[k] = LineRole::Cover;
        if norm.lines[k].page_start {
            return;
        }
    }
}

/// A first page of a few title lines, followed by more pages, is a cover.
fn title_page(norm: &NormDoc, pats: &PatternSet, roles: &mut [LineRole]) {
    let Some(second) = (0..roles.len()).find(|&i| norm.lines[i].page > 1) else {
        return;
    };
    let lines: Vec<usize> = (0..second)
        .filter(|&i| roles[i] != LineRole::Blank)
        .collect();
    if lines.is_empty()
        || lines.len() > MAX_TITLE_PAGE_LINES
        || lines.iter().any(|&i| roles[i] != LineRole::Text)
    {
        return;
    }
    let plain = lines.iter().all(|&i| {
        let (a, _) = norm.line_bounds(i);
        cover_like(norm, i) && marker::find(norm.line(i), a, &pats.headings).is_none()
    });
    if plain {
        for i in lines {
            roles[i] = LineRole::Cover;
        }
    }
}

/// Title lines directly in front of a 目录 are the cover's.
fn before_toc(norm: &NormDoc, pats: &PatternSet, roles: &mut [LineRole]) {
    let Some(toc) = (0..roles.len()).find(|&i| {
        roles[i] == LineRole::Toc
            && pats
                .headings
                .toc
                .iter()
                .any(|r| r.kind == TocKind::Header && r.re.is_match(content(norm.line(i))))
    }) else {
        return;
    };
    let lines: Vec<usize> = (0..toc).filter(|&i| roles[i] != LineRole::Blank).collect();
    if lines.len() > MAX_TITLE_PAGE_LINES {
        return;
    }
    let plain = lines.iter().all(|&i| {
        let (a, _) = norm.line_bounds(i);
        matches!(roles[i], LineRole::Text | LineRole::Cover)
            && cover_like(norm, i)
            && marker::find(norm.line(i), a, &pats.headings).is_none()
    });
    if plain {
        for i in lines {
            roles[i] = LineRole::Cover;
        }
    }
}

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
        let marks = super::super::marker::of_lines(&norm, &pats.headings);
        super::super::toc::mark(&norm, &marks, pats, &mut roles);
        mark(&norm, pats, &mut roles);
        roles
    }

    #[test]
    fn cover_at_file_start_takes_its_stamp() {
        let r = roles_of("\n附件2\n\n某中心整体支出绩效自评报告\n预算单位名称:\n年 月 日\n(此页为封面)\n一、基本情况\n正文。");
        assert!(r[1..=6]
            .iter()
            .all(|&x| x == LineRole::Cover || x == LineRole::Blank));
        assert_eq!(r[1], LineRole::Cover);
        assert_eq!(r[7], LineRole::Text);
    }

    #[test]
    fn cover_introduced_by_a_heading() {
        let r = roles_of(
            "三、其他\n正文。\n附件四\n\n某某报告\n2024年6月18日\n(此页为封面)\n一、部门基本情况",
        );
        assert_eq!(r[2], LineRole::Text);
        assert_eq!(r[4], LineRole::Cover);
        assert_eq!(r[5], LineRole::Cover);
        assert_eq!(r[6], LineRole::Cover);
        assert_eq!(r[7], LineRole::Text);
    }

    #[test]
    fn title_page_and_title_block() {
        let r = roles_of("上海市普陀区财政局\n2024年度部门决算\n\u{c}目 录\n第一部分 概况\n\u{c}第一部分 概况\n正文。");
        assert_eq!(&r[..2], &[LineRole::Cover, LineRole::Cover]);
        let r = roles_of(
            "2021 年度\n某中心\n部门决算\n\n目 录\n第一部分 概况\n\n第一部分\n概况\n正文。",
        );
        assert_eq!(&r[..3], &[LineRole::Cover; 3]);
    }
}
