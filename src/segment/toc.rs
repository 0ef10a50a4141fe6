//! Tables of contents. They repeat the heading tree (often in other words: 目录
//! says 其他重要事项说明 where the body says 其他重要事项的情况说明), so their lines
//! must never become sections.
//!
//! Three signs, from `patterns/headings.toml` and the document itself: a 目录 header
//! (its entries run until the body starts over with the first entry's number),
//! dotted-leader lines anywhere, and a block of bare headings that the body repeats
//! later in the same order.

use super::lines::{content, has_sentence_punct, is_table_like};
use crate::model::{LineRole, Marker};
use crate::normalize::NormDoc;
use crate::patterns::headings::TocKind;
use crate::patterns::PatternSet;

/// A short line inside a TOC is a wrapped entry (`决算表`, `情况说明`).
const WRAPPED_ENTRY_CHARS: usize = 12;
/// An unnumbered entry the body repeats is at most this long.
const REPEATED_ENTRY_CHARS: usize = 40;
/// Lines a TOC may span at most.
const MAX_TOC_LINES: usize = 400;
/// Entries a header-less TOC needs.
const MIN_IMPLICIT_ENTRIES: usize = 3;

pub fn mark(norm: &NormDoc, marks: &[Option<Marker>], pats: &PatternSet, roles: &mut [LineRole]) {
    let h = &pats.headings;
    for (i, role) in roles.iter_mut().enumerate() {
        if *role == LineRole::Text
            && h.toc
                .iter()
                .any(|r| r.kind == TocKind::Entry && r.re.is_match(content(norm.line(i))))
        {
            *role = LineRole::Toc;
        }
    }
    let mut i = 0;
    while i < roles.len() {
        let is_header = roles[i] == LineRole::Text
            && h.toc
                .iter()
                .any(|r| r.kind == TocKind::Header && r.re.is_match(content(norm.line(i))));
        if is_header {
            roles[i] = LineRole::Toc;
            i = after_header(norm, marks, pats, roles, i);
        } else {
            i += 1;
        }
    }
    implicit(norm, marks, pats, roles);
}

/// Mark the entries after a 目录 header; returns the first line after the TOC.
fn after_header(
    norm: &NormDoc,
    marks: &[Option<Marker>],
    pats: &PatternSet,
    roles: &mut [LineRole],
    header: usize,
) -> usize {
    let h = &pats.headings;
    let mut first: Option<(u32, u32)> = None;
    // The first entry's words: the body starts over with them, whatever its marker
    // style (`第一部分  部门概况` in the 目录, `# 第一部分  部门概况` in the body).
    let mut first_words: Option<String> = None;
    let end = (header + MAX_TOC_LINES).min(roles.len());
    let mut j = header + 1;
    while j < end {
        match roles[j] {
            LineRole::Blank | LineRole::PageFurniture => {
                j += 1;
                continue;
            }
            LineRole::Toc => {
                if first.is_none() {
                    first = entry_key(marks, pats, j);
                }
                if first_words.is_none() {
                    first_words = Some(entry_words(norm.line(j)));
                }
                j += 1;
                continue;
            }
            LineRole::Text => {}
            _ => break,
        }
        let line = norm.line(j);
        let m = &marks[j];
        let key = m.as_ref().map(|m| (h.styles[m.style].rank, m.ordinal));
        if let (Some(f), Some(k)) = (first, key) {
            if f == k {
                break; // the body starts over with the first entry
            }
        }
        let words = entry_words(line);
        if first_words.as_deref() == Some(words.as_str()) {
            break;
        }
        if first_words.is_none() {
            first_words = Some(words.clone());
        }
        let t = content(line);
        let short = t.chars().count() <= WRAPPED_ENTRY_CHARS && !has_sentence_punct(t);
        // The gap after a marker (`第二部分  2021年度部门决算表`) is no column gap.
        let own_text = m
            .as_ref()
            .map_or(0, |m| m.title_start.saturating_sub(norm.line_bounds(j).0));
        // An unnumbered entry the body repeats word for word (a table's title
        // under `第二部分 部门决算表`).
        let repeated = || {
            t.chars().count() <= REPEATED_ENTRY_CHARS
                && (j + 1..roles.len()).any(|x| same_words(norm.line(x), &words))
        };
        let entry = !has_sentence_punct(t)
            && ((m.is_some() && !is_table_like(line, own_text))
                || ends_with_page_number(t)
                || repeated());
        if !(entry || short) || (norm.lines[j].page_start && m.is_none()) {
            break;
        }
        if first.is_none() {
            first = key;
        }
        roles[j] = LineRole::Toc;
        j += 1;
    }
    j
}

