//! The heading tree: which marker lines are headings, and how they nest.
//!
//! A marker line is a candidate unless it is a table row, sits in a table (a table
//! row right above and right below, other candidates aside), or belongs to a style
//! the document does not lead with (`lead_only`). Candidates then have to make
//! sense as numbering: under its parent each style counts 1, 2, 3 … — it may start
//! over at 1, skip a number or two (a heading lost in conversion), and a weak
//! marker (`2.2023年`) must continue its siblings exactly. Nesting follows the fixed
//! rank of styles; levels are the ranks the document uses, outermost first.

use super::lines::{content, has_sentence_punct, is_table_like, lead};
use super::marker::{self, Marker};
use super::title::{self, Title};
use crate::model::{LineRole, Section};
use crate::normalize::{join_lines, simplified, MappedText, NormDoc};
use crate::patterns::PatternSet;

/// How far to look for the table rows around a candidate.
const ZONE_LOOK: usize = 40;
/// A line this short may be a wrapped table cell.
const MAX_SCRAP_CHARS: usize = 3;
/// Numbers a sequence may skip.
const MAX_SKIP: u32 = 2;

/// A recognised heading before levels are assigned.
struct Heading {
    line: usize,
    rank: u32,
    /// Index into `Headings::styles` (usize::MAX for unnumbered headings).
    style: usize,
    rule: String,
    marker: String,
    ordinal: Option<u32>,
    title: Title,
    parent: Option<usize>,
}

struct LineInfo {
    marker: Option<Marker>,
    /// A table line: marked so by the tables stage, or shaped like a row.
    table: bool,
    /// A table's title set as a markdown heading.
    marked_up: bool,
    /// Shaped like a table row (a title line the tables stage marked is not).
    row_shape: bool,
    /// Starts with a marker, whatever its role.
    marked: bool,
    /// A scrap of a few characters without punctuation (a table cell wrapped by
    /// pdftotext: `款`, `支出`).
    scrap: bool,
}

fn line_info(
    norm: &NormDoc,
    marks: &[Option<Marker>],
    roles: &[LineRole],
    table_titles: &[usize],
    pats: &PatternSet,
    i: usize,
) -> LineInfo {
    let line = norm.line(i);
    let (a, b) = norm.line_bounds(i);
    let found = if roles[i] == LineRole::Blank {
        None
    } else {
        marks[i].clone()
    };
    let from = found.as_ref().map_or(lead(line), |m| m.title_start - a);
    let row_shape = roles[i] != LineRole::Blank && is_table_like(line, from);
    let t = content(line);
    let scrap = !t.is_empty() && t.chars().count() <= MAX_SCRAP_CHARS && !has_sentence_punct(t);
    // A bare attachment number over a table's title (`附表1`) is the table's number
    // line to the tables stage, and a heading when the body leads with such lines.
    let attachment = roles[i] == LineRole::Table
        && found.as_ref().is_some_and(|m| {
            m.title_start >= b
                && pats
                    .headings
                    .styles
                    .get(m.style)
                    .is_some_and(|s| s.lead_only)
        });
    // A markdown heading (`### 一、收入支出决算总表`) is one even where it titles a
    // table: the author marked it so. So is a numbered title (`二、收入决算表`),
    // when its numbering runs on from headings before it.
    let marked_up = roles[i] == LineRole::Table
        && found.is_some()
        && (line.trim_start().starts_with('#') || table_titles.binary_search(&i).is_ok());
    LineInfo {
        scrap,
        marked: found.is_some(),
        marker: found.filter(|_| roles[i] == LineRole::Text || attachment || marked_up),
        table: (roles[i] == LineRole::Table && !attachment && !marked_up) || row_shape,
        row_shape,
        marked_up,
    }
}

/// A candidate between table rows: looking each way past blank lines and other
/// marker lines, the first line is a table row. A heading that introduces a table
/// is followed by the table's title (a table line that is no row) and stands.
fn in_table_zone(info: &[LineInfo], roles: &[LineRole], i: usize) -> bool {
    let look = |k: usize| -> Option<bool> {
        match roles[k] {
            LineRole::Blank | LineRole::PageFurniture => None,
            LineRole::Table | LineRole::Text | LineRole::Heading if info[k].table => {
                if info[k].marked && !info[k].row_shape {
                    None
                } else {
                    Some(true)
                }
            }
            LineRole::Text | LineRole::Heading if info[k].marked || info[k].scrap => None,
            _ => Some(false),
        }
    };
    let back = (i.saturating_sub(ZONE_LOOK)..i)
        .rev()
        .find_map(look)
        .unwrap_or(false);
    let end = roles.len().min(i + 1 + ZONE_LOOK);
    let next =
        (i + 1..end).find(|&k| !matches!(roles[k], LineRole::Blank | LineRole::PageFurniture));
    if let Some(k) = next {
        if roles[k] == LineRole::Table && !info[k].row_shape && !info[k].marked {
            return false; // the table's title
        }
    }
    let fwd = (i + 1..end).find_map(look).unwrap_or(false);
    back && fwd
}