/// A line's words without markdown heading marks, list bullets or spaces.
fn word_chars(line: &str) -> impl Iterator<Item = char> + '_ {
    line.trim_start_matches(['#', '-', '*', ' ', '\t'])
        .chars()
        .filter(|c| !c.is_whitespace())
}

fn entry_words(line: &str) -> String {
    word_chars(line).collect()
}

/// Whether `line`'s words are `words` ([`entry_words`] without building them).
fn same_words(line: &str, words: &str) -> bool {
    line.len() >= words.len() && word_chars(line).eq(words.chars())
}

/// `第一部分 部门概况      3`: an entry with its page number (after spaces, or a
/// tab as a word processor's TOC field writes it).
fn ends_with_page_number(t: &str) -> bool {
    let Some((head, last)) = t.rsplit_once([' ', '\t']) else {
        return false;
    };
    !head.trim().is_empty()
        && (1..=3).contains(&last.len())
        && last.bytes().all(|b| b.is_ascii_digit())
}

fn entry_key(marks: &[Option<Marker>], pats: &PatternSet, i: usize) -> Option<(u32, u32)> {
    let m = marks[i].as_ref()?;
    Some((pats.headings.styles[m.style].rank, m.ordinal))
}

/// An entry's identity for matching against the body: marker rank, ordinal and the
/// title's first chars (TOC titles are often abridged).
fn bare_heading(
    norm: &NormDoc,
    marks: &[Option<Marker>],
    pats: &PatternSet,
    i: usize,
) -> Option<(u32, u32, String)> {
    let line = norm.line(i);
    let (a, _) = norm.line_bounds(i);
    let m = marks[i].as_ref()?;
    let t = content(line);
    if has_sentence_punct(t) || t.contains(':') || is_table_like(line, m.title_start - a) {
        return None;
    }
    let title: String = norm.text.as_str()[m.title_start..a + line.len()]
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(4)
        .collect();
    (!title.is_empty()).then(|| (pats.headings.styles[m.style].rank, m.ordinal, title))
}

/// Marker lines of the text (line, rank, ordinal, title's first chars), and for
/// every line how many plain text lines come before it.
struct BodyIndex {
    markers: Vec<(usize, u32, u32, String)>,
    plain_before: Vec<usize>,
}

impl BodyIndex {
    fn new(
        norm: &NormDoc,
        marks: &[Option<Marker>],
        pats: &PatternSet,
        roles: &[LineRole],
    ) -> BodyIndex {
        let mut markers = vec![];
        let mut plain_before = Vec::with_capacity(roles.len() + 1);
        let mut plain = 0;
        for (i, role) in roles.iter().enumerate() {
            plain_before.push(plain);
            if *role != LineRole::Text {
                continue;
            }
            let (a, _) = norm.line_bounds(i);
            match &marks[i] {
                Some(m) => {
                    let title: String = norm.text.as_str()[m.title_start..a + norm.line(i).len()]
                        .chars()
                        .filter(|c| !c.is_whitespace())
                        .take(4)
                        .collect();
                    markers.push((i, pats.headings.styles[m.style].rank, m.ordinal, title));
                }
                None => plain += 1,
            }
        }
        plain_before.push(plain);
        BodyIndex {
            markers,
            plain_before,
        }
    }

    /// Plain text lines strictly between lines `a` and `b`.
    fn plain_between(&self, a: usize, b: usize) -> usize {
        let at = |i: usize| self.plain_before.get(i).copied().unwrap_or(0);
        at(b).saturating_sub(at(a + 1))
    }
}

/// A block of bare headings with nothing between them, repeated later in the body
/// in the same order, is a TOC without a header.
fn implicit(norm: &NormDoc, marks: &[Option<Marker>], pats: &PatternSet, roles: &mut [LineRole]) {
    let n = roles.len();
    let index = BodyIndex::new(norm, marks, pats, roles);
    let mut i = 0;
    while i < n {
        if roles[i] != LineRole::Text || bare_heading(norm, marks, pats, i).is_none() {
            i += 1;
            continue;
        }
        let mut block = vec![];
        let mut wrapped = vec![];
        let mut j = i;
        while j < n {
            match roles[j] {
                LineRole::Blank | LineRole::PageFurniture => {}
                LineRole::Text => {
                    match bare_heading(norm, marks, pats, j) {
                        // The body starting over with the first entry ends the block.
                        Some(k)
                            if block.first().is_some_and(
                                |(_, f): &(usize, (u32, u32, String))| (f.0, f.1) == (k.0, k.1),
                            ) =>
                        {
                            break
                        }
                        Some(k) => block.push((j, k)),
                        // A wrapped entry's tail (`决算表`).
                        None if j > 0
                            && roles[j - 1] != LineRole::Blank
                            && marks[j].is_none()
                            && is_wrapped_tail(norm.line(j)) =>
                        {
                            wrapped.push(j)
                        }
                        None => break,
                    }
                }
                _ => break,
            }
            j += 1;
        }
        if block.len() >= MIN_IMPLICIT_ENTRIES && repeated_later(&index, &block, j) {
            for k in block.iter().map(|(k, _)| *k).chain(wrapped) {
                roles[k] = LineRole::Toc;
            }
        }
        i = j.max(i + 1);
    }
}

/// Whether the body after `from` repeats most of the block's headings in order
/// (a TOC also lists parts the body does not number), the first one included,
/// with text between them (which a TOC does not have).
fn repeated_later(index: &BodyIndex, block: &[(usize, (u32, u32, String))], from: usize) -> bool {
    let body = &index.markers[index.markers.partition_point(|m| m.0 < from)..];
    let mut pos = 0;
    let mut matched = 0;
    let mut last_line = None;
    let mut text_between = false;
    for (k, (_, want)) in block.iter().enumerate() {
        // The body may put the title on the next line (`第一部分` / `概况`) or word
        // it a little differently.
        let hit = body[pos..].iter().position(|(_, r, o, t)| {
            (*r, *o) == (want.0, want.1)
                && (t.is_empty() || t.chars().take(2).eq(want.2.chars().take(2)))
        });
        match hit {
            Some(h) => {
                let line = body[pos + h].0;
                if let Some(prev) = last_line {
                    text_between |= index.plain_between(prev, line) > 0;
                }
                last_line = Some(line);
                pos += h + 1;
                matched += 1;
            }
            None if k == 0 => return false,
            None => {}
        }
    }
    matched * 5 >= block.len() * 3 && text_between
}

/// A short line without punctuation inside a TOC: the tail of a wrapped entry.
fn is_wrapped_tail(line: &str) -> bool {
    let t = content(line);
    !t.is_empty()
        && t.chars().count() <= WRAPPED_ENTRY_CHARS
        && !has_sentence_punct(t)
        && !t.contains([',', ':', '、'])
        && !is_table_like(line, 0)
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
        mark(&norm, &marks, pats, &mut roles);
        roles
    }

    #[test]
    fn header_toc_ends_where_the_body_starts_over() {
        let r = roles_of(
            "某局2024年度部门决算\n目 录\n第一部分 概况\n - 一、主要职能\n第二部分 部门决算\n表\n\u{c}第一部分 概况\n一、主要职能\n正文。",
        );
        assert_eq!(r[0], LineRole::Text);
        assert!(r[1..=5].iter().all(|&x| x == LineRole::Toc), "{r:?}");
        assert!(r[6..].iter().all(|&x| x == LineRole::Text), "{r:?}");
    }

    #[test]
    fn entries_with_page_numbers() {
        let r = roles_of("目录\n第一部分 部门概况      3\n部门决算表    5\n第二部分 情况说明 12\n\n第一部分 部门概况\n正文。");
        assert!(r[..4].iter().all(|&x| x == LineRole::Toc), "{r:?}");
        assert_eq!(r[5], LineRole::Text);
    }

    #[test]
    fn leader_lines_anywhere() {
        let r = roles_of("一、部门主要职能    ………………………\n五、部门预算表 ........ 12\n正文。");
        assert_eq!(r[0], LineRole::Toc);
        assert_eq!(r[1], LineRole::Toc);
        assert_eq!(r[2], LineRole::Text);
    }

    #[test]
    fn a_list_of_headings_repeated_later() {
        let r = roles_of(
            "报告\n一、部门概况\n二、支出情况\n三、存在问题\n\n一、部门概况\n正文。\n二、支出情况\n正文。\n三、存在问题\n正文。",
        );
        assert_eq!(&r[1..4], &[LineRole::Toc; 3]);
        assert!(r[5..].iter().all(|&x| x == LineRole::Text));
    }

    #[test]
    fn a_list_repeated_with_titles_on_their_own_lines() {
        let r = roles_of(
            "某某中心部门决算\n第一部分 某某中心概况 1\n第二部分 部门决算表 3\n第三部分 情况说明 9\n\n第一部分\n某某中心概况\n正文。\n第二部分\n部门决算表\n正文。\n第三部分\n情况说明\n正文。",
        );
        assert_eq!(&r[1..4], &[LineRole::Toc; 3]);
        assert_eq!(r[5], LineRole::Text);
    }

    #[test]
    fn headings_not_repeated_are_kept() {
        let r = roles_of("一、部门概况\n二、支出情况\n三、存在问题\n正文。");
        assert!(r.iter().all(|&x| x == LineRole::Text));
    }
}