pub fn build(
    norm: &NormDoc,
    marks: &[Option<Marker>],
    roles: &mut [LineRole],
    table_titles: &[usize],
    pats: &PatternSet,
) -> Vec<Section> {
    let styles = &pats.headings.styles;
    let mut titles = table_titles.to_vec();
    titles.sort_unstable();
    let info: Vec<LineInfo> = (0..roles.len())
        .map(|i| line_info(norm, marks, roles, &titles, pats, i))
        .collect();
    let mut cands: Vec<(usize, Marker)> = vec![];
    for (i, li) in info.iter().enumerate() {
        if let Some(m) = &li.marker {
            if li.marked_up || (!li.table && !in_table_zone(&info, roles, i)) {
                cands.push((i, m.clone()));
            }
        }
    }
    // Styles that count only when the body begins with them.
    if let Some((_, first)) = cands.first() {
        let lead_style = first.style;
        cands.retain(|(_, m)| !styles[m.style].lead_only || m.style == lead_style);
    }

    let page_width = title::page_width(norm, roles);
    let mut heads = numbered(norm, roles, pats, cands.clone(), page_width);
    // A bundle has at least two attachments: a lone `附件1` stamped on a report
    // does not divide it.
    let lone: Vec<usize> = (0..styles.len())
        .filter(|&k| styles[k].lead_only && heads.iter().filter(|h| h.style == k).count() == 1)
        .collect();
    if !lone.is_empty() {
        cands.retain(|(_, m)| !lone.contains(&m.style));
        heads = numbered(norm, roles, pats, cands, page_width);
    }
    if heads.is_empty() {
        heads = unnumbered(norm, roles, pats, &info);
    }
    finish(norm, roles, heads)
}

/// The numbered headings among the candidates: those that make sense as numbering.
fn numbered(
    norm: &NormDoc,
    roles: &[LineRole],
    pats: &PatternSet,
    cands: Vec<(usize, Marker)>,
    page_width: Option<usize>,
) -> Vec<Heading> {
    let styles = &pats.headings.styles;
    let mut heads: Vec<Heading> = vec![];
    // Open headings: (rank, ordinal, index in heads), ranks increasing.
    let mut stack: Vec<(u32, u32, usize)> = vec![];
    let mut queue: std::collections::VecDeque<(usize, Marker)> = cands.into();
    while let Some((line, m)) = queue.pop_front() {
        let style = &styles[m.style];
        let Some(t) = title::extract(norm, roles, pats, line, &m, page_width) else {
            continue;
        };
        let pos = stack
            .iter()
            .position(|&(r, _, _)| r >= style.rank)
            .unwrap_or(stack.len());
        let prev = stack
            .get(pos)
            .filter(|&&(r, _, _)| r == style.rank)
            .map(|&(_, o, _)| o);
        let expected = prev.map_or(1, |p| p + 1);
        let ord = m.ordinal;
        let ok = if m.weak {
            prev.is_some() && ord == expected
        } else {
            ord == expected
                || ord == 1
                || (prev.is_some() && ord > expected && ord <= expected + MAX_SKIP)
                || (style.repeatable && prev == Some(ord))
        };
        if !ok {
            continue;
        }
        stack.truncate(pos);
        let parent = stack.last().map(|&(_, _, h)| h);
        if let Some(at) = t.nested_at {
            let (a, b) = norm.line_bounds(line);
            if at < b {
                if let Some(n) = marker::find(&norm.text.as_str()[at..b], at, &pats.headings) {
                    if styles[n.style].rank > style.rank {
                        queue.push_front((line, n));
                    }
                }
            }
            debug_assert!(at >= a);
        }
        stack.push((style.rank, ord, heads.len()));
        heads.push(Heading {
            line,
            rank: style.rank,
            style: m.style,
            rule: style.id.clone(),
            marker: norm
                .source_slice(m.start, m.end)
                .trim_end_matches([' ', '\t', ':', '：'])
                .to_string(),
            ordinal: Some(ord),
            title: t,
            parent,
        });
    }
    heads
}

/// Markdown `#` / bold headings, for documents without numbered headings.
fn unnumbered(
    norm: &NormDoc,
    roles: &[LineRole],
    pats: &PatternSet,
    info: &[LineInfo],
) -> Vec<Heading> {
    let mut heads: Vec<Heading> = vec![];
    let mut stack: Vec<(u32, usize)> = vec![];
    for (i, li) in info.iter().enumerate() {
        if roles[i] != LineRole::Text || li.table {
            continue;
        }
        let line = norm.line(i);
        let t = content(line);
        let (a, _) = norm.line_bounds(i);
        let off = a + lead(line);
        for rule in &pats.headings.unnumbered {
            let Some(c) = rule.re.captures(t) else {
                continue;
            };
            let (Some(whole), Some(tm)) = (c.get(0), c.name("title")) else {
                continue;
            };
            if whole.start() != 0 {
                continue;
            }
            let depth = c
                .name("depth")
                .map_or(0, |d| d.as_str().chars().count() as u32);
            let rank = rule.rank + depth;
            let (ta, tb) = (off + tm.start(), off + tm.end());
            let raw = norm.source_slice(ta, tb);
            let mut text = raw.to_string();
            for d in pats.headings.decorations.iter().filter(|d| d.anywhere) {
                text = d.re.replace_all(&text, "").into_owned();
            }
            let text = text.trim().to_string();
            if text.is_empty() {
                break;
            }
            let pos = stack
                .iter()
                .position(|&(r, _)| r >= rank)
                .unwrap_or(stack.len());
            stack.truncate(pos);
            let parent = stack.last().map(|&(_, h)| h);
            stack.push((rank, heads.len()));
            heads.push(Heading {
                line: i,
                rank,
                style: usize::MAX,
                rule: rule.id.clone(),
                marker: String::new(),
                ordinal: None,
                title: Title {
                    text,
                    span: norm.span(off, off + t.len()),
                    extra_lines: vec![],
                    body_from: None,
                    nested_at: None,
                },
                parent,
            });
            break;
        }
    }
    // A lone top heading at the start is the document's title, not a section.
    let top = heads.iter().map(|h| h.rank).min();
    let tops = heads.iter().filter(|h| Some(h.rank) == top).count();
    if tops == 1 && heads.len() > 1 && heads.first().map(|h| h.rank) == top {
        heads.remove(0);
        for h in heads.iter_mut() {
            h.parent = match h.parent {
                Some(0) | None => None,
                Some(p) => Some(p - 1),
            };
        }
    }
    heads
}

/// Levels, paths, body text and line roles.
fn finish(norm: &NormDoc, roles: &mut [LineRole], heads: Vec<Heading>) -> Vec<Section> {
    let mut ranks: Vec<u32> = heads.iter().map(|h| h.rank).collect();
    ranks.sort_unstable();
    ranks.dedup();
    let mut out: Vec<Section> = Vec::with_capacity(heads.len());
    for (k, h) in heads.iter().enumerate() {
        let level = ranks.iter().position(|&r| r == h.rank).unwrap_or(0) as u32 + 1;
        let mut path = h
            .parent
            .and_then(|p| out.get(p))
            .map(|p: &Section| p.path.clone())
            .unwrap_or_default();
        // Written as in the source, but simplified: researchers index titles.
        let title = simplified(&h.title.text);
        path.push(title.clone());
        let text = body_text(norm, roles, &heads, k);
        out.push(Section {
            section_id: k as u32 + 1,
            parent: h.parent.map(|p| p as u32 + 1),
            level,
            marker: h.marker.clone(),
            ordinal: h.ordinal,
            title,
            path,
            span: h.title.span,
            text,
            rule: h.rule.clone(),
        });
    }
    for h in &heads {
        roles[h.line] = LineRole::Heading;
        for &l in &h.title.extra_lines {
            roles[l] = LineRole::Heading;
        }
    }
    out
}

/// Body text of heading `k`: the rest of its line after a run-in title, then the
/// text lines up to the next heading (tables, TOC, cover and furniture excluded).
fn body_text(norm: &NormDoc, roles: &[LineRole], heads: &[Heading], k: usize) -> String {
    let h = &heads[k];
    let next = heads.get(k + 1);
    if next.is_some_and(|n| n.line == h.line) {
        return String::new(); // a nested heading starts right after the title
    }
    let last = h.title.last_line(h.line);
    let end = next.map_or(roles.len(), |n| n.line);
    // The title's last line (for the rest after a run-in title) and the text lines
    // up to the next heading, joined where the converter hard-wrapped them.
    let mut lines: Vec<usize> = vec![];
    if h.title.body_from.is_some() {
        lines.push(last);
    }
    // Title lines of later headings lie at or after the next heading's line.
    lines.extend(
        (last + 1..end)
            .filter(|&i| roles[i] == LineRole::Text && !h.title.extra_lines.contains(&i)),
    );
    if lines.is_empty() {
        return String::new();
    }
    let joined = join_lines(norm, &lines);
    let skip = match h.title.body_from {
        Some((_, from)) => {
            let (sb, _) = norm.text.source_range(from, from);
            joined
                .as_str()
                .char_indices()
                .find(|&(k, c)| joined.source_range(k, k + c.len_utf8()).0 >= sb)
                .map_or(joined.len(), |(k, _)| k)
        }
        None => 0,
    };
    let mut rest = MappedText::default();
    rest.push_from(&joined, skip, joined.len());
    source_text(norm, &rest).trim().to_string()
}

/// The source characters behind each char of `m` (a char the normaliser made up,
/// such as a joining space or line break, stands for itself).
fn source_text(norm: &NormDoc, m: &MappedText) -> String {
    let src = norm.source.as_str();
    let mut out = String::with_capacity(m.len());
    let mut last_end = 0u32;
    for (k, c) in m.as_str().char_indices() {
        let (s, e) = m.source_range(k, k + c.len_utf8());
        if e > s && s >= last_end {
            out.push_str(src.get(s as usize..e as usize).unwrap_or(""));
            last_end = e;
        } else if e <= s {
            out.push(c);
        }
    }
    out
}
